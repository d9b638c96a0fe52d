//! Any bytes → `mimeo import --from odt`: the bytes as the file, or as
//! `content.xml` inside a ZIP; never a panic or a stack overflow (nesting
//! is bounded), an error names the file, an import keeps every word.
#![no_main]

use libfuzzer_sys::fuzz_target;
use mimeo::import::Format;

#[path = "import_common.rs"]
mod common;

fuzz_target!(|data: &[u8]| {
    let mimetype = Some("application/vnd.oasis.opendocument.text");
    common::check(Format::Odt, "fuzz.odt", &common::container(data, "content.xml", mimetype))
});
