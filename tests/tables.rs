//! GFM tables reach every edition: the PDF sets them as ruled rows (read
//! back with `pdftotext -layout`, the header again on every page a long
//! table runs onto), the EPUB as a `<table>` with column headers, the zine
//! as a grid within its width, or a located error when the width is too
//! narrow for it.

mod common;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use common::{assert_epubcheck_clean, entries};

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/tables").join(name)
}

/// `mimeo build SOURCE ARGS --out DIR`: the folder and what it printed.
fn build(source: &str, args: &[&str]) -> (tempfile::TempDir, Output) {
    let out = tempfile::tempdir().unwrap();
    let output = Command::new(env!("CARGO_BIN_EXE_mimeo"))
        .arg("build")
        .arg(fixture(source))
        .args(args)
        .arg("--out")
        .arg(out.path())
        .env("SOURCE_DATE_EPOCH", "1767225600")
        .output()
        .unwrap();
    (out, output)
}

fn built(source: &str, args: &[&str]) -> tempfile::TempDir {
    let (out, output) = build(source, args);
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    out
}

fn file_with(dir: &Path, extension: &str) -> PathBuf {
    common::walk(dir)
        .into_iter()
        .find(|p| p.extension().is_some_and(|e| e == extension))
        .unwrap_or_else(|| panic!("no .{extension} written"))
}

/// The PDF's text, page by page, as `pdftotext -layout` lays it out.
fn pdf_pages(pdf: &Path) -> Vec<String> {
    let output = Command::new("pdftotext")
        .arg("-layout")
        .arg(pdf)
        .arg("-")
        .output()
        .expect("pdftotext (poppler-utils)");
    assert!(output.status.success());
    String::from_utf8_lossy(&output.stdout).split('\u{c}').map(str::to_string).collect()
}

/// The words of a line, split where `pdftotext -layout` leaves a gap of
/// two or more spaces (between columns).
fn columns(line: &str) -> Vec<String> {
    line.split("  ").map(str::trim).filter(|c| !c.is_empty()).map(str::to_string).collect()
}

#[test]
fn the_pdf_sets_rows_side_by_side_and_wraps_long_cells() {
    let out = built("rent.md", &["--format", "pdf"]);
    let pages = pdf_pages(&file_with(out.path(), "pdf"));
    let text = pages.join("\n");
    let lines: Vec<&str> = text.lines().collect();
    let header = lines.iter().find(|l| l.contains("Household")).expect("the header row");
    assert_eq!(columns(header), ["Flat", "Household", "Monthly rent"], "{header}");
    for (flat, rent) in [("2B", "$1,450"), ("3C", "$700")] {
        let row = lines
            .iter()
            .find(|l| l.trim_start().starts_with(flat))
            .unwrap_or_else(|| panic!("no row {flat}"));
        let cells = columns(row);
        assert_eq!(
            (cells.first().map(String::as_str), cells.last().map(String::as_str)),
            (Some(flat), Some(rent))
        );
    }
    // The long cell wraps inside its column: its words are on several lines,
    // the rent stays on the row's first line, right-aligned under its header.
    let first = lines.iter().position(|l| l.trim_start().starts_with("1A")).expect("row 1A");
    assert!(lines[first].trim_end().ends_with("$900"), "{}", lines[first]);
    let cell: String =
        lines[first..first + 4].iter().map(|l| l.replace("1A", "").replace("$900", "")).collect();
    assert!(cell.contains("converted") && !lines[first].contains("converted"), "not wrapped:\n{cell}");
    let rent_end = |l: &str| l.trim_end().len();
    assert!(rent_end(header).abs_diff(rent_end(lines[first])) <= 1, "rent column not aligned right");
}

#[test]
fn a_long_table_repeats_its_header_on_every_page() {
    let out = built("long.md", &["--format", "pdf"]);
    let pages = pdf_pages(&file_with(out.path(), "pdf"));
    let with_rows: Vec<&String> = pages.iter().filter(|p| p.contains("Household number")).collect();
    assert!(with_rows.len() >= 2, "the table should run over pages: {}", with_rows.len());
    for page in &with_rows {
        let lines: Vec<&str> = page.lines().filter(|l| !l.trim().is_empty()).collect();
        let header = lines.iter().position(|l| columns(l) == ["Flat", "Household", "Rent"]);
        let first_row = lines.iter().position(|l| l.contains("Household number"));
        assert!(header.is_some() && header < first_row, "no header above the rows on a page:\n{page}");
    }
    // Every row once, in order.
    let all = pages.join("\n");
    let flats: Vec<usize> =
        all.lines().filter_map(|l| l.trim_start().strip_prefix("F-")?.get(..2)?.parse().ok()).collect();
    assert_eq!(flats, (1..=90).collect::<Vec<_>>());
}

