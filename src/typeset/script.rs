//! Runs of text in one family of scripts, for choosing a font and shaping:
//! Arabic script (Persian, Arabic, Kurdish Sorani, Urdu …) needs a font with
//! joining forms, CJK a font with ideographs, and the rest (Latin, Greek,
//! Cyrillic …) is set in the body font.
//!
//! Characters of no script of their own (spaces, digits, punctuation,
//! combining marks, joiners) go with the run around them, so that a shaper
//! sees whole words and sentences: `2019` inside Persian stays in the
//! Persian run, `(Lausan)` between Persian words is a run of its own only
//! for its letters. Which glyphs a given font lacks is the PDF backend's
//! business (fallback per character); this is the font-free first guess.

use std::ops::Range;

use super::segment;

/// A family of scripts that share a font.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ScriptClass {
    /// Latin, Greek, Cyrillic and other scripts the body font covers.
    Body,
    /// Arabic script: joining forms and marks, shaped right to left.
    Arabic,
    /// Hebrew script.
    Hebrew,
    /// Chinese, Japanese and Korean: ideographs, kana, hangul and their
    /// full-width punctuation.
    Cjk,
}

/// The script family of `c`, or `None` when it has no script of its own
/// (spaces, ASCII digits, punctuation, symbols, marks, joiners).
pub fn class_of(c: char) -> Option<ScriptClass> {
    match c {
        '\u{0600}'..='\u{06FF}'
        | '\u{0750}'..='\u{077F}'
        | '\u{0870}'..='\u{08FF}'
        | '\u{FB50}'..='\u{FDFF}'
        | '\u{FE70}'..='\u{FEFF}' => {
            // Arabic punctuation and digits are Arabic too; the tatweel
            // and marks are letters' companions, also Arabic.
            Some(ScriptClass::Arabic)
        }
        '\u{0590}'..='\u{05FF}' | '\u{FB1D}'..='\u{FB4F}' => Some(ScriptClass::Hebrew),
        c if segment::is_cjk(c) => Some(ScriptClass::Cjk),
        c if c.is_alphabetic() => Some(ScriptClass::Body),
        _ => None,
    }
}

/// A run of `text` (byte range) in one script family.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScriptRun {
    pub range: Range<usize>,
    pub class: ScriptClass,
}

/// `text` cut into runs of one script family, in logical order, covering
/// all of it. Characters without a script join the run before them (the
/// first run when they lead); text without any script is one `Body` run.
/// Combine with [`super::bidi::Paragraph::runs`] to get runs of one script
/// and one direction, the unit a shaper takes.
pub fn script_runs(text: &str) -> Vec<ScriptRun> {
    let mut runs: Vec<ScriptRun> = Vec::new();
    for (i, c) in text.char_indices() {
        let end = i + c.len_utf8();
        match (class_of(c), runs.last_mut()) {
            (Some(class), Some(last)) if last.class != class => {
                runs.push(ScriptRun { range: i..end, class });
            }
            (Some(class), None) => runs.push(ScriptRun { range: 0..end, class }),
            (_, Some(last)) => last.range.end = end,
            (None, None) => {}
        }
    }
    match runs.first_mut() {
        Some(first) => first.range.start = 0,
        None if !text.is_empty() => runs.push(ScriptRun { range: 0..text.len(), class: ScriptClass::Body }),
        None => {}
    }
    runs
}

#[cfg(test)]
mod tests {
    use super::*;
    use ScriptClass::*;

    fn runs(text: &str) -> Vec<(&str, ScriptClass)> {
        script_runs(text).into_iter().map(|r| (&text[r.range], r.class)).collect()
    }

    #[test]
    fn persian_with_a_latin_name_and_numbers() {
        assert_eq!(
            runs("در سال 2019 رهبرانی مانند Erdoğan و Assad، ۱۳۹۸."),
            [
                ("در سال 2019 رهبرانی مانند ", Arabic),
                ("Erdoğan ", Body),
                ("و ", Arabic),
                ("Assad", Body),
                ("، ۱۳۹۸.", Arabic)
            ]
        );
        // The zero-width non-joiner stays inside its word.
        assert_eq!(runs("گفت\u{200C}وگو"), [("گفت\u{200C}وگو", Arabic)]);
        // Kurdish Sorani letters are Arabic script.
        assert_eq!(runs("ڕاپەڕینە"), [("ڕاپەڕینە", Arabic)]);
    }

    #[test]
    fn chinese_with_latin_and_full_width_punctuation() {
        assert_eq!(runs("流傘（Lausan）成員。"), [("流傘（", Cjk), ("Lausan", Body), ("）成員。", Cjk)]);
    }

    #[test]
    fn leading_neutrals_and_text_without_letters() {
        assert_eq!(runs("«سلام» hello"), [("«سلام» ", Arabic), ("hello", Body)]);
        assert_eq!(runs("1,500 — 3"), [("1,500 — 3", Body)]);
        assert_eq!(runs(""), []);
        // Every byte is covered, in order.
        let text = "A漢字b שלום ج";
        let all = script_runs(text);
        assert_eq!(all.first().unwrap().range.start, 0);
        assert_eq!(all.last().unwrap().range.end, text.len());
        assert!(all.windows(2).all(|w| w[0].range.end == w[1].range.start && w[0].class != w[1].class));
    }
}
