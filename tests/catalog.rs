//! The distributor's kit (issue 32): `mimeo batch` with a `catalog:`
//! section writes a site, OPDS 1.2 and 2.0 feeds, Atom, ONIX and a paper
//! catalogue that validate, that a real OPDS client and a real browser
//! read, whose every link resolves, and that change only where a title
//! changed. Validators: jing and PyPI jsonschema (through
//! `../shared/schemas/validate.py`), PyPI onixcheck, EPUBCheck, Readium's
//! r2-opds-js from npm, chromium.

mod common;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

use common::browser::{Browser, chromium};
use common::live::{Running, get, http};
use common::{installed, mimeo, walk};

const ISBN_EPUB: &str = "978-3-16-148410-0";
const ISBN_BOOKLET: &str = "978-0-306-40615-7";
const ISBN_FA_EPUB: &str = "978-1-4028-9462-6";

/// Write `files` into a fresh folder under the target's temporary folder.
fn folder(name: &str, files: &[(&str, &str)]) -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(name);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    for (file, text) in files {
        std::fs::write(dir.join(file), text).unwrap();
    }
    dir
}

fn content(name: &str) -> String {
    std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("content").join(name)).unwrap()
}

/// The kit of the sample roundtable and its Persian translation, built
/// once for every test here: one feed page per title, so that paging runs.
fn kit() -> &'static Path {
    static KIT: OnceLock<PathBuf> = OnceLock::new();
    KIT.get_or_init(|| {
        let manifest = format!(
            "sources:\n\
             \x20 - path: global-uprisings.md\n\
             \x20   editions: [a5, {{layout: a5-booklet, isbn: \"{ISBN_BOOKLET}\"}}, {{layout: epub, isbn: \"{ISBN_EPUB}\"}}, zine-72]\n\
             \x20 - path: global-uprisings-fa.md\n\
             \x20   editions: [a5, {{layout: epub, isbn: \"{ISBN_FA_EPUB}\"}}]\n\
             catalog:\n\
             \x20 title: Test distro\n\
             \x20 base-url: https://distro.example/\n\
             \x20 publisher: Upping the Anti\n\
             \x20 description: Transcripts to read and to print.\n\
             \x20 licence: Shared for study.\n\
             \x20 page-size: 1\n"
        );
        let dir = folder(
            "catalog-kit",
            &[
                ("editions.yaml", &manifest),
                ("global-uprisings.md", &content("global-uprisings.md")),
                ("global-uprisings-fa.md", &content("global-uprisings-fa.md")),
            ],
        );
        let out = mimeo(&dir, &["batch", "editions.yaml", "--out", "site", "--quiet"]);
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        dir.join("site")
    })
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// The project's shared OPDS schemas and their checker: `$MIMEO_SHARED`, or
/// `../shared` beside the repository, or `/work/shared`. They live outside
/// the repository (so that they keep measuring), so a checkout without them
/// skips the check with a note even in CI; jing and jsonschema, which CI
/// installs, are required there.
fn validator() -> Option<PathBuf> {
    let beside = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared");
    let candidates = std::env::var_os("MIMEO_SHARED")
        .map(PathBuf::from)
        .into_iter()
        .chain([beside, PathBuf::from("/work/shared")]);
    let Some(script) =
        candidates.map(|shared| shared.join("schemas/validate.py")).find(|script| script.is_file())
    else {
        eprintln!("note: the shared OPDS schemas are not beside this checkout (../shared/schemas): skipping");
        return None;
    };
    let jing = Command::new("jing").output().is_ok();
    let jsonschema =
        Command::new("python3").args(["-c", "import jsonschema"]).status().is_ok_and(|s| s.success());
    installed(jing && jsonschema, "jing and jsonschema", "apt-get install jing; pip install jsonschema")
        .then_some(script)
}

