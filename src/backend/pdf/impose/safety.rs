//! The safe area: where a page's ink lands on the sheet, and a warning
//! when it comes closer to the sheet's edge than the layout allows
//! (desktop printers leave 4–5 mm unprinted and clip what is there).

use super::SheetSide;
use crate::backend::pdf::set::{Op, SetDocument};
use crate::diag::Diagnostic;

/// `[left, top, right, bottom]` of a page's ink, from its top left, or
/// `None` for a blank page. Text is boxed by its run's advances and the
/// usual ascent and descent (0.8 and 0.25 of its size): a warning's
/// measure, not a glyph outline's.
pub fn ink_box(ops: &[Op]) -> Option<[f64; 4]> {
    let mut ink: Option<[f64; 4]> = None;
    let mut add = |l: f64, t: f64, r: f64, b: f64| {
        ink = Some(match ink {
            None => [l, t, r, b],
            Some([l0, t0, r0, b0]) => [l0.min(l), t0.min(t), r0.max(r), b0.max(b)],
        });
    };
    let mut turned = 0;
    for op in ops {
        match op {
            // Turned text (a cover's spine) is not a page's; leave it out.
            Op::Turn { .. } => turned += 1,
            Op::Unturn => turned -= 1,
            _ if turned > 0 => {}
            Op::Text { x, y, run } => {
                // The last glyph is taken as half an em wide (the run has
                // no advances); `y` is the run's baseline, rise included.
                let end = run.glyphs.last().map_or(0.0, |g| g.1) + run.size * 0.5;
                add(*x, y - run.size * 0.8, x + end, y + run.size * 0.25);
            }
            Op::Rule { x, y, width, thickness } => {
                add(*x, y - thickness / 2.0, x + width, y + thickness / 2.0)
            }
            Op::Image { x, y, width, height, .. } | Op::Fill { x, y, width, height } => {
                add(*x, *y, x + width, y + height)
            }
            _ => {}
        }
    }
    ink
}

/// The closest any placed page's ink comes to the edge of its sheet, in
/// points, with the page's label: checked against `safe`, a warning.
pub fn check(set: &SetDocument, sides: &[SheetSide], safe: f64) -> Option<Diagnostic> {
    let boxes: Vec<Option<[f64; 4]>> = set.pages.iter().map(|p| ink_box(&p.ops)).collect();
    let mut closest: Option<(f64, usize)> = None;
    for side in sides {
        for placement in &side.placements {
            let Some(n) = placement.page else { continue };
            let Some([l, t, r, b]) = boxes[n] else { continue };
            // Sheet coordinates are from the bottom left; a turned page's
            // box turns about the page's centre.
            let (l, r, top, bottom) = if placement.rotated {
                (set.width - r, set.width - l, b, t)
            } else {
                (l, r, set.height - t, set.height - b)
            };
            let (x, y) = (placement.x, placement.y);
            let gap = [x + l, side.width - (x + r), y + bottom, side.height - (y + top)]
                .into_iter()
                .fold(f64::INFINITY, f64::min);
            if closest.is_none_or(|(g, _)| gap < g) {
                closest = Some((gap, n));
            }
        }
    }
    let (gap, n) = closest?;
    (gap + 0.05 < safe).then(|| {
        let mm = |pt: f64| pt * 25.4 / 72.0;
        let label = &set.pages[n].label;
        let page = if label.is_empty() { format!("page {}", n + 1) } else { format!("page {label}") };
        Diagnostic::warning(format!(
            "{page}'s ink comes {:.1} mm from the sheet's edge, closer than `imposition.safe-margin` ({:.1} mm): \
             a desktop printer may clip it",
            mm(gap).max(0.0),
            mm(safe)
        ))
        .hint("widen the page's `margins`, or lower `imposition.safe-margin` for a printer that prints to the edge")
    })
}
