//! Any bytes → parse → every format, as `mimeo build` does it: each
//! format's default layout and one more built-in layout chosen by the
//! bytes, EPUB page lists from the PDF edition, each edition checked
//! (PDF parses with lopdf, EPUB XML is well-formed, text fits its width).
//!
//! PDF editions go through `build::render`, so they are fuzzed as soon as
//! the PDF backend is wired in there; until then it returns a diagnostic.
#![no_main]

use std::collections::HashMap;

use libfuzzer_sys::fuzz_target;
use mimeo::build;
use mimeo::layout::{self, Format};

fuzz_target!(|data: &[u8]| {
    let Ok(parsed) = mimeo::source::parse_bytes(std::path::Path::new("fuzz/input.md"), data) else { return };
    let doc = &parsed.document;
    let builtin = layout::builtin();
    let mut layouts: Vec<_> =
        Format::ALL.iter().filter_map(|f| builtin.iter().find(|l| l.name == f.default_layout())).collect();
    layouts.push(&builtin[mimeo_fuzz::pick(data, builtin.len())]);
    layouts.sort_by_key(|l| l.format() != Format::Pdf);
    let options = build::Options { epoch: 1_600_000_000, allow_missing_glyphs: true };
    let mut cache = HashMap::new();
    for layout in layouts {
        // Without a PDF edition (not built, or refused) an EPUB has no page list.
        let pages = build::print_pages_for(&build::Book::Document(doc), layout, &options, &mut cache).unwrap_or(None);
        let Ok(output) = build::render(doc, layout, &options, pages.as_deref()) else { continue };
        if layout.format() == Format::Pdf {
            cache.insert(layout.name.clone(), output.page_starts.clone());
        }
        mimeo_fuzz::check_edition(layout, &output.bytes);
    }
});
