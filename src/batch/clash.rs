//! Outputs never replace inputs: before a batch writes anything, every
//! edition and hash file it would write is compared with every file it
//! reads (the manifest, sources, pieces, covers, pictures, layout files,
//! the fonts they name, and the other editions' hash files).

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use crate::diag::{Diagnostic, Location};
use crate::files;

use super::{LoadedSource, Manifest, hash_path};

/// Every file the batch reads, by identity: what it is, and its name as given.
struct Reads {
    files: HashMap<PathBuf, (String, PathBuf)>,
}

impl Reads {
    /// Known by both its canonical path (the file read, through links)
    /// and the place of its name (a link replaced by a rename is lost too).
    fn add(&mut self, path: &Path, what: impl Fn() -> String) {
        for id in [std::fs::canonicalize(path).ok(), Some(files::identity(path))].into_iter().flatten() {
            self.files.entry(id).or_insert_with(|| (what(), path.to_path_buf()));
        }
    }
}

/// Refuse the batch, before anything is written, if an output it would
/// write is a file it reads: each clash named, with both paths.
pub fn check(
    manifest: &Manifest,
    parsed: &[Option<Result<LoadedSource, Vec<Diagnostic>>>],
    by_source: &[Vec<usize>],
    out: &Path,
) -> Result<(), Vec<Diagnostic>> {
    let mut reads = Reads { files: HashMap::new() };
    reads.add(&manifest.file, || "the manifest".to_string());
    for (i, loaded) in parsed.iter().enumerate() {
        let Some(loaded) = loaded else { continue };
        let source = &manifest.sources[i];
        reads.add(source, || "a source".to_string());
        if let Ok((loaded, _, _)) = loaded {
            for file in loaded.inputs() {
                reads.add(&file, || format!("read for {}", source.display()));
            }
        }
    }
    for layout in &manifest.layouts {
        for file in crate::build::layout_files(layout) {
            reads.add(&file, || format!("read for the layout `{}`", layout.name));
        }
    }
    // Outputs' places: their folders made canonical once each, as a batch
    // writes thousands of files into a few folders.
    let mut folders: HashMap<PathBuf, PathBuf> = HashMap::new();
    let mut place = |path: &Path| -> PathBuf {
        let (Some(folder), Some(name)) = (path.parent(), path.file_name()) else {
            return files::identity(path);
        };
        folders.entry(folder.to_path_buf()).or_insert_with(|| files::identity(folder)).join(name)
    };
    let outputs: Vec<PathBuf> =
        by_source.iter().flatten().map(|&i| out.join(&manifest.editions[i].output)).collect();
    // An edition's hash file is read before it is written: no other
    // edition may be written over it.
    let mut hashes: HashMap<PathBuf, &Path> = HashMap::new();
    for output in &outputs {
        hashes.insert(place(&hash_path(output)), output);
    }
    let mut errors = Vec::new();
    for output in &outputs {
        let hash = hash_path(output);
        let other_hash = hashes
            .get(&place(output))
            .filter(|owner| **owner != output.as_path())
            .map(|owner| (format!("the hash file of {}", owner.display()), hash_path(owner)));
        for (written, what) in [(output, "the edition"), (&hash, "the hash file of the edition")] {
            let id = place(written);
            let clash =
                reads.files.get(&id).cloned().or_else(|| other_hash.clone().filter(|_| written == output));
            if let Some((read, name)) = clash {
                errors.push(
                    Diagnostic::error(format!(
                        "{what} {} would replace {} ({read}); nothing was written",
                        written.display(),
                        name.display()
                    ))
                    .at(Location::file(&manifest.file))
                    .hint("choose another `--out` folder or another `name:` pattern: a batch never writes over a file it reads"),
                );
            }
        }
    }
    if errors.is_empty() { Ok(()) } else { Err(errors) }
}
