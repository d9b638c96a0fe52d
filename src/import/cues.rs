//! Timed cues (WebVTT, SRT, Whisper segments) → paragraphs: consecutive
//! cues of one speaker merge into one paragraph; a new paragraph starts
//! where the speaker changes or after a pause longer than the threshold
//! (`--pause`, 2 s by default).

use std::path::Path;

use crate::diag::{Diagnostic, Location};

use super::labels::parse_label;
use super::paragraphs::Paragraph;

/// The default pause that starts a new paragraph, in milliseconds.
pub const DEFAULT_PAUSE_MS: u64 = 2000;

/// One cue or segment, as the file gives it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cue {
    pub start_ms: u64,
    pub end_ms: u64,
    /// The speaker the file names (a `<v>` voice, a `speaker` field).
    pub speaker: Option<String>,
    /// The cue's text on one line, tags removed.
    pub text: String,
    /// The 1-based line (or segment number) it starts on, for messages.
    pub line: usize,
}

/// Check the cues' times: each ends after it starts, and starts no
/// earlier than the one before (overlap is allowed: people talk over each
/// other). `what` names a cue in messages (`cue`, `segment`).
pub fn check_order(path: &Path, cues: &[Cue], what: &str) -> Result<(), Diagnostic> {
    let at = |cue: &Cue| Location::at(path, cue.line, 1);
    for (i, cue) in cues.iter().enumerate() {
        if cue.end_ms < cue.start_ms {
            return Err(Diagnostic::error(format!(
                "{what} {} ends ({}) before it starts ({})",
                i + 1,
                clock(cue.end_ms),
                clock(cue.start_ms)
            ))
            .at(at(cue)));
        }
        if let Some(previous) = i.checked_sub(1).map(|p| &cues[p])
            && cue.start_ms < previous.start_ms
        {
            return Err(Diagnostic::error(format!(
                "{what} {} starts at {}, before {what} {} ({}): the times are out of order",
                i + 1,
                clock(cue.start_ms),
                i,
                clock(previous.start_ms)
            ))
            .at(at(cue))
            .hint("the file may be damaged or two files joined; fix the times, or sort the cues"));
        }
    }
    Ok(())
}

/// A cue time: `01:02:03,004` (SRT), `01:02:03.004` or `02:03.004`
/// (WebVTT, hours optional); hours may have any number of digits.
pub fn parse_time(text: &str) -> Option<u64> {
    let (clock, fraction) = text.split_once([',', '.'])?;
    if fraction.is_empty() || fraction.len() > 3 || !fraction.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let ms: u64 = fraction.parse::<u64>().ok()? * 10u64.pow(3 - fraction.len() as u32);
    let parts: Vec<&str> = clock.split(':').collect();
    let number = |p: &str, max: u64| -> Option<u64> {
        let ok = !p.is_empty() && p.len() <= 9 && p.bytes().all(|b| b.is_ascii_digit());
        ok.then(|| p.parse::<u64>().ok()).flatten().filter(|&n| n < max)
    };
    let (h, m, s) = match parts.as_slice() {
        [h, m, s] => (number(h, 1_000_000)?, number(m, 60)?, number(s, 60)?),
        [m, s] => (0, number(m, 60)?, number(s, 60)?),
        _ => return None,
    };
    Some(((h * 60 + m) * 60 + s) * 1000 + ms)
}

/// `start --> end [settings]` → the two times.
pub fn parse_timing(line: &str) -> Option<(u64, u64)> {
    let (start, rest) = line.split_once("-->")?;
    let end = rest.split_whitespace().next()?;
    Some((parse_time(start.trim())?, parse_time(end)?))
}

