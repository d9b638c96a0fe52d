//! Read-along e-books (issue 35): a real recording (espeak-ng speaks each
//! cue, ffmpeg joins the clips into an MP3), its WebVTT with the true cue
//! times, `mimeo import --timestamps`, `audio:` added, and the EPUB's Media
//! Overlays checked against the cues: every cue is a `par` whose clip is
//! the cue's times, the span it points at holds the cue's words, the
//! durations add up to the recording's length, and EPUBCheck (which checks
//! overlays) and Ace pass. Then the ways the input can be wrong.

mod common;

use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use common::{assert_epubcheck_clean, entries, entry, mimeo};

/// What the recording says: `(speaker, words)`, one cue each.
const CUES: [(&str, &str); 5] = [
    ("Ana", "Thank you both for coming."),
    ("Ana", "Let us begin with how the movement started."),
    ("Ben", "It began in the spring, in the squares."),
    ("Ben", "Within a week, thousands had joined."),
    ("Ana", "And what happened next?"),
];

fn tools() -> bool {
    let found =
        |tool: &str, flag: &str| Command::new(tool).arg(flag).output().is_ok_and(|o| o.status.success());
    common::installed(found("espeak-ng", "--version"), "espeak-ng", "apt-get install espeak-ng")
        && common::installed(found("ffmpeg", "-version"), "ffmpeg", "apt-get install ffmpeg")
}

/// The length of a media file in seconds, as ffprobe reads it.
fn probe_seconds(path: &Path) -> f64 {
    let out = Command::new("ffprobe")
        .args(["-v", "error", "-show_entries", "format=duration", "-of", "csv=p=0"])
        .arg(path)
        .output()
        .unwrap();
    String::from_utf8_lossy(&out.stdout).trim().parse().unwrap()
}

fn clock(ms: u64) -> String {
    format!("{:02}:{:02}:{:02}.{:03}", ms / 3_600_000, ms / 60_000 % 60, ms / 1000 % 60, ms % 1000)
}

fn ok(run: &Output) {
    assert!(run.status.success(), "{}", String::from_utf8_lossy(&run.stderr));
}

/// A spoken transcript in `dir`: `talk.mp3`, `talk.vtt`, and the cues'
/// times in milliseconds as the WebVTT gives them.
fn record(dir: &Path) -> Vec<(u64, u64)> {
    let mut list = String::new();
    let mut times = Vec::new();
    let mut vtt = String::from("WEBVTT\n\n");
    let mut at = 0.0f64;
    for (n, (speaker, words)) in CUES.iter().enumerate() {
        let wav = dir.join(format!("cue-{n}.wav"));
        ok(&Command::new("espeak-ng").arg("-w").arg(&wav).arg(words).output().unwrap());
        let length = probe_seconds(&wav);
        let (begin, end) = ((at * 1000.0).round() as u64, ((at + length) * 1000.0).round() as u64);
        at += length;
        times.push((begin, end));
        vtt.push_str(&format!("{}\n{} --> {}\n<v {speaker}>{words}\n\n", n + 1, clock(begin), clock(end)));
        list.push_str(&format!("file '{}'\n", wav.display()));
    }
    std::fs::write(dir.join("clips.txt"), list).unwrap();
    std::fs::write(dir.join("talk.vtt"), vtt).unwrap();
    let run = Command::new("ffmpeg")
        .args(["-v", "error", "-y", "-f", "concat", "-safe", "0", "-i"])
        .arg(dir.join("clips.txt"))
        .args(["-c:a", "libmp3lame", "-q:a", "4"])
        .arg(dir.join("talk.mp3"))
        .output()
        .unwrap();
    ok(&run);
    times
}

/// `talk.md` imported with its times, `audio: talk.mp3` added at the top
/// of the front matter.
fn import(dir: &Path) -> PathBuf {
    ok(&mimeo(dir, &["import", "talk.vtt", "--timestamps", "-o", "talk.md"]));
    let source = dir.join("talk.md");
    let text = std::fs::read_to_string(&source).unwrap();
    std::fs::write(&source, text.replacen("---\n", "---\naudio: talk.mp3\n", 1)).unwrap();
    source
}

fn build_epub(dir: &Path) -> Vec<u8> {
    ok(&mimeo(dir, &["build", "talk.md", "--format", "epub", "--out", "out"]));
    std::fs::read(dir.join("out/talk/talk.epub")).unwrap()
}

