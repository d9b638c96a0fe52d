//! Tables in print: a ruled table in the body face, columns as wide as
//! their content asks within the measure, cells wrapped in their column,
//! the header row set again at the top of every page the table runs onto,
//! and the columns mirrored in a right-to-left document.
//!
//! Each row is one flow block whose lines are the cells' lines side by
//! side (their glyph runs moved to the cell's place), so pagination keeps
//! its own rules for rows (no widow or orphan lines inside a row); the
//! row's [`RowFrame`] draws its rules and repeats the header.

use std::rc::Rc;

use super::*;
use crate::model::{Alignment, Cell, Table, plain_text};

/// Thickness of the rules above and below the table, under the header, and
/// between rows (in points), as in a book's table: heavy, medium, hairline.
const HEAVY: f64 = 0.8;
const MEDIUM: f64 = 0.5;
const HAIRLINE: f64 = 0.25;

/// What a row draws besides its text.
pub(super) struct RowFrame {
    /// The table's left edge from the block's `x`, and its width.
    dx: f64,
    width: f64,
    /// Rules above the row's first line and below its last (0: none).
    above: f64,
    below: f64,
    /// Space between a rule and the text.
    pad: f64,
    /// The header, set again at the top of a page this row starts; `None`
    /// for the header itself.
    header: Option<Rc<Header>>,
}

/// The header row's lines, kept with their runs to be drawn again.
pub(super) struct Header {
    lines: Vec<SetLine>,
    leading: f64,
}

impl RowFrame {
    /// Draw the header again at `cursor` (the top of a page); returns the
    /// cursor below it. Drawn as page furniture: its text is in the
    /// structure once, where the table begins.
    pub(super) fn repeat_header(&self, ops: &mut Vec<Op>, x: f64, cursor: f64) -> f64 {
        let Some(header) = &self.header else { return cursor };
        let mut y = cursor + self.pad;
        ops.push(Op::Begin(Tag::Artifact));
        self.rule(ops, x, y - self.pad * 0.5, HEAVY);
        for line in &header.lines {
            push_line(ops, x, y + header.leading * 0.78, line.runs.clone(), &line.extract);
            y += header.leading;
        }
        self.rule(ops, x, y + self.pad * 0.5, MEDIUM);
        ops.push(Op::End);
        y + self.pad
    }

    /// Draw the rules of the lines just placed from `top` to `bottom`
    /// (`first`: the row's first line among them; `last`: its last);
    /// returns the cursor, below the table's closing rule when there is one.
    pub(super) fn rules(
        &self,
        ops: &mut Vec<Op>,
        x: f64,
        top: f64,
        bottom: f64,
        first: bool,
        last: bool,
    ) -> f64 {
        ops.push(Op::Begin(Tag::Artifact));
        if first && self.above > 0.0 {
            self.rule(ops, x, top - self.pad * 0.5, self.above);
        }
        if last && self.below > 0.0 {
            self.rule(ops, x, bottom + self.pad * 0.5, self.below);
        }
        ops.push(Op::End);
        // The closing rule's room, so that what follows does not touch it.
        if last && self.below == HEAVY { bottom + self.pad } else { bottom }
    }

    fn rule(&self, ops: &mut Vec<Op>, x: f64, y: f64, thickness: f64) {
        ops.push(Op::Rule { x: x + self.dx, y, width: self.width, thickness });
    }
}

