//! Writing a [`SetDocument`] as PDF 1.7 with pdf-writer: subset CID fonts
//! with ToUnicode maps, correct page boxes, bookmarks, document info and
//! XMP metadata, /Lang, and a file identifier derived from the content so
//! that the same input gives the same bytes.

use std::collections::BTreeMap;

use pdf_writer::types::{CidFontType, FontFlags, StructRole, SystemInfo};
use pdf_writer::{Content, Date, Filter, Finish, Name, Pdf, Rect, Ref, Str, TextStr};
use subsetter::GlyphRemapper;

use super::fonts::{FaceId, Fonts};
use super::impose::{Placement, SheetSide};
use super::set::{ElementRole, Op, SetDocument, SetPage, Tag, civil};
use crate::diag::Diagnostic;

/// An embedded font: its PDF name, its object and the new glyph ids.
pub struct EmbeddedFont {
    pub face: FaceId,
    pub name: String,
    pub font_ref: Ref,
    /// Old glyph id → (new glyph id, advance in 1/1000 em).
    pub glyphs: BTreeMap<u16, (u16, f32)>,
}

/// Allocates object numbers.
pub struct Refs(i32);

impl Refs {
    pub fn new() -> Refs {
        Refs(1)
    }

    pub fn bump(&mut self) -> Ref {
        let r = Ref::new(self.0);
        self.0 += 1;
        r
    }
}

impl Default for Refs {
    fn default() -> Self {
        Refs::new()
    }
}

/// How a document is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WriteOptions {
    /// Bookmarks (the screen variant).
    pub outline: bool,
    /// Text and rules in black ink only, as DeviceCMYK K (the print variant).
    pub k_only: bool,
}

impl Default for WriteOptions {
    fn default() -> Self {
        WriteOptions { outline: true, k_only: false }
    }
}

