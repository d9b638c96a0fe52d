//! The PDF writer (printpdf and its lopdf post-pass), read back with
//! lopdf: ToUnicode maps that give ligatures back as their letters, page
//! boxes and the registration colour of print-shop output, bookmarks that
//! point at the sheets that show their page, and reproducible bytes for
//! imposed output too; exact advances of TrueType fonts.

mod common;
use common::print::*;

use std::path::Path;

use lopdf::{Document as Pdf, Object};
use mimeo::backend::{Context, pdf};
use mimeo::layout::{self, Settings};

/// The `bfchar` targets of every ToUnicode map, as text.
fn unicode_targets(pdf: &Pdf) -> Vec<String> {
    let mut targets = Vec::new();
    for object in pdf.objects.values() {
        let Ok(font) = object.as_dict() else { continue };
        let Ok(id) = font.get(b"ToUnicode").and_then(Object::as_reference) else { continue };
        let stream = pdf.get_object(id).unwrap().as_stream().unwrap();
        let cmap = String::from_utf8(stream.decompressed_content().unwrap()).unwrap();
        for line in cmap.lines() {
            // `<code> <UTF-16BE hex>`
            let Some((_, target)) = line.split_once("> <") else { continue };
            let hex = target.trim_end_matches('>');
            let units: Vec<u16> = (0..hex.len() / 4)
                .map(|i| u16::from_str_radix(&hex[4 * i..4 * i + 4], 16).unwrap())
                .collect();
            targets.push(String::from_utf16(&units).unwrap());
        }
    }
    targets
}

#[test]
fn ligatures_map_back_to_their_letters() {
    let out = render(&sample(), "a5");
    let pdf = Pdf::load_mem(&out.bytes).unwrap();
    let targets = unicode_targets(&pdf);
    assert!(targets.len() > 50, "{} mappings", targets.len());
    assert!(!targets.iter().any(|t| t.contains('\u{FFFD}')), "a glyph maps to U+FFFD");
    // Libertine's standard ligatures (fi, ff, ft, Th, …) stand for two letters or more.
    let ligatures: Vec<&String> = targets.iter().filter(|t| t.chars().count() > 1).collect();
    assert!(ligatures.iter().any(|t| t.as_str() == "fi" || t.as_str() == "ff"), "{ligatures:?}");
}

#[test]
fn print_variant_has_bleed_registration_marks_and_no_bookmarks() {
    let out = render(&sample(), "a5-print");
    let pdf = Pdf::load_mem(&out.bytes).unwrap();
    assert!(pdf.version.as_str() >= "1.6");
    let bleed = 3.0 / 25.4 * 72.0;
    for &id in pdf.get_pages().values() {
        let page = pdf.get_dictionary(id).unwrap();
        let media = numbers(page.get(b"MediaBox").unwrap());
        let bleed_box = numbers(page.get(b"BleedBox").unwrap());
        let trim = numbers(page.get(b"TrimBox").unwrap());
        // A5 trimmed, grown by the bleed, inside a larger sheet (room for marks).
        assert!(
            (trim[2] - trim[0] - 419.53).abs() < 0.1 && (trim[3] - trim[1] - 595.28).abs() < 0.1,
            "{trim:?}"
        );
        for i in 0..2 {
            assert!((trim[i] - bleed_box[i] - bleed).abs() < 0.01, "{bleed_box:?} {trim:?}");
            assert!((bleed_box[i + 2] - trim[i + 2] - bleed).abs() < 0.01, "{bleed_box:?} {trim:?}");
            assert!(media[i] < bleed_box[i] && media[i + 2] > bleed_box[i + 2], "{media:?}");
        }
        let resources = pdf.get_dictionary(page.get(b"Resources").unwrap().as_reference().unwrap()).unwrap();
        let spaces = resources.get(b"ColorSpace").expect("marks have a colour space").as_dict().unwrap();
        let reg = spaces.get(b"Reg").unwrap().as_array().unwrap();
        assert_eq!(reg[0].as_name().unwrap(), b"Separation");
        assert_eq!(reg[1].as_name().unwrap(), b"All", "registration colour prints on every plate");
    }
    let catalog = pdf.catalog().unwrap();
    assert!(catalog.get(b"Outlines").is_err(), "the print variant has no bookmarks");
    assert_eq!(catalog.get(b"Lang").unwrap().as_str().unwrap(), b"en");
}

