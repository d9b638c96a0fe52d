//! Where a line may break inside text: the Unicode line breaking algorithm
//! (UAX #14, through `unicode-linebreak`), tailored for CJK typesetting
//! (kinsoku shori) and never inside a grapheme cluster.
//!
//! Latin, Arabic-script and other spaced scripts break at spaces (and after
//! hyphens); Chinese and Japanese break between ideographs and kana, but
//! never before closing punctuation or after opening punctuation. The
//! callers measure; this module only says where breaks may go.

use unicode_linebreak::{BreakClass, BreakOpportunity, break_property, linebreaks};
use unicode_segmentation::GraphemeCursor;
use unicode_width::UnicodeWidthChar;

/// A place where a line may (or must) end: the line ends before `offset`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Opportunity {
    /// Byte offset into the text; always a grapheme cluster boundary,
    /// never 0 and never the text's length.
    pub offset: usize,
    /// A hard break (after a line feed or paragraph separator).
    pub mandatory: bool,
}

/// Characters that may not begin a line, beyond UAX #14's closing classes
/// (CL, CP, EX, IS, NS): the strict kinsoku set of JIS X 4051 and CLREQ
/// (small kana, iteration marks, prolonged sound mark, middle dots, and the
/// closing quotes that UAX #14 leaves ambiguous).
const NO_LINE_START: &str = "、。，．：；！？）」』】〕〉》〗〙〛｝］’”…‥ー々〻ゝゞヽヾぁぃぅぇぉっゃゅょゎゕゖァィゥェォッャュョヮヵヶㇰㇱㇲㇳㇴㇵㇶㇷㇸㇹㇺㇻㇼㇽㇾㇿ・·‧゠〜～％‰℃)]}";

/// Characters that may not end a line: opening brackets and quotes.
/// The middle dots that join the parts of transliterated names
/// (`妮露法·戈爾卡`) are in both sets.
const NO_LINE_END: &str = "（「『【〔〈《〖〘〚｛［‘“([{·‧";

/// Whether `c` may not begin a line (kinsoku: closing punctuation and the like).
pub fn no_line_start(c: char) -> bool {
    NO_LINE_START.contains(c)
        || matches!(
            break_property(c as u32),
            BreakClass::ClosePunctuation | BreakClass::CloseParenthesis | BreakClass::NonStarter
        )
}

/// Whether `c` may not end a line (kinsoku: opening punctuation).
pub fn no_line_end(c: char) -> bool {
    NO_LINE_END.contains(c) || break_property(c as u32) == BreakClass::OpenPunctuation
}

/// Whether `c` is written without spaces between words, so that lines
/// break between characters: ideographs, kana, and their full-width
/// punctuation (East Asian wide and full-width characters).
pub fn is_cjk(c: char) -> bool {
    !c.is_ascii()
        && (c.width() == Some(2)
            || matches!(
                break_property(c as u32),
                BreakClass::Ideographic | BreakClass::ConditionalJapaneseStarter
            ))
}

/// Whether `text` may break other than at spaces and hyphens: it holds
/// characters of a script written without spaces. A cheap test that lets
/// callers skip [`opportunities`] for most words.
pub fn breaks_between_characters(text: &str) -> bool {
    !text.is_ascii() && text.chars().any(is_cjk)
}

/// Every line break opportunity in `text`, in increasing order: UAX #14
/// (default rules; SA characters as alphabetic), then tailored for CJK:
///
/// - no break before a character of the kinsoku start set or after one of
///   the end set ([`no_line_start`], [`no_line_end`]);
/// - a break between a wide character and a quotation mark that opens or
///   closes on that side (`他說“你好”然後`: before `“`, after `”`), which
///   UAX #14's class QU forbids;
/// - only at grapheme cluster boundaries.
///
/// The end of the text is not an opportunity (the caller knows where text
/// ends), nor is its start.
pub fn opportunities(text: &str) -> Vec<Opportunity> {
    let mut out: Vec<Opportunity> = Vec::new();
    let mut uax14 = linebreaks(text).peekable();
    let mut previous: Option<char> = None;
    for (i, c) in text.char_indices() {
        while uax14.next_if(|&(at, _)| at < i).is_some() {}
        let given = uax14.peek().filter(|&&(at, _)| at == i).map(|&(_, kind)| kind);
        let Some(before) = previous else {
            previous = Some(c);
            continue;
        };
        previous = Some(c);
        let opportunity = match given {
            Some(BreakOpportunity::Mandatory) => Some(true),
            Some(BreakOpportunity::Allowed) if !no_line_start(c) && !no_line_end(before) => Some(false),
            Some(BreakOpportunity::Allowed) => None,
            // UAX #14 keeps quotation marks with both neighbours; CJK text
            // breaks outside them like outside brackets.
            None if (is_cjk(before) && matches!(c, '“' | '‘') && !no_line_end(before))
                || (matches!(before, '”' | '’') && is_cjk(c) && !no_line_start(c)) =>
            {
                Some(false)
            }
            None => None,
        };
        if let Some(mandatory) = opportunity
            && (mandatory || grapheme_boundary(text, i))
        {
            out.push(Opportunity { offset: i, mandatory });
        }
    }
    out
}