impl Builder<'_, '_> {
    /// Set `table` as flow blocks, one per row, at `x` within `measure`.
    pub(super) fn table(&mut self, table: &Table, origin: Origin, space: f64, x: f64, measure: f64) {
        let (size, leading) = (self.geo.size, self.geo.leading);
        let columns = table.columns();
        if columns == 0 {
            return;
        }
        let gap = size; // half an em of padding on each side of a cell
        let pad = leading * 0.3;
        let room = (measure - gap * columns as f64).max(columns as f64);
        let faces = |row: usize| if row == 0 { FaceId::Bold } else { FaceId::Regular };
        // What each column would take on one line, and its longest word.
        let mut natural = vec![0.0f64; columns];
        let mut least = vec![0.0f64; columns];
        for (r, row) in table.all_rows().enumerate() {
            for (c, cell) in row.iter().take(columns).enumerate() {
                let (one_line, word) = self.measure_cell(cell, faces(r));
                natural[c] = natural[c].max(one_line);
                least[c] = least[c].max(word);
            }
        }
        // A column is at least a point wide (an empty one too).
        let natural: Vec<f64> = natural.iter().map(|n| n.max(1.0)).collect();
        let widths = crate::typeset::columns::share(&natural, &least, room);
        let width: f64 = widths.iter().sum::<f64>() + gap * columns as f64;
        let rtl = self.direction == Direction::Rtl;
        // Each column's left edge within the table; mirrored right to left,
        // where the table also stands at the right of the measure.
        let mut lefts = Vec::with_capacity(columns);
        let mut at = 0.0;
        for w in &widths {
            lefts.push(if rtl { width - at - w - gap * 0.5 } else { at + gap * 0.5 });
            at += w + gap;
        }
        let dx = if rtl { measure - width } else { 0.0 };
        let mut header: Option<Rc<Header>> = None;
        let rows = table.rows.len();
        for (r, row) in table.all_rows().enumerate() {
            let lines = self.row_lines(table, row, faces(r), &widths, &lefts, dx);
            let frame = RowFrame {
                dx,
                width,
                above: if r == 0 { HEAVY } else { 0.0 },
                below: match r {
                    0 => MEDIUM,
                    r if r == rows => HEAVY,
                    _ => HAIRLINE,
                },
                pad,
                header: header.clone(),
            };
            if r == 0 {
                header = Some(Rc::new(Header { lines: lines.clone(), leading }));
            }
            let space = if r == 0 { space.max(leading * 0.5) + pad } else { pad };
            let b = self.push(lines, origin, space, leading, x, measure);
            b.keep_with_next = r == 0;
            b.table = Some(Box::new(frame));
        }
    }

    /// A cell's width on one line, and the width of its longest word.
    fn measure_cell(&mut self, cell: &Cell, face: FaceId) -> (f64, f64) {
        let text = plain_text(cell);
        let size = self.geo.size;
        let features = Features::default();
        let line = text.lines().map(|l| self.shaper.width(l, face, features, size)).fold(0.0, f64::max);
        let word =
            text.split_whitespace().map(|w| self.shaper.width(w, face, features, size)).fold(0.0, f64::max);
        (line, word)
    }

    /// The lines of a row: each cell set in its column, the cells' lines
    /// side by side.
    fn row_lines(
        &mut self,
        table: &Table,
        row: &[Cell],
        face: FaceId,
        widths: &[f64],
        lefts: &[f64],
        dx: f64,
    ) -> Vec<SetLine> {
        let size = self.geo.size;
        let mut cells = Vec::with_capacity(row.len());
        for (c, cell) in row.iter().take(widths.len()).enumerate() {
            let mut ps = Vec::new();
            pieces(cell, Style::new(face), &mut ps);
            let direction = bidi::block_direction(cell, self.direction);
            let alignment = table.alignments.get(c).copied().unwrap_or_default();
            let align = match alignment {
                Alignment::Center => LineAlign::Center,
                _ => LineAlign::Left,
            };
            let mut lines = self.set_in(direction, ps, size, widths[c], 0.0, align, true);
            if alignment == Alignment::Right && direction == Direction::Ltr {
                for line in &mut lines {
                    shift(line, widths[c] - line.width);
                }
            }
            cells.push(lines);
        }
        let height = cells.iter().map(Vec::len).max().unwrap_or(0).max(1);
        let mut out = Vec::with_capacity(height);
        for k in 0..height {
            let mut line = SetLine {
                width: dx + lefts.iter().zip(widths).map(|(l, w)| l + w).fold(0.0, f64::max),
                ..SetLine::default()
            };
            for (c, lines) in cells.iter_mut().enumerate() {
                let Some(mut part) = lines.get_mut(k).map(std::mem::take) else { continue };
                shift(&mut part, dx + lefts[c]);
                if !part.extract.is_empty() || !line.extract.is_empty() {
                    line.extract.resize(line.runs.len(), Extract::Glyphs);
                    part.extract.resize(part.runs.len(), Extract::Glyphs);
                }
                line.runs.append(&mut part.runs);
                line.extract.append(&mut part.extract);
                line.notes.append(&mut part.notes);
                line.links.append(&mut part.links);
            }
            out.push(line);
        }
        out
    }
}

/// Move a set line `by` points along.
fn shift(line: &mut SetLine, by: f64) {
    for run in &mut line.runs {
        for glyph in &mut run.glyphs {
            glyph.1 += by;
        }
    }
    for link in &mut line.links {
        link.0 += by;
        link.1 += by;
    }
    line.width += by;
}
