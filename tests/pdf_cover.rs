//! Wrap covers (issue 20): sheet geometry from the interior's page count
//! and the paper, spine text turned by binding side or left off when the
//! spine is thin, the ISBN barcode read back by a real decoder (zbarimg),
//! and wrong ISBNs refused at the `identifier` line.

mod common;
use common::print::*;

use std::path::Path;
use std::process::Command;

use lopdf::{Document as Pdf, Object, content::Content};
use mimeo::backend::{Context, Output, pdf};
use mimeo::layout::{self, PdfLayout, Settings};
use mimeo::model::{Anchor, Document, PageStart};

const MM: f64 = 72.0 / 25.4;
const EPOCH: i64 = 1_600_000_000;

fn source(identifier: &str, direction: &str) -> String {
    format!(
        "---\ntitle: \"Global Uprisings\"\nlanguage: {direction}\npublisher: \"Upping the Anti\"\n\
         identifier: \"{identifier}\"\n\
         description: \"Four activists on solidarity across borders, from Hong Kong to Rojava.\"\n\
         participants:\n  - name: Ana\n    role: interviewer\n    bio: Ana asks.\n---\n\n## Why?\n\n**Ana:** Because.\n"
    )
}

fn parse(markdown: &str) -> Document {
    mimeo::source::parse_bytes(Path::new("test.md"), markdown.as_bytes())
        .expect("test source parses")
        .document
}

fn cover_layout(paper: &str, extra: &str) -> PdfLayout {
    let text = format!(
        "format: pdf\npage: {{ width: 148mm, height: 210mm }}\n\
         margins: {{ top: 16mm, bottom: 19mm, inside: 14mm, outside: 14mm }}\n\
         body: {{ size: 10pt, leading: 13pt }}\nbleed: 3mm\ncrop-marks: true\nvariant: print\n\
         cover:\n  interior: a5-print\n  paper: {{ {paper} }}\n{extra}"
    );
    match layout::parse(Path::new("cover.yaml"), &text, None).expect("cover layout parses").settings {
        Settings::Pdf(settings) => *settings,
        _ => unreachable!(),
    }
}

/// `pages` page starts, as the interior edition would report them.
fn interior(pages: usize) -> Vec<PageStart> {
    (0..pages)
        .map(|n| PageStart {
            label: (n + 1).to_string(),
            anchor: Anchor::Colophon,
            piece: None,
            blank: false,
        })
        .collect()
}

fn render_cover(doc: &Document, layout: &PdfLayout, pages: usize) -> Result<Output, mimeo::diag::Diagnostic> {
    let starts = interior(pages);
    let ctx = Context { epoch: EPOCH, print_pages: Some(("a5-print", &starts)), ..Default::default() };
    pdf::render(doc, layout, &ctx)
}

/// MediaBox, BleedBox and TrimBox of the only page.
fn boxes(bytes: &[u8]) -> [[f64; 4]; 3] {
    let pdf = Pdf::load_mem(bytes).expect("the cover parses");
    let pages = pdf.get_pages();
    assert_eq!(pages.len(), 1, "a cover is one sheet");
    let page = pdf.get_dictionary(pages[&1]).unwrap();
    let get = |key: &[u8]| {
        let v = numbers(page.get(key).unwrap());
        [v[0], v[1], v[2], v[3]]
    };
    [get(b"MediaBox"), get(b"BleedBox"), get(b"TrimBox")]
}

/// The `cm` matrices of every content stream and form of the file.
fn matrices(bytes: &[u8]) -> Vec<Vec<f64>> {
    let pdf = Pdf::load_mem(bytes).unwrap();
    let mut out = Vec::new();
    for object in pdf.objects.values() {
        let Object::Stream(stream) = object else { continue };
        let Ok(data) = stream.decompressed_content().or_else(|_| Ok::<_, ()>(stream.content.clone())) else {
            continue;
        };
        let Ok(content) = Content::decode(&data) else { continue };
        for op in content.operations {
            if op.operator == "cm" && op.operands.len() == 6 {
                out.push(op.operands.iter().map(|o| o.as_float().map_or(0.0, f64::from)).collect());
            }
        }
    }
    out
}

