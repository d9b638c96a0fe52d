//! Likely mistakes in a well-formed source: warnings, not errors.

use std::path::Path;

use crate::diag::{Diagnostic, Location};
use crate::model::Document;

/// Participants who never speak and participants without a bio.
pub fn check(_path: &Path, document: &Document, at_key: &dyn Fn(&str) -> Location) -> Vec<Diagnostic> {
    let mut warnings = Vec::new();
    for participant in &document.participants {
        let speaks = document.turns().any(|turn| turn.speaker == Some(participant.id));
        if !speaks {
            warnings.push(
                Diagnostic::warning(format!("participant `{}` never speaks", participant.name))
                    .at(at_key("participants"))
                    .hint(format!("turns start with a paragraph beginning `{}:`", participant.label)),
            );
        }
        if participant.bio.is_none() {
            warnings.push(
                Diagnostic::warning(format!("participant `{}` has no bio", participant.name))
                    .at(at_key("participants"))
                    .hint("add `bio:` to the participant in the front matter"),
            );
        }
    }
    warnings
}
