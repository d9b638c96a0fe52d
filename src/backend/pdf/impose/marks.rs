//! Printer's marks on a sheet side: crop marks, fold marks, cut and fold
//! guides in the gutters, collation marks on a signature's spine, and the
//! safe area (desktop printers clip the sheet's edge) they are kept in.

use super::Mark;

/// Length of crop marks and their distance from the trim (beyond the bleed).
pub(in crate::backend::pdf) const MARK_LENGTH: f64 = 14.0;
pub(in crate::backend::pdf) const MARK_GAP: f64 = 3.0;

const MM: f64 = 72.0 / 25.4;
/// Length of a guide tick at the sheet's edge.
const GUIDE_LENGTH: f64 = 4.0 * MM;

/// Crop marks at the corners of `trim`, outside the bleed; fold marks at
/// each x of `folds`, above and below.
pub(in crate::backend::pdf) fn crop_marks(trim: [f64; 4], bleed: f64, folds: &[f64]) -> Vec<Mark> {
    let [l, b, r, t] = trim;
    let near = bleed + MARK_GAP;
    let far = near + MARK_LENGTH;
    let mut marks = Vec::new();
    for &(x, outward_x) in &[(l, -1.0), (r, 1.0)] {
        for &(y, outward_y) in &[(b, -1.0), (t, 1.0)] {
            // A horizontal and a vertical stroke at each corner.
            marks.push(Mark::line((x + outward_x * near, y), (x + outward_x * far, y)));
            marks.push(Mark::line((x, y + outward_y * near), (x, y + outward_y * far)));
        }
    }
    for &x in folds {
        marks.push(Mark::dashed((x, t + near), (x, t + far)));
        marks.push(Mark::dashed((x, b - near), (x, b - far)));
    }
    marks
}

/// Guide ticks just inside the safe area of a `width` × `height` sheet,
/// on each vertical line `xs` (at the top and bottom edges) and each
/// horizontal line `ys` (at the left and right edges): where to cut or
/// fold, out of the pages' way.
pub(super) fn guides(width: f64, height: f64, safe: f64, xs: &[f64], ys: &[f64]) -> Vec<Mark> {
    let mut marks = Vec::new();
    for &x in xs {
        marks.push(Mark::dashed((x, height - safe), (x, height - safe - GUIDE_LENGTH)));
        marks.push(Mark::dashed((x, safe), (x, safe + GUIDE_LENGTH)));
    }
    for &y in ys {
        marks.push(Mark::dashed((safe, y), (safe + GUIDE_LENGTH, y)));
        marks.push(Mark::dashed((width - safe, y), (width - safe - GUIDE_LENGTH, y)));
    }
    marks
}

/// The collation mark of signature `index` of `count`: a block on the
/// spine fold of its outer sheet, one step lower per signature, so that
/// the gathered signatures show a staircase and a missing, doubled or
/// swapped one breaks it.
pub(super) fn collation(spine_x: f64, trim: [f64; 4], index: usize, count: usize) -> Mark {
    let block = 8.0 * MM;
    let (top, bottom) = (trim[3] - 12.0 * MM, trim[1] + 12.0 * MM);
    let room = (top - bottom - block).max(0.0);
    let step = if count > 1 { (room / (count - 1) as f64).min(block) } else { 0.0 };
    let y = top - step * index as f64;
    Mark { from: (spine_x, y), to: (spine_x, y - block), dashed: false, weight: 2.0 * MM }
}

/// Marks cut to the safe area `[l, b, r, t]`; marks wholly outside go.
pub(super) fn clip(marks: Vec<Mark>, area: [f64; 4]) -> Vec<Mark> {
    let [l, b, r, t] = area;
    marks
        .into_iter()
        .filter_map(|mut m| {
            // Marks are horizontal or vertical strokes: clip each axis.
            for (from, to, lo, hi) in [(&mut m.from.0, &mut m.to.0, l, r), (&mut m.from.1, &mut m.to.1, b, t)]
            {
                if (*from < lo && *to < lo) || (*from > hi && *to > hi) {
                    return None;
                }
                *from = from.clamp(lo, hi);
                *to = to.clamp(lo, hi);
            }
            (m.from != m.to).then_some(m)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clipping_keeps_marks_inside() {
        let marks = vec![
            Mark::line((-5.0, 10.0), (20.0, 10.0)),
            Mark::line((-5.0, 10.0), (-1.0, 10.0)),
            Mark::dashed((50.0, 95.0), (50.0, 120.0)),
        ];
        let kept = clip(marks, [0.0, 0.0, 100.0, 100.0]);
        assert_eq!(
            kept,
            vec![Mark::line((0.0, 10.0), (20.0, 10.0)), Mark::dashed((50.0, 95.0), (50.0, 100.0))]
        );
    }

    #[test]
    fn collation_marks_step_down_and_stay_in_the_trim() {
        let trim = [0.0, 0.0, 800.0, 600.0];
        let marks: Vec<Mark> = (0..6).map(|i| collation(400.0, trim, i, 6)).collect();
        for pair in marks.windows(2) {
            assert!(pair[1].from.1 < pair[0].from.1, "each lower than the one before");
            assert!(pair[1].from.1 >= pair[0].to.1 - 0.01, "touching, a staircase");
        }
        assert!(marks.iter().all(|m| m.to.1 > 0.0 && m.from.1 < 600.0));
    }
}
