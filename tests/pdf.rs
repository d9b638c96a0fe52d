//! The PDF edition, read back: structure with lopdf (fonts embedded and
//! subset with ToUnicode, page boxes, version, /Lang, bookmarks), text
//! with poppler's pdftotext when installed (present, in order, and where
//! the page starts say), validators when installed (qpdf), and the
//! warnings and errors of bad fonts.

mod common;
use common::print::*;

use std::path::Path;
use std::process::Command;

use lopdf::{Document as Pdf, Object};
use mimeo::backend::{Context, pdf};
use mimeo::layout::{self, PdfLayout, Settings};
use mimeo::model::{Anchor, BlockKind, Document, plain_text};

fn parse(markdown: &str) -> Document {
    mimeo::source::parse_bytes(Path::new("test.md"), markdown.as_bytes())
        .expect("test source parses")
        .document
}

/// Text of `bytes` (pages `first..=last` when given) through pdftotext.
fn pdftotext(bytes: &[u8], pages: Option<(usize, usize)>) -> String {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("x.pdf");
    std::fs::write(&path, bytes).unwrap();
    let mut cmd = Command::new("pdftotext");
    if let Some((first, last)) = pages {
        cmd.args(["-f", &first.to_string(), "-l", &last.to_string()]);
    }
    let out = cmd.arg(&path).arg("-").output().expect("pdftotext runs");
    String::from_utf8(out.stdout).unwrap()
}

/// Letters and digits only, lower-cased: immune to line-end hyphens,
/// spacing and quotes.
fn squash(text: &str) -> String {
    text.chars().filter(|c| c.is_alphanumeric()).flat_map(char::to_lowercase).collect()
}

fn questions_in(doc: &Document) -> usize {
    doc.sections.iter().filter(|s| s.heading.is_some()).count()
}

fn dict<'a>(pdf: &'a Pdf, object: &'a Object) -> &'a lopdf::Dictionary {
    match object {
        Object::Reference(id) => pdf.get_object(*id).and_then(Object::as_dict).expect("a dictionary"),
        other => other.as_dict().expect("a dictionary"),
    }
}

#[test]
fn sample_has_embedded_subset_fonts_boxes_lang_and_bookmarks() {
    let doc = sample();
    let out = render(&doc, "a5");
    let pdf = Pdf::load_mem(&out.bytes).expect("lopdf reads it");
    assert!(pdf.version.as_str() >= "1.6", "version {}", pdf.version);
    let pages = pdf.get_pages();
    assert_eq!(pages.len(), out.pages.unwrap());
    assert_eq!(pages.len(), out.page_starts.len(), "one page start per page");

    // A5 in points, and TrimBox/BleedBox as [llx lly urx ury] equal to it.
    for &id in pages.values() {
        let page = pdf.get_dictionary(id).unwrap();
        for key in [&b"MediaBox"[..], b"TrimBox", b"BleedBox"] {
            let b = numbers(page.get(key).unwrap_or_else(|_| panic!("{}", String::from_utf8_lossy(key))));
            assert_eq!(b[0], 0.0);
            assert_eq!(b[1], 0.0);
            assert!((b[2] - 419.53).abs() < 0.1 && (b[3] - 595.28).abs() < 0.1, "{b:?}");
        }
    }

    let catalog = pdf.catalog().unwrap();
    assert_eq!(catalog.get(b"Lang").unwrap().as_str().unwrap(), b"en");
    assert!(catalog.get(b"Metadata").is_ok(), "XMP metadata");
    // Tagged: marked content and a structure tree with the questions as H2.
    let mark_info = dict(&pdf, catalog.get(b"MarkInfo").unwrap());
    assert!(mark_info.get(b"Marked").unwrap().as_bool().unwrap());
    let tree = dict(&pdf, catalog.get(b"StructTreeRoot").unwrap());
    let document = dict(&pdf, tree.get(b"K").unwrap());
    let kids = document.get(b"K").unwrap().as_array().unwrap();
    let roles: Vec<Vec<u8>> =
        kids.iter().map(|k| dict(&pdf, k).get(b"S").unwrap().as_name().unwrap().to_vec()).collect();
    assert_eq!(roles[0], b"H1");
    assert_eq!(
        roles.iter().filter(|r| r.as_slice() == b"H2").count(),
        questions_in(&doc) + 1,
        "questions and the participants"
    );
    // Page labels: the title page unnumbered, then arabic folios from 2.
    let labels = dict(&pdf, catalog.get(b"PageLabels").unwrap());
    let nums = labels.get(b"Nums").unwrap().as_array().unwrap();
    assert_eq!(nums[0].as_i64().unwrap(), 0);
    assert_eq!(nums[2].as_i64().unwrap(), 1);
    let second = dict(&pdf, &nums[3]);
    assert_eq!(second.get(b"S").unwrap().as_name().unwrap(), b"D");
    assert_eq!(second.get(b"St").unwrap().as_i64().unwrap(), 2);

    // Bookmarks: one per question, in order.
    let outlines = dict(&pdf, catalog.get(b"Outlines").unwrap());
    let mut item = outlines.get(b"First").ok();
    let mut titles = Vec::new();
    while let Some(Object::Reference(id)) = item {
        let entry = pdf.get_dictionary(*id).unwrap();
        titles.push(String::from_utf8_lossy(entry.get(b"Title").unwrap().as_str().unwrap()).into_owned());
        item = entry.get(b"Next").ok();
    }
    let questions: Vec<String> =
        doc.sections.iter().filter_map(|s| s.heading.as_ref()).map(|h| plain_text(&h.content)).collect();
    assert_eq!(titles.len(), questions.len());
    assert!(titles[0].contains("involved with"), "{titles:?}");

    // Fonts: Type0 over an embedded, subset CID font with a ToUnicode map.
    let mut fonts = 0;
    for object in pdf.objects.values() {
        let Ok(font) = object.as_dict() else { continue };
        if font.get(b"Subtype").and_then(Object::as_name).ok() != Some(b"Type0") {
            continue;
        }
        fonts += 1;
        let name = String::from_utf8_lossy(font.get(b"BaseFont").unwrap().as_name().unwrap()).into_owned();
        assert!(name.len() > 7 && name.as_bytes()[6] == b'+', "subset tag in {name}");
        assert!(name[..6].chars().all(|c| c.is_ascii_uppercase()), "{name}");
        assert!(font.get(b"ToUnicode").is_ok(), "{name} has no ToUnicode");
        let descendants = font.get(b"DescendantFonts").unwrap().as_array().unwrap();
        let cid = dict(&pdf, &descendants[0]);
        let descriptor = dict(&pdf, cid.get(b"FontDescriptor").unwrap());
        assert!(
            descriptor.get(b"FontFile2").is_ok() || descriptor.get(b"FontFile3").is_ok(),
            "{name} is not embedded"
        );
    }
    assert!(fonts >= 3, "regular, italic and bold at least; found {fonts}");
}

