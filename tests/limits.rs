//! Pathological input across the whole pipeline: each case must finish
//! within a budget enforced by killing the process (not a timing
//! assertion), exit 0 or 1 with a message, never crash, stay under 1 GiB
//! of memory, and write only inside the output folder.

mod common;

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// The memory every case must stay under.
const MEMORY_LIMIT_KIB: i64 = 1 << 20;

/// What one run of mimeo did.
struct Run {
    code: i32,
    stderr: String,
    /// Peak resident memory, in KiB (0 where it cannot be measured).
    peak_kib: i64,
}

/// Run mimeo in `dir`, killing it after `budget`.
fn run_with_budget(dir: &Path, args: &[&str], budget: Duration) -> Run {
    let stderr_path = dir.join(".stderr");
    let mut child = Command::new(env!("CARGO_BIN_EXE_mimeo"))
        .args(args)
        .current_dir(dir)
        .env("SOURCE_DATE_EPOCH", "1600000000")
        .stdout(Stdio::null())
        .stderr(std::fs::File::create(&stderr_path).unwrap())
        .spawn()
        .unwrap();
    let started = Instant::now();
    loop {
        if let Some((code, peak_kib)) = reap(&mut child) {
            let stderr = std::fs::read_to_string(&stderr_path).unwrap_or_default();
            std::fs::remove_file(&stderr_path).unwrap();
            return Run { code, stderr, peak_kib };
        }
        if started.elapsed() > budget {
            let _ = child.kill();
            let _ = child.wait();
            panic!("mimeo {args:?} ran past its budget of {budget:?}");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// The exit code (-1 when killed by a signal, e.g. a stack overflow) and
/// the peak RSS of a finished child, or `None` while it runs.
#[cfg(unix)]
fn reap(child: &mut std::process::Child) -> Option<(i32, i64)> {
    let mut status = 0;
    // SAFETY: an all-zero `rusage` is valid; wait4 fills it.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    // SAFETY: the pid is our own child, not yet reaped; pointers are valid.
    let pid = unsafe { libc::wait4(child.id() as i32, &mut status, libc::WNOHANG, &mut usage) };
    assert!(pid >= 0, "wait4: {}", std::io::Error::last_os_error());
    if pid == 0 {
        return None;
    }
    let code = if libc::WIFEXITED(status) { libc::WEXITSTATUS(status) } else { -1 };
    Some((code, usage.ru_maxrss))
}

#[cfg(not(unix))]
fn reap(child: &mut std::process::Child) -> Option<(i32, i64)> {
    child.try_wait().unwrap().map(|status| (status.code().unwrap_or(-1), 0))
}

const FRONT: &str = "---\ntitle: Limits\nparticipants:\n  - name: Ann\n    bio: b\n---\n";

/// Ten megabytes of words, no paragraph break.
fn paragraph() -> String {
    let words = ["solidarity", "the", "movement", "of", "people", "anti-imperialist", "in", "Rojava"];
    let mut paragraph = String::with_capacity(10_500_000);
    let mut i = 0usize;
    while paragraph.len() < 10_000_000 {
        paragraph.push_str(words[i * 7 % words.len()]);
        paragraph.push(' ');
        i += 1;
    }
    paragraph
}

/// A YAML alias bomb: nine levels of nine aliases each (9^9 strings).
fn alias_bomb(key: &str) -> String {
    let mut yaml = String::from("a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n");
    for i in 1..10 {
        let p = i - 1;
        yaml.push_str(&format!(
            "a{i}: &a{i} [*a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}]\n"
        ));
    }
    yaml.push_str(&format!("{key}: *a9\n"));
    yaml
}

/// Name and source text of each case, made one at a time: the test's own
/// memory counts in its children's peak RSS (they start as its copies).
fn pathological() -> impl Iterator<Item = (&'static str, String)> {
    (0..CASES).map(case)
}

const CASES: usize = 16;

fn case(i: usize) -> (&'static str, String) {
    // Anchors under `extra` (read as any YAML value), the bomb set off
    // there or by a typed key.
    let bomb = |inside: &str, outside: &str| {
        let indented: String = alias_bomb(inside).lines().map(|l| format!("  {l}\n")).collect();
        format!("---\ntitle: Bomb\nextra:\n{indented}{outside}---\nText.\n")
    };
    match i {
        0 => ("paragraph-10mb", format!("{FRONT}Ann: {}\n", paragraph())),
        1 => ("word-100k", format!("{FRONT}Ann: {}\n", "a".repeat(100_000))),
        2 => ("quotes-10k", format!("{FRONT}{}deep\n", "> ".repeat(10_000))),
        3 => ("lists-10k", format!("{FRONT}{}deep\n", "- ".repeat(10_000))),
        4 => ("ordered-lists-10k", format!("{FRONT}{}deep\n", "1. ".repeat(10_000))),
        5 => ("quotes-and-lists-10k", format!("{FRONT}{}deep\n", "> - ".repeat(5_000))),
        6 => ("brackets-30k", format!("{FRONT}{}x{}\n", "[".repeat(30_000), "]".repeat(30_000))),
        7 => ("links-30k", format!("{FRONT}{}x{}\n", "[".repeat(30_000), "](u)".repeat(30_000))),
        8 => ("emphasis-30k", format!("{FRONT}{}x{}\n", "*a ".repeat(30_000), " b*".repeat(30_000))),
        9 => ("stars-30k", format!("{FRONT}{}x{}\n", "*".repeat(30_000), "*".repeat(30_000))),
        10 => ("underscores-30k", format!("{FRONT}{}x{}\n", "_".repeat(30_000), "_".repeat(30_000))),
        11 => ("yaml-alias-bomb", bomb("bomb", "")),
        12 => ("yaml-alias-bomb-keywords", bomb("x", "keywords: *a9\n")),
        13 => ("yaml-alias-bomb-description", bomb("x", "description: *a9\n")),
        14 => (
            "yaml-nesting-10k",
            format!("---\ntitle: Deep\nextra: {}x{}\n---\nText.\n", "[".repeat(10_000), "]".repeat(10_000)),
        ),
        // fuzz `pdf`: the running head was shortened word by word, each
        // try measured whole, on every page (quadratic, per page).
        15 => {
            let turns: Vec<String> = (0..300).map(|_| format!("Ann: {}", "word ".repeat(200))).collect();
            let heading = "solidarity ".repeat(100_000);
            ("heading-100k-words", format!("{FRONT}## {heading}\n\n{}\n", turns.join("\n\n")))
        }
        _ => unreachable!(),
    }
}

/// A finished run: a clean exit (0, or 1 with a message), no crash, and
/// memory under the limit.
fn assert_sane(name: &str, run: &Run) {
    assert!(run.code == 0 || run.code == 1, "{name}: exit {}: {}", run.code, run.stderr);
    assert!(run.code == 0 || run.stderr.contains("error"), "{name}: failed without a message");
    assert!(
        !run.stderr.contains("internal error") && !run.stderr.contains("panicked"),
        "{name}: {}",
        run.stderr
    );
    assert!(run.peak_kib < MEMORY_LIMIT_KIB, "{name}: peak RSS {} MiB", run.peak_kib >> 10);
}

#[test]
fn pathological_sources_are_checked_in_bounded_time() {
    let dir = tempfile::tempdir().unwrap();
    for (name, text) in pathological() {
        let file = format!("{name}.md");
        std::fs::write(dir.path().join(&file), text).unwrap();
        let run = run_with_budget(dir.path(), &["check", &file], Duration::from_secs(30));
        assert_sane(name, &run);
        eprintln!("check {name}: exit {}, peak RSS {} MiB", run.code, run.peak_kib >> 10);
    }
}

/// `build --format epub,txt`, with an EPUB layout without a page list
/// (the built-in `epub` takes its page list from the PDF edition).
fn build_args(file: &str) -> Vec<&str> {
    vec!["build", "--format", "epub,txt", "-l", "book.yaml", "-l", "zine-72", "--out", "out", file]
}

#[test]
fn pathological_sources_build_in_bounded_time_and_memory() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("book.yaml"), "name: book\nformat: epub\n").unwrap();
    for (name, text) in pathological() {
        let file = format!("{name}.md");
        std::fs::write(dir.path().join(&file), text).unwrap();
        let run = run_with_budget(dir.path(), &build_args(&file), Duration::from_secs(30));
        assert_sane(name, &run);
        eprintln!("build {name}: exit {}, peak RSS {} MiB", run.code, run.peak_kib >> 10);
        if run.code == 0 {
            for file in [format!("{name}-book.epub"), format!("{name}-zine-72.txt")] {
                let written = dir.path().join("out").join(name).join(file);
                assert!(written.is_file(), "{name}: no {}", written.display());
            }
        }
    }
    let stray: Vec<_> =
        common::walk(dir.path()).into_iter().filter(|p| !p.starts_with(dir.path().join("out"))).collect();
    assert!(
        stray.iter().all(|p| p.extension().is_some_and(|e| e == "md") || p.ends_with("book.yaml")),
        "written outside --out: {stray:?}"
    );
}

/// Build the 10 MB paragraph with `args` (plus `--out out p.md`) within
/// the budget; the folder it was built in.
fn build_ten_megabytes(args: &[&str]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let (name, text) = case(0);
    std::fs::write(dir.path().join("p.md"), text).unwrap();
    let args: Vec<&str> = ["build"].iter().chain(args).chain(&["--out", "out", "p.md"]).copied().collect();
    let run = run_with_budget(dir.path(), &args, Duration::from_secs(30));
    assert_sane(name, &run);
    assert_eq!(run.code, 0, "{}", run.stderr);
    eprintln!("{args:?}: peak RSS {} MiB", run.peak_kib >> 10);
    dir
}

/// How many of the paragraph's words (whole or hyphenated) `text` holds.
fn paragraph_words(text: &str) -> usize {
    text.matches("solidarity").count() + text.matches("solidar-").count()
}

#[test]
fn the_ten_megabyte_paragraph_is_typeset_whole() {
    let dir = build_ten_megabytes(&["--format", "txt"]);
    let written = std::fs::read_to_string(dir.path().join("out/p/p-zine-72.txt")).unwrap();
    let words = paragraph_words(&written);
    assert!(words > 100_000, "{words} of the paragraph's words are in the edition");
}

#[test]
fn the_ten_megabyte_paragraph_is_printed_whole() {
    let dir = build_ten_megabytes(&["--format", "pdf", "--layout", "a5"]);
    // Ten megabytes at about 3,100 characters an A5 page, every page kept.
    let file = dir.path().join("out/p/p-a5.pdf");
    let pages = lopdf::Document::load(&file).unwrap().get_pages().len();
    assert!(pages > 3_000, "{pages} pages");
    if common::print::tool("pdftotext") {
        let out = std::process::Command::new("pdftotext").arg(&file).arg("-").output().unwrap();
        let words = paragraph_words(&String::from_utf8_lossy(&out.stdout));
        assert!(words > 100_000, "{words} of the paragraph's words are in the edition");
    }
}

#[test]
fn yaml_bombs_in_layouts_and_manifests_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    std::fs::write(d.join("s.md"), format!("{FRONT}Ann: Hello.\n")).unwrap();
    std::fs::write(d.join("bomb.yaml"), format!("format: txt\nwidth: 72\n{}", alias_bomb("description")))
        .unwrap();
    let run = run_with_budget(
        d,
        &["build", "--layout", "bomb.yaml", "--out", "out", "s.md"],
        Duration::from_secs(30),
    );
    assert_sane("layout bomb", &run);
    assert_eq!(run.code, 1, "a layout bomb is refused");
    assert!(run.stderr.contains("bomb.yaml"), "{}", run.stderr);

    // Typed files refuse unknown keys before any alias is expanded, so the
    // bomb sits where anything goes: edition entries (a name or a mapping)
    // are buffered whole before they are matched.
    let entries: String = alias_bomb("x").lines().take(10).map(|l| format!("    - {}\n", &l[4..])).collect();
    std::fs::write(d.join("m.yaml"), format!("sources: [s.md]\ndefaults:\n  editions:\n{entries}")).unwrap();
    let run = run_with_budget(d, &["batch", "m.yaml", "--out", "out"], Duration::from_secs(30));
    assert_sane("manifest bomb", &run);
    assert_eq!(run.code, 1, "a manifest bomb is refused");
    assert!(run.stderr.contains("m.yaml:4:"), "located: {}", run.stderr);
    assert!(run.stderr.contains("an edition is a layout name"), "{}", run.stderr);
}

