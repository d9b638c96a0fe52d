//! Typesetting a whole document: the transcript's parts become blocks of
//! set lines, blocks flow onto pages (no widows or orphans, headings kept
//! with what follows), and pages get their running heads and folios.
//! The result, a [`SetDocument`], is pages of positioned glyph runs that
//! the writer (or an imposition) places without setting anything again.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::PathBuf;
use std::rc::Rc;

use super::compose::{Extract, GlyphRun, LineAlign, Para, Piece, SetLine, Style, WordBreaks, compose};
use super::fonts::{FaceId, Features, Fonts, Lang, Shaper};
use crate::backend::{Context, Missing};
use crate::diag::Diagnostic;
use crate::layout::Align;
use crate::layout::pdf::{BiosPlacement, InterviewerStyle, NotesPlacement, PdfLayout};
use crate::model::{
    Anchor, Block, BlockId, BlockKind, Direction, Document, ImageFormat, Inline, Role, Turn, Words, link,
};
use crate::typeset::{Hyphenator, bidi};

mod collection;
mod parallel;
mod recording;
mod table;
pub(crate) use collection::merge_glyphs;
pub use collection::typeset_collection;
pub use parallel::typeset_parallel;

/// A typeset document: pages ready to be written or imposed.
#[derive(Debug, Clone)]
pub struct SetDocument {
    /// Page size in points.
    pub width: f64,
    pub height: f64,
    pub pages: Vec<SetPage>,
    /// One entry per question, in order.
    pub outline: Vec<OutlineEntry>,
    /// Per face ([`FaceId`] order): each glyph used and the text it stands for.
    pub glyphs: Vec<BTreeMap<u16, String>>,
    /// Structure elements in reading order (for tagged PDF).
    pub elements: Vec<ElementRole>,
    /// The pictures placed by [`Op::Image`].
    pub images: Vec<Picture>,
    pub info: DocInfo,
    pub warnings: Vec<Diagnostic>,
}

/// One page: what it shows and where in the document it begins.
#[derive(Debug, Clone)]
pub struct SetPage {
    /// The folio printed on the page ("" when none is printed).
    pub label: String,
    pub anchor: Anchor,
    /// The collection's piece the page belongs to (`None` for a
    /// transcript's pages and a collection's own: title, contents, colophon).
    pub piece: Option<usize>,
    pub ops: Vec<Op>,
}

impl SetPage {
    /// Where the page begins, for another edition (the EPUB's page list).
    pub fn start(&self) -> crate::model::PageStart {
        crate::model::PageStart {
            label: self.label.clone(),
            anchor: self.anchor,
            piece: self.piece,
            blank: self.ops.is_empty(),
        }
    }
}

/// A drawing operation; coordinates in points from the page's top left,
/// `y` being the baseline for text.
#[derive(Debug, Clone, PartialEq)]
pub enum Op {
    Text {
        x: f64,
        y: f64,
        run: GlyphRun,
    },
    Rule {
        x: f64,
        y: f64,
        width: f64,
        thickness: f64,
    },
    /// A link area: `y` is the baseline of the linked text.
    Link {
        x: f64,
        y: f64,
        width: f64,
        height: f64,
        url: String,
    },
    /// Picture `image` (an index into [`SetDocument::images`]) drawn in
    /// the box whose top left is `x`, `y`.
    Image {
        x: f64,
        y: f64,
        width: f64,
        height: f64,
        image: usize,
    },
    /// The ops up to the matching [`Op::End`] belong to a structure
    /// element or are page furniture (for tagged PDF).
    Begin(Tag),
    /// The text of the ops up to the matching [`Op::End`] is this (PDF
    /// /ActualText), not what their glyphs map to.
    Actual(String),
    End,
    /// Text drawn invisibly, for the place of an [`Op::Actual`] span.
    Hidden {
        x: f64,
        y: f64,
        run: GlyphRun,
    },
    /// A filled rectangle whose top left is `x`, `y` (barcode bars, cover
    /// bands).
    Fill {
        x: f64,
        y: f64,
        width: f64,
        height: f64,
    },
    /// The ops up to the matching [`Op::Unturn`] are drawn turned a
    /// quarter turn about `x`, `y` (spine text).
    Turn {
        x: f64,
        y: f64,
        clockwise: bool,
    },
    Unturn,
    /// Fill and stroke in spot ink `n` of [`DocInfo::inks`] from here on
    /// (a turn's end restores the ink before it).
    Ink(usize),
}

/// What marked content belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tag {
    /// Index into [`SetDocument::elements`].
    Element(usize),
    /// Running heads, folios, rules: not part of the text.
    Artifact,
}

/// The role of a structure element (a block of the flow or a footnote).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ElementRole {
    Title,
    Heading(u8),
    Paragraph,
    Code,
    Note,
    /// A picture: its description is [`SetDocument::images`]' `alt`.
    Figure(usize),
}

/// A picture of the source, as printed.
#[derive(Debug, Clone, PartialEq)]
pub struct Picture {
    pub path: std::path::PathBuf,
    pub format: crate::model::ImageFormat,
    pub alt: String,
}

/// A bookmark: a title and where it points.
#[derive(Debug, Clone, PartialEq)]
pub struct OutlineEntry {
    pub title: String,
    pub page: usize,
    pub y: f64,
    /// 0 at the top; a collection's questions are 1, under their piece.
    pub depth: usize,
}

/// A spot ink: its name (the Separation's colorant) and CMYK look-alike
/// (the inks a riso layout names: see [`super::inks`]).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Ink {
    pub name: String,
    pub cmyk: [f64; 4],
}

/// Document facts for the PDF's metadata.
#[derive(Debug, Clone, Default)]
pub struct DocInfo {
    pub title: String,
    pub subtitle: Option<String>,
    pub authors: Vec<String>,
    pub language: String,
    pub identifier: String,
    pub description: Option<String>,
    pub keywords: Vec<String>,
    pub publisher: Option<String>,
    pub rights: Option<String>,
    pub epoch: i64,
    /// Spot inks (riso): the Separation colour spaces [`Op::Ink`] selects,
    /// and the one pictures are printed in; empty for process colour.
    pub inks: Vec<Ink>,
    pub picture_ink: usize,
}

impl DocInfo {
    /// The facts a document's metadata gives, with its `authors` (its
    /// participants, or a collection's editors).
    pub fn of(meta: &crate::model::Meta, authors: Vec<String>, epoch: i64) -> Self {
        DocInfo {
            title: meta.title.clone(),
            subtitle: meta.subtitle.clone(),
            authors,
            language: meta.language.clone(),
            identifier: meta.identifier.clone(),
            description: meta.description.clone(),
            keywords: meta.keywords.clone(),
            publisher: meta.publisher.clone(),
            rights: meta.rights.clone(),
            epoch,
            ..Default::default()
        }
    }
}

/// Move a page's ops from the text area's left edge to the page's.
fn shift(ops: &mut [Op], left: f64) {
    for op in ops {
        match op {
            Op::Text { x, .. }
            | Op::Hidden { x, .. }
            | Op::Rule { x, .. }
            | Op::Link { x, .. }
            | Op::Image { x, .. }
            | Op::Fill { x, .. }
            | Op::Turn { x, .. } => *x += left,
            Op::Begin(_) | Op::Actual(_) | Op::End | Op::Unturn | Op::Ink(_) => {}
        }
    }
}

/// Where a block's pages begin: a place in the text or a fixed part.
#[derive(Debug, Clone, Copy)]
enum Origin {
    Text(BlockId),
    Fixed(Anchor),
}

/// A block of lines in the flow.
struct FlowBlock {
    lines: Vec<SetLine>,
    x: f64,
    measure: f64,
    leading: f64,
    space_before: f64,
    /// Keep the space even at the top of a page (title page).
    keep_space: bool,
    keep_with_next: bool,
    page_break_before: bool,
    /// Start on a recto page (a blank verso before it if need be).
    recto: bool,
    center: bool,
    /// A picture: the block's one line is its box (the line's width and
    /// the block's leading).
    picture: Option<usize>,
    origin: Origin,
    /// A question: for running heads and bookmarks.
    question: Option<String>,
    /// A collection's piece begins here: its title heads the rectos from
    /// here on.
    running: Option<String>,
    /// A contents line: the page of the block with this `target` is
    /// printed at its end.
    toc_entry: Option<usize>,
    /// What a contents line points to.
    target: Option<usize>,
    role: ElementRole,
    /// A table's row: its rules, and the header it repeats on a new page.
    table: Option<Box<table::RowFrame>>,
}

