//! Imposition: already-set pages placed on the sheets a printer is fed,
//! with bleed and print-shop marks. Nothing is typeset again: a sheet side
//! is a list of placements of [`SetPage`]s (written as Form XObjects).
//!
//! Orders (1-based page numbers, left | right as the side is printed):
//! - booklet of P pages (P a multiple of 4), sheet s = 0.. : front
//!   `P-2s | 2s+1`, back `2s+2 | P-2s-1`; duplex, flip on the short edge,
//!   fold, staple. Right-to-left binding mirrors each side.
//! - mini-zine: one side of a sheet, 4 × 2 cells; top row `5 4 3 2`
//!   turned 180°, bottom row `6 7 8 1`; cut between the middle cells
//!   along the horizontal fold. Right-to-left mirrors the rows.

use super::set::{SetDocument, SetPage};
use crate::diag::Diagnostic;
use crate::layout::pdf::{Binding, ImpositionKind, PdfLayout};
use crate::model::{Anchor, Direction};

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

/// A mark drawn in registration colour.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Mark {
    pub from: (f64, f64),
    pub to: (f64, f64),
    pub dashed: bool,
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

/// Length of crop marks and their distance from the trim (beyond the bleed).
pub(super) const MARK_LENGTH: f64 = 14.0;
pub(super) const MARK_GAP: f64 = 3.0;

