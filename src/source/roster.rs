//! Participants by what the text calls them (an `id:`, a label, a name),
//! found in maps: a scan of the participants for every paragraph made a
//! transcript with thousands of speakers quadratic (issue 28).

use std::collections::HashMap;

use crate::model::{Participant, ParticipantId};

pub struct Roster {
    ids: HashMap<String, ParticipantId>,
    /// Labels and names as written; the first participant to use one has it.
    exact: HashMap<String, ParticipantId>,
    /// The same, case-folded and with typewriter punctuation as the body's
    /// text reads it (see [`fold`]).
    folded: HashMap<String, ParticipantId>,
}

impl Roster {
    /// `ids` are the participants' `id:` keys, which labels may use too.
    pub fn new(participants: &[Participant], ids: &[(String, ParticipantId)]) -> Self {
        let mut roster = Roster { ids: HashMap::new(), exact: HashMap::new(), folded: HashMap::new() };
        for (id, p) in ids {
            roster.ids.entry(id.clone()).or_insert(*p);
        }
        for p in participants {
            for word in [&p.label, &p.name] {
                roster.exact.entry(word.clone()).or_insert(p.id);
                roster.folded.entry(fold(word)).or_insert(p.id);
            }
        }
        roster
    }

    /// The participant `label` names: by `id:`, then as written, then in any case.
    pub fn find(&self, label: &str) -> Option<ParticipantId> {
        self.ids
            .get(label)
            .or_else(|| self.exact.get(label))
            .or_else(|| self.folded.get(&fold(label)))
            .copied()
    }
}

/// A label or name as matched: lower case, and with the punctuation the
/// Markdown reader smartens (`--` to `–`, `---` to `—`, `...` to `…`,
/// straight quotes to curly ones) in one form, so that `Jean--Paul:` in
/// the body finds the participant the front matter calls `Jean--Paul`.
fn fold(text: &str) -> String {
    text.to_lowercase()
        .replace("---", "—")
        .replace("--", "–")
        .replace("...", "…")
        .replace(['’', '‘'], "'")
        .replace(['“', '”'], "\"")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Role;

    fn person(id: usize, name: &str, label: &str) -> Participant {
        Participant {
            id: ParticipantId(id),
            name: name.into(),
            label: label.into(),
            role: Role::Speaker,
            bio: None,
        }
    }

    #[test]
    fn ids_then_exact_then_folded_and_the_first_wins() {
        let people = [person(0, "Ana Lima", "Ana"), person(1, "Ben", "ana"), person(2, "Cy", "Cy")];
        let roster = Roster::new(&people, &[("cy".into(), ParticipantId(0))]);
        assert_eq!(roster.find("cy"), Some(ParticipantId(0)));
        assert_eq!(roster.find("Cy"), Some(ParticipantId(2)));
        assert_eq!(roster.find("ana"), Some(ParticipantId(1)));
        assert_eq!(roster.find("ANA"), Some(ParticipantId(0)));
        assert_eq!(roster.find("ana lima"), Some(ParticipantId(0)));
        assert_eq!(roster.find("Dee"), None);
    }

    /// The body's text is smartened, the front matter's is not.
    #[test]
    fn labels_match_whatever_the_punctuation_became() {
        let people = [person(0, "Jean--Paul Sartre", "Jean--Paul"), person(1, "Máire O'Brien", "O'Brien")];
        let roster = Roster::new(&people, &[]);
        assert_eq!(roster.find("Jean–Paul"), Some(ParticipantId(0)));
        assert_eq!(roster.find("O’Brien"), Some(ParticipantId(1)));
        assert_eq!(roster.find("O'Brien"), Some(ParticipantId(1)));
    }
}
