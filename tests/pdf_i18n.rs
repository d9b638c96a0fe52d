//! Right-to-left and CJK documents in the print edition: Persian, Arabic,
//! Kurdish Sorani, Traditional Chinese and a bilingual English/Persian
//! roundtable (`tests/fixtures/i18n/`).
//!
//! The PDF embeds subsets of the fonts that draw them (bundled Amiri for
//! Arabic script, Noto Serif CJK from Debian `fonts-noto-cjk`), reads back
//! through `pdftotext` in logical order, sets right-to-left lines flush
//! right in visual order (UAX #9) with mirrored margins, and breaks CJK
//! lines between characters without a closing mark at a line start.
//! Checks that need poppler or the CJK font skip with a note when they are
//! missing, and fail instead when MIMEO_REQUIRE_VALIDATORS is set (CI).

mod common;
use common::cjk_font;
use common::print::{pdf_layout, tool};

use std::path::{Path, PathBuf};
use std::process::Command;

use mimeo::backend::{Context, Output, pdf};
use mimeo::model::{Direction, Document, Words, plain_text, plain_text_of_blocks};
use mimeo::typeset::{bidi, segment};

const FIXTURES: [&str; 5] = ["persian", "arabic", "sorani", "chinese", "bilingual"];
const MM: f64 = 72.0 / 25.4;

fn fixture_path(name: &str) -> PathBuf {
    PathBuf::from(format!("{}/tests/fixtures/i18n/{name}.md", env!("CARGO_MANIFEST_DIR")))
}

fn parse(path: &Path) -> Document {
    mimeo::source::parse_file(path).expect("the fixture parses").document
}

fn render(doc: &Document, layout: &str) -> Output {
    pdf::render(doc, &pdf_layout(layout), &Context { epoch: 1_767_225_600, ..Default::default() })
        .expect("renders")
}

fn fixtures() -> Vec<&'static str> {
    let cjk = cjk_font();
    FIXTURES.into_iter().filter(|f| *f != "chinese" || cjk).collect()
}

