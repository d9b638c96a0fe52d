//! Speaker labels at the start of a paragraph, in the variants transcripts
//! use: `Name:`, `NAME:`, `Name (00:12:31):`, `[00:12:31] Name:`, `Q:`/`A:`,
//! and a label alone on its line (`Name:` or `Name  0:03`, as recorder apps
//! export them).

/// The longest a label may be, in characters (as in the source format).
const MAX_LABEL_CHARS: usize = 60;

/// Words before a colon that open ordinary text, not a turn: metadata
/// lines and words that start a sentence (`First: we…`).
const NOT_SPEAKERS: &[&str] = &[
    "abstract",
    "also",
    "and",
    "but",
    "chapter",
    "content warning",
    "date",
    "editor's note",
    "editor’s note",
    "example",
    "excerpt",
    "finally",
    "first",
    "here",
    "however",
    "introduction",
    "keywords",
    "language",
    "location",
    "no",
    "note",
    "notes",
    "now",
    "ok",
    "okay",
    "part",
    "photo",
    "photos",
    "place",
    "ps",
    "published",
    "publisher",
    "recorded",
    "second",
    "section",
    "so",
    "source",
    "sources",
    "subject",
    "subtitle",
    "summary",
    "tags",
    "then",
    "there",
    "third",
    "time",
    "title",
    "today",
    "transcribed by",
    "transcript",
    "translated by",
    "translator",
    "trigger warning",
    "update",
    "warning",
    "well",
    "yes",
];

/// Lower-case particles allowed inside a name (`Ana de la Cruz`).
const PARTICLES: &[&str] =
    &["al", "bin", "da", "de", "del", "der", "di", "do", "dos", "du", "el", "la", "le", "van", "von"];

/// A speaker label found at the start of a paragraph.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Label {
    /// The label as written, without colon or timestamp (`EDWARD`, `Q`).
    pub text: String,
    /// Byte offset in the paragraph where the speech starts.
    pub rest: usize,
    /// A timestamp was written with the label (and is dropped).
    pub timestamp: bool,
}

impl Label {
    /// The label's shape: its number of words and whether it is in capitals.
    /// A label in a script without case (`王芳`, `نیلوفر`) is not in capitals.
    pub fn shape(&self) -> (usize, bool) {
        let capitals =
            self.text.chars().any(char::is_uppercase) && !self.text.chars().any(char::is_lowercase);
        (self.text.split_whitespace().count(), capitals)
    }

    /// The key labels are counted and matched by: case-folded, with
    /// `Question`/`Answer` read as `q`/`a`.
    pub fn key(&self) -> String {
        label_key(&self.text)
    }
}

/// The comparison key of a label.
pub fn label_key(text: &str) -> String {
    let lower = text.to_lowercase();
    match lower.as_str() {
        "question" => "q".into(),
        "answer" => "a".into(),
        _ => lower,
    }
}

/// The speaker label that opens `paragraph`, if any.
pub fn parse_label(paragraph: &str) -> Option<Label> {
    let (after_stamp, leading_stamp) = match strip_leading_timestamp(paragraph) {
        Some(rest) => (rest, true),
        None => (paragraph, false),
    };
    let skipped = paragraph.len() - after_stamp.len();
    let (colon, colon_len) = label_colon(after_stamp)?;
    let after_colon = &after_stamp[colon + colon_len..];
    let (name, trailing_stamp) = strip_trailing_timestamp(after_stamp[..colon].trim_end());
    let name = name.trim_end();
    if !is_name_like(name) || NOT_SPEAKERS.contains(&name.to_lowercase().as_str()) {
        return None;
    }
    let rest = skipped + colon + colon_len + (after_colon.len() - after_colon.trim_start().len());
    Some(Label { text: name.to_string(), rest, timestamp: leading_stamp || trailing_stamp })
}

/// The colon that ends a label (its offset and length): the first one
/// outside brackets, followed by white space or the end of the text (or a
/// full-width `：`, which needs no space).
fn label_colon(text: &str) -> Option<(usize, usize)> {
    let mut depth = 0usize;
    for (i, c) in text.char_indices().take(MAX_LABEL_CHARS + 24) {
        match c {
            '(' | '[' => depth += 1,
            ')' | ']' => depth = depth.saturating_sub(1),
            ':' if depth == 0 => {
                let after = &text[i + 1..];
                return (after.is_empty() || after.starts_with(char::is_whitespace)).then_some((i, 1));
            }
            '：' if depth == 0 => return Some((i, '：'.len_utf8())),
            _ => {}
        }
    }
    None
}

/// A line that holds only a label: `Name:`, `[00:01] Name:`, or a name and
/// a timestamp without colon (`Jane Doe  0:03`). Returns the label text and
/// whether a timestamp was written.
pub fn label_line(line: &str) -> Option<(String, bool)> {
    let line = line.trim();
    if let Some(label) = parse_label(line).filter(|l| l.rest == line.len()) {
        return Some((label.text, label.timestamp));
    }
    let (name, stamp) = line.rsplit_once(char::is_whitespace)?;
    let name = name.trim_end();
    (is_timestamp(stamp) && is_name_like(name) && !NOT_SPEAKERS.contains(&name.to_lowercase().as_str()))
        .then(|| (name.to_string(), true))
}

/// `00:12:31`, `0:03`, `1:02:03.5`: hours or minutes, then `:mm` or `:mm:ss`.
pub fn is_timestamp(text: &str) -> bool {
    let text = text.split(['.', ',']).next().unwrap_or_default();
    let parts: Vec<&str> = text.split(':').collect();
    (2..=3).contains(&parts.len())
        && parts[0].len() <= 2
        && parts.iter().all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()))
        && parts[1..].iter().all(|p| p.len() == 2)
}

