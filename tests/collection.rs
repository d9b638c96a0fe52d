//! Collections (issue 19): a YAML file naming several sources as one book.
//! `mimeo check` reads every piece and reports on each; bad collections are
//! refused with the place in the file, and a piece's own errors keep their
//! own file and place; the zine and the EPUB set the whole book, each piece
//! in its own language with its own notes.

mod common;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use mimeo::model::{ContributorRole, Direction, Place};

const SAMPLE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/content/global-uprisings.md");
const PERSIAN: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/i18n/persian.md");

const SHORT: &str = "---\ntitle: Printing in the basement\nkind: interview\nparticipants:\n  \
    - name: Edward Lee\n    role: interviewer\n    bio: Edward Lee edits the zine.\n  \
    - name: Mina Rahimi\n    bio: Mina Rahimi runs the press.\n---\n\n\
    ## How did the press start?\n\nEdward: How did it start?\n\n\
    Mina: With a second-hand duplicator and a room nobody wanted.[^dup]\n\n\
    [^dup]: A Gestetner, bought in 1998.\n";

const INTRODUCTION: &str = "---\ntitle: Introduction\n---\n\nThese conversations were recorded in 2020.[^when]\n\n\
    [^when]: Between March and May.\n";

/// A folder holding the sample, the Persian roundtable, a short interview
/// and an introduction, with `voices.yaml` collecting them.
fn library(collection: &str) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    std::fs::copy(SAMPLE, dir.path().join("global-uprisings.md")).unwrap();
    std::fs::copy(PERSIAN, dir.path().join("persian.md")).unwrap();
    std::fs::write(dir.path().join("short.md"), SHORT).unwrap();
    std::fs::write(dir.path().join("introduction.md"), INTRODUCTION).unwrap();
    let path = dir.path().join("voices.yaml");
    std::fs::write(&path, collection).unwrap();
    (dir, path)
}

const VOICES: &str = "title: Voices from the uprisings\neditors: [Upping the Anti, Niloofar Golkar]\n\
    language: en\nfront: introduction.md\nparts:\n  - global-uprisings.md\n  \
    - { source: persian.md, title: \"خیزش‌های جهانی\" }\n  - short.md\n";

fn mimeo(args: &[&Path]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_mimeo")).args(args).output().unwrap()
}

#[test]
fn a_collection_keeps_each_piece_whole() {
    let (_dir, path) = library(VOICES);
    let parsed = mimeo::source::parse_collection(&path).unwrap();
    let book = &parsed.collection;
    assert_eq!(book.meta.title, "Voices from the uprisings");
    let editors: Vec<_> = book.meta.contributors.iter().map(|c| (c.name.as_str(), c.role)).collect();
    assert_eq!(
        editors,
        [("Upping the Anti", ContributorRole::Editor), ("Niloofar Golkar", ContributorRole::Editor)]
    );
    let places: Vec<_> = book.pieces.iter().map(|p| p.place).collect();
    assert_eq!(places, [Place::Front, Place::Part, Place::Part, Place::Part]);
    assert_eq!(book.parts().count(), 3);

    let [intro, sample, persian, short] = &book.pieces[..] else { unreachable!() };
    assert_eq!(intro.title, "Introduction");
    assert_eq!(sample.document.participants.len(), 3);
    assert_eq!(sample.document.sections.iter().filter(|s| s.heading.is_some()).count(), 4);
    // Each piece keeps its own language and direction; the book has its own.
    assert_eq!(
        (persian.document.meta.language.as_str(), persian.document.meta.direction),
        ("fa", Direction::Rtl)
    );
    assert_eq!(persian.title, "خیزش‌های جهانی", "the collection's title for the piece");
    assert_ne!(persian.title, persian.document.meta.title);
    assert_eq!((book.meta.language.as_str(), book.meta.direction), ("en", Direction::Ltr));
    // Two Edwards, each their own piece's participant.
    assert_eq!(short.document.participants[0].label, "Edward");
    assert!(sample.document.participants.iter().any(|p| p.label == "Edward"));
    assert_eq!(short.document.turns().filter(|t| t.speaker.is_some()).count(), 2);

    // The identity is stable across reads and differs from the pieces'.
    let again = mimeo::source::parse_collection(&path).unwrap().collection;
    assert_eq!(again.meta.identifier, book.meta.identifier);
    assert!(book.meta.identifier.starts_with("urn:uuid:"));
    assert!(book.pieces.iter().all(|p| p.document.meta.identifier != book.meta.identifier));
}

