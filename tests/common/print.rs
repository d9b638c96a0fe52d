//! Helpers for the PDF tests: the sample, layouts by name, rendering,
//! external tools (required when MIMEO_REQUIRE_VALIDATORS is set), numbers
//! in PDF arrays.

use std::path::Path;
use std::process::Command;

use lopdf::Object;
use mimeo::backend::{Context, Output, pdf};
use mimeo::layout::{self, PdfLayout, Settings};
use mimeo::model::Document;

pub fn sample() -> Document {
    mimeo::source::parse_file(Path::new("content/global-uprisings.md")).expect("sample parses").document
}

pub fn pdf_layout(name: &str) -> PdfLayout {
    match layout::load(name).expect("layout loads").settings {
        Settings::Pdf(settings) => *settings,
        _ => panic!("{name} is not a PDF layout"),
    }
}

pub fn render(doc: &Document, name: &str) -> Output {
    pdf::render(doc, &pdf_layout(name), &Context { epoch: 1_600_000_000, ..Default::default() })
        .expect("renders")
}

pub fn tool(name: &str) -> bool {
    super::installed(Command::new(name).arg("-v").output().is_ok(), name, "see .ci/run")
}

pub fn numbers(object: &Object) -> Vec<f64> {
    object
        .as_array()
        .expect("an array")
        .iter()
        .map(|o| match o {
            Object::Integer(i) => *i as f64,
            Object::Real(r) => f64::from(*r),
            other => panic!("not a number: {other:?}"),
        })
        .collect()
}

/// `(xMin, xMax, yMin, text)` of each line in `pdftotext -bbox-layout` output.
pub fn bbox_lines(xml: &str) -> Vec<(f64, f64, f64, String)> {
    let attr = |tag: &str, name: &str| -> f64 {
        let at = tag.find(&format!("{name}=\"")).unwrap() + name.len() + 2;
        tag[at..].split('"').next().unwrap().parse().unwrap()
    };
    let mut out = Vec::new();
    for chunk in xml.split("<line ").skip(1) {
        let tag = chunk.split('>').next().unwrap();
        let words: Vec<&str> = chunk
            .split("<word ")
            .skip(1)
            .map(|w| w.split('>').nth(1).unwrap().split('<').next().unwrap())
            .collect();
        out.push((attr(tag, "xMin"), attr(tag, "xMax"), attr(tag, "yMin"), words.join(" ")));
    }
    out
}
