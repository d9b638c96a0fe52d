//! Diagnostics: errors and warnings that name a file and a place in it.
//!
//! Every stage reports problems as [`Diagnostic`]s; only the CLI prints them,
//! as `file:line:col: error: message` followed by `hint:` lines.

use std::fmt;
use std::path::{Path, PathBuf};

/// How bad a diagnostic is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    Warning,
    Error,
}

/// A place in a file: 1-based line and column (column counted in characters).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Location {
    pub path: PathBuf,
    pub line: Option<usize>,
    pub column: Option<usize>,
}

impl Location {
    /// The whole file, without a line.
    pub fn file(path: &Path) -> Self {
        Location { path: path.to_path_buf(), line: None, column: None }
    }

    /// A line and column in a file.
    pub fn at(path: &Path, line: usize, column: usize) -> Self {
        Location { path: path.to_path_buf(), line: Some(line), column: Some(column) }
    }

    /// The place of byte `offset` in `text`, which is the content of `path`.
    /// Scans the text: a caller that locates many places in one text keeps
    /// a [`LineIndex`] instead.
    pub fn at_offset(path: &Path, text: &str, offset: usize) -> Self {
        let (line, column) = line_column(text, offset);
        Location::at(path, line, column)
    }
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.path.display())?;
        if let Some(line) = self.line {
            write!(f, ":{line}")?;
            if let Some(column) = self.column {
                write!(f, ":{column}")?;
            }
        }
        Ok(())
    }
}

/// The 1-based line and column (in characters) of byte `offset` in `text`.
/// Reads the text up to `offset` only; see [`LineIndex`] for many places.
pub fn line_column(text: &str, offset: usize) -> (usize, usize) {
    let offset = text.floor_char_boundary(offset.min(text.len()));
    LineIndex::new(&text[..offset]).line_column(offset)
}

/// Where each line of a text starts, found once, so that locating a place
/// costs a binary search and the length of its line, not a scan from the
/// start of the text (a scan per warning made imports quadratic: #28).
#[derive(Debug, Clone)]
pub struct LineIndex<'t> {
    /// Borrowed while a source is read; owned by what outlives the read (a
    /// translation's map of its original).
    text: std::borrow::Cow<'t, str>,
    /// Byte offset of each line's first byte; the first is 0.
    starts: Vec<usize>,
}

impl<'t> LineIndex<'t> {
    pub fn new(text: impl Into<std::borrow::Cow<'t, str>>) -> Self {
        let text = text.into();
        let starts = std::iter::once(0)
            .chain(text.bytes().enumerate().filter(|&(_, b)| b == b'\n').map(|(i, _)| i + 1))
            .collect();
        LineIndex { text, starts }
    }

    /// The text indexed.
    pub fn text(&self) -> &str {
        &self.text
    }

    /// The 1-based line and column (in characters) of byte `offset`; an
    /// offset past the end or inside a character counts as the one before.
    pub fn line_column(&self, offset: usize) -> (usize, usize) {
        let offset = self.text.floor_char_boundary(offset);
        // The last line starting at or before `offset`.
        let line = self.starts.partition_point(|&start| start <= offset);
        let column = self.text[self.starts[line - 1]..offset].chars().count() + 1;
        (line, column)
    }

    /// The place of byte `offset` in the text, which is the content of `path`.
    pub fn location(&self, path: &Path, offset: usize) -> Location {
        let (line, column) = self.line_column(offset);
        Location::at(path, line, column)
    }
}

/// One problem found in the input or while building.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    pub severity: Severity,
    pub location: Option<Location>,
    pub message: String,
    pub hints: Vec<String>,
}

impl Diagnostic {
    pub fn error(message: impl Into<String>) -> Self {
        Diagnostic { severity: Severity::Error, location: None, message: message.into(), hints: Vec::new() }
    }

