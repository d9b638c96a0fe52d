//! Where editions are written, and how: names that are safe on every file
//! system, and writes that never leave a half-written file under a final name.

use std::collections::HashSet;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, Ordering};

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
    let folder = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    std::fs::create_dir_all(folder)?;
    // Created and registered under the lock, so that an interrupt either
    // sees the temporary file or stops the process before it exists.
    let (mut temp, temp_path) = {
        let mut guard = IN_FLIGHT.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        let temp = tempfile::Builder::new().prefix(".mimeo-").suffix(".part").tempfile_in(folder)?;
        let temp_path = temp.path().to_path_buf();
        guard.get_or_insert_with(HashSet::new).insert(temp_path.clone());
        (temp, temp_path)
    };
    let result = (|| {
        temp.write_all(bytes)?;
        temp.flush()?;
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            temp.as_file().set_permissions(std::fs::Permissions::from_mode(0o644))?;
        }
        temp.persist(path).map_err(|e| e.error)?;
        Ok(())
    })();
    untrack(&temp_path);
    result
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
}
