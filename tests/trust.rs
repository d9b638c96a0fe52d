//! Trust (issue #27): `check` passing means `build` passes, a source gets
//! all its editions or none, editions do not depend on each other's fonts,
//! and every message speaks the user's words.
//!
//! The bad inputs live in `tests/fixtures/bad/`, one mistake each. The text
//! of every message is held in `tests/snapshots/diagnostics.txt`; after an
//! intended change, rewrite it with
//! `MIMEO_UPDATE_SNAPSHOTS=1 cargo test --test trust` and review the diff.

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

const FIXTURES: &str = "tests/fixtures/bad";

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Run the binary in `dir`; returns (exit code, stdout, stderr).
fn mimeo(dir: &Path, args: &[&str]) -> (i32, String, String) {
    let output = Command::new(env!("CARGO_BIN_EXE_mimeo"))
        .args(args)
        .current_dir(dir)
        .env("SOURCE_DATE_EPOCH", "1700000000")
        .output()
        .unwrap();
    (
        output.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&output.stdout).into_owned(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

/// The bad sources: every `.md` and `.txt` file in the fixtures folder.
fn bad_sources() -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(repo().join(FIXTURES))
        .unwrap()
        .filter_map(|e| e.ok()?.file_name().into_string().ok())
        .filter(|name| name.ends_with(".md") || name.ends_with(".txt"))
        .collect();
    names.sort();
    assert!(names.len() >= 10, "{names:?}");
    names
}

fn first_error(stderr: &str) -> Option<&str> {
    stderr.lines().find(|line| line.contains("error:"))
}

/// A copy of `files` from the fixtures folder in a fresh folder.
fn folder_with(files: &[&str]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for file in files {
        std::fs::copy(repo().join(FIXTURES).join(file), dir.path().join(file)).unwrap();
    }
    dir
}

#[test]
fn check_and_build_agree_on_every_bad_input_and_neither_writes() {
    let fixtures = repo().join(FIXTURES);
    for name in bad_sources() {
        let out = tempfile::tempdir().unwrap();
        let out_arg = out.path().to_str().unwrap();
        let (check, _, check_err) = mimeo(&fixtures, &["check", &name, "--out", out_arg]);
        let (build, _, build_err) = mimeo(&fixtures, &["build", &name, "--out", out_arg]);
        assert_eq!(check, 1, "{name}: check\n{check_err}");
        assert_eq!(build, 1, "{name}: build\n{build_err}");
        let first = first_error(&check_err);
        assert!(first.is_some(), "{name}: {check_err}");
        assert_eq!(first, first_error(&build_err), "{name}:\ncheck: {check_err}\nbuild: {build_err}");
        // Located in the fixture (or the layout file it names), with a line.
        let stem = name.rsplit_once('.').map_or(name.as_str(), |(stem, _)| stem);
        let mut place = first.unwrap().split(':');
        assert!(place.next().unwrap().starts_with(stem), "{name}: located: {check_err}");
        assert!(place.next().unwrap().parse::<usize>().is_ok(), "{name}: a line: {check_err}");
        assert!(!check_err.contains("panicked") && !build_err.contains("panicked"), "{name}");
        assert!(common::walk(out.path()).is_empty(), "{name}: nothing is written");
    }
}

/// Words that belong to Rust or serde, never to a message.
const INTERNALS: [&str; 8] =
    ["struct ", "enum ", "Entry", "os error", "serde", "sequence", "invalid type", "u32"];

#[test]
fn every_message_is_in_the_users_words_and_held_in_the_snapshot() {
    let fixtures = repo().join(FIXTURES);
    let out = tempfile::tempdir().unwrap();
    let out_arg = out.path().to_str().unwrap();
    let mut all = String::new();
    for name in bad_sources() {
        let (_, _, stderr) = mimeo(&fixtures, &["check", &name, "--out", out_arg]);
        for word in INTERNALS {
            assert!(!stderr.contains(word), "{name}: `{word}` in\n{stderr}");
        }
        all.push_str(&format!("== mimeo check {name}\n{stderr}\n"));
    }
    for (title, dir, args) in extra_messages() {
        let (_, _, stderr) = mimeo(dir.path(), &args);
        for word in INTERNALS {
            assert!(!stderr.contains(word), "{title}: `{word}` in\n{stderr}");
        }
        all.push_str(&format!("== {title}\n{stderr}\n"));
    }
    let path = repo().join("tests/snapshots/diagnostics.txt");
    if std::env::var_os("MIMEO_UPDATE_SNAPSHOTS").is_some() {
        std::fs::write(&path, &all).unwrap();
    }
    let expected = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("{}: {e} (run with MIMEO_UPDATE_SNAPSHOTS=1)", path.display()));
    assert_eq!(all, expected, "the messages changed; review and update the snapshot");
}

