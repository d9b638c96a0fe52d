//! `mimeo batch`: manifests, parallel builds, failures that stop nothing,
//! determinism, incremental re-runs and shards.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::Command;

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn mimeo(dir: &Path, args: &[&str]) -> (i32, String, String) {
    let output = Command::new(env!("CARGO_BIN_EXE_mimeo"))
        .args(args)
        .current_dir(dir)
        .env("SOURCE_DATE_EPOCH", "1600000000")
        .output()
        .unwrap();
    (
        output.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&output.stdout).into_owned(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

/// A folder with the sample, a broken source and a manifest over both.
fn workspace(editions: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::copy(repo().join("content/global-uprisings.md"), dir.path().join("global-uprisings.md"))
        .unwrap();
    std::fs::write(dir.path().join("short.md"), "---\ntitle: Short\nparticipants:\n  - name: Ann\n    bio: Ann.\n---\nIntro.\n\n## Q?\n\nAnn: An answer.\n").unwrap();
    std::fs::write(
        dir.path().join("editions.yaml"),
        format!("defaults:\n  editions: [{editions}]\nsources:\n  - global-uprisings.md\n  - short.md\n"),
    )
    .unwrap();
    dir
}

/// Every file under `dir` (relative path → bytes), hash files included.
fn files(dir: &Path) -> std::collections::BTreeMap<String, Vec<u8>> {
    let mut out = std::collections::BTreeMap::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(folder) = stack.pop() {
        for entry in std::fs::read_dir(&folder).into_iter().flatten().flatten() {
            let path = entry.path();
            if path.is_dir() {
                stack.push(path);
            } else {
                let relative = path.strip_prefix(dir).unwrap().to_string_lossy().into_owned();
                out.insert(relative, std::fs::read(&path).unwrap());
            }
        }
    }
    out
}

const ALL_FORMATS: &str = "a5, epub, zine-72";

#[test]
fn a_manifest_builds_every_edition_and_reports_them() {
    let dir = workspace(ALL_FORMATS);
    let (code, stdout, stderr) =
        mimeo(dir.path(), &["batch", "editions.yaml", "--out", "out", "--report", "report.json"]);
    assert_eq!(code, 0, "{stdout}\n{stderr}");
    let report: serde_json::Value =
        serde_json::from_slice(&std::fs::read(dir.path().join("report.json")).unwrap()).unwrap();
    assert_eq!(report["summary"]["built"], 6);
    assert_eq!(report["summary"]["failed"], 0);
    for edition in report["editions"].as_array().unwrap() {
        let output = dir.path().join(edition["output"].as_str().unwrap());
        assert!(output.is_file(), "{output:?}");
        assert_eq!(std::fs::metadata(&output).unwrap().len(), edition["bytes"].as_u64().unwrap());
    }
    assert!(dir.path().join("out/global-uprisings/global-uprisings-a5.pdf").is_file());
    assert!(dir.path().join("out/short/short.epub").is_file());
    assert!(stdout.contains("6 built, 0 skipped, 0 failed"), "{stdout}");
}

#[test]
fn a_failing_source_does_not_stop_the_others() {
    let dir = workspace("zine-72, epub");
    std::fs::write(dir.path().join("short.md"), "---\ntitle: [broken\n---\n").unwrap();
    let (code, stdout, stderr) =
        mimeo(dir.path(), &["batch", "editions.yaml", "--out", "out", "--report", "r.json"]);
    assert_eq!(code, 1, "{stdout}\n{stderr}");
    assert!(dir.path().join("out/global-uprisings/global-uprisings-zine-72.txt").is_file());
    assert!(!dir.path().join("out/short").exists());
    let report: serde_json::Value =
        serde_json::from_slice(&std::fs::read(dir.path().join("r.json")).unwrap()).unwrap();
    let failed: Vec<&serde_json::Value> =
        report["editions"].as_array().unwrap().iter().filter(|e| e["status"] == "failed").collect();
    assert_eq!(failed.len(), 2);
    assert!(failed.iter().all(|e| e["source"].as_str().unwrap().ends_with("short.md")));
    assert!(failed[0]["message"].as_str().unwrap().contains("short.md:2"), "{:?}", failed[0]);
    assert!(stderr.contains("short"), "{stderr}");
}

#[test]
fn two_clean_runs_give_identical_bytes() {
    let a = workspace(ALL_FORMATS);
    let b = workspace(ALL_FORMATS);
    assert_eq!(mimeo(a.path(), &["batch", "editions.yaml", "--out", "out"]).0, 0);
    assert_eq!(mimeo(b.path(), &["batch", "editions.yaml", "--out", "out"]).0, 0);
    let (fa, fb) = (files(&a.path().join("out")), files(&b.path().join("out")));
    assert_eq!(fa.keys().collect::<Vec<_>>(), fb.keys().collect::<Vec<_>>());
    for (name, bytes) in &fa {
        assert!(bytes == &fb[name], "{name} differs between runs");
    }
}

#[test]
fn unchanged_editions_are_skipped_and_changed_ones_rebuilt() {
    let dir = workspace("zine-72, epub");
    let run = || mimeo(dir.path(), &["batch", "editions.yaml", "--out", "out", "--report", "r.json"]);
    let report = || -> serde_json::Value {
        serde_json::from_slice(&std::fs::read(dir.path().join("r.json")).unwrap()).unwrap()
    };
    assert_eq!(run().0, 0);
    assert_eq!(report()["summary"]["built"], 4);
    assert_eq!(run().0, 0);
    assert_eq!(report()["summary"]["skipped"], 4, "a no-op re-run skips everything");
    let short = dir.path().join("short.md");
    let text = std::fs::read_to_string(&short).unwrap().replace("An answer.", "A changed answer.");
    std::fs::write(&short, text).unwrap();
    assert_eq!(run().0, 0);
    assert_eq!(report()["summary"]["built"], 2, "only the changed source's editions are rebuilt");
    assert_eq!(report()["summary"]["skipped"], 2);
    let txt = std::fs::read_to_string(dir.path().join("out/short/short-zine-72.txt")).unwrap();
    assert!(txt.contains("changed answer"));
    let (code, _, _) =
        mimeo(dir.path(), &["batch", "editions.yaml", "--out", "out", "--report", "r.json", "--force"]);
    assert_eq!(code, 0);
    assert_eq!(report()["summary"]["built"], 4, "--force rebuilds everything");
}

#[test]
fn shards_partition_the_editions() {
    let dir = workspace("a5, a6-pocket, epub, zine-72, zine-64, screen-80");
    let all: BTreeSet<String> = {
        let (code, _, _) =
            mimeo(dir.path(), &["batch", "editions.yaml", "--out", "whole", "--report", "whole.json"]);
        assert_eq!(code, 0);
        let report: serde_json::Value =
            serde_json::from_slice(&std::fs::read(dir.path().join("whole.json")).unwrap()).unwrap();
        report["editions"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e["output"].as_str().unwrap().replacen("whole", "", 1))
            .collect()
    };
    assert_eq!(all.len(), 12);
    let mut union = BTreeSet::new();
    for k in 1..=3 {
        let shard = format!("{k}/3");
        let json = format!("s{k}.json");
        let (code, _, stderr) = mimeo(
            dir.path(),
            &[
                "batch",
                "editions.yaml",
                "--out",
                "whole",
                "--shard",
                &shard,
                "--report",
                &json,
                "--force",
                "-q",
            ],
        );
        assert_eq!(code, 0, "{stderr}");
        let report: serde_json::Value =
            serde_json::from_slice(&std::fs::read(dir.path().join(&json)).unwrap()).unwrap();
        for e in report["editions"].as_array().unwrap() {
            let name = e["output"].as_str().unwrap().replacen("whole", "", 1);
            assert!(union.insert(name.clone()), "{name} is in two shards");
        }
    }
    assert_eq!(union, all, "the shards together make the whole");
}

#[test]
fn manifest_errors_name_the_file_line_and_field() {
    let dir = workspace(ALL_FORMATS);
    let cases = [
        ("defaults:\n  editions: [a5]\nsource:\n  - x.md\n", "unknown key `source`", 3),
        ("defaults:\n  editions: [a55]\nsources:\n  - global-uprisings.md\n", "no layout named `a55`", 2),
        ("defaults:\n  editions: [a5]\nsources:\n  - missing.md\n", "does not exist", 4),
        ("defaults:\n  editions: [a5]\nsources:\n  - \"*.txt\"\n", "matches no file", 4),
        (
            "defaults:\n  editions: [a5]\n  name: \"../{source}.{ext}\"\nsources:\n  - global-uprisings.md\n",
            "inside the output folder",
            3,
        ),
        (
            "defaults:\n  editions: [a5, a6-pocket]\n  name: \"{source}.{ext}\"\nsources:\n  - global-uprisings.md\n",
            "both be written",
            3,
        ),
    ];
    for (text, says, line) in cases {
        std::fs::write(dir.path().join("bad.yaml"), text).unwrap();
        let (code, _, stderr) = mimeo(dir.path(), &["batch", "bad.yaml", "--out", "out"]);
        assert_eq!(code, 1, "{text}: {stderr}");
        assert!(stderr.starts_with(&format!("bad.yaml:{line}")), "{text}: {stderr}");
        assert!(stderr.contains(says), "{text}: {stderr}");
        assert!(!dir.path().join("out").exists());
    }
    let (code, _, stderr) = mimeo(dir.path(), &["batch", "editions.yaml", "--shard", "4/3"]);
    assert_eq!(code, 1, "{stderr}");
}

#[test]
fn quiet_runs_print_nothing_when_all_is_well() {
    let dir = workspace("zine-72");
    let (code, stdout, stderr) = mimeo(dir.path(), &["batch", "editions.yaml", "--out", "out", "-q"]);
    assert_eq!(code, 0, "{stderr}");
    assert!(stdout.is_empty() && stderr.is_empty(), "stdout: {stdout}\nstderr: {stderr}");
    assert!(dir.path().join("out/short/short-zine-72.txt").is_file());
}

#[test]
fn the_sample_manifest_names_every_built_in_layout() {
    let text = std::fs::read_to_string(repo().join("content/editions.yaml")).unwrap();
    for layout in mimeo::layout::builtin() {
        assert!(text.contains(&layout.name), "content/editions.yaml lacks {}", layout.name);
    }
}

/// A manifest may list a collection beside sources: it is built as one
/// book, and rebuilt when any of its pieces changes, not otherwise.
#[test]
fn collections_are_batch_sources_rebuilt_when_a_piece_changes() {
    let dir = workspace("zine-72, epub");
    std::fs::write(dir.path().join("book.yaml"), "title: Both\nparts: [global-uprisings.md, short.md]\n")
        .unwrap();
    std::fs::write(dir.path().join("other.md"), "---\ntitle: Other\n---\nAlone.\n").unwrap();
    std::fs::write(
        dir.path().join("editions.yaml"),
        "defaults:\n  editions: [zine-72, epub]\nsources:\n  - book.yaml\n  - other.md\n",
    )
    .unwrap();
    let run = || mimeo(dir.path(), &["batch", "editions.yaml", "--out", "out", "--report", "r.json"]);
    let report = || -> serde_json::Value {
        serde_json::from_slice(&std::fs::read(dir.path().join("r.json")).unwrap()).unwrap()
    };
    let (code, _, stderr) = run();
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(report()["summary"]["built"], 4);
    let zine = std::fs::read_to_string(dir.path().join("out/book/book-zine-72.txt")).unwrap();
    assert!(zine.contains("BOTH") && zine.contains("GLOBAL UPRISINGS") && zine.contains("SHORT"), "{zine}");
    assert!(dir.path().join("out/book/book.epub").is_file());

    assert_eq!(run().0, 0);
    assert_eq!(report()["summary"]["skipped"], 4, "a no-op re-run skips everything");
    // A piece changes: the collection's editions are rebuilt, the other source's are not.
    let short = dir.path().join("short.md");
    let text = std::fs::read_to_string(&short).unwrap().replace("An answer.", "A changed answer.");
    std::fs::write(&short, text).unwrap();
    assert_eq!(run().0, 0);
    assert_eq!(report()["summary"]["built"], 2);
    assert_eq!(report()["summary"]["skipped"], 2);
    let zine = std::fs::read_to_string(dir.path().join("out/book/book-zine-72.txt")).unwrap();
    assert!(zine.contains("changed answer"), "{zine}");
    // So does the collection file itself.
    std::fs::write(
        dir.path().join("book.yaml"),
        "title: Both, again\nparts: [global-uprisings.md, short.md]\n",
    )
    .unwrap();
    assert_eq!(run().0, 0);
    assert_eq!(report()["summary"]["built"], 2);
}

/// A collection's PDF is built in a batch like a source's.
#[test]
fn a_collection_pdf_is_built_in_a_batch() {
    let dir = workspace("zine-72");
    std::fs::write(dir.path().join("book.yaml"), "title: Both\nparts: [global-uprisings.md, short.md]\n")
        .unwrap();
    std::fs::write(
        dir.path().join("editions.yaml"),
        "defaults:\n  editions: [a5, zine-72]\nsources:\n  - book.yaml\n",
    )
    .unwrap();
    let (code, _, stderr) =
        mimeo(dir.path(), &["batch", "editions.yaml", "--out", "out", "--report", "r.json"]);
    assert_eq!(code, 0, "{stderr}");
    let report: serde_json::Value =
        serde_json::from_slice(&std::fs::read(dir.path().join("r.json")).unwrap()).unwrap();
    assert_eq!(report["summary"]["built"], 2);
    let pdf = std::fs::read(dir.path().join("out/book/book-a5.pdf")).unwrap();
    assert!(pdf.starts_with(b"%PDF-"));
}

/// A source with an error in a batch of three editions: the error is said
/// once, in the user's words (no `mimeo: error: out/…: …: error:`), then
/// one line naming the sources that wrote nothing.
#[test]
fn a_source_error_is_reported_once_not_once_per_edition() {
    let dir = workspace("a5, epub, zine-72");
    std::fs::write(dir.path().join("short.md"), "---\ntitle: Short\ntitel: typo\n---\nText.\n").unwrap();
    let (code, _, stderr) = mimeo(dir.path(), &["batch", "editions.yaml", "--out", "out"]);
    assert_eq!(code, 1, "{stderr}");
    let lines: Vec<&str> = stderr.lines().collect();
    assert_eq!(lines.iter().filter(|l| l.contains("unknown key `titel`")).count(), 1, "{stderr}");
    assert!(lines[0].starts_with("short.md:3:1: error: unknown key `titel`"), "{stderr}");
    assert!(!stderr.contains("error: out/") && stderr.matches("error:").count() == 2, "{stderr}");
    assert!(
        stderr.contains(
            "mimeo: error: 1 source failed and wrote nothing (their other editions are untouched): short.md"
        ),
        "{stderr}"
    );
    assert!(!dir.path().join("out/short").exists());
    assert!(dir.path().join("out/global-uprisings/global-uprisings-a5.pdf").is_file());
}

/// A source whose PDF fails (a character no face has) while its zine
/// could be made: neither is written, and the other source is.
#[test]
fn a_source_gets_all_its_editions_or_none() {
    let dir = workspace("a5, zine-72");
    let text = std::fs::read_to_string(dir.path().join("short.md")).unwrap().replace("An answer.", "An 𓀀.");
    std::fs::write(dir.path().join("short.md"), text).unwrap();
    let (code, _, stderr) =
        mimeo(dir.path(), &["batch", "editions.yaml", "--out", "out", "--report", "r.json"]);
    assert_eq!(code, 1, "{stderr}");
    assert!(!dir.path().join("out/short").exists(), "nothing of short.md is written: {stderr}");
    assert!(dir.path().join("out/global-uprisings/global-uprisings-zine-72.txt").is_file());
    assert_eq!(stderr.matches("𓀀").count(), 1, "one error for the source: {stderr}");
    let report: serde_json::Value =
        serde_json::from_slice(&std::fs::read(dir.path().join("r.json")).unwrap()).unwrap();
    assert_eq!(report["failed_sources"][0]["source"], "short.md");
    assert_eq!(report["failed_sources"][0]["nothing_written"], true);
    let zine = report["editions"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["layout"] == "zine-72" && e["source"] == "short.md");
    assert_eq!(zine.unwrap()["status"], "failed");
}

/// Off a terminal there is no line per edition: a re-run with nothing
/// to do says nothing on stderr (the table's last line sums it up).
#[test]
fn no_line_per_edition_when_stderr_is_not_a_terminal() {
    let dir = workspace("a5, epub, zine-72");
    assert_eq!(mimeo(dir.path(), &["batch", "editions.yaml", "--out", "out"]).0, 0);
    let (code, stdout, stderr) = mimeo(dir.path(), &["batch", "editions.yaml", "--out", "out"]);
    assert_eq!(code, 0);
    assert!(stderr.is_empty(), "{stderr}");
    assert!(
        stdout.trim_end().lines().last().unwrap().starts_with("0 built, 6 skipped, 0 failed"),
        "{stdout}"
    );
}

#[test]
fn a_manifest_and_a_collection_given_to_the_wrong_command_name_the_right_one() {
    let dir = workspace("zine-72");
    let (code, _, stderr) = mimeo(dir.path(), &["build", "editions.yaml", "--out", "out"]);
    assert_eq!(code, 1);
    assert!(stderr.starts_with("editions.yaml:3:1: error: this is a batch manifest"), "{stderr}");
    assert!(stderr.contains("`mimeo batch editions.yaml`") && !stderr.contains("unknown key"), "{stderr}");
    std::fs::write(dir.path().join("book.yaml"), "title: Both\nparts: [global-uprisings.md, short.md]\n")
        .unwrap();
    let (code, _, stderr) = mimeo(dir.path(), &["batch", "book.yaml", "--out", "out"]);
    assert_eq!(code, 1);
    assert!(stderr.starts_with("book.yaml:2:1: error: this is a collection"), "{stderr}");
    assert!(stderr.contains("`mimeo build book.yaml`") && !stderr.contains("unknown key"), "{stderr}");
    assert!(!dir.path().join("out").exists());
}
