//! Writing a translation source: its front matter and body, the
//! original's structure with each unit's text taken from a translation
//! (a PO file's) or, where there is none, from the original itself.

use std::collections::BTreeMap;
use std::path::{Component, Path, PathBuf};

use crate::diag::Diagnostic;

use super::Side;
use super::fingerprint::marks_yaml;
use super::units::{Kind, Unit, units};

/// A YAML scalar: JSON's double-quoted strings are YAML's too.
fn quoted(text: &str) -> String {
    serde_json::to_string(text).unwrap_or_else(|_| "\"\"".into())
}

/// The whole translation source for `original`, in `language`, whose
/// `translation-of:` is `of`. `texts` gives the translated Markdown by
/// unit key; a unit it lacks keeps the original's text (untranslated).
/// `marks` are the fingerprints of the original it translates.
pub fn translation_source(
    original: &Side,
    of: &str,
    language: &str,
    texts: &BTreeMap<String, String>,
    marks: &BTreeMap<String, String>,
    note: &str,
) -> String {
    let all = units(original);
    let text = |unit: &Unit| texts.get(&unit.key).cloned().unwrap_or_else(|| unit.markdown.clone());
    let by_kind = |kind: Kind| all.iter().find(|u| u.kind == kind);
    let doc = &original.document;
    let meta = &doc.meta;

    let mut out = String::from("---\n");
    out.push_str(note);
    out.push_str(&format!("translation-of: {}\n", quoted(of)));
    for (key, kind) in [("title", Kind::Title), ("subtitle", Kind::Subtitle)] {
        if let Some(unit) = by_kind(kind) {
            out.push_str(&format!("{key}: {}\n", quoted(&text(unit))));
        }
    }
    out.push_str(&format!("kind: {}\n", meta.kind.name()));
    out.push_str(&format!("language: {language}\n"));
    for (key, value) in [("publisher", &meta.publisher), ("date", &meta.date)] {
        if let Some(value) = value {
            out.push_str(&format!("{key}: {}\n", quoted(value)));
        }
    }
    let mut labels = Vec::new();
    if !doc.participants.is_empty() {
        out.push_str("participants:\n");
    }
    for (i, p) in doc.participants.iter().enumerate() {
        let name = by_kind(Kind::Name(i)).map_or_else(|| p.name.clone(), |u| text(u).trim().to_string());
        // A translated name gets its first word as label, as a source
        // would; an untranslated one keeps the original's label.
        let label = if name == p.name {
            p.label.clone()
        } else {
            name.split_whitespace().next().unwrap_or(&name).to_string()
        };
        out.push_str(&format!("  - name: {}\n    label: {}\n", quoted(&name), quoted(&label)));
        let role = match p.role {
            crate::model::Role::Interviewer => "interviewer",
            crate::model::Role::Moderator => "moderator",
            crate::model::Role::Speaker => "speaker",
        };
        out.push_str(&format!("    role: {role}\n"));
        if let Some(unit) = by_kind(Kind::Bio(i)) {
            out.push_str(&format!("    bio: {}\n", quoted(&text(unit))));
        }
        labels.push(label);
    }
    out.push_str(&marks_yaml(marks));
    out.push_str("---\n");

    let mut notes = String::new();
    for unit in &all {
        let body = text(unit);
        match unit.kind {
            Kind::Introduction => out.push_str(&format!("\n{body}\n")),
            Kind::Question(_) => out.push_str(&format!("\n## {body}\n")),
            Kind::Turn(s, t) => match doc.sections[s].turns[t].speaker {
                Some(id) => out.push_str(&format!("\n**{}:** {body}\n", labels[id.0])),
                None => out.push_str(&format!("\n{body}\n")),
            },
            Kind::Note(n) => notes.push_str(&format!("\n[^{}]: {body}\n", doc.notes[n].label)),
            Kind::Title | Kind::Subtitle | Kind::Name(_) | Kind::Bio(_) => {}
        }
    }
    out.push_str(&notes);
    out
}

/// Write `text` to `path`, which must not exist yet: a translation is
/// never written over a file (error, nothing written).
pub fn write_new(path: &Path, text: &str) -> Result<(), Diagnostic> {
    use std::io::Write;
    let exists = || {
        Diagnostic::error(format!("{} already exists; mimeo never writes over it", path.display()))
            .hint("name another file with `-o FILE`, or move the old one away")
    };
    if path.exists() {
        return Err(exists());
    }
    let folder = path.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
    let failed = |e: std::io::Error| crate::output::write_error(path, &e);
    let mut file = tempfile::NamedTempFile::new_in(folder).map_err(failed)?;
    file.write_all(text.as_bytes()).map_err(failed)?;
    file.persist_noclobber(path).map_err(|e| {
        if e.error.kind() == std::io::ErrorKind::AlreadyExists { exists() } else { failed(e.error) }
    })?;
    Ok(())
}

/// `target` relative to the folder of `from` (both as given, made
/// absolute against the working folder), with `/` separators.
pub fn relative_path(from: &Path, target: &Path) -> String {
    let absolute = |p: &Path| -> PathBuf {
        let p = if p.is_absolute() {
            p.to_path_buf()
        } else {
            std::env::current_dir().unwrap_or_default().join(p)
        };
        let mut out = PathBuf::new();
        for c in p.components() {
            match c {
                Component::CurDir => {}
                Component::ParentDir => {
                    out.pop();
                }
                other => out.push(other),
            }
        }
        out
    };
    let from = absolute(from.parent().unwrap_or(Path::new("")));
    let target = absolute(target);
    let common = from.components().zip(target.components()).take_while(|(a, b)| a == b).count();
    let ups = from.components().count() - common;
    let mut parts: Vec<String> = vec!["..".into(); ups];
    parts.extend(target.components().skip(common).map(|c| c.as_os_str().to_string_lossy().into_owned()));
    parts.join("/")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relative_paths() {
        assert_eq!(relative_path(Path::new("/a/b/t.md"), Path::new("/a/b/o.md")), "o.md");
        assert_eq!(relative_path(Path::new("/a/c/t.md"), Path::new("/a/b/o.md")), "../b/o.md");
    }
}