/// Quarter turns among the matrices: `Some(true)` clockwise (text read top
/// to bottom), `Some(false)` counter-clockwise, `None` if there is none.
fn spine_turn(bytes: &[u8]) -> Option<bool> {
    matrices(bytes).iter().find(|m| m[0].abs() < 1e-3 && (m[1].abs() - 1.0).abs() < 1e-3).map(|m| m[1] < 0.0)
}

#[test]
fn spine_width_follows_pages_and_paper() {
    // 0.1 mm a leaf: 32 pages are 16 leaves, 1.6 mm; 444 pages per inch.
    for (paper, per_page_mm) in
        [("caliper: 0.1mm", 0.05), ("caliper: 0.125mm", 0.0625), ("pages-per-inch: 444", 25.4 / 444.0)]
    {
        let layout = cover_layout(paper, "");
        let spine = |pages| layout.cover.as_ref().unwrap().paper.spine(pages) / MM;
        for pages in [32, 64, 200] {
            let want = pages as f64 * per_page_mm;
            assert!(
                (spine(pages) - want).abs() < 1e-6,
                "{paper}, {pages} pages: {} mm, not {want}",
                spine(pages)
            );
        }
    }
    // An odd page count still takes a whole leaf.
    let layout = cover_layout("caliper: 0.1mm", "");
    assert!((layout.cover.unwrap().paper.spine(33) / MM - 1.7).abs() < 1e-6);
}

#[test]
fn sheet_is_two_trims_plus_spine_plus_bleed() {
    let doc = parse(&source("isbn:978-0-306-40615-7", "en"));
    for (paper, pages) in [("caliper: 0.1mm", 32), ("caliper: 0.1mm", 200), ("pages-per-inch: 400", 64)] {
        let layout = cover_layout(paper, "");
        let spine = layout.cover.as_ref().unwrap().paper.spine(pages);
        let out = render_cover(&doc, &layout, pages).expect("renders");
        let [media, bleed, trim] = boxes(&out.bytes);
        let (w, h, b) = (148.0 * MM, 210.0 * MM, 3.0 * MM);
        assert!((trim[2] - trim[0] - (2.0 * w + spine)).abs() < 0.01, "{paper} {pages}: trim {trim:?}");
        assert!((trim[3] - trim[1] - h).abs() < 0.01, "{trim:?}");
        assert!((bleed[2] - bleed[0] - (2.0 * w + spine + 2.0 * b)).abs() < 0.01, "bleed {bleed:?}");
        assert!((bleed[0] - (trim[0] - b)).abs() < 0.01 && (bleed[3] - (trim[3] + b)).abs() < 0.01);
        // Room for the marks outside the bleed.
        assert!(media[0] < bleed[0] - 10.0 && media[2] > bleed[2] + 10.0, "{media:?}");
    }
}

#[test]
fn spine_text_turns_by_binding_side() {
    let layout = cover_layout("caliper: 0.1mm", "");
    let ltr = render_cover(&parse(&source("urn:uuid:1", "en")), &layout, 200).unwrap();
    assert_eq!(spine_turn(&ltr.bytes), Some(true), "left-bound: read top to bottom");
    let rtl = render_cover(&parse(&source("urn:uuid:1", "fa")), &layout, 200).unwrap();
    assert_eq!(spine_turn(&rtl.bytes), Some(false), "right-bound: read bottom to top");
    // The binding key overrides the script's direction.
    let right = cover_layout("caliper: 0.1mm", "  binding: right\n");
    let forced = render_cover(&parse(&source("urn:uuid:1", "en")), &right, 200).unwrap();
    assert_eq!(spine_turn(&forced.bytes), Some(false));
    if tool("pdftotext") {
        let text = pdftotext(&ltr.bytes);
        assert!(text.contains("Global Uprisings"), "{text}");
        assert!(text.contains("solidarity across borders"), "the blurb is on the back: {text}");
    }
}