#[test]
fn page_starts_match_the_printed_pages() {
    let doc = sample();
    let out = render(&doc, "a5");
    let starts = &out.page_starts;
    assert_eq!(starts[0].anchor, Anchor::TitlePage);
    assert_eq!(starts[0].label, "", "no folio on the title page");
    assert_eq!(starts.last().unwrap().anchor, Anchor::Colophon);
    // Text anchors move forward through the document.
    let text: Vec<(u32, usize)> = starts
        .iter()
        .filter_map(|s| match s.anchor {
            Anchor::Text { block, offset } => Some((block.0, offset)),
            _ => None,
        })
        .collect();
    assert!(text.len() >= 8);
    assert!(text.windows(2).all(|w| w[0] < w[1]), "{text:?}");
    // Numbered pages carry their physical page number.
    for (n, start) in starts.iter().enumerate() {
        if !start.label.is_empty() {
            assert_eq!(start.label, (n + 1).to_string());
        }
    }
    if !tool("pdftotext") {
        return;
    }
    // The text at each anchor is at the top of its page.
    let mut blocks = std::collections::HashMap::new();
    for b in &doc.introduction {
        if let BlockKind::Paragraph(inlines) = &b.kind {
            blocks.insert(b.id, plain_text(inlines));
        }
    }
    for section in &doc.sections {
        if let Some(h) = &section.heading {
            blocks.insert(h.id, plain_text(&h.content));
        }
        for b in section.turns.iter().flat_map(|t| &t.blocks) {
            if let BlockKind::Paragraph(inlines) = &b.kind {
                blocks.insert(b.id, plain_text(inlines));
            }
        }
    }
    let mut checked = 0;
    for (n, start) in starts.iter().enumerate() {
        let Anchor::Text { block, offset } = start.anchor else { continue };
        let text = &blocks[&block];
        let from: String = text.chars().skip(offset).take(30).collect();
        let page = squash(&pdftotext(&out.bytes, Some((n + 1, n + 1))));
        let head = squash(&from);
        let at = page.find(&head).unwrap_or_else(|| panic!("page {} does not show “{from}”", n + 1));
        assert!(at < 200, "“{from}” is not at the top of page {} (at {at})", n + 1);
        checked += 1;
    }
    assert!(checked >= 8);
}