/// Write `bytes` and run a poppler tool on them.
fn poppler(bytes: &[u8], tool: &str, args: &[&str]) -> String {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("out.pdf");
    std::fs::write(&file, bytes).unwrap();
    let out = Command::new(tool).args(args).arg(&file).arg("-").output().unwrap();
    assert!(out.status.success(), "{tool}: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).unwrap()
}

fn pdffonts(bytes: &[u8]) -> String {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("out.pdf");
    std::fs::write(&file, bytes).unwrap();
    let out = Command::new("pdffonts").arg(&file).output().unwrap();
    String::from_utf8(out.stdout).unwrap()
}

/// Letters and digits only, without marks and format characters: what
/// must read back in order (pdftotext places Arabic marks by position,
/// and lines and spaces fall where the layout puts them).
fn letters(text: &str) -> String {
    text.chars().filter(|c| c.is_alphanumeric() && !is_mark(*c)).flat_map(char::to_lowercase).collect()
}

/// Arabic harakat and other combining marks of the fixtures.
fn is_mark(c: char) -> bool {
    matches!(c, '\u{0300}'..='\u{036F}' | '\u{064B}'..='\u{065F}' | '\u{0670}' | '\u{06D6}'..='\u{06ED}')
}

/// The paragraphs and headings of the body, as plain text.
fn body(doc: &Document) -> Vec<String> {
    let mut out: Vec<String> =
        doc.introduction.iter().map(|b| plain_text_of_blocks(std::slice::from_ref(b))).collect();
    for section in &doc.sections {
        if let Some(heading) = &section.heading {
            out.push(plain_text(&heading.content));
        }
        for turn in &section.turns {
            out.extend(turn.blocks.iter().map(|b| plain_text_of_blocks(std::slice::from_ref(b))));
        }
    }
    out
}

/// `(xMin, xMax, text)` of each line of `pdftotext -bbox-layout` on page `page`.
fn lines(bytes: &[u8], page: usize) -> Vec<(f64, f64, String)> {
    let p = page.to_string();
    let xml = poppler(bytes, "pdftotext", &["-bbox-layout", "-f", &p, "-l", &p]);
    common::print::bbox_lines(&xml).into_iter().map(|(x_min, x_max, _, text)| (x_min, x_max, text)).collect()
}

/// `(xMin, text)` of each word of `pdftotext -bbox` on page `page`.
fn words(bytes: &[u8], page: usize) -> Vec<(f64, String)> {
    let p = page.to_string();
    let xml = poppler(bytes, "pdftotext", &["-bbox", "-f", &p, "-l", &p]);
    xml.split("<word ")
        .skip(1)
        .map(|w| {
            let at = w.find("xMin=\"").unwrap() + 6;
            let x: f64 = w[at..].split('"').next().unwrap().parse().unwrap();
            (x, w.split('>').nth(1).unwrap().split('<').next().unwrap().to_string())
        })
        .collect()
}

#[test]
fn every_fixture_is_set_in_embedded_subset_fonts_without_missing_glyphs() {
    for name in fixtures() {
        let out = render(&parse(&fixture_path(name)), "a5");
        for w in &out.warnings {
            assert!(!w.message.contains("glyph") && !w.message.contains("CJK"), "{name}: {w}");
            assert!(!w.message.contains("too wide"), "{name}: {w}");
        }
        if !tool("pdffonts") {
            continue;
        }
        let fonts = pdffonts(&out.bytes);
        let rows: Vec<&str> = fonts.lines().skip(2).collect();
        assert!(!rows.is_empty(), "{name}: no fonts");
        for row in &rows {
            let cols: Vec<&str> = row.split_whitespace().collect();
            let n = cols.len();
            assert_eq!(
                &cols[n - 5..n - 2],
                ["yes", "yes", "yes"],
                "{name}: not embedded, subset, mapped: {row}"
            );
            assert_eq!(cols[0].find('+'), Some(6), "{name}: no subset tag: {row}");
        }
        // Headings and speakers' names are bold in the script's own bold.
        // (Chinese: the bundled subset, or the system's whole face where the
        // subset lacks a character.)
        let expected: [&str; 2] = if name == "chinese" {
            ["NotoSerifCJK", "NotoSerifCJK"]
        } else {
            ["Amiri-Regular", "Amiri-Bold"]
        };
        for (face, weight) in expected.into_iter().zip(["Regular", "Bold"]) {
            assert!(
                fonts.lines().any(|l| l.contains(face) && l.contains(weight)),
                "{name}: {face} {weight} not used:\n{fonts}"
            );
        }
    }
}

#[test]
fn pdftotext_reads_every_paragraph_in_logical_order() {
    if !tool("pdftotext") {
        return;
    }
    for name in fixtures() {
        let doc = parse(&fixture_path(name));
        let out = render(&doc, "a5");
        let plain = poppler(&out.bytes, "pdftotext", &[]);
        let text = letters(&plain);
        for para in body(&doc) {
            let want = letters(&para);
            if name == "bilingual" {
                // pdftotext orders a line by its own rule (digits are left to
                // right, the page has one main direction), which scrambles
                // right-to-left phrases with numbers on an English page:
                // there, every word is checked, not their order.
                for word in para.split(|c: char| !c.is_alphanumeric() && !is_mark(c) && c != '\u{200C}') {
                    assert!(text.contains(&letters(word)), "{name}: `{word}` not read back:\n{plain}");
                }
                continue;
            }
            assert!(text.contains(&want), "{name}: not read back in order:\n{para}\n\n{plain}");
        }
        // And the title, in logical order.
        assert!(text.contains(&letters(&doc.meta.title)), "{name}: title");
    }
}

/// The text block's left and right edges on page `page` (odd: recto) of
/// an A5 page, for a document bound on the left or (RTL) on the right.
fn block_edges(page: usize, direction: Direction) -> (f64, f64) {
    let layout = pdf_layout("a5");
    let m = &layout.margins;
    let recto = page % 2 == 1;
    let left = if recto != (direction == Direction::Rtl) { m.inside.pt() } else { m.outside.pt() };
    let measure = layout.page.width.pt() - m.inside.pt() - m.outside.pt();
    (left, left + measure)
}

#[test]
fn right_to_left_lines_are_flush_right_and_last_lines_ragged_on_the_left() {
    if !tool("pdftotext") {
        return;
    }
    for name in ["persian", "arabic", "sorani"] {
        let out = render(&parse(&fixture_path(name)), "a5");
        // Page 3: the body (a recto; bound on the right, its spine is on the right).
        let (left, right) = block_edges(3, Direction::Rtl);
        let doc = parse(&fixture_path(name));
        let folio = Words::for_language(&doc.meta.language).number(3);
        let body: Vec<_> = lines(&out.bytes, 3).into_iter().filter(|(_, _, t)| t.trim() != folio).collect();
        assert!(body.len() >= 5, "{name}: {body:?}");
        let mut short = 0;
        for (x0, x1, text) in &body {
            assert!((x1 - right).abs() < 1.5, "{name}: line not flush right ({x1} vs {right}): {text}");
            assert!(*x0 > left - 1.5, "{name}: line beyond the left edge ({x0} vs {left}): {text}");
            if *x0 > left + 20.0 {
                short += 1;
            }
        }
        assert!(short >= 2, "{name}: the last lines of paragraphs are short, ragged on the left");
    }
}

#[test]
fn cjk_lines_stay_in_the_measure_and_never_start_with_closing_punctuation() {
    if !cjk_font() || !tool("pdftotext") {
        return;
    }
    let doc = parse(&fixture_path("chinese"));
    let out = render(&doc, "a5");
    let (left, right) = block_edges(3, Direction::Ltr);
    let body = lines(&out.bytes, 3);
    assert!(body.len() >= 6, "{body:?}");
    let mut full = 0;
    for (x0, x1, text) in &body {
        assert!(*x0 > left - 0.5 && *x1 < right + 0.5, "line outside the measure {x0}..{x1}: {text}");
        let first = text.chars().next().unwrap();
        assert!(!segment::no_line_start(first), "a line starts with `{first}`: {text}");
        let last = text.trim_end().chars().last().unwrap();
        assert!(!segment::no_line_end(last), "a line ends with `{last}`: {text}");
        if (x1 - right).abs() < 1.0 {
            full += 1;
        }
    }
    // Justified: most lines (all but the last of each paragraph) reach the right edge.
    assert!(full >= 3, "{body:?}");
    // No hyphens: CJK text is not hyphenated.
    let plain = poppler(&out.bytes, "pdftotext", &["-f", "3", "-l", "3"]);
    assert!(!plain.contains('-'), "{plain}");
}

#[test]
fn a_mixed_persian_line_reads_in_the_order_of_the_bidi_algorithm() {
    if !tool("pdftotext") {
        return;
    }
    let line = "در سال 2019 بیش از 1,500 نفر و Erdoğan و Assad سود بردند.";
    let source = format!(
        "---\ntitle: \"آزمون\"\nlanguage: fa\nparticipants:\n  - name: \"سردار\"\n---\n\nسردار: {line}\n"
    );
    let doc = mimeo::source::parse_bytes(Path::new("t.md"), source.as_bytes()).unwrap().document;
    let out = render(&doc, "a5");
    // The reference: UAX #9 on the paragraph (label included), left to right.
    let paragraph = format!("سردار: {line}");
    let visual = bidi::Paragraph::new(&paragraph, Direction::Rtl).visual(0..paragraph.len());
    let latin = ["2019", "1,500", "Erdoğan", "Assad"];
    let mut expected: Vec<(usize, &str)> = latin.iter().map(|w| (visual.find(w).unwrap(), *w)).collect();
    expected.sort();
    // The PDF: the words' places on the page, left to right.
    let page = words(&out.bytes, 3);
    let mut placed: Vec<(f64, &str)> = latin
        .iter()
        .map(|w| {
            (
                page.iter()
                    .find(|(_, t)| t.trim_end_matches('.') == *w)
                    .unwrap_or_else(|| panic!("{w}: {page:?}"))
                    .0,
                *w,
            )
        })
        .collect();
    placed.sort_by(|a, b| a.0.total_cmp(&b.0));
    let order: Vec<&str> = placed.iter().map(|p| p.1).collect();
    assert_eq!(order, expected.iter().map(|e| e.1).collect::<Vec<_>>(), "visual order, left to right");
    // Read back: logical order.
    let text = poppler(&out.bytes, "pdftotext", &["-f", "3", "-l", "3"]);
    assert!(letters(&text).contains(&letters(&paragraph)), "{text}");
}

#[test]
fn a_right_to_left_document_mirrors_margins_and_folios() {
    if !tool("pdftotext") {
        return;
    }
    // Persian folios in Persian digits; the bilingual document is English.
    for (name, direction, digit) in [("persian", Direction::Rtl, "۳"), ("bilingual", Direction::Ltr, "3")] {
        let out = render(&parse(&fixture_path(name)), "a5");
        let (left, right) = block_edges(3, direction);
        let folio = lines(&out.bytes, 3).into_iter().find(|(_, _, t)| t.trim() == digit).expect("a folio");
        let centre = (folio.0 + folio.1) / 2.0;
        assert!(
            (centre - (left + right) / 2.0).abs() < 1.0,
            "{name}: folio at {centre}, block {left}..{right}"
        );
    }
    // A5: inside 17 mm, outside 14 mm; a right-to-left recto has the outside margin on the left.
    let (rtl_left, _) = block_edges(3, Direction::Rtl);
    assert!((rtl_left - 14.0 * MM).abs() < 0.01);
}

#[test]
fn print_editions_are_reproducible() {
    for name in fixtures() {
        let doc = parse(&fixture_path(name));
        assert!(render(&doc, "a5").bytes == render(&doc, "a5").bytes, "{name}");
    }
}

#[test]
fn a_right_to_left_booklet_builds() {
    let doc = parse(&fixture_path("persian"));
    let out = render(&doc, "a5-booklet");
    assert!(out.pages.is_some_and(|p| p >= 1));
    if tool("pdftotext") {
        let text = letters(&poppler(&out.bytes, "pdftotext", &[]));
        for para in body(&doc) {
            assert!(text.contains(&letters(&para)), "{para}");
        }
    }
}

#[test]
fn a_layout_names_its_cjk_font_and_gets_the_face_for_the_language() {
    let sans = Path::new("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc");
    if !cjk_font()
        || !sans.is_file()
        || !sans.with_file_name("NotoSansCJK-Bold.ttc").is_file()
        || !tool("pdffonts")
    {
        return;
    }
    let a5 = std::fs::read_to_string(format!("{}/layouts/a5.yaml", env!("CARGO_MANIFEST_DIR"))).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("sans.yaml");
    let bold = sans.with_file_name("NotoSansCJK-Bold.ttc");
    let yaml = a5.replace("name: a5\n", "name: sans\n")
        + &format!("fonts: {{ cjk: {}, cjk-bold: {} }}\n", sans.display(), bold.display());
    std::fs::write(&file, yaml).unwrap();
    let layout = match mimeo::layout::load(file.to_str().unwrap()).expect("the layout loads").settings {
        mimeo::layout::Settings::Pdf(settings) => *settings,
        _ => panic!("not a PDF layout"),
    };
    let doc = parse(&fixture_path("chinese"));
    let out = pdf::render(&doc, &layout, &Context { epoch: 0, ..Default::default() }).expect("renders");
    assert!(out.warnings.is_empty(), "{:?}", out.warnings);
    let fonts = pdffonts(&out.bytes);
    assert!(fonts.contains("NotoSansCJKtc-Regular") && !fonts.contains("Serif"), "{fonts}");
    assert!(fonts.contains("NotoSansCJKtc-Bold"), "{fonts}");
}

#[test]
fn persian_notes_and_folios_are_numbered_in_persian_digits() {
    if !tool("pdftotext") {
        return;
    }
    let source = "---\ntitle: یادداشت\nlanguage: fa\nparticipants:\n  - name: نیلوفر\n---\n\n\
                  نیلوفر: این یک جمله است.[^1] و جمله‌ای دیگر.[^2]\n\n\
                  [^1]: نخستین یادداشت.\n[^2]: دومین یادداشت.\n";
    let doc = mimeo::source::parse_bytes(Path::new("n.md"), source.as_bytes()).unwrap().document;
    let out = render(&doc, "a5");
    let page = poppler(&out.bytes, "pdftotext", &["-f", "3", "-l", "3"]);
    // Marks and footnotes (۱, ۲) and the folio (۳); no Western digit.
    for digit in ["۱", "۲", "۳"] {
        assert!(page.contains(digit), "{digit} missing: {page}");
    }
    assert!(!page.chars().any(|c| c.is_ascii_digit()), "{page}");
    assert!(page.matches('۱').count() >= 2, "the mark and its note: {page}");
}
