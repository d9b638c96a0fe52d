//! The EPUB 3 backend: the model → a reproducible, accessible e-book.
//!
//! [`xhtml`] writes the content documents (cover, title page,
//! introduction, participants, one document per question, notes, colophon)
//! with page-break markers where the printed edition's pages begin;
//! [`cover`] draws a typographic cover when the front matter names none;
//! epub-builder assembles manifest, spine, nav and NCX; [`archive`] writes the
//! zip with fixed times and completes the package metadata.

mod archive;
mod cover;
mod overlay;
mod table;
mod xhtml;
mod xml;

use epub_builder::{EpubBuilder, EpubContent, EpubVersion, PageDirection, ReferenceType, ZipLibrary};

use crate::backend::{Context, Output};
use crate::diag::Diagnostic;
use crate::layout::epub::EpubLabels;
use crate::layout::{Align, AudioPlacement, EpubLayout};
use crate::model::{Collection, ContributorRole, Direction, Document, Kind, Parallel, Role, Words};

use archive::Patches;
use xhtml::{Labels, Page, Part, ParticipantsAt, Writer};

/// The stylesheet every layout starts from.
const STYLE: &str = include_str!("style.css");

/// The largest e-book Send to Kindle and KDP accept (50 MB).
const KINDLE_MAX_BYTES: usize = 50_000_000;

/// What `dcterms:conformsTo` claims, and Ace by DAISY checks.
const CONFORMANCE: &str = "EPUB Accessibility 1.1 - WCAG 2.1 Level AA";

/// Render `doc` as an EPUB 3 with `layout`. When `ctx.print_pages` is
/// given, the book carries that printed edition's page numbers.
pub fn render(doc: &Document, layout: &EpubLayout, ctx: &Context) -> Result<Output, Diagnostic> {
    if layout.parallel {
        return Err(bilingual_only());
    }
    let labels = &Labels::new(&layout.labels, Words::for_language(&doc.meta.language));
    let mut warnings = Vec::new();
    let (print_layout, page_starts) = match ctx.print_pages {
        Some((name, starts)) => (Some(name), starts),
        None => (None, &[][..]),
    };
    let mut writer = Writer::new(doc, labels, page_starts);
    if doc.meta.audio.is_some() {
        writer = writer.with_overlays();
    }
    let cover = Cover::of(doc, &mut warnings)?;

    // The content documents, in reading order.
    let mut pages: Vec<Page> = vec![writer.cover(&cover.href, &cover::alt(doc)), writer.title_page()];
    pages.extend(body_pages(&mut writer));
    let has_pages = !writer.placed().is_empty();
    pages.push(writer.colophon(print_layout, has_pages));

    let unplaced: Vec<String> = writer.unplaced().into_iter().map(str::to_string).collect();
    warn_unplaced(print_layout, &unplaced, &mut warnings);
    let placed = writer.placed();
    let book = Book {
        nav_extra: page_list_nav(&placed, labels),
        ncx_pages: owned(&placed),
        pages: pages.into_iter().map(|page| (page, 1)).collect(),
        print_layout: print_layout.filter(|_| has_pages),
        cover,
        overlays: Overlays::of(doc, layout, &writer.pars, &mut warnings),
    };
    let images = std::mem::take(&mut writer.images);
    package(doc, layout, ctx, &writer, book, images, warnings)
}

