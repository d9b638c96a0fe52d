//! Any bytes → `mimeo import --from docx`: the bytes as the file, or as
//! `word/document.xml` inside a ZIP; never a panic or a stack overflow
//! (nesting is bounded), an error names the file, an import keeps every word.
#![no_main]

use libfuzzer_sys::fuzz_target;
use mimeo::import::Format;

#[path = "import_common.rs"]
mod common;

fuzz_target!(|data: &[u8]| {
    common::check(Format::Docx, "fuzz.docx", &common::container(data, "word/document.xml", None))
});