#[test]
fn check_reports_on_every_piece() {
    let (_dir, path) = library(VOICES);
    let run = mimeo(&[Path::new("check"), &path]);
    let stdout = String::from_utf8_lossy(&run.stdout);
    assert!(run.status.success(), "{stdout}{}", String::from_utf8_lossy(&run.stderr));
    let lines: Vec<&str> = stdout.lines().collect();
    assert!(lines[0].ends_with("voices.yaml: a collection of 4 pieces (3 parts), 0 warnings"), "{stdout}");
    assert!(
        lines[1].ends_with("introduction.md: 0 participants, 0 questions, 0 turns, 0 warnings"),
        "{stdout}"
    );
    assert!(
        lines[2].ends_with("global-uprisings.md: 3 participants, 4 questions, 16 turns, 0 warnings"),
        "{stdout}"
    );
    assert!(lines[3].ends_with("persian.md: 3 participants, 1 question, 3 turns, 0 warnings"), "{stdout}");
    assert!(lines[4].ends_with("short.md: 2 participants, 1 question, 2 turns, 0 warnings"), "{stdout}");
}

#[test]
fn a_warning_in_a_piece_is_reported_in_its_place_and_strict_fails() {
    let (dir, path) = library(VOICES);
    std::fs::write(dir.path().join("short.md"), SHORT.replace("Mina: With", "Mnia: With")).unwrap();
    let run = mimeo(&[Path::new("check"), &path]);
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert!(run.status.success());
    assert!(stderr.contains("short.md:16:1: warning:") && stderr.contains("Mina"), "{stderr}");
    let run = mimeo(&[Path::new("check"), Path::new("--strict"), &path]);
    assert_eq!(run.status.code(), Some(1));
}

/// Each bad collection: exit 1, the error's place in the file, and
/// `build` writes nothing.
#[test]
fn bad_collections_are_refused_in_place() {
    let cases: [(&str, &str, &str); 9] = [
        (
            "title: T\nparts:\n  - short.md\n  - missing.md\n",
            "voices.yaml:4:5",
            "cannot read the piece `missing.md`",
        ),
        (
            "title: T\nparts: [short.md, ../outside.md]\n",
            "voices.yaml:2:19",
            "leaves the collection's folder",
        ),
        ("title: T\nparts:\n  - /etc/passwd\n", "voices.yaml:3:5", "is an absolute path"),
        (
            "title: T\nparts:\n  - short.md\n  - voices.yaml\n",
            "voices.yaml:4:5",
            "the collection includes itself",
        ),
        (
            "title: T\nparts:\n  - short.md\n  - persian.md\n  - short.md\n",
            "voices.yaml:5:5",
            "`short.md` is in the collection twice",
        ),
        ("title: T\nparts: []\n", "voices.yaml:2:1", "`parts:` is empty"),
        ("title: T\npart: [short.md]\n", "voices.yaml:2:1", "unknown key `part`"),
        ("title: T\nparts:\n  - { source: short.md, titel: X }\n", "voices.yaml:3:25", "unknown key `titel`"),
        ("title: T\nparts:\n  - [short.md, persian.md]\n", "voices.yaml:3:5", "must be a source path"),
    ];
    for (yaml, place, message) in cases {
        let (dir, path) = library(yaml);
        std::fs::write(dir.path().parent().unwrap().join("outside.md"), SHORT).ok();
        let run = mimeo(&[Path::new("check"), &path]);
        let stderr = String::from_utf8_lossy(&run.stderr);
        assert_eq!(run.status.code(), Some(1), "{yaml}: {stderr}");
        assert!(
            stderr.contains(place) && stderr.contains(message),
            "{yaml}: expected {place} {message}: {stderr}"
        );
        assert!(!stderr.contains("panicked"));
        let out = dir.path().join("dist");
        let run = mimeo(&[Path::new("build"), &path, Path::new("--out"), &out]);
        assert_eq!(run.status.code(), Some(1));
        assert!(!out.exists(), "nothing written for {yaml}");
    }
}