#[test]
fn an_oversized_source_is_refused_with_a_clear_message() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("huge.md");
    let f = std::fs::File::create(&file).unwrap();
    f.set_len(mimeo::source::MAX_SOURCE_BYTES + 1).unwrap();
    for args in [&["check", "huge.md"][..], &["build", "--format", "epub,txt", "huge.md"]] {
        let run = run_with_budget(dir.path(), args, Duration::from_secs(10));
        assert_eq!(run.code, 1);
        assert!(run.stderr.contains("huge.md: error:") && run.stderr.contains("MiB"), "{}", run.stderr);
    }
}

/// A drawing of 9,000 pixels a side under a wide blur, printed in colour
/// and in black only: what is drawn as pixels is capped, so it stays in
/// bounded time and memory (uncapped: 90 s and 2.8 GiB, 430 s and 12 GiB).
#[test]
fn a_huge_blurred_svg_picture_prints_in_bounded_time_and_memory() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("blur.svg"),
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"9000\" height=\"9000\">\
         <filter id=\"f\"><feGaussianBlur stdDeviation=\"50\"/></filter>\
         <rect width=\"9000\" height=\"9000\" fill=\"red\" filter=\"url(#f)\"/></svg>",
    )
    .unwrap();
    std::fs::write(dir.path().join("s.md"), format!("{FRONT}\nAnn: A picture.\n\n![A blur](blur.svg)\n"))
        .unwrap();
    let args = ["build", "s.md", "-f", "pdf", "-l", "a5", "-l", "a5-print", "--out", "out"];
    let run = run_with_budget(dir.path(), &args, Duration::from_secs(60));
    assert_sane("huge blurred svg", &run);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(dir.path().join("out/s/s-a5.pdf").exists() && dir.path().join("out/s/s-a5-print.pdf").exists());
}

