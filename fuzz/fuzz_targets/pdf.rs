//! Any document → the PDF backend: never a panic, and every PDF parses
//! (lopdf), has pages, and each page's trim box lies inside its media box.
//! Documents are parsed from the bytes when they are a source, else built
//! from them directly; the layout (page size, margins, type, alignment,
//! notes, bios, imposition, bleed, crop marks, variant) comes from the
//! bytes too.
#![no_main]

use arbitrary::Unstructured;
use libfuzzer_sys::fuzz_target;
use mimeo::backend::Context;

fuzz_target!(|data: &[u8]| {
    let Some(doc) = mimeo_fuzz::document(data) else { return };
    let seed: Vec<u8> = (0..8).flat_map(|i| mimeo_fuzz::pick(&[data, &[i]].concat(), usize::MAX).to_le_bytes()).collect();
    let mut u = Unstructured::new(&seed);
    let Ok(Some(layout)) = mimeo_fuzz::pdf_layout(&mut u) else { return };
    mimeo_fuzz::show(&doc, &layout);
    let ctx = Context { epoch: 1_600_000_000, print_pages: None, allow_missing_glyphs: true };
    if let Ok(output) = mimeo::backend::pdf::render(&doc, &layout, &ctx) {
        mimeo_fuzz::check_pdf(&output.bytes);
    }
});
