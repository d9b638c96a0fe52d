//! Writing a [`SetDocument`] as PDF with printpdf.
//!
//! printpdf builds the document: the pages' drawing as printpdf ops
//! (shaped glyph runs as `TJ` arrays of glyph codes, so kerning and
//! ligatures survive; rules, print-shop marks, marked content for tagged PDF, link
//! annotations), the fonts as Type0/CID fonts, and the lopdf objects of it
//! all. Fonts are subset here with `subsetter` and printpdf embeds the
//! small subset it is handed (it subsets only with its heavy `text_layout`
//! feature). Pages placed on imposed sheets are written by printpdf as
//! extra pages and become Form XObjects (printpdf has none of its own).
//!
//! A post-pass on printpdf's lopdf document ([`finish`]) then sets what
//! printpdf gets wrong or lacks: page boxes as `[llx lly urx ury]` with a
//! BleedBox, the PDF 1.7 header, /Lang, XMP metadata, document info,
//! bookmarks, page labels, the structure tree, the forms, each font's
//! subset tag, descriptor, exact advances (/W; printpdf truncates them to
//! whole units) and ToUnicode map (made with printpdf's CMap writer from
//! the text each glyph stands for), compressed streams, and a file
//! identifier derived from the content, so that the same input gives the
//! same bytes.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use chrono::Datelike;
use pdf_lopdf::{Dictionary, Object, ObjectId, Stream, StringFormat};
use printpdf::{
    Codepoint, Color, CurTransMat, DictItem, FontId, LineDashPattern, LinePoint, Op, ParsedFont, PdfDocument,
    PdfFont, PdfFontHandle, PdfPage, PdfParseErrorSeverity, PdfSaveOptions, Point, Pt, Rect, TextItem,
    TextMatrix,
};
use subsetter::GlyphRemapper;

use super::compress::deflate;
use super::fonts::{FaceId, Fonts};
use super::impose::{Mark, Placement, SheetSide};
use super::set::{self, ElementRole, Picture, SetDocument, SetPage, Tag};
use super::svg;
use crate::diag::Diagnostic;
use crate::model::ImageFormat;

/// How a document is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WriteOptions {
    /// Bookmarks (the screen variant).
    pub outline: bool,
    /// Text and rules in black ink only, as DeviceCMYK K (the print variant).
    pub k_only: bool,
    /// A PDF/X-4 file (print and riso variants; see [`super::standard`]).
    pub pdf_x: bool,
}

impl Default for WriteOptions {
    fn default() -> Self {
        WriteOptions { outline: true, k_only: false, pdf_x: false }
    }
}

/// A face as embedded: its resource name and glyphs renumbered in the subset.
pub struct EmbeddedFont {
    pub face: FaceId,
    pub id: FontId,
    /// Subset tag and PostScript name, e.g. `ABCDEF+LinuxLibertineO`.
    pub base_name: String,
    /// Old glyph id → (new glyph id, advance in 1/1000 em), by old id: a
    /// lookup for every glyph drawn.
    pub glyphs: Vec<Option<(u16, f32)>>,
    /// The /W array: advances by character code (printpdf writes them in
    /// whole thousandths of an em; `finish` puts the exact ones).
    widths: Vec<Object>,
    /// The ToUnicode map: character code → the text of its glyph.
    pub unicode: printpdf::ToUnicodeCMap,
    descriptor: Descriptor,
}

/// Font descriptor values, from the original font's tables.
struct Descriptor {
    flags: i64,
    bbox: [f32; 4],
    italic_angle: f32,
    ascent: f32,
    descent: f32,
    cap_height: f32,
    stem_v: f32,
}

/// Write the whole document, one PDF page per set page.
pub fn write(set: &mut SetDocument, fonts: &Fonts) -> Result<Vec<u8>, Diagnostic> {
    let sides: Vec<SheetSide> = (0..set.pages.len())
        .map(|n| SheetSide {
            width: set.width,
            height: set.height,
            trim: [0.0, 0.0, set.width, set.height],
            bleed: [0.0, 0.0, set.width, set.height],
            placements: vec![Placement { page: Some(n), x: 0.0, y: 0.0, rotated: false }],
            marks: Vec::new(),
        })
        .collect();
    write_sheets(set, fonts, &sides, WriteOptions::default())
}

/// Write `sides` as the PDF's pages: each places set pages (as Form
/// XObjects, written once however often they are placed) and draws marks.
/// A side that is exactly one unmoved page gets the page's content itself.
/// The pages' drawing moves into the PDF (`set.pages[..].ops` are left
/// empty): a long document is not held twice.
pub fn write_sheets(
    set: &mut SetDocument,
    fonts: &Fonts,
    sides: &[SheetSide],
    options: WriteOptions,
) -> Result<Vec<u8>, Diagnostic> {
    let (embedded, parsed) = embed_fonts(set, fonts)?;
    let pictures_on: Vec<BTreeSet<usize>> = set.pages.iter().map(pictures_on_page).collect();
    let mut doc = PdfDocument::new(&set.info.title);
    for (font, parsed) in embedded.iter().zip(parsed) {
        doc.resources.fonts.map.insert(font.id.clone(), PdfFont::new(parsed));
    }
    // Tagged (structure tree, marked content) when pages are written as they
    // were set, for the screen: imposed sheets and print files are not read aloud.
    let tagged = options.outline && sides.iter().all(|s| is_direct(set, s));
    let mut layout = Layout {
        forms: vec![None; set.pages.len()],
        form_pages: Vec::new(),
        mcids: Vec::new(),
        links: Vec::new(),
    };
    let mut pages: Vec<PdfPage> =
        sides.iter().map(|side| side_page(set, side, &embedded, options, tagged, &mut layout)).collect();
    // The placed pages, as pages printpdf writes; `finish` turns them into
    // Form XObjects (printpdf has no page-as-XObject).
    for &n in &layout.form_pages {
        let mut ops = Vec::new();
        let emit =
            Emit { height: set.height, fonts: &embedded, k_only: options.k_only, links: false, roles: None };
        page_ops(&mut set.pages[n], &emit, &mut Vec::new(), &mut Vec::new(), &mut ops);
        pages.push(pdf_page(set.width, set.height, ops));
    }
    pages.push(pdf_page(set.width, set.height, font_page_ops(&embedded)));
    doc.with_pages(pages);

    // No compression here (done faster in `finish`), no subsetting (the
    // fonts are subset already), raw operators allowed (the registration
    // colour's `SCN` and the forms' `Do`, written by us).
    let save =
        PdfSaveOptions { optimize: false, subset_fonts: false, secure: false, image_optimization: None };
    let mut warnings = Vec::new();
    let mut pdf = doc.to_lopdf_document(&save, &mut warnings);
    drop(doc);
    if let Some(w) = warnings.iter().find(|w| w.severity == PdfParseErrorSeverity::Error) {
        return Err(Diagnostic::error(format!("cannot write the PDF: {}", w.msg)));
    }
    let tags = tagged.then_some((layout.mcids.as_slice(), layout.links.as_slice()));
    let placed = Placed { form_pages: &layout.form_pages, pictures_on: &pictures_on };
    finish(&mut pdf, set, sides, options, &embedded, placed, tags)?;
    let mut bytes = Vec::new();
    pdf.save_to(&mut bytes).map_err(|e| Diagnostic::error(format!("cannot write the PDF: {e}")))?;
    Ok(bytes)
}

/// A tagged file's marked content per side (the element of each mcid) and
/// the element each link annotation is in.
type Tags<'a> = (&'a [Vec<usize>], &'a [Vec<Option<usize>>]);

/// What the sides' pages need beyond their ops.
struct Layout {
    /// Per set page: its form's name, once placed on an imposed side.
    forms: Vec<Option<usize>>,
    /// The set pages written as forms, in order.
    form_pages: Vec<usize>,
    /// Per side: the structure element of each marked-content id.
    mcids: Vec<Vec<usize>>,
    /// Per side: the structure element each link annotation is in.
    links: Vec<Vec<Option<usize>>>,
}

/// How set pages are drawn.
struct Emit<'a> {
    height: f64,
    fonts: &'a [EmbeddedFont],
    k_only: bool,
    /// Link annotations (screen editions of unimposed pages).
    links: bool,
    /// Element roles, when text is marked as structure content and
    /// furniture as artifacts.
    roles: Option<&'a [ElementRole]>,
}