/// Write the whole document, one PDF page per set page.
pub fn write(set: &SetDocument, fonts: &Fonts) -> Result<Vec<u8>, Diagnostic> {
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
pub fn write_sheets(
    set: &SetDocument,
    fonts: &Fonts,
    sides: &[SheetSide],
    options: WriteOptions,
) -> Result<Vec<u8>, Diagnostic> {
    let mut pdf = Pdf::new();
    pdf.set_version(1, 7);
    let mut refs = Refs::new();
    let catalog = refs.bump();
    let page_tree = refs.bump();
    let embedded = embed_fonts(&mut pdf, &mut refs, set, fonts)?;
    let page_refs: Vec<Ref> = sides.iter().map(|_| refs.bump()).collect();
    let mut forms: Vec<Option<Ref>> = vec![None; set.pages.len()];
    let font_resources = |resources: &mut pdf_writer::writers::Resources| {
        let mut font_dict = resources.fonts();
        for font in &embedded {
            font_dict.pair(Name(font.name.as_bytes()), font.font_ref);
        }
    };
    let is_direct = |side: &SheetSide| match side.placements.as_slice() {
        [p] => {
            p.x == 0.0
                && p.y == 0.0
                && !p.rotated
                && side.width == set.width
                && side.height == set.height
                && side.marks.is_empty()
        }
        _ => false,
    };
    // Tagged (structure tree, marked content) when pages are written as they
    // were set, for the screen: imposed sheets and print files are not read aloud.
    let tagged = options.outline && sides.iter().all(is_direct);
    // Per PDF page: the structure element of each marked-content id.
    let mut page_mcids: Vec<Vec<usize>> = Vec::new();
    for (index, (side, &id)) in sides.iter().zip(&page_refs).enumerate() {
        let direct = is_direct(side);
        let mut mcids = Vec::new();
        let content = if direct {
            match side.placements[0].page {
                Some(n) => {
                    let tagging = tagged.then_some((set.elements.as_slice(), &mut mcids));
                    page_content(&set.pages[n], set.height, &embedded, options.k_only, tagging)
                }
                None => Vec::new(),
            }
        } else {
            let mut content = Content::new();
            for placement in &side.placements {
                let Some(n) = placement.page else { continue };
                if set.pages[n].ops.is_empty() {
                    continue;
                }
                if forms[n].is_none() {
                    let form = refs.bump();
                    let data =
                        deflate(&page_content(&set.pages[n], set.height, &embedded, options.k_only, None));
                    let mut x = pdf.form_xobject(form, &data);
                    x.filter(Filter::FlateDecode);
                    x.bbox(Rect::new(0.0, 0.0, set.width as f32, set.height as f32));
                    font_resources(&mut x.resources());
                    x.finish();
                    forms[n] = Some(form);
                }
                let (px, py) = (placement.x as f32, placement.y as f32);
                let matrix = if placement.rotated {
                    [-1.0, 0.0, 0.0, -1.0, px + set.width as f32, py + set.height as f32]
                } else {
                    [1.0, 0.0, 0.0, 1.0, px, py]
                };
                content.save_state();
                content.transform(matrix);
                content.x_object(Name(format!("P{n}").as_bytes()));
                content.restore_state();
            }
            if !side.marks.is_empty() {
                content.save_state();
                content.set_stroke_color_space(pdf_writer::types::ColorSpaceOperand::Named(Name(b"Reg")));
                content.set_stroke_color([1.0]);
                content.set_line_width(0.25);
                for mark in &side.marks {
                    if mark.dashed {
                        content.set_dash_pattern([3.0, 2.0], 0.0);
                    } else {
                        content.set_dash_pattern([], 0.0);
                    }
                    content.move_to(mark.from.0 as f32, mark.from.1 as f32);
                    content.line_to(mark.to.0 as f32, mark.to.1 as f32);
                    content.stroke();
                }
                content.restore_state();
            }
            content.finish().to_vec()
        };
        let content_ref = refs.bump();
        let compressed = deflate(&content);
        pdf.stream(content_ref, &compressed).filter(Filter::FlateDecode);
        // Links on screen editions of unimposed pages.
        let mut links = Vec::new();
        let linked = side.placements[0].page.filter(|_| direct && options.outline);
        if let Some(n) = linked {
            for op in &set.pages[n].ops {
                if let Op::Link { x, y, width, height, url } = op {
                    let annotation = refs.bump();
                    let (top, bottom) = (set.height - y + height * 0.75, set.height - y - height * 0.25);
                    let mut a = pdf.annotation(annotation);
                    a.subtype(pdf_writer::types::AnnotationType::Link)
                        .rect(Rect::new(*x as f32, bottom as f32, (x + width) as f32, top as f32))
                        .border(0.0, 0.0, 0.0, None);
                    a.action().action_type(pdf_writer::types::ActionType::Uri).uri(Str(url.as_bytes()));
                    a.finish();
                    links.push(annotation);
                }
            }
        }
        let mut p = pdf.page(id);
        if tagged {
            p.struct_parents(index as i32);
        }
        page_mcids.push(mcids);
        if !links.is_empty() {
            p.annotations(links.iter().copied());
        }
        let rect = |r: [f64; 4]| Rect::new(r[0] as f32, r[1] as f32, r[2] as f32, r[3] as f32);
        let media = [0.0, 0.0, side.width, side.height];
        let bleed = [
            side.bleed[0].max(0.0),
            side.bleed[1].max(0.0),
            side.bleed[2].min(side.width),
            side.bleed[3].min(side.height),
        ];
        p.media_box(rect(media))
            .trim_box(rect(side.trim))
            .bleed_box(rect(bleed))
            .parent(page_tree)
            .contents(content_ref);
        let mut resources = p.resources();
        if direct {
            font_resources(&mut resources);
        } else {
            let mut xobjects = resources.x_objects();
            for placement in &side.placements {
                if let Some(form) = placement.page.and_then(|n| forms[n].map(|f| (n, f))) {
                    xobjects.pair(Name(format!("P{}", form.0).as_bytes()), form.1);
                }
            }
            xobjects.finish();
            if !side.marks.is_empty() {
                let mut spaces = resources.color_spaces();
                let mut separation = spaces
                    .insert(Name(b"Reg"))
                    .start::<pdf_writer::writers::ColorSpace>()
                    .separation(Name(b"All"));
                separation.alternate_color_space().device_cmyk();
                separation.tint_exponential().domain([0.0, 1.0]).c0([0.0; 4]).c1([1.0; 4]).n(1.0);
                separation.finish();
                spaces.finish();
            }
        }
        resources.finish();
        p.finish();
    }
    pdf.pages(page_tree).kids(page_refs.iter().copied()).count(page_refs.len() as i32);

    // Bookmarks point at the side that shows their page.
    let side_of: Vec<usize> = (0..set.pages.len())
        .map(|n| sides.iter().position(|s| s.placements.iter().any(|p| p.page == Some(n))).unwrap_or(0))
        .collect();
    let outline_ref =
        if options.outline { write_outline(&mut pdf, &mut refs, set, &page_refs, &side_of) } else { None };
    let metadata_ref = refs.bump();
    let xmp = xmp(set);
    pdf.metadata(metadata_ref, xmp.as_bytes());

    let info = &set.info;
    let info_ref = refs.bump();
    let date = pdf_date(info.epoch);
    let mut doc_info = pdf.document_info(info_ref);
    doc_info.title(TextStr(&info.title));
    if !info.authors.is_empty() {
        doc_info.author(TextStr(&info.authors.join(", ")));
    }
    if let Some(subtitle) = &info.subtitle {
        doc_info.subject(TextStr(subtitle));
    }
    if !info.keywords.is_empty() {
        doc_info.keywords(TextStr(&info.keywords.join(", ")));
    }
    doc_info.creator(TextStr("mimeo")).producer(TextStr("mimeo")).creation_date(date).modified_date(date);
    doc_info.finish();

    // Page labels, so viewers show the printed folios (unimposed pages only).
    let mut label_ranges: Vec<(i32, Ref)> = Vec::new();
    if sides.iter().all(|s| s.placements.len() == 1) {
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
                let r = refs.bump();
                let mut page_label = pdf.indirect(r).start::<pdf_writer::writers::PageLabel>();
                match folio {
                    Some(f) => {
                        page_label.style(pdf_writer::types::NumberingStyle::Arabic).offset(f as i32);
                    }
                    None => {
                        page_label.prefix(TextStr(""));
                    }
                }
                page_label.finish();
                label_ranges.push((n as i32, r));
            }
            previous = folio.map(|f| (n, f));
        }
    }

    let struct_root =
        if tagged { write_structure(&mut pdf, &mut refs, set, &page_refs, &page_mcids) } else { None };

    let mut cat = pdf.catalog(catalog);
    cat.pages(page_tree).metadata(metadata_ref).lang(TextStr(&info.language));
    if let Some(root) = struct_root {
        cat.mark_info().marked(true);
        cat.pair(Name(b"StructTreeRoot"), root);
    }
    if !label_ranges.is_empty() {
        let mut labels = cat.page_labels();
        let mut nums = labels.nums();
        for (n, r) in &label_ranges {
            nums.insert(*n, *r);
        }
    }
    if let Some(outline) = outline_ref {
        cat.outlines(outline);
        cat.page_mode(pdf_writer::types::PageMode::UseOutlines);
    }
    cat.finish();

    let id = file_id(set);
    pdf.set_file_id((id.clone(), id));
    Ok(pdf.finish())
}

