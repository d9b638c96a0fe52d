//! SVG pictures, read safely for every backend (through `usvg`).
//!
//! Reading touches nothing but the SVG file: `<image>` elements may embed
//! pictures as `data:` URLs but never name other files (which could lie
//! outside the source's folder or not travel with an e-book), and
//! `<text>` finds only the bundled faces, never the system's, so the
//! same input gives the same bytes on any machine.

use std::collections::BTreeSet;
use std::path::Path;
use std::sync::{Arc, OnceLock};

pub use svg2pdf::usvg;

/// How deep elements may nest in an SVG picture. usvg, svg2pdf and resvg
/// recurse once per level of groups, with kilobytes of stack each; a
/// drawing from Inkscape or Illustrator nests a dozen levels. Deeper
/// files are refused before any of them runs, so a 2 MiB thread stack
/// holds the deepest accepted one.
pub const MAX_DEPTH: usize = 128;

/// Parse the SVG file at `path`, its text set in the bundled faces (the
/// body face when it names none). The error is a reason to show the user.
pub fn read(path: &Path) -> Result<usvg::Tree, String> {
    let bytes = crate::files::read(path, crate::files::Kind::Picture).map_err(|e| e.to_string())?;
    check_depth(path, &bytes)?;
    parse(&bytes)
}

/// Parse SVG bytes as [`read`] does (mimeo's own drawings: the EPUB's cover).
pub fn parse(bytes: &[u8]) -> Result<usvg::Tree, String> {
    let options = usvg::Options {
        font_family: crate::fonts::BODY_FAMILY.to_string(),
        image_href_resolver: usvg::ImageHrefResolver {
            resolve_data: usvg::ImageHrefResolver::default_data_resolver(),
            resolve_string: Box::new(|_, _| None),
        },
        fontdb: bundled_fontdb(has_cjk(bytes)),
        ..usvg::Options::default()
    };
    usvg::Tree::from_data(bytes, &options).map_err(|e| format!("not a valid SVG ({e})"))
}

/// Refuse a drawing nested deeper than [`MAX_DEPTH`], naming where; the
/// XML is read by roxmltree, which keeps its own stack (no recursion), as
/// usvg will read it. What roxmltree cannot read is left to usvg to refuse.
fn check_depth(path: &Path, bytes: &[u8]) -> Result<(), String> {
    if bytes.starts_with(&[0x1f, 0x8b]) {
        return Err("a compressed SVG (svgz); give the drawing as plain SVG".into());
    }
    let Ok(text) = std::str::from_utf8(bytes) else { return Ok(()) };
    let options = roxmltree::ParsingOptions { allow_dtd: true, ..roxmltree::ParsingOptions::default() };
    let Ok(document) = roxmltree::Document::parse_with_options(text, options) else { return Ok(()) };
    // Each node's depth from its parent's, in document order (parents first).
    let mut depths = vec![0usize; document.descendants().count()];
    for node in document.descendants() {
        let parent = node.parent().map_or(0, |p| depths[p.id().get_usize()]);
        let depth = parent + usize::from(node.is_element());
        depths[node.id().get_usize()] = depth;
        if depth > MAX_DEPTH {
            let at = document.text_pos_at(node.range().start);
            return Err(format!(
                "nesting deeper than {MAX_DEPTH} levels at {}:{}:{}",
                path.display(),
                at.row,
                at.col
            ));
        }
    }
    Ok(())
}

/// Whether an SVG file's text may need the CJK faces (some character of the
/// CJK blocks, all of which are three bytes in UTF-8 from E1 to EF).
fn has_cjk(bytes: &[u8]) -> bool {
    String::from_utf8_lossy(bytes).chars().any(|c| matches!(c, '\u{1100}'..='\u{11FF}' | '\u{2E80}'..='\u{D7FF}' | '\u{F900}'..='\u{FAFF}' | '\u{FE30}'..='\u{FE4F}' | '\u{FF00}'..='\u{FFEF}'))
}

/// The bundled faces as usvg looks fonts up, read once for every SVG; with
/// the CJK faces only for drawings that need them (they cost a
/// decompression).
fn bundled_fontdb(cjk: bool) -> Arc<usvg::fontdb::Database> {
    static FONTDB: [OnceLock<Arc<usvg::fontdb::Database>>; 2] = [OnceLock::new(), OnceLock::new()];
    FONTDB[usize::from(cjk)]
        .get_or_init(|| {
            let mut fontdb = usvg::fontdb::Database::new();
            for face in crate::fonts::bundled_faces() {
                fontdb.load_font_source(usvg::fontdb::Source::Binary(Arc::new(face)));
            }
            // SVG text asks for generic families (`serif`), which fontdb
            // maps to Times New Roman unless told: name the bundled face.
            fontdb.set_serif_family("Linux Libertine O");
            fontdb.set_sans_serif_family("Linux Libertine O");
            if cjk {
                for bold in [false, true] {
                    fontdb
                        .load_font_source(usvg::fontdb::Source::Binary(Arc::new(crate::fonts::cjk(bold).1)));
                }
            }
            Arc::new(fontdb)
        })
        .clone()
}

/// The characters of a drawing's text that no bundled face has (usvg
/// leaves them out).
pub fn missing_glyphs(tree: &usvg::Tree) -> BTreeSet<char> {
    fn walk(group: &usvg::Group, out: &mut BTreeSet<char>) {
        for node in group.children() {
            match node {
                usvg::Node::Group(g) => walk(g, out),
                usvg::Node::Text(text) => {
                    for chunk in text.chunks() {
                        out.extend(chunk.text().chars().filter(|c| !c.is_whitespace() && !c.is_control()));
                    }
                }
                _ => {}
            }
        }
    }
    let mut chars = BTreeSet::new();
    walk(tree.root(), &mut chars);
    let fontdb = tree.fontdb();
    chars.retain(|&c| {
        !fontdb.faces().any(|face| {
            fontdb
                .with_face_data(face.id, |data, index| {
                    rustybuzz::ttf_parser::Face::parse(data, index).is_ok_and(|f| f.glyph_index(c).is_some())
                })
                .unwrap_or(false)
        })
    });
    chars
}

/// The SVG file at `path` written again as a self-contained drawing: no
/// scripts, no references to other files, text kept as text. What an
/// e-book can carry and its checkers accept.
pub fn cleaned(path: &Path) -> Result<Vec<u8>, String> {
    let tree = read(path)?;
    let options = usvg::WriteOptions { preserve_text: true, ..usvg::WriteOptions::default() };
    Ok(tree.to_string(&options).into_bytes())
}