/// A side that is exactly one unmoved page of the set size, without marks.
fn is_direct(set: &SetDocument, side: &SheetSide) -> bool {
    match side.placements.as_slice() {
        [p] => {
            p.x == 0.0
                && p.y == 0.0
                && !p.rotated
                && side.width == set.width
                && side.height == set.height
                && side.marks.is_empty()
        }
        _ => false,
    }
}

fn pdf_page(width: f64, height: f64, ops: Vec<Op>) -> PdfPage {
    let (w, h) = (Pt(width as f32), Pt(height as f32));
    // The boxes are set right by `finish`.
    PdfPage {
        media_box: Rect::from_wh(w, h),
        trim_box: Rect::from_wh(w, h),
        crop_box: Rect::from_wh(w, h),
        ops,
    }
}

/// The printpdf page of one sheet side.
fn side_page(
    set: &mut SetDocument,
    side: &SheetSide,
    fonts: &[EmbeddedFont],
    options: WriteOptions,
    tagged: bool,
    layout: &mut Layout,
) -> PdfPage {
    let mut ops = Vec::new();
    let mut mcids = Vec::new();
    let mut links = Vec::new();
    if is_direct(set, side) {
        if let Some(n) = side.placements[0].page {
            let roles = tagged.then_some(set.elements.as_slice());
            let emit =
                Emit { height: set.height, fonts, k_only: options.k_only, links: options.outline, roles };
            page_ops(&mut set.pages[n], &emit, &mut mcids, &mut links, &mut ops);
        }
    } else {
        for placement in &side.placements {
            let Some(n) = placement.page else { continue };
            if set.pages[n].ops.is_empty() {
                continue;
            }
            if layout.forms[n].is_none() {
                layout.forms[n] = Some(layout.form_pages.len());
                layout.form_pages.push(n);
            }
            let (px, py) = (placement.x as f32, placement.y as f32);
            let (w, h) = (set.width as f32, set.height as f32);
            let matrix = if placement.rotated {
                [-1.0, 0.0, 0.0, -1.0, px + w, py + h]
            } else {
                [1.0, 0.0, 0.0, 1.0, px, py]
            };
            ops.push(Op::SaveGraphicsState);
            ops.push(Op::SetTransformationMatrix { matrix: CurTransMat::Raw(matrix) });
            ops.push(Op::Unknown {
                key: "Do".into(),
                value: vec![DictItem::Name(form_name(n).into_bytes())],
            });
            ops.push(Op::RestoreGraphicsState);
        }
        mark_ops(&side.marks, &mut ops);
    }
    layout.mcids.push(mcids);
    layout.links.push(links);
    pdf_page(side.width, side.height, ops)
}

/// A page that only names each font: printpdf embeds the fonts that its
/// own text operators use, and ours are raw `TJ`s ([`show_glyphs`]). The
/// page leaves the document in [`finish`].
fn font_page_ops(fonts: &[EmbeddedFont]) -> Vec<Op> {
    let mut ops = Vec::new();
    for font in fonts {
        ops.push(Op::StartTextSection);
        ops.push(Op::SetFont { font: PdfFontHandle::External(font.id.clone()), size: Pt(1.0) });
        let notdef = Codepoint { gid: 0, offset: 0.0, cid: Some(String::new()) };
        ops.push(Op::ShowText { items: vec![TextItem::GlyphIds(vec![notdef])] });
        ops.push(Op::EndTextSection);
    }
    ops
}

fn picture_name(image: usize) -> String {
    format!("Im{image}")
}

/// The pictures a set page draws.
fn pictures_on_page(page: &SetPage) -> BTreeSet<usize> {
    page.ops
        .iter()
        .filter_map(|op| if let set::Op::Image { image, .. } = op { Some(*image) } else { None })
        .collect()
}

/// A picture as an image XObject (and its soft mask, for transparency):
/// JPEG files as they are (DCTDecode) unless the edition is black only;
/// other formats decoded and compressed. `gray` turns colour to gray.
fn picture_object(
    pdf: &mut pdf_lopdf::Document,
    picture: &Picture,
    gray: bool,
) -> Result<ObjectId, Diagnostic> {
    let unreadable = |e: &dyn std::fmt::Display| {
        Diagnostic::error(format!("cannot print the picture {}: {e}", picture.path.display()))
    };
    if picture.format == ImageFormat::Svg {
        return svg_object(pdf, &picture.path, gray).map_err(|e| unreadable(&e));
    }
    let bytes = crate::files::read(&picture.path, crate::files::Kind::Picture).map_err(|e| unreadable(&e))?;
    if picture.format == ImageFormat::Jpeg {
        use image::ImageDecoder;
        let decoder = image::codecs::jpeg::JpegDecoder::new(std::io::Cursor::new(&bytes))
            .map_err(|e| unreadable(&e))?;
        let (w, h) = decoder.dimensions();
        let space: Option<&[u8]> = match decoder.original_color_type() {
            image::ExtendedColorType::L8 => Some(b"DeviceGray"),
            image::ExtendedColorType::Rgb8 if !gray => Some(b"DeviceRGB"),
            _ => None,
        };
        if let Some(space) = space {
            let mut dict = image_dict(w, h, space);
            dict.set("Filter", Object::Name(b"DCTDecode".to_vec()));
            let mut stream = Stream::new(dict, bytes);
            stream.allows_compression = false;
            return Ok(pdf.add_object(stream));
        }
    }
    let decoded = image::load_from_memory(&bytes).map_err(|e| unreadable(&e))?;
    Ok(image_object(pdf, &decoded, gray))
}

/// An SVG picture: a vector Form XObject, or in a black-only edition a
/// gray image drawn at 400 dpi at its natural size.
fn svg_object(pdf: &mut pdf_lopdf::Document, path: &std::path::Path, gray: bool) -> Result<ObjectId, String> {
    let drawing = svg::parse(path)?;
    if gray {
        let pixels = drawing.raster(400.0)?;
        return Ok(image_object(pdf, &image::DynamicImage::ImageRgba8(pixels), true));
    }
    drawing.form(pdf)
}

/// A decoded picture as an image XObject, its alpha as a soft mask.
fn image_object(pdf: &mut pdf_lopdf::Document, decoded: &image::DynamicImage, gray: bool) -> ObjectId {
    let (w, h) = (decoded.width(), decoded.height());
    let mask = decoded.color().has_alpha().then(|| {
        let alpha: Vec<u8> = decoded.to_rgba8().pixels().map(|p| p.0[3]).collect();
        let mut dict = image_dict(w, h, b"DeviceGray");
        dict.set("Filter", Object::Name(b"FlateDecode".to_vec()));
        pdf.add_object(Stream::new(dict, deflate(&alpha)))
    });
    let (space, samples): (&[u8], Vec<u8>) = if gray || !decoded.color().has_color() {
        (b"DeviceGray", decoded.to_luma8().into_raw())
    } else {
        (b"DeviceRGB", decoded.to_rgb8().into_raw())
    };
    let mut dict = image_dict(w, h, space);
    dict.set("Filter", Object::Name(b"FlateDecode".to_vec()));
    if let Some(mask) = mask {
        dict.set("SMask", Object::Reference(mask));
    }
    pdf.add_object(Stream::new(dict, deflate(&samples)))
}

fn image_dict(w: u32, h: u32, space: &[u8]) -> Dictionary {
    Dictionary::from_iter(vec![
        ("Type", Object::Name(b"XObject".to_vec())),
        ("Subtype", Object::Name(b"Image".to_vec())),
        ("Width", Object::Integer(i64::from(w))),
        ("Height", Object::Integer(i64::from(h))),
        ("ColorSpace", Object::Name(space.to_vec())),
        ("BitsPerComponent", Object::Integer(8)),
    ])
}

/// What the sides place besides text: the set pages written as forms
/// (by index into the extra pages printpdf wrote) and each set page's pictures.
struct Placed<'a> {
    form_pages: &'a [usize],
    pictures_on: &'a [BTreeSet<usize>],
}

/// A resource dictionary's XObjects: the named forms and pictures.
fn xobjects(entries: impl IntoIterator<Item = (String, ObjectId)>) -> Option<Object> {
    let dict: Dictionary =
        entries.into_iter().map(|(name, id)| (name.into_bytes(), Object::Reference(id))).collect();
    (!dict.is_empty()).then_some(Object::Dictionary(dict))
}

fn form_name(page: usize) -> String {
    format!("P{page}")
}

