//! The plain-text edition: line setting properties, page structure of the
//! sample in every text layout, snapshots, notes, odd blocks and ASCII.
//!
//! Snapshots live in `tests/snapshots/`; after an intended change, rewrite
//! them with `MIMEO_UPDATE_SNAPSHOTS=1 cargo test --test text` and review the diff.

use std::path::Path;

use mimeo::backend::Context;
use mimeo::backend::text::{self, CUT_MARKER, fill, width};
use mimeo::layout::{self, Align, Settings, TextLayout};
use mimeo::model::Document;
use proptest::prelude::*;

const EPOCH: i64 = 1_767_225_600; // 2026-01-01
const SAMPLE: &str = "content/global-uprisings.md";

fn text_layout(spec: &str) -> TextLayout {
    match layout::load(spec).unwrap().settings {
        Settings::Txt(settings) => *settings,
        _ => panic!("{spec} is not a text layout"),
    }
}

fn parse(path: &str) -> Document {
    mimeo::source::parse_file(Path::new(path)).unwrap().document
}

fn parse_str(text: &str) -> Document {
    mimeo::source::parse_bytes(Path::new("test.md"), text.as_bytes()).unwrap().document
}

fn render(doc: &Document, layout: &TextLayout) -> (String, Option<usize>) {
    let out = text::render(doc, layout, &Context { epoch: EPOCH, ..Default::default() }).unwrap();
    (String::from_utf8(out.bytes).unwrap(), out.pages)
}

/// Words of `lines` with line-end hyphens and cut markers joined back.
fn dehyphenated(lines: &[String]) -> Vec<String> {
    let mut words = Vec::new();
    let mut carry = String::new();
    for line in lines {
        let mut tokens: Vec<&str> = line.split(' ').filter(|t| !t.is_empty()).collect();
        let joined = tokens.last().and_then(|t| t.strip_suffix('-').or_else(|| t.strip_suffix(CUT_MARKER)));
        let tail = joined.map(|t| {
            tokens.pop();
            t.to_string()
        });
        for (i, token) in tokens.iter().enumerate() {
            if i == 0 && !carry.is_empty() {
                words.push(std::mem::take(&mut carry) + token);
            } else {
                words.push(token.to_string());
            }
        }
        if let Some(tail) = tail {
            if tokens.is_empty() {
                carry.push_str(&tail);
            } else {
                carry = tail;
            }
        }
    }
    if !carry.is_empty() {
        words.push(carry);
    }
    words
}