#[test]
fn collections_that_include_each_other_are_refused() {
    let (dir, path) = library("title: A\nparts:\n  - short.md\n  - b.yaml\n");
    std::fs::write(dir.path().join("b.yaml"), "title: B\nparts:\n  - persian.md\n  - voices.yaml\n").unwrap();
    let run = mimeo(&[Path::new("check"), &path]);
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert_eq!(run.status.code(), Some(1));
    assert!(
        stderr.contains("b.yaml:4:5") && stderr.contains("voices.yaml → b.yaml → voices.yaml"),
        "{stderr}"
    );

    // Without the cycle, an included collection gives its pieces in order.
    std::fs::write(dir.path().join("b.yaml"), "title: B\nparts:\n  - persian.md\n  - introduction.md\n")
        .unwrap();
    let book = mimeo::source::parse_collection(&path).unwrap().collection;
    let titles: Vec<&str> = book.pieces.iter().map(|p| p.title.as_str()).collect();
    assert_eq!(titles[0], "Printing in the basement");
    assert_eq!(titles[2], "Introduction");
    assert_eq!(book.pieces[1].document.meta.language, "fa");
}

#[cfg(unix)]
#[test]
fn a_link_out_of_the_folder_is_refused() {
    let (dir, path) = library("title: T\nparts:\n  - linked.md\n");
    let outside = tempfile::tempdir().unwrap();
    std::fs::write(outside.path().join("x.md"), SHORT).unwrap();
    std::os::unix::fs::symlink(outside.path().join("x.md"), dir.path().join("linked.md")).unwrap();
    let run = mimeo(&[Path::new("check"), &path]);
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert_eq!(run.status.code(), Some(1));
    assert!(
        stderr.contains("voices.yaml:3:5") && stderr.contains("outside the collection's folder"),
        "{stderr}"
    );
}

#[test]
fn a_piece_with_errors_fails_the_collection_with_its_own_places() {
    let (dir, path) = library(VOICES);
    std::fs::write(dir.path().join("short.md"), SHORT.replace("kind: interview", "kind: [oops")).unwrap();
    std::fs::write(
        dir.path().join("introduction.md"),
        "---\ntitle: Intro\nlanguage: english\n---\n\nText.\n",
    )
    .unwrap();
    let run = mimeo(&[Path::new("check"), &path]);
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert_eq!(run.status.code(), Some(1));
    // Both pieces' errors, each in its own file.
    assert!(
        stderr.contains("introduction.md:3:1: error:") && stderr.contains("`english` is not a BCP 47"),
        "{stderr}"
    );
    assert!(stderr.contains("short.md:3:"), "{stderr}");
}

/// The pages of a paged zine, without their form feeds.
fn pages(text: &str) -> Vec<&str> {
    text.split('\u{C}').collect()
}

#[test]
fn the_zine_of_a_collection_opens_each_piece_on_its_page() {
    let (dir, path) = library(VOICES);
    let out = dir.path().join("dist");
    let build = || {
        let run = Command::new(env!("CARGO_BIN_EXE_mimeo"))
            .args([Path::new("build"), &path, Path::new("--out"), &out])
            .env("SOURCE_DATE_EPOCH", "1767225600")
            .output()
            .unwrap();
        assert!(run.status.success(), "{}", String::from_utf8_lossy(&run.stderr));
        std::fs::read_to_string(out.join("voices/voices-zine-72.txt")).unwrap()
    };
    let text = build();
    assert_eq!(build(), text, "same input, same bytes");
    let pages = pages(&text);
    let cover = pages[0];
    assert!(
        cover.contains("VOICES FROM THE UPRISINGS") && cover.contains("Editor: Niloofar Golkar"),
        "{cover}"
    );

    // Each piece's contents entry gives the page it opens on, at the top
    // of that page, under its own footer.
    // An entry may wrap: its page number ends its last line.
    let page_of = |title: &str| -> usize {
        let mut lines = cover.lines().skip_while(|l| !l.starts_with(title));
        let last = lines.find(|l| l.contains(" ..")).unwrap_or_else(|| panic!("{title}: {cover}"));
        last.rsplit(' ').next().unwrap().parse().unwrap()
    };
    let opening = |title: &str| {
        let number = page_of(title);
        let page = pages[number - 1];
        let mut lines = page.lines().filter(|l| !l.trim().is_empty());
        assert!(lines.next().unwrap().starts_with("====="), "{title} opens page {number}: {page}");
        (lines.next().unwrap().trim().to_string(), page.lines().rfind(|l| !l.is_empty()).unwrap().to_string())
    };
    let (title, footer) = opening("Introduction");
    assert_eq!(title, "INTRODUCTION");
    assert!(footer.starts_with("Introduction"), "{footer}");
    let (title, footer) = opening("Global Uprisings");
    assert!(title.starts_with("GLOBAL UPRISINGS AND THE LEFT"), "{title}");
    assert!(footer.starts_with("Global Uprisings and the Left’s Response "), "{footer}");
    let (title, _) = opening("Printing in the basement");
    assert_eq!(title, "PRINTING IN THE BASEMENT");
    // The Persian piece keeps its direction: flush right, its own title.
    let persian = pages[page_of("خیزش‌های جهانی") - 1];
    let title_line = persian.lines().filter(|l| !l.trim().is_empty()).nth(1).unwrap();
    assert!(title_line.starts_with("   ") && title_line.ends_with("خیزش‌های جهانی"), "{persian}");

    // Questions are numbered per piece, and so are notes.
    assert!(
        cover.contains("   1. Can you tell us") && cover.contains("   1. How did the press start?"),
        "{cover}"
    );
    assert_eq!(text.matches("[1] Between March and May.").count(), 1, "{text}");
    assert_eq!(text.matches("[1] A Gestetner").count(), 1, "{text}");
    assert!(!text.contains("[2]"), "each piece numbers its own notes");
    // One colophon for the book, naming each piece.
    let colophon = &text[text.rfind("COLOPHON").unwrap()..];
    assert!(
        colophon.contains("Printing in the basement.") && colophon.contains("Introduction."),
        "{colophon}"
    );
}