#[test]
fn all_paragraphs_are_printed_in_order() {
    if !tool("pdftotext") {
        return;
    }
    let doc = sample();
    let out = render(&doc, "a6-pocket");
    let printed = squash(&pdftotext(&out.bytes, None));
    let mut at = 0;
    let mut count = 0;
    for block in doc.introduction.iter().chain(doc.turns().flat_map(|t| &t.blocks)) {
        let BlockKind::Paragraph(inlines) = &block.kind else { continue };
        let head: String = squash(&plain_text(inlines)).chars().take(40).collect();
        let found = printed[at..].find(&head).unwrap_or_else(|| panic!("missing or out of order: {head}"));
        at += found + head.len();
        count += 1;
    }
    assert!(count > 20);
    for p in &doc.participants {
        assert!(printed.contains(&squash(&p.name)), "{} is not named", p.name);
    }
}

/// A page that a paragraph runs over from is full: its text starts at the
/// top margin and fills the page (a shadowed page-top once started every
/// continued page where the paragraph had started on the page before,
/// leaving 42 pages of the sample's A5 mostly blank).
#[test]
fn pages_of_running_text_are_full() {
    if !tool("pdftotext") {
        return;
    }
    let doc = sample();
    for name in ["a5", "a6-pocket", "half-letter"] {
        let out = render(&doc, name);
        let pages = pdftotext(&out.bytes, None)
            .split('\u{c}')
            .map(|p| p.split_whitespace().count())
            .collect::<Vec<_>>();
        // The title page, the participants, the last page of text and the
        // colophon may be short; every other page holds a full page's words.
        let body = &pages[2..pages.len().saturating_sub(3)];
        let mut sorted = body.to_vec();
        sorted.sort_unstable();
        let median = sorted[sorted.len() / 2];
        for (k, words) in body.iter().enumerate() {
            assert!(
                *words * 10 >= median * 7,
                "{name}: page {} holds {words} words, a full page {median}: {pages:?}",
                k + 3
            );
        }
    }
}

#[test]
fn same_input_same_bytes() {
    let doc = sample();
    let a = render(&doc, "a6-pocket");
    let b = render(&doc, "a6-pocket");
    assert!(a.bytes == b.bytes, "two renders differ");
    let later =
        pdf::render(&doc, &pdf_layout("a6-pocket"), &Context { epoch: 1_700_000_000, ..Default::default() })
            .unwrap();
    assert!(later.bytes != a.bytes, "the edition date is in the file");
}

#[test]
fn every_layout_keeps_text_inside_the_page() {
    let doc = sample();
    for name in ["a5", "a6-pocket", "half-letter", "a4", "letter"] {
        let layout = pdf_layout(name);
        let fonts = pdf::Fonts::load(&layout).unwrap();
        let set = pdf::typeset(&doc, &layout, &fonts, &Context::default()).unwrap();
        assert!(set.warnings.is_empty(), "{name}: {:?}", set.warnings);
        let right = set.width - layout.margins.inside.pt().min(layout.margins.outside.pt());
        for (n, page) in set.pages.iter().enumerate() {
            for op in &page.ops {
                if let pdf::Op::Text { x, y, run } = op {
                    let end = x + run.glyphs.last().map_or(0.0, |g| g.1) + run.size;
                    assert!(
                        *x >= 0.0 && end <= right + run.size,
                        "{name} page {}: text at {x}..{end}",
                        n + 1
                    );
                    assert!(*y > 0.0 && *y < set.height, "{name} page {}: baseline {y}", n + 1);
                }
            }
        }
    }
}

#[test]
fn qpdf_finds_no_problem() {
    if !tool("qpdf") {
        return;
    }
    let out = render(&sample(), "a5");
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("x.pdf");
    std::fs::write(&path, &out.bytes).unwrap();
    let check = Command::new("qpdf").arg("--check").arg(&path).output().unwrap();
    let report = String::from_utf8_lossy(&check.stdout);
    assert!(check.status.success(), "{report}");
    assert!(report.contains("No syntax or stream encoding errors"), "{report}");
}