/// The messages that need more than a bad source: the title of each, its
/// folder and `mimeo`'s arguments there.
fn extra_messages() -> Vec<(&'static str, tempfile::TempDir, Vec<&'static str>)> {
    let mut cases = Vec::new();

    let dir = folder_with(&["missing-glyph.md"]);
    cases.push((
        "missing glyph, allowed",
        dir,
        vec!["build", "missing-glyph.md", "-l", "a5", "--allow-missing-glyphs", "--out", "out", "-q"],
    ));

    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("talk.md"), GOOD).unwrap();
    std::fs::write(dir.path().join("out"), "a file where a folder should be").unwrap();
    cases.push(("output folder is a file", dir, vec!["build", "talk.md", "--out", "out"]));

    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("talk")).unwrap();
    std::fs::write(dir.path().join("talk/talk.epub"), GOOD).unwrap();
    cases.push((
        "output replaces the source",
        dir,
        vec!["build", "talk/talk.epub", "-l", "epub", "--out", "."],
    ));

    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("talk.md"),
        format!("{GOOD}\nPriya: I was there too.\n\nEdwrad: So was I.\n"),
    )
    .unwrap();
    cases.push(("labels that name nobody", dir, vec!["check", "talk.md", "--format", "txt"]));
    cases
}

/// A source that builds.
const GOOD: &str = "---\ntitle: A Talk\nparticipants:\n  - name: Edward Wong\n    bio: Edward organises tenants.\n---\n\n## What happened?\n\nEdward: We met every week.\n";

#[test]
fn a_character_no_pdf_face_has_writes_no_edition_at_all() {
    let dir = folder_with(&["missing-glyph.md"]);
    let (code, stdout, stderr) = mimeo(dir.path(), &["build", "missing-glyph.md", "--out", "out"]);
    assert_eq!(code, 1, "{stderr}");
    assert!(stdout.is_empty(), "{stdout}");
    // Located at the character, named as the PDF edition's error only.
    assert!(stderr.starts_with("missing-glyph.md:10:"), "{stderr}");
    assert!(stderr.contains("U+13000") && stderr.contains("(in the a5 edition)"), "{stderr}");
    assert!(!stderr.contains("epub") && !stderr.contains("zine"), "{stderr}");
    assert!(!dir.path().join("out").exists(), "no zine, no EPUB, no folder: {:?}", common::walk(dir.path()));
}