/// The `value` of attribute `name` in `tag`.
fn attribute<'a>(tag: &'a str, name: &str) -> &'a str {
    let at =
        tag.find(&format!(" {name}=\"")).unwrap_or_else(|| panic!("no {name} in {tag}")) + name.len() + 3;
    tag[at..].split('"').next().unwrap()
}

/// A clock value (`00:00:01.250`) in milliseconds.
fn ms(clock: &str) -> u64 {
    let (hms, fraction) = clock.split_once('.').unwrap();
    let parts: Vec<u64> = hms.split(':').map(|p| p.parse().unwrap()).collect();
    ((parts[0] * 60 + parts[1]) * 60 + parts[2]) * 1000 + fraction.parse::<u64>().unwrap()
}

#[test]
fn a_recording_and_its_subtitles_become_a_read_along_book() {
    if !tools() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let dir = dir.path();
    let times = record(dir);
    let source = import(dir);
    let written = std::fs::read_to_string(&source).unwrap();
    // The source keeps every cue's times, as a hand-typed one may.
    for (begin, end) in &times {
        assert!(written.contains(&format!("\\[{}-{}\\]", clock(*begin), clock(*end))), "{written}");
    }
    let check = mimeo(dir, &["check", "talk.md"]);
    ok(&check);
    let epub = build_epub(dir);
    let files = entries(&epub);

    // Every cue is a `par`: its span holds the cue's words, its clip the cue's times.
    let smil: Vec<&(String, String)> = files.iter().filter(|(n, _)| n.ends_with(".smil")).collect();
    assert_eq!(smil.len(), 1, "one SMIL file for the one content document with timed text");
    let pars: Vec<&str> = smil[0].1.split("<par ").skip(1).collect();
    assert_eq!(pars.len(), CUES.len(), "{}", smil[0].1);
    for (n, par) in pars.iter().enumerate() {
        let text = par.split("<text").nth(1).unwrap();
        let audio = par.split("<audio").nth(1).unwrap();
        assert_eq!(attribute(audio, "src"), "../audio/recording.mp3");
        assert_eq!((ms(attribute(audio, "clipBegin")), ms(attribute(audio, "clipEnd"))), times[n], "cue {n}");
        let (file, id) = attribute(text, "src").strip_prefix("../").unwrap().split_once('#').unwrap();
        let xhtml = entry(&files, file);
        let span = xhtml
            .split(&format!("<span id=\"{id}\" class=\"cue\">"))
            .nth(1)
            .unwrap_or_else(|| panic!("no element with id {id} in {file}"));
        assert_eq!(span.split("</span>").next().unwrap().trim(), CUES[n].1);
    }

    // The package: each overlay named on its document, durations that add up.
    let opf = entry(&files, "content.opf");
    let item = opf.lines().find(|l| l.contains("application/smil+xml")).unwrap();
    let smil_id = attribute(item, "id");
    let document = opf.lines().find(|l| l.contains(&format!("media-overlay=\"{smil_id}\""))).unwrap();
    assert!(document.contains("application/xhtml+xml"), "{document}");
    let durations: Vec<(bool, u64)> = opf
        .lines()
        .filter(|l| l.contains("property=\"media:duration\""))
        .map(|l| (l.contains("refines="), ms(l.split('>').nth(1).unwrap().split('<').next().unwrap())))
        .collect();
    let total: Vec<u64> = durations.iter().filter(|(r, _)| !r).map(|(_, d)| *d).collect();
    let each: u64 = durations.iter().filter(|(r, _)| *r).map(|(_, d)| d).sum();
    assert_eq!(total, [each], "{opf}");
    let clips: u64 = times.iter().map(|(b, e)| e - b).sum();
    assert_eq!(each, clips);
    // The cues run end to end, so the overlays play the whole recording
    // (an MP3 is a whole number of frames of 26 ms, plus the encoder's padding).
    let length = (probe_seconds(&dir.join("talk.mp3")) * 1000.0) as i64;
    assert!((length - each as i64).abs() < 80, "overlays {each} ms, recording {length} ms");
    assert!(opf.contains("<meta property=\"media:active-class\">-epub-media-overlay-active</meta>"));
    for name in ["Ana", "Ben"] {
        assert!(opf.contains(&format!("<meta property=\"media:narrator\">{name}</meta>")), "{opf}");
    }
    let css = entry(&files, "stylesheet.css");
    assert!(css.contains(".-epub-media-overlay-active {") && css.contains("prefers-color-scheme: dark"));

    // The recording, once, as it was.
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(&epub)).unwrap();
    let audio: Vec<String> = archive.file_names().filter(|n| n.ends_with(".mp3")).map(String::from).collect();
    assert_eq!(audio, ["OEBPS/audio/recording.mp3"]);
    let mut embedded = Vec::new();
    archive.by_name(&audio[0]).unwrap().read_to_end(&mut embedded).unwrap();
    assert!(embedded == std::fs::read(dir.join("talk.mp3")).unwrap());

    assert_epubcheck_clean(&epub, "readalong");
    let path = dir.join("readalong.epub");
    std::fs::write(&path, &epub).unwrap();
    if let Some(violations) = common::ace_violations(&path) {
        assert!(violations.is_empty(), "Ace: {violations:?}");
    }
    // Same input, same bytes.
    assert!(build_epub(dir) == epub);
}

