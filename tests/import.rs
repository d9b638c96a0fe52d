//! `mimeo import`: raw transcripts become sources that parse cleanly and
//! keep the text word for word.

use std::path::{Path, PathBuf};
use std::process::Command;

use mimeo::import::{Imported, import_bytes};
use mimeo::model::{Document, Role, plain_text, plain_text_of_blocks};
use mimeo::source::{Parsed, parse_bytes};

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/import").join(name)
}

fn read_fixture(name: &str) -> Vec<u8> {
    std::fs::read(fixture(name)).unwrap()
}

/// Import `bytes` as the file `name`, and parse the result as a source.
fn import(name: &str, bytes: &[u8]) -> (Imported, Parsed) {
    let imported = import_bytes(Path::new(name), bytes).unwrap_or_else(|e| panic!("{name}: {e}"));
    let parsed = parse_bytes(Path::new("imported.md"), imported.source.as_bytes())
        .unwrap_or_else(|e| panic!("{name}: the import does not parse: {e:?}\n{}", imported.source));
    (imported, parsed)
}

/// Every block's text, in reading order, with the speaker of each turn.
fn body_text(doc: &Document) -> Vec<String> {
    let mut out = vec![plain_text_of_blocks(&doc.introduction)];
    for section in &doc.sections {
        if let Some(heading) = &section.heading {
            out.push(format!("## {}", plain_text(&heading.content)));
        }
        for turn in &section.turns {
            let speaker = turn.speaker.map_or("-", |id| doc.participant(id).name.as_str());
            out.push(format!("{speaker}: {}", plain_text_of_blocks(&turn.blocks)));
        }
    }
    out
}

fn questions(doc: &Document) -> Vec<String> {
    doc.sections.iter().filter_map(|s| s.heading.as_ref()).map(|h| plain_text(&h.content)).collect()
}

fn speakers(doc: &Document) -> Vec<String> {
    doc.turns().map(|t| t.speaker.map_or("-".to_string(), |id| doc.participant(id).name.clone())).collect()
}

fn participants(doc: &Document) -> Vec<(String, Role, Option<String>)> {
    doc.participants.iter().map(|p| (p.name.clone(), p.role, p.bio.as_deref().map(plain_text))).collect()
}

fn expected_roundtable() -> Document {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("content/global-uprisings.md");
    parse_bytes(&path, &std::fs::read(&path).unwrap()).unwrap().document
}

/// The structure and text that the issue asks the roundtable import to keep.
fn assert_same_transcript(got: &Document, want: &Document) {
    assert_eq!(participants(got), participants(want));
    assert_eq!(questions(got), questions(want));
    assert_eq!(speakers(got), speakers(want));
    assert_eq!(body_text(got), body_text(want));
    assert_eq!(got.meta.title, want.meta.title);
    assert_eq!(got.meta.subtitle, want.meta.subtitle);
    assert_eq!(got.meta.kind, want.meta.kind);
    assert_eq!(got.meta.language, want.meta.language);
    assert_eq!(got.meta.date, want.meta.date);
}

#[test]
fn the_roundtable_seed_becomes_the_sample_source() {
    let (imported, parsed) = import("roundtable.txt", &read_fixture("roundtable.txt"));
    let want = expected_roundtable();
    let doc = &parsed.document;
    assert_eq!(doc.participants.len(), 3);
    assert_eq!(questions(doc).len(), 4);
    assert_eq!(doc.turns().filter(|t| t.speaker.is_some()).count(), 16);
    assert_same_transcript(doc, &want);
    assert!(parsed.warnings.is_empty(), "{:?}", parsed.warnings);
    assert!(imported.notices.is_empty(), "{:?}", imported.notices);
    // The guesses are listed for the user at the top of the front matter.
    assert!(imported.source.contains("# - interviewer: Niloofar Golkar"), "{}", &imported.source[..800]);
    assert!(imported.source.contains("# - questions: 4 paragraphs"));
}

