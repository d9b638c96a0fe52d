//! Hostile names and interrupted builds: whatever a title, a source file
//! name or a layout name holds (`../`, `/`, `\`, NUL, control and bidi
//! characters, Windows device names), mimeo writes only inside `--out`,
//! under names safe on every file system; and a build stopped by SIGINT or
//! SIGTERM leaves no half-written file under a final name and no temporary
//! file.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

mod common;
use common::{mimeo, walk};

/// Windows device names, which no file may be called (whatever follows a dot).
fn is_reserved(name: &str) -> bool {
    let stem = name.split('.').next().unwrap_or_default().to_ascii_lowercase();
    matches!(stem.as_str(), "con" | "prn" | "aux" | "nul")
        || (stem.len() == 4
            && (stem.starts_with("com") || stem.starts_with("lpt"))
            && stem.as_bytes()[3].is_ascii_digit())
}

/// A name component mimeo made is safe: no separators, controls or
/// invisible format characters, no `..`, no device name, and hidden only
/// for its own bookkeeping (incremental-build hashes).
fn assert_safe_name(path: &Path, root: &Path) {
    for component in path.strip_prefix(root).unwrap().components() {
        let name = component.as_os_str().to_str().unwrap_or_else(|| panic!("{path:?} is not UTF-8"));
        assert!(!name.contains(['\\', '/', '\0', ':']), "{path:?}: separator in {name:?}");
        assert!(!name.chars().any(char::is_control), "{path:?}: control character in {name:?}");
        let invisible = |c: char| matches!(c, '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{FEFF}');
        assert!(!name.chars().any(invisible), "{path:?}: bidi or format character in {name:?}");
        assert!(name != "." && name != "..", "{path:?}");
        assert!(!name.starts_with('.') || name.ends_with(".mimeo-hash"), "{path:?}: hidden file {name:?}");
        assert!(!is_reserved(name), "{path:?}: {name:?} is a Windows device name");
        assert!(!name.ends_with(['.', ' ']), "{path:?}: {name:?} ends with a dot or space");
    }
}

/// File names a source may have on a Unix file system (anything but `/` and NUL).
const SOURCE_NAMES: &[&str] = &[
    "..md",
    "...md",
    "..\\..\\windows.md",
    "a\u{202E}dm.exe.md",
    "\u{2066}isolate\u{2069}.md",
    "ctrl\u{1}\u{7}\u{1b}[31mred.md",
    "tab\tand\nnewline.md",
    "CON.md",
    "com7.md",
    "LPT9.md",
    "nul.md",
    " .md",
    "-rf.md",
    "\u{FEFF}bom.md",
    "C:evil.md",
];

/// Titles (YAML double-quoted, so escapes work) and layout names.
const HOSTILE: &[&str] = &[
    "../../../../escape",
    "/etc/passwd",
    "..\\\\..\\\\windows",
    "nul\\0byte",
    "bell\\a\\x1b[2J",
    "\\u202Egnp.exe",
    "\\u2066\\u2067\\u2068",
    "CON",
    "COM9",
    "lpt4",
    "..",
    ".",
    "",
];

/// A work folder holding sources and layout files with hostile names.
fn hostile_tree(root: &Path) -> (PathBuf, Vec<String>, Vec<String>) {
    let work = root.join("work");
    std::fs::create_dir_all(work.join("layouts")).unwrap();
    let mut sources = Vec::new();
    for (i, name) in SOURCE_NAMES.iter().enumerate() {
        let title = HOSTILE[i % HOSTILE.len()];
        let text = format!(
            "---\ntitle: \"{title}x\"\nsubtitle: \"{title}\"\nparticipants:\n  - name: Ann\n    bio: Writes.\n---\n\nAnn: Hello from {i}.\n"
        );
        std::fs::write(work.join(name), text).unwrap();
        sources.push(format!("./{name}"));
    }
    let mut layouts = Vec::new();
    for (i, name) in HOSTILE.iter().enumerate() {
        let (format, extra) = if i % 2 == 0 { ("txt", "width: 60\n") } else { ("epub", "") };
        let file = format!("layouts/l{i}.yaml");
        std::fs::write(work.join(&file), format!("name: \"{name}\"\nformat: {format}\n{extra}")).unwrap();
        layouts.push(file);
    }
    (work, sources, layouts)
}

