//! YAML front matter: found at byte 0 only, deserialised into typed fields
//! whose errors carry the file, line and column.

use std::fmt;
use std::path::Path;

use serde::Deserialize;
use serde::de::{self, Visitor};

use crate::diag::{Diagnostic, LineIndex, Location};
use crate::model::{ContributorRole, Direction, Kind, Role};

/// The front matter as written, before it is checked against the body.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct FrontMatter {
    #[serde(deserialize_with = "scalar_string")]
    pub title: String,
    #[serde(default, deserialize_with = "opt_scalar_string")]
    pub subtitle: Option<String>,
    #[serde(default)]
    pub kind: Option<Kind>,
    #[serde(default, deserialize_with = "opt_scalar_string")]
    pub language: Option<String>,
    /// pandoc's name for `language`, accepted so pandoc sources work as they are.
    #[serde(default, deserialize_with = "opt_scalar_string")]
    pub lang: Option<String>,
    #[serde(default)]
    pub direction: Option<Direction>,
    #[serde(default, deserialize_with = "opt_scalar_string")]
    pub date: Option<String>,
    #[serde(default, deserialize_with = "opt_scalar_string")]
    pub publisher: Option<String>,
    #[serde(default, deserialize_with = "opt_scalar_string")]
    pub series: Option<String>,
    #[serde(default, deserialize_with = "opt_scalar_string")]
    pub edition: Option<String>,
    #[serde(default, deserialize_with = "opt_scalar_string")]
    pub rights: Option<String>,
    #[serde(default, deserialize_with = "opt_scalar_string")]
    pub identifier: Option<String>,
    #[serde(default, deserialize_with = "opt_scalar_string")]
    pub description: Option<String>,
    #[serde(default)]
    pub keywords: Keywords,
    #[serde(default, deserialize_with = "opt_scalar_string")]
    pub cover: Option<String>,
    /// The recording the transcript was made from (MP3 or M4A next to the
    /// source), for a read-along e-book.
    #[serde(default, deserialize_with = "opt_scalar_string")]
    pub audio: Option<String>,
    /// Where the recording is published: linked from the e-book instead of
    /// embedding it (layout key `audio: link`) and printed as a QR code.
    #[serde(default, deserialize_with = "opt_scalar_string")]
    pub audio_url: Option<String>,
    #[serde(default)]
    pub participants: Vec<ParticipantEntry>,
    /// Shorthand: the name or label of the participant who asks the questions.
    #[serde(default, deserialize_with = "opt_scalar_string")]
    pub interviewer: Option<String>,
    #[serde(default)]
    pub contributors: Vec<ContributorEntry>,
    /// Layouts to build when the command line names none.
    #[serde(default)]
    pub layouts: Vec<String>,
    /// This source translates another (the path relative to this file).
    #[serde(default, deserialize_with = "opt_scalar_string")]
    pub translation_of: Option<String>,
    /// Fingerprints of the original as it was when last marked translated
    /// (`mimeo translate mark`), by position (`turn-2.3`).
    #[serde(default)]
    pub translated_from: std::collections::BTreeMap<String, String>,
    /// Free-form additions, kept out of the way of future fields; accepted
    /// whatever their shape, and not read.
    #[serde(default, rename = "extra")]
    pub _extra: Option<serde_yaml::Value>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ParticipantEntry {
    #[serde(deserialize_with = "scalar_string")]
    pub name: String,
    #[serde(default, deserialize_with = "opt_scalar_string")]
    pub label: Option<String>,
    /// What the body's labels say when it is not what is printed (a
    /// diarisation id such as `SPEAKER_00`): renaming is then one edit.
    #[serde(default, deserialize_with = "opt_scalar_string")]
    pub id: Option<String>,
    #[serde(default)]
    pub role: Option<Role>,
    #[serde(default, deserialize_with = "opt_scalar_string")]
    pub bio: Option<String>,
    /// In a translation: the original's participant this one is (by name
    /// or label), when not the one in the same place of the list.
    #[serde(default, rename = "same-as", deserialize_with = "opt_scalar_string")]
    pub same_as: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ContributorEntry {
    #[serde(deserialize_with = "scalar_string")]
    pub name: String,
    pub role: ContributorRole,
}

/// `keywords: [a, b]` or `keywords: "a, b"`.
#[derive(Debug, Default)]
pub struct Keywords(pub Vec<String>);

impl<'de> Deserialize<'de> for Keywords {
    fn deserialize<D: de::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        #[derive(Deserialize)]
        #[serde(untagged)]
        enum Form {
            List(Vec<String>),
            Line(String),
        }
        Ok(Keywords(match Form::deserialize(d)? {
            Form::List(list) => list,
            Form::Line(line) => {
                line.split(',').map(|k| k.trim().to_string()).filter(|k| !k.is_empty()).collect()
            }
        }))
    }
}

/// A YAML scalar read as text: `date: 2020` and `edition: 2` are strings to us.
struct ScalarString;

impl Visitor<'_> for ScalarString {
    type Value = String;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a string")
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<String, E> {
        Ok(v.to_string())
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<String, E> {
        Ok(v.to_string())
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<String, E> {
        Ok(v.to_string())
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<String, E> {
        Ok(v.to_string())
    }
}

pub(super) fn scalar_string<'de, D: de::Deserializer<'de>>(d: D) -> Result<String, D::Error> {
    d.deserialize_any(ScalarString)
}

pub(super) fn opt_scalar_string<'de, D: de::Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    scalar_string(d).map(Some)
}

/// The front matter's YAML text and where the Markdown body starts.
pub struct Split<'a> {
    pub yaml: &'a str,
    /// Byte offset of the YAML text in the file.
    pub yaml_offset: usize,
    pub body: &'a str,
    pub body_offset: usize,
}

