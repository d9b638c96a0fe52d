//! Byte counts as a reader reads them; escaping and hrefs come from `crate::markup`.

pub use crate::markup::{escape, href};

/// A byte count as a reader reads it: `840 KB`, `1.2 MB`.
pub fn size(bytes: u64) -> String {
    if bytes < 1_000 {
        format!("{bytes} B")
    } else if bytes < 1_000_000 {
        format!("{} KB", (bytes + 500) / 1_000)
    } else {
        format!("{:.1} MB", bytes as f64 / 1e6)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_read_as_people_say_them() {
        assert_eq!(size(999), "999 B");
        assert_eq!(size(840_400), "840 KB");
        assert_eq!(size(1_260_000), "1.3 MB");
    }
}