#[test]
fn the_ebook_of_a_collection_nests_each_piece_and_keeps_it_apart() {
    let (dir, path) = library(VOICES);
    let out = dir.path().join("dist");
    let build = || {
        let run = Command::new(env!("CARGO_BIN_EXE_mimeo"))
            .args([
                Path::new("build"),
                &path,
                Path::new("--format"),
                Path::new("epub"),
                Path::new("--out"),
                &out,
            ])
            .env("SOURCE_DATE_EPOCH", "1767225600")
            .output()
            .unwrap();
        assert!(run.status.success(), "{}", String::from_utf8_lossy(&run.stderr));
        std::fs::read(out.join("voices/voices.epub")).unwrap()
    };
    let epub = build();
    assert_eq!(build(), epub, "same input, same bytes");
    common::assert_epubcheck_clean(&epub, "collection");
    let entries = common::entries(&epub);
    let entry = |name: &str| common::entry(&entries, name);

    // The contents: each piece's title, its questions nested beneath.
    let nav = entry("OEBPS/nav.xhtml");
    let piece = |file: &str| {
        let at = nav.find(&format!("href=\"{file}\"")).unwrap_or_else(|| panic!("{file} in {nav}"));
        let end = nav[at..].find("</ol>").map_or(nav.len(), |e| at + e);
        &nav[at..end]
    };
    let sample = piece("piece-02-participants.xhtml");
    assert!(sample.contains("Global Uprisings and the Left") && sample.contains("<ol>"), "{sample}");
    assert_eq!(sample.matches("piece-02-section-").count(), 4, "{sample}");
    let short = piece("piece-04-participants.xhtml");
    assert!(
        short.contains("Printing in the basement") && short.contains("How did the press start?"),
        "{short}"
    );
    // The Persian piece: its own language and direction, in the nav and in its files.
    assert!(
        nav.contains("href=\"piece-03-participants.xhtml\" xml:lang=\"fa\" lang=\"fa\" dir=\"rtl\""),
        "{nav}"
    );
    let persian = entry("OEBPS/piece-03-section-01.xhtml");
    assert!(persian.contains("xml:lang=\"fa\" lang=\"fa\" dir=\"rtl\">\n<head>"), "{persian}");
    assert!(
        entry("OEBPS/piece-02-section-01.xhtml").contains("xml:lang=\"en\" lang=\"en\" dir=\"ltr\">\n<head>")
    );

    // Notes are numbered per piece and link within it.
    let intro = entry("OEBPS/piece-01-introduction.xhtml");
    assert!(intro.contains("href=\"piece-01-notes.xhtml#note-1\""), "{intro}");
    let answer = entry("OEBPS/piece-04-section-01.xhtml");
    assert!(answer.contains("href=\"piece-04-notes.xhtml#note-1\""), "{answer}");
    assert!(entry("OEBPS/piece-04-notes.xhtml").contains("A Gestetner"));
    assert!(!entry("OEBPS/piece-04-notes.xhtml").contains("note-2"));

    // The book's title page names its editors; one colophon names every piece.
    let title = entry("OEBPS/title.xhtml");
    assert!(
        title.contains("Voices from the uprisings") && title.contains("Editor: Upping the Anti"),
        "{title}"
    );
    let colophon = entry("OEBPS/colophon.xhtml");
    for name in ["Introduction", "Global Uprisings and the Left", "Printing in the basement", "خیزش‌های جهانی"]
    {
        assert!(colophon.contains(name), "{name} in {colophon}");
    }
    let opf = entry("OEBPS/content.opf");
    assert!(opf.contains(">Voices from the uprisings</dc:title>"), "{opf}");
}

