//! Pictures in the print edition: PNG (with transparency), JPEG (embedded
//! as it is), gray for black-only print files, described in the structure
//! tree; SVG drawn as vectors (gray pixels in black-only files); a broken
//! file is an error naming it.

mod common;
use common::print::*;

use std::path::Path;
use std::process::Command;

use lopdf::{Document as Pdf, Object};
use mimeo::backend::Context;
use mimeo::backend::pdf;

const SOURCE: &str = "---\ntitle: Pictures\nparticipants:\n  - name: Ann\n    bio: b\n---\n\n\
Ann: Before the pictures.\n\n![A red disc on a clear ground](disc.png)\n\n\
Ann: Between them.\n\n![A blue frame](frame.jpg)\n\nAnn: After.\n";

/// A folder with the source and its pictures: an 800×500 PNG with an
/// alpha channel and a 1200×800 colour JPEG.
fn folder(source: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let disc = image::RgbaImage::from_fn(800, 500, |x, y| {
        let inside =
            (x as f64 - 400.0).powi(2) / 350f64.powi(2) + (y as f64 - 250.0).powi(2) / 200f64.powi(2) < 1.0;
        if inside { image::Rgba([200, 30, 30, 255]) } else { image::Rgba([0, 0, 0, 0]) }
    });
    disc.save(dir.path().join("disc.png")).unwrap();
    let frame = image::RgbImage::from_fn(1200, 800, |x, _| image::Rgb([30, 90, (x % 256) as u8]));
    frame.save(dir.path().join("frame.jpg")).unwrap();
    std::fs::write(dir.path().join("s.md"), source).unwrap();
    dir
}

fn render_file(path: &Path, layout: &str) -> Vec<u8> {
    let doc = mimeo::source::parse_file(path).expect("parses").document;
    pdf::render(&doc, &pdf_layout(layout), &Context { epoch: 1_600_000_000, ..Default::default() })
        .unwrap()
        .bytes
}

/// Every image XObject but soft masks: (width, height, colour space,
/// filter, has a soft mask), sorted.
fn images(bytes: &[u8]) -> Vec<(i64, i64, String, String, bool)> {
    let pdf = Pdf::load_mem(bytes).unwrap();
    let name = |d: &lopdf::Dictionary, key: &[u8]| {
        d.get(key)
            .and_then(Object::as_name)
            .map(|n| String::from_utf8_lossy(n).into_owned())
            .unwrap_or_default()
    };
    let streams = || pdf.objects.iter().filter_map(|(id, o)| o.as_stream().ok().map(|s| (*id, s)));
    let masks: Vec<lopdf::ObjectId> =
        streams().filter_map(|(_, s)| s.dict.get(b"SMask").and_then(Object::as_reference).ok()).collect();
    let mut found: Vec<_> = streams()
        .filter(|(id, s)| name(&s.dict, b"Subtype") == "Image" && !masks.contains(id))
        .map(|(_, s)| {
            let int = |k: &[u8]| s.dict.get(k).and_then(Object::as_i64).unwrap_or(0);
            (
                int(b"Width"),
                int(b"Height"),
                name(&s.dict, b"ColorSpace"),
                name(&s.dict, b"Filter"),
                s.dict.has(b"SMask"),
            )
        })
        .collect();
    found.sort();
    found
}

/// The text of page `page` (every page when 0), through pdftotext.
fn page_text(bytes: &[u8], page: usize) -> String {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("x.pdf");
    std::fs::write(&file, bytes).unwrap();
    let mut cmd = Command::new("pdftotext");
    if page > 0 {
        cmd.args(["-f", &page.to_string(), "-l", &page.to_string()]);
    }
    String::from_utf8_lossy(&cmd.arg(&file).arg("-").output().unwrap().stdout).into_owned()
}

#[test]
fn pictures_are_placed_png_with_its_mask_and_jpeg_as_it_is() {
    let dir = folder(SOURCE);
    let bytes = render_file(&dir.path().join("s.md"), "a5");
    assert_eq!(
        images(&bytes),
        vec![
            (800, 500, "DeviceRGB".into(), "FlateDecode".into(), true),
            (1200, 800, "DeviceRGB".into(), "DCTDecode".into(), false),
        ]
    );
    // The JPEG's bytes are the file's own.
    let jpeg = std::fs::read(dir.path().join("frame.jpg")).unwrap();
    let pdf = Pdf::load_mem(&bytes).unwrap();
    assert!(pdf.objects.values().any(|o| o.as_stream().is_ok_and(|s| s.content == jpeg)));
    // Described for screen readers.
    let alts: Vec<String> = pdf
        .objects
        .values()
        .filter_map(|o| o.as_dict().ok())
        .filter(|d| d.get(b"S").and_then(Object::as_name).is_ok_and(|n| n == b"Figure"))
        .filter_map(|d| {
            d.get(b"Alt").ok().and_then(|a| a.as_str().ok()).map(|a| String::from_utf8_lossy(a).into_owned())
        })
        .collect();
    assert!(alts.iter().any(|a| a.contains("red disc")), "{alts:?}");
    if tool("qpdf") {
        let file = dir.path().join("x.pdf");
        std::fs::write(&file, &bytes).unwrap();
        let out = Command::new("qpdf").arg("--check").arg(&file).output().unwrap();
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stdout));
    }
}

