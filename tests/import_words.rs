//! `mimeo import` never loses or misplaces a word (issue 28): word
//! conservation for every format, the five cases of the issue (each in a
//! file made by pandoc, LibreOffice or ffmpeg, see
//! tests/fixtures/import/make.sh), speakers named in one place, guesses
//! listed with their override flags, and the input never overwritten.

use std::path::{Path, PathBuf};
use std::process::Command;

use mimeo::import::{Imported, Options, import_bytes_with};
use mimeo::model::{Document, Kind, Role, plain_text, plain_text_of_blocks};
use mimeo::source::parse_bytes;

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/import").join(name)
}

fn import_with(name: &str, options: &Options) -> (Imported, Document) {
    let bytes = std::fs::read(fixture(name)).unwrap_or_else(|e| panic!("{name}: {e}"));
    let imported =
        import_bytes_with(&fixture(name), &bytes, options).unwrap_or_else(|e| panic!("{name}: {e}"));
    let parsed = parse_bytes(Path::new("imported.md"), imported.source.as_bytes())
        .unwrap_or_else(|e| panic!("{name}: the import does not parse: {e:?}\n{}", imported.source));
    (imported, parsed.document)
}

fn import(name: &str) -> (Imported, Document) {
    import_with(name, &Options::default())
}

/// Every word in, every word placed, and no notice about lost words.
fn assert_conserved(name: &str, imported: &Imported) {
    let words = &imported.words;
    assert!(words.words_in > 0, "{name}: no words counted");
    assert_eq!(
        (words.placed, &words.missing),
        (words.words_in, &Vec::new()),
        "{name}: words lost\n{}",
        imported.source
    );
    assert!(
        !imported.notices.iter().any(|n| n.message.contains("words of the transcript")),
        "{name}: {:?}",
        imported.notices
    );
}

