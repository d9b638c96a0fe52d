//! Link addresses for editions a reader cannot click (print, plain text):
//! each link's address becomes a numbered note, like a footnote, or is
//! written after the link's text, or is left out, as the layout's `links:`
//! key says. A link whose text is its address already shows it.
//!
//! This is a transformation of the model, so the PDF and text backends
//! number link notes with the footnotes, in one sequence in reading order,
//! without knowing links exist. The EPUB keeps real links and never calls it.

use std::borrow::Cow;
use std::collections::HashMap;

use super::{Block, BlockKind, Collection, Document, Inline, Note, plain_text};

/// How an edition shows the address of a link.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum LinkAddresses {
    /// A numbered note holding the address, numbered with the footnotes.
    #[default]
    Note,
    /// The address in angle brackets after the link's text.
    Inline,
    /// Not at all (the link's text only).
    None,
}

/// The address as a reader types it: without `mailto:`.
pub fn shown(url: &str) -> &str {
    url.strip_prefix("mailto:").unwrap_or(url)
}

/// Whether a link's text already is its address (an autolink).
pub fn shows_address(url: &str, content: &[Inline]) -> bool {
    let text = plain_text(content);
    let text = text.trim();
    text == url || text == shown(url)
}

/// `doc` with its link addresses shown as `mode` says; borrowed when
/// nothing changes.
pub fn with_addresses(doc: &Document, mode: LinkAddresses) -> Cow<'_, Document> {
    if mode == LinkAddresses::None || !has_hidden_address(doc) {
        return Cow::Borrowed(doc);
    }
    let mut out = doc.clone();
    match mode {
        LinkAddresses::Inline => {
            let mut inline = |inlines: &mut Vec<Inline>| inline_addresses(inlines);
            walk_document(&mut out, &mut inline, true);
        }
        LinkAddresses::Note => as_notes(&mut out),
        LinkAddresses::None => {}
    }
    Cow::Owned(out)
}

/// Every piece of `book` with its link addresses shown as `mode` says.
pub fn collection_with_addresses(book: &Collection, mode: LinkAddresses) -> Cow<'_, Collection> {
    if mode == LinkAddresses::None || !book.pieces.iter().any(|p| has_hidden_address(&p.document)) {
        return Cow::Borrowed(book);
    }
    let mut out = book.clone();
    for piece in &mut out.pieces {
        piece.document = with_addresses(&piece.document, mode).into_owned();
    }
    Cow::Owned(out)
}

/// Whether any link's address is not already its text.
fn has_hidden_address(doc: &Document) -> bool {
    fn in_blocks(list: &[Block]) -> bool {
        list.iter().any(|block| match &block.kind {
            BlockKind::Paragraph(content) | BlockKind::Heading { content, .. } => hidden(content),
            BlockKind::BlockQuote(inner) => in_blocks(inner),
            BlockKind::List(list) => list.items.iter().any(|item| in_blocks(item)),
            BlockKind::Table(table) => table.all_rows().flatten().any(|cell| hidden(cell)),
            BlockKind::Code { .. } | BlockKind::ThematicBreak | BlockKind::Image(_) => false,
        })
    }
    fn hidden(inlines: &[Inline]) -> bool {
        any_inline(inlines, &|i| matches!(i, Inline::Link { url, content } if !shows_address(url, content)))
    }
    doc.participants.iter().any(|p| p.bio.as_deref().is_some_and(hidden))
        || in_blocks(&doc.introduction)
        || doc.sections.iter().any(|s| {
            s.heading.as_ref().is_some_and(|h| hidden(&h.content))
                || s.turns.iter().any(|t| in_blocks(&t.blocks))
        })
        || doc.notes.iter().any(|n| in_blocks(&n.blocks))
}

fn any_inline(inlines: &[Inline], test: &dyn Fn(&Inline) -> bool) -> bool {
    inlines.iter().any(|inline| {
        test(inline)
            || match inline {
                Inline::Emphasis(c) | Inline::Strong(c) | Inline::Span { content: c, .. } => {
                    any_inline(c, test)
                }
                Inline::Link { content, .. } => any_inline(content, test),
                _ => false,
            }
    })
}

