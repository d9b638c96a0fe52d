//! Translations (issue 31): a translation is a source of its own whose
//! front matter names its original (`translation-of:`). This module reads
//! the pair into the model and owns everything about it:
//!
//! - [`align`] checks that both have the same structure, and counts the
//!   turns still holding the original's text;
//! - [`fingerprint`] notices turns of the original changed since they were
//!   translated, and records the original as translated (`translate mark`);
//! - [`skeleton`] writes a translation to fill in (`translate start`);
//! - [`po`] exports to gettext PO and merges a translated PO back.

pub mod align;
pub mod fingerprint;
pub mod po;
pub mod skeleton;
mod text;
pub mod units;
mod write;

use std::path::{Path, PathBuf};

use crate::diag::{Diagnostic, Location, did_you_mean};
use crate::model::{Document, Parallel, ParticipantId};
use crate::source::{self, SourceMap, Translating};

/// One side of a pair: the document, where its parts are, and its warnings.
#[derive(Debug)]
pub struct Side {
    pub document: Document,
    pub map: SourceMap,
    pub warnings: Vec<Diagnostic>,
}

impl Side {
    /// Read a source with its map.
    pub fn read(path: &Path) -> Result<(Side, Option<Translating>), Vec<Diagnostic>> {
        let (parsed, map) = source::parse_file_mapped(path)?;
        Ok((Side { document: parsed.document, map, warnings: parsed.warnings }, parsed.translating))
    }

    pub fn path(&self) -> &Path {
        &self.map.path
    }

    /// The label of a turn's speaker, or what stands for none.
    pub fn speaker_name(&self, speaker: Option<ParticipantId>) -> String {
        speaker.map_or_else(|| "unattributed text".into(), |id| self.document.participant(id).label.clone())
    }
}

/// A translation and its original, read and matched but not yet checked.
#[derive(Debug)]
pub struct Pair {
    pub original: Side,
    pub translation: Side,
    pub translating: Translating,
    /// For each of the translation's participants, the original's.
    pub speakers: Vec<ParticipantId>,
}

impl Pair {
    /// The original's participant for one of the translation's.
    pub fn original_speaker(&self, speaker: Option<ParticipantId>) -> Option<ParticipantId> {
        speaker.map(|id| self.speakers[id.0])
    }

    /// The checked pair as the model's [`Parallel`], for the bilingual
    /// editions: an error naming every misalignment when they differ.
    pub fn into_parallel(self) -> Result<Parallel, Vec<Diagnostic>> {
        let report = align::check(&self);
        if !report.errors.is_empty() {
            return Err(report.errors);
        }
        Ok(Parallel { original: self.original.document, translation: self.translation.document })
    }
}

/// The original named by a translation's `translation-of:`.
pub fn original_path(translation: &Path, of: &str) -> PathBuf {
    translation.parent().unwrap_or(Path::new("")).join(of)
}

/// Read the translation at `path` and its original, and match their
/// participants (by `same-as:`, else by place in the list).
pub fn load(path: &Path) -> Result<Pair, Vec<Diagnostic>> {
    let (translation, translating) = Side::read(path)?;
    let Some(translating) = translating else {
        return Err(vec![
            Diagnostic::error("this source is not a translation: its front matter has no `translation-of:`")
                .at(Location::file(path))
                .hint("add `translation-of: ORIGINAL.md` (the original's path, relative to this file)"),
        ]);
    };
    let original_path = original_path(path, &translating.of);
    if same_file(&original_path, path) {
        return Err(vec![
            Diagnostic::error("`translation-of:` names this file itself")
                .at(translating.at.clone())
                .hint("name the original source, relative to this file"),
        ]);
    }
    if !original_path.is_file() {
        return Err(vec![
            Diagnostic::error(format!(
                "`translation-of: {}`: there is no file {}",
                translating.of,
                original_path.display()
            ))
            .at(translating.at.clone())
            .hint("the path is relative to the translation's folder"),
        ]);
    }
    let (original, _) = Side::read(&original_path)?;
    let speakers = match_participants(&original, &translation, &translating)?;
    Ok(Pair { original, translation, translating, speakers })
}

fn same_file(a: &Path, b: &Path) -> bool {
    match (std::fs::canonicalize(a), std::fs::canonicalize(b)) {
        (Ok(a), Ok(b)) => a == b,
        _ => false,
    }
}

/// The original's participant for each of the translation's: the one its
/// `same-as:` names, else the one in the same place.
fn match_participants(
    original: &Side,
    translation: &Side,
    translating: &Translating,
) -> Result<Vec<ParticipantId>, Vec<Diagnostic>> {
    let theirs = &original.document.participants;
    let ours = &translation.document.participants;
    let here = translation.map.key_location("participants");
    let there = original.map.key_location("participants");
    if theirs.len() != ours.len() {
        return Err(vec![
            Diagnostic::error(format!(
                "the original has {} participants (at {there}), this has {}",
                theirs.len(),
                ours.len()
            ))
            .at(here)
            .hint("list the same participants, in the same order (names may be transliterated)"),
        ]);
    }
    let mut errors = Vec::new();
    let mut matched: Vec<ParticipantId> = Vec::with_capacity(ours.len());
    for (i, participant) in ours.iter().enumerate() {
        let named = translating.same_as.get(i).cloned().flatten();
        let id = match named {
            Some(name) => match original.document.participant_by_label(name.trim()) {
                Some(p) => p.id,
                None => {
                    let known = theirs.iter().map(|p| p.name.as_str());
                    let mut e = Diagnostic::error(format!(
                        "`same-as: {name}` (participant `{}`) names no participant of the original (at {there})",
                        participant.name
                    ))
                    .at(here.clone());
                    if let Some(close) = did_you_mean(&name, known) {
                        e = e.hint(format!("did you mean `{close}`?"));
                    }
                    errors.push(e);
                    continue;
                }
            },
            None => ParticipantId(i),
        };
        if let Some(j) = matched.iter().position(|&m| m == id) {
            errors.push(
                Diagnostic::error(format!(
                    "participants `{}` and `{}` are both the original's `{}`",
                    ours[j].name,
                    participant.name,
                    original.document.participant(id).name
                ))
                .at(here.clone())
                .hint("give each a `same-as:` naming a different participant of the original"),
            );
        }
        matched.push(id);
    }
    if errors.is_empty() { Ok(matched) } else { Err(errors) }
}