#[test]
fn a_thin_spine_has_no_text_and_says_so() {
    let layout = cover_layout("caliper: 0.1mm", "");
    let out = render_cover(&parse(&source("urn:uuid:1", "en")), &layout, 32).unwrap();
    assert_eq!(spine_turn(&out.bytes), None, "1.6 mm is too thin for text");
    assert!(
        out.warnings.iter().any(|w| w.message.contains("1.6 mm") && w.message.contains("min-spine-text")),
        "{:?}",
        out.warnings
    );
    let thick = render_cover(&parse(&source("urn:uuid:1", "en")), &layout, 200).unwrap();
    assert!(thick.warnings.is_empty(), "{:?}", thick.warnings);
}

#[test]
fn same_cover_same_bytes_and_qpdf_clean() {
    let layout = cover_layout("caliper: 0.1mm", "  price-code: \"51500\"\n");
    let doc = parse(&source("9780306406157", "en"));
    let a = render_cover(&doc, &layout, 120).unwrap();
    let b = render_cover(&doc, &layout, 120).unwrap();
    assert!(a.bytes == b.bytes, "two renders differ");
    if tool("qpdf") {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("cover.pdf");
        std::fs::write(&path, &a.bytes).unwrap();
        let out = Command::new("qpdf").arg("--check").arg(&path).output().unwrap();
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stdout));
    }
}

fn pdftotext(bytes: &[u8]) -> String {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("x.pdf");
    std::fs::write(&path, bytes).unwrap();
    let out = Command::new("pdftotext").arg(&path).arg("-").output().expect("pdftotext runs");
    String::from_utf8(out.stdout).unwrap()
}

/// What zbarimg reads on the cover rendered at 300 dpi.
fn scan(bytes: &[u8]) -> String {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("cover.pdf");
    std::fs::write(&path, bytes).unwrap();
    let png = dir.path().join("cover");
    let status =
        Command::new("pdftoppm").args(["-png", "-r", "300", "-singlefile"]).arg(&path).arg(&png).status();
    assert!(status.unwrap().success());
    let out = Command::new("zbarimg")
        .args(["-q", "--nodbus", "-Sean5.enable"])
        .arg(dir.path().join("cover.png"))
        .output()
        .or_else(|_| {
            Command::new("zbarimg").args(["-q", "-Sean5.enable"]).arg(dir.path().join("cover.png")).output()
        })
        .expect("zbarimg runs");
    String::from_utf8_lossy(&out.stdout).into_owned()
}

#[test]
fn the_barcode_scans_to_the_isbn() {
    if !tool("pdftoppm") || !tool("zbarimg") {
        return;
    }
    let layout = cover_layout("caliper: 0.1mm", "");
    // Hyphenated, prefixed ISBN-13; an ISBN-10 becomes its 978 EAN.
    let out = render_cover(&parse(&source("isbn:978-0-306-40615-7", "en")), &layout, 64).unwrap();
    let read = scan(&out.bytes);
    assert!(read.lines().any(|l| l == "EAN-13:9780306406157"), "{read}");
    let ten = render_cover(&parse(&source("ISBN 0-8044-2957-X", "en")), &layout, 64).unwrap();
    assert!(scan(&ten.bytes).lines().any(|l| l == "EAN-13:9780804429573"));
    // With the price add-on, both symbols read.
    let priced = cover_layout("caliper: 0.1mm", "  price-code: \"51500\"\n");
    let out = render_cover(&parse(&source("9780306406157", "en")), &priced, 64).unwrap();
    let read = scan(&out.bytes);
    assert!(read.lines().any(|l| l == "EAN-13:9780306406157"), "{read}");
    assert!(read.lines().any(|l| l == "EAN-5:51500"), "{read}");
    // No ISBN, no barcode.
    let plain = render_cover(&parse(&source("urn:uuid:1", "en")), &layout, 64).unwrap();
    assert!(!scan(&plain.bytes).contains("EAN"), "a cover without an ISBN has no barcode");
}