/// The Media Overlays of a read-along book: one SMIL file per content
/// document with timed text, and the recording they play.
#[derive(Default)]
struct Overlays {
    /// `(content document, SMIL href, SMIL text, duration in ms)`.
    documents: Vec<(String, String, String, u64)>,
    /// The recording: its href in the package (or its URL), media type,
    /// and file (`None` when linked, not embedded).
    audio: Option<(String, &'static str, Option<std::path::PathBuf>)>,
}

impl Overlays {
    fn of(
        doc: &Document,
        layout: &EpubLayout,
        pars: &[overlay::Par],
        warnings: &mut Vec<Diagnostic>,
    ) -> Self {
        let Some(audio) = doc.meta.audio.as_ref().filter(|_| !pars.is_empty()) else {
            return Overlays::default();
        };
        let link = match (layout.audio, &audio.url) {
            (AudioPlacement::Link, Some(url)) => Some(url.clone()),
            (AudioPlacement::Link, None) => {
                warnings.push(
                    Diagnostic::warning("the layout links the recording (`audio: link`), but the source gives no `audio-url:`")
                        .at(crate::diag::Location::at(doc.source.as_deref().unwrap_or(std::path::Path::new("")), audio.line, audio.column))
                        .hint("add `audio-url:` with the address the recording is published at; until then it is embedded"),
                );
                None
            }
            (AudioPlacement::Embed, _) => None,
        };
        if link.is_none() && audio.bytes > KINDLE_MAX_BYTES as u64 {
            warnings.push(
                Diagnostic::warning(format!(
                    "the recording `{}` is {:.1} MB; stores and Send to Kindle take e-books under 50 MB",
                    audio.source_path,
                    audio.bytes as f64 / 1e6
                ))
                .at(crate::diag::Location::at(doc.source.as_deref().unwrap_or(std::path::Path::new("")), audio.line, audio.column))
                .hint("publish it and give `audio-url:`, then build with a layout that says `audio: link`; or encode it at a lower bit rate"),
            );
        }
        let (href, from_smil, file) = match link {
            Some(url) => (url.clone(), url, None),
            None => {
                let href = format!("audio/recording.{}", audio.format.extension());
                (href.clone(), format!("../{href}"), Some(audio.path.clone()))
            }
        };
        let mut documents: Vec<(String, String, String, u64)> = Vec::new();
        let mut files: Vec<&str> = pars.iter().map(|p| p.file.as_str()).collect();
        files.dedup();
        for file in files {
            let mine: Vec<&overlay::Par> = pars.iter().filter(|p| p.file == file).collect();
            let stem = file.strip_suffix(".xhtml").unwrap_or(file);
            let smil_href = format!("{}/{stem}.smil", overlay::FOLDER);
            documents.push((
                file.to_string(),
                smil_href,
                overlay::smil(file, &mine, &from_smil),
                overlay::duration(&mine),
            ));
        }
        Overlays { documents, audio: Some((href, audio.format.media_type(), file)) }
    }