#[test]
fn pictures_follow_the_text_on_its_pages_inside_the_measure() {
    let dir = folder(SOURCE);
    let bytes = render_file(&dir.path().join("s.md"), "a5");
    let pdf = Pdf::load_mem(&bytes).unwrap();
    // Each picture is drawn on the page of the text around it, scaled into the text block.
    let mut drawn = Vec::new();
    for (number, id) in pdf.get_pages() {
        let content = pdf.get_and_decode_page_content(id).unwrap();
        let mut matrix = Vec::new();
        for op in content.operations {
            match op.operator.as_str() {
                "cm" => matrix = op.operands.iter().filter_map(|o| o.as_float().ok()).collect(),
                "Do" => drawn.push((number, matrix.clone())),
                _ => {}
            }
        }
    }
    assert_eq!(drawn.len(), 2, "{drawn:?}");
    let layout = pdf_layout("a5");
    let measure = layout.page.width.pt() - layout.margins.inside.pt() - layout.margins.outside.pt();
    for (page, m) in &drawn {
        let (w, h) = (f64::from(m[0]), f64::from(m[3]));
        assert!(w > 100.0 && w <= measure + 0.01, "page {page}: width {w}");
        assert!(h > 50.0, "page {page}: height {h}");
    }
    // The disc keeps its proportions (8:5).
    assert!((f64::from(drawn[0].1[0]) / f64::from(drawn[0].1[3]) - 1.6).abs() < 0.01);
    if tool("pdftotext") {
        let text = page_text(&bytes, drawn[0].0 as usize);
        assert!(text.contains("Before the pictures"), "{text}");
    }
}

#[test]
fn black_only_print_files_have_gray_pictures() {
    let dir = folder(SOURCE);
    let bytes = render_file(&dir.path().join("s.md"), "a5-print");
    let found = images(&bytes);
    assert_eq!(found.len(), 2);
    assert!(found.iter().all(|(_, _, space, _, _)| space == "DeviceGray"), "{found:?}");
}

/// A drawing with a gradient, text in two faces, and an `<image>` naming
/// a file by its absolute path (which must not be read).
fn drawing(dir: &Path) -> String {
    let outside = dir.join("disc.png");
    format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" xmlns:xlink=\"http://www.w3.org/1999/xlink\" \
         width=\"400\" height=\"250\">\
         <defs><linearGradient id=\"g\"><stop offset=\"0\" stop-color=\"#cde\"/>\
         <stop offset=\"1\" stop-color=\"#fed\"/></linearGradient></defs>\
         <rect width=\"400\" height=\"250\" fill=\"url(#g)\"/>\
         <path d=\"M40 200 C 120 40, 260 240, 360 60\" stroke=\"#c00\" stroke-width=\"6\" fill=\"none\"/>\
         <text x=\"50\" y=\"230\" font-size=\"18\">Square</text>\
         <text x=\"300\" y=\"40\" font-size=\"18\" font-style=\"italic\">Bridge</text>\
         <image width=\"50\" height=\"50\" xlink:href=\"{}\"/></svg>",
        outside.display()
    )
}

fn svg_folder() -> tempfile::TempDir {
    let dir = folder(&SOURCE.replace("(frame.jpg)", "(frame.svg)"));
    std::fs::write(dir.path().join("frame.svg"), drawing(dir.path())).unwrap();
    dir
}

/// Form XObjects that scale a drawing into the unit square, as pictures are placed.
fn drawings(bytes: &[u8]) -> usize {
    let pdf = Pdf::load_mem(bytes).unwrap();
    pdf.objects
        .values()
        .filter_map(|o| o.as_stream().ok())
        .filter(|s| s.dict.get(b"Subtype").and_then(Object::as_name).is_ok_and(|n| n == b"Form"))
        .filter(|s| s.dict.has(b"Matrix"))
        .count()
}