#[test]
fn a_wrong_isbn_is_an_error_at_the_identifier_line() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("book.md");
    std::fs::write(&path, source("isbn:978-0-306-40615-8", "en")).unwrap();
    // The source refuses it, for every edition (not only covers).
    let errors = mimeo::source::parse_file(&path).expect_err("a wrong ISBN is refused");
    let err = &errors[0];
    assert!(err.message.contains("`identifier`") && err.message.contains("check digit 8"), "{err}");
    let location = err.location.clone().expect("located");
    assert_eq!(location.line, Some(5), "{err}");
    // Through the command line: exit 1, nothing written.
    let out = dir.path().join("out");
    let run = Command::new(env!("CARGO_BIN_EXE_mimeo"))
        .args(["build", "--layout", "a5-cover", "--out"])
        .arg(&out)
        .arg(&path)
        .env("SOURCE_DATE_EPOCH", "0")
        .output()
        .unwrap();
    assert_eq!(run.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert!(
        stderr.contains("book.md:5:1: error:") && stderr.contains("front matter `identifier`"),
        "{stderr}"
    );
    assert!(!out.join("book").join("book-a5-cover.pdf").exists());
    // Not ISBNs at all: refused too when they claim to be.
    for bad in ["isbn:12345", "isbn:979-0-000-00000-0x"] {
        let parsed = mimeo::source::parse_bytes(Path::new("test.md"), source(bad, "en").as_bytes());
        assert!(parsed.is_err(), "{bad}");
    }
}

#[test]
fn cover_keys_are_checked_where_they_are() {
    for (paper, extra, field) in [
        ("caliper: 0mm", "", "cover.paper.caliper"),
        ("pages-per-inch: 10", "", "cover.paper.pages-per-inch"),
        ("caliper: 0.1mm, pages-per-inch: 400", "", "cover.paper"),
        ("caliper: 0.1mm", "  price-code: \"5150\"\n", "cover.price-code"),
    ] {
        let text = format!(
            "format: pdf\npage: {{ width: 148mm, height: 210mm }}\n\
             margins: {{ top: 16mm, bottom: 19mm, inside: 14mm, outside: 14mm }}\n\
             body: {{ size: 10pt, leading: 13pt }}\ncover:\n  interior: a5-print\n  paper: {{ {paper} }}\n{extra}"
        );
        let err = layout::parse(Path::new("c.yaml"), &text, None).unwrap_err();
        assert!(err.message.contains(field), "{err}");
        assert!(err.location.unwrap().line.unwrap() >= 6, "{}", err.message);
    }
    let names: Vec<String> = layout::builtin().into_iter().map(|l| l.name).collect();
    assert!(names.iter().any(|n| n == "a5-cover"), "{names:?}");
}

#[test]
fn the_sample_gets_a_cover_through_the_cli() {
    let dir = tempfile::tempdir().unwrap();
    let run = Command::new(env!("CARGO_BIN_EXE_mimeo"))
        .args(["build", "--layout", "a5-cover", "--out"])
        .arg(dir.path())
        .arg("content/global-uprisings.md")
        .env("SOURCE_DATE_EPOCH", "0")
        .output()
        .unwrap();
    assert!(run.status.success(), "{}", String::from_utf8_lossy(&run.stderr));
    let bytes =
        std::fs::read(dir.path().join("global-uprisings").join("global-uprisings-a5-cover.pdf")).unwrap();
    // The spine of the a5-print edition's pages on 0.1 mm paper.
    let doc = sample();
    let pages = pdf::render(&doc, &pdf_layout("a5-print"), &Context { epoch: 0, ..Default::default() })
        .unwrap()
        .page_starts
        .len();
    let [_, _, trim] = boxes(&bytes);
    let spine = pages.div_ceil(2) as f64 * 0.1 * MM;
    assert!((trim[2] - trim[0] - (296.0 * MM + spine)).abs() < 0.01, "{pages} pages, trim {trim:?}");
}

