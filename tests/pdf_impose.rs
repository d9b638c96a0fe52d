//! Imposition schemes (issue 33), read back as a printer gets them: every
//! sheet side of a long generated transcript is read with `pdftotext
//! -bbox`, each page found by its folio in its cell, and the order after
//! folding, cutting or stacking (simulated here by hand, not by mimeo's
//! own functions) must be the book's page order. Also: marks and ink
//! inside the safe margin, refusals, qpdf and PDF/X-4 on the new layouts,
//! and `mimeo layouts` listing them.

mod common;
use common::print::*;

use std::path::Path;
use std::process::Command;

use lopdf::{Document as Pdf, content::Content};
use mimeo::backend::{Context, Output, pdf};
use mimeo::layout::PdfLayout;
use mimeo::model::Document;

const MM: f64 = 72.0 / 25.4;

/// A sheet side's size and what was found on it.
type Side<T> = ((f64, f64), Vec<T>);

/// A transcript of `questions` questions with long answers, without a
/// digit in its text (so that the only numbers on a page are folios).
fn long_source(questions: usize) -> Document {
    text_of(questions, 4)
}

/// Like [`long_source`], with answers of `answer_length` sentences.
fn text_of(questions: usize, answer_length: usize) -> Document {
    let words = ["one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten"];
    let mut text = String::from(
        "---\ntitle: The Long Reader\nlanguage: en\npublisher: Printshop Collective\n\
         description: A long talk about printing and binding small books by hand.\n\
         participants:\n  - { name: Ana Ruiz, role: interviewer, bio: Ana prints. }\n\
         \x20 - { name: Ben Okafor, bio: Ben binds. }\n---\n\n",
    );
    for q in 0..questions {
        let name = words[q % 10];
        text.push_str(&format!("## What came in part {name}?\n\n**Ana Ruiz:** And then part {name}?\n\n"));
        let answer = "We printed the sheets at night and folded them in the morning, counting each \
                      signature twice before the glue. ";
        text.push_str(&format!("**Ben Okafor:** {}\n\n", answer.repeat(answer_length)));
    }
    mimeo::source::parse_bytes(Path::new("long.md"), text.as_bytes()).expect("source parses").document
}

/// A long transcript whose book in `layout` has at least `pages` pages
/// before imposition pads it, and an odd number of them when `odd`.
fn book_of(layout: &PdfLayout, pages: usize, odd: bool) -> Document {
    let mut flat = layout.clone();
    flat.imposition = None;
    let mut questions = pages / 2;
    loop {
        let doc = text_of(questions, 12);
        let raw = build(&doc, &flat).unwrap().page_starts.len();
        if raw >= pages && (!odd || raw % 2 == 1) {
            return doc;
        }
        questions += if raw < pages { (pages - raw).div_ceil(2).max(1) } else { 1 };
    }
}

fn build(doc: &Document, layout: &PdfLayout) -> Result<Output, mimeo::diag::Diagnostic> {
    pdf::render(doc, layout, &Context { epoch: 1_600_000_000, ..Default::default() })
}

/// Words and their boxes `(text, xMin, yMin, xMax, yMax)`, per sheet
/// side, with the side's size (pdftotext's y grows downwards).
fn words(bytes: &[u8]) -> Vec<Side<(String, [f64; 4])>> {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("x.pdf");
    std::fs::write(&path, bytes).unwrap();
    let out = Command::new("pdftotext").arg("-bbox").arg(&path).arg("-").output().unwrap();
    let html = String::from_utf8(out.stdout).unwrap();
    let attr = |tag: &str, name: &str| -> f64 {
        let start = tag.find(&format!("{name}=\"")).unwrap() + name.len() + 2;
        tag[start..].split('"').next().unwrap().parse().unwrap()
    };
    html.split("<page ")
        .skip(1)
        .map(|page| {
            let head = page.split('>').next().unwrap();
            let size = (attr(head, "width"), attr(head, "height"));
            let found = page
                .split("<word ")
                .skip(1)
                .map(|word| {
                    let (tag, rest) = word.split_once('>').unwrap();
                    let text = rest.split('<').next().unwrap().to_string();
                    (text, [attr(tag, "xMin"), attr(tag, "yMin"), attr(tag, "xMax"), attr(tag, "yMax")])
                })
                .collect();
            (size, found)
        })
        .collect()
}