/// Marks in registration colour (the `/Reg` separation, added to the
/// page's resources by [`finish`]).
fn mark_ops(marks: &[Mark], ops: &mut Vec<Op>) {
    if marks.is_empty() {
        return;
    }
    ops.push(Op::SaveGraphicsState);
    ops.push(Op::SetColorSpaceStroke { id: "Reg".into() });
    ops.push(Op::Unknown { key: "SCN".into(), value: vec![DictItem::Real(1.0)] });
    let mut weight = None;
    for mark in marks {
        // Set when it changes: hairlines, and the wide collation marks.
        if weight != Some(mark.weight) {
            ops.push(Op::SetOutlineThickness { pt: Pt(mark.weight as f32) });
            weight = Some(mark.weight);
        }
        let dash =
            if mark.dashed { LineDashPattern::new(0.0, &[3.0, 2.0]) } else { LineDashPattern::solid() };
        ops.push(Op::SetLineDashPattern { dash });
        ops.push(line(mark.from, mark.to));
    }
    ops.push(Op::RestoreGraphicsState);
}

fn line(from: (f64, f64), to: (f64, f64)) -> Op {
    let point =
        |(x, y): (f64, f64)| LinePoint { p: Point { x: Pt(x as f32), y: Pt(y as f32) }, bezier: false };
    Op::DrawLine { line: printpdf::Line { points: vec![point(from), point(to)], is_closed: false } }
}

/// The drawing of one set page (taken from it), in PDF coordinates
/// (origin bottom left).
/// Marked-content ids are pushed to `mcids` (the element each stands for).
/// `links` gets the element each link annotation is in, in order.
fn page_ops(
    page: &mut SetPage,
    emit: &Emit,
    mcids: &mut Vec<usize>,
    links: &mut Vec<Option<usize>>,
    ops: &mut Vec<Op>,
) {
    let height = emit.height;
    if emit.k_only {
        let black = || Color::Cmyk(printpdf::Cmyk::new(0.0, 0.0, 0.0, 1.0, None));
        ops.push(Op::SetFillColor { col: black() });
        ops.push(Op::SetOutlineColor { col: black() });
    }
    // Per open marked-content sequence: whether its BDC was written.
    let mut open: Vec<bool> = Vec::new();
    // The elements open, and the last one closed: a line's links follow it.
    let mut elements: Vec<Option<usize>> = Vec::new();
    let mut last_closed = None;
    ops.reserve(page.ops.len() * 3);
    for op in &std::mem::take(&mut page.ops) {
        match op {
            set::Op::Text { x, y, run } | set::Op::Hidden { x, y, run } => {
                let Some(font) = emit.fonts.iter().find(|f| f.face == run.face) else { continue };
                let hidden = matches!(op, set::Op::Hidden { .. });
                // One text object per run, as printpdf would otherwise merge
                // runs of a baseline by its own (whole-unit) advances, not the
                // exact ones `finish` writes into /W.
                ops.push(Op::StartTextSection);
                let size = Pt(run.size as f32);
                ops.push(Op::SetFont { font: PdfFontHandle::External(font.id.clone()), size });
                let matrix = TextMatrix::Translate(Pt(*x as f32), Pt((height - y) as f32));
                ops.push(Op::SetTextMatrix { matrix });
                if hidden {
                    ops.push(Op::SetTextRenderingMode { mode: printpdf::TextRenderingMode::Invisible });
                }
                let (spacing, shown) = show_glyphs(run, font);
                if spacing != 0.0 {
                    ops.push(Op::SetCharacterSpacing { multiplier: spacing });
                }
                ops.push(shown);
                if spacing != 0.0 {
                    ops.push(Op::SetCharacterSpacing { multiplier: 0.0 });
                }
                if hidden {
                    ops.push(Op::SetTextRenderingMode { mode: printpdf::TextRenderingMode::Fill });
                }
                ops.push(Op::EndTextSection);
            }
            set::Op::Image { x, y, width, height: h, image } => {
                let bottom = height - y - h;
                ops.push(Op::SaveGraphicsState);
                let matrix = [*width as f32, 0.0, 0.0, *h as f32, *x as f32, bottom as f32];
                ops.push(Op::SetTransformationMatrix { matrix: CurTransMat::Raw(matrix) });
                ops.push(Op::Unknown {
                    key: "Do".into(),
                    value: vec![DictItem::Name(picture_name(*image).into_bytes())],
                });
                ops.push(Op::RestoreGraphicsState);
            }
            set::Op::Rule { x, y, width, thickness } => {
                let y = height - y;
                ops.push(Op::SaveGraphicsState);
                ops.push(Op::SetOutlineThickness { pt: Pt(*thickness as f32) });
                ops.push(line((*x, y), (x + width, y)));
                ops.push(Op::RestoreGraphicsState);
            }
            set::Op::Link { x, y, width, height: h, url } => {
                if emit.links {
                    let (top, bottom) = (height - y + h * 0.75, height - y - h * 0.25);
                    let rect = Rect {
                        x: Pt(*x as f32),
                        y: Pt(bottom as f32),
                        width: Pt(*width as f32),
                        height: Pt((top - bottom) as f32),
                        mode: None,
                        winding_order: None,
                    };
                    let link = printpdf::LinkAnnotation::new(
                        rect,
                        printpdf::Actions::Uri(url.clone()),
                        Some(printpdf::BorderArray::Solid([0.0, 0.0, 0.0])),
                        Some(printpdf::ColorArray::Transparent),
                        None,
                    );
                    ops.push(Op::LinkAnnotation { link });
                    links.push(elements.iter().rev().find_map(|e| *e).or(last_closed));
                }
            }
            set::Op::Fill { x, y, width, height: h } => {
                let rect = Rect::from_xywh(
                    Pt(*x as f32),
                    Pt((height - y - h) as f32),
                    Pt(*width as f32),
                    Pt(*h as f32),
                );
                ops.push(Op::DrawRectangle {
                    rectangle: Rect { mode: Some(printpdf::PaintMode::Fill), ..rect },
                });
            }
            set::Op::Turn { x, y, clockwise } => {
                // About (x, y) in PDF space: translate, turn, translate back.
                let (px, py) = (*x as f32, (height - y) as f32);
                let (s, c) = (if *clockwise { -1.0f32 } else { 1.0 }, 0.0f32);
                let matrix = [c, s, -s, c, px - c * px + s * py, py - s * px - c * py];
                ops.push(Op::SaveGraphicsState);
                ops.push(Op::SetTransformationMatrix { matrix: CurTransMat::Raw(matrix) });
            }
            set::Op::Unturn => ops.push(Op::RestoreGraphicsState),
            set::Op::Ink(n) => {
                // Full tint of the ink's Separation (named in `finish`).
                let id = super::inks::resource_name(*n);
                ops.push(Op::SetColorSpaceFill { id: id.clone() });
                ops.push(Op::Unknown { key: "scn".into(), value: vec![DictItem::Real(1.0)] });
                ops.push(Op::SetColorSpaceStroke { id });
                ops.push(Op::Unknown { key: "SCN".into(), value: vec![DictItem::Real(1.0)] });
            }
            set::Op::Actual(text) => {
                let mut utf16 = vec![0xFE, 0xFF];
                utf16.extend(text.encode_utf16().flat_map(u16::to_be_bytes));
                let actual = DictItem::String { data: utf16, literal: false };
                let properties = DictItem::Dict { map: BTreeMap::from([("ActualText".to_string(), actual)]) };
                ops.push(Op::BeginMarkedContentWithProperties { tag: "Span".into(), properties });
                open.push(true);
                elements.push(None);
            }
            set::Op::Begin(tag) => {
                open.push(emit.roles.is_some());
                elements.push(match tag {
                    Tag::Element(e) => Some(*e),
                    Tag::Artifact => None,
                });
                let Some(roles) = emit.roles else { continue };
                match tag {
                    Tag::Element(e) => {
                        let name = roles.get(*e).map_or("P", |r| role_name(*r));
                        let mcid = DictItem::Int(mcids.len() as i64);
                        mcids.push(*e);
                        let properties = DictItem::Dict { map: BTreeMap::from([("MCID".to_string(), mcid)]) };
                        ops.push(Op::BeginMarkedContentWithProperties { tag: name.into(), properties });
                    }
                    Tag::Artifact => ops.push(Op::BeginMarkedContent { tag: "Artifact".into() }),
                }
            }
            set::Op::End => {
                if let Some(Some(e)) = elements.pop() {
                    last_closed = Some(e);
                }
                if open.pop().unwrap_or(false) {
                    ops.push(Op::EndMarkedContent);
                }
            }
        }
    }
}

fn role_name(role: ElementRole) -> &'static str {
    match role {
        ElementRole::Title => "H1",
        ElementRole::Heading(2) => "H2",
        ElementRole::Heading(_) => "H3",
        ElementRole::Paragraph => "P",
        ElementRole::Code => "Code",
        ElementRole::Note => "Note",
        ElementRole::Figure(_) => "Figure",
    }
}

