//! The wrap cover of a bound book: one sheet holding the back cover, the
//! spine and the front cover, with bleed, crop marks at the trim corners
//! and fold marks at the spine's edges.
//!
//! The spine is as thick as the interior's pages: the caller typesets the
//! interior edition (`cover.interior`) and passes its page starts in
//! [`Context::print_pages`]; leaves × caliper (or pages ÷ PPI) is the
//! spine width. Left-bound books (left-to-right scripts) have the back on
//! the left and the spine read top to bottom; right-bound books (Arabic,
//! Persian, Hebrew …) the front on the left and the spine read bottom to
//! top, so that on both the letters' tops face the front cover and the
//! title reads upright when the book lies face up. A spine thinner than
//! `cover.min-spine-text` gets no text, with a warning.
//!
//! The back carries the blurb (the front matter's `description`) and, when
//! the `identifier` is an ISBN, its EAN-13 barcode near the spine at the
//! foot ([`barcode`]); a wrong ISBN check digit is an error at the
//! `identifier` line.

pub mod barcode;

use super::compose::{LineAlign, Para, Piece, SetLine, Style, WordBreaks, compose};
use super::fonts::{FaceId, Fonts, Shaper};
use super::impose::marks::{MARK_GAP, MARK_LENGTH, crop_marks};
use super::impose::{Placement, side};
use super::set::{DocInfo, ElementRole, Op, Picture, SetDocument, SetPage, Tag, push_line};
use super::write::{WriteOptions, write_sheets};
use crate::backend::{Context, Output};
use crate::diag::{Diagnostic, Location};
use crate::layout::pdf::{Binding, CoverPicture, CoverSettings, PdfLayout, Variant};
use crate::model::isbn;
use crate::model::{Anchor, Collection, ContributorRole, Direction, Document, PageStart, Place};
use crate::typeset::Hyphenator;

const MM: f64 = 72.0 / 25.4;

/// Where the parts of a cover sheet are, in points from its top left
/// (the sheet being the trimmed cover plus bleed on every side).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct CoverGeometry {
    /// The trimmed cover: two panels and the spine.
    pub trim_width: f64,
    pub trim_height: f64,
    pub spine: f64,
    pub bleed: f64,
    /// Left edges of the back panel, the spine and the front panel.
    pub back_x: f64,
    pub spine_x: f64,
    pub front_x: f64,
    /// Right-bound (the front on the left).
    pub right_bound: bool,
}

impl CoverGeometry {
    /// A cover for pages of `width` × `height` around a spine of `spine`.
    pub fn new(width: f64, height: f64, spine: f64, bleed: f64, right_bound: bool) -> CoverGeometry {
        let (left, spine_x, right) = (bleed, bleed + width, bleed + width + spine);
        let (back_x, front_x) = if right_bound { (right, left) } else { (left, right) };
        CoverGeometry {
            trim_width: 2.0 * width + spine,
            trim_height: height,
            spine,
            bleed,
            back_x,
            spine_x,
            front_x,
            right_bound,
        }
    }

    fn panel(&self) -> f64 {
        (self.trim_width - self.spine) / 2.0
    }
}

/// What a cover says besides the front matter: the names under the
/// title, and (a collection's) the pieces listed on the back.
struct Words {
    byline: Option<String>,
    contents: Vec<String>,
}

/// Typeset and write the wrap cover of `doc`.
pub fn render(
    doc: &Document,
    layout: &PdfLayout,
    cover: &CoverSettings,
    ctx: &Context,
) -> Result<Output, Diagnostic> {
    // The participants not named in the subtitle already.
    let names: Vec<&str> = doc
        .participants
        .iter()
        .map(|p| p.name.as_str())
        .filter(|name| !doc.meta.subtitle.as_deref().unwrap_or("").contains(name))
        .collect();
    let byline = (!names.is_empty()).then(|| names.join(" · "));
    let fonts = Fonts::load_for(layout, doc)?;
    render_words(doc, &fonts, Words { byline, contents: Vec::new() }, layout, cover, ctx)
}