/// Everything written is inside `work/out` (or an input we wrote), and
/// safely named.
fn assert_contained(root: &Path, inputs: &[PathBuf]) {
    let out = root.join("work/out");
    let mut editions = 0;
    for path in walk(root) {
        if inputs.contains(&path) {
            continue;
        }
        assert!(path.starts_with(&out), "written outside --out: {path:?}");
        assert_safe_name(&path, &out);
        editions += 1;
    }
    assert!(editions > 0, "something was built");
}

#[test]
fn hostile_titles_file_names_and_layout_names_stay_inside_out() {
    let root = tempfile::tempdir().unwrap();
    let (work, sources, layouts) = hostile_tree(root.path());
    let inputs = walk(root.path());

    // One build per layout and source: hostile names may slug alike, and
    // two layouts or two sources that would write the same file are
    // refused (tested elsewhere).
    for layout in &layouts {
        for source in &sources {
            let args = ["build", "--out", "out", "--layout", layout.as_str(), source.as_str()];
            let output = mimeo(&work, &args);
            let stderr = String::from_utf8_lossy(&output.stderr);
            assert!(!stderr.contains("panicked"), "{stderr}");
            // Every source got its edition (none failed for its name).
            assert_eq!(output.status.code(), Some(0), "{layout} {source}: {stderr}");
        }
    }
    assert_contained(root.path(), &inputs);
    let txt = walk(&work.join("out")).iter().filter(|p| p.extension().is_some_and(|e| e == "txt")).count();
    assert!(txt >= SOURCE_NAMES.len(), "{txt} text editions");
}

#[test]
fn hostile_names_in_a_batch_stay_inside_out() {
    let root = tempfile::tempdir().unwrap();
    let (work, _, layouts) = hostile_tree(root.path());
    // Names that slug alike would be one output written twice, which a
    // manifest refuses (tested below): keep one of each.
    std::fs::remove_file(work.join("...md")).unwrap();
    std::fs::remove_file(work.join(" .md")).unwrap();
    let layouts = &layouts[..10];
    let quoted = |s: &str| format!("\"{}\"", s.escape_default());
    let manifest = format!(
        "defaults:\n  editions: [{}]\nsources:\n  - \"*.md\"\n",
        layouts.iter().map(|l| quoted(l)).collect::<Vec<_>>().join(", ")
    );
    std::fs::write(work.join("m.yaml"), manifest).unwrap();
    let inputs = walk(root.path());
    let output = mimeo(&work, &["batch", "m.yaml", "--out", "out", "--quiet"]);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(0), "{stderr}");
    assert_contained(root.path(), &inputs);

    // Names that point out of the folder are refused before anything is built.
    std::fs::write(work.join("layouts/book.yaml"), "name: book\nformat: epub\n").unwrap();
    for pattern in
        ["../{source}.{ext}", "/tmp/{source}.{ext}", "{source}/../../{layout}.{ext}", "a/./../../b.{ext}"]
    {
        let manifest = format!(
            "defaults:\n  editions: [layouts/book.yaml]\n  name: \"{pattern}\"\nsources: [\"*.md\"]\n"
        );
        std::fs::write(work.join("escape.yaml"), manifest).unwrap();
        let output = mimeo(&work, &["batch", "escape.yaml", "--out", "elsewhere"]);
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(1), "{pattern}: {stderr}");
        assert!(stderr.contains("inside the output folder"), "{pattern}: {stderr}");
        assert!(!work.join("elsewhere").exists(), "{pattern}: built something");
    }
}

