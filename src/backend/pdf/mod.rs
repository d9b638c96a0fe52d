//! The print edition: the model typeset into pages and written as PDF.
//!
//! Stages, so that imposition places already-set pages on sheets:
//! [`typeset`] turns the document into a [`SetDocument`] (pages of
//! positioned glyph runs, their folios and anchors); [`impose`] lays those
//! pages on [`SheetSide`]s (booklet, mini-zine, signatures, n-up cut-and-stack
//! and flyers, spreads, or one page with bleed and crop marks); [`write`] / [`write_sheets`] turn them
//! into PDF bytes. [`render`] does all, as the layout says.

mod compose;
mod compress;
pub mod cover;
mod fonts;
mod head_to_foot;
mod impose;
pub mod inks;
mod set;
pub mod standard;
mod svg;
mod write;

pub use compose::{Extract, GlyphRun, LineAlign, Para, Piece, SetLine, Style, WordBreaks, compose};
pub use compress::deflate;
pub use fonts::{FaceId, Features, FontData, Fonts, Lang, ShapedGlyph, Shaper, Shaping};
pub use impose::{
    Mark, Placement, SheetSide, booklet_sides, impose, ink_box, manual_order, minizine_cells, nested_page,
    pad, signature_sizes,
};
pub use set::{
    DocInfo, Op, OutlineEntry, Picture, SetDocument, SetPage, typeset, typeset_collection, typeset_parallel,
};
pub use write::{EmbeddedFont, WriteOptions, embed_fonts, write, write_sheets};

use crate::backend::{Context, Output};
use crate::diag::Diagnostic;
use crate::layout::PdfLayout;
use crate::layout::pdf::Variant;
use crate::model::{Collection, Direction, Document, addresses};

/// Typeset and write `doc` with `layout`.
pub fn render(doc: &Document, layout: &PdfLayout, ctx: &Context) -> Result<Output, Diagnostic> {
    if let Some(cover) = &layout.cover {
        return cover::render(doc, layout, cover, ctx);
    }
    let doc = &*addresses::with_addresses(doc, layout.links);
    let fonts = Fonts::load_for(layout, doc)?;
    let mut set = typeset(doc, layout, &fonts, ctx)?;
    if layout.variant == Variant::Riso {
        inks::apply(&mut set, doc, layout, inks::Plan::new(layout, false));
    }
    finish(set, &fonts, layout, doc.meta.direction)
}

/// Typeset and write a collection as one book with `layout`.
pub fn render_collection(book: &Collection, layout: &PdfLayout, ctx: &Context) -> Result<Output, Diagnostic> {
    if let Some(cover) = &layout.cover {
        // The spine: the interior edition of the whole book, typeset here
        // when the caller has not (a collection's build passes no pages).
        let starts = match ctx.print_pages {
            Some((_, starts)) => starts.to_vec(),
            None => match crate::layout::load(&cover.interior)?.settings {
                crate::layout::Settings::Pdf(interior) if interior.cover.is_none() => {
                    collection_page_starts(book, &interior, ctx)?
                }
                _ => {
                    return Err(Diagnostic::error(format!(
                        "`cover.interior: {}` must name a PDF layout of the text",
                        cover.interior
                    )));
                }
            },
        };
        let ctx = Context { print_pages: Some((cover.interior.as_str(), &starts)), ..ctx.clone() };
        return cover::render_collection(book, layout, cover, &ctx);
    }
    let book = &*addresses::collection_with_addresses(book, layout.links);
    let documents: Vec<&Document> = book.pieces.iter().map(|p| &p.document).collect();
    let fonts = Fonts::load_for_all(layout, &documents)?;
    let mut set = typeset_collection(book, layout, &fonts, ctx)?;
    if layout.variant == Variant::Riso {
        // The inks find speaker labels by the speakers of every piece.
        let mut speakers = book.book_document();
        speakers.participants = documents.iter().flat_map(|d| d.participants.iter().cloned()).collect();
        inks::apply(&mut set, &speakers, layout, inks::Plan::new(layout, false));
    }
    finish(set, &fonts, layout, book.meta.direction)
}

/// Typeset and write a translation facing its original (`a5-parallel`):
/// the original on the versos, the translation on the rectos.
pub fn render_parallel(
    pair: &crate::model::Parallel,
    layout: &PdfLayout,
    ctx: &Context,
) -> Result<Output, Diagnostic> {
    if layout.cover.is_some() || layout.imposition.is_some() {
        return Err(Diagnostic::error(
            "a facing-pages edition is made as pages only (no cover or imposition)",
        ));
    }
    let original = &*addresses::with_addresses(&pair.original, layout.links);
    let translation = &*addresses::with_addresses(&pair.translation, layout.links);
    let fonts = Fonts::load_for_all(layout, &[original, translation])?;
    let set = typeset_parallel([original, translation], layout, &fonts, ctx)?;
    finish(set, &fonts, layout, Direction::Ltr)
}