/// Typeset and write the wrap cover of a collection: its editors under
/// the title, and the titles of its parts on the back under the blurb.
pub fn render_collection(
    book: &Collection,
    layout: &PdfLayout,
    cover: &CoverSettings,
    ctx: &Context,
) -> Result<Output, Diagnostic> {
    let doc = book.book_document();
    let editors: Vec<&str> = doc
        .meta
        .contributors
        .iter()
        .filter(|c| c.role == ContributorRole::Editor)
        .map(|c| c.name.as_str())
        .collect();
    let byline = (!editors.is_empty()).then(|| format!("Edited by {}", editors.join(" · ")));
    let contents = book.pieces.iter().filter(|p| p.place == Place::Part).map(|p| p.title.clone()).collect();
    let mut documents: Vec<&Document> = book.pieces.iter().map(|p| &p.document).collect();
    documents.push(&doc);
    let fonts = Fonts::load_for_all(layout, &documents)?;
    render_words(&doc, &fonts, Words { byline, contents }, layout, cover, ctx)
}

fn render_words(
    doc: &Document,
    fonts: &Fonts,
    words: Words,
    layout: &PdfLayout,
    cover: &CoverSettings,
    ctx: &Context,
) -> Result<Output, Diagnostic> {
    let Some((interior, starts)) = ctx.print_pages else {
        return Err(Diagnostic::error(
            "a cover needs the page count of its interior edition (`cover.interior`); build it with `mimeo`",
        ));
    };
    let pages = interior_pages(starts);
    let spine = cover.paper.spine(pages);
    let right_bound = match cover.binding {
        Some(Binding::Right) => true,
        Some(Binding::Left) => false,
        None => doc.meta.direction == Direction::Rtl,
    };
    let bleed = layout.bleed.map_or(0.0, |b| b.pt());
    let geo = CoverGeometry::new(layout.page.width.pt(), layout.page.height.pt(), spine, bleed, right_bound);
    let isbn = match isbn::parse(&doc.meta.identifier) {
        None => None,
        Some(Ok(isbn)) => Some(isbn),
        Some(Err(why)) => return Err(identifier_error(doc, &why)),
    };
    let mut warnings = Vec::new();
    let mut shaper = Shaper::new(fonts)?;
    shaper.set_language(&doc.meta.language);
    let breaks = WordBreaks::new(Hyphenator::for_language(&doc.meta.language));
    let names = doc.participants.iter().map(|p| p.name.clone()).collect();
    let mut pen =
        Pen { shaper: &shaper, breaks: &breaks, direction: doc.meta.direction, ops: Vec::new(), names };
    let size = layout.body.size.to_pt(10.0);
    let m = &layout.margins;
    let (top, outside) = (m.top.pt(), m.outside.pt());

    // Front: title, subtitle, names; the publisher at the foot.
    let measure = geo.panel() - 2.0 * outside;
    let front = geo.front_x + outside;
    let mut y = geo.bleed + top + geo.trim_height * 0.12;
    pen.ops.push(Op::Begin(Tag::Element(0)));
    // Display sizes: the title three times the body, as a shelf reads it.
    pen.ops.push(Op::Fill { x: front, y: y - size * 3.3, width: measure, height: 2.0 });
    y = pen.block(
        &doc.meta.title,
        Style::new(FaceId::Bold),
        size * 3.0,
        size * 3.5,
        front,
        y,
        measure,
        LineAlign::Center,
    );
    if let Some(subtitle) = &doc.meta.subtitle {
        y = pen.block(
            subtitle,
            Style::new(FaceId::Italic),
            size * 1.6,
            size * 2.0,
            front,
            y + size,
            measure,
            LineAlign::Center,
        );
    }
    if let Some(byline) = &words.byline {
        let style = Style::new(FaceId::Regular).small_caps();
        y = pen.block(
            byline,
            style,
            size * 1.3,
            size * 1.7,
            front,
            y + size * 2.0,
            measure,
            LineAlign::Center,
        );
    }
    pen.ops.push(Op::End);
    let foot = geo.bleed + geo.trim_height - m.bottom.pt();
    // The picture, framed between the names and the publisher.
    let mut images = Vec::new();
    if let (Some(image), CoverPicture::Framed) = (&doc.meta.cover, cover.picture) {
        let (top_y, bottom_y) = (y + size * 0.5, foot - size * 2.5);
        let natural = (f64::from(image.width.max(1)), f64::from(image.height.max(1)));
        let scale = (measure / natural.0).min((bottom_y - top_y) / natural.1);
        if scale > 0.0 {
            let (w, h) = (natural.0 * scale, natural.1 * scale);
            let (x, y) = (front + (measure - w) / 2.0, top_y + (bottom_y - top_y - h) / 2.0);
            images.push(Picture { path: image.path.clone(), format: image.format, alt: image.alt.clone() });
            pen.ops.push(Op::Begin(Tag::Artifact));
            pen.ops.push(Op::Image { x, y, width: w, height: h, image: 0 });
            pen.ops.push(Op::End);
        }
    }
    if let (Some(image), CoverPicture::FullBleed) = (&doc.meta.cover, cover.picture) {
        // The whole front to the bleed's edge, under the text: the art must
        // have the panel's proportions (as the services ask for art made to
        // size), since a picture is neither stretched nor cropped.
        let x = if right_bound { 0.0 } else { geo.front_x };
        let (w, h) = (geo.panel() + geo.bleed, geo.trim_height + 2.0 * geo.bleed);
        let ratio = f64::from(image.width.max(1)) / f64::from(image.height.max(1));
        if (ratio / (w / h) - 1.0).abs() > 0.02 {
            let diag = Diagnostic::error(format!(
                "the `cover:` picture is {} × {} pixels ({ratio:.3} : 1); a full-bleed front is {:.1} × {:.1} mm \
                 with its bleed ({:.3} : 1)",
                image.width,
                image.height,
                w / MM,
                h / MM,
                w / h
            ))
            .hint("crop the picture to those proportions, or set `cover.picture: framed`");
            return Err(at_key(doc, "cover", diag));
        }
        images.push(Picture { path: image.path.clone(), format: image.format, alt: image.alt.clone() });
        let art = [Op::Begin(Tag::Artifact), Op::Image { x, y: 0.0, width: w, height: h, image: 0 }, Op::End];
        pen.ops.splice(0..0, art);
    }
    if let Some(publisher) = &doc.meta.publisher {
        pen.block(
            publisher,
            Style::new(FaceId::Regular).small_caps(),
            size * 1.1,
            size * 1.4,
            front,
            foot,
            measure,
            LineAlign::Center,
        );
    }

    // Back: the blurb, the barcode near the spine at the foot.
    let back = geo.back_x + outside;
    let mut blurb_end = geo.bleed + geo.trim_height * 0.2;
    match &doc.meta.description {
        Some(blurb) => {
            // Set as a blurb: larger than the book's text, ragged right and
            // unhyphenated (a word broken on a cover reads as a mistake),
            // on a narrower measure, its top a fifth of the way down.
            let blurb_size = size * 1.35;
            let y = geo.bleed + geo.trim_height * 0.2 + blurb_size;
            pen.ops.push(Op::Begin(Tag::Element(1)));
            let below = pen.block(
                blurb,
                Style::new(FaceId::Regular),
                blurb_size,
                blurb_size * 1.4,
                back + measure * 0.06,
                y,
                measure * 0.88,
                LineAlign::Left,
            );
            pen.ops.push(Op::End);
            blurb_end = below;
        }
        None => warnings
            .push(Diagnostic::warning("the front matter has no `description`: the back cover has no blurb")),
    }
    if !words.contents.is_empty() {
        // A collection's parts, under the blurb, as a short contents.
        let mut y = blurb_end + size * 2.0;
        pen.ops.push(Op::Begin(Tag::Element(1)));
        y = pen.block(
            "In this book",
            Style::new(FaceId::Regular).small_caps(),
            size * 1.1,
            size * 1.6,
            back + measure * 0.06,
            y,
            measure * 0.88,
            LineAlign::Left,
        );
        for title in &words.contents {
            y = pen.block(
                title,
                Style::new(FaceId::Italic),
                size * 1.1,
                size * 1.45,
                back + measure * 0.06,
                y + size * 0.3,
                measure * 0.88,
                LineAlign::Left,
            );
        }
        pen.ops.push(Op::End);
    }
    if let Some(isbn) = &isbn {
        let code = barcode::barcode(isbn, cover.price_code.as_deref()).map_err(Diagnostic::error)?;
        // Near the spine: the back panel's right edge on a left-bound book.
        let x = if right_bound {
            geo.back_x + 12.0 * MM
        } else {
            geo.back_x + geo.panel() - 12.0 * MM - code.width
        };
        let y = geo.bleed + geo.trim_height - 12.0 * MM - code.height;
        pen.ops.push(Op::Begin(Tag::Artifact));
        for bar in &code.bars {
            pen.ops.push(Op::Fill { x: x + bar.x, y: y + bar.y, width: bar.width, height: bar.height });
        }
        for label in &code.labels {
            let face = if label.size == barcode::LABEL_SIZE { FaceId::Regular } else { FaceId::Mono };
            let line = pen.line(&label.text, Style::new(face), label.size);
            let width = line.width;
            push_line(&mut pen.ops, x + label.x - width / 2.0, y + label.y, line.runs, &line.extract);
        }
        pen.ops.push(Op::End);
    }

    // Spine: title (and publisher), turned, centred across the spine.
    if spine + 0.01 < cover.min_spine_text.pt() {
        warnings.push(Diagnostic::warning(format!(
            "the spine is {:.1} mm ({pages} pages of `{interior}`), thinner than `cover.min-spine-text` \
             ({:.1} mm): it has no text",
            spine / MM,
            cover.min_spine_text.pt() / MM
        )));
    } else {
        let text_size = (spine * 0.55).min(size * 1.3);
        let mut spine_text = doc.meta.title.clone();
        if let Some(publisher) = &doc.meta.publisher {
            spine_text.push_str("  ·  ");
            spine_text.push_str(publisher);
        }
        let line = pen.line(&spine_text, Style::new(FaceId::Bold), text_size);
        let length = geo.trim_height - 2.0 * top;
        let shrink = if line.width > length { length / line.width } else { 1.0 };
        let (line, text_size) = if shrink < 1.0 {
            (pen.line(&spine_text, Style::new(FaceId::Bold), text_size * shrink), text_size * shrink)
        } else {
            (line, text_size)
        };
        let centre_x = geo.spine_x + spine / 2.0;
        let centre_y = geo.bleed + geo.trim_height / 2.0;
        // Turned about the centre of the spine; drawn centred on it, the
        // x-height's middle on the spine's axis.
        let clockwise = !right_bound;
        pen.ops.push(Op::Begin(Tag::Element(0)));
        pen.ops.push(Op::Turn { x: centre_x, y: centre_y, clockwise });
        let baseline = centre_y + text_size * 0.33;
        push_line(&mut pen.ops, centre_x - line.width / 2.0, baseline, line.runs, &line.extract);
        pen.ops.push(Op::Unturn);
        pen.ops.push(Op::End);
    }

    let ops = std::mem::take(&mut pen.ops);
    drop(pen);
    let (glyphs, _missing) = shaper.finish();
    let sheet_w = geo.trim_width + 2.0 * bleed;
    let sheet_h = geo.trim_height + 2.0 * bleed;
    let info = DocInfo {
        title: format!("{} (cover)", doc.meta.title),
        subtitle: doc.meta.subtitle.clone(),
        authors: doc.participants.iter().map(|p| p.name.clone()).collect(),
        language: doc.meta.language.clone(),
        identifier: doc.meta.identifier.clone(),
        description: doc.meta.description.clone(),
        keywords: doc.meta.keywords.clone(),
        publisher: doc.meta.publisher.clone(),
        rights: doc.meta.rights.clone(),
        epoch: ctx.epoch,
        ..Default::default()
    };
    let mut set = SetDocument {
        width: sheet_w,
        height: sheet_h,
        pages: vec![SetPage { label: String::new(), anchor: Anchor::TitlePage, piece: None, ops }],
        outline: Vec::new(),
        glyphs,
        // The front's title block and spine, the blurb (for spot inks).
        elements: vec![ElementRole::Title, ElementRole::Paragraph],
        images,
        info,
        warnings: Vec::new(),
    };
    // The sheet: the cover with bleed, and room for the marks around it.
    if layout.variant == Variant::Riso {
        super::inks::apply(&mut set, doc, layout, super::inks::Plan::new(layout, true));
    }
    let margin = if layout.crop_marks { bleed + MARK_GAP + MARK_LENGTH } else { bleed };
    let trim = [margin, margin, margin + geo.trim_width, margin + geo.trim_height];
    let mut sheet = side(geo.trim_width + 2.0 * margin, geo.trim_height + 2.0 * margin, trim, bleed);
    sheet.placements.push(Placement { page: Some(0), x: margin - bleed, y: margin - bleed, rotated: false });
    if layout.crop_marks {
        let folds = [margin + geo.panel(), margin + geo.panel() + spine];
        sheet.marks = crop_marks(trim, bleed, &folds);
    }
    let options = WriteOptions {
        outline: false,
        k_only: layout.variant == Variant::Print || layout.drum.is_some(),
        pdf_x: layout.variant != Variant::Screen,
    };
    let bytes = write_sheets(&mut set, fonts, &[sheet], options)?;
    let page_starts =
        vec![PageStart { label: String::new(), anchor: Anchor::TitlePage, piece: None, blank: false }];
    Ok(Output { bytes, pages: Some(1), page_starts, warnings })
}