#[test]
fn the_roundtable_survives_crlf_utf16_and_windows_1252() {
    let seed = String::from_utf8(read_fixture("roundtable.txt")).unwrap();
    let want = import("roundtable.txt", seed.as_bytes()).1.document;

    let crlf = seed.replace('\n', "\r\n");
    let (imported, parsed) = import("roundtable.txt", crlf.as_bytes());
    assert_eq!(parsed.document, want);
    assert!(imported.notices.is_empty());

    for bom in [true, false] {
        let mut utf16: Vec<u8> = if bom { vec![0xFF, 0xFE] } else { Vec::new() };
        utf16.extend(seed.encode_utf16().flat_map(u16::to_le_bytes));
        let (imported, parsed) = import("roundtable.txt", &utf16);
        assert_eq!(parsed.document, want, "UTF-16, BOM: {bom}");
        assert!(imported.notices.iter().any(|n| n.message.contains("UTF-16")), "{:?}", imported.notices);
        assert!(imported.source.contains("# - encoding: read as UTF-16LE"));
    }

    // Windows-1252 has no `ğ`; everything else in the seed (curly quotes,
    // dashes) it has.
    let plain = seed.replace('ğ', "g");
    let (cp1252, _, unmappable) = encoding_rs::WINDOWS_1252.encode(&plain);
    assert!(!unmappable);
    let (imported, parsed) = import("roundtable.txt", &cp1252);
    assert_eq!(parsed.document, import("roundtable.txt", plain.as_bytes()).1.document);
    assert!(imported.notices.iter().any(|n| n.message.contains("windows-1252")), "{:?}", imported.notices);
}

/// Greedy hard wrap at `width` characters, as a mail client does.
fn hard_wrap(text: &str, width: usize) -> String {
    let mut out = String::new();
    for paragraph in text.split("\n\n") {
        let mut line = String::new();
        for word in paragraph.split_whitespace() {
            if !line.is_empty() && line.chars().count() + 1 + word.chars().count() > width {
                out.push_str(&line);
                out.push('\n');
                line.clear();
            }
            if !line.is_empty() {
                line.push(' ');
            }
            line.push_str(word);
        }
        out.push_str(&line);
        out.push_str("\n\n");
    }
    out
}

#[test]
fn hard_wrapped_text_is_joined_again() {
    let seed = String::from_utf8(read_fixture("roundtable.txt")).unwrap();
    let want = import("roundtable.txt", seed.as_bytes()).1.document;
    for width in [60, 72, 80] {
        let wrapped = hard_wrap(&seed, width);
        assert!(wrapped.lines().all(|l| l.chars().count() <= width.max(90)));
        let (imported, parsed) = import("roundtable.txt", wrapped.as_bytes());
        assert_same_transcript(&parsed.document, &want);
        assert!(imported.source.contains("line breaks inside paragraphs removed"), "width {width}");
    }
    // Wrapped without blank lines between paragraphs: labels and short
    // last lines still end paragraphs.
    let tight = hard_wrap(&seed, 72).replace("\n\n", "\n");
    let (_, parsed) = import("roundtable.txt", tight.as_bytes());
    let doc = &parsed.document;
    assert_eq!(speakers(doc), speakers(&want));
    assert_eq!(questions(doc), questions(&want));
}

#[test]
fn name_with_timestamp_labels_and_a_labelled_interviewer() {
    let (imported, parsed) = import("interview-timestamps.txt", &read_fixture("interview-timestamps.txt"));
    let doc = &parsed.document;
    assert_eq!(participants(doc)[0].0, "Maria Okafor");
    assert!(participants(doc)[0].2.as_deref().unwrap().starts_with("Maria Okafor is a tenant organiser"));
    assert_eq!(participants(doc)[1], ("Tom Reyes".to_string(), Role::Interviewer, None));
    assert_eq!(speakers(doc), ["Tom Reyes", "Maria Okafor", "Tom Reyes", "Maria Okafor"]);
    let text = body_text(doc).join("\n");
    assert!(!text.contains("00:0"), "timestamps are dropped: {text}");
    assert!(text.contains("Maria Okafor: It started in a kitchen, as these things do. Six of us, a kettle,"));
    assert!(text.contains("owned.\n\nNobody answered the letters."), "{text}");
    assert!(imported.source.contains("# - timestamps: 4 dropped"));
    assert_eq!(doc.meta.kind, mimeo::model::Kind::Interview);
}