/// Facts of the layout in points.
struct Geometry {
    size: f64,
    leading: f64,
    indent: f64,
    paragraph_space: f64,
    measure: f64,
    /// The height of the text area (pictures fit in part of it).
    text_height: f64,
    align: LineAlign,
    hyphenate: bool,
}

struct Builder<'s, 'f> {
    shaper: &'s Shaper<'f>,
    hyphenator: WordBreaks,
    geo: Geometry,
    /// The document's direction (blocks marked in another language may
    /// have their own).
    direction: Direction,
    /// mimeo's own words and digits, in the document's language.
    words: &'static Words,
    blocks: Vec<FlowBlock>,
    pictures: Vec<Picture>,
    warnings: Vec<Diagnostic>,
    /// Characters of SVG pictures' text that no bundled face has, by picture.
    svg_missing: Vec<(PathBuf, BTreeSet<char>)>,
    /// Footnotes, set, by note index (empty when notes are endnotes).
    footnotes: Vec<Vec<SetLine>>,
    /// `timecodes: margin`: each timed turn's first flow block and its
    /// time, set in the margin once paginated (see [`recording`]).
    margin_times: Option<Vec<(usize, String)>>,
    /// Faces other builders used (a collection's pieces), for the colophon.
    used_faces: Vec<FaceId>,
    /// The participants' names: display lines never break inside one.
    names: Vec<String>,
}

/// The layout's measures in points.
fn geometry(layout: &PdfLayout) -> Geometry {
    let size = layout.body.size.to_pt(10.0);
    let m = &layout.margins;
    Geometry {
        size,
        leading: layout.body.leading.to_pt(size),
        indent: layout.body.indent.map_or(size, |l| l.to_pt(size)),
        paragraph_space: layout.body.paragraph_space.map_or(0.0, |l| l.to_pt(size)),
        measure: layout.page.width.pt() - m.inside.pt() - m.outside.pt(),
        text_height: layout.page.height.pt() - m.top.pt() - m.bottom.pt(),
        align: match layout.body.align {
            Align::Justify => LineAlign::Justify,
            Align::Ragged => LineAlign::Left,
        },
        hyphenate: layout.body.hyphenate,
    }
}

impl<'s, 'f> Builder<'s, 'f> {
    /// A builder for `doc`: its hyphenation, direction and words.
    fn new(shaper: &'s Shaper<'f>, doc: &Document, geo: Geometry) -> Self {
        Builder {
            shaper,
            hyphenator: WordBreaks::new(Hyphenator::for_language(&doc.meta.language)),
            geo,
            direction: doc.meta.direction,
            words: Words::for_language(&doc.meta.language),
            blocks: Vec::new(),
            pictures: Vec::new(),
            warnings: Vec::new(),
            svg_missing: Vec::new(),
            footnotes: Vec::new(),
            used_faces: Vec::new(),
            names: doc.participants.iter().map(|p| p.name.clone()).collect(),
            margin_times: None,
        }
    }
}

/// What a PDF shows for a character no font has (accepted with
/// `--allow-missing-glyphs`), in its text and in SVG pictures' text alike:
/// the face's .notdef glyph, a box crossed from corner to corner (seen
/// with `pdftoppm`).
pub(crate) const BOX: &str = "a crossed box";

/// Typeset `doc` with `layout` in `fonts`.
pub fn typeset(
    doc: &Document,
    layout: &PdfLayout,
    fonts: &Fonts,
    ctx: &Context,
) -> Result<SetDocument, Diagnostic> {
    let mut shaper = Shaper::new(fonts)?;
    shaper.set_language(&doc.meta.language);
    let (width, height, size) =
        (layout.page.width.pt(), layout.page.height.pt(), layout.body.size.to_pt(10.0));
    let mut b = Builder::new(&shaper, doc, geometry(layout));
    if layout.timecodes == crate::layout::pdf::TimecodePlacement::Margin {
        b.margin_times = Some(Vec::new());
    }
    b.title_page(doc);
    if layout.bios == BiosPlacement::TitleVerso {
        b.bios(doc, true);
    }
    let text_start = b.blocks.len();
    b.introduction(doc);
    if layout.bios == BiosPlacement::AfterIntroduction {
        b.bios(doc, false);
    }
    b.sections(doc, layout.interviewer);
    if let Some(first) = b.blocks.get_mut(text_start) {
        first.recto = layout.recto_start;
    }
    if layout.bios == BiosPlacement::End {
        b.bios(doc, true);
    }
    match layout.notes {
        NotesPlacement::Endnotes => b.notes(doc),
        NotesPlacement::Footnotes => b.footnotes(doc),
    }
    b.colophon(doc, fonts, ctx.epoch);

    let rtl = doc.meta.direction == Direction::Rtl;
    let foot =
        Foot { notes: &b.footnotes, leading: b.geo.leading * FOOTNOTE_SCALE, rtl, measure: b.geo.measure };
    let mut runs: Vec<Vec<Vec<GlyphRun>>> = b
        .blocks
        .iter_mut()
        .map(|block| block.lines.iter_mut().map(|line| std::mem::take(&mut line.runs)).collect())
        .collect();
    let mut pages = paginate(&b.blocks, &mut runs, &foot, layout, height);
    drop(runs);
    let furniture = Furniture { shaper: &shaper, breaks: &b.hyphenator, direction: doc.meta.direction };
    let outline = furnish(&mut pages, &b.blocks, layout, &furniture, doc, width, height, size);
    if let Some(times) = &b.margin_times {
        recording::margin_times(&mut pages, times, &furniture, layout, width, size);
    }
    let mut elements: Vec<ElementRole> = b.blocks.iter().map(|block| block.role).collect();
    elements.extend(b.footnotes.iter().map(|_| ElementRole::Note));
    let Builder { warnings: mut built_warnings, pictures: images, svg_missing, .. } = b;
    let allowed = ctx.allow_missing_glyphs || layout.allow_missing_glyphs;
    let tried = shaper.families().join(", ");
    let (glyphs, missing) = shaper.finish();
    let mut warnings = Vec::new();
    if !missing.is_empty() {
        let fix = "name a font that has it under `fonts:` in the layout (e.g. `fonts: { cjk: FILE }` \
                   for Chinese, Japanese or Korean, `regular:` for other scripts)";
        let missing =
            Missing { chars: &missing, problem: "no font has a glyph for", tried, fix, shown_as: BOX };
        warnings.extend(missing.report(doc.source.as_deref(), allowed)?);
    }
    for (path, chars) in &svg_missing {
        let fix = "convert the drawing's text to paths, or use a character the bundled fonts have";
        let tried = "the bundled faces (SVG text never uses system fonts)".to_string();
        let missing = Missing { chars, problem: "no font has a glyph for", tried, fix, shown_as: BOX };
        warnings.extend(missing.report(Some(path), allowed)?);
    }
    warnings.append(&mut built_warnings);
    let info = DocInfo::of(&doc.meta, doc.participants.iter().map(|p| p.name.clone()).collect(), ctx.epoch);
    let mut pages: Vec<SetPage> = pages.into_iter().map(|p| p.page).collect();
    if let Some(url) = doc.meta.audio.as_ref().and_then(|a| a.url.as_deref()).filter(|_| layout.recording_qr)
    {
        recording::stamp(&mut pages, url, width, height, layout.margins.bottom.pt())?;
    }
    Ok(SetDocument { width, height, pages, outline, glyphs, elements, images, info, warnings })
}

