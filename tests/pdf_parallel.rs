//! The facing-pages edition of a translation (`a5-parallel`, issue 31),
//! through the binary, on English+Persian and English+Chinese pairs:
//! every question and turn begins on a verso for the original and on the
//! facing recto for the translation, even when one side of a turn runs
//! pages longer than the other; every turn's text of both sides is there;
//! qpdf finds nothing wrong; the same input gives the same bytes.

mod common;
use common::{cjk_font, mimeo};

use std::path::Path;
use std::process::Command;

const FIXTURES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/translate");

/// The opening words of the introduction, each question and each turn,
/// in order: (original, translation).
const TURNS_FA: [(&str, &str); 9] = [
    ("This conversation took place", "این گفت‌وگو در بهار"),
    ("How did the tenants", "اتحادیه‌ی مستأجران چگونه"),
    ("Let us start at the beginning", "از آغاز شروع کنیم"),
    ("It began with one building", "با یک ساختمان و یک دیگ"),
    ("In Amed it began", "در آمد با مجمع‌های"),
    ("What comes next", "گام بعدی چیست"),
    ("A city-wide strike", "یک اعتصاب در سراسر شهر"),
    ("Solidarity across borders", "همبستگی فراتر از مرزها"),
    ("Thank you both", "از هر دوی شما سپاسگزارم"),
];
const TURNS_ZH: [(&str, &str); 9] = [
    ("This conversation took place", "这次对话发生在"),
    ("How did the tenants", "租户工会是怎样开始的"),
    ("Let us start at the beginning", "让我们从头说起"),
    ("It began with one building", "它始于一栋楼"),
    ("In Amed it began", "在阿米德"),
    ("What comes next", "接下来呢"),
    ("A city-wide strike", "如果我们能团结一致"),
    ("Solidarity across borders", "跨越国界的团结"),
    ("Thank you both", "谢谢你们两位"),
];

/// Whether `tool` runs (else the checks that need it skip, or fail under
/// MIMEO_REQUIRE_VALIDATORS).
fn have(tool: &str) -> bool {
    common::installed(Command::new(tool).arg("--version").output().is_ok(), tool, "see .ci/run")
}

fn pairs() -> Vec<(&'static str, [(&'static str, &'static str); 9])> {
    let mut pairs = vec![("talk-fa.md", TURNS_FA)];
    if cjk_font() {
        pairs.push(("talk-zh.md", TURNS_ZH));
    }
    pairs
}

/// A folder with the original and `translation`; with `long`, one turn
/// of the translation and another of the original run over several
/// spreads, so that each side in turn is the longer one.
fn workspace(translation: &str, long: bool) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for name in ["talk.md", translation] {
        let mut text = std::fs::read_to_string(Path::new(FIXTURES).join(name)).unwrap();
        if long {
            let (sentence, times) = match name {
                "talk.md" => ("In Amed it began with the neighbourhood assemblies.", 120),
                "talk-fa.md" => ("با یک ساختمان و یک دیگ بخار خراب آغاز شد.", 150),
                _ => ("它始于一栋楼和一台坏掉的锅炉。", 200),
            };
            assert!(text.contains(sentence), "{sentence} is not in {name}");
            text = text.replacen(sentence, &vec![sentence; times].join(" "), 1);
        }
        std::fs::write(dir.path().join(name), text).unwrap();
    }
    dir
}

