//! Building editions of one parsed document: choosing layouts, rendering
//! with the right backend, and writing files atomically.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use crate::backend::{self, Context};
use crate::diag::{Diagnostic, Location};
use crate::layout::{self, Format, Layout, Settings};
use crate::model::{Collection, Document, PageStart};
use crate::output;
use crate::source::Loaded;

/// The layouts to build: those named on the command line; else the
/// document's defaults; else each format's default. `formats` (when not
/// empty) filters, and must agree with named layouts.
pub fn plan(
    document: &Document,
    formats: &[Format],
    layout_specs: &[String],
) -> Result<Vec<Layout>, Diagnostic> {
    let named = !layout_specs.is_empty();
    let specs: Vec<String> = if named {
        layout_specs.to_vec()
    } else {
        let wanted: &[Format] = if formats.is_empty() { &Format::ALL } else { formats };
        let mut specs = Vec::new();
        for format in wanted {
            let from_document = document.meta.default_layouts.iter().filter_map(|spec| {
                let layout = layout::load(spec).ok()?;
                (layout.format() == *format).then(|| spec.clone())
            });
            let mut chosen: Vec<String> = from_document.collect();
            if chosen.is_empty() {
                chosen.push(format.default_layout().to_string());
            }
            specs.extend(chosen);
        }
        specs
    };
    let mut layouts = Vec::new();
    for spec in specs {
        let layout = layout::load(&spec)?;
        if named && !formats.is_empty() && !formats.contains(&layout.format()) {
            return Err(Diagnostic::error(format!(
                "layout `{}` makes {}, but --format asks for {}",
                layout.name,
                layout.format(),
                formats.iter().map(|f| f.name()).collect::<Vec<_>>().join(",")
            )));
        }
        if !layouts.iter().any(|l: &Layout| l.name == layout.name && l.file == layout.file) {
            layouts.push(layout);
        }
    }
    // PDFs first: an EPUB's page list reuses a PDF typeset before it.
    layouts.sort_by_key(|layout| layout.format() != Format::Pdf);
    for spec in &document.meta.default_layouts {
        layout::load(spec).map_err(|e| {
            // A layout file's own error keeps its place; a name that is
            // no layout points at its entry in the front matter.
            let location = match (&e.location, &document.source) {
                (Some(at), _) if at.line.is_some() => return e,
                (_, Some(source)) => Some(crate::source::front_matter_value(source, "layouts", spec)),
                (at, None) => at.clone(),
            };
            // The entry's place replaces the file's: the message names it.
            let message = if e.message.contains(spec.as_str()) {
                format!("front matter `layouts`: {}", e.message)
            } else {
                format!("front matter `layouts`: {spec}: {}", e.message)
            };
            Diagnostic { message, location, ..e }
        })?;
    }
    Ok(layouts)
}

/// What every edition of a build shares.
#[derive(Debug, Clone, Copy, Default)]
pub struct Options {
    /// The edition time (see [`epoch`]).
    pub epoch: i64,
    /// Characters no font can show are warnings, not errors.
    pub allow_missing_glyphs: bool,
}

impl Options {
    fn context<'a>(&self, print_pages: Option<(&'a str, &'a [PageStart])>) -> Context<'a> {
        Context { epoch: self.epoch, print_pages, allow_missing_glyphs: self.allow_missing_glyphs }
    }
}

/// Render one edition. An EPUB whose layout names a PDF layout for its
/// page list gets that edition's page starts in `print_pages` (see
/// [`print_pages_layout`]); the caller typesets it first.
pub fn render(
    document: &Document,
    layout: &Layout,
    options: &Options,
    print_pages: Option<&[PageStart]>,
) -> Result<backend::Output, Diagnostic> {
    match &layout.settings {
        Settings::Pdf(settings) => {
            // A cover's spine is as thick as its interior edition's pages.
            let interior = settings.cover.as_ref().map(|c| c.interior.as_str()).zip(print_pages);
            backend::pdf::render(document, settings, &options.context(interior))
        }
        Settings::Epub(settings) => {
            let pages = settings.page_list.as_deref().zip(print_pages);
            backend::epub::render(document, settings, &options.context(pages))
        }
        Settings::Txt(settings) => backend::text::render(document, settings, &options.context(None)),
    }
}