/// Whether a grapheme cluster boundary falls at byte `offset` of `text`.
pub fn grapheme_boundary(text: &str, offset: usize) -> bool {
    GraphemeCursor::new(offset, text.len(), true).is_boundary(text, 0).unwrap_or(false)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `text` split at its allowed breaks.
    fn pieces(text: &str) -> Vec<&str> {
        let mut out = Vec::new();
        let mut last = 0;
        for o in opportunities(text) {
            out.push(&text[last..o.offset]);
            last = o.offset;
        }
        out.push(&text[last..]);
        out
    }

    #[test]
    fn spaced_scripts_break_after_spaces_and_hyphens() {
        assert_eq!(pieces("decades-long battles"), ["decades-", "long ", "battles"]);
        assert_eq!(pieces("در سال 1,500 نفر."), ["در ", "سال ", "1,500 ", "نفر."]);
        // Zero-width non-joiner inside a Persian word is not a break.
        assert_eq!(pieces("گفت\u{200C}وگو"), ["گفت\u{200C}وگو"]);
    }

    #[test]
    fn ideographs_break_between_characters() {
        assert_eq!(pieces("全球起義"), ["全", "球", "起", "義"]);
        // Latin inside Chinese keeps together; the ideographs around it break.
        assert_eq!(pieces("用Rust寫"), ["用", "Rust", "寫"]);
    }

    #[test]
    fn kinsoku_no_break_before_closing_or_after_opening_punctuation() {
        let text = "運動。「五大訴求」（Lausan）成員，數年";
        for piece in &pieces(text)[1..] {
            assert!(!no_line_start(piece.chars().next().unwrap()), "{piece} starts a line");
        }
        for piece in pieces(text) {
            assert!(!no_line_end(piece.chars().last().unwrap()), "{piece} ends a line");
        }
        assert_eq!(pieces("運動。「五大"), ["運", "動。", "「五", "大"]);
        assert_eq!(pieces("（Lausan）成員"), ["（Lausan）", "成", "員"]);
        // Small kana and the prolonged sound mark do not start a line.
        assert_eq!(pieces("チョコレート"), ["チョ", "コ", "レー", "ト"]);
        // Middle dots in transliterated names stay with both neighbours.
        assert_eq!(pieces("妮露法·戈爾卡"), ["妮", "露", "法·戈", "爾", "卡"]);
    }

    #[test]
    fn quotation_marks_break_outside_in_cjk_text() {
        assert_eq!(pieces("他說“你好”然後"), ["他", "說", "“你", "好”", "然", "後"]);
        // In English they stay with their words, as UAX #14 says.
        assert_eq!(pieces("say “hello” now"), ["say ", "“hello” ", "now"]);
    }

    #[test]
    fn never_inside_a_grapheme_cluster() {
        // An ideograph with a variation selector, and a combining mark.
        let text = "葛\u{E0100}葛e\u{301}漢";
        for o in opportunities(text) {
            assert!(grapheme_boundary(text, o.offset), "{o:?}");
        }
        assert_eq!(pieces(text), ["葛\u{E0100}", "葛", "e\u{301}", "漢"]);
    }

    #[test]
    fn hard_breaks_are_mandatory() {
        let found = opportunities("一\n二");
        assert_eq!(found, [Opportunity { offset: 4, mandatory: true }]);
        assert!(breaks_between_characters("漢字") && !breaks_between_characters("خیزش‌های"));
    }
}
