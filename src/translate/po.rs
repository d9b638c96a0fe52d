//! gettext PO files (the format translators' tools speak): one entry per
//! title, subtitle, name, bio, introduction, question, turn and footnote
//! of the original, its Markdown as `msgid`, its key and speaker as
//! `msgctxt` (`turn-2.3 (Sardar)`), its place as a `#:` reference.
//! [`merge`] turns a translated PO back into a translation source: the
//! structure comes from the original, the words from the PO.
//!
//! No crate: the PO syntax used here is small (no plurals), and the
//! escaping is written out below with its tests.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::diag::{Diagnostic, Location};

use super::Side;
use super::text::fingerprint;
use super::units::{Unit, by_key, units};
use super::write::{relative_path, translation_source, write_new};

/// The header field naming the original, relative to the PO file.
const ORIGINAL_FIELD: &str = "X-Mimeo-Original";

/// A PO string: C escapes for `\`, `"` and control characters.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '"' => out.push_str("\\\""),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            c if (c as u32) < 0x20 || c == '\u{7f}' => out.push_str(&format!("\\{:03o}", c as u32)),
            c => out.push(c),
        }
    }
    out
}

/// Undo [`escape`] (and the other C escapes gettext reads); `None` for a
/// malformed escape.
pub fn unescape(text: &str) -> Option<String> {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next()? {
            'n' => out.push('\n'),
            't' => out.push('\t'),
            'r' => out.push('\r'),
            'a' => out.push('\u{7}'),
            'b' => out.push('\u{8}'),
            'f' => out.push('\u{c}'),
            'v' => out.push('\u{b}'),
            '\\' => out.push('\\'),
            '"' => out.push('"'),
            d @ '0'..='7' => {
                let mut value = d.to_digit(8)?;
                for _ in 0..2 {
                    match chars.peek().and_then(|c| c.to_digit(8)) {
                        Some(v) => {
                            value = value * 8 + v;
                            chars.next();
                        }
                        None => break,
                    }
                }
                out.push(char::from_u32(value)?);
            }
            _ => return None,
        }
    }
    Some(out)
}

/// `keyword "text"`, split after each `\n` so that a long turn reads as
/// its paragraphs, as gettext's own tools write it.
fn field(keyword: &str, text: &str) -> String {
    if !text.contains('\n') {
        return format!("{keyword} \"{}\"\n", escape(text));
    }
    let mut out = format!("{keyword} \"\"\n");
    for line in text.split_inclusive('\n') {
        out.push_str(&format!("\"{}\"\n", escape(line)));
    }
    out
}

/// The context of a unit: its key, and who speaks a turn.
fn context(unit: &Unit) -> String {
    match unit.what.rsplit_once(" (") {
        Some((_, speaker)) if unit.key.starts_with("turn-") => format!("{} ({speaker}", unit.key),
        _ => unit.key.clone(),
    }
}

/// The PO of `original` into `language`, written at `po_path`; when a
/// translation is given, its texts are the `msgstr`s.
pub fn export(
    original: &Side,
    translation: Option<&Side>,
    language: &str,
    po_path: &Path,
    epoch: i64,
) -> String {
    let of = relative_path(po_path, original.path());
    let date = chrono::DateTime::from_timestamp(epoch, 0).unwrap_or_default().format("%Y-%m-%d %H:%M+0000");
    let mut out = format!(
        "# {} — translation into {language}, written by mimeo.\n\
         # Translate each msgstr; a msgstr left empty keeps the original's text.\n\
         msgid \"\"\nmsgstr \"\"\n",
        original.document.meta.title.replace('\n', " ")
    );
    let header = [
        format!("Project-Id-Version: {}", escape(&original.document.meta.title)),
        format!("POT-Creation-Date: {date}"),
        format!("PO-Revision-Date: {date}"),
        "Last-Translator: ".into(),
        "Language-Team: ".into(),
        format!("Language: {language}"),
        "MIME-Version: 1.0".into(),
        "Content-Type: text/plain; charset=UTF-8".into(),
        "Content-Transfer-Encoding: 8bit".into(),
        format!("{ORIGINAL_FIELD}: {}", escape(&of)),
    ];
    for line in header {
        out.push_str(&format!("\"{line}\\n\"\n"));
    }
    let theirs = by_key(translation.map(units).unwrap_or_default());
    for unit in units(original) {
        // An empty msgid is the header's: an empty unit has nothing to translate.
        if unit.markdown.is_empty() {
            continue;
        }
        let translated = theirs
            .get(&unit.key)
            .map(|u| u.markdown.as_str())
            .filter(|t| !t.is_empty() && *t != unit.markdown)
            .unwrap_or("");
        let line = unit.at.line.unwrap_or(1);
        out.push_str(&format!("\n#: {of}:{line}\n"));
        out.push_str(&field("msgctxt", &context(&unit)));
        out.push_str(&field("msgid", &unit.markdown));
        out.push_str(&field("msgstr", translated));
    }
    out
}