#[test]
fn a_missing_glyph_falls_back_or_is_an_error() {
    // ✓ is only in the monospace, ə is not in the bold italic (the bold has
    // it), ☃ is in no bundled font.
    let doc = parse("---\ntitle: T\nlanguage: en\n---\n\nA ***schwa ə*** a check ✓ and a snowman ☃ here.\n");
    let err = pdf::render(&doc, &pdf_layout("a5"), &Context::default()).unwrap_err();
    assert!(err.message.contains("U+2603") && !err.message.contains("U+2713"), "{err}");
    assert!(err.hints.iter().any(|h| h.contains("tried: Linux Libertine O")), "{err:?}");
    assert!(err.hints.iter().any(|h| h.contains("fonts:")), "the fix is named: {err:?}");
    // Accepted blanks: one warning, the rest set.
    let accept = Context { allow_missing_glyphs: true, ..Default::default() };
    let out = pdf::render(&doc, &pdf_layout("a5"), &accept).expect("renders");
    let snowman: Vec<_> = out.warnings.iter().filter(|w| w.message.contains('☃')).collect();
    assert_eq!(snowman.len(), 1, "{:?}", out.warnings);
    assert!(snowman[0].message.contains("U+2603"));
    assert!(
        !out.warnings.iter().any(|w| w.message.contains('✓') || w.message.contains('ə')),
        "{:?}",
        out.warnings
    );
    if tool("pdftotext") {
        let text = pdftotext(&out.bytes, None);
        assert!(text.contains("schwa ə") && text.contains("check ✓"), "{text}");
    }
    if tool("pdffonts") {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("x.pdf");
        std::fs::write(&path, &out.bytes).unwrap();
        let fonts = String::from_utf8(Command::new("pdffonts").arg(&path).output().unwrap().stdout).unwrap();
        assert!(fonts.contains("JetBrainsMono"), "✓ comes from the monospace: {fonts}");
    }
}

#[test]
fn an_unreadable_font_file_is_an_error_naming_it() {
    let dir = tempfile::tempdir().unwrap();
    let bad = dir.path().join("broken.otf");
    std::fs::write(&bad, b"not a font").unwrap();
    let text = format!(
        "format: pdf\npage: {{ width: 148mm, height: 210mm }}\nmargins: {{ top: 16mm, bottom: 19mm, inside: 17mm, outside: 14mm }}\nbody: {{ size: 10pt, leading: 13pt }}\nfonts:\n  regular: {}\n",
        bad.display()
    );
    let layout = layout::parse(Path::new("mine.yaml"), &text, None).unwrap();
    let Settings::Pdf(settings) = layout.settings else { panic!("not pdf") };
    let err = pdf::render(&sample(), &settings, &Context::default()).unwrap_err();
    assert!(err.message.contains("broken.otf"), "{err}");
    let missing = text.replace("broken.otf", "nowhere.otf");
    let layout = layout::parse(Path::new("mine.yaml"), &missing, None).unwrap();
    let Settings::Pdf(settings) = layout.settings else { panic!("not pdf") };
    let err = pdf::render(&sample(), &settings, &Context::default()).unwrap_err();
    assert!(err.to_string().contains("nowhere.otf"), "{err}");
}

#[test]
fn a_misspelt_font_key_names_line_and_field() {
    let text = "format: pdf\npage: { width: 148mm, height: 210mm }\nmargins: { top: 16mm, bottom: 19mm, inside: 17mm, outside: 14mm }\nbody: { size: 10pt, leading: 13pt }\nfonts:\n  reguler: x.otf\n";
    let err = layout::parse(Path::new("mine.yaml"), text, None).unwrap_err();
    assert_eq!(err.location.as_ref().and_then(|l| l.line), Some(6), "{err}");
    assert!(err.message.contains("reguler"), "{err}");
}

const NOTES: &str = "---\ntitle: Notes\nlanguage: en\n---\n\nA claim.[^1]\n\n```\nlet x = 1;\n```\n\n[^1]: The source of the claim.\n";

#[test]
fn footnotes_sit_on_the_page_of_their_reference() {
    let doc = parse(NOTES);
    let out = render(&doc, "a5");
    assert!(!out.page_starts.iter().any(|p| p.anchor == Anchor::Notes));
    if tool("pdftotext") {
        let page = out
            .page_starts
            .iter()
            .position(|p| matches!(p.anchor, Anchor::Text { .. }) && !p.label.is_empty())
            .expect("a text page");
        let text = pdftotext(&out.bytes, Some((page + 1, page + 1)));
        assert!(text.contains("A claim."), "{text}");
        assert!(text.contains("The source of the claim."), "{text}");
        assert!(text.contains("let x = 1;"), "{text}");
    }
    if tool("pdffonts") {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("x.pdf");
        std::fs::write(&path, &out.bytes).unwrap();
        let fonts = Command::new("pdffonts").arg(&path).output().unwrap();
        assert!(String::from_utf8_lossy(&fonts.stdout).contains("JetBrainsMono"), "code is in the monospace");
    }
}

