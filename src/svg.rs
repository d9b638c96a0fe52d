//! SVG pictures, read safely for every backend (through `usvg`).
//!
//! Reading touches nothing but the SVG file: `<image>` elements may embed
//! pictures as `data:` URLs but never name other files (which could lie
//! outside the source's folder or not travel with an e-book), and
//! `<text>` finds only the bundled faces, never the system's, so the
//! same input gives the same bytes on any machine.

use std::path::Path;
use std::sync::{Arc, OnceLock};

pub use svg2pdf::usvg;

/// Parse the SVG file at `path`, its text set in the bundled faces (the
/// body face when it names none). The error is a reason to show the user.
pub fn read(path: &Path) -> Result<usvg::Tree, String> {
    let bytes = std::fs::read(path).map_err(|e| e.to_string())?;
    let options = usvg::Options {
        font_family: crate::fonts::BODY_FAMILY.to_string(),
        image_href_resolver: usvg::ImageHrefResolver {
            resolve_data: usvg::ImageHrefResolver::default_data_resolver(),
            resolve_string: Box::new(|_, _| None),
        },
        fontdb: bundled_fontdb(),
        ..usvg::Options::default()
    };
    usvg::Tree::from_data(&bytes, &options).map_err(|e| format!("not a valid SVG ({e})"))
}

/// The bundled faces as usvg looks fonts up, read once for every SVG.
fn bundled_fontdb() -> Arc<usvg::fontdb::Database> {
    static FONTDB: OnceLock<Arc<usvg::fontdb::Database>> = OnceLock::new();
    FONTDB
        .get_or_init(|| {
            let mut fontdb = usvg::fontdb::Database::new();
            for face in crate::fonts::bundled_faces() {
                fontdb.load_font_source(usvg::fontdb::Source::Binary(Arc::new(face)));
            }
            Arc::new(fontdb)
        })
        .clone()
}

/// The SVG file at `path` written again as a self-contained drawing: no
/// scripts, no references to other files, text kept as text. What an
/// e-book can carry and its checkers accept.
pub fn cleaned(path: &Path) -> Result<Vec<u8>, String> {
    let tree = read(path)?;
    let options = usvg::WriteOptions { preserve_text: true, ..usvg::WriteOptions::default() };
    Ok(tree.to_string(&options).into_bytes())
}