#[test]
fn every_opds_feed_is_valid_against_the_opds_grammars() {
    let site = kit();
    let Some(script) = validator() else { return };
    let files = walk(site);
    let feeds: Vec<&PathBuf> = files
        .iter()
        .filter(|p| {
            let name = p.strip_prefix(site).unwrap().to_string_lossy().into_owned();
            name == "opds.xml" || name == "opds.json" || name == "feed.atom" || name.starts_with("opds/")
        })
        .collect();
    // Root, all (2 pages), en, fa, roundtable (2 pages): 7 of each, and Atom.
    assert_eq!(feeds.len(), 15, "{feeds:?}");
    for feed in feeds {
        let kind = if feed.extension().is_some_and(|e| e == "json") { "opds2" } else { "opds1" };
        let out = Command::new("python3").arg(&script).arg(kind).arg(feed).output().unwrap();
        assert!(out.status.success(), "{}: {}", feed.display(), String::from_utf8_lossy(&out.stderr));
    }
}

#[test]
fn paged_feeds_link_next_and_previous() {
    let site = kit();
    let first = read(&site.join("opds/all.xml"));
    let second = read(&site.join("opds/all-2.xml"));
    assert!(first.contains("rel=\"next\" href=\"all-2.xml\""), "{first}");
    assert!(!first.contains("rel=\"previous\""));
    assert!(second.contains("rel=\"previous\" href=\"all.xml\""), "{second}");
    assert!(!second.contains("rel=\"next\""));
    let json: serde_json::Value = serde_json::from_str(&read(&site.join("opds/all.json"))).unwrap();
    let rels: Vec<&str> =
        json["links"].as_array().unwrap().iter().map(|l| l["rel"].as_str().unwrap()).collect();
    assert!(rels.contains(&"next") && !rels.contains(&"previous"), "{rels:?}");
    assert_eq!(json["metadata"]["numberOfItems"], 2);
}