#[test]
fn endnotes_gather_at_the_end() {
    let doc = parse(NOTES);
    let mut layout = pdf_layout("a5");
    layout.notes = mimeo::layout::pdf::NotesPlacement::Endnotes;
    let out = pdf::render(&doc, &layout, &Context::default()).unwrap();
    let notes = out.page_starts.iter().position(|p| p.anchor == Anchor::Notes).expect("a notes page");
    assert_eq!(out.page_starts.last().unwrap().anchor, Anchor::Colophon);
    if tool("pdftotext") {
        let text = pdftotext(&out.bytes, Some((notes + 1, notes + 1)));
        assert!(text.contains("The source of the claim."), "{text}");
    }
}

// ---- Imposition -------------------------------------------------------

/// A document of `n` A5 pages, page k showing the word `pgKK` near its
/// centre (no typesetting involved), the last one a colophon if `colophon`.
fn numbered_pages(n: usize, colophon: bool) -> (pdf::SetDocument, pdf::Fonts) {
    let fonts = pdf::Fonts::bundled();
    let (w, h) = (419.53, 595.28);
    let mut pages = Vec::new();
    let glyphs = {
        let shaper = pdf::Shaper::new(&fonts).unwrap();
        for k in 1..=n {
            let mut shaped = Vec::new();
            let text = format!("pg{k:02}");
            shaper.shape(&text, 0, pdf::FaceId::Regular, pdf::Features::default(), 24.0, &mut shaped);
            let mut x = 0.0;
            let run = pdf::GlyphRun {
                face: pdf::FaceId::Regular,
                size: 24.0,
                rise: 0.0,
                glyphs: shaped
                    .iter()
                    .map(|g| {
                        let at = x;
                        x += g.advance;
                        (g.id, at)
                    })
                    .collect(),
            };
            let anchor = if colophon && k == n { Anchor::Colophon } else { Anchor::TitlePage };
            pages.push(pdf::SetPage {
                label: k.to_string(),
                anchor,
                piece: None,
                ops: vec![pdf::Op::Text { x: w / 2.0 - 30.0, y: h / 2.0, run }],
            });
        }
        shaper.finish().0
    };
    let set = pdf::SetDocument {
        width: w,
        height: h,
        pages,
        outline: Vec::new(),
        glyphs,
        elements: Vec::new(),
        images: Vec::new(),
        info: pdf::DocInfo { title: "Numbers".into(), language: "en".into(), ..Default::default() },
        warnings: Vec::new(),
    };
    (set, fonts)
}

/// Words and their centres, per PDF page, from `pdftotext -bbox`.
fn word_positions(bytes: &[u8]) -> Vec<Vec<(String, f64, f64)>> {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("x.pdf");
    std::fs::write(&path, bytes).unwrap();
    let out = Command::new("pdftotext").arg("-bbox").arg(&path).arg("-").output().unwrap();
    let html = String::from_utf8(out.stdout).unwrap();
    let attr = |tag: &str, name: &str| -> f64 {
        let start = tag.find(&format!("{name}=\"")).unwrap() + name.len() + 2;
        tag[start..].split('"').next().unwrap().parse().unwrap()
    };
    let mut pages = Vec::new();
    for page in html.split("<page ").skip(1) {
        let mut words = Vec::new();
        for word in page.split("<word ").skip(1) {
            let (tag, rest) = word.split_once('>').unwrap();
            let text = rest.split('<').next().unwrap().to_string();
            let x = (attr(tag, "xMin") + attr(tag, "xMax")) / 2.0;
            let y = (attr(tag, "yMin") + attr(tag, "yMax")) / 2.0;
            words.push((text, x, y));
        }
        pages.push(words);
    }
    pages
}

fn booklet_layout(kind: &str, extra: &str) -> PdfLayout {
    let text = format!(
        "format: pdf\npage: {{ width: 148mm, height: 210mm }}\nmargins: {{ top: 16mm, bottom: 19mm, inside: 17mm, outside: 14mm }}\nbody: {{ size: 10pt, leading: 13pt }}\nimposition: {{ kind: {kind}{extra} }}\n"
    );
    match layout::parse(Path::new("impose.yaml"), &text, None).unwrap().settings {
        Settings::Pdf(settings) => *settings,
        _ => unreachable!(),
    }
}

