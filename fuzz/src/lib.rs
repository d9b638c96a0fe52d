//! Shared by the fuzz targets: documents built from fuzz bytes (parsed as
//! a source, or constructed directly in shapes the parser never makes),
//! layouts chosen from the bytes, and the invariants every edition keeps.

use std::io::{Cursor, Read};
use std::path::{Path, PathBuf};

use arbitrary::{Result, Unstructured};
use mimeo::layout::{self, EpubLayout, Layout, Settings, TextLayout};
use mimeo::model::{
    Anchor, Block, BlockId, BlockKind, Contributor, ContributorRole, Direction, Document, Heading, Image,
    ImageFormat, Inline, Kind, List, Meta, Note, PageStart, Participant, ParticipantId, Role, Section, Turn,
};

/// The document for these bytes: the parse when they are a valid source,
/// else one constructed from them.
pub fn document(data: &[u8]) -> Option<Document> {
    if let Ok(parsed) = mimeo::source::parse_bytes(Path::new("fuzz/input.md"), data) {
        return Some(parsed.document);
    }
    arbitrary_document(&mut Unstructured::new(data)).ok()
}

/// Strings that have broken text and XML writers elsewhere.
const HOSTILE: &[&str] = &[
    "<",
    ">",
    "&",
    "&amp;",
    "\"",
    "'",
    "]]>",
    "<!--",
    "-->",
    "<?xml",
    "\0",
    "\u{1}",
    "\u{7}",
    "\t",
    "\r\n",
    "\r",
    "\u{B}",
    "\u{C}",
    "\u{7F}",
    "\u{85}",
    "\u{FFFE}",
    "\u{FFFF}",
    "\u{FEFF}",
    "\u{200B}",
    "\u{200D}",
    "\u{202E}",
    "\u{2066}",
    "\u{2028}",
    "\u{301}",
    "e\u{301}\u{302}\u{303}",
    "👩\u{200D}👩\u{200D}👧",
    "🇫🇷",
    "漢字かな",
    "、。",
    "「",
    "」",
    "ﾊﾝｶｸ",
    "خیزش\u{200C}ها",
    "שָׁלוֹם",
    "\u{E01}\u{E34}",
    "ᄀᄀᄀ",
    "  ",
    " ",
    "-",
    "—",
    "\u{AD}",
    "\\",
    "/",
    "../",
    "*",
    "_",
    "[",
    "]",
    "#",
    "supercalifragilisticexpialidocious",
    "https://example.org/a?b=c&d=<e>",
    "javascript:alert(1)",
    "mailto:a@b",
    "",
];

fn string(u: &mut Unstructured) -> Result<String> {
    let mut out = String::new();
    for _ in 0..u.int_in_range(0..=6)? {
        match u.int_in_range(0..=3)? {
            0 => out.push_str(u.choose(HOSTILE)?),
            1 => out.push_str(&"x".repeat(u.int_in_range(1..=300)?)),
            _ => out.push_str(u.arbitrary::<&str>()?),
        }
    }
    Ok(out)
}

fn language(u: &mut Unstructured) -> Result<String> {
    Ok(u.choose(&["en", "fa", "ar", "he", "zh-Hant", "ja", "ckb", "ku-Arab-IQ", "de", "th", "ko", "und"])?
        .to_string())
}

/// Builds a document with unique, increasing block ids and every index
/// (speaker, note) in range: the model's invariants, nothing more.
struct Builder<'a, 'b> {
    u: &'a mut Unstructured<'b>,
    next_id: u32,
    participants: usize,
    notes: usize,
}

impl Builder<'_, '_> {
    fn id(&mut self) -> BlockId {
        self.next_id += 1;
        BlockId(self.next_id)
    }

