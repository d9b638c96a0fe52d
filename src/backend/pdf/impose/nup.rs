//! N-up sheets for a guillotine: `up` pages a side, printed duplex (the
//! back mirrors the front's columns, so a leaf's two pages are back to
//! back with the flip the README names). Cut-and-stack numbers the
//! leaves down the stack, so that the piles, put on top of each other,
//! are in order; duplex 2-up keeps consecutive leaves on a sheet; copies
//! repeats one page over the side (flyers, handbills).

use crate::layout::pdf::ImpositionKind;

/// The cells of a side: `(columns, rows)` for `up` pages.
pub fn grid(up: usize) -> (usize, usize) {
    match up {
        2 => (2, 1),
        4 => (2, 2),
        _ => (4, 2),
    }
}

/// Page indices of each side, in printing order (front, back, …), each
/// side's cells in reading order (rows from the top, columns from the
/// left); `None` is a blank. `pages` is the book's page count.
pub fn sides(kind: ImpositionKind, pages: usize, up: usize) -> Vec<Vec<Option<usize>>> {
    let (cols, _) = grid(up);
    if kind == ImpositionKind::Copies {
        // One page a side, repeated; a back only where there is a page.
        return (0..pages).map(|p| vec![Some(p); up]).collect();
    }
    let sheets = pages.div_ceil(2 * up).max(1);
    let real = |p: usize| (p < pages).then_some(p);
    let mut out = Vec::with_capacity(2 * sheets);
    for s in 0..sheets {
        let leaf = |c: usize| if kind == ImpositionKind::CutStack { c * sheets + s } else { s * up + c };
        out.push((0..up).map(|c| real(2 * leaf(c))).collect());
        // The back: the cell behind cell c is in the mirrored column.
        out.push(
            (0..up)
                .map(|cell| {
                    let (row, col) = (cell / cols, cell % cols);
                    real(2 * leaf(row * cols + (cols - 1 - col)) + 1)
                })
                .collect(),
        );
    }
    out
}

/// Manual duplex: all fronts in order, then all backs last sheet first
/// (the printed stack, turned over as it came out, feeds its last sheet
/// first).
pub fn manual_order<T: Clone>(sides: &[T]) -> Vec<T> {
    let fronts = sides.iter().step_by(2).cloned();
    let backs = sides.iter().skip(1).step_by(2).rev().cloned();
    fronts.chain(backs).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn one_based(sides: &[Vec<Option<usize>>]) -> Vec<Vec<usize>> {
        sides.iter().map(|s| s.iter().map(|p| p.map_or(0, |p| p + 1)).collect()).collect()
    }

    #[test]
    fn four_up_cut_and_stack_of_sixteen() {
        // Two sheets; the first cell's pile holds leaves 1–2 (pages 1–4).
        let sides = one_based(&sides(ImpositionKind::CutStack, 16, 4));
        assert_eq!(
            sides,
            vec![vec![1, 5, 9, 13], vec![6, 2, 14, 10], vec![3, 7, 11, 15], vec![8, 4, 16, 12],]
        );
    }

    #[test]
    fn duplex_two_up_keeps_leaves_together() {
        let sides = one_based(&sides(ImpositionKind::Duplex2Up, 7, 2));
        assert_eq!(sides, vec![vec![1, 3], vec![4, 2], vec![5, 7], vec![0, 6]]);
    }

    #[test]
    fn copies_repeat_each_page() {
        assert_eq!(one_based(&sides(ImpositionKind::Copies, 2, 4)), vec![vec![1; 4], vec![2; 4]]);
    }

    #[test]
    fn manual_duplex_feeds_the_backs_last_first() {
        assert_eq!(manual_order(&["f1", "b1", "f2", "b2", "f3", "b3"]), ["f1", "f2", "f3", "b3", "b2", "b1"]);
    }
}