/// A run's glyphs as one `TJ` array, each glyph placed where the
/// typesetter put it: the pen the viewer keeps (advancing by the /W widths
/// and the numbers) is followed exactly, and a number is written wherever a
/// glyph is more than 1/1000 pt away from its place. Glyphs between numbers
/// share one string of 2-byte codes: printpdf's `TextItem::GlyphIds` writes
/// a hex string per glyph, which made serialising the text a third of the
/// whole build.
///
/// A letter-spaced line moves every glyph by the same amount: that is
/// written once, as the character spacing (`Tc`) returned beside the array,
/// instead of as a number before each glyph.
fn show_glyphs(run: &super::GlyphRun, font: &EmbeddedFont) -> (f32, Op) {
    // Two passes, so that the array and each string are allocated at their
    // exact size: a long document holds all its pages' arrays at once.
    let per_unit = run.size / 1000.0;
    // (code, advance in points, place) of each glyph the subset has.
    let shown: Vec<(u16, f64, f64)> = run
        .glyphs
        .iter()
        .filter_map(|&(id, gx)| {
            let (new, width) = font.glyphs.get(usize::from(id)).copied().flatten()?;
            Some((new, f64::from(width) * per_unit, gx))
        })
        .collect();
    let spacing = letter_spacing(&shown);
    let mut pieces: Vec<(usize, f32)> = Vec::new(); // (glyphs before a number, the number)
    let mut codes = Vec::with_capacity(shown.len());
    let mut pen = 0.0f64;
    for &(new, advance, gx) in &shown {
        let delta = gx - pen;
        if delta.abs() > 0.001 {
            // TJ numbers move the pen by -n/1000 em.
            let adjust = (-delta / per_unit) as f32;
            pieces.push((codes.len(), adjust));
            pen -= f64::from(adjust) * per_unit;
        }
        codes.push(new);
        pen += advance + f64::from(spacing);
    }
    let string = |codes: &[u16]| DictItem::String {
        data: codes.iter().flat_map(|c| c.to_be_bytes()).collect(),
        literal: true,
    };
    let mut array = Vec::with_capacity(pieces.len() * 2 + 1);
    let mut from = 0;
    for (at, adjust) in pieces {
        if at > from {
            array.push(string(&codes[from..at]));
        }
        array.push(DictItem::Real(adjust));
        from = at;
    }
    if codes.len() > from {
        array.push(string(&codes[from..]));
    }
    // A raw operator (written because `secure` is off): the text it shows
    // comes from the font's own ToUnicode map ([`finish`]).
    (spacing, Op::Unknown { key: "TJ".into(), value: vec![DictItem::Array(array)] })
}

/// The space most of a run's glyphs (code, advance, place) keep beyond
/// their advance, when more than half of them do: a justified line's
/// letter-spacing. Zero otherwise (kerning and word spaces are scattered,
/// and stay numbers in the array).
fn letter_spacing(shown: &[(u16, f64, f64)]) -> f32 {
    // Gaps counted by hundred-thousandths of a point: placements are sums of
    // the same f64s, so one spacing lands on one value.
    let gaps = || shown.windows(2).map(|w| ((w[1].2 - w[0].2 - w[0].1) * 1e5).round() as i64);
    // Boyer and Moore's majority vote: the one value that can be more than
    // half, then a count to see whether it is.
    let (mut candidate, mut votes) = (0, 0usize);
    for gap in gaps() {
        if votes == 0 {
            candidate = gap;
        }
        votes = if gap == candidate { votes + 1 } else { votes - 1 };
    }
    let same = gaps().filter(|&gap| gap == candidate).count();
    // Below 1/1000 pt no number would be written anyway.
    if candidate.abs() <= 100 || same * 2 <= shown.len().saturating_sub(1) {
        return 0.0;
    }
    (candidate as f64 / 1e5) as f32
}

/// A subset's glyph map as a table indexed by the font's own glyph ids.
fn dense(glyphs: &BTreeMap<u16, (u16, f32)>) -> Vec<Option<(u16, f32)>> {
    let size = glyphs.keys().next_back().map_or(0, |&last| usize::from(last) + 1);
    let mut table = vec![None; size];
    for (&old, &entry) in glyphs {
        table[usize::from(old)] = Some(entry);
    }
    table
}

/// Subset every face that has glyphs on the pages; printpdf gets the subset.
pub fn embed_fonts(
    set: &SetDocument,
    fonts: &Fonts,
) -> Result<(Vec<EmbeddedFont>, Vec<ParsedFont>), Diagnostic> {
    let mut out = Vec::new();
    let mut parsed_fonts = Vec::new();
    // Only glyphs that are drawn (shaping records also measured ones).
    let mut drawn: Vec<Vec<bool>> = vec![Vec::new(); FaceId::ALL.len()];
    for page in &set.pages {
        for op in &page.ops {
            if let set::Op::Text { run, .. } | set::Op::Hidden { run, .. } = op {
                let seen = &mut drawn[run.face.index()];
                for &(id, _) in &run.glyphs {
                    let id = usize::from(id);
                    if id >= seen.len() {
                        seen.resize(id + 1, false);
                    }
                    seen[id] = true;
                }
            }
        }
    }
    for face in FaceId::ALL {
        let used: Vec<u16> =
            drawn[face.index()].iter().enumerate().filter(|g| *g.1).map(|(id, _)| id as u16).collect();
        if used.is_empty() {
            continue;
        }
        let Some(data) = fonts.get(face) else { continue };
        let unusable = |e: &dyn std::fmt::Display| {
            Diagnostic::error(format!("`{}` is not a usable font: {e}", data.file))
        };
        let ttf = rustybuzz::ttf_parser::Face::parse(&data.bytes, data.index).map_err(|e| unusable(&e))?;
        let mut remapper = GlyphRemapper::new();
        remapper.remap(0);
        for &id in &used {
            remapper.remap(id);
        }
        let subset = subsetter::subset(&data.bytes, data.index, &remapper)
            .map_err(|e| Diagnostic::error(format!("cannot subset the font `{}`: {e}", data.file)))?;
        let tag = subset_tag(face, used.iter());
        let base_name = format!("{tag}+{}", data.postscript_name);
        let mut font_warnings = Vec::new();
        let mut parsed = ParsedFont::from_bytes(&subset, 0, &mut font_warnings)
            .ok_or_else(|| unusable(&"its subset cannot be read back"))?;
        parsed.font_name = Some(base_name.clone());

        let units = f32::from(ttf.units_per_em().max(1));
        let glyphs: BTreeMap<u16, (u16, f32)> = used
            .iter()
            .map(|&old| {
                let new = remapper.get(old).unwrap_or(0);
                let advance = ttf.glyph_hor_advance(rustybuzz::ttf_parser::GlyphId(old)).unwrap_or(0);
                (old, (new, f32::from(advance) * 1000.0 / units))
            })
            .collect();
        // The codes printpdf writes: glyph ids, or for a CID-keyed CFF the
        // CIDs its charset gives them.
        let cids = printpdf::cff_charset_gid_to_cid_map(&subset, 0);
        let code = |new: u16| cids.as_ref().map_or(Some(new), |m| m.get(&new).copied());
        let texts = &set.glyphs[face.index()];
        let mappings = glyphs
            .iter()
            .filter_map(|(old, &(new, _))| {
                let text = texts.get(old).filter(|t| !t.is_empty())?;
                Some((u32::from(code(new)?), text.chars().map(u32::from).collect()))
            })
            .collect();
        let mut by_code: Vec<(u16, f32)> =
            glyphs.values().filter_map(|&(new, advance)| Some((code(new)?, advance))).collect();
        by_code.sort_by_key(|g| g.0);
        let widths = width_array(&by_code);
        out.push(EmbeddedFont {
            face,
            id: FontId(format!("F{}", face.index())),
            base_name,
            glyphs: dense(&glyphs),
            widths,
            unicode: printpdf::ToUnicodeCMap { mappings },
            descriptor: descriptor(&ttf, face),
        });
        parsed_fonts.push(parsed);
    }
    Ok((out, parsed_fonts))
}