/// The folio in each cell of each side, cells in reading order (rows from
/// the top): the digits-only word nearest the cell's foot (its head in a
/// turned cell), "" when the cell has none.
fn folios(
    bytes: &[u8],
    layout: &PdfLayout,
    (cols, rows): (usize, usize),
    turned: &[bool],
) -> Vec<Vec<String>> {
    let (w, h) = (layout.page.width.pt(), layout.page.height.pt());
    words(bytes)
        .into_iter()
        .map(|((sw, sh), found)| {
            let (x0, y0) = ((sw - w * cols as f64) / 2.0, (sh - h * rows as f64) / 2.0);
            let mut best: Vec<Option<(f64, String)>> = vec![None; cols * rows];
            for (text, [l, t, r, b]) in found {
                if text.is_empty() || !text.chars().all(|c| c.is_ascii_digit()) {
                    continue;
                }
                let (cx, cy) = ((l + r) / 2.0 - x0, (t + b) / 2.0 - y0);
                let (col, row) = ((cx / w).floor() as usize, (cy / h).floor() as usize);
                let cell = row * cols + col;
                let from_top = cy - row as f64 * h;
                let foot = if turned.get(cell).copied().unwrap_or(false) { from_top } else { h - from_top };
                // A folio sits in the foot margin: a number higher up is text.
                if foot < h * 0.12 && best[cell].as_ref().is_none_or(|(f, _)| foot < *f) {
                    best[cell] = Some((foot, text));
                }
            }
            best.into_iter().map(|b| b.map(|(_, t)| t).unwrap_or_default()).collect()
        })
        .collect()
}

fn labels(out: &Output) -> Vec<String> {
    out.page_starts.iter().map(|p| p.label.clone()).collect()
}

/// Folded sheets of `sizes` pages a signature, read as a binder reads the
/// gathered book: per signature, sheet by sheet, the front's right half
/// then the back's left; then back from the centre, the back's right half
/// then the front's left.
fn read_signatures(sides: &[Vec<String>], sizes: &[usize]) -> Vec<String> {
    let mut order = Vec::new();
    let mut first = 0;
    for &size in sizes {
        let sheets = size / 4;
        let side = |s: usize, back: usize| &sides[first + 2 * s + back];
        for s in 0..sheets {
            order.push(side(s, 0)[1].clone());
            order.push(side(s, 1)[0].clone());
        }
        for s in (0..sheets).rev() {
            order.push(side(s, 1)[1].clone());
            order.push(side(s, 0)[0].clone());
        }
        first += 2 * sheets;
    }
    order
}

fn skip_without_pdftotext() -> bool {
    !tool("pdftotext")
}

#[test]
fn signatures_gather_into_the_book_order_with_the_fewest_blanks() {
    if skip_without_pdftotext() {
        return;
    }
    let layout = pdf_layout("a5-signatures");
    for (questions, odd) in [(80, false), (97, true)] {
        let doc = book_of(&layout, questions, odd);
        let out = build(&doc, &layout).unwrap();
        let pages = out.page_starts.len();
        let found = folios(&out.bytes, &layout, (2, 1), &[]);
        assert_eq!(out.pages, Some(pages / 2), "two sides a sheet");
        // Signatures of one size, all of them whole sheets.
        let size = [16, 12, 20, 8, 24, 28, 32]
            .into_iter()
            .find(|s| pages.is_multiple_of(*s))
            .unwrap_or_else(|| panic!("{pages} pages are not whole signatures"));
        let sizes = vec![size; pages / size];
        assert_eq!(read_signatures(&found, &sizes), labels(&out), "{questions} questions, {pages} pages");
        let blanks = out.page_starts.iter().filter(|p| p.blank).count();
        assert!(blanks < 4 + 4, "{blanks} blank pages in {pages}");
    }
}

