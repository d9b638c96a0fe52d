//! The recording a transcript was made from (front matter `audio:`) and the
//! stretches of text timed against it, which a read-along e-book (EPUB 3
//! Media Overlays, issue 35) plays in step with the text.

use std::path::PathBuf;

use super::BlockId;

/// The audio file named by `audio:`, checked when the source is read.
#[derive(Debug, Clone, PartialEq)]
pub struct Audio {
    /// Canonical path of the file.
    pub path: PathBuf,
    /// As written in the source (relative to the source file).
    pub source_path: String,
    pub format: AudioFormat,
    /// The length of the recording, from the file's header.
    pub duration_ms: u64,
    /// The file's size, for the e-book's size warning.
    pub bytes: u64,
    /// Where the recording is published (`audio-url:`), if anywhere.
    pub url: Option<String>,
    /// Where `audio:` is written, for messages: 1-based line and column.
    pub line: usize,
    pub column: usize,
}

/// The EPUB 3 core media types for audio that mimeo takes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AudioFormat {
    /// MPEG-1/2 Layer III (`.mp3`).
    Mp3,
    /// AAC in an MP4 container (`.m4a`, `.mp4`).
    Mp4,
}

impl AudioFormat {
    pub fn media_type(self) -> &'static str {
        match self {
            AudioFormat::Mp3 => "audio/mpeg",
            AudioFormat::Mp4 => "audio/mp4",
        }
    }

    pub fn extension(self) -> &'static str {
        match self {
            AudioFormat::Mp3 => "mp3",
            AudioFormat::Mp4 => "m4a",
        }
    }
}

/// A stretch of a paragraph spoken between two times of the recording
/// (`[00:01:42.120-00:01:45.300]` before it in the source).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cue {
    /// The paragraph it is in.
    pub block: BlockId,
    /// Where it starts and ends, in characters of the paragraph's
    /// [`plain_text`](super::plain_text) (up to the next cue or the end).
    pub start: usize,
    pub end: usize,
    pub begin_ms: u64,
    pub end_ms: u64,
    /// Where its mark is written, for messages: 1-based line and column.
    pub line: usize,
    pub column: usize,
}

/// A time into the recording: `H:MM:SS`, `HH:MM:SS` or `MM:SS`, each with
/// an optional fraction of a second (`.5`, `.120`), in milliseconds.
pub fn parse_clock(text: &str) -> Option<u64> {
    let (clock, fraction) = match text.split_once(['.', ',']) {
        Some((clock, fraction)) => (clock, Some(fraction)),
        None => (text, None),
    };
    let ms = match fraction {
        None => 0,
        Some(f) if (1..=3).contains(&f.len()) && f.bytes().all(|b| b.is_ascii_digit()) => {
            f.parse::<u64>().ok()? * 10u64.pow(3 - f.len() as u32)
        }
        Some(_) => return None,
    };
    let number = |s: &str, digits: std::ops::RangeInclusive<usize>, max: u64| {
        (digits.contains(&s.len()) && s.bytes().all(|b| b.is_ascii_digit()))
            .then(|| s.parse::<u64>().ok())
            .flatten()
            .filter(|n| *n < max)
    };
    let seconds = match clock.split(':').collect::<Vec<_>>().as_slice() {
        [m, s] => number(m, 1..=2, 60)? * 60 + number(s, 2..=2, 60)?,
        [h, m, s] => (number(h, 1..=2, 100)? * 60 + number(m, 2..=2, 60)?) * 60 + number(s, 2..=2, 60)?,
        _ => return None,
    };
    Some(seconds * 1000 + ms)
}

/// `00:01:42.120-00:01:45.300` (a hyphen or an en dash between) → the
/// two times, in milliseconds.
pub fn parse_range(text: &str) -> Option<(u64, u64)> {
    let (begin, end) = text.split_once(['-', '–'])?;
    Some((parse_clock(begin.trim())?, parse_clock(end.trim())?))
}

/// `00:01:42.120`: how mimeo writes a time of the recording (a SMIL full
/// clock value, and the form of the source's marks).
pub fn clock_ms(ms: u64) -> String {
    format!("{:02}:{:02}:{:02}.{:03}", ms / 3_600_000, ms / 60_000 % 60, ms / 1000 % 60, ms % 1000)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clocks_and_ranges() {
        assert_eq!(parse_clock("00:01:42.120"), Some(102_120));
        assert_eq!(parse_clock("1:02:03"), Some(3_723_000));
        assert_eq!(parse_clock("01:42.5"), Some(102_500));
        assert_eq!(parse_clock("1:42,05"), Some(102_050));
        for bad in ["", "12", "1:2", "00:60:00", "00:00:75", "1:00.1234", "1:00.", "a:bc", "+1:00"] {
            assert_eq!(parse_clock(bad), None, "{bad}");
        }
        assert_eq!(parse_range("00:00:01.250-00:00:03.100"), Some((1250, 3100)));
        assert_eq!(parse_range("0:01.25 – 0:03.1"), Some((1250, 3100)));
        assert_eq!(parse_range("0:01.25"), None);
        assert_eq!(clock_ms(3_723_004), "01:02:03.004");
        assert_eq!(parse_clock(&clock_ms(5_025_999)), Some(5_025_999));
    }
}