#[test]
fn svg_pictures_are_drawn_as_vectors_with_their_text_and_no_outside_file() {
    let dir = svg_folder();
    let doc = mimeo::source::parse_file(&dir.path().join("s.md")).unwrap().document;
    let out = pdf::render(&doc, &pdf_layout("a5"), &Context { epoch: 1_600_000_000, ..Default::default() })
        .unwrap();
    assert!(out.warnings.is_empty(), "{:?}", out.warnings);
    assert_eq!(drawings(&out.bytes), 1, "the drawing is one vector form");
    // Only the PNG: the drawing's `<image>` naming a file was not read.
    assert_eq!(images(&out.bytes).len(), 1, "{:?}", images(&out.bytes));
    let pdf = Pdf::load_mem(&out.bytes).unwrap();
    let alt = pdf.objects.values().filter_map(|o| o.as_dict().ok()).any(|d| {
        d.get(b"Alt")
            .and_then(Object::as_str)
            .is_ok_and(|a| String::from_utf8_lossy(a).contains("A blue frame"))
    });
    assert!(alt, "the drawing's description is its /Alt");
    if tool("pdftotext") {
        let text = page_text(&out.bytes, 0);
        assert!(text.contains("Square") && text.contains("Bridge"), "{text}");
    }
    if tool("pdffonts") {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("x.pdf");
        std::fs::write(&file, &out.bytes).unwrap();
        let fonts = Command::new("pdffonts").arg(&file).output().unwrap();
        let fonts = String::from_utf8_lossy(&fonts.stdout);
        // Every font, the drawing's too, embedded and subset.
        for line in fonts.lines().skip(2) {
            assert!(line.contains(" yes yes yes "), "{fonts}");
        }
    }
    let again = pdf::render(&doc, &pdf_layout("a5"), &Context { epoch: 1_600_000_000, ..Default::default() })
        .unwrap();
    assert!(again.bytes == out.bytes, "the same drawing gives the same bytes");
}

#[test]
fn black_only_print_files_draw_svg_pictures_in_gray() {
    let dir = svg_folder();
    let bytes = render_file(&dir.path().join("s.md"), "a5-print");
    assert_eq!(drawings(&bytes), 0);
    let found = images(&bytes);
    assert_eq!(found.len(), 2, "{found:?}");
    assert!(found.iter().all(|(_, _, space, _, _)| space == "DeviceGray"), "{found:?}");
    // 400 px wide at 96 px an inch, drawn at 400 dpi.
    assert!(found.iter().any(|(w, _, _, _, mask)| *w == 1667 && *mask), "{found:?}");
}

#[test]
fn a_broken_picture_is_an_error_naming_it_and_nothing_is_written() {
    // A PNG header that promises a picture the file does not hold.
    let png = folder(SOURCE);
    let bytes = std::fs::read(png.path().join("disc.png")).unwrap();
    std::fs::write(png.path().join("disc.png"), &bytes[..64]).unwrap();
    // A drawing cut off mid-element.
    let svg = svg_folder();
    std::fs::write(svg.path().join("frame.svg"), "<svg xmlns=\"http://www.w3.org/2000/svg\"><rect").unwrap();
    for (dir, file) in [(png, "disc.png"), (svg, "frame.svg")] {
        let out = Command::new(env!("CARGO_BIN_EXE_mimeo"))
            .args(["build", "s.md", "-l", "a5", "--out", "out"])
            .current_dir(dir.path())
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(1), "{stderr}");
        assert!(stderr.contains(file) && stderr.contains("error"), "{stderr}");
        assert!(!stderr.contains("panicked"), "{stderr}");
        assert!(!dir.path().join("out/s/s-a5.pdf").exists());
    }
}

#[test]
fn a_drawing_with_text_no_face_has_is_an_error_located_in_the_drawing() {
    let dir = svg_folder();
    let svg = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"200\" height=\"100\">\n\
               <text x=\"10\" y=\"50\" font-size=\"18\">Sign: \u{13000}</text>\n</svg>\n";
    std::fs::write(dir.path().join("frame.svg"), svg).unwrap();
    let build = |extra: &[&str]| {
        Command::new(env!("CARGO_BIN_EXE_mimeo"))
            .args(["build", "s.md", "-l", "a5", "--out", "out"])
            .args(extra)
            .current_dir(dir.path())
            .output()
            .unwrap()
    };
    let out = build(&[]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(stderr.starts_with("frame.svg:2:") || stderr.contains("/frame.svg:2:"), "{stderr}");
    assert!(stderr.contains("U+13000"), "{stderr}");
    assert!(!dir.path().join("out/s/s-a5.pdf").exists(), "nothing is written");

    let out = build(&["--allow-missing-glyphs"]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    assert!(stderr.contains("warning") && stderr.contains("U+13000"), "{stderr}");
    assert!(dir.path().join("out/s/s-a5.pdf").exists());
}