/// Build the facing-pages PDF of `translation` in `dir`.
fn build(dir: &Path, translation: &str) -> Vec<u8> {
    let out = mimeo(dir, &["build", translation, "--layout", "a5-parallel", "-o", "out", "-q"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let stem = translation.trim_end_matches(".md");
    std::fs::read(dir.join(format!("out/{stem}/{stem}-a5-parallel.pdf"))).unwrap()
}

/// Each page's text (pdftotext separates pages by form feeds).
fn pages(bytes: &[u8]) -> Vec<String> {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("out.pdf");
    std::fs::write(&file, bytes).unwrap();
    let out = Command::new("pdftotext").arg(&file).arg("-").output().unwrap();
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    text.split('\u{c}').map(letters).collect()
}

/// Letters only, lower-cased: lines, spaces, punctuation, joiners and
/// bidi controls fall where the layout and pdftotext put them.
fn letters(text: &str) -> String {
    text.chars().filter(|c| c.is_alphabetic()).flat_map(char::to_lowercase).collect()
}

/// The number (from 1) of the first page holding `words`.
fn first_page(pages: &[String], words: &str) -> Option<usize> {
    let words = letters(words);
    pages.iter().position(|page| page.contains(&words)).map(|n| n + 1)
}

/// Every unit begins on an even page for the original and on the page
/// after it (the facing recto) for the translation.
fn assert_facing(pages: &[String], turns: &[(&str, &str)], what: &str) {
    for (original, translation) in turns {
        let verso = first_page(pages, original).unwrap_or_else(|| panic!("{what}: no “{original}”"));
        let recto = first_page(pages, translation).unwrap_or_else(|| panic!("{what}: no “{translation}”"));
        assert_eq!(verso % 2, 0, "{what}: “{original}” begins on page {verso}, a recto");
        assert_eq!(
            recto,
            verso + 1,
            "{what}: “{translation}” begins on page {recto}, “{original}” on {verso}"
        );
    }
}

#[test]
fn each_turn_begins_on_a_verso_and_its_translation_on_the_facing_recto() {
    if !have("pdftotext") {
        return;
    }
    for (translation, turns) in pairs() {
        for long in [false, true] {
            let dir = workspace(translation, long);
            let pages = pages(&build(dir.path(), translation));
            let what = format!("{translation}{}", if long { " (long turns)" } else { "" });
            assert_facing(&pages, &turns, &what);
            if long {
                // The long turns ran on: the rest still face each other, later.
                assert!(pages.len() > 12, "{what}: {} pages", pages.len());
            }
        }
    }
}

/// The height of the middle of the first line on page `page` (from 1)
/// that holds `key`, from `pdftotext -bbox-layout`.
fn line_middle(bytes: &[u8], page: usize, key: &str) -> Option<f64> {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("out.pdf");
    std::fs::write(&file, bytes).unwrap();
    let p = page.to_string();
    let out = Command::new("pdftotext")
        .args(["-bbox-layout", "-f", &p, "-l", &p])
        .arg(&file)
        .arg("-")
        .output()
        .unwrap();
    let xml = String::from_utf8(out.stdout).unwrap();
    let attribute = |tag: &str, name: &str| -> f64 {
        let from = tag.find(&format!("{name}=\"")).expect("attribute") + name.len() + 2;
        tag[from..tag[from..].find('"').unwrap() + from].parse().unwrap()
    };
    xml.split("<line ").skip(1).find_map(|line| {
        let words: String = line
            .split("<word ")
            .skip(1)
            .filter_map(|w| w.split_once('>').and_then(|(_, rest)| rest.split_once("</word>")))
            .map(|(text, _)| text)
            .collect();
        // Words of right-to-left lines come in visual order, each reversed.
        let (text, key) = (letters(&words), letters(key));
        let reversed: String = text.chars().rev().collect();
        (text.contains(&key) || reversed.contains(&key))
            .then(|| (attribute(line, "yMin") + attribute(line, "yMax")) / 2.0)
    })
}

/// What finds a unit's first line: its first two words, or its first
/// three characters in a script written without spaces.
fn key(words: &str) -> String {
    match words.split_once(' ') {
        Some(_) => words.split(' ').take(2).collect::<Vec<_>>().join(" "),
        None => words.chars().take(3).collect(),
    }
}

#[test]
fn each_turn_begins_at_the_same_height_on_both_pages_of_its_spread() {
    if !have("pdftotext") {
        return;
    }
    for (translation, turns) in pairs() {
        let dir = workspace(translation, true);
        let bytes = build(dir.path(), translation);
        let pages = pages(&bytes);
        for (original, translated) in turns {
            let verso = first_page(&pages, original).unwrap();
            let a = line_middle(&bytes, verso, &key(original)).unwrap_or_else(|| panic!("{original}"));
            let b =
                line_middle(&bytes, verso + 1, &key(translated)).unwrap_or_else(|| panic!("{translated}"));
            // Faces differ in height; a line's leading is 13 pt.
            assert!((a - b).abs() < 4.0, "{translation}: “{original}” at {a}, “{translated}” at {b}");
        }
    }
}

#[test]
fn a_long_table_runs_on_under_its_header_and_the_turns_after_it_still_face() {
    if !have("pdftotext") {
        return;
    }
    let dir = workspace("talk-fa.md", false);
    let table = |word: &str| {
        // Rows named by letters (aa, ab, …, ch): the pages are compared by letters.
        let name = |i: u8| format!("{}{}", (b'a' + i / 26) as char, (b'a' + i % 26) as char);
        let rows: Vec<String> = (0..60).map(|i| format!("| {i} | {word}{} |", name(i))).collect();
        format!("\n\n| n | {word} |\n|---|---|\n{}\n", rows.join("\n"))
    };
    let (en, fa) = (dir.path().join("talk.md"), dir.path().join("talk-fa.md"));
    for (path, sentence, word) in
        [(&en, "Solidarity across borders.", "building"), (&fa, "همبستگی فراتر از مرزها.", "ساختمان")]
    {
        let text = std::fs::read_to_string(path).unwrap();
        std::fs::write(path, text.replacen(sentence, &format!("{sentence}{}", table(word)), 1)).unwrap();
    }
    let pages = pages(&build(dir.path(), "talk-fa.md"));
    assert_facing(&pages, &TURNS_FA, "talk-fa.md with a table");
    // The table ran onto the next spread, its header set again there.
    let last_row = first_page(&pages, "buildingch").unwrap();
    let first_row = first_page(&pages, "buildingaa").unwrap();
    assert!(last_row > first_row, "the table fits one page: {first_row}");
    assert!(
        pages[last_row - 1].starts_with(&letters("Housing as a Commons n building")),
        "no header on page {last_row}"
    );
}

#[test]
fn the_title_spread_faces_and_each_side_keeps_its_own_running_head() {
    if !have("pdftotext") {
        return;
    }
    let dir = workspace("talk-fa.md", false);
    let pages = pages(&build(dir.path(), "talk-fa.md"));
    let (en, fa) = (letters("Housing as a Commons"), letters("مسکن به‌مثابه‌ی امر مشترک"));
    assert!(pages[0].contains(&fa), "page 1 is the translation's half title");
    assert!(pages[1].contains(&en) && !pages[1].contains(&fa), "page 2: the original's title");
    assert!(pages[2].contains(&fa) && !pages[2].contains(&en), "page 3: the translation's title");
    let first_turn = first_page(&pages, "Let us start at the beginning").unwrap();
    assert!(pages[first_turn - 1].starts_with(&en), "the verso's head is the original's title");
    assert!(pages[first_turn].starts_with(&fa), "the recto's head is the translation's title");
}

/// The bookmarks of `file`: title and page (from 1), from qpdf's JSON.
fn bookmarks(file: &Path) -> Vec<(String, u64)> {
    let out = Command::new("qpdf").args(["--json", "--json-key=outlines"]).arg(file).output().unwrap();
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).expect("qpdf's JSON");
    let entries = json["outlines"].as_array().cloned().unwrap_or_default();
    entries
        .iter()
        .map(|e| (e["title"].as_str().unwrap_or("").to_string(), e["destpageposfrom1"].as_u64().unwrap_or(0)))
        .collect()
}

#[test]
fn the_pdf_is_valid_and_the_same_input_gives_the_same_bytes() {
    for (translation, _) in pairs() {
        let dir = workspace(translation, true);
        let first = build(dir.path(), translation);
        let again = build(dir.path(), translation);
        assert!(first == again, "{translation}: two builds differ");
        if have("qpdf") {
            let file = dir.path().join("check.pdf");
            std::fs::write(&file, &first).unwrap();
            let out = Command::new("qpdf").arg("--check").arg(&file).output().unwrap();
            let report = String::from_utf8_lossy(&out.stdout);
            assert!(out.status.success(), "{translation}: {report}");
            assert!(report.contains("No syntax or stream encoding errors"), "{translation}: {report}");
            // One per question, in the translation's words, on its rectos.
            let marks = bookmarks(&file);
            assert_eq!(marks.len(), 2, "{translation}: {marks:?}");
            for (title, page) in &marks {
                assert!(!title.is_ascii() && page % 2 == 1, "{translation}: {marks:?}");
            }
        }
    }
}