// Depth (issue #29): every recursive reader is bounded before it
// recurses, or does not recurse. Each case is ten times the bound, run
// through the binary (the 8 MiB main-thread stack) and as a library call
// on a thread with a 2 MiB stack (a stack overflow aborts the test run).

/// Run `work` on a thread with a 2 MiB stack.
fn on_small_stack<T: Send + 'static>(work: impl FnOnce() -> T + Send + 'static) -> T {
    std::thread::Builder::new().stack_size(2 << 20).spawn(work).unwrap().join().unwrap()
}

/// An SVG picture of `depth` nested groups around a rectangle.
fn nested_svg(depth: usize) -> String {
    format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"10\" height=\"10\">\n{}<rect width=\"5\" height=\"5\"/>{}</svg>\n",
        "<g>".repeat(depth),
        "</g>".repeat(depth)
    )
}

/// A source in `dir` showing `picture`.
fn picture_source(dir: &Path, picture: &str) -> std::path::PathBuf {
    let path = dir.join("s.md");
    std::fs::write(&path, format!("{FRONT}\nAnn: A picture.\n\n![Deep]({picture})\n")).unwrap();
    path
}

/// Every edition of `source` that `layouts` make, as a library call.
fn render_all(source: &Path, layouts: &[&str]) -> Vec<Result<usize, String>> {
    let parsed = mimeo::source::parse_file(source).map_err(|e| format!("{e:?}"));
    let Ok(parsed) = parsed else { return vec![parsed.map(|_| 0)] };
    let options = mimeo::build::Options { epoch: 1_600_000_000, allow_missing_glyphs: true };
    layouts
        .iter()
        .map(|name| {
            let layout = mimeo::layout::load(name).unwrap();
            mimeo::build::render(&parsed.document, &layout, &options, None)
                .map(|out| out.bytes.len())
                .map_err(|e| e.to_string())
        })
        .collect()
}

