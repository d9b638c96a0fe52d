//! Whisper JSON → cues: the `segments` that OpenAI Whisper (`--output_format
//! json`), WhisperX and faster-whisper write, each with `start` and `end` in
//! seconds and `text`, and after diarization a `speaker` (`SPEAKER_00`).
//! A bare array of segments is read too. `language` becomes the source's.

use std::path::Path;

use serde::Deserialize;

use crate::diag::{Diagnostic, Location};

use super::cues::Cue;

/// A Whisper transcript: its cues and its language.
#[derive(Debug)]
pub struct Transcript {
    pub cues: Vec<Cue>,
    pub language: Option<String>,
}

#[derive(Deserialize)]
struct File {
    #[serde(default)]
    segments: Option<Vec<Segment>>,
    #[serde(default)]
    language: Option<String>,
}

#[derive(Deserialize)]
struct Segment {
    start: f64,
    end: f64,
    text: String,
    #[serde(default)]
    speaker: Option<String>,
}

#[derive(Deserialize)]
#[serde(untagged)]
enum Shape {
    File(File),
    Segments(Vec<Segment>),
}

/// Read the Whisper JSON `text`.
pub fn parse(path: &Path, text: &str) -> Result<Transcript, Diagnostic> {
    let shape: Shape = serde_json::from_str(text).map_err(|e| {
        let why = e.to_string();
        // serde's `untagged` error says nothing useful; the syntax error does.
        let why = match serde_json::from_str::<serde_json::Value>(text) {
            Err(syntax) => syntax.to_string(),
            Ok(_) if why.contains("did not match any variant") => {
                "it is JSON, but not Whisper's: each segment needs `start`, `end` (seconds) and `text`"
                    .to_string()
            }
            Ok(_) => why,
        };
        Diagnostic::error(format!("cannot read the Whisper JSON: {why}"))
            .at(Location::file(path))
            .hint("Whisper writes JSON with `--output_format json`; WhisperX and faster-whisper write `segments` too")
    })?;
    let (segments, language) = match shape {
        Shape::File(file) => (file.segments, file.language),
        Shape::Segments(segments) => (Some(segments), None),
    };
    let Some(segments) = segments.filter(|s| !s.is_empty()) else {
        return Err(Diagnostic::error("the JSON holds no Whisper `segments`; there is nothing to import")
            .at(Location::file(path)));
    };
    let mut cues = Vec::with_capacity(segments.len());
    for (i, segment) in segments.into_iter().enumerate() {
        let ms = |seconds: f64, what: &str| {
            if seconds.is_finite() && (0.0..1e9).contains(&seconds) {
                Ok((seconds * 1000.0).round() as u64)
            } else {
                Err(Diagnostic::error(format!(
                    "segment {}: `{what}` is {seconds}, not a time in seconds",
                    i + 1
                ))
                .at(Location::file(path)))
            }
        };
        cues.push(Cue {
            start_ms: ms(segment.start, "start")?,
            end_ms: ms(segment.end, "end")?,
            speaker: segment.speaker.map(|s| s.trim().to_string()).filter(|s| !s.is_empty()),
            text: super::rich::clean(segment.text.trim()),
            line: i + 1,
        });
    }
    let language = language.map(|l| l.trim().to_lowercase()).filter(|l| !l.is_empty());
    Ok(Transcript { cues, language })
}

/// Whether `value` is shaped like Whisper JSON (for format detection).
pub fn looks_like(value: &serde_json::Value) -> bool {
    let segment = |v: &serde_json::Value| v.get("start").is_some() && v.get("text").is_some();
    match value {
        serde_json::Value::Object(map) => map.get("segments").is_some_and(serde_json::Value::is_array),
        serde_json::Value::Array(items) => items.first().is_some_and(segment),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn segments_speakers_and_language() {
        let json = r#"{"text": " Hi.", "language": "EN", "segments": [
            {"id": 0, "start": 0.0, "end": 1.5, "text": " Hello there.", "speaker": "SPEAKER_00", "words": []},
            {"id": 1, "start": 1.5, "end": 2.25, "text": " Hi."}]}"#;
        let t = parse(Path::new("x.json"), json).unwrap();
        assert_eq!(t.language.as_deref(), Some("en"));
        assert_eq!(t.cues[0].speaker.as_deref(), Some("SPEAKER_00"));
        assert_eq!((t.cues[1].start_ms, t.cues[1].end_ms, t.cues[1].text.as_str()), (1500, 2250, "Hi."));
        let bare = parse(Path::new("x.json"), r#"[{"start": 1, "end": 2, "text": "a"}]"#).unwrap();
        assert_eq!(bare.cues.len(), 1);
    }

    #[test]
    fn empty_and_foreign_json_are_errors() {
        let path = Path::new("x.json");
        for empty in ["{}", "[]", r#"{"segments": []}"#] {
            assert!(parse(path, empty).unwrap_err().message.contains("no Whisper `segments`"), "{empty}");
        }
        assert!(parse(path, r#"{"segments": [{"start": 1}]}"#).unwrap_err().message.contains("not Whisper"));
        assert!(parse(path, r#"{"segments": [{"#).unwrap_err().message.contains("EOF"));
        let err = parse(path, r#"[{"start": -1, "end": 2, "text": "a"}]"#).unwrap_err();
        assert!(err.message.contains("segment 1: `start` is -1"), "{}", err.message);
    }
}
