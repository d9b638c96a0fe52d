//! The preview's HTML: one page with, for each source, what its last build
//! said (errors, then `check`'s warnings with their places) and a view of
//! each edition — the PDF in the browser's own viewer, the EPUB's chapters,
//! the zine in a monospace page — with a download link.
//!
//! Elements the live script updates carry stable ids: `data-live` parts are
//! replaced whole, frames are reloaded when their `data-version` changes.

use std::fmt::Write;
use std::hash::BuildHasher;
use std::path::Path;

use crate::diag::{Diagnostic, Severity};
use crate::layout::Format;
use crate::watch::{Edition, SourceState, Watch};

use super::epub;

pub use crate::markup::escape;

/// The URL path of a file under `out`: `/files/<slug>/<file>`, each
/// segment percent-encoded.
pub fn file_url(prefix: &str, out: &Path, file: &Path) -> String {
    let relative = file.strip_prefix(out).unwrap_or(file);
    let mut url = String::from(prefix);
    for part in relative.iter() {
        url.push('/');
        url.push_str(&crate::markup::segment(&part.to_string_lossy()));
    }
    url
}

/// A signature of the page's shape (sources and editions): when it
/// changes, the live script reloads the page instead of patching it.
fn shape(watch: &Watch) -> String {
    let mut shape = String::new();
    for (i, source) in watch.sources.iter().enumerate() {
        let _ = write!(shape, "{i}:");
        for edition in &source.editions {
            let _ = write!(shape, "{},", edition.written.layout);
        }
        shape.push(';');
    }
    format!("{:016x}", rustc_hash::FxBuildHasher.hash_one(shape))
}

/// The whole preview page.
pub fn index(watch: &Watch) -> String {
    let title = match watch.sources.as_slice() {
        [one] => one.title.clone().unwrap_or_else(|| one.source.display().to_string()),
        _ => format!("{} sources", watch.sources.len()),
    };
    let mut html = String::new();
    let _ = write!(
        html,
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <title>{} · mimeo preview</title>\
         <link rel=\"stylesheet\" href=\"/assets/preview.css\">\
         <script src=\"/assets/preview.js\" defer></script></head>\n\
         <body data-shape=\"{}\" data-round=\"{}\">\n",
        escape(&title),
        shape(watch),
        watch.round
    );
    html.push_str(
        "<header><span class=\"brand\">mimeo preview</span> \
         <span id=\"connection\" class=\"connection\" data-live>live</span></header>\n",
    );
    for (i, source) in watch.sources.iter().enumerate() {
        section(&mut html, i, source, watch.out());
    }
    html.push_str("</body></html>\n");
    html
}

fn section(html: &mut String, i: usize, source: &SourceState, out: &Path) {
    let title = source.title.clone().unwrap_or_else(|| source.source.display().to_string());
    let _ = write!(
        html,
        "<section class=\"source\" id=\"source-{i}\">\n<h1>{}</h1>\n<p class=\"path\">{}</p>\n",
        escape(&title),
        escape(&source.source.display().to_string())
    );
    report(html, i, source);
    let _ = write!(html, "<nav class=\"tabs\" role=\"tablist\">");
    for (j, edition) in source.editions.iter().enumerate() {
        let written = &edition.written;
        let label = format!("{} · {}", format_label(written.format), written.layout);
        let file = written.path.file_name().map(|f| f.to_string_lossy().into_owned()).unwrap_or_default();
        let _ = write!(
            html,
            "<span class=\"tab\"><button type=\"button\" role=\"tab\" data-view=\"view-{i}-{j}\">{}</button>\
             <a class=\"download\" href=\"{}?download\" download=\"{}\" title=\"Download {}\">download</a></span>",
            escape(&label),
            file_url("/files", out, &written.path),
            escape(&file),
            escape(&file)
        );
    }
    html.push_str("</nav>\n");
    for (j, edition) in source.editions.iter().enumerate() {
        view(html, &format!("view-{i}-{j}"), edition, out);
    }
    html.push_str("</section>\n");
}

fn format_label(format: Format) -> &'static str {
    match format {
        Format::Pdf => "PDF",
        Format::Epub => "EPUB",
        Format::Txt => "Text",
    }
}