    fn total_ms(&self) -> u64 {
        self.documents.iter().map(|d| d.3).sum()
    }
}

/// Render a collection as one EPUB: the book's cover and title page, then
/// each piece (its opening, introduction, participants, questions and
/// notes, in its own language and direction, its files named apart so
/// that nothing collides), nested under its title in the contents, then
/// one colophon naming every piece.
pub fn render_collection(
    collection: &Collection,
    layout: &EpubLayout,
    ctx: &Context,
) -> Result<Output, Diagnostic> {
    if layout.parallel {
        return Err(bilingual_only());
    }
    let doc = &collection.book_document();
    let words = Words::for_language(&doc.meta.language);
    let labels = &Labels::new(&layout.labels, words);
    let (print_layout, page_starts) = match ctx.print_pages {
        Some((name, starts)) => (Some(name), starts),
        None => (None, &[][..]),
    };
    // The print sets every folio in the book's digits, the pieces' too.
    let by_piece = xhtml::pages_by_piece(page_starts);
    let own = |piece: Option<usize>| by_piece.get(&piece).map_or(&[][..], Vec::as_slice);
    let mut writer = Writer::with_pages(doc, labels, page_starts, own(None), words);
    let mut warnings = Vec::new();
    let cover = Cover::of(doc, &mut warnings)?;
    let mut pages = vec![(writer.cover(&cover.href, &cover::alt(doc)), 1), (writer.title_page(), 1)];
    let mut images = Vec::new();
    // `(label, href)` of the pieces' page markers, in reading order.
    let (mut placed, mut unplaced) = (Vec::new(), Vec::new());
    for (n, piece) in collection.pieces.iter().enumerate() {
        let piece_labels = Labels::new(&layout.labels, Words::for_language(&piece.document.meta.language));
        let mut piece_writer =
            Writer::with_pages(&piece.document, &piece_labels, page_starts, own(Some(n)), words)
                .in_piece(n + 1);
        // Titles in the piece's language where the book's is another.
        let language = (piece_writer.language() != writer.language())
            .then(|| xhtml::language_attributes(piece_writer.language(), piece.document.meta.direction));
        piece_writer.open_piece(&piece.title);
        let mut rest = body_pages(&mut piece_writer);
        for page in rest.iter_mut() {
            if let Some(language) = &language {
                page.title_language = language.clone();
            }
        }
        // The piece's first page opens it: the piece's title in the
        // contents, its other pages beneath (not "Introduction ›
        // Introduction" for a piece that is an introduction).
        let mut rest = rest.into_iter();
        if let Some(mut first) = rest.next() {
            first.title = xml::clean_field(&piece.title);
            if language.is_none() {
                first.title_language.clear();
            }
            pages.push((first, 1));
        }
        pages.extend(rest.map(|page| (page, 2)));
        images.append(&mut piece_writer.images);
        placed.extend(piece_writer.placed().into_iter().map(|(l, h)| (l.to_string(), h.to_string())));
        unplaced.extend(piece_writer.unplaced().into_iter().map(str::to_string));
    }
    // The book's colophon comes last: its page markers too.
    let has_pages = !placed.is_empty() || !writer.placed().is_empty();
    let mut colophon = writer.colophon(print_layout, has_pages);
    writer.pieces_colophon(&mut colophon, &collection.pieces);
    pages.push((colophon, 1));
    let (book_placed, rest) =
        writer.placed().into_iter().partition::<Vec<_>, _>(|(_, href)| !href.starts_with("colophon"));
    let placed: Vec<(String, String)> = book_placed
        .into_iter()
        .map(|(l, h)| (l.to_string(), h.to_string()))
        .chain(placed)
        .chain(rest.into_iter().map(|(l, h)| (l.to_string(), h.to_string())))
        .collect();
    unplaced.extend(writer.unplaced().into_iter().map(str::to_string));
    warn_unplaced(print_layout, &unplaced, &mut warnings);
    let placed: Vec<(&str, &str)> = placed.iter().map(|(l, h)| (l.as_str(), h.as_str())).collect();
    let book = Book {
        nav_extra: page_list_nav(&placed, labels),
        ncx_pages: owned(&placed),
        pages,
        print_layout: print_layout.filter(|_| has_pages),
        cover,
        overlays: Overlays::default(),
    };
    package(doc, layout, ctx, &writer, book, images, warnings)
}

/// The introduction, participants, questions and notes of one document;
/// the participants where the printed edition has them (see
/// [`ParticipantsAt`]), so that one order holds for both.
/// A bilingual layout asked of one document.
fn bilingual_only() -> Diagnostic {
    Diagnostic::error("a bilingual layout (`parallel: true`) is made from a translation and its original")
        .hint("build the translation: `mimeo build TRANSLATION.md --layout epub-parallel`")
}

/// Render a translation with its original as one bilingual EPUB (issue
/// 31): the translation's cover, title page, participants, colophon and
/// navigation; each question and turn of the original followed by its
/// translation (side by side on wide screens, stacked on narrow ones),
/// each half in its own language and direction; both sets of notes.
pub fn render_parallel(pair: &Parallel, layout: &EpubLayout, ctx: &Context) -> Result<Output, Diagnostic> {
    let doc = &pair.translation;
    let theirs = &pair.original;
    let labels = &Labels::new(&layout.labels, Words::for_language(&doc.meta.language));
    let their_labels = &Labels::new(&EpubLabels::default(), Words::for_language(&theirs.meta.language));
    let mut warnings = Vec::new();
    let mut writer = Writer::new(doc, labels, &[]);
    let mut original = Writer::new(theirs, their_labels, &[]).for_original();
    let cover = Cover::of(doc, &mut warnings)?;
    let mut pages = vec![writer.cover(&cover.href, &cover::alt(doc)), writer.title_page()];
    if !doc.participants.is_empty() {
        pages.push(writer.participants());
    }
    if !doc.introduction.is_empty() || !theirs.introduction.is_empty() {
        pages.push(writer.parallel_introduction(&mut original));
    }
    for (i, (ours, their_section)) in pair.sections().map(|(a, b)| (b, a)).enumerate() {
        pages.push(writer.parallel_section(&mut original, i, ours, their_section));
    }
    if !doc.notes.is_empty() {
        pages.push(writer.notes());
    }
    if !theirs.notes.is_empty() {
        pages.push(original.original_notes());
    }
    pages.push(writer.colophon(None, false));
    let book = Book {
        nav_extra: String::new(),
        ncx_pages: Vec::new(),
        pages: pages.into_iter().map(|page| (page, 1)).collect(),
        print_layout: None,
        cover,
        overlays: Overlays::default(),
    };
    let mut images = std::mem::take(&mut writer.images);
    images.append(&mut original.images);
    package(doc, layout, ctx, &writer, book, images, warnings)
}

fn body_pages(writer: &mut Writer) -> Vec<Page> {
    let doc = writer.document();
    let mut pages = Vec::new();
    let at = writer.participants_at;
    let participants = |writer: &mut Writer, pages: &mut Vec<Page>, here: ParticipantsAt| {
        if here == at && !doc.participants.is_empty() {
            pages.push(writer.participants());
        }
    };
    participants(writer, &mut pages, ParticipantsAt::BeforeIntroduction);
    if !doc.introduction.is_empty() {
        pages.push(writer.introduction());
    }
    participants(writer, &mut pages, ParticipantsAt::AfterIntroduction);
    for (i, section) in doc.sections.iter().enumerate() {
        pages.push(writer.section(i, section));
    }
    participants(writer, &mut pages, ParticipantsAt::End);
    if !doc.notes.is_empty() {
        pages.push(writer.notes());
    }
    pages
}

/// The cover image: the front matter's, or a typographic one drawn now;
/// an SVG cover goes in as a PNG drawn from it, as Kindle and Calibre's
/// conversions keep raster covers only.
struct Cover {
    href: String,
    media_type: &'static str,
    bytes: Vec<u8>,
}

impl Cover {
    fn of(doc: &Document, warnings: &mut Vec<Diagnostic>) -> Result<Cover, Diagnostic> {
        let png = |bytes: Vec<u8>| Cover { href: "images/cover.png".into(), media_type: "image/png", bytes };
        let failed = |source: &str, e: String| {
            Diagnostic::error(format!("cannot read the cover image `{source}`: {e}"))
        };
        Ok(match &doc.meta.cover {
            Some(image) if image.format == crate::model::ImageFormat::Svg => {
                let tree = crate::svg::read(&image.path).map_err(|e| failed(&image.source_path, e))?;
                png(cover::raster(&tree).map_err(|e| failed(&image.source_path, e))?)
            }
            Some(image) => {
                let bytes = picture_bytes(&image.path, image.format.media_type())
                    .map_err(|e| failed(&image.source_path, e))?;
                if image.width.max(image.height) < cover::RASTER_LONG_SIDE {
                    warnings.push(
                        Diagnostic::warning(format!(
                            "the cover image `{}` is {} × {} pixels; Kindle asks for at least {} on the long side",
                            image.source_path,
                            image.width,
                            image.height,
                            cover::RASTER_LONG_SIDE
                        ))
                        .hint("a larger image, or an SVG cover (mimeo draws it at that size)"),
                    );
                }
                let href = format!("images/cover.{}", image.format.extension());
                Cover { href, media_type: image.format.media_type(), bytes }
            }
            None => {
                let tree = crate::svg::parse(cover::svg(doc).as_bytes()).map_err(Diagnostic::error)?;
                png(cover::raster(&tree).map_err(Diagnostic::error)?)
            }
        })
    }
}

/// What goes into the package besides the metadata of `doc`.
struct Book<'a> {
    /// Content documents in reading order, each with its contents level.
    pages: Vec<(Page, i32)>,
    /// The nav's page list (empty without one).
    nav_extra: String,
    /// `(label, href)` of the printed pages, for the NCX's page list.
    ncx_pages: Vec<(String, String)>,
    /// The printed edition whose page numbers the book carries.
    print_layout: Option<&'a str>,
    cover: Cover,
    overlays: Overlays,
}

