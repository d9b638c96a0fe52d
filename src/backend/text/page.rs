//! Pages of a fixed number of lines: blocks of set lines are poured into
//! columns without widows or orphans, headings stay with what follows, and
//! every page is padded to exactly the layout's height.

/// A run of set lines with its pagination rules.
#[derive(Debug, Clone, Default)]
pub struct Block {
    pub lines: Vec<String>,
    /// Blank lines before the block, dropped at the top of a column.
    pub space_before: usize,
    /// `None`: never split. `Some(n)`: may be split, leaving at least `n`
    /// lines on each side (2: no widows, no orphans).
    pub split_min: Option<usize>,
    /// Keep on the same column as the start of the next block (headings).
    pub keep_with_next: bool,
    /// Start on a new page.
    pub new_page: bool,
    /// An entry of the contents that points here.
    pub anchor: Option<usize>,
}

/// A line of a column: blank, or line `.1` of block `.0`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Slot {
    Blank,
    Line(usize, usize),
}

/// The result of pouring: columns of at most `height` slots, and the column
/// where each contents anchor landed.
pub struct Poured {
    pub columns: Vec<Vec<Slot>>,
    pub anchors: Vec<(usize, usize)>,
}

/// Pour `blocks` into columns of `height` lines; `per_page` columns make a page.
pub fn pour(blocks: &[Block], height: usize, per_page: usize) -> Poured {
    let mut columns: Vec<Vec<Slot>> = Vec::new();
    let mut current: Vec<Slot> = Vec::new();
    let mut anchors = Vec::new();
    let next_column = |columns: &mut Vec<Vec<Slot>>, current: &mut Vec<Slot>| {
        columns.push(std::mem::take(current));
    };
    for (index, block) in blocks.iter().enumerate() {
        if block.new_page && (!current.is_empty() || !columns.len().is_multiple_of(per_page)) {
            next_column(&mut columns, &mut current);
            while !columns.len().is_multiple_of(per_page) {
                columns.push(Vec::new());
            }
        }
        let total = block.lines.len();
        let mut placed = 0;
        while placed < total {
            let space = if current.is_empty() || placed > 0 { 0 } else { block.space_before };
            let room = height.saturating_sub(current.len() + space);
            let rest = total - placed;
            let mut need = rest;
            if placed == 0
                && block.keep_with_next
                && let Some(next) = blocks.get(index + 1)
            {
                let first = match next.split_min {
                    Some(min) => min.min(next.lines.len()),
                    None => next.lines.len(),
                };
                need += next.space_before + first;
            }
            let take = if need <= room {
                rest
            } else if let Some(min) = block.split_min.filter(|&min| rest >= 2 * min && room >= min) {
                // Split, leaving no fewer than `min` lines on either side,
                // and not after a hyphen if a line earlier avoids it (a word
                // broken across pages is hard to read; TeX's \brokenpenalty).
                let most = room.min(rest - min);
                let hyphen_at = |take: usize| ends_with_hyphen(&block.lines[placed + take - 1]);
                (min..=most).rev().find(|&take| !hyphen_at(take)).unwrap_or(most)
            } else if current.is_empty() {
                // Taller than a column: it has to be cut somewhere.
                room.min(rest)
            } else {
                0
            };
            if take > 0 {
                if placed == 0 {
                    current.extend(std::iter::repeat_n(Slot::Blank, space));
                    if let Some(anchor) = block.anchor {
                        anchors.push((anchor, columns.len()));
                    }
                }
                current.extend((placed..placed + take).map(|line| Slot::Line(index, line)));
                placed += take;
            }
            if placed < total {
                next_column(&mut columns, &mut current);
            }
        }
    }
    if !current.is_empty() || columns.is_empty() {
        columns.push(current);
    }
    while !columns.len().is_multiple_of(per_page) {
        columns.push(Vec::new());
    }
    Poured { columns, anchors }
}

/// A line that ends with a word broken at a hyphen.
fn ends_with_hyphen(line: &str) -> bool {
    let mut chars = line.chars().rev();
    chars.next() == Some('-') && chars.next().is_some_and(char::is_alphabetic)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn para(n: usize) -> Block {
        Block {
            lines: (0..n).map(|i| format!("line {i}")).collect(),
            space_before: 1,
            split_min: Some(2),
            ..Block::default()
        }
    }

    #[test]
    fn no_column_is_taller_than_the_height_and_no_widows_or_orphans() {
        for height in 10..30 {
            let blocks: Vec<Block> = (0..20).map(|i| para(1 + i * 7 % 11)).collect();
            let poured = pour(&blocks, height, 1);
            let mut seen = 0;
            for column in &poured.columns {
                assert!(column.len() <= height);
                assert_ne!(column.first(), Some(&Slot::Blank), "blank at the top");
                // A split paragraph has at least two lines on each side.
                if let Some(Slot::Line(b, l)) = column.first()
                    && *l > 0
                {
                    let here = column.iter().filter(|s| matches!(s, Slot::Line(x, _) if x == b)).count();
                    assert!(*l >= 2 && here >= 2, "a widow or an orphan");
                }
                seen += column.iter().filter(|s| matches!(s, Slot::Line(..))).count();
            }
            assert_eq!(seen, blocks.iter().map(|b| b.lines.len()).sum::<usize>());
        }
    }

    #[test]
    fn pages_do_not_end_in_a_broken_word() {
        let mut block = para(10);
        block.lines[5] = "a line that ends in a bro-".into();
        let poured = pour(&[block], 6, 1);
        assert_eq!(poured.columns[0].len(), 5, "the split moves up a line");
    }

    #[test]
    fn a_heading_moves_with_its_paragraph() {
        let mut blocks = vec![para(7)];
        blocks.push(Block {
            lines: vec!["Heading".into()],
            space_before: 1,
            keep_with_next: true,
            ..Block::default()
        });
        blocks.push(para(6));
        let poured = pour(&blocks, 10, 1);
        // 7 lines + blank + heading fit, but the heading's first lines do not.
        assert_eq!(poured.columns[1][0], Slot::Line(1, 0));
    }

    #[test]
    fn new_pages_skip_to_the_next_page_not_column() {
        let mut blocks = vec![para(3), para(3)];
        blocks[1].new_page = true;
        let poured = pour(&blocks, 10, 2);
        assert_eq!(poured.columns.len(), 4);
        assert_eq!(poured.columns[2][0], Slot::Line(1, 0));
    }
}
