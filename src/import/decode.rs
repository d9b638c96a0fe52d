//! Raw bytes → text: the encodings transcripts arrive in (UTF-8 with or
//! without BOM, UTF-16, Windows-1252), line endings, and refusing what is
//! not text at all (images, word-processor files, empty files).

use std::path::Path;

use crate::diag::{Diagnostic, Location};
use crate::source::looks_binary;

/// How much of a file is sniffed for binary content.
const SNIFF_LEN: usize = 8192;

/// Decoded text (LF line endings, no BOM, no control characters but tab and
/// newline) and notices about what was converted.
#[derive(Debug)]
pub struct Decoded {
    pub text: String,
    pub notices: Vec<Diagnostic>,
    /// The encoding the bytes were read as, for the comment block.
    pub encoding: &'static str,
}

/// The encoding of `bytes`: a BOM wins, then NUL patterns (UTF-16 without
/// BOM), then UTF-8 if it is mostly valid (a stray bad byte in UTF-8 text
/// becomes U+FFFD rather than turning every accent into mojibake), else
/// Windows-1252.
pub fn detect_encoding(bytes: &[u8]) -> &'static encoding_rs::Encoding {
    if let Some((encoding, _)) = encoding_rs::Encoding::for_bom(bytes) {
        return encoding;
    }
    if let Some(encoding) = utf16_without_bom(bytes) {
        return encoding;
    }
    let (mut multibyte, mut invalid) = (0usize, 0usize);
    for chunk in bytes.utf8_chunks() {
        multibyte += chunk.valid().chars().filter(|c| !c.is_ascii()).count();
        invalid += usize::from(!chunk.invalid().is_empty());
    }
    if invalid == 0 || multibyte > invalid { encoding_rs::UTF_8 } else { encoding_rs::WINDOWS_1252 }
}

/// Check and decode the raw transcript at `path`.
pub fn decode(path: &Path, bytes: &[u8]) -> Result<Decoded, Diagnostic> {
    let here = || Location::file(path);
    if bytes.iter().all(|b| b.is_ascii_whitespace()) {
        return Err(Diagnostic::error("the file is empty; there is nothing to import").at(here()));
    }
    if let Some(what) = known_binary(bytes) {
        return Err(Diagnostic::error(format!("this is {what}, not a plain-text transcript"))
            .at(here())
            .hint("save the transcript as plain text (.txt) and import that"));
    }
    let encoding = detect_encoding(bytes);
    let is_utf16 = encoding == encoding_rs::UTF_16LE || encoding == encoding_rs::UTF_16BE;
    if !is_utf16 && looks_binary(&bytes[..bytes.len().min(SNIFF_LEN)]) {
        return Err(Diagnostic::error("this is a binary file, not a plain-text transcript")
            .at(here())
            .hint("save the transcript as plain text (.txt) and import that"));
    }
    let (text, _, had_errors) = encoding.decode(bytes);
    let mut notices = Vec::new();
    if encoding != encoding_rs::UTF_8 {
        notices.push(
            Diagnostic::warning(format!("the file is {} text; converted to UTF-8", encoding.name()))
                .at(here())
                .hint("check letters outside ASCII (accents, quotes, dashes) in the result"),
        );
    }
    if had_errors {
        notices.push(
            Diagnostic::warning(format!(
                "some bytes are not valid {}; they became U+FFFD (�)",
                encoding.name()
            ))
            .at(here()),
        );
    }
    let (text, dropped) = normalise(&text);
    if dropped > 0 {
        notices.push(Diagnostic::warning(format!("{dropped} control character(s) dropped")).at(here()));
    }
    if text.trim().is_empty() {
        return Err(Diagnostic::error("the file holds no text; there is nothing to import").at(here()));
    }
    Ok(Decoded { text, notices, encoding: encoding.name() })
}

/// LF line endings; form feeds (page breaks) and Unicode line and paragraph
/// separators become blank lines; other control characters are dropped
/// (returned: how many).
fn normalise(text: &str) -> (String, usize) {
    let mut out = String::with_capacity(text.len());
    let mut dropped = 0;
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\r' if chars.peek() == Some(&'\n') => {}
            '\r' | '\n' | '\u{2028}' | '\u{85}' => out.push('\n'),
            '\u{0C}' | '\u{2029}' => out.push_str("\n\n"),
            '\t' => out.push(c),
            '\u{FEFF}' => {}
            c if c.is_control() || matches!(c, '\u{FFFE}' | '\u{FFFF}') => dropped += 1,
            c => out.push(c),
        }
    }
    (out, dropped)
}

