//! A table (GitHub-flavoured Markdown's pipe tables): a header row and body
//! rows of cells, each cell a run of inlines, and each column's alignment.

use super::Inline;

/// How a column's cells are aligned (`:--`, `:-:`, `--:` under the header).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Alignment {
    /// No colon: the edition's default (the start of the line).
    #[default]
    None,
    Left,
    Center,
    Right,
}

/// One cell's content.
pub type Cell = Vec<Inline>;

/// A table whose rows all have as many cells as it has columns (the reader
/// pads short rows with empty cells and drops cells past the header's).
#[derive(Debug, Clone, PartialEq)]
pub struct Table {
    /// One per column.
    pub alignments: Vec<Alignment>,
    pub header: Vec<Cell>,
    pub rows: Vec<Vec<Cell>>,
    /// Byte offset of the table in its source file, for a message about
    /// it (a text edition too narrow for it).
    pub offset: usize,
}

impl Table {
    pub fn columns(&self) -> usize {
        self.alignments.len()
    }

    /// The header and then the body rows.
    pub fn all_rows(&self) -> impl Iterator<Item = &Vec<Cell>> {
        std::iter::once(&self.header).chain(&self.rows)
    }
}
