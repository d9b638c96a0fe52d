//! `mimeo watch` (issue 18): a saved edit rebuilds; a bad edit is reported
//! as `check` reports it and leaves the last good edition on disk; fixing
//! it rebuilds; a layout file is an input too; Ctrl-C ends it cleanly.

mod common;

use std::path::Path;

use common::live::{Running, edit};

const TALK: &str = "---\ntitle: A talk on duplicators\nparticipants:\n  - name: Ana Ortiz\n    bio: Ana prints.\n  - name: Ben Okafor\n    bio: Ben binds.\n---\n\n\
    ## How did it start?\n\nAna: We found a stencil duplicator in a basement.\n\n\
    Ben: And we printed the first issue on it that night.\n";

fn folder() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("talk.md"), TALK).unwrap();
    dir
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap()
}

#[test]
fn a_bad_edit_keeps_the_last_good_edition_and_a_fix_rebuilds_it() {
    let dir = folder();
    let source = dir.path().join("talk.md");
    let zine = dir.path().join("out/talk/talk-zine-72.txt");
    let mut watch = Running::start(&["watch", "talk.md", "--format", "txt", "--out", "out"], dir.path());
    watch.wait_for(|l| l.starts_with("round 1: built 1 edition of talk.md"));
    assert!(read(&zine).contains("stencil duplicator"));

    // A typo in the front matter: an error in its place, nothing rewritten.
    let good = std::fs::read(&zine).unwrap();
    edit(&source, |t| t.replace("title: A talk", "title: [A talk"));
    let line = watch.wait_for(|l| l.starts_with("round 2:"));
    assert_eq!(line, "round 2: talk.md has errors; its last good editions are kept");
    assert!(
        watch.saw_err(|l| l.starts_with("talk.md:2:") && l.contains("error")),
        "the error is located as `check` locates it: {:#?}",
        watch.seen_err
    );
    assert_eq!(std::fs::read(&zine).unwrap(), good, "the last good edition is untouched");

    // Fixed, with a new word and a label typo: rebuilt, and warned.
    edit(&source, |t| {
        t.replace("title: [A talk", "title: A talk")
            .replace("basement", "cellar")
            .replace("Ben: And", "Benn: And")
    });
    watch.wait_for(|l| l.starts_with("round 3: built 1 edition of talk.md"));
    assert!(read(&zine).contains("cellar"), "{}", read(&zine));
    assert!(
        watch.saw_err(|l| l.starts_with("talk.md:14:1: warning: `Benn:` looks like a speaker label")),
        "{:#?}",
        watch.seen_err
    );

    let status = watch.interrupt();
    assert!(status.success(), "Ctrl-C is how watch ends: {status:?}");
    assert!(watch.saw_err(|l| l.contains("stopped")), "{:#?}", watch.seen_err);
    let leftovers: Vec<_> =
        common::walk(&dir.path().join("out")).into_iter().filter(|p| p != &zine).collect();
    assert!(leftovers.is_empty(), "only the edition is in the output: {leftovers:?}");
}

#[test]
fn saving_a_layout_file_rebuilds_its_editions() {
    let dir = folder();
    let layout = dir.path().join("narrow.yaml");
    std::fs::write(&layout, "name: narrow\nformat: txt\nwidth: 60\npage-height: 60\nalign: justify\n")
        .unwrap();
    let zine = dir.path().join("out/talk/talk-narrow.txt");
    let mut watch =
        Running::start(&["watch", "talk.md", "--layout", "narrow.yaml", "--out", "out"], dir.path());
    watch.wait_for(|l| l.starts_with("round 1: built 1 edition"));
    let widest = |text: &str| text.lines().map(|l| l.chars().count()).max().unwrap_or(0);
    assert!(widest(&read(&zine)) <= 60);

    edit(&layout, |t| t.replace("width: 60", "width: 40"));
    watch.wait_for(|l| l.starts_with("round 2: built 1 edition"));
    assert!(widest(&read(&zine)) <= 40, "{}", read(&zine));
    // A file no edition reads is not a reason to rebuild.
    std::fs::write(dir.path().join("notes.txt"), "to do").unwrap();
    edit(&dir.path().join("talk.md"), |t| t.replace("that night", "that very night"));
    let line = watch.wait_for(|l| l.starts_with("round 3:"));
    assert!(line.starts_with("round 3: built 1 edition of talk.md"), "{line}");
    assert!(watch.interrupt().success());
}