// Issue 33: print-on-demand presets, the blurb set as a blurb, the
// `cover:` picture on the front.

/// The sheet's width (MediaBox) of a preset's cover for `pages` pages,
/// in inches, and whether it has crop-mark room around the bleed.
fn preset_sheet(name: &str, pages: usize) -> (f64, bool) {
    let out = render_cover(&parse(&source("urn:uuid:1", "en")), &pdf_layout(name), pages).unwrap();
    let [media, bleed, _] = boxes(&out.bytes);
    ((media[2] - media[0]) / 72.0, media != bleed)
}

#[test]
fn print_on_demand_presets_use_the_services_spine_formulas() {
    let a5 = 2.0 * 148.0 / 25.4;
    let bleed = 2.0 * 0.125;
    for (name, pages, spine) in [
        // Amazon KDP: pages × 0.002252 in (white), × 0.0025 in (cream).
        ("a5-cover-kdp", 120, 120.0 * 0.002252),
        ("a5-cover-kdp", 300, 300.0 * 0.002252),
        ("a5-cover-kdp-cream", 120, 0.3),
        // Lulu perfect bound: pages ÷ 444 + 0.06 in.
        ("a5-cover-lulu", 120, 120.0 / 444.0 + 0.06),
    ] {
        let (width, marks) = preset_sheet(name, pages);
        assert!((width - (a5 + spine + bleed)).abs() < 0.001, "{name}, {pages} pages: {width} in");
        assert!(!marks, "{name}: the services want the bleed box as the sheet, no crop marks");
    }
}

#[test]
fn kdp_spine_text_starts_at_eighty_pages() {
    let doc = parse(&source("urn:uuid:1", "en"));
    let thin = render_cover(&doc, &pdf_layout("a5-cover-kdp"), 78).unwrap();
    assert!(spine_turn(&thin.bytes).is_none(), "78 pages: no spine text");
    assert!(thin.warnings.iter().any(|w| w.message.contains("no text")));
    let thick = render_cover(&doc, &pdf_layout("a5-cover-kdp"), 80).unwrap();
    assert!(spine_turn(&thick.bytes).is_some(), "80 pages: spine text");
}

#[test]
fn the_blurb_is_larger_ragged_and_unhyphenated() {
    if !tool("pdftotext") {
        return;
    }
    let blurb = "Four internationalist organisers compare extraordinarily different responsibilities: \
                 neighbourhood assemblies, transnational solidarity, counterrevolutionary propaganda and \
                 the unglamorous administrative work that keeps a movement's infrastructure standing.";
    let text = source("urn:uuid:1", "en")
        .replace("Four activists on solidarity across borders, from Hong Kong to Rojava.", blurb);
    let out = render_cover(&parse(&text), &pdf_layout("a5-cover"), 64).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("c.pdf");
    std::fs::write(&path, &out.bytes).unwrap();
    let xml = Command::new("pdftotext").arg("-bbox-layout").arg(&path).arg("-").output().unwrap();
    let lines = bbox_lines(&String::from_utf8(xml.stdout).unwrap());
    let words: Vec<&str> = blurb.split_whitespace().collect();
    let blurb_lines: Vec<&(f64, f64, f64, String)> = lines
        .iter()
        .filter(|l| l.3.split_whitespace().all(|w| words.iter().any(|b| b.contains(w))))
        .collect();
    assert!(blurb_lines.len() >= 5, "{lines:?}");
    assert!(blurb_lines.iter().all(|l| !l.3.ends_with('-')), "no hyphenated line ends: {blurb_lines:?}");
    // Ragged: the right edges differ (a justified block has one).
    let rights: Vec<f64> = blurb_lines[..blurb_lines.len() - 1].iter().map(|l| l.1).collect();
    let spread =
        rights.iter().copied().fold(f64::MIN, f64::max) - rights.iter().copied().fold(f64::MAX, f64::min);
    assert!(spread > 10.0, "ragged right: {rights:?}");
    // Larger than the 10pt body: leading above 17pt.
    let step = (blurb_lines[1].2 - blurb_lines[0].2).abs();
    assert!(step > 17.0, "leading {step}");
    // Set on the back panel, its top a fifth of the way down, not in the corner.
    let top = blurb_lines[0].2;
    assert!(top > 210.0 * MM * 0.18, "{top}");
}