/// Render one edition of a collection. As with [`render`], an EPUB page
/// list (or a cover's spine) reads `print_pages`, which the caller gets
/// from [`print_pages_for`].
pub fn render_collection(
    book: &Collection,
    layout: &Layout,
    options: &Options,
    print_pages: Option<&[PageStart]>,
) -> Result<backend::Output, Diagnostic> {
    let pages = print_pages_layout(layout).zip(print_pages);
    match &layout.settings {
        Settings::Txt(settings) => backend::text::render_collection(book, settings, &options.context(None)),
        Settings::Epub(settings) => backend::epub::render_collection(book, settings, &options.context(pages)),
        Settings::Pdf(settings) => backend::pdf::render_collection(book, settings, &options.context(pages)),
    }
}

/// The edition time of a collection: `SOURCE_DATE_EPOCH`, else the newest
/// of the collection file and its pieces.
pub fn collection_epoch(book: &Collection) -> Result<i64, Diagnostic> {
    let files = book.source.iter().chain(book.pieces.iter().filter_map(|p| p.document.source.as_ref()));
    let mut newest = 0;
    for file in files {
        newest = newest.max(epoch(file)?);
    }
    Ok(newest)
}

/// The PDF layout whose page starts `layout` needs (an EPUB's page list,
/// a cover's interior).
pub fn print_pages_layout(layout: &Layout) -> Option<&str> {
    match &layout.settings {
        Settings::Epub(settings) => settings.page_list.as_deref(),
        Settings::Pdf(settings) => settings.cover.as_ref().map(|c| c.interior.as_str()),
        _ => None,
    }
}

/// What an edition is made from: a transcript, or a collection of them.
#[derive(Clone, Copy)]
pub enum Book<'a> {
    Document(&'a Document),
    Collection(&'a Collection),
}

impl<'a> Book<'a> {
    pub fn of(loaded: &'a Loaded) -> Self {
        match loaded {
            Loaded::Document(parsed) => Book::Document(&parsed.document),
            Loaded::Collection(parsed) => Book::Collection(&parsed.collection),
        }
    }
}

/// Page starts for `layout`'s page list: from `cache` (filled by PDF
/// editions already built), else typeset now and cached.
pub fn print_pages_for(
    book: &Book,
    layout: &Layout,
    options: &Options,
    cache: &mut HashMap<String, Vec<PageStart>>,
) -> Result<Option<Vec<PageStart>>, Diagnostic> {
    let Some(name) = print_pages_layout(layout) else { return Ok(None) };
    if let Some(pages) = cache.get(name) {
        return Ok(Some(pages.clone()));
    }
    let pdf = layout::load(name)?;
    let key = if layout.format() == Format::Pdf { "cover.interior" } else { "page-list" };
    let settings = match &pdf.settings {
        Settings::Pdf(settings) if settings.cover.is_none() => settings,
        _ => return Err(Diagnostic::error(format!("`{key}: {name}` must name a PDF layout of the text"))),
    };
    // The pages as the PDF sets them, a character no font has taking the
    // width of its box: that character is an error of the PDF editions
    // only, and must not cost an EPUB its page list.
    let lenient = Options { allow_missing_glyphs: true, ..*options }.context(None);
    let pages = match book {
        Book::Document(document) => backend::pdf::page_starts(document, settings, &lenient)?,
        Book::Collection(book) => backend::pdf::collection_page_starts(book, settings, &lenient)?,
    };
    cache.insert(name.to_string(), pages.clone());
    Ok(Some(pages))
}

/// Where an edition of the source at `source` goes under `out`.
pub fn destination(out: &Path, source: &Path, layout: &Layout) -> PathBuf {
    let stem = source.file_stem().map(|s| s.to_string_lossy()).unwrap_or_default();
    output::edition_path(out, &output::slug(&stem), &layout.name, layout.format().extension())
}

/// The edition time: `SOURCE_DATE_EPOCH` if set, else the source's
/// modification time, so that rebuilding an unchanged file gives the same bytes.
pub fn epoch(source: &Path) -> Result<i64, Diagnostic> {
    if let Ok(value) = std::env::var("SOURCE_DATE_EPOCH") {
        return value.trim().parse::<i64>().ok().filter(|v| (0..=253_402_300_799).contains(v)).ok_or_else(
            || {
                Diagnostic::error(format!(
                    "SOURCE_DATE_EPOCH=`{value}` is not a number of seconds since 1970"
                ))
            },
        );
    }
    let modified = std::fs::metadata(source).and_then(|m| m.modified()).ok();
    Ok(modified.and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok()).map_or(0, |d| d.as_secs() as i64))
}