/// UTF-16 without a BOM: ASCII-range text with a NUL in every other byte.
fn utf16_without_bom(bytes: &[u8]) -> Option<&'static encoding_rs::Encoding> {
    let sample = &bytes[..bytes.len().min(SNIFF_LEN) & !1];
    if sample.len() < 4 {
        return None;
    }
    let zeros_even = sample.iter().step_by(2).filter(|&&b| b == 0).count();
    let zeros_odd = sample.iter().skip(1).step_by(2).filter(|&&b| b == 0).count();
    let half = sample.len() / 2;
    if zeros_odd * 10 > half * 9 && zeros_even * 10 < half {
        Some(encoding_rs::UTF_16LE)
    } else if zeros_even * 10 > half * 9 && zeros_odd * 10 < half {
        Some(encoding_rs::UTF_16BE)
    } else {
        None
    }
}

/// Formats people mistake for text, by their magic bytes.
fn known_binary(bytes: &[u8]) -> Option<&'static str> {
    const MAGIC: &[(&[u8], &str)] = &[
        (b"%PDF", "a PDF file"),
        (b"PK\x03\x04", "a ZIP archive (a .docx, .odt or .epub file?)"),
        (b"\xD0\xCF\x11\xE0", "an old Word (.doc) file"),
        (b"{\\rtf", "an RTF file"),
        (b"\x89PNG", "a PNG image"),
        (b"\xFF\xD8\xFF", "a JPEG image"),
        (b"GIF8", "a GIF image"),
        (b"ID3", "an MP3 recording"),
        (b"RIFF", "a RIFF (WAV, WebP) file"),
        (b"OggS", "an Ogg recording"),
        (b"fLaC", "a FLAC recording"),
    ];
    MAGIC.iter().find(|(magic, _)| bytes.starts_with(magic)).map(|(_, what)| *what)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(bytes: &[u8]) -> String {
        decode(Path::new("raw.txt"), bytes).unwrap().text
    }

    #[test]
    fn utf8_with_bom_and_crlf() {
        let decoded = decode(Path::new("raw.txt"), b"\xEF\xBB\xBFa\r\nb\rc\n").unwrap();
        assert_eq!(decoded.text, "a\nb\nc\n");
        assert!(decoded.notices.is_empty());
    }

    #[test]
    fn utf16_with_and_without_bom_is_converted_with_a_notice() {
        let le: Vec<u8> = "Ana: olá\n".encode_utf16().flat_map(u16::to_le_bytes).collect();
        let be: Vec<u8> = "Ana: olá\n".encode_utf16().flat_map(u16::to_be_bytes).collect();
        let mut le_bom = vec![0xFF, 0xFE];
        le_bom.extend(&le);
        for bytes in [&le, &be, &le_bom] {
            let decoded = decode(Path::new("raw.txt"), bytes).unwrap();
            assert_eq!(decoded.text, "Ana: olá\n");
            assert!(decoded.notices[0].message.contains("UTF-16"), "{:?}", decoded.notices);
        }
    }

    #[test]
    fn windows_1252_is_converted_with_a_notice() {
        let decoded = decode(Path::new("raw.txt"), b"Caf\xE9 \x93quoted\x94 \x96 dash").unwrap();
        assert_eq!(decoded.text, "Café “quoted” – dash");
        assert!(decoded.notices[0].message.contains("windows-1252"));
    }

    #[test]
    fn a_stray_bad_byte_in_utf8_text_does_not_make_it_windows_1252() {
        let decoded = decode(Path::new("raw.txt"), "It’s “here” and \u{e9}".as_bytes()).unwrap();
        assert!(decoded.notices.is_empty());
        let mut bytes = "It’s “here” and more".as_bytes().to_vec();
        bytes.push(0xE9);
        let decoded = decode(Path::new("raw.txt"), &bytes).unwrap();
        assert_eq!(decoded.text, "It’s “here” and more\u{FFFD}");
        assert!(decoded.notices[0].message.contains("not valid UTF-8"), "{:?}", decoded.notices);
    }

    #[test]
    fn binary_and_empty_files_are_refused() {
        let path = Path::new("raw.txt");
        assert!(decode(path, b"").unwrap_err().message.contains("empty"));
        assert!(decode(path, b" \n\t\n").unwrap_err().message.contains("empty"));
        assert!(decode(path, b"\x89PNG\r\n\x1a\n\0\0").unwrap_err().message.contains("PNG"));
        assert!(decode(path, b"PK\x03\x04rest").unwrap_err().message.contains(".docx"));
        assert!(decode(path, b"\x01\x02\x03\x04\x05\x00abc\x00").unwrap_err().message.contains("binary"));
        assert_eq!(decode(path, b"").unwrap_err().location, Some(Location::file(path)));
    }

    #[test]
    fn page_breaks_separate_paragraphs_and_controls_are_dropped() {
        assert_eq!(text(b"a\x0Cb\x07c"), "a\n\nbc");
    }
}