#[test]
fn a_deep_svg_picture_is_refused_with_its_place() {
    let dir = tempfile::tempdir().unwrap();
    let depth = 10 * 128;
    std::fs::write(dir.path().join("deep.svg"), nested_svg(depth)).unwrap();
    let source = picture_source(dir.path(), "deep.svg");
    let args = ["build", "s.md", "-l", "a5", "-l", "a5-print", "-l", "epub", "--out", "out"];
    let run = run_with_budget(dir.path(), &args, Duration::from_secs(30));
    assert_sane("deep svg", &run);
    assert_eq!(run.code, 1, "{}", run.stderr);
    // Level 129 (`<svg>` is level 1) is the 128th `<g>`, at line 2, column 1 + 127 × 3.
    // Named as the source names it, beside the source's own place.
    let place = "nesting deeper than 128 levels at deep.svg:2:382";
    assert!(run.stderr.contains(place), "{}", run.stderr);
    assert!(!dir.path().join("out/s").exists());

    let results = on_small_stack(move || render_all(&source, &["a5", "a5-print", "epub"]));
    for result in results {
        let why = result.unwrap_err();
        assert!(why.contains("nesting deeper than 128 levels at"), "{why}");
    }
}

#[test]
fn an_svg_picture_at_the_depth_bound_is_read_on_a_small_stack() {
    let dir = tempfile::tempdir().unwrap();
    // `<svg>`, 126 groups and the rectangle: 128 levels. The EPUB and
    // the black-only PDF (pixels) take it; svg2pdf refuses more than 28
    // nested graphics states in a PDF's vectors, with an error.
    std::fs::write(dir.path().join("deep.svg"), nested_svg(126)).unwrap();
    let source = picture_source(dir.path(), "deep.svg");
    let results = on_small_stack(move || render_all(&source, &["a5", "a5-print", "epub"]));
    let [a5, print, epub] = results.as_slice() else { panic!("{results:?}") };
    assert!(
        a5.as_ref().is_ok_and(|n| *n > 0) || a5.as_ref().is_err_and(|e| e.contains("nesting depth")),
        "{a5:?}"
    );
    assert!(print.is_ok() && epub.is_ok(), "{results:?}");
    // A drawing as deep as real ones are prints in all three.
    std::fs::write(dir.path().join("deep.svg"), nested_svg(20)).unwrap();
    let source = dir.path().join("s.md");
    let results = on_small_stack(move || render_all(&source, &["a5", "a5-print", "epub"]));
    assert!(results.iter().all(Result::is_ok), "{results:?}");
}

