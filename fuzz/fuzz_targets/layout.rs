//! Any bytes as a layout file → the layout reader: never a panic; an
//! accepted layout renders a small document (PDF, EPUB or text) into a
//! valid edition, or refuses it with a diagnostic.
#![no_main]

use std::path::Path;
use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use mimeo::model::Document;

/// A short document with a question, turns, a note, a list and a quote.
fn document() -> &'static Document {
    static DOC: OnceLock<Document> = OnceLock::new();
    DOC.get_or_init(|| {
        let source = "---\ntitle: Layout\nsubtitle: Fuzzed\nparticipants:\n  - name: Ann Lee\n    bio: Ann.\n  - name: Bo\n    role: interviewer\n---\nAn introduction.[^1]\n\n## A question?\n\nBo: Well?\n\nAnn: An answer with *emphasis*, a list:\n\n- one\n- two\n\n> and a quote.\n\n[^1]: A note.\n";
        mimeo::source::parse_bytes(Path::new("fuzz/layout.md"), source.as_bytes()).unwrap().document
    })
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let Ok(layout) = mimeo::layout::parse(Path::new("fuzz/layout.yaml"), text, None) else { return };
    let options = mimeo::build::Options { epoch: 1_600_000_000, allow_missing_glyphs: true };
    if let Ok(output) = mimeo::build::render(document(), &layout, &options, None) {
        mimeo_fuzz::check_edition(&layout, &output.bytes);
    }
});