/// Assemble the EPUB: metadata, stylesheet, cover, images and content
/// documents, then re-pack it reproducibly with mimeo's patches.
fn package(
    doc: &Document,
    layout: &EpubLayout,
    ctx: &Context,
    writer: &Writer,
    book: Book<'_>,
    images: Vec<xhtml::Resource>,
    warnings: Vec<Diagnostic>,
) -> Result<Output, Diagnostic> {
    let labels = writer.labels;
    let mut warnings = warnings;
    if layout.embed_fonts {
        warnings.push(
            Diagnostic::warning("`embed-fonts: true`: mimeo bundles no fonts yet, so none are embedded")
                .hint("the e-book uses the reader's fonts"),
        );
    }
    let has_images = !images.is_empty();
    let overlays = &book.overlays;
    let mut opf = opf_metadata(doc, ctx.epoch, book.print_layout, has_images, overlays.audio.is_some());
    if overlays.audio.is_some() {
        opf.truncate(opf.trim_end().len() + 1);
        opf.push_str(&overlay_metadata(doc, overlays));
        opf.push_str("  ");
    }
    let mut patches = Patches {
        opf_metadata: opf,
        stored: Vec::new(),
        overlays: overlays
            .documents
            .iter()
            .map(|(file, smil, _, ms)| (file.clone(), smil.clone(), crate::model::clock_ms(*ms)))
            .collect(),
        remote: match &overlays.audio {
            Some((url, media_type, None)) => Some((url.clone(), media_type.to_string())),
            _ => None,
        },
        language_attributes: format!("xml:lang=\"{}\" dir=\"{}\"", writer.language(), writer.direction()),
        html_attributes: format!(
            "xml:lang=\"{lang}\" lang=\"{lang}\" dir=\"{dir}\"",
            lang = writer.language(),
            dir = writer.direction()
        ),
        nav_extra: book.nav_extra,
        nav_languages: book
            .pages
            .iter()
            .filter(|(p, _)| !p.title_language.is_empty())
            .map(|(p, _)| (p.file.clone(), p.title_language.clone()))
            .collect(),
        nav_title_language: writer.label_attributes(&labels.contents).to_string(),
        ncx_title: xml::field(&doc.meta.title),
        ncx_pages: book.ncx_pages,
        pages_label: labels.pages.clone(),
    };

    let failed = |e: epub_builder::Error| Diagnostic::error(format!("cannot assemble the EPUB: {e}"));
    let mut builder = EpubBuilder::new(ZipLibrary::new().map_err(failed)?).map_err(failed)?;
    builder.epub_version(EpubVersion::V30);
    builder.epub_direction(match doc.meta.direction {
        Direction::Ltr => PageDirection::Ltr,
        Direction::Rtl => PageDirection::Rtl,
    });
    // The spine's page-progression-direction comes from this metadata key.
    builder.metadata("direction", writer.direction()).map_err(failed)?;
    builder.metadata("lang", writer.language()).map_err(failed)?;
    builder.metadata("title", xml::clean_field(&doc.meta.title)).map_err(failed)?;
    builder.metadata("generator", "mimeo").map_err(failed)?;
    builder.metadata("toc_name", labels.contents.as_str()).map_err(failed)?;
    if let Some(time) = chrono::DateTime::from_timestamp(ctx.epoch, 0) {
        builder.set_modified_date(time);
    }
    builder.set_uuid(uuid::Uuid::new_v5(&uuid::Uuid::NAMESPACE_URL, doc.meta.identifier.as_bytes()));
    let mut style = stylesheet(layout);
    if overlays.audio.is_some() {
        style.push_str(overlay::STYLE);
    }
    builder.stylesheet(style.as_bytes()).map_err(failed)?;
    // Pictures and the recording are compressed already: epub-builder gets
    // an empty file in their place (it would deflate them, at a quarter of
    // the EPUB's time for the cover alone), and the re-pack stores them.
    let mut stored = Vec::new();
    if let Some((href, media_type, Some(path))) = &overlays.audio {
        let bytes = std::fs::read(path)
            .map_err(|e| Diagnostic::error(format!("cannot read the recording `{}`: {e}", path.display())))?;
        builder.add_resource(href, [].as_slice(), *media_type).map_err(failed)?;
        stored.push((format!("OEBPS/{href}"), bytes));
    }
    for (_, smil_href, smil, _) in &overlays.documents {
        builder.add_resource(smil_href, smil.as_bytes(), "application/smil+xml").map_err(failed)?;
    }
    let cover = &book.cover;
    builder.add_cover_image(&cover.href, [].as_slice(), cover.media_type).map_err(failed)?;
    stored.push((format!("OEBPS/{}", cover.href), cover.bytes.clone()));
    for image in &images {
        let bytes = picture_bytes(&image.path, image.media_type)
            .map_err(|e| Diagnostic::error(format!("cannot read image `{}`: {e}", image.path.display())))?;
        builder.add_resource(&image.href, [].as_slice(), image.media_type).map_err(failed)?;
        stored.push((format!("OEBPS/{}", image.href), bytes));
    }
    patches.stored = stored;
    let first_body =
        book.pages.iter().position(|(p, _)| matches!(p.part, Part::Introduction | Part::Section));
    for (i, (page, level)) in book.pages.iter().enumerate() {
        let mut content = EpubContent::new(page.file.as_str(), page.xhtml.as_bytes())
            .title(page.title.as_str())
            .level(*level);
        let reftype = match page.part {
            Part::Cover => Some(ReferenceType::Cover),
            Part::TitlePage => Some(ReferenceType::TitlePage),
            Part::Notes => Some(ReferenceType::Notes),
            Part::Colophon => Some(ReferenceType::Colophon),
            _ if Some(i) == first_body => Some(ReferenceType::Text),
            _ => None,
        };
        if let Some(reftype) = reftype {
            content = content.reftype(reftype);
        }
        builder.add_content(content).map_err(failed)?;
    }
    let mut built = Vec::new();
    builder.generate(&mut built).map_err(failed)?;
    let bytes = archive::repack(&built, ctx.epoch, &patches).map_err(Diagnostic::error)?;
    if bytes.len() > KINDLE_MAX_BYTES {
        warnings.push(
            Diagnostic::warning(format!(
                "the e-book is {:.1} MB; Send to Kindle and KDP take books under 50 MB",
                bytes.len() as f64 / 1e6
            ))
            .hint("smaller pictures (or fewer) make it fit"),
        );
    }
    Ok(Output { bytes, pages: None, page_starts: Vec::new(), warnings })
}

