//! A turn's time in the recording (`**Ana:** [00:12:03] …`), kept by
//! `mimeo import --timestamps` and printed by each backend in its own way.

/// A time into the recording, to the second.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Timecode {
    pub seconds: u32,
}

impl Timecode {
    /// Reads `HH:MM:SS`, `H:MM:SS` or `MM:SS` (minutes and seconds below 60).
    pub fn parse(text: &str) -> Option<Timecode> {
        let parts: Vec<&str> = text.split(':').collect();
        let number = |s: &str, max: u32| {
            (!s.is_empty() && s.len() <= 2 && s.bytes().all(|b| b.is_ascii_digit()))
                .then(|| s.parse::<u32>().ok())
                .flatten()
                .filter(|n| *n < max)
        };
        let (hours, minutes, seconds) = match parts.as_slice() {
            [m, s] if m.len() == 2 && s.len() == 2 => (0, number(m, 60)?, number(s, 60)?),
            [h, m, s] if m.len() == 2 && s.len() == 2 => (number(h, 100)?, number(m, 60)?, number(s, 60)?),
            _ => return None,
        };
        Some(Timecode { seconds: hours * 3600 + minutes * 60 + seconds })
    }

    /// `00:12:03`: how every edition prints it.
    pub fn clock(self) -> String {
        let s = self.seconds;
        format!("{:02}:{:02}:{:02}", s / 3600, s / 60 % 60, s % 60)
    }

    /// `PT12M3S`: the ISO 8601 duration for HTML's `<time datetime>`.
    pub fn iso_duration(self) -> String {
        let (h, m, s) = (self.seconds / 3600, self.seconds / 60 % 60, self.seconds % 60);
        let mut out = String::from("PT");
        if h > 0 {
            out.push_str(&format!("{h}H"));
        }
        if m > 0 {
            out.push_str(&format!("{m}M"));
        }
        if s > 0 || self.seconds == 0 {
            out.push_str(&format!("{s}S"));
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clock_forms() {
        assert_eq!(Timecode::parse("00:12:03").map(Timecode::clock).as_deref(), Some("00:12:03"));
        assert_eq!(Timecode::parse("1:02:03").unwrap().seconds, 3723);
        assert_eq!(Timecode::parse("12:03").unwrap().seconds, 723);
        for bad in ["", "12", "1:2", "00:60:00", "00:00:75", "a:bc:de", "123:00:00", "00:00:00:00", "+1:00"] {
            assert_eq!(Timecode::parse(bad), None, "{bad}");
        }
    }

    #[test]
    fn iso_durations() {
        assert_eq!(Timecode { seconds: 723 }.iso_duration(), "PT12M3S");
        assert_eq!(Timecode { seconds: 3600 }.iso_duration(), "PT1H");
        assert_eq!(Timecode { seconds: 0 }.iso_duration(), "PT0S");
    }
}
