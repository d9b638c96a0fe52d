//! The plain-text edition: justified, hyphenated monospace text in pages of
//! a fixed number of lines, for any printer, terminal or mail client.
//!
//! [`paragraph`] sets paragraphs with the shared Knuth–Plass line breaker
//! in display columns; [`flow`] turns the document into blocks of set lines
//! (title frame, contents, bios, questions, turns, notes, colophon); [`page`]
//! pours them into columns and pages; this module assembles the pages with
//! their running footers and form feeds.

mod flow;
pub mod page;
pub mod paragraph;
mod parallel;
mod table;

use std::collections::BTreeSet;

use crate::backend::{Context, Missing, Output};
use crate::diag::Diagnostic;
use crate::layout::TextLayout;
use crate::model::{Collection, Direction, Document, addresses, document_text};
use crate::typeset::bidi;

pub use paragraph::{CUT_MARKER, fill, width};
pub use parallel::render as render_parallel;

/// Lines of each page that are not text: the top margin, the blank line
/// above the footer, and the footer.
const PAGE_FURNITURE: usize = 3;

/// Render `doc` as plain text: UTF-8, LF line endings, no trailing spaces,
/// pages separated by form feeds when the layout has pages.
pub fn render(doc: &Document, layout: &TextLayout, ctx: &Context) -> Result<Output, Diagnostic> {
    if layout.parallel {
        return Err(bilingual_only());
    }
    let doc = &*addresses::with_addresses(doc, layout.links);
    let gaps = if layout.ascii { no_ascii_form(doc, layout, ctx)? } else { Vec::new() };
    let mut flow = flow::Flow::new(doc, layout, column_width(layout), ctx.epoch);
    flow.document();
    if let Some(error) = flow.errors.drain(..).next() {
        return Err(error);
    }
    Ok(paginate(flow, layout, gaps, doc_size_hint(doc)))
}

/// Render a collection as one zine: the book's title frame and contents,
/// each piece from a new page with its own footer title, one colophon.
pub fn render_collection(
    book: &Collection,
    layout: &TextLayout,
    ctx: &Context,
) -> Result<Output, Diagnostic> {
    if layout.parallel {
        return Err(bilingual_only());
    }
    let book = &*addresses::collection_with_addresses(book, layout.links);
    let cover = book.book_document();
    let mut gaps = Vec::new();
    if layout.ascii {
        for doc in std::iter::once(&cover).chain(book.pieces.iter().map(|p| &p.document)) {
            gaps.extend(no_ascii_form(doc, layout, ctx)?);
        }
    }
    let mut flow = flow::Flow::new(&cover, layout, column_width(layout), ctx.epoch);
    flow.collection(&book.pieces);
    if let Some(error) = flow.errors.drain(..).next() {
        return Err(error);
    }
    let size = book.pieces.iter().map(|p| doc_size_hint(&p.document)).sum();
    Ok(paginate(flow, layout, gaps, size))
}

/// A bilingual layout asked of one document.
fn bilingual_only() -> Diagnostic {
    Diagnostic::error("a bilingual layout (`parallel: true`) is made from a translation and its original")
        .hint("build the translation: `mimeo build TRANSLATION.md --layout zine-parallel`")
}

/// The width of one column of text.
fn column_width(layout: &TextLayout) -> usize {
    let columns = if layout.page_height.is_some() { layout.columns.max(1) } else { 1 };
    (layout.width - layout.gutter * (columns - 1)) / columns
}

/// Pour the flow's blocks into pages (or one long page) with footers.
fn paginate(mut flow: flow::Flow, layout: &TextLayout, gaps: Vec<Diagnostic>, size: usize) -> Output {
    let paged = layout.page_height.is_some();
    let columns = if paged { layout.columns.max(1) } else { 1 };
    let column_width = column_width(layout);
    let mut text = String::with_capacity(size);
    let pages = match layout.page_height {
        Some(height) => {
            let body = height.saturating_sub(PAGE_FURNITURE).max(1);
            // The cover spans the page; the rest is poured into columns.
            let (front, rest) = flow.blocks.split_at(flow.front_len);
            let cover = page::pour(front, body, 1);
            let main = page::pour(rest, body, columns);
            let cover_pages = cover.columns.len();
            let pages = cover_pages + main.columns.len() / columns;
            // The contents now learn their page numbers; their line count
            // does not depend on the numbers, so nothing moves.
            let mut numbers = vec![0; flow.contents_len()];
            for &(anchor, column) in &cover.anchors {
                numbers[anchor] = column + 1;
            }
            for &(anchor, column) in &main.anchors {
                numbers[anchor] = cover_pages + column / columns + 1;
            }
            flow.number_contents(&numbers);
            let (front, rest) = flow.blocks.split_at(flow.front_len);
            let sheets = cover
                .columns
                .chunks(1)
                .map(|page| (page, front, 0))
                .chain(main.columns.chunks(columns).map(|page| (page, rest, flow.front_len)));
            for (n, (page, blocks, first_block)) in sheets.enumerate() {
                // The footer names what the page begins with: a collection's
                // piece, or the book.
                let opening = page.iter().flatten().find_map(|slot| match slot {
                    page::Slot::Line(b, _) => Some(first_block + b),
                    page::Slot::Blank => None,
                });
                let footer_title = opening.map_or_else(|| flow.footer_title(), |b| flow.footer_title_at(b));
                if n > 0 {
                    text.push('\u{C}');
                }
                text.push('\n');
                let rtl = flow.direction == Direction::Rtl;
                for row in 0..body {
                    let mut line = String::new();
                    // Right to left, the first column is at the right.
                    let order: Vec<&Vec<page::Slot>> =
                        if rtl { page.iter().rev().collect() } else { page.iter().collect() };
                    let cells: Vec<Option<&str>> = order
                        .iter()
                        .map(|column| match column.get(row) {
                            Some(page::Slot::Line(b, l)) => Some(blocks[*b].lines[*l].as_str()),
                            _ => None,
                        })
                        .collect();
                    // A terminal's bidi algorithm would join right-to-left
                    // lines of neighbouring columns into one run and swap
                    // them; a left-to-right mark before each column keeps
                    // every column in its place.
                    let separate = cells.len() > 1 && cells.iter().flatten().any(|cell| has_rtl(cell));
                    for (c, cell) in cells.iter().enumerate() {
                        if let Some(cell) = cell {
                            let pad = (column_width + layout.gutter) * c;
                            line.extend(std::iter::repeat_n(' ', pad.saturating_sub(width(&line))));
                            if separate && c > 0 {
                                line.push(LRM);
                            }
                            line.push_str(cell);
                        }
                    }
                    push_line(&mut text, &line);
                }
                text.push('\n');
                let number = flow.words.number(n + 1);
                push_line(&mut text, &footer(&footer_title, &number, layout.width, flow.direction));
            }
            Some(pages)
        }
        None => {
            for (i, block) in flow.blocks.iter().enumerate() {
                let space =
                    if i == 0 { 0 } else { block.space_before.max(if block.new_page { 3 } else { 0 }) };
                (0..space).for_each(|_| text.push('\n'));
                block.lines.iter().for_each(|line| push_line(&mut text, line));
            }
            None
        }
    };
    let mut warnings = gaps;
    warnings.append(&mut flow.warnings);
    Output { bytes: text.into_bytes(), pages, page_starts: Vec::new(), warnings }
}