/// `n` collections in a chain, each including the next; the last names a source.
fn collection_chain(dir: &Path, n: usize) {
    std::fs::write(dir.join("s.md"), format!("{FRONT}Ann: Hello.\n")).unwrap();
    for i in 0..n {
        let next = if i + 1 == n { "s.md".to_string() } else { format!("c{}.yaml", i + 1) };
        std::fs::write(dir.join(format!("c{i}.yaml")), format!("title: C{i}\nparts: [{next}]\n")).unwrap();
    }
}

#[test]
fn a_chain_of_collections_is_refused_past_its_depth() {
    let dir = tempfile::tempdir().unwrap();
    collection_chain(dir.path(), 640);
    for args in [&["check", "c0.yaml"][..], &["build", "c0.yaml", "--format", "txt", "--out", "out"]] {
        let run = run_with_budget(dir.path(), args, Duration::from_secs(30));
        assert_sane("collection chain", &run);
        assert_eq!(run.code, 1, "{}", run.stderr);
        assert!(
            run.stderr.contains("c63.yaml:2:9: error: collections nested deeper than 64 levels"),
            "{}",
            run.stderr
        );
    }
    assert!(!dir.path().join("out").exists());
    let path = dir.path().join("c0.yaml");
    let errors = on_small_stack(move || mimeo::source::parse_collection(&path).map(|_| ()).unwrap_err());
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert!(errors[0].message.contains("nested deeper than 64"), "{errors:?}");

    // At the bound, the chain is read, on a small stack too.
    let dir = tempfile::tempdir().unwrap();
    collection_chain(dir.path(), 64);
    let path = dir.path().join("c0.yaml");
    let parsed =
        on_small_stack(move || mimeo::source::parse_collection(&path).map(|p| p.collection.pieces.len()));
    assert_eq!(parsed.unwrap(), 1);
}

/// YAML nested ten times past serde_yaml's bound of 128 levels.
fn deep_yaml() -> String {
    format!("{}x{}", "[".repeat(1280), "]".repeat(1280))
}

