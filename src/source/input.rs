//! Bytes → text: the checks every source file passes before it is parsed.
//!
//! A source must be UTF-8 text. A BOM is dropped; CRLF and lone CR line
//! endings become LF (line numbers are unchanged by this); other control
//! characters, which no output format can carry, are dropped with a warning.

use std::path::Path;

use crate::diag::{Diagnostic, Location};

/// How much of a file is sniffed for binary content.
const SNIFF_LEN: usize = 8192;

/// Decoded, normalised text plus any warnings about what was cleaned.
pub struct Decoded {
    pub text: String,
    pub warnings: Vec<Diagnostic>,
}

/// Check and normalise the bytes of the source file at `path`.
pub fn decode(path: &Path, bytes: &[u8]) -> Result<Decoded, Diagnostic> {
    let here = || Location::file(path);
    if bytes.starts_with(&[0xFF, 0xFE]) || bytes.starts_with(&[0xFE, 0xFF]) || looks_like_utf16(bytes) {
        return Err(Diagnostic::error("the file is UTF-16 text; mimeo sources must be UTF-8")
            .at(here())
            .hint("save it as UTF-8, or run `mimeo import` on it, which converts UTF-16"));
    }
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    if bytes.iter().all(|b| b.is_ascii_whitespace()) {
        return Err(Diagnostic::error("the file is empty")
            .at(here())
            .hint("a source starts with front matter: a `---` line, `title: ...`, and another `---` line"));
    }
    if looks_binary(&bytes[..bytes.len().min(SNIFF_LEN)]) {
        return Err(Diagnostic::error("this is a binary file, not a Markdown source").at(here()));
    }
    let text = match std::str::from_utf8(bytes) {
        Ok(text) => text,
        Err(e) => {
            let valid = std::str::from_utf8(&bytes[..e.valid_up_to()]).unwrap_or_default();
            let bad = bytes[e.valid_up_to()];
            return Err(Diagnostic::error(format!("the file is not valid UTF-8 (byte 0x{bad:02X} here)"))
                .at(Location::at_offset(path, valid, valid.len()))
                .hint("save it as UTF-8, or run `mimeo import` on it, which converts Windows-1252"));
        }
    };
    if let Some(offset) = text.find('\0') {
        return Err(Diagnostic::error("the file contains a NUL byte")
            .at(Location::at_offset(path, text, offset))
            .hint("a text source never contains NUL; is this the right file?"));
    }
    Ok(normalise(path, text))
}

/// LF line endings; control characters other than tab and newline dropped.
fn normalise(path: &Path, text: &str) -> Decoded {
    let mut out = String::with_capacity(text.len());
    let mut warnings = Vec::new();
    let mut chars = text.char_indices().peekable();
    while let Some((offset, c)) = chars.next() {
        match c {
            '\r' => {
                if chars.peek().map(|&(_, next)| next) != Some('\n') {
                    out.push('\n');
                }
            }
            '\n' | '\t' => out.push(c),
            c if is_forbidden_control(c) => {
                if warnings.is_empty() {
                    warnings.push(
                        Diagnostic::warning(format!(
                            "control character U+{:04X} dropped (and any others after it)",
                            c as u32
                        ))
                        .at(Location::at_offset(path, text, offset)),
                    );
                }
            }
            c => out.push(c),
        }
    }
    Decoded { text: out, warnings }
}

/// C0 and C1 controls (but tab, LF, CR) and DEL: XML forbids most of them
/// and no edition can show them.
fn is_forbidden_control(c: char) -> bool {
    (c.is_control() && !matches!(c, '\t' | '\n' | '\r')) || matches!(c, '\u{FFFE}' | '\u{FFFF}')
}

/// UTF-16 without a BOM: ASCII text with a NUL in every other byte.
fn looks_like_utf16(bytes: &[u8]) -> bool {
    let sample = &bytes[..bytes.len().min(SNIFF_LEN)];
    if sample.len() < 4 {
        return false;
    }
    let zeros_even = sample.iter().step_by(2).filter(|&&b| b == 0).count();
    let zeros_odd = sample.iter().skip(1).step_by(2).filter(|&&b| b == 0).count();
    let half = sample.len() / 2;
    zeros_even.max(zeros_odd) * 10 > half * 9 && zeros_even.min(zeros_odd) * 10 < half
}

/// Binary data: many NULs or control bytes, as in images, archives,
/// executables (also what `mimeo import` refuses).
pub fn looks_binary(sample: &[u8]) -> bool {
    let suspicious = sample
        .iter()
        .filter(|&&b| b == 0 || (b < 0x20 && !matches!(b, b'\t' | b'\n' | b'\r' | 0x0C)))
        .count();
    let nuls = sample.iter().filter(|&&b| b == 0).count();
    nuls > 1 || (suspicious >= 4 && suspicious * 20 > sample.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn decode_str(bytes: &[u8]) -> Result<String, Diagnostic> {
        decode(Path::new("t.md"), bytes).map(|d| d.text)
    }

    #[test]
    fn bom_and_line_endings_are_normalised() {
        assert_eq!(decode_str(b"\xEF\xBB\xBFa\r\nb\rc\n").unwrap(), "a\nb\nc\n");
    }

    #[test]
    fn utf16_is_refused_with_or_without_bom() {
        let utf16: Vec<u8> = "---\ntitle: x\n---\n".encode_utf16().flat_map(u16::to_le_bytes).collect();
        assert!(decode_str(&utf16).unwrap_err().message.contains("UTF-16"));
        let mut with_bom = vec![0xFF, 0xFE];
        with_bom.extend(&utf16);
        assert!(decode_str(&with_bom).unwrap_err().message.contains("UTF-16"));
    }

    #[test]
    fn invalid_utf8_names_the_place() {
        let err = decode_str(b"---\ntitle: caf\xE9\n---\n").unwrap_err();
        let loc = err.location.unwrap();
        assert_eq!((loc.line, loc.column), (Some(2), Some(11)));
    }

    #[test]
    fn a_stray_control_character_is_dropped_with_a_warning() {
        let decoded = decode(Path::new("t.md"), b"a\x07b").unwrap();
        assert_eq!(decoded.text, "ab");
        assert_eq!(decoded.warnings.len(), 1);
    }
}