    pub fn warning(message: impl Into<String>) -> Self {
        Diagnostic { severity: Severity::Warning, ..Diagnostic::error(message) }
    }

    /// Attach a place.
    pub fn at(mut self, location: Location) -> Self {
        self.location = Some(location);
        self
    }

    /// Add a `hint:` line.
    pub fn hint(mut self, hint: impl Into<String>) -> Self {
        self.hints.push(hint.into());
        self
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(location) = &self.location {
            write!(f, "{location}: ")?;
        }
        let word = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        write!(f, "{word}: {}", self.message)?;
        for hint in &self.hints {
            write!(f, "\n  hint: {hint}")?;
        }
        Ok(())
    }
}

impl std::error::Error for Diagnostic {}

/// The closest candidate to `word`, if any is close enough to be a likely typo.
pub fn did_you_mean<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let word = word.to_lowercase();
    candidates
        .into_iter()
        .map(|c| (strsim::jaro_winkler(&word, &c.to_lowercase()), c))
        .filter(|(score, _)| *score >= 0.8)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, c)| c)
}

/// Why an operation on a file failed, in words, without the OS's
/// `(os error N)`: what `cannot read X: …` and `cannot write X: …` end with.
pub fn io_words(e: &std::io::Error) -> String {
    use std::io::ErrorKind;
    match e.kind() {
        ErrorKind::NotFound => "there is no such file".into(),
        ErrorKind::PermissionDenied => "permission denied".into(),
        ErrorKind::IsADirectory => "it is a folder, not a file".into(),
        ErrorKind::NotADirectory => "a folder on its path is a file".into(),
        ErrorKind::AddrInUse => "another program is using it".into(),
        ErrorKind::ReadOnlyFilesystem => "the disk is read-only".into(),
        ErrorKind::StorageFull | ErrorKind::QuotaExceeded => "the disk is full".into(),
        _ => {
            let message = e.to_string();
            let message = message.split(" (os error").next().unwrap_or(&message);
            let mut chars = message.chars();
            chars.next().map(|c| c.to_lowercase().chain(chars).collect()).unwrap_or_default()
        }
    }
}

/// `1 page`, `2 pages`: a count with its noun in the right number.
pub fn count(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_and_column_count_characters() {
        let text = "ab\nçd\nef";
        assert_eq!(line_column(text, 0), (1, 1));
        assert_eq!(line_column(text, 3), (2, 1));
        // 'd' follows a two-byte 'ç' but is the second character.
        assert_eq!(line_column(text, 5), (2, 2));
        assert_eq!(line_column(text, 999), (3, 3));
        // Inside the two bytes of 'ç': the character it belongs to.
        assert_eq!(line_column(text, 4), (2, 1));
    }

    #[test]
    fn an_index_finds_every_line() {
        let text = "\nab\n\nc\n";
        let index = LineIndex::new(text);
        let places: Vec<_> = (0..=text.len()).map(|i| index.line_column(i)).collect();
        assert_eq!(places, [(1, 1), (2, 1), (2, 2), (2, 3), (3, 1), (4, 1), (4, 2), (5, 1)]);
        assert_eq!(LineIndex::new("").line_column(3), (1, 1));
    }

    #[test]
    fn os_errors_are_words() {
        let e = std::io::Error::from_raw_os_error(20);
        assert_eq!(io_words(&e), "a folder on its path is a file");
        assert_eq!(io_words(&std::io::Error::other("Disk on fire (os error 99)")), "disk on fire");
        assert_eq!(count(1, "page", "pages"), "1 page");
        assert_eq!(count(0, "page", "pages"), "0 pages");
    }

    #[test]
    fn suggestions_catch_typos_only() {
        let keys = ["title", "subtitle", "language"];
        assert_eq!(did_you_mean("titel", keys), Some("title"));
        assert_eq!(did_you_mean("langauge", keys), Some("language"));
        assert_eq!(did_you_mean("zebra", keys), None);
    }
}
