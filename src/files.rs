//! Reading a file the user named: only a regular file, never blocking, never past a size limit.
//!
//! Every path that comes from a user (a source, a collection's piece, a
//! layout, the fonts a layout names, a picture, a manifest, a transcript)
//! is read here and nowhere else, so that a FIFO cannot hang a build, a
//! device (`/dev/zero`) cannot fill the memory, and a folder or socket
//! gets one clear sentence instead of an OS error number (issue #29).
//!
//! The checks are made twice: on the path (`stat`, after symlinks are
//! resolved) before anything is opened, and on the open file (`fstat`),
//! since the path may be swapped between the two; the open itself uses
//! `O_NONBLOCK`, so that a FIFO swapped in cannot block it. The read is
//! bounded by the limit whatever the file's length said.

use std::fmt;
use std::fs::{File, Metadata};
use std::io::Read;
use std::path::{Path, PathBuf};

use crate::diag::{Diagnostic, Location};

/// What a file is read as: each kind has its own size limit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// A Markdown source or a collection's piece.
    Source,
    /// A collection file (a list of pieces).
    Collection,
    /// A layout file.
    Layout,
    /// A batch manifest.
    Manifest,
    /// A font file a layout names (or a system CJK font).
    Font,
    /// A picture or cover.
    Picture,
    /// A raw transcript for `mimeo import` (DOCX and ODT included).
    Transcript,
    /// A batch's record of an edition's inputs (`.NAME.mimeo-hash`).
    Hash,
    /// A file already read as one of the kinds above, read again to hash it.
    Input,
}

impl Kind {
    /// The largest file of this kind read, in bytes.
    pub const fn limit(self) -> u64 {
        match self {
            // A 40-hour hearing is about 3 MB of text; 32 MiB leaves room
            // for a 10 MB paragraph (tests/limits.rs) and refuses a mistake.
            Kind::Source | Kind::Transcript => crate::source::MAX_SOURCE_BYTES,
            // YAML that lists or sets things: a few KiB in practice.
            Kind::Collection | Kind::Layout | Kind::Manifest => 1 << 20,
            // The whole Noto Serif CJK collection (`.ttc`) is 50 MiB.
            Kind::Font => 64 << 20,
            Kind::Picture => crate::source::MAX_IMAGE_BYTES,
            // 64 hexadecimal digits.
            Kind::Hash => 1 << 10,
            Kind::Input => max(crate::source::MAX_SOURCE_BYTES, crate::source::MAX_IMAGE_BYTES),
        }
    }

    /// What the file is, in messages.
    pub fn noun(self) -> &'static str {
        match self {
            Kind::Source => "source",
            Kind::Collection => "collection",
            Kind::Layout => "layout file",
            Kind::Manifest => "manifest",
            Kind::Font => "font file",
            Kind::Picture => "picture",
            Kind::Transcript => "transcript",
            Kind::Hash => "hash file",
            Kind::Input => "input file",
        }
    }

    fn plural(self) -> &'static str {
        match self {
            Kind::Source => "sources",
            Kind::Collection => "collections",
            Kind::Layout => "layout files",
            Kind::Manifest => "manifests",
            Kind::Font => "font files",
            Kind::Picture => "pictures",
            Kind::Transcript => "transcripts",
            Kind::Hash => "hash files",
            Kind::Input => "input files",
        }
    }
}

const fn max(a: u64, b: u64) -> u64 {
    if a > b { a } else { b }
}

/// Why a file was not read.
#[derive(Debug)]
pub struct Error {
    pub path: PathBuf,
    pub kind: Kind,
    pub reason: Reason,
}

/// The reason alone, in words.
#[derive(Debug)]
pub enum Reason {
    NotFound,
    PermissionDenied,
    Folder,
    /// A FIFO, socket or device: the words for it.
    Special(&'static str),
    TooLarge(u64),
    /// The bytes before the first that is not UTF-8.
    NotUtf8(Vec<u8>),
    Io(std::io::Error),
}

impl fmt::Display for Reason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Reason::NotFound => f.write_str("no such file"),
            Reason::PermissionDenied => f.write_str("permission denied"),
            Reason::Folder => f.write_str("it is a folder, not a file"),
            Reason::Special(what) => {
                write!(f, "it is {what}, not a regular file; mimeo reads only regular files")
            }
            Reason::TooLarge(size) => write!(f, "it is {}", size_in_words(*size)),
            Reason::NotUtf8(_) => f.write_str("it is not UTF-8 text"),
            Reason::Io(e) => write!(f, "{e}"),
        }
    }
}

