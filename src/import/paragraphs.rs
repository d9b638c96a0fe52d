//! Lines → paragraphs: blank lines separate paragraphs; hard-wrapped lines
//! (text broken at a fixed width by a mail client or word processor) are
//! joined again, and a label alone on its line is joined to the speech
//! below it.

use super::labels::{label_line, parse_label};

/// One paragraph of the raw text, on one line, with runs of white space
/// folded to single spaces.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Paragraph {
    pub text: String,
    /// The 1-based line it starts on in the raw text.
    pub line: usize,
    /// The same text with inline markup as [`super::rich`] marks it (from a
    /// DOCX or ODT file); `text` is then that text without the marks.
    pub rich: Option<String>,
    /// The speaker the file names for this paragraph (a WebVTT voice, a
    /// Whisper `speaker`), when it opens a turn; `text` holds no label then.
    pub speaker: Option<String>,
    /// The file marks this paragraph as a heading (DOCX/ODT): a question.
    pub heading: bool,
    /// When the paragraph starts in the recording, in milliseconds.
    pub time_ms: Option<u64>,
    /// The cues it was merged from, in order: their times and their text
    /// (white space folded), so that `--timestamps` can time each.
    pub cues: Vec<(u64, u64, String)>,
}

impl Paragraph {
    /// A plain paragraph of text starting on `line`.
    pub fn new(text: String, line: usize) -> Self {
        Paragraph { text, line, ..Paragraph::default() }
    }
}

/// The paragraphs and what was done to find them.
#[derive(Debug, Default)]
pub struct Paragraphs {
    pub paragraphs: Vec<Paragraph>,
    /// The width the text was wrapped at, when it was.
    pub wrap_width: Option<usize>,
    /// How many line breaks inside paragraphs were removed.
    pub joined_lines: usize,
}

/// The widest a hard-wrapped text is assumed to be; longer lines mean the
/// text holds one paragraph per line.
const MAX_WRAP_WIDTH: usize = 160;
/// The narrowest: short lines are lines of their own (a list of one-line
/// answers), not a text wrapped at 12 columns.
const MIN_WRAP_WIDTH: usize = 40;

/// Split `text` (LF line endings) into paragraphs; `unwrap` joins the
/// lines of a hard-wrapped text (`--no-unwrap` turns it off).
pub fn split_paragraphs(text: &str, unwrap: bool) -> Paragraphs {
    let lines: Vec<&str> = text.split('\n').map(str::trim_end).collect();
    let wrap_width = wrap_width(&lines).filter(|_| unwrap);
    let mut out = Paragraphs { wrap_width, ..Paragraphs::default() };
    let mut current: Option<Paragraph> = None;
    for (i, line) in lines.iter().enumerate() {
        if line.trim().is_empty() {
            out.paragraphs.extend(current.take());
            continue;
        }
        let trimmed = line.trim();
        let Some(paragraph) = current.as_mut() else {
            current = Some(Paragraph::new(fold_spaces(trimmed), i + 1));
            continue;
        };
        if continues(lines[i - 1], line, wrap_width) {
            out.joined_lines += 1;
            join_line(&mut paragraph.text, trimmed);
        } else {
            out.paragraphs.extend(current.replace(Paragraph::new(fold_spaces(trimmed), i + 1)));
        }
    }
    out.paragraphs.extend(current);
    for paragraph in &mut out.paragraphs {
        normalise_label_line(paragraph);
    }
    out
}

/// Whether `line` continues the paragraph whose last line is `previous`.
fn continues(previous: &str, line: &str, wrap_width: Option<usize>) -> bool {
    if label_line(previous).is_some() {
        return true;
    }
    let Some(width) = wrap_width else {
        return false;
    };
    let indented = line.starts_with(char::is_whitespace) && !previous.starts_with(char::is_whitespace);
    let sentence_end = previous.trim_end().ends_with(['.', '?', '!', '…', '"', '”', '’', ')']);
    // A line that starts with a label, or with a full name after a
    // finished sentence (bios typed one per line: `Jonas Berg is …`),
    // starts a paragraph whatever its length.
    let opens = || parse_label(line.trim()).is_some() || super::detect::leading_name(line.trim()).is_some();
    if indented || (sentence_end && opens()) {
        return false;
    }
    // The break was made by the wrapping only if the next word would not
    // have fitted on the previous line.
    let next_word = line.split_whitespace().next().map_or(0, |w| w.chars().count());
    previous.chars().count() + 1 + next_word > width
}

