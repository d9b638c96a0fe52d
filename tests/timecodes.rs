//! `mimeo import --timestamps` keeps each turn's time in the recording;
//! the source marks it `**Edward:** \[00:01:42\] …` and every edition
//! prints it beside the speaker's name as a mark of its own (small type in
//! the PDF, a `<time>` in the EPUB, `[00:01:42]` in the zine), never as
//! the first word of what was said.

mod common;

use std::path::Path;
use std::process::Command;

use common::{assert_epubcheck_clean, entries};

const SRT: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/import/roundtable.srt");

fn mimeo(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_mimeo"))
        .args(args)
        .env("SOURCE_DATE_EPOCH", "1767225600")
        .output()
        .unwrap()
}

fn first_with(dir: &Path, extension: &str) -> Vec<u8> {
    let found = common::walk(dir).into_iter().find(|p| p.extension().is_some_and(|e| e == extension));
    std::fs::read(found.unwrap_or_else(|| panic!("no .{extension} written"))).unwrap()
}

#[test]
fn the_model_takes_the_time_out_of_the_words() {
    let source = "---\ntitle: T\nparticipants:\n  - name: Ana\n---\n\n## Q\n\n**Ana:** [00:12:03] We met.\n\n\
                  **Ana:** [not a time] Then.\n\nAna: \\[1:02:03\\] Later.\n";
    let doc = mimeo::source::parse_bytes(Path::new("t.md"), source.as_bytes()).unwrap().document;
    let turns: Vec<_> = doc.turns().collect();
    assert_eq!(turns.len(), 3);
    assert_eq!(turns[0].time.map(|t| t.clock()).as_deref(), Some("00:12:03"));
    assert_eq!(mimeo::model::plain_text_of_blocks(&turns[0].blocks).trim(), "We met.");
    assert_eq!(turns[1].time, None);
    assert!(mimeo::model::plain_text_of_blocks(&turns[1].blocks).contains("[not a time]"));
    assert_eq!(turns[2].time.map(|t| t.seconds), Some(3723));
}

#[test]
fn every_edition_prints_the_time_beside_the_name() {
    let dir = tempfile::tempdir().unwrap();
    let source = dir.path().join("roundtable.md");
    let run = mimeo(&["import", SRT, "--timestamps", "-o", source.to_str().unwrap()]);
    assert!(run.status.success(), "{}", String::from_utf8_lossy(&run.stderr));
    let out = dir.path().join("out");
    let run = mimeo(&[
        "build",
        source.to_str().unwrap(),
        "--format",
        "pdf,epub,txt",
        "--out",
        out.to_str().unwrap(),
    ]);
    assert!(run.status.success(), "{}", String::from_utf8_lossy(&run.stderr));

    // Justified lines stretch their spaces: compare words.
    let text = String::from_utf8(first_with(&out, "txt")).unwrap();
    let words = text.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(words.contains("EDWARD: [00:01:42] In terms"), "{text}");
    assert_eq!(words.matches(": [00:").count(), 16, "a time for each turn: {text}");

    let epub = first_with(&out, "epub");
    let chapters: String =
        entries(&epub).into_iter().filter(|(n, _)| n.ends_with(".xhtml")).map(|(_, t)| t).collect();
    assert!(
        chapters.contains(r#"<time class="at" datetime="PT1M42S">[00:01:42]</time> In terms"#),
        "{chapters}"
    );
    assert_eq!(chapters.matches("<time class=\"at\"").count(), 16);
    assert_epubcheck_clean(&epub, "timecodes.epub");

    if common::print::tool("pdftotext") {
        let pdf = common::walk(&out).into_iter().find(|p| p.extension().is_some_and(|e| e == "pdf")).unwrap();
        let text = Command::new("pdftotext").arg(&pdf).arg("-").output().unwrap();
        let words = String::from_utf8_lossy(&text.stdout).split_whitespace().collect::<Vec<_>>().join(" ");
        assert!(words.contains("[00:01:42] In terms"), "{words}");
        assert_eq!(words.matches(": [00:").count(), 16, "{words}");
        // In small type: the time's box is shorter than the word after it.
        let boxes = Command::new("pdftotext").arg("-bbox").arg(&pdf).arg("-").output().unwrap();
        let boxes = String::from_utf8_lossy(&boxes.stdout);
        let height = |word: &str| {
            let line =
                boxes.lines().skip_while(|l| !l.contains(">[00:01:42]<")).find(|l| l.contains(word)).unwrap();
            let number = |key: &str| -> f64 {
                let at = line.find(key).unwrap() + key.len() + 2;
                line[at..].split('"').next().unwrap().parse().unwrap()
            };
            number("yMax") - number("yMin")
        };
        assert!(height(">[00:01:42]<") < 0.9 * height(">In<"), "{boxes}");
    }
}