/// The content stream of one page.
/// With `tagging` (element roles, and the list each marked-content id is
/// pushed to), text is marked as structure content and furniture as artifacts.
pub fn page_content(
    page: &SetPage,
    height: f64,
    fonts: &[EmbeddedFont],
    k_only: bool,
    mut tagging: Option<(&[ElementRole], &mut Vec<usize>)>,
) -> Vec<u8> {
    let mut content = Content::new();
    if k_only {
        content.set_fill_cmyk(0.0, 0.0, 0.0, 1.0);
        content.set_stroke_cmyk(0.0, 0.0, 0.0, 1.0);
    }
    let mut glyph_bytes = Vec::new();
    for op in &page.ops {
        match op {
            Op::Text { x, y, run } => {
                let Some(font) = fonts.iter().find(|f| f.face == run.face) else { continue };
                let size = run.size as f32;
                content.begin_text();
                content.set_font(Name(font.name.as_bytes()), size);
                content.set_text_matrix([1.0, 0.0, 0.0, 1.0, *x as f32, (height - y) as f32]);
                let mut shown = content.show_positioned();
                let mut items = shown.items();
                let mut pen = 0.0f64;
                glyph_bytes.clear();
                for &(id, gx) in &run.glyphs {
                    let (new, advance) = font.glyphs.get(&id).copied().unwrap_or((0, 0.0));
                    let delta = gx - pen;
                    if delta.abs() > 0.001 {
                        if !glyph_bytes.is_empty() {
                            items.show(Str(&glyph_bytes));
                            glyph_bytes.clear();
                        }
                        items.adjust((-delta * 1000.0 / run.size) as f32);
                    }
                    glyph_bytes.extend_from_slice(&new.to_be_bytes());
                    pen = gx + f64::from(advance) * run.size / 1000.0;
                }
                if !glyph_bytes.is_empty() {
                    items.show(Str(&glyph_bytes));
                }
                items.finish();
                shown.finish();
                content.end_text();
            }
            Op::Link { .. } => {}
            Op::Begin(tag) => {
                if let Some((roles, mcids)) = tagging.as_mut() {
                    match tag {
                        Tag::Element(e) => {
                            let name = roles.get(*e).map_or(&b"P"[..], |r| role_name(*r));
                            let mcid = mcids.len() as i32;
                            mcids.push(*e);
                            content
                                .begin_marked_content_with_properties(Name(name))
                                .properties()
                                .identify(mcid);
                        }
                        Tag::Artifact => {
                            content.begin_marked_content(Name(b"Artifact"));
                        }
                    }
                }
            }
            Op::End => {
                if tagging.is_some() {
                    content.end_marked_content();
                }
            }
            Op::Rule { x, y, width, thickness } => {
                let y = (height - y) as f32;
                content.save_state();
                content.set_line_width(*thickness as f32);
                content.move_to(*x as f32, y);
                content.line_to((x + width) as f32, y);
                content.stroke();
                content.restore_state();
            }
        }
    }
    content.finish().to_vec()
}

