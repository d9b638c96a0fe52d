//! Imposition: already-set pages placed on the sheets a printer is fed,
//! with bleed and print-shop marks. Nothing is typeset again: a sheet side
//! is a list of placements of [`SetPage`]s (written as Form XObjects).
//!
//! The flow is one way: `set` → `impose` (this module: a plan of sides)
//! → `write`. Each scheme is a file that only numbers pages (which page
//! goes in which cell of which side); this file turns cells into places
//! on the sheet, and [`marks`] draws the marks. A scheme that takes
//! pages from two documents (tête-bêche) puts both in one [`SetDocument`]
//! and places the second's pages turned (`Placement::rotated`).
//!
//! Orders (1-based page numbers, left | right as the side is printed):
//! - booklet of P pages (P a multiple of 4), sheet s = 0.. : front
//!   `P-2s | 2s+1`, back `2s+2 | P-2s-1`; duplex, flip on the short edge,
//!   fold, staple. Right-to-left binding mirrors each side.
//! - signatures: booklets in sequence, each with its collation mark.
//! - mini-zine: one side of a sheet, 4 × 2 cells; top row `5 4 3 2`
//!   turned 180°, bottom row `6 7 8 1`; cut between the middle cells
//!   along the horizontal fold. Right-to-left mirrors the rows. More
//!   sheets nest ([`minizine::nested_page`]).
//! - n-up ([`nup`]): cut-and-stack, duplex 2-up, copies.

mod booklet;
pub mod instructions;
pub mod marks;
mod minizine;
mod nup;
mod safety;
mod spreads;

pub use booklet::{booklet_sides, signature_sizes};
pub use minizine::{minizine_cells, nested_page};
pub use nup::{grid, manual_order};
pub use safety::ink_box;

use super::set::{SetDocument, SetPage};
use crate::diag::Diagnostic;
use crate::layout::pdf::{Binding, Imposition, ImpositionKind, MultiSheet, PdfLayout};
use crate::model::{Anchor, Direction};
use marks::{MARK_GAP, MARK_LENGTH, clip, crop_marks, guides};

/// One page placed on a sheet side: its trim box's lower-left corner in
/// sheet coordinates (points, from the bottom left), turned 180° or not.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Placement {
    /// Index into the set pages; `None` for a blank.
    pub page: Option<usize>,
    pub x: f64,
    pub y: f64,
    pub rotated: bool,
}

/// A stroke drawn in registration colour.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Mark {
    pub from: (f64, f64),
    pub to: (f64, f64),
    pub dashed: bool,
    /// The stroke's width (a collation mark is a wide one).
    pub weight: f64,
}

impl Mark {
    pub fn line(from: (f64, f64), to: (f64, f64)) -> Mark {
        Mark { from, to, dashed: false, weight: 0.25 }
    }

    pub fn dashed(from: (f64, f64), to: (f64, f64)) -> Mark {
        Mark { from, to, dashed: true, weight: 0.25 }
    }
}

/// One PDF page of the output: a sheet side (or a page with its bleed).
#[derive(Debug, Clone, PartialEq)]
pub struct SheetSide {
    pub width: f64,
    pub height: f64,
    /// `[llx, lly, urx, ury]` of the finished area and of the bleed.
    pub trim: [f64; 4],
    pub bleed: [f64; 4],
    pub placements: Vec<Placement>,
    pub marks: Vec<Mark>,
}

/// Blank pages added so the count is a multiple of `multiple`: placed
/// before the colophon when the document ends with one (so it stays the
/// back cover), else at the end. Never inside the text.
pub fn pad(set: &mut SetDocument, multiple: usize) {
    pad_to(set, set.pages.len().div_ceil(multiple) * multiple);
}

/// Blank pages added (as [`pad`] does) up to `total` pages.
fn pad_to(set: &mut SetDocument, total: usize) {
    let short = total.saturating_sub(set.pages.len());
    if short == 0 {
        return;
    }
    let ends_with_colophon = set.pages.last().is_some_and(|p| p.anchor == Anchor::Colophon);
    let at = if ends_with_colophon { set.pages.len() - 1 } else { set.pages.len() };
    let blank = SetPage { label: String::new(), anchor: Anchor::Colophon, piece: None, ops: Vec::new() };
    for _ in 0..short {
        set.pages.insert(at, blank.clone());
    }
}

/// Where the cells of a side are: a block of `cols` × `rows` pages of
/// `w` × `h` centred on the sheet.
struct Frame {
    sheet_w: f64,
    sheet_h: f64,
    x0: f64,
    y0: f64,
    w: f64,
    h: f64,
    rows: usize,
    bleed: f64,
}

impl Frame {
    /// The lower-left corner of the cell `col`, `row` (rows from the top).
    fn cell(&self, col: usize, row: usize) -> (f64, f64) {
        (self.x0 + col as f64 * self.w, self.y0 + (self.rows - 1 - row) as f64 * self.h)
    }

