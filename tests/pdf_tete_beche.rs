//! The back-to-back booklet of a translation (`a5-tete-beche`, issue 31),
//! through the binary, read back from the printed sheets as a printer
//! gets them: every half of every sheet side is matched with a page of
//! the original or the translation set alone, and after folding, the
//! booklet reads the original from its front cover and the translation
//! from its back cover, blanks only in the middle. English beside Persian
//! keeps both halves upright; English beside Chinese (both left to right)
//! turns the translation's half head to foot.

mod common;
use common::{cjk_font, mimeo};

use std::path::Path;
use std::process::Command;

const FIXTURES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/translate");

/// The booklet's pages alone: its layout without the imposition.
const PAGES_ALONE: &str = "name: pages-alone
format: pdf
page: { width: 148mm, height: 210mm }
margins: { top: 16mm, bottom: 19mm, inside: 17mm, outside: 14mm }
body: { size: 10pt, leading: 13pt, indent: 1.2em, align: justify }
running-heads: true
variant: print
";

fn have(tool: &str) -> bool {
    common::installed(Command::new(tool).arg("-v").output().is_ok(), tool, "see .ci/run")
}

/// Letters only: what pdftotext gives of a page, wherever it puts lines.
fn letters(text: &str) -> String {
    text.chars().filter(|c| c.is_alphabetic()).collect()
}

/// The text of `pdf`'s page `page` (from 1) within the box `x`, `y`,
/// `w`, `h` (points), as letters.
fn text_in(pdf: &Path, page: usize, [x, y, w, h]: [f64; 4]) -> String {
    let p = page.to_string();
    let [x, y, w, h] = [x, y, w, h].map(|v| (v.round() as i64).to_string());
    let out = Command::new("pdftotext")
        .args(["-f", &p, "-l", &p, "-x", &x, "-y", &y, "-W", &w, "-H", &h])
        .arg(pdf)
        .arg("-")
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    letters(&String::from_utf8_lossy(&out.stdout))
}

fn page_count(pdf: &Path) -> usize {
    let out = Command::new("pdfinfo").arg(pdf).output().unwrap();
    let info = String::from_utf8(out.stdout).unwrap();
    info.lines().find_map(|l| l.strip_prefix("Pages:")).unwrap().trim().parse().unwrap()
}

/// Each page's letters of a PDF of single pages.
fn pages_of(pdf: &Path) -> Vec<String> {
    let out = Command::new("pdftotext").arg(pdf).arg("-").output().unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    let mut pages: Vec<String> = text.split('\u{c}').map(letters).collect();
    pages.pop(); // after the last form feed
    pages
}

/// What a page of the booklet is.
#[derive(Debug, Clone, PartialEq)]
enum Page {
    Original(usize),
    Translation(usize),
    Blank,
}

/// The booklet of `translation` in a fresh folder, with its sides' PDFs
/// set alone: (booklet, original's pages, translation's pages).
fn build(translation: &str) -> (tempfile::TempDir, std::path::PathBuf, Vec<String>, Vec<String>) {
    let dir = tempfile::tempdir().unwrap();
    for name in ["talk.md", translation] {
        std::fs::copy(Path::new(FIXTURES).join(name), dir.path().join(name)).unwrap();
    }
    std::fs::write(dir.path().join("pages-alone.yaml"), PAGES_ALONE).unwrap();
    let run = |args: &[&str]| {
        let out = mimeo(dir.path(), args);
        assert!(out.status.success(), "{args:?}: {}", String::from_utf8_lossy(&out.stderr));
    };
    run(&["build", translation, "--layout", "a5-tete-beche", "-o", "out", "-q"]);
    run(&["build", "talk.md", "--layout", "pages-alone.yaml", "-o", "out", "-q"]);
    run(&["build", translation, "--layout", "pages-alone.yaml", "-o", "out", "-q"]);
    let stem = translation.trim_end_matches(".md");
    let out = dir.path().join("out");
    let booklet = out.join(format!("{stem}/{stem}-a5-tete-beche.pdf"));
    let original = pages_of(&out.join("talk/talk-pages-alone.pdf"));
    let translated = pages_of(&out.join(format!("{stem}/{stem}-pages-alone.pdf")));
    (dir, booklet, original, translated)
}

/// The page of the booklet printed at each half of each sheet side, in
/// printing order: `[left, right]`.
fn sheet_halves(booklet: &Path, original: &[String], translated: &[String]) -> Vec<[Page; 2]> {
    let (w, h) = (841.89, 595.28); // A4 landscape
    let identify = |text: String| -> Page {
        if text.is_empty() {
            return Page::Blank;
        }
        if let Some(n) = original.iter().position(|p| *p == text) {
            return Page::Original(n + 1);
        }
        if let Some(n) = translated.iter().position(|p| *p == text) {
            return Page::Translation(n + 1);
        }
        panic!("a half sheet holds no page of either side: {text:.80}");
    };
    (1..=page_count(booklet))
        .map(|side| {
            [
                identify(text_in(booklet, side, [0.0, 0.0, w / 2.0, h])),
                identify(text_in(booklet, side, [w / 2.0, 0.0, w / 2.0, h])),
            ]
        })
        .collect()
}

