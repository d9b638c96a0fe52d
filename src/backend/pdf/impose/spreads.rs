//! Proof spreads: the first page alone on the right (on the left for
//! right-to-left books), then facing pairs in reading order.

/// `[left, right]` of each spread of a `pages`-page book.
pub fn spread_sides(pages: usize, rtl: bool) -> Vec<[Option<usize>; 2]> {
    let mut sides = Vec::with_capacity(pages / 2 + 1);
    let mut pair = |a: Option<usize>, b: Option<usize>| sides.push(if rtl { [b, a] } else { [a, b] });
    pair(None, Some(0).filter(|_| pages > 0));
    let mut first = 1;
    while first < pages {
        pair(Some(first), Some(first + 1).filter(|&p| p < pages));
        first += 2;
    }
    sides
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn first_page_alone_then_pairs() {
        assert_eq!(spread_sides(4, false), vec![[None, Some(0)], [Some(1), Some(2)], [Some(3), None]]);
        assert_eq!(spread_sides(3, true), vec![[Some(0), None], [Some(2), Some(1)]]);
    }
}
