//! Risograph editions (issue 20): every element lands on its ink's
//! separation only, checked with Ghostscript's `tiffsep` (one plate per
//! colorant) against the words' places from poppler's `pdftotext -bbox`;
//! the file holds Separation colour spaces named after the inks and no
//! process colour.

mod common;
use common::print::*;

use std::path::{Path, PathBuf};
use std::process::Command;

use lopdf::{Document as Pdf, Object, content::Content};
use mimeo::backend::{Context, pdf};
use mimeo::layout::{self, PdfLayout, Settings};
use mimeo::model::Document;

const SOURCE: &str = "---\ntitle: Drums\nlanguage: en\nparticipants:\n  - name: Ana Ask\n    role: interviewer\n    bio: Ana asks.\n  - name: Bo Answer\n    role: speaker\n    bio: Bo answers.\n---\n\nAn introduction in the body ink, long enough to fill a line or two of the page with words.\n\n## Which drum prints this heading\n\n**Ana:** Which drum prints the speaker labels and which the words?\n\n**Bo:** The words go on the black drum, the labels and headings on the pink one.[^1] And so the rule above the note is pink as well.\n\n[^1]: A note, set under a rule.\n";

fn parse(markdown: &str) -> Document {
    mimeo::source::parse_bytes(Path::new("test.md"), markdown.as_bytes())
        .expect("test source parses")
        .document
}

fn riso_layout(roles: &str) -> PdfLayout {
    let text = format!(
        "format: pdf\npage: {{ width: 148mm, height: 210mm }}\n\
         margins: {{ top: 16mm, bottom: 19mm, inside: 17mm, outside: 14mm }}\n\
         body: {{ size: 10pt, leading: 13pt }}\nvariant: riso\ninks: [black, fluorescent-pink]\n{roles}"
    );
    match layout::parse(Path::new("riso.yaml"), &text, None).expect("riso layout parses").settings {
        Settings::Pdf(settings) => *settings,
        _ => unreachable!(),
    }
}

fn render(doc: &Document, layout: &PdfLayout) -> Vec<u8> {
    pdf::render(doc, layout, &Context { epoch: 1_600_000_000, ..Default::default() }).expect("renders").bytes
}

/// A word on a page: its text and box in points from the top left.
struct Word {
    page: usize,
    text: String,
    box_: [f64; 4],
}

fn words(pdf: &Path) -> Vec<Word> {
    let out = Command::new("pdftotext").arg("-bbox").arg(pdf).arg("-").output().expect("pdftotext runs");
    let html = String::from_utf8(out.stdout).unwrap();
    let mut page = 0;
    let mut words = Vec::new();
    for line in html.lines() {
        if line.trim_start().starts_with("<page") {
            page += 1;
        }
        let Some(rest) = line.trim_start().strip_prefix("<word ") else { continue };
        let attr = |name: &str| -> f64 {
            let at = rest.find(&format!("{name}=\"")).unwrap() + name.len() + 2;
            rest[at..at + rest[at..].find('"').unwrap()].parse().unwrap()
        };
        let text = rest[rest.find('>').unwrap() + 1..rest.find("</word>").unwrap()].to_string();
        words.push(Word { page, text, box_: [attr("xMin"), attr("yMin"), attr("xMax"), attr("yMax")] });
    }
    words
}

/// The plates of page `page` at 216 dpi (3 pixels a point): colorant name → 8-bit samples
/// (255 is no ink), with the width.
fn plates(pdf: &Path, page: usize) -> Vec<(String, usize, Vec<u8>)> {
    let dir = pdf.parent().unwrap();
    let status = Command::new("gs")
        .args(["-q", "-dNOPAUSE", "-dBATCH", "-dSAFER", "-sDEVICE=tiffsep", "-r216"])
        .arg(format!("-dFirstPage={page}"))
        .arg(format!("-dLastPage={page}"))
        .arg(format!("-sOutputFile={}", dir.join("plate.tif").display()))
        .arg(pdf)
        .status()
        .expect("gs runs");
    assert!(status.success());
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path: PathBuf = entry.unwrap().path();
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        let Some(colorant) = name.strip_prefix("plate(").and_then(|n| n.strip_suffix(").tif")) else {
            continue;
        };
        let mut decoder = tiff::decoder::Decoder::new(std::fs::File::open(&path).unwrap()).unwrap();
        let (width, _) = decoder.dimensions().unwrap();
        let tiff::decoder::DecodingResult::U8(samples) = decoder.read_image().unwrap() else {
            panic!("8-bit plates")
        };
        out.push((colorant.to_string(), width as usize, samples));
    }
    out.sort_by(|a, b| a.0.cmp(&b.0));
    out
}

