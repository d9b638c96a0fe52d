//! Settings of a plain-text layout.

use serde::Deserialize;

use super::{Align, Format};

/// A fixed-width edition: measure in display columns, page height in lines.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct TextLayout {
    // Read by the loader; repeated here so unknown keys are still caught.
    pub name: Option<String>,
    #[serde(default)]
    pub description: String,
    pub format: Format,

    /// Line width in display columns.
    pub width: usize,
    /// Lines per page; no pages when absent.
    #[serde(default)]
    pub page_height: Option<usize>,
    /// Text columns per page.
    #[serde(default = "one")]
    pub columns: usize,
    /// Blank columns between text columns.
    #[serde(default = "gutter")]
    pub gutter: usize,
    #[serde(default)]
    pub align: Align,
    /// Transliterate to plain ASCII.
    #[serde(default)]
    pub ascii: bool,
    /// In an ASCII layout, print characters with no ASCII form as `?`,
    /// with a warning, instead of failing the build.
    #[serde(default)]
    pub allow_missing_glyphs: bool,
    /// How a link's address is printed: `note` (a numbered note, with the
    /// footnotes), `inline` (after the link's text) or `none`.
    #[serde(default)]
    pub links: crate::model::addresses::LinkAddresses,
    /// A bilingual edition of a translation: the original and the
    /// translation in two columns, turn beside turn (issue 31).
    #[serde(default)]
    pub parallel: bool,
}

fn one() -> usize {
    1
}

fn gutter() -> usize {
    4
}

impl TextLayout {
    pub fn validate(&self) -> Result<(), (&'static str, String)> {
        if !(20..=400).contains(&self.width) {
            return Err(("width", format!("{} columns is outside 20 to 400", self.width)));
        }
        if let Some(height) = self.page_height.filter(|h| !(10..=1000).contains(h)) {
            return Err(("page-height", format!("{height} lines is outside 10 to 1000")));
        }
        if !(1..=4).contains(&self.columns) {
            return Err(("columns", "use 1 to 4 columns".into()));
        }
        if self.columns > 1 && self.page_height.is_none() {
            return Err(("columns", "several columns need pages: set `page-height`".into()));
        }
        if self.columns > 1 && self.width.saturating_sub(self.gutter * (self.columns - 1)) / self.columns < 20
        {
            return Err(("columns", "each column would be narrower than 20".into()));
        }
        Ok(())
    }
}