/// The layout's stylesheet: the base, its paragraphs aligned as the
/// layout says (in the one `p` rule: a second, or one after more specific
/// rules, is what Calibre's book check reports as an error).
fn stylesheet(layout: &EpubLayout) -> String {
    let align = match layout.align {
        Align::Justify => "  text-align: justify;\n  -webkit-hyphens: auto;\n  hyphens: auto;\n",
        Align::Ragged => "  text-align: start;\n",
    };
    let style = STYLE.replacen(PARAGRAPH, &format!("{PARAGRAPH}{align}"), 1);
    if layout.parallel { style + PAIR_STYLE } else { style }
}

/// A bilingual book's pairs: side by side where the screen is wide
/// enough for two measures, one above the other on a phone.
const PAIR_STYLE: &str = "
div.pair {
  margin: 0 0 1em 0;
}
div.pair > div.original {
  color: #444;
}
@media (min-width: 40em) {
  div.pair {
    display: flex;
    gap: 1.5em;
  }
  div.pair > div {
    flex: 1 1 0;
    min-width: 0;
  }
}
p.question {
  font-weight: bold;
}
";

/// The start of the stylesheet's one rule for all paragraphs.
const PARAGRAPH: &str = "\np {\n  margin: 0 0 0.7em;\n";

fn owned(placed: &[(&str, &str)]) -> Vec<(String, String)> {
    placed.iter().map(|(l, h)| (l.to_string(), h.to_string())).collect()
}