/// The interior's page count as bound: imposed editions' page starts are
/// of the padded pages already; an odd count still makes a whole leaf.
fn interior_pages(starts: &[PageStart]) -> usize {
    starts.len()
}

/// The error for a wrong ISBN, at the `identifier` line of the source.
fn identifier_error(doc: &Document, why: &str) -> Diagnostic {
    let diag = Diagnostic::error(format!("front matter `identifier`: {why}"))
        .hint("correct the ISBN, or give another kind of identifier (e.g. `urn:uuid:…`)");
    at_key(doc, "identifier", diag)
}

/// `diag` at the line of the front matter's `key` in the source.
fn at_key(doc: &Document, key: &str, diag: Diagnostic) -> Diagnostic {
    let Some(path) = doc.source.as_deref() else { return diag };
    let line = crate::files::read_text(path, crate::files::Kind::Source).ok().and_then(|text| {
        text.lines()
            .position(|l| l.trim_start().strip_prefix(key).is_some_and(|r| r.trim_start().starts_with(':')))
    });
    match line {
        Some(n) => diag.at(Location::at(path, n + 1, 1)),
        None => diag.at(Location::file(path)),
    }
}

/// Sets lines and keeps their ops.
struct Pen<'a, 'f> {
    shaper: &'a Shaper<'f>,
    breaks: &'a WordBreaks,
    direction: Direction,
    ops: Vec<Op>,
    /// The participants' names, never broken inside.
    names: Vec<String>,
}