/// `<address>` after each link whose text is not its address, in
/// monospace like code (never hyphenated in any edition).
fn inline_addresses(inlines: &mut Vec<Inline>) {
    let mut out = Vec::with_capacity(inlines.len());
    for mut inline in inlines.drain(..) {
        match &mut inline {
            Inline::Emphasis(c) | Inline::Strong(c) | Inline::Span { content: c, .. } => inline_addresses(c),
            _ => {}
        }
        let address = match &inline {
            Inline::Link { url, content } if !shows_address(url, content) => Some(shown(url).to_string()),
            _ => None,
        };
        out.push(inline);
        if let Some(address) = address {
            out.extend([Inline::Text(" <".into()), Inline::Code(address), Inline::Text(">".into())]);
        }
    }
    *inlines = out;
}

/// Footnotes and link notes numbered together in reading order: a link
/// gets the mark of a note whose text is its address (one note per
/// address, however often it is linked). Links in bios and in notes get
/// their address inline (a note on a note helps no one).
fn as_notes(doc: &mut Document) {
    /// A note of the new list: an old footnote, or a link's address.
    enum Source {
        Footnote(usize),
        Address(String),
    }
    let mut order: Vec<Source> = Vec::new();
    let mut footnotes: HashMap<usize, usize> = HashMap::new();
    let mut addresses: HashMap<String, usize> = HashMap::new();
    let note_count = doc.notes.len();
    {
        let mut renumber = |inlines: &mut Vec<Inline>| {
            number_inlines(inlines, &mut |inline: &Inline| match inline {
                // A reference to no note (a model not made by the reader) is dropped.
                Inline::NoteRef(old) if *old >= note_count => None,
                Inline::NoteRef(old) => Some(*footnotes.entry(*old).or_insert_with(|| {
                    order.push(Source::Footnote(*old));
                    order.len() - 1
                })),
                Inline::Link { url, .. } => Some(*addresses.entry(url.clone()).or_insert_with(|| {
                    order.push(Source::Address(url.clone()));
                    order.len() - 1
                })),
                _ => None,
            });
        };
        walk_blocks(&mut doc.introduction, &mut renumber);
        for section in &mut doc.sections {
            if let Some(heading) = &mut section.heading {
                renumber(&mut heading.content);
            }
            for turn in &mut section.turns {
                walk_blocks(&mut turn.blocks, &mut renumber);
            }
        }
    }
    // Footnotes referred to only from other notes (or never) keep their
    // order after the rest.
    for old in 0..doc.notes.len() {
        footnotes.entry(old).or_insert_with(|| {
            order.push(Source::Footnote(old));
            order.len() - 1
        });
    }
    let old_notes = std::mem::take(&mut doc.notes);
    for source in &order {
        doc.notes.push(match source {
            Source::Footnote(old) => {
                let mut note = old_notes[*old].clone();
                walk_blocks(&mut note.blocks, &mut |inlines: &mut Vec<Inline>| {
                    inline_addresses(inlines);
                    renumber_refs(inlines, &footnotes);
                });
                note
            }
            Source::Address(url) => Note {
                label: format!("link: {url}"),
                blocks: vec![Block {
                    // Not a block of the text: no page of any edition starts in it.
                    id: super::BlockId(u32::MAX),
                    kind: BlockKind::Paragraph(vec![Inline::Link {
                        url: url.clone(),
                        content: vec![Inline::Code(shown(url).to_string())],
                    }]),
                }],
            },
        });
    }
    for participant in &mut doc.participants {
        if let Some(bio) = &mut participant.bio {
            inline_addresses(bio);
        }
    }
}

/// Give each note reference and each link (whose text is not its address)
/// the note number `number` says: a reference is renumbered, a link gets
/// a reference after it.
fn number_inlines(inlines: &mut Vec<Inline>, number: &mut dyn FnMut(&Inline) -> Option<usize>) {
    let mut out = Vec::with_capacity(inlines.len());
    for mut inline in inlines.drain(..) {
        match &mut inline {
            Inline::Emphasis(c) | Inline::Strong(c) | Inline::Span { content: c, .. } => {
                number_inlines(c, number)
            }
            Inline::Link { content, .. } => number_inlines(content, number),
            _ => {}
        }
        match &inline {
            Inline::NoteRef(_) => {
                if let Some(n) = number(&inline) {
                    out.push(Inline::NoteRef(n));
                }
            }
            Inline::Link { url, content } if !shows_address(url, content) => {
                let n = number(&inline);
                out.push(inline);
                out.extend(n.map(Inline::NoteRef));
            }
            _ => out.push(inline),
        }
    }
    *inlines = out;
}

fn renumber_refs(inlines: &mut [Inline], numbers: &HashMap<usize, usize>) {
    for inline in inlines {
        match inline {
            Inline::NoteRef(n) => *n = numbers.get(n).copied().unwrap_or(*n),
            Inline::Emphasis(c)
            | Inline::Strong(c)
            | Inline::Span { content: c, .. }
            | Inline::Link { content: c, .. } => renumber_refs(c, numbers),
            _ => {}
        }
    }
}