/// The width the text is hard-wrapped at: most lines that continue a
/// paragraph end near one width. `None` when the text is not wrapped.
pub fn wrap_width(lines: &[&str]) -> Option<usize> {
    let mut lengths: Vec<usize> = lines
        .windows(2)
        .filter(|pair| !pair[0].trim().is_empty() && !pair[1].trim().is_empty())
        .map(|pair| pair[0].chars().count())
        .collect();
    if lengths.len() < 2 {
        return None;
    }
    lengths.sort_unstable();
    // The 95th percentile, so that one long line (a URL) does not set the width.
    let width = lengths[(lengths.len() * 95 / 100).min(lengths.len() - 1)];
    let near = lengths.iter().filter(|&&l| l * 10 >= width * 7).count();
    ((MIN_WRAP_WIDTH..=MAX_WRAP_WIDTH).contains(&width) && near * 10 >= lengths.len() * 6).then_some(width)
}

/// Append a wrapped line: a word hyphenated at the line end (`anti-` +
/// `imperialist`) is joined without a space, keeping the hyphen.
fn join_line(text: &mut String, line: &str) {
    let hyphenated = text.ends_with('-')
        && text[..text.len() - 1].chars().next_back().is_some_and(char::is_alphabetic)
        && line.chars().next().is_some_and(char::is_lowercase);
    if !hyphenated && !text.is_empty() {
        text.push(' ');
    }
    text.push_str(&fold_spaces(line));
}

/// Runs of spaces and tabs → one space.
fn fold_spaces(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for word in text.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    out
}

/// `Jane Doe 0:03 Text…` (a recorder's label line joined to its speech)
/// → `Jane Doe (0:03): Text…`, which [`parse_label`] reads.
fn normalise_label_line(paragraph: &mut Paragraph) {
    if parse_label(&paragraph.text).is_some() {
        return;
    }
    let words: Vec<&str> = paragraph.text.split(' ').collect();
    for n in 1..words.len().min(6) {
        let head = words[..=n].join(" ");
        if let Some((name, true)) = label_line(&head)
            && !head.ends_with(':')
        {
            let stamp = words[n];
            let rest = words[n + 1..].join(" ");
            paragraph.text = format!("{name} ({stamp}): {rest}").trim_end().to_string();
            return;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(text: &str) -> Vec<String> {
        split_paragraphs(text, true).paragraphs.into_iter().map(|p| p.text).collect()
    }

    #[test]
    fn blank_lines_separate_paragraphs() {
        assert_eq!(texts("Title\n\nOne  two.\n\n\nThree."), ["Title", "One two.", "Three."]);
        assert_eq!(split_paragraphs("a\n\nb", true).paragraphs[1].line, 3);
    }

    #[test]
    fn long_lines_are_paragraphs_of_their_own() {
        let a = "A".repeat(300) + ".";
        let b = "B".repeat(250) + ".";
        assert_eq!(texts(&format!("{a}\n{b}\n{a}")), [a.clone(), b, a]);
    }

    #[test]
    fn hard_wrapped_paragraphs_are_joined() {
        let raw = "Edward: In terms of the current protest movement, it was sparked\n\
                   back in March 2019 in response to the attempt of the Hong Kong\n\
                   government to pass a bill to allow for the extradition of anti-\n\
                   imperialist people. Short.\n\
                   Sardar: My work is on the Kurdish self-determination movement in\n\
                   Turkey.\n\
                   \n\
                   Next paragraph starts here and is long enough to fill the line\n\
                   to the width.";
        let split = split_paragraphs(raw, true);
        let texts: Vec<&str> = split.paragraphs.iter().map(|p| p.text.as_str()).collect();
        assert_eq!(texts.len(), 3, "{texts:#?}");
        assert!(
            texts[0].starts_with("Edward: In terms") && texts[0].ends_with("anti-imperialist people. Short.")
        );
        assert_eq!(texts[1], "Sardar: My work is on the Kurdish self-determination movement in Turkey.");
        assert!(split.wrap_width.is_some());
    }

    #[test]
    fn a_short_line_ends_a_wrapped_paragraph() {
        let raw = "This line is wrapped at about sixty characters, like mail\n\
                   is, and here the paragraph ends.\n\
                   This next line starts a new paragraph without a blank line\n\
                   between them, which the width tells us.";
        assert_eq!(texts(raw).len(), 2, "{:#?}", texts(raw));
    }

    #[test]
    fn short_lines_are_not_wrapped_text() {
        assert_eq!(
            texts("Hello there.\nHow are you?\nFine thanks."),
            ["Hello there.", "How are you?", "Fine thanks."]
        );
    }

    #[test]
    fn label_alone_on_a_line_joins_the_speech() {
        assert_eq!(
            texts("EDWARD:\nYes, that is so.\n\nSARDAR:\nNo."),
            ["EDWARD: Yes, that is so.", "SARDAR: No."]
        );
        assert_eq!(
            texts("Jane Doe  0:03\nHello there.\n\nSam Roe  0:09\nHi."),
            ["Jane Doe (0:03): Hello there.", "Sam Roe (0:09): Hi."]
        );
    }
}
