//! Escaping for the XML and HTML the kit writes, and hrefs from paths.

/// Text or an attribute value for XML and HTML: `&`, `<`, `>`, `"` and `'`
/// escaped, and the control characters XML 1.0 forbids dropped.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            '\t' | '\n' | '\r' => out.push(c),
            c if (c as u32) < 0x20 || c == '\u{FFFE}' || c == '\u{FFFF}' => {}
            c => out.push(c),
        }
    }
    out
}

/// A relative path as a URL reference: each segment percent-encoded, so
/// a space or `#` in an edition's name still links to it.
pub fn href(path: &str) -> String {
    const SEGMENT: &percent_encoding::AsciiSet =
        &percent_encoding::NON_ALPHANUMERIC.remove(b'-').remove(b'_').remove(b'.').remove(b'~');
    path.split('/')
        .map(|s| percent_encoding::utf8_percent_encode(s, SEGMENT).to_string())
        .collect::<Vec<_>>()
        .join("/")
}

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
    fn escapes_markup_and_drops_forbidden_controls() {
        assert_eq!(escape("a<b & \"c\"\u{1}"), "a&lt;b &amp; &quot;c&quot;");
    }

    #[test]
    fn hrefs_keep_slashes_and_encode_the_rest() {
        assert_eq!(href("a b/c#d.pdf"), "a%20b/c%23d.pdf");
        assert_eq!(href("fa/خیزش.epub"), "fa/%D8%AE%DB%8C%D8%B2%D8%B4.epub");
    }

    #[test]
    fn sizes_read_as_people_say_them() {
        assert_eq!(size(999), "999 B");
        assert_eq!(size(840_400), "840 KB");
        assert_eq!(size(1_260_000), "1.3 MB");
    }
}
