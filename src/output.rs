//! Where editions are written, and how: names that are safe on every file
//! system, and writes that never leave a half-written file under a final name.

use std::collections::HashSet;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, Ordering};

use crate::diag::Diagnostic;

/// Temporary files being written right now; removed if the process is
/// interrupted, so that an interrupted build leaves nothing behind.
static IN_FLIGHT: Mutex<Option<HashSet<PathBuf>>> = Mutex::new(None);

/// Set by `watch` and `serve`, whose normal end is Ctrl-C.
static INTERRUPT_IS_THE_END: AtomicBool = AtomicBool::new(false);

/// Ctrl-C ends this run normally (exit 0), as it is how `watch` stops.
pub fn interrupt_ends_normally() {
    INTERRUPT_IS_THE_END.store(true, Ordering::SeqCst);
}

/// On SIGINT or SIGTERM: delete the temporary files being written and exit
/// with 130. Finished editions are complete; unfinished ones never had
/// their final name.
pub fn remove_partial_files_on_interrupt() {
    let _ = ctrlc::set_handler(|| {
        // The lock is held until the process ends, so no writer can create
        // a temporary file after the sweep: `write_atomic` creates and
        // registers each one under this lock.
        let mut guard = IN_FLIGHT.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        for path in guard.take().unwrap_or_default() {
            let _ = std::fs::remove_file(path);
        }
        if INTERRUPT_IS_THE_END.load(Ordering::SeqCst) {
            eprintln!("mimeo: stopped; the editions on disk are complete");
            std::process::exit(0);
        }
        eprintln!("mimeo: interrupted; no partial file was left");
        std::process::exit(130);
    });
}

fn untrack(path: &Path) {
    let mut guard = IN_FLIGHT.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
    if let Some(set) = guard.as_mut() {
        set.remove(path);
    }
}

/// Longest slug kept, in characters.
const MAX_SLUG_CHARS: usize = 80;

/// A file-name-safe form of `name`: letters and digits (any script) kept,
/// everything else folded to single hyphens; never empty, never a
/// path, a dot file, or a Windows device name.
pub fn slug(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    let mut pending_hyphen = false;
    for c in name.chars() {
        if c.is_alphanumeric() && !is_format_char(c) {
            if pending_hyphen && !out.is_empty() {
                out.push('-');
            }
            pending_hyphen = false;
            out.extend(c.to_lowercase());
        } else {
            pending_hyphen = true;
        }
        if out.chars().count() >= MAX_SLUG_CHARS {
            break;
        }
    }
    if out.is_empty() {
        out.push_str("untitled");
    } else if is_device_name(&out) {
        out.push_str("-doc");
    }
    out
}

/// Windows device names (CON, PRN, AUX, NUL, COM1–9, LPT1–9, and the
/// superscript-digit forms Windows also reserves), lower-cased.
fn is_device_name(name: &str) -> bool {
    let mut chars = name.chars();
    let prefix: String = chars.by_ref().take(3).collect();
    let rest: Vec<char> = chars.collect();
    match (prefix.as_str(), rest.as_slice()) {
        ("con" | "prn" | "aux" | "nul", []) => true,
        ("com" | "lpt", [digit]) => matches!(digit, '1'..='9' | '¹' | '²' | '³'),
        _ => false,
    }
}

/// Bidi controls and other invisible format characters never belong in a name.
fn is_format_char(c: char) -> bool {
    matches!(c, '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{FEFF}')
}

/// Write `bytes` to `path` atomically: into a temporary file in the same
/// folder, then renamed over the final name. On error nothing is left at
/// `path` that was not there before.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    write_all_atomic(&[(path, bytes)]).map_err(|(_, e)| e)
}