/// Page numbers (1-based, 0 for blank) on the left and right half of each side.
fn halves(bytes: &[u8], sheet_width: f64) -> Vec<[usize; 2]> {
    word_positions(bytes)
        .iter()
        .map(|words| {
            let mut side = [0, 0];
            for (text, x, _) in words {
                if let Some(n) = text.strip_prefix("pg").and_then(|n| n.parse().ok()) {
                    side[usize::from(*x > sheet_width / 2.0)] = n;
                }
            }
            side
        })
        .collect()
}

#[test]
fn booklets_put_the_promised_pages_on_each_half() {
    if !tool("pdftotext") {
        return;
    }
    for n in [4, 8, 12, 16, 30] {
        for rtl in [false, true] {
            let (mut set, fonts) = numbered_pages(n, false);
            let binding = if rtl { ", binding: right" } else { "" };
            let layout = booklet_layout("booklet", binding);
            let sides = pdf::impose(&mut set, &layout, mimeo::model::Direction::Ltr).unwrap();
            let padded = n.div_ceil(4) * 4;
            assert_eq!(set.pages.len(), padded);
            assert_eq!(sides.len(), padded / 2, "two sides per sheet");
            let bytes = pdf::write_sheets(&mut set, &fonts, &sides, pdf::WriteOptions::default()).unwrap();
            let found = halves(&bytes, sides[0].width);
            let real = |p: usize| if p <= n { p } else { 0 };
            for (k, side) in found.iter().enumerate() {
                let s = k / 2;
                let (outer, inner) =
                    if k % 2 == 0 { (padded - 2 * s, 2 * s + 1) } else { (padded - 2 * s - 1, 2 * s + 2) };
                // Front: outer page left, inner right; back: inner left, outer right. RTL mirrors.
                let mut expected =
                    if k % 2 == 0 { [real(outer), real(inner)] } else { [real(inner), real(outer)] };
                if rtl {
                    expected.reverse();
                }
                assert_eq!(*side, expected, "{n} pages, rtl {rtl}, side {k}");
            }
        }
    }
    // The eight-page case, spelled out.
    let (mut set, fonts) = numbered_pages(8, false);
    let sides = pdf::impose(&mut set, &booklet_layout("booklet", ""), mimeo::model::Direction::Ltr).unwrap();
    let bytes = pdf::write_sheets(&mut set, &fonts, &sides, pdf::WriteOptions::default()).unwrap();
    assert_eq!(halves(&bytes, sides[0].width), vec![[8, 1], [2, 7], [6, 3], [4, 5]]);
}

#[test]
fn blanks_go_before_the_colophon() {
    let (mut set, _) = numbered_pages(6, true);
    pdf::pad(&mut set, 4);
    let labels: Vec<&str> = set.pages.iter().map(|p| p.label.as_str()).collect();
    assert_eq!(labels, ["1", "2", "3", "4", "5", "", "", "6"]);
}

/// Which of its eight pages book page `n` (of 16) is on its nested
/// mini-zine sheet: the outer sheet has 1–4 and 13–16, the inner 5–12.
fn cell_page(sheet: usize, n: usize) -> usize {
    match (sheet, n) {
        (0, 1..=4) => n,
        (0, _) => n - 8,
        _ => n - 4,
    }
}

