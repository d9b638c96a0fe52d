//! Typesetting a translation facing its original (`a5-parallel`, issue
//! 31): the original on the versos, the translation on the rectos.
//!
//! Each side is set by a builder of its own (its language, direction,
//! digits, hyphenation and faces), exactly as a single document is; only
//! the placing differs. The text is cut into units that the alignment
//! matches one to one (the title page, the introduction, each question
//! heading, each turn, the notes), and the units are placed pair by pair:
//! both begin on the same spread at the same height, below the lower of
//! the two sides' ends, so neither side runs ahead of the other. A pair
//! that does not begin on the rest of the spread on either side goes to
//! the next spread on both; a long pair runs on over the next spreads,
//! and the shorter side is left blank below its end (never squeezed).
//!
//! Notes are gathered at the end of each side (endnotes): footnotes on
//! two pages that must stay level would fight over the room at the foot.
//! A table's rows are kept whole, under its header set again atop a page.
//! Bios and the colophon are left out: they have no counterpart to face.

use std::ops::Range;

use super::*;

/// Where a side's text has reached: a spread and a height on its page.
#[derive(Debug, Clone, Copy, PartialEq, PartialOrd)]
struct Cursor {
    spread: usize,
    y: f64,
}

/// One side's page of a spread while placing.
#[derive(Default)]
struct Half {
    ops: Vec<Op>,
    /// Where in the text the page begins.
    anchor: Option<Anchor>,
    /// The questions that begin on this page, and their heights.
    questions: Vec<(String, f64)>,
    /// A body page (running head and folio), not the title page.
    body: bool,
}

/// One side: its builder's blocks, cut into units, and where they went.
struct Side<'s, 'f> {
    b: Builder<'s, 'f>,
    units: Vec<Range<usize>>,
    halves: Vec<Half>,
    /// Its blocks' structure elements and pictures start here in the
    /// book's lists.
    element_base: usize,
    picture_base: usize,
}

/// How a unit begins: where the flow may put it.
#[derive(Clone, Copy, PartialEq)]
enum Start {
    /// Goes on from where both sides are.
    Flow,
    /// Begins a spread (the introduction, the first question, the notes).
    Spread,
}

/// The first spread of the text: page 1 is a recto alone (the
/// translation's half title), pages 2 and 3 the title spread.
const FIRST_BODY_SPREAD: usize = 2;

/// Typeset a translation and its original facing page by page with `layout` in `fonts`.
pub fn typeset_parallel(
    [original, translation]: [&Document; 2],
    layout: &PdfLayout,
    fonts: &Fonts,
    ctx: &Context,
) -> Result<SetDocument, Diagnostic> {
    let (width, height, size) =
        (layout.page.width.pt(), layout.page.height.pt(), layout.body.size.to_pt(10.0));
    let mut original_shaper = Shaper::new(fonts)?;
    original_shaper.set_language(&original.meta.language);
    let mut translation_shaper = Shaper::new(fonts)?;
    translation_shaper.set_language(&translation.meta.language);
    let (starts, original_side) = units(&original_shaper, original, layout);
    let (_, translation_side) = units(&translation_shaper, translation, layout);
    let mut sides = [original_side, translation_side];
    sides[1].element_base = sides[0].b.blocks.len();
    sides[1].picture_base = sides[0].b.pictures.len();

    place_all(&mut sides, &starts, layout, height);
    let docs = [original, translation];
    let (mut pages, outline) = furnish_spreads(&mut sides, docs, layout, width, height, size);
    half_title(&mut pages, &sides[1], layout, height);

    let mut elements: Vec<ElementRole> = Vec::new();
    let mut warnings = Vec::new();
    let mut images = Vec::new();
    for side in &mut sides {
        elements.extend(side.b.blocks.iter().map(|block| block.role));
        warnings.append(&mut side.b.warnings);
        images.append(&mut side.b.pictures);
    }
    let allowed = ctx.allow_missing_glyphs || layout.allow_missing_glyphs;
    let mut glyphs = Vec::new();
    drop(sides);
    for (shaper, doc) in [(original_shaper, docs[0]), (translation_shaper, docs[1])] {
        let (used, missing) = shaper.finish();
        if !missing.is_empty() {
            let fix = "name a font that has it under `fonts:` in the layout";
            let tried = "the layout's and the bundled faces".to_string();
            let missing =
                Missing { chars: &missing, problem: "no font has a glyph for", tried, fix, shown_as: BOX };
            warnings.extend(missing.report(doc.source.as_deref(), allowed)?);
        }
        collection::merge_glyphs(&mut glyphs, used);
    }
    let meta = &translation.meta;
    let info =
        DocInfo::of(meta, translation.participants.iter().map(|p| p.name.clone()).collect(), ctx.epoch);
    Ok(SetDocument { width, height, pages, outline, glyphs, elements, images, info, warnings })
}