/// A /W array (PDF 32000 9.7.4.3): runs of consecutive codes, each as
/// `first [w1 w2 …]`.
fn width_array(by_code: &[(u16, f32)]) -> Vec<Object> {
    let mut array = Vec::new();
    let mut run: Vec<Object> = Vec::new();
    let mut next = None;
    for &(code, advance) in by_code {
        if next != Some(code) && !run.is_empty() {
            array.push(Object::Array(std::mem::take(&mut run)));
        }
        if run.is_empty() {
            array.push(Object::Integer(i64::from(code)));
        }
        run.push(Object::Real(advance));
        next = code.checked_add(1);
    }
    if !run.is_empty() {
        array.push(Object::Array(run));
    }
    array
}

fn descriptor(ttf: &rustybuzz::ttf_parser::Face, face: FaceId) -> Descriptor {
    let units = f32::from(ttf.units_per_em().max(1));
    let to_k = |v: f32| v * 1000.0 / units;
    let italic = ttf.is_italic() || matches!(face, FaceId::Italic | FaceId::BoldItalic);
    // PDF 32000 Table 123: FixedPitch 1, Serif 2, Nonsymbolic 6, Italic 7.
    let mut flags = 1 << 5;
    if italic {
        flags |= 1 << 6;
    }
    flags |= if ttf.is_monospaced() || face == FaceId::Mono { 1 } else { 1 << 1 };
    let bbox = ttf.global_bounding_box();
    let ascent = to_k(f32::from(ttf.ascender()));
    let weight = f32::from(ttf.weight().to_number());
    Descriptor {
        flags,
        bbox: [
            to_k(f32::from(bbox.x_min)),
            to_k(f32::from(bbox.y_min)),
            to_k(f32::from(bbox.x_max)),
            to_k(f32::from(bbox.y_max)),
        ],
        italic_angle: ttf.italic_angle(),
        ascent,
        descent: to_k(f32::from(ttf.descender())),
        cap_height: ttf.capital_height().map_or(ascent, |c| to_k(f32::from(c))),
        stem_v: 10.0 + 0.244 * (weight - 50.0),
    }
}

/// The post-pass over printpdf's document: what printpdf writes wrongly
/// or not at all. `form_pages` are the set pages printpdf wrote as extra
/// pages after the sides, to become Form XObjects; `tags` the marked
/// content of each side when the file is tagged.
fn finish(
    pdf: &mut pdf_lopdf::Document,
    set: &SetDocument,
    sides: &[SheetSide],
    options: WriteOptions,
    fonts: &[EmbeddedFont],
    placed: Placed,
    tags: Option<Tags>,
) -> Result<(), Diagnostic> {
    let form_pages = placed.form_pages;
    // CFF in OpenType (FontFile3 /OpenType) needs PDF 1.6.
    pdf.version = "1.7".into();
    let all: Vec<ObjectId> = pdf.get_pages().into_values().collect();
    if all.len() != sides.len() + form_pages.len() + 1 {
        return Err(broken("page for each side"));
    }
    let (page_ids, rest) = all.split_at(sides.len());
    let (form_page_ids, font_page) = rest.split_at(form_pages.len());
    let root = pdf.trailer.get(b"Root").and_then(Object::as_reference).map_err(|_| broken("catalog"))?;

    // Placed pages: their content streams become Form XObjects (with the
    // page's resources, clipped to the page), their pages leave the tree.
    let mut forms = BTreeMap::new();
    let mut font_dict = None;
    // Objects printpdf wrote that nothing refers to once this pass is done.
    let mut orphans = BTreeSet::new();
    let mut pictures = BTreeMap::new();
    for page in placed.pictures_on {
        for &image in page {
            if let std::collections::btree_map::Entry::Vacant(slot) = pictures.entry(image) {
                let spot = !set.info.inks.is_empty();
                let id = picture_object(pdf, &set.images[image], options.k_only || spot)?;
                if spot {
                    super::inks::picture_in_ink(pdf, id, &set.info.inks[set.info.picture_ink]);
                }
                slot.insert(id);
            }
        }
    }
    let pictures_of = |n: usize| placed.pictures_on[n].iter().map(|&i| (picture_name(i), pictures[&i]));
    for (&n, &id) in form_pages.iter().zip(form_page_ids) {
        let (contents, resources) = contents_and_resources(pdf, id)?;
        font_dict = font_dict.or(only_fonts(pdf, resources, &mut orphans)?);
        if let Some(dict) = xobjects(pictures_of(n)) {
            pdf.get_dictionary_mut(resources).map_err(|_| broken("resources"))?.set("XObject", dict);
        }
        if !set.info.inks.is_empty() {
            let spaces = super::inks::color_spaces(&set.info.inks);
            pdf.get_dictionary_mut(resources).map_err(|_| broken("resources"))?.set("ColorSpace", spaces);
        }
        let Ok(Object::Stream(stream)) = pdf.get_object_mut(contents) else { return Err(broken("contents")) };
        stream.dict.set("Type", Object::Name(b"XObject".to_vec()));
        stream.dict.set("Subtype", Object::Name(b"Form".to_vec()));
        stream.dict.set("BBox", rect([0.0, 0.0, set.width, set.height]));
        stream.dict.set("Resources", Object::Reference(resources));
        forms.insert(n, contents);
    }
    // The page that named the fonts goes, with its drawing and resources.
    for &id in font_page {
        let (contents, resources) = contents_and_resources(pdf, id)?;
        font_dict = font_dict.or(only_fonts(pdf, resources, &mut orphans)?);
        orphans.extend([contents, resources]);
    }
    let tree_id = pdf
        .get_dictionary(root)
        .and_then(|c| c.get(b"Pages"))
        .and_then(Object::as_reference)
        .map_err(|_| broken("page tree"))?;
    let tree = pdf.get_dictionary_mut(tree_id).map_err(|_| broken("page tree"))?;
    tree.set("Kids", Object::Array(page_ids.iter().map(|&id| Object::Reference(id)).collect()));
    tree.set("Count", Object::Integer(page_ids.len() as i64));
    for id in form_page_ids.iter().chain(font_page) {
        pdf.objects.remove(id);
    }

    // Sides: boxes as [llx lly urx ury], a BleedBox, no CropBox (it
    // defaults to the MediaBox); link annotations as indirect objects; the
    // forms they place and the registration colour where marks are drawn.
    // Tagged files: each link annotation (side, object, element it is in).
    let mut annotation_parents: Vec<(usize, ObjectId, Option<usize>)> = Vec::new();
    for (index, (side, &id)) in sides.iter().zip(page_ids).enumerate() {
        let page = pdf.get_dictionary_mut(id).map_err(|_| broken("page"))?;
        let media = [0.0, 0.0, side.width, side.height];
        let bleed = [
            side.bleed[0].max(0.0),
            side.bleed[1].max(0.0),
            side.bleed[2].min(side.width),
            side.bleed[3].min(side.height),
        ];
        page.set("MediaBox", rect(media));
        page.set("TrimBox", rect(side.trim));
        page.set("BleedBox", rect(bleed));
        page.remove(b"CropBox");
        if tags.is_some() {
            page.set("StructParents", Object::Integer(index as i64));
        }
        let annotations = match page.remove(b"Annots") {
            Some(Object::Array(annotations)) => annotations,
            _ => Vec::new(),
        };
        let resources =
            page.get(b"Resources").and_then(Object::as_reference).map_err(|_| broken("resources"))?;
        if !annotations.is_empty() {
            let mut refs = Vec::with_capacity(annotations.len());
            for (n, mut annotation) in annotations.into_iter().enumerate() {
                // PDF/UA: each link is in the structure tree and says where it goes.
                if let (Some((_, links)), Object::Dictionary(dict)) = (tags, &mut annotation) {
                    let key = sides.len() + annotation_parents.len();
                    dict.set("StructParent", Object::Integer(key as i64));
                    let uri = dict
                        .get(b"A")
                        .and_then(Object::as_dict)
                        .and_then(|a| a.get(b"URI"))
                        .and_then(Object::as_str)
                        .map(|u| String::from_utf8_lossy(u).into_owned());
                    if let Ok(uri) = uri {
                        dict.set("Contents", text(&uri));
                    }
                    let element = links.get(index).and_then(|l| l.get(n)).copied().flatten();
                    let annotation_id = pdf.add_object(annotation);
                    annotation_parents.push((index, annotation_id, element));
                    refs.push(Object::Reference(annotation_id));
                    continue;
                }
                refs.push(Object::Reference(pdf.add_object(annotation)));
            }
            let page = pdf.get_dictionary_mut(id).map_err(|_| broken("page"))?;
            page.set("Annots", Object::Array(refs));
            if tags.is_some() {
                page.set("Tabs", Object::Name(b"S".to_vec()));
            }
        }
        let fonts_here = only_fonts(pdf, resources, &mut orphans)?;
        font_dict = font_dict.or(fonts_here);
        let resources = pdf.get_dictionary_mut(resources).map_err(|_| broken("resources"))?;
        let placed_forms = side
            .placements
            .iter()
            .filter_map(|p| p.page.and_then(|n| forms.get(&n).map(|&f| (form_name(n), f))));
        let direct_pictures = side
            .placements
            .first()
            .and_then(|p| p.page)
            .filter(|_| is_direct(set, side))
            .into_iter()
            .flat_map(pictures_of);
        if let Some(dict) = xobjects(placed_forms.chain(direct_pictures)) {
            resources.set("XObject", dict);
        }
        if !side.marks.is_empty() || !set.info.inks.is_empty() {
            let mut spaces = super::inks::color_spaces(&set.info.inks);
            if !side.marks.is_empty() {
                spaces.set("Reg", registration());
            }
            resources.set("ColorSpace", spaces);
        }
    }

    // Fonts: the subset tag (printpdf writes one only when it subsets
    // itself), descriptor values from the original font's tables, and the
    // ToUnicode map of each glyph's text.
    if let Some(font_dict) = font_dict {
        let names: Vec<(Vec<u8>, ObjectId)> = pdf
            .get_dictionary(font_dict)
            .map_err(|_| broken("font dictionary"))?
            .iter()
            .filter_map(|(k, v)| v.as_reference().ok().map(|r| (k.clone(), r)))
            .collect();
        for (name, type0) in names {
            let Some(font) = fonts.iter().find(|f| f.id.0.as_bytes() == name.as_slice()) else { continue };
            fix_font(pdf, type0, font).ok_or_else(|| broken("usable font dictionary"))?;
        }
    }

    let info = &set.info;
    let file_id = file_id(set, sides);
    let claims = Claims { pdf_x: options.pdf_x, pdf_ua: tags.is_some(), id: &file_id };
    let mut xmp = Stream::new(
        Dictionary::from_iter(vec![("Type", Object::from("Metadata")), ("Subtype", Object::from("XML"))]),
        xmp(set, claims).into_bytes(),
    );
    xmp.allows_compression = false;
    let metadata = pdf.add_object(xmp);
    let outline = if options.outline { write_outline(pdf, set, sides, page_ids) } else { None };
    let labels = page_labels(pdf, set, sides);
    let structure = tags.and_then(|(tags, _)| write_structure(pdf, set, page_ids, tags, &annotation_parents));
    let intents = options.pdf_x.then(|| super::standard::output_intents(pdf));
    if options.pdf_x {
        // PDF/X-4 is PDF 1.6 (which CFF in OpenType needs, too).
        pdf.version = "1.6".into();
    }
    let catalog = pdf.get_dictionary_mut(root).map_err(|_| broken("catalog"))?;
    catalog.set("Lang", text(&info.language));
    catalog.set("Metadata", Object::Reference(metadata));
    // printpdf's defaults (one column, no panel open) are the viewers' own.
    for key in [&b"Outlines"[..], b"PageMode", b"PageLayout"] {
        catalog.remove(key);
    }
    if let Some(outline) = outline {
        catalog.set("Outlines", Object::Reference(outline));
        catalog.set("PageMode", Object::Name(b"UseOutlines".to_vec()));
    }
    if let Some(labels) = labels {
        catalog.set("PageLabels", Dictionary::from_iter(vec![("Nums", labels)]));
    }
    if let Some(structure) = structure {
        catalog.set("MarkInfo", Dictionary::from_iter(vec![("Marked", Object::Boolean(true))]));
        catalog.set("StructTreeRoot", Object::Reference(structure));
    }
    if tags.is_some() {
        // PDF/UA-1 7.1: the title, not the file name, in the window's bar.
        catalog.set(
            "ViewerPreferences",
            Dictionary::from_iter(vec![("DisplayDocTitle", Object::Boolean(true))]),
        );
    }
    if let Some(intents) = intents {
        catalog.set("OutputIntents", intents);
    }

    let date = Object::string_literal(pdf_date(info.epoch));
    let mut doc_info = Dictionary::new();
    doc_info.set("Title", text(&info.title));
    if !info.authors.is_empty() {
        doc_info.set("Author", text(&info.authors.join(", ")));
    }
    // As the XMP's dc:description (PDF/X-4 wants the two to agree).
    if let Some(subject) = info.description.as_deref().or(info.subtitle.as_deref()) {
        doc_info.set("Subject", text(subject));
    }
    if !info.keywords.is_empty() {
        doc_info.set("Keywords", text(&info.keywords.join(", ")));
    }
    doc_info.set("Creator", text("mimeo"));
    doc_info.set("Producer", text("mimeo"));
    doc_info.set("CreationDate", date.clone());
    doc_info.set("ModDate", date);
    if options.pdf_x {
        doc_info.set("Trapped", Object::Name(b"False".to_vec()));
    }
    let info_id = pdf.add_object(doc_info);
    if let Ok(old) = pdf.trailer.get(b"Info").and_then(Object::as_reference) {
        orphans.insert(old);
    }
    pdf.trailer.set("Info", Object::Reference(info_id));
    let id = Object::String(file_id, StringFormat::Hexadecimal);
    pdf.trailer.set("ID", Object::Array(vec![id.clone(), id]));
    for id in &orphans {
        pdf.objects.remove(id);
    }

    // Compress what is not yet: content streams, font programs, ToUnicode
    // maps (the fastest level; the metadata stays readable, as XMP asks).
    for object in pdf.objects.values_mut() {
        if let Object::Stream(stream) = object
            && stream.allows_compression
            && stream.dict.get(b"Filter").is_err()
        {
            let packed = deflate(&stream.content);
            stream.dict.set("Filter", Object::Name(b"FlateDecode".to_vec()));
            stream.set_content(packed);
        }
    }
    Ok(())
}