fn word() -> impl Strategy<Value = String> {
    prop_oneof![
        8 => "[a-z]{1,12}",
        2 => "[A-Za-z]{13,30}",
        1 => "[a-z]{60,150}",
        1 => "[éàüøß]{1,8}",
        1 => "[漢字中文]{1,30}",
        1 => "(e\u{301}){1,40}",
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn lines_fit_and_keep_every_word(words in prop::collection::vec(word(), 1..120), measure in 20usize..=120, ragged: bool) {
        let align = if ragged { Align::Ragged } else { Align::Justify };
        let text = words.join(" ");
        let lines = fill(&text, measure, "en", align);
        for (i, line) in lines.iter().enumerate() {
            prop_assert!(width(line) <= measure, "line {} is {} wide: {:?}", i, width(line), line);
            prop_assert!(!line.ends_with(' ') && !line.starts_with(' '), "{:?}", line);
            let last = i + 1 == lines.len();
            let several_words = line.contains(' ');
            if !ragged && !last && several_words {
                prop_assert_eq!(width(line), measure, "not justified: {:?}", line);
            }
        }
        if text.chars().any(|c| width(&c.to_string()) == 2) {
            // Lines break between ideographs without a mark: compare the
            // text without white space.
            prop_assert_eq!(dehyphenated(&lines).concat(), words.concat());
        } else {
            prop_assert_eq!(dehyphenated(&lines), words);
        }
    }
}

#[test]
fn no_more_than_two_hyphenated_lines_in_a_row() {
    let doc = parse(SAMPLE);
    let text = mimeo::model::plain_text_of_blocks(
        &doc.sections.iter().flat_map(|s| &s.turns).flat_map(|t| t.blocks.clone()).collect::<Vec<_>>(),
    );
    for measure in [20, 24, 28, 33, 40, 48, 64, 72] {
        for paragraph in text.split("\n\n") {
            let lines = fill(paragraph, measure, "en", Align::Justify);
            let mut run = 0;
            for line in &lines {
                let hyphenated =
                    line.ends_with('-') && line.chars().rev().nth(1).is_some_and(char::is_alphabetic);
                run = if hyphenated { run + 1 } else { 0 };
                assert!(run <= 2, "three hyphens in a row at {measure}: {lines:#?}");
            }
        }
    }
}

/// Pages of a paged edition, split at form feeds.
fn pages(text: &str) -> Vec<Vec<&str>> {
    text.split('\u{C}').map(|page| page.strip_suffix('\n').unwrap_or(page).split('\n').collect()).collect()
}

fn check_plain_text(text: &str, layout: &TextLayout, name: &str) {
    assert!(text.ends_with('\n') && !text.contains('\r'), "{name}: LF line endings");
    for (n, line) in text.split('\n').enumerate() {
        assert!(width(line) <= layout.width, "{name}: line {} is {} wide: {line:?}", n + 1, width(line));
        assert!(!line.ends_with(' '), "{name}: trailing space on line {}", n + 1);
        let controls = line.chars().filter(|c| c.is_control()).count();
        let form_feed_at_start = line.starts_with('\u{C}') && controls == 1;
        assert!(controls == 0 || form_feed_at_start, "{name}: control character on line {}", n + 1);
        if layout.ascii {
            assert!(line.is_ascii(), "{name}: not ASCII: {line:?}");
        }
    }
}

#[test]
fn the_sample_in_every_text_layout() {
    let doc = parse(SAMPLE);
    let update = std::env::var_os("MIMEO_UPDATE_SNAPSHOTS").is_some();
    for name in ["zine-72", "zine-64", "screen-80", "two-column", "zine-72-ascii"] {
        let layout = text_layout(name);
        let (text, page_count) = render(&doc, &layout);
        check_plain_text(&text, &layout, name);
        // The words a reader needs are all there.
        for needle in ["RE-THEORIZING", "A Roundtable with", "EDWARD:", "SARDAR:", "NILOOFAR:", "COLOPHON"] {
            assert!(text.contains(needle), "{name}: {needle} is missing");
        }
        if let Some(height) = layout.page_height {
            let pages = pages(&text);
            assert_eq!(Some(pages.len()), page_count, "{name}");
            for (n, page) in pages.iter().enumerate() {
                assert_eq!(page.len(), height, "{name}: page {} has {} lines", n + 1, page.len());
                let footer = page.last().unwrap();
                assert!(footer.ends_with(&format!(" {}", n + 1)), "{name}: footer {footer:?}");
                assert!(footer.starts_with("Global Uprisings"), "{name}: footer {footer:?}");
            }
            // The contents point at the pages where the questions are.
            for (q, start) in [(1, "Can you tell us"), (4, "What kind of solidarity")] {
                let entry = text.lines().position(|l| l.starts_with(&format!("{q}. {start}"))).unwrap();
                let number_line = text.lines().skip(entry).find(|l| l.contains(" ..")).unwrap();
                let page: usize = number_line.rsplit(' ').next().unwrap().parse().unwrap();
                let heading = format!("{q}. {start}");
                let found = pages.iter().rposition(|p| p.iter().any(|l| l.contains(&heading))).unwrap();
                assert_eq!(found + 1, page, "{name}: question {q}");
            }
        } else {
            assert!(!text.contains('\u{C}'));
            assert_eq!(page_count, None);
        }
        let path = Path::new("tests/snapshots").join(format!("global-uprisings.{name}.txt"));
        if update {
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(&path, &text).unwrap();
        } else {
            let expected = std::fs::read_to_string(&path)
                .unwrap_or_else(|e| panic!("{}: {e} (run with MIMEO_UPDATE_SNAPSHOTS=1)", path.display()));
            assert!(expected == text, "{name}: output differs from {}", path.display());
        }
    }
}

#[test]
fn output_is_reproducible() {
    let doc = parse(SAMPLE);
    let layout = text_layout("zine-64");
    assert_eq!(render(&doc, &layout).0, render(&doc, &layout).0);
}

const ODD: &str = r#"---
title: "Notes, lists and code"
language: en
participants:
  - name: "Ada Byron"
    role: interviewer
  - name: "Grace Hopper"
---

An introduction with a note.[^intro]

## A first question that is rather long, so long that it has to wrap onto a second line?

**Ada:** A turn with a note.[^one] And a link to [the site](https://example.org/a/very/long/path/that/cannot/possibly/fit/on/one/line/of/the/zine/because/it/goes/on).

**Grace:** A list:

- first item
- second item, which is long enough to wrap onto the following line when set in sixty-four columns

1. one
2. two

> A quoted paragraph that runs long enough to need at least two lines in the narrower quoted measure of the page.

```
fn main() {	println!("a code line far wider than any zine page could ever hold without cutting it somewhere"); }
```

***

## Second question?

**Grace:** Another note.[^two]

[^intro]: The introduction's note.
[^one]: The first note, with enough text to wrap onto a second line when the page is sixty-four columns wide.
[^two]: The second note.
"#;

#[test]
fn notes_lists_quotes_and_code() {
    let doc = parse_str(ODD);
    let layout = text_layout("zine-64");
    let (text, _) = render(&doc, &layout);
    check_plain_text(&text, &layout, "odd");
    // The last occurrence: the contents name the questions too.
    let at = |needle: &str| text.rfind(needle).unwrap_or_else(|| panic!("{needle} missing in\n{text}"));
    // Notes come at the end of their section: after the turn, before the next question.
    assert!(
        at("note.[2]") < at("[2] The first note") && at("[2] The first note") < at("2. Second question?")
    );
    assert!(at("[1] The introduction") < at("1. A first question"));
    // The link's address is note 3, numbered with the footnotes in reading order.
    assert!(at("[4] The second note") > at("2. Second question?"));
    assert!(text.contains("* first item") && text.contains("1. one") && text.contains("2. two"));
    assert!(text.lines().any(|l| l.starts_with("    A quoted")), "{text}");
    assert!(text.lines().any(|l| l.starts_with("    fn main() {") && l.ends_with(CUT_MARKER)), "{text}");
    assert!(
        at("the site[3]") < at("[3] https://example.org/a/")
            && at("[3] https://") < at("2. Second question?")
    );
    assert!(text.contains("GRACE: A list:"));
    let out = text::render(&doc, &layout, &Context { epoch: EPOCH, ..Default::default() }).unwrap();
    assert!(out.warnings.iter().any(|w| w.message.contains("were cut")), "{:?}", out.warnings);
}

#[test]
fn ascii_layouts_transliterate() {
    let doc = parse_str(
        "---\ntitle: \"Café “Zürich” — ça va…\"\nlanguage: fr\n---\n\nÉlan, naïve façade — “quoted” 北京.\n",
    );
    let layout = layout::parse(Path::new("a.yaml"), "format: txt\nwidth: 40\nascii: true\n", None).unwrap();
    let Settings::Txt(layout) = layout.settings else { panic!() };
    let (text, _) = render(&doc, &layout);
    check_plain_text(&text, &layout, "ascii");
    assert!(text.contains("Elan, naive facade -- \"quoted\" Bei Jing"), "{text}");
    assert!(text.contains("CAFE \"ZURICH\" -- CA VA..."), "{text}");
}

#[test]
fn wide_scripts_long_titles_and_sparse_documents() {
    let source = "---\ntitle: \"全球起义与左翼的回应：重新思考反帝国主义团结全球起义与左翼的回应\"\nsubtitle: \"一次圆桌会议\"\nlanguage: zh-Hans\nparticipants:\n  - name: \"王\"\n  - name: \"李\"\n    bio: \"李是研究员。\"\n---\n\n## 问题一？\n\n## 问题二？\n\n**王:** 这是一个很长的回答这是一个很长的回答这是一个很长的回答这是一个很长的回答这是一个很长的回答这是一个很长的回答。\n";
    let doc = parse_str(source);
    for name in ["zine-72", "zine-64", "screen-80", "two-column", "zine-72-ascii"] {
        let layout = text_layout(name);
        let (text, _) = render(&doc, &layout);
        check_plain_text(&text, &layout, name);
        if let Some(height) = layout.page_height {
            assert!(pages(&text).iter().all(|p| p.len() == height), "{name}");
        }
        if !layout.ascii {
            // A Chinese label takes a full-width colon, with no space after it.
            assert!(text.contains("问题二？") && text.contains("王：这是"), "{name}:\n{text}");
        }
    }
}

fn markdown_piece() -> impl Strategy<Value = String> {
    prop_oneof![
        4 => "[a-zA-Z]{1,14}( [a-z]{1,9}){0,12}",
        1 => Just("\n\n".to_string()),
        1 => Just("\n\n## ".to_string()),
        1 => Just("\n\n### ".to_string()),
        1 => Just("\n\n**Ada:** ".to_string()),
        1 => Just("\n\n- ".to_string()),
        1 => Just("\n\n1. ".to_string()),
        1 => Just("\n\n> ".to_string()),
        1 => Just("\n\n```\n\tcode\u{7}line\n```\n\n".to_string()),
        1 => Just("[^n]".to_string()),
        1 => Just("*emphasis*".to_string()),
        1 => Just("[link](https://example.org/x)".to_string()),
        1 => "[a-z]{80,200}",
        1 => "[漢字中文、。]{1,60}",
        1 => Just("e\u{301}\u{AD}x\u{A0}y  \n".to_string()),
        1 => Just("\n\n***\n\n".to_string()),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(60))]

    #[test]
    fn any_source_renders_within_the_width(pieces in prop::collection::vec(markdown_piece(), 1..40)) {
        let mut body = pieces.concat();
        if body.contains("[^n]") {
            body.push_str("\n\n[^n]: A note with *emphasis* and more words.\n");
        }
        let source = format!("---\ntitle: \"Fuzz\"\nlanguage: en\nparticipants:\n  - name: \"Ada\"\n---\n\n{body}\n");
        let Ok(parsed) = mimeo::source::parse_bytes(Path::new("fuzz.md"), source.as_bytes()) else {
            return Ok(());
        };
        for name in ["zine-64", "screen-80", "two-column", "zine-72-ascii"] {
            let layout = text_layout(name);
            let (text, _) = render(&parsed.document, &layout);
            check_plain_text(&text, &layout, name);
            if let Some(height) = layout.page_height {
                prop_assert!(pages(&text).iter().all(|p| p.len() == height), "{}", name);
            }
        }
    }
}
