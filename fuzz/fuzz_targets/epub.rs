//! Any document → the EPUB backend: never a panic, and every book is a zip
//! whose XHTML, package, navigation and SVG files are well-formed XML.
//! Documents are parsed from the bytes when they are a source, else built
//! from them directly (shapes the parser never makes: control characters,
//! empty headings, deep inline nesting, page starts pointing anywhere).
#![no_main]

use arbitrary::Unstructured;
use libfuzzer_sys::fuzz_target;
use mimeo::backend::Context;

fuzz_target!(|data: &[u8]| {
    let Some(doc) = mimeo_fuzz::document(data) else { return };
    // Settings come from the bytes again: for a parsed source they are
    // a hash of it; for a built document, what follows its parts.
    let mut u = Unstructured::new(data);
    let Ok(layout) = mimeo_fuzz::epub_layout(&mut u) else { return };
    let Ok(starts) = mimeo_fuzz::page_starts(&mut u, &doc) else { return };
    mimeo_fuzz::show(&doc, &(&layout, &starts));
    let epoch = mimeo_fuzz::pick(data, 253_402_300_800) as i64;
    let with_pages = ("a5", &starts[..]);
    let ctx = Context { epoch, print_pages: (!starts.is_empty()).then_some(with_pages), allow_missing_glyphs: true };
    if let Ok(output) = mimeo::backend::epub::render(&doc, &layout, &ctx) {
        mimeo_fuzz::check_epub(&output.bytes);
    }
});