#[test]
fn an_eighty_page_book_gets_one_collation_mark_a_signature_in_a_staircase() {
    // An 80-page book: five signatures of 16 (no blank needed).
    let sizes =
        pdf::signature_sizes(80, mimeo::layout::pdf::SignatureSize::Auto(mimeo::layout::pdf::AutoWord::Auto));
    assert_eq!(sizes, vec![16; 5]);
    let layout = pdf_layout("a5-signatures");
    let doc = book_of(&layout, 80, false);
    let out = build(&doc, &layout).unwrap();
    let pdf = Pdf::load_mem(&out.bytes).unwrap();
    // Wide strokes on the spine, one per signature, each lower than the last.
    let mut marks = Vec::new();
    for (n, &id) in pdf.get_pages().values().enumerate() {
        let content = Content::decode(&pdf.get_page_content(id)).unwrap();
        let mut width = 0.0;
        let mut at = (0.0, 0.0);
        for op in &content.operations {
            let f = |i: usize| op.operands[i].as_float().unwrap() as f64;
            match op.operator.as_str() {
                "w" => width = f(0),
                "m" => at = (f(0), f(1)),
                "l" if width > 3.0 => marks.push((n, at.0, at.1.max(f(1)))),
                _ => {}
            }
        }
    }
    let pages = out.page_starts.len();
    let size = *pdf::signature_sizes(
        pages,
        mimeo::layout::pdf::SignatureSize::Auto(mimeo::layout::pdf::AutoWord::Auto),
    )
    .first()
    .unwrap();
    assert_eq!(marks.len(), pages / size, "one collation mark a signature");
    let spine = 297.0 * MM / 2.0;
    for (k, pair) in marks.windows(2).enumerate() {
        assert_eq!(pair[1].0 - pair[0].0, size / 2, "on each signature's first side");
        assert!(pair[1].2 < pair[0].2, "mark {k} steps down");
    }
    assert!(marks.iter().all(|m| (m.1 - spine).abs() < 0.01), "on the spine fold");
}

/// Cut the stack of sides with `cols` columns, pile the piles: leaf by
/// leaf, cell by cell (reading order), sheet by sheet, front then back
/// (the back's cell mirrored).
fn read_cut_stack(sides: &[Vec<String>], cols: usize, cells: usize) -> Vec<String> {
    let mut order = Vec::new();
    for cell in 0..cells {
        let behind = cell / cols * cols + (cols - 1 - cell % cols);
        for sheet in sides.chunks(2) {
            order.push(sheet[0][cell].clone());
            order.push(sheet[1][behind].clone());
        }
    }
    order
}

#[test]
fn cut_and_stack_piles_come_out_in_order() {
    if skip_without_pdftotext() {
        return;
    }
    let layout = pdf_layout("a6-4up-cutstack");
    for (questions, odd) in [(80, false), (81, true)] {
        let out = build(&book_of(&layout, questions, odd), &layout).unwrap();
        let found = folios(&out.bytes, &layout, (2, 2), &[]);
        let mut read = read_cut_stack(&found, 2, 4);
        // The last pile may end with blank leaves beyond the book.
        let book = labels(&out);
        assert!(read[book.len()..].iter().all(String::is_empty), "only blanks after the book");
        read.truncate(book.len());
        assert_eq!(read, book, "{questions} questions");
        assert!(book.len() >= 80, "a long book: {} pages", book.len());
    }
}

#[test]
fn duplex_two_up_keeps_each_sheets_leaves_in_order() {
    if skip_without_pdftotext() {
        return;
    }
    let layout = pdf_layout("a5-duplex-2up");
    let out = build(&book_of(&layout, 21, true), &layout).unwrap();
    let found = folios(&out.bytes, &layout, (2, 1), &[]);
    // Cut each sheet as it comes: left leaf, then right leaf.
    let read: Vec<String> = found
        .chunks(2)
        .flat_map(|s| [s[0][0].clone(), s[1][1].clone(), s[0][1].clone(), s[1][0].clone()])
        .collect();
    let book = labels(&out);
    assert_eq!(&read[..book.len()], &book[..]);
}

