//! A fresh machine: no system fonts at all (the font folders mimeo looks
//! in point at an empty directory). Traditional and Simplified Chinese,
//! Japanese and Persian still build to pages a reader can see: the
//! bundled faces are embedded, and the text block holds ink, measured on
//! pixels rendered by `pdftoppm` (text in the text layer alone, drawn in
//! no font, would pass a `pdftotext` check and print as blank paper).
//! A character no face has fails the build with a located error and
//! writes nothing.

mod common;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use common::print::tool;

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/i18n").join(format!("{name}.md"))
}

/// `mimeo ARGS` with no font folder but an empty one in sight.
fn mimeo_without_fonts(args: &[&str], empty: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_mimeo"))
        .args(args)
        .env("XDG_DATA_HOME", empty)
        .env("XDG_DATA_DIRS", empty)
        .env("HOME", empty)
        .env("SOURCE_DATE_EPOCH", "1767225600")
        .output()
        .unwrap()
}

/// How much ink the A5 layout's text block on `page` holds: the mean
/// darkness of its pixels (0 blank, 1 solid black), rendered in gray at
/// 50 dpi, where a glyph's thin strokes are gray rather than black.
fn ink_in_text_block(pdf: &Path, page: usize) -> f64 {
    const DPI: f64 = 50.0;
    let px = |mm: f64| ((mm / 25.4) * DPI).round() as i64;
    // a5.yaml: margins top 16, bottom 19, inside 17, outside 14 (mm): the
    // band both recto and verso text blocks share.
    let (x, y, w, h) = (px(17.0), px(16.0), px(148.0 - 34.0), px(210.0 - 35.0));
    let page = page.to_string();
    let out = Command::new("pdftoppm")
        .args(["-gray", "-r", "50", "-f", &page, "-l", &page])
        .args(["-x", &x.to_string(), "-y", &y.to_string(), "-W", &w.to_string(), "-H", &h.to_string()])
        .arg(pdf)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let pixels = pgm_pixels(&out.stdout);
    pixels.iter().map(|&v| f64::from(255 - v) / 255.0).sum::<f64>() / pixels.len() as f64
}

/// The pixels of a binary PGM (`P5`, 8-bit).
fn pgm_pixels(bytes: &[u8]) -> &[u8] {
    // Header: magic, width, height, maxval, each followed by whitespace.
    let mut fields = 0;
    let mut at = 0;
    while fields < 4 {
        while bytes[at].is_ascii_whitespace() {
            at += 1;
        }
        while !bytes[at].is_ascii_whitespace() {
            at += 1;
        }
        fields += 1;
    }
    assert!(bytes.starts_with(b"P5"), "not a PGM");
    &bytes[at + 1..]
}

/// Characters pdftotext reads on each page.
fn text_per_page(pdf: &Path, pages: usize) -> Vec<usize> {
    (1..=pages)
        .map(|page| {
            let page = page.to_string();
            let out = Command::new("pdftotext")
                .args(["-f", &page, "-l", &page])
                .arg(pdf)
                .arg("-")
                .output()
                .unwrap();
            String::from_utf8_lossy(&out.stdout).chars().filter(|c| !c.is_whitespace()).count()
        })
        .collect()
}