#[test]
fn a_hand_typed_transcript_times_its_sentences_and_leaves_the_rest_silent() {
    if !tools() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let dir = dir.path();
    record(dir);
    // Times written by hand, shorter forms; the second paragraph untimed.
    let source = "---\ntitle: By hand\naudio: talk.mp3\nparticipants:\n  - name: Ana Lima\n    label: Ana\n---\n\n\
                  **Ana:** [0:00-0:01.5] Thank you both for coming. [0:01.5-0:04.2] Let us *begin*.\n\n\
                  This paragraph has no times.\n";
    std::fs::write(dir.join("talk.md"), source).unwrap();
    let epub = build_epub(dir);
    let files = entries(&epub);
    let xhtml =
        files.iter().find(|(n, t)| n.ends_with(".xhtml") && t.contains("cue-1")).map(|(_, t)| t).unwrap();
    assert!(
        xhtml.contains("<span id=\"cue-2\" class=\"cue\">Let us <em>begin</em>.</span>"),
        "markup stays inside the cue's span: {xhtml}"
    );
    assert!(xhtml.contains("<p>This paragraph has no times.</p>"), "{xhtml}");
    assert!(!xhtml.contains("[0:0"), "the marks leave the text: {xhtml}");
    let smil = files.iter().find(|(n, _)| n.ends_with(".smil")).map(|(_, t)| t).unwrap();
    assert!(smil.contains("clipBegin=\"00:00:01.500\" clipEnd=\"00:00:04.200\""), "{smil}");
    assert_epubcheck_clean(&epub, "readalong-by-hand");
}

/// `mimeo check` on `talk.md` after `edit`: its exit code and what it said.
fn check_after(dir: &Path, edit: impl Fn(String) -> String) -> (i32, String) {
    let source = dir.join("talk.md");
    let text = std::fs::read_to_string(&source).unwrap();
    std::fs::write(&source, edit(text.clone())).unwrap();
    let run = mimeo(dir, &["check", "talk.md"]);
    let build = mimeo(dir, &["build", "talk.md", "--format", "epub", "--out", "bad-out"]);
    std::fs::write(&source, text).unwrap();
    let said = String::from_utf8_lossy(&run.stderr).into_owned();
    if run.status.code() == Some(1) {
        assert_eq!(build.status.code(), Some(1), "build refuses what check refuses");
        assert!(!dir.join("bad-out").exists(), "nothing written");
    }
    (run.status.code().unwrap(), said)
}

/// The 1-based line and column of the first `needle` in `text`.
fn place(text: &str, needle: &str) -> String {
    let at = text.find(needle).unwrap();
    let line = text[..at].matches('\n').count() + 1;
    let column = text[..at].rsplit('\n').next().unwrap().chars().count() + 1;
    format!("talk.md:{line}:{column}")
}

