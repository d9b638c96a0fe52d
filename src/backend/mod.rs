//! Backends: each reads the model and one layout and returns the bytes of
//! an edition. They share only these types, never each other's internals;
//! when one edition needs facts from another (the EPUB page list needs the
//! print edition's page starts), the caller passes them in [`Context`].

pub mod epub;
mod missing;
pub mod text;

pub use missing::Missing;

use crate::diag::Diagnostic;
use crate::model::PageStart;

pub mod pdf;

/// What a backend needs besides the document and its layout.
#[derive(Debug, Clone, Default)]
pub struct Context<'a> {
    /// The edition's date and time, as Unix seconds: `SOURCE_DATE_EPOCH`
    /// when set, so that the same input gives the same bytes.
    pub epoch: i64,
    /// Where the pages of a printed edition begin, for an EPUB page list
    /// (or, for a wrap cover, the interior whose page count sets the
    /// spine), with the name of that edition's layout.
    pub print_pages: Option<(&'a str, &'a [PageStart])>,
    /// A character no font (or, in an ASCII zine, no ASCII form) can show
    /// is a warning, not an error (`--allow-missing-glyphs`).
    pub allow_missing_glyphs: bool,
}

/// A rendered edition.
#[derive(Debug, Clone, Default)]
pub struct Output {
    pub bytes: Vec<u8>,
    /// Pages (sheets for imposed PDFs), when the format has pages.
    pub pages: Option<usize>,
    /// Where each page begins (PDF), for other editions' page lists.
    pub page_starts: Vec<PageStart>,
    pub warnings: Vec<Diagnostic>,
}