/// The status line and the list of problems of a source's latest build.
fn report(html: &mut String, i: usize, source: &SourceState) {
    let _ = write!(html, "<div class=\"report\" id=\"report-{i}\" data-live>");
    let ms = source.took.as_secs_f64() * 1000.0;
    if source.errors.is_empty() {
        let _ = write!(
            html,
            "<p class=\"status ok\">Round {}: built {} in {ms:.0} ms; {}.</p>",
            source.round,
            count(source.editions.len(), "edition"),
            count(source.warnings.len(), "warning")
        );
    } else {
        let _ = write!(
            html,
            "<p class=\"status failed\">Round {}: the source has errors; the editions below are from the \
             last good build.</p>",
            source.round
        );
    }
    if !source.errors.is_empty() || !source.warnings.is_empty() {
        html.push_str("<ul class=\"problems\">");
        for diag in source.errors.iter().chain(&source.warnings) {
            problem(html, diag);
        }
        html.push_str("</ul>");
    }
    html.push_str("</div>\n");
}

/// `1 warning`, `3 warnings`.
fn count(n: usize, noun: &str) -> String {
    if n == 1 { format!("1 {noun}") } else { format!("{n} {noun}s") }
}

fn problem(html: &mut String, diag: &Diagnostic) {
    let (class, word) = match diag.severity {
        Severity::Error => ("error", "error"),
        Severity::Warning => ("warning", "warning"),
    };
    let place = diag.location.as_ref().map(|l| l.to_string()).unwrap_or_default();
    let _ = write!(
        html,
        "<li class=\"{class}\"><span class=\"place\">{}</span> <span class=\"severity\">{word}</span>: {}",
        escape(&place),
        escape(&diag.message)
    );
    for hint in &diag.hints {
        let _ = write!(html, "<br><span class=\"hint\">hint: {}</span>", escape(hint));
    }
    html.push_str("</li>");
}

/// One edition's view: a frame, reloaded in place when its round changes.
fn view(html: &mut String, id: &str, edition: &Edition, out: &Path) {
    let written = &edition.written;
    let version = edition.round;
    let _ = write!(html, "<div class=\"view {}\" id=\"{id}\" role=\"tabpanel\">", written.format.name());
    let src = match written.format {
        Format::Pdf => file_url("/files", out, &written.path),
        Format::Txt => file_url("/text", out, &written.path),
        Format::Epub => {
            let chapters = epub::chapters(&written.path);
            let base = file_url("/epub", out, &written.path);
            let _ = write!(html, "<label class=\"chapters\">Chapter <select data-frame=\"{id}-frame\">");
            for chapter in &chapters {
                let _ = write!(
                    html,
                    "<option value=\"{base}/{}\">{}</option>",
                    escape(&chapter.entry),
                    escape(&chapter.title)
                );
            }
            html.push_str("</select></label>");
            chapters.first().map(|c| format!("{base}/{}", c.entry)).unwrap_or(base)
        }
    };
    let _ = writeln!(
        html,
        "<iframe id=\"{id}-frame\" src=\"{src}?v={version}\" data-version=\"{version}\" title=\"{}\"></iframe></div>",
        escape(&written.layout)
    );
}

/// A text edition as a page: each of its pages (split at form feeds) in a
/// monospace block, as a terminal or a printer would show them.
pub fn text_view(title: &str, text: &str) -> String {
    let mut html = format!(
        "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>{}</title>\
         <link rel=\"stylesheet\" href=\"/assets/text.css\"></head><body>\n",
        escape(title)
    );
    for page in text.split('\u{c}') {
        let _ = writeln!(html, "<pre class=\"page\">{}</pre>", escape(page.trim_end_matches('\n')));
    }
    html.push_str("</body></html>\n");
    html
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_pages_are_escaped_and_split_at_form_feeds() {
        let html = text_view("z", "one <b>&\n\u{c}two\n");
        assert!(html.contains("<pre class=\"page\">one &lt;b&gt;&amp;</pre>"));
        assert!(html.contains("<pre class=\"page\">two</pre>"));
    }

    #[test]
    fn file_urls_encode_each_segment() {
        let url = file_url("/files", Path::new("dist"), Path::new("dist/a b/خ.pdf"));
        assert_eq!(url, "/files/a%20b/%D8%AE.pdf");
    }
}