#[test]
fn the_cover_picture_is_framed_on_the_front_and_the_barcode_still_scans() {
    let dir = tempfile::tempdir().unwrap();
    let picture = image::RgbImage::from_fn(300, 200, |x, _| image::Rgb([(x % 256) as u8, 90, 40]));
    picture.save(dir.path().join("art.png")).unwrap();
    let text = source("isbn:978-0-306-40615-7", "en").replacen("---\n", "---\ncover: art.png\n", 1);
    std::fs::write(dir.path().join("s.md"), &text).unwrap();
    let doc = mimeo::source::parse_file(&dir.path().join("s.md")).expect("parses").document;
    let layout = pdf_layout("a5-cover-kdp");
    let out = render_cover(&doc, &layout, 120).unwrap();
    let pdf = Pdf::load_mem(&out.bytes).unwrap();
    let images = pdf
        .objects
        .values()
        .filter_map(|o| o.as_stream().ok())
        .filter(|s| s.dict.get(b"Subtype").and_then(Object::as_name).ok() == Some(b"Image"))
        .count();
    assert_eq!(images, 1, "the picture is in the file");
    // Where it is drawn: the `cm` before the picture's `Do` on the page
    // (drawn straight on the sheet: a KDP cover has no crop-mark margin).
    let page = *pdf.get_pages().values().next().unwrap();
    let content = Content::decode(&pdf.get_page_content(page)).unwrap();
    let mut matrix = Vec::new();
    let mut drawn = None;
    for op in &content.operations {
        match op.operator.as_str() {
            "cm" => matrix = op.operands.iter().map(|o| o.as_float().unwrap() as f64).collect(),
            "Do" => drawn = Some(matrix.clone()),
            _ => {}
        }
    }
    let m = drawn.expect("the picture is drawn");
    let [media, ..] = boxes(&out.bytes);
    let spine_right = (media[2] + 120.0 * 0.002252 * 72.0) / 2.0;
    assert!(m[4] > spine_right && m[4] + m[0] < media[2] - 0.125 * 72.0, "on the front panel: {m:?}");
    assert!((m[0] / m[3] - 1.5).abs() < 0.01, "its proportions kept: {m:?}");
    if tool("pdftoppm") && tool("zbarimg") {
        let read = scan(&out.bytes);
        assert!(read.lines().any(|l| l == "EAN-13:9780306406157"), "{read}");
    }
}