/// Flatten inlines into pieces in `style`.
fn pieces(inlines: &[Inline], style: Style, out: &mut Vec<Piece>) {
    for inline in inlines {
        match inline {
            Inline::Text(text) => out.push(Piece::Text { text: text.clone(), style, counts: true }),
            Inline::Emphasis(content) => {
                pieces(content, Style { face: style.face.toggle_italic(), ..style }, out);
            }
            Inline::Strong(content) => pieces(content, Style { face: style.face.bold(), ..style }, out),
            Inline::Code(text) => out.push(Piece::Text {
                text: text.clone(),
                style: Style { face: FaceId::Mono, scale: style.scale * 0.88, ..style },
                counts: true,
            }),
            // The source reader keeps only followable links; a model built
            // by other means gets the same rule here.
            Inline::Link { url, content } => match link::followable(url) {
                Ok(url) => {
                    out.push(Piece::LinkStart(url));
                    pieces(content, style, out);
                    out.push(Piece::LinkEnd);
                }
                Err(_) => pieces(content, style, out),
            },
            Inline::Span { content, language, direction } => {
                // Its own language (shaping) and direction (a bidi isolate).
                out.push(Piece::Isolate(bidi::span_direction(language, *direction)));
                pieces(content, Style { lang: Lang::new(language), ..style }, out);
                out.push(Piece::IsolateEnd);
            }
            Inline::NoteRef(index) => out.push(Piece::Note {
                text: (index + 1).to_string(),
                style: Style { scale: style.scale * 0.65, rise: 0.35, ..style },
                index: *index,
            }),
            Inline::LineBreak => out.push(Piece::Break),
        }
    }
}

/// Paragraphs longer than this many bytes are set in parts, each part's
/// last line justified: memory stays in proportion to a part, not to a
/// paragraph that may run to thousands of pages.
const PART_BYTES: usize = 64 * 1024;

/// `pieces` cut into parts of about `limit` bytes of text, between words
/// (links and isolates cut in two are closed and reopened).
fn in_parts(pieces: Vec<Piece>, limit: usize) -> Vec<Vec<Piece>> {
    let mut parts = vec![Vec::new()];
    let mut bytes = 0;
    let mut link: Option<String> = None;
    let mut isolates: Vec<Direction> = Vec::new();
    for piece in pieces {
        match piece {
            Piece::Text { text, style, counts } if bytes + text.len() > limit => {
                let mut rest = text.as_str();
                while bytes + rest.len() > limit {
                    // The last space before the limit, else the first after it.
                    let room = limit.saturating_sub(bytes).min(rest.len());
                    let room = (0..=room).rev().find(|&k| rest.is_char_boundary(k)).unwrap_or(0);
                    let Some(cut) =
                        rest[..room].rfind(' ').or_else(|| rest[room..].find(' ').map(|k| k + room))
                    else {
                        break;
                    };
                    let head = &rest[..cut + 1];
                    if !head.trim().is_empty() {
                        parts.last_mut().expect("one part").push(Piece::Text {
                            text: head.into(),
                            style,
                            counts,
                        });
                    }
                    let part = parts.last_mut().expect("one part");
                    part.extend(link.iter().map(|_| Piece::LinkEnd));
                    part.extend(isolates.iter().map(|_| Piece::IsolateEnd));
                    let mut next: Vec<Piece> = isolates.iter().map(|&d| Piece::Isolate(d)).collect();
                    next.extend(link.iter().map(|url| Piece::LinkStart(url.clone())));
                    parts.push(next);
                    rest = &rest[cut + 1..];
                    bytes = 0;
                }
                if !rest.is_empty() {
                    bytes += rest.len();
                    parts.last_mut().expect("one part").push(Piece::Text {
                        text: rest.into(),
                        style,
                        counts,
                    });
                }
            }
            piece => {
                match &piece {
                    Piece::Text { text, .. } | Piece::Note { text, .. } => bytes += text.len(),
                    Piece::LinkStart(url) => link = Some(url.clone()),
                    Piece::LinkEnd => link = None,
                    Piece::Isolate(direction) => isolates.push(*direction),
                    Piece::IsolateEnd => {
                        isolates.pop();
                    }
                    Piece::Break => bytes += 1,
                }
                parts.last_mut().expect("one part").push(piece);
            }
        }
    }
    parts.retain(|p| p.iter().any(|piece| matches!(piece, Piece::Text { .. } | Piece::Note { .. })));
    if parts.is_empty() {
        parts.push(Vec::new());
    }
    parts
}

/// The pieces from plain character `at` on (links and isolates open
/// there are reopened).
fn pieces_from(pieces: Vec<Piece>, at: usize) -> Vec<Piece> {
    let mut out = Vec::new();
    let mut seen = 0;
    let mut link = None;
    let mut isolates = Vec::new();
    // What is open where the text resumes, opened again before it.
    let reopen = |out: &mut Vec<Piece>, link: &mut Option<String>, isolates: &[Direction]| {
        if out.is_empty() {
            out.extend(isolates.iter().map(|&d| Piece::Isolate(d)));
            out.extend(link.take().map(Piece::LinkStart));
        }
    };
    for piece in pieces {
        if seen >= at && !out.is_empty() {
            out.push(piece);
            continue;
        }
        match piece {
            Piece::Text { text, style, counts: true } if seen + text.chars().count() > at => {
                let skip = at.saturating_sub(seen);
                let byte = text.char_indices().nth(skip).map_or(text.len(), |(b, _)| b);
                reopen(&mut out, &mut link, &isolates);
                out.push(Piece::Text { text: text[byte..].to_string(), style, counts: true });
                seen = at;
            }
            Piece::Text { text, counts: true, .. } => seen += text.chars().count(),
            Piece::Break if seen < at => seen += 1,
            Piece::LinkStart(url) if seen < at => link = Some(url),
            Piece::LinkEnd if seen < at => link = None,
            Piece::Isolate(direction) if seen < at => isolates.push(direction),
            Piece::IsolateEnd if seen < at => {
                isolates.pop();
            }
            other if seen >= at => {
                reopen(&mut out, &mut link, &isolates);
                out.push(other);
            }
            _ => {}
        }
    }
    out
}

/// The characters of plain text `pieces` stand for (as the composer counts them).
fn plain_length(pieces: &[Piece]) -> usize {
    pieces
        .iter()
        .map(|p| match p {
            Piece::Text { text, counts: true, .. } => text.chars().count(),
            Piece::Break => 1,
            _ => 0,
        })
        .sum()
}

fn text_piece(text: &str, style: Style) -> Piece {
    Piece::Text { text: text.to_string(), style, counts: false }
}

impl Builder<'_, '_> {
    /// Set a paragraph in the document's direction.
    fn set(
        &mut self,
        pieces: Vec<Piece>,
        size: f64,
        measure: f64,
        indent: f64,
        align: LineAlign,
        hyphenate: bool,
    ) -> Vec<SetLine> {
        self.set_in(self.direction, pieces, size, measure, indent, align, hyphenate)
    }

    /// Set a paragraph in `direction`.
    #[allow(clippy::too_many_arguments)]
    fn set_in(
        &mut self,
        direction: Direction,
        pieces: Vec<Piece>,
        size: f64,
        measure: f64,
        indent: f64,
        align: LineAlign,
        hyphenate: bool,
    ) -> Vec<SetLine> {
        let hyphenate = hyphenate && self.geo.hyphenate;
        let mut pieces = pieces;
        for piece in &mut pieces {
            // Note marks in the document's digits, as its folios are.
            if let Piece::Note { text, index, .. } = piece {
                *text = self.words.number(*index + 1);
            }
        }
        let parts = in_parts(pieces, PART_BYTES);
        let first_pieces = parts[0].clone();
        let count = parts.len();
        let mut lines = Vec::new();
        // Plain characters set before this part, and the words of the last
        // part's last line, set again at the head of this part so that no
        // line ends a part short.
        let mut plain_before = 0;
        let mut carried = Vec::new();
        for (n, part) in parts.into_iter().enumerate() {
            let mut pieces = std::mem::take(&mut carried);
            pieces.extend(part);
            let indent = if n == 0 { indent } else { 0.0 };
            let keep = if align == LineAlign::Center { self.names.clone() } else { Vec::new() };
            let para = Para { pieces, size, measure, indent, align, hyphenate, direction, keep };
            let mut part_lines = compose(self.shaper, &para, &self.hyphenator);
            let mut plain = plain_length(&para.pieces);
            if n + 1 < count && part_lines.len() > 1 {
                let last = part_lines.pop().expect("two lines");
                plain = last.start_char;
                carried = pieces_from(para.pieces, last.start_char);
            }
            lines.extend(part_lines.into_iter().map(|mut line| {
                line.start_char += plain_before;
                line
            }));
            plain_before += plain;
        }
        if lines.iter().any(|l| l.ratio < -1.0) {
            let text: String = first_pieces
                .iter()
                .filter_map(|p| match p {
                    Piece::Text { text, .. } => Some(text.as_str()),
                    _ => None,
                })
                .collect::<String>()
                .chars()
                .take(40)
                .collect();
            self.warnings.push(
                Diagnostic::warning(format!("a line is too wide for the measure in “{text}…”"))
                    .hint("a long word or URL cannot be broken; a soft hyphen (U+00AD) marks where it may"),
            );
        }
        lines
    }

