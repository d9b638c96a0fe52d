//! Checks of the cue times against each other and against the recording:
//! a cue that ends before it starts or passes the recording's end is an
//! error (a read-along e-book would play the wrong words, or nothing); one
//! that starts before the previous ends is a warning (the overlap plays
//! twice, which is right when people talk over each other).

use std::path::Path;

use crate::diag::{Diagnostic, Location};
use crate::model::{Document, clock_ms};

/// How far a cue may pass the recording's end: encoders round a file's
/// length to whole frames (26 ms for MP3, 23 ms for AAC at 44.1 kHz) and
/// subtitle files round times to the millisecond.
pub const END_SLACK_MS: u64 = 100;

#[derive(Default)]
pub struct Timed {
    pub errors: Vec<Diagnostic>,
    pub warnings: Vec<Diagnostic>,
}

pub fn check(path: &Path, doc: &Document) -> Timed {
    let mut out = Timed::default();
    let audio = doc.meta.audio.as_ref();
    let mut previous: Option<(u64, usize)> = None;
    let mut count = 0;
    for cue in doc.turns().flat_map(|t| t.cues.iter()) {
        count += 1;
        let at = Location::at(path, cue.line, cue.column);
        if cue.end_ms < cue.begin_ms {
            out.errors.push(
                Diagnostic::error(format!(
                    "this cue runs backwards: it ends at {} before it starts at {}",
                    clock_ms(cue.end_ms),
                    clock_ms(cue.begin_ms)
                ))
                .at(at.clone())
                .hint("a cue mark is `[START-END]`, the earlier time first"),
            );
        }
        if let Some(audio) = audio
            && cue.end_ms.max(cue.begin_ms) > audio.duration_ms + END_SLACK_MS
        {
            out.errors.push(
                Diagnostic::error(format!(
                    "this cue ends at {}, past the end of the recording `{}` ({})",
                    clock_ms(cue.end_ms.max(cue.begin_ms)),
                    audio.source_path,
                    clock_ms(audio.duration_ms)
                ))
                .at(at.clone())
                .hint(
                    "correct the time, or check that `audio:` names the recording the times were taken from",
                ),
            );
        }
        if let Some((end, line)) = previous
            && cue.begin_ms < end
        {
            out.warnings.push(
                Diagnostic::warning(format!(
                    "this cue starts at {}, before the one on line {line} ends ({}): the overlap plays twice",
                    clock_ms(cue.begin_ms),
                    clock_ms(end)
                ))
                .at(at)
                .hint("if the times are not meant to overlap, correct one of them"),
            );
        }
        previous = Some((cue.end_ms.max(cue.begin_ms), cue.line));
    }
    if let (Some(audio), 0) = (audio, count) {
        out.warnings.push(
            Diagnostic::warning(format!(
                "`audio: {}` is given, but no text carries its times: the e-book cannot play in step",
                audio.source_path
            ))
            .at(Location::at(path, audio.line, audio.column))
            .hint("import the subtitles with `mimeo import FILE.vtt --timestamps`, or write `[00:00:01.000-00:00:04.500]` before the words"),
        );
    }
    out
}
