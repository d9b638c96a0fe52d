//! Translations (issue 31), through the binary: alignment errors placed
//! in both files, stale turns after the original changes, the skeleton
//! and its count, PO export and merge (and `msgfmt --check`), and the
//! bilingual zine, on English+Persian and English+Chinese pairs.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

const FIXTURES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/translate");
const LABELS_EN: [&str; 3] = ["Niloofar:", "Ana:", "Sardar:"];
const LABELS_FA: [&str; 3] = ["نیلوفر:", "آنا:", "سردار:"];
const LABELS_ZH: [&str; 3] = ["尼卢法尔:", "安娜:", "萨达尔:"];

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

/// A temporary folder holding the fixtures.
fn workspace() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for name in ["talk.md", "talk-fa.md", "talk-zh.md"] {
        std::fs::copy(Path::new(FIXTURES).join(name), dir.path().join(name)).unwrap();
    }
    dir
}

fn edit(path: &Path, from: &str, to: &str) {
    let text = std::fs::read_to_string(path).unwrap();
    assert!(text.contains(from), "{from:?} is not in {}", path.display());
    std::fs::write(path, text.replacen(from, to, 1)).unwrap();
}

/// `check` with only the text edition, which is all these tests need of the build.
fn check(dir: &Path, file: &str) -> Output {
    mimeo(dir, &["check", file, "--format", "txt"])
}

#[test]
fn aligned_pairs_pass_and_count_their_turns() {
    let dir = workspace();
    for file in ["talk-fa.md", "talk-zh.md"] {
        let out = check(dir.path(), file);
        assert!(out.status.success(), "{file}: {}", stderr(&out));
        assert!(
            stdout(&out).contains("a translation of talk.md: 6 of 6 turns translated"),
            "{}",
            stdout(&out)
        );
        // Never marked: one warning says how to record the original.
        assert!(stderr(&out).contains(&format!("mimeo translate mark {file}")), "{}", stderr(&out));
    }
}

#[test]
fn a_missing_turn_is_located_in_both_files() {
    let dir = workspace();
    let fa = dir.path().join("talk-fa.md");
    edit(&fa, "سردار: در آمد با مجمع‌های محله آغاز شد.\n\n", "");
    let out = check(dir.path(), "talk-fa.md");
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let err = stderr(&out);
    let expected =
        "section 1: the original has 3 turns, this has 2; turn 3 (Sardar) at talk.md:26:1 has no counterpart";
    assert!(err.contains(expected), "{err}");
    // Placed in the translation where the turn would go: after the section's last turn.
    assert!(err.contains("talk-fa.md:23:1: error: section 1"), "{err}");
    assert_eq!(err.matches("error:").count(), 1, "{err}");

    // A turn given to the wrong speaker: one missing, one extra, both placed.
    let zh = dir.path().join("talk-zh.md");
    edit(&zh, "萨达尔：跨越国界", "安娜：跨越国界");
    let err = stderr(&check(dir.path(), "talk-zh.md"));
    assert!(err.contains("turn 2 (Sardar) at talk.md:32:1 has no counterpart"), "{err}");
    assert!(err.contains("talk-zh.md:38:1: error: section 2: the speakers differ from the original's; turn 2 (安娜) here has no counterpart"), "{err}");
}

#[test]
fn participants_are_matched_by_place_or_same_as() {
    let dir = workspace();
    let zh = dir.path().join("talk-zh.md");
    edit(&zh, "same-as: Niloofar", "same-as: Nilofar");
    let out = check(dir.path(), "talk-zh.md");
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(err.contains("talk-zh.md:7:1: error: `same-as: Nilofar`"), "{err}");
    assert!(err.contains("did you mean `Niloofar Golkar`?"), "{err}");
}

