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
        let location = e
            .location()
            .map_or(Location::at(path, 1, 1), |l| Location::at_offset(path, text, offset + l.index()));
        describe(&e.to_string(), what).at(location)
    })
}

/// Rewrite a serde_yaml message.
pub fn describe(message: &str, what: &str) -> Diagnostic {
    // serde_yaml appends " at line L column C"; the location is shown apart.
    let message = message.split(" at line ").next().unwrap_or(message);
    // Errors inside nested maps come as `page: unknown field ...`.
    let (message, what) = match message.split_once(": ") {
        Some((path, rest)) if !path.contains(' ') && !path.is_empty() => {
            (rest, format!("`{path}` of the {what}"))
        }
        _ => (message, what.to_string()),
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
    if let Some(rest) = message.strip_prefix("invalid type: ") {
        let (found, expected) = rest.split_once(", expected ").unwrap_or((rest, "something else"));
        let found = match found {
            "sequence" => "a list",
            "map" => "a mapping",
            "unit value" => "empty",
            "enum" => "a tagged value (`!tag`), which mimeo does not read",
            other => other,
        };
        return Diagnostic::error(format!("wrong type in the {what}: expected {expected}, found {found}"));
    }
    Diagnostic::error(format!("invalid YAML in the {what}: {message}"))
}
