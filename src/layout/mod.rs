//! Layouts: YAML data files that say how an edition looks (page size,
//! margins, fonts, text width, imposition). The built-in ones live in
//! `layouts/` and are compiled in; users name their own files by path.
//!
//! Every layout file has a `format:` (pdf, epub or txt) that selects which
//! settings it holds; each format's settings are typed and checked, so a
//! wrong key or value is an error naming the file, line and field.

mod builtin;
pub mod epub;
pub mod pdf;
pub mod text;
mod units;

use std::fmt;
use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::diag::{Diagnostic, Location, did_you_mean};

pub use epub::{AudioPlacement, EpubLayout};
pub use pdf::PdfLayout;
pub use text::TextLayout;
pub use units::Length;

/// An output format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Deserialize, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Format {
    Pdf,
    Epub,
    #[serde(alias = "text")]
    Txt,
}

impl Format {
    pub const ALL: [Format; 3] = [Format::Pdf, Format::Epub, Format::Txt];

    pub fn name(self) -> &'static str {
        match self {
            Format::Pdf => "pdf",
            Format::Epub => "epub",
            Format::Txt => "txt",
        }
    }

    /// File name extension of the output.
    pub fn extension(self) -> &'static str {
        self.name()
    }

    /// The media type of the output.
    pub fn media_type(self) -> &'static str {
        match self {
            Format::Pdf => "application/pdf",
            Format::Epub => "application/epub+zip",
            Format::Txt => "text/plain; charset=utf-8",
        }
    }

    /// The layout used for this format when none is named.
    pub fn default_layout(self) -> &'static str {
        match self {
            Format::Pdf => "a5",
            Format::Epub => "epub",
            Format::Txt => "zine-72",
        }
    }

    pub fn parse(name: &str) -> Option<Format> {
        match name.trim().to_ascii_lowercase().as_str() {
            "pdf" => Some(Format::Pdf),
            "epub" => Some(Format::Epub),
            "txt" | "text" => Some(Format::Txt),
            _ => None,
        }
    }
}

impl fmt::Display for Format {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// A loaded, checked layout.
#[derive(Debug, Clone, PartialEq)]
pub struct Layout {
    pub name: String,
    pub description: String,
    /// Where it came from: `None` for a built-in layout.
    pub file: Option<PathBuf>,
    /// The YAML text, for content hashes (incremental builds).
    pub text: String,
    pub settings: Settings,
}

/// The format-specific part of a layout.
#[derive(Debug, Clone, PartialEq)]
pub enum Settings {
    Pdf(Box<PdfLayout>),
    Epub(Box<EpubLayout>),
    Txt(Box<TextLayout>),
}

impl Layout {
    pub fn format(&self) -> Format {
        match self.settings {
            Settings::Pdf(_) => Format::Pdf,
            Settings::Epub(_) => Format::Epub,
            Settings::Txt(_) => Format::Txt,
        }
    }