    #[allow(clippy::too_many_arguments)]
    fn push(
        &mut self,
        lines: Vec<SetLine>,
        origin: Origin,
        space_before: f64,
        leading: f64,
        x: f64,
        measure: f64,
    ) -> &mut FlowBlock {
        self.blocks.push(FlowBlock {
            lines,
            x,
            measure,
            leading,
            space_before,
            keep_space: false,
            keep_with_next: false,
            page_break_before: false,
            recto: false,
            center: false,
            picture: None,
            origin,
            question: None,
            running: None,
            toc_entry: None,
            target: None,
            role: ElementRole::Paragraph,
            table: None,
        });
        self.blocks.last_mut().expect("just pushed")
    }

    /// A centred display line or lines (title page, headings of parts).
    fn centered(
        &mut self,
        pieces: Vec<Piece>,
        size: f64,
        leading: f64,
        space_before: f64,
        origin: Origin,
    ) -> &mut FlowBlock {
        let measure = self.geo.measure;
        let lines = self.set(pieces, size, measure * 0.9, 0.0, LineAlign::Center, false);
        let block = self.push(lines, origin, space_before, leading, 0.0, measure);
        block.center = true;
        block
    }

    fn title_page(&mut self, doc: &Document) {
        let g = &self.geo;
        let (size, leading) = (g.size, g.leading);
        let origin = Origin::Fixed(Anchor::TitlePage);
        let title = vec![text_piece(&doc.meta.title, Style::new(FaceId::Bold))];
        let b = self.centered(title, size * 1.9, size * 2.3, leading * 5.0, origin);
        b.keep_space = true;
        b.page_break_before = true;
        b.role = ElementRole::Title;
        if let Some(subtitle) = &doc.meta.subtitle {
            self.centered(
                vec![text_piece(subtitle, Style::new(FaceId::Italic))],
                size * 1.2,
                size * 1.55,
                leading,
                origin,
            );
        }
        let mut first = true;
        for p in
            doc.participants.iter().filter(|p| !doc.meta.subtitle.as_deref().unwrap_or("").contains(&p.name))
        {
            let space = if first { leading * 2.0 } else { 0.0 };
            self.centered(
                vec![text_piece(&p.name, Style::new(FaceId::Regular).small_caps())],
                size * 1.1,
                leading * 1.2,
                space,
                origin,
            );
            first = false;
        }
        let mut imprint = Vec::new();
        if let Some(publisher) = &doc.meta.publisher {
            imprint.push(publisher.clone());
        }
        if let Some(date) = &doc.meta.date {
            imprint.push(date.clone());
        }
        if !imprint.is_empty() {
            let text = imprint.join(" · ");
            self.centered(
                vec![text_piece(&text, Style::new(FaceId::Regular).small_caps())],
                size,
                leading,
                leading * 6.0,
                origin,
            );
        }
    }

    fn bios(&mut self, doc: &Document, own_page: bool) {
        let with_bios: Vec<_> = doc.participants.iter().filter(|p| p.bio.is_some()).collect();
        if with_bios.is_empty() {
            return;
        }
        let (size, leading, measure) = (self.geo.size, self.geo.leading, self.geo.measure);
        let origin = Origin::Fixed(Anchor::Participants);
        let words = self.words;
        let heading = vec![text_piece(words.participants, Style::new(FaceId::Regular).small_caps())];
        let space = if own_page { 0.0 } else { leading * 1.5 };
        let b = self.centered(heading, size * 1.1, leading * 1.5, space, origin);
        b.page_break_before = own_page;
        b.keep_with_next = true;
        b.role = ElementRole::Heading(2);
        for p in with_bios {
            let bio = p.bio.as_deref().unwrap_or_default();
            // The name opens the bio in small caps, as a speaker's label
            // opens a turn: the bio's own first words when they are the
            // name, else the name and a colon before it.
            let regular = Style::new(FaceId::Regular);
            // (Only the bio's own text counts towards positions in it.)
            let name = |counts| Piece::Text { text: p.name.clone(), style: regular.small_caps(), counts };
            let mut ps = Vec::new();
            match p.bio_after_name().filter(|_| !p.name.is_empty()) {
                Some((after, rest)) => {
                    ps.push(name(true));
                    ps.push(Piece::Text { text: after.to_string(), style: regular, counts: true });
                    pieces(rest, regular, &mut ps);
                }
                None => {
                    ps.push(name(false));
                    ps.push(text_piece(words.colon, regular));
                    pieces(bio, regular, &mut ps);
                }
            }
            let direction = bidi::block_direction(bio, self.direction);
            let lines = self.set_in(direction, ps, size, measure, 0.0, self.geo.align, true);
            self.push(lines, origin, leading * 0.5, leading, 0.0, measure);
        }
    }

    fn introduction(&mut self, doc: &Document) {
        let mut first = true;
        for (n, block) in doc.introduction.iter().enumerate() {
            let space = if n == 0 { 0.0 } else { self.geo.paragraph_space };
            let b = self.block(
                block,
                Style::new(FaceId::Regular),
                Vec::new(),
                !first,
                space,
                0.0,
                self.geo.measure,
            );
            if let (0, Some(b)) = (n, b) {
                b.page_break_before = true;
            }
            first = false;
        }
    }

    /// A section's question heading, if it has one (kept with what
    /// follows; the first starts a page): whether one was set.
    fn question(&mut self, section: &crate::model::Section, first_section: bool) -> bool {
        let Some(heading) = &section.heading else { return false };
        let (size, leading, measure) = (self.geo.size, self.geo.leading, self.geo.measure);
        let mut ps = Vec::new();
        pieces(&heading.content, Style::new(FaceId::Bold), &mut ps);
        let direction = bidi::block_direction(&heading.content, self.direction);
        let lines = self.set_in(direction, ps, size * 1.05, measure, 0.0, LineAlign::Left, false);
        let space = if first_section { 0.0 } else { leading * 1.5 };
        let b = self.push(lines, Origin::Text(heading.id), space, leading * 1.05, 0.0, measure);
        b.keep_with_next = true;
        b.page_break_before = first_section;
        b.question = Some(crate::model::plain_text(&heading.content));
        b.role = ElementRole::Heading(2);
        true
    }

    fn sections(&mut self, doc: &Document, interviewer: InterviewerStyle) {
        let leading = self.geo.leading;
        let mut first_section = doc.introduction.is_empty();
        for section in &doc.sections {
            if self.question(section, first_section) {
                first_section = false;
            }
            for (t, turn) in section.turns.iter().enumerate() {
                let space = if t == 0 { leading * 0.5 } else { leading * 0.4 };
                let start = self.blocks.len();
                self.turn(doc, turn, interviewer, space);
                if first_section {
                    // The turn's first block (not its last: a turn may hold several).
                    if let Some(b) =
                        self.blocks[start..].iter_mut().find(|b| matches!(b.origin, Origin::Text(_)))
                    {
                        b.page_break_before = true;
                    }
                    first_section = false;
                }
            }
        }
    }

    fn turn(&mut self, doc: &Document, turn: &Turn, interviewer: InterviewerStyle, space: f64) {
        let speaker = turn.speaker.map(|id| doc.participant(id));
        let asks = speaker.is_some_and(|p| p.role.asks() || p.role == Role::Interviewer);
        let base =
            if asks && interviewer == InterviewerStyle::Italic { FaceId::Italic } else { FaceId::Regular };
        let mut label = Vec::new();
        if let Some(p) = speaker {
            let face = if asks && interviewer == InterviewerStyle::BoldName {
                FaceId::Bold
            } else {
                FaceId::Regular
            };
            label.push(text_piece(&p.label, Style::new(face).small_caps()));
            // A full-width colon after a Chinese or Japanese name, as written.
            let cjk = p.label.chars().last().is_some_and(crate::typeset::segment::is_cjk);
            label.push(text_piece(if cjk { "：" } else { ": " }, Style::new(face)));
        }
        if let (Some(time), Some(times)) = (turn.time, self.margin_times.as_mut()) {
            times.push((self.blocks.len(), time.clock()));
        } else if let Some(time) = turn.time {
            // The time in the recording, in small type: a finding aid, not speech.
            let small = Style { scale: 0.8, ..Style::new(FaceId::Regular) };
            label.push(text_piece(&format!("[{}] ", time.clock()), small));
        }
        let mut label = Some(label);
        for (n, block) in turn.blocks.iter().enumerate() {
            let prefix = if matches!(block.kind, BlockKind::Paragraph(_)) {
                label.take().unwrap_or_default()
            } else {
                Vec::new()
            };
            let space = if n == 0 { space } else { self.geo.paragraph_space };
            let indent = n > 0;
            self.block(block, Style::new(base), prefix, indent, space, 0.0, self.geo.measure);
        }
        if let Some(label) = label.filter(|l| !l.is_empty()) {
            // A turn without a paragraph: the name alone.
            let lines = self.set(label, self.geo.size, self.geo.measure, 0.0, LineAlign::Left, false);
            let origin = turn.blocks.first().map_or(Origin::Fixed(Anchor::TitlePage), |b| Origin::Text(b.id));
            self.push(lines, origin, space, self.geo.leading, 0.0, self.geo.measure);
        }
    }

