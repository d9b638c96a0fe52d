//! XML text for OPF, nav and XHTML: escaping, and dropping what XML forbids.
//!
//! Everything that reaches the archive passes through here. XML 1.0 allows
//! neither C0 controls (but tab, LF, CR) nor U+FFFE/U+FFFF; C1 controls and
//! other noncharacters are allowed but make EPUB readers and checkers
//! stumble, so they go too. Short fields (titles, names) also lose bidi
//! embedding, override and isolate controls, which could otherwise reverse
//! the text that follows them in a reading system's library view.

/// Whether `c` may appear in the e-book's text at all.
pub fn allowed(c: char) -> bool {
    match c {
        '\t' | '\n' | '\r' => true,
        '\u{0}'..='\u{1F}' | '\u{7F}'..='\u{9F}' => false,
        '\u{FDD0}'..='\u{FDEF}' => false,
        c => (c as u32) & 0xFFFE != 0xFFFE,
    }
}

/// Bidi embedding, override and isolate controls (but not the marks
/// U+200E/U+200F, which cannot leak past their own position).
fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

/// Append `text` escaped for element content, without forbidden characters.
pub fn push_text(out: &mut String, text: &str) {
    push_escaped(out, text, false);
}

/// Append `text` escaped for a double-quoted attribute value.
pub fn push_attr(out: &mut String, text: &str) {
    push_escaped(out, text, true);
}

fn push_escaped(out: &mut String, text: &str, attribute: bool) {
    let mut start = 0;
    for (i, c) in text.char_indices() {
        let replacement = match c {
            '&' => "&amp;",
            '<' => "&lt;",
            '>' => "&gt;",
            '"' if attribute => "&quot;",
            '\n' if attribute => "&#10;",
            '\t' if attribute => "&#9;",
            '\r' => "&#13;",
            c if !allowed(c) => "",
            _ => continue,
        };
        out.push_str(&text[start..i]);
        out.push_str(replacement);
        start = i + c.len_utf8();
    }
    out.push_str(&text[start..]);
}

/// `text` escaped for element content.
pub fn text(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    push_text(&mut out, text);
    out
}

/// A one-line field (title, name, date) cleaned for metadata and headings:
/// forbidden characters and bidi controls dropped, white space collapsed.
pub fn clean_field(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for word in text.split(|c: char| c.is_whitespace()).filter(|w| !w.is_empty()) {
        if !out.is_empty() {
            out.push(' ');
        }
        out.extend(word.chars().filter(|&c| allowed(c) && !is_bidi_control(c)));
    }
    out.trim().to_string()
}

/// A one-line field, cleaned and escaped for element content.
pub fn field(text: &str) -> String {
    self::text(&clean_field(text))
}

/// A one-line field, cleaned and escaped for an attribute value.
pub fn field_attr(text: &str) -> String {
    let mut out = String::new();
    push_attr(&mut out, &clean_field(text));
    out
}

/// Whether `tag` has the shape of a BCP 47 language tag (what `xml:lang`
/// and `dc:language` accept).
pub fn is_language_tag(tag: &str) -> bool {
    let mut parts = tag.split('-');
    let primary = parts.next().unwrap_or_default();
    (2..=8).contains(&primary.len())
        && primary.chars().all(|c| c.is_ascii_alphabetic())
        && parts.all(|p| (1..=8).contains(&p.len()) && p.chars().all(|c| c.is_ascii_alphanumeric()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markup_is_escaped_and_forbidden_characters_dropped() {
        assert_eq!(text("a <b> & ]]> \"q\""), "a &lt;b&gt; &amp; ]]&gt; \"q\"");
        let mut attr = String::new();
        push_attr(&mut attr, "say \"hi\"\n<x>");
        assert_eq!(attr, "say &quot;hi&quot;&#10;&lt;x&gt;");
        assert_eq!(text("a\u{0}b\u{1}c\u{7}d\u{85}e\u{FFFE}f\u{1FFFF}g"), "abcdefg");
        assert_eq!(text("tab\there"), "tab\there");
        assert_eq!(text("ünï 中文 🙂"), "ünï 中文 🙂");
    }

    #[test]
    fn fields_lose_bidi_controls_and_line_breaks() {
        assert_eq!(clean_field("  \u{202E}evil\u{202C}\n title \u{2067}x\u{2069} "), "evil title x");
        assert_eq!(field("A & <B>"), "A &amp; &lt;B&gt;");
        assert_eq!(field_attr("\"q\""), "&quot;q&quot;");
        assert_eq!(clean_field("\u{200F}مرحبا"), "\u{200F}مرحبا");
    }

    #[test]
    fn language_tags() {
        assert!(is_language_tag("en"));
        assert!(is_language_tag("zh-Hant-TW"));
        assert!(!is_language_tag("e n"));
        assert!(!is_language_tag("\"><x"));
        assert!(!is_language_tag(""));
    }
}