/// A source big enough that building it takes a while: many turns of
/// ordinary prose.
fn big_source() -> String {
    let mut text = String::from(
        "---\ntitle: Interrupted\nparticipants:\n  - name: Ann Lee\n    bio: Asks.\n  - name: Bo Chan\n    bio: Answers.\ninterviewer: Ann\n---\n\n",
    );
    for q in 0..60 {
        text.push_str(&format!("## Question {q} about the movement?\n\n"));
        for t in 0..20 {
            let speaker = if t % 2 == 0 { "Ann" } else { "Bo" };
            text.push_str(&format!("{speaker}: "));
            for w in 0..120 {
                text.push_str(
                    ["solidarity ", "organising ", "the ", "workers' ", "council ", "and "][(q + t + w) % 6],
                );
            }
            text.push_str("end.\n\n");
        }
    }
    text
}

#[cfg(unix)]
#[test]
fn interrupted_builds_leave_no_partial_files() {
    let root = tempfile::tempdir().unwrap();
    let dir = root.path();
    for i in 0..4 {
        std::fs::write(dir.join(format!("s{i}.md")), big_source()).unwrap();
    }
    // An EPUB layout without a page list (which would need the PDF edition).
    std::fs::write(dir.join("book.yaml"), "name: book\nformat: epub\n").unwrap();
    let editions =
        "defaults:\n  editions: [book.yaml, zine-72, zine-64, screen-80, two-column]\nsources: [\"*.md\"]\n";
    std::fs::write(dir.join("m.yaml"), editions).unwrap();
    // What a whole run writes: every file an interrupted run leaves under
    // a final name must be exactly this.
    let whole = mimeo(dir, &["batch", "m.yaml", "--out", "whole", "--quiet"]);
    assert!(whole.status.success(), "{}", String::from_utf8_lossy(&whole.stderr));
    let reference: Vec<PathBuf> = walk(&dir.join("whole"));
    assert!(reference.len() >= 20, "{reference:?}");

    let mut interrupted = 0;
    for (n, (signal, delay_ms)) in [
        (libc::SIGINT, 50),
        (libc::SIGTERM, 150),
        (libc::SIGINT, 300),
        (libc::SIGTERM, 600),
        (libc::SIGINT, 1000),
    ]
    .into_iter()
    .enumerate()
    {
        let out = format!("out{n}");
        let (command, args): (&str, Vec<&str>) = if n % 2 == 0 {
            ("batch", vec!["batch", "m.yaml", "--out", &out, "--quiet", "--force"])
        } else {
            (
                "build",
                vec![
                    "build",
                    "-l",
                    "book.yaml",
                    "-l",
                    "zine-72",
                    "--out",
                    &out,
                    "s0.md",
                    "s1.md",
                    "s2.md",
                    "s3.md",
                ],
            )
        };
        let mut child = Command::new(env!("CARGO_BIN_EXE_mimeo"))
            .args(&args)
            .current_dir(dir)
            .env("SOURCE_DATE_EPOCH", "1600000000")
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        std::thread::sleep(std::time::Duration::from_millis(delay_ms));
        // SAFETY: sending a signal to our own child process.
        unsafe { libc::kill(child.id() as i32, signal) };
        let status = child.wait().unwrap();
        if status.code() == Some(130) {
            interrupted += 1;
        }
        let out_dir = dir.join(&out);
        let written = if out_dir.exists() { walk(&out_dir) } else { Vec::new() };
        for path in written {
            let name = path.file_name().unwrap().to_string_lossy().into_owned();
            assert!(
                !name.ends_with(".part"),
                "{command} after signal {signal}: temporary file left: {path:?}"
            );
            let relative = path.strip_prefix(&out_dir).unwrap();
            let expected = dir.join("whole").join(relative);
            if name.ends_with(".mimeo-hash") {
                continue;
            }
            let bytes = std::fs::read(&path).unwrap();
            if expected.exists() {
                assert!(
                    bytes == std::fs::read(&expected).unwrap(),
                    "{command}: {relative:?} is not complete"
                );
            } else {
                // `build` names editions as batch does; anything else must
                // still be whole.
                assert!(!bytes.is_empty(), "{command}: {relative:?} is empty");
            }
        }
    }
    assert!(interrupted > 0, "no run was interrupted while working");
}