#[test]
fn q_and_a_labels_become_questions_and_answers() {
    let (imported, parsed) = import("qa.txt", &read_fixture("qa.txt"));
    let doc = &parsed.document;
    assert_eq!(questions(doc), ["When did the strike begin?", "What did you ask for?"]);
    assert_eq!(speakers(doc), ["Dana Whitfield", "Dana Whitfield"]);
    assert_eq!(doc.participants[0].label, "A");
    assert_eq!(doc.meta.date.as_deref(), Some("12 March 2021"));
    assert_eq!(doc.meta.publisher.as_deref(), Some("Picket Press"));
    assert!(doc.introduction.is_empty(), "metadata lines are not text");
    assert_eq!(
        plain_text_of_blocks(&doc.sections[0].turns[0].blocks),
        "On the first of March, after eleven months of talks that went nowhere.\n\nWe had tried everything else first."
    );
    assert!(parsed.warnings.is_empty() && imported.notices.is_empty(), "{:?}", imported.notices);
}

#[test]
fn each_label_variant_is_read() {
    let variants = [
        ("Name:", "Anna: Yes, it was.\n\nBoris: No, it was not.\n\nAnna: It was."),
        ("NAME:", "ANNA: Yes, it was.\n\nBORIS: No, it was not.\n\nANNA: It was."),
        (
            "Name (00:12:31):",
            "Anna (00:00:01): Yes, it was.\n\nBoris (00:00:05): No, it was not.\n\nAnna (00:01:02): It was.",
        ),
        (
            "[00:12:31] Name:",
            "[00:00:01] Anna: Yes, it was.\n\n[00:00:05] Boris: No, it was not.\n\n[00:01:02] Anna: It was.",
        ),
        ("label line", "Anna:\nYes, it was.\n\nBoris:\nNo, it was not.\n\nAnna:\nIt was."),
        ("recorder", "Anna  0:01\nYes, it was.\n\nBoris  0:05\nNo, it was not.\n\nAnna  1:02\nIt was."),
    ];
    for (variant, body) in variants {
        let raw = format!("A Title\n\n{body}\n");
        let (_, parsed) = import("raw.txt", raw.as_bytes());
        let doc = &parsed.document;
        assert_eq!(speakers(doc), ["Anna", "Boris", "Anna"], "{variant}");
        assert_eq!(
            body_text(doc)[1..],
            ["Anna: Yes, it was.", "Boris: No, it was not.", "Anna: It was."],
            "{variant}"
        );
        assert_eq!(doc.meta.title, "A Title", "{variant}");
    }
    // Capitals: names are written as the text names them, acronyms kept.
    let raw = "Title\n\nAn interview with Bob Smith\n\nUTA: What is it?\n\nBOB: It is.\n\nUTA: Why?\n\nBOB: Because.\n";
    let (imported, parsed) = import("raw.txt", raw.as_bytes());
    let doc = &parsed.document;
    assert_eq!(speakers(doc), ["UTA", "Bob Smith", "UTA", "Bob Smith"]);
    assert_eq!(doc.participant_by_label("UTA").unwrap().role, Role::Interviewer);
    assert!(imported.source.contains("**Bob:** It is."), "{}", imported.source);
    // A full name with a colon, used once, is that participant speaking.
    let raw = "Title\n\nOn the strike\n\nLast week we spoke to Anna Berg about the strike.\n\n\
               Anna: Yes.\n\nBoris: No.\n\nAnna Berg: So.\n\nBoris: Well then.\n";
    let (imported, parsed) = import("raw.txt", raw.as_bytes());
    assert_eq!(
        speakers(&parsed.document),
        ["Anna Berg", "Boris", "Anna Berg", "Boris"],
        "{}",
        imported.source
    );
    assert!(imported.source.contains("**Anna:** So."));
    // Q:/A: and Question:/Answer:
    for (q, a) in [("Q", "A"), ("Question", "Answer")] {
        let raw = format!("A Title\n\n{q}: Why?\n\n{a}: Because.\n\n{q}: Really?\n\n{a}: Yes.\n");
        let (_, parsed) = import("raw.txt", raw.as_bytes());
        assert_eq!(questions(&parsed.document), ["Why?", "Really?"], "{q}");
        assert_eq!(parsed.document.turns().count(), 2, "{q}");
    }
}