#[test]
fn a_real_opds_client_finds_every_title_and_acquisition_link() {
    let site = kit();
    let root = Command::new("npm").args(["root", "-g"]).output().ok().filter(|o| o.status.success());
    let root = root.map(|o| PathBuf::from(String::from_utf8_lossy(&o.stdout).trim()));
    let found = root.as_ref().is_some_and(|r| r.join("r2-opds-js/package.json").is_file());
    if !installed(found, "r2-opds-js", "npm install -g --ignore-scripts r2-opds-js@1.0.47") {
        return;
    }
    let root = root.unwrap();
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/catalog/opds-client.js");
    let node_path = format!("{}:{}", root.display(), root.join("r2-opds-js/node_modules").display());
    let out = Command::new("node").arg(&script).arg(site).env("NODE_PATH", node_path).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let read: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let expected: BTreeSet<(String, String)> = [
        ("Global Uprisings", "global-uprisings/global-uprisings-a5.pdf"),
        ("Global Uprisings", "global-uprisings/global-uprisings-a5-booklet.pdf"),
        ("Global Uprisings", "global-uprisings/global-uprisings.epub"),
        ("Global Uprisings", "global-uprisings/global-uprisings-zine-72.txt"),
        ("خیزش‌های جهانی", "global-uprisings-fa/global-uprisings-fa-a5.pdf"),
        ("خیزش‌های جهانی", "global-uprisings-fa/global-uprisings-fa.epub"),
    ]
    .into_iter()
    .map(|(t, h)| (t.to_string(), h.to_string()))
    .collect();
    for version in ["opds1", "opds2"] {
        // Every feed the client walked (all, by language, by kind) offers
        // each title it lists with the same files; `all` lists both.
        let entries = read[version].as_array().unwrap();
        let from_all: BTreeSet<(String, String)> = entries
            .iter()
            .filter(|e| e["feed"].as_str().unwrap().starts_with("opds/all"))
            .flat_map(|e| {
                let title = e["title"].as_str().unwrap();
                let short = expected.iter().map(|(t, _)| t).find(|t| title.starts_with(t.as_str())).cloned();
                let short = short.unwrap_or_else(|| panic!("{version}: unexpected title {title}"));
                e["acquisitions"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(move |h| (short.clone(), h.as_str().unwrap().to_string()))
            })
            .collect();
        assert_eq!(from_all, expected, "{version}");
        assert!(entries.len() >= 6, "{version}: all, language and kind feeds: {entries:?}");
        for entry in entries {
            for href in entry["acquisitions"].as_array().unwrap() {
                assert!(kit().join(href.as_str().unwrap()).is_file(), "{version}: {href}");
            }
        }
    }
}

/// Every `href="…"` and `src="…"` of a file of the kit.
fn references(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    for key in ["href=\"", "src=\"", "\"href\": \""] {
        let mut rest = text;
        while let Some(at) = rest.find(key) {
            rest = &rest[at + key.len()..];
            let end = rest.find('"').unwrap();
            out.push(rest[..end].to_string());
            rest = &rest[end..];
        }
    }
    out
}

#[test]
fn every_link_in_the_site_and_feeds_resolves_to_a_file() {
    let site = kit();
    let mut checked = 0;
    for file in walk(site) {
        let Some(ext) = file.extension().and_then(|e| e.to_str()) else { continue };
        if !matches!(ext, "html" | "xml" | "json" | "atom") || ext == "xml" && file.ends_with("onix.xml") {
            continue;
        }
        for reference in references(&read(&file)) {
            if reference.starts_with("https://distro.example/") || reference.starts_with("http://") {
                continue;
            }
            let decoded = percent_encoding::percent_decode_str(&reference).decode_utf8().unwrap();
            let target = file.parent().unwrap().join(decoded.as_ref());
            assert!(target.is_file(), "{} links to {reference}, which is no file", file.display());
            checked += 1;
        }
    }
    assert!(checked > 100, "only {checked} links were checked");
}

#[test]
fn the_atom_feed_links_each_title_at_the_base_url() {
    let atom = read(&kit().join("feed.atom"));
    assert!(atom.contains("href=\"https://distro.example/titles/global-uprisings.html\""), "{atom}");
    assert!(atom.contains("hreflang=\"fa\" href=\"https://distro.example/titles/global-uprisings-fa.html\""));
}

#[test]
fn title_pages_carry_language_direction_alt_text_and_translations() {
    let site = kit();
    let fa = read(&site.join("titles/global-uprisings-fa.html"));
    assert!(fa.contains("<article lang=\"fa\" dir=\"rtl\""), "{fa}");
    assert!(fa.contains("alt=\"Cover of خیزش‌های جهانی"), "the cover has alt text");
    assert!(fa.contains("href=\"global-uprisings.html\" hreflang=\"en\""), "linked to its original");
    assert!(!fa.contains("<script"), "no JavaScript");
    let en = read(&site.join("titles/global-uprisings.html"));
    assert!(en.contains("href=\"global-uprisings-fa.html\" hreflang=\"fa\""), "linked to its translation");
    // Read first, then print, with pages and sizes.
    let read_at = en.find("<h2>Read</h2>").unwrap();
    let print_at = en.find("<h2>Print</h2>").unwrap();
    let booklet = en.find("global-uprisings-a5-booklet.pdf").unwrap();
    assert!(read_at < print_at && print_at < booklet, "the booklet is a print edition");
    assert!(site.join("languages/fa.html").is_file() && site.join("kinds/roundtable.html").is_file());
}

#[test]
fn onix_validates_and_describes_each_edition_with_an_isbn() {
    let site = kit();
    let onix = read(&site.join("onix.xml"));
    assert_eq!(onix.matches("<Product>").count(), 3, "one product per edition with an ISBN");
    // The booklet: a saddle-stitched pamphlet, A5 trim, its page count.
    let booklet = onix.split("<Product>").find(|p| p.contains("9780306406157")).unwrap();
    assert!(booklet.contains("<ProductForm>BF</ProductForm>") && booklet.contains("B310"), "{booklet}");
    assert!(
        booklet.contains("<Measurement>210</Measurement>")
            && booklet.contains("<Measurement>148</Measurement>")
    );
    assert!(booklet.contains("<ExtentUnit>03</ExtentUnit>"));
    // The EPUB: digital, EPUB 3, the accessibility its package declares.
    let epub = onix.split("<Product>").find(|p| p.contains("9783161484100")).unwrap();
    assert!(epub.contains("<ProductForm>ED</ProductForm>") && epub.contains("<ProductFormDetail>E101"));
    assert!(epub.contains("<ProductFormFeatureValue>101B</ProductFormFeatureValue>"));
    // The sample's package declares a table of contents, reading order,
    // modifiable text, page break markers and a page list (no pictures, so
    // no alternative text), and a summary.
    assert!(
        !epub.contains("<ProductFormFeatureValue>14<"),
        "no alt text is claimed: the book has no pictures"
    );
    for code in ["00", "11", "13", "19", "36", "41"] {
        assert!(
            epub.contains(&format!("<ProductFormFeatureValue>{code}</ProductFormFeatureValue>")),
            "{code}: {epub}"
        );
    }
    let fa = onix.split("<Product>").find(|p| p.contains("9781402894626")).unwrap();
    assert!(
        fa.contains("<LanguageCode>per</LanguageCode>") && fa.contains("dateformat=\"05\">2020<"),
        "{fa}"
    );

    let found = Command::new("onixcheck").arg("--help").output().is_ok_and(|o| o.status.success());
    if installed(found, "onixcheck", "pip install onixcheck") {
        let out = Command::new("onixcheck").arg(site.join("onix.xml")).output().unwrap();
        assert!(
            out.status.success(),
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
    }
}

#[test]
fn a_linked_epub_passes_epubcheck() {
    let bytes = std::fs::read(kit().join("global-uprisings-fa/global-uprisings-fa.epub")).unwrap();
    common::assert_epubcheck_clean(&bytes, "global-uprisings-fa");
}

#[test]
fn the_printed_catalogue_is_an_a5_booklet_with_every_title() {
    let pdf = lopdf::Document::load(kit().join("catalogue.pdf")).unwrap();
    let page = pdf.get_pages().into_values().next().unwrap();
    let media = pdf.get_dictionary(page).unwrap().get(b"MediaBox").unwrap().as_array().unwrap().clone();
    let size: Vec<f64> = media
        .iter()
        .map(|v| v.as_float().map(f64::from).or_else(|_| v.as_i64().map(|i| i as f64)).unwrap())
        .collect();
    // A4 landscape sheets: two A5 pages side by side.
    assert!((size[2] - size[0] - 842.0).abs() < 2.0 && (size[3] - size[1] - 595.0).abs() < 2.0, "{size:?}");
    let found = Command::new("pdftotext").arg("-v").output().is_ok();
    if installed(found, "pdftotext", "apt-get install poppler-utils") {
        let out = Command::new("pdftotext").arg(kit().join("catalogue.pdf")).arg("-").output().unwrap();
        let text = String::from_utf8_lossy(&out.stdout);
        assert!(text.contains("Global Uprisings and the Left"), "{text}");
        assert!(text.contains("a5-booklet"), "the editions are listed");
        let images =
            Command::new("pdfimages").arg("-list").arg(kit().join("catalogue.pdf")).output().unwrap();
        let listed = String::from_utf8_lossy(&images.stdout).lines().count().saturating_sub(2);
        assert_eq!(listed, 2, "one cover thumbnail per title");
    }
}

#[test]
fn chromium_shows_the_index_and_a_title_page_with_every_picture() {
    let site = kit();
    let Some(program) = chromium() else { return };
    let mut browser = Browser::launch(program, 1100, 900);
    for page in ["index.html", "titles/global-uprisings-fa.html"] {
        browser.navigate(&format!("file://{}", site.join(page).display()));
        assert!(browser.wait_until("document.readyState === 'complete'"), "{page} loads");
        let broken = browser.eval(
            "[...document.images].filter(i => !i.complete || i.naturalWidth === 0).map(i => i.src).join(' ')",
        );
        assert_eq!(broken, "", "{page}: pictures that did not load");
        assert!(browser.holds("document.images.length >= 1"), "{page} shows covers");
        assert!(
            browser.holds("[...document.images].every(i => i.hasAttribute('alt'))"),
            "{page}: alt on every picture"
        );
        assert!(browser.holds("document.querySelectorAll('h1').length === 1"), "{page}: one h1");
        assert!(
            browser.holds("getComputedStyle(document.body).fontFamily.length > 0"),
            "{page}: the stylesheet"
        );
        assert!(
            browser.holds(
                "getComputedStyle(document.querySelector('header.site')).borderBottomStyle === 'solid'"
            ),
            "{page}: catalog.css applied"
        );
        assert!(browser.holds("document.scripts.length === 0"), "{page}: no script");
        let png = browser.screenshot();
        assert!(png.starts_with(b"\x89PNG"), "{page}: a screenshot");
    }
    assert!(browser.holds("getComputedStyle(document.querySelector('article h1')).direction === 'rtl'"));
}

/// The kit's files and their bytes, for comparing runs.
fn snapshot(site: &Path) -> Vec<(PathBuf, Vec<u8>, std::time::SystemTime)> {
    let mut files: Vec<_> = walk(site)
        .into_iter()
        .filter(|p| !p.components().any(|c| c.as_os_str().to_string_lossy().starts_with('.')))
        .map(|p| {
            let modified = std::fs::metadata(&p).unwrap().modified().unwrap();
            (p.strip_prefix(site).unwrap().to_path_buf(), std::fs::read(&p).unwrap(), modified)
        })
        .collect();
    files.sort();
    files
}

#[test]
fn the_same_inputs_give_the_same_bytes_and_a_title_added_or_removed_changes_only_what_it_should() {
    let manifest = "defaults:\n  editions: [epub, zine-72]\nsources:\n  - \"*.md\"\n\
                    catalog:\n  title: Small distro\n  base-url: https://small.example/\n";
    let dir = folder(
        "catalog-incremental",
        &[("editions.yaml", manifest), ("global-uprisings.md", &content("global-uprisings.md"))],
    );
    let batch = |out: &str| {
        let run = mimeo(&dir, &["batch", "editions.yaml", "--out", out]);
        assert!(run.status.success(), "{}", String::from_utf8_lossy(&run.stderr));
        format!("{}{}", String::from_utf8_lossy(&run.stdout), String::from_utf8_lossy(&run.stderr))
    };
    batch("a");
    batch("b");
    let (a, b) = (snapshot(&dir.join("a")), snapshot(&dir.join("b")));
    let bytes = |s: &[(PathBuf, Vec<u8>, std::time::SystemTime)]| {
        s.iter().map(|(p, b, _)| (p.clone(), b.clone())).collect::<Vec<_>>()
    };
    assert!(bytes(&a) == bytes(&b), "two runs into two folders give the same bytes");

    // Run again unchanged: nothing of the kit is written.
    let again = batch("a");
    assert!(again.contains("catalogue: ") && again.contains(" 0 changed, 0 removed"), "{again}");
    assert!(snapshot(&dir.join("a")) == a, "no file rewritten");

    // A title added: its page, cover and the lists change; the other
    // title's page is not rewritten.
    std::fs::write(dir.join("introduction.md"), content("introduction.md")).unwrap();
    batch("a");
    let added = snapshot(&dir.join("a"));
    let find = |s: &[(PathBuf, Vec<u8>, std::time::SystemTime)], name: &str| {
        s.iter().find(|(p, _, _)| p == Path::new(name)).cloned()
    };
    assert!(
        find(&added, "titles/global-uprisings.html") == find(&a, "titles/global-uprisings.html"),
        "the other title's page is untouched"
    );
    assert!(find(&added, "titles/introduction.html").is_some());
    assert_ne!(find(&added, "index.html").unwrap().1, find(&a, "index.html").unwrap().1);
    assert!(read(&dir.join("a/opds/all.xml")).contains("<title>Introduction</title>"));

    // And removed: its page and cover go, the rest is as before.
    std::fs::remove_file(dir.join("introduction.md")).unwrap();
    batch("a");
    let removed = snapshot(&dir.join("a"));
    assert!(find(&removed, "titles/introduction.html").is_none());
    assert!(find(&removed, "covers/introduction.png").is_none());
    let kit_only = |s: &[(PathBuf, Vec<u8>, std::time::SystemTime)]| {
        s.iter()
            .filter(|(p, _, _)| !p.starts_with("introduction"))
            .map(|(p, b, _)| (p.clone(), b.clone()))
            .collect::<Vec<_>>()
    };
    assert!(kit_only(&removed) == kit_only(&a), "back to the kit of one title");
}

#[test]
fn a_wrong_catalog_section_is_an_error_at_its_line() {
    let manifest = "sources:\n  - talk.md\ncatalog:\n  title: Distro\n  base-url: distro.example\n";
    let dir =
        folder("catalog-bad", &[("editions.yaml", manifest), ("talk.md", "---\ntitle: T\n---\n\nText.\n")]);
    let out = mimeo(&dir, &["batch", "editions.yaml", "--out", "site"]);
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("editions.yaml:3:1: error: `base-url: distro.example` is not an absolute URL"),
        "{stderr}"
    );
    assert!(!dir.join("site").exists(), "nothing written");

    let typo = "sources:\n  - talk.md\ncatalog:\n  title: Distro\n  base-ulr: https://x.example/\n";
    std::fs::write(dir.join("editions.yaml"), typo).unwrap();
    let out = mimeo(&dir, &["batch", "editions.yaml", "--out", "site"]);
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("editions.yaml:5:3") && stderr.contains("base-ulr"), "{stderr}");
}

