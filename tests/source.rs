//! The source format: what a good source becomes, and what bad input gets.
//! Every bad input must give one clear located error, exit 1, write
//! nothing, and never panic.

use std::path::{Path, PathBuf};
use std::process::Command;

use mimeo::model::{BlockKind, Inline, Role, plain_text};
use mimeo::source::{Parsed, parse_bytes, parse_file};

const SAMPLE: &str = "content/global-uprisings.md";

fn parse(text: &str) -> Result<Parsed, Vec<mimeo::diag::Diagnostic>> {
    parse_bytes(Path::new("t.md"), text.as_bytes())
}

/// Run the binary in `dir`; returns (exit code, stdout, stderr).
fn mimeo(dir: &Path, args: &[&str]) -> (i32, String, String) {
    let output = Command::new(env!("CARGO_BIN_EXE_mimeo")).args(args).current_dir(dir).output().unwrap();
    (
        output.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&output.stdout).into_owned(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

#[test]
fn the_sample_has_three_participants_four_questions_sixteen_turns() {
    let parsed = parse_file(&repo().join(SAMPLE)).unwrap();
    assert!(parsed.warnings.is_empty(), "{:?}", parsed.warnings);
    let doc = parsed.document;
    assert_eq!(doc.participants.len(), 3);
    assert_eq!(doc.sections.iter().filter(|s| s.heading.is_some()).count(), 4);
    assert_eq!(doc.turns().filter(|t| t.speaker.is_some()).count(), 16);
    assert!(doc.participants.iter().all(|p| p.bio.is_some()));
    // The interviewer also answers.
    let niloofar = doc.participants.iter().find(|p| p.name == "Niloofar Golkar").unwrap();
    assert_eq!(niloofar.role, Role::Interviewer);
    assert!(doc.turns().any(|t| t.speaker == Some(niloofar.id)));
    // The introduction is the paragraph before the first question.
    assert_eq!(doc.introduction.len(), 1);
    // The text is unchanged: the first turn begins after its label.
    let first = &doc.sections[0].turns[0];
    let BlockKind::Paragraph(content) = &first.blocks[0].kind else { panic!() };
    assert!(plain_text(content).starts_with("In terms of the current protest movement"));
    assert_eq!(doc.participant(first.speaker.unwrap()).label, "Edward");
}

#[test]
fn check_reports_the_sample_counts_without_warnings() {
    let (code, stdout, stderr) = mimeo(&repo(), &["check", SAMPLE]);
    assert_eq!(code, 0, "{stderr}");
    assert!(stdout.contains("3 participants, 4 questions, 16 turns, 0 warnings"), "{stdout}");
    assert!(stderr.is_empty(), "{stderr}");
}

#[test]
fn labels_plain_bold_and_by_full_name_start_turns() {
    let doc = parse(
        "---\ntitle: T\nparticipants:\n  - name: Ada Lovelace\n    bio: b\n  - name: Bo Diddley\n    label: Bo\n    bio: b\n---\n\
         Intro.\n\n## Q?\n\nAda: one\n\nstill Ada\n\n**Bo:** two\n\n**Ada Lovelace**: three\n",
    )
    .unwrap()
    .document;
    let speakers: Vec<&str> =
        doc.turns().map(|t| doc.participant(t.speaker.unwrap()).label.as_str()).collect();
    assert_eq!(speakers, ["Ada", "Bo", "Ada"]);
    assert_eq!(doc.sections[0].turns[0].blocks.len(), 2, "an unlabelled paragraph continues the turn");
    let BlockKind::Paragraph(content) = &doc.sections[0].turns[1].blocks[0].kind else { panic!() };
    assert_eq!(content, &vec![Inline::Text("two".into())], "the label is not part of the text");
}

/// Found by fuzzing the WebVTT import: the body's text is smartened
/// (`--` becomes `–`), the front matter's is not, so `Jean--Paul:` started
/// no turn and the participant "never spoke".
#[test]
fn a_label_with_typewriter_punctuation_finds_its_participant() {
    let parsed = parse(
        "---\ntitle: T\nparticipants:\n  - name: Jean--Paul Sartre\n    label: Jean--Paul\n    bio: b\n  - name: Máire O'Brien\n    label: O'Brien\n    bio: b\n---\n\
         Jean--Paul: one\n\nO'Brien: two\n",
    )
    .unwrap();
    let doc = &parsed.document;
    let speakers: Vec<&str> =
        doc.turns().map(|t| doc.participant(t.speaker.unwrap()).label.as_str()).collect();
    assert_eq!(speakers, ["Jean--Paul", "O'Brien"]);
    assert!(parsed.warnings.is_empty(), "{:?}", parsed.warnings);
}

#[test]
fn a_misspelt_label_is_a_warning_with_a_suggestion() {
    let parsed =
        parse("---\ntitle: T\nparticipants:\n  - name: Edward Wong\n    bio: b\n---\n## Q\n\nEdward: a\n\nEdwrad: b\n")
            .unwrap();
    let warning = parsed.warnings.iter().find(|w| w.message.contains("Edwrad")).expect("a warning");
    assert!(warning.hints.iter().any(|h| h.contains("Edward")));
    assert_eq!(warning.location.as_ref().unwrap().line, Some(11));
}

#[test]
fn silent_participants_missing_bios_and_unused_notes_are_warned() {
    let parsed = parse(
        "---\ntitle: T\nparticipants:\n  - name: A\n  - name: B\n    bio: x\n---\nA: hi[^1]\n\n[^1]: used\n\n[^2]: unused\n",
    )
    .unwrap();
    let messages: Vec<&str> = parsed.warnings.iter().map(|w| w.message.as_str()).collect();
    assert!(messages.iter().any(|m| m.contains("`B` never speaks")), "{messages:?}");
    assert!(messages.iter().any(|m| m.contains("`A` has no bio")), "{messages:?}");
    assert!(messages.iter().any(|m| m.contains("[^2]") && m.contains("never referenced")), "{messages:?}");
    assert_eq!(parsed.document.notes.len(), 1);
}

#[test]
fn raw_html_is_kept_as_visible_text_with_a_warning() {
    let parsed = parse("---\ntitle: T\n---\nSome <b>bold</b> text.\n\n<div>block</div>\n").unwrap();
    let text = mimeo::model::plain_text_of_blocks(&parsed.document.introduction);
    assert!(text.contains("<b>bold</b>") && text.contains("<div>block</div>"), "{text}");
    assert!(parsed.warnings.iter().any(|w| w.message.contains("raw HTML")));
}

#[test]
fn a_bom_and_crlf_or_mixed_line_endings_are_accepted_without_stray_returns() {
    let text = "\u{feff}---\r\ntitle: T\r\nparticipants:\r\n  - name: A\r\n    bio: b\r\n---\r\n## Q?\r\n\rA: one\r\ntwo\n\nthree\r\n";
    let doc = parse(text).unwrap().document;
    assert_eq!(doc.meta.title, "T");
    let all = mimeo::model::plain_text_of_blocks(&doc.sections[0].turns[0].blocks);
    assert_eq!(all, "one two\n\nthree");
    assert!(!format!("{doc:?}").contains("\\r"));
}

#[test]
fn a_second_front_matter_block_stays_body_text() {
    let doc = parse("---\ntitle: Real\n---\nIntro.\n\n---\ntitle: Evil\n---\n\nMore.\n").unwrap().document;
    assert_eq!(doc.meta.title, "Real");
    let mut all = mimeo::model::plain_text_of_blocks(&doc.introduction);
    for section in &doc.sections {
        all.push_str(&plain_text(&section.heading.as_ref().unwrap().content));
    }
    assert!(all.contains("title: Evil"), "{all}");
}

#[test]
fn nesting_is_flattened_past_the_limit_and_text_kept() {
    let depth = 10_000;
    let text = format!("---\ntitle: T\n---\n{}deep\n", "> ".repeat(depth));
    let parsed = parse(&text).unwrap();
    assert!(mimeo::model::plain_text_of_blocks(&parsed.document.introduction).contains("deep"));
    assert!(parsed.warnings.iter().any(|w| w.message.contains("nesting")));
    let text = format!("---\ntitle: T\n---\n{}x{}\n", "*a ".repeat(depth), " b*".repeat(depth));
    assert!(parse(&text).is_ok());
}

/// A bad input: file name, contents, and what the one-line error must say.
struct Bad {
    name: &'static str,
    bytes: Vec<u8>,
    says: &'static str,
    line: Option<usize>,
}

fn bad_inputs() -> Vec<Bad> {
    let bomb = {
        let mut yaml = String::from("---\ntitle: T\nextra:\n  a: &a [x, x, x, x, x, x, x, x, x]\n");
        let mut previous = "a".to_string();
        for i in 0..9 {
            let name = format!("b{i}");
            yaml.push_str(&format!("  {name}: &{name} [{}]\n", vec![format!("*{previous}"); 9].join(", ")));
            previous = name;
        }
        yaml + "---\nbody\n"
    };
    let utf16: Vec<u8> = "---\ntitle: T\n---\nbody\n".encode_utf16().flat_map(u16::to_le_bytes).collect();
    let png_header = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x10\0\0\0\x10\x08\x06\0\0\0".to_vec();
    vec![
        Bad {
            name: "malformed.md",
            bytes: b"---\ntitle: T\nkind: : :\n---\n".to_vec(),
            says: "holds `: `",
            line: Some(3),
        },
        Bad {
            name: "unterminated.md",
            bytes: b"---\ntitle: T\nbody\n".to_vec(),
            says: "never closed",
            line: Some(1),
        },
        Bad {
            name: "no-front-matter.md",
            bytes: b"# Hello\n\ntext\n".to_vec(),
            says: "front matter",
            line: Some(1),
        },
        Bad {
            name: "type.md",
            bytes: b"---\ntitle: T\nparticipants: yes\n---\n".to_vec(),
            says: "`participants` must be a list",
            line: Some(3),
        },
        Bad {
            name: "role.md",
            bytes: b"---\ntitle: T\nparticipants:\n  - name: A\n    role: boss\n---\n".to_vec(),
            says: "`boss`",
            line: Some(5),
        },
        Bad {
            name: "no-title.md",
            bytes: b"---\nsubtitle: S\n---\nbody\n".to_vec(),
            says: "no `title`",
            line: Some(2),
        },
        Bad {
            name: "empty-title.md",
            bytes: b"---\ntitle: \"  \"\n---\nbody\n".to_vec(),
            says: "`title` is empty",
            line: Some(2),
        },
        Bad {
            name: "duplicate.md",
            bytes: b"---\ntitle: A\ntitle: B\n---\n".to_vec(),
            says: "twice",
            line: Some(2),
        },
        Bad {
            name: "unknown-key.md",
            bytes: b"---\ntitle: T\ntitel: U\n---\n".to_vec(),
            says: "unknown key `titel`",
            line: Some(3),
        },
        Bad { name: "bomb.md", bytes: bomb.into_bytes(), says: "alias", line: None },
        Bad {
            name: "deep.md",
            bytes: format!("---\ntitle: T\nextra: {}{}\n---\n", "[".repeat(5000), "]".repeat(5000))
                .into_bytes(),
            says: "nested too deeply",
            line: Some(3),
        },
        Bad {
            name: "tag.md",
            bytes: b"---\ntitle: !python/object x\n---\n".to_vec(),
            says: "tag",
            line: Some(2),
        },
        Bad {
            name: "latin1.md",
            bytes: b"---\ntitle: caf\xe9\n---\n".to_vec(),
            says: "not valid UTF-8",
            line: Some(2),
        },
        Bad { name: "utf16.md", bytes: utf16, says: "UTF-16", line: None },
        Bad { name: "nul.md", bytes: b"---\ntitle: T\n---\nab\0c\n".to_vec(), says: "NUL", line: Some(4) },
        Bad { name: "binary.md", bytes: png_header, says: "binary", line: None },
        Bad { name: "empty.md", bytes: Vec::new(), says: "empty", line: None },
        Bad { name: "blank.md", bytes: b"  \n\t\n\n".to_vec(), says: "empty", line: None },
        Bad {
            name: "language.md",
            bytes: b"---\ntitle: T\nlanguage: english\n---\n".to_vec(),
            says: "BCP 47",
            line: Some(3),
        },
        Bad {
            name: "interviewer.md",
            bytes: b"---\ntitle: T\ninterviewer: Nobody\n---\n".to_vec(),
            says: "names no participant",
            line: Some(3),
        },
        Bad {
            name: "cover-up.md",
            bytes: b"---\ntitle: T\ncover: ../secret.png\n---\n".to_vec(),
            says: "leaves the source file's folder",
            line: Some(3),
        },
        Bad {
            name: "cover-abs.md",
            bytes: b"---\ntitle: T\ncover: /etc/passwd\n---\n".to_vec(),
            says: "absolute",
            line: Some(3),
        },
        Bad {
            name: "cover-link.md",
            bytes: b"---\ntitle: T\ncover: link.png\n---\n".to_vec(),
            says: "outside",
            line: Some(3),
        },
        Bad {
            name: "cover-fake.md",
            bytes: b"---\ntitle: T\ncover: fake.png\n---\n".to_vec(),
            says: "not a PNG",
            line: Some(3),
        },
        Bad {
            name: "cover-huge.md",
            bytes: b"---\ntitle: T\ncover: huge.png\n---\n".to_vec(),
            says: "60000",
            line: Some(3),
        },
        Bad {
            name: "image-up.md",
            bytes: b"---\ntitle: T\n---\nIntro.\n\n![alt](../x.png)\n".to_vec(),
            says: "leaves",
            line: Some(6),
        },
    ]
}

/// A PNG header claiming 60000×60000 pixels, with no image data.
fn huge_png() -> Vec<u8> {
    let mut png = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR".to_vec();
    png.extend(60_000u32.to_be_bytes());
    png.extend(60_000u32.to_be_bytes());
    png.extend([8, 6, 0, 0, 0, 0, 0, 0, 0]);
    png
}

#[test]
fn every_bad_input_gets_one_located_error_exit_1_and_no_output() {
    let dir = tempfile::tempdir().unwrap();
    let outside = tempfile::tempdir().unwrap();
    std::fs::write(outside.path().join("real.png"), huge_png()).unwrap();
    #[cfg(unix)]
    std::os::unix::fs::symlink(outside.path().join("real.png"), dir.path().join("link.png")).unwrap();
    std::fs::write(dir.path().join("fake.png"), b"this is not an image").unwrap();
    std::fs::write(dir.path().join("huge.png"), huge_png()).unwrap();
    for bad in bad_inputs() {
        std::fs::write(dir.path().join(bad.name), &bad.bytes).unwrap();
        for command in ["check", "build"] {
            let args: &[&str] =
                if command == "build" { &["build", bad.name, "--out", "dist"] } else { &["check", bad.name] };
            let (code, stdout, stderr) = mimeo(dir.path(), args);
            let context = format!("{} ({command}): {stderr}", bad.name);
            assert_eq!(code, 1, "{context}");
            assert!(!stderr.contains("internal error") && !stderr.contains("panicked"), "{context}");
            let first = stderr.lines().next().unwrap_or_default();
            assert!(first.starts_with(bad.name), "the error names the file: {context}");
            assert!(first.contains("error:"), "{context}");
            assert!(first.contains(bad.says), "expected {:?} in: {context}", bad.says);
            if let Some(line) = bad.line {
                assert!(
                    first.starts_with(&format!("{}:{line}:", bad.name)),
                    "expected line {line}: {context}"
                );
            }
            assert!(stdout.is_empty() || command == "check", "{context}");
            assert!(!dir.path().join("dist").exists(), "nothing is written for bad input: {context}");
        }
    }
}

#[test]
fn an_unknown_layout_is_a_usage_error_naming_it() {
    let (code, _, stderr) = mimeo(&repo(), &["build", SAMPLE, "--layout", "a55", "--out", "/nonexistent/x"]);
    assert_eq!(code, 1);
    assert!(stderr.contains("no layout named `a55`") && stderr.contains("did you mean `a5`?"), "{stderr}");
}

#[test]
fn usage_errors_exit_1_and_help_exits_0() {
    assert_eq!(mimeo(&repo(), &["build"]).0, 1);
    assert_eq!(mimeo(&repo(), &["frobnicate"]).0, 1);
    assert_eq!(mimeo(&repo(), &["build", "--format", "docx", SAMPLE]).0, 1);
    let (code, stdout, _) = mimeo(&repo(), &["build", "--help"]);
    assert_eq!(code, 0);
    assert!(stdout.contains("--layout"));
    let (code, stdout, _) = mimeo(&repo(), &["layouts"]);
    assert_eq!(code, 0);
    for name in ["a5", "a6-pocket", "half-letter", "a4", "letter", "epub", "zine-72"] {
        assert!(stdout.lines().any(|l| l.starts_with(name)), "{name} missing from:\n{stdout}");
    }
}

#[test]
fn a_missing_source_is_an_error_naming_it() {
    let (code, _, stderr) = mimeo(&repo(), &["check", "no/such/file.md"]);
    assert_eq!(code, 1);
    assert!(stderr.starts_with("no/such/file.md: error: cannot read"), "{stderr}");
}

#[test]
fn text_in_another_language_is_marked_as_a_span() {
    let doc = parse(
        "---\ntitle: T\nparticipants:\n  - name: Sardar\n    bio: b\n---\n\
         ## پرسش {lang=fa}\n\nSardar: He said [سلام]{lang=fa dir=rtl} to us.\n\nSardar: به زبان فارسی\n{lang=fa}\n",
    )
    .unwrap()
    .document;
    let heading = &doc.sections[0].heading.as_ref().unwrap().content;
    assert!(matches!(&heading[..], [Inline::Span { language, .. }] if language == "fa"), "{heading:?}");
    let turns: Vec<&mimeo::model::Turn> = doc.turns().collect();
    assert_eq!(turns.len(), 2, "labels are found inside marked paragraphs too");
    let BlockKind::Paragraph(first) = &turns[0].blocks[0].kind else { panic!() };
    assert!(first.iter().any(|i| matches!(i, Inline::Span { language, direction: Some(mimeo::model::Direction::Rtl), .. } if language == "fa")));
    assert_eq!(plain_text(first), "He said سلام to us.");
    let BlockKind::Paragraph(second) = &turns[1].blocks[0].kind else { panic!() };
    assert!(
        matches!(&second[..], [Inline::Span { language, content, .. }] if language == "fa" && plain_text(content) == "به زبان فارسی"),
        "{second:?}"
    );
}

#[test]
fn right_to_left_and_cjk_sources_parse_with_their_direction() {
    use mimeo::model::Direction;
    let cases = [
        ("persian.md", "fa", Direction::Rtl),
        ("arabic.md", "ar", Direction::Rtl),
        ("sorani.md", "ckb", Direction::Rtl),
        ("chinese.md", "zh-Hant", Direction::Ltr),
    ];
    for (file, language, direction) in cases {
        let parsed = parse_file(&repo().join("tests/fixtures/i18n").join(file)).unwrap();
        assert!(parsed.warnings.is_empty(), "{file}: {:?}", parsed.warnings);
        let doc = parsed.document;
        assert_eq!((doc.meta.language.as_str(), doc.meta.direction), (language, direction), "{file}");
        assert_eq!(doc.participants.len(), 3, "{file}");
        let speakers: Vec<_> = doc.turns().map(|t| t.speaker).collect();
        assert_eq!(speakers.len(), 3, "{file}");
        assert!(speakers.iter().all(Option::is_some), "{file}: every turn has its speaker");
    }
}

#[test]
fn two_layouts_that_would_write_the_same_file_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::copy(repo().join(SAMPLE), dir.path().join("s.md")).unwrap();
    std::fs::write(dir.path().join("one.yaml"), "name: \"..\"\nformat: txt\nwidth: 60\n").unwrap();
    std::fs::write(dir.path().join("two.yaml"), "name: \"/\"\nformat: txt\nwidth: 70\n").unwrap();
    let (code, _, stderr) =
        mimeo(dir.path(), &["build", "s.md", "-l", "one.yaml", "-l", "two.yaml", "--out", "out"]);
    assert_eq!(code, 1, "{stderr}");
    assert!(stderr.contains("would both be written"), "{stderr}");
    assert!(!dir.path().join("out").exists());
}

#[test]
fn two_sources_whose_names_slug_alike_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::copy(repo().join(SAMPLE), dir.path().join("Global Uprisings.md")).unwrap();
    std::fs::copy(repo().join(SAMPLE), dir.path().join("global-uprisings.md")).unwrap();
    let (code, _, stderr) = mimeo(
        dir.path(),
        &["build", "Global Uprisings.md", "global-uprisings.md", "-f", "txt", "--out", "out"],
    );
    assert_eq!(code, 1, "{stderr}");
    assert!(stderr.contains("would both be written") && stderr.contains("global-uprisings"), "{stderr}");
    assert!(!dir.path().join("out").exists(), "nothing is written");
}