/// A warning for the printed pages that found no place in the e-book.
fn warn_unplaced(print_layout: Option<&str>, unplaced: &[String], warnings: &mut Vec<Diagnostic>) {
    if let (Some(name), false) = (print_layout, unplaced.is_empty()) {
        warnings.push(
            Diagnostic::warning(format!(
                "{} page start(s) of the `{name}` edition found no place in the e-book (pages {})",
                unplaced.len(),
                unplaced.iter().take(5).map(String::as_str).collect::<Vec<_>>().join(", ")
            ))
            .hint("the page list leaves them out; the other page numbers are unaffected"),
        );
    }
}

/// The nav document's page list of the `(label, href)` placed, or nothing
/// when no page was placed.
fn page_list_nav(placed: &[(&str, &str)], labels: &Labels) -> String {
    if placed.is_empty() {
        return String::new();
    }
    let mut nav = String::from(
        "  <nav epub:type=\"page-list\" id=\"page-list\" role=\"doc-pagelist\" aria-labelledby=\"page-list-title\" hidden=\"hidden\">\n    <h2 id=\"page-list-title\">",
    );
    xml::push_text(&mut nav, &labels.pages);
    nav.push_str("</h2>\n    <ol>\n");
    for (label, href) in placed {
        nav.push_str("      <li><a href=\"");
        xml::push_attr(&mut nav, href);
        nav.push_str("\">");
        xml::push_text(&mut nav, label);
        nav.push_str("</a></li>\n");
    }
    nav.push_str("    </ol>\n  </nav>\n");
    nav
}

/// Appends `<name attrs>text</name>` on its own line; nothing when the
/// cleaned text is empty.
fn element(out: &mut String, name: &str, attributes: &str, text: &str) -> bool {
    let text = xml::field(text);
    if text.is_empty() {
        return false;
    }
    out.push_str("    <");
    out.push_str(name);
    out.push_str(attributes);
    out.push('>');
    out.push_str(&text);
    out.push_str("</");
    out.push_str(name.split(' ').next().unwrap_or(name));
    out.push_str(">\n");
    true
}

fn property(out: &mut String, property: &str, text: &str) {
    element(out, "meta", &format!(" property=\"{property}\""), text);
}

fn refines(out: &mut String, id: &str, property: &str, text: &str) {
    let scheme = if property == "role" { " scheme=\"marc:relators\"" } else { "" };
    element(out, "meta", &format!(" refines=\"#{id}\" property=\"{property}\"{scheme}"), text);
}

