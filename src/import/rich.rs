//! Inline markup carried through the import inside the text: a DOCX or ODT
//! paragraph's italics, bold, note references and list marks travel as
//! private-use characters, so that detection (labels, questions, names)
//! reads the plain text and the writer turns the marks into Markdown.
//!
//! Readers remove these characters from the file's own text first
//! ([`clean`]), so a mark always means markup.

/// Toggles italics.
pub const EM: char = '\u{E000}';
/// Toggles bold.
pub const STRONG: char = '\u{E001}';
/// A note reference: `NOTE`, the note's number in digits, `END`.
pub const NOTE: char = '\u{E002}';
/// Ends a number after [`NOTE`] or [`NUMBER`].
pub const END: char = '\u{E003}';
/// At the start of a paragraph: an item of a bulleted list.
pub const BULLET: char = '\u{E004}';
/// At the start of a paragraph: an item of a numbered list, then its
/// number in digits and `END`.
pub const NUMBER: char = '\u{E005}';

/// Whether `c` is one of the marks.
pub fn is_mark(c: char) -> bool {
    ('\u{E000}'..='\u{E005}').contains(&c)
}

/// `text` without the private-use characters used as marks.
pub fn clean(text: &str) -> String {
    text.chars().filter(|&c| !is_mark(c)).collect()
}

/// The plain text of marked text: marks, note numbers and list numbers
/// removed.
pub fn plain(rich: &str) -> String {
    let mut out = String::with_capacity(rich.len());
    let mut in_number = false;
    for c in rich.chars() {
        match c {
            NOTE | NUMBER => in_number = true,
            END => in_number = false,
            EM | STRONG | BULLET => {}
            c if !in_number => out.push(c),
            _ => {}
        }
    }
    out
}

/// The part of `rich` that follows the first `offset` bytes of its plain
/// text, with leading spaces trimmed and the emphasis open at that point
/// opened again.
pub fn from_plain_offset(rich: &str, offset: usize) -> String {
    let (mut plain_len, mut in_number) = (0, false);
    let (mut em, mut strong) = (false, false);
    let mut split = rich.len();
    for (i, c) in rich.char_indices() {
        if plain_len >= offset && !in_number && !matches!(c, EM | STRONG | END) {
            split = i;
            break;
        }
        match c {
            NOTE | NUMBER => in_number = true,
            END => in_number = false,
            EM => em = !em,
            STRONG => strong = !strong,
            BULLET => {}
            c if !in_number => plain_len += c.len_utf8(),
            _ => {}
        }
    }
    let rest = rich[split..].trim_start();
    let mut out = String::with_capacity(rest.len() + 2);
    if strong {
        out.push(STRONG);
    }
    if em {
        out.push(EM);
    }
    out.push_str(rest);
    out
}

/// Marked text → Markdown inline text: the text between marks is escaped
/// with `escape`.
pub fn markdown_inline(rich: &str, escape: impl Fn(&str) -> String) -> String {
    if !rich.contains(is_mark) {
        return escape(rich);
    }
    let mut out = String::with_capacity(rich.len() + 16);
    let mut rest = rich;
    while let Some(at) = rest.find(is_mark) {
        out.push_str(&escape(&rest[..at]));
        let mark = rest[at..].chars().next().unwrap_or(EM);
        rest = &rest[at + mark.len_utf8()..];
        match mark {
            EM => out.push('*'),
            STRONG => out.push_str("**"),
            NOTE => {
                let end = rest.find(END).unwrap_or(rest.len());
                out.push_str("[^");
                out.push_str(&rest[..end]);
                out.push(']');
                rest = rest.get(end + END.len_utf8()..).unwrap_or("");
            }
            NUMBER => {
                let end = rest.find(END).unwrap_or(rest.len());
                rest = rest.get(end + END.len_utf8()..).unwrap_or("");
            }
            _ => {}
        }
    }
    out.push_str(&escape(rest));
    out
}

/// The list mark a paragraph opens with: `- ` or `3. `, and the rest.
pub fn list_item(rich: &str) -> Option<(String, &str)> {
    if let Some(rest) = rich.strip_prefix(BULLET) {
        return Some(("- ".to_string(), rest));
    }
    let rest = rich.strip_prefix(NUMBER)?;
    let end = rest.find(END)?;
    Some((format!("{}. ", &rest[..end]), &rest[end + END.len_utf8()..]))
}

