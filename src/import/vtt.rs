//! WebVTT (`.vtt`, as Zoom, YouTube and ffmpeg write it) → cues. Written
//! here after the W3C grammar (<https://www.w3.org/TR/webvtt1/>): the
//! `WEBVTT` line, NOTE/STYLE/REGION blocks (skipped), cues with an
//! optional identifier, `start --> end settings` and a payload whose
//! `<v Name>` voice spans name the speaker; other tags are removed.

use std::path::Path;

use crate::diag::{Diagnostic, Location};

use super::cues::{Cue, decode_entities, parse_timing};
use super::srt::shorten;

/// The cues of the WebVTT text `text` (LF line endings, no BOM).
pub fn parse(path: &Path, text: &str) -> Result<Vec<Cue>, Diagnostic> {
    let lines: Vec<&str> = text.split('\n').map(|l| l.trim_end()).collect();
    let header = lines.first().copied().unwrap_or_default();
    if !(header == "WEBVTT" || header.starts_with("WEBVTT ") || header.starts_with("WEBVTT\t")) {
        return Err(Diagnostic::error(format!(
            "a WebVTT file starts with `WEBVTT`; this one with `{}`",
            shorten(header)
        ))
        .at(Location::at(path, 1, 1)));
    }
    let mut cues = Vec::new();
    // Skip the rest of the header block.
    let mut i = 1;
    while i < lines.len() && !lines[i].is_empty() {
        i += 1;
    }
    while i < lines.len() {
        if lines[i].trim().is_empty() {
            i += 1;
            continue;
        }
        let block_start = i;
        let mut end = i;
        while end < lines.len() && !lines[end].trim().is_empty() {
            end += 1;
        }
        let block = &lines[block_start..end];
        i = end;
        let first = block[0];
        if !first.contains("-->")
            && (first == "NOTE" || first.starts_with("NOTE ") || first == "STYLE" || first == "REGION")
        {
            continue;
        }
        let timing_at = usize::from(!first.contains("-->"));
        let Some((start_ms, end_ms)) = block.get(timing_at).and_then(|l| parse_timing(l)) else {
            let found = block.get(timing_at).copied().unwrap_or(first);
            return Err(Diagnostic::error(format!(
                "cue {}: expected its times like `00:01.000 --> 00:04.000`, found `{}`",
                cues.len() + 1,
                shorten(found)
            ))
            .at(Location::at(path, block_start + timing_at.min(block.len() - 1) + 1, 1)));
        };
        let payload = block[timing_at + 1..].join("\n");
        for (speaker, text) in voices(&payload) {
            cues.push(Cue { start_ms, end_ms, speaker, text, line: block_start + 1 });
        }
    }
    if cues.is_empty() {
        return Err(Diagnostic::error("the WebVTT file holds no cues").at(Location::file(path)));
    }
    Ok(cues)
}

/// A cue payload → its text by voice: `<v Ana>Hi</v> <v Ben>Hello` gives
/// two pieces. Text outside any voice has none.
fn voices(payload: &str) -> Vec<(Option<String>, String)> {
    let mut out: Vec<(Option<String>, String)> = vec![(None, String::new())];
    let mut rest = payload;
    let mut skip_depth = 0usize; // inside <rt>: ruby text is not read aloud
    while let Some(open) = rest.find('<') {
        if skip_depth == 0 {
            push_text(&mut out, &rest[..open]);
        }
        let Some(close) = rest[open..].find('>') else {
            // A lone `<` is text.
            push_text(&mut out, &rest[open..]);
            rest = "";
            break;
        };
        let tag = &rest[open + 1..open + close];
        rest = &rest[open + close + 1..];
        let name = tag.split(|c: char| c == '.' || c.is_whitespace()).next().unwrap_or_default();
        match name {
            "v" => {
                let speaker = tag.split_once(char::is_whitespace).map(|(_, n)| decode_entities(n.trim()));
                out.push((speaker.filter(|s| !s.is_empty()), String::new()));
            }
            "/v" => out.push((None, String::new())),
            "rt" => skip_depth += 1,
            "/rt" => skip_depth = skip_depth.saturating_sub(1),
            _ => {}
        }
    }
    if skip_depth == 0 {
        push_text(&mut out, rest);
    }
    out.into_iter()
        .map(|(speaker, text)| (speaker, text.split_whitespace().collect::<Vec<_>>().join(" ")))
        .filter(|(_, text)| !text.is_empty())
        .collect()
}

fn push_text(out: &mut [(Option<String>, String)], text: &str) {
    if let Some(last) = out.last_mut() {
        last.1.push_str(&decode_entities(&super::rich::clean(text)));
        last.1.push(' ');
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn voices_notes_and_settings() {
        let text = "WEBVTT - made by hand\nKind: captions\n\nNOTE a comment\nthat goes on\n\nSTYLE\n::cue { color: red }\n\n\
                    intro\n00:01.000 --> 00:02.000 align:start\n<v.loud Ana Lima>It <i>started</i></v> <v Ben>Why?\n\n\
                    00:00:03.000 --> 00:00:04.000\nplain &amp; <c.yellow>simple</c> <ruby>漢<rt>kan</rt></ruby>\n";
        let cues = parse(Path::new("x.vtt"), text).unwrap();
        let got: Vec<(Option<&str>, &str)> =
            cues.iter().map(|c| (c.speaker.as_deref(), c.text.as_str())).collect();
        assert_eq!(
            got,
            [(Some("Ana Lima"), "It started"), (Some("Ben"), "Why?"), (None, "plain & simple 漢")]
        );
        assert_eq!((cues[0].start_ms, cues[0].line), (1000, 10));
    }

    #[test]
    fn no_header_no_cues_and_bad_times_are_errors() {
        let path = Path::new("x.vtt");
        assert!(
            parse(path, "1\n00:01.000 --> 00:02.000\nA")
                .unwrap_err()
                .message
                .contains("starts with `WEBVTT`")
        );
        assert!(parse(path, "WEBVTT\n\nNOTE only a note\n").unwrap_err().message.contains("no cues"));
        let err = parse(path, "WEBVTT\n\n00:01.000 --> 00:02.000\nA\n\n00:03 --> 00:04.000\nB").unwrap_err();
        assert!(err.message.contains("cue 2: expected its times"), "{}", err.message);
        assert_eq!(err.location, Some(Location::at(path, 6, 1)));
    }
}