/// The Media Overlays' package metadata: the total duration (each SMIL
/// file's own is added beside its manifest item, see [`archive`]), the
/// class of the span being read, and the narrators: the participants, whose
/// voices the recording is.
fn overlay_metadata(doc: &Document, overlays: &Overlays) -> String {
    let mut out = String::new();
    property(&mut out, "media:duration", &crate::model::clock_ms(overlays.total_ms()));
    property(&mut out, "media:active-class", overlay::ACTIVE_CLASS);
    for participant in &doc.participants {
        property(&mut out, "media:narrator", &participant.name);
    }
    out
}

/// The OPF's `<metadata>` content: Dublin Core, roles, dates and the
/// accessibility metadata of EPUB Accessibility 1.1.
fn opf_metadata(
    doc: &Document,
    epoch: i64,
    print_layout: Option<&str>,
    has_images: bool,
    has_audio: bool,
) -> String {
    let meta = &doc.meta;
    let mut out = String::from("\n");
    let identifier = xml::clean_field(&meta.identifier);
    let identifier = if identifier.is_empty() { "urn:mimeo:untitled".to_string() } else { identifier };
    element(&mut out, "dc:identifier", " id=\"epub-id-1\"", &identifier);
    let title = xml::clean_field(&meta.title);
    element(&mut out, "dc:title", " id=\"title\"", if title.is_empty() { "Untitled" } else { &title });
    refines(&mut out, "title", "title-type", "main");
    if let Some(subtitle) = &meta.subtitle
        && element(&mut out, "dc:title", " id=\"subtitle\"", subtitle)
    {
        refines(&mut out, "subtitle", "title-type", "subtitle");
    }
    let language = if xml::is_language_tag(&meta.language) { meta.language.as_str() } else { "und" };
    element(&mut out, "dc:language", "", language);
    // Creators: every participant with its relator role, the main voices
    // (those who do not ask, or everyone when all ask) also as authors
    // (`aut`), which is what Calibre and Kindle show as the book's author;
    // editors are creators too (`edt`), a collection's only ones.
    let all_ask = doc.participants.iter().all(|p| p.role.asks());
    for (i, participant) in doc.participants.iter().enumerate() {
        let id = format!("creator-{}", i + 1);
        if element(&mut out, "dc:creator", &format!(" id=\"{id}\""), &participant.name) {
            if all_ask || !participant.role.asks() {
                refines(&mut out, &id, "role", "aut");
            }
            let role = match participant.role {
                Role::Interviewer => "ivr",
                Role::Moderator => "mod",
                Role::Speaker if meta.kind == Kind::Interview => "ive",
                Role::Speaker => "spk",
            };
            refines(&mut out, &id, "role", role);
        }
    }
    for (i, contributor) in meta.contributors.iter().enumerate() {
        let (element_name, id) = match contributor.role {
            ContributorRole::Editor => ("dc:creator", format!("editor-{}", i + 1)),
            _ => ("dc:contributor", format!("contributor-{}", i + 1)),
        };
        if element(&mut out, element_name, &format!(" id=\"{id}\""), &contributor.name) {
            refines(&mut out, &id, "role", contributor.role.marc_relator());
        }
    }
    if let Some(publisher) = &meta.publisher {
        element(&mut out, "dc:publisher", "", publisher);
    }
    // `۲۰۲۰` is the year 2020: `dc:date` takes it in ASCII digits.
    if let Some(date) = meta.date.as_deref().map(|d| ascii_digits(d.trim())).filter(|d| is_w3c_date(d)) {
        element(&mut out, "dc:date", "", &date);
    }
    if let Some(rights) = &meta.rights {
        element(&mut out, "dc:rights", "", rights);
    }
    if let Some(description) = &meta.description {
        element(&mut out, "dc:description", "", description);
    }
    for keyword in &meta.keywords {
        element(&mut out, "dc:subject", "", keyword);
    }
    if let Some(series) = &meta.series
        && element(&mut out, "meta", " property=\"belongs-to-collection\" id=\"series\"", series)
    {
        refines(&mut out, "series", "collection-type", "series");
    }
    if let Some(layout) = print_layout {
        let source = format!("{} (printed edition, layout {})", identifier, xml::clean_field(layout));
        // `source-of: pagination` says the page numbers come from that source.
        if element(&mut out, "dc:source", " id=\"page-source\"", &source) {
            refines(&mut out, "page-source", "source-of", "pagination");
        }
    }
    let modified = chrono::DateTime::from_timestamp(epoch, 0).unwrap_or_default();
    property(&mut out, "dcterms:modified", &modified.format("%Y-%m-%dT%H:%M:%SZ").to_string());

    property(&mut out, "schema:accessMode", "textual");
    if has_images {
        property(&mut out, "schema:accessMode", "visual");
    }
    if has_audio {
        property(&mut out, "schema:accessMode", "auditory");
    }
    property(&mut out, "schema:accessModeSufficient", "textual");
    let mut features =
        vec!["structuralNavigation", "tableOfContents", "readingOrder", "displayTransformability"];
    if has_images {
        features.push("alternativeText");
    }
    if print_layout.is_some() {
        features.extend(["pageBreakMarkers", "pageNavigation"]);
    }
    if has_audio {
        features.push("synchronizedAudioText");
    }
    for feature in features {
        property(&mut out, "schema:accessibilityFeature", feature);
    }
    property(&mut out, "schema:accessibilityHazard", "none");
    let mut summary = String::from(
        "The text is structured with headings, a table of contents and landmarks; each speaker's turn is \
         marked with the speaker's name, and footnotes link to and from the text. The reader's fonts, sizes \
         and colours apply.",
    );
    if has_images {
        summary.push_str(" Images have alternative text.");
    }
    if print_layout.is_some() {
        summary.push_str(" Page numbers of the printed edition are marked and listed.");
    }
    if has_audio {
        summary.push_str(
            " The recording plays in step with the text (Media Overlays); the text alone is complete.",
        );
    }
    property(&mut out, "schema:accessibilitySummary", &summary);
    property(&mut out, "dcterms:conformsTo", CONFORMANCE);
    // The claim rests on mimeo's markup and its checks (EPUBCheck, Ace), not
    // on a publisher's review, so mimeo names itself as the evaluator.
    property(&mut out, "a11y:certifiedBy", "mimeo");
    out.push_str("    <meta name=\"cover\" content=\"cover-image\"/>\n  ");
    out
}

