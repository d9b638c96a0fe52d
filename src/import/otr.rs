//! oTranscribe (`.otr`) → paragraphs. An `.otr` file is JSON: `text` holds
//! the transcript as the editor's HTML (`<p>`, `<br>`, `<b>`, `<i>`, and
//! `<span class="timestamp" data-timestamp="12.3">00:12</span>` marks),
//! `media` and `media-time` name the recording. The HTML is small and
//! flat; it is read here tag by tag, never as XML (it is not well-formed).

use std::path::Path;

use serde::Deserialize;

use crate::diag::{Diagnostic, Location};

use super::cues::decode_entities;
use super::paragraphs::{Paragraphs, split_paragraphs};

#[derive(Deserialize)]
struct File {
    text: String,
}

/// Read the oTranscribe file `text` into paragraphs.
pub fn parse(path: &Path, text: &str) -> Result<Paragraphs, Diagnostic> {
    let file: File = serde_json::from_str(text).map_err(|e| {
        Diagnostic::error(format!("cannot read the oTranscribe file: {e}"))
            .at(Location::file(path))
            .hint("an .otr file is JSON with the transcript in `text`")
    })?;
    let (plain, stamps) = html_to_text(&file.text);
    if plain.trim().is_empty() {
        return Err(Diagnostic::error("the oTranscribe file holds no text; there is nothing to import")
            .at(Location::file(path)));
    }
    let mut split = split_paragraphs(&plain, true);
    // The first timestamp mark inside each paragraph gives its time. The
    // marks come in line order: one pass over both lists.
    let starts: Vec<usize> = split.paragraphs.iter().map(|p| p.line).skip(1).chain([usize::MAX]).collect();
    let mut stamps = stamps.iter().peekable();
    for (paragraph, next) in split.paragraphs.iter_mut().zip(starts) {
        while stamps.next_if(|(line, _)| *line < paragraph.line).is_some() {}
        paragraph.time_ms = stamps.peek().filter(|(line, _)| *line < next).map(|(_, ms)| *ms);
    }
    Ok(split)
}

/// The editor's HTML → text with a blank line between paragraphs, and the
/// timestamp marks as (line, milliseconds).
fn html_to_text(html: &str) -> (String, Vec<(usize, u64)>) {
    let mut out = String::with_capacity(html.len());
    let mut stamps = Vec::new();
    let mut rest = html;
    let mut in_stamp = 0usize;
    // The line `out` has reached, counted as it grows (not again at each
    // mark: a file may hold a hundred thousand marks).
    let (mut lines, mut counted) = (1usize, 0usize);
    let mut line = |out: &str| {
        lines += out.as_bytes()[counted..].iter().filter(|&&b| b == b'\n').count();
        counted = out.len();
        lines
    };
    while let Some(open) = rest.find('<') {
        if in_stamp == 0 {
            out.push_str(&decode_entities(&super::rich::clean(&rest[..open])));
        }
        let Some(close) = rest[open..].find('>') else {
            out.push_str(&decode_entities(&rest[open..]));
            rest = "";
            break;
        };
        let tag = &rest[open + 1..open + close];
        rest = &rest[open + close + 1..];
        let name = tag.split(|c: char| c.is_whitespace() || c == '/').find(|s| !s.is_empty()).unwrap_or("");
        let closing = tag.starts_with('/');
        // A timestamp holds its time and nothing else: any closing tag
        // ends it (a broken `</>` once swallowed a paragraph), and it
        // never runs past a paragraph.
        if closing {
            in_stamp = in_stamp.saturating_sub(1);
        }
        match name.to_ascii_lowercase().as_str() {
            "p" | "div" | "h1" | "h2" | "h3" | "li" => {
                in_stamp = 0;
                out.push_str("\n\n");
            }
            "br" => out.push('\n'),
            "span" if !closing && tag.contains("timestamp") => {
                in_stamp += 1;
                if let Some(seconds) = attribute(tag, "data-timestamp").and_then(|s| s.parse::<f64>().ok())
                    && seconds.is_finite()
                    && seconds >= 0.0
                {
                    stamps.push((line(&out), (seconds * 1000.0).round() as u64));
                }
            }
            _ => {}
        }
    }
    out.push_str(&decode_entities(&super::rich::clean(rest)));
    (out.replace('\u{A0}', " "), stamps)
}

/// The value of `name="…"` in a tag.
fn attribute<'a>(tag: &'a str, name: &str) -> Option<&'a str> {
    let at = tag.find(&format!("{name}="))? + name.len() + 1;
    let value = &tag[at..];
    let quote = value.chars().next().filter(|c| *c == '"' || *c == '\'')?;
    let value = &value[1..];
    Some(&value[..value.find(quote)?])
}

/// Whether `value` is shaped like an oTranscribe file (for detection).
pub fn looks_like(value: &serde_json::Value) -> bool {
    value.get("text").is_some_and(serde_json::Value::is_string)
        && (value.get("media").is_some() || value.get("media-time").is_some())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paragraphs_timestamps_and_entities() {
        let json = r#"{"text": "<p>Title</p><p><span class=\"timestamp\" contenteditable=\"false\" data-timestamp=\"12.5\">00:12</span> Ana: It &amp; that&nbsp;one.<br></p><p>Ben: <b>Why</b>?</p>", "media": "a.mp3", "media-time": "3.1"}"#;
        let split = parse(Path::new("x.otr"), json).unwrap();
        let texts: Vec<&str> = split.paragraphs.iter().map(|p| p.text.as_str()).collect();
        assert_eq!(texts, ["Title", "Ana: It & that one.", "Ben: Why?"]);
        assert_eq!(split.paragraphs[1].time_ms, Some(12_500));
        assert_eq!(split.paragraphs[2].time_ms, None);
        assert!(parse(Path::new("x.otr"), r#"{"text": "<p></p>", "media": ""}"#).is_err());
        assert!(parse(Path::new("x.otr"), r#"{"media": ""}"#).unwrap_err().message.contains("missing field"));
    }

    /// Found by fuzzing: a timestamp closed by a broken `</>` took the
    /// paragraph's words with it.
    #[test]
    fn a_broken_closing_tag_ends_the_timestamp() {
        let (text, stamps) = html_to_text(
            r#"<p><span class="timestamp" data-timestamp="1.0">00:01</>Ana: one two</p><p>three</p>"#,
        );
        assert!(text.contains("Ana: one two") && text.contains("three"), "{text:?}");
        assert_eq!(stamps.len(), 1);
    }
}