/// A PDF string: UTF-16BE with its byte-order mark, or PDFDocEncoding (ASCII here).
fn pdf_text(bytes: &[u8]) -> String {
    match bytes.strip_prefix(&[0xFE, 0xFF]) {
        Some(utf16) => {
            let units: Vec<u16> = utf16.chunks(2).map(|c| u16::from_be_bytes([c[0], c[1]])).collect();
            String::from_utf16_lossy(&units)
        }
        None => String::from_utf8_lossy(bytes).into_owned(),
    }
}

/// The titles of an outline level, each with its children's titles.
fn outline_level(pdf: &lopdf::Document, first: Option<&lopdf::Object>) -> Vec<(String, Vec<String>)> {
    let mut out = Vec::new();
    let mut item = first.and_then(|o| o.as_reference().ok());
    while let Some(id) = item {
        let entry = pdf.get_dictionary(id).unwrap();
        let title = pdf_text(entry.get(b"Title").unwrap().as_str().unwrap());
        let children = outline_level(pdf, entry.get(b"First").ok()).into_iter().map(|(t, _)| t).collect();
        out.push((title, children));
        item = entry.get(b"Next").ok().and_then(|o| o.as_reference().ok());
    }
    out
}

#[test]
fn the_print_edition_of_a_collection_is_one_book() {
    let (dir, path) = library(VOICES);
    let out = dir.path().join("dist");
    let run = Command::new(env!("CARGO_BIN_EXE_mimeo"))
        .args([Path::new("build"), &path, Path::new("--layout"), Path::new("a5"), Path::new("--out"), &out])
        .env("SOURCE_DATE_EPOCH", "1767225600")
        .output()
        .unwrap();
    assert!(run.status.success(), "{}", String::from_utf8_lossy(&run.stderr));
    let file = out.join("voices/voices-a5.pdf");
    let bytes = std::fs::read(&file).unwrap();
    let pdf = lopdf::Document::load_mem(&bytes).unwrap();

    // Bookmarks: book → piece → question.
    let catalog = pdf.catalog().unwrap();
    let outlines = pdf.get_dictionary(catalog.get(b"Outlines").unwrap().as_reference().unwrap()).unwrap();
    let tree = outline_level(&pdf, outlines.get(b"First").ok());
    let pieces: Vec<&str> = tree.iter().map(|(t, _)| t.as_str()).collect();
    assert_eq!(pieces.len(), 4, "{tree:?}");
    assert_eq!(pieces[0], "Introduction");
    assert!(pieces[1].starts_with("Global Uprisings and the Left"));
    assert_eq!(pieces[2], "خیزش‌های جهانی");
    assert_eq!(pieces[3], "Printing in the basement");
    assert_eq!(tree[1].1.len(), 4, "the sample's four questions under it: {tree:?}");
    assert_eq!(tree[3].1, ["How did the press start?"]);

    if !common::print::tool("pdftotext") {
        return;
    }
    let page_text = |n: usize| {
        let n = n.to_string();
        let run = Command::new("pdftotext")
            .args(["-f", &n, "-l", &n, "-layout"])
            .arg(&file)
            .arg("-")
            .output()
            .unwrap();
        String::from_utf8_lossy(&run.stdout).into_owned()
    };
    // The contents (page 2) gives each piece's page: that page opens the
    // piece with its title, on a recto (odd page).
    let contents = page_text(2);
    assert!(contents.contains("Contents"), "{contents}");
    // An entry may wrap: its number ends its last line.
    let page_of = |title: &str| contents_page(&contents, title);
    for (title, piece) in [
        ("Introduction", true),
        ("Printing in the basement", true),
        ("How did the press start?", false),
        ("Can you tell us about the movement", false),
        ("What kind of solidarity can we do in Toronto", false),
    ] {
        let page = page_of(title);
        let text = page_text(page);
        assert!(text.contains(title), "contents says {title} is on page {page}: {text}");
        if piece {
            assert_eq!(page % 2, 1, "{title} opens on a recto");
        }
    }
    // Running heads: the book on the verso, the piece on the recto.
    let sample_page = page_of("Can you tell us about the movement");
    let verso = page_text(sample_page + 1);
    let recto = page_text(sample_page + 2);
    let (verso, recto) = if sample_page % 2 == 1 { (verso, recto) } else { (recto, verso) };
    assert!(verso.trim_start().starts_with("Voices from the uprisings"), "{verso}");
    assert!(recto.trim_start().starts_with("Global Uprisings and the Left"), "{recto}");
    // Notes numbered per piece: each piece's first note is 1.
    let all = Command::new("pdftotext").arg(&file).arg("-").output().unwrap();
    let all = String::from_utf8_lossy(&all.stdout);
    assert!(all.contains("1 Between March and May.") || all.contains("1. Between March and May."), "{all}");
    assert!(all.contains("1 A Gestetner") || all.contains("1. A Gestetner"), "{all}");
    assert!(!all.contains("2 A Gestetner") && !all.contains("2. A Gestetner"));
    // One colophon, on the last page, naming every piece and its origin.
    let last = page_text(pdf.get_pages().len());
    for name in ["Editor: Upping the Anti", "Introduction", "Printing in the basement", "A Roundtable"] {
        assert!(last.contains(name), "{name} in the colophon: {last}");
    }
    if common::print::tool("qpdf") {
        let check = Command::new("qpdf").arg("--check").arg(&file).output().unwrap();
        assert!(check.status.success(), "{}", String::from_utf8_lossy(&check.stdout));
    }
}

