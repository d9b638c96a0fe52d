//! Every link an edition carries is one a reader can follow: a document
//! full of odd links (`tests/fixtures/links/odd-links.md`) builds to an
//! EPUB that EPUBCheck passes and a PDF whose link annotations are only the
//! good addresses; each broken link stays as its text, with a warning
//! naming its line and column.

mod common;

use std::process::Command;

use common::{assert_epubcheck_clean, entries, entry};
use lopdf::{Document as Pdf, Object};

const FIXTURE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/links/odd-links.md");

const GOOD: [&str; 6] = [
    "https://example.org/archive",
    "https://example.org/a%20b?x=1",
    "mailto:me@example.org",
    "https://xn--r8jz45g.jp/",
    "tel:+44-20-7946-0000",
    "https://example.org/a%7Cb#one%23two",
];

/// Build `formats` of the fixture into a fresh folder: the files, by
/// extension, and what the build printed.
fn build(formats: &str) -> (tempfile::TempDir, String) {
    let out = tempfile::tempdir().unwrap();
    let output = Command::new(env!("CARGO_BIN_EXE_mimeo"))
        .args(["build", FIXTURE, "--format", formats, "--out"])
        .arg(out.path())
        .env("SOURCE_DATE_EPOCH", "1767225600")
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
    assert!(output.status.success(), "{stderr}");
    (out, stderr)
}

fn file_with(dir: &std::path::Path, extension: &str) -> Vec<u8> {
    let found = common::walk(dir).into_iter().find(|p| p.extension().is_some_and(|e| e == extension));
    std::fs::read(found.unwrap_or_else(|| panic!("no .{extension} written"))).unwrap()
}

#[test]
fn broken_links_are_text_with_a_located_warning() {
    let (_out, stderr) = build("txt");
    for (place, address) in [
        ("14:24", "https://../"),
        ("14:39", "http://"),
        ("14:50", "http://a b"),
        ("15:1", "http://a\\b"),
        ("15:28", "http:example.org"),
        ("15:60", "javascript:alert(1)"),
        ("16:1", "notes.md"),
        ("16:33", "https://-x.org/"),
    ] {
        let line = stderr
            .lines()
            .find(|l| l.contains(&format!("`{address}`")))
            .unwrap_or_else(|| panic!("no warning for {address}:\n{stderr}"));
        assert!(line.starts_with(&format!("{FIXTURE}:{place}: warning: ")), "{line}");
    }
    assert!(!stderr.contains("example.org/archive"), "a good link is not warned about:\n{stderr}");
}

#[test]
fn the_epub_links_only_good_addresses_and_passes_epubcheck() {
    let (out, _) = build("epub");
    let bytes = file_with(out.path(), "epub");
    let files = entries(&bytes);
    let chapters: String =
        files.iter().filter(|(n, _)| n.ends_with(".xhtml")).map(|(_, text)| text.as_str()).collect();
    let hrefs: Vec<&str> = chapters
        .split("<a href=\"")
        .skip(1)
        .map(|rest| &rest[..rest.find('"').unwrap()])
        .filter(|href| !href.contains(".xhtml") && !href.starts_with('#'))
        .collect();
    let good: Vec<String> = GOOD.iter().map(|g| g.replace('&', "&amp;")).collect();
    assert_eq!(hrefs, good, "only the good links are links");
    // The broken ones are still there to read.
    let body = entry(&files, "section-01.xhtml");
    assert!(body.contains("https://../") && body.contains("a backslash"), "{body}");
    assert_epubcheck_clean(&bytes, "odd-links");
}

#[test]
fn pdf_link_annotations_are_only_good_addresses() {
    let (out, _) = build("pdf");
    let pdf = Pdf::load_mem(&file_with(out.path(), "pdf")).unwrap();
    let mut uris = Vec::new();
    for object in pdf.objects.values() {
        let Ok(annotation) = object.as_dict() else { continue };
        if annotation.get(b"Subtype").and_then(Object::as_name).ok() != Some(b"Link") {
            continue;
        }
        let action = match annotation.get(b"A").unwrap() {
            Object::Reference(id) => pdf.get_dictionary(*id).unwrap(),
            other => other.as_dict().unwrap(),
        };
        uris.push(String::from_utf8_lossy(action.get(b"URI").unwrap().as_str().unwrap()).into_owned());
    }
    uris.sort();
    uris.dedup();
    let mut good: Vec<String> = GOOD.iter().map(|g| g.to_string()).collect();
    good.sort();
    assert_eq!(uris, good);
}

