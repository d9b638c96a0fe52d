//! Several transcripts in one book: a reader, a zine issue, an anthology.
//!
//! A [`Collection`] has its own metadata and an ordered list of pieces, each
//! a whole [`Document`] that keeps its own participants, notes, language and
//! direction: two pieces may both have an "Edward" who is not the same
//! person. A backend sets a collection without knowing where it came from.

use std::path::PathBuf;

use super::{Document, Meta};

#[derive(Debug, Clone, PartialEq)]
pub struct Collection {
    /// The book's own title, editors, language and so on.
    pub meta: Meta,
    /// Front matter pieces, then the parts, then back matter, in reading order.
    pub pieces: Vec<Piece>,
    /// The collection file it was read from.
    pub source: Option<PathBuf>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Piece {
    pub place: Place,
    /// The title the book gives the piece: the collection's `title:` for it,
    /// or the piece's own.
    pub title: String,
    pub document: Document,
}

/// Where a piece stands in the book.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Place {
    /// An editors' introduction or preface (`front:`).
    Front,
    /// One of the transcripts (`parts:`).
    Part,
    /// An afterword or appendix (`back:`).
    Back,
}

impl Collection {
    pub fn parts(&self) -> impl Iterator<Item = &Piece> {
        self.pieces.iter().filter(|p| p.place == Place::Part)
    }

    /// The book alone, as a document with no speakers and no text: what a
    /// backend sets for the title page and colophon of the whole.
    pub fn book_document(&self) -> Document {
        Document {
            meta: self.meta.clone(),
            participants: Vec::new(),
            introduction: Vec::new(),
            sections: Vec::new(),
            notes: Vec::new(),
            source: self.source.clone(),
        }
    }
}