#[test]
fn flyers_repeat_each_page_in_every_cell() {
    if skip_without_pdftotext() {
        return;
    }
    let doc = long_source(2);
    for (name, grid) in [("a6-flyer-4up", (2, 2)), ("a5-flyer-2up", (2, 1))] {
        let layout = pdf_layout(name);
        let out = build(&doc, &layout).unwrap();
        assert_eq!(out.pages, Some(out.page_starts.len()), "{name}: one side a page");
        for (side, (_, found)) in words(&out.bytes).iter().enumerate() {
            let text: Vec<&str> = found.iter().map(|(t, _)| t.as_str()).collect();
            let cells = grid.0 * grid.1;
            let titles = text.iter().filter(|t| **t == "Reader").count();
            if side == 0 {
                assert_eq!(titles, cells, "{name}: the title page in every cell");
            }
            assert_eq!(text.len() % cells, 0, "{name} side {side}: the same words in each cell");
        }
    }
}

#[test]
fn manual_duplex_prints_instructions_then_fronts_then_backs_last_first() {
    if skip_without_pdftotext() {
        return;
    }
    let doc = book_of(&pdf_layout("a6-4up-cutstack"), 33, true);
    let duplex = build(&doc, &pdf_layout("a6-4up-cutstack")).unwrap();
    let manual = build(&doc, &pdf_layout("a6-4up-cutstack-manual")).unwrap();
    let sheets = duplex.pages.unwrap() / 2;
    assert_eq!(manual.pages, Some(2 * sheets + 1), "the instructions and every side");
    assert_eq!(labels(&manual), labels(&duplex), "the instructions are not a page of the book");
    let text = words(&manual.bytes);
    let first: Vec<&str> = text[0].1.iter().map(|(t, _)| t.as_str()).collect();
    let first = first.join(" ");
    assert!(first.contains(&format!("Print pages 2–{}", sheets + 1)), "{first}");
    assert!(first.contains(&format!("pages {}–{}", sheets + 2, 2 * sheets + 1)), "{first}");
    let layout = pdf_layout("a6-4up-cutstack");
    let duplex_sides = folios(&duplex.bytes, &layout, (2, 2), &[]);
    let manual_sides = folios(&manual.bytes, &layout, (2, 2), &[]);
    let fronts: Vec<_> = duplex_sides.iter().step_by(2).cloned().collect();
    let backs: Vec<_> = duplex_sides.iter().skip(1).step_by(2).rev().cloned().collect();
    assert_eq!(manual_sides[1..=sheets], fronts[..]);
    assert_eq!(manual_sides[sheets + 1..], backs[..]);
}

/// The nested mini-zine's reading order, sheet by sheet: on one folded
/// sheet, page 1 is the bottom row's last cell, 2–5 the top row right to
/// left, 6–8 the bottom row left to right.
fn read_minizine(sides: &[Vec<String>]) -> Vec<String> {
    const CELLS: [usize; 8] = [7, 3, 2, 1, 0, 4, 5, 6];
    let mut order = Vec::new();
    for side in sides {
        order.extend(CELLS[..4].iter().map(|&c| side[c].clone()));
    }
    for side in sides.iter().rev() {
        order.extend(CELLS[4..].iter().map(|&c| side[c].clone()));
    }
    order
}

#[test]
fn a_long_minizine_is_one_zine_over_nested_sheets() {
    if skip_without_pdftotext() {
        return;
    }
    let layout = pdf_layout("minizine-a4");
    let turned = [true, true, true, true, false, false, false, false];
    for (questions, odd) in [(24, false), (29, true)] {
        let out = build(&book_of(&layout, questions, odd), &layout).unwrap();
        let sheets = out.pages.unwrap();
        assert!(sheets >= 3, "{questions} questions fill {sheets} sheets");
        let found = folios(&out.bytes, &layout, (4, 2), &turned);
        assert_eq!(read_minizine(&found), labels(&out), "{questions} questions");
        // The cover only once: the title on the first sheet alone.
        let titles: Vec<usize> =
            words(&out.bytes).iter().map(|(_, w)| w.iter().filter(|(t, _)| t == "Reader").count()).collect();
        assert!(titles[0] >= 1 && titles[1..].iter().all(|&n| n == 0), "{titles:?}");
        assert!(out.warnings.iter().all(|w| !w.message.contains("sheet's edge")), "{:?}", out.warnings);
    }
}