/// Builds marked text from runs of text with their emphasis, closing and
/// opening marks only where the emphasis changes, and keeping spaces out
/// of the marks (Markdown reads `* a*` as no emphasis at all).
#[derive(Debug, Default)]
pub struct Builder {
    runs: Vec<(String, bool, bool)>,
}

impl Builder {
    /// Add `text` in italics (`em`) and/or bold (`strong`).
    pub fn push(&mut self, text: &str, em: bool, strong: bool) {
        let text = clean(text);
        if text.is_empty() {
            return;
        }
        match self.runs.last_mut() {
            Some(last) if last.1 == em && last.2 == strong => last.0.push_str(&text),
            _ => self.runs.push((text, em, strong)),
        }
    }

    /// Add a mark (a note reference) that belongs to no run.
    pub fn push_note(&mut self, number: usize) {
        self.runs.push((format!("{NOTE}{number}{END}"), false, false));
    }

    /// Whether nothing but spaces was added.
    pub fn is_blank(&self) -> bool {
        self.runs.iter().all(|r| r.0.trim().is_empty())
    }

    /// The runs so far, as plain text.
    pub fn plain_text(&self) -> String {
        plain(&self.runs.iter().map(|r| r.0.as_str()).collect::<String>())
    }

    /// Drop the first `chars` characters of plain text (a speaker label
    /// the reader has taken), whatever their emphasis.
    pub fn drop_leading(&mut self, mut chars: usize) {
        while chars > 0 && !self.runs.is_empty() {
            let n = self.runs[0].0.chars().count();
            if n <= chars {
                chars -= n;
                self.runs.remove(0);
            } else {
                let at = self.runs[0].0.char_indices().nth(chars).map_or(0, |(i, _)| i);
                self.runs[0].0.drain(..at);
                chars = 0;
            }
        }
    }

    /// The marked text, with runs of white space folded to one space.
    pub fn finish(self) -> String {
        let mut out = String::new();
        for (text, em, strong) in self.runs {
            let text = fold_spaces(&text);
            let trimmed = text.trim();
            if !(em || strong) || trimmed.is_empty() {
                out.push_str(&text);
                continue;
            }
            if text.starts_with(' ') {
                out.push(' ');
            }
            if strong {
                out.push(STRONG);
            }
            if em {
                out.push(EM);
            }
            out.push_str(trimmed);
            if em {
                out.push(EM);
            }
            if strong {
                out.push(STRONG);
            }
            if text.ends_with(' ') {
                out.push(' ');
            }
        }
        fold_spaces(&out).trim().to_string()
    }
}

/// Runs of white space → one space, keeping a leading or trailing one.
fn fold_spaces(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut space = false;
    for c in text.chars() {
        if c.is_whitespace() {
            if !space {
                out.push(' ');
            }
            space = true;
        } else {
            out.push(c);
            space = false;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn marks_become_markdown_and_spaces_stay_outside() {
        let mut b = Builder::default();
        b.push("It was ", false, false);
        b.push("very ", true, false);
        b.push("loud", false, true);
        b.push_note(1);
        b.push(" [sic].", false, false);
        let rich = b.finish();
        assert_eq!(plain(&rich), "It was very loud [sic].");
        assert_eq!(markdown_inline(&rich, |t| t.replace('[', "\\[")), "It was *very* **loud**[^1] \\[sic].");
    }

    #[test]
    fn the_rest_after_a_label_keeps_its_emphasis() {
        let rich = format!("Ana: {EM}yes{EM}, and {STRONG}no more{STRONG}");
        assert_eq!(from_plain_offset(&rich, 5), format!("{EM}yes{EM}, and {STRONG}no more{STRONG}"));
        let inside = format!("{EM}Ana: yes{EM}");
        assert_eq!(from_plain_offset(&inside, 5), format!("{EM}yes{EM}"));
        assert_eq!(list_item(&format!("{NUMBER}3{END}x")), Some(("3. ".to_string(), "x")));
        assert_eq!(plain(&format!("{NUMBER}3{END}x{NOTE}12{END}")), "x");
    }
}
