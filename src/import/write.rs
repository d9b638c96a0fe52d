//! A [`Plan`] → source text: YAML front matter (with the guesses as
//! comments) and a Markdown body in which the raw text is escaped so that
//! Markdown reads it back as the same text.
//!
//! Straight quotes, `--` and `...` are left to the source format's smart
//! punctuation on purpose: the editions typeset them as curly quotes,
//! dashes and ellipses, as they would in a source written by hand.

use std::fmt::Write as _;

use crate::model::{Role, clock_ms};

use super::detect::{Item, Plan};

/// Write the source text for `plan`; `origin` names the raw file in the
/// comment block.
pub fn write_source(plan: &Plan, origin: &str) -> String {
    let mut out = String::with_capacity(
        plan.introduction.iter().map(String::len).sum::<usize>()
            + plan.body.iter().map(|item| item_len(item) + 16).sum::<usize>()
            + 1024,
    );
    out.push_str("---\n");
    let _ = writeln!(out, "# Imported by `mimeo import` from {}. Check these guesses,", comment(origin));
    out.push_str("# then delete this comment:\n");
    for guess in &plan.guesses {
        let _ = writeln!(out, "# - {}", comment(guess));
    }
    let _ = writeln!(out, "title: {}", yaml_string(&plan.title));
    if let Some(subtitle) = &plan.subtitle {
        let _ = writeln!(out, "subtitle: {}", yaml_string(subtitle));
    }
    let _ = writeln!(out, "kind: {}", plan.kind.name());
    if let Some(date) = &plan.date {
        let _ = writeln!(out, "date: {}", yaml_string(date));
    }
    if let Some(publisher) = &plan.publisher {
        let _ = writeln!(out, "publisher: {}", yaml_string(publisher));
    }
    match &plan.language {
        Some((tag, from)) => {
            let _ = writeln!(out, "language: {tag} # {}", comment(from));
        }
        None => out.push_str("language: en # could not be guessed: change it if the text is not English\n"),
    }
    if !plan.people.is_empty() {
        out.push_str("participants:\n");
    }
    for person in &plan.people {
        if person.placeholder {
            let _ = writeln!(
                out,
                "  # `{}:` in the text is this person (`id:`); every edition prints what `name:` says",
                comment(&person.label)
            );
        }
        let _ = writeln!(out, "  - name: {}", yaml_string(&person.name));
        if person.placeholder {
            // The body's labels are the id; the printed label comes from the name.
            let _ = writeln!(out, "    id: {}", yaml_string(&person.label));
        } else if person.name.split_whitespace().next() != Some(person.label.as_str()) {
            let _ = writeln!(out, "    label: {}", yaml_string(&person.label));
        }
        let role = match person.role {
            Role::Interviewer => "interviewer",
            Role::Moderator => "moderator",
            Role::Speaker => "speaker",
        };
        let _ = writeln!(out, "    role: {role}");
        if let Some(bio) = &person.bio {
            let _ = writeln!(out, "    bio: {}", yaml_string(&escape_paragraph(bio)));
        }
    }
    if !plan.authors.is_empty() {
        out.push_str("contributors:\n");
    }
    for author in &plan.authors {
        let _ = writeln!(out, "  - name: {}", yaml_string(author));
        out.push_str("    role: transcriber # the file's author; change the role if they did more\n");
    }
    out.push_str("---\n");
    for paragraph in &plan.introduction {
        out.push('\n');
        out.push_str(&rich_paragraph(paragraph));
        out.push('\n');
    }
    let mut in_list = false;
    for (n, item) in plan.body.iter().enumerate() {
        // Items of one list stay together (a tight list).
        let list_item = matches!(item, Item::Text(t) if super::rich::list_item(t).is_some());
        if !(in_list && list_item) {
            out.push('\n');
        }
        in_list = list_item;
        match item {
            Item::Question(text) => {
                out.push_str("## ");
                out.push_str(&rich_inline(text).replace('#', "\\#"));
            }
            Item::Turn { speaker, text } => {
                out.push_str("**");
                out.push_str(&escape_inline(&plan.people[*speaker].label));
                out.push_str(":**");
                let cues = plan.cues.get(n).filter(|_| plan.keep_times).and_then(|cues| timed(cues, text));
                if let Some(cues) = cues {
                    out.push_str(&cues);
                } else {
                    if let Some(ms) = plan.times.get(n).copied().flatten().filter(|_| plan.keep_times) {
                        out.push(' ');
                        out.push_str(&time_mark(ms));
                    }
                    if !text.is_empty() {
                        out.push(' ');
                        out.push_str(&rich_inline(text));
                    }
                }
            }
            Item::Text(text) => out.push_str(&rich_paragraph(text)),
        }
        out.push('\n');
    }
    // An empty note was set aside (its reference is gone): not written.
    for (n, note) in plan.notes.iter().enumerate().filter(|(_, note)| !note.is_empty()) {
        let _ = write!(out, "\n[^{}]: ", n + 1);
        out.push_str(&rich_inline(note));
        out.push('\n');
    }
    out
}