#[test]
fn a_minizine_can_refuse_more_than_one_sheet() {
    let mut layout = pdf_layout("minizine-a4");
    layout.imposition.as_mut().unwrap().multi_sheet = mimeo::layout::pdf::MultiSheet::Refuse;
    let Err(err) = build(&long_source(24), &layout) else { panic!("a three-sheet text is refused") };
    assert!(err.message.contains("one sheet of 8"), "{err}");
    assert!(err.hints.iter().any(|h| h.contains("booklet")), "{err:?}");
    assert!(build(&long_source(0), &layout).is_ok(), "a short text fits one sheet");
}

/// Every stroke's ends `(x, y)` on each side, with the side's size.
fn strokes(bytes: &[u8]) -> Vec<Side<(f64, f64)>> {
    let pdf = Pdf::load_mem(bytes).unwrap();
    pdf.get_pages()
        .values()
        .map(|&id| {
            let page = pdf.get_dictionary(id).unwrap();
            let media = numbers(page.get(b"MediaBox").unwrap());
            let content = Content::decode(&pdf.get_page_content(id)).unwrap();
            let ends = content
                .operations
                .iter()
                .filter(|op| op.operator == "m" || op.operator == "l")
                .map(|op| {
                    (op.operands[0].as_float().unwrap() as f64, op.operands[1].as_float().unwrap() as f64)
                })
                .collect();
            ((media[2], media[3]), ends)
        })
        .collect()
}

#[test]
fn marks_and_folios_stay_five_millimetres_inside_the_sheet() {
    if skip_without_pdftotext() {
        return;
    }
    let doc = long_source(12);
    for name in
        ["minizine-a4", "minizine-letter", "a6-4up-cutstack", "a6-flyer-4up", "a5-flyer-2up", "a5-signatures"]
    {
        let out = build(&doc, &pdf_layout(name)).unwrap();
        assert!(
            out.warnings.iter().all(|w| !w.message.contains("sheet's edge")),
            "{name}: {:?}",
            out.warnings
        );
        let sides = strokes(&out.bytes);
        assert!(sides.iter().any(|(_, s)| !s.is_empty()), "{name} draws guides");
        for ((w, h), ends) in sides {
            for (x, y) in ends {
                let gap = x.min(y).min(w - x).min(h - y);
                assert!(
                    gap >= 5.0 * MM - 0.01,
                    "{name}: a mark at ({x:.1}, {y:.1}) is {:.1} mm in",
                    gap / MM
                );
            }
        }
        for ((w, h), found) in words(&out.bytes) {
            for (text, [l, t, r, b]) in found {
                let gap = l.min(t).min(w - r).min(h - b);
                assert!(gap >= 5.0 * MM - 0.01, "{name}: `{text}` is {:.1} mm from the edge", gap / MM);
            }
        }
    }
}

#[test]
fn ink_too_close_to_the_edge_is_a_warning() {
    let mut layout = pdf_layout("minizine-a4");
    layout.margins.outside = mimeo::layout::Length::mm(3.0);
    let out = build(&long_source(3), &layout).unwrap();
    let warning = out.warnings.iter().find(|w| w.message.contains("sheet's edge")).expect("a warning");
    assert!(warning.message.contains("safe-margin"), "{warning}");
    // A printer that prints to the edge: the warning goes with the key.
    layout.imposition.as_mut().unwrap().safe_margin = mimeo::layout::Length::mm(2.0);
    let out = build(&long_source(3), &layout).unwrap();
    assert!(out.warnings.iter().all(|w| !w.message.contains("sheet's edge")));
}

const NEW_LAYOUTS: [&str; 6] = [
    "a5-signatures",
    "a6-4up-cutstack",
    "a6-4up-cutstack-manual",
    "a5-duplex-2up",
    "a6-flyer-4up",
    "a5-flyer-2up",
];

