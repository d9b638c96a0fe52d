//! Tables as a monospace grid: columns as wide as their content allows
//! within the measure, cells wrapped inside their column, rules of `-`,
//! `=` and `|` that print on anything.

use crate::diag::{Diagnostic, Location};
use crate::layout::Align;
use crate::model::{Alignment, Direction, Document, Table};

use super::paragraph::{self, Builder, Memo, Token, width};

/// A column narrower than this is only ever as wide as its longest word:
/// longer words are cut with a mark, as in a paragraph.
const MIN_COLUMN: usize = 8;

/// A table set in lines: the header's block (top rule, header, double
/// rule) and one block per body row (its lines and the rule below).
pub struct Grid {
    pub header: Vec<String>,
    pub rows: Vec<Vec<String>>,
    /// Notes referred to in the cells, in reading order.
    pub notes: Vec<usize>,
}

/// Set `table` within `measure` columns; `builder` makes each cell's
/// builder (hyphenation, transliteration, digits as in the paragraphs).
/// An error, located at the table, when even its narrowest form is wider.
pub fn grid(
    doc: &Document,
    table: &Table,
    measure: usize,
    direction: Direction,
    builder: impl Fn() -> Builder,
    memo: &mut Memo,
) -> Result<Grid, Diagnostic> {
    let columns = table.columns().max(1);
    let mut notes = Vec::new();
    // Each cell's words, row by row.
    let cells: Vec<Vec<paragraph::Words>> = table
        .all_rows()
        .map(|row| {
            row.iter()
                .map(|cell| {
                    let mut b = builder();
                    b.inlines(cell);
                    let (words, cell_notes) = b.finish();
                    notes.extend(cell_notes.into_iter().filter(|n| !notes.contains(n)).collect::<Vec<_>>());
                    words
                })
                .collect()
        })
        .collect();
    let mut natural = vec![1; columns];
    let mut least = vec![1; columns];
    for row in &cells {
        for (c, words) in row.iter().take(columns).enumerate() {
            natural[c] = natural[c].max(width(&words.joined()));
            let longest = words
                .tokens
                .iter()
                .map(|t| match t {
                    Token::Word { range, .. } => width(&words.text[range.clone()]),
                    _ => 0,
                })
                .max()
                .unwrap_or(0);
            least[c] = least[c].max(longest.min(MIN_COLUMN));
        }
    }
    // `| a | b |`: three columns of rule and padding per cell, and one.
    let rules = 3 * columns + 1;
    let room = measure.saturating_sub(rules);
    if least.iter().sum::<usize>() > room {
        let needed = least.iter().sum::<usize>() + rules;
        let mut error = Diagnostic::error(format!(
            "a table of {columns} columns needs {needed} characters of width; this edition has {measure}"
        ))
        .hint("use a wider text layout (`--layout screen-80`), or split the table or shorten its cells");
        if let Some(path) = &doc.source
            && let Ok(text) = std::fs::read_to_string(path)
        {
            error = error.at(Location::at_offset(path, &text, table.offset.min(text.len())));
        }
        return Err(error);
    }
    let widths = crate::typeset::columns::share_whole(&natural, &least, room);
    let rule = |c: char| {
        let mut line = String::from("+");
        for w in &widths {
            line.push_str(&c.to_string().repeat(w + 2));
            line.push('+');
        }
        line
    };
    let set_row = |row: &[paragraph::Words], memo: &mut Memo| -> Vec<String> {
        let lines: Vec<Vec<String>> = row
            .iter()
            .zip(&widths)
            .map(|(words, &w)| paragraph::set(words, w, Align::Ragged, memo))
            .collect();
        let height = lines.iter().map(Vec::len).max().unwrap_or(0).max(1);
        (0..height)
            .map(|i| {
                let mut line = String::from("|");
                for (c, cell) in lines.iter().enumerate() {
                    let text = cell.get(i).map_or("", String::as_str).trim_end();
                    let pad = widths[c].saturating_sub(width(text));
                    let before = match (table.alignments.get(c).copied().unwrap_or_default(), direction) {
                        (Alignment::Right, _) | (Alignment::None, Direction::Rtl) => pad,
                        (Alignment::Center, _) => pad / 2,
                        _ => 0,
                    };
                    line.push(' ');
                    line.push_str(&" ".repeat(before));
                    line.push_str(text);
                    line.push_str(&" ".repeat(pad - before));
                    line.push_str(" |");
                }
                line
            })
            .collect()
    };
    let mut rows = cells.iter();
    let mut header = vec![rule('-')];
    header.extend(set_row(rows.next().map_or(&[][..], Vec::as_slice), memo));
    header.push(rule('='));
    let rows = rows
        .map(|row| {
            let mut lines = set_row(row, memo);
            lines.push(rule('-'));
            lines
        })
        .collect();
    Ok(Grid { header, rows, notes })
}