/// A turn's text with a cue mark before each cue's words
/// (` \[00:00:01.250-00:00:03.100\] We met. \[…\] …`), when its cues
/// hold the text as it is (else `None`: the turn keeps one time).
fn timed(cues: &[(u64, u64, String)], text: &str) -> Option<String> {
    let joined =
        cues.iter().map(|(.., t)| t.as_str()).filter(|t| !t.is_empty()).collect::<Vec<_>>().join(" ");
    if cues.is_empty() || joined != text {
        return None;
    }
    let mut out = String::with_capacity(text.len() + cues.len() * 32);
    for (begin, end, words) in cues.iter().filter(|(.., t)| !t.is_empty()) {
        out.push_str(&format!(" \\[{}-{}\\] ", clock_ms(*begin), clock_ms(*end)));
        out.push_str(&rich_inline(words));
    }
    Some(out)
}

/// A turn's time in the recording as the source writes it: `[00:12:03]`.
pub fn time_mark(ms: u64) -> String {
    let s = ms / 1000;
    format!("\\[{:02}:{:02}:{:02}\\]", s / 3600, s / 60 % 60, s % 60)
}

/// Marked inline text (see [`super::rich`]) → escaped Markdown.
fn rich_inline(text: &str) -> String {
    super::rich::markdown_inline(text, escape_inline)
}

/// A marked paragraph → escaped Markdown, list items with their marker.
fn rich_paragraph(text: &str) -> String {
    if let Some((marker, rest)) = super::rich::list_item(text) {
        return format!("{marker}{}", rich_inline(rest));
    }
    if !text.contains(super::rich::is_mark) {
        return escape_paragraph(text);
    }
    escape_block_start(rich_inline(text))
}

fn item_len(item: &Item) -> usize {
    match item {
        Item::Question(t) | Item::Text(t) | Item::Turn { text: t, .. } => t.len(),
    }
}

/// A YAML comment's text: one line.
fn comment(text: &str) -> String {
    text.replace(['\n', '\r'], " ")
}