#[test]
fn a_collection_gets_a_wrap_cover_with_its_editors_and_parts() {
    let dir = tempfile::tempdir().unwrap();
    for file in
        ["voices-from-the-uprisings.yaml", "introduction.md", "global-uprisings.md", "global-uprisings-fa.md"]
    {
        std::fs::copy(Path::new("content").join(file), dir.path().join(file)).unwrap();
    }
    let yaml = dir.path().join("voices-from-the-uprisings.yaml");
    let text = std::fs::read_to_string(&yaml).unwrap();
    std::fs::write(
        &yaml,
        text.replacen("publisher:", "identifier: \"isbn:978-0-306-40615-7\"\npublisher:", 1),
    )
    .unwrap();
    let out = common::mimeo(
        dir.path(),
        &["build", "-q", "-f", "pdf", "-l", "a5-cover", "-o", "out", "voices-from-the-uprisings.yaml"],
    );
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let bytes = std::fs::read(
        dir.path().join("out/voices-from-the-uprisings/voices-from-the-uprisings-a5-cover.pdf"),
    )
    .unwrap();
    // The spine is the whole book's: wider than one piece's cover's.
    let [media, ..] = boxes(&bytes);
    let one = render_cover(&sample(), &pdf_layout("a5-cover"), 16).unwrap();
    assert!(media[2] > boxes(&one.bytes)[0][2], "the book's spine is its pages'");
    if tool("pdftotext") {
        let text = pdftotext(&bytes);
        assert!(text.contains("Voices"), "{text}");
        assert!(text.contains("Edited by Upping the Anti"), "{text}");
        assert!(text.contains("In this book"), "{text}");
        assert!(text.contains("Re-theorizing"), "the parts' titles on the back: {text}");
    }
    if tool("pdftoppm") && tool("zbarimg") {
        let read = scan(&bytes);
        assert!(read.lines().any(|l| l == "EAN-13:9780306406157"), "{read}");
    }
}

#[test]
fn a_full_bleed_picture_fills_the_front_to_the_bleed_or_is_refused_at_its_line() {
    let dir = tempfile::tempdir().unwrap();
    let mut layout = pdf_layout("a5-cover-kdp");
    layout.cover.as_mut().unwrap().picture = mimeo::layout::pdf::CoverPicture::FullBleed;
    // The front with its bleed: 148mm + 0.125in wide, 210mm + 0.25in high.
    let (w, h) = (148.0 * MM + 9.0, 210.0 * MM + 18.0);
    let fits = image::RgbImage::from_pixel(700, (700.0 * h / w).round() as u32, image::Rgb([30, 60, 90]));
    fits.save(dir.path().join("fits.png")).unwrap();
    image::RgbImage::from_pixel(700, 700, image::Rgb([30, 60, 90]))
        .save(dir.path().join("square.png"))
        .unwrap();
    let doc_with = |picture: &str| {
        let text = source("urn:uuid:1", "en").replacen("---\n", &format!("---\ncover: {picture}\n"), 1);
        std::fs::write(dir.path().join("s.md"), &text).unwrap();
        mimeo::source::parse_file(&dir.path().join("s.md")).expect("parses").document
    };
    let out = render_cover(&doc_with("fits.png"), &layout, 120).unwrap();
    let pdf = Pdf::load_mem(&out.bytes).unwrap();
    let page = *pdf.get_pages().values().next().unwrap();
    let content = Content::decode(&pdf.get_page_content(page)).unwrap();
    let (mut matrix, mut drawn) = (Vec::new(), None);
    for op in &content.operations {
        match op.operator.as_str() {
            "cm" => matrix = op.operands.iter().map(|o| o.as_float().unwrap() as f64).collect(),
            "Do" if drawn.is_none() => drawn = Some(matrix.clone()),
            _ => {}
        }
    }
    let m = drawn.expect("the picture is drawn first, under the text");
    let [media, ..] = boxes(&out.bytes);
    assert!((m[0] - w).abs() < 0.5 && (m[3] - h).abs() < 0.5, "the front with its bleed: {m:?}");
    assert!((m[4] + m[0] - media[2]).abs() < 0.5 && m[5].abs() < 0.5, "to the sheet's edge: {m:?}");
    // A square picture would be stretched: refused, at the `cover:` line.
    let err = match render_cover(&doc_with("square.png"), &layout, 120) {
        Err(err) => err,
        Ok(_) => panic!("a square picture is refused for a full-bleed front"),
    };
    assert!(err.message.contains("full-bleed"), "{err}");
    assert!(err.to_string().contains("s.md:2"), "at the cover line: {err}");
}
