//! Stale turns: a fingerprint of each unit of the original (title,
//! subtitle, names, bios, introduction, questions, turns, footnotes) is
//! kept in the translation's own front matter under `translated-from:`,
//! written by `mimeo translate mark`. A unit of the original whose
//! fingerprint no longer matches changed after it was translated: `check`
//! warns about exactly that one, in both files.
//!
//! Why the front matter and not a sidecar file: the record travels with
//! the translation (mailed, renamed, committed), a diff of the translation
//! shows the mark beside the text it vouches for, and there is no second
//! file to forget or to pair up again.

use std::collections::BTreeMap;
use std::path::Path;

use crate::diag::Diagnostic;

use super::units::{Unit, by_key, units};
use super::{Pair, align, text};

/// The fingerprints of every unit of the original, by key.
pub fn fingerprints(units: &[Unit]) -> BTreeMap<String, String> {
    units.iter().map(|u| (u.key.clone(), text::fingerprint(&u.plain))).collect()
}

/// A warning for each unit of the original changed since the translation
/// was last marked, placed at its translation and naming the original's place.
pub fn stale(pair: &Pair) -> Vec<Diagnostic> {
    let marks = &pair.translating.marks;
    let mark_command = mark_command(pair.translation.path());
    if marks.is_empty() {
        return vec![
            Diagnostic::warning(format!(
                "there is no record of which version of {} this translates (no `translated-from:`)",
                pair.original.path().display()
            ))
            .at(pair.translating.at.clone())
            .hint(format!("when the translation is up to date, run `{mark_command}`")),
        ];
    }
    let theirs = units(&pair.original);
    let ours = by_key(units(&pair.translation));
    let mut warnings = Vec::new();
    for unit in &theirs {
        if marks.get(&unit.key) == Some(&text::fingerprint(&unit.plain)) {
            continue;
        }
        let here = ours.get(&unit.key).map_or_else(|| pair.translating.at.clone(), |u| u.at.clone());
        let when =
            if marks.contains_key(&unit.key) { "changed in the original" } else { "is new in the original" };
        warnings.push(
            Diagnostic::warning(format!("{} {when} (at {}) since it was translated", unit.what, unit.at))
                .at(here)
                .hint(format!("update the translation here, then run `{mark_command}`")),
        );
    }
    warnings
}

/// `mimeo translate mark PATH`, as the user would type it.
fn mark_command(path: &Path) -> String {
    format!("mimeo translate mark {}", path.display())
}

/// `mimeo translate mark`: record the original as it is now as the one
/// translated, in the translation's `translated-from:`. Refused while
/// the two are not aligned (the keys would not name the same places).
pub fn mark(path: &Path) -> Result<usize, Vec<Diagnostic>> {
    let pair = super::load(path)?;
    let report = align::check(&pair);
    if !report.errors.is_empty() {
        return Err(report.errors);
    }
    let marks = fingerprints(&units(&pair.original));
    let updated = with_marks(pair.translation.map.text(), &marks);
    crate::output::write_atomic(path, updated.as_bytes())
        .map_err(|e| vec![crate::output::write_error(path, &e)])?;
    Ok(marks.len())
}

/// The `translated-from:` block for `marks`, one key a line.
pub fn marks_yaml(marks: &BTreeMap<String, String>) -> String {
    let mut out = String::from("translated-from:\n");
    for (key, value) in marks {
        out.push_str(&format!("  {key}: \"{value}\"\n"));
    }
    out
}

/// The source `text` with its front matter's `translated-from:` block
/// replaced by `marks` (or added at its end). Every other line is kept
/// as it was, comments and line endings too.
pub fn with_marks(text: &str, marks: &BTreeMap<String, String>) -> String {
    let newline = if text.contains("\r\n") { "\r\n" } else { "\n" };
    let mut lines: Vec<&str> = text.split_inclusive('\n').collect();
    // The front matter: from the first line (`---`) to the next `---`.
    let close = lines.iter().skip(1).position(|l| l.trim_end() == "---").map(|i| i + 1);
    let Some(close) = close else { return text.to_string() };
    let mut front: Vec<&str> = Vec::new();
    let mut in_marks = false;
    for line in &lines[1..close] {
        let top_level = !line.starts_with([' ', '\t']) && !line.trim().is_empty();
        if top_level {
            in_marks = line.starts_with("translated-from:");
        }
        if !in_marks {
            front.push(line);
        }
    }
    let block = marks_yaml(marks).replace('\n', newline);
    let mut out = String::with_capacity(text.len() + block.len());
    out.push_str(lines[0]);
    front.iter().for_each(|l| out.push_str(l));
    out.push_str(&block);
    lines.drain(..close);
    lines.iter().for_each(|l| out.push_str(l));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn marks_replace_only_their_block() {
        let text = "---\ntitle: T\ntranslated-from:\n  title: \"aaa\"\n  turn-1.1: \"bbb\"\nlanguage: fa # kept\n---\n\nbody\n";
        let marks = BTreeMap::from([("title".to_string(), "ccc".to_string())]);
        let out = with_marks(text, &marks);
        assert_eq!(
            out,
            "---\ntitle: T\nlanguage: fa # kept\ntranslated-from:\n  title: \"ccc\"\n---\n\nbody\n"
        );
        assert_eq!(with_marks(&out, &marks), out);
        // Windows line endings stay Windows line endings.
        let crlf = with_marks("---\r\ntitle: T\r\n---\r\nbody\r\n", &marks);
        assert_eq!(crlf, "---\r\ntitle: T\r\ntranslated-from:\r\n  title: \"ccc\"\r\n---\r\nbody\r\n");
    }
}
