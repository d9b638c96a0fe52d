//! The print edition: the model typeset into pages and written as PDF.
//!
//! Two stages, so that imposition can place already-set pages on sheets:
//! [`typeset`] turns the document into a [`SetDocument`] (pages of
//! positioned glyph runs, their folios and anchors), and [`write`] turns
//! that into PDF bytes. [`render`] does both.

mod compose;
mod fonts;
mod set;
mod write;

pub use compose::{GlyphRun, LineAlign, Para, Piece, SetLine, Style, WordBreaks, compose};
pub use fonts::{FaceId, Features, FontData, Fonts, ShapedGlyph, Shaper};
pub use set::{DocInfo, Op, OutlineEntry, SetDocument, SetPage, civil_date, typeset};
pub use write::{EmbeddedFont, Refs, deflate, embed_fonts, page_content, write};

use crate::backend::{Context, Output};
use crate::diag::Diagnostic;
use crate::layout::PdfLayout;
use crate::model::Document;

/// Typeset and write `doc` with `layout`.
pub fn render(doc: &Document, layout: &PdfLayout, ctx: &Context) -> Result<Output, Diagnostic> {
    let fonts = Fonts::load(layout)?;
    let set = typeset(doc, layout, &fonts, ctx)?;
    let bytes = write(&set, &fonts)?;
    let page_starts = set
        .pages
        .iter()
        .map(|p| crate::model::PageStart { label: p.label.clone(), anchor: p.anchor })
        .collect();
    Ok(Output { bytes, pages: Some(set.pages.len()), page_starts, warnings: set.warnings })
}