/// The content stream and resource dictionary printpdf wrote for a page.
fn contents_and_resources(
    pdf: &pdf_lopdf::Document,
    page: ObjectId,
) -> Result<(ObjectId, ObjectId), Diagnostic> {
    let page = pdf.get_dictionary(page).map_err(|_| broken("page"))?;
    let contents = page.get(b"Contents").and_then(Object::as_reference).map_err(|_| broken("contents"))?;
    let resources = page.get(b"Resources").and_then(Object::as_reference).map_err(|_| broken("resources"))?;
    Ok((contents, resources))
}

fn broken(what: &str) -> Diagnostic {
    Diagnostic::error(format!("cannot write the PDF: printpdf wrote no {what}"))
}

/// Drop the empty XObject, ExtGState and Shading dictionaries printpdf
/// gives every page (into `orphans`); the font dictionary is what stays.
fn only_fonts(
    pdf: &mut pdf_lopdf::Document,
    resources: ObjectId,
    orphans: &mut BTreeSet<ObjectId>,
) -> Result<Option<ObjectId>, Diagnostic> {
    let resources = pdf.get_dictionary_mut(resources).map_err(|_| broken("resources"))?;
    for key in [&b"XObject"[..], b"ExtGState", b"Shading"] {
        if let Some(Object::Reference(id)) = resources.remove(key) {
            orphans.insert(id);
        }
    }
    Ok(resources.get(b"Font").and_then(Object::as_reference).ok())
}

/// Page labels, so viewers show the printed folios (unimposed pages only):
/// the `/Nums` array of the catalog's number tree.
fn page_labels(pdf: &mut pdf_lopdf::Document, set: &SetDocument, sides: &[SheetSide]) -> Option<Object> {
    if !sides.iter().all(|s| s.placements.len() == 1) {
        return None;
    }
    let mut nums = Vec::new();
    let mut previous: Option<(usize, usize)> = None; // (side, folio) of the last numbered page
    for (n, side) in sides.iter().enumerate() {
        let label = side.placements[0].page.map_or("", |p| set.pages[p].label.as_str());
        let folio = label.parse::<usize>().ok();
        let continues = match (previous, folio) {
            (Some((k, f)), Some(g)) => k + 1 == n && f + 1 == g,
            _ => false,
        };
        let after_unnumbered = n > 0 && previous.is_none_or(|(k, _)| k + 1 != n);
        if !(continues || folio.is_none() && after_unnumbered) {
            let label = match folio {
                Some(f) => Dictionary::from_iter(vec![
                    ("Type", Object::Name(b"PageLabel".to_vec())),
                    ("S", Object::Name(b"D".to_vec())),
                    ("St", Object::Integer(f as i64)),
                ]),
                None => Dictionary::from_iter(vec![
                    ("Type", Object::Name(b"PageLabel".to_vec())),
                    ("P", Object::string_literal("")),
                ]),
            };
            nums.push(Object::Integer(n as i64));
            nums.push(Object::Reference(pdf.add_object(label)));
        }
        previous = folio.map(|f| (n, f));
    }
    (!nums.is_empty()).then_some(Object::Array(nums))
}