/// In an ASCII edition, the characters with no ASCII form (which would
/// print as `?`): an error at the first, or warnings when allowed.
fn no_ascii_form(doc: &Document, layout: &TextLayout, ctx: &Context) -> Result<Vec<Diagnostic>, Diagnostic> {
    let chars: BTreeSet<char> = document_text(doc)
        .chars()
        .filter(|&c| {
            !c.is_ascii() && !c.is_control() && c != '\u{AD}' && deunicode::deunicode_char(c).is_none()
        })
        .collect();
    if chars.is_empty() {
        return Ok(Vec::new());
    }
    let fix = "use a layout without `ascii: true` (e.g. zine-72), or write the character another way";
    let missing = Missing {
        chars: &chars,
        problem: "no ASCII form for",
        tried: "transliteration".into(),
        fix,
        shown_as: "`?`",
    };
    missing.report(doc.source.as_deref(), ctx.allow_missing_glyphs || layout.allow_missing_glyphs)
}

/// Left-to-right mark: strong, invisible, of no width.
const LRM: char = '\u{200E}';

fn has_rtl(text: &str) -> bool {
    !text.is_ascii() && text.chars().any(|c| bidi::char_direction(c) == Some(Direction::Rtl))
}

fn doc_size_hint(doc: &Document) -> usize {
    doc.turns().flat_map(|t| &t.blocks).count() * 1200 + 8192
}

fn push_line(text: &mut String, line: &str) {
    text.push_str(line.trim_end_matches(' '));
    text.push('\n');
}

/// The running footer: the (short) title at the left, the page number at
/// the right, filling the width; mirrored in right-to-left documents (the
/// number at the left, the title flush right).
fn footer(title: &str, number: &str, width: usize, direction: Direction) -> String {
    let room = width.saturating_sub(paragraph::width(number) + 3);
    let title = truncate(title, room);
    let pad = " ".repeat(width.saturating_sub(paragraph::width(&title) + paragraph::width(number)));
    match direction {
        Direction::Ltr => format!("{title}{pad}{number}"),
        Direction::Rtl => format!("{number}{pad}{title}"),
    }
}

/// `text` cut at a word boundary to fit `room` columns, with an ellipsis
/// when cut.
fn truncate(text: &str, room: usize) -> String {
    use unicode_segmentation::UnicodeSegmentation;
    if paragraph::width(text) <= room {
        return text.to_string();
    }
    let room = room.saturating_sub(3);
    let mut out = String::new();
    for word in text.split(' ') {
        let next = if out.is_empty() { word.to_string() } else { format!("{out} {word}") };
        if paragraph::width(&next) > room {
            break;
        }
        out = next;
    }
    if out.is_empty() {
        // One long word: as many grapheme clusters as fit.
        for g in text.graphemes(true) {
            if paragraph::width(&out) + paragraph::width(g) > room {
                break;
            }
            out.push_str(g);
        }
    }
    out.trim_end_matches([',', ';', ':', ' ']).to_string() + "..."
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_footer_fills_the_width() {
        let f =
            footer("A title that is much too long for the footer of a narrow page", "12", 40, Direction::Ltr);
        assert_eq!(width(&f), 40);
        assert!(f.ends_with(" 12") && f.contains("..."), "{f}");
        let wide = footer(&"漢字".repeat(40), "3", 40, Direction::Ltr);
        assert_eq!(width(&wide), 40, "{wide}");
        let rtl = footer("خیزش‌های جهانی", "۷", 40, Direction::Rtl);
        assert_eq!(width(&rtl), 40, "{rtl}");
        assert!(rtl.starts_with("۷ ") && rtl.ends_with("جهانی"), "{rtl}");
    }
}