// Documents the fuzzers found (README, Fuzzing: `cargo fuzz run text`, `pdf`).

/// Every line of a text edition fits `width` display columns.
fn assert_fits(text: &str, width: usize) {
    for (n, line) in text.split('\n').enumerate() {
        let line = line.strip_prefix('\u{C}').unwrap_or(line);
        let w = mimeo::backend::text::width(line);
        assert!(w <= width, "line {} is {w} wide (> {width}): {line:?}", n + 1);
    }
}

/// fuzz `text`: an ordered list starting at a number wider than the
/// measure printed its marker past the right margin.
#[test]
fn a_list_number_wider_than_the_measure_is_cut_to_fit() {
    use mimeo::model::BlockKind;
    let source = "---\ntitle: T\n---\n\n1. one\n2. two\n";
    let mut doc = mimeo::source::parse_bytes(Path::new("t.md"), source.as_bytes()).unwrap().document;
    let list = doc.introduction.iter_mut().find_map(|b| match &mut b.kind {
        BlockKind::List(list) => Some(list),
        _ => None,
    });
    list.expect("a list").start = Some(12_671_476_449_774_000_520);
    let mimeo::layout::Settings::Txt(layout) =
        mimeo::layout::parse(Path::new("n.yaml"), "format: txt\nwidth: 20\npage-height: 24\n", None)
            .unwrap()
            .settings
    else {
        unreachable!()
    };
    let ctx = mimeo::backend::Context { epoch: 0, ..Default::default() };
    let output = mimeo::backend::text::render(&doc, &layout, &ctx).unwrap();
    let text = String::from_utf8(output.bytes).unwrap();
    assert_fits(&text, 20);
    assert!(text.contains("12671476449774000"), "the number is kept: {text}");
}

/// `tests/limits.rs`: a 10 MB paragraph took 1.2 GB to set, as the line
/// breaker keeps every feasible break; it is now set in pieces, and no word
/// is lost or reordered at their seams.
#[test]
fn a_paragraph_longer_than_a_piece_keeps_every_word_in_order() {
    let words: Vec<String> = (0..30_000).map(|i| format!("w{i}")).collect();
    let lines = mimeo::backend::text::fill(&words.join(" "), 60, "en", mimeo::layout::Align::Justify);
    assert_fits(&lines.join("\n"), 60);
    let set: Vec<&str> = lines.iter().flat_map(|l| l.split_whitespace()).collect();
    assert_eq!(set, words, "every word, once, in order");
    assert!(lines.iter().all(|l| !l.starts_with(' ') && !l.ends_with(' ')), "no stray spaces at the seams");
}

/// fuzz `text`: text glued to a link whose URL has a space (`<x y>` form)
/// made two words with no break between, each cut to the measure alone,
/// and their line ran past the margin.
#[test]
fn text_glued_to_a_link_fits_the_measure() {
    // `<x mailto:a@b>` is not a followable URL, so it is set as its text
    // alone; the glued case still matters for a real link beside it.
    let source = "---\ntitle: T\n---\n\nSee [t](<x mailto:a@b>)bbbbbbbbbbbbbbbbbbbbbbbbbbbbbb.\n\n\
                  And [u](<a b c>)*______________________________*.\n\n\
                  Also [v](<mailto:a@b.example>)cccccccccccccccccccccccccccccc.\n";
    let doc = mimeo::source::parse_bytes(Path::new("t.md"), source.as_bytes()).unwrap().document;
    for align in ["justify", "ragged"] {
        // Addresses inline, glued to the text that follows them.
        let yaml = format!("format: txt\nwidth: 33\nalign: {align}\nlinks: inline\n");
        let mimeo::layout::Settings::Txt(layout) =
            mimeo::layout::parse(Path::new("n.yaml"), &yaml, None).unwrap().settings
        else {
            unreachable!()
        };
        let ctx = mimeo::backend::Context { epoch: 0, ..Default::default() };
        let output = mimeo::backend::text::render(&doc, &layout, &ctx).unwrap();
        let text = String::from_utf8(output.bytes).unwrap();
        assert_fits(&text, 33);
        assert!(text.contains("tbbbbbbbbbb"), "{text}");
        assert!(text.contains("<a@b.example>ccc"), "{text}");
    }
}

