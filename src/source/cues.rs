//! Cue marks: `[00:01:42.120-00:01:45.300]` in a paragraph's text says the
//! words after it (up to the next mark, or the paragraph's end) are spoken
//! between those two times of the recording. `mimeo import --timestamps`
//! writes one before every cue of a subtitle file; a transcript typed by
//! hand may carry them too. The marks leave the text here and become the
//! turn's [`Cue`]s, which a read-along e-book plays in step with the text.

use std::path::Path;

use crate::diag::LineIndex;
use crate::model::{BlockId, Cue, Inline, parse_range};

/// Take the cue marks out of the top-level text of the paragraph `content`
/// (block `block`, whose source starts at byte `offset`). Marks inside
/// emphasis, links or a language span stay text. Without a `recording`
/// (`audio:`), only marks whose times both have a fraction of a second
/// (as `import --timestamps` writes them) are cues: `[9:00-10:30]` in a
/// transcript without one is more likely a schedule than a cue.
pub fn take(
    path: &Path,
    lines: &LineIndex,
    offset: usize,
    block: BlockId,
    content: &mut Vec<Inline>,
    recording: bool,
) -> Vec<Cue> {
    let source = lines.text();
    let mut search = offset.min(source.len());
    let mut cues: Vec<Cue> = Vec::new();
    // Characters of plain text before the current inline.
    let mut before = 0usize;
    for inline in content.iter_mut() {
        let Inline::Text(text) = inline else {
            before += crate::model::plain_text(std::slice::from_ref(inline)).chars().count();
            continue;
        };
        if !text.contains('[') {
            before += text.chars().count();
            continue;
        }
        let mut kept = String::with_capacity(text.len());
        let mut rest = text.as_str();
        while let Some(open) = rest.find('[') {
            let Some((times, close)) =
                rest[open + 1..].find(']').map(|c| (&rest[open + 1..open + 1 + c], open + 1 + c))
            else {
                break;
            };
            let precise = times.split(['-', '–']).all(|t| t.contains(['.', ',']));
            let Some((begin_ms, end_ms)) = parse_range(times).filter(|_| recording || precise) else {
                kept.push_str(&rest[..=open]);
                rest = &rest[open + 1..];
                continue;
            };
            kept.push_str(&rest[..open]);
            rest = rest[close + 1..].trim_start();
            // The mark as written (`\[…\]` when escaped): found in the
            // source from the paragraph on, for messages.
            let at = source[search..].find(times).map_or(offset, |i| search + i);
            search = (at + times.len()).min(source.len());
            let location = lines.location(path, at);
            cues.push(Cue {
                block,
                start: before + kept.chars().count(),
                end: 0,
                begin_ms,
                end_ms,
                line: location.line.unwrap_or(1),
                column: location.column.unwrap_or(1),
            });
        }
        kept.push_str(rest);
        before += kept.chars().count();
        *text = kept;
    }
    content.retain(|inline| !matches!(inline, Inline::Text(t) if t.is_empty()));
    // A cue runs to the next one, or to the paragraph's end.
    let ends: Vec<usize> = cues.iter().skip(1).map(|c| c.start).chain([before]).collect();
    for (cue, end) in cues.iter_mut().zip(ends) {
        cue.end = end;
    }
    cues
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::plain_text;

    fn taken(source: &str, mut content: Vec<Inline>) -> (String, Vec<Cue>) {
        let lines = LineIndex::new(source);
        let cues = take(Path::new("t.md"), &lines, 0, BlockId(3), &mut content, true);
        (plain_text(&content), cues)
    }

    #[test]
    fn marks_leave_the_text_and_time_what_follows() {
        let source = "\\[00:00:01.000-00:00:02.500\\] We met. \\[0:02.5-0:04\\] *Then* we left.";
        let content = vec![
            Inline::Text("[00:00:01.000-00:00:02.500] We met. [0:02.5-0:04] ".into()),
            Inline::Emphasis(vec![Inline::Text("Then".into())]),
            Inline::Text(" we left.".into()),
        ];
        let (text, cues) = taken(source, content);
        assert_eq!(text, "We met. Then we left.");
        assert_eq!(cues.len(), 2);
        assert_eq!((cues[0].start, cues[0].end, cues[0].begin_ms, cues[0].end_ms), (0, 8, 1000, 2500));
        assert_eq!((cues[1].start, cues[1].end, cues[1].begin_ms, cues[1].end_ms), (8, 21, 2500, 4000));
        assert_eq!(&text.chars().skip(8).collect::<String>(), "Then we left.");
        assert_eq!((cues[1].line, cues[1].column), (1, 41), "the second mark's times");
        assert_eq!(cues[0].block, BlockId(3));
    }

    #[test]
    fn without_a_recording_only_precise_marks_are_cues() {
        let lines = LineIndex::new("x");
        let mut content = vec![Inline::Text("Open [9:00-10:30], [0:01.0-0:02.5] daily.".into())];
        let cues = take(Path::new("t.md"), &lines, 0, BlockId(0), &mut content, false);
        assert_eq!(plain_text(&content), "Open [9:00-10:30], daily.");
        assert_eq!(cues.len(), 1);
    }

    #[test]
    fn brackets_that_are_not_times_stay() {
        let (text, cues) = taken("x", vec![Inline::Text("See [1] and [00:01] and [a-b].".into())]);
        assert_eq!(text, "See [1] and [00:01] and [a-b].");
        assert!(cues.is_empty());
    }
}