impl Pen<'_, '_> {
    /// One line of `text`, unbroken.
    fn line(&self, text: &str, style: Style, size: f64) -> SetLine {
        let para = self.para(text, style, size, 1.0e6, LineAlign::Left);
        compose(self.shaper, &para, self.breaks).into_iter().next().unwrap_or_default()
    }

    fn para(&self, text: &str, style: Style, size: f64, measure: f64, align: LineAlign) -> Para {
        Para {
            pieces: vec![Piece::Text { text: text.to_string(), style, counts: true }],
            size,
            measure,
            indent: 0.0,
            align,
            hyphenate: align == LineAlign::Justify,
            direction: self.direction,
            keep: self.names.clone(),
        }
    }

    /// A paragraph from the baseline `y` of its first line down; returns
    /// the baseline below its last line.
    #[allow(clippy::too_many_arguments)]
    fn block(
        &mut self,
        text: &str,
        style: Style,
        size: f64,
        leading: f64,
        x: f64,
        mut y: f64,
        measure: f64,
        align: LineAlign,
    ) -> f64 {
        let para = self.para(text, style, size, measure, align);
        for line in compose(self.shaper, &para, self.breaks) {
            let shift = if align == LineAlign::Center { (measure - line.width) / 2.0 } else { 0.0 };
            push_line(&mut self.ops, x + shift, y, line.runs, &line.extract);
            y += leading;
        }
        y
    }
}