/// The structure tree: a Document element holding one element per block
/// in reading order, each pointing at its marked content on the pages;
/// and the parent tree from each page's marked content back to them.
fn write_structure(
    pdf: &mut pdf_lopdf::Document,
    set: &SetDocument,
    pages: &[ObjectId],
    page_mcids: &[Vec<usize>],
    links: &[(usize, ObjectId, Option<usize>)],
) -> Option<ObjectId> {
    // Where each element's content is: (page, mcid).
    let mut parts: Vec<Vec<(usize, i64)>> = vec![Vec::new(); set.elements.len()];
    for (page, mcids) in page_mcids.iter().enumerate() {
        for (mcid, &element) in mcids.iter().enumerate() {
            if let Some(p) = parts.get_mut(element) {
                p.push((page, mcid as i64));
            }
        }
    }
    if parts.iter().all(Vec::is_empty) {
        return None;
    }
    let name = |n: &[u8]| Object::Name(n.to_vec());
    let root = pdf.new_object_id();
    let document = pdf.new_object_id();
    let element_ids: Vec<Option<ObjectId>> =
        parts.iter().map(|p| if p.is_empty() { None } else { Some(pdf.new_object_id()) }).collect();
    // Each link annotation: a Link element holding its object reference,
    // inside the element the link's text is in (PDF/UA-1 7.18.5).
    let mut links_in: BTreeMap<Option<usize>, Vec<ObjectId>> = BTreeMap::new();
    let mut link_ids = Vec::with_capacity(links.len());
    for &(side, annotation, element) in links {
        let element = element.filter(|&e| element_ids.get(e).copied().flatten().is_some());
        let id = pdf.new_object_id();
        let parent = element.and_then(|e| element_ids[e]).unwrap_or(document);
        let objr = Dictionary::from_iter(vec![
            ("Type", name(b"OBJR")),
            ("Pg", Object::Reference(pages[side])),
            ("Obj", Object::Reference(annotation)),
        ]);
        let link = Dictionary::from_iter(vec![
            ("Type", name(b"StructElem")),
            ("S", name(b"Link")),
            ("P", Object::Reference(parent)),
            ("K", Object::Array(vec![Object::Dictionary(objr)])),
        ]);
        pdf.set_object(id, link);
        links_in.entry(element).or_default().push(id);
        link_ids.push(id);
    }
    for (e, id) in element_ids.iter().enumerate() {
        let Some(id) = id else { continue };
        let kids = parts[e]
            .iter()
            .map(|&(page, mcid)| {
                Object::Dictionary(Dictionary::from_iter(vec![
                    ("Type", name(b"MCR")),
                    ("Pg", Object::Reference(pages[page])),
                    ("MCID", Object::Integer(mcid)),
                ]))
            })
            .chain(links_in.get(&Some(e)).into_iter().flatten().map(|&l| Object::Reference(l)))
            .collect();
        let mut element = Dictionary::from_iter(vec![
            ("Type", name(b"StructElem")),
            ("S", name(role_name(set.elements[e]).as_bytes())),
            ("P", Object::Reference(document)),
            ("K", Object::Array(kids)),
        ]);
        if let ElementRole::Figure(image) = set.elements[e] {
            element.set("Alt", text(&set.images[image].alt));
        }
        if set.elements[e] == ElementRole::Note {
            // PDF/UA-1 7.9: a note has an id.
            element.set("ID", Object::string_literal(format!("note-{e}")));
        }
        pdf.set_object(*id, element);
    }
    let kids = element_ids
        .iter()
        .flatten()
        .chain(links_in.get(&None).into_iter().flatten())
        .map(|&id| Object::Reference(id))
        .collect();
    pdf.set_object(
        document,
        Dictionary::from_iter(vec![
            ("Type", name(b"StructElem")),
            ("S", name(b"Document")),
            ("P", Object::Reference(root)),
            ("K", Object::Array(kids)),
        ]),
    );
    let mut nums = Vec::new();
    for (page, mcids) in page_mcids.iter().enumerate() {
        let items =
            mcids.iter().filter_map(|&e| element_ids.get(e).copied().flatten()).map(Object::Reference);
        nums.push(Object::Integer(page as i64));
        nums.push(Object::Reference(pdf.add_object(Object::Array(items.collect()))));
    }
    for (n, &link) in link_ids.iter().enumerate() {
        nums.push(Object::Integer((page_mcids.len() + n) as i64));
        nums.push(Object::Reference(link));
    }
    pdf.set_object(
        root,
        Dictionary::from_iter(vec![
            ("Type", name(b"StructTreeRoot")),
            ("K", Object::Reference(document)),
            ("ParentTree", Object::Dictionary(Dictionary::from_iter(vec![("Nums", Object::Array(nums))]))),
            ("ParentTreeNextKey", Object::Integer((page_mcids.len() + links.len()) as i64)),
        ]),
    );
    Some(root)
}

/// The separation colour that prints on every plate (PDF 32000 8.6.6.4).
fn registration() -> Object {
    let tint = Dictionary::from_iter(vec![
        ("FunctionType", Object::Integer(2)),
        ("Domain", Object::Array(vec![Object::Real(0.0), Object::Real(1.0)])),
        ("C0", Object::Array(vec![Object::Real(0.0); 4])),
        ("C1", Object::Array(vec![Object::Real(1.0); 4])),
        ("N", Object::Real(1.0)),
    ]);
    Object::Array(vec![
        Object::Name(b"Separation".to_vec()),
        Object::Name(b"All".to_vec()),
        Object::Name(b"DeviceCMYK".to_vec()),
        Object::Dictionary(tint),
    ])
}

fn fix_font(pdf: &mut pdf_lopdf::Document, type0: ObjectId, font: &EmbeddedFont) -> Option<()> {
    let name = || Object::Name(font.base_name.as_bytes().to_vec());
    let dict = pdf.get_dictionary_mut(type0).ok()?;
    dict.set("BaseFont", name());
    let to_unicode = dict.get(b"ToUnicode").and_then(Object::as_reference).ok()?;
    let Ok(Object::Array(descendants)) = dict.get_mut(b"DescendantFonts") else { return None };
    let Some(Object::Dictionary(cid)) = descendants.first_mut() else { return None };
    cid.set("BaseFont", name());
    cid.set("W", Object::Array(font.widths.clone()));
    let descriptor = cid.get(b"FontDescriptor").and_then(Object::as_reference).ok()?;
    let fd = pdf.get_dictionary_mut(descriptor).ok()?;
    let d = &font.descriptor;
    fd.set("FontName", name());
    fd.set("Flags", Object::Integer(d.flags));
    fd.set("FontBBox", Object::Array(d.bbox.iter().map(|&v| Object::Real(v)).collect()));
    fd.set("ItalicAngle", Object::Real(d.italic_angle));
    fd.set("Ascent", Object::Real(d.ascent));
    fd.set("Descent", Object::Real(d.descent));
    fd.set("CapHeight", Object::Real(d.cap_height));
    fd.set("StemV", Object::Real(d.stem_v));
    let Ok(Object::Stream(cmap)) = pdf.get_object_mut(to_unicode) else { return None };
    cmap.set_content(font.unicode.to_cmap_string(&font.id.0).into_bytes());
    Some(())
}