/// fuzz `text`: a run of Hangul leading jamo is one grapheme cluster
/// however long; wider than the measure it could not be cut, and the
/// title frame's centring subtracted past zero (a panic).
#[test]
fn a_grapheme_cluster_wider_than_the_measure_is_cut() {
    let jamo = "\u{1100}".repeat(19);
    let source = format!(
        "---\ntitle: \"{jamo}\"\nparticipants:\n  - name: \"{jamo}\"\n    role: interviewer\n---\n\n\
         Hello {jamo}.\n\n```\n{jamo}\n```\n"
    );
    let doc = mimeo::source::parse_bytes(Path::new("t.md"), source.as_bytes()).unwrap().document;
    let mimeo::layout::Settings::Txt(layout) =
        mimeo::layout::parse(Path::new("n.yaml"), "format: txt\nwidth: 21\n", None).unwrap().settings
    else {
        unreachable!()
    };
    let ctx = mimeo::backend::Context { epoch: 0, ..Default::default() };
    let output = mimeo::backend::text::render(&doc, &layout, &ctx).unwrap();
    let text = String::from_utf8(output.bytes).unwrap();
    assert_fits(&text, 21);
    let kept = text.matches('\u{1100}').count();
    assert!(kept >= 19 * 4, "the jamo are kept ({kept}): {text}");
}

/// fuzz `pdf`: a note mark before a word wider than the measure left a
/// break with no box after it; the line breaker took it and the next line
/// ended before it started (a panic slicing the line).
#[test]
fn a_note_mark_before_a_word_wider_than_the_measure_is_set() {
    let word = "x".repeat(150);
    let source = format!("---\ntitle: T\n---\n\n- one\n- [^1]`{word}`**x**\n\n[^1]: A note.\n");
    let doc = mimeo::source::parse_bytes(Path::new("t.md"), source.as_bytes()).unwrap().document;
    let yaml = "format: pdf\npage: { width: 43mm, height: 497mm }\n\
                margins: { top: 1mm, bottom: 38mm, inside: 6mm, outside: 28mm }\n\
                body: { size: 36pt, leading: 40pt, align: ragged }\n";
    let mimeo::layout::Settings::Pdf(layout) =
        mimeo::layout::parse(Path::new("n.yaml"), yaml, None).unwrap().settings
    else {
        unreachable!()
    };
    let ctx = mimeo::backend::Context { epoch: 0, ..Default::default() };
    let output = mimeo::backend::pdf::render(&doc, &layout, &ctx).expect("the edition is set");
    let pdf = lopdf::Document::load_mem(&output.bytes).expect("the PDF parses");
    assert!(pdf.get_pages().len() >= 2);
}

/// fuzz `pdf`: an ordered list starting at the largest number there is
/// overflowed counting its second item (documents built in code; the
/// parser takes at most nine digits).
#[test]
fn a_list_starting_at_the_largest_number_is_printed() {
    use mimeo::model::BlockKind;
    let source = "---\ntitle: T\n---\n\n1. one\n2. two\n";
    let mut doc = mimeo::source::parse_bytes(Path::new("t.md"), source.as_bytes()).unwrap().document;
    let list = doc.introduction.iter_mut().find_map(|b| match &mut b.kind {
        BlockKind::List(list) => Some(list),
        _ => None,
    });
    list.expect("a list").start = Some(u64::MAX);
    let layout = match mimeo::layout::load("a5").unwrap().settings {
        mimeo::layout::Settings::Pdf(layout) => layout,
        _ => unreachable!(),
    };
    let ctx = mimeo::backend::Context { epoch: 0, ..Default::default() };
    let output = mimeo::backend::pdf::render(&doc, &layout, &ctx).expect("the edition is set");
    lopdf::Document::load_mem(&output.bytes).expect("the PDF parses");
}

