//! Pathological input across the whole pipeline: each case must finish
//! within a budget enforced by killing the process (not a timing
//! assertion), exit 0 or 1 with a message, never crash, and write only
//! inside the output folder.

use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// Run mimeo in `dir`, killing it after `budget`; returns (exit code, stderr).
fn run_with_budget(dir: &Path, args: &[&str], budget: Duration) -> (i32, String) {
    let mut child: Child = Command::new(env!("CARGO_BIN_EXE_mimeo"))
        .args(args)
        .current_dir(dir)
        .env("SOURCE_DATE_EPOCH", "1600000000")
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let started = Instant::now();
    loop {
        if let Some(status) = child.try_wait().unwrap() {
            let mut stderr = String::new();
            std::io::Read::read_to_string(child.stderr.as_mut().unwrap(), &mut stderr).unwrap();
            return (status.code().unwrap_or(-1), stderr);
        }
        if started.elapsed() > budget {
            let _ = child.kill();
            panic!("mimeo {args:?} ran past its budget of {budget:?}");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// Name, source text.
fn pathological() -> Vec<(&'static str, String)> {
    let words = ["solidarity", "the", "movement", "of", "people", "anti-imperialist", "in", "Rojava"];
    let mut paragraph = String::with_capacity(10_500_000);
    let mut i = 0usize;
    while paragraph.len() < 10_000_000 {
        paragraph.push_str(words[i * 7 % words.len()]);
        paragraph.push(' ');
        i += 1;
    }
    let front = "---\ntitle: Limits\nparticipants:\n  - name: Ann\n    bio: b\n---\n";
    vec![
        ("paragraph-10mb", format!("{front}Ann: {paragraph}\n")),
        ("word-100k", format!("{front}Ann: {}\n", "a".repeat(100_000))),
        ("quotes-10k", format!("{front}{}deep\n", "> ".repeat(10_000))),
        ("lists-10k", format!("{front}{}deep\n", "- ".repeat(10_000))),
        ("brackets-30k", format!("{front}{}x{}\n", "[".repeat(30_000), "]".repeat(30_000))),
        ("emphasis-30k", format!("{front}{}x{}\n", "*a ".repeat(30_000), " b*".repeat(30_000))),
        ("stars-30k", format!("{front}{}x{}\n", "*".repeat(30_000), "*".repeat(30_000))),
    ]
}

#[test]
fn pathological_sources_are_checked_in_bounded_time() {
    let dir = tempfile::tempdir().unwrap();
    for (name, text) in pathological() {
        let file = format!("{name}.md");
        std::fs::write(dir.path().join(&file), text).unwrap();
        let (code, stderr) = run_with_budget(dir.path(), &["check", &file], Duration::from_secs(30));
        assert!(code == 0 || code == 1, "{name}: exit {code}: {stderr}");
        assert!(!stderr.contains("internal error"), "{name}: {stderr}");
    }
}

#[test]
fn an_oversized_source_is_refused_with_a_clear_message() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("huge.md");
    let f = std::fs::File::create(&file).unwrap();
    f.set_len(mimeo::source::MAX_SOURCE_BYTES + 1).unwrap();
    let (code, stderr) = run_with_budget(dir.path(), &["check", "huge.md"], Duration::from_secs(10));
    assert_eq!(code, 1);
    assert!(stderr.contains("huge.md: error:") && stderr.contains("MiB"), "{stderr}");
}
