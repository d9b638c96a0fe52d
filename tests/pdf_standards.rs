//! PDF/X-4 for print files (print and riso variants, covers) and PDF/UA-1
//! for screen files (issue 20). No veraPDF is to be had from the registries
//! this project reaches (no PyPI or npm package ships its jar; veraPDF does
//! not check PDF/X at all), so the clauses are checked here on the file's
//! objects: ISO 15930-7 (output intent with an embedded CMYK output
//! profile, Trapped, PDF 1.6, boxes, XMP identification, embedded fonts, no
//! RGB, no encryption or scripts) and ISO 14289-1 (pdfuaid, DisplayDocTitle,
//! tagged content, links in the structure tree with Contents, Tabs, note
//! ids, figure Alt, fonts with ToUnicode).

mod common;
use common::print::*;

use std::path::Path;

use lopdf::{Dictionary, Document as Pdf, Object, ObjectId, content::Content};
use mimeo::backend::{Context, pdf};
use mimeo::model::{Anchor, Document, PageStart};

fn parse(markdown: &str) -> Document {
    mimeo::source::parse_bytes(Path::new("test.md"), markdown.as_bytes()).expect("parses").document
}

fn catalog(pdf: &Pdf) -> &Dictionary {
    pdf.catalog().expect("a catalog")
}

fn resolve<'a>(pdf: &'a Pdf, object: &'a Object) -> &'a Object {
    match object {
        Object::Reference(id) => pdf.get_object(*id).expect("a live reference"),
        other => other,
    }
}

fn dict<'a>(pdf: &'a Pdf, d: &'a Dictionary, key: &[u8]) -> &'a Dictionary {
    resolve(pdf, d.get(key).unwrap_or_else(|_| panic!("no /{}", String::from_utf8_lossy(key))))
        .as_dict()
        .unwrap()
}

fn name_of<'a>(d: &'a Dictionary, key: &[u8]) -> &'a [u8] {
    d.get(key).and_then(Object::as_name).unwrap_or(b"")
}

/// The XMP packet, parsed: `(namespace, local name) → text`.
fn xmp(pdf: &Pdf) -> Vec<(String, String, String)> {
    let Object::Stream(stream) = resolve(pdf, catalog(pdf).get(b"Metadata").expect("XMP metadata")) else {
        panic!("the metadata is a stream")
    };
    assert!(stream.dict.get(b"Filter").is_err(), "the XMP stays uncompressed");
    let text = String::from_utf8(stream.content.clone()).unwrap();
    let start = text.find("<x:xmpmeta").unwrap();
    let end = text.find("</x:xmpmeta>").unwrap() + "</x:xmpmeta>".len();
    let tree = roxmltree::Document::parse(&text[start..end]).expect("the XMP is well-formed XML");
    tree.descendants()
        .filter(|n| n.is_element())
        .map(|n| {
            let text: String = n.descendants().filter(|d| d.is_text()).filter_map(|d| d.text()).collect();
            (n.tag_name().namespace().unwrap_or("").to_string(), n.tag_name().name().to_string(), text)
        })
        .collect()
}

fn xmp_value(xmp: &[(String, String, String)], ns: &str, name: &str) -> Option<String> {
    xmp.iter().find(|(n, l, _)| n == ns && l == name).map(|(_, _, t)| t.trim().to_string())
}

const PDF_NS: &str = "http://ns.adobe.com/pdf/1.3/";
const PDFX_NS: &str = "http://www.npes.org/pdfx/ns/id/";
const MM_NS: &str = "http://ns.adobe.com/xap/1.0/mm/";
const UA_NS: &str = "http://www.aiim.org/pdfua/ns/id/";