#[test]
fn an_epub_builds_when_only_pdf_faces_lack_a_glyph_with_the_print_page_list() {
    let dir = folder_with(&["missing-glyph.md"]);
    let (code, _, stderr) =
        mimeo(dir.path(), &["build", "missing-glyph.md", "--format", "epub,txt", "--out", "out"]);
    assert_eq!(code, 0, "{stderr}");
    let epub = std::fs::read(dir.path().join("out/missing-glyph/missing-glyph.epub")).unwrap();
    let entries = common::entries(&epub);
    let nav = common::entry(&entries, "nav.xhtml");
    assert!(nav.contains("page-list"), "the page list from the a5 pagination: {nav}");
    assert!(entries.iter().any(|(_, text)| text.contains('\u{13000}')), "the character is in the book");
    assert!(dir.path().join("out/missing-glyph/missing-glyph-zine-72.txt").exists());
    // `check` agrees, and still refuses the PDF.
    let (code, _, stderr) = mimeo(dir.path(), &["check", "missing-glyph.md", "--format", "epub,txt"]);
    assert_eq!(code, 0, "{stderr}");
    let (code, _, stderr) = mimeo(dir.path(), &["check", "missing-glyph.md"]);
    assert_eq!(code, 1, "{stderr}");
    assert!(stderr.starts_with("missing-glyph.md:10:"), "{stderr}");
}

#[test]
fn a_picture_one_backend_refuses_writes_nothing_and_keeps_the_old_editions() {
    let dir = folder_with(&["truncated-picture.md"]);
    // A good picture first: every edition is built.
    let good = image::RgbImage::from_fn(40, 30, |x, y| image::Rgb([(x * 6) as u8, (y * 8) as u8, 120]));
    good.save(dir.path().join("truncated.png")).unwrap();
    let (code, _, stderr) = mimeo(dir.path(), &["build", "truncated-picture.md", "--out", "out"]);
    assert_eq!(code, 0, "{stderr}");
    let before: Vec<(PathBuf, Vec<u8>, std::time::SystemTime)> = common::walk(&dir.path().join("out"))
        .into_iter()
        .map(|p| (p.clone(), std::fs::read(&p).unwrap(), std::fs::metadata(&p).unwrap().modified().unwrap()))
        .collect();
    assert_eq!(before.len(), 3);
    // Then one only the PDF cannot decode (the EPUB carries its bytes, the zine its alt text).
    std::fs::copy(repo().join(FIXTURES).join("truncated.png"), dir.path().join("truncated.png")).unwrap();
    std::fs::write(
        dir.path().join("truncated-picture.md"),
        std::fs::read_to_string(repo().join(FIXTURES).join("truncated-picture.md"))
            .unwrap()
            .replace("every week", "every day"),
    )
    .unwrap();
    let (code, stdout, stderr) = mimeo(dir.path(), &["build", "truncated-picture.md", "--out", "out"]);
    assert_eq!(code, 1, "{stderr}");
    assert!(stdout.is_empty(), "{stdout}");
    assert!(stderr.contains("truncated.png"), "{stderr}");
    let after: Vec<(PathBuf, Vec<u8>, std::time::SystemTime)> = common::walk(&dir.path().join("out"))
        .into_iter()
        .map(|p| (p.clone(), std::fs::read(&p).unwrap(), std::fs::metadata(&p).unwrap().modified().unwrap()))
        .collect();
    assert_eq!(before, after, "no old edition touched, no new file");
}

#[test]
fn isbns_are_checked_for_every_edition_and_other_identifiers_pass() {
    let dir = tempfile::tempdir().unwrap();
    let with = |identifier: &str| {
        GOOD.replace("title: A Talk\n", &format!("title: A Talk\nidentifier: \"{identifier}\"\n"))
    };
    for good in [
        "978-0-306-40615-7",
        "isbn:0-306-40615-2",
        "urn:isbn:9780306406157",
        "urn:uuid:6ba7b810-9dad-11d1-80b4-00c04fd430c8",
        "https://example.org/books/talk",
        "urn:nbn:de:101:1-2024",
    ] {
        std::fs::write(dir.path().join("talk.md"), with(good)).unwrap();
        let (code, _, stderr) = mimeo(dir.path(), &["check", "talk.md", "--format", "epub,txt"]);
        assert_eq!(code, 0, "{good}: {stderr}");
    }
    for (bad, why) in [
        ("978-0-306-40615-8", "check digit 8"),
        ("0-306-40615-3", "check digit 3"),
        ("isbn:978-0-3O6-40615-7", "`O`"),
        ("isbn:97803064061", "11 digits"),
    ] {
        std::fs::write(dir.path().join("talk.md"), with(bad)).unwrap();
        for command in ["check", "build"] {
            let (code, _, stderr) =
                mimeo(dir.path(), &[command, "talk.md", "--format", "txt", "--out", "out"]);
            assert_eq!(code, 1, "{bad}: {stderr}");
            assert!(stderr.starts_with("talk.md:3:1: error: front matter `identifier`"), "{bad}: {stderr}");
            assert!(stderr.contains(why), "{bad}: {stderr}");
        }
        assert!(!dir.path().join("out").exists());
    }
}

