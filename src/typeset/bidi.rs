//! Writing direction: which way a language, a marked span or a paragraph
//! runs, and the Unicode bidirectional algorithm (UAX #9, through
//! `unicode-bidi`) for lines that mix Persian or Arabic with Latin names
//! and numbers.
//!
//! Text is always kept in logical order; only a backend that places glyphs
//! (the PDF) asks for a line's visual order, through [`Paragraph`]. The
//! plain-text backend leaves reordering to the terminal and only needs to
//! know which side a paragraph is aligned to ([`block_direction`]).

use std::ops::Range;

use unicode_bidi::{BidiClass, Level, ParagraphBidiInfo, bidi_class};

use crate::model::{Direction, Inline};

/// The usual direction of a BCP 47 language tag: right to left for
/// Arabic, Persian, Hebrew, Urdu, Pashto, Kurdish Sorani and others, and
/// for any tag with an Arabic or Hebrew script subtag (`ku-Arab`).
pub fn language_direction(tag: &str) -> Direction {
    Direction::of_language(tag)
}

/// The direction of a marked span: as given, else its language's.
pub fn span_direction(language: &str, direction: Option<Direction>) -> Direction {
    direction.unwrap_or_else(|| language_direction(language))
}

/// When `inlines` are one marked span (white space around it aside), as a
/// paragraph or heading marked `{lang=fa}` arrives: its language, its
/// direction and its content.
pub fn whole_span(inlines: &[Inline]) -> Option<(&str, Direction, &[Inline])> {
    let mut found = None;
    for inline in inlines {
        match inline {
            Inline::Text(text) if text.trim().is_empty() => {}
            Inline::Span { language, direction, content } if found.is_none() => {
                found = Some((language.as_str(), span_direction(language, *direction), content.as_slice()));
            }
            _ => return None,
        }
    }
    found
}

/// The direction a block of `inlines` is set in: a wholly marked block's
/// own, else the surrounding one (`default`, the document's).
pub fn block_direction(inlines: &[Inline], default: Direction) -> Direction {
    whole_span(inlines).map_or(default, |(_, direction, _)| direction)
}

/// The direction of a strongly directional character (bidi classes L,
/// R and AL); `None` for digits, punctuation, spaces and marks.
pub fn char_direction(c: char) -> Option<Direction> {
    match bidi_class(c) {
        BidiClass::L => Some(Direction::Ltr),
        BidiClass::R | BidiClass::AL => Some(Direction::Rtl),
        _ => None,
    }
}

/// The direction of the first strong character (rules P2–P3 of UAX #9,
/// without skipping isolates), or `None` when there is none (digits and
/// punctuation only).
pub fn first_strong(text: &str) -> Option<Direction> {
    text.chars().find_map(char_direction)
}

/// A directional run of a line: a range of the paragraph's text (byte
/// offsets, logical order inside) and its embedding level.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Run {
    pub range: Range<usize>,
    /// Even: left to right; odd: right to left.
    pub level: u8,
}

impl Run {
    /// Whether the run's characters are laid out right to left (its glyphs
    /// are shaped with RTL direction, which also mirrors brackets).
    pub fn is_rtl(&self) -> bool {
        self.level % 2 == 1
    }
}

/// One paragraph analysed by the bidi algorithm with a known base
/// direction, to be queried line by line once lines are broken (rule L1
/// depends on where a line ends).
pub struct Paragraph<'a> {
    info: ParagraphBidiInfo<'a>,
}

