//! Settings of a PDF layout.

use std::path::PathBuf;

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
    /// The text begins on a recto (right-hand, odd) page: a blank verso
    /// is left after the title page when nothing else is printed there.
    #[serde(default = "yes")]
    pub recto_start: bool,
    /// Print the folio on the title page too.
    #[serde(default)]
    pub folio_on_title: bool,
    /// Notes at the foot of the page where they are referenced, or
    /// gathered at the end.
    #[serde(default)]
    pub notes: NotesPlacement,
    /// Where the participants' bios go.
    #[serde(default)]
    pub bios: BiosPlacement,
    /// How the interviewer's (or moderator's) turns are set apart.
    #[serde(default)]
    pub interviewer: InterviewerStyle,
    /// Font files replacing the bundled faces (paths, relative to the
    /// working folder).
    #[serde(default)]
    pub fonts: FontFiles,
}

/// Where notes are printed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum NotesPlacement {
    #[default]
    Footnotes,
    Endnotes,
}

/// Where the bios of the participants are printed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum BiosPlacement {
    /// On the back of the title page.
    #[default]
    TitleVerso,
    /// After the introduction, before the first question.
    AfterIntroduction,
    /// At the end, before the notes and colophon.
    End,
    /// Not printed.
    None,
}

/// How the turns of whoever asks the questions look.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum InterviewerStyle {
    /// The whole turn in italics.
    #[default]
    Italic,
    /// The speaker's name in bold small caps, the text in roman.
    BoldName,
}

/// Font files for each face; unnamed faces use the bundled fonts
/// (Linux Libertine O and JetBrains Mono).
#[derive(Debug, Clone, PartialEq, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct FontFiles {
    pub regular: Option<PathBuf>,
    pub italic: Option<PathBuf>,
    pub bold: Option<PathBuf>,
    pub bold_italic: Option<PathBuf>,
    pub mono: Option<PathBuf>,
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
    /// Extra space between paragraphs (spaced paragraphs).
    #[serde(default)]
    pub paragraph_space: Option<Length>,
    /// Hyphenate by the document's language.
    #[serde(default = "yes")]
    pub hyphenate: bool,
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