    /// Set one block of the body; returns its first flow block.
    #[allow(clippy::too_many_arguments)]
    fn block(
        &mut self,
        block: &Block,
        style: Style,
        prefix: Vec<Piece>,
        indented: bool,
        space: f64,
        x: f64,
        measure: f64,
    ) -> Option<&mut FlowBlock> {
        let g = &self.geo;
        let (size, leading) = (g.size, g.leading);
        let origin = Origin::Text(block.id);
        let first = self.blocks.len();
        match &block.kind {
            BlockKind::Paragraph(inlines) => {
                let mut ps = prefix;
                pieces(inlines, style, &mut ps);
                let indent = if indented && self.geo.paragraph_space == 0.0 { self.geo.indent } else { 0.0 };
                let direction = bidi::block_direction(inlines, self.direction);
                let lines = self.set_in(direction, ps, size, measure, indent, self.geo.align, true);
                self.push(lines, origin, space, leading, x, measure);
            }
            BlockKind::Heading { content, .. } => {
                let mut ps = prefix;
                pieces(content, Style::new(FaceId::Bold), &mut ps);
                let direction = bidi::block_direction(content, self.direction);
                let lines = self.set_in(direction, ps, size, measure, 0.0, LineAlign::Left, false);
                let b = self.push(lines, origin, space.max(leading * 0.75), leading, x, measure);
                b.keep_with_next = true;
                b.role = ElementRole::Heading(3);
            }
            BlockKind::BlockQuote(blocks) => {
                let inset = size * 1.5;
                for (n, inner) in blocks.iter().enumerate() {
                    let p = if n == 0 { prefix.clone() } else { Vec::new() };
                    let s = if n == 0 { space.max(leading * 0.5) } else { 0.0 };
                    self.block(inner, style, p, n > 0, s, x + inset, measure - 2.0 * inset);
                }
                if let Some(last) = self.blocks.last_mut() {
                    last.lines.shrink_to_fit();
                }
            }
            BlockKind::List(list) => {
                let inset = size * 1.2;
                // The items' inset is on the side the text starts from.
                let shift = if self.direction == Direction::Rtl { 0.0 } else { inset };
                for (n, item) in list.items.iter().enumerate() {
                    let marker = match list.start {
                        Some(start) => self.words.digits(&format!("{}. ", start.saturating_add(n as u64))),
                        None => "• ".to_string(),
                    };
                    for (k, inner) in item.iter().enumerate() {
                        let mut p = if n == 0 && k == 0 { prefix.clone() } else { Vec::new() };
                        if k == 0 {
                            p.push(text_piece(&marker, style));
                        }
                        let s = if n == 0 && k == 0 { space } else { leading * 0.2 };
                        self.block(inner, style, p, false, s, x + shift, measure - inset);
                    }
                }
            }
            BlockKind::Code { text, .. } => {
                let code_size = size * 0.85;
                let mut lines = Vec::new();
                let mut offset = 0;
                for line in text.lines() {
                    // Indentation is kept (as no-break spaces); long lines
                    // wrap at spaces.
                    let body = line.trim_start_matches([' ', '\t']);
                    let leading = &line[..line.len() - body.len()];
                    let width: usize = leading.chars().map(|c| if c == '\t' { 4 } else { 1 }).sum();
                    let indent = "\u{a0}".repeat(width);
                    // Offsets count the source's characters, not the expansion.
                    let shift = width - leading.chars().count();
                    let ps = vec![Piece::Text {
                        text: format!("{indent}{body}"),
                        style: Style::new(FaceId::Mono),
                        counts: true,
                    }];
                    let mut set = self.set_in(
                        Direction::Ltr,
                        ps,
                        code_size,
                        measure - size,
                        0.0,
                        LineAlign::Left,
                        false,
                    );
                    for l in &mut set {
                        l.start_char = offset + l.start_char.saturating_sub(shift);
                    }
                    lines.extend(set);
                    offset += line.chars().count() + 1;
                }
                self.push(
                    lines,
                    origin,
                    space.max(leading * 0.5),
                    leading * 0.95,
                    x + size,
                    measure - size,
                )
                .role = ElementRole::Code;
            }
            BlockKind::ThematicBreak => {
                let lines = self.set(
                    vec![text_piece("*\u{2003}*\u{2003}*", style)],
                    size,
                    measure,
                    0.0,
                    LineAlign::Center,
                    false,
                );
                let b = self.push(lines, origin, leading * 0.5, leading * 1.5, x, measure);
                b.center = true;
            }
            BlockKind::Table(table) => self.table(table, origin, space, x, measure),
            BlockKind::Image(image) => {
                // Raster pictures at 200 pixels an inch (sharp in print),
                // drawings at their own size; never wider than the measure
                // nor taller than 60% of the text area.
                let natural = match image.format {
                    // A drawing that does not parse is reported when the
                    // PDF is written, as a broken picture file is.
                    ImageFormat::Svg => match super::svg::parse(&image.path) {
                        Ok(drawing) => {
                            let missing = drawing.missing_glyphs();
                            if !missing.is_empty() {
                                self.svg_missing.push((image.path.clone(), missing));
                            }
                            (drawing.width, drawing.height)
                        }
                        Err(_) => (measure, measure),
                    },
                    _ => (f64::from(image.width) * 72.0 / 200.0, f64::from(image.height) * 72.0 / 200.0),
                };
                let scale = (measure / natural.0).min(self.geo.text_height * 0.6 / natural.1).min(1.0);
                let (w, h) = (natural.0 * scale, natural.1 * scale);
                self.pictures.push(Picture {
                    path: image.path.clone(),
                    format: image.format,
                    alt: image.alt.clone(),
                });
                let index = self.pictures.len() - 1;
                let line = SetLine { width: w, ..SetLine::default() };
                let b = self.push(vec![line], origin, space.max(leading * 0.5), h, x, measure);
                b.center = true;
                b.picture = Some(index);
                b.role = ElementRole::Figure(index);
            }
        }
        self.blocks.get_mut(first)
    }

    /// Set each note for the foot of its page: number, then the text.
    fn footnotes(&mut self, doc: &Document) {
        let size = self.geo.size * FOOTNOTE_SCALE;
        let measure = self.geo.measure;
        for (n, note) in doc.notes.iter().enumerate() {
            let number = format!("{}\u{2002}", self.words.number(n + 1));
            let mut ps = vec![text_piece(&number, Style::new(FaceId::Regular))];
            for (k, block) in note.blocks.iter().enumerate() {
                if k > 0 {
                    ps.push(Piece::Break);
                }
                match &block.kind {
                    BlockKind::Paragraph(inlines) => pieces(inlines, Style::new(FaceId::Regular), &mut ps),
                    _ => ps.push(text_piece(
                        &crate::model::plain_text_of_blocks(std::slice::from_ref(block)),
                        Style::new(FaceId::Regular),
                    )),
                }
            }
            let lines = self.set(ps, size, measure, 0.0, self.geo.align, true);
            self.footnotes.push(lines);
        }
    }