/// Every colour space named anywhere (resources, images, inline arrays)
/// and every colour operator of every content stream.
fn colour_use(pdf: &Pdf) -> (Vec<String>, Vec<(String, usize)>) {
    let mut spaces = Vec::new();
    let mut ops = Vec::new();
    fn names(object: &Object, out: &mut Vec<String>) {
        match object {
            Object::Name(n) => out.push(String::from_utf8_lossy(n).into_owned()),
            Object::Array(a) => a.iter().for_each(|o| names(o, out)),
            Object::Dictionary(d) => d.iter().for_each(|(_, o)| names(o, out)),
            _ => {}
        }
    }
    // Soft masks are gray by definition: shape, not colour.
    let masks: Vec<ObjectId> = pdf
        .objects
        .values()
        .filter_map(|o| o.as_stream().ok())
        .filter_map(|s| s.dict.get(b"SMask").and_then(Object::as_reference).ok())
        .collect();
    for (id, object) in &pdf.objects {
        if masks.contains(id) {
            continue;
        }
        let d = match object {
            Object::Dictionary(d) => d,
            Object::Stream(s) => &s.dict,
            _ => continue,
        };
        for key in [&b"ColorSpace"[..], b"CS", b"Alternate"] {
            if let Ok(o) = d.get(key) {
                names(resolve(pdf, o), &mut spaces);
            }
        }
        if let Object::Stream(stream) = object {
            // ICC profiles say what they are by their component count.
            if d.get(b"N").is_ok() && d.get(b"Subtype").is_err() {
                let n = d.get(b"N").and_then(Object::as_i64).unwrap();
                spaces.push(format!("ICC{n}"));
            }
            if name_of(d, b"Subtype") == b"Image" {
                continue;
            }
            let data = stream.decompressed_content().unwrap_or_else(|_| stream.content.clone());
            let Ok(content) = Content::decode(&data) else { continue };
            for op in content.operations {
                if ["rg", "RG", "k", "K", "g", "G", "sc", "SC", "scn", "SCN", "cs", "CS"]
                    .contains(&op.operator.as_str())
                {
                    ops.push((op.operator.clone(), op.operands.len()));
                }
            }
        }
    }
    (spaces, ops)
}

fn check_pdf_x4(bytes: &[u8], what: &str) {
    assert!(bytes.starts_with(b"%PDF-1.6"), "{what}: PDF/X-4 is PDF 1.6");
    let pdf = Pdf::load_mem(bytes).unwrap();
    assert!(pdf.trailer.get(b"Encrypt").is_err(), "{what}: not encrypted");
    let id = pdf.trailer.get(b"ID").and_then(Object::as_array).expect("a file identifier");
    assert_eq!(id.len(), 2);
    let root = catalog(&pdf);
    assert!(root.get(b"OpenAction").is_err() && root.get(b"AA").is_err(), "{what}: no actions");
    // The output intent: GTS_PDFX, a registered condition, an embedded CMYK output profile.
    let intents = resolve(&pdf, root.get(b"OutputIntents").expect("output intents")).as_array().unwrap();
    assert_eq!(intents.len(), 1);
    let intent = resolve(&pdf, &intents[0]).as_dict().unwrap();
    assert_eq!(name_of(intent, b"Type"), b"OutputIntent");
    assert_eq!(name_of(intent, b"S"), b"GTS_PDFX");
    assert_eq!(intent.get(b"OutputConditionIdentifier").unwrap().as_str().unwrap(), b"FOGRA39");
    assert_eq!(intent.get(b"RegistryName").unwrap().as_str().unwrap(), b"http://www.color.org");
    let Object::Stream(profile) = resolve(&pdf, intent.get(b"DestOutputProfile").unwrap()) else {
        panic!("{what}: the profile is a stream")
    };
    assert_eq!(profile.dict.get(b"N").unwrap().as_i64().unwrap(), 4);
    let icc = profile.decompressed_content().unwrap_or_else(|_| profile.content.clone());
    assert_eq!(icc, std::fs::read("icc/mimeo-FOGRA39L.icc").unwrap(), "{what}: the bundled profile");
    assert_eq!(&icc[12..20], b"prtrCMYK", "{what}: an output profile for CMYK");
    assert_eq!(u32::from_be_bytes(icc[0..4].try_into().unwrap()) as usize, icc.len());
    assert_eq!(icc[8], 2, "{what}: ICC v2 (PDF 1.6 reads up to v4)");
    // Trapped, in the info and the XMP alike; the XMP identification.
    let info = dict(&pdf, &pdf.trailer, b"Info");
    assert_eq!(name_of(info, b"Trapped"), b"False", "{what}: /Trapped");
    assert!(info.get(b"Title").is_ok() && info.get(b"CreationDate").is_ok() && info.get(b"ModDate").is_ok());
    let xmp = xmp(&pdf);
    assert_eq!(xmp_value(&xmp, PDFX_NS, "GTS_PDFXVersion").as_deref(), Some("PDF/X-4"), "{what}");
    assert_eq!(xmp_value(&xmp, PDF_NS, "Trapped").as_deref(), Some("False"));
    let doc_id = xmp_value(&xmp, MM_NS, "DocumentID").expect("xmpMM:DocumentID");
    assert!(doc_id.starts_with("uuid:") && doc_id.len() == 41, "{doc_id}");
    assert!(xmp_value(&xmp, MM_NS, "InstanceID").is_some());
    assert_eq!(xmp_value(&xmp, MM_NS, "VersionID").as_deref(), Some("1"));
    assert_eq!(xmp_value(&xmp, MM_NS, "RenditionClass").as_deref(), Some("default"));
    for key in ["CreateDate", "ModifyDate", "MetadataDate"] {
        assert!(xmp_value(&xmp, "http://ns.adobe.com/xap/1.0/", key).is_some(), "{what}: xmp:{key}");
    }
    assert!(
        xmp.iter().any(|(n, l, t)| n == "http://purl.org/dc/elements/1.1/" && l == "title" && !t.is_empty())
    );
    assert!(xmp_value(&xmp, UA_NS, "part").is_none(), "{what}: a print file is not tagged");
    // The info dictionary agrees with the XMP.
    let dc = "http://purl.org/dc/elements/1.1/";
    for (key, ns, name) in [
        (&b"Title"[..], dc, "title"),
        (b"Subject", dc, "description"),
        (b"Producer", PDF_NS, "Producer"),
        (b"Creator", "http://ns.adobe.com/xap/1.0/", "CreatorTool"),
    ] {
        let Ok(value) = info.get(key) else { continue };
        assert_eq!(
            Some(pdf_text(value)),
            xmp_value(&xmp, ns, name),
            "{what}: /{}",
            String::from_utf8_lossy(key)
        );
    }
    // Boxes: Trim inside Bleed inside Media on every page; no annotations.
    for (n, id) in pdf.get_pages() {
        let page = pdf.get_dictionary(id).unwrap();
        let get =
            |key: &[u8]| numbers(page.get(key).unwrap_or_else(|_| panic!("{what}: page {n} has no box")));
        let (media, bleed, trim) = (get(b"MediaBox"), get(b"BleedBox"), get(b"TrimBox"));
        let inside = |a: &[f64], b: &[f64]| {
            a[0] >= b[0] - 1e-3 && a[1] >= b[1] - 1e-3 && a[2] <= b[2] + 1e-3 && a[3] <= b[3] + 1e-3
        };
        assert!(inside(&trim, &bleed) && inside(&bleed, &media), "{what}: page {n} boxes");
        assert!(page.get(b"Annots").is_err(), "{what}: page {n} has annotations");
    }
    // Every font embedded.
    for object in pdf.objects.values() {
        if let Object::Dictionary(d) = object
            && name_of(d, b"Type") == b"FontDescriptor"
        {
            assert!(
                [&b"FontFile"[..], b"FontFile2", b"FontFile3"].iter().any(|k| d.get(k).is_ok()),
                "{what}: a font is not embedded"
            );
        }
        if let Object::Dictionary(d) = object {
            assert!(d.get(b"JS").is_err() && name_of(d, b"S") != b"JavaScript", "{what}: no JavaScript");
        }
    }
}