/// What to build of each source, and where: `mimeo build`'s arguments
/// (and `mimeo check`'s, which renders the same editions and writes none).
#[derive(Debug, Clone, Copy)]
pub struct Request<'a> {
    pub formats: &'a [Format],
    pub layouts: &'a [String],
    pub out: &'a Path,
    pub allow_missing_glyphs: bool,
    /// Render every edition and run every check, but write nothing.
    pub dry_run: bool,
}

/// One edition written (or, in a dry run, rendered and set aside).
#[derive(Debug, Clone)]
pub struct Written {
    pub layout: String,
    pub format: Format,
    pub path: PathBuf,
    pub bytes: usize,
    pub pages: Option<usize>,
    pub warnings: Vec<Diagnostic>,
}

/// What building one source (or collection) did: its warnings, the
/// editions written, the errors found, and every file the editions were
/// made from (for `watch`). When `errors` is not empty, `written` is
/// empty: a source gets all its editions or none.
#[derive(Debug, Default)]
pub struct Built {
    /// The document's (or collection's) title, once it parsed.
    pub title: Option<String>,
    /// What was read, once it parsed (for `check`'s counts).
    pub loaded: Option<Loaded>,
    pub warnings: Vec<Diagnostic>,
    pub written: Vec<Written>,
    pub errors: Vec<Diagnostic>,
    pub inputs: Vec<PathBuf>,
}

/// Two sources whose names slug alike would overwrite each other's
/// editions: an error naming both, before anything is built.
pub fn clashing_sources(sources: &[PathBuf], out: &Path) -> Option<Diagnostic> {
    let folder = |p: &Path| output::slug(&p.file_stem().map(|s| s.to_string_lossy()).unwrap_or_default());
    sources.iter().enumerate().find_map(|(i, path)| {
        let other = sources[..i].iter().find(|o| *o != path && folder(o) == folder(path))?;
        Some(
            Diagnostic::error(format!(
                "sources {} and {} would both be written to {}",
                other.display(),
                path.display(),
                out.join(folder(path)).display()
            ))
            .hint("rename one of the files, or build them with different `--out` folders"),
        )
    })
}

/// Build every edition of the source or collection at `path` that
/// `request` asks for. Every edition is rendered in memory before any is
/// written; if one fails, none is written and the old files stay as they
/// were.
pub fn build_path(path: &Path, request: &Request) -> Built {
    let mut built = Built { inputs: vec![path.to_path_buf()], ..Built::default() };
    let loaded = match crate::source::load(path) {
        Ok(loaded) => loaded,
        Err(errors) => {
            built.errors = errors;
            return built;
        }
    };
    built.warnings = loaded.warnings().into_iter().cloned().collect();
    built.inputs = loaded.inputs();
    let editions = editions(path, &loaded, request, &mut built);
    built.loaded = Some(loaded);
    let Some(editions) = editions else { return built };
    if request.dry_run {
        built.written = editions.into_iter().map(|(written, _)| written).collect();
        return built;
    }
    let files: Vec<(&Path, &[u8])> =
        editions.iter().map(|(w, bytes)| (w.path.as_path(), bytes.as_slice())).collect();
    match output::write_all_atomic(&files) {
        Ok(()) => built.written = editions.into_iter().map(|(written, _)| written).collect(),
        Err((file, e)) => built.errors.push(output::write_error(&file, &e)),
    }
    built
}