/// Bookmarks, one per question, each pointing at the side that shows its
/// page.
fn write_outline(
    pdf: &mut pdf_lopdf::Document,
    set: &SetDocument,
    sides: &[SheetSide],
    pages: &[ObjectId],
) -> Option<ObjectId> {
    if set.outline.is_empty() {
        return None;
    }
    // The sheet side each page is placed on, looked up once: a
    // collection of 10,000 pieces has as many entries.
    let mut side_of_page: HashMap<usize, usize> = HashMap::new();
    for (i, side) in sides.iter().enumerate() {
        for page in side.placements.iter().filter_map(|p| p.page) {
            side_of_page.entry(page).or_insert(i);
        }
    }
    let side_of = |page: usize| side_of_page.get(&page).copied().unwrap_or(0);
    let root = pdf.new_object_id();
    let items: Vec<ObjectId> = set.outline.iter().map(|_| pdf.new_object_id()).collect();
    // Each entry's parent: the nearest entry before it one level up (a
    // collection's piece over its questions), else the root. The stack
    // holds the entries still open, shallowest first.
    let mut parents: Vec<Option<usize>> = Vec::with_capacity(set.outline.len());
    let mut open: Vec<usize> = Vec::new();
    for (n, entry) in set.outline.iter().enumerate() {
        while open.last().is_some_and(|&k| set.outline[k].depth >= entry.depth) {
            open.pop();
        }
        parents.push(open.last().copied().filter(|_| entry.depth > 0));
        open.push(n);
    }
    // Each parent's children in order (index 0 is the root's), and each
    // entry's place among its siblings.
    let mut children: Vec<Vec<usize>> = vec![Vec::new(); set.outline.len() + 1];
    let mut place = vec![0; set.outline.len()];
    for (n, parent) in parents.iter().enumerate() {
        let siblings = &mut children[parent.map_or(0, |p| p + 1)];
        place[n] = siblings.len();
        siblings.push(n);
    }
    for (n, entry) in set.outline.iter().enumerate() {
        let page = pages[side_of(entry.page)];
        let top = (set.height - entry.y) as f32 + 12.0;
        let parent = parents[n].map_or(root, |p| items[p]);
        let mut item = Dictionary::from_iter(vec![
            ("Title", text(&entry.title)),
            ("Parent", Object::Reference(parent)),
            (
                "Dest",
                Object::Array(vec![
                    Object::Reference(page),
                    Object::Name(b"XYZ".to_vec()),
                    Object::Real(0.0),
                    Object::Real(top),
                    Object::Null,
                ]),
            ),
        ]);
        let siblings = &children[parents[n].map_or(0, |p| p + 1)];
        let at = place[n];
        if at > 0 {
            item.set("Prev", Object::Reference(items[siblings[at - 1]]));
        }
        if let Some(&next) = siblings.get(at + 1) {
            item.set("Next", Object::Reference(items[next]));
        }
        let own = &children[n + 1];
        if let (Some(&first), Some(&last)) = (own.first(), own.last()) {
            item.set("First", Object::Reference(items[first]));
            item.set("Last", Object::Reference(items[last]));
            // Negative: closed, so a reader sees the pieces first.
            item.set("Count", Object::Integer(-(own.len() as i64)));
        }
        pdf.set_object(items[n], item);
    }
    let top = &children[0];
    let outline = Dictionary::from_iter(vec![
        ("Type", Object::Name(b"Outlines".to_vec())),
        ("First", Object::Reference(items[top[0]])),
        ("Last", Object::Reference(items[top[top.len() - 1]])),
        ("Count", Object::Integer(top.len() as i64)),
    ]);
    pdf.set_object(root, outline);
    Some(root)
}

/// A text string: bare ASCII when it is (ASCII and PDFDocEncoding agree on
/// 32..=126), else UTF-16BE with a byte order mark (PDF 32000 7.9.2.2).
fn text(s: &str) -> Object {
    if s.bytes().all(|b| matches!(b, 32..=126)) {
        Object::string_literal(s)
    } else {
        let mut bytes = vec![0xFE, 0xFF];
        bytes.extend(s.encode_utf16().flat_map(u16::to_be_bytes));
        Object::String(bytes, StringFormat::Hexadecimal)
    }
}

fn rect(r: [f64; 4]) -> Object {
    Object::Array(r.iter().map(|&v| Object::Real(v as f32)).collect())
}

/// What a file claims to be, and its id (for the XMP ids).
#[derive(Clone, Copy)]
struct Claims<'a> {
    pdf_x: bool,
    pdf_ua: bool,
    id: &'a [u8],
}

fn xmp(set: &SetDocument, claims: Claims) -> String {
    let info = &set.info;
    let mut xmp = xmp_writer::XmpWriter::new();
    xmp.title([(None, info.title.as_str())]);
    if !info.authors.is_empty() {
        xmp.creator(info.authors.iter().map(String::as_str));
    }
    xmp.language([xmp_writer::LangId(info.language.as_str())]);
    if let Some(description) = info.description.as_deref().or(info.subtitle.as_deref()) {
        xmp.description([(None, description)]);
    }
    if let Some(publisher) = &info.publisher {
        xmp.publisher([publisher.as_str()]);
    }
    if let Some(rights) = &info.rights {
        xmp.rights([(None, rights.as_str())]);
    }
    xmp.identifier(&info.identifier);
    xmp.format("application/pdf");
    let (y, m, d) = civil(info.epoch);
    let secs = info.epoch.rem_euclid(86_400);
    let date = xmp_writer::DateTime {
        year: y as u16,
        month: Some(m as u8),
        day: Some(d as u8),
        hour: Some((secs / 3600) as u8),
        minute: Some((secs / 60 % 60) as u8),
        second: Some((secs % 60) as u8),
        timezone: Some(xmp_writer::Timezone::Utc),
    };
    xmp.create_date(date).modify_date(date).creator_tool("mimeo").producer("mimeo");
    if claims.pdf_x {
        // PDF/X-4 6.7.2: identification, trapping, and the XMP media-management ids.
        let id = super::standard::uuid(claims.id);
        xmp.metadata_date(date).trapped(false).pdfx_version("PDF/X-4");
        xmp.document_id(&id).instance_id(&id).version_id("1");
        xmp.rendition_class(xmp_writer::RenditionClass::Default);
    }
    if claims.pdf_ua {
        xmp.pdfua_part(1);
    }
    if !info.keywords.is_empty() {
        xmp.pdf_keywords(&info.keywords.join(", "));
    }
    xmp.finish(None)
}

/// `D:YYYYMMDDHHmmSSZ` (PDF 32000 7.9.4), in UTC.
fn pdf_date(epoch: i64) -> String {
    let (y, m, d) = civil(epoch);
    let secs = epoch.rem_euclid(86_400);
    format!("D:{y:04}{m:02}{d:02}{:02}{:02}{:02}Z", secs / 3600, secs / 60 % 60, secs % 60)
}

/// Year (0 to 9999, as PDF dates allow), month and day of Unix time
/// `epoch`, in UTC.
fn civil(epoch: i64) -> (i32, u32, u32) {
    let date = chrono::DateTime::from_timestamp(epoch, 0).unwrap_or_default().date_naive();
    (date.year().clamp(0, 9999), date.month(), date.day())
}

/// FNV-1a, for names and ids that must not change between runs.
fn fnv(bytes: impl IntoIterator<Item = u8>, seed: u64) -> u64 {
    let mut h = 0xcbf2_9ce4_8422_2325u64 ^ seed;
    for b in bytes {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x100_0000_01b3);
    }
    h
}

/// Six capital letters naming a subset (PDF 32000 9.6.4).
fn subset_tag<'a>(face: FaceId, glyphs: impl Iterator<Item = &'a u16>) -> String {
    let mut h = fnv(glyphs.flat_map(|g| g.to_be_bytes()), face as u64);
    (0..6)
        .map(|_| {
            let c = (b'A' + (h % 26) as u8) as char;
            h /= 26;
            c
        })
        .collect()
}

fn file_id(set: &SetDocument, sides: &[SheetSide]) -> Vec<u8> {
    let info = &set.info;
    let sheet = sides.first().map_or((set.width, set.height), |s| (s.width, s.height));
    let text = format!(
        "{}\u{0}{}\u{0}{}\u{0}{}x{}\u{0}{}\u{0}{}x{}",
        info.identifier,
        info.title,
        set.pages.len(),
        set.width,
        set.height,
        sides.len(),
        sheet.0,
        sheet.1
    );
    let a = fnv(text.bytes(), 1);
    let b = fnv(text.bytes(), 2);
    [a.to_be_bytes(), b.to_be_bytes()].concat()
}

#[cfg(test)]
mod tests {
    use crate::backend::Context;

    /// The post-pass leaves no object that nothing refers to (it deletes
    /// what it replaces instead of a costly search for orphans).
    #[test]
    fn no_unreferenced_objects() {
        let doc =
            crate::source::parse_file(std::path::Path::new("content/global-uprisings.md")).unwrap().document;
        for name in ["a5", "a5-booklet", "a5-print"] {
            let crate::layout::Settings::Pdf(layout) = crate::layout::load(name).unwrap().settings else {
                panic!("{name}")
            };
            let bytes = super::super::render(&doc, &layout, &Context::default()).unwrap().bytes;
            let mut pdf = pdf_lopdf::Document::load_mem(&bytes).unwrap();
            assert!(pdf.prune_objects().is_empty(), "{name}: unreferenced objects");
        }
    }
}
