//! Is the translation built like its original? The same sections, each
//! with the same turns by the same participants in the same order. Every
//! difference is an error placed in the translation that names the
//! original's place too; a turn with no counterpart is found by a longest
//! common subsequence of the speakers, so one missing turn is one error.

use crate::diag::{Diagnostic, Location, count};
use crate::model::{ParticipantId, Section, Turn};

use super::{Pair, fingerprint, text};

/// What `check` says of a translation.
#[derive(Debug, Default)]
pub struct Report {
    /// Misalignments: each makes `check` fail.
    pub errors: Vec<Diagnostic>,
    /// Turns (and titles, questions, bios) changed in the original since
    /// they were translated.
    pub warnings: Vec<Diagnostic>,
    /// Turns whose text differs from the original's.
    pub translated: usize,
    /// Turns in all.
    pub turns: usize,
}

impl Report {
    /// `41 of 58 turns translated`.
    pub fn progress(&self) -> String {
        format!("{} of {} translated", self.translated, count(self.turns, "turn", "turns"))
    }
}

/// Check the pair's structure, count the translated turns and, when the
/// structure agrees, find the stale ones.
pub fn check(pair: &Pair) -> Report {
    let mut report = Report::default();
    let original = &pair.original;
    let translation = &pair.translation;
    let (theirs, ours) = (&original.document, &translation.document);
    report.turns = theirs.turns().count();

    if theirs.introduction.is_empty() != ours.introduction.is_empty() {
        let (has, at) = if ours.introduction.is_empty() {
            ("the original has an introduction", original.map.location(theirs.introduction[0].id))
        } else {
            ("the original has no introduction", Location::file(original.path()))
        };
        let here = ours
            .introduction
            .first()
            .map_or_else(|| Location::file(translation.path()), |block| translation.map.location(block.id));
        report.errors.push(
            Diagnostic::error(format!(
                "{has} (at {at}), this has {}",
                if ours.introduction.is_empty() { "none" } else { "one" }
            ))
            .at(here)
            .hint("the introduction is the text before the first question or turn"),
        );
    }

    if theirs.sections.len() != ours.sections.len() {
        report.errors.push(sections_differ(pair));
    } else {
        for (n, (a, b)) in theirs.sections.iter().zip(&ours.sections).enumerate() {
            section(pair, n + 1, a, b, &mut report.errors);
        }
    }
    if theirs.notes.len() != ours.notes.len() {
        report.errors.push(
            Diagnostic::error(format!(
                "the original has {} ({}), this has {}",
                count(theirs.notes.len(), "footnote", "footnotes"),
                original.path().display(),
                ours.notes.len()
            ))
            .at(Location::file(translation.path()))
            .hint("translate every footnote of the original, and no other"),
        );
    }
    for (a, b) in theirs.turns().zip(ours.turns()) {
        if !text::same_text(&a.blocks, &b.blocks) {
            report.translated += 1;
        }
    }
    if report.errors.is_empty() {
        report.warnings = fingerprint::stale(pair);
    }
    report
}

/// Different numbers of sections: one error naming the first section
/// of either that has no counterpart.
fn sections_differ(pair: &Pair) -> Diagnostic {
    let (theirs, ours) = (&pair.original.document, &pair.translation.document);
    let (a, b) = (theirs.sections.len(), ours.sections.len());
    let located = |side: &super::Side, s: &Section| section_location(side, s);
    let mut e = if a > b {
        let missing = &theirs.sections[b];
        let here = ours
            .sections
            .last()
            .map_or_else(|| Location::file(pair.translation.path()), |s| located(&pair.translation, s));
        Diagnostic::error(format!(
            "the original has {}, this has {b}; section {} at {} has no counterpart",
            count(a, "section", "sections"),
            b + 1,
            located(&pair.original, missing)
        ))
        .at(here)
    } else {
        let extra = &ours.sections[a];
        Diagnostic::error(format!(
            "the original has {} ({}), this has {b}; section {} has no counterpart in the original",
            count(a, "section", "sections"),
            pair.original.path().display(),
            a + 1
        ))
        .at(located(&pair.translation, extra))
    };
    e = e.hint("give the translation one `##` question for each of the original's, in the same order; turns are compared once the sections agree");
    e
}

/// Where a section starts: its question, else its first turn.
fn section_location(side: &super::Side, section: &Section) -> Location {
    let first = section
        .heading
        .as_ref()
        .map(|h| h.id)
        .or_else(|| section.turns.first().and_then(|t| t.blocks.first()).map(|b| b.id));
    first.map_or_else(|| Location::file(side.path()), |id| side.map.location(id))
}

fn turn_location(side: &super::Side, turn: &Turn) -> Location {
    turn.blocks.first().map_or_else(|| Location::file(side.path()), |b| side.map.location(b.id))
}