    fn inlines(&mut self, depth: usize) -> Result<Vec<Inline>> {
        let mut out = Vec::new();
        for _ in 0..self.u.int_in_range(0..=5)? {
            let nested = depth < 8;
            let inline = match self.u.int_in_range(0..=9)? {
                0 if nested => Inline::Emphasis(self.inlines(depth + 1)?),
                1 if nested => Inline::Strong(self.inlines(depth + 1)?),
                2 => Inline::Code(string(self.u)?),
                3 if nested => Inline::Link { url: string(self.u)?, content: self.inlines(depth + 1)? },
                4 if self.notes > 0 => Inline::NoteRef(self.u.choose_index(self.notes)?),
                5 => Inline::LineBreak,
                6 if nested => Inline::Span {
                    language: language(self.u)?,
                    direction: self
                        .u
                        .arbitrary::<Option<bool>>()?
                        .map(|rtl| if rtl { Direction::Rtl } else { Direction::Ltr }),
                    content: self.inlines(depth + 1)?,
                },
                _ => Inline::Text(string(self.u)?),
            };
            out.push(inline);
        }
        Ok(out)
    }

    fn blocks(&mut self, depth: usize) -> Result<Vec<Block>> {
        let mut out = Vec::new();
        for _ in 0..self.u.int_in_range(0..=4)? {
            let id = self.id();
            let nested = depth < 10;
            let kind = match self.u.int_in_range(0..=9)? {
                0 => BlockKind::Heading { level: self.u.int_in_range(3..=6)?, content: self.inlines(0)? },
                1 if nested => BlockKind::BlockQuote(self.blocks(depth + 1)?),
                2 if nested => {
                    let start = if self.u.arbitrary()? { Some(self.u.arbitrary()?) } else { None };
                    let mut items = Vec::new();
                    for _ in 0..self.u.int_in_range(0..=4)? {
                        items.push(self.blocks(depth + 1)?);
                    }
                    BlockKind::List(List { start, items })
                }
                3 => BlockKind::Code {
                    language: if self.u.arbitrary()? { Some(string(self.u)?) } else { None },
                    text: string(self.u)?,
                },
                4 => BlockKind::ThematicBreak,
                5 => BlockKind::Image(image(self.u)?),
                _ => BlockKind::Paragraph(self.inlines(0)?),
            };
            out.push(Block { id, kind });
        }
        Ok(out)
    }
}

/// An image whose file does not exist: backends must say so, not panic.
fn image(u: &mut Unstructured) -> Result<Image> {
    Ok(Image {
        path: PathBuf::from("/nonexistent/mimeo-fuzz").join(u.int_in_range(0..=9u8)?.to_string()),
        source_path: string(u)?,
        alt: string(u)?,
        format: *u.choose(&[
            ImageFormat::Png,
            ImageFormat::Jpeg,
            ImageFormat::Gif,
            ImageFormat::Webp,
            ImageFormat::Svg,
        ])?,
        width: u.int_in_range(1..=10_000)?,
        height: u.int_in_range(1..=10_000)?,
    })
}

fn optional(u: &mut Unstructured) -> Result<Option<String>> {
    if u.arbitrary()? { Ok(Some(string(u)?)) } else { Ok(None) }
}