/// No RGB of any kind: no RGB space, no 3-component profile, no `rg`/`RG`
/// and no three-operand `sc`/`scn`.
fn check_no_rgb(bytes: &[u8], what: &str) {
    let pdf = Pdf::load_mem(bytes).unwrap();
    let (spaces, ops) = colour_use(&pdf);
    for space in &spaces {
        assert!(!["DeviceRGB", "CalRGB", "ICC3"].contains(&space.as_str()), "{what}: {space}");
    }
    for (op, operands) in &ops {
        assert!(!["rg", "RG"].contains(&op.as_str()), "{what}: `{op}`");
        assert!(!(["sc", "SC", "scn", "SCN"].contains(&op.as_str()) && *operands == 3), "{what}: RGB `{op}`");
    }
}

/// A folder with a source holding a colour picture and a link.
fn picture_source(dir: &Path) -> Document {
    let disc = image::RgbaImage::from_fn(300, 200, |x, _| image::Rgba([200, (x % 256) as u8, 30, 255]));
    disc.save(dir.join("disc.png")).unwrap();
    let source = "---\ntitle: Colour\nlanguage: en\nparticipants:\n  - name: Ann\n    bio: b\n---\n\n\
                  Ann: A red picture follows; read [the archive](https://example.org/archive).[^1]\n\n\
                  ![A red stripe](disc.png)\n\nAnn: After it.\n\n[^1]: A note.\n";
    std::fs::write(dir.join("s.md"), source).unwrap();
    mimeo::source::parse_file(&dir.join("s.md")).expect("parses").document
}

