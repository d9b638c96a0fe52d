//! Marking text in another language, since CommonMark has no syntax for it:
//!
//! - a span: `[متن فارسی]{lang=fa}` (pandoc's bracketed spans);
//! - a paragraph: a last line `{lang=fa}` (or kramdown's `{: lang="fa"}`);
//! - a heading: `## عنوان {lang=fa}` (heading attributes).
//!
//! `dir=rtl` or `dir=ltr` may stand beside `lang`; without it the direction
//! follows the language. Anything that does not parse stays literal text.

use crate::model::{Direction, Inline};

/// The attributes mimeo reads from `{...}`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Attributes {
    pub language: String,
    pub direction: Option<Direction>,
}

impl Attributes {
    /// Wrap `content` in a span with these attributes.
    pub fn wrap(self, content: Vec<Inline>) -> Inline {
        Inline::Span { language: self.language, direction: self.direction, content }
    }
}

/// Parse `{lang=fa dir=rtl}`, `{lang="fa"}` or `{: lang="fa"}` (the braces
/// included). `None` unless there is a valid `lang`.
pub fn parse_attributes(text: &str) -> Option<Attributes> {
    let inner = text.trim().strip_prefix('{')?.strip_suffix('}')?;
    let inner = inner.trim_start().strip_prefix(':').unwrap_or(inner);
    let mut language = None;
    let mut direction = None;
    for part in inner.split_whitespace() {
        let (key, value) = part.split_once('=')?;
        let value = value.trim_matches(['"', '\'', '“', '”', '‘', '’']);
        match key {
            "lang" if super::is_language_tag(value) => language = Some(value.to_string()),
            "dir" if value == "rtl" => direction = Some(Direction::Rtl),
            "dir" if value == "ltr" => direction = Some(Direction::Ltr),
            _ => return None,
        }
    }
    Some(Attributes { language: language?, direction })
}

/// Turn `[ ... ]{lang=xx}` at this level of `inlines` into spans. The
/// brackets must open and close in text at the same level (emphasis and
/// links may sit between them).
pub fn bracketed_spans(mut inlines: Vec<Inline>) -> Vec<Inline> {
    // Each pass turns the first complete span into an Inline::Span.
    while let Some(next) = first_span(&inlines) {
        inlines = next;
    }
    inlines
}

fn first_span(inlines: &[Inline]) -> Option<Vec<Inline>> {
    for (close_index, inline) in inlines.iter().enumerate() {
        let Inline::Text(text) = inline else { continue };
        let mut search = 0;
        while let Some(found) = text[search..].find("]{") {
            let close = search + found;
            search = close + 2;
            let Some(end) = text[close..].find('}').map(|i| close + i) else { break };
            let Some(attributes) = parse_attributes(&text[close + 1..=end]) else { continue };
            let Some((open_index, open)) = find_open(inlines, close_index, close) else { continue };
            return Some(splice(inlines, (open_index, open), (close_index, close, end), attributes));
        }
    }
    None
}

/// The nearest `[` before position `close` of item `close_index`.
fn find_open(inlines: &[Inline], close_index: usize, close: usize) -> Option<(usize, usize)> {
    for index in (0..=close_index).rev() {
        let Inline::Text(text) = &inlines[index] else { continue };
        let limit = if index == close_index { close } else { text.len() };
        if let Some(open) = text[..limit].rfind('[') {
            return Some((index, open));
        }
    }
    None
}

fn splice(
    inlines: &[Inline],
    (open_index, open): (usize, usize),
    (close_index, close, end): (usize, usize, usize),
    attributes: Attributes,
) -> Vec<Inline> {
    let text = |i: usize| match &inlines[i] {
        Inline::Text(t) => t.as_str(),
        _ => unreachable!("the brackets were found in text"),
    };
    let mut out: Vec<Inline> = inlines[..open_index].to_vec();
    push_text(&mut out, &text(open_index)[..open]);
    let mut content = Vec::new();
    if open_index == close_index {
        push_text(&mut content, &text(open_index)[open + 1..close]);
    } else {
        push_text(&mut content, &text(open_index)[open + 1..]);
        content.extend(inlines[open_index + 1..close_index].iter().cloned());
        push_text(&mut content, &text(close_index)[..close]);
    }
    out.push(attributes.wrap(content));
    push_text(&mut out, &text(close_index)[end + 1..]);
    out.extend(inlines[close_index + 1..].iter().cloned());
    out
}

fn push_text(out: &mut Vec<Inline>, text: &str) {
    if !text.is_empty() {
        out.push(Inline::Text(text.to_string()));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(s: &str) -> Inline {
        Inline::Text(s.into())
    }

    #[test]
    fn attributes() {
        let fa = parse_attributes("{lang=fa}").unwrap();
        assert_eq!(fa.language, "fa");
        assert_eq!(fa.direction, None);
        let k = parse_attributes("{: lang=\"ckb\" dir=rtl}").unwrap();
        assert_eq!((k.language.as_str(), k.direction), ("ckb", Some(Direction::Rtl)));
        assert!(parse_attributes("{lang=}").is_none());
        assert!(parse_attributes("{color=red}").is_none());
        assert!(parse_attributes("{lang=fa").is_none());
    }

    #[test]
    fn spans_in_one_text_run() {
        let out = bracketed_spans(vec![text("He said [سلام]{lang=fa} twice.")]);
        assert_eq!(
            out,
            vec![
                text("He said "),
                Inline::Span { language: "fa".into(), direction: None, content: vec![text("سلام")] },
                text(" twice."),
            ]
        );
    }

    #[test]
    fn spans_around_markup_and_ordinary_brackets_left_alone() {
        let out = bracketed_spans(vec![
            text("[a] and ["),
            Inline::Emphasis(vec![text("b")]),
            text("]{lang=zh-Hant} [c]{x=y}"),
        ]);
        assert_eq!(out[0], text("[a] and "));
        assert!(
            matches!(&out[1], Inline::Span { language, content, .. } if language == "zh-Hant" && content.len() == 1)
        );
        assert_eq!(out[2], text(" [c]{x=y}"));
    }
}