#[test]
fn a_right_to_left_table_is_mirrored() {
    let out = built("persian.md", &["--format", "pdf"]);
    let pages = pdf_pages(&file_with(out.path(), "pdf"));
    let text = pages.join("\n");
    let header = text.lines().find(|l| l.contains("خانوار")).expect("the header row");
    // The first column (واحد) stands at the right.
    let (unit, rent) = (header.find("واحد").unwrap(), header.find("اجاره").unwrap());
    assert!(unit > rent, "columns not mirrored: {header}");
}

#[test]
fn the_epub_has_a_table_with_column_headers_and_alignment_classes() {
    let out = built("rent.md", &["--format", "epub"]);
    let bytes = std::fs::read(file_with(out.path(), "epub")).unwrap();
    let files = entries(&bytes);
    let (_, chapter) =
        files.iter().find(|(_, text)| text.contains("<table")).expect("a chapter with the table");
    let options = roxmltree::ParsingOptions { allow_dtd: true, ..Default::default() };
    let doc = roxmltree::Document::parse_with_options(chapter, options).unwrap();
    let table = doc.descendants().find(|n| n.has_tag_name("table")).unwrap();
    let headers: Vec<_> = table.descendants().filter(|n| n.has_tag_name("th")).collect();
    assert_eq!(
        headers.iter().map(|h| h.text().unwrap_or_default()).collect::<Vec<_>>(),
        ["Flat", "Household", "Monthly rent"]
    );
    assert!(headers.iter().all(|h| h.attribute("scope") == Some("col")));
    assert!(headers.iter().all(|h| h.ancestors().any(|a| a.has_tag_name("thead"))));
    let rows: Vec<_> = table
        .descendants()
        .filter(|n| n.has_tag_name("tr") && n.ancestors().any(|a| a.has_tag_name("tbody")))
        .collect();
    assert_eq!(rows.len(), 3);
    let last: Vec<_> = rows[1].children().filter(|n| n.has_tag_name("td")).collect();
    assert_eq!(last[2].text(), Some("$1,450"));
    assert_eq!(last[2].attribute("class"), Some("align-right"));
    assert_eq!(last[1].attribute("class"), Some("align-center"));
    assert_epubcheck_clean(&bytes, "tables");
}

#[test]
fn the_zine_draws_a_grid_within_its_width() {
    for layout in ["zine-64", "zine-72-ascii"] {
        let out = built("rent.md", &["--layout", layout]);
        let text = std::fs::read_to_string(file_with(out.path(), "txt")).unwrap();
        let width = if layout == "zine-64" { 64 } else { 72 };
        let grid: Vec<&str> = text.lines().filter(|l| l.trim_start().starts_with(['|', '+'])).collect();
        assert!(grid.len() >= 8, "{layout}: no grid:\n{text}");
        for line in &grid {
            assert!(line.chars().count() <= width, "{layout}: wider than {width}: {line}");
        }
        // All of a row's lines and rules are equally wide: the columns line up.
        let widths: Vec<usize> = grid.iter().map(|l| l.trim().chars().count()).collect();
        assert!(widths.iter().all(|w| *w == widths[0]), "{layout}: ragged grid:\n{}", grid.join("\n"));
        let header = grid.iter().find(|l| l.contains("Household")).unwrap();
        assert_eq!(
            header.split('|').map(str::trim).filter(|c| !c.is_empty()).collect::<Vec<_>>(),
            ["Flat", "Household", "Monthly rent"]
        );
        // The long cell wraps within its column; the rent is right-aligned.
        let row = grid.iter().position(|l| l.contains("| 1A")).unwrap();
        assert!(grid[row].trim_end().ends_with("$900 |"), "{}", grid[row]);
        assert!(grid[row + 1].contains("| "), "{}", grid[row + 1]);
        let cell: String = grid[row..row + 4]
            .iter()
            .map(|l| l.split('|').nth(2).unwrap_or_default().trim().to_string() + " ")
            .collect();
        assert!(cell.contains("converted in 1998"), "{layout}: {cell}");
    }
}

#[test]
fn a_table_too_wide_for_the_zine_is_a_located_error_and_nothing_is_written() {
    let (out, output) = build("wide.md", &["--layout", "zine-64"]);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    let place =
        format!("{}:10:1: error: a table of 9 columns needs 73 characters", fixture("wide.md").display());
    assert!(stderr.contains(&place), "{stderr}");
    assert!(stderr.contains("hint:"), "{stderr}");
    assert!(common::walk(out.path()).is_empty(), "something was written");
    // A wider layout takes it.
    let out = built("wide.md", &["--layout", "screen-80"]);
    assert!(std::fs::read_to_string(file_with(out.path(), "txt")).unwrap().contains("v09ab"));
}