/// Write every file atomically, all or none: each is written in full to a
/// temporary name beside its final one, and only when all are complete
/// are they renamed into place. A file a rename would replace is kept
/// aside until every rename is done, so that when one fails (its name is
/// a folder, permission is denied) the files already renamed are undone.
/// On an error no temporary file is left and every final name holds what
/// it held before; the error names the file it concerns.
pub fn write_all_atomic(files: &[(&Path, &[u8])]) -> Result<(), (PathBuf, std::io::Error)> {
    let mut staged = Vec::with_capacity(files.len());
    for (path, bytes) in files {
        match stage(path, bytes) {
            Ok(temp) => staged.push((temp, *path)),
            Err(e) => {
                // Dropping a staged file deletes it.
                for (temp, _) in staged {
                    untrack(temp.path());
                }
                return Err((path.to_path_buf(), e));
            }
        }
    }
    let mut placed: Vec<(&Path, Option<PathBuf>)> = Vec::with_capacity(staged.len());
    let mut failed = None;
    for (temp, path) in staged {
        if failed.is_some() {
            untrack(temp.path());
            continue;
        }
        match place(temp, path) {
            Ok(previous) => placed.push((path, previous)),
            Err(e) => failed = Some((path.to_path_buf(), e)),
        }
    }
    if let Some(error) = failed {
        for (path, previous) in placed.into_iter().rev() {
            // Best effort: the error that stopped the write is the one told.
            let _ = match &previous {
                Some(aside) => std::fs::rename(aside, path),
                None => std::fs::remove_file(path),
            };
            previous.iter().for_each(|aside| untrack(aside));
        }
        return Err(error);
    }
    for aside in placed.into_iter().filter_map(|(_, previous)| previous) {
        let _ = std::fs::remove_file(&aside);
        untrack(&aside);
    }
    Ok(())
}

/// Rename `temp` over `path`; the file it replaced, kept aside, if any.
fn place(temp: tempfile::NamedTempFile, path: &Path) -> std::io::Result<Option<PathBuf>> {
    let temp_path = temp.path().to_path_buf();
    let previous = match keep_aside(path) {
        Ok(previous) => previous,
        Err(e) => {
            untrack(&temp_path);
            return Err(e);
        }
    };
    let persisted = temp.persist(path).map_err(|e| e.error);
    untrack(&temp_path);
    match persisted {
        Ok(_) => Ok(previous),
        Err(e) => {
            if let Some(aside) = previous {
                let _ = std::fs::remove_file(&aside);
                untrack(&aside);
            }
            Err(e)
        }
    }
}

/// A second name for the file at `path` (a hard link, else a copy) under
/// which it survives being replaced; `None` when there is no file there
/// (a folder there makes the rename fail, which needs no undoing).
fn keep_aside(path: &Path) -> std::io::Result<Option<PathBuf>> {
    match std::fs::symlink_metadata(path) {
        Ok(meta) if !meta.is_dir() => {}
        _ => return Ok(None),
    }
    let folder = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    let mut guard = IN_FLIGHT.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
    let aside = tempfile::Builder::new().prefix(".mimeo-").suffix(".old").make_in(folder, |aside| {
        std::fs::hard_link(path, aside).or_else(|e| match e.kind() {
            std::io::ErrorKind::AlreadyExists => Err(e),
            _ => std::fs::copy(path, aside).map(drop),
        })
    })?;
    let aside = aside.into_temp_path().keep().map_err(|e| e.error)?;
    guard.get_or_insert_with(HashSet::new).insert(aside.clone());
    Ok(Some(aside))
}

/// `bytes` in a complete temporary file beside `path`, registered for
/// removal on an interrupt.
fn stage(path: &Path, bytes: &[u8]) -> std::io::Result<tempfile::NamedTempFile> {
    let folder = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    std::fs::create_dir_all(folder)?;
    // Created and registered under the lock, so that an interrupt either
    // sees the temporary file or stops the process before it exists.
    let mut temp = {
        let mut guard = IN_FLIGHT.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        let temp = tempfile::Builder::new().prefix(".mimeo-").suffix(".part").tempfile_in(folder)?;
        guard.get_or_insert_with(HashSet::new).insert(temp.path().to_path_buf());
        temp
    };
    let result = (|| {
        temp.write_all(bytes)?;
        temp.flush()?;
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            temp.as_file().set_permissions(std::fs::Permissions::from_mode(0o644))?;
        }
        Ok(())
    })();
    match result {
        Ok(()) => Ok(temp),
        Err(e) => {
            untrack(temp.path());
            Err(e)
        }
    }
}

/// Why `path` could not be written, once, in words: the folder on the way
/// that is a file, a missing permission, a full disk.
pub fn write_error(path: &Path, e: &std::io::Error) -> Diagnostic {
    use std::io::ErrorKind;
    // The first folder on the way that exists as something else.
    let blocker = path.ancestors().skip(1).filter(|a| !a.as_os_str().is_empty()).find(|a| a.is_file());
    if let Some(file) = blocker {
        return Diagnostic::error(format!(
            "{} is a file, not a folder: nothing can be written in it",
            file.display()
        ))
        .hint("choose another folder with `--out`, or move that file away");
    }
    let hint = match e.kind() {
        ErrorKind::PermissionDenied => Some("choose a folder you may write in, with `--out`"),
        ErrorKind::ReadOnlyFilesystem => Some("choose another folder with `--out`"),
        ErrorKind::IsADirectory => Some("move the folder away, or choose another `--out`"),
        _ => None,
    };
    let diag = Diagnostic::error(format!("cannot write {}: {}", path.display(), crate::diag::io_words(e)));
    match hint {
        Some(hint) => diag.hint(hint),
        None => diag,
    }
}