/// The booklet's pages in the order a reader of the original turns them,
/// from the sheets (duplex, flipped on the short edge, folded: the
/// outermost sheet first; see README's booklet order).
fn folded(sides: &[[Page; 2]]) -> Vec<Page> {
    let total = sides.len() * 2;
    let mut pages = vec![Page::Blank; total];
    for (s, pair) in sides.chunks(2).enumerate() {
        let [front, back] = pair else { panic!("an odd number of sheet sides") };
        // front: P-2s | 2s+1; back: 2s+2 | P-2s-1 (1-based)
        pages[total - 1 - 2 * s] = front[0].clone();
        pages[2 * s] = front[1].clone();
        pages[2 * s + 1] = back[0].clone();
        pages[total - 2 - 2 * s] = back[1].clone();
    }
    pages
}

/// The original from the front cover, blanks in the middle, the
/// translation from the back cover.
fn assert_back_to_back(pages: &[Page], original: usize, translated: usize, what: &str) {
    let total = pages.len();
    assert_eq!(total % 4, 0, "{what}: {total} pages");
    assert!(total - original - translated < 4, "{what}: more blanks than padding needs");
    for (n, page) in pages.iter().enumerate() {
        let expected = if n < original {
            Page::Original(n + 1)
        } else if n >= total - translated {
            Page::Translation(total - n)
        } else {
            Page::Blank
        };
        assert_eq!(*page, expected, "{what}: booklet page {}", n + 1);
    }
}

/// Whether the first words of the translation's title stand in the lower
/// half of the first sheet's left half (its back cover): turned.
fn back_cover_is_turned(booklet: &Path, title_start: &str) -> bool {
    let out = Command::new("pdftotext")
        .args(["-bbox", "-f", "1", "-l", "1"])
        .arg(booklet)
        .arg("-")
        .output()
        .unwrap();
    let xml = String::from_utf8(out.stdout).unwrap();
    let word = xml
        .split("<word ")
        .skip(1)
        .find(|w| w.contains(&format!(">{title_start}</word>")))
        .unwrap_or_else(|| panic!("no “{title_start}” on the first sheet"));
    let y_min: f64 = word.split("yMin=\"").nth(1).unwrap().split('"').next().unwrap().parse().unwrap();
    y_min > 595.28 / 2.0
}

#[test]
fn the_translation_reads_from_the_back_cover_and_the_halves_meet_in_the_middle() {
    if !have("pdftotext") {
        return;
    }
    let mut pairs = vec![("talk-fa.md", false)];
    if cjk_font() {
        pairs.push(("talk-zh.md", true));
    }
    for (translation, turned) in pairs {
        let (_dir, booklet, original, translated) = build(translation);
        let sides = sheet_halves(&booklet, &original, &translated);
        assert_back_to_back(&folded(&sides), original.len(), translated.len(), translation);
        // Each side's own cover is its title page.
        assert_eq!(sides[0], [Page::Translation(1), Page::Original(1)], "{translation}: the first sheet");
        let title_start = std::fs::read_to_string(Path::new(FIXTURES).join(translation))
            .unwrap()
            .lines()
            .find_map(|l| l.strip_prefix("title: "))
            .and_then(|t| t.trim_matches('"').split_whitespace().next().map(str::to_string))
            .unwrap();
        if !title_start.chars().any(|c| matches!(c, '\u{0600}'..='\u{06FF}')) {
            // (pdftotext gives right-to-left words in visual order.)
            assert_eq!(back_cover_is_turned(&booklet, &title_start), turned, "{translation}: turned");
        }
    }
}

#[test]
fn the_booklet_is_a_sound_print_file_and_the_same_input_gives_the_same_bytes() {
    if !have("pdftotext")
        || !common::installed(Command::new("qpdf").arg("--version").output().is_ok(), "qpdf", "")
    {
        return;
    }
    let (dir, booklet, ..) = build("talk-fa.md");
    let check = Command::new("qpdf").arg("--check").arg(&booklet).output().unwrap();
    assert!(check.status.success(), "{}", String::from_utf8_lossy(&check.stdout));
    let first = std::fs::read(&booklet).unwrap();
    let again = mimeo(dir.path(), &["build", "talk-fa.md", "--layout", "a5-tete-beche", "-o", "again", "-q"]);
    assert!(again.status.success());
    assert_eq!(first, std::fs::read(dir.path().join("again/talk-fa/talk-fa-a5-tete-beche.pdf")).unwrap());
}

#[test]
fn a_source_that_is_no_translation_is_refused_and_nothing_is_written() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::copy(Path::new(FIXTURES).join("talk.md"), dir.path().join("talk.md")).unwrap();
    let out = mimeo(dir.path(), &["build", "talk.md", "--layout", "a5-tete-beche", "-o", "out"]);
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("made from a translation"), "{stderr}");
    assert!(!dir.path().join("out").exists(), "nothing written");
}