#[test]
fn a_paragraph_that_begins_like_a_label_and_names_nobody_warns() {
    let dir = tempfile::tempdir().unwrap();
    let text = format!(
        "{GOOD}\nPriya: I was there too.\n\nEdwrad: So was I.\n\nNote: the hall was cold.\n\nThe Long Hot Summer Of Rent: a title, not a label.\n"
    );
    std::fs::write(dir.path().join("talk.md"), text).unwrap();
    for command in ["check", "build"] {
        let (code, _, stderr) = mimeo(dir.path(), &[command, "talk.md", "--format", "txt", "--out", "out"]);
        assert_eq!(code, 0, "{stderr}");
        let warnings: Vec<&str> = stderr.lines().filter(|l| l.contains("warning:")).collect();
        assert_eq!(warnings.len(), 3, "{command}: {stderr}");
        assert!(warnings[0].starts_with("talk.md:12:1: warning: `Priya:`"), "{stderr}");
        assert!(stderr.contains("labels are `Edward`"), "{stderr}");
        assert!(warnings[1].starts_with("talk.md:14:1: warning: `Edwrad:`"), "{stderr}");
        assert!(stderr.contains("did you mean `Edward`?"), "{stderr}");
        assert!(warnings[2].starts_with("talk.md:16:1: warning: `Note:`"), "{stderr}");
    }
}

#[test]
fn the_sample_stays_free_of_warnings_in_every_edition() {
    let out = tempfile::tempdir().unwrap();
    let (code, stdout, stderr) = mimeo(
        &repo(),
        &["check", "--strict", "content/global-uprisings.md", "--out", out.path().to_str().unwrap()],
    );
    assert_eq!(code, 0, "{stderr}");
    assert!(stderr.is_empty(), "{stderr}");
    assert!(stdout.contains("3 participants, 4 questions, 16 turns, 0 warnings"), "{stdout}");
    assert!(common::walk(out.path()).is_empty(), "check writes nothing");
}

#[test]
fn check_accepts_builds_options_and_checks_the_same_editions() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("talk.md"),
        GOOD.replace("title: A Talk\n", "title: A Talk\nlayouts: [a5-cover]\n"),
    )
    .unwrap();
    // A layout that does not exist, named on the command line, is refused
    // by both, and a format that disagrees with a named layout too.
    for args in [vec!["-l", "a55"], vec!["-l", "a5", "--format", "epub"]] {
        let mut check = vec!["check", "talk.md"];
        check.extend(&args);
        let mut build = vec!["build", "talk.md", "--out", "out"];
        build.extend(&args);
        let (c, _, check_err) = mimeo(dir.path(), &check);
        let (b, _, build_err) = mimeo(dir.path(), &build);
        assert_eq!((c, b), (1, 1), "{check_err}\n{build_err}");
        assert_eq!(first_error(&check_err), first_error(&build_err));
    }
    // With `--format txt` the document's `a5-cover` is not built, so not checked.
    let (code, stdout, stderr) = mimeo(dir.path(), &["check", "talk.md", "--format", "txt"]);
    assert_eq!(code, 0, "{stderr}");
    assert!(stdout.contains("1 participant, 1 question, 1 turn, 0 warnings"), "plurals: {stdout}");
}