/// Call `f` on every run of inlines of the document's text (`bios`: and
/// of the participants' bios), in reading order.
fn walk_document(doc: &mut Document, f: &mut dyn FnMut(&mut Vec<Inline>), bios: bool) {
    if bios {
        for participant in &mut doc.participants {
            if let Some(bio) = &mut participant.bio {
                f(bio);
            }
        }
    }
    walk_blocks(&mut doc.introduction, f);
    for section in &mut doc.sections {
        if let Some(heading) = &mut section.heading {
            f(&mut heading.content);
        }
        for turn in &mut section.turns {
            walk_blocks(&mut turn.blocks, f);
        }
    }
    for note in &mut doc.notes {
        walk_blocks(&mut note.blocks, f);
    }
}

fn walk_blocks(blocks: &mut [Block], f: &mut dyn FnMut(&mut Vec<Inline>)) {
    for block in blocks {
        match &mut block.kind {
            BlockKind::Paragraph(content) | BlockKind::Heading { content, .. } => f(content),
            BlockKind::BlockQuote(inner) => walk_blocks(inner, f),
            BlockKind::List(list) => list.items.iter_mut().for_each(|item| walk_blocks(item, f)),
            BlockKind::Table(table) => {
                for cell in table.header.iter_mut().chain(table.rows.iter_mut().flatten()) {
                    f(cell);
                }
            }
            BlockKind::Code { .. } | BlockKind::ThematicBreak | BlockKind::Image(_) => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn link(url: &str, text: &str) -> Inline {
        Inline::Link { url: url.into(), content: vec![Inline::Text(text.into())] }
    }

    fn doc_with(intro: Vec<Inline>, notes: usize) -> Document {
        let meta = crate::model::Meta {
            title: "T".into(),
            kind: crate::model::Kind::Other,
            language: "en".into(),
            direction: crate::model::Direction::Ltr,
            identifier: "urn:x".into(),
            ..crate::model::Meta::default()
        };
        let introduction = vec![Block { id: crate::model::BlockId(0), kind: BlockKind::Paragraph(intro) }];
        let notes = (0..notes)
            .map(|n| Note {
                label: n.to_string(),
                blocks: vec![Block {
                    id: crate::model::BlockId(u32::MAX),
                    kind: BlockKind::Paragraph(vec![Inline::Text(format!("note {n}"))]),
                }],
            })
            .collect();
        Document { meta, participants: Vec::new(), introduction, sections: Vec::new(), notes, source: None }
    }

    fn intro(doc: &Document) -> &[Inline] {
        match &doc.introduction[0].kind {
            BlockKind::Paragraph(c) => c,
            _ => unreachable!(),
        }
    }

    #[test]
    fn links_and_footnotes_are_numbered_together_in_reading_order() {
        let doc = doc_with(
            vec![
                Inline::NoteRef(0),
                link("https://a.org/", "A"),
                Inline::NoteRef(1),
                link("https://a.org/", "again"),
                link("https://b.org/", "https://b.org/"),
            ],
            2,
        );
        let out = with_addresses(&doc, LinkAddresses::Note);
        let refs: Vec<usize> = intro(&out)
            .iter()
            .filter_map(|i| if let Inline::NoteRef(n) = i { Some(*n) } else { None })
            .collect();
        // Footnote 1, the link's note 2, footnote 3, the same link's note again; the autolink none.
        assert_eq!(refs, vec![0, 1, 2, 1]);
        assert_eq!(out.notes.len(), 3);
        assert_eq!(crate::model::plain_text_of_blocks(&out.notes[1].blocks), "https://a.org/");
        assert_eq!(crate::model::plain_text_of_blocks(&out.notes[2].blocks), "note 1");
    }

    #[test]
    fn inline_addresses_follow_the_text_and_none_changes_nothing() {
        let doc = doc_with(vec![link("mailto:me@x.org", "write")], 0);
        let out = with_addresses(&doc, LinkAddresses::Inline);
        assert_eq!(plain_text(intro(&out)), "write <me@x.org>");
        assert!(matches!(with_addresses(&doc, LinkAddresses::None), Cow::Borrowed(_)));
        let autolink = doc_with(vec![link("https://b.org/", "https://b.org/")], 0);
        assert!(matches!(with_addresses(&autolink, LinkAddresses::Note), Cow::Borrowed(_)));
    }
}