#[test]
fn serve_shows_a_built_catalogue_read_only_and_hardened() {
    let site = kit();
    let mut server = Running::start(&["serve", site.to_str().unwrap(), "--port", "0"], site);
    let line = server.wait_for(|l| l.contains("the catalogue is at http://"));
    let address = line.split("http://").nth(1).unwrap().split('/').next().unwrap().to_string();

    let (status, head, body) = get(&address, "/");
    assert_eq!(status, 200, "{head}");
    assert!(body.contains("<h1>All titles</h1>"));
    let (status, head, body) = get(&address, "/opds/all.xml");
    assert_eq!(status, 200);
    assert!(head.contains("application/atom+xml;profile=opds-catalog") && body.contains("<feed"), "{head}");
    let (status, head, _) = get(&address, "/opds.json");
    assert!(status == 200 && head.contains("application/opds+json"), "{head}");
    let (status, _, body) = get(&address, "/global-uprisings-fa/global-uprisings-fa.epub");
    assert!(
        status == 200 && body.contains("mimetypeapplication/epub+zip"),
        "an edition the feeds link: {status} {}",
        &body[..body.len().min(80)]
    );

    // Hidden records, other folders, writes and foreign hosts are refused.
    assert_eq!(get(&address, "/global-uprisings/.global-uprisings-a5.pdf.mimeo-hash").0, 404);
    assert_eq!(get(&address, "/.mimeo-catalog").0, 404);
    assert_eq!(get(&address, "/../editions.yaml").0, 400);
    assert_eq!(get(&address, "/%2e%2e/editions.yaml").0, 400);
    let post = http(
        &address,
        &format!("POST / HTTP/1.1\r\nHost: {address}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"),
    );
    assert_eq!(post.0, 405);
    let rebound = http(&address, "GET / HTTP/1.1\r\nHost: evil.example\r\nConnection: close\r\n\r\n");
    assert_eq!(rebound.0, 403);
    server.interrupt();
}