/// Imposed as a saddle-stitched booklet like any edition: sheets of four pages.
#[test]
fn a_collection_imposes_as_a_booklet() {
    let (dir, path) = library(VOICES);
    let out = dir.path().join("dist");
    let args =
        [Path::new("build"), &path, Path::new("--layout"), Path::new("a5-booklet"), Path::new("--out"), &out];
    let run = mimeo(&args);
    assert!(run.status.success(), "{}", String::from_utf8_lossy(&run.stderr));
    let pdf = lopdf::Document::load(out.join("voices/voices-a5-booklet.pdf")).unwrap();
    assert!(!pdf.get_pages().is_empty());
}

/// The page number a PDF contents page (`pdftotext -layout`) gives the
/// entry `title`: an entry may wrap, and its number ends its last line.
fn contents_page(contents: &str, title: &str) -> usize {
    let mut lines = contents.lines().skip_while(|l| !l.contains(title));
    let line = lines
        .find(|l| l.trim_end().ends_with(|c: char| c.is_ascii_digit()))
        .unwrap_or_else(|| panic!("{title}: {contents}"));
    let digits: String = line.trim_end().chars().rev().take_while(char::is_ascii_digit).collect();
    digits.chars().rev().collect::<String>().parse().unwrap_or_else(|_| panic!("{line}"))
}

/// `(xMin, xMax, yMin, text)` of each line of `pdftotext -bbox-layout` on page `page`.
fn bbox_lines(file: &Path, page: usize) -> Vec<(f64, f64, f64, String)> {
    let p = page.to_string();
    let run =
        Command::new("pdftotext").args(["-bbox-layout", "-f", &p, "-l", &p]).arg(file).arg("-").output();
    let xml = String::from_utf8(run.unwrap().stdout).unwrap();
    let mut out = common::print::bbox_lines(&xml);
    out.sort_by(|a, b| a.2.total_cmp(&b.2));
    out
}

fn arabic_script(text: &str) -> bool {
    text.chars().any(|c| ('\u{0600}'..='\u{06FF}').contains(&c))
}

/// In the contents, a question is indented on the side its line starts
/// from: a Persian question ends short of its piece's title on the right,
/// as an English one starts short of its title on the left. And a piece
/// without speakers (the introduction) has no title page of its own: its
/// text starts under its title.
#[test]
fn contents_indent_questions_from_their_start_and_an_essay_opens_under_its_title() {
    let (dir, path) = library(VOICES);
    let out = dir.path().join("dist");
    let args = [Path::new("build"), &path, Path::new("--layout"), Path::new("a5"), Path::new("--out"), &out];
    let run = mimeo(&args);
    assert!(run.status.success(), "{}", String::from_utf8_lossy(&run.stderr));
    if !common::print::tool("pdftotext") {
        return;
    }
    let file = out.join("voices/voices-a5.pdf");
    let lines = bbox_lines(&file, 2);
    let persian: Vec<_> = lines.iter().filter(|l| arabic_script(&l.3)).collect();
    let [title, question] = persian[..] else { panic!("a Persian title and one question: {lines:?}") };
    assert!(question.1 < title.1 - 10.0, "the Persian question is indented from the right: {persian:?}");
    let english =
        |start: &str| lines.iter().find(|l| l.3.starts_with(start)).unwrap_or_else(|| panic!("{start}"));
    let (title, question) = (english("Printing"), english("How did the press start?"));
    assert!(question.0 > title.0 + 10.0, "the English question is indented from the left: {lines:?}");

    let text = Command::new("pdftotext").args(["-f", "3", "-l", "3"]).arg(&file).arg("-").output().unwrap();
    let text = String::from_utf8_lossy(&text.stdout);
    assert!(
        text.contains("Introduction") && text.contains("These conversations were recorded in 2020."),
        "the introduction opens on page 3 with its text: {text}"
    );
}