impl fmt::Display for Error {
    /// The reason, with the limit when the file is too large: the path is
    /// not repeated (callers place it, see [`Error::diagnostic`]).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.reason)?;
        if let Reason::TooLarge(_) = self.reason {
            write!(f, "; mimeo reads {} up to {}", self.kind.plural(), size_in_words(self.kind.limit()))?;
        }
        Ok(())
    }
}

impl std::error::Error for Error {}

impl Error {
    /// The error as a diagnostic at the file (at the first bad byte for
    /// text that is not UTF-8).
    pub fn diagnostic(&self) -> Diagnostic {
        let location = match &self.reason {
            Reason::NotUtf8(valid) => {
                let valid = String::from_utf8_lossy(valid);
                Location::at_offset(&self.path, &valid, valid.len())
            }
            _ => Location::file(&self.path),
        };
        Diagnostic::error(format!("cannot read the {}: {self}", self.kind.noun())).at(location)
    }
}

impl From<Error> for Diagnostic {
    fn from(e: Error) -> Diagnostic {
        e.diagnostic()
    }
}

/// `40 MiB`, `512 KiB`, `300 bytes`.
fn size_in_words(bytes: u64) -> String {
    match bytes {
        b if b >= 1 << 20 => format!("{} MiB", b.div_ceil(1 << 20)),
        b if b >= 1 << 10 => format!("{} KiB", b.div_ceil(1 << 10)),
        b => format!("{b} bytes"),
    }
}

/// Read the whole file at `path` as a `kind`.
pub fn read(path: &Path, kind: Kind) -> Result<Vec<u8>, Error> {
    let (file, length) = open_with_length(path, kind)?;
    let limit = kind.limit();
    // The length is a hint (the file may grow): the read stops one byte
    // past the limit, whatever it said.
    let mut bytes = Vec::with_capacity(usize::try_from(length).unwrap_or(0));
    file.take(limit + 1).read_to_end(&mut bytes).map_err(|e| error(path, kind, reason_of(&e)))?;
    if bytes.len() as u64 > limit {
        return Err(error(path, kind, Reason::TooLarge(bytes.len() as u64)));
    }
    Ok(bytes)
}

/// Read the file at `path` as UTF-8 text.
pub fn read_text(path: &Path, kind: Kind) -> Result<String, Error> {
    let bytes = read(path, kind)?;
    String::from_utf8(bytes).map_err(|e| {
        let valid = e.utf8_error().valid_up_to();
        let mut bytes = e.into_bytes();
        bytes.truncate(valid);
        error(path, kind, Reason::NotUtf8(bytes))
    })
}

/// Open the file at `path` as a `kind`, checked as [`read`] checks it,
/// for a caller that reads only a bounded part of it (a header), or
/// bounds its reads with `take(kind.limit())`.
pub fn open(path: &Path, kind: Kind) -> Result<File, Error> {
    open_with_length(path, kind).map(|(file, _)| file)
}

/// Refuse `path` unless it is a regular file within the limit; open it
/// without blocking and check the open file again.
fn open_with_length(path: &Path, kind: Kind) -> Result<(File, u64), Error> {
    let checked = |metadata: Metadata| -> Result<u64, Error> {
        if let Some(what) = not_regular(&metadata) {
            return Err(error(path, kind, what));
        }
        if metadata.len() > kind.limit() {
            return Err(error(path, kind, Reason::TooLarge(metadata.len())));
        }
        Ok(metadata.len())
    };
    // `metadata` follows symlinks: a link to a FIFO is a FIFO.
    checked(std::fs::metadata(path).map_err(|e| error(path, kind, reason_of(&e)))?)?;
    let file = open_nonblocking(path).map_err(|e| error(path, kind, reason_of(&e)))?;
    let length = checked(file.metadata().map_err(|e| error(path, kind, reason_of(&e)))?)?;
    Ok((file, length))
}

#[cfg(unix)]
fn open_nonblocking(path: &Path) -> std::io::Result<File> {
    use std::os::unix::fs::OpenOptionsExt;
    // O_NONBLOCK: opening a FIFO with no writer returns at once (and it is
    // then refused by its type); reads of a regular file ignore the flag.
    // O_NOCTTY: a terminal named as a file never becomes ours.
    std::fs::OpenOptions::new().read(true).custom_flags(libc::O_NONBLOCK | libc::O_NOCTTY).open(path)
}