/// Each turn as `speaker: text`, questions as `## text`.
fn turns(doc: &Document) -> Vec<String> {
    let mut out = Vec::new();
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

#[test]
fn every_format_keeps_every_word() {
    for name in [
        "roundtable.txt",
        "roundtable.srt",
        "roundtable.vtt",
        "roundtable-voices.vtt",
        "roundtable.whisper.json",
        "roundtable-diarized.json",
        "roundtable.otr",
        "roundtable-pandoc.docx",
        "roundtable-pandoc.odt",
        "roundtable-libreoffice.docx",
        "roundtable-libreoffice.odt",
        "rich.docx",
        "rich.odt",
        "qa.txt",
        "talk.txt",
        "interview-timestamps.txt",
        "case-title-pandoc.docx",
        "case-title-libreoffice.odt",
        "case-bios.txt",
        "case-labels.srt",
        "case-question.docx",
        "case-title-note.docx",
        "case-title-note-libreoffice.odt",
        "case-repeated-label.srt",
        "case-title-twice.docx",
        "case-double-hyphen.txt",
    ] {
        let (imported, _) = import(name);
        assert_conserved(name, &imported);
    }
}

#[test]
fn a_lost_word_is_named_with_its_place() {
    // The count is made on what the source holds: a source missing a
    // word of the text is caught. Import, then remove a word and recount
    // through the public check.
    let (imported, _) = import("case-bios.txt");
    let damaged = imported.source.replacen("read out the letter", "read the letter", 1);
    let count = mimeo::import::count_words(&fixture("case-bios.txt"), &damaged, &Options::default()).unwrap();
    assert_eq!(count.words_in, count.placed + 1);
    assert_eq!(count.missing, [("out".to_string(), 11)]);
}

#[test]
fn the_title_paragraph_is_the_title_and_the_next_paragraph_stays() {
    for name in ["case-title-pandoc.docx", "case-title-libreoffice.odt"] {
        let (imported, doc) = import(name);
        assert_eq!(doc.meta.title, "Rent Is Theft", "{name}");
        let intro = plain_text_of_blocks(&doc.introduction);
        assert_eq!(intro, "Mara Vidal spoke to us in March about the rent strike.", "{name}");
        assert_eq!(doc.notes.len(), 1, "{name}: the footnote is referenced");
        assert!(
            !imported.notices.iter().any(|n| n.message.contains("never referenced")),
            "{name}: {:?}",
            imported.notices
        );
        assert_eq!(turns(&doc)[0], "## How did the strike start?", "{name}");
    }
}

/// Found by fuzzing ODT: a footnote on the Title paragraph lost its
/// reference with the paragraph, and every reader drops a note nobody
/// references. Its text is set aside in the comment, with a warning.
#[test]
fn a_footnote_on_the_title_is_set_aside_with_a_warning() {
    for name in ["case-title-note.docx", "case-title-note-libreoffice.odt"] {
        let (imported, doc) = import(name);
        assert_eq!(doc.meta.title, "Notes From the Picket Line", "{name}");
        assert!(
            imported.source.contains("# - set aside: “First told in the back room of a café.” at line 1"),
            "{name}:\n{}",
            imported.source
        );
        assert!(
            !imported.source.contains("[^1]"),
            "{name}: no note without its reference\n{}",
            imported.source
        );
        let said: Vec<&str> = imported.notices.iter().map(|n| n.message.as_str()).collect();
        assert!(said.iter().any(|m| m.contains("a footnote on the title")), "{name}: {said:?}");
        assert!(!said.iter().any(|m| m.contains("never referenced")), "{name}: {said:?}");
        assert_eq!(turns(&doc), ["Ana: We asked for three things.", "Sam: And then?"], "{name}");
    }
}

/// Found by fuzzing DOCX: a first paragraph repeating the title (Word's
/// Title, then the same words typed again) was taken for the title and
/// its words dropped. It is set aside in the comment with its place.
#[test]
fn a_title_typed_twice_is_set_aside_not_dropped() {
    let (imported, doc) = import("case-title-twice.docx");
    assert_conserved("case-title-twice.docx", &imported);
    assert_eq!(doc.meta.title, "Notes From the Picket Line");
    assert!(
        imported.source.contains("# - set aside: “Notes From the Picket Line” at line 1"),
        "{}",
        imported.source
    );
    assert!(doc.introduction.is_empty(), "{}", imported.source);
}

/// Found by fuzzing WebVTT: a label typed with `--` was written into the
/// body, smartened to `–` when read back, and matched no participant.
#[test]
fn a_label_typed_with_a_double_hyphen_stays_its_speakers() {
    let (imported, doc) = import("case-double-hyphen.txt");
    assert_conserved("case-double-hyphen.txt", &imported);
    let speakers: Vec<&str> =
        doc.turns().filter_map(|t| t.speaker).map(|id| doc.participant(id).label.as_str()).collect();
    assert_eq!(speakers, ["Jean--Paul", "O’Brien", "Jean--Paul", "O’Brien"], "{}", imported.source);
}

/// Found by fuzzing SRT and WebVTT: a label whose words repeat (two cue
/// lines run together before the colon) had each word credited once.
#[test]
fn a_label_that_repeats_a_word_keeps_every_word() {
    let (imported, doc) = import("case-repeated-label.srt");
    assert_conserved("case-repeated-label.srt", &imported);
    assert_eq!(doc.participants.len(), 2, "{}", imported.source);
}

#[test]
fn bios_on_consecutive_lines_stay_apart() {
    let (imported, doc) = import("case-bios.txt");
    let bios: Vec<(String, Option<String>)> =
        doc.participants.iter().map(|p| (p.name.clone(), p.bio.as_ref().map(|b| plain_text(b)))).collect();
    assert_eq!(
        bios,
        [
            (
                "Priya Raman".to_string(),
                Some("Priya Raman is a housing organiser in Leeds who has worked with tenant unions since 2015 and writes for the union paper.".to_string())
            ),
            (
                "Jonas Berg".to_string(),
                Some("Jonas Berg is a retired plumber and the treasurer of the Harehills tenants association, which he joined in 2019.".to_string())
            ),
        ],
        "{}",
        imported.source
    );
    assert!(!imported.notices.iter().any(|n| n.message.contains("bio")), "{:?}", imported.notices);
}

#[test]
fn uppercase_labels_used_once_or_twice_are_speakers_not_the_title() {
    let (imported, doc) = import("case-labels.srt");
    assert_ne!(doc.meta.title, "PRIYA: Thanks for coming. How did the strike begin?");
    assert_eq!(
        turns(&doc),
        [
            "Priya: Thanks for coming. How did the strike begin?",
            "Jonas: It began with the boiler. Nobody had heat for a month.",
            "Priya: And the landlord?",
            "Ana: He never answered a letter.",
        ],
        "{}",
        imported.source
    );
    assert_eq!(doc.meta.kind, Kind::Roundtable);
    let priya = doc.participants.iter().find(|p| p.name == "Priya").unwrap();
    assert_eq!(priya.role, Role::Interviewer, "{}", imported.source);
}

#[test]
fn a_labelled_question_stays_a_turn_of_its_speaker() {
    let (imported, doc) = import("case-question.docx");
    let names: Vec<&str> = doc.participants.iter().map(|p| p.name.as_str()).collect();
    assert!(names.contains(&"Priya"), "{names:?}\n{}", imported.source);
    assert_eq!(turns(&doc)[0], "Priya: How did it begin?", "{}", imported.source);
    assert!(doc.sections.iter().all(|s| s.heading.is_none()), "no question heading:\n{}", imported.source);
}

/// The printed label of each turn's speaker, as the editions print it.
fn printed_labels(doc: &Document) -> Vec<String> {
    let mut labels: Vec<String> =
        doc.turns().filter_map(|t| t.speaker).map(|id| doc.participant(id).label.clone()).collect();
    labels.dedup();
    labels
}

#[test]
fn diarised_speakers_are_named_at_import_or_with_one_edit() {
    let options = Options {
        speakers: vec![
            ("SPEAKER_00".into(), "Maya Okafor".into()),
            ("speaker_01".into(), "Sardar Saadi".into()),
        ],
        ..Options::default()
    };
    let (imported, doc) = import_with("roundtable-diarized.json", &options);
    assert_conserved("roundtable-diarized.json", &imported);
    let names: Vec<&str> = doc.participants.iter().map(|p| p.name.as_str()).collect();
    assert!(names.contains(&"Maya Okafor") && names.contains(&"Sardar Saadi"), "{names:?}");
    assert!(printed_labels(&doc).contains(&"Maya".to_string()), "{}", imported.source);
    assert!(!printed_labels(&doc).iter().any(|l| l == "SPEAKER_00"), "{}", imported.source);

    // Without `--speaker`: one edit of `name:` renames every turn.
    let (plain, doc) = import("roundtable-diarized.json");
    let turns_before = doc.turns().filter(|t| t.speaker.is_some()).count();
    assert!(printed_labels(&doc).contains(&"SPEAKER_00".to_string()));
    let edited = plain.source.replacen("- name: \"SPEAKER_00\"", "- name: \"Maya Okafor\"", 1);
    assert_ne!(edited, plain.source, "the participant is written `name: \"SPEAKER_00\"`:\n{}", plain.source);
    let doc = parse_bytes(Path::new("edited.md"), edited.as_bytes()).unwrap().document;
    assert_eq!(doc.turns().filter(|t| t.speaker.is_some()).count(), turns_before);
    let labels = printed_labels(&doc);
    assert!(
        labels.contains(&"Maya".to_string()) && !labels.contains(&"SPEAKER_00".to_string()),
        "{labels:?}"
    );
}

#[test]
fn every_guess_names_its_override_and_the_overrides_win() {
    let (imported, _) = import("case-bios.txt");
    let comment: Vec<&str> = imported.source.lines().take_while(|l| !l.starts_with("title:")).collect();
    for (guess, flag) in [("title", "--title"), ("kind", "--kind"), ("line breaks", "--no-unwrap")] {
        let line = comment.iter().find(|l| l.starts_with(&format!("# - {guess}"))).unwrap_or_else(|| {
            panic!("no `{guess}` guess:\n{}", comment.join("\n"));
        });
        assert!(line.contains(flag), "{line}");
    }
    let options = Options {
        title: Some("Another Title".into()),
        kind: Some(Kind::Hearing),
        interviewer: Some("Jonas".into()),
        no_unwrap: true,
        ..Options::default()
    };
    let (imported, doc) = import_with("case-bios.txt", &options);
    assert_eq!(doc.meta.title, "Another Title");
    assert_eq!(doc.meta.kind, Kind::Hearing);
    let asker: Vec<&str> =
        doc.participants.iter().filter(|p| p.role.asks()).map(|p| p.name.as_str()).collect();
    assert_eq!(asker, ["Jonas Berg"]);
    assert!(!imported.source.contains("line breaks:"), "--no-unwrap:\n{}", imported.source);
    // The first title words are still the title paragraph's: set aside.
    assert_conserved("case-bios.txt with --title", &imported);
}

fn mimeo(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_mimeo")).args(args).output().expect("mimeo runs")
}

#[test]
fn the_command_states_the_count_and_never_overwrites_its_input() {
    let dir = tempfile::tempdir().unwrap();
    let raw = dir.path().join("case-labels.srt");
    std::fs::copy(fixture("case-labels.srt"), &raw).unwrap();
    let before = std::fs::read(&raw).unwrap();
    let out = dir.path().join("case.md");
    let run = mimeo(&["import", raw.to_str().unwrap(), "-o", out.to_str().unwrap()]);
    let stdout = String::from_utf8_lossy(&run.stdout);
    assert!(run.status.success(), "{}", String::from_utf8_lossy(&run.stderr));
    assert!(stdout.contains("3 participants, 0 questions, 4 turns; 31 words in, 31 placed"), "{stdout}");

    for target in [raw.clone(), dir.path().join(".").join("case-labels.srt")] {
        let run = mimeo(&["import", raw.to_str().unwrap(), "-o", target.to_str().unwrap(), "--force"]);
        let stderr = String::from_utf8_lossy(&run.stderr);
        assert_eq!(run.status.code(), Some(1), "{stderr}");
        assert!(stderr.matches("case-labels.srt").count() >= 2, "names both: {stderr}");
        assert_eq!(std::fs::read(&raw).unwrap(), before, "the input is unchanged");
    }
    let run = mimeo(&["import", raw.to_str().unwrap(), "--speaker", "NOBODY=X"]);
    assert_eq!(run.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&run.stderr).contains("NOBODY"));
}

