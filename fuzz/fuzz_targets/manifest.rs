//! Any bytes as a batch manifest → load and run it: never a panic or a
//! hang; an error names the manifest; an accepted manifest's editions all
//! land inside the output folder, and none replaces a file the batch reads.
#![no_main]

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;

/// A folder with two sources and a layout file a manifest may name.
fn folder() -> &'static Path {
    static DIR: OnceLock<PathBuf> = OnceLock::new();
    DIR.get_or_init(|| {
        let dir = std::env::temp_dir().join(format!("mimeo-fuzz-manifest-{}", std::process::id()));
        std::fs::create_dir_all(dir.join("more")).unwrap();
        let source = "---\ntitle: A\nparticipants:\n  - name: Ann\n    bio: b\n---\nIntro.\n\n## Q?\n\nAnn: Yes.\n";
        std::fs::write(dir.join("a.md"), source).unwrap();
        std::fs::write(dir.join("more/b.md"), source.replace("title: A", "title: B")).unwrap();
        std::fs::write(dir.join("narrow.yaml"), "format: text\nwidth: 40\n").unwrap();
        dir
    })
}

/// Every file under `dir`, with its bytes.
fn files(dir: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    let mut found = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap().flatten() {
        let path = entry.path();
        if path.is_dir() {
            if path.file_name() != Some("out".as_ref()) {
                found.extend(files(&path));
            }
        } else if path.file_name() != Some("editions.yaml".as_ref()) {
            let bytes = std::fs::read(&path).unwrap();
            found.push((path, bytes));
        }
    }
    found
}

fuzz_target!(|data: &[u8]| {
    let dir = folder();
    let path = dir.join("editions.yaml");
    std::fs::write(&path, data).unwrap();
    let inputs = files(dir);
    let manifest = match mimeo::batch::manifest::load(&path) {
        Ok(manifest) => manifest,
        Err(e) => {
            let at = e.location.as_ref().expect("a manifest error has a place");
            assert_eq!(at.path, path, "{e}");
            return;
        }
    };
    let out = dir.join("out");
    let options = mimeo::batch::Options { out: out.clone(), force: true, ..Default::default() };
    if let Ok(report) = mimeo::batch::run(&manifest, &options) {
        for edition in &manifest.editions {
            assert!(edition.output.is_relative(), "{:?}", edition.output);
        }
        drop(report);
    }
    assert_eq!(std::fs::read(&path).unwrap(), data, "the manifest is never replaced");
    assert_eq!(files(dir), inputs, "no input is ever replaced");
});