#[test]
fn editing_one_turn_of_the_original_warns_about_that_turn_only() {
    let dir = workspace();
    let out = mimeo(dir.path(), &["translate", "mark", "talk-fa.md"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let out = check(dir.path(), "talk-fa.md");
    assert!(out.status.success());
    assert!(!stderr(&out).contains("translated"), "{}", stderr(&out));

    edit(&dir.path().join("talk.md"), "Solidarity across borders.", "Solidarity beyond every border.");
    let out = check(dir.path(), "talk-fa.md");
    assert!(out.status.success(), "warnings do not fail check");
    let err = stderr(&out);
    let stale: Vec<&str> = err.lines().filter(|l| l.contains("since it was translated")).collect();
    assert_eq!(stale.len(), 1, "{err}");
    assert!(
        stale[0].starts_with("talk-fa.md:")
            && stale[0].contains(
                ":1: warning: turn 2 of section 2 (Sardar) changed in the original (at talk.md:32:1) since it was translated"
            ),
        "{err}"
    );
    assert!(err.contains("then run `mimeo translate mark talk-fa.md`"), "{err}");
    assert_eq!(
        mimeo(dir.path(), &["check", "talk-fa.md", "--format", "txt", "--strict"]).status.code(),
        Some(1)
    );

    // Marking again makes it current.
    assert!(mimeo(dir.path(), &["translate", "mark", "talk-fa.md"]).status.success());
    assert!(!stderr(&check(dir.path(), "talk-fa.md")).contains("since it was translated"));
}

#[test]
fn mark_refuses_a_misaligned_translation() {
    let dir = workspace();
    let fa = dir.path().join("talk-fa.md");
    edit(&fa, "نیلوفر: از هر دوی شما سپاسگزارم.\n", "");
    let before = std::fs::read(&fa).unwrap();
    let out = mimeo(dir.path(), &["translate", "mark", "talk-fa.md"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("turn 3 (Niloofar) at talk.md:34:1 has no counterpart"),
        "{}",
        stderr(&out)
    );
    assert_eq!(std::fs::read(&fa).unwrap(), before, "nothing written");
}

#[test]
fn start_writes_a_skeleton_that_check_counts() {
    let dir = workspace();
    let out = mimeo(dir.path(), &["translate", "start", "talk.md", "--to", "fa", "-o", "new-fa.md"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let out = check(dir.path(), "new-fa.md");
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stdout(&out).contains("0 of 6 turns translated"), "{}", stdout(&out));
    assert!(!stderr(&out).contains("since it was translated"), "a skeleton is marked: {}", stderr(&out));

    let skeleton = dir.path().join("new-fa.md");
    edit(&skeleton, "Thank you both.", "از هر دوی شما سپاسگزارم.");
    assert!(stdout(&check(dir.path(), "new-fa.md")).contains("1 of 6 turns translated"));

    // Never over an existing file.
    let before = std::fs::read(&skeleton).unwrap();
    let out = mimeo(dir.path(), &["translate", "start", "talk.md", "--to", "fa", "-o", "new-fa.md"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("new-fa.md already exists"), "{}", stderr(&out));
    assert_eq!(std::fs::read(&skeleton).unwrap(), before);
    // The default name, beside the original.
    let out = mimeo(dir.path(), &["translate", "start", "talk.md", "--to", "zh-Hans"]);
    assert!(out.status.success() && dir.path().join("talk-zh-Hans.md").is_file(), "{}", stderr(&out));
    // A bad language tag, or the original's own language.
    for bad in ["english", "en"] {
        let out = mimeo(dir.path(), &["translate", "start", "talk.md", "--to", bad, "-o", "x.md"]);
        assert_eq!(out.status.code(), Some(1));
        assert!(!dir.path().join("x.md").exists());
    }
}

fn msgfmt_check(po: &Path) {
    let required = std::env::var_os("MIMEO_REQUIRE_VALIDATORS").is_some();
    match Command::new("msgfmt").arg("--check").arg("-o").arg("/dev/null").arg(po).output() {
        Ok(out) => assert!(out.status.success(), "msgfmt --check: {}", String::from_utf8_lossy(&out.stderr)),
        Err(_) => {
            assert!(!required, "msgfmt is required (MIMEO_REQUIRE_VALIDATORS) but not installed");
            eprintln!("note: msgfmt is not installed; skipped");
        }
    }
}

/// Every msgstr of a PO file made equal to its msgid (the header kept).
fn msgstr_is_msgid(po: &str) -> String {
    let mut out: Vec<String> = Vec::new();
    let mut id: Vec<String> = Vec::new();
    let mut in_id = false;
    for line in po.lines() {
        if let Some(rest) = line.strip_prefix("msgid ") {
            id = vec![format!("msgstr {rest}")];
            in_id = true;
        } else if in_id && line.starts_with('"') {
            id.push(line.to_string());
        } else if line == "msgstr \"\"" {
            in_id = false;
            out.append(&mut id);
            continue;
        } else {
            in_id = false;
        }
        out.push(line.to_string());
    }
    out.join("\n") + "\n"
}

fn document(path: &Path) -> mimeo::model::Document {
    mimeo::source::parse_file(path).unwrap_or_else(|e| panic!("{}: {e:?}", path.display())).document
}

/// Title, participants' names, headings, turns (speaker and words) and notes.
fn words(doc: &mimeo::model::Document) -> Vec<String> {
    use mimeo::model::{plain_text, plain_text_of_blocks};
    let mut out = vec![doc.meta.title.clone(), doc.meta.subtitle.clone().unwrap_or_default()];
    out.extend(
        doc.participants.iter().map(|p| format!("{} {:?}", p.name, p.bio.as_ref().map(|b| plain_text(b)))),
    );
    out.push(plain_text_of_blocks(&doc.introduction));
    for section in &doc.sections {
        out.push(section.heading.as_ref().map(|h| plain_text(&h.content)).unwrap_or_default());
        out.extend(
            section.turns.iter().map(|t| format!("{:?} {}", t.speaker, plain_text_of_blocks(&t.blocks))),
        );
    }
    out.extend(doc.notes.iter().map(|n| plain_text_of_blocks(&n.blocks)));
    out
}

#[test]
fn po_round_trips_change_nothing() {
    let dir = workspace();
    let d = dir.path();
    // The original's PO, every msgstr set to its msgid: the merge says what the original says.
    let out = mimeo(d, &["translate", "po", "talk.md", "--to", "fa", "-o", "talk.po"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let po = std::fs::read_to_string(d.join("talk.po")).unwrap();
    assert!(
        po.contains(
            "msgctxt \"turn-1.3 (Sardar)\"\nmsgid \"In Amed it began with the neighbourhood assemblies.\""
        ),
        "{po}"
    );
    assert!(po.contains("msgctxt \"note-1\""), "{po}");
    assert!(po.contains("msgctxt \"bio-1\"\nmsgid \"Niloofar Golkar edits *the magazine*.\""), "{po}");
    msgfmt_check(&d.join("talk.po"));
    std::fs::write(d.join("same.po"), msgstr_is_msgid(&po)).unwrap();
    msgfmt_check(&d.join("same.po"));
    let out = mimeo(d, &["translate", "merge", "same.po", "-o", "same.md"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(words(&document(&d.join("same.md"))), words(&document(&d.join("talk.md"))));

    // A translation's PO (its texts as msgstr) merges back into the same translation.
    for (source, lang) in [("talk-fa.md", "fa"), ("talk-zh.md", "zh-Hans")] {
        let po = format!("{lang}.po");
        let md = format!("{lang}-merged.md");
        let out = mimeo(d, &["translate", "po", source, "-o", &po]);
        assert!(out.status.success(), "{}", stderr(&out));
        msgfmt_check(&d.join(&po));
        let out = mimeo(d, &["translate", "merge", &po, "-o", &md]);
        assert!(out.status.success(), "{}", stderr(&out));
        let (merged, translated) = (document(&d.join(&md)), document(&d.join(source)));
        // Same words; the Chinese file lists its participants in another order.
        let mut a = words(&merged);
        let mut b = words(&translated);
        a.sort();
        b.sort();
        if lang == "fa" {
            assert_eq!(words(&merged), words(&translated));
        }
        assert_eq!(a.len(), b.len());
        let out = check(d, &md);
        assert!(out.status.success(), "{}", stderr(&out));
        assert!(stdout(&out).contains("6 of 6 turns translated"), "{}", stdout(&out));
        assert!(!stderr(&out).contains("since it was translated"), "{}", stderr(&out));
        // Merging again would write over it: refused.
        assert_eq!(mimeo(d, &["translate", "merge", &po, "-o", &md]).status.code(), Some(1));
    }
}

#[test]
fn a_malformed_po_is_an_error_at_its_line() {
    let dir = workspace();
    let d = dir.path();
    assert!(mimeo(d, &["translate", "po", "talk.md", "--to", "fa", "-o", "talk.po"]).status.success());
    let po = std::fs::read_to_string(d.join("talk.po")).unwrap();
    std::fs::write(d.join("bad.po"), po.replacen("msgstr \"\"\n\n#:", "msgstr \"oops\n\n#:", 1)).unwrap();
    let out = mimeo(d, &["translate", "merge", "bad.po", "-o", "bad.md"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).starts_with("bad.po:"), "{}", stderr(&out));
    assert!(!d.join("bad.md").exists());
}

#[test]
fn the_bilingual_zine_starts_each_turn_on_the_same_line() {
    let dir = workspace();
    for (file, labels) in [("talk-fa.md", LABELS_FA), ("talk-zh.md", LABELS_ZH)] {
        let out = mimeo(dir.path(), &["build", file, "--layout", "zine-parallel", "--out", "dist"]);
        assert!(out.status.success(), "{}", stderr(&out));
        let stem = file.trim_end_matches(".md");
        let path: PathBuf = dir.path().join(format!("dist/{stem}/{stem}-zine-parallel.txt"));
        let text = std::fs::read_to_string(&path).unwrap();
        // Wide (CJK) characters take two columns: split by display width.
        let mut starts = 0;
        for line in text.lines() {
            let (left, right) = split_at_width(line, 48);
            let left_turn = LABELS_EN.iter().any(|l| left.trim_start().starts_with(l));
            let right_turn = labels.iter().any(|l| right.trim_start().starts_with(l));
            assert_eq!(left_turn, right_turn, "a turn starts on one side only: {line:?}");
            starts += usize::from(left_turn);
        }
        assert_eq!(starts, 6, "{text}");
        assert!(text.contains("HOUSING AS A COMMONS"));
        // The same input gives the same bytes.
        let again = mimeo(dir.path(), &["build", file, "--layout", "zine-parallel", "--out", "dist2"]);
        assert!(again.status.success());
        assert_eq!(
            std::fs::read(dir.path().join(format!("dist2/{stem}/{stem}-zine-parallel.txt"))).unwrap(),
            text.as_bytes()
        );
    }
}

/// A line cut after `columns` display columns (the left column and gutter).
fn split_at_width(line: &str, columns: usize) -> (String, String) {
    let mut width = 0;
    for (i, c) in line.char_indices() {
        if width >= columns {
            return (line[..i].to_string(), line[i..].replace('\u{200E}', "").trim().to_string());
        }
        width += mimeo::backend::text::width(c.encode_utf8(&mut [0; 4]));
    }
    (line.to_string(), String::new())
}

mod common;
use common::mimeo;

#[test]
fn the_bilingual_epub_is_epubcheck_clean() {
    let dir = workspace();
    for (file, lang, dir_attr) in [("talk-fa.md", "fa", "rtl"), ("talk-zh.md", "zh-Hans", "ltr")] {
        let out = mimeo(dir.path(), &["build", file, "--layout", "epub-parallel", "--out", "dist"]);
        assert!(out.status.success(), "{}", stderr(&out));
        let stem = file.trim_end_matches(".md");
        let bytes = std::fs::read(dir.path().join(format!("dist/{stem}/{stem}-epub-parallel.epub"))).unwrap();
        let entries = common::entries(&bytes);
        let section = common::entry(&entries, "OEBPS/section-02.xhtml");
        // Each turn of the original, then its translation, each half in its language.
        assert_eq!(section.matches("<div class=\"pair\">").count(), 4, "{section}");
        assert_eq!(
            section.matches("<div class=\"original\" xml:lang=\"en\" lang=\"en\" dir=\"ltr\">").count(),
            4
        );
        assert!(
            section.contains(&format!("xml:lang=\"{lang}\" lang=\"{lang}\" dir=\"{dir_attr}\"")),
            "{section}"
        );
        let first = section.find("Solidarity across borders.").unwrap();
        let translated = if lang == "fa" {
            "همبستگی فراتر از مرزها."
        } else {
            "跨越国界的团结。"
        };
        assert!(section[first..].contains(translated), "the translation follows the original");
        // The contents in the translation's language, the original's question beside.
        let nav = common::entry(&entries, "OEBPS/nav.xhtml");
        assert!(nav.contains("(What comes next?)</a>"), "{nav}");
        common::assert_epubcheck_clean(&bytes, stem);
    }
}

#[test]
fn bilingual_layouts_need_a_translation() {
    let dir = workspace();
    let out = mimeo(dir.path(), &["build", "talk.md", "--layout", "zine-parallel", "--out", "dist"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("talk.md: error: the zine-parallel edition is made from a translation"),
        "{}",
        stderr(&out)
    );
    assert!(!dir.path().join("dist").exists());
    // A misaligned translation builds no bilingual edition.
    edit(&dir.path().join("talk-fa.md"), "سردار: همبستگی فراتر از مرزها.\n\n", "");
    let out = mimeo(dir.path(), &["build", "talk-fa.md", "--layout", "zine-parallel", "--out", "dist"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("has no counterpart"), "{}", stderr(&out));
    assert!(!dir.path().join("dist").exists());
}
