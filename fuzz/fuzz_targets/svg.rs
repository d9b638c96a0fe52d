//! Any bytes as an SVG picture → a source showing it, printed in colour
//! (vectors through svg2pdf), in black only (pixels through resvg) and
//! carried in an EPUB (written again by usvg): never a panic, a stack
//! overflow or a hang; each edition made is valid.
#![no_main]

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;

fn folder() -> &'static Path {
    static DIR: OnceLock<PathBuf> = OnceLock::new();
    DIR.get_or_init(|| {
        let dir = std::env::temp_dir().join(format!("mimeo-fuzz-svg-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let source = "---\ntitle: Picture\nparticipants:\n  - name: Ann\n    bio: b\n---\nAnn: A picture.\n\n![A drawing](p.svg)\n";
        std::fs::write(dir.join("s.md"), source).unwrap();
        dir
    })
}

fuzz_target!(|data: &[u8]| {
    let dir = folder();
    std::fs::write(dir.join("p.svg"), data).unwrap();
    // The picture is checked (an SVG by its first bytes, sizes) as the source is read.
    let Ok(parsed) = mimeo::source::parse_file(&dir.join("s.md")) else { return };
    let options = mimeo::build::Options { epoch: 1_600_000_000, allow_missing_glyphs: true };
    for name in ["a5", "a5-print", "epub"] {
        let layout = mimeo::layout::load(name).unwrap();
        if let Ok(output) = mimeo::build::render(&parsed.document, &layout, &options, None) {
            mimeo_fuzz::check_edition(&layout, &output.bytes);
        }
    }
});