#[test]
fn an_output_that_would_replace_an_input_is_refused_naming_both() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("talk")).unwrap();
    std::fs::write(dir.path().join("talk/talk.epub"), GOOD).unwrap();
    for command in ["check", "build"] {
        let (code, _, stderr) = mimeo(dir.path(), &[command, "talk/talk.epub", "-l", "epub", "--out", "."]);
        assert_eq!(code, 1, "{stderr}");
        assert!(stderr.contains("./talk/talk.epub would be written over talk/talk.epub"), "{stderr}");
    }
    assert_eq!(
        std::fs::read_to_string(dir.path().join("talk/talk.epub")).unwrap(),
        GOOD,
        "the source is untouched"
    );
    // A picture named like an edition is an input too.
    std::fs::write(dir.path().join("talk.md"), GOOD).unwrap();
    std::fs::create_dir(dir.path().join("out")).unwrap();
    std::fs::create_dir(dir.path().join("out/talk")).unwrap();
    std::fs::write(dir.path().join("out/talk/talk-zine-72.txt"), "kept").unwrap();
    let (code, _, stderr) = mimeo(dir.path(), &["build", "--layout", "zine-72", "talk.md", "--out", "out"]);
    assert_eq!(code, 0, "an old edition is not an input: {stderr}");
}

#[test]
fn an_output_folder_that_is_a_file_is_said_once_in_words() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("talk.md"), GOOD).unwrap();
    std::fs::write(dir.path().join("out"), "a file").unwrap();
    let (code, _, stderr) = mimeo(dir.path(), &["build", "talk.md", "--out", "out"]);
    assert_eq!(code, 1, "{stderr}");
    assert_eq!(stderr.lines().filter(|l| l.contains("error")).count(), 1, "{stderr}");
    assert!(stderr.contains("out is a file, not a folder"), "{stderr}");
    assert!(!stderr.contains("os error"), "{stderr}");
}

#[test]
fn layouts_are_listed_in_aligned_columns() {
    let (code, stdout, _) = mimeo(&repo(), &["layouts"]);
    assert_eq!(code, 0);
    // Where the second and third fields (format, description) begin, in characters.
    let column = |line: &str, field: usize| {
        let mut seen = 0;
        let mut previous_space = true;
        for (i, c) in line.char_indices() {
            if c != ' ' && previous_space {
                if seen == field {
                    return line[..i].chars().count();
                }
                seen += 1;
            }
            previous_space = c == ' ';
        }
        panic!("no field {field} in {line}")
    };
    let lines: Vec<&str> = stdout.lines().collect();
    assert!(lines.iter().any(|l| l.starts_with("half-letter-booklet")), "{stdout}");
    for field in [1, 2] {
        let columns: std::collections::BTreeSet<usize> = lines.iter().map(|l| column(l, field)).collect();
        assert_eq!(columns.len(), 1, "field {field} starts at one place: {stdout}");
    }
}

#[test]
fn allowing_missing_glyphs_says_what_the_pdf_shows() {
    let (_, help, _) = mimeo(&repo(), &["build", "--help"]);
    assert!(help.contains("crossed box"), "{help}");
    assert!(!help.contains("blank"), "{help}");
    let dir = folder_with(&["missing-glyph.md"]);
    let (code, _, stderr) = mimeo(
        dir.path(),
        &["build", "missing-glyph.md", "-l", "a5", "--allow-missing-glyphs", "--out", "out"],
    );
    assert_eq!(code, 0, "{stderr}");
    assert!(stderr.contains("prints as a crossed box"), "{stderr}");
}

#[test]
fn an_escaped_colon_says_a_paragraph_is_no_label() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("talk.md"), format!("{GOOD}\nPrice\\: five dollars a month.\n")).unwrap();
    let (code, _, stderr) = mimeo(dir.path(), &["check", "--strict", "talk.md", "--format", "txt"]);
    assert_eq!(code, 0, "{stderr}");
    assert!(stderr.is_empty(), "{stderr}");
}