/// Typeset a translation and its original back to back in one booklet
/// (`a5-tete-beche`): each side from its own front cover, the two meeting
/// in the middle, the translation's half turned head to foot when both
/// read the same way.
pub fn render_head_to_foot(
    pair: &crate::model::Parallel,
    layout: &PdfLayout,
    ctx: &Context,
) -> Result<Output, Diagnostic> {
    use crate::layout::pdf::ImpositionKind;
    if layout.cover.is_some() || layout.imposition.as_ref().is_none_or(|i| i.kind != ImpositionKind::Booklet)
    {
        return Err(Diagnostic::error("a head-to-foot edition is made as a booklet only")
            .hint("give the layout `imposition: { kind: booklet, sheet: ... }` and no `cover:`"));
    }
    let original = &*addresses::with_addresses(&pair.original, layout.links);
    let translation = &*addresses::with_addresses(&pair.translation, layout.links);
    let fonts = Fonts::load_for_all(layout, &[original, translation])?;
    let front = typeset(original, layout, &fonts, ctx)?;
    let back = typeset(translation, layout, &fonts, ctx)?;
    // The binding is the original's: its cover is the booklet's front.
    let direction = original.meta.direction;
    let turn = direction == translation.meta.direction;
    let head_to_foot::BackToBack { mut set, turned } = head_to_foot::back_to_back(front, back, turn);
    let mut sides = impose(&mut set, layout, direction)?;
    for placement in sides.iter_mut().flat_map(|side| side.placements.iter_mut()) {
        if let Some(n) = placement.page {
            placement.rotated ^= turned[n];
        }
    }
    let page_starts = set.pages.iter().map(SetPage::start).collect();
    let print = layout.variant != Variant::Screen;
    let options = WriteOptions {
        outline: !print,
        k_only: layout.variant == Variant::Print || layout.drum.is_some(),
        pdf_x: print,
    };
    let bytes = write_sheets(&mut set, &fonts, &sides, options)?;
    Ok(Output { bytes, pages: Some(sides.len()), page_starts, warnings: set.warnings })
}

/// Impose (when the layout asks) and write a typeset book.
fn finish(
    mut set: SetDocument,
    fonts: &Fonts,
    layout: &PdfLayout,
    direction: Direction,
) -> Result<Output, Diagnostic> {
    let plain = layout.imposition.is_none()
        && layout.bleed.is_none()
        && !layout.crop_marks
        && layout.variant == Variant::Screen;
    // Imposition pads the pages; the page starts are the padded pages'.
    let sides = if plain { None } else { Some(impose(&mut set, layout, direction)?) };
    let page_starts = set.pages.iter().map(SetPage::start).collect();
    let mut sides = sides;
    if let (Some(sides), Some(imposition)) = (&mut sides, &layout.imposition)
        && imposition.manual_duplex
    {
        // After the page starts: the instructions are not a page of the book.
        impose::instructions::prepend(&mut set, sides, fonts, imposition.kind)?;
    }
    let (bytes, sheets) = match sides {
        None => (write(&mut set, fonts)?, set.pages.len()),
        Some(sides) => {
            let print = layout.variant != Variant::Screen;
            let options = WriteOptions {
                outline: !print,
                k_only: layout.variant == Variant::Print || layout.drum.is_some(),
                pdf_x: print,
            };
            (write_sheets(&mut set, fonts, &sides, options)?, sides.len())
        }
    };
    Ok(Output { bytes, pages: Some(sheets), page_starts, warnings: set.warnings })
}

/// Where each page of `layout`'s edition begins, without writing the PDF:
/// what an EPUB page list needs (typesetting only, no subsetting or
/// compression).
pub fn page_starts(
    doc: &Document,
    layout: &PdfLayout,
    ctx: &Context,
) -> Result<Vec<crate::model::PageStart>, Diagnostic> {
    let doc = &*addresses::with_addresses(doc, layout.links);
    let fonts = Fonts::load_for(layout, doc)?;
    let set = typeset(doc, layout, &fonts, ctx)?;
    Ok(set.pages.iter().map(SetPage::start).collect())
}

/// Where each page of a collection's `layout` edition begins, with the
/// piece it belongs to: what the collection's EPUB page list needs.
pub fn collection_page_starts(
    book: &Collection,
    layout: &PdfLayout,
    ctx: &Context,
) -> Result<Vec<crate::model::PageStart>, Diagnostic> {
    // With the link addresses the print edition sets, as `page_starts`.
    let book = &*addresses::collection_with_addresses(book, layout.links);
    let documents: Vec<&Document> = book.pieces.iter().map(|p| &p.document).collect();
    let fonts = Fonts::load_for_all(layout, &documents)?;
    let set = typeset_collection(book, layout, &fonts, ctx)?;
    Ok(set.pages.iter().map(SetPage::start).collect())
}