#[test]
fn new_layouts_are_pdf_x4_and_pass_qpdf() {
    let doc = long_source(8);
    let dir = tempfile::tempdir().unwrap();
    for name in NEW_LAYOUTS {
        let out = build(&doc, &pdf_layout(name)).unwrap();
        let again = build(&doc, &pdf_layout(name)).unwrap();
        assert!(out.bytes == again.bytes, "{name}: same input, same bytes");
        let pdf = Pdf::load_mem(&out.bytes).unwrap();
        let intents = pdf.catalog().unwrap().get(b"OutputIntents").expect("an output intent");
        let intents = pdf.dereference(intents).unwrap().1.as_array().unwrap().clone();
        let intent = pdf.dereference(&intents[0]).unwrap().1.as_dict().unwrap();
        assert_eq!(intent.get(b"S").unwrap().as_name().unwrap(), b"GTS_PDFX", "{name}");
        assert!(String::from_utf8_lossy(&out.bytes).contains("PDF/X-4"), "{name}: claims PDF/X-4");
        if tool("qpdf") {
            let path = dir.path().join(format!("{name}.pdf"));
            std::fs::write(&path, &out.bytes).unwrap();
            let check = Command::new("qpdf").arg("--check").arg(&path).output().unwrap();
            assert!(check.status.success(), "{name}: {}", String::from_utf8_lossy(&check.stdout));
        }
    }
}

#[test]
fn mimeo_layouts_lists_each_new_layout_with_a_description() {
    let dir = tempfile::tempdir().unwrap();
    let out = common::mimeo(dir.path(), &["layouts"]);
    assert!(out.status.success());
    let list = String::from_utf8(out.stdout).unwrap();
    for name in NEW_LAYOUTS {
        let line = list
            .lines()
            .find(|l| l.split_whitespace().next() == Some(name))
            .unwrap_or_else(|| panic!("{name} not listed:\n{list}"));
        assert!(line.split_whitespace().count() > 4, "{name} has a description: {line}");
    }
}

#[test]
fn wrong_imposition_keys_are_errors_at_their_place_and_nothing_is_written() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::copy("content/global-uprisings.md", dir.path().join("s.md")).unwrap();
    for (key, wanted) in [
        ("signature: seven", "a number of pages (a multiple of 4, e.g. 16) or `auto`"),
        ("signature: 10", "must be a multiple of 4"),
        ("up: 3", "3 is not 2, 4 or 8 pages a side"),
    ] {
        let layout = format!(
            "name: bad\nformat: pdf\npage: {{ width: 148mm, height: 210mm }}\n\
             margins: {{ top: 16mm, bottom: 19mm, inside: 17mm, outside: 14mm }}\n\
             body: {{ size: 10pt, leading: 13pt }}\n\
             imposition: {{ kind: signatures, {key}, sheet: {{ width: 297mm, height: 210mm }} }}\n"
        );
        std::fs::write(dir.path().join("bad.yaml"), layout).unwrap();
        let out =
            common::mimeo(dir.path(), &["build", "-q", "-f", "pdf", "-l", "bad.yaml", "-o", "out", "s.md"]);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(1), "{key}: {stderr}");
        assert!(stderr.contains("bad.yaml:6:"), "{key}: the line of `imposition`: {stderr}");
        assert!(stderr.contains(wanted), "{key}: {stderr}");
        assert!(!dir.path().join("out").exists(), "{key}: nothing written");
    }
}

#[test]
fn a_collection_prints_as_signatures_in_book_order() {
    if skip_without_pdftotext() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    for file in
        ["voices-from-the-uprisings.yaml", "introduction.md", "global-uprisings.md", "global-uprisings-fa.md"]
    {
        std::fs::copy(Path::new("content").join(file), dir.path().join(file)).unwrap();
    }
    let out = common::mimeo(
        dir.path(),
        &["build", "-q", "-f", "pdf", "-l", "a5-signatures", "-o", "out", "voices-from-the-uprisings.yaml"],
    );
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let bytes = std::fs::read(
        dir.path().join("out/voices-from-the-uprisings/voices-from-the-uprisings-a5-signatures.pdf"),
    )
    .unwrap();
    let layout = pdf_layout("a5-signatures");
    let sides = folios(&bytes, &layout, (2, 1), &[]);
    let pages = sides.len() * 2;
    let size = [16, 12, 20, 8, 24, 28, 32].into_iter().find(|s| pages.is_multiple_of(*s)).unwrap();
    // Folios (Latin and Persian digits alike) counted: the gathered book
    // reads its folios in increasing order.
    let read = read_signatures(&sides, &vec![size; pages / size]);
    let numbers: Vec<usize> = read.iter().filter_map(|f| f.parse().ok()).collect();
    assert!(numbers.len() > pages / 2, "{read:?}");
    assert!(numbers.windows(2).all(|w| w[0] < w[1]), "in order: {numbers:?}");
}