/// `mimeo translate po SOURCE [--to LANG] [-o FILE.po]`: SOURCE is an
/// original (every `msgstr` empty) or a translation (its texts as the
/// `msgstr`s, `--to` its language by default). Returns the path written.
pub fn export_file(
    source: &Path,
    language: Option<&str>,
    output: Option<&Path>,
) -> Result<PathBuf, Vec<Diagnostic>> {
    let (side, translating) = Side::read(source)?;
    let (original, translation) = match translating {
        Some(_) => {
            let pair = super::load(source)?;
            let report = super::align::check(&pair);
            if !report.errors.is_empty() {
                return Err(report.errors);
            }
            (pair.original, Some(pair.translation))
        }
        None => (side, None),
    };
    let language = match (language, &translation) {
        (Some(l), _) => l.to_string(),
        (None, Some(t)) => t.document.meta.language.clone(),
        (None, None) => {
            return Err(vec![Diagnostic::error("name the language to translate into with `--to LANG`")]);
        }
    };
    super::skeleton::check_language(&language, &original).map_err(|e| vec![e])?;
    let path = output.map_or_else(
        || super::skeleton::default_path(original.path(), &language).with_extension("po"),
        Path::to_path_buf,
    );
    let epoch = crate::build::epoch(original.path()).map_err(|e| vec![e])?;
    let text = export(&original, translation.as_ref(), &language, &path, epoch);
    write_new(&path, &text).map_err(|e| vec![e])?;
    Ok(path)
}

/// One entry of a PO file.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct Entry {
    pub context: Option<String>,
    pub id: String,
    pub text: String,
    pub fuzzy: bool,
    /// Line of its `msgid`.
    pub line: usize,
}

/// Read a PO file's entries (the header is the one with an empty `msgid`
/// and no context). Errors name the line.
pub fn parse(path: &Path, text: &str) -> Result<Vec<Entry>, Diagnostic> {
    #[derive(PartialEq, Clone, Copy)]
    enum Field {
        None,
        Context,
        Id,
        Text,
    }
    let mut entries = Vec::new();
    let mut entry = Entry::default();
    let mut field = Field::None;
    let mut started = false;
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    for (n, line) in text.lines().enumerate() {
        let at = || Location::at(path, n + 1, 1);
        let line = line.trim();
        if line.starts_with("#~") {
            continue; // obsolete entries
        }
        if let Some(flags) = line.strip_prefix("#,") {
            if started && field == Field::Text {
                entries.push(std::mem::take(&mut entry));
                started = false;
                field = Field::None;
            }
            entry.fuzzy |= flags.split(',').any(|f| f.trim() == "fuzzy");
            continue;
        }
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let (keyword, rest) = match line.split_once(char::is_whitespace) {
            Some((k, r)) if !line.starts_with('"') => (k, r.trim()),
            _ => ("", line),
        };
        let next = match keyword {
            "" => field,
            "msgctxt" => Field::Context,
            "msgid" => Field::Id,
            "msgstr" => Field::Text,
            other => {
                return Err(Diagnostic::error(format!("`{other}` is not supported in mimeo's PO files"))
                    .at(at())
                    .hint("mimeo writes one msgid and one msgstr an entry, without plurals"));
            }
        };
        if keyword.is_empty() && field == Field::None {
            return Err(Diagnostic::error("a string outside any entry").at(at()));
        }
        // A new entry starts at its msgctxt, or at a msgid after a msgstr.
        if (next == Field::Context || (next == Field::Id && field != Field::Context))
            && started
            && !keyword.is_empty()
        {
            entries.push(std::mem::take(&mut entry));
        }
        started = true;
        if next == Field::Id && !keyword.is_empty() {
            entry.line = n + 1;
        }
        field = next;
        let value = rest
            .strip_prefix('"')
            .and_then(|r| r.strip_suffix('"'))
            .filter(|_| rest.len() >= 2)
            .and_then(unescape)
            .ok_or_else(|| {
                Diagnostic::error(
                    "expected a string in double quotes, with C escapes (`\\n`, `\\\"`, `\\\\`)",
                )
                .at(at())
            })?;
        match field {
            Field::Context => entry.context.get_or_insert_with(String::new).push_str(&value),
            Field::Id => entry.id.push_str(&value),
            Field::Text => entry.text.push_str(&value),
            Field::None => {}
        }
    }
    if started {
        entries.push(entry);
    }
    Ok(entries)
}

/// The header's value of `field`.
fn header_field(entries: &[Entry], field: &str) -> Option<String> {
    let header = entries.iter().find(|e| e.id.is_empty() && e.context.is_none())?;
    header.text.lines().find_map(|line| {
        let (key, value) = line.split_once(':')?;
        (key.trim() == field).then(|| value.trim().to_string())
    })
}