#[test]
fn bad_recordings_and_times_are_refused_at_their_place() {
    if !tools() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let dir = dir.path();
    let times = record(dir);
    import(dir);
    let text = std::fs::read_to_string(dir.join("talk.md")).unwrap();
    let audio_at = place(&text, "audio:");

    // A missing file.
    let (code, said) = check_after(dir, |t| t.replace("audio: talk.mp3", "audio: gone.mp3"));
    assert_eq!(code, 1, "{said}");
    assert!(said.contains(&format!("{audio_at}: error: audio: cannot open `gone.mp3`")), "{said}");

    // Text that says it is an MP3.
    std::fs::write(dir.join("fake.mp3"), "WEBVTT\n\nthis is not a recording\n".repeat(200)).unwrap();
    let (code, said) = check_after(dir, |t| t.replace("audio: talk.mp3", "audio: fake.mp3"));
    assert_eq!(code, 1, "{said}");
    assert!(said.contains(&format!("{audio_at}: error: audio: `fake.mp3` is not MP3 audio")), "{said}");

    // Another format: refused with the way to convert it.
    let (code, said) = check_after(dir, |t| t.replace("audio: talk.mp3", "audio: cue-0.wav"));
    assert_eq!(code, 1, "{said}");
    assert!(said.contains("a `.wav` file; a read-along e-book takes MP3 or AAC in M4A"), "{said}");
    assert!(said.contains("hint: convert it, e.g. `ffmpeg -i cue-0.wav"), "{said}");

    // A time past the end of the recording.
    let last = format!("{}-{}", clock(times[4].0), clock(times[4].1));
    let late = format!("{}-00:00:30.000", clock(times[4].0));
    let (code, said) = check_after(dir, |t| t.replace(&last, &late));
    assert_eq!(code, 1, "{said}");
    let late_at = place(&text, &last);
    assert!(
        said.contains(&format!(
            "{late_at}: error: this cue ends at 00:00:30.000, past the end of the recording `talk.mp3`"
        )),
        "{said}"
    );

    // A cue that runs backwards.
    let first = format!("{}-{}", clock(times[0].0), clock(times[0].1));
    let backwards = format!("{}-{}", clock(times[0].1), clock(times[0].0));
    let (code, said) = check_after(dir, |t| t.replace(&first, &backwards));
    assert_eq!(code, 1, "{said}");
    assert!(said.contains(&format!("{}: error: this cue runs backwards", place(&text, &first))), "{said}");

    // Overlapping cues: a warning (people talk over each other).
    let second = format!("{}-{}", clock(times[1].0), clock(times[1].1));
    let early = format!("{}-{}", clock(times[1].0 - 500), clock(times[1].1));
    let (code, said) = check_after(dir, |t| t.replace(&second, &early));
    assert_eq!(code, 0, "{said}");
    assert!(said.contains(&format!("{}: warning: this cue starts at", place(&text, &second))), "{said}");
}

#[test]
fn a_large_recording_is_flagged_and_can_be_linked_instead() {
    if !tools() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let dir = dir.path();
    record(dir);
    let source = import(dir);
    // Past 50 MB: the MP3's header still says how long it is.
    let mut mp3 = std::fs::read(dir.join("talk.mp3")).unwrap();
    mp3.resize(mp3.len() + 50_000_000, 0);
    std::fs::write(dir.join("talk.mp3"), &mp3).unwrap();
    let run = mimeo(dir, &["build", "talk.md", "--format", "epub", "--out", "big"]);
    ok(&run);
    let said = String::from_utf8_lossy(&run.stderr);
    assert!(said.contains("warning: the recording `talk.mp3` is 50."), "{said}");
    assert!(said.contains("stores and Send to Kindle take e-books under 50 MB"), "{said}");

    std::fs::write(dir.join("linked.yaml"), "name: linked\nformat: epub\naudio: link\n").unwrap();
    // Linking needs the address: without it the recording is embedded, with a warning.
    let run = mimeo(dir, &["build", "talk.md", "--layout", "linked.yaml", "--out", "nourl"]);
    ok(&run);
    assert!(String::from_utf8_lossy(&run.stderr).contains("but the source gives no `audio-url:`"));

    let text = std::fs::read_to_string(&source).unwrap();
    let url = "https://example.org/talks/talk.mp3";
    std::fs::write(&source, text.replacen("---\n", &format!("---\naudio-url: {url}\n"), 1)).unwrap();
    let run = mimeo(dir, &["build", "talk.md", "--layout", "linked.yaml", "--out", "linked"]);
    ok(&run);
    assert!(!String::from_utf8_lossy(&run.stderr).contains("MB"), "no size warning when linked");
    let epub = std::fs::read(dir.join("linked/talk/talk-linked.epub")).unwrap();
    assert!(epub.len() < 1_000_000, "the recording stays out: {} bytes", epub.len());
    let files = entries(&epub);
    assert!(!files.iter().any(|(n, _)| n.ends_with(".mp3")));
    let opf = entry(&files, "content.opf");
    assert!(opf.contains(&format!("href=\"{url}\" media-type=\"audio/mpeg\"")), "{opf}");
    let smil = files.iter().find(|(n, _)| n.ends_with(".smil")).map(|(_, t)| t).unwrap();
    assert_eq!(smil.matches(&format!("<audio src=\"{url}\"")).count(), CUES.len());
    assert_epubcheck_clean(&epub, "readalong-linked");
}

