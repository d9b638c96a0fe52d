//! The mini-zine: eight pages on one side of a sheet (top row turned),
//! cut along the middle of the long fold and folded into a little book.
//! Past eight pages the sheets are nested: each folded sheet goes inside
//! the one before, so the zine reads on and the cover is on the first.

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

/// The book's page index of cell page `offset` (0..8) on sheet `sheet`
/// of `sheets` nested sheets: the first four pages from the front of the
/// book, the last four from its back, as in a folded booklet (the centre
/// spread of a folded mini-zine is pages 4 | 5).
pub fn nested_page(offset: usize, sheet: usize, sheets: usize) -> usize {
    let pages = 8 * sheets;
    if offset < 4 { 4 * sheet + offset } else { pages - 4 * (sheet + 1) + (offset - 4) }
}

#[cfg(test)]
mod tests {
    use super::*;

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

    #[test]
    fn nested_sheets_read_on() {
        // One sheet: the plain mini-zine.
        assert_eq!((0..8).map(|o| nested_page(o, 0, 1)).collect::<Vec<_>>(), (0..8).collect::<Vec<_>>());
        // Two sheets: the outer has 1–4 and 13–16, the inner 5–12.
        let outer: Vec<usize> = (0..8).map(|o| nested_page(o, 0, 2) + 1).collect();
        let inner: Vec<usize> = (0..8).map(|o| nested_page(o, 1, 2) + 1).collect();
        assert_eq!(outer, [1, 2, 3, 4, 13, 14, 15, 16]);
        assert_eq!(inner, [5, 6, 7, 8, 9, 10, 11, 12]);
    }
}
