//! Real reading systems (issue 30), not validators: Calibre converts each
//! test book to AZW3 and MOBI without a warning, reads title, authors and
//! cover back from the conversions, and its own book check finds no error;
//! foliate-js in a headless Chromium opens each book, follows every entry
//! of its contents, opens a note, and shows at each section's start the
//! page the A5 print edition prints that section on (found with pdftotext).
//!
//! Books: the sample, its Persian translation, the sample collection, a Chinese
//! (Traditional) document and a short interview with notes. One Chromium
//! and one Calibre process per book and format; the conversions run two
//! at a time.
//!
//! Tools: Debian `calibre` (run with `QT_QPA_PLATFORM=offscreen`),
//! `chromium`, `pdftotext` and foliate-js from npm (`npm install -g
//! foliate-js`, or `MIMEO_FOLIATE_JS=DIR`). Missing tools skip with a note,
//! or fail when `MIMEO_REQUIRE_VALIDATORS` is set (as CI does).

mod common;

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use common::browser::{Browser, chromium};
use serde_json::Value;

const CONTENT: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/content");
const FIXTURES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures");

/// An interview with notes: the notes chapter and a note's pop-up.
const WITH_NOTES: &str = "---
title: Printing in the basement
kind: interview
language: en
participants:
  - name: Ada Moss
    role: interviewer
  - name: Ben Ortiz
---

How a small press began in a basement in Toronto, told by the man who ran it.[^start]

## How did the press start?

**Ada:** How did it start?

**Ben:** With a Gestetner in a basement.[^gestetner] We printed at night.

## What came next?

**Ben:** A second machine, and a reading group.[^group]

[^start]: Recorded in 2019.
[^gestetner]: A stencil duplicator, bought second hand.
[^group]: It still meets on Thursdays.
";

/// A test book: its EPUB, the A5 PDF its page list follows, and the
/// digits its page numbers are printed in.
struct Book {
    name: &'static str,
    epub: PathBuf,
    pdf: PathBuf,
    /// The zero of the print's digits (`0`, or `۰` in Persian).
    zero: char,
}

/// Build `source`'s A5 PDF and EPUB into `out`.
fn build(source: &Path, out: &Path, name: &'static str, zero: char) -> Book {
    let run = Command::new(env!("CARGO_BIN_EXE_mimeo"))
        .args(["build", "--layout", "a5", "--layout", "epub", "--out"])
        .arg(out)
        .arg(source)
        .env("SOURCE_DATE_EPOCH", "1600000000")
        .output()
        .unwrap();
    assert!(run.status.success(), "{name}: {}", String::from_utf8_lossy(&run.stderr));
    let stem = source.file_stem().unwrap().to_string_lossy().to_string();
    let folder = out.join(&stem);
    Book { name, epub: folder.join(format!("{stem}.epub")), pdf: folder.join(format!("{stem}-a5.pdf")), zero }
}

fn books(dir: &Path) -> Vec<Book> {
    let notes = dir.join("printing.md");
    std::fs::write(&notes, WITH_NOTES).unwrap();
    let out = dir.join("dist");
    vec![
        build(&Path::new(CONTENT).join("global-uprisings.md"), &out, "sample", '0'),
        build(&Path::new(CONTENT).join("global-uprisings-fa.md"), &out, "persian", '۰'),
        build(&Path::new(CONTENT).join("voices-from-the-uprisings.yaml"), &out, "collection", '0'),
        build(&Path::new(FIXTURES).join("i18n/chinese.md"), &out, "chinese", '0'),
        build(&notes, &out, "notes", '0'),
    ]
}

/// Whether `program` runs; else a note (or a failure when CI requires it).
fn have(program: &str, arg: &str, install: &str) -> bool {
    let found = Command::new(program).arg(arg).stdout(Stdio::null()).stderr(Stdio::null()).status().is_ok();
    common::installed(found, program, install)
}

fn calibre(program: &str) -> Command {
    let mut command = Command::new(program);
    // Headless: no display, and Qt WebEngine (the book check's CSS parser)
    // refuses its sandbox as root.
    command
        .env("QT_QPA_PLATFORM", "offscreen")
        .env("QTWEBENGINE_CHROMIUM_FLAGS", "--no-sandbox")
        .env("QTWEBENGINE_DISABLE_SANDBOX", "1");
    command
}