/// `text` with every decimal digit (Persian `۲`, Arabic-Indic `٢`,
/// full-width `２`, …) as its ASCII digit.
fn ascii_digits(text: &str) -> String {
    const ZEROS: [char; 4] = ['\u{0660}', '\u{06F0}', '\u{0966}', '\u{FF10}'];
    text.chars()
        .map(|c| {
            ZEROS
                .iter()
                .find_map(|&zero| {
                    let d = (c as u32).checked_sub(zero as u32).filter(|d| *d < 10)?;
                    char::from_digit(d, 10)
                })
                .unwrap_or(c)
        })
        .collect()
}

/// `YYYY`, `YYYY-MM` or `YYYY-MM-DD`: the W3CDTF forms `dc:date` takes
/// without an EPUBCheck warning.
fn is_w3c_date(date: &str) -> bool {
    let parts: Vec<&str> = date.split('-').collect();
    let digits = |s: &str, n: usize| s.len() == n && s.bytes().all(|b| b.is_ascii_digit());
    let number = |s: &str| s.parse::<u32>().unwrap_or(0);
    match parts.as_slice() {
        [y] => digits(y, 4),
        [y, m] => digits(y, 4) && digits(m, 2) && (1..=12).contains(&number(m)),
        [y, m, d] => {
            digits(y, 4)
                && digits(m, 2)
                && digits(d, 2)
                && (1..=12).contains(&number(m))
                && (1..=31).contains(&number(d))
        }
        _ => false,
    }
}

/// A picture's bytes as the book carries them: SVG written again without
/// scripts or references to other files (see [`crate::svg::cleaned`]),
/// other formats as they are.
fn picture_bytes(path: &std::path::Path, media_type: &str) -> Result<Vec<u8>, String> {
    if media_type == crate::model::ImageFormat::Svg.media_type() {
        crate::svg::cleaned(path)
    } else {
        crate::files::read(path, crate::files::Kind::Picture).map_err(|e| e.to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paragraphs_are_aligned_in_their_one_rule() {
        // The alignment goes into the one `p` rule the stylesheet has.
        assert_eq!(STYLE.matches(PARAGRAPH).count(), 1);
        assert_eq!(STYLE.matches("\np {").count(), 1);
    }

    #[test]
    fn dates() {
        for good in ["2020", "2020-03", "2020-03-31"] {
            assert!(is_w3c_date(good), "{good}");
        }
        for bad in ["spring 2020", "20", "2020-13", "2020-3-1", "2020-03-32", ""] {
            assert!(!is_w3c_date(bad), "{bad}");
        }
        assert_eq!(ascii_digits("۲۰۲۰"), "2020");
        assert_eq!(ascii_digits("٢٠٢٠-٠٣"), "2020-03");
        assert_eq!(ascii_digits("spring ２０２０"), "spring 2020");
    }
}