#[cfg(not(unix))]
fn open_nonblocking(path: &Path) -> std::io::Result<File> {
    File::open(path)
}

/// Why `metadata` is not a regular file, in words, if it is not one.
fn not_regular(metadata: &Metadata) -> Option<Reason> {
    let kind = metadata.file_type();
    if kind.is_file() {
        return None;
    }
    if kind.is_dir() {
        return Some(Reason::Folder);
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if kind.is_fifo() {
            return Some(Reason::Special("a named pipe (FIFO)"));
        }
        if kind.is_socket() {
            return Some(Reason::Special("a socket"));
        }
        if kind.is_char_device() {
            return Some(Reason::Special("a character device"));
        }
        if kind.is_block_device() {
            return Some(Reason::Special("a block device"));
        }
    }
    Some(Reason::Special("a special file"))
}

fn reason_of(e: &std::io::Error) -> Reason {
    match e.kind() {
        std::io::ErrorKind::NotFound => Reason::NotFound,
        std::io::ErrorKind::PermissionDenied => Reason::PermissionDenied,
        std::io::ErrorKind::IsADirectory => Reason::Folder,
        _ => Reason::Io(std::io::Error::new(e.kind(), e.to_string())),
    }
}

fn error(path: &Path, kind: Kind, reason: Reason) -> Error {
    Error { path: path.to_path_buf(), kind, reason }
}

/// A path's identity for comparing outputs with inputs: canonical where
/// it exists; else its nearest existing folder made canonical, with the
/// rest of the path as written (a file that does not exist yet can only
/// clash with one named the same way).
pub fn identity(path: &Path) -> PathBuf {
    if let Ok(canonical) = std::fs::canonicalize(path) {
        return canonical;
    }
    let mut rest = Vec::new();
    let mut ancestor = path;
    loop {
        match (ancestor.file_name(), ancestor.parent()) {
            (Some(name), Some(parent)) => {
                rest.push(name.to_os_string());
                let parent = if parent.as_os_str().is_empty() { Path::new(".") } else { parent };
                if let Ok(canonical) = std::fs::canonicalize(parent) {
                    let mut out = canonical;
                    out.extend(rest.iter().rev());
                    return out;
                }
                ancestor = parent;
            }
            _ => return path.to_path_buf(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_regular_file_is_read_whole() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.yaml");
        std::fs::write(&path, "format: txt\n").unwrap();
        assert_eq!(read_text(&path, Kind::Layout).unwrap(), "format: txt\n");
    }

    #[test]
    fn a_file_past_its_kind_limit_is_refused_naming_the_limit() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("big.yaml");
        std::fs::write(&path, vec![b'#'; (1 << 20) + 1]).unwrap();
        let e = read(&path, Kind::Layout).unwrap_err();
        assert_eq!(e.to_string(), "it is 2 MiB; mimeo reads layout files up to 1 MiB");
        assert!(read(&path, Kind::Source).is_ok(), "a source may be larger");
    }

    #[test]
    fn a_folder_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let e = read(dir.path(), Kind::Source).unwrap_err();
        assert_eq!(
            e.diagnostic().to_string(),
            format!("{}: error: cannot read the source: it is a folder, not a file", dir.path().display())
        );
    }

    #[cfg(unix)]
    #[test]
    fn devices_are_refused_before_any_read() {
        let e = read(Path::new("/dev/zero"), Kind::Font).unwrap_err();
        assert!(matches!(e.reason, Reason::Special("a character device")), "{e}");
        assert!(e.to_string().contains("not a regular file"), "{e}");
    }

    #[test]
    fn text_that_is_not_utf8_is_located_at_its_first_bad_byte() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("l.yaml");
        std::fs::write(&path, b"format: txt\nname: \xff\n").unwrap();
        let diag = read_text(&path, Kind::Layout).unwrap_err().diagnostic();
        assert_eq!(diag.location, Some(Location::at(&path, 2, 7)));
    }

    #[test]
    fn a_file_yet_to_be_written_has_the_identity_of_its_folder() {
        let dir = tempfile::tempdir().unwrap();
        let canonical = std::fs::canonicalize(dir.path()).unwrap();
        assert_eq!(identity(&dir.path().join("out/x.pdf")), canonical.join("out/x.pdf"));
        std::fs::write(dir.path().join("m.yaml"), "").unwrap();
        assert_eq!(identity(&dir.path().join("./m.yaml")), canonical.join("m.yaml"));
    }
}
