//! Text of turns as the translation tools compare and copy it.

use crate::model::{Block, plain_text_of_blocks};

/// Whether two runs of blocks say the same words (a turn that still holds
/// the original's text, as `translate start` writes it, is untranslated).
pub fn same_text(a: &[Block], b: &[Block]) -> bool {
    plain_text_of_blocks(a) == plain_text_of_blocks(b)
}

/// A short, stable fingerprint of a text: 12 hex digits of its BLAKE3 hash.
pub fn fingerprint(text: &str) -> String {
    blake3::hash(text.as_bytes()).to_hex()[..12].to_string()
}

/// A turn's Markdown without its leading speaker label (`**Edward:**`,
/// `**Edward**:`, `Edward:` or the full-width `Edward：`), when the label
/// is one of `names`.
pub fn without_label<'a>(raw: &'a str, names: &[&str]) -> &'a str {
    let first_line = raw.lines().next().unwrap_or_default();
    let Some(colon) = first_line.find([':', '：']) else { return raw };
    let label = first_line[..colon].trim_matches(|c: char| c == '*' || c == '_' || c.is_whitespace());
    if !names.contains(&label) {
        return raw;
    }
    let width = first_line[colon..].chars().next().map_or(1, char::len_utf8);
    raw[colon + width..].trim_start_matches(['*', '_']).trim_start()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_are_taken_off_in_every_form() {
        let names = ["Edward", "Edward Hon-Sing Wong"];
        assert_eq!(without_label("**Edward:** In terms", &names), "In terms");
        assert_eq!(without_label("**Edward**: In terms", &names), "In terms");
        assert_eq!(without_label("Edward Hon-Sing Wong: In", &names), "In");
        assert_eq!(without_label("Price: five", &names), "Price: five");
        assert_eq!(without_label("爱德华：你好", &["爱德华"]), "你好");
    }
}
