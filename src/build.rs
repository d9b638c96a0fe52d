//! Building editions of one parsed document: choosing layouts, rendering
//! with the right backend, and writing files atomically.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use crate::backend::{self, Context};
use crate::diag::Diagnostic;
use crate::layout::{self, Format, Layout, Settings};
use crate::model::{Document, PageStart};
use crate::output;

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
    for spec in &document.meta.default_layouts {
        layout::load(spec)
            .map_err(|e| Diagnostic { message: format!("front matter `layouts`: {}", e.message), ..e })?;
    }
    Ok(layouts)
}

/// Render one edition. `print_pages` holds page starts of PDF editions
/// already typeset, by layout name; an EPUB whose page list names a PDF
/// layout not yet typeset gets it typeset here (and cached).
pub fn render(
    document: &Document,
    layout: &Layout,
    epoch: i64,
    print_pages: &mut HashMap<String, Vec<PageStart>>,
) -> Result<backend::Output, Diagnostic> {
    match &layout.settings {
        Settings::Pdf(settings) => {
            backend::pdf::render(document, settings, &Context { epoch, print_pages: None })
        }
        Settings::Epub(settings) => {
            let pages = match &settings.page_list {
                Some(name) => Some((name.as_str(), page_starts_for(document, name, epoch, print_pages)?)),
                None => None,
            };
            let _context = Context { epoch, print_pages: pages.as_ref().map(|(n, p)| (*n, p.as_slice())) };
            Err(not_built(Format::Epub))
        }
        Settings::Txt(settings) => {
            let _ = settings;
            Err(not_built(Format::Txt))
        }
    }
}

/// The page starts of the PDF layout `name`, typesetting it if need be.
fn page_starts_for(
    document: &Document,
    name: &str,
    epoch: i64,
    cache: &mut HashMap<String, Vec<PageStart>>,
) -> Result<Vec<PageStart>, Diagnostic> {
    if let Some(pages) = cache.get(name) {
        return Ok(pages.clone());
    }
    let layout = layout::load(name)?;
    if layout.format() != Format::Pdf {
        return Err(Diagnostic::error(format!("`page-list: {name}` must name a PDF layout")));
    }
    let output = render(document, &layout, epoch, cache)?;
    cache.insert(name.to_string(), output.page_starts.clone());
    Ok(output.page_starts)
}

fn not_built(format: Format) -> Diagnostic {
    Diagnostic::error(format!("the {format} backend is not part of this build yet"))
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