/// Run mimeo in `dir`, killing it after `seconds`: a hang is a failure,
/// not a stuck test run.
fn mimeo_within(dir: &Path, args: &[&str], seconds: u64) -> (i32, String) {
    let stderr_path = dir.join(format!(".stderr-{}", std::process::id()));
    let mut child = Command::new(env!("CARGO_BIN_EXE_mimeo"))
        .args(args)
        .current_dir(dir)
        .env("SOURCE_DATE_EPOCH", "1600000000")
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(std::fs::File::create(&stderr_path).unwrap())
        .spawn()
        .unwrap();
    let started = std::time::Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if started.elapsed() > std::time::Duration::from_secs(seconds) {
            let _ = child.kill();
            let _ = child.wait();
            panic!("mimeo {args:?} hung (killed after {seconds} s)");
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
    };
    let stderr = std::fs::read_to_string(&stderr_path).unwrap();
    std::fs::remove_file(&stderr_path).unwrap();
    (status.code().unwrap_or(-1), stderr)
}

/// Make a FIFO at `path` (nothing ever writes to it: reading would hang).
#[cfg(unix)]
fn fifo(path: &Path) {
    let name = std::ffi::CString::new(path.as_os_str().as_encoded_bytes()).unwrap();
    // SAFETY: a valid NUL-terminated path.
    assert_eq!(unsafe { libc::mkfifo(name.as_ptr(), 0o644) }, 0, "mkfifo {}", path.display());
}

/// A PDF layout whose regular face is the file `font`.
fn font_layout(font: &str) -> String {
    format!(
        "name: font\nformat: pdf\npage: {{ width: 148mm, height: 210mm }}\n\
         margins: {{ top: 16mm, bottom: 19mm, inside: 17mm, outside: 14mm }}\n\
         body: {{ size: 10pt, leading: 13pt }}\nfonts: {{ regular: {font} }}\n"
    )
}

const SHORT: &str =
    "---\ntitle: Short\nparticipants:\n  - name: Ann\n    bio: Ann.\n---\nIntro.\n\nAnn: An answer.\n";

/// A refusal: exit 1 at once, one message naming `file` and saying why,
/// and no edition written.
fn assert_refused(dir: &Path, args: &[&str], file: &str, why: &str) {
    let (code, stderr) = mimeo_within(dir, args, 20);
    assert_eq!(code, 1, "{args:?}: {stderr}");
    assert!(stderr.contains(file) && stderr.contains(why), "{args:?}: {stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert!(!dir.join("out").exists(), "{args:?} wrote something");
}

#[cfg(unix)]
#[test]
fn fifos_named_as_any_input_are_refused_without_hanging() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    fifo(&d.join("pipe.md"));
    fifo(&d.join("pipe.yaml"));
    fifo(&d.join("pipe.ttf"));
    fifo(&d.join("pipe.png"));
    std::fs::write(d.join("s.md"), SHORT).unwrap();
    let pipe = "a named pipe (FIFO), not a regular file";
    // A source, a layout, a manifest, a collection.
    assert_refused(d, &["build", "--out", "out", "pipe.md"], "pipe.md", pipe);
    assert_refused(d, &["build", "--out", "out", "-l", "pipe.yaml", "s.md"], "pipe.yaml", pipe);
    assert_refused(d, &["batch", "--out", "out", "pipe.yaml"], "pipe.yaml", pipe);
    assert_refused(d, &["check", "pipe.yaml"], "pipe.yaml", pipe);
    // A collection's piece.
    std::fs::write(d.join("book.yaml"), "title: Book\nparts: [s.md, pipe.md]\n").unwrap();
    assert_refused(d, &["build", "--out", "out", "book.yaml"], "pipe.md", pipe);
    // A layout's font file.
    std::fs::write(d.join("font.yaml"), font_layout("pipe.ttf")).unwrap();
    assert_refused(d, &["build", "--out", "out", "-l", "font.yaml", "s.md"], "pipe.ttf", pipe);
    // A picture (a link to the FIFO with a picture's name, too).
    std::fs::write(d.join("p.md"), format!("{SHORT}\n![A pipe](pipe.png)\n")).unwrap();
    assert_refused(d, &["build", "--out", "out", "p.md"], "pipe.png", "not a ");
    // A transcript to import.
    assert_refused(d, &["import", "pipe.md", "-o", "out"], "pipe.md", pipe);
}