/// An error if writing `outputs` would replace a file the build reads
/// (`inputs`: the source, pieces, pictures, layouts, fonts), naming both.
/// Only outputs that exist can be inputs; both are compared as the
/// files they are (after resolving links and `..`).
pub fn replaces_input(outputs: &[PathBuf], inputs: &[PathBuf]) -> Option<Diagnostic> {
    let inputs: Vec<(PathBuf, &PathBuf)> =
        inputs.iter().filter_map(|i| Some((std::fs::canonicalize(i).ok()?, i))).collect();
    outputs.iter().find_map(|output| {
        let real = std::fs::canonicalize(output).ok()?;
        let (_, input) = inputs.iter().find(|(i, _)| *i == real)?;
        Some(
            Diagnostic::error(format!(
                "{} would be written over {}, which this build reads",
                output.display(),
                input.display()
            ))
            .hint("choose another folder with `--out`, or rename the file"),
        )
    })
}

/// `out/<slug>/<slug>-<layout>.<ext>`; the layout part is left out when
/// the layout is named after its format (`epub`).
pub fn edition_path(out: &Path, slug_name: &str, layout_name: &str, extension: &str) -> PathBuf {
    let layout = slug(layout_name);
    let file = if layout == extension {
        format!("{slug_name}.{extension}")
    } else {
        format!("{slug_name}-{layout}.{extension}")
    };
    out.join(slug_name).join(file)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_are_safe_names() {
        assert_eq!(slug("global-uprisings"), "global-uprisings");
        assert_eq!(slug("Global Uprisings & the Left’s Response"), "global-uprisings-the-left-s-response");
        assert_eq!(slug("../../etc/passwd"), "etc-passwd");
        assert_eq!(slug("a\u{202E}b/c\\d\0e"), "a-b-c-d-e");
        assert_eq!(slug("..."), "untitled");
        assert_eq!(slug("CON"), "con-doc");
        assert_eq!(slug("com7"), "com7-doc");
        assert_eq!(slug("LPT9"), "lpt9-doc");
        assert_eq!(slug("com¹"), "com¹-doc");
        assert_eq!(slug("com10"), "com10");
        assert_eq!(slug("console"), "console");
        assert_eq!(slug("خیزش‌ها"), "خیزش-ها");
    }

    #[test]
    fn atomic_write_replaces_whole_files() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("sub/out.txt");
        write_atomic(&path, b"first").unwrap();
        write_atomic(&path, b"second").unwrap();
        assert_eq!(std::fs::read(&path).unwrap(), b"second");
        let leftovers = std::fs::read_dir(path.parent().unwrap()).unwrap().count();
        assert_eq!(leftovers, 1, "no temporary file is left behind");
    }

    #[test]
    fn a_failed_rename_undoes_the_renames_before_it() {
        let dir = tempfile::tempdir().unwrap();
        let (old, new, folder) =
            (dir.path().join("a.pdf"), dir.path().join("b.epub"), dir.path().join("c.txt"));
        std::fs::write(&old, b"previous").unwrap();
        std::fs::create_dir(&folder).unwrap();
        let files: [(&Path, &[u8]); 3] = [(&old, b"next"), (&new, b"new"), (&folder, b"text")];
        let (failed, _) = write_all_atomic(&files).unwrap_err();
        assert_eq!(failed, folder);
        assert_eq!(std::fs::read(&old).unwrap(), b"previous");
        assert!(!new.exists(), "a new edition is removed again");
        assert!(folder.is_dir());
        let mut names: Vec<_> =
            std::fs::read_dir(dir.path()).unwrap().map(|e| e.unwrap().file_name()).collect();
        names.sort();
        assert_eq!(names, ["a.pdf", "c.txt"], "no temporary or kept-aside file is left");
        // When every rename succeeds the previous file is gone.
        write_all_atomic(&files[..2]).unwrap();
        assert_eq!(std::fs::read(&old).unwrap(), b"next");
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 3);
    }
}