/// What Calibre's own code says of each file: the book check's errors for
/// an EPUB (`calibre.ebooks.oeb.polish.check`, as `ebook-edit` runs it),
/// title, authors and cover for a conversion (`get_metadata`, as
/// `ebook-meta` prints them), and for a MOBI its text's headings.
const CALIBRE_SCRIPT: &str = r#"
import json, sys
from calibre.ebooks.oeb.polish.container import get_container
from calibre.ebooks.oeb.polish.check.main import run_checks
from calibre.ebooks.metadata.meta import get_metadata
from calibre.ebooks.mobi.reader.mobi6 import MobiReader
from calibre.utils.logging import default_log
default_log.filter_level = default_log.ERROR
for path in sys.argv[1:]:
    out = {'path': path}
    if path.endswith('.epub'):
        found = run_checks(get_container(path, tweak_mode=True))
        out['errors'] = ['%s:%s: %s' % (e.name, getattr(e, 'line', ''), e.msg) for e in found if e.level >= 3]
    else:
        with open(path, 'rb') as f:
            mi = get_metadata(f, path.rsplit('.', 1)[1])
        out['title'] = mi.title
        out['authors'] = list(mi.authors)
        out['cover'] = bool(mi.cover_data and mi.cover_data[1])
        if path.endswith('.mobi'):
            reader = MobiReader(path, default_log)
            reader.extract_text()
            html = reader.mobi_html
            out['html'] = html.decode('utf-8', 'replace') if isinstance(html, bytes) else html
    print('MIMEO ' + json.dumps(out))
"#;