#[cfg(unix)]
#[test]
fn devices_named_as_a_font_or_a_layout_are_refused_before_any_read() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let device = "a character device, not a regular file";
    std::fs::write(d.join("s.md"), SHORT).unwrap();
    // /dev/zero as a font: never read (it would fill the memory).
    std::fs::write(d.join("font.yaml"), font_layout("/dev/zero")).unwrap();
    assert_refused(d, &["build", "--out", "out", "-l", "font.yaml", "s.md"], "/dev/zero", device);
    // /dev/zero as a layout named in the front matter, and through a link.
    std::fs::write(d.join("z.md"), SHORT.replace("title: Short", "title: Z\nlayouts: [/dev/zero]")).unwrap();
    assert_refused(d, &["build", "--out", "out", "z.md"], "/dev/zero", device);
    std::os::unix::fs::symlink("/dev/zero", d.join("zero.yaml")).unwrap();
    assert_refused(d, &["build", "--out", "out", "-l", "zero.yaml", "s.md"], "zero.yaml", device);
    // A folder as a layout.
    std::fs::create_dir(d.join("folder.yaml")).unwrap();
    assert_refused(d, &["build", "--out", "out", "-l", "folder.yaml", "s.md"], "folder.yaml", "a folder");
}

#[test]
fn a_layout_past_its_size_limit_is_refused_naming_the_limit() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    std::fs::write(d.join("s.md"), SHORT).unwrap();
    let mut big = String::from("name: big\nformat: txt\n");
    big.push_str(&"# padding\n".repeat(120_000));
    std::fs::write(d.join("big.yaml"), big).unwrap();
    assert_refused(
        d,
        &["build", "--out", "out", "-l", "big.yaml", "s.md"],
        "big.yaml",
        "it is 2 MiB; mimeo reads layout files up to 1 MiB",
    );
}

/// The batch named in issue #29: an edition named like the manifest,
/// written into the manifest's folder, would replace it with a zine.
#[test]
fn a_batch_never_writes_over_a_file_it_reads() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    std::fs::write(d.join("s.md"), SHORT).unwrap();
    let manifest = "defaults:\n  editions: [zine-72]\n  name: \"m.yaml\"\nsources: [s.md]\n";
    std::fs::write(d.join("m.yaml"), manifest).unwrap();
    let (code, stderr) = mimeo_within(d, &["batch", "m.yaml", "--out", "."], 30);
    assert_eq!(code, 1, "{stderr}");
    assert!(stderr.contains("would replace") && stderr.contains("m.yaml (the manifest)"), "{stderr}");
    assert_eq!(std::fs::read_to_string(d.join("m.yaml")).unwrap(), manifest, "the manifest is untouched");
    assert_eq!(walk(d).len(), 2, "nothing was written: {:?}", walk(d));

    // A source, a layout file and a picture are inputs too.
    std::fs::write(d.join("l.yaml"), "name: l\nformat: txt\nwidth: 72\n").unwrap();
    for (name, read) in [("s.md", "s.md (a source)"), ("l.yaml", "l.yaml (read for the layout `l`)")] {
        let m = format!("defaults:\n  editions: [l.yaml]\n  name: \"{name}\"\nsources: [s.md]\n");
        std::fs::write(d.join("m.yaml"), &m).unwrap();
        let (code, stderr) = mimeo_within(d, &["batch", "m.yaml", "--out", "."], 30);
        assert_eq!(code, 1, "{stderr}");
        assert!(stderr.contains(read), "{name}: {stderr}");
    }
    assert_eq!(std::fs::read_to_string(d.join("s.md")).unwrap(), SHORT);
}