/// Subset and embed every face that has glyphs on the pages.
pub fn embed_fonts(
    pdf: &mut Pdf,
    refs: &mut Refs,
    set: &SetDocument,
    fonts: &Fonts,
) -> Result<Vec<EmbeddedFont>, Diagnostic> {
    let mut out = Vec::new();
    // Only glyphs that are drawn (shaping records also measured ones).
    let mut drawn: Vec<BTreeMap<u16, ()>> = vec![BTreeMap::new(); FaceId::ALL.len()];
    for page in &set.pages {
        for op in &page.ops {
            if let Op::Text { run, .. } = op {
                for &(id, _) in &run.glyphs {
                    drawn[run.face.index()].insert(id, ());
                }
            }
        }
    }
    for face in FaceId::ALL {
        let used = &drawn[face.index()];
        if used.is_empty() {
            continue;
        }
        let data = fonts.data(face);
        let ttf = rustybuzz::ttf_parser::Face::parse(&data.bytes, 0)
            .map_err(|e| Diagnostic::error(format!("`{}` is not a usable font: {e}", data.file)))?;
        let units = f32::from(ttf.units_per_em().max(1));
        let to_k = |v: f32| v * 1000.0 / units;
        let mut remapper = GlyphRemapper::new();
        remapper.remap(0);
        let mut glyphs = BTreeMap::new();
        for &id in used.keys() {
            let new = remapper.remap(id);
            let advance = ttf.glyph_hor_advance(rustybuzz::ttf_parser::GlyphId(id)).unwrap_or(0);
            glyphs.insert(id, (new, to_k(f32::from(advance))));
        }
        let subset = subsetter::subset(&data.bytes, 0, &remapper)
            .map_err(|e| Diagnostic::error(format!("cannot subset the font `{}`: {e}", data.file)))?;
        let cff = ttf.tables().cff.is_some();
        let tag = subset_tag(face, used.keys());
        let base_name = format!("{tag}+{}", data.postscript_name);
        let name = format!("F{}", face.index());

        let (type0, cid, descriptor, file, cmap) =
            (refs.bump(), refs.bump(), refs.bump(), refs.bump(), refs.bump());
        pdf.type0_font(type0)
            .base_font(Name(base_name.as_bytes()))
            .encoding_predefined(Name(b"Identity-H"))
            .descendant_font(cid)
            .to_unicode(cmap);
        let system_info = SystemInfo { registry: Str(b"Adobe"), ordering: Str(b"Identity"), supplement: 0 };
        let mut cid_font = pdf.cid_font(cid);
        cid_font
            .subtype(if cff { CidFontType::Type0 } else { CidFontType::Type2 })
            .base_font(Name(base_name.as_bytes()))
            .system_info(system_info)
            .font_descriptor(descriptor)
            .default_width(0.0);
        if !cff {
            cid_font.cid_to_gid_map_predefined(Name(b"Identity"));
        }
        let mut by_new: Vec<(u16, f32)> = glyphs.values().copied().collect();
        by_new.sort_by_key(|g| g.0);
        let mut widths = cid_font.widths();
        for (new, advance) in &by_new {
            widths.consecutive(*new, [*advance]);
        }
        widths.finish();
        cid_font.finish();

        let bbox = ttf.global_bounding_box();
        let italic = ttf.is_italic() || matches!(face, FaceId::Italic | FaceId::BoldItalic);
        let mut flags = FontFlags::NON_SYMBOLIC;
        if italic {
            flags |= FontFlags::ITALIC;
        }
        if ttf.is_monospaced() || face == FaceId::Mono {
            flags |= FontFlags::FIXED_PITCH;
        } else {
            flags |= FontFlags::SERIF;
        }
        let ascent = to_k(f32::from(ttf.ascender()));
        let descent = to_k(f32::from(ttf.descender()));
        let cap = ttf.capital_height().map_or(ascent, |c| to_k(f32::from(c)));
        let weight = f32::from(ttf.weight().to_number());
        let mut fd = pdf.font_descriptor(descriptor);
        fd.name(Name(base_name.as_bytes()))
            .flags(flags)
            .bbox(Rect::new(
                to_k(f32::from(bbox.x_min)),
                to_k(f32::from(bbox.y_min)),
                to_k(f32::from(bbox.x_max)),
                to_k(f32::from(bbox.y_max)),
            ))
            .italic_angle(ttf.italic_angle())
            .ascent(ascent)
            .descent(descent)
            .cap_height(cap)
            .stem_v(10.0 + 0.244 * (weight - 50.0));
        if cff {
            fd.font_file3(file);
        } else {
            fd.font_file2(file);
        }
        fd.finish();

        let compressed = deflate(&subset);
        let mut stream = pdf.stream(file, &compressed);
        stream.filter(Filter::FlateDecode);
        if cff {
            stream.pair(Name(b"Subtype"), Name(b"OpenType"));
        } else {
            stream.pair(Name(b"Length1"), subset.len() as i32);
        }
        stream.finish();

        let mut unicode = pdf_writer::types::UnicodeCmap::new(Name(b"Custom"), system_info);
        let texts = &set.glyphs[face.index()];
        for (old, (new, _)) in &glyphs {
            if let Some(text) = texts.get(old).filter(|t| !t.is_empty()) {
                unicode.pair_with_multiple(*new, text.chars());
            }
        }
        let cmap_data = deflate(&unicode.finish());
        pdf.cmap(cmap, &cmap_data).filter(Filter::FlateDecode);

        out.push(EmbeddedFont { face, name, font_ref: type0, glyphs });
    }
    Ok(out)
}