#[test]
fn calibre_converts_checks_and_reads_every_book() {
    if !have("ebook-convert", "--version", "apt-get install calibre") {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let books = books(dir.path());
    // AZW3 and MOBI of every book, two conversions at a time.
    let jobs: Vec<(PathBuf, PathBuf)> = books
        .iter()
        .flat_map(|b| ["azw3", "mobi"].map(|ext| (b.epub.clone(), b.epub.with_extension(ext))))
        .collect();
    for pair in jobs.chunks(2) {
        let running: Vec<_> = pair
            .iter()
            .map(|(epub, target)| {
                let child = calibre("ebook-convert")
                    .arg(epub)
                    .arg(target)
                    .stdout(Stdio::piped())
                    .stderr(Stdio::piped())
                    .spawn()
                    .expect("ebook-convert starts");
                (target, child)
            })
            .collect();
        for (target, child) in running {
            let run = child.wait_with_output().unwrap();
            let log =
                format!("{}{}", String::from_utf8_lossy(&run.stdout), String::from_utf8_lossy(&run.stderr));
            assert!(run.status.success(), "{}: {log}", target.display());
            let complaints: Vec<&str> = log
                .lines()
                .filter(|l| {
                    let l = l.to_lowercase();
                    ["warn", "error", "fail", "no cover", "unknown"].iter().any(|w| l.contains(w))
                })
                .collect();
            assert!(complaints.is_empty(), "{}: {complaints:#?}", target.display());
        }
    }

    let mut files: Vec<PathBuf> = books.iter().map(|b| b.epub.clone()).collect();
    files.extend(jobs.iter().map(|(_, target)| target.clone()));
    let run = calibre("calibre-debug").arg("-c").arg(CALIBRE_SCRIPT).args(&files).output().unwrap();
    let stdout = String::from_utf8_lossy(&run.stdout);
    assert!(run.status.success(), "{stdout}{}", String::from_utf8_lossy(&run.stderr));
    let reports: Vec<Value> = stdout
        .lines()
        .filter_map(|l| l.strip_prefix("MIMEO "))
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(reports.len(), files.len(), "{stdout}");
    for report in &reports {
        let path = report["path"].as_str().unwrap();
        let book =
            books.iter().find(|b| path.starts_with(b.epub.with_extension("").to_str().unwrap())).unwrap();
        if path.ends_with(".epub") {
            assert_eq!(
                report["errors"],
                serde_json::json!([]),
                "Calibre's book check of the {} book",
                book.name
            );
            continue;
        }
        let authors: Vec<&str> =
            report["authors"].as_array().unwrap().iter().filter_map(Value::as_str).collect();
        let title = report["title"].as_str().unwrap_or_default();
        assert!(!title.is_empty() && title != "Unknown", "{path}: title {title:?}");
        assert!(!authors.is_empty() && !authors.contains(&"Unknown"), "{path}: authors {authors:?}");
        assert_eq!(report["cover"], true, "{path} has no cover");
        let expected = match book.name {
            "sample" => vec!["Edward Hon-Sing Wong", "Sardar Saadi"],
            "collection" => vec!["Upping the Anti"],
            "notes" => vec!["Ben Ortiz"],
            _ => Vec::new(),
        };
        for name in expected {
            assert!(authors.contains(&name), "{path}: {name} is not among {authors:?}");
        }
        if let Some(html) = report["html"].as_str() {
            // The landmarks and the page list are for navigation: printed
            // at the end of the book they would read "Pages 1 2 3 …".
            assert!(!html.contains(">Pages<"), "{path}: the page list is printed");
            let colophon = html.rfind("Colophon").unwrap_or(0);
            assert!(!html[colophon..].contains(">Title Page<"), "{path}: the landmarks are printed");
        }
    }
}

/// foliate-js, as the Foliate reader uses it: `<foliate-view>` with the
/// reader's rule that hides footnote asides, and its footnote handler.
const HARNESS: &str = r#"<!DOCTYPE html>
<meta charset="utf-8">
<body style="margin:0">
<script type="module">
import './foliate/view.js'
import { FootnoteHandler } from './foliate/footnotes.js'
// reader.js's own rule: notes in asides are pop-ups only.
const css = `@namespace epub "http://www.idpf.org/2007/ops";
aside[epub|type~="endnote"], aside[epub|type~="footnote"], aside[epub|type~="note"],
aside[epub|type~="rearnote"] { display: none; }`
// The first location reported in section `index` (earlier sections'
// reports may still arrive after a jump).
const relocated = (view, index) => new Promise(resolve => {
  const timer = setTimeout(() => resolve(view.lastLocation), 3000)
  const seen = e => {
    if (e.detail.section?.current !== index) return
    clearTimeout(timer)
    view.removeEventListener('relocate', seen)
    resolve(e.detail)
  }
  view.addEventListener('relocate', seen)
})
window.read = async url => {
  document.querySelector('foliate-view')?.remove()
  const view = document.createElement('foliate-view')
  view.style.cssText = 'display:block;width:900px;height:700px'
  document.body.append(view)
  const footnotes = new FootnoteHandler()
  let note = null
  // As reader.js does: the pop-up's view is put in the page to render.
  footnotes.addEventListener('before-render', e => {
    e.detail.view.addEventListener('load', ev => { note = ev.detail.doc })
    document.body.append(e.detail.view)
  })
  const noteShown = new Promise(resolve => footnotes.addEventListener('render', e =>
    setTimeout(() => resolve({ type: e.detail.type, text: note?.body?.textContent.trim() ?? '' }), 100)))
  view.addEventListener('link', e => footnotes.handle(view.book, e))
  view.addEventListener('load', e => view.renderer.setStyles?.(css))
  await view.open(url)
  const flat = []
  const walk = items => (items ?? []).forEach(i => { flat.push(i); walk(i.subitems) })
  walk(view.book.toc)
  const out = { entries: [], pages: (view.book.pageList ?? []).map(p => p.label), note: null }
  let clicked = false
  for (const item of flat) {
    const { index } = await view.resolveNavigation(item.href)
    const moved = relocated(view, index)
    await view.goTo(item.href)
    const location = await moved
    const doc = view.renderer.getContents()[0]?.doc
    const id = item.href.split('#')[1]
    const target = id ? doc?.getElementById(id) : doc?.body
    // The page foliate-js gives the section's first text (its own
    // page-list lookup, for a range there: not timed like a relocation).
    const walker = target && doc.createTreeWalker(target, NodeFilter.SHOW_TEXT,
      { acceptNode: n => n.nodeValue.trim() ? NodeFilter.FILTER_ACCEPT : NodeFilter.FILTER_SKIP })
    const first = walker?.nextNode()
    let page = null
    if (first) {
      const range = doc.createRange()
      range.setStart(first, 0)
      range.collapse(true)
      page = view.getProgressOf(index, range)?.pageItem?.label ?? null
    }
    out.entries.push({
      label: item.label,
      href: item.href,
      page,
      shown_at: location?.pageItem?.label ?? null,
      shown: (doc?.body?.innerText ?? '').trim().length,
      start: (target?.textContent ?? '').trim().slice(0, 200),
    })
    const ref = doc?.querySelector('a[role~="doc-noteref"]')
    if (ref && !clicked) {
      clicked = true
      ref.click()
      out.note = await Promise.race([noteShown, new Promise(r => setTimeout(() => r(null), 3000))])
    }
  }
  return JSON.stringify(out)
}
window.ready = true
</script>
"#;

/// Where foliate-js is: `$MIMEO_FOLIATE_JS`, else npm's global modules.
fn foliate() -> Option<PathBuf> {
    let dir = std::env::var_os("MIMEO_FOLIATE_JS").map(PathBuf::from).or_else(|| {
        let root = Command::new("npm").args(["root", "-g"]).output().ok()?;
        Some(PathBuf::from(String::from_utf8_lossy(&root.stdout).trim()).join("foliate-js"))
    });
    let found = dir.filter(|d| d.join("view.js").is_file());
    if found.is_none() {
        assert!(
            std::env::var_os("MIMEO_REQUIRE_VALIDATORS").is_none(),
            "foliate-js is required (MIMEO_REQUIRE_VALIDATORS) but not installed (npm install -g foliate-js)"
        );
        eprintln!("note: foliate-js is not installed (npm install -g foliate-js): skipping");
    }
    found
}

/// Serve the harness, foliate-js and the books on a free port of this machine.
fn serve(foliate: PathBuf, books: Vec<(String, PathBuf)>) -> String {
    let server = tiny_http::Server::http("127.0.0.1:0").unwrap();
    let address = server.server_addr().to_ip().unwrap().to_string();
    std::thread::spawn(move || {
        for request in server.incoming_requests() {
            let url = request.url().split('?').next().unwrap_or_default().to_string();
            let (body, kind) = if url == "/" {
                (Some(HARNESS.as_bytes().to_vec()), "text/html; charset=utf-8")
            } else if let Some(file) = url.strip_prefix("/foliate/").filter(|f| !f.contains("..")) {
                (std::fs::read(foliate.join(file)).ok(), "text/javascript")
            } else if let Some((_, path)) =
                books.iter().find(|(name, _)| url == format!("/books/{name}.epub"))
            {
                (std::fs::read(path).ok(), "application/epub+zip")
            } else {
                (None, "text/plain")
            };
            let response = match body {
                Some(body) => tiny_http::Response::from_data(body).with_header(
                    tiny_http::Header::from_bytes(&b"Content-Type"[..], kind.as_bytes()).unwrap(),
                ),
                None => tiny_http::Response::from_data(b"not found".to_vec()).with_status_code(404),
            };
            let _ = request.respond(response);
        }
    });
    address
}

/// The text of each page of `pdf` (pdftotext), whitespace removed so that
/// a line break never hides a match.
fn pdf_pages(pdf: &Path) -> Vec<String> {
    let run = Command::new("pdftotext").arg(pdf).arg("-").output().expect("pdftotext runs");
    assert!(run.status.success());
    String::from_utf8_lossy(&run.stdout).split('\u{c}').map(squeeze).collect()
}

/// Text without whitespace, soft hyphens or the direction marks pdftotext
/// puts around right-to-left lines.
fn squeeze(text: &str) -> String {
    text.chars()
        .filter(|&c| !c.is_whitespace() && !matches!(c, '\u{ad}' | '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}'))
        .collect()
}

/// What to look for in the print: the first characters of a text.
fn probe(start: &str) -> Option<String> {
    let probe: String = squeeze(start).chars().take(12).collect();
    (probe.chars().count() >= 4).then_some(probe)
}

/// The pages (from 1) the print shows `probe` on, from page `from` on
/// (sections follow each other), but for contents pages (headed
/// "Contents", showing three entries or more). A heading's first words may
/// also be printed in a turn or an introduction: any of these pages may be
/// the one a reader names, and it is the print's only if the page list is.
fn printed_on(pages: &[String], probe: &str, all: &[String], from: usize) -> Vec<usize> {
    let contents = |page: &String| {
        page.contains("Contents") && all.iter().filter(|p| page.contains(p.as_str())).count() >= 3
    };
    (from.max(1)..=pages.len())
        .filter(|&n| pages[n - 1].contains(probe) && !contents(&pages[n - 1]))
        .collect()
}

#[test]
fn foliate_shows_every_section_at_its_printed_page() {
    let Some(chromium) = chromium() else { return };
    let Some(foliate) = foliate() else { return };
    if !have("pdftotext", "-v", "apt-get install poppler-utils") {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let books = books(dir.path());
    let address = serve(foliate, books.iter().map(|b| (b.name.to_string(), b.epub.clone())).collect());
    let mut browser = Browser::launch(chromium, 1000, 800);
    browser.navigate(&format!("http://{address}/"));
    assert!(browser.wait_until("window.ready === true"), "the foliate-js page loads");

    for book in &books {
        let result = browser.eval(&format!("read('/books/{}.epub')", book.name));
        let result: Value = serde_json::from_str(result.as_str().expect("a report")).unwrap();
        let pages = pdf_pages(&book.pdf);
        let digit = |n: usize| -> String {
            n.to_string()
                .chars()
                .map(|c| char::from_u32(book.zero as u32 + (c as u32 - '0' as u32)).unwrap())
                .collect()
        };

        // The page list is the print's, in reading order, strictly increasing.
        let labels: Vec<&str> =
            result["pages"].as_array().unwrap().iter().filter_map(Value::as_str).collect();
        assert!(!labels.is_empty(), "{}: no page list", book.name);
        let numbers: Vec<usize> = labels
            .iter()
            .map(|l| l.chars().map(|c| (c as u32 - book.zero as u32).to_string()).collect::<String>())
            .map(|l| l.parse().unwrap_or_else(|_| panic!("{}: page label {l:?}", book.name)))
            .collect();
        assert!(numbers.windows(2).all(|w| w[0] < w[1]), "{}: page list {labels:?}", book.name);
        assert_eq!(labels[0], digit(1), "{}: the title page is page 1", book.name);

        // Every contents entry opens on a screen with text, at the page
        // the print shows that text on.
        let entries = result["entries"].as_array().unwrap();
        let mut compared = 0;
        let mut last_printed = 1;
        let probes: Vec<String> =
            entries.iter().filter_map(|e| probe(e["start"].as_str().unwrap_or_default())).collect();
        for entry in entries {
            let label = entry["label"].as_str().unwrap_or_default();
            assert!(
                entry["shown"].as_u64().unwrap_or(0) > label.chars().count() as u64 + 20,
                "{}: {label} shows {entry}",
                book.name
            );
            let Some(probe) = probe(entry["start"].as_str().unwrap_or_default()) else { continue };
            let printed = printed_on(&pages, &probe, &probes, last_printed);
            if printed.is_empty() {
                continue;
            }
            let shown = entry["page"].as_str().unwrap_or_default();
            let Some(&page) = printed.iter().find(|&&n| digit(n) == shown) else {
                panic!("{}: {label} is shown on page {shown}, printed on {printed:?} ({entry})", book.name)
            };
            last_printed = page;
            compared += 1;
        }
        assert!(
            compared * 2 >= entries.len(),
            "{}: only {compared} of {} entries found in the PDF",
            book.name,
            entries.len()
        );

        // A note opens as a pop-up with its text.
        if book.name == "notes" {
            let note = &result["note"];
            assert!(note["text"].as_str().is_some_and(|t| t.len() > 10), "{}: note pop-up {note}", book.name);
        }
    }
}