/// Find the front matter at byte 0: a `---` line, YAML, then `---` or `...`.
pub fn split<'a>(path: &Path, text: &'a str) -> Result<Split<'a>, Diagnostic> {
    let Some(rest) = text.strip_prefix("---\n") else {
        return Err(no_front_matter(path, text));
    };
    let yaml_offset = 4;
    let mut line_start = 0;
    while line_start <= rest.len() {
        let line_end = rest[line_start..].find('\n').map_or(rest.len(), |i| line_start + i);
        let line = rest[line_start..line_end].trim_end_matches([' ', '\t']);
        if line == "---" || line == "..." {
            let body_offset = yaml_offset + (line_end + 1).min(rest.len());
            return Ok(Split {
                yaml: &rest[..line_start],
                yaml_offset,
                body: &text[body_offset..],
                body_offset,
            });
        }
        line_start = line_end + 1;
    }
    Err(Diagnostic::error("the front matter that starts here is never closed")
        .at(Location::at(path, 1, 1))
        .hint("end the front matter with a line that holds only `---`"))
}

/// Why `text` has no front matter at its first byte, and the fix: blank
/// lines before the `---`, or a raw transcript that `mimeo import` reads.
fn no_front_matter(path: &Path, text: &str) -> Diagnostic {
    let first = text.lines().position(|line| !line.trim().is_empty()).unwrap_or(0);
    let opening = text.lines().nth(first).is_some_and(|line| line.trim() == "---");
    if first > 0 && opening {
        let (lines, them) = if first == 1 {
            ("line 1 is blank".to_string(), "line")
        } else {
            (format!("lines 1–{first} are blank"), "lines")
        };
        return Diagnostic::error(format!("the front matter must begin on the first line, but {lines}"))
            .at(Location::at(path, 1, 1))
            .hint(format!("delete the blank {them} before the `---` on line {}", first + 1));
    }
    if opening {
        return Diagnostic::error(
            "the front matter's opening `---` must stand alone at the start of the line",
        )
        .at(Location::at(path, first + 1, 1))
        .hint("write the line as exactly `---`");
    }
    let diag = Diagnostic::error("the file does not start with front matter").at(Location::at(path, 1, 1));
    if looks_like_transcript(path, text) {
        let name = path.display();
        let md = if extension_is(path, "md") {
            let stem = path.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default();
            path.with_file_name(format!("{stem}-source.md"))
        } else {
            path.with_extension("md")
        };
        return diag.hint(format!(
            "this looks like a raw transcript: `mimeo import {name} -o {}` turns it into a source to check",
            md.display()
        ));
    }
    diag.hint("begin the file with a `---` line, then `title: ...`, then another `---` line")
}

fn extension_is(path: &Path, wanted: &str) -> bool {
    path.extension().is_some_and(|e| e.eq_ignore_ascii_case(wanted))
}

/// A raw transcript rather than a source missing its front matter: a
/// `.txt` (or subtitle) file, or lines that open with `Name:` labels.
fn looks_like_transcript(path: &Path, text: &str) -> bool {
    let extension = path.extension().map(|e| e.to_string_lossy().to_ascii_lowercase()).unwrap_or_default();
    if matches!(extension.as_str(), "txt" | "text" | "vtt" | "srt") {
        return true;
    }
    let labelled = text
        .lines()
        .filter(|line| {
            line.split_once(": ").is_some_and(|(label, _)| {
                let words = label.split_whitespace().count();
                (1..=3).contains(&words) && label.chars().next().is_some_and(char::is_uppercase)
            })
        })
        .count();
    labelled >= 3
}

/// Deserialise the YAML, turning serde's messages into located diagnostics.
pub fn parse(path: &Path, text: &str, split: &Split) -> Result<FrontMatter, Diagnostic> {
    if split.yaml.trim().is_empty() {
        return Err(Diagnostic::error("the front matter is empty; it needs at least a `title`")
            .at(Location::at(path, 1, 1)));
    }
    let front: FrontMatter =
        crate::yaml::from_str(path, text, split.yaml_offset, split.yaml, "front matter")?;
    if front.title.trim().is_empty() {
        return Err(Diagnostic::error("`title` is empty").at(key_location(
            path,
            &LineIndex::new(text),
            split,
            "title",
        )));
    }
    Ok(front)
}

/// The place of a top-level `key:` in the front matter (for checks made
/// after deserialising), or the front matter's first line.
pub fn key_location(path: &Path, lines: &LineIndex, split: &Split, key: &str) -> Location {
    crate::yaml::offset_of_key(split.yaml, key)
        .map_or_else(|| Location::at(path, 1, 1), |at| lines.location(path, split.yaml_offset + at))
}

/// The place of `value` given under the top-level `key`: on the key's own
/// line (`layouts: [a5, epub]`) or on one of the indented lines after it
/// (`  - a5`); else the key's place.
pub fn value_location(path: &Path, text: &str, split: &Split, key: &str, value: &str) -> Location {
    let at_key = key_location(path, &LineIndex::new(text), split, key);
    let mut offset = split.yaml_offset;
    let mut under_key = false;
    for line in split.yaml.split_inclusive('\n') {
        let is_key = line.strip_prefix(key).is_some_and(|rest| rest.trim_start().starts_with(':'));
        if is_key {
            under_key = true;
        } else if under_key && !line.starts_with([' ', '\t', '-']) {
            break;
        }
        if under_key && let Some(column) = line.find(value) {
            return Location::at_offset(path, text, offset + column);
        }
        offset += line.len();
    }
    at_key
}