#[test]
fn spread_bookmarks_point_at_pages_of_the_file() {
    let out = render(&sample(), "a5-spreads");
    let pdf = Pdf::load_mem(&out.bytes).unwrap();
    let pages: Vec<_> = pdf.get_pages().into_values().collect();
    assert_eq!(pages.len(), out.pages.unwrap());
    let catalog = pdf.catalog().unwrap();
    let outlines = pdf.get_dictionary(catalog.get(b"Outlines").unwrap().as_reference().unwrap()).unwrap();
    let mut item = outlines.get(b"First").ok();
    let mut targets = Vec::new();
    while let Some(Object::Reference(id)) = item {
        let entry = pdf.get_dictionary(*id).unwrap();
        let dest = entry.get(b"Dest").unwrap().as_array().unwrap();
        let page = dest[0].as_reference().unwrap();
        targets.push(pages.iter().position(|&p| p == page).expect("a page of the file"));
        item = entry.get(b"Next").ok();
    }
    assert!(targets.len() >= 4, "{targets:?}");
    assert!(targets.windows(2).all(|w| w[0] <= w[1]), "{targets:?}");
}

#[test]
fn imposed_output_is_reproducible() {
    let doc = sample();
    let a = render(&doc, "a5-booklet");
    let b = render(&doc, "a5-booklet");
    assert!(a.bytes == b.bytes, "two renders differ");
    let pdf = Pdf::load_mem(&a.bytes).unwrap();
    let id = pdf.trailer.get(b"ID").unwrap().as_array().unwrap();
    assert_eq!(id[0], id[1]);
    assert_eq!(id[0].as_str().unwrap().len(), 16);
}

#[test]
fn truetype_fonts_keep_exact_advances() {
    let font = Path::new("/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf");
    if !font.exists() {
        eprintln!("note: {} is not installed; skipping", font.display());
        return;
    }
    let text = format!(
        "format: pdf\npage: {{ width: 148mm, height: 210mm }}\nmargins: {{ top: 16mm, bottom: 19mm, inside: 17mm, outside: 14mm }}\nbody: {{ size: 10pt, leading: 13pt }}\nfonts: {{ regular: {} }}\n",
        font.display()
    );
    let Settings::Pdf(layout) = layout::parse(Path::new("ttf.yaml"), &text, None).unwrap().settings else {
        panic!("not pdf")
    };
    let out = pdf::render(&sample(), &layout, &Context::default()).unwrap();
    let pdf = Pdf::load_mem(&out.bytes).unwrap();
    let mut checked = false;
    for object in pdf.objects.values() {
        let Ok(font) = object.as_dict() else { continue };
        let Ok(descendants) = font.get(b"DescendantFonts").and_then(Object::as_array) else { continue };
        let cid = descendants[0].as_dict().unwrap();
        if cid.get(b"Subtype").unwrap().as_name().unwrap() != b"CIDFontType2" {
            continue;
        }
        // DejaVu has 2048 units per em: advances in thousandths of an em
        // are fractional, and /W must say so (printpdf alone truncates).
        let widths: Vec<f64> = cid
            .get(b"W")
            .unwrap()
            .as_array()
            .unwrap()
            .iter()
            .filter_map(|o| o.as_array().ok())
            .flat_map(|run| numbers(&Object::Array(run.clone())))
            .collect();
        assert!(widths.len() > 20);
        assert!(widths.iter().any(|w| w.fract() != 0.0), "{widths:?}");
        let descriptor =
            pdf.get_dictionary(cid.get(b"FontDescriptor").unwrap().as_reference().unwrap()).unwrap();
        assert!(descriptor.get(b"FontFile2").is_ok());
        checked = true;
    }
    assert!(checked, "a TrueType CID font");
}