#[test]
fn a_talk_with_one_speaker_and_no_questions() {
    let (imported, parsed) = import("talk.txt", &read_fixture("talk.txt"));
    let doc = &parsed.document;
    assert_eq!(doc.meta.kind, mimeo::model::Kind::Talk);
    assert_eq!(doc.participants.len(), 1);
    assert_eq!(doc.participants[0].name, "Ruth Abebe");
    assert!(questions(doc).is_empty(), "a rhetorical question inside the talk is not a question");
    assert_eq!(doc.turns().count(), 1);
    let blocks = &doc.sections[0].turns[0].blocks;
    assert_eq!(blocks.len(), 5);
    assert_eq!(plain_text_of_blocks(&blocks[4..]), "###", "the end mark is kept as text");
    assert!(imported.source.contains("# - end mark: `###`"));
    // The bio after the end mark goes to the front matter.
    let bio = doc.participants[0].bio.as_deref().map(plain_text);
    assert_eq!(
        bio.as_deref(),
        Some("Ruth Abebe is a historian of common land and teaches at the Free University.")
    );
    assert_eq!(doc.meta.date.as_deref(), Some("2019"));
    assert!(imported.notices.is_empty() && parsed.warnings.is_empty(), "{:?}", imported.notices);
}

#[test]
fn a_persian_transcript_is_tagged_fa_and_set_right_to_left() {
    let raw = "گفت‌وگو درباره‌ی همبستگی\n\n\
               نیلوفر: این جنبش اعتراضی در ماه مارس آغاز شد، زمانی که دولت تلاش کرد قانونی را تصویب کند.\n\n\
               سردار: کار من درباره‌ی جنبش کردها برای حق تعیین سرنوشت در ترکیه است.\n\n\
               نیلوفر: ما باید درباره‌ی ضدامپریالیسم از نو فکر کنیم.\n";
    let (imported, parsed) = import("raw.txt", raw.as_bytes());
    let doc = &parsed.document;
    assert_eq!(doc.meta.language, "fa", "{}", imported.source);
    assert_eq!(doc.meta.direction, mimeo::model::Direction::Rtl);
    assert_eq!(speakers(doc), ["نیلوفر", "سردار", "نیلوفر"]);
}

#[test]
fn markdown_characters_in_the_raw_text_stay_text() {
    let raw = "Signs & Symbols\n\n\
               Ana: We wrote *every* name_with_underscores on a [board] <here> & there.\n\n\
               # 1 was the first one.\n\n\
               - a dash starts this paragraph\n\n\
               2020. That year.\n\n\
               > a quote.\n\n\
               Bo: `code`, \\backslash and &amp; too.\n\n\
               Ana: _Right_.\n";
    let (_, parsed) = import("raw.txt", raw.as_bytes());
    let doc = &parsed.document;
    assert_eq!(
        body_text(doc)[1..],
        [
            "Ana: We wrote *every* name_with_underscores on a [board] <here> & there.\n\n\
         # 1 was the first one.\n\n\
         - a dash starts this paragraph\n\n\
         2020. That year.\n\n\
         > a quote.",
            "Bo: `code`, \\backslash and &amp; too.",
            "Ana: _Right_."
        ]
    );
    // No warning about raw HTML or labels: only the missing bios.
    assert!(parsed.warnings.iter().all(|w| w.message.contains("no bio")), "{:?}", parsed.warnings);
}

