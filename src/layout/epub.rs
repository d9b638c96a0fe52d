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
}

impl EpubLayout {
    pub fn validate(&self) -> Result<(), (&'static str, String)> {
        if self.page_list.as_ref().is_some_and(|name| name.trim().is_empty()) {
            return Err(("page-list", "name a PDF layout, or leave the key out".into()));
        }
        Ok(())
    }
}