/// A document straight from bytes, parser or not.
pub fn arbitrary_document(u: &mut Unstructured) -> Result<Document> {
    let participants = u.int_in_range(0..=5)?;
    let notes = u.int_in_range(0..=3)?;
    let mut b = Builder { u, next_id: 0, participants, notes };
    let mut people = Vec::new();
    for i in 0..participants {
        people.push(Participant {
            id: ParticipantId(i),
            name: string(b.u)?,
            label: string(b.u)?,
            role: *b.u.choose(&[Role::Interviewer, Role::Moderator, Role::Speaker])?,
            bio: if b.u.arbitrary()? { Some(b.inlines(0)?) } else { None },
        });
    }
    let introduction = b.blocks(0)?;
    let mut sections = Vec::new();
    for _ in 0..b.u.int_in_range(0..=5)? {
        let heading = if b.u.arbitrary()? {
            let id = b.id();
            Some(Heading { id, content: b.inlines(0)? })
        } else {
            None
        };
        let asked_by = if b.participants > 0 && b.u.arbitrary()? {
            Some(ParticipantId(b.u.choose_index(b.participants)?))
        } else {
            None
        };
        let mut turns = Vec::new();
        for _ in 0..b.u.int_in_range(0..=6)? {
            let speaker = if b.participants > 0 && b.u.arbitrary()? {
                Some(ParticipantId(b.u.choose_index(b.participants)?))
            } else {
                None
            };
            turns.push(Turn { speaker, time: None, blocks: b.blocks(0)?, cues: Vec::new() });
        }
        sections.push(Section { heading, asked_by, turns });
    }
    let mut note_list = Vec::new();
    for _ in 0..notes {
        note_list.push(Note { label: string(b.u)?, blocks: b.blocks(0)? });
    }
    let u = b.u;
    let language = language(u)?;
    let meta = Meta {
        title: string(u)?,
        subtitle: optional(u)?,
        kind: *u.choose(&[Kind::Interview, Kind::Roundtable, Kind::Talk, Kind::Hearing, Kind::Other])?,
        direction: if u.arbitrary()? { Direction::Rtl } else { Direction::Ltr },
        language,
        date: optional(u)?,
        publisher: optional(u)?,
        series: optional(u)?,
        edition: optional(u)?,
        rights: optional(u)?,
        identifier: string(u)?,
        description: optional(u)?,
        keywords: (0..u.int_in_range(0..=3)?).map(|_| string(u)).collect::<Result<_>>()?,
        cover: if u.ratio(1, 8)? { Some(image(u)?) } else { None },
        contributors: (0..u.int_in_range(0..=2)?)
            .map(|_| Ok(Contributor { name: string(u)?, role: ContributorRole::Editor }))
            .collect::<Result<_>>()?,
        default_layouts: Vec::new(),
        audio: None,
    };
    Ok(Document { meta, participants: people, introduction, sections, notes: note_list, source: None })
}

/// With `MIMEO_FUZZ_SHOW` set (when replaying a crash), print what the
/// target renders, to write the regression test from.
pub fn show(doc: &Document, settings: &dyn std::fmt::Debug) {
    if std::env::var_os("MIMEO_FUZZ_SHOW").is_some() {
        eprintln!("{doc:#?}\n{settings:#?}");
    }
}

/// A cheap, stable choice from the bytes, for parsed documents (whose
/// bytes are all spent on the source).
pub fn pick(data: &[u8], n: usize) -> usize {
    let hash =
        data.iter().fold(0xcbf2_9ce4_8422_2325u64, |h, &b| (h ^ b as u64).wrapping_mul(0x100_0000_01b3));
    (hash % n as u64) as usize
}

/// A text layout from the bytes, checked like a layout file; `None` when
/// the settings are refused.
pub fn text_layout(u: &mut Unstructured) -> Result<Option<TextLayout>> {
    let yaml = format!(
        "format: txt\nwidth: {}\n{}columns: {}\ngutter: {}\nalign: {}\nascii: {}\n",
        u.int_in_range(20..=160)?,
        if u.arbitrary()? { format!("page-height: {}\n", u.int_in_range(10..=120)?) } else { String::new() },
        u.int_in_range(1..=4)?,
        u.int_in_range(0..=8)?,
        if u.arbitrary()? { "justify" } else { "ragged" },
        u.arbitrary::<bool>()?,
    );
    Ok(match layout::parse(Path::new("fuzz.yaml"), &yaml, None).ok().map(|l| l.settings) {
        Some(Settings::Txt(layout)) => Some(*layout),
        _ => None,
    })
}

/// Page starts pointing anywhere (existing blocks or not, any offset).
pub fn page_starts(u: &mut Unstructured, doc: &Document) -> Result<Vec<PageStart>> {
    let mut ids: Vec<BlockId> = Vec::new();
    collect_ids(doc, &mut ids);
    let mut out = Vec::new();
    for _ in 0..u.int_in_range(0..=20)? {
        let anchor = match u.int_in_range(0..=5)? {
            0 => Anchor::TitlePage,
            1 => Anchor::Participants,
            2 => Anchor::Colophon,
            3 => Anchor::Notes,
            _ => Anchor::Text {
                block: if ids.is_empty() || u.ratio(1, 5)? {
                    BlockId(u.arbitrary()?)
                } else {
                    *u.choose(&ids)?
                },
                offset: u.int_in_range(0..=5000)?,
            },
        };
        out.push(PageStart { label: string(u)?, anchor, piece: None, blank: u.arbitrary()? });
    }
    Ok(out)
}