impl<'a> Paragraph<'a> {
    /// Analyse `text` (one paragraph, logical order) with base direction
    /// `base`: the document's or the marked block's, never guessed.
    pub fn new(text: &'a str, base: Direction) -> Paragraph<'a> {
        let level = match base {
            Direction::Ltr => Level::ltr(),
            Direction::Rtl => Level::rtl(),
        };
        Paragraph { info: ParagraphBidiInfo::new(text, Some(level)) }
    }

    /// Whether any character is at a right-to-left level (when not, a line
    /// of an LTR paragraph can be placed as it is).
    pub fn has_rtl(&self) -> bool {
        self.info.has_rtl()
    }

    /// The runs of the line `line` (a byte range of the paragraph) in
    /// visual order, left to right. Each run's text stays in logical order:
    /// a right-to-left run is placed from its right edge.
    pub fn runs(&self, line: Range<usize>) -> Vec<Run> {
        if line.is_empty() {
            return Vec::new();
        }
        let (levels, runs) = self.info.visual_runs(line);
        runs.into_iter()
            .filter(|r| !r.is_empty())
            .map(|range| Run { level: levels[range.start].number(), range })
            .collect()
    }

    /// The line's characters in visual order, left to right (no mirroring
    /// of brackets): what a reader sees, for tests and debugging.
    pub fn visual(&self, line: Range<usize>) -> String {
        self.info.reorder_line(line).into_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn visual(text: &str, base: Direction) -> String {
        Paragraph::new(text, base).visual(0..text.len())
    }

    /// `text` with each run of RTL letters reversed, the way UAX #9 shows
    /// one right-to-left word: a helper to write expectations readably.
    fn rev(word: &str) -> String {
        word.chars().rev().collect()
    }

    #[test]
    fn directions_of_languages_and_spans() {
        for rtl in ["fa", "ar", "ckb", "he", "ur", "ku-Arab", "az-Arab-IR"] {
            assert_eq!(language_direction(rtl), Direction::Rtl, "{rtl}");
        }
        for ltr in ["en", "zh-Hant", "ku", "tr", "ja", "arn"] {
            assert_eq!(language_direction(ltr), Direction::Ltr, "{ltr}");
        }
        assert_eq!(span_direction("fa", Some(Direction::Ltr)), Direction::Ltr);
        assert_eq!(first_strong("1,500 نفر"), Some(Direction::Rtl));
        assert_eq!(first_strong("(2019) Erdoğan و"), Some(Direction::Ltr));
        assert_eq!(first_strong("2019."), None);
    }

    #[test]
    fn a_wholly_marked_paragraph_takes_its_spans_direction() {
        let span = |lang: &str| Inline::Span {
            language: lang.into(),
            direction: None,
            content: vec![Inline::Text("متن".into())],
        };
        let marked = vec![span("fa"), Inline::Text(" ".into())];
        assert_eq!(block_direction(&marked, Direction::Ltr), Direction::Rtl);
        assert_eq!(whole_span(&marked).map(|(l, ..)| l), Some("fa"));
        let mixed = vec![Inline::Text("In Persian: ".into()), span("fa")];
        assert_eq!(block_direction(&mixed, Direction::Ltr), Direction::Ltr);
        assert_eq!(block_direction(&[span("en")], Direction::Rtl), Direction::Ltr);
    }

    // The expectations below follow UAX #9 by hand (rules W2, W4, W7, N1,
    // N2, I1–I2, L1–L2), as BidiCharacterTest.txt states them.

    #[test]
    fn numbers_in_persian_read_left_to_right() {
        // EN after R is raised to level 2: the number keeps its digit order.
        let text = "در سال 2019 بیش از 1,500 نفر";
        let expected =
            format!("{} 1,500 {} {} 2019 {} {}", rev("نفر"), rev("از"), rev("بیش"), rev("سال"), rev("در"));
        assert_eq!(visual(text, Direction::Rtl), expected);
        // Extended Arabic-Indic digits (EN) and Arabic-Indic digits after
        // Arabic letters (AN, rule W2) too.
        assert_eq!(
            visual("بهار ۲۰۲۰ انجام", Direction::Rtl),
            format!("{} ۲۰۲۰ {}", rev("انجام"), rev("بهار"))
        );
        assert_eq!(visual("عام 2020", Direction::Rtl), format!("2020 {}", rev("عام")));
    }

    #[test]
    fn latin_names_in_persian_keep_their_order_and_the_sentence_reads_right() {
        let text = "رهبرانی مانند Erdoğan و Assad سود بردند.";
        let expected =
            format!(".{} {} Assad و Erdoğan {} {}", rev("بردند"), rev("سود"), rev("مانند"), rev("رهبرانی"));
        assert_eq!(visual(text, Direction::Rtl), expected);
        let p = Paragraph::new(text, Direction::Rtl);
        let runs = p.runs(0..text.len());
        // Visual order, left to right: the full stop's RTL run comes first,
        // Assad before Erdoğan.
        let names: Vec<&str> = runs.iter().filter(|r| !r.is_rtl()).map(|r| &text[r.range.clone()]).collect();
        assert_eq!(names, ["Assad", "Erdoğan"]);
        assert!(runs[0].is_rtl() && text[runs[0].range.clone()].ends_with('.'));
    }

    #[test]
    fn persian_in_an_english_line_and_the_trap_of_the_wrong_base() {
        let text = "In Persian we say همبستگی for solidarity.";
        assert_eq!(
            visual(text, Direction::Ltr),
            format!("In Persian we say {} for solidarity.", rev("همبستگی"))
        );
        // A Persian sentence ending in a full stop: with an RTL base the
        // stop is at the left end (the sentence's end); with an LTR base it
        // would be at the right, which is why direction is marked, not guessed.
        let sentence = "انجام شد.";
        assert_eq!(visual(sentence, Direction::Rtl), format!(".{} {}", rev("شد"), rev("انجام")));
        assert_eq!(visual(sentence, Direction::Ltr), format!("{} {}.", rev("شد"), rev("انجام")));
    }

    #[test]
    fn lines_are_reordered_on_their_own() {
        // Broken into two lines, each is reordered within itself (L1–L2):
        // the second line's number does not jump into the first.
        let text = "کشته شدند 1,500 نفر";
        let p = Paragraph::new(text, Direction::Rtl);
        let cut = text.find("1,500").unwrap();
        // The space before the cut ends the line: at the paragraph level (L1),
        // it is at the line's visual left end.
        assert_eq!(p.visual(0..cut), format!(" {} {}", rev("شدند"), rev("کشته")));
        assert_eq!(p.visual(cut..text.len()), format!("{} 1,500", rev("نفر")));
        assert!(p.has_rtl());
        assert!(!Paragraph::new("plain English", Direction::Ltr).has_rtl());
        assert_eq!(p.runs(0..0), []);
    }
}