    fn notes(&mut self, doc: &Document) {
        if doc.notes.is_empty() {
            return;
        }
        let (size, leading, measure) = (self.geo.size, self.geo.leading, self.geo.measure);
        let origin = Origin::Fixed(Anchor::Notes);
        let heading = vec![text_piece(self.words.notes, Style::new(FaceId::Bold))];
        let lines = self.set(heading, size * 1.05, measure, 0.0, LineAlign::Left, false);
        let b = self.push(lines, origin, 0.0, leading * 1.05, 0.0, measure);
        b.page_break_before = true;
        b.keep_with_next = true;
        b.role = ElementRole::Heading(2);
        let note_size = size * 0.9;
        for (n, note) in doc.notes.iter().enumerate() {
            for (k, block) in note.blocks.iter().enumerate() {
                let mut ps = Vec::new();
                if k == 0 {
                    ps.push(text_piece(
                        &format!("{}. ", self.words.number(n + 1)),
                        Style::new(FaceId::Regular),
                    ));
                }
                match &block.kind {
                    BlockKind::Paragraph(inlines) => {
                        pieces(inlines, Style::new(FaceId::Regular), &mut ps);
                        let lines = self.set(ps, note_size, measure, 0.0, self.geo.align, true);
                        let space = if k == 0 { leading * 0.3 } else { 0.0 };
                        self.push(lines, origin, space, leading * 0.9, 0.0, measure).role = ElementRole::Note;
                    }
                    _ => {
                        let first = self.blocks.len();
                        self.block(block, Style::new(FaceId::Regular), ps, false, 0.0, 0.0, measure);
                        for b in &mut self.blocks[first..] {
                            b.origin = origin;
                        }
                    }
                }
            }
        }
    }

    fn colophon(&mut self, doc: &Document, fonts: &Fonts, epoch: i64) {
        let (size, leading, measure) = (self.geo.size * 0.85, self.geo.leading * 0.85, self.geo.measure);
        let origin = Origin::Fixed(Anchor::Colophon);
        let meta = &doc.meta;
        let mut paragraphs: Vec<Vec<Piece>> = Vec::new();
        let words = self.words;
        let mut title = vec![text_piece(&meta.title, Style::new(FaceId::Italic))];
        if let Some(subtitle) = &meta.subtitle {
            title.push(text_piece(words.colon, Style::new(FaceId::Italic)));
            title.push(text_piece(subtitle, Style::new(FaceId::Italic)));
        }
        paragraphs.push(title);
        // mimeo's English lines in a right-to-left book (one whose language
        // mimeo has no words for) keep their own direction, full stop last.
        let own_words = |t: String| {
            let text = text_piece(&t, Style::new(FaceId::Regular));
            if words.is_english() && self.direction == Direction::Rtl {
                vec![Piece::Isolate(Direction::Ltr), text, Piece::IsolateEnd]
            } else {
                vec![text]
            }
        };
        let plain = |t: &str| vec![text_piece(t, Style::new(FaceId::Regular))];
        if let Some(imprint) = words.imprint(meta.publisher.as_deref(), meta.date.as_deref()) {
            paragraphs.push(own_words(imprint));
        }
        for c in &meta.contributors {
            paragraphs.push(own_words(words.line(words.role(c.role), &c.name)));
        }
        if let Some(rights) = &meta.rights {
            paragraphs.push(plain(rights));
        }
        paragraphs.push(own_words(words.line(words.identifier, &meta.identifier)));
        // The body and monospace faces, and the script faces the text used.
        let mut families = vec![fonts.data(FaceId::Regular).family.clone()];
        for face in [FaceId::Arabic, FaceId::ArabicBold, FaceId::Cjk, FaceId::CjkBold] {
            if let Some(data) =
                fonts.get(face).filter(|_| self.shaper.uses(face) || self.used_faces.contains(&face))
                && !families.contains(&data.family)
            {
                families.push(data.family.clone());
            }
        }
        families.push(fonts.data(FaceId::Mono).family.clone());
        paragraphs.push(own_words(words.line(words.typefaces, &families.join(words.comma))));
        paragraphs.push(own_words(words.line(words.typeset, "mimeo")));
        paragraphs.push(own_words(words.line(words.this_edition, &words.date(epoch))));
        for (n, ps) in paragraphs.into_iter().enumerate() {
            let lines = self.set(ps, size, measure, 0.0, LineAlign::Left, false);
            let b = self.push(lines, origin, if n == 0 { 0.0 } else { leading * 0.6 }, leading, 0.0, measure);
            b.page_break_before = n == 0;
        }
    }
}

/// A page while paginating.
struct PageDraft {
    page: SetPage,
    /// The first block that begins on this page, if any, and the block in
    /// effect at its top.
    first_block: Option<usize>,
    question_here: Option<(String, f64)>,
    /// Shared, not copied: a page per question would copy a long heading
    /// once per page it runs over.
    question_before: Option<Rc<str>>,
    /// The collection's piece in effect on the page (its running head).
    running: Option<Rc<str>>,
    /// Footnotes on this page, in order.
    notes: Vec<usize>,
}

/// Footnotes to place at the foot of the pages that reference them.
struct Foot<'a> {
    notes: &'a [Vec<SetLine>],
    leading: f64,
    /// A right-to-left document: the rule above the notes is on the right.
    rtl: bool,
    measure: f64,
}

impl Foot<'_> {
    /// The height `notes` take, with the space above them when `first`.
    fn height(&self, notes: &[usize], first: bool) -> f64 {
        let lines: usize = notes.iter().filter_map(|&n| self.notes.get(n)).map(Vec::len).sum();
        if lines == 0 {
            return 0.0;
        }
        lines as f64 * self.leading + if first { self.leading } else { 0.0 }
    }
}

/// Size of footnotes relative to the body.
const FOOTNOTE_SCALE: f64 = 0.85;