/// `mimeo translate merge FILE.po`: write the translation source the PO
/// makes, to `output` or beside the original. Returns the path written.
pub fn merge(po_path: &Path, output: Option<&Path>) -> Result<PathBuf, Vec<Diagnostic>> {
    let bytes = crate::files::read(po_path, crate::files::Kind::Source).map_err(|e| vec![e.diagnostic()])?;
    let text = String::from_utf8(bytes).map_err(|_| {
        vec![
            Diagnostic::error("the PO file is not UTF-8")
                .at(Location::file(po_path))
                .hint("save it as UTF-8 (`msgconv -t UTF-8`)"),
        ]
    })?;
    let entries = parse(po_path, &text).map_err(|e| vec![e])?;
    let here = Location::file(po_path);
    let of = header_field(&entries, ORIGINAL_FIELD).ok_or_else(|| {
        vec![
            Diagnostic::error(format!("the header has no `{ORIGINAL_FIELD}:` naming the original"))
                .at(here.clone())
                .hint("merge a PO file that `mimeo translate po` wrote"),
        ]
    })?;
    let language = header_field(&entries, "Language").filter(|l| !l.is_empty()).ok_or_else(|| {
        vec![
            Diagnostic::error("the header has no `Language:`")
                .at(here.clone())
                .hint("add `\"Language: fa\\n\"` to the header"),
        ]
    })?;
    let original_path = super::original_path(po_path, &of);
    let (original, _) = Side::read(&original_path)?;
    super::skeleton::check_language(&language, &original).map_err(|e| vec![e.at(here.clone())])?;
    let all = units(&original);
    let index: std::collections::HashMap<&str, &Unit> = all.iter().map(|u| (u.key.as_str(), u)).collect();
    let mut texts = BTreeMap::new();
    let mut marks = BTreeMap::new();
    let mut errors = Vec::new();
    for entry in entries.iter().filter(|e| e.context.is_some()) {
        let context = entry.context.as_deref().unwrap_or_default();
        let key = context.split(' ').next().unwrap_or_default();
        let Some(unit) = index.get(key).copied() else {
            errors.push(
                Diagnostic::error(format!("`msgctxt \"{context}\"` names no part of {}", original_path.display()))
                    .at(Location::at(po_path, entry.line.saturating_sub(1).max(1), 1))
                    .hint("was the PO made from another version of the original? export it again with `mimeo translate po`"),
            );
            continue;
        };
        if !entry.fuzzy && !entry.text.trim().is_empty() {
            texts.insert(key.to_string(), entry.text.trim().to_string());
        }
        // The fingerprint of what was translated: a msgid that is no longer
        // the original's text leaves that unit stale for `check`.
        let current = entry.id.trim() == unit.markdown;
        marks.insert(key.to_string(), if current { fingerprint(&unit.plain) } else { "changed".into() });
    }
    for unit in all.iter().filter(|u| !u.markdown.is_empty() && !marks.contains_key(&u.key)) {
        errors.push(
            Diagnostic::error(format!(
                "the PO has no entry for {} (`{}`, at {})",
                unit.what, unit.key, unit.at
            ))
            .at(here.clone())
            .hint("export the PO again with `mimeo translate po` and carry the translations over"),
        );
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    // Empty units are not in the PO, and need no translation.
    for unit in all.iter().filter(|u| u.markdown.is_empty()) {
        marks.insert(unit.key.clone(), fingerprint(&unit.plain));
    }
    let path =
        output.map_or_else(|| super::skeleton::default_path(&original_path, &language), Path::to_path_buf);
    let of = relative_path(&path, &original_path);
    let text = translation_source(&original, &of, &language, &texts, &marks, "");
    write_new(&path, &text).map_err(|e| vec![e])?;
    Ok(path)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_round_trip() {
        for text in
            ["plain", "a \"quote\" and \\ back", "two\nlines\n", "tab\there", "bell\u{7}", "فارسی «نقل»"]
        {
            assert_eq!(unescape(&escape(text)).as_deref(), Some(text), "{text}");
        }
        assert_eq!(unescape("bad \\q"), None);
    }

    #[test]
    fn entries_are_read_with_contexts_and_flags() {
        let po = "msgid \"\"\nmsgstr \"\"\n\"Language: fa\\n\"\n\n#, fuzzy\nmsgctxt \"title\"\nmsgid \"A\"\nmsgstr \"B\"\n\nmsgctxt \"turn-1.1 (Ed)\"\nmsgid \"\"\n\"one\\n\"\n\"two\"\nmsgstr \"\"\n";
        let entries = parse(Path::new("x.po"), po).unwrap();
        assert_eq!(entries.len(), 3);
        assert_eq!(header_field(&entries, "Language").as_deref(), Some("fa"));
        assert!(entries[1].fuzzy && entries[1].text == "B");
        assert_eq!(entries[2].id, "one\ntwo");
        assert!(!entries[2].fuzzy);
    }
}
