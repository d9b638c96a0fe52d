//! Plain text of inlines and blocks: what [`super::Anchor`] offsets count in,
//! and what searches, slugs and word counts read.

use super::{Block, BlockKind, Document, Inline};

/// The text of `inlines` without markup. Note references contribute
/// nothing; a line break is `\n`.
pub fn plain_text(inlines: &[Inline]) -> String {
    let mut out = String::new();
    push_inlines(&mut out, inlines);
    out
}

fn push_inlines(out: &mut String, inlines: &[Inline]) {
    for inline in inlines {
        match inline {
            Inline::Text(text) | Inline::Code(text) => out.push_str(text),
            Inline::Emphasis(content)
            | Inline::Strong(content)
            | Inline::Link { content, .. }
            | Inline::Span { content, .. } => push_inlines(out, content),
            Inline::NoteRef(_) => {}
            Inline::LineBreak => out.push('\n'),
        }
    }
}

/// The text of `blocks`, one block per paragraph (separated by blank lines).
pub fn plain_text_of_blocks(blocks: &[Block]) -> String {
    let mut parts = Vec::new();
    for block in blocks {
        collect_block(&mut parts, block);
    }
    parts.join("\n\n")
}

fn collect_block(parts: &mut Vec<String>, block: &Block) {
    match &block.kind {
        BlockKind::Paragraph(content) | BlockKind::Heading { content, .. } => parts.push(plain_text(content)),
        BlockKind::BlockQuote(blocks) => blocks.iter().for_each(|b| collect_block(parts, b)),
        BlockKind::List(list) => list.items.iter().flatten().for_each(|b| collect_block(parts, b)),
        BlockKind::Code { text, .. } => parts.push(text.clone()),
        BlockKind::Image(image) => parts.push(image.alt.clone()),
        BlockKind::ThematicBreak => {}
        // One part per row, its cells separated by tabs.
        BlockKind::Table(table) => parts.extend(
            table
                .all_rows()
                .map(|row| row.iter().map(|cell| plain_text(cell)).collect::<Vec<_>>().join("\t")),
        ),
    }
}

/// Every text of a document a backend may print: front matter, participants
/// and their bios, introduction, headings, turns and notes.
pub fn document_text(doc: &Document) -> String {
    let meta = &doc.meta;
    let mut parts: Vec<String> = [Some(&meta.title), meta.subtitle.as_ref(), meta.publisher.as_ref()]
        .into_iter()
        .chain([meta.series.as_ref(), meta.rights.as_ref(), meta.description.as_ref(), meta.date.as_ref()])
        .flatten()
        .cloned()
        .collect();
    for p in &doc.participants {
        parts.extend([p.name.clone(), p.label.clone()]);
        parts.extend(p.bio.as_deref().map(plain_text));
    }
    doc.introduction.iter().for_each(|b| collect_block(&mut parts, b));
    for section in &doc.sections {
        parts.extend(section.heading.as_ref().map(|h| plain_text(&h.content)));
        section.turns.iter().flat_map(|t| &t.blocks).for_each(|b| collect_block(&mut parts, b));
    }
    doc.notes.iter().flat_map(|n| &n.blocks).for_each(|b| collect_block(&mut parts, b));
    parts.join("\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markup_is_dropped_and_text_kept() {
        let inlines = vec![
            Inline::Text("One ".into()),
            Inline::Emphasis(vec![Inline::Text("two".into())]),
            Inline::NoteRef(0),
            Inline::LineBreak,
            Inline::Code("x".into()),
        ];
        assert_eq!(plain_text(&inlines), "One two\nx");
    }
}