/// `[00:12:31] `, `(00:12:31) ` or `00:12:31 ` at the start, maybe with a dash after.
fn strip_leading_timestamp(text: &str) -> Option<&str> {
    let (stamp, rest) = match text.chars().next()? {
        '[' => text[1..].split_once(']')?,
        '(' => text[1..].split_once(')')?,
        _ => text.split_once(char::is_whitespace)?,
    };
    if !is_timestamp(stamp.trim()) {
        return None;
    }
    let rest = rest.trim_start();
    let rest = rest.strip_prefix(['-', '–', '—']).map_or(rest, str::trim_start);
    Some(rest)
}

/// `Name (00:12:31)` or `Name [00:12:31]` → `Name`.
fn strip_trailing_timestamp(text: &str) -> (&str, bool) {
    for (open, close) in [('(', ')'), ('[', ']')] {
        if let Some(inner) = text.strip_suffix(close)
            && let Some((name, stamp)) = inner.rsplit_once(open)
            && is_timestamp(stamp.trim())
        {
            return (name, true);
        }
    }
    (text, false)
}

/// One to four words, the first capitalised (or a single letter such as
/// `Q`), the others capitalised, numbers (`Speaker 2`) or name particles;
/// none of the characters the source format forbids in labels. Scripts
/// without case (Arabic, Chinese) count as capitalised.
pub fn is_name_like(text: &str) -> bool {
    let words: Vec<&str> = text.split_whitespace().collect();
    if words.is_empty() || words.len() > 4 || text.chars().count() > MAX_LABEL_CHARS {
        return false;
    }
    let word_ok = |w: &str| w.chars().all(|c| c.is_alphanumeric() || matches!(c, '-' | '’' | '\''));
    let capitalised = |w: &str| w.chars().next().is_some_and(is_capital);
    words.iter().all(|w| word_ok(w))
        && capitalised(words[0])
        && words[1..].iter().all(|w| {
            capitalised(w) || (w.len() <= 3 && w.bytes().all(|b| b.is_ascii_digit())) || PARTICLES.contains(w)
        })
}

/// An upper-case letter, or a letter of a script without case.
pub fn is_capital(c: char) -> bool {
    c.is_uppercase() || (c.is_alphabetic() && !c.is_lowercase())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn label(text: &str) -> Option<(String, &str, bool)> {
        parse_label(text).map(|l| (l.text.clone(), &text[l.rest..], l.timestamp))
    }

    #[test]
    fn label_variants() {
        assert_eq!(label("Edward: In terms"), Some(("Edward".into(), "In terms", false)));
        assert_eq!(label("EDWARD: In terms"), Some(("EDWARD".into(), "In terms", false)));
        assert_eq!(label("Jane Doe (00:12:31): Yes."), Some(("Jane Doe".into(), "Yes.", true)));
        assert_eq!(label("[00:12:31] Jane Doe: Yes."), Some(("Jane Doe".into(), "Yes.", true)));
        assert_eq!(label("(0:03) Jane: Yes."), Some(("Jane".into(), "Yes.", true)));
        assert_eq!(label("00:12:31 Jane: Yes."), Some(("Jane".into(), "Yes.", true)));
        assert_eq!(label("Speaker 2 [01:02]: Yes."), Some(("Speaker 2".into(), "Yes.", true)));
        assert_eq!(label("Q: Why?"), Some(("Q".into(), "Why?", false)));
        assert_eq!(label("A: Because."), Some(("A".into(), "Because.", false)));
        assert_eq!(label("Ana de la Cruz: Sí."), Some(("Ana de la Cruz".into(), "Sí.", false)));
        assert_eq!(label("Edward:"), Some(("Edward".into(), "", false)));
        assert_eq!(label("O'Brien: Aye."), Some(("O'Brien".into(), "Aye.", false)));
        assert_eq!(label("نیلوفر: سلام"), Some(("نیلوفر".into(), "سلام", false)));
        assert_eq!(label("王芳：你好"), Some(("王芳".into(), "你好", false)));
    }

    #[test]
    fn ordinary_text_is_not_a_label() {
        for text in [
            "Global Uprisings and the Left’s Response: Re-theorizing",
            "Note: this was edited.",
            "First: the demands.",
            "Title: Something",
            "There were three demands: first,",
            "Dr. Smith: hello",
            "http://example.org",
            "Ratio 3:1 was used",
            "Edward:no space",
            "It was 10:30 when: no",
        ] {
            assert_eq!(parse_label(text), None, "{text}");
        }
    }

    #[test]
    fn keys_fold_case_and_question_words() {
        assert_eq!(label_key("EDWARD"), "edward");
        assert_eq!(label_key("Question"), "q");
        assert_eq!(label_key("Answer"), "a");
    }

    #[test]
    fn label_lines() {
        assert_eq!(label_line("Jane Doe  0:03"), Some(("Jane Doe".into(), true)));
        assert_eq!(label_line("EDWARD:"), Some(("EDWARD".into(), false)));
        assert_eq!(label_line("[00:01:02] Jane:"), Some(("Jane".into(), true)));
        assert_eq!(label_line("Jane: hello"), None);
        assert_eq!(label_line("In 2020 10:30"), None);
    }

    #[test]
    fn timestamps() {
        for good in ["00:12:31", "0:03", "1:02:03.5", "12:31"] {
            assert!(is_timestamp(good), "{good}");
        }
        for bad in ["12", "1:2", "a:bc", "123:45", "1:02:03:04", ""] {
            assert!(!is_timestamp(bad), "{bad}");
        }
    }
}