/// Set `doc` and cut its blocks into the units the alignment matches,
/// with how each unit begins. Both documents have the same structure, so
/// both give as many units, in the same order.
fn units<'s, 'f>(shaper: &'s Shaper<'f>, doc: &Document, layout: &PdfLayout) -> (Vec<Start>, Side<'s, 'f>) {
    let mut b = Builder::new(shaper, doc, geometry(layout));
    let mut units = Vec::new();
    let mut starts = Vec::new();
    let mut unit = |b: &mut Builder, start: Start, set: &mut dyn FnMut(&mut Builder)| {
        let from = b.blocks.len();
        set(b);
        units.push(from..b.blocks.len());
        starts.push(start);
    };
    unit(&mut b, Start::Spread, &mut |b| b.title_page(doc));
    unit(&mut b, Start::Spread, &mut |b| b.introduction(doc));
    let leading = b.geo.leading;
    for (s, section) in doc.sections.iter().enumerate() {
        let start = if s == 0 { Start::Spread } else { Start::Flow };
        unit(&mut b, start, &mut |b| {
            b.question(section, s == 0);
        });
        for (t, turn) in section.turns.iter().enumerate() {
            let space = if t == 0 { leading * 0.5 } else { leading * 0.4 };
            unit(&mut b, Start::Flow, &mut |b| b.turn(doc, turn, layout.interviewer, space));
        }
    }
    unit(&mut b, Start::Spread, &mut |b| b.notes(doc));
    (starts, Side { b, units, halves: Vec::new(), element_base: 0, picture_base: 0 })
}

/// Place every unit pair: both sides of a pair begin together, below the
/// further of the two sides' ends.
fn place_all(sides: &mut [Side; 2], starts: &[Start], layout: &PdfLayout, height: f64) {
    let (top, bottom) = (layout.margins.top.pt(), height - layout.margins.bottom.pt());
    let mut ends = [Cursor { spread: 1, y: top }; 2];
    for (u, &start) in starts.iter().enumerate() {
        let empty =
            sides.iter().all(|side| side.b.blocks[side.units[u].clone()].iter().all(|b| b.lines.is_empty()));
        if empty {
            continue;
        }
        let mut at = if ends[0] > ends[1] { ends[0] } else { ends[1] };
        // The title page's spread is the first; the text begins after it.
        let fresh = at.y > top + 0.01 || (u > 0 && at.spread < FIRST_BODY_SPREAD);
        if start == Start::Spread && fresh {
            at = Cursor { spread: at.spread + 1, y: top };
        }
        // Both sides begin together: the larger space, and room for the
        // taller opening; at the top of a spread only kept space counts.
        let opening_of = |at: Cursor, which: fn((f64, f64)) -> f64| {
            sides.iter().map(|side| which(opening(side, u, at.y <= top + 0.01))).fold(0.0, f64::max)
        };
        let (space, need) = (opening_of(at, |o| o.0), opening_of(at, |o| o.1));
        if at.y > top + 0.01 && at.y + space + need > bottom + 0.01 {
            at = Cursor { spread: at.spread + 1, y: top };
        }
        let space = opening_of(at, |o| o.0);
        let begin = Cursor { y: at.y + space, ..at };
        for (n, side) in sides.iter_mut().enumerate() {
            ends[n] = place_unit(side, u, begin, top, bottom);
        }
    }
}

/// The space above a unit's first block and the height that must fit
/// under it for the unit to begin there (two lines, or a heading with two
/// lines of what follows it). At the top of a page only kept space counts.
fn opening(side: &Side, u: usize, at_top: bool) -> (f64, f64) {
    let blocks = &side.b.blocks[side.units[u].clone()];
    let Some(first) = blocks.iter().find(|b| !b.lines.is_empty()) else { return (0.0, 0.0) };
    let space = if at_top && !first.keep_space { 0.0 } else { first.space_before };
    let mut need = first.lines.len().min(2) as f64 * first.leading;
    if first.keep_with_next {
        need = first.lines.len() as f64 * first.leading + 2.0 * side.b.geo.leading;
    }
    (space, need)
}