const SCALE: f64 = 3.0;

/// Inked pixels of `plate` inside `box_` (points, shrunk by a pixel so
/// that neighbours' antialiasing does not count).
fn ink_in(plate: &(String, usize, Vec<u8>), box_: [f64; 4]) -> usize {
    let box_ = box_.map(|v| v * SCALE);
    let (_, width, samples) = plate;
    let height = samples.len() / width;
    let mut n = 0;
    for y in (box_[1].ceil() as usize + 1)..(box_[3].floor() as usize).saturating_sub(1).min(height) {
        for x in (box_[0].ceil() as usize + 1)..(box_[2].floor() as usize).saturating_sub(1).min(*width) {
            if samples[y * width + x] < 128 {
                n += 1;
            }
        }
    }
    n
}

#[test]
fn each_element_lands_on_its_ink_only() {
    if !tool("gs") || !tool("pdftotext") {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("riso.pdf");
    std::fs::write(&path, render(&parse(SOURCE), &riso_layout(""))).unwrap();
    let words = words(&path);
    let heading = words.iter().find(|w| w.text == "heading").expect("the heading is printed");
    let page = heading.page;
    let plates = plates(&path, page);
    let names: Vec<&str> = plates.iter().map(|p| p.0.as_str()).collect();
    let pink = plates.iter().find(|p| p.0 == "fluorescent-pink").unwrap_or_else(|| panic!("{names:?}"));
    // Ghostscript renames a spot colorant that clashes with a process one.
    let black = plates.iter().find(|p| p.0.starts_with("black")).unwrap_or_else(|| panic!("{names:?}"));
    for process in ["Cyan", "Magenta", "Yellow", "Black"] {
        if let Some(plate) = plates.iter().find(|p| p.0 == process) {
            assert!(plate.2.iter().all(|&s| s == 255), "process plate {process} has ink");
        }
    }
    let on_page: Vec<&Word> = words.iter().filter(|w| w.page == page).collect();
    let pink_words = ["Which", "drum", "prints", "this", "heading", "ANA:", "BO:", "Ana:", "Bo:"];
    let mut checked = [0, 0];
    for (n, word) in on_page.iter().enumerate() {
        // The heading's words and the labels (the first word of a turn).
        let is_heading = word.box_[1] >= heading.box_[1] - 1.0 && word.box_[3] <= heading.box_[3] + 1.0;
        let is_label = word.text.ends_with(':') && pink_words.contains(&word.text.as_str());
        let (on, off) = if is_heading || is_label { (pink, black) } else { (black, pink) };
        assert!(ink_in(on, word.box_) > 0, "word {n} `{}` is not on {}", word.text, on.0);
        assert_eq!(ink_in(off, word.box_), 0, "word {n} `{}` is on {} too", word.text, off.0);
        checked[usize::from(is_heading || is_label)] += 1;
    }
    assert!(checked[0] > 20 && checked[1] >= 7, "{checked:?}");
    // The footnote rule: pink ink outside every word.
    let (_, width, samples) = pink;
    let outside_words = (0..samples.len()).filter(|&i| {
        let (x, y) = ((i % width) as f64 / SCALE, (i / width) as f64 / SCALE);
        samples[i] < 128
            && !on_page.iter().any(|w| {
                x >= w.box_[0] - 2.0 && x <= w.box_[2] + 2.0 && y >= w.box_[1] - 2.0 && y <= w.box_[3] + 2.0
            })
    });
    assert!(outside_words.count() > 30, "the note's rule is on the pink plate");
}

#[test]
fn roles_follow_the_layout() {
    if !tool("gs") || !tool("pdftotext") {
        return;
    }
    // Everything black but the body, which is pink.
    let roles = "ink-roles: { body: fluorescent-pink, headings: black, speakers: black, rules: black }\n";
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("riso.pdf");
    std::fs::write(&path, render(&parse(SOURCE), &riso_layout(roles))).unwrap();
    let words = words(&path);
    let heading = words.iter().find(|w| w.text == "heading").unwrap();
    let plates = plates(&path, heading.page);
    let pink = plates.iter().find(|p| p.0 == "fluorescent-pink").unwrap();
    let black = plates.iter().find(|p| p.0.starts_with("black")).unwrap();
    assert!(ink_in(black, heading.box_) > 0 && ink_in(pink, heading.box_) == 0);
    let body =
        words.iter().find(|w| w.page == heading.page && w.text == "drum," || w.text == "words?").unwrap();
    assert!(ink_in(pink, body.box_) > 0 && ink_in(black, body.box_) == 0, "`{}`", body.text);
}

#[test]
fn separations_are_named_after_the_inks_and_there_is_no_process_colour() {
    let bytes = render(&sample(), &pdf_layout("a5-riso"));
    let pdf = Pdf::load_mem(&bytes).unwrap();
    let mut names = std::collections::BTreeSet::new();
    for object in pdf.objects.values() {
        if let Object::Array(a) = object
            && let Some(Object::Name(kind)) = a.first()
            && kind == b"Separation"
        {
            names.insert(String::from_utf8_lossy(a[1].as_name().unwrap()).into_owned());
        }
        if let Object::Dictionary(d) = object
            && let Ok(spaces) = d.get(b"ColorSpace").and_then(Object::as_dict)
        {
            for (_, space) in spaces.iter() {
                let a = space.as_array().unwrap();
                names.insert(String::from_utf8_lossy(a[1].as_name().unwrap()).into_owned());
            }
        }
        let Object::Stream(stream) = object else { continue };
        let data = stream.decompressed_content().unwrap_or_else(|_| stream.content.clone());
        if stream.dict.get(b"Subtype").ok().and_then(|s| s.as_name().ok()) == Some(b"Image".as_slice()) {
            continue;
        }
        let Ok(content) = Content::decode(&data) else { continue };
        for op in content.operations {
            assert!(
                !["rg", "RG", "k", "K", "g", "G", "sc", "SC"].contains(&op.operator.as_str()),
                "process colour `{}` in a riso file",
                op.operator
            );
        }
    }
    let names: Vec<String> = names.into_iter().collect();
    assert_eq!(names, vec!["black", "fluorescent-pink"]);
    // Same input, same bytes.
    assert!(bytes == render(&sample(), &pdf_layout("a5-riso")));
    if tool("qpdf") {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("riso.pdf");
        std::fs::write(&path, &bytes).unwrap();
        assert!(Command::new("qpdf").arg("--check").arg(&path).output().unwrap().status.success());
    }
}

#[test]
fn ink_keys_are_checked() {
    for (extra, field) in [
        ("inks: [black, fluorescent-pnk]\n", "fluorescent-pink"),
        ("inks: [black, black]\n", "twice"),
        ("inks: [black]\nink-roles: { headings: blue }\n", "ink-roles.headings"),
        ("", "`riso` needs `inks"),
    ] {
        let text = format!(
            "format: pdf\npage: {{ width: 148mm, height: 210mm }}\n\
             margins: {{ top: 16mm, bottom: 19mm, inside: 17mm, outside: 14mm }}\n\
             body: {{ size: 10pt, leading: 13pt }}\nvariant: riso\n{extra}"
        );
        let err = layout::parse(Path::new("r.yaml"), &text, None).unwrap_err();
        assert!(err.message.contains(field), "{err}");
        assert!(err.location.unwrap().line.unwrap() >= 5, "{}", err.message);
    }
    let names: Vec<String> = layout::builtin().into_iter().map(|l| l.name).collect();
    assert!(names.iter().any(|n| n.contains("riso")), "{names:?}");
}

/// A folder with a source and one colour picture (a red disc on a clear
/// ground), for the riso layout with `roles`.
fn picture_pdf(dir: &Path, roles: &str) -> PathBuf {
    let disc = image::RgbaImage::from_fn(600, 400, |x, y| {
        let inside =
            (x as f64 - 300.0).powi(2) / 280f64.powi(2) + (y as f64 - 200.0).powi(2) / 180f64.powi(2) < 1.0;
        if inside { image::Rgba([200, 30, 30, 255]) } else { image::Rgba([0, 0, 0, 0]) }
    });
    disc.save(dir.join("disc.png")).unwrap();
    let source = "---\ntitle: Pictures\nparticipants:\n  - name: Ann\n    bio: b\n---\n\n\
                  Ann: Before the picture.\n\n![A red disc](disc.png)\n\nAnn: After it.\n";
    std::fs::write(dir.join("s.md"), source).unwrap();
    let doc = mimeo::source::parse_file(&dir.join("s.md")).expect("parses").document;
    let path = dir.join("riso.pdf");
    std::fs::write(&path, render(&doc, &riso_layout(roles))).unwrap();
    path
}

#[test]
fn pictures_are_one_ink_in_gray_tints() {
    if !tool("gs") || !tool("pdftotext") {
        return;
    }
    // Everything black but the picture.
    let roles = "ink-roles: { headings: black, speakers: black, rules: black, pictures: fluorescent-pink }\n";
    let dir = tempfile::tempdir().unwrap();
    let path = picture_pdf(dir.path(), roles);
    let words = words(&path);
    // The picture follows "Before" on its page.
    let page = words.iter().find(|w| w.text == "Before").expect("the text is printed").page;
    let words: Vec<&Word> = words.iter().filter(|w| w.page == page).collect();
    let plates = plates(&path, page);
    let names: Vec<&str> = plates.iter().map(|p| p.0.as_str()).collect();
    let pink = plates.iter().find(|p| p.0 == "fluorescent-pink").unwrap_or_else(|| panic!("{names:?}"));
    let black = plates.iter().find(|p| p.0.starts_with("black")).unwrap();
    for process in ["Cyan", "Magenta", "Yellow", "Black"] {
        if let Some(plate) = plates.iter().find(|p| p.0 == process) {
            assert!(plate.2.iter().all(|&s| s == 255), "process plate {process} has ink");
        }
    }
    // The disc is on the pink plate, as a tint (red is a mid gray), away
    // from every word; the words are black and none is pink.
    let (_, width, samples) = pink;
    let inked: Vec<usize> = (0..samples.len()).filter(|&i| samples[i] < 250).collect();
    assert!(inked.len() > 10_000, "the picture is on the pink plate ({} pixels)", inked.len());
    let mut tints: Vec<u8> = inked.iter().map(|&i| samples[i]).collect();
    tints.sort_unstable();
    let median = tints[tints.len() / 2];
    assert!((40..=130).contains(&median), "the red disc is a mid tint, not solid ink: {median}");
    let [mut x0, mut y0, mut x1, mut y1] = [usize::MAX, usize::MAX, 0, 0];
    for &i in &inked {
        let (x, y) = (i % width, i / width);
        (x0, y0, x1, y1) = (x0.min(x), y0.min(y), x1.max(x), y1.max(y));
    }
    let disc = [x0, y0, x1, y1].map(|v| v as f64 / SCALE);
    assert_eq!(ink_in(black, disc), 0, "the picture is on the black plate too");
    assert!(words.len() >= 5, "{}", words.len());
    for word in &words {
        assert!(ink_in(black, word.box_) > 0, "`{}` is not black", word.text);
        assert_eq!(ink_in(pink, word.box_), 0, "`{}` is pink", word.text);
    }
    // The picture's colour space is the ink's Separation.
    let pdf = Pdf::load_mem(&std::fs::read(&path).unwrap()).unwrap();
    let image = pdf
        .objects
        .values()
        .filter_map(|o| o.as_stream().ok())
        .find(|s| {
            s.dict.get(b"Subtype").and_then(Object::as_name).ok() == Some(b"Image".as_slice())
                && s.dict.get(b"SMask").is_ok()
        })
        .expect("the picture");
    let space = image.dict.get(b"ColorSpace").unwrap().as_array().unwrap();
    assert_eq!(space[0].as_name().unwrap(), b"Separation");
    assert_eq!(space[1].as_name().unwrap(), b"fluorescent-pink");
}

#[test]
fn the_riso_cover_prints_title_in_its_ink_and_the_barcode_in_black() {
    if !tool("gs") || !tool("pdftotext") || !tool("zbarimg") {
        return;
    }
    let source = "---\ntitle: \"Drums Over Rojava\"\nlanguage: en\npublisher: \"Upping the Anti\"\n\
                  identifier: \"isbn:978-0-306-40615-7\"\n\
                  description: \"Blurb words printed in black ink.\"\n\
                  participants:\n  - name: Ana\n    role: interviewer\n    bio: Ana asks.\n---\n\n\
                  ## Why?\n\n**Ana:** Because.\n";
    let starts: Vec<mimeo::model::PageStart> = (0..200)
        .map(|n| mimeo::model::PageStart {
            label: (n + 1).to_string(),
            anchor: mimeo::model::Anchor::Colophon,
            piece: None,
            blank: false,
        })
        .collect();
    let ctx = Context { epoch: 1_600_000_000, print_pages: Some(("a5-riso", &starts)), ..Default::default() };
    let bytes = pdf::render(&parse(source), &pdf_layout("a5-riso-cover"), &ctx).expect("renders").bytes;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("cover.pdf");
    std::fs::write(&path, &bytes).unwrap();
    let words = words(&path);
    let plates = plates(&path, 1);
    let pink = plates.iter().find(|p| p.0 == "fluorescent-pink").unwrap();
    let black = plates.iter().find(|p| p.0.starts_with("black")).unwrap();
    let mut seen = [0, 0];
    for word in &words {
        let title = ["Drums", "Over", "Rojava"].contains(&word.text.as_str());
        let blurb = ["Blurb", "words", "printed", "in", "black", "ink."].contains(&word.text.as_str());
        if title {
            // On the front and on the spine.
            assert!(ink_in(pink, word.box_) > 0 && ink_in(black, word.box_) == 0, "title `{}`", word.text);
            seen[0] += 1;
        } else if blurb {
            assert!(ink_in(black, word.box_) > 0 && ink_in(pink, word.box_) == 0, "blurb `{}`", word.text);
            seen[1] += 1;
        }
    }
    assert!(seen[0] >= 6 && seen[1] >= 6, "{seen:?}");
    // The black plate alone scans to the ISBN; the pink one has no bars.
    let scan = |plate: &(String, usize, Vec<u8>)| {
        let (_, width, samples) = plate;
        let height = samples.len() / width;
        let png = dir.path().join(format!("{}.png", plate.0));
        image::GrayImage::from_raw(*width as u32, height as u32, samples.clone())
            .unwrap()
            .save(&png)
            .unwrap();
        let out = Command::new("zbarimg").args(["-q", "--nodbus"]).arg(&png).output();
        let out =
            out.or_else(|_| Command::new("zbarimg").arg("-q").arg(&png).output()).expect("zbarimg runs");
        String::from_utf8_lossy(&out.stdout).into_owned()
    };
    assert!(scan(black).lines().any(|l| l == "EAN-13:9780306406157"), "the bars are on the black plate");
    assert!(!scan(pink).contains("EAN-13"), "the bars are on the pink plate too");
}

#[test]
fn one_grayscale_pdf_per_drum_matches_its_separation() {
    if !tool("gs") || !tool("pdftotext") {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let doc = parse(SOURCE);
    let both = dir.path().join("both").join("riso.pdf");
    std::fs::create_dir(both.parent().unwrap()).unwrap();
    std::fs::write(&both, render(&doc, &riso_layout(""))).unwrap();
    let heading = words(&both).into_iter().find(|w| w.text == "heading").unwrap();
    let separations = plates(&both, heading.page);
    let pages = |p: &Path| Pdf::load_mem(&std::fs::read(p).unwrap()).unwrap().get_pages().len();
    for (drum, plate) in [("black", "black"), ("fluorescent-pink", "fluorescent-pink")] {
        let path = dir.path().join(drum).join("riso.pdf");
        std::fs::create_dir(path.parent().unwrap()).unwrap();
        let bytes = render(&doc, &riso_layout(&format!("drum: {drum}\n")));
        std::fs::write(&path, &bytes).unwrap();
        assert_eq!(pages(&path), pages(&both), "{drum}: the same pages");
        // One black plate (DeviceCMYK K or gray), no spot colour, no other process ink.
        let drum_plates = plates(&path, heading.page);
        let names: Vec<&str> = drum_plates.iter().map(|p| p.0.as_str()).collect();
        for p in &drum_plates {
            if p.0 != "Black" {
                assert!(p.2.iter().all(|&s| s == 255), "{drum}: plate {} has ink ({names:?})", p.0);
            }
        }
        let master = drum_plates.iter().find(|p| p.0 == "Black").unwrap();
        let separation = separations.iter().find(|p| p.0.starts_with(plate)).unwrap();
        assert_eq!(master.1, separation.1, "{drum}: the same page size");
        let inked = |s: &[u8]| s.iter().filter(|&&v| v < 128).count();
        assert!(inked(&master.2) > 500, "{drum}: the master has ink");
        let differ = master.2.iter().zip(&separation.2).filter(|(a, b)| (**a < 128) != (**b < 128)).count();
        assert!(
            differ * 1000 <= inked(&separation.2),
            "{drum}: {differ} pixels differ from the two-ink file's {plate} plate ({} inked)",
            inked(&separation.2)
        );
    }
    // `drum` names one of the inks.
    let text = "format: pdf\npage: { width: 148mm, height: 210mm }\n\
                margins: { top: 16mm, bottom: 19mm, inside: 17mm, outside: 14mm }\n\
                body: { size: 10pt, leading: 13pt }\nvariant: riso\ninks: [black, fluorescent-pink]\ndrum: blue\n";
    let err = layout::parse(Path::new("r.yaml"), text, None).unwrap_err();
    assert!(err.message.contains("drum") && err.message.contains("blue"), "{err}");
}