    /// Whether it makes a bilingual edition of a translation (issue 31).
    pub fn is_bilingual(&self) -> bool {
        match &self.settings {
            Settings::Txt(text) => text.parallel,
            Settings::Epub(epub) => epub.parallel,
            Settings::Pdf(pdf) => pdf.parallel || pdf.head_to_foot,
        }
    }
}

/// The fields every layout file has; the rest depends on `format`.
#[derive(Deserialize)]
struct Header {
    name: Option<String>,
    #[serde(default)]
    description: String,
    format: Format,
}

/// The built-in layouts: name, one-line description and format, in order.
pub fn builtin() -> Vec<Layout> {
    builtin::ALL
        .iter()
        .map(|(name, text)| {
            parse(Path::new(&format!("layouts/{name}.yaml")), text, None)
                .unwrap_or_else(|e| panic!("built-in layout {name} is invalid: {e}"))
        })
        .collect()
}

/// Load a layout by built-in name, or from a file when `spec` is a path
/// (contains a `/` or ends in `.yaml`/`.yml`).
pub fn load(spec: &str) -> Result<Layout, Diagnostic> {
    let looks_like_path = spec.contains(['/', '\\']) || spec.ends_with(".yaml") || spec.ends_with(".yml");
    if looks_like_path {
        let path = Path::new(spec);
        let text = crate::files::read_text(path, crate::files::Kind::Layout).map_err(|e| e.diagnostic())?;
        return parse(path, &text, Some(path.to_path_buf()));
    }
    match builtin::ALL.iter().find(|(name, _)| *name == spec) {
        Some((name, text)) => parse(Path::new(&format!("layouts/{name}.yaml")), text, None),
        None => {
            let mut diag = Diagnostic::error(format!("there is no layout named `{spec}`"));
            if let Some(close) = did_you_mean(spec, builtin::ALL.iter().map(|(name, _)| *name)) {
                diag = diag.hint(format!("did you mean `{close}`?"));
            }
            Err(diag.hint("`mimeo layouts` lists the built-in layouts; a layout file is named by its path"))
        }
    }
}

/// Parse layout text; `path` names it in messages.
pub fn parse(path: &Path, text: &str, file: Option<PathBuf>) -> Result<Layout, Diagnostic> {
    let header: Header = crate::yaml::from_str(path, text, 0, text, "layout")?;
    let settings = match header.format {
        Format::Pdf => {
            let layout: PdfLayout = crate::yaml::from_str(path, text, 0, text, "layout")?;
            layout.validate().map_err(|(field, why)| invalid(path, text, field, why))?;
            Settings::Pdf(Box::new(layout))
        }
        Format::Epub => {
            let layout: EpubLayout = crate::yaml::from_str(path, text, 0, text, "layout")?;
            layout.validate().map_err(|(field, why)| invalid(path, text, field, why))?;
            Settings::Epub(Box::new(layout))
        }
        Format::Txt => {
            let layout: TextLayout = crate::yaml::from_str(path, text, 0, text, "layout")?;
            layout.validate().map_err(|(field, why)| invalid(path, text, field, why))?;
            Settings::Txt(Box::new(layout))
        }
    };
    let name = header.name.unwrap_or_else(|| {
        path.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_else(|| "layout".into())
    });
    Ok(Layout { name, description: header.description, file, text: text.to_string(), settings })
}

/// An error for a value that parses but makes no sense, placed at the
/// line of its key (the last segment of a dotted `field`).
fn invalid(path: &Path, text: &str, field: &str, why: String) -> Diagnostic {
    let key = field.rsplit('.').next().unwrap_or(field);
    let line = text
        .lines()
        .position(|line| {
            line.trim_start().strip_prefix(key).is_some_and(|rest| rest.trim_start().starts_with(':'))
        })
        // A key inside a flow mapping (`paper: { caliper: 3mm }`).
        .or_else(|| {
            text.lines()
                .position(|line| line.contains(&format!("{{ {key}:")) || line.contains(&format!(", {key}:")))
        })
        .map_or(1, |i| i + 1);
    Diagnostic::error(format!("`{field}`: {why}")).at(Location::at(path, line, 1))
}

/// How paragraph lines meet the right margin.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Align {
    /// Both edges straight: lines stretched to the full measure.
    #[default]
    Justify,
    /// Ragged right (left-aligned; right-aligned for right-to-left text).
    #[serde(alias = "ragged-right", alias = "left")]
    Ragged,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_builtin_layout_loads() {
        let all = builtin();
        assert!(!all.is_empty());
        for layout in &all {
            assert!(!layout.description.is_empty(), "{} has no description", layout.name);
        }
    }

    #[test]
    fn unknown_names_suggest_a_close_one() {
        let err = load("a55").unwrap_err();
        assert!(err.message.contains("a55"));
        assert!(err.hints.iter().any(|h| h.contains("`a5`")), "{err}");
    }

    #[test]
    fn a_bad_key_names_line_and_field() {
        let text = "format: pdf\npage:\n  widht: 100mm\n";
        let err = parse(Path::new("mine.yaml"), text, None).unwrap_err();
        let loc = err.location.clone().unwrap();
        assert_eq!(loc.line, Some(3), "{err}");
        assert!(err.message.contains("widht"), "{err}");
        assert!(err.hints.iter().any(|h| h.contains("width")), "{err}");
    }
}