fn write_outline(
    pdf: &mut Pdf,
    refs: &mut Refs,
    set: &SetDocument,
    pages: &[Ref],
    side_of: &[usize],
) -> Option<Ref> {
    if set.outline.is_empty() {
        return None;
    }
    let root = refs.bump();
    let items: Vec<Ref> = set.outline.iter().map(|_| refs.bump()).collect();
    for (n, entry) in set.outline.iter().enumerate() {
        let mut item = pdf.outline_item(items[n]);
        item.title(TextStr(&entry.title)).parent(root);
        if n > 0 {
            item.prev(items[n - 1]);
        }
        if n + 1 < items.len() {
            item.next(items[n + 1]);
        }
        let side = side_of.get(entry.page).copied().unwrap_or(0);
        item.dest().page(pages[side]).xyz(0.0, (set.height - entry.y) as f32 + 12.0, None);
        item.finish();
    }
    pdf.outline(root).first(items[0]).last(items[items.len() - 1]).count(items.len() as i32);
    Some(root)
}

fn role_name(role: ElementRole) -> &'static [u8] {
    match role {
        ElementRole::Title => b"H1",
        ElementRole::Heading(2) => b"H2",
        ElementRole::Heading(_) => b"H3",
        ElementRole::Paragraph => b"P",
        ElementRole::Code => b"Code",
        ElementRole::Note => b"Note",
    }
}

fn struct_role(role: ElementRole) -> StructRole {
    match role {
        ElementRole::Title => StructRole::H1,
        ElementRole::Heading(2) => StructRole::H2,
        ElementRole::Heading(_) => StructRole::H3,
        ElementRole::Paragraph => StructRole::P,
        ElementRole::Code => StructRole::Code,
        ElementRole::Note => StructRole::Note,
    }
}