    fn side(&self) -> SheetSide {
        let trim = [self.x0, self.y0, self.sheet_w - self.x0, self.sheet_h - self.y0];
        side(self.sheet_w, self.sheet_h, trim, self.bleed)
    }
}

/// Impose `set` as the layout says. Pads `set` with blanks as the
/// imposition needs (so its pages are what the printed copy has); a
/// warning goes to `set.warnings` when ink comes closer to a sheet's edge
/// than `imposition.safe-margin`.
pub fn impose(
    set: &mut SetDocument,
    layout: &PdfLayout,
    direction: Direction,
) -> Result<Vec<SheetSide>, Diagnostic> {
    let (w, h) = (set.width, set.height);
    let bleed = layout.bleed.map_or(0.0, |b| b.pt());
    let marks = layout.crop_marks;
    let margin = bleed + if marks { MARK_GAP + MARK_LENGTH } else { 0.0 };
    let Some(imposition) = &layout.imposition else {
        // One page per side, grown by bleed and the marks' margin.
        return Ok((0..set.pages.len())
            .map(|n| {
                let mut side =
                    side(w + 2.0 * margin, h + 2.0 * margin, [margin, margin, margin + w, margin + h], bleed);
                side.placements.push(Placement { page: Some(n), x: margin, y: margin, rotated: false });
                if marks {
                    side.marks = crop_marks(side.trim, bleed, &[]);
                }
                side
            })
            .collect());
    };
    let rtl = match imposition.binding {
        Some(Binding::Right) => true,
        Some(Binding::Left) => false,
        None => direction == Direction::Rtl,
    };
    let (cols, rows) = match imposition.kind {
        ImpositionKind::Minizine => (4, 2),
        ImpositionKind::CutStack | ImpositionKind::Duplex2Up | ImpositionKind::Copies => grid(imposition.up),
        _ => (2, 1),
    };
    let (block_w, block_h) = (w * cols as f64, h * rows as f64);
    let (sheet_w, sheet_h) = match &imposition.sheet {
        Some(sheet) => (sheet.width.pt(), sheet.height.pt()),
        None => (block_w + 2.0 * margin, block_h + 2.0 * margin),
    };
    if block_w + 2.0 * bleed > sheet_w + 0.01 || block_h + 2.0 * bleed > sheet_h + 0.01 {
        return Err(Diagnostic::error(format!(
            "{cols} × {rows} pages of {:.0} × {:.0} mm do not fit on a {:.0} × {:.0} mm sheet",
            w / 72.0 * 25.4,
            h / 72.0 * 25.4,
            sheet_w / 72.0 * 25.4,
            sheet_h / 72.0 * 25.4
        ))
        .hint("name a larger `imposition.sheet`, or a smaller page"));
    }
    let frame = Frame {
        sheet_w,
        sheet_h,
        x0: (sheet_w - block_w) / 2.0,
        y0: (sheet_h - block_h) / 2.0,
        w,
        h,
        rows,
        bleed,
    };
    let mut sides = match imposition.kind {
        ImpositionKind::Booklet | ImpositionKind::Signatures | ImpositionKind::Spreads => {
            folded(set, imposition, &frame, rtl, marks)
        }
        ImpositionKind::Minizine => minizine(set, imposition, &frame, rtl, marks)?,
        ImpositionKind::CutStack | ImpositionKind::Duplex2Up | ImpositionKind::Copies => {
            n_up(set, imposition, &frame, (cols, rows))
        }
    };
    // Desktop paper: marks stay in the safe area, and ink is checked.
    if imposition.sheet.is_some() {
        let safe = imposition.safe_margin.pt();
        let area = [safe, safe, sheet_w - safe, sheet_h - safe];
        for side in &mut sides {
            side.marks = clip(std::mem::take(&mut side.marks), area);
        }
        if let Some(warning) = safety::check(set, &sides, safe) {
            set.warnings.push(warning);
        }
    }
    if imposition.manual_duplex {
        sides = manual_order(&sides);
    }
    Ok(sides)
}

/// Two pages a side, folded at the spine between them: booklet,
/// signatures (each with its collation mark) and proof spreads.
fn folded(
    set: &mut SetDocument,
    imposition: &Imposition,
    frame: &Frame,
    rtl: bool,
    marks: bool,
) -> Vec<SheetSide> {
    let creep = imposition.creep.map_or(0.0, |c| c.pt());
    let w = frame.w;
    let two_up = |left: Option<usize>, right: Option<usize>, shift: f64, fold: bool| {
        let mut s = frame.side();
        let (x0, y0) = frame.cell(0, 0);
        s.placements.push(Placement { page: left, x: x0 + shift, y: y0, rotated: false });
        s.placements.push(Placement { page: right, x: x0 + w - shift, y: y0, rotated: false });
        if marks {
            let folds = if fold { vec![x0 + w] } else { Vec::new() };
            s.marks = crop_marks(s.trim, frame.bleed, &folds);
        }
        s
    };
    match imposition.kind {
        ImpositionKind::Booklet => {
            pad(set, 4);
            booklet_sides(set.pages.len(), rtl)
                .into_iter()
                .enumerate()
                .map(|(n, [l, r])| two_up(Some(l), Some(r), creep * (n / 2) as f64, true))
                .collect()
        }
        ImpositionKind::Signatures => {
            let sizes = signature_sizes(set.pages.len(), imposition.signature);
            pad_to(set, sizes.iter().sum());
            let mut sides = Vec::new();
            let mut start = 0;
            for (index, &count) in sizes.iter().enumerate() {
                for (n, [l, r]) in booklet_sides(count, rtl).into_iter().enumerate() {
                    let mut side = two_up(Some(start + l), Some(start + r), creep * (n / 2) as f64, true);
                    if n == 0 {
                        // The outer sheet's front is the signature's outside.
                        let spine = frame.cell(0, 0).0 + w;
                        side.marks.push(marks::collation(spine, side.trim, index, sizes.len()));
                    }
                    sides.push(side);
                }
                start += count;
            }
            sides
        }
        _ => spreads::spread_sides(set.pages.len(), rtl)
            .into_iter()
            .map(|[l, r]| two_up(l, r, 0.0, false))
            .collect(),
    }
}

