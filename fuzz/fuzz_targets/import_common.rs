//! Shared by the `import_*` fuzz targets: import the bytes as one format
//! and check what `mimeo import` promises: an error is one located line,
//! and an import keeps every word of the text (issue 28).

use std::io::Write as _;
use std::path::Path;

use mimeo::import::{Format, Options, import_bytes_with};

/// Import `data` as `format`; panic on a broken promise.
pub fn check(format: Format, name: &str, data: &[u8]) {
    let options = Options { from: Some(format), ..Options::default() };
    match import_bytes_with(Path::new(name), data, &options) {
        Ok(imported) => assert!(
            imported.words.missing.is_empty(),
            "words lost: {:?}\n{}",
            imported.words.missing,
            imported.source
        ),
        Err(e) => {
            assert!(e.is_error(), "{e}");
            assert!(e.location.is_some(), "no file named: {e}");
        }
    }
}

/// A word-processor container around fuzz bytes: the first byte chooses
/// the raw bytes as the file (0), or a ZIP whose main XML entry holds the
/// rest (so that the XML readers see mutated XML, not mutated deflate).
// Only the DOCX and ODT targets wrap their bytes; the others include this file too.
#[allow(dead_code)]
pub fn container(data: &[u8], entry: &str, mimetype: Option<&str>) -> Vec<u8> {
    let Some((&mode, rest)) = data.split_first() else { return Vec::new() };
    if mode == 0 {
        return rest.to_vec();
    }
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let stored = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    if let Some(mimetype) = mimetype {
        zip.start_file("mimetype", stored).unwrap();
        zip.write_all(mimetype.as_bytes()).unwrap();
    }
    zip.start_file(entry, stored).unwrap();
    zip.write_all(rest).unwrap();
    zip.finish().unwrap().into_inner()
}