/// Plan and render every edition of `loaded`; `None` (with the errors in
/// `built`) when any check or edition fails.
fn editions(
    path: &Path,
    loaded: &Loaded,
    request: &Request,
    built: &mut Built,
) -> Option<Vec<(Written, Vec<u8>)>> {
    let book;
    let plan_document = match loaded {
        Loaded::Document(parsed) => &parsed.document,
        Loaded::Collection(parsed) => {
            book = parsed.collection.book_document();
            &book
        }
    };
    built.title = Some(plan_document.meta.title.clone());
    let layouts = match plan(plan_document, request.formats, request.layouts) {
        Ok(layouts) => layouts,
        Err(e) => {
            built.errors.push(e);
            return None;
        }
    };
    built.inputs.extend(layouts.iter().flat_map(layout_files));
    // Two layouts whose names slug alike would overwrite each other's edition.
    let destinations: Vec<PathBuf> = layouts.iter().map(|l| destination(request.out, path, l)).collect();
    for (i, layout) in layouts.iter().enumerate() {
        if let Some(j) = destinations[..i].iter().position(|d| *d == destinations[i]) {
            built.errors.push(
                Diagnostic::error(format!(
                    "layouts `{}` and `{}` would both be written to {}",
                    layouts[j].name,
                    layout.name,
                    destinations[i].display()
                ))
                .hint("give one of the layout files another `name:`"),
            );
            return None;
        }
    }
    if let Some(e) = output::replaces_input(&destinations, &built.inputs) {
        built.errors.push(e);
        return None;
    }
    let epoch = match loaded {
        Loaded::Document(_) => epoch(path),
        Loaded::Collection(parsed) => collection_epoch(&parsed.collection),
    };
    let epoch = match epoch {
        Ok(epoch) => epoch,
        Err(e) => {
            built.errors.push(e);
            return None;
        }
    };
    let options = Options { epoch, allow_missing_glyphs: request.allow_missing_glyphs };
    let mut print_pages = HashMap::new();
    let mut rendered_all = Vec::new();
    // A bilingual edition reads the translation with its original, loaded
    // and checked once for every such layout.
    let mut pair: Option<crate::model::Parallel> = None;
    for (layout, destination) in layouts.iter().zip(destinations) {
        if layout.is_bilingual() && pair.is_none() {
            match parallel_pair(path, loaded, &layout.name) {
                Ok(loaded_pair) => pair = Some(loaded_pair),
                Err(errors) => {
                    built.errors.extend(errors);
                    return None;
                }
            }
        }
        let rendered = match (loaded, &pair) {
            (_, Some(pair)) if layout.is_bilingual() => render_parallel(pair, layout, &options),
            (Loaded::Document(parsed), _) => {
                print_pages_for(&Book::of(loaded), layout, &options, &mut print_pages)
                    .and_then(|pages| render(&parsed.document, layout, &options, pages.as_deref()))
            }
            (Loaded::Collection(parsed), _) => {
                print_pages_for(&Book::of(loaded), layout, &options, &mut print_pages).and_then(|pages| {
                    render_collection(&parsed.collection, layout, &options, pages.as_deref())
                })
            }
        };
        match rendered {
            Ok(rendered) => {
                if layout.format() == Format::Pdf {
                    print_pages.insert(layout.name.clone(), rendered.page_starts);
                }
                let written = Written {
                    layout: layout.name.clone(),
                    format: layout.format(),
                    path: destination,
                    bytes: rendered.bytes.len(),
                    pages: rendered.pages,
                    warnings: rendered.warnings,
                };
                rendered_all.push((written, rendered.bytes));
            }
            Err(e) => {
                let e = match loaded {
                    Loaded::Document(parsed) => locate_picture(e, &parsed.document),
                    Loaded::Collection(_) => e,
                };
                built.errors.push(edition_error(e, path, &layout.name));
            }
        }
    }
    built.errors.is_empty().then_some(rendered_all)
}

