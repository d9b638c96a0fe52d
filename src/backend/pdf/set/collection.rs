//! Typesetting a collection: the book's title page and one contents for
//! all pieces, then each piece from a recto (its own title page, bios,
//! introduction, questions and notes, set by a builder of its own so that
//! it keeps its language, direction, digits and note numbers), then one
//! colophon. Contents page numbers are drawn after pagination, at the end
//! of their lines, so setting them cannot move anything.

use std::collections::{BTreeSet, HashMap};

use super::*;
use crate::model::{Collection, ContributorRole, Piece as BookPiece};

/// Room left at the end of a contents line for its page number, in ems.
const NUMBER_ROOM: f64 = 3.0;

/// Typeset `book` with `layout` in `fonts`.
pub fn typeset_collection(
    book: &Collection,
    layout: &PdfLayout,
    fonts: &Fonts,
    ctx: &Context,
) -> Result<SetDocument, Diagnostic> {
    let doc = &book.book_document();
    let (width, height, size) =
        (layout.page.width.pt(), layout.page.height.pt(), layout.body.size.to_pt(10.0));
    let allowed = ctx.allow_missing_glyphs || layout.allow_missing_glyphs;
    let mut warnings = Vec::new();

    // The pieces first, each by a builder of its own; their blocks are
    // spliced between the book's front and its colophon below.
    let mut pieces = Vec::new();
    let mut used_faces = Vec::new();
    let mut glyphs: Vec<BTreeMap<u16, String>> = Vec::new();
    let mut next_target = book.pieces.len();
    for (n, piece) in book.pieces.iter().enumerate() {
        let mut shaper = Shaper::new(fonts)?;
        shaper.set_language(&piece.document.meta.language);
        let mut b = Builder::new(&shaper, &piece.document, geometry(layout));
        set_piece(&mut b, piece, n, layout);
        // Each question is a contents target, numbered after the pieces.
        for block in b.blocks.iter_mut().filter(|block| block.question.is_some()) {
            block.target = Some(next_target);
            next_target += 1;
        }
        for face in FaceId::ALL {
            if shaper.uses(face) && !used_faces.contains(&face) {
                used_faces.push(face);
            }
        }
        let Builder { blocks, footnotes, pictures, warnings: built, svg_missing, .. } = b;
        let (used, missing) = shaper.finish();
        if !missing.is_empty() {
            let fix = "name a font that has it under `fonts:` in the layout";
            let tried = "the layout's and the bundled faces".to_string();
            let missing = Missing {
                chars: &missing,
                problem: "no font has a glyph for",
                tried,
                fix,
                shown_as: super::BOX,
            };
            warnings.extend(missing.report(piece.document.source.as_deref(), allowed)?);
        }
        for (path, chars) in &svg_missing {
            let fix = "convert the drawing's text to paths, or use a character the bundled fonts have";
            let tried = "the bundled faces (SVG text never uses system fonts)".to_string();
            let missing =
                Missing { chars, problem: "no font has a glyph for", tried, fix, shown_as: super::BOX };
            warnings.extend(missing.report(Some(path), allowed)?);
        }
        merge_glyphs(&mut glyphs, used);
        warnings.extend(built);
        pieces.push((blocks, footnotes, pictures));
    }

    let mut shaper = Shaper::new(fonts)?;
    shaper.set_language(&doc.meta.language);
    let mut b = Builder::new(&shaper, doc, geometry(layout));
    b.used_faces = used_faces;
    b.title_page(doc);
    editors(&mut b, doc);
    contents(&mut b, book);
    let front = std::mem::take(&mut b.blocks);
    b.colophon(doc, fonts, ctx.epoch);
    origins(&mut b, &book.pieces);
    let colophon = std::mem::take(&mut b.blocks);

    // One flow: the front, every piece (its notes and pictures renumbered
    // into the book's), the colophon.
    let mut blocks = front;
    let mut footnotes = Vec::new();
    let mut pictures = std::mem::take(&mut b.pictures);
    // The piece of each block, for the pages' (an e-book's page list finds
    // a page's place in its piece).
    let mut piece_of = vec![None; blocks.len()];
    for (n, (piece_blocks, piece_notes, piece_pictures)) in pieces.into_iter().enumerate() {
        piece_of.resize(blocks.len() + piece_blocks.len(), Some(n));
        let (note_base, picture_base) = (footnotes.len(), pictures.len());
        for mut block in piece_blocks {
            for line in &mut block.lines {
                line.notes.iter_mut().for_each(|note| *note += note_base);
            }
            if let Some(picture) = &mut block.picture {
                *picture += picture_base;
            }
            blocks.push(block);
        }
        footnotes.extend(piece_notes);
        pictures.extend(piece_pictures);
    }
    blocks.extend(colophon);

    let rtl = doc.meta.direction == Direction::Rtl;
    let foot =
        Foot { notes: &footnotes, leading: b.geo.leading * FOOTNOTE_SCALE, rtl, measure: b.geo.measure };
    let mut runs: Vec<Vec<Vec<GlyphRun>>> = blocks
        .iter_mut()
        .map(|block| block.lines.iter_mut().map(|line| std::mem::take(&mut line.runs)).collect())
        .collect();
    let mut pages = paginate(&blocks, &mut runs, &foot, layout, height);
    drop(runs);
    let furniture = Furniture { shaper: &shaper, breaks: &b.hyphenator, direction: doc.meta.direction };
    let mut outline = furnish(&mut pages, &blocks, layout, &furniture, doc, width, height, size);
    // A blank page belongs where the page after it does.
    let mut next = None;
    for draft in pages.iter_mut().rev() {
        draft.page.piece = draft.first_block.map_or(next, |first| piece_of.get(first).copied().flatten());
        next = draft.page.piece;
    }
    let mut pages: Vec<SetPage> = pages.into_iter().map(|p| p.page).collect();
    let placed = placements(&pages, blocks.len());
    number_contents(&mut pages, &blocks, &placed, &furniture, b.words, layout, width, size);
    nest_outline(&mut outline, &blocks, &placed, book);

    let mut elements: Vec<ElementRole> = blocks.iter().map(|block| block.role).collect();
    elements.extend(footnotes.iter().map(|_| ElementRole::Note));
    warnings.append(&mut b.warnings);
    let (used, missing) = shaper.finish();
    if !missing.is_empty() {
        let fix = "name a font that has it under `fonts:` in the layout";
        let missing = Missing {
            chars: &missing,
            problem: "no font has a glyph for",
            tried: "the book's faces".into(),
            fix,
            shown_as: super::BOX,
        };
        warnings.extend(missing.report(doc.source.as_deref(), allowed)?);
    }
    merge_glyphs(&mut glyphs, used);
    let meta = &doc.meta;
    let editors = meta.contributors.iter().filter(|c| c.role == ContributorRole::Editor);
    let info = DocInfo::of(meta, editors.map(|c| c.name.clone()).collect(), ctx.epoch);
    Ok(SetDocument { width, height, pages, outline, glyphs, elements, images: pictures, info, warnings })
}

