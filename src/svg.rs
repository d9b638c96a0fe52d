//! SVG pictures, read safely for every backend (through `usvg`).
//!
//! Reading touches nothing but the SVG file: `<image>` elements may embed
//! pictures as `data:` URLs but never name other files (which could lie
//! outside the source's folder or not travel with an e-book), and
//! `<text>` finds only the bundled faces, never the system's, so the
//! same input gives the same bytes on any machine.

use std::path::Path;
use std::sync::Arc;

pub use svg2pdf::usvg;

/// Parse the SVG file at `path`, its text set in the bundled faces (the
/// body face when it names none). The error is a reason to show the user.
pub fn read(path: &Path) -> Result<usvg::Tree, String> {
    let bytes = std::fs::read(path).map_err(|e| e.to_string())?;
    let mut options = usvg::Options {
        font_family: crate::fonts::BODY_FAMILY.to_string(),
        image_href_resolver: usvg::ImageHrefResolver {
            resolve_data: usvg::ImageHrefResolver::default_data_resolver(),
            resolve_string: Box::new(|_, _| None),
        },
        ..usvg::Options::default()
    };
    let fontdb = options.fontdb_mut();
    for face in crate::fonts::bundled_faces() {
        fontdb.load_font_source(usvg::fontdb::Source::Binary(Arc::new(face)));
    }
    usvg::Tree::from_data(&bytes, &options).map_err(|e| format!("not a valid SVG ({e})"))
}

/// The SVG file at `path` written again as a self-contained drawing: no
/// scripts, no references to other files, text kept as text. What an
/// e-book can carry and its checkers accept.
pub fn cleaned(path: &Path) -> Result<Vec<u8>, String> {
    let tree = read(path)?;
    let options = usvg::WriteOptions { preserve_text: true, ..usvg::WriteOptions::default() };
    Ok(tree.to_string(&options).into_bytes())
}