fn collect_ids(doc: &Document, out: &mut Vec<BlockId>) {
    fn walk(blocks: &[Block], out: &mut Vec<BlockId>) {
        for block in blocks {
            out.push(block.id);
            match &block.kind {
                BlockKind::BlockQuote(inner) => walk(inner, out),
                BlockKind::List(list) => list.items.iter().for_each(|item| walk(item, out)),
                _ => {}
            }
        }
    }
    walk(&doc.introduction, out);
    for section in &doc.sections {
        out.extend(section.heading.as_ref().map(|h| h.id));
        section.turns.iter().for_each(|t| walk(&t.blocks, out));
    }
    doc.notes.iter().for_each(|n| walk(&n.blocks, out));
}

/// A PDF layout from the bytes, checked like a layout file: any page size
/// and margins the loader accepts, type size, leading, alignment, notes,
/// bios, imposition, bleed, crop marks and variant. `None` when refused.
pub fn pdf_layout(u: &mut Unstructured) -> Result<Option<Box<layout::PdfLayout>>> {
    let mm = |u: &mut Unstructured, lo: u32, hi: u32| -> Result<String> { Ok(format!("{}mm", u.int_in_range(lo..=hi)?)) };
    let size = u.int_in_range(4..=40)?;
    let mut yaml = format!(
        "format: pdf\npage: {{ width: {}, height: {} }}\nmargins: {{ top: {}, bottom: {}, inside: {}, outside: {} }}\n",
        mm(u, 26, 600)?,
        mm(u, 26, 600)?,
        mm(u, 0, 60)?,
        mm(u, 0, 60)?,
        mm(u, 0, 60)?,
        mm(u, 0, 60)?,
    );
    yaml += &format!(
        "body: {{ size: {size}pt, leading: {}pt, indent: {}em, align: {}, paragraph-space: {}pt, hyphenate: {} }}\n",
        size + u.int_in_range(0..=12)?,
        u.int_in_range(0..=3)?,
        if u.arbitrary()? { "justify" } else { "ragged" },
        u.int_in_range(0..=12)?,
        u.arbitrary::<bool>()?,
    );
    yaml += &format!(
        "running-heads: {}\nrecto-start: {}\nfolio-on-title: {}\nnotes: {}\nbios: {}\ninterviewer: {}\n",
        u.arbitrary::<bool>()?,
        u.arbitrary::<bool>()?,
        u.arbitrary::<bool>()?,
        u.choose(&["footnotes", "endnotes"])?,
        u.choose(&["title-verso", "after-introduction", "end", "none"])?,
        u.choose(&["italic", "bold-name"])?,
    );
    yaml += &format!(
        "variant: {}\ncrop-marks: {}\n",
        u.choose(&["screen", "print"])?,
        u.arbitrary::<bool>()?
    );
    if u.arbitrary()? {
        yaml += &format!("bleed: {}mm\n", u.int_in_range(0..=12)?);
    }
    if u.arbitrary()? {
        let kind = u.choose(&["booklet", "minizine", "signatures", "spreads"])?;
        yaml += &format!(
            "imposition: {{ kind: {kind}, signature: {}, creep: {}pt, binding: {} }}\n",
            4 * u.int_in_range(1..=16)?,
            u.int_in_range(0..=10)?,
            u.choose(&["left", "right"])?,
        );
    }
    Ok(match layout::parse(Path::new("fuzz.yaml"), &yaml, None).ok().map(|l| l.settings) {
        Some(Settings::Pdf(layout)) => Some(layout),
        _ => None,
    })
}

/// An EPUB layout from the bytes: alignment and labels (any text).
pub fn epub_layout(u: &mut Unstructured) -> Result<EpubLayout> {
    let Settings::Epub(base) = layout::load("epub").expect("built-in").settings else { unreachable!() };
    let mut layout = *base;
    layout.align = if u.arbitrary()? { layout::Align::Justify } else { layout::Align::Ragged };
    if u.arbitrary()? {
        layout.labels.contents = Some(string(u)?).filter(|s| !s.trim().is_empty());
        layout.labels.notes = Some(string(u)?).filter(|s| !s.trim().is_empty());
        layout.labels.pages = Some(string(u)?).filter(|s| !s.trim().is_empty());
    }
    Ok(layout)
}

