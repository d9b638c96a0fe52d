//! A source cut into the units a translator works on: title, subtitle,
//! each participant's name and bio, the introduction, each question, each
//! turn and each footnote, in reading order, each with a stable key
//! (`turn-2.3`: section 2, turn 3), its place and its text.

use crate::diag::Location;
use crate::model::{plain_text, plain_text_of_blocks};

use super::Side;
use super::text::without_label;

/// What a unit is; the PO context and the merge read it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Title,
    Subtitle,
    Name(usize),
    Bio(usize),
    Introduction,
    /// The question of section `.0` (0-based).
    Question(usize),
    /// Turn `.1` of section `.0` (both 0-based).
    Turn(usize, usize),
    /// Footnote `.0` (0-based, in order of first reference).
    Note(usize),
}

#[derive(Debug, Clone)]
pub struct Unit {
    pub kind: Kind,
    /// Stable name of the place: `title`, `bio-2`, `question-3`, `turn-3.1`.
    pub key: String,
    /// In words: `turn 1 of section 3 (Sardar)`.
    pub what: String,
    pub at: Location,
    /// The words, without markup (what the fingerprint is made of).
    pub plain: String,
    /// The source's own Markdown for it (a turn without its label).
    pub markdown: String,
}

/// Units by key.
pub fn by_key(units: Vec<Unit>) -> std::collections::HashMap<String, Unit> {
    units.into_iter().map(|u| (u.key.clone(), u)).collect()
}

/// Every unit of one side, in reading order.
pub fn units(side: &Side) -> Vec<Unit> {
    let doc = &side.document;
    let map = &side.map;
    let mut out = Vec::new();
    let mut push = |kind, key: String, what: String, at, plain: String, markdown: String| {
        out.push(Unit { kind, key, what, at, plain, markdown });
    };
    push(
        Kind::Title,
        "title".into(),
        "the title".into(),
        map.key_location("title"),
        doc.meta.title.clone(),
        doc.meta.title.clone(),
    );
    if let Some(subtitle) = &doc.meta.subtitle {
        push(
            Kind::Subtitle,
            "subtitle".into(),
            "the subtitle".into(),
            map.key_location("subtitle"),
            subtitle.clone(),
            subtitle.clone(),
        );
    }
    for (i, p) in doc.participants.iter().enumerate() {
        let at = map.key_location("participants");
        push(
            Kind::Name(i),
            format!("name-{}", i + 1),
            format!("participant {}'s name", i + 1),
            at.clone(),
            p.name.clone(),
            p.name.clone(),
        );
        if let Some(bio) = &p.bio {
            let raw = map.bios.get(i).cloned().flatten().unwrap_or_else(|| plain_text(bio));
            push(
                Kind::Bio(i),
                format!("bio-{}", i + 1),
                format!("{}'s bio", p.label),
                at,
                plain_text(bio),
                raw.trim().to_string(),
            );
        }
    }
    if let Some(first) = doc.introduction.first() {
        push(
            Kind::Introduction,
            "introduction".into(),
            "the introduction".into(),
            map.location(first.id),
            plain_text_of_blocks(&doc.introduction),
            map.text_of(doc.introduction.iter().map(|b| b.id)),
        );
    }
    for (s, section) in doc.sections.iter().enumerate() {
        if let Some(heading) = &section.heading {
            let raw = map.offset(heading.id).map(|o| map.slice_from(o)).unwrap_or_default();
            let markdown = raw.trim_start_matches('#').trim().to_string();
            push(
                Kind::Question(s),
                format!("question-{}", s + 1),
                format!("question {}", s + 1),
                map.location(heading.id),
                plain_text(&heading.content),
                markdown,
            );
        }
        for (t, turn) in section.turns.iter().enumerate() {
            let at = turn.blocks.first().map_or_else(|| Location::file(side.path()), |b| map.location(b.id));
            let raw = map.text_of(turn.blocks.iter().map(|b| b.id));
            let markdown = match turn.speaker {
                Some(id) => {
                    let p = doc.participant(id);
                    without_label(&raw, &[p.label.as_str(), p.name.as_str()]).to_string()
                }
                None => raw,
            };
            push(
                Kind::Turn(s, t),
                format!("turn-{}.{}", s + 1, t + 1),
                format!("turn {} of section {} ({})", t + 1, s + 1, side.speaker_name(turn.speaker)),
                at,
                plain_text_of_blocks(&turn.blocks),
                markdown,
            );
        }
    }
    for (n, note) in doc.notes.iter().enumerate() {
        let found = map.notes.iter().find(|(label, _)| *label == note.label);
        let at = found.map_or_else(|| Location::file(side.path()), |&(_, o)| map.place(o));
        let raw = found.map(|&(_, o)| map.slice_from(o)).unwrap_or_default();
        let markdown = raw.split_once("]:").map_or(raw, |(_, rest)| rest).trim().to_string();
        push(
            Kind::Note(n),
            format!("note-{}", n + 1),
            format!("footnote {} ([^{}])", n + 1, note.label),
            at,
            plain_text_of_blocks(&note.blocks),
            markdown,
        );
    }
    out
}