#[test]
fn print_and_riso_files_are_pdf_x4_without_rgb() {
    let sample = sample();
    for layout in ["a5-print", "a5-booklet", "a5-riso", "a5-riso-pink"] {
        let bytes = render(&sample, layout).bytes;
        check_pdf_x4(&bytes, layout);
        check_no_rgb(&bytes, layout);
    }
    // A colour picture in a black-only file is gray; in a riso file, one ink.
    let dir = tempfile::tempdir().unwrap();
    let doc = picture_source(dir.path());
    let bytes = render(&doc, "a5-print").bytes;
    check_pdf_x4(&bytes, "a5-print with a picture");
    check_no_rgb(&bytes, "a5-print with a picture");
    let (spaces, _) = colour_use(&Pdf::load_mem(&bytes).unwrap());
    assert!(spaces.iter().any(|s| s == "DeviceGray"), "the picture is gray: {spaces:?}");
    let riso = render(&doc, "a5-riso").bytes;
    check_pdf_x4(&riso, "a5-riso with a picture");
    let (spaces, ops) = colour_use(&Pdf::load_mem(&riso).unwrap());
    for space in &spaces {
        assert!(!["DeviceRGB", "DeviceGray", "ICC3"].contains(&space.as_str()), "riso: {space}");
    }
    assert!(ops.iter().all(|(op, _)| !["rg", "RG", "k", "K", "g", "G"].contains(&op.as_str())), "{ops:?}");
}

#[test]
fn covers_are_pdf_x4() {
    let source = "---\ntitle: \"A Cover\"\nlanguage: en\nidentifier: \"isbn:978-0-306-40615-7\"\n\
                  description: \"A blurb.\"\nparticipants:\n  - name: Ana\n    bio: Ana asks.\n---\n\n\
                  **Ana:** Because.\n";
    let starts: Vec<PageStart> = (0..120)
        .map(|n| PageStart {
            label: (n + 1).to_string(),
            anchor: Anchor::Colophon,
            piece: None,
            blank: false,
        })
        .collect();
    for (layout, interior) in [("a5-cover", "a5-print"), ("a5-riso-cover", "a5-riso")] {
        let ctx =
            Context { epoch: 1_600_000_000, print_pages: Some((interior, &starts)), ..Default::default() };
        let bytes = pdf::render(&parse(source), &pdf_layout(layout), &ctx).expect("renders").bytes;
        check_pdf_x4(&bytes, layout);
        check_no_rgb(&bytes, layout);
    }
}