#[test]
fn cjk_and_persian_pages_show_their_text_with_no_system_fonts() {
    if !tool("pdftoppm") || !tool("pdffonts") {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let empty = dir.path().join("no-fonts");
    std::fs::create_dir(&empty).unwrap();
    for (name, face) in [
        ("chinese", "NotoSerifCJK"),
        ("simplified", "NotoSerifCJK"),
        ("japanese", "NotoSerifCJK"),
        ("persian", "Amiri"),
    ] {
        let out_dir = dir.path().join(name);
        let path = fixture(name);
        let out = mimeo_without_fonts(
            &["build", path.to_str().unwrap(), "--layout", "a5", "--out", out_dir.to_str().unwrap()],
            &empty,
        );
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(out.status.success(), "{name}: {stderr}");
        assert!(!stderr.contains("warning"), "{name}: {stderr}");
        let pdf = out_dir.join(name).join(format!("{name}-a5.pdf"));

        let fonts = Command::new("pdffonts").arg(&pdf).output().unwrap();
        let fonts = String::from_utf8_lossy(&fonts.stdout);
        for weight in ["Regular", "Bold"] {
            assert!(
                fonts.lines().any(|l| l.contains(face) && l.contains(weight) && l.contains(" yes yes yes ")),
                "{name}: {face} {weight} is not embedded:\n{fonts}"
            );
        }

        // The fullest page: its text block is well inked.
        let pages = fonts_pages(&pdf);
        let chars = text_per_page(&pdf, pages);
        let (fullest, count) = chars.iter().enumerate().max_by_key(|(_, n)| **n).unwrap();
        assert!(*count > 150, "{name}: only {count} characters on any page: {chars:?}");
        let ink = ink_in_text_block(&pdf, fullest + 1);
        eprintln!("{name}: page {}: {count} characters, {:.2}% ink", fullest + 1, ink * 100.0);
        assert!(
            ink > 0.01,
            "{name}: page {} has {count} characters but {:.2}% ink",
            fullest + 1,
            ink * 100.0
        );
    }
}

fn fonts_pages(pdf: &Path) -> usize {
    let info = Command::new("pdfinfo").arg(pdf).output().unwrap();
    let info = String::from_utf8_lossy(&info.stdout);
    let line = info.lines().find(|l| l.starts_with("Pages:")).expect("pdfinfo gives the page count");
    line["Pages:".len()..].trim().parse().unwrap()
}

#[test]
fn a_character_no_face_has_fails_the_build_and_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let empty = dir.path().join("no-fonts");
    std::fs::create_dir(&empty).unwrap();
    let source = dir.path().join("hieroglyph.md");
    std::fs::write(
        &source,
        "---\ntitle: Signs\nlanguage: en\n---\n\nThe first line is fine.\n\nHere: 𓀀, a sign.\n",
    )
    .unwrap();
    let out_dir = dir.path().join("out");
    // An edition from an earlier build stays as it was.
    let earlier = out_dir.join("hieroglyph/hieroglyph-a5.pdf");
    std::fs::create_dir_all(earlier.parent().unwrap()).unwrap();
    std::fs::write(&earlier, b"earlier edition").unwrap();
    let args = ["build", source.to_str().unwrap(), "--layout", "a5", "--out", out_dir.to_str().unwrap()];

    let out = mimeo_without_fonts(&args, &empty);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    let first = stderr.lines().next().unwrap_or_default();
    assert_eq!(
        first,
        format!("{}:8:7: error: no font has a glyph for `𓀀` (U+13000) (in the a5 edition)", source.display()),
        "{stderr}"
    );
    assert!(stderr.contains("tried: Linux Libertine O"), "the faces tried are named: {stderr}");
    assert!(stderr.contains("fonts:") && stderr.contains("--allow-missing-glyphs"), "the fixes: {stderr}");
    assert_eq!(std::fs::read(&earlier).unwrap(), b"earlier edition", "the earlier edition is untouched");
    assert_eq!(common::walk(&out_dir).len(), 1, "nothing else is written");

    // Accepting blanks: the flag, or the layout key.
    let mut flagged = args.to_vec();
    flagged.push("--allow-missing-glyphs");
    let out = mimeo_without_fonts(&flagged, &empty);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    assert!(stderr.contains("warning: no font has a glyph for `𓀀`"), "{stderr}");
    assert!(std::fs::read(&earlier).unwrap().starts_with(b"%PDF"), "the edition is written");

    let layout = dir.path().join("blanks.yaml");
    let a5 = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("layouts/a5.yaml")).unwrap();
    std::fs::write(&layout, a5.replace("name: a5", "name: blanks\nallow-missing-glyphs: true")).unwrap();
    let out = mimeo_without_fonts(
        &[
            "build",
            source.to_str().unwrap(),
            "--layout",
            layout.to_str().unwrap(),
            "--out",
            out_dir.to_str().unwrap(),
        ],
        &empty,
    );
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
}

#[test]
fn an_ascii_zine_reports_characters_with_no_ascii_form() {
    let dir = tempfile::tempdir().unwrap();
    let source = dir.path().join("signs.md");
    std::fs::write(
        &source,
        "---\ntitle: Signs\nlanguage: en\n---\n\nCafé and 漢 have ASCII forms, 𓀀 has not.\n",
    )
    .unwrap();
    let out_dir = dir.path().join("out");
    let args =
        ["build", source.to_str().unwrap(), "--layout", "zine-72-ascii", "--out", out_dir.to_str().unwrap()];
    let out = mimeo_without_fonts(&args, dir.path());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.starts_with(&format!("{}:6:", source.display())) && stderr.contains("U+13000"),
        "{stderr}"
    );
    assert!(!out_dir.exists() || common::walk(&out_dir).is_empty(), "nothing is written");

    let mut flagged = args.to_vec();
    flagged.push("--allow-missing-glyphs");
    let out = mimeo_without_fonts(&flagged, dir.path());
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let text = std::fs::read_to_string(common::walk(&out_dir).pop().unwrap()).unwrap();
    assert!(text.contains("Cafe and Han have ASCII forms"), "{text}");
}
