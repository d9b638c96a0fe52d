//! YAML reading shared by front matter, layouts and manifests: typed
//! deserialisation whose errors name the file, line, column and field, in
//! words for people who write YAML rather than Rust.

use std::path::Path;

use serde::de::DeserializeOwned;

use crate::diag::{Diagnostic, Location, did_you_mean};

/// Deserialise `yaml`, which starts at byte `offset` of `text` (the file
/// at `path`). `what` names the document in messages ("front matter").
pub fn from_str<T: DeserializeOwned>(
    path: &Path,
    text: &str,
    offset: usize,
    yaml: &str,
    what: &str,
) -> Result<T, Diagnostic> {
    serde_yaml::from_str(yaml).map_err(|e| {
        let at = e.location().map(|l| offset + l.index());
        let location = at.map_or(Location::at(path, 1, 1), |at| Location::at_offset(path, text, at));
        let line = at.map(|at| line_at(text, at));
        match line.and_then(|line| syntax(&e.to_string(), line)) {
            Some(diag) => diag,
            None => describe(&e.to_string(), what),
        }
        .at(location)
    })
}

/// The whole line of `text` that holds byte `at`.
fn line_at(text: &str, at: usize) -> &str {
    let mut at = at.min(text.len());
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    let start = text[..at].rfind('\n').map_or(0, |i| i + 1);
    let end = text[at..].find('\n').map_or(text.len(), |i| at + i);
    &text[start..end]
}

/// A YAML syntax error explained from the line it is on: the three
/// mistakes people make most (an unquoted `: ` in a value, a tab, an
/// indent that does not line up), with the fix.
fn syntax(message: &str, line: &str) -> Option<Diagnostic> {
    let problem = message.split(" at line ").next().unwrap_or(message);
    let indent: &str = &line[..line.len() - line.trim_start_matches([' ', '\t']).len()];
    if indent.contains('\t') || problem.contains("cannot start any token") && line.contains('\t') {
        return Some(
            Diagnostic::error("this line is indented with a tab; YAML indents with spaces only")
                .hint("replace the tab with spaces (two per level is usual)"),
        );
    }
    let is_syntax =
        ["mapping values are not allowed", "did not find expected", "not allowed in this context"]
            .iter()
            .any(|p| problem.contains(p));
    if !is_syntax {
        return None;
    }
    // `title: Housing: A Commons`: the second `: ` starts a key to YAML.
    let entry = line.trim_start().trim_start_matches("- ");
    if problem.contains("mapping values are not allowed")
        && let Some((key, value)) = entry.split_once(": ")
        && value.contains(": ")
        && !value.trim_start().starts_with(['"', '\'', '{', '['])
    {
        let value = value.trim_end();
        let quoted = value.replace('\\', "\\\\").replace('"', "\\\"");
        return Some(
            Diagnostic::error(format!(
                "the value of `{key}` holds `: `, which YAML reads as the start of a key"
            ))
            .hint(format!("put the value in quotes: `{key}: \"{quoted}\"`")),
        );
    }
    Some(
        Diagnostic::error("this line's indentation does not match the lines around it")
            .hint("the keys of one mapping start in the same column, as do the `- ` items of one list"),
    )
}