/// A double-quoted YAML scalar holding exactly `text`.
pub fn yaml_string(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\u{85}' => out.push_str("\\N"),
            '\u{2028}' => out.push_str("\\L"),
            '\u{2029}' => out.push_str("\\P"),
            c if c.is_control() || c == '\u{FEFF}' => {
                let _ = write!(out, "\\u{:04X}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// Escape what Markdown would read as markup inside a paragraph: emphasis,
/// code, links, footnotes, HTML and entities, and backslashes themselves.
pub fn escape_inline(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + text.len() / 16);
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' | '*' | '_' | '`' | '[' | ']' | '<' => {
                out.push('\\');
                out.push(c);
            }
            '&' if chars.peek().is_some_and(|n| n.is_ascii_alphanumeric() || *n == '#') => {
                out.push_str("\\&")
            }
            c => out.push(c),
        }
    }
    out
}

/// [`escape_inline`], and what Markdown reads at the start of a line:
/// headings, block quotes, list markers, thematic breaks, code fences.
pub fn escape_paragraph(text: &str) -> String {
    escape_block_start(escape_inline(text))
}

/// Escape what Markdown reads at the start of an escaped paragraph.
fn escape_block_start(escaped: String) -> String {
    let first = escaped.chars().next().unwrap_or(' ');
    if matches!(first, '#' | '>' | '-' | '+' | '=' | '~' | '|') {
        return format!("\\{escaped}");
    }
    // `1. ` or `1) ` opens an ordered list: escape the dot or bracket.
    let digits = escaped.bytes().take_while(u8::is_ascii_digit).count();
    if (1..=9).contains(&digits) {
        let after = &escaped[digits..];
        // (`after` may start with any character, `1À`: never cut it by bytes.)
        if after
            .strip_prefix(['.', ')'])
            .is_some_and(|rest| rest.chars().next().is_none_or(char::is_whitespace))
        {
            return format!("{}\\{}", &escaped[..digits], &after);
        }
    }
    // `Price: $5` would read as a speaker label naming nobody (a warning):
    // `Price\: $5` says it is not one.
    if let Some((words, _)) = escaped.split_once(": ")
        && (1..=2).contains(&words.split_whitespace().count())
        && !words.contains(['.', ',', ';', '?', '!', '\\'])
    {
        return format!("{words}\\: {}", &escaped[words.len() + 2..]);
    }
    escaped
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Block, BlockKind, plain_text};
    use std::path::Path;

    /// Smart punctuation's conversions undone, to compare texts letter for letter.
    pub fn fold_typography(text: &str) -> String {
        text.replace(['‘', '’'], "'")
            .replace(['“', '”'], "\"")
            .replace('—', "---")
            .replace('–', "--")
            .replace('…', "...")
    }

    /// What the source parser reads back from a body paragraph.
    fn read_back(markdown: &str) -> String {
        let source = format!("---\ntitle: t\n---\n\n{markdown}\n");
        let parsed = crate::source::parse_bytes(Path::new("t.md"), source.as_bytes()).unwrap();
        assert!(parsed.warnings.is_empty(), "{:?}", parsed.warnings);
        let doc = parsed.document;
        assert_eq!(doc.introduction.len(), 1, "one paragraph from {markdown:?}: {:?}", doc.introduction);
        match &doc.introduction[0] {
            Block { kind: BlockKind::Paragraph(content), .. } => plain_text(content),
            other => panic!("not a paragraph: {other:?}"),
        }
    }

    #[test]
    fn escaped_text_reads_back_unchanged() {
        for text in [
            "*stars* and _underscores_ and `code` and a [link](http://x) and ![img](y)",
            "<b>html</b> and <http://auto.link> &amp; &#169; & so on",
            "# not a heading",
            "## not a question?",
            "- not a list",
            "+ not a list",
            "* not a list",
            "1. not a list",
            "12) not a list",
            "> not a quote",
            "--- not a rule",
            "***",
            "___",
            "~~~ not a fence",
            "```",
            "[^1]: not a footnote",
            "[ref]: http://not.a.definition",
            "back\\slash \\* and a trailing backslash\\",
            "a | table | row",
            "=====",
            "2020. A year.",
            "Price: $5 ^ 2 {attr} ~tilde~",
            "straight \"quotes\" and 'single' -- dashes --- and dots...",
        ] {
            assert_eq!(fold_typography(&read_back(&escape_paragraph(text))), text, "{text}");
        }
    }

    #[test]
    fn yaml_strings_round_trip() {
        #[derive(serde::Deserialize)]
        struct One {
            v: String,
        }
        for text in
            ["plain", "quote \" and \\ backslash", "colon: and # hash", "tab\tand\u{2028}sep", "'single'"]
        {
            let yaml = format!("v: {}\n", yaml_string(text));
            let one: One = serde_yaml::from_str(&yaml).unwrap();
            assert_eq!(one.v, text);
        }
    }
}
