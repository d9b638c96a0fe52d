//! The examples of the CommonMark spec (tests/fixtures/commonmark, CC-BY-SA
//! 4.0), the image examples left out, as one transcript: every example in a
//! block quote of its own under a heading (so that an unclosed fence or
//! HTML block ends with its example), built into an EPUB that EPUBCheck
//! passes with no error, and into a PDF and a zine without a failure.

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

/// The Markdown of each example, tabs restored.
fn examples() -> Vec<String> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/commonmark/examples.txt");
    let text = std::fs::read_to_string(path).unwrap();
    text.split("\n@@@@\n").skip(1).map(|example| format!("{example}\n").replace('→', "\t")).collect()
}

/// The transcript: front matter, then each example quoted under its number.
fn document(examples: &[String]) -> String {
    let mut out = String::from(
        "---\ntitle: \"The CommonMark Examples\"\nlanguage: en\nparticipants:\n  - name: Spec Reader\n---\n\n",
    );
    for (n, example) in examples.iter().enumerate() {
        out.push_str(&format!("## Example {}\n\n", n + 1));
        for line in example.strip_suffix('\n').unwrap_or(example).split('\n') {
            out.push_str(if line.is_empty() { ">" } else { "> " });
            out.push_str(line);
            out.push('\n');
        }
        out.push('\n');
    }
    out
}

fn source() -> (tempfile::TempDir, PathBuf, usize) {
    let all = examples();
    assert_eq!(all.len(), 652, "the spec has 652 examples");
    let kept: Vec<String> = all.into_iter().filter(|e| !e.contains("![")).collect();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("commonmark.md");
    std::fs::write(&path, document(&kept)).unwrap();
    (dir, path, kept.len())
}

fn build(path: &Path, args: &[&str]) -> (tempfile::TempDir, String) {
    let out = tempfile::tempdir().unwrap();
    let output = Command::new(env!("CARGO_BIN_EXE_mimeo"))
        .arg("build")
        .arg(path)
        .args(args)
        .arg("--out")
        .arg(out.path())
        .env("SOURCE_DATE_EPOCH", "1767225600")
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
    assert_eq!(output.status.code(), Some(0), "{args:?}:\n{stderr}");
    (out, stderr)
}

fn file_with(dir: &Path, extension: &str) -> PathBuf {
    common::walk(dir).into_iter().find(|p| p.extension().is_some_and(|e| e == extension)).unwrap()
}

#[test]
fn the_examples_make_an_epub_epubcheck_passes() {
    let (_dir, path, kept) = source();
    assert!(kept > 600, "{kept}");
    // The a5 faces lack a few of the examples' characters (Kannada,
    // Malayalam, math letters); the EPUB embeds no font, so it builds
    // without `--allow-missing-glyphs` (its page list sets them as boxes).
    let (out, _) = build(&path, &["--format", "epub"]);
    let bytes = std::fs::read(file_with(out.path(), "epub")).unwrap();
    let chapters: String = common::entries(&bytes)
        .into_iter()
        .filter(|(name, _)| name.ends_with(".xhtml"))
        .map(|(_, text)| text)
        .collect();
    // Every example has its place, and odd text is kept.
    assert!(chapters.contains(&format!("Example {kept}")));
    for text in ["Gomphocarpus", "пристаням", "χρῆν", "Multiple     spaces", "bim!bop"] {
        assert!(chapters.contains(text), "lost: {text}");
    }
    if let Some(((fatal, errors, _, _), messages)) = common::epubcheck(&bytes, "commonmark") {
        assert_eq!((fatal, errors), (0, 0), "EPUBCheck:\n{messages}");
    }
}

#[test]
fn the_examples_make_a_pdf_and_a_zine() {
    let (_dir, path, kept) = source();
    let (out, _) = build(&path, &["--format", "pdf,txt", "--allow-missing-glyphs"]);
    let text = std::fs::read_to_string(file_with(out.path(), "txt")).unwrap();
    assert!(text.contains(&format!("Example {kept}")) && text.contains("Gomphocarpus"));
    let pdf = lopdf::Document::load(file_with(out.path(), "pdf")).unwrap();
    assert!(pdf.get_pages().len() > 20);
}