#[test]
fn minizine_cells_hold_the_promised_pages_and_turns() {
    let (mut set, fonts) = numbered_pages(16, false);
    let mut layout = booklet_layout("minizine", ", sheet: { width: 297mm, height: 210mm }");
    layout.page.width = mimeo::layout::Length::mm(74.25);
    layout.page.height = mimeo::layout::Length::mm(105.0);
    set.width = layout.page.width.pt();
    set.height = layout.page.height.pt();
    for page in &mut set.pages {
        for op in &mut page.ops {
            if let pdf::Op::Text { x, y, .. } = op {
                *x = 40.0;
                *y = 150.0;
            }
        }
    }
    let sides = pdf::impose(&mut set, &layout, mimeo::model::Direction::Ltr).unwrap();
    assert_eq!(sides.len(), 2, "one sheet per eight pages");
    let bytes = pdf::write_sheets(&mut set, &fonts, &sides, pdf::WriteOptions::default()).unwrap();

    // Turns: the top row's placements are rotated 180°.
    let doc = Pdf::load_mem(&bytes).unwrap();
    for (sheet, (_, &page_id)) in doc.get_pages().iter().enumerate() {
        let content = lopdf::content::Content::decode(&doc.get_page_content(page_id)).unwrap();
        let mut matrix = Vec::new();
        let mut placed = Vec::new();
        for op in &content.operations {
            match op.operator.as_str() {
                "cm" => matrix = op.operands.iter().map(|o| o.as_float().unwrap() as f64).collect(),
                "Do" => placed.push((
                    String::from_utf8_lossy(op.operands[0].as_name().unwrap()).into_owned(),
                    matrix.clone(),
                )),
                _ => {}
            }
        }
        assert_eq!(placed.len(), 8);
        for (name, m) in &placed {
            let n = cell_page(sheet, name.trim_start_matches('P').parse::<usize>().unwrap() + 1);
            let turned = m[0] < 0.0 && m[3] < 0.0;
            assert_eq!(turned, [2, 3, 4, 5].contains(&n), "page {n} on sheet {sheet}");
        }
    }
    if !tool("pdftotext") {
        return;
    }
    // Positions: top row 5 4 3 2, bottom row 6 7 8 1 (pdftotext's y grows downwards).
    let (w, h) = (sides[0].width, sides[0].height);
    for (sheet, words) in word_positions(&bytes).iter().enumerate() {
        let mut grid = [[0usize; 4]; 2];
        for (text, x, y) in words {
            if let Some(n) = text.strip_prefix("pg").and_then(|n| n.parse::<usize>().ok()) {
                let col = ((x - (w - 4.0 * set.width) / 2.0) / set.width).floor() as usize;
                grid[usize::from(*y > h / 2.0)][col] = cell_page(sheet, n);
            }
        }
        assert_eq!(grid, [[5, 4, 3, 2], [6, 7, 8, 1]], "sheet {sheet}");
    }
}

#[test]
fn print_layout_has_bleed_trim_and_marks_outside_the_trim() {
    let out = render(&sample(), "a5-print");
    let pdf = Pdf::load_mem(&out.bytes).unwrap();
    let bleed = 3.0 * 72.0 / 25.4;
    let mut marks_checked = 0;
    for &id in pdf.get_pages().values() {
        let page = pdf.get_dictionary(id).unwrap();
        let media = numbers(page.get(b"MediaBox").unwrap());
        let trim = numbers(page.get(b"TrimBox").unwrap());
        let bleed_box = numbers(page.get(b"BleedBox").unwrap());
        assert!(
            ((trim[2] - trim[0]) - 419.53).abs() < 0.1 && ((trim[3] - trim[1]) - 595.28).abs() < 0.1,
            "{trim:?}"
        );
        for i in 0..2 {
            assert!((trim[i] - bleed_box[i] - bleed).abs() < 0.01, "{trim:?} {bleed_box:?}");
            assert!((bleed_box[i + 2] - trim[i + 2] - bleed).abs() < 0.01);
            assert!(media[i] <= bleed_box[i] && media[i + 2] >= bleed_box[i + 2]);
        }
        // Every mark segment stays outside the bleed box.
        let content = lopdf::content::Content::decode(&pdf.get_page_content(id)).unwrap();
        let mut at = (0.0, 0.0);
        for op in &content.operations {
            let xy =
                || (op.operands[0].as_float().unwrap() as f64, op.operands[1].as_float().unwrap() as f64);
            match op.operator.as_str() {
                "m" => at = xy(),
                "l" => {
                    let to = xy();
                    for (x, y) in [at, to] {
                        let inside =
                            x > bleed_box[0] && x < bleed_box[2] && y > bleed_box[1] && y < bleed_box[3];
                        assert!(!inside, "a mark at ({x}, {y}) is inside the bleed");
                    }
                    marks_checked += 1;
                }
                _ => {}
            }
        }
    }
    assert!(marks_checked >= 8 * out.pages.unwrap(), "crop marks on every page");
    // The print variant has no bookmarks.
    assert!(pdf.catalog().unwrap().get(b"Outlines").is_err());
}

#[test]
fn sheets_are_counted_and_page_starts_follow_the_padded_pages() {
    let out = render(&sample(), "a5-booklet");
    let starts = out.page_starts.len();
    assert_eq!(starts % 4, 0, "padded to whole sheets");
    assert_eq!(out.pages, Some(starts / 2), "two sides per sheet");
    assert_eq!(out.page_starts.last().unwrap().anchor, Anchor::Colophon, "the colophon stays the back page");
}

#[test]
fn signatures_are_booklets_in_sequence() {
    if !tool("pdftotext") {
        return;
    }
    let (mut set, fonts) = numbered_pages(20, false);
    let layout = booklet_layout("signatures", ", signature: 8");
    let sides = pdf::impose(&mut set, &layout, mimeo::model::Direction::Ltr).unwrap();
    let bytes = pdf::write_sheets(&mut set, &fonts, &sides, pdf::WriteOptions::default()).unwrap();
    assert_eq!(
        halves(&bytes, sides[0].width),
        vec![[8, 1], [2, 7], [6, 3], [4, 5], [16, 9], [10, 15], [14, 11], [12, 13], [20, 17], [18, 19]]
    );
}

