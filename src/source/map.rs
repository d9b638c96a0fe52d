//! Where things are in a source: the byte offset of every top-level block,
//! question and footnote definition, and the text they were read from.
//!
//! The model carries no offsets (backends never need them); the
//! translation tools do, to point into two files at once and to copy a
//! turn's own Markdown into a skeleton or a PO file.

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

use crate::diag::{LineIndex, Location};
use crate::model::{Block, BlockId};

use super::markdown::{Located, TopBlock};

/// What a translation's front matter says of its original (issue 31).
#[derive(Debug, Clone)]
pub struct Translating {
    /// `translation-of:` as written: a path relative to the translation.
    pub of: String,
    /// Where `translation-of:` is.
    pub at: Location,
    /// `translated-from:`: the original's fingerprints when last marked.
    pub marks: BTreeMap<String, String>,
    /// Each participant's `same-as:`, in the list's order.
    pub same_as: Vec<Option<String>>,
}

/// Offsets into a source's decoded text.
#[derive(Debug, Clone)]
pub struct SourceMap {
    pub path: PathBuf,
    /// The decoded text, and where its lines start.
    lines: LineIndex<'static>,
    pub body_offset: usize,
    /// Where each top-level block and question starts.
    blocks: HashMap<BlockId, usize>,
    /// Every offset the map knows of (blocks, questions, footnotes), sorted:
    /// where one slice of the source ends.
    boundaries: Vec<usize>,
    /// Footnote definitions: label and offset, in the file's order.
    pub notes: Vec<(String, usize)>,
    /// Where some front-matter keys are (`title`, `participants`, …).
    pub front_keys: Vec<(&'static str, Location)>,
    /// Each participant's `bio:` as written (inline Markdown).
    pub bios: Vec<Option<String>>,
}

impl SourceMap {
    pub(super) fn new(
        path: &Path,
        text: &str,
        body_offset: usize,
        blocks: &[Located],
        definitions: &HashMap<String, (Vec<Block>, usize)>,
    ) -> SourceMap {
        let blocks: HashMap<BlockId, usize> = blocks
            .iter()
            .map(|Located { block, offset }| match block {
                TopBlock::Section { id, .. } => (*id, *offset),
                TopBlock::Block(block) => (block.id, *offset),
            })
            .collect();
        let mut notes: Vec<(String, usize)> =
            definitions.iter().map(|(label, (_, offset))| (label.clone(), *offset)).collect();
        notes.sort_by_key(|(_, offset)| *offset);
        let mut boundaries: Vec<usize> =
            blocks.values().copied().chain(notes.iter().map(|&(_, offset)| offset)).collect();
        boundaries.sort_unstable();
        boundaries.dedup();
        SourceMap {
            path: path.to_path_buf(),
            lines: LineIndex::new(text.to_string()),
            body_offset,
            blocks,
            boundaries,
            notes,
            front_keys: Vec::new(),
            bios: Vec::new(),
        }
    }

    /// The offset where top-level block (or question) `id` starts.
    pub fn offset(&self, id: BlockId) -> Option<usize> {
        self.blocks.get(&id).copied()
    }

    /// The place of top-level block (or question) `id`, or the file.
    pub fn location(&self, id: BlockId) -> Location {
        match self.offset(id) {
            Some(offset) => self.place(offset),
            None => Location::file(&self.path),
        }
    }

    /// The place of byte `offset`: as [`Location::at_offset`] says it, in
    /// time that does not grow with the offset.
    pub fn place(&self, offset: usize) -> Location {
        self.lines.location(&self.path, offset.min(self.text().len()))
    }

    /// The source's decoded text.
    pub fn text(&self) -> &str {
        self.lines.text()
    }

    /// The place of a front-matter key, or the file.
    pub fn key_location(&self, key: &str) -> Location {
        self.front_keys
            .iter()
            .find(|(k, _)| *k == key)
            .map_or_else(|| Location::file(&self.path), |(_, at)| at.clone())
    }

    /// The source's own text from `start` to the next block, question or
    /// footnote definition that starts after it (or the end), trimmed.
    pub fn slice_from(&self, start: usize) -> &str {
        let next = self.boundaries.partition_point(|&offset| offset <= start);
        let end = self.boundaries.get(next).copied().unwrap_or(self.text().len());
        self.text()[start.min(end)..end].trim()
    }

    /// The source's own text of some top-level blocks (a turn's), each
    /// cut at the next thing the map knows of, joined by blank lines: a
    /// footnote defined between them is left out.
    pub fn text_of(&self, ids: impl IntoIterator<Item = BlockId>) -> String {
        let mut offsets: Vec<usize> = ids.into_iter().filter_map(|id| self.offset(id)).collect();
        offsets.dedup();
        let parts: Vec<&str> = offsets.into_iter().map(|offset| self.slice_from(offset)).collect();
        parts.join("\n\n")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn places_agree_with_the_diagnostics() {
        let text = "---\ntitle: é\n---\n\nÉdouard: oui\r\n\nend";
        let map = SourceMap::new(Path::new("t.md"), text, 0, &[], &HashMap::new());
        for offset in 0..=text.len() + 2 {
            assert_eq!(map.place(offset), Location::at_offset(Path::new("t.md"), text, offset), "{offset}");
        }
    }
}