/// `runs` holds each block's lines' glyph runs (taken out of the lines):
/// they move onto the pages, so a long document is not held twice.
fn paginate(
    blocks: &[FlowBlock],
    runs: &mut [Vec<Vec<GlyphRun>>],
    foot: &Foot,
    layout: &PdfLayout,
    height: f64,
) -> Vec<PageDraft> {
    let m = &layout.margins;
    let top = m.top.pt();
    let bottom = height - m.bottom.pt();
    let mut pages: Vec<PageDraft> = Vec::new();
    let mut cursor = top;
    let mut empty = true;
    let mut question: Option<Rc<str>> = None;
    let mut running: Option<Rc<str>> = None;
    let new_page = |pages: &mut Vec<PageDraft>, question: &Option<Rc<str>>, running: &Option<Rc<str>>| {
        pages.push(PageDraft {
            page: SetPage { label: String::new(), anchor: Anchor::TitlePage, piece: None, ops: Vec::new() },
            first_block: None,
            question_here: None,
            question_before: question.clone(),
            running: running.clone(),
            notes: Vec::new(),
        });
    };
    new_page(&mut pages, &question, &running);
    // Height reserved for the footnotes of the current page.
    let mut foot_h = 0.0;
    for (bi, block) in blocks.iter().enumerate() {
        if block.lines.is_empty() {
            continue;
        }
        if block.page_break_before && !empty {
            new_page(&mut pages, &question, &running);
            cursor = top;
            foot_h = 0.0;
            empty = true;
        }
        if block.recto && pages.len().is_multiple_of(2) {
            // The last page is a verso: leave it blank.
            new_page(&mut pages, &question, &running);
        }
        let n = block.lines.len();
        let lead = block.leading;
        let mut space = if empty && !block.keep_space { 0.0 } else { block.space_before };
        // What must fit on this page with the block's start.
        let mut needed = space
            + if block.keep_with_next {
                let next = blocks[bi + 1..].iter().find(|b| !b.lines.is_empty());
                n as f64 * lead
                    + next.map_or(0.0, |nb| nb.space_before + nb.lines.len().min(2) as f64 * nb.leading)
            } else if n <= 3 {
                n as f64 * lead
            } else {
                2.0 * lead
            };
        if block.keep_with_next && blocks[bi + 1..].first().is_some_and(|nb| nb.keep_with_next) {
            needed += lead;
        }
        if cursor + needed > bottom - foot_h + 0.01 && !empty {
            new_page(&mut pages, &question, &running);
            cursor = top;
            foot_h = 0.0;
            empty = true;
            space = if block.keep_space { block.space_before } else { 0.0 };
        }
        cursor += space;
        if let Some(head) = &block.running {
            running = Some(Rc::from(head.as_str()));
            pages.last_mut().expect("a page").running = running.clone();
        }
        if let Some(q) = &block.question {
            question = Some(Rc::from(q.as_str()));
            let page = pages.last_mut().expect("a page");
            if page.question_here.is_none() {
                page.question_here = Some((q.clone(), cursor));
            }
        }
        // A one-line block that closes a run of text (a sign-off ending an
        // introduction: what follows it starts a new page, or nothing does)
        // is not left alone at the head of a page: if it will not fit under
        // this block, two of this block's lines go over with it.
        let closing = blocks[bi + 1..].iter().position(|b| !b.lines.is_empty()).map(|k| &blocks[bi + 1 + k]);
        let closing = closing.filter(|c| {
            let after = blocks[bi + 1..].iter().filter(|b| !b.lines.is_empty()).nth(1);
            c.lines.len() == 1
                && !c.page_break_before
                && !c.recto
                && !block.keep_with_next
                && after.is_none_or(|a| a.page_break_before || a.recto)
        });
        let mut i = 0;
        while i < n {
            if let Some(frame) = block.table.as_ref().filter(|_| empty) {
                cursor =
                    frame.repeat_header(&mut pages.last_mut().expect("a page").page.ops, block.x, cursor);
            }
            let rows = ((bottom - foot_h + 0.01 - cursor) / lead).floor().max(0.0) as usize;
            // Lines whose footnotes do not fit with them end the page early.
            let mut rows = rows.min(n - i);
            let mut extra = 0.0;
            let mut seen: Vec<usize> = Vec::new();
            for k in 0..rows {
                let new: Vec<usize> = block.lines[i + k]
                    .notes
                    .iter()
                    .copied()
                    .filter(|x| !seen.contains(x) && !pages.last().is_some_and(|p| p.notes.contains(x)))
                    .collect();
                if new.is_empty() {
                    continue;
                }
                let first = foot_h == 0.0 && extra == 0.0;
                extra += foot.height(&new, first);
                seen.extend(new);
                if cursor + (k + 1) as f64 * lead > bottom - foot_h - extra + 0.01 {
                    rows = k;
                    break;
                }
            }
            let alone = closing.is_some_and(|c| {
                cursor + (n - i) as f64 * lead + c.space_before + c.leading > bottom - foot_h + 0.01
            });
            // Two lines can go over with the closing only from a block of
            // four or more (a one-line block underflowed `n - 2`).
            let carry = alone && n.checked_sub(2).is_some_and(|m| m >= (i + 1).max(2));
            let j = if n - i <= rows && !carry {
                n
            } else if n - i <= rows {
                n - 2
            } else {
                let mut j = (i + rows).min(n.saturating_sub(2));
                if (i == 0 && j < 2) || j <= i {
                    j = i + rows;
                }
                // A page should not end with a hyphen (TeX's \brokenpenalty).
                let floor = if i == 0 { 2 } else { i + 1 };
                if j < n && j > floor && n - (j - 1) >= 2 && block.lines[j - 1].hyphenated {
                    j -= 1;
                } else if i == 0 && j == floor && j < n && block.lines[j - 1].hyphenated && !empty {
                    // Only the two lines an orphan rule allows, the second
                    // hyphenated: start the paragraph on the next page.
                    j = 0;
                }
                if j <= i {
                    // Nothing fits here at all: go to a fresh page.
                    if empty {
                        j = i + 1;
                    } else {
                        new_page(&mut pages, &question, &running);
                        cursor = top;
                        foot_h = 0.0;
                        empty = true;
                        continue;
                    }
                }
                j
            };
            let page = pages.last_mut().expect("a page");
            let block_top = cursor;
            for (line, runs) in block.lines[i..j].iter().zip(&mut runs[bi][i..j]) {
                for &note in &line.notes {
                    if foot.notes.get(note).is_some() && !page.notes.contains(&note) {
                        foot_h += foot.height(&[note], page.notes.is_empty());
                        page.notes.push(note);
                    }
                }
                let baseline = cursor + lead * 0.78;
                if empty {
                    page.page.anchor = match block.origin {
                        Origin::Text(id) => Anchor::Text { block: id, offset: line.start_char },
                        Origin::Fixed(anchor) => anchor,
                    };
                    empty = false;
                }
                page.first_block.get_or_insert(bi);
                let dx = if block.center { (block.measure - line.width) / 2.0 } else { 0.0 };
                page.page.ops.push(Op::Begin(Tag::Element(bi)));
                push_line(&mut page.page.ops, block.x + dx, baseline, std::mem::take(runs), &line.extract);
                if let Some(image) = block.picture {
                    let (x, y, width, height) = (block.x + dx, cursor, line.width, lead);
                    page.page.ops.push(Op::Image { x, y, width, height, image });
                }
                page.page.ops.push(Op::End);
                for (x0, x1, url) in &line.links {
                    page.page.ops.push(Op::Link {
                        x: block.x + dx + x0,
                        y: baseline,
                        width: x1 - x0,
                        height: lead,
                        url: url.clone(),
                    });
                }
                cursor += lead;
            }
            if let Some(frame) = &block.table {
                cursor = frame.rules(&mut page.page.ops, block.x, block_top, cursor, i == 0, j == n);
            }
            i = j;
            if i < n {
                new_page(&mut pages, &question, &running);
                cursor = top;
                foot_h = 0.0;
                empty = true;
            }
        }
    }
    for page in &mut pages {
        place_footnotes(page, foot, bottom, 0.0, blocks.len());
    }
    pages
}

/// The ops of a set line at (`x`, `baseline`): its runs, with the text of
/// those that need it (`extract`, by run) given as /ActualText or drawn
/// invisibly.
pub(super) fn push_line(ops: &mut Vec<Op>, x: f64, baseline: f64, runs: Vec<GlyphRun>, extract: &[Extract]) {
    for (n, run) in runs.into_iter().enumerate() {
        let y = baseline - run.rise;
        match extract.get(n) {
            Some(Extract::Begin(text)) => {
                ops.push(Op::Actual(text.clone()));
                ops.push(Op::Hidden { x, y, run });
            }
            Some(Extract::End) => {
                ops.push(Op::Hidden { x, y, run });
                ops.push(Op::End);
            }
            Some(Extract::Hidden) => ops.push(Op::Hidden { x, y, run }),
            Some(Extract::Silent) => {
                ops.push(Op::Actual(String::new()));
                ops.push(Op::Text { x, y, run });
                ops.push(Op::End);
            }
            Some(Extract::Glyphs) | None => ops.push(Op::Text { x, y, run }),
        }
    }
}

/// Draw a page's footnotes above the bottom margin, under a short rule.
fn place_footnotes(page: &mut PageDraft, foot: &Foot, bottom: f64, x: f64, first_element: usize) {
    let lines: Vec<(usize, &SetLine)> = page
        .notes
        .iter()
        .filter_map(|&n| foot.notes.get(n).map(|lines| (n, lines)))
        .flat_map(|(n, lines)| lines.iter().map(move |l| (n, l)))
        .collect();
    if lines.is_empty() {
        return;
    }
    let mut y = bottom - lines.len() as f64 * foot.leading;
    let rule = foot.leading * 5.0;
    let rule_x = if foot.rtl { x + foot.measure - rule } else { x };
    page.page.ops.push(Op::Begin(Tag::Artifact));
    page.page.ops.push(Op::Rule { x: rule_x, y: y - foot.leading * 0.45, width: rule, thickness: 0.4 });
    page.page.ops.push(Op::End);
    for (note, line) in lines {
        let baseline = y + foot.leading * 0.78;
        page.page.ops.push(Op::Begin(Tag::Element(first_element + note)));
        push_line(&mut page.page.ops, x, baseline, line.runs.clone(), &line.extract);
        page.page.ops.push(Op::End);
        y += foot.leading;
    }
}

/// What page furniture is set with.
struct Furniture<'a, 'f> {
    shaper: &'a Shaper<'f>,
    breaks: &'a WordBreaks,
    direction: Direction,
}