/// Place unit `u` of `side` from `at` (its first line's top), running on
/// over the side's pages of later spreads; returns where it ends.
fn place_unit(side: &mut Side, u: usize, at: Cursor, top: f64, bottom: f64) -> Cursor {
    let bases = (side.element_base, side.picture_base);
    place_blocks(&side.b.blocks, side.units[u].clone(), bases, &mut side.halves, at, (top, bottom))
}

/// Place `blocks[range]` from `at` on `halves`; `bases` are the side's
/// first structure element and picture in the book's lists.
fn place_blocks(
    blocks: &[FlowBlock],
    range: Range<usize>,
    bases: (usize, usize),
    halves: &mut Vec<Half>,
    at: Cursor,
    (top, bottom): (f64, f64),
) -> Cursor {
    let mut cursor = at;
    let mut first = true;
    for bi in range {
        let block = &blocks[bi];
        if block.lines.is_empty() {
            continue;
        }
        let lead = block.leading;
        if !first {
            let space = if cursor.y <= top + 0.01 && !block.keep_space { 0.0 } else { block.space_before };
            // No orphan: a block that cannot show two lines here begins over the page.
            let need = block.lines.len().min(2) as f64 * lead;
            if cursor.y > top + 0.01 && cursor.y + space + need > bottom + 0.01 {
                cursor = Cursor { spread: cursor.spread + 1, y: top };
            } else {
                cursor.y += space;
            }
        }
        first = false;
        let row_top = table_row_top(block, halves, &mut cursor, (top, bottom));
        for (n, line) in block.lines.iter().enumerate() {
            if cursor.y + lead > bottom + 0.01 && cursor.y > top + 0.01 {
                cursor = Cursor { spread: cursor.spread + 1, y: top };
            }
            let half = half_at(halves, cursor.spread);
            if let Some(q) = block.question.as_ref().filter(|_| n == 0) {
                half.questions.push((q.clone(), cursor.y));
            }
            half.anchor.get_or_insert(match block.origin {
                Origin::Text(id) => Anchor::Text { block: id, offset: line.start_char },
                Origin::Fixed(anchor) => anchor,
            });
            half.body |= !matches!(block.origin, Origin::Fixed(Anchor::TitlePage));
            let baseline = cursor.y + lead * 0.78;
            let dx = if block.center { (block.measure - line.width) / 2.0 } else { 0.0 };
            half.ops.push(Op::Begin(Tag::Element(bases.0 + bi)));
            push_line(&mut half.ops, block.x + dx, baseline, line.runs.clone(), &line.extract);
            if let Some(image) = block.picture {
                let (x, y, width, height) = (block.x + dx, cursor.y, line.width, lead);
                half.ops.push(Op::Image { x, y, width, height, image: bases.1 + image });
            }
            half.ops.push(Op::End);
            for (x0, x1, url) in &line.links {
                let (x, width) = (block.x + dx + x0, x1 - x0);
                half.ops.push(Op::Link { x, y: baseline, width, height: lead, url: url.clone() });
            }
            cursor.y += lead;
        }
        if let (Some(frame), Some(row)) = (&block.table, row_top) {
            // A row longer than a page is ruled on its last page only.
            let (from, first) = if row.spread == cursor.spread { (row.y, true) } else { (top, false) };
            let ops = &mut half_at(halves, cursor.spread).ops;
            cursor.y = frame.rules(ops, block.x, from, cursor.y, first, true);
        }
    }
    cursor
}

/// A table's row is kept whole on one page, under the table's header
/// set again when the row begins a page (as the single-document pages
/// do); returns where the row begins, `None` for a block that is no row.
fn table_row_top(
    block: &FlowBlock,
    halves: &mut Vec<Half>,
    cursor: &mut Cursor,
    (top, bottom): (f64, f64),
) -> Option<Cursor> {
    let frame = block.table.as_ref()?;
    let height = block.lines.len() as f64 * block.leading;
    if cursor.y > top + 0.01 && cursor.y + height > bottom + 0.01 {
        *cursor = Cursor { spread: cursor.spread + 1, y: top };
    }
    if cursor.y <= top + 0.01 {
        cursor.y = frame.repeat_header(&mut half_at(halves, cursor.spread).ops, block.x, cursor.y);
    }
    Some(*cursor)
}

/// The side's page of `spread`, made (with any before it) when missing.
fn half_at(halves: &mut Vec<Half>, spread: usize) -> &mut Half {
    if halves.len() <= spread {
        halves.resize_with(spread + 1, Half::default);
    }
    &mut halves[spread]
}