#[test]
fn screen_files_are_pdf_ua1_and_claim_no_pdf_x() {
    let dir = tempfile::tempdir().unwrap();
    let doc = picture_source(dir.path());
    let bytes = render(&doc, "a5").bytes;
    let pdf = Pdf::load_mem(&bytes).unwrap();
    let root = catalog(&pdf);
    assert!(root.get(b"OutputIntents").is_err(), "a screen file has no print intent");
    let xmp = xmp(&pdf);
    assert_eq!(xmp_value(&xmp, UA_NS, "part").as_deref(), Some("1"));
    assert!(xmp_value(&xmp, PDFX_NS, "GTS_PDFXVersion").is_none());
    assert!(
        xmp.iter()
            .any(|(n, l, t)| n == "http://purl.org/dc/elements/1.1/" && l == "title" && t.contains("Colour"))
    );
    // 7.1: tagged, the title shown, a language.
    assert!(dict(&pdf, root, b"MarkInfo").get(b"Marked").unwrap().as_bool().unwrap());
    assert!(dict(&pdf, root, b"ViewerPreferences").get(b"DisplayDocTitle").unwrap().as_bool().unwrap());
    assert!(!root.get(b"Lang").unwrap().as_str().unwrap().is_empty());
    let tree = dict(&pdf, root, b"StructTreeRoot");
    let nums = dict(&pdf, tree, b"ParentTree").get(b"Nums").unwrap().as_array().unwrap().clone();
    let parent = |key: i64| -> Object {
        let at =
            nums.chunks(2).find(|c| c[0].as_i64().unwrap() == key).unwrap_or_else(|| panic!("no key {key}"));
        at[1].clone()
    };
    let next = tree.get(b"ParentTreeNextKey").unwrap().as_i64().unwrap();
    assert_eq!(nums.len() as i64, 2 * next, "every key below ParentTreeNextKey is in the parent tree");
    // 7.18: each link annotation says where it goes, is reached by Tab in
    // structure order, and is a Link element's object reference.
    let mut links = 0;
    for (_, page_id) in pdf.get_pages() {
        let page = pdf.get_dictionary(page_id).unwrap();
        let Ok(annots) = page.get(b"Annots").and_then(Object::as_array) else { continue };
        assert_eq!(name_of(page, b"Tabs"), b"S");
        for annot in annots {
            let annot_id: ObjectId = annot.as_reference().expect("annotations are indirect");
            let a = pdf.get_dictionary(annot_id).unwrap();
            assert_eq!(name_of(a, b"Subtype"), b"Link");
            let contents = a.get(b"Contents").expect("/Contents").as_str().unwrap();
            let contents = match contents.strip_prefix(&[0xFE, 0xFF][..]) {
                Some(utf16) => String::from_utf16(
                    &utf16.chunks(2).map(|c| u16::from_be_bytes([c[0], c[1]])).collect::<Vec<u16>>(),
                )
                .unwrap(),
                None => String::from_utf8(contents.to_vec()).unwrap(),
            };
            assert_eq!(contents, "https://example.org/archive");
            let key = a.get(b"StructParent").expect("/StructParent").as_i64().unwrap();
            let link = pdf.get_dictionary(parent(key).as_reference().unwrap()).unwrap();
            assert_eq!(name_of(link, b"S"), b"Link");
            let kids = link.get(b"K").unwrap().as_array().unwrap();
            let objr = kids.iter().find_map(|k| k.as_dict().ok().filter(|d| name_of(d, b"Type") == b"OBJR"));
            assert_eq!(objr.unwrap().get(b"Obj").unwrap().as_reference().unwrap(), annot_id);
            // Inside the paragraph the link's text is in.
            let up = pdf.get_dictionary(link.get(b"P").unwrap().as_reference().unwrap()).unwrap();
            assert_eq!(name_of(up, b"S"), b"P");
            let siblings = up.get(b"K").unwrap().as_array().unwrap();
            assert!(siblings.iter().any(|k| k.as_reference().ok() == parent(key).as_reference().ok()));
            links += 1;
        }
    }
    assert_eq!(links, 1);
    check_marked(&pdf, "a5 with a picture");
    let sample = Pdf::load_mem(&render(&sample(), "a5").bytes).unwrap();
    check_marked(&sample, "the sample in a5");
    // 7.3 figures have Alt; 7.9 notes have an ID.
    let mut seen = (0, 0);
    for object in pdf.objects.values() {
        let Object::Dictionary(d) = object else { continue };
        if name_of(d, b"Type") != b"StructElem" {
            continue;
        }
        match name_of(d, b"S") {
            b"Figure" => {
                assert!(d.get(b"Alt").is_ok(), "a figure without Alt");
                seen.0 += 1;
            }
            b"Note" => {
                assert!(!d.get(b"ID").unwrap().as_str().unwrap().is_empty(), "a note without ID");
                seen.1 += 1;
            }
            _ => {}
        }
    }
    // The footnote, and the note holding the link's address.
    assert_eq!(seen, (1, 2));
    // 7.21: every font embedded, with a ToUnicode map.
    for object in pdf.objects.values() {
        let Object::Dictionary(d) = object else { continue };
        if name_of(d, b"Type") == b"Font" && name_of(d, b"Subtype") == b"Type0" {
            assert!(d.get(b"ToUnicode").is_ok(), "a font without ToUnicode");
        }
        if name_of(d, b"Type") == b"FontDescriptor" {
            assert!([&b"FontFile"[..], b"FontFile2", b"FontFile3"].iter().any(|k| d.get(k).is_ok()));
        }
    }
}

/// PDF/UA-1 7.1: every painting operator is inside marked content (a
/// structure element's or an artifact's), and marked content is balanced.
fn check_marked(pdf: &Pdf, what: &str) {
    let mut painted = 0;
    for (n, page_id) in pdf.get_pages() {
        let content = Content::decode(&pdf.get_page_content(page_id)).unwrap();
        let mut depth = 0usize;
        for op in &content.operations {
            match op.operator.as_str() {
                "BDC" | "BMC" => depth += 1,
                "EMC" => depth = depth.checked_sub(1).expect("balanced marked content"),
                "Tj" | "TJ" | "'" | "\"" | "f" | "f*" | "F" | "S" | "s" | "B" | "b" | "Do" | "sh" => {
                    assert!(depth > 0, "{what}: page {n}: `{}` outside marked content", op.operator);
                    painted += 1;
                }
                _ => {}
            }
        }
        assert_eq!(depth, 0, "{what}: page {n}: marked content left open");
    }
    assert!(painted > 10, "{what}: {painted} painting operators");
}

/// A PDF text string (UTF-16BE with its BOM, or PDFDocEncoding as ASCII).
fn pdf_text(object: &Object) -> String {
    let bytes = object.as_str().expect("a string");
    match bytes.strip_prefix(&[0xFE, 0xFF][..]) {
        Some(utf16) => String::from_utf16(
            &utf16.chunks(2).map(|c| u16::from_be_bytes([c[0], c[1]])).collect::<Vec<u16>>(),
        )
        .unwrap(),
        None => String::from_utf8(bytes.to_vec()).unwrap(),
    }
}
