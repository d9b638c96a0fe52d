//! Any bytes as a title's source → `mimeo batch` with a `catalog:` section:
//! never a panic or a hang, and whatever the title, author or description
//! hold, every feed the kit writes stays well-formed (OPDS 1.2 and Atom as
//! XML, OPDS 2.0 as JSON, ONIX as XML) and the site's pages are written.
#![no_main]

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;

const MANIFEST: &str = "catalog:\n  title: Fuzz <&> \"distro\"\n  base-url: https://distro.example/c/\n  page-size: 1\n\
                        sources: [a.md, b.md]\ndefaults:\n  editions: [zine-72]\n";

/// A folder with the manifest and a second, valid title; made once.
fn folder() -> &'static Path {
    static DIR: OnceLock<PathBuf> = OnceLock::new();
    DIR.get_or_init(|| {
        let dir = std::env::temp_dir().join(format!("mimeo-fuzz-kit-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join("editions.yaml"), MANIFEST).unwrap();
        let source = "---\ntitle: B\nlanguage: fa\nparticipants:\n  - name: Ann\n    bio: b\n---\n## Q?\n\nAnn: Yes.\n";
        std::fs::write(dir.join("b.md"), source).unwrap();
        dir
    })
}

fuzz_target!(|data: &[u8]| {
    let dir = folder();
    std::fs::write(dir.join("a.md"), data).unwrap();
    let manifest = mimeo::batch::manifest::load(&dir.join("editions.yaml")).expect("the manifest is valid");
    let out = dir.join("out");
    let options = mimeo::batch::Options { out: out.clone(), force: true, ..Default::default() };
    let report = mimeo::batch::run(&manifest, &options).expect("no output clashes with an input");
    let Some(Ok(written)) = &report.catalog else { return };
    assert!(written.total > 0);
    for feed in ["opds.xml", "feed.atom", "onix.xml"] {
        let text = std::fs::read_to_string(out.join(feed)).unwrap();
        if let Err(e) = roxmltree::Document::parse(&text) {
            panic!("{feed} is not well-formed: {e}");
        }
    }
    let json = std::fs::read(out.join("opds.json")).unwrap();
    serde_json::from_slice::<serde_json::Value>(&json).expect("opds.json is JSON");
    assert!(out.join("index.html").is_file());
});
