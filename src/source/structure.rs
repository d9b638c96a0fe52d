//! Top-level blocks → introduction, sections and speaker turns.
//!
//! A level-1 or level-2 heading opens a section; a paragraph that starts
//! with a participant's label or name and a colon (`Edward:` or
//! `**Edward:**`) opens a turn; other blocks continue the current turn, or
//! the introduction before the first section or turn.

use std::path::Path;

use crate::diag::{Diagnostic, LineIndex, did_you_mean};
use crate::model::{Block, BlockKind, Heading, Inline, Participant, ParticipantId, Section, Timecode, Turn};

use super::markdown::{Located, TopBlock, normalise_inlines};
use super::roster::Roster;

pub struct Structured {
    pub introduction: Vec<Block>,
    pub sections: Vec<Section>,
    pub warnings: Vec<Diagnostic>,
}

/// `ids` are the participants' `id:` keys, which body labels may use too;
/// `recording` says the front matter names one (see [`super::cues`]).
pub fn structure(
    path: &Path,
    lines: &LineIndex,
    participants: &[Participant],
    ids: &[(String, ParticipantId)],
    blocks: Vec<Located>,
    recording: bool,
) -> Structured {
    let text = lines.text();
    let roster = Roster::new(participants, ids);
    let asker = participants.iter().find(|p| p.role.asks()).map(|p| p.id);
    let mut out = Structured { introduction: Vec::new(), sections: Vec::new(), warnings: Vec::new() };
    for Located { block, offset } in blocks {
        match block {
            TopBlock::Section { id, content } => out.sections.push(Section {
                heading: Some(Heading { id, content }),
                asked_by: asker,
                turns: Vec::new(),
            }),
            TopBlock::Block(mut block) => {
                let mut time = None;
                let speaker = match &mut block.kind {
                    // `Price\: $5`: the writer says this is not a label.
                    BlockKind::Paragraph(_) if escaped_colon(&text[offset.min(text.len())..]) => None,
                    BlockKind::Paragraph(content) => {
                        take_label(content, &roster, &mut time).unwrap_or_else(|unknown| {
                            if let Some(warning) =
                                unknown.and_then(|(label, bold)| label_warning(&label, bold, participants))
                            {
                                out.warnings.push(warning.at(lines.location(path, offset)));
                            }
                            None
                        })
                    }
                    _ => None,
                };
                if speaker.is_none() && out.sections.is_empty() {
                    out.introduction.push(block);
                    continue;
                }
                if out.sections.is_empty() {
                    out.sections.push(Section { heading: None, asked_by: asker, turns: Vec::new() });
                }
                let section = out.sections.last_mut().expect("a section was just ensured");
                let cues = match &mut block.kind {
                    BlockKind::Paragraph(content) => {
                        super::cues::take(path, lines, offset, block.id, content, recording)
                    }
                    _ => Vec::new(),
                };
                match (speaker, section.turns.last_mut()) {
                    (None, Some(turn)) => {
                        turn.blocks.push(block);
                        turn.cues.extend(cues);
                    }
                    (speaker, _) => {
                        // A turn that opens with a cue starts at its time.
                        let time = time.or_else(|| {
                            let first = cues.first().filter(|c| c.start == 0)?;
                            Some(Timecode { seconds: u32::try_from(first.begin_ms / 1000).ok()? })
                        });
                        section.turns.push(Turn { speaker, time, blocks: vec![block], cues })
                    }
                }
            }
        }
    }
    out
}

/// Whether the first colon on the paragraph's first line (which starts
/// `raw`, the source from the paragraph on) is escaped: `Price\: $5`.
fn escaped_colon(raw: &str) -> bool {
    let line = raw.lines().next().unwrap_or_default();
    line.find(':').is_some_and(|colon| line[..colon].ends_with('\\'))
}

/// If the paragraph opens with a participant's label, remove the label and
/// return the speaker; a timecode right after the label (`[00:12:03]`) is
/// removed into `time`. `Err(Some((label, bold)))` is a label-like prefix
/// that names nobody; `Err(None)` is an ordinary paragraph.
fn take_label(
    content: &mut Vec<Inline>,
    roster: &Roster,
    time: &mut Option<Timecode>,
) -> Result<Option<ParticipantId>, Option<(String, bool)>> {
    // A paragraph marked as another language: the label is inside the span.
    if let [Inline::Span { content: inner, .. }] = content.as_mut_slice() {
        return take_label(inner, roster, time);
    }
    let Some((label, consumed, bold)) = leading_label(content) else {
        return Err(None);
    };
    let Some(participant) = roster.find(&label) else {
        return Err((bold || looks_like_name(&label)).then_some((label, bold)));
    };
    consumed.apply(content);
    *time = take_timecode(content);
    Ok(Some(participant))
}

