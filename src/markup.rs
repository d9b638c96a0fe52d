//! Text written into the HTML and XML the catalogue and the preview serve:
//! escaped so no title can open a tag, and URL paths percent-encoded so no
//! file name can break a link. (The EPUB backend has its own, stricter
//! rules in `backend/epub/xml.rs`, which also drop bidi controls.)

use percent_encoding::{AsciiSet, NON_ALPHANUMERIC};

/// Text or an attribute value for XML and HTML: `&`, `<`, `>`, `"` and `'`
/// escaped, and the control characters XML 1.0 forbids dropped.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            '\t' | '\n' | '\r' => out.push(c),
            c if (c as u32) < 0x20 || c == '\u{FFFE}' || c == '\u{FFFF}' => {}
            c => out.push(c),
        }
    }
    out
}

/// What a URL path segment keeps as it is: letters, digits and `-._~`.
const SEGMENT: &AsciiSet = &NON_ALPHANUMERIC.remove(b'-').remove(b'_').remove(b'.').remove(b'~');

/// `text` percent-encoded as one URL path segment.
pub fn segment(text: &str) -> String {
    percent_encoding::utf8_percent_encode(text, SEGMENT).to_string()
}

/// A relative path as a URL reference: each segment percent-encoded, so
/// a space or `#` in an edition's name still links to it.
pub fn href(path: &str) -> String {
    path.split('/').map(segment).collect::<Vec<_>>().join("/")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_markup_and_drops_forbidden_controls() {
        assert_eq!(escape("a<b & \"c\"\u{1}"), "a&lt;b &amp; &quot;c&quot;");
    }

    #[test]
    fn hrefs_keep_slashes_and_encode_the_rest() {
        assert_eq!(href("a b/c#d.pdf"), "a%20b/c%23d.pdf");
        assert_eq!(href("fa/خیزش.epub"), "fa/%D8%AE%DB%8C%D8%B2%D8%B4.epub");
    }
}