/// The mini-zine, one sheet per eight pages, sheets nested.
fn minizine(
    set: &mut SetDocument,
    imposition: &Imposition,
    frame: &Frame,
    rtl: bool,
    marks: bool,
) -> Result<Vec<SheetSide>, Diagnostic> {
    if set.pages.len() > 8 && imposition.multi_sheet == MultiSheet::Refuse {
        return Err(Diagnostic::error(format!(
            "the text needs {} pages, and this mini-zine is one sheet of 8 (`imposition.multi-sheet: refuse`)",
            set.pages.len()
        ))
        .hint("build it with a booklet layout (e.g. `a6-booklet`), or set `multi-sheet: nested`"));
    }
    pad(set, 8);
    let sheets = set.pages.len() / 8;
    let cells = minizine_cells(rtl);
    let (w, h) = (frame.w, frame.h);
    Ok((0..sheets)
        .map(|k| {
            let mut s = frame.side();
            for &(offset, col, row, rotated) in &cells {
                let (x, y) = frame.cell(col, row);
                s.placements.push(Placement { page: Some(nested_page(offset, k, sheets)), x, y, rotated });
            }
            if marks {
                s.marks = crop_marks(s.trim, frame.bleed, &[]);
            }
            if marks || imposition.guides {
                // The cut: along the horizontal fold, between the middle cells.
                let (x0, y0) = frame.cell(0, 1);
                let mid = y0 + h;
                s.marks.push(Mark::dashed((x0 + w, mid), (x0 + 3.0 * w, mid)));
            }
            if imposition.guides {
                let xs: Vec<f64> = (1..4).map(|c| frame.x0 + c as f64 * w).collect();
                let safe = imposition.safe_margin.pt();
                s.marks.extend(guides(frame.sheet_w, frame.sheet_h, safe, &xs, &[frame.y0 + h]));
            }
            s
        })
        .collect())
}

/// N-up sides (cut-and-stack, duplex 2-up, copies); cut guides on fronts.
fn n_up(
    set: &mut SetDocument,
    imposition: &Imposition,
    frame: &Frame,
    (cols, rows): (usize, usize),
) -> Vec<SheetSide> {
    let kind = imposition.kind;
    if kind != ImpositionKind::Copies {
        // Blanks before the colophon, so it stays the last page.
        pad(set, 2);
    }
    let plan = nup::sides(kind, set.pages.len(), imposition.up);
    let safe = imposition.safe_margin.pt();
    plan.into_iter()
        .enumerate()
        .map(|(n, cells)| {
            let mut s = frame.side();
            for (cell, page) in cells.into_iter().enumerate() {
                let (x, y) = frame.cell(cell % cols, cell / cols);
                s.placements.push(Placement { page, x, y, rotated: false });
            }
            let front = kind == ImpositionKind::Copies || n % 2 == 0;
            if imposition.guides && front {
                // Every cut: between the cells, and the block's edges when
                // it does not fill the sheet.
                let outer = frame.x0 > 1.0 || frame.y0 > 1.0;
                let xs: Vec<f64> = (0..=cols)
                    .filter(|&c| outer || (c > 0 && c < cols))
                    .map(|c| frame.x0 + c as f64 * frame.w)
                    .collect();
                let ys: Vec<f64> = (0..=rows)
                    .filter(|&r| outer || (r > 0 && r < rows))
                    .map(|r| frame.y0 + r as f64 * frame.h)
                    .collect();
                s.marks = guides(frame.sheet_w, frame.sheet_h, safe, &xs, &ys);
            }
            s
        })
        .collect()
}

pub(super) fn side(width: f64, height: f64, trim: [f64; 4], bleed: f64) -> SheetSide {
    SheetSide {
        width,
        height,
        trim,
        bleed: [trim[0] - bleed, trim[1] - bleed, trim[2] + bleed, trim[3] + bleed],
        placements: Vec::new(),
        marks: Vec::new(),
    }
}