/// One piece: its title page on a recto, then what a transcript has (a
/// piece without speakers: its text under its title).
fn set_piece(b: &mut Builder, piece: &BookPiece, n: usize, layout: &PdfLayout) {
    let doc = &piece.document;
    let start = b.blocks.len();
    b.piece_title_page(piece);
    if let Some(first) = b.blocks.get_mut(start) {
        first.recto = true;
        first.target = Some(n);
        first.running = Some(piece.title.clone());
    }
    if layout.bios == BiosPlacement::TitleVerso {
        b.bios(doc, true);
    }
    let body = b.blocks.len();
    b.introduction(doc);
    if layout.bios == BiosPlacement::AfterIntroduction {
        b.bios(doc, false);
    }
    b.sections(doc, layout.interviewer);
    // A piece with no speakers (an editors' introduction, an afterword)
    // has nothing else for a title page: its text starts under its title,
    // on the same recto, as a chapter does.
    if doc.participants.is_empty() {
        let leading = b.geo.leading;
        if let Some(first) = b.blocks.get_mut(body) {
            first.page_break_before = false;
            first.space_before = first.space_before.max(leading * 2.0);
        }
    }
    if layout.bios == BiosPlacement::End {
        b.bios(doc, true);
    }
    match layout.notes {
        NotesPlacement::Endnotes => b.notes(doc),
        NotesPlacement::Footnotes => b.footnotes(doc),
    }
}

impl Builder<'_, '_> {
    /// A piece's title page: the book's title for it, its subtitle and
    /// speakers, in the piece's language.
    fn piece_title_page(&mut self, piece: &BookPiece) {
        let doc = &piece.document;
        let (size, leading) = (self.geo.size, self.geo.leading);
        let origin = Origin::Fixed(Anchor::TitlePage);
        let title = vec![text_piece(&piece.title, Style::new(FaceId::Bold))];
        let b = self.centered(title, size * 1.6, size * 2.0, leading * 5.0, origin);
        b.keep_space = true;
        b.page_break_before = true;
        b.role = ElementRole::Heading(1);
        if let Some(subtitle) = &doc.meta.subtitle {
            let subtitle = vec![text_piece(subtitle, Style::new(FaceId::Italic))];
            self.centered(subtitle, size * 1.1, size * 1.45, leading, origin);
        }
        let shown = doc.meta.subtitle.as_deref().unwrap_or("");
        let mut first = true;
        for p in doc.participants.iter().filter(|p| !shown.contains(&p.name)) {
            let name = vec![text_piece(&p.name, Style::new(FaceId::Regular).small_caps())];
            self.centered(name, size * 1.05, leading * 1.2, if first { leading * 2.0 } else { 0.0 }, origin);
            first = false;
        }
    }
}

