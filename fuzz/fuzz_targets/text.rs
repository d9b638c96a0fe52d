//! Any document → the text backend: never a panic, every line fits the
//! layout's width in display columns, and every page has its height.
//! Documents are parsed from the bytes when they are a source, else built
//! from them directly; the layout (width, pages, columns, alignment,
//! ASCII) comes from the bytes too.
#![no_main]

use arbitrary::Unstructured;
use libfuzzer_sys::fuzz_target;
use mimeo::backend::Context;

fuzz_target!(|data: &[u8]| {
    let Some(doc) = mimeo_fuzz::document(data) else { return };
    let seed = mimeo_fuzz::pick(data, usize::MAX).to_le_bytes();
    let mut u = Unstructured::new(&seed);
    let Ok(Some(layout)) = mimeo_fuzz::text_layout(&mut u) else { return };
    mimeo_fuzz::show(&doc, &layout);
    let ctx = Context { epoch: 1_600_000_000, print_pages: None, allow_missing_glyphs: true };
    if let Ok(output) = mimeo::backend::text::render(&doc, &layout, &ctx) {
        mimeo_fuzz::check_text(&output.bytes, &layout);
    }
});