/// The characters `&amp;`-style references in cue text and HTML stand for;
/// unknown ones are kept as written.
pub fn decode_entities(text: &str) -> String {
    if !text.contains('&') {
        return text.to_string();
    }
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find('&') {
        out.push_str(&rest[..at]);
        rest = &rest[at..];
        let end = rest[1..].find(';').map(|e| e + 1).filter(|&e| e <= 10);
        let replaced = end.and_then(|end| {
            let name = &rest[1..end];
            let c = match name {
                "amp" => '&',
                "lt" => '<',
                "gt" => '>',
                "quot" => '"',
                "apos" => '\'',
                "nbsp" => ' ',
                "lrm" => '\u{200E}',
                "rlm" => '\u{200F}',
                _ => {
                    let code = match name.strip_prefix("#x").or_else(|| name.strip_prefix("#X")) {
                        Some(hex) => u32::from_str_radix(hex, 16).ok(),
                        None => name.strip_prefix('#').and_then(|d| d.parse().ok()),
                    };
                    code.and_then(char::from_u32).filter(|c| !c.is_control() || c.is_whitespace())?
                }
            };
            Some((c, end))
        });
        match replaced {
            Some((c, end)) => {
                out.push(c);
                rest = &rest[end + 1..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

/// `01:02:03.004`, for messages.
pub fn clock(ms: u64) -> String {
    format!("{:02}:{:02}:{:02}.{:03}", ms / 3_600_000, ms / 60_000 % 60, ms / 1000 % 60, ms % 1000)
}

/// Merge cues into paragraphs. A speaker named by the file goes into
/// [`Paragraph::speaker`]; one written in the text (`Ana: …`) stays in the
/// text of the paragraph that opens the turn, for the label reader.
pub fn merge(cues: &[Cue], pause_ms: u64) -> Vec<Paragraph> {
    let mut out: Vec<Paragraph> = Vec::new();
    // The speaker of the open paragraph (case-folded), and its last end.
    let mut speaker: Option<String> = None;
    let mut last_end: Option<u64> = None;
    let file_speakers = cues.iter().any(|c| c.speaker.is_some());
    for cue in cues {
        let text = cue.text.trim();
        if text.is_empty() {
            continue;
        }
        let (who, from_file, speech) = match &cue.speaker {
            Some(name) => (Some(name.clone()), true, text),
            None => match parse_label(text) {
                Some(label) => (Some(label.text.clone()), false, &text[label.rest..]),
                None => (None, false, text),
            },
        };
        let key = who.as_deref().map(str::to_lowercase);
        let changed = key.is_some() && key != speaker;
        let paused = last_end.is_some_and(|end| cue.start_ms.saturating_sub(end) > pause_ms);
        last_end = Some(last_end.map_or(cue.end_ms, |end| end.max(cue.end_ms)));
        let timed = (cue.start_ms, cue.end_ms, speech.split_whitespace().collect::<Vec<_>>().join(" "));
        if let Some(paragraph) = out.last_mut().filter(|_| !changed && !paused) {
            paragraph.text.push(' ');
            paragraph.text.push_str(speech);
            paragraph.cues.push(timed);
            continue;
        }
        // A paragraph without a speaker in a file that names speakers is
        // nobody's (a title, a question read out): the next speaker opens a turn.
        if key.is_some() || file_speakers {
            speaker = key;
        }
        let mut paragraph = Paragraph::new(String::new(), cue.line);
        paragraph.time_ms = Some(cue.start_ms);
        paragraph.cues.push(timed);
        match who {
            Some(name) if from_file && changed => {
                paragraph.speaker = Some(name);
                paragraph.text = speech.to_string();
            }
            // Written in the text: the label stays, as written, whenever a
            // paragraph opens with one.
            Some(_) if !from_file => paragraph.text = text.to_string(),
            _ => paragraph.text = speech.to_string(),
        }
        out.push(paragraph);
    }
    for paragraph in &mut out {
        paragraph.text = paragraph.text.split_whitespace().collect::<Vec<_>>().join(" ");
    }
    out.retain(|p| !p.text.is_empty() || p.speaker.is_some());
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cue(start: u64, end: u64, speaker: Option<&str>, text: &str) -> Cue {
        Cue { start_ms: start, end_ms: end, speaker: speaker.map(str::to_string), text: text.into(), line: 1 }
    }

    fn texts(paragraphs: &[Paragraph]) -> Vec<(Option<&str>, &str)> {
        paragraphs.iter().map(|p| (p.speaker.as_deref(), p.text.as_str())).collect()
    }

    #[test]
    fn one_speaker_merges_until_a_pause() {
        let cues = [
            cue(0, 1000, None, "Ana: It started"),
            cue(1200, 2000, None, "in March."),
            cue(5000, 6000, None, "Then it grew."),
            cue(6100, 7000, None, "Ana: And grew."),
            cue(7100, 8000, None, "Ben: Why?"),
        ];
        let merged = merge(&cues, DEFAULT_PAUSE_MS);
        assert_eq!(
            texts(&merged),
            [(None, "Ana: It started in March."), (None, "Then it grew. And grew."), (None, "Ben: Why?")]
        );
        // After a pause, a label written again opens a turn again.
        let again = [cue(0, 1000, None, "Ana: Yes."), cue(4000, 5000, None, "Ana: Next?")];
        assert_eq!(texts(&merge(&again, DEFAULT_PAUSE_MS)), [(None, "Ana: Yes."), (None, "Ana: Next?")]);
        assert_eq!(merged[1].time_ms, Some(5000));
        // A longer threshold keeps the first two together.
        assert_eq!(merge(&cues, 5000).len(), 2);
    }

    #[test]
    fn speakers_named_by_the_file_open_turns() {
        let cues = [
            cue(0, 1000, Some("SPEAKER_00"), "Hello."),
            cue(1000, 2000, Some("SPEAKER_00"), "Hi again."),
            cue(2000, 3000, Some("SPEAKER_01"), "Yes?"),
            cue(9000, 9500, Some("SPEAKER_01"), "Well."),
            cue(12000, 13000, None, "A question?"),
            cue(16000, 17000, Some("SPEAKER_01"), "An answer."),
        ];
        assert_eq!(
            texts(&merge(&cues, DEFAULT_PAUSE_MS)),
            [
                (Some("SPEAKER_00"), "Hello. Hi again."),
                (Some("SPEAKER_01"), "Yes?"),
                (None, "Well."),
                (None, "A question?"),
                (Some("SPEAKER_01"), "An answer.")
            ]
        );
    }

    #[test]
    fn cue_times() {
        assert_eq!(parse_time("01:02:03,004"), Some(3_723_004));
        assert_eq!(parse_time("02:03.5"), Some(123_500));
        assert_eq!(parse_time("100:00:00.000"), Some(360_000_000));
        for bad in ["1:2", "00:61:00.000", "00:00:00", "aa:00:00.000", "00:00:00.0000", ":00.000"] {
            assert_eq!(parse_time(bad), None, "{bad}");
        }
        assert_eq!(parse_timing("00:00:01.000 --> 00:00:02.500 align:start"), Some((1000, 2500)));
        assert_eq!(
            decode_entities("a &amp; b &lt;c&gt; &#233;&#x41; &bogus; & x"),
            "a & b <c> éA &bogus; & x"
        );
    }

    #[test]
    fn times_out_of_order_are_refused() {
        let path = Path::new("x.srt");
        assert!(check_order(path, &[cue(0, 1000, None, "a"), cue(500, 900, None, "b")], "cue").is_ok());
        let err =
            check_order(path, &[cue(5000, 6000, None, "a"), cue(1000, 2000, None, "b")], "cue").unwrap_err();
        assert!(err.message.contains("cue 2 starts at 00:00:01.000, before cue 1"), "{}", err.message);
        let err = check_order(path, &[cue(5000, 4000, None, "a")], "cue").unwrap_err();
        assert!(err.message.contains("ends (00:00:04.000) before it starts"), "{}", err.message);
    }
}
