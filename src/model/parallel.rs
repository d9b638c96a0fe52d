//! A translation beside its original, aligned section by section and turn
//! by turn (issue 31): what the bilingual editions read.

use super::{Document, Section};

/// Two documents with the same structure: as many sections, each with as
/// many turns by the same participants (matched by position or `same-as`),
/// and as many participants. Built only after the alignment was checked.
#[derive(Debug, Clone, PartialEq)]
pub struct Parallel {
    pub original: Document,
    pub translation: Document,
}

impl Parallel {
    /// Each section of the original with its translation.
    pub fn sections(&self) -> impl Iterator<Item = (&Section, &Section)> {
        self.original.sections.iter().zip(&self.translation.sections)
    }
}