/// The pages, spread by spread (verso the original, recto the
/// translation), moved into their margins, with running heads (each
/// side's title), folios (each side's digits) and the translation's
/// questions as bookmarks. Page 1 is left for the half title.
fn furnish_spreads(
    sides: &mut [Side; 2],
    docs: [&Document; 2],
    layout: &PdfLayout,
    width: f64,
    height: f64,
    size: f64,
) -> (Vec<SetPage>, Vec<OutlineEntry>) {
    let spreads = sides.iter().map(|s| s.halves.len()).max().unwrap_or(0).max(FIRST_BODY_SPREAD);
    let m = &layout.margins;
    let measure = width - m.inside.pt() - m.outside.pt();
    let mut pages =
        vec![SetPage { label: String::new(), anchor: Anchor::TitlePage, piece: None, ops: Vec::new() }];
    let mut outline = Vec::new();
    let mut last_anchor = Anchor::TitlePage;
    for spread in 1..spreads {
        for (n, side) in sides.iter_mut().enumerate() {
            let number = pages.len() + 1;
            // The verso's outside margin is on its left, the recto's inside.
            let left = if n == 0 { m.outside.pt() } else { m.inside.pt() };
            let mut half = std::mem::take(half_at(&mut side.halves, spread));
            shift(&mut half.ops, left);
            let furniture =
                Furniture { shaper: side.b.shaper, breaks: &side.b.hyphenator, direction: side.b.direction };
            let mut label = String::new();
            if half.body {
                label = number.to_string();
                furnish_half(
                    &mut half.ops,
                    &furniture,
                    docs[n],
                    side.b.words,
                    number,
                    layout,
                    left,
                    measure,
                    height,
                    size,
                );
            }
            // The bookmarks are the translation's questions, on its rectos.
            if n == 1 {
                let page = pages.len();
                outline.extend(half.questions.drain(..).map(|(title, y)| OutlineEntry {
                    title,
                    page,
                    y,
                    depth: 0,
                }));
            }
            let anchor = half.anchor.unwrap_or(last_anchor);
            last_anchor = anchor;
            pages.push(SetPage { label, anchor, piece: None, ops: half.ops });
        }
    }
    (pages, outline)
}

/// A body page's running head (its side's title) and folio (page
/// `number` in its side's digits).
#[allow(clippy::too_many_arguments)]
fn furnish_half(
    ops: &mut Vec<Op>,
    furniture: &Furniture,
    doc: &Document,
    words: &Words,
    number: usize,
    layout: &PdfLayout,
    left: f64,
    measure: f64,
    height: f64,
    size: f64,
) {
    let m = &layout.margins;
    let head_size = size * 0.8;
    let y = height - m.bottom.pt() + (m.bottom.pt() * 0.45).max(size * 1.5);
    ops.push(Op::Begin(Tag::Artifact));
    push_centered(furniture, ops, &words.number(number), FaceId::Regular, head_size, left, measure, y);
    ops.push(Op::End);
    if layout.running_heads {
        let text = shorten(furniture.shaper, &doc.meta.title, head_size, measure * 0.9);
        let y = m.top.pt() - size * 1.6;
        ops.push(Op::Begin(Tag::Artifact));
        push_centered(furniture, ops, &text, FaceId::Italic, head_size, left, measure, y);
        ops.push(Op::Rule { x: left, y: y + size * 0.45, width: measure, thickness: 0.3 });
        ops.push(Op::End);
    }
}

/// Page 1, a recto alone before the title spread: the translation's
/// title page again, as the book's half title (the book is the
/// translation's edition).
fn half_title(pages: &mut [SetPage], translation: &Side, layout: &PdfLayout, height: f64) {
    let (top, bottom) = (layout.margins.top.pt(), height - layout.margins.bottom.pt());
    let space = opening(translation, 0, true).0;
    let mut halves = Vec::new();
    let bases = (translation.element_base, translation.picture_base);
    let at = Cursor { spread: 0, y: top + space };
    place_blocks(&translation.b.blocks, translation.units[0].clone(), bases, &mut halves, at, (top, bottom));
    if let (Some(page), Some(mut half)) = (pages.first_mut(), halves.into_iter().next()) {
        shift(&mut half.ops, layout.margins.inside.pt());
        // The title's text is the title spread's; here it is a repeat.
        for op in &mut half.ops {
            if let Op::Begin(tag) = op {
                *tag = Tag::Artifact;
            }
        }
        page.ops = half.ops;
    }
}