/// A DOCX whose `word/document.xml` nests `depth` content controls.
fn deep_docx(depth: usize) -> Vec<u8> {
    use std::io::Write as _;
    let mut xml = String::from(
        "<?xml version=\"1.0\"?>\n<w:document xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\"><w:body>",
    );
    xml.push_str(&"<w:sdt>".repeat(depth));
    xml.push_str("<w:p><w:r><w:t>Ana: deep.</w:t></w:r></w:p>");
    xml.push_str(&"</w:sdt>".repeat(depth));
    xml.push_str("</w:body></w:document>");
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default();
    zip.start_file("word/document.xml", options).unwrap();
    zip.write_all(xml.as_bytes()).unwrap();
    zip.finish().unwrap().into_inner()
}

#[test]
fn deep_xml_is_refused_with_its_place_on_any_stack() {
    let bytes = deep_docx(300_000);
    let refuse = move || {
        let e = mimeo::import::import_bytes(Path::new("deep.docx"), &bytes).unwrap_err();
        e.message
    };
    // 72 + 3 × 7: the `<w:sdt>` opening level 513.
    let want = "nesting deeper than 512 levels at word/document.xml:2:";
    let message = refuse.clone()();
    assert!(message.contains(want), "{message}");
    let thread = std::thread::Builder::new().stack_size(2 << 20).spawn(refuse).unwrap();
    assert!(thread.join().unwrap().contains(want));
    // Word processors nest far less: 100 levels import.
    let (imported, doc) = {
        let imported = mimeo::import::import_bytes(Path::new("ok.docx"), &deep_docx(100)).unwrap();
        let doc = parse_bytes(Path::new("ok.md"), imported.source.as_bytes()).unwrap().document;
        (imported, doc)
    };
    assert_eq!(turns(&doc), ["Ana: deep."], "{}", imported.source);
}

#[test]
fn deep_xml_through_the_command_exits_1() {
    let dir = tempfile::tempdir().unwrap();
    let raw = dir.path().join("deep.docx");
    std::fs::write(&raw, deep_docx(300_000)).unwrap();
    let out = dir.path().join("deep.md");
    let run = mimeo(&["import", raw.to_str().unwrap(), "-o", out.to_str().unwrap()]);
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert_eq!(run.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("deep.docx") && stderr.contains("nesting deeper than 512 levels"), "{stderr}");
    assert!(!out.exists(), "nothing written");
}