/// Blank pages added so the count is a multiple of `multiple`: placed
/// before the colophon when the document ends with one (so it stays the
/// back cover), else at the end. Never inside the text.
pub fn pad(set: &mut SetDocument, multiple: usize) {
    let short = (multiple - set.pages.len() % multiple) % multiple;
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

/// The sides of a saddle-stitched booklet of `pages` pages (a multiple of
/// 4), as `[left, right]` page indices in printing order (front, back, …).
pub fn booklet_sides(pages: usize, rtl: bool) -> Vec<[usize; 2]> {
    let mut sides = Vec::with_capacity(pages / 2);
    for s in 0..pages / 4 {
        let (outer_front, inner_front) = (pages - 1 - 2 * s, 2 * s);
        let (inner_back, outer_back) = (2 * s + 1, pages - 2 - 2 * s);
        if rtl {
            sides.push([inner_front, outer_front]);
            sides.push([outer_back, inner_back]);
        } else {
            sides.push([outer_front, inner_front]);
            sides.push([inner_back, outer_back]);
        }
    }
    sides
}

/// The mini-zine cells of the pages `0..8` of one sheet: `(page offset,
/// column, row from the top, turned 180°)`.
pub fn minizine_cells(rtl: bool) -> [(usize, usize, usize, bool); 8] {
    let bottom: [usize; 4] = if rtl { [0, 7, 6, 5] } else { [5, 6, 7, 0] };
    let top: [usize; 4] = if rtl { [1, 2, 3, 4] } else { [4, 3, 2, 1] };
    let mut cells = [(0, 0, 0, false); 8];
    for c in 0..4 {
        cells[c] = (top[c], c, 0, true);
        cells[4 + c] = (bottom[c], c, 1, false);
    }
    cells
}

/// Impose `set` as the layout says. Pads `set` with blanks as the
/// imposition needs (so its pages are what the printed copy has).
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
    let creep = imposition.creep.map_or(0.0, |c| c.pt());
    let (cols, rows) = if imposition.kind == ImpositionKind::Minizine { (4, 2) } else { (2, 1) };
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
    let (x0, y0) = ((sheet_w - block_w) / 2.0, (sheet_h - block_h) / 2.0);
    let trim = [x0, y0, x0 + block_w, y0 + block_h];
    let two_up = |left: Option<usize>, right: Option<usize>, shift: f64, fold: bool| {
        let mut s = side(sheet_w, sheet_h, trim, bleed);
        s.placements.push(Placement { page: left, x: x0 + shift, y: y0, rotated: false });
        s.placements.push(Placement { page: right, x: x0 + w - shift, y: y0, rotated: false });
        if marks {
            let spine = x0 + w;
            let folds = if fold { vec![spine] } else { Vec::new() };
            s.marks = crop_marks(trim, bleed, &folds);
        }
        s
    };
    let sides = match imposition.kind {
        ImpositionKind::Booklet => {
            pad(set, 4);
            booklet_sides(set.pages.len(), rtl)
                .into_iter()
                .enumerate()
                .map(|(n, [l, r])| two_up(Some(l), Some(r), creep * (n / 2) as f64, true))
                .collect()
        }
        ImpositionKind::Signatures => {
            pad(set, 4);
            let per = imposition.signature;
            let mut sides = Vec::new();
            let mut start = 0;
            while start < set.pages.len() {
                let count = per.min(set.pages.len() - start);
                for (n, [l, r]) in booklet_sides(count, rtl).into_iter().enumerate() {
                    sides.push(two_up(Some(start + l), Some(start + r), creep * (n / 2) as f64, true));
                }
                start += count;
            }
            sides
        }
        ImpositionKind::Spreads => {
            // The first page alone on the right (on the left for RTL), then pairs.
            let n = set.pages.len();
            let mut sides = Vec::new();
            let mut first = 0usize;
            let mut pair = |a: Option<usize>, b: Option<usize>| {
                let (l, r) = if rtl { (b, a) } else { (a, b) };
                sides.push(two_up(l, r, 0.0, false));
            };
            pair(None, Some(0).filter(|_| n > 0));
            first += 1;
            while first < n {
                pair(Some(first), Some(first + 1).filter(|&p| p < n));
                first += 2;
            }
            sides
        }
        ImpositionKind::Minizine => {
            pad(set, 8);
            let cells = minizine_cells(rtl);
            (0..set.pages.len() / 8)
                .map(|k| {
                    let mut s = side(sheet_w, sheet_h, trim, bleed);
                    for &(offset, col, row, rotated) in &cells {
                        let x = x0 + col as f64 * w;
                        let y = y0 + (1 - row) as f64 * h;
                        s.placements.push(Placement { page: Some(8 * k + offset), x, y, rotated });
                    }
                    if marks {
                        s.marks = crop_marks(trim, bleed, &[]);
                        // The cut: along the horizontal fold, between the middle cells.
                        let mid = y0 + h;
                        s.marks.push(Mark { from: (x0 + w, mid), to: (x0 + 3.0 * w, mid), dashed: true });
                    }
                    s
                })
                .collect()
        }
    };
    Ok(sides)
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

/// Crop marks at the corners of `trim`, outside the bleed; fold marks at
/// each x of `folds`, above and below.
pub(super) fn crop_marks(trim: [f64; 4], bleed: f64, folds: &[f64]) -> Vec<Mark> {
    let [l, b, r, t] = trim;
    let near = bleed + MARK_GAP;
    let far = near + MARK_LENGTH;
    let mut marks = Vec::new();
    for &(x, outward_x) in &[(l, -1.0), (r, 1.0)] {
        for &(y, outward_y) in &[(b, -1.0), (t, 1.0)] {
            // A horizontal and a vertical stroke at each corner.
            marks.push(Mark { from: (x + outward_x * near, y), to: (x + outward_x * far, y), dashed: false });
            marks.push(Mark { from: (x, y + outward_y * near), to: (x, y + outward_y * far), dashed: false });
        }
    }
    for &x in folds {
        marks.push(Mark { from: (x, t + near), to: (x, t + far), dashed: true });
        marks.push(Mark { from: (x, b - near), to: (x, b - far), dashed: true });
    }
    marks
}

#[cfg(test)]
mod tests {
    use super::*;

    fn numbers(sides: &[[usize; 2]]) -> Vec<[usize; 2]> {
        sides.iter().map(|[l, r]| [l + 1, r + 1]).collect()
    }

    #[test]
    fn eight_page_booklet_order() {
        assert_eq!(numbers(&booklet_sides(8, false)), vec![[8, 1], [2, 7], [6, 3], [4, 5]]);
        assert_eq!(numbers(&booklet_sides(8, true)), vec![[1, 8], [7, 2], [3, 6], [5, 4]]);
    }

    #[test]
    fn every_page_once_and_facing_pages_sum_right() {
        for pages in [4, 8, 12, 16, 32] {
            let sides = booklet_sides(pages, false);
            let mut seen: Vec<usize> = sides.iter().flatten().copied().collect();
            seen.sort();
            assert_eq!(seen, (0..pages).collect::<Vec<_>>());
            // On a folded sheet, the two halves of a side sum to P+1.
            assert!(numbers(&sides).iter().all(|[l, r]| l + r == pages + 1));
        }
    }

    #[test]
    fn minizine_rows() {
        let cells = minizine_cells(false);
        let top: Vec<usize> = cells.iter().filter(|c| c.2 == 0).map(|c| c.0 + 1).collect();
        let bottom: Vec<usize> = cells.iter().filter(|c| c.2 == 1).map(|c| c.0 + 1).collect();
        assert_eq!(top, vec![5, 4, 3, 2]);
        assert_eq!(bottom, vec![6, 7, 8, 1]);
        assert!(cells.iter().all(|c| c.3 == (c.2 == 0)), "the top row is turned");
        let rtl = minizine_cells(true);
        let top: Vec<usize> = rtl.iter().filter(|c| c.2 == 0).map(|c| c.0 + 1).collect();
        let bottom: Vec<usize> = rtl.iter().filter(|c| c.2 == 1).map(|c| c.0 + 1).collect();
        assert_eq!(top, vec![2, 3, 4, 5]);
        assert_eq!(bottom, vec![1, 8, 7, 6]);
    }
}
