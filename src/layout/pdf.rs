//! Settings of a PDF layout.

use serde::Deserialize;

use super::{Align, Format, Length};

/// A printed edition: page geometry, type sizes, page furniture.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct PdfLayout {
    // Read by the loader; repeated here so unknown keys are still caught.
    pub name: Option<String>,
    #[serde(default)]
    pub description: String,
    pub format: Format,

    pub page: PageSize,
    pub margins: Margins,
    pub body: BodyText,
    /// Title in the verso head, question in the recto head.
    #[serde(default = "yes")]
    pub running_heads: bool,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PageSize {
    pub width: Length,
    pub height: Length,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Margins {
    pub top: Length,
    pub bottom: Length,
    /// The margin at the spine.
    pub inside: Length,
    pub outside: Length,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct BodyText {
    /// Type size of the body text.
    pub size: Length,
    /// Baseline to baseline.
    pub leading: Length,
    /// First-line indent of paragraphs that follow a paragraph (0 for
    /// spaced paragraphs).
    #[serde(default)]
    pub indent: Option<Length>,
    #[serde(default)]
    pub align: Align,
}

fn yes() -> bool {
    true
}

impl PdfLayout {
    /// Values that parse but cannot work: `(field, reason)`.
    pub fn validate(&self) -> Result<(), (&'static str, String)> {
        let (w, h) = (self.page.width, self.page.height);
        for (field, length) in [("page.width", w), ("page.height", h)] {
            if !matches!(length, Length::Pt(pt) if (72.0..=14_400.0).contains(&pt)) {
                return Err((field, format!("{length} must be between 1in and 200in")));
            }
        }
        let m = &self.margins;
        for (field, length) in [
            ("margins.top", m.top),
            ("margins.bottom", m.bottom),
            ("margins.inside", m.inside),
            ("margins.outside", m.outside),
        ] {
            if !matches!(length, Length::Pt(pt) if pt >= 0.0) {
                return Err((field, format!("{length} must be a length of zero or more, not in em")));
            }
        }
        if m.inside.pt() + m.outside.pt() > w.pt() * 0.8 {
            return Err((
                "margins.inside",
                "the margins leave less than a fifth of the page width for text".into(),
            ));
        }
        if m.top.pt() + m.bottom.pt() > h.pt() * 0.8 {
            return Err((
                "margins.top",
                "the margins leave less than a fifth of the page height for text".into(),
            ));
        }
        let size = self.body.size.to_pt(10.0);
        if !(4.0..=72.0).contains(&size) {
            return Err(("body.size", format!("{size}pt is not a text size (4pt to 72pt)")));
        }
        if self.body.leading.to_pt(size) < size * 0.8 {
            return Err(("body.leading", "the leading is less than the type size".into()));
        }
        Ok(())
    }
}