/// A one-line paragraph closing a piece (the editors' sign-off under an
/// introduction) is never left alone at the head of a page: when it does
/// not fit under the paragraph before, two of that paragraph's lines go
/// over with it. The introduction grows a few words at a time across the
/// foot of its first page.
#[test]
fn a_sign_off_is_not_left_alone_on_a_page() {
    if !common::print::tool("pdftotext") {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("short.md"), SHORT).unwrap();
    let path = dir.path().join("book.yaml");
    std::fs::write(&path, "title: A winter of nights\nfront: intro.md\nparts: [short.md]\n").unwrap();
    let layout = common::print::pdf_layout("a5");
    let words: Vec<&str> = "The duplicator ran every night of that winter and the zines went out by hand \
        to the people who had asked for them"
        .split(' ')
        .filter(|w| !w.is_empty())
        .collect();
    let mut crossed = false;
    for count in (330..470).step_by(6) {
        let text: Vec<&str> = words.iter().copied().cycle().take(count).collect();
        let intro = format!("---\ntitle: Introduction\n---\n\n{}.\n\n*The editors*\n", text.join(" "));
        std::fs::write(dir.path().join("intro.md"), intro).unwrap();
        let book = mimeo::source::parse_collection(&path).unwrap().collection;
        let ctx = mimeo::backend::Context { epoch: 1_767_225_600, ..Default::default() };
        let pdf = mimeo::backend::pdf::render_collection(&book, &layout, &ctx).unwrap();
        let file = dir.path().join("book.pdf");
        std::fs::write(&file, &pdf.bytes).unwrap();
        let run = Command::new("pdftotext").arg(&file).arg("-").output().unwrap();
        let text = String::from_utf8_lossy(&run.stdout);
        let pages: Vec<&str> = text.split('\u{C}').collect();
        let at = pages.iter().position(|p| p.contains("The editors")).unwrap();
        if at == 2 {
            continue; // the introduction fits on its first page (page 3)
        }
        crossed = true;
        // Text lines, without the running head and the folio.
        let lines = pages[at]
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty() && *l != "A winter of nights" && !l.chars().all(|c| c.is_ascii_digit()))
            .count();
        assert!(lines >= 3, "{count} words: the sign-off has {lines} lines on its page: {}", pages[at]);
    }
    assert!(crossed, "the introduction never ran over its first page");
}

const VOICES_SAMPLE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/content/voices-from-the-uprisings.yaml");

