//! Folded sheets: the saddle-stitched booklet (all sheets in one fold)
//! and signatures (booklets gathered for sewn or perfect binding).

use crate::layout::pdf::SignatureSize;

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

/// Signature sizes `auto` chooses from, the most usual first (ties go to
/// it): four-sheet signatures sew and open well; eight sheets is the most
/// a desktop-printed sheet folds around without much creep.
const AUTO_SIZES: [usize; 7] = [16, 12, 20, 8, 24, 28, 32];

/// The pages of each signature for a book of `pages` pages: `auto` makes
/// all signatures one size, the size with the fewest blank pages (the
/// blanks at the end); a number fills signatures of that size and ends
/// with a shorter one (padded to 4).
pub fn signature_sizes(pages: usize, size: SignatureSize) -> Vec<usize> {
    match size {
        SignatureSize::Pages(per) => {
            let padded = pages.div_ceil(4).max(1) * 4;
            let mut sizes = vec![per; padded / per];
            if !padded.is_multiple_of(per) {
                sizes.push(padded % per);
            }
            sizes
        }
        SignatureSize::Auto(_) => {
            let blanks = |s: usize| pages.max(1).div_ceil(s) * s - pages;
            let best = AUTO_SIZES.iter().copied().min_by_key(|&s| blanks(s)).unwrap_or(16);
            vec![best; pages.max(1).div_ceil(best)]
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::layout::pdf::AutoWord;

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
    fn auto_signatures_leave_the_fewest_blanks() {
        let auto = SignatureSize::Auto(AutoWord::Auto);
        assert_eq!(signature_sizes(96, auto), vec![16; 6]);
        assert_eq!(signature_sizes(80, auto), vec![16; 5]);
        // 84 pages: 12 × 7 leaves no blank where 16 would leave 12.
        assert_eq!(signature_sizes(84, auto), vec![12; 7]);
        // 81 pages: three blanks (12 × 7 = 84) at the least.
        let sizes = signature_sizes(81, auto);
        assert_eq!(sizes.iter().sum::<usize>(), 84);
        assert!(sizes.windows(2).all(|w| w[0] == w[1]), "one size");
    }

    #[test]
    fn a_fixed_size_ends_with_a_shorter_signature() {
        assert_eq!(signature_sizes(20, SignatureSize::Pages(8)), vec![8, 8, 4]);
        assert_eq!(signature_sizes(17, SignatureSize::Pages(16)), vec![16, 4]);
    }
}