#[test]
fn deep_yaml_is_refused_with_its_place_on_a_small_stack() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path().to_path_buf();
    std::fs::write(d.join("front.md"), format!("---\ntitle: Deep\nextra: {}\n---\nText.\n", deep_yaml()))
        .unwrap();
    // Where a typed key meets a list, serde_yaml refuses it before going
    // down; what it reads as any value (`extra:`, an edition entry, a
    // piece entry) meets the nesting bound.
    std::fs::write(d.join("layout.yaml"), format!("format: txt\ndescription: {}\n", deep_yaml())).unwrap();
    std::fs::write(
        d.join("manifest.yaml"),
        format!("sources: [front.md]\ndefaults:\n  editions: {}\n", deep_yaml()),
    )
    .unwrap();
    std::fs::write(d.join("book.yaml"), format!("title: Deep\nparts: {}\n", deep_yaml())).unwrap();
    std::fs::write(d.join("ok.md"), format!("{FRONT}Ann: Hello.\n")).unwrap();
    let messages = on_small_stack(move || {
        let front = mimeo::source::parse_file(&d.join("front.md")).unwrap_err().remove(0);
        let layout = mimeo::layout::load(&d.join("layout.yaml").to_string_lossy()).unwrap_err();
        let manifest = mimeo::batch::manifest::load(&d.join("manifest.yaml")).unwrap_err();
        let book = mimeo::source::parse_collection(&d.join("book.yaml")).unwrap_err().remove(0);
        [front, layout, manifest, book].map(|e| e.to_string())
    });
    for (message, file) in
        messages.iter().zip(["front.md:3", "layout.yaml:2", "manifest.yaml:3", "book.yaml:2"])
    {
        // Too deep, or (where a typed key meets a list) of the wrong kind.
        let refused = message.contains("nested too deeply") || message.contains("must be");
        assert!(message.contains(file) && refused, "{message}");
    }
    for (args, file) in [
        (&["check", "front.md"][..], "front.md"),
        (&["build", "-l", "layout.yaml", "ok.md", "--out", "out"], "layout.yaml"),
        (&["batch", "manifest.yaml", "--out", "out"], "manifest.yaml"),
        (&["check", "book.yaml"], "book.yaml"),
    ] {
        let run = run_with_budget(dir.path(), args, Duration::from_secs(30));
        assert_sane(file, &run);
        assert_eq!(run.code, 1, "{}", run.stderr);
        let refused = run.stderr.contains("nested too deeply") || run.stderr.contains("must be");
        assert!(run.stderr.contains(file) && refused, "{}", run.stderr);
    }
}

#[test]
fn deep_markdown_is_read_and_rendered_on_a_small_stack() {
    // Ten times the 48 levels kept (the binary's runs of 10,000 levels are above).
    let dir = tempfile::tempdir().unwrap();
    for (name, marker) in [("quotes", "> "), ("lists", "- "), ("ordered", "1. "), ("mixed", "> - ")] {
        let path = dir.path().join(format!("{name}.md"));
        std::fs::write(&path, format!("{FRONT}Ann: Hello.\n\n{}deep\n", marker.repeat(480))).unwrap();
        let results = on_small_stack(move || render_all(&path, &["a5", "epub", "zine-72"]));
        assert_eq!(results.len(), 3, "{name}: {results:?}");
        for result in results {
            assert!(result.is_ok(), "{name}: {result:?}");
        }
    }
}

#[test]
fn an_import_of_thirty_thousand_speakers_stays_linear() {
    // Each speaker is a participant of the written source, each turn a
    // place its check may warn about: a scan per lookup or per warning
    // made this take minutes (issue 28); linear, it takes seconds.
    let dir = tempfile::tempdir().unwrap();
    let mut text = String::from("A Very Long Meeting\n\n");
    for i in 0..60_000 {
        text.push_str(&format!("Speaker{}: turn {i} says a few words here.\n\n", i % 30_000));
    }
    std::fs::write(dir.path().join("speakers.txt"), text).unwrap();
    let run = run_with_budget(dir.path(), &["import", "speakers.txt"], Duration::from_secs(30));
    assert_sane("speakers", &run);
    assert_eq!(run.code, 0, "{}", run.stderr.lines().last().unwrap_or_default());
}