#[test]
fn a_sheet_too_small_is_an_error() {
    let (mut set, _) = numbered_pages(8, false);
    let layout = booklet_layout("booklet", ", sheet: { width: 210mm, height: 148mm }");
    let err = pdf::impose(&mut set, &layout, mimeo::model::Direction::Ltr).unwrap_err();
    assert!(err.message.contains("do not fit"), "{err}");
}

#[test]
fn links_are_annotations_on_screen_and_absent_in_print() {
    let doc = parse(
        "---\ntitle: Links\nlanguage: en\n---\n\nRead [the archive](https://example.org/archive) online.\n",
    );
    let uris = |bytes: &[u8]| -> Vec<String> {
        let pdf = Pdf::load_mem(bytes).unwrap();
        let mut found = Vec::new();
        for object in pdf.objects.values() {
            let Ok(d) = object.as_dict() else { continue };
            if d.get(b"Subtype").and_then(Object::as_name).ok() == Some(b"Link") {
                let action = dict(&pdf, d.get(b"A").unwrap());
                found.push(
                    String::from_utf8_lossy(action.get(b"URI").unwrap().as_str().unwrap()).into_owned(),
                );
            }
        }
        found
    };
    assert_eq!(uris(&render(&doc, "a5").bytes), ["https://example.org/archive"]);
    assert!(uris(&render(&doc, "a5-print").bytes).is_empty(), "no annotations in print");
}

#[test]
fn creep_moves_inner_sheets_toward_the_spine() {
    let (mut set, _) = numbered_pages(12, false);
    let layout = booklet_layout("booklet", ", creep: 0.5mm");
    let sides = pdf::impose(&mut set, &layout, mimeo::model::Direction::Ltr).unwrap();
    let step = 0.5 * 72.0 / 25.4;
    let spine = sides[0].width / 2.0;
    for (k, side) in sides.iter().enumerate() {
        let sheet = (k / 2) as f64;
        let [left, right] = [side.placements[0], side.placements[1]];
        // The left page's right edge and the right page's left edge move in.
        assert!((left.x + set.width - (spine + sheet * step)).abs() < 0.01, "side {k}");
        assert!((right.x - (spine - sheet * step)).abs() < 0.01, "side {k}");
    }
}

#[test]
fn the_sample_booklet_prints_the_right_folios_on_each_half() {
    if !tool("pdftotext") {
        return;
    }
    let out = render(&sample(), "a5-booklet");
    let pages = out.page_starts.len();
    let expected: Vec<[String; 2]> = pdf::booklet_sides(pages, false)
        .into_iter()
        .map(|[l, r]| [out.page_starts[l].label.clone(), out.page_starts[r].label.clone()])
        .collect();
    let pdf = Pdf::load_mem(&out.bytes).unwrap();
    let first = *pdf.get_pages().values().next().unwrap();
    let media = numbers(pdf.get_dictionary(first).unwrap().get(b"MediaBox").unwrap());
    let (w, h) = (media[2], media[3]);
    let found: Vec<[String; 2]> = word_positions(&out.bytes)
        .iter()
        .map(|words| {
            let mut side = [String::new(), String::new()];
            for (text, x, y) in words {
                if *y > h * 0.9 && text.chars().all(|c| c.is_ascii_digit()) {
                    side[usize::from(*x > w / 2.0)] = text.clone();
                }
            }
            side
        })
        .collect();
    assert_eq!(found, expected);
    assert!(found.iter().flatten().filter(|f| !f.is_empty()).count() >= pages - 4);
}

/// Each bio opens with its participant's name: the bio's own first words
/// when they are the name (not printed twice), else the name and a colon.
#[test]
fn bios_open_with_the_participants_name() {
    if !tool("pdftotext") {
        return;
    }
    let doc = parse(
        "---\ntitle: Bios\nparticipants:\n  - name: Ann Moss\n    bio: Teaches history.\n  \
         - name: Bo Lee\n    bio: Bo Lee is a writer.\n---\n\nAnn Moss: Hello.\n",
    );
    let text = pdftotext(&render(&doc, "a5").bytes, None);
    assert!(text.contains("Ann Moss: Teaches history."), "{text}");
    assert!(text.contains("Bo Lee is a writer.") && !text.contains("Bo Lee: Bo Lee"), "{text}");
}