/// The editors under the book's title.
fn editors(b: &mut Builder, doc: &Document) {
    let (size, leading) = (b.geo.size, b.geo.leading);
    let words = b.words;
    let origin = Origin::Fixed(Anchor::TitlePage);
    let mut first = true;
    for editor in doc.meta.contributors.iter().filter(|c| c.role == ContributorRole::Editor) {
        let line = words.line(words.role(editor.role), &editor.name);
        let line = vec![text_piece(&line, Style::new(FaceId::Regular))];
        b.centered(line, size, leading, if first { leading * 2.0 } else { 0.0 }, origin);
        first = false;
    }
}

/// The contents: each piece's title, its questions beneath, each line
/// pointing to the block that will give its page number.
fn contents(b: &mut Builder, book: &Collection) {
    let (size, leading, measure) = (b.geo.size, b.geo.leading, b.geo.measure);
    let origin = Origin::Fixed(Anchor::TitlePage);
    let heading = vec![text_piece(b.words.contents, Style::new(FaceId::Bold))];
    let lines = b.set(heading, size * 1.2, measure, 0.0, LineAlign::Left, false);
    let heading = b.push(lines, origin, 0.0, leading * 1.3, 0.0, measure);
    heading.page_break_before = true;
    heading.keep_with_next = true;
    heading.role = ElementRole::Heading(1);
    let room = size * NUMBER_ROOM;
    let indent = size * 1.5;
    let mut question_target = book.pieces.len();
    for (n, piece) in book.pieces.iter().enumerate() {
        let doc = &piece.document;
        let title = vec![text_piece(&piece.title, Style::new(FaceId::Regular).small_caps())];
        // Set short of the numbers' column, and placed there, in either direction.
        let lines = b.set_in(doc.meta.direction, title, size, measure - room, 0.0, LineAlign::Left, false);
        let entry = b.push(lines, origin, leading * 0.8, leading, 0.0, measure - room);
        entry.toc_entry = Some(n);
        entry.keep_with_next = doc.sections.iter().any(|s| s.heading.is_some());
        let headings: Vec<_> = doc.sections.iter().filter_map(|s| s.heading.as_ref()).collect();
        for heading in headings {
            let mut ps = Vec::new();
            pieces(&heading.content, Style::new(FaceId::Regular), &mut ps);
            let direction = bidi::block_direction(&heading.content, doc.meta.direction);
            let small = size * 0.9;
            let lines = b.set_in(direction, ps, small, measure - room - indent, 0.0, LineAlign::Left, false);
            // Indented on the side the line starts from: a right-to-left
            // question ends short of its piece's title.
            let x = if direction == Direction::Rtl { 0.0 } else { indent };
            let entry = b.push(lines, origin, leading * 0.15, leading * 0.95, x, measure - room - indent);
            entry.toc_entry = Some(question_target);
            question_target += 1;
        }
    }
}

/// After the book's colophon: where each piece comes from, in its own
/// direction.
fn origins(b: &mut Builder, pieces: &[BookPiece]) {
    let (size, leading, measure) = (b.geo.size * 0.85, b.geo.leading * 0.85, b.geo.measure);
    let origin = Origin::Fixed(Anchor::Colophon);
    for piece in pieces {
        let meta = &piece.document.meta;
        let words = Words::for_language(&meta.language);
        let mut ps = vec![text_piece(&piece.title, Style::new(FaceId::Italic))];
        let rest = [
            (piece.title != meta.title).then(|| meta.title.clone()),
            meta.subtitle.clone(),
            words.imprint(meta.publisher.as_deref(), meta.date.as_deref()),
            meta.rights.clone(),
        ];
        // A middle dot between the parts reads the same in every script.
        for part in rest.into_iter().flatten().filter(|p| !p.trim().is_empty()) {
            ps.push(text_piece(&format!(" · {part}"), Style::new(FaceId::Regular)));
        }
        let lines = b.set_in(meta.direction, ps, size, measure, 0.0, LineAlign::Left, false);
        b.push(lines, origin, leading * 0.6, leading, 0.0, measure);
    }
}

/// Where a block's lines landed: its first line's page and baseline, and
/// its last line's.
#[derive(Debug, Clone, Copy)]
struct Placed {
    first: (usize, f64),
    last: (usize, f64),
}

