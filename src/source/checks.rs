//! Likely mistakes in a well-formed source: warnings, not errors.

use std::collections::HashSet;
use std::path::Path;

use crate::diag::{Diagnostic, Location};
use crate::model::{Document, ParticipantId};

/// Participants who never speak and participants without a bio.
pub fn check(_path: &Path, document: &Document, at_key: &dyn Fn(&str) -> Location) -> Vec<Diagnostic> {
    let mut warnings = Vec::new();
    // Who speaks, found in one pass over the turns, not one per participant.
    let speakers: HashSet<ParticipantId> = document.turns().filter_map(|turn| turn.speaker).collect();
    let at = at_key("participants");
    for participant in &document.participants {
        if !speakers.contains(&participant.id) {
            warnings.push(
                Diagnostic::warning(format!("participant `{}` never speaks", participant.name))
                    .at(at.clone())
                    .hint(format!("turns start with a paragraph beginning `{}:`", participant.label)),
            );
        }
        if participant.bio.is_none() {
            warnings.push(
                Diagnostic::warning(format!("participant `{}` has no bio", participant.name))
                    .at(at.clone())
                    .hint("add `bio:` to the participant in the front matter"),
            );
        }
    }
    warnings
}