#[test]
fn text_without_speakers_is_an_introduction_with_a_warning() {
    let raw = "On Mutual Aid\n\nA short essay about neighbours.\n\nWho helps whom? Everyone helps.\n";
    let (imported, parsed) = import("essay.txt", raw.as_bytes());
    let doc = &parsed.document;
    assert_eq!(doc.meta.title, "On Mutual Aid");
    assert!(doc.sections.is_empty() && doc.participants.is_empty());
    assert_eq!(doc.meta.subtitle, None, "a sentence is not a subtitle");
    assert_eq!(
        plain_text_of_blocks(&doc.introduction),
        "A short essay about neighbours.\n\nWho helps whom? Everyone helps."
    );
    assert!(
        imported.notices.iter().any(|n| n.message.contains("no speaker labels")),
        "{:?}",
        imported.notices
    );
}

#[test]
fn binary_and_empty_files_are_refused_naming_the_file() {
    for (name, bytes) in [
        ("empty.txt", &b""[..]),
        ("blank.txt", b"\n \n\t\n"),
        ("photo.png", b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR"),
        ("letter.docx", b"PK\x03\x04\x14\0\x06\0"),
        ("data.bin", b"\x00\x01\x02\x03\x04\x05\x06\x07\x00\x00"),
    ] {
        let error = import_bytes(Path::new(name), bytes).unwrap_err();
        assert!(error.is_error());
        assert!(error.to_string().starts_with(name), "{name}: {error}");
    }
}

#[test]
fn odd_input_never_panics() {
    let inputs: [&[u8]; 8] = [
        b"x",
        b":",
        b"Ana:",
        b"Ana:\n\nAna:",
        b"?\n\nAna: a\n\n?\n\nAna: b",
        b"\xFF\xFE",
        b"Q: only a question?",
        b"***\n\n---\n\n* * *\n\n###",
    ];
    for bytes in inputs {
        match import_bytes(Path::new("odd.txt"), bytes) {
            Ok(imported) => assert!(parse_bytes(Path::new("odd.md"), imported.source.as_bytes()).is_ok()),
            Err(e) => assert!(!e.message.contains("does not parse"), "{e}"),
        }
    }
}

fn mimeo(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_mimeo")).args(args).output().unwrap()
}

#[test]
fn the_command_writes_checks_and_refuses_to_overwrite() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("roundtable.md");
    let raw = fixture("roundtable.txt");
    let (raw, out_str) = (raw.to_str().unwrap(), out.to_str().unwrap());

    let first = mimeo(&["import", raw, "-o", out_str]);
    assert!(first.status.success(), "{}", String::from_utf8_lossy(&first.stderr));
    assert!(String::from_utf8_lossy(&first.stdout).contains("3 participants, 4 questions, 16 turns"));
    let written = std::fs::read_to_string(&out).unwrap();

    let check = mimeo(&["check", "--strict", out_str]);
    assert!(check.status.success());
    let said = String::from_utf8_lossy(&check.stdout);
    assert!(said.contains("3 participants, 4 questions, 16 turns, 0 warnings"), "{said}");

    let again = mimeo(&["import", raw, "-o", out_str]);
    assert_eq!(again.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&again.stderr).contains("already exists"));
    let forced = mimeo(&["import", raw, "-o", out_str, "--force"]);
    assert!(forced.status.success());

    let to_stdout = mimeo(&["import", raw]);
    assert!(to_stdout.status.success());
    assert_eq!(String::from_utf8(to_stdout.stdout).unwrap(), written);

    let into_itself = mimeo(&["import", raw, "-o", raw, "--force"]);
    assert_eq!(into_itself.status.code(), Some(1));

    let empty = dir.path().join("empty.txt");
    std::fs::write(&empty, b"").unwrap();
    let refused = mimeo(&["import", empty.to_str().unwrap()]);
    assert_eq!(refused.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&refused.stderr);
    assert!(stderr.contains("empty.txt") && stderr.contains("empty"), "{stderr}");
    assert!(refused.stdout.is_empty());

    // What `mimeo check` would say comes out as warnings on stderr.
    let interview = mimeo(&["import", fixture("interview-timestamps.txt").to_str().unwrap()]);
    assert!(interview.status.success());
    let stderr = String::from_utf8_lossy(&interview.stderr);
    assert!(
        stderr.contains("interview-timestamps.txt: warning: participant `Tom Reyes` has no bio"),
        "{stderr}"
    );
}

