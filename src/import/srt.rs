//! SubRip (`.srt`) subtitles → cues. The grammar is small (a number, a
//! `start --> end` line, text lines, a blank line) and written here; no
//! crate reads it more carefully. Formatting tags (`<i>`, `<font>`) and
//! ASS overrides (`{\an8}`) are removed.

use std::path::Path;

use crate::diag::{Diagnostic, Location};

use super::cues::{Cue, decode_entities, parse_timing};

/// The cues of the SRT text `text` (LF line endings).
pub fn parse(path: &Path, text: &str) -> Result<Vec<Cue>, Diagnostic> {
    let lines: Vec<&str> = text.split('\n').map(|l| l.trim_end()).collect();
    let mut cues = Vec::new();
    let mut i = 0;
    while i < lines.len() {
        if lines[i].trim().is_empty() {
            i += 1;
            continue;
        }
        let start_line = i + 1;
        // The cue number, then the times (some writers leave the number out).
        let mut timing_at = i;
        if lines[i].trim().bytes().all(|b| b.is_ascii_digit()) {
            timing_at = i + 1;
        }
        let timing = lines.get(timing_at).copied().unwrap_or_default();
        let Some((start_ms, end_ms)) = parse_timing(timing) else {
            let (line, found) =
                if timing_at < lines.len() { (timing_at + 1, timing) } else { (start_line, lines[i]) };
            return Err(Diagnostic::error(format!(
                "cue {}: expected its times like `00:00:01,000 --> 00:00:04,000`, found `{}`",
                cues.len() + 1,
                shorten(found)
            ))
            .at(Location::at(path, line, 1))
            .hint("is this an SRT file? pass `--from` to read it as another format"));
        };
        let mut j = timing_at + 1;
        let mut text_lines = Vec::new();
        while j < lines.len() && !lines[j].trim().is_empty() {
            text_lines.push(lines[j].trim());
            j += 1;
        }
        cues.push(Cue {
            start_ms,
            end_ms,
            speaker: None,
            text: clean_text(&text_lines.join(" ")),
            line: start_line,
        });
        i = j;
    }
    if cues.is_empty() {
        return Err(Diagnostic::error("the SRT file holds no cues").at(Location::file(path)));
    }
    Ok(cues)
}

/// Cue text without tags, ASS overrides and entities.
fn clean_text(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut depth = None;
    for c in text.chars() {
        match (depth, c) {
            (None, '<') => depth = Some('>'),
            (None, '{') => depth = Some('}'),
            (Some(close), c) if c == close => depth = None,
            (Some(_), _) => {}
            (None, c) => out.push(c),
        }
    }
    decode_entities(&super::rich::clean(&out))
}

/// At most 60 characters of `text`, for a message.
pub fn shorten(text: &str) -> String {
    let mut out: String = text.chars().take(60).collect();
    if out.len() < text.len() {
        out.push('…');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cues_with_tags_and_without_numbers() {
        let cues = parse(
            Path::new("x.srt"),
            "1\n00:00:01,000 --> 00:00:02,000\n<i>Ana:</i> It\nstarted.\n\n00:00:03,000 --> 00:00:04,000 X1:0\n{\\an8}Then &amp; now\n",
        )
        .unwrap();
        assert_eq!(cues.len(), 2);
        assert_eq!((cues[0].start_ms, cues[0].text.as_str(), cues[0].line), (1000, "Ana: It started.", 1));
        assert_eq!((cues[1].end_ms, cues[1].text.as_str()), (4000, "Then & now"));
    }

    #[test]
    fn malformed_times_name_the_line() {
        let err = parse(Path::new("x.srt"), "1\n00:00:01,000 --> 00:00:02,000\nA\n\n2\n00:00:03 -> 4\nB\n")
            .unwrap_err();
        assert!(err.message.starts_with("cue 2: expected its times"), "{}", err.message);
        assert_eq!(err.location, Some(Location::at(Path::new("x.srt"), 6, 1)));
        assert!(parse(Path::new("x.srt"), "\n\n").unwrap_err().message.contains("no cues"));
    }
}