const NOTES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/links/notes.md");

/// Build `source` with `args`; the text of the edition with `extension`
/// (a PDF read back by `pdftotext`), whitespace runs made one space.
fn edition_text(source: &str, args: &[&str], extension: &str) -> String {
    let out = tempfile::tempdir().unwrap();
    let output = Command::new(env!("CARGO_BIN_EXE_mimeo"))
        .arg("build")
        .arg(source)
        .args(args)
        .arg("--out")
        .arg(out.path())
        .env("SOURCE_DATE_EPOCH", "1767225600")
        .output()
        .unwrap();
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let bytes = file_with(out.path(), extension);
    let text = if extension == "pdf" {
        let path = out.path().join("edition.pdf");
        std::fs::write(&path, &bytes).unwrap();
        let output =
            Command::new("pdftotext").arg(&path).arg("-").output().expect("pdftotext (poppler-utils)");
        String::from_utf8_lossy(&output.stdout).into_owned()
    } else {
        String::from_utf8(bytes).unwrap()
    };
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// A text layout file with `links:` set, in a folder of its own.
fn text_layout(links: &str) -> (tempfile::TempDir, String) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(format!("links-{links}.yaml"));
    std::fs::write(&path, format!("format: txt\nwidth: 72\npage-height: 60\nlinks: {links}\n")).unwrap();
    let path = path.display().to_string();
    (dir, path)
}

#[test]
fn the_zine_numbers_link_notes_with_the_footnotes_in_reading_order() {
    let text = edition_text(NOTES, &["--format", "txt"], "txt");
    // Footnote, link, footnote: 1, 2, 3; the same address again is note 2 again.
    assert!(text.contains("comes first.[1]"), "{text}");
    assert!(text.contains("the tenants’ union[2]"), "{text}");
    assert!(text.contains("second footnote.[3]"), "{text}");
    assert!(text.contains("here[2]"), "{text}");
    for note in ["[1] The first footnote.", "[2] https://example.org/union", "[3] The second footnote."] {
        assert!(text.contains(note), "no note `{note}`: {text}");
    }
    // An address that is its own text needs no note.
    assert!(text.contains("https://example.org/written."), "{text}");
    assert!(!text.contains("[4]"), "{text}");
}

#[test]
fn the_pdf_prints_link_addresses_as_notes() {
    for layout in ["a5", "a5-print"] {
        let text = edition_text(NOTES, &["--layout", layout], "pdf");
        assert_eq!(
            text.matches("https://example.org/union").count(),
            1,
            "{layout}: one note for the address: {text}"
        );
        assert!(text.contains("2 https://example.org/union"), "{layout}: {text}");
        assert!(
            text.contains("1 The first footnote.") && text.contains("3 The second footnote."),
            "{layout}: {text}"
        );
    }
    // The odd-links document: each followable address that is not its own
    // text is printed (the autolinks once, as written).
    let text = edition_text(FIXTURE, &["--format", "pdf"], "pdf");
    for address in ["https://example.org/a%20b?x=1", "https://xn--r8jz45g.jp/", "tel:+44-20-7946-0000"] {
        assert!(text.contains(address), "{address} is not printed: {text}");
    }
    assert_eq!(text.matches("https://example.org/archive").count(), 1, "{text}");
}

#[test]
fn the_links_key_prints_addresses_inline_or_not_at_all() {
    let (_dir, inline) = text_layout("inline");
    let text = edition_text(NOTES, &["--layout", &inline], "txt");
    assert!(text.contains("the tenants’ union <https://example.org/union> speaks"), "{text}");
    assert!(!text.contains("[3]"), "only the two footnotes are notes: {text}");
    let (_dir, none) = text_layout("none");
    let text = edition_text(NOTES, &["--layout", &none], "txt");
    assert!(text.contains("the tenants’ union speaks") && !text.contains("example.org/union"), "{text}");
    let (_dir, wrong) = text_layout("footnote");
    let out = tempfile::tempdir().unwrap();
    let output = Command::new(env!("CARGO_BIN_EXE_mimeo"))
        .args(["build", NOTES, "--layout", &wrong, "--out"])
        .arg(out.path())
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("links"), "the error names the key: {stderr}");
}