/// An EPUB is a zip whose XML files (content, package, navigation,
/// cover drawing) all parse.
pub fn check_epub(bytes: &[u8]) {
    let mut archive = zip::ZipArchive::new(Cursor::new(bytes)).expect("an EPUB is a zip archive");
    assert!(archive.len() > 3, "an EPUB has content");
    for i in 0..archive.len() {
        let mut file = archive.by_index(i).expect("entry readable");
        let name = file.name().to_string();
        if i == 0 {
            assert_eq!(name, "mimetype", "mimetype comes first");
        }
        let mut content = Vec::new();
        file.read_to_end(&mut content).expect("entry decompresses");
        if [".xhtml", ".opf", ".ncx", ".svg", ".xml"].iter().any(|ext| name.ends_with(ext)) {
            let text = std::str::from_utf8(&content).unwrap_or_else(|e| panic!("{name} is not UTF-8: {e}"));
            let options = roxmltree::ParsingOptions { allow_dtd: true, ..Default::default() };
            if let Err(e) = roxmltree::Document::parse_with_options(text, options) {
                panic!("{name} is not well-formed XML: {e}\n{text}");
            }
        }
    }
}

/// Every line fits the layout's width in display columns, has no control
/// characters (but a form feed between pages) and no trailing space; every
/// page has the layout's height.
pub fn check_text(bytes: &[u8], layout: &TextLayout) {
    let text = std::str::from_utf8(bytes).expect("the text edition is UTF-8");
    assert!(text.ends_with('\n'), "ends with a newline");
    for (n, line) in text.split('\n').enumerate() {
        let line = line.strip_prefix('\u{C}').unwrap_or(line);
        let width = mimeo::backend::text::width(line);
        assert!(width <= layout.width, "line {} is {width} wide: {line:?} in {layout:?}", n + 1);
        assert!(!line.ends_with(' '), "trailing space on line {}: {line:?}", n + 1);
        assert!(!line.chars().any(char::is_control), "control character on line {}: {line:?}", n + 1);
        if layout.ascii {
            assert!(line.is_ascii(), "not ASCII on line {}: {line:?}", n + 1);
        }
    }
    if let Some(height) = layout.page_height {
        let body = text.strip_suffix('\n').unwrap_or(text);
        for (p, page) in body.split('\u{C}').enumerate() {
            let page = page.strip_suffix('\n').unwrap_or(page);
            let lines = page.split('\n').count();
            assert_eq!(lines, height, "page {} has {lines} lines, not {height}", p + 1);
        }
    }
}

/// A PDF parses (lopdf), has pages, and each page's trim box (where it
/// has one) lies inside its media box.
pub fn check_pdf(bytes: &[u8]) {
    let pdf = lopdf::Document::load_mem(bytes).unwrap_or_else(|e| panic!("the PDF does not parse: {e}"));
    let pages = pdf.get_pages();
    assert!(!pages.is_empty(), "the PDF has pages");
    for (number, id) in pages {
        let page = pdf.get_dictionary(id).expect("a page is a dictionary");
        let rect = |key: &[u8]| -> Option<Vec<f32>> {
            let array = page.get(key).ok()?.as_array().ok()?;
            Some(array.iter().map(|n| n.as_float().expect("a box holds numbers")).collect())
        };
        let media = rect(b"MediaBox").unwrap_or_else(|| panic!("page {number} has a media box"));
        assert!(media[2] > media[0] && media[3] > media[1], "page {number}: empty media box {media:?}");
        if let Some(trim) = rect(b"TrimBox") {
            let inside = trim[0] >= media[0] - 0.01
                && trim[1] >= media[1] - 0.01
                && trim[2] <= media[2] + 0.01
                && trim[3] <= media[3] + 0.01;
            assert!(inside, "page {number}: trim box {trim:?} outside media box {media:?}");
        }
    }
}

/// Check one rendered edition by its layout's format.
pub fn check_edition(layout: &Layout, bytes: &[u8]) {
    match &layout.settings {
        Settings::Pdf(_) => check_pdf(bytes),
        Settings::Epub(_) => check_epub(bytes),
        Settings::Txt(text) => check_text(bytes, text),
    }
}