/// Compare section `n` of both: a question in both or neither, and the
/// same speakers in the same order.
fn section(pair: &Pair, n: usize, a: &Section, b: &Section, errors: &mut Vec<Diagnostic>) {
    let (original, translation) = (&pair.original, &pair.translation);
    match (&a.heading, &b.heading) {
        (Some(h), None) => errors.push(
            Diagnostic::error(format!(
                "section {n}: the original opens with a question (at {}), this has none",
                original.map.location(h.id)
            ))
            .at(section_location(translation, b))
            .hint("add the question's translation as a `##` heading"),
        ),
        (None, Some(h)) => errors.push(
            Diagnostic::error(format!(
                "section {n}: this opens with a question the original has not (at {})",
                section_location(original, a)
            ))
            .at(translation.map.location(h.id)),
        ),
        _ => {}
    }
    let theirs: Vec<Option<ParticipantId>> = a.turns.iter().map(|t| t.speaker).collect();
    let ours: Vec<Option<ParticipantId>> = b.turns.iter().map(|t| pair.original_speaker(t.speaker)).collect();
    if theirs == ours {
        return;
    }
    let counts = if theirs.len() == ours.len() {
        format!("section {n}: the speakers differ from the original's")
    } else {
        format!(
            "section {n}: the original has {}, this has {}",
            count(theirs.len(), "turn", "turns"),
            ours.len()
        )
    };
    let (only_theirs, only_ours) = unmatched(&theirs, &ours);
    for (i, j) in only_theirs {
        let turn = &a.turns[i];
        // Placed where the turn would go: at the turn of ours it would
        // precede, or the section's last.
        let next = b.turns.get(j).or(b.turns.last());
        let here = next.map_or_else(|| section_location(translation, b), |t| turn_location(translation, t));
        errors.push(
            Diagnostic::error(format!(
                "{counts}; turn {} ({}) at {} has no counterpart",
                i + 1,
                original.speaker_name(turn.speaker),
                turn_location(original, turn)
            ))
            .at(here)
            .hint("translate the turn here, under the same speaker's label"),
        );
    }
    for j in only_ours {
        let turn = &b.turns[j];
        errors.push(
            Diagnostic::error(format!(
                "{counts}; turn {} ({}) here has no counterpart in the original (section {n} is at {})",
                j + 1,
                translation.speaker_name(turn.speaker),
                section_location(original, a)
            ))
            .at(turn_location(translation, turn))
            .hint("check the label: it must be the participant who speaks there in the original (in the same place of the list, or named by `same-as:`)"),
        );
    }
}

/// The turns of each side left out of a longest common subsequence of
/// speakers: the original's (with the index of ours that follows) and ours.
fn unmatched(
    theirs: &[Option<ParticipantId>],
    ours: &[Option<ParticipantId>],
) -> (Vec<(usize, usize)>, Vec<usize>) {
    let (n, m) = (theirs.len(), ours.len());
    // A hostile section of thousands of turns: compare by position instead.
    if n.saturating_mul(m) > 4_000_000 {
        let k = n.min(m);
        let first = (0..k).find(|&i| theirs[i] != ours[i]).unwrap_or(k);
        return ((first..n).map(|i| (i, first.min(m))).collect(), (first..m).collect());
    }
    let mut table = vec![0u32; (n + 1) * (m + 1)];
    let at = |i: usize, j: usize| i * (m + 1) + j;
    for i in (0..n).rev() {
        for j in (0..m).rev() {
            table[at(i, j)] = if theirs[i] == ours[j] {
                table[at(i + 1, j + 1)] + 1
            } else {
                table[at(i + 1, j)].max(table[at(i, j + 1)])
            };
        }
    }
    let (mut i, mut j) = (0, 0);
    let (mut only_theirs, mut only_ours) = (Vec::new(), Vec::new());
    while i < n || j < m {
        if i < n && j < m && theirs[i] == ours[j] {
            i += 1;
            j += 1;
        } else if j == m || (i < n && table[at(i + 1, j)] >= table[at(i, j + 1)]) {
            only_theirs.push((i, j));
            i += 1;
        } else {
            only_ours.push(j);
            j += 1;
        }
    }
    (only_theirs, only_ours)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ids(list: &[usize]) -> Vec<Option<ParticipantId>> {
        list.iter().map(|&i| Some(ParticipantId(i))).collect()
    }

    #[test]
    fn one_missing_turn_is_one_difference() {
        let (theirs, ours) = unmatched(&ids(&[0, 1, 2, 0, 1]), &ids(&[0, 1, 0, 1]));
        assert_eq!(theirs, vec![(2, 2)]);
        assert!(ours.is_empty());
        let (theirs, ours) = unmatched(&ids(&[0, 1]), &ids(&[0, 2, 1]));
        assert!(theirs.is_empty());
        assert_eq!(ours, vec![1]);
    }
}