/// Rewrite a serde_yaml message.
pub fn describe(message: &str, what: &str) -> Diagnostic {
    // serde_yaml appends " at line L column C"; the location is shown apart.
    let message = message.split(" at line ").next().unwrap_or(message);
    // Errors inside nested maps come as `page: unknown field ...`.
    let (message, field, what) = match message.split_once(": ") {
        Some((path, rest)) if !path.contains(' ') && !path.is_empty() => {
            (rest, Some(path), format!("`{path}` of the {what}"))
        }
        _ => (message, None, what.to_string()),
    };
    let what = what.as_str();
    let quoted = |rest: &str| rest.split('`').next().unwrap_or_default().to_string();
    if let Some(rest) = message.strip_prefix("unknown field `") {
        let key = quoted(rest);
        let expected: Vec<String> = message
            .split_once("expected ")
            .map(|(_, list)| list.split('`').skip(1).step_by(2).map(str::to_string).collect())
            .unwrap_or_default();
        let diag = Diagnostic::error(format!("unknown key `{key}` in the {what}"));
        return match did_you_mean(&key, expected.iter().map(String::as_str)) {
            Some(close) => diag.hint(format!("did you mean `{close}`?")),
            None if expected.is_empty() => diag,
            None => diag.hint(format!("known keys here: {}", expected.join(", "))),
        };
    }
    if let Some(rest) = message.strip_prefix("unknown variant `") {
        let value = quoted(rest);
        let expected: Vec<String> = message
            .split_once("expected ")
            .map(|(_, list)| list.split('`').skip(1).step_by(2).map(str::to_string).collect())
            .unwrap_or_default();
        let diag = Diagnostic::error(format!("`{value}` is not a known value here"));
        return match did_you_mean(&value, expected.iter().map(String::as_str)) {
            Some(close) => diag.hint(format!("did you mean `{close}`?")),
            None => diag.hint(format!("use one of: {}", expected.join(", "))),
        };
    }
    if let Some(rest) = message.strip_prefix("missing field `") {
        return Diagnostic::error(format!("the {what} has no `{}`", quoted(rest)));
    }
    if let Some(rest) = message.strip_prefix("duplicate field `") {
        return Diagnostic::error(format!("`{}` is given twice in the {what}", quoted(rest)));
    }
    if message.contains("duplicate entry") {
        return Diagnostic::error(format!("a key is given twice in the {what}"));
    }
    if message.contains("recursion limit exceeded") {
        return Diagnostic::error(format!("the {what} is nested too deeply"));
    }
    if message.contains("repetition limit exceeded") {
        return Diagnostic::error(format!("the {what} repeats aliases too often (an alias bomb?)"));
    }
    if let Some(rest) =
        message.strip_prefix("invalid type: ").or_else(|| message.strip_prefix("invalid value: "))
    {
        let (found, expected) = rest.split_once(", expected ").unwrap_or((rest, "something else"));
        let (expected, found) = (expected_in_words(expected), found_in_words(found));
        return Diagnostic::error(match field {
            Some(field) => format!("`{field}` must be {expected}, not {found}"),
            None => format!("wrong kind of value in the {what}: expected {expected}, found {found}"),
        });
    }
    if let Some(rust) = message.strip_prefix("data did not match any variant of untagged enum ") {
        // An entry that may take two forms: say what the forms are.
        let forms = match rust.split_whitespace().next() {
            Some("EditionEntry") => {
                Some("an edition is a layout name (`- a5`) or a mapping (`- {layout: a5, name: …}`)")
            }
            Some("SourceEntry") => {
                Some("a source is a path (`- talk.md`) or a mapping (`- {path: talk.md, editions: […]}`)")
            }
            _ => None,
        };
        return match forms {
            Some(forms) => {
                Diagnostic::error(format!("an entry of the {what} has neither form an entry may take"))
                    .hint(forms)
            }
            None => Diagnostic::error(format!("the {what} has a value of the wrong kind here")),
        };
    }
    Diagnostic::error(format!("invalid YAML in the {what}: {}", found_in_words(message)))
}

/// What serde says it expected, in the words of a YAML file: never a
/// Rust type's name.
fn expected_in_words(expected: &str) -> String {
    let words = match expected {
        "struct ParticipantEntry" => {
            "a participant (`- name: …`, with `label:`, `role:` and `bio:` if wanted)"
        }
        "struct ContributorEntry" => "a contributor (`- name: …` and `role: …`)",
        "struct PageSize" => "a page size: `{ width: 148mm, height: 210mm }`",
        "struct Margins" => "margins: `{ top: …, bottom: …, inside: …, outside: … }`",
        "struct FontFiles" => "font files: `{ regular: FILE, … }`",
        "struct Paper" => "paper: `{ caliper: 0.1mm }` or `{ pages-per-inch: 444 }`",
        "a sequence" => "a list (`- item` lines, or `[a, b]`)",
        "a map" => "a mapping (`key: value` lines)",
        "a boolean" => "`true` or `false`",
        "u8" | "u16" | "u32" | "u64" | "usize" | "i8" | "i16" | "i32" | "i64" | "isize" => "a whole number",
        "f32" | "f64" => "a number",
        "a string" | "a character" => "text",
        other if other.starts_with("struct ") || other.starts_with("tuple struct ") => {
            "a mapping (`key: value` lines)"
        }
        other if other.starts_with("enum ") || other.starts_with("variant identifier") => {
            "one of its known values"
        }
        other if other.starts_with("untagged enum") => "a value of another kind",
        other => return other.replace("a sequence", "a list").replace("a map", "a mapping"),
    };
    words.to_string()
}

/// What serde says it found, in words: `string "x"` is the text "x".
fn found_in_words(found: &str) -> String {
    let found = found.trim();
    if let Some(text) = found.strip_prefix("string ") {
        return format!("the text {text}");
    }
    for (prefix, words) in [("integer ", "the number "), ("floating point ", "the number "), ("boolean ", "")]
    {
        if let Some(value) = found.strip_prefix(prefix) {
            return format!("{words}{}", value.trim_matches('`'));
        }
    }
    match found {
        "sequence" => "a list".into(),
        "map" => "a mapping".into(),
        "unit value" => "nothing".into(),
        "enum" => "a tagged value (`!tag`), which mimeo does not read".into(),
        other => other.to_string(),
    }
}

/// Where a top-level `key:` starts in a YAML file's text (a byte offset),
/// for pointing at a key before or without parsing.
pub fn offset_of_key(text: &str, key: &str) -> Option<usize> {
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        if line.strip_prefix(key).is_some_and(|rest| rest.trim_start().starts_with(':')) {
            return Some(offset);
        }
        offset += line.len();
    }
    None
}