/// The translation at `path` with its original, checked, for a bilingual
/// layout; an error when the source is no translation or they differ.
fn parallel_pair(
    path: &Path,
    loaded: &Loaded,
    layout: &str,
) -> Result<crate::model::Parallel, Vec<Diagnostic>> {
    let translation = matches!(loaded, Loaded::Document(parsed) if parsed.translating.is_some());
    if !translation {
        return Err(vec![
            Diagnostic::error(format!(
                "the {layout} edition is made from a translation, and this source is none"
            ))
            .at(Location::file(path))
            .hint("build the translation (a source whose front matter has `translation-of: ORIGINAL.md`)"),
        ]);
    }
    crate::translate::load(path)?.into_parallel()
}

/// Render a bilingual edition of a checked pair.
pub fn render_parallel(
    pair: &crate::model::Parallel,
    layout: &Layout,
    options: &Options,
) -> Result<backend::Output, Diagnostic> {
    match &layout.settings {
        Settings::Txt(settings) => backend::text::render_parallel(pair, settings, &options.context(None)),
        Settings::Epub(settings) => backend::epub::render_parallel(pair, settings, &options.context(None)),
        Settings::Pdf(settings) if settings.parallel => {
            backend::pdf::render_parallel(pair, settings, &options.context(None))
        }
        Settings::Pdf(settings) if settings.head_to_foot => {
            backend::pdf::render_head_to_foot(pair, settings, &options.context(None))
        }
        Settings::Pdf(_) => {
            Err(Diagnostic::error(format!("the {} layout makes no bilingual edition", layout.name)))
        }
    }
}

/// An edition's error, naming the edition, placed in the source when
/// the backend could not say where.
fn edition_error(e: Diagnostic, source: &Path, layout: &str) -> Diagnostic {
    let location = e.location.clone().unwrap_or_else(|| Location::file(source));
    Diagnostic { message: format!("{} (in the {layout} edition)", e.message), location: Some(location), ..e }
}

/// A backend's error about a picture (it knows the file, not where the
/// source names it): placed at the picture's first mention in the source,
/// the file named as the source names it.
fn locate_picture(e: Diagnostic, document: &Document) -> Diagnostic {
    let Some(source) = document.source.as_deref().filter(|_| e.location.is_none()) else { return e };
    let pictures = document.image_paths();
    let Some(picture) = pictures.iter().find(|p| e.message.contains(&*p.to_string_lossy())) else { return e };
    let folder = source.parent().unwrap_or(Path::new(""));
    let shown = std::fs::canonicalize(if folder.as_os_str().is_empty() { Path::new(".") } else { folder })
        .ok()
        .and_then(|real| picture.strip_prefix(real).ok().map(|relative| folder.join(relative)))
        .unwrap_or_else(|| picture.clone());
    let message = e.message.replace(&*picture.to_string_lossy(), &shown.to_string_lossy());
    let name = picture.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let text = std::fs::read_to_string(source).unwrap_or_default();
    let location = match text.find(&format!("]({name}")).or_else(|| text.find(&name)) {
        Some(offset) => {
            Location::at_offset(source, &text, offset + usize::from(text[offset..].starts_with(']')))
        }
        None => Location::file(source),
    };
    Diagnostic { message, location: Some(location), ..e }
}

/// The files a layout reads: its own file and the fonts it names.
pub fn layout_files(layout: &Layout) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = layout.file.iter().cloned().collect();
    if let Settings::Pdf(pdf) = &layout.settings {
        let f = &pdf.fonts;
        let named = [
            &f.regular,
            &f.italic,
            &f.bold,
            &f.bold_italic,
            &f.mono,
            &f.arabic,
            &f.arabic_bold,
            &f.cjk,
            &f.cjk_bold,
        ];
        files.extend(named.into_iter().flatten().cloned());
    }
    files
}