/// 60 rounds, or `MIMEO_FUZZ_ROUNDS` for a longer search.
fn rounds() -> usize {
    std::env::var("MIMEO_FUZZ_ROUNDS").ok().and_then(|n| n.parse().ok()).unwrap_or(60)
}

/// Deterministic mutations of real transcripts: bytes flipped, lines cut
/// and markup sprinkled in. The import may refuse a mutant, but never
/// panics, and what it returns always parses.
#[test]
fn mutated_transcripts_never_panic() {
    let mut seed: u64 = 0x9E37_79B9_7F4A_7C15;
    let mut next = move || {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed
    };
    let pieces: [&[u8]; 14] = [
        b"\n\nSardar Saadi: ",
        b"\n\nEDWARD: ",
        b"\n",
        b"\n\n",
        b": ",
        b"?",
        b"*",
        b"Q: ",
        b"A: ",
        b"[00:01:02] ",
        b" (1:02):",
        b"#",
        b"\r\n",
        b"\xE9",
    ];
    let originals = [read_fixture("roundtable.txt"), read_fixture("qa.txt"), read_fixture("talk.txt")];
    for round in 0..rounds() {
        let original = &originals[round % originals.len()];
        let start = (next() as usize) % original.len();
        let len = 200 + (next() as usize) % 3000;
        let mut bytes = original[start..(start + len).min(original.len())].to_vec();
        for _ in 0..(next() % 12) {
            let at = (next() as usize) % (bytes.len() + 1);
            match next() % 3 {
                0 => bytes
                    .splice(at..at, pieces[(next() as usize) % pieces.len()].iter().copied())
                    .for_each(drop),
                1 if at < bytes.len() => bytes[at] = next() as u8,
                _ => bytes.truncate(at.max(1)),
            }
        }
        match import_bytes(Path::new("mutant.txt"), &bytes) {
            Ok(imported) => {
                let parsed = parse_bytes(Path::new("mutant.md"), imported.source.as_bytes())
                    .unwrap_or_else(|e| panic!("round {round}: {e:?}\n{}", imported.source));
                // The parse finds the turns and questions the import wrote, no more, no fewer.
                let doc = &parsed.document;
                let lines = imported.source.lines();
                let written_turns: Vec<&str> = lines
                    .clone()
                    .filter_map(|l| l.strip_prefix("**")?.split_once(":**").map(|(label, _)| label))
                    .collect();
                let written_questions = lines.filter(|l| l.starts_with("## ")).count();
                let read_turns: Vec<&str> =
                    doc.turns().filter_map(|t| Some(doc.participant(t.speaker?).label.as_str())).collect();
                assert_eq!(read_turns, written_turns, "round {round}");
                assert_eq!(questions(doc).len(), written_questions, "round {round}");
            }
            Err(e) => assert!(!e.message.contains("does not parse"), "round {round}: {e}"),
        }
    }
}