#[test]
fn serve_names_a_folder_without_a_catalogue() {
    let dir = folder("catalog-serve-empty", &[("notes.txt", "x")]);
    let out = mimeo(&dir, &["serve", ".", "--port", "0"]);
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains(". holds no catalogue (no opds.xml)") && stderr.contains("catalog:"), "{stderr}");
}

#[test]
fn a_translation_s_bilingual_editions_are_batched_and_rebuilt_when_the_original_changes() {
    let manifest = "sources:\n  - path: global-uprisings-fa.md\n    editions: [zine-parallel]\n";
    let dir = folder(
        "catalog-bilingual",
        &[
            ("editions.yaml", manifest),
            ("global-uprisings.md", &content("global-uprisings.md")),
            ("global-uprisings-fa.md", &content("global-uprisings-fa.md")),
        ],
    );
    let edition = dir.join("out/global-uprisings-fa/global-uprisings-fa-zine-parallel.txt");
    let run = || {
        let out = mimeo(&dir, &["batch", "editions.yaml", "--out", "out", "--quiet"]);
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        read(&edition)
    };
    // Justified: words may be spaced out, so compare words.
    let words = |text: &str| text.split_whitespace().collect::<Vec<_>>().join(" ");
    let first = words(&run());
    assert!(first.contains("This past year") && first.contains("خیزش"), "both languages side by side");
    let original = dir.join("global-uprisings.md");
    std::fs::write(&original, read(&original).replacen("This past year", "This past winter", 1)).unwrap();
    let second = words(&run());
    assert!(second.contains("This past winter"), "the original's change reaches the bilingual edition");
}
