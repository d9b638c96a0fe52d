//! Any bytes as a collection file → the collection reader, beside real
//! pieces and a collection it may include: never a panic or a hang; an
//! accepted book has pieces, each from a file inside the folder, and its
//! zine is a valid text edition; every error names a file of the folder.
#![no_main]

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;

/// A folder with two sources, a nested collection and a picture; made once.
fn folder() -> &'static Path {
    static DIR: OnceLock<PathBuf> = OnceLock::new();
    DIR.get_or_init(|| {
        let dir = std::env::temp_dir().join(format!("mimeo-fuzz-collection-{}", std::process::id()));
        std::fs::create_dir_all(dir.join("sub")).unwrap();
        let source = "---\ntitle: A\nparticipants:\n  - name: Ann\n    bio: b\n---\nIntro.\n\n## Q?\n\nAnn: Yes.\n";
        std::fs::write(dir.join("a.md"), source).unwrap();
        std::fs::write(dir.join("b.md"), source.replace("title: A", "title: B")).unwrap();
        std::fs::write(dir.join("sub/c.md"), source.replace("title: A", "title: C")).unwrap();
        std::fs::write(dir.join("sub/inner.yaml"), "title: Inner\nparts: [c.md]\n").unwrap();
        std::fs::write(dir.join("self.yaml"), "title: Self\nparts: [self.yaml]\n").unwrap();
        dir
    })
}

fuzz_target!(|data: &[u8]| {
    let dir = folder();
    let path = dir.join("book.yaml");
    std::fs::write(&path, data).unwrap();
    match mimeo::source::parse_collection(&path) {
        Ok(parsed) => {
            let book = &parsed.collection;
            assert!(!book.pieces.is_empty(), "an accepted collection has pieces");
            let canonical = std::fs::canonicalize(dir).unwrap();
            for piece in &book.pieces {
                let source = piece.document.source.as_ref().expect("a piece has its file");
                let source = std::fs::canonicalize(source).unwrap();
                assert!(source.starts_with(&canonical), "{source:?} is outside the folder");
            }
            let layout = mimeo::layout::load("zine-72").unwrap();
            let options = mimeo::build::Options { epoch: 1_600_000_000, allow_missing_glyphs: true };
            if let Ok(output) = mimeo::build::render_collection(book, &layout, &options, None) {
                mimeo_fuzz::check_edition(&layout, &output.bytes);
            }
        }
        Err(errors) => {
            assert!(!errors.is_empty());
            for e in errors {
                let at = e.location.as_ref().expect("a collection error has a place");
                assert!(at.path.starts_with(dir), "{e}");
            }
        }
    }
});
