//! Settings of an EPUB layout.

use serde::Deserialize;

use super::{Align, Format};

/// An e-book: reader-friendly defaults, and which printed edition's page
/// numbers to carry.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct EpubLayout {
    // Read by the loader; repeated here so unknown keys are still caught.
    pub name: Option<String>,
    #[serde(default)]
    pub description: String,
    pub format: Format,

    /// The PDF layout whose page breaks become the EPUB's page list.
    #[serde(default)]
    pub page_list: Option<String>,
    #[serde(default)]
    pub align: Align,
    /// Embed the bundled fonts (readers may still override them).
    #[serde(default)]
    pub embed_fonts: bool,
    /// The words the book prints around the text (part headings, navigation
    /// titles), for books not in English.
    #[serde(default)]
    pub labels: EpubLabels,
    /// A bilingual edition of a translation: each turn of the original
    /// followed by its translation, side by side on wide screens (issue 31).
    #[serde(default)]
    pub parallel: bool,

    // ---- read-along e-books (issue 35) ----
    /// The recording of a read-along book: carried in the e-book
    /// (`embed`, the default) or played from the source's `audio-url:`
    /// (`link`), which keeps the book small.
    #[serde(default)]
    pub audio: AudioPlacement,
}

/// Where a read-along book's recording is.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum AudioPlacement {
    #[default]
    Embed,
    Link,
}

/// Overrides of the e-book's own words; each left out stays English.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct EpubLabels {
    /// "Contents": the table of contents.
    pub contents: Option<String>,
    /// "Title Page".
    pub title_page: Option<String>,
    /// "Introduction".
    pub introduction: Option<String>,
    /// "Participants": the page of bios.
    pub participants: Option<String>,
    /// "Notes".
    pub notes: Option<String>,
    /// "Colophon".
    pub colophon: Option<String>,
    /// "Pages": the page list.
    pub pages: Option<String>,
}

impl EpubLayout {
    pub fn validate(&self) -> Result<(), (&'static str, String)> {
        if self.page_list.as_ref().is_some_and(|name| name.trim().is_empty()) {
            return Err(("page-list", "name a PDF layout, or leave the key out".into()));
        }
        let l = &self.labels;
        for (key, value) in [
            ("labels.contents", &l.contents),
            ("labels.title-page", &l.title_page),
            ("labels.introduction", &l.introduction),
            ("labels.participants", &l.participants),
            ("labels.notes", &l.notes),
            ("labels.colophon", &l.colophon),
            ("labels.pages", &l.pages),
        ] {
            if value.as_ref().is_some_and(|v| v.trim().is_empty()) {
                return Err((key, "give the word to print, or leave the key out".into()));
            }
        }
        Ok(())
    }
}
