//! Any bytes → `mimeo import --from vtt` (WebVTT): never a panic, an
//! error names the file, and an import keeps every word.
#![no_main]

use libfuzzer_sys::fuzz_target;
use mimeo::import::Format;

#[path = "import_common.rs"]
mod common;

fuzz_target!(|data: &[u8]| common::check(Format::Vtt, "fuzz.vtt", data));