/// The sample collection in `content/` is a book a reader can use: it
/// checks clean; the PDF's contents lists the introduction and both pieces
/// (and their questions) at the pages they open on, each on a recto; the
/// EPUB's contents and the zine have each piece under its own title.
#[test]
fn the_sample_collection_builds_as_a_book() {
    let run = mimeo(&[Path::new("check"), Path::new(VOICES_SAMPLE)]);
    let (stdout, stderr) = (String::from_utf8_lossy(&run.stdout), String::from_utf8_lossy(&run.stderr));
    assert!(run.status.success() && stderr.is_empty(), "{stdout}{stderr}");
    let lines: Vec<&str> = stdout.lines().collect();
    assert_eq!(lines.len(), 4, "{stdout}");
    assert!(lines[0].ends_with("a collection of 3 pieces (2 parts), 0 warnings"), "{stdout}");
    assert!(lines[2].ends_with("global-uprisings.md: 3 participants, 4 questions, 16 turns, 0 warnings"));
    assert!(lines[3].ends_with("global-uprisings-fa.md: 3 participants, 4 questions, 16 turns, 0 warnings"));

    // The default editions: A5 PDF, EPUB, zine.
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("dist");
    let run = Command::new(env!("CARGO_BIN_EXE_mimeo"))
        .args([Path::new("build"), Path::new(VOICES_SAMPLE), Path::new("--out"), &out])
        .env("SOURCE_DATE_EPOCH", "1767225600")
        .output()
        .unwrap();
    assert!(run.status.success(), "{}", String::from_utf8_lossy(&run.stderr));
    let folder = out.join("voices-from-the-uprisings");
    let persian_title = "خیزش‌های جهانی و پاسخ چپ";

    let zine = std::fs::read_to_string(folder.join("voices-from-the-uprisings-zine-72.txt")).unwrap();
    let pages = pages(&zine);
    assert!(pages[0].contains("VOICES FROM THE UPRISINGS") && pages[0].contains("Editor: Upping the Anti"));
    for (title, first_words) in [
        ("INTRODUCTION", "In early spring 2020"),
        ("GLOBAL UPRISINGS AND THE LEFT", "This past year we have witnessed"),
        (persian_title, "در سالی که گذشت"),
    ] {
        // Justified lines may hold more than one space between words.
        let flat = |page: &str| page.split_whitespace().collect::<Vec<_>>().join(" ");
        let page = pages.iter().map(|p| flat(p)).find(|p| p.contains(title) && p.contains(first_words));
        assert!(page.is_some(), "the zine opens {title} on a page of its own: {zine}");
    }

    let epub = std::fs::read(folder.join("voices-from-the-uprisings.epub")).unwrap();
    let entries = common::entries(&epub);
    let nav = common::entry(&entries, "OEBPS/nav.xhtml");
    for title in ["Introduction", "Global Uprisings and the Left", persian_title] {
        assert!(nav.contains(title), "{title} in {nav}");
    }

    if !common::print::tool("pdftotext") {
        return;
    }
    let file = folder.join("voices-from-the-uprisings-a5.pdf");
    let page_text = |n: usize| {
        let n = n.to_string();
        let run =
            Command::new("pdftotext").args(["-f", &n, "-l", &n, "-layout"]).arg(&file).arg("-").output();
        String::from_utf8_lossy(&run.unwrap().stdout).into_owned()
    };
    let contents = page_text(2);
    assert!(contents.contains("Contents"), "{contents}");
    // Each entry's page number ends its last line.
    let page_of = |title: &str| contents_page(&contents, title);
    let mut last = 2;
    for (entry, on_page, piece) in [
        ("Introduction", "In early spring 2020", true),
        ("Global Uprisings and the Left’s Response", "A Roundtable with Edward Hon-Sing Wong", true),
        ("Can you tell us about the movement", "Can you tell us about the movement", false),
        ("What has been the international response", "What has been the international response", false),
        ("What obstacles do you see", "What obstacles do you see", false),
        ("What kind of solidarity can we do in Toronto", "What kind of solidarity can we do", false),
        (persian_title, "میزگردی با ادوارد", true),
        ("می‌توانید درباره‌ی جنبشی", "می‌توانید درباره‌ی جنبشی", false),
    ] {
        let page = page_of(entry);
        assert!(page > last, "{entry} on page {page}, after the one before (page {last})");
        let text = page_text(page);
        assert!(text.contains(on_page), "contents says {entry} is on page {page}: {text}");
        if piece {
            assert_eq!(page % 2, 1, "{entry} opens on a recto");
        }
        last = page;
    }
}

/// The sample collection's EPUB passes EPUBCheck clean (required, not
/// skipped, under MIMEO_REQUIRE_VALIDATORS). Apart from the test above:
/// the validator's JVM takes most of the time.
#[test]
fn the_sample_collection_ebook_passes_epubcheck() {
    let dir = tempfile::tempdir().unwrap();
    let args = [Path::new("build"), Path::new(VOICES_SAMPLE), Path::new("--format"), Path::new("epub")];
    let run = Command::new(env!("CARGO_BIN_EXE_mimeo"))
        .args(args)
        .arg("--out")
        .arg(dir.path())
        .env("SOURCE_DATE_EPOCH", "1767225600")
        .output()
        .unwrap();
    assert!(run.status.success(), "{}", String::from_utf8_lossy(&run.stderr));
    let epub =
        std::fs::read(dir.path().join("voices-from-the-uprisings/voices-from-the-uprisings.epub")).unwrap();
    common::assert_epubcheck_clean(&epub, "voices-from-the-uprisings");
}