/// `[00:12:03]` (or `[12:03]`) at the start of a turn's text, removed.
fn take_timecode(content: &mut Vec<Inline>) -> Option<Timecode> {
    let Some(Inline::Text(text)) = content.first_mut() else { return None };
    let inner = text.strip_prefix('[')?;
    let close = inner.find(']')?;
    let time = Timecode::parse(&inner[..close])?;
    let rest = inner[close + 1..].trim_start().to_string();
    if rest.is_empty() {
        content.remove(0);
    } else {
        *text = rest;
    }
    Some(time)
}

/// How to remove a label from the front of a paragraph.
enum Consumed {
    /// `Label: text`: this many bytes from the first text run.
    TextPrefix(usize),
    /// `**Label:** text` or `**Label**: text`: the strong run, and this many
    /// bytes from the text run after it.
    Strong { then: usize },
}

impl Consumed {
    fn apply(self, content: &mut Vec<Inline>) {
        let cut = match self {
            Consumed::TextPrefix(n) => n,
            Consumed::Strong { then } => {
                content.remove(0);
                then
            }
        };
        if let Some(Inline::Text(text)) = content.first_mut() {
            let rest = text[cut.min(text.len())..].trim_start().to_string();
            if rest.is_empty() {
                content.remove(0);
            } else {
                *text = rest;
            }
        }
        *content = normalise_inlines(std::mem::take(content));
    }
}

/// The longest a speaker label may be.
const MAX_LABEL_CHARS: usize = 60;

/// A label-like prefix: the label text, how to remove it, and whether it was bold.
fn leading_label(content: &[Inline]) -> Option<(String, Consumed, bool)> {
    match content.first()? {
        Inline::Strong(inner) => {
            let strong = crate::model::plain_text(inner);
            let strong = strong.trim();
            if let Some(label) = strong.strip_suffix(':').or_else(|| strong.strip_suffix('：')) {
                return plausible(label)
                    .then(|| (label.trim().to_string(), Consumed::Strong { then: 0 }, true));
            }
            let after = match content.get(1) {
                Some(Inline::Text(t)) => t,
                _ => return None,
            };
            let colon = after.chars().next().filter(|c| matches!(c, ':' | '：'))?;
            plausible(strong).then(|| (strong.to_string(), Consumed::Strong { then: colon.len_utf8() }, true))
        }
        Inline::Text(text) => {
            // `Name: ` or, in CJK text, the full-width `Name：` (no space after it).
            let colon = text.find([':', '：'])?;
            let width = text[colon..].chars().next()?.len_utf8();
            let label = &text[..colon];
            let after = &text[colon + width..];
            let separated = width > 1 || after.starts_with([' ', '\t']) || after.is_empty();
            (separated && plausible(label))
                .then(|| (label.trim().to_string(), Consumed::TextPrefix(colon + width), false))
        }
        _ => None,
    }
}

fn plausible(label: &str) -> bool {
    let label = label.trim();
    !label.is_empty()
        && label.chars().count() <= MAX_LABEL_CHARS
        && !label.contains(['\n', '.', ',', ';', '?', '!'])
}

/// One to four capitalised words: what a speaker label looks like in plain text.
fn looks_like_name(label: &str) -> bool {
    let words: Vec<&str> = label.split_whitespace().collect();
    (1..=4).contains(&words.len()) && words.iter().all(|w| w.chars().next().is_some_and(char::is_uppercase))
}

/// A warning for a label that names nobody, when it is probably meant as
/// one: close to a known label (a typo), set in bold like a label, or a
/// plain `Word:` or `Two Words:` opening the paragraph (longer runs of
/// capitalised words before a colon are more often a title or a term).
/// Beyond this many participants an unknown label gets no suggestion and
/// no list of labels: each would cost a pass over them all, per paragraph.
const MAX_SUGGESTED: usize = 200;

fn label_warning(label: &str, bold: bool, participants: &[Participant]) -> Option<Diagnostic> {
    let few = participants.len() <= MAX_SUGGESTED;
    let known = participants.iter().filter(|_| few).flat_map(|p| [p.label.as_str(), p.name.as_str()]);
    let close = did_you_mean(label, known);
    let message = format!("`{label}:` looks like a speaker label, but no participant is labelled `{label}`");
    if let Some(close) = close {
        return Some(Diagnostic::warning(message).hint(format!("did you mean `{close}`?")));
    }
    // Without participants the text has no labels to get wrong.
    if !bold && (label.split_whitespace().count() > 2 || participants.is_empty()) {
        return None;
    }
    let labels: Vec<String> =
        participants.iter().map(|p| format!("`{}`", p.label)).take(MAX_SUGGESTED + 1).collect();
    let diag = Diagnostic::warning(message);
    let diag = match labels.len() {
        0 => diag,
        n if n > MAX_SUGGESTED => {
            diag.hint(format!("the front matter lists {} participants", participants.len()))
        }
        _ => diag.hint(format!("the participants' labels are {}", labels.join(", "))),
    };
    Some(diag.hint(format!(
        "if `{label}` speaks here, add them to `participants` in the front matter (until then the \
         paragraph is read as part of what comes before it); if not, write `{label}\\:` to say so"
    )))
}