/// The structure tree: a Document element holding one element per block
/// in reading order, each pointing at its marked content on the pages;
/// and the parent tree from each page's marked content back to them.
fn write_structure(
    pdf: &mut Pdf,
    refs: &mut Refs,
    set: &SetDocument,
    pages: &[Ref],
    page_mcids: &[Vec<usize>],
) -> Option<Ref> {
    // Where each element's content is: (page, mcid).
    let mut parts: Vec<Vec<(usize, i32)>> = vec![Vec::new(); set.elements.len()];
    for (page, mcids) in page_mcids.iter().enumerate() {
        for (mcid, &element) in mcids.iter().enumerate() {
            if let Some(p) = parts.get_mut(element) {
                p.push((page, mcid as i32));
            }
        }
    }
    if parts.iter().all(Vec::is_empty) {
        return None;
    }
    let root = refs.bump();
    let document = refs.bump();
    let element_refs: Vec<Option<Ref>> =
        parts.iter().map(|p| if p.is_empty() { None } else { Some(refs.bump()) }).collect();
    for (e, r) in element_refs.iter().enumerate() {
        let Some(r) = r else { continue };
        let mut elem = pdf.struct_element(*r);
        elem.kind(struct_role(set.elements[e])).parent(document);
        let mut children = elem.children();
        for &(page, mcid) in &parts[e] {
            children.marked_content_ref().page(pages[page]).marked_content_id(mcid);
        }
        children.finish();
        elem.finish();
    }
    let mut doc = pdf.struct_element(document);
    doc.kind(StructRole::Document).parent(root);
    let mut kids = doc.children();
    for r in element_refs.iter().flatten() {
        kids.struct_element(*r);
    }
    kids.finish();
    doc.finish();
    let arrays: Vec<Ref> = page_mcids.iter().map(|_| refs.bump()).collect();
    for (page, mcids) in page_mcids.iter().enumerate() {
        let items = mcids.iter().filter_map(|&e| element_refs.get(e).copied().flatten());
        pdf.indirect(arrays[page]).array().items(items);
    }
    let mut tree = pdf.indirect(root).start::<pdf_writer::writers::StructTreeRoot>();
    tree.child(document);
    let mut parent_tree = tree.parent_tree();
    let mut nums = parent_tree.nums();
    for (page, array) in arrays.iter().enumerate() {
        nums.insert(page as i32, *array);
    }
    nums.finish();
    parent_tree.finish();
    tree.parent_tree_next_key(page_mcids.len() as i32);
    tree.finish();
    Some(root)
}

fn xmp(set: &SetDocument) -> String {
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
        year: y.clamp(0, 9999) as u16,
        month: Some(m as u8),
        day: Some(d as u8),
        hour: Some((secs / 3600) as u8),
        minute: Some((secs / 60 % 60) as u8),
        second: Some((secs % 60) as u8),
        timezone: Some(xmp_writer::Timezone::Utc),
    };
    xmp.create_date(date).modify_date(date).creator_tool("mimeo").producer("mimeo");
    if !info.keywords.is_empty() {
        xmp.pdf_keywords(&info.keywords.join(", "));
    }
    xmp.finish(None)
}

fn pdf_date(epoch: i64) -> Date {
    let (y, m, d) = civil(epoch);
    let secs = epoch.rem_euclid(86_400);
    Date::new(y.clamp(0, 9999) as u16)
        .month(m as u8)
        .day(d as u8)
        .hour((secs / 3600) as u8)
        .minute((secs / 60 % 60) as u8)
        .second((secs % 60) as u8)
        .utc_offset_hour(0)
        .utc_offset_minute(0)
}

pub fn deflate(data: &[u8]) -> Vec<u8> {
    miniz_oxide::deflate::compress_to_vec_zlib(data, 2)
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

fn file_id(set: &SetDocument) -> Vec<u8> {
    let info = &set.info;
    let text = format!(
        "{}\u{0}{}\u{0}{}\u{0}{}x{}",
        info.identifier,
        info.title,
        set.pages.len(),
        set.width,
        set.height
    );
    let a = fnv(text.bytes(), 1);
    let b = fnv(text.bytes(), 2);
    [a.to_be_bytes(), b.to_be_bytes()].concat()
}