/// Folios, running heads and margins: turn page drafts into final pages
/// (text moved to the inside/outside margins, mirrored for a document
/// bound on the right) and collect the bookmarks.
#[allow(clippy::too_many_arguments)]
fn furnish(
    pages: &mut [PageDraft],
    blocks: &[FlowBlock],
    layout: &PdfLayout,
    furniture: &Furniture,
    doc: &Document,
    width: f64,
    height: f64,
    size: f64,
) -> Vec<OutlineEntry> {
    let m = &layout.margins;
    let mut outline = Vec::new();
    let head_size = size * 0.8;
    // Running heads, shortened to the measure once per head, not per page.
    let mut shortened: HashMap<String, String> = HashMap::new();
    let words = Words::for_language(&doc.meta.language);
    let measure = width - m.inside.pt() - m.outside.pt();
    let shaper = furniture.shaper;
    // Right-to-left books are bound on the right: a recto's spine is on its right.
    let rtl = furniture.direction == Direction::Rtl;
    for (n, draft) in pages.iter_mut().enumerate() {
        let number = n + 1;
        let recto = number % 2 == 1;
        let left = if recto != rtl { m.inside.pt() } else { m.outside.pt() };
        shift(&mut draft.page.ops, left);
        if let Some((q, y)) = &draft.question_here {
            outline.push(OutlineEntry { title: q.clone(), page: n, y: *y, depth: 0 });
        }
        let anchor = draft.page.anchor;
        let blank = draft.page.ops.is_empty();
        let numbered = !blank
            && match anchor {
                Anchor::TitlePage => layout.folio_on_title,
                Anchor::Colophon => false,
                _ => true,
            };
        if numbered {
            draft.page.label = number.to_string();
            let text = words.number(number);
            let y = height - m.bottom.pt() + (m.bottom.pt() * 0.45).max(size * 1.5);
            draft.page.ops.push(Op::Begin(Tag::Artifact));
            push_centered(
                furniture,
                &mut draft.page.ops,
                &text,
                FaceId::Regular,
                head_size,
                left,
                measure,
                y,
            );
            draft.page.ops.push(Op::End);
        }
        let text_page = matches!(anchor, Anchor::Text { .. } | Anchor::Notes);
        let first_is_section_start = draft.first_block.is_some_and(|b| blocks[b].page_break_before);
        if layout.running_heads && text_page && !first_is_section_start {
            // A collection's rectos name the piece; a transcript's, the question.
            let head = if recto {
                draft.running.as_deref().map(str::to_string).or_else(|| {
                    draft
                        .question_here
                        .as_ref()
                        .map(|(q, _)| q.clone())
                        .or_else(|| draft.question_before.as_deref().map(str::to_string))
                })
            } else {
                Some(doc.meta.title.clone())
            };
            if let Some(head) = head {
                let text = shortened
                    .entry(head)
                    .or_insert_with_key(|head| shorten(shaper, head, head_size, measure * 0.9))
                    .clone();
                let y = m.top.pt() - size * 1.6;
                draft.page.ops.push(Op::Begin(Tag::Artifact));
                let ops = &mut draft.page.ops;
                push_centered(furniture, ops, &text, FaceId::Italic, head_size, left, measure, y);
                draft.page.ops.push(Op::Rule { x: left, y: y + size * 0.45, width: measure, thickness: 0.3 });
                draft.page.ops.push(Op::End);
            }
        }
    }
    // Blank pages take the anchor of what follows them.
    for n in (0..pages.len()).rev() {
        if pages[n].page.ops.is_empty() {
            pages[n].page.anchor = pages.get(n + 1).map_or(Anchor::Colophon, |p| p.page.anchor);
        }
    }
    outline
}

/// A line of furniture centred over `measure` from `left`, baseline `y`.
/// Text with right-to-left letters is set as a one-line paragraph of the
/// document's direction (shaped by direction, in visual order); other
/// text is shaped as one run.
#[allow(clippy::too_many_arguments)]
fn push_centered(
    furniture: &Furniture,
    ops: &mut Vec<Op>,
    text: &str,
    face: FaceId,
    size: f64,
    left: f64,
    measure: f64,
    y: f64,
) {
    let shaper = furniture.shaper;
    if !text.is_ascii() && text.chars().any(|c| bidi::char_direction(c) == Some(Direction::Rtl)) {
        let para = Para {
            pieces: vec![text_piece(text, Style::new(face))],
            size,
            measure: f64::from(u16::MAX),
            indent: 0.0,
            align: LineAlign::Center,
            hyphenate: false,
            direction: furniture.direction,
            keep: Vec::new(),
        };
        for line in compose(shaper, &para, furniture.breaks).into_iter().take(1) {
            push_line(ops, left + (measure - line.width) / 2.0, y, line.runs, &line.extract);
        }
        return;
    }
    let x = left + (measure - shaper.width(text, face, Features::default(), size)) / 2.0;
    let mut glyphs = Vec::new();
    shaper.shape(text, 0, face, Features::default(), size, &mut glyphs);
    let mut runs: Vec<GlyphRun> = Vec::new();
    let mut gx = 0.0;
    for g in glyphs {
        match runs.last_mut() {
            Some(r) if r.face == g.face => r.glyphs.push((g.id, gx)),
            _ => runs.push(GlyphRun { face: g.face, size, rise: 0.0, glyphs: vec![(g.id, gx)] }),
        }
        gx += g.advance;
    }
    for run in runs {
        ops.push(Op::Text { x, y, run });
    }
}

/// `text` cut at a colon or word boundary with an ellipsis to fit `width`.
fn shorten(shaper: &Shaper, text: &str, size: f64, width: f64) -> String {
    let measure = |t: &str| shaper.width(t, FaceId::Italic, Features::default(), size);
    let fits = |t: &str| measure(t) <= width;
    if fits(text) {
        return text.to_string();
    }
    if let Some((before, _)) = text.split_once(": ").filter(|(before, _)| fits(before)) {
        return before.to_string();
    }
    // The most words whose widths (shaped one by one: shaping does not
    // cross spaces) fit with the ellipsis; then checked whole, dropping
    // words while it does not fit. Linear: a heading of 10,000 words is
    // measured once, not once per word.
    let words: Vec<&str> = text.split_whitespace().collect();
    let (space, ellipsis) = (measure(" "), measure("…"));
    let mut used = ellipsis;
    let mut n = 0;
    while n + 1 < words.len() {
        let next = used + measure(words[n]) + if n > 0 { space } else { 0.0 };
        if next > width {
            break;
        }
        used = next;
        n += 1;
    }
    while n > 0 {
        let candidate = format!("{}…", words[..n].join(" ").trim_end_matches([',', ';', ':']));
        if fits(&candidate) {
            return candidate;
        }
        n -= 1;
    }
    String::new()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(pieces: &[Piece]) -> String {
        pieces
            .iter()
            .map(|p| match p {
                Piece::Text { text, .. } => text.as_str(),
                Piece::LinkStart(_) => "<",
                Piece::LinkEnd => ">",
                _ => "",
            })
            .collect()
    }

    fn plain_text(text: &str) -> Piece {
        Piece::Text { text: text.into(), style: Style::new(FaceId::Regular), counts: true }
    }

    #[test]
    fn long_paragraphs_are_cut_between_words_and_links_reopened() {
        let words: String = (0..400).map(|n| format!("word{n} ")).collect();
        let label = Piece::Text { text: "Ann: ".into(), style: Style::new(FaceId::Bold), counts: false };
        let pieces = vec![
            label,
            plain_text(&words),
            Piece::LinkStart("https://x".into()),
            plain_text(&words),
            Piece::LinkEnd,
        ];
        let parts = in_parts(pieces.clone(), 1000);
        assert!(parts.len() > 5, "{} parts", parts.len());
        for part in &parts {
            let t = text(part);
            assert!(t.len() <= 1000 + 10, "a part of {} bytes", t.len());
            assert!(t.ends_with(' ') || t.ends_with('>'), "cut inside a word: …{}", &t[t.len() - 10..]);
            assert_eq!(t.matches('<').count(), t.matches('>').count(), "links closed in each part: {t}");
        }
        let joined: String = parts.iter().map(|p| text(p)).collect::<String>().replace("><", "");
        assert_eq!(joined, text(&pieces));
    }

    #[test]
    fn a_part_goes_on_from_a_plain_character() {
        let label = Piece::Text { text: "Ann: ".into(), style: Style::new(FaceId::Bold), counts: false };
        let pieces =
            vec![label, plain_text("one two "), Piece::LinkStart("u".into()), plain_text("three four")];
        assert_eq!(text(&pieces_from(pieces.clone(), 4)), "two <three four");
        assert_eq!(text(&pieces_from(pieces.clone(), 14)), "<four");
        assert_eq!(text(&pieces_from(pieces, 0)), "Ann: one two <three four");
    }
}