#[test]
fn the_printed_edition_carries_a_qr_code_to_the_recording() {
    if !tools() || !common::print::tool("pdftoppm") || !common::print::tool("zbarimg") {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let dir = dir.path();
    let times = record(dir);
    let source = import(dir);
    let url = "https://example.org/talks/2026/talk.mp3";
    let text = std::fs::read_to_string(&source).unwrap();
    std::fs::write(&source, text.replacen("---\n", &format!("---\naudio-url: {url}\n"), 1)).unwrap();
    let a5 = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/layouts/a5.yaml")).unwrap();
    let with_qr: String = a5
        .lines()
        .map(|l| if l.starts_with("name:") { "name: a5-qr".to_string() } else { l.to_string() })
        .chain(["recording-qr: true".to_string(), "timecodes: margin".to_string()])
        .collect::<Vec<_>>()
        .join("\n");
    std::fs::write(dir.join("a5-qr.yaml"), with_qr).unwrap();
    let scan = |layout: &str| -> String {
        ok(&mimeo(dir, &["build", "talk.md", "--layout", layout, "--out", "print"]));
        let pdf = common::walk(&dir.join("print"))
            .into_iter()
            .find(|p| {
                p.file_name().is_some_and(|n| {
                    n.to_string_lossy().ends_with(&format!("{}.pdf", layout.trim_end_matches(".yaml")))
                })
            })
            .unwrap();
        let png = dir.join("colophon");
        ok(&Command::new("pdftoppm")
            .args(["-png", "-r", "150", "-singlefile", "-f", "4", "-l", "4"])
            .arg(&pdf)
            .arg(&png)
            .output()
            .unwrap());
        let run =
            Command::new("zbarimg").args(["-q", "--raw"]).arg(png.with_extension("png")).output().unwrap();
        String::from_utf8_lossy(&run.stdout).trim().to_string()
    };
    assert_eq!(scan("a5-qr.yaml"), url, "the colophon's code scans to the recording's address");
    // `timecodes: margin`: each turn's time in the outer margin, beside its first line.
    let pdf = dir.join("print/talk/talk-a5-qr.pdf");
    let boxes = Command::new("pdftotext").arg("-bbox").arg(&pdf).arg("-").output().unwrap();
    let boxes = String::from_utf8_lossy(&boxes.stdout);
    let number = |line: &str, key: &str| -> f64 {
        let at = line.find(&format!("{key}=\"")).unwrap() + key.len() + 2;
        line[at..].split('"').next().unwrap().parse().unwrap()
    };
    let page_width = number(boxes.lines().find(|l| l.contains("<page ")).unwrap(), "width");
    let word = |text: &str| {
        boxes
            .lines()
            .find(|l| l.contains(&format!(">{text}<")))
            .unwrap_or_else(|| panic!("no {text}: {boxes}"))
    };
    // Ben's turn opens with the third cue.
    let ben = &clock(times[2].0)[..8];
    let (time, said) = (word(ben), word("began"));
    assert!(number(time, "xMin") > number(said, "xMax") + 5.0, "in the margin: {time} / {said}");
    assert!(number(time, "xMax") < page_width, "{time}");
    assert!(
        (number(time, "yMax") - number(said, "yMax")).abs() < 3.0,
        "beside the turn's first line: {time} / {said}"
    );
    assert!(!boxes.contains(&format!(">[{ben}]<")), "not after the name as well");
    assert_eq!(scan("a5"), "", "no code unless the layout asks");
}