/// Where each block landed, from the pages' marked content.
fn placements(pages: &[SetPage], blocks: usize) -> Vec<Option<Placed>> {
    let mut placed: Vec<Option<Placed>> = vec![None; blocks];
    for (n, page) in pages.iter().enumerate() {
        let mut open: Option<usize> = None;
        for op in &page.ops {
            match op {
                Op::Begin(Tag::Element(bi)) => open = Some(*bi),
                Op::End => open = None,
                Op::Text { y, .. } | Op::Hidden { y, .. } => {
                    if let Some(bi) = open.filter(|&bi| bi < blocks) {
                        let entry = placed[bi].get_or_insert(Placed { first: (n, *y), last: (n, *y) });
                        if (n, *y) > entry.last {
                            entry.last = (n, *y);
                        }
                    }
                }
                _ => {}
            }
        }
    }
    placed
}

/// The block each contents target is (the first, when two claim one),
/// found once: a book of 10,000 pieces has as many targets.
fn target_blocks(blocks: &[FlowBlock]) -> HashMap<usize, usize> {
    let mut targets = HashMap::new();
    for (bi, block) in blocks.iter().enumerate() {
        if let Some(target) = block.target {
            targets.entry(target).or_insert(bi);
        }
    }
    targets
}

/// Draw each contents line's page number at the end of its last line.
#[allow(clippy::too_many_arguments)]
fn number_contents(
    pages: &mut [SetPage],
    blocks: &[FlowBlock],
    placed: &[Option<Placed>],
    furniture: &Furniture,
    words: &Words,
    layout: &PdfLayout,
    width: f64,
    size: f64,
) {
    let m = &layout.margins;
    let measure = width - m.inside.pt() - m.outside.pt();
    let rtl = furniture.direction == Direction::Rtl;
    let targets = target_blocks(blocks);
    for (bi, block) in blocks.iter().enumerate() {
        let Some(key) = block.toc_entry else { continue };
        let Some(&target) = targets.get(&key) else { continue };
        let question = blocks[target].question.is_some();
        let (Some(target), Some(entry)) = (placed[target], placed[bi]) else { continue };
        let (page, (at, y)) = (target.first.0, entry.last);
        let number = page + 1;
        let recto = (at + 1) % 2 == 1;
        let left = if recto != rtl { m.inside.pt() } else { m.outside.pt() };
        let face = FaceId::Regular;
        // A question's line is set smaller than a piece's.
        let entry_size = if question { size * 0.9 } else { size };
        let text = words.number(number);
        let w = furniture.shaper.width(&text, face, Features::default(), entry_size);
        // The number at the end of the line: the right margin, or the
        // left in a right-to-left book.
        let x = if rtl { left } else { left + measure - w };
        let ops = &mut pages[at].ops;
        ops.push(Op::Begin(Tag::Element(bi)));
        push_centered(furniture, ops, &text, face, entry_size, x, w, y);
        ops.push(Op::End);
    }
}

/// Bookmarks book → piece → question: an entry for each piece at its
/// title page, its questions one level under it.
fn nest_outline(
    outline: &mut Vec<OutlineEntry>,
    blocks: &[FlowBlock],
    placed: &[Option<Placed>],
    book: &Collection,
) {
    let mut nested: Vec<OutlineEntry> = Vec::new();
    let mut questions = std::mem::take(outline).into_iter().peekable();
    let targets = target_blocks(blocks);
    let starts: BTreeSet<(usize, usize, u64)> = (0..book.pieces.len())
        .filter_map(|n| {
            let &bi = targets.get(&n)?;
            placed[bi].map(|p| (p.first.0, n, p.first.1.to_bits()))
        })
        .collect();
    let starts: Vec<(usize, usize, u64)> = starts.into_iter().collect();
    for (k, &(page, n, y)) in starts.iter().enumerate() {
        let end = starts.get(k + 1).map_or(usize::MAX, |&(next, _, _)| next);
        let title = book.pieces[n].title.clone();
        // The destination is a little above the title's baseline.
        nested.push(OutlineEntry { title, page, y: f64::from_bits(y) - 24.0, depth: 0 });
        while let Some(q) = questions.next_if(|q| q.page < end) {
            nested.push(OutlineEntry { depth: 1, ..q });
        }
    }
    nested.extend(questions);
    *outline = nested;
}

/// Add a piece's glyphs (per face) to the book's.
pub(crate) fn merge_glyphs(into: &mut Vec<BTreeMap<u16, String>>, from: Vec<BTreeMap<u16, String>>) {
    if into.len() < from.len() {
        into.resize_with(from.len(), BTreeMap::new);
    }
    for (face, glyphs) in from.into_iter().enumerate() {
        into[face].extend(glyphs);
    }
}
