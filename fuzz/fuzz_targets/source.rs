//! Any bytes → the source parser: never a panic, and every accepted
//! document keeps the model's invariants (block ids unique and in reading
//! order, note references in range, nesting bounded).
#![no_main]

use std::path::Path;

use libfuzzer_sys::fuzz_target;
use mimeo::model::{Block, BlockKind, Inline};

fuzz_target!(|data: &[u8]| {
    let Ok(parsed) = mimeo::source::parse_bytes(Path::new("fuzz/input.md"), data) else { return };
    let doc = &parsed.document;
    let mut ids = Vec::new();
    let notes = doc.notes.len();
    let mut check_inlines = |inlines: &[Inline], depth: usize| check(inlines, notes, depth);
    for block in &doc.introduction {
        walk(block, &mut ids, 0, &mut check_inlines);
    }
    for section in &doc.sections {
        if let Some(heading) = &section.heading {
            ids.push(heading.id.0);
            check(&heading.content, notes, 0);
        }
        for turn in &section.turns {
            if let Some(speaker) = turn.speaker {
                assert!(speaker.0 < doc.participants.len());
            }
            for block in &turn.blocks {
                walk(block, &mut ids, 0, &mut check_inlines);
            }
        }
    }
    assert!(ids.windows(2).all(|w| w[0] < w[1]), "block ids increase in reading order");
});

fn walk(block: &Block, ids: &mut Vec<u32>, depth: usize, inlines: &mut dyn FnMut(&[Inline], usize)) {
    assert!(depth <= mimeo::source::MAX_NESTING + 2, "nesting is bounded");
    ids.push(block.id.0);
    match &block.kind {
        BlockKind::Paragraph(content) | BlockKind::Heading { content, .. } => inlines(content, 0),
        BlockKind::BlockQuote(blocks) => blocks.iter().for_each(|b| walk(b, ids, depth + 1, inlines)),
        BlockKind::List(list) => list.items.iter().flatten().for_each(|b| walk(b, ids, depth + 1, inlines)),
        _ => {}
    }
}

fn check(inlines: &[Inline], notes: usize, depth: usize) {
    assert!(depth <= mimeo::source::MAX_NESTING + 2, "inline nesting is bounded");
    for inline in inlines {
        match inline {
            Inline::NoteRef(i) => assert!(*i < notes),
            Inline::Text(t) => assert!(!t.contains('\0') && !t.contains('\r')),
            Inline::Emphasis(c)
            | Inline::Strong(c)
            | Inline::Link { content: c, .. }
            | Inline::Span { content: c, .. } => check(c, notes, depth + 1),
            _ => {}
        }
    }
}
