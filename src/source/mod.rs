//! Reading sources: a `.md` file with YAML front matter → a [`Document`].
//!
//! `decode` checks the bytes, `frontmatter` reads the metadata, `markdown`
//! turns the body into blocks, `structure` finds sections and turns, and
//! [`checks`] looks for likely mistakes. Every problem is a [`Diagnostic`]
//! naming the file, line and column.

mod audio;
mod checks;
mod collection;
mod cues;
mod frontmatter;
mod image;
mod input;
mod map;
mod markdown;
mod roster;
mod spans;
mod structure;
mod timing;

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use crate::diag::{Diagnostic, LineIndex, Location};
use crate::model::{Contributor, Direction, Document, Kind, Meta, Note, Participant, ParticipantId, Role};

pub use collection::{ParsedCollection, is_collection, parse_collection};
pub use image::{MAX_BYTES as MAX_IMAGE_BYTES, MAX_SIDE as MAX_IMAGE_SIDE};
pub use input::looks_binary;
pub use map::{SourceMap, Translating};
pub use markdown::MAX_NESTING;

/// Sources larger than this are refused before reading (a 10 MB paragraph
/// is fine; a 1 GB file is a mistake).
pub const MAX_SOURCE_BYTES: u64 = 32 << 20;

/// A parsed source and the warnings found on the way.
#[derive(Debug)]
pub struct Parsed {
    pub document: Document,
    pub warnings: Vec<Diagnostic>,
    /// When the source is a translation (`translation-of:`), what its
    /// front matter says of the original.
    pub translating: Option<Translating>,
}

/// What a path names: one source, or a collection of them.
#[derive(Debug)]
pub enum Loaded {
    Document(Parsed),
    Collection(ParsedCollection),
}

/// Read `path` as a collection (`.yaml`, `.yml`) or a source (anything else).
pub fn load(path: &Path) -> Result<Loaded, Vec<Diagnostic>> {
    if is_collection(path) {
        parse_collection(path).map(Loaded::Collection)
    } else {
        parse_file(path).map(Loaded::Document)
    }
}

impl Loaded {
    /// Every warning, each in its own file and place.
    pub fn warnings(&self) -> Vec<&Diagnostic> {
        match self {
            Loaded::Document(parsed) => parsed.warnings.iter().collect(),
            Loaded::Collection(parsed) => parsed.piece_reports.iter().flat_map(|(_, w)| w).collect(),
        }
    }

    /// The documents it holds: one, or each piece's.
    pub fn documents(&self) -> Vec<&Document> {
        match self {
            Loaded::Document(parsed) => vec![&parsed.document],
            Loaded::Collection(parsed) => parsed.collection.pieces.iter().map(|p| &p.document).collect(),
        }
    }

    /// The files its editions are made from: the collection file, every
    /// source, cover and picture. A change to any asks for a rebuild.
    pub fn inputs(&self) -> Vec<PathBuf> {
        let mut files: Vec<PathBuf> = match self {
            Loaded::Document(_) => Vec::new(),
            Loaded::Collection(parsed) => {
                let book = &parsed.collection;
                book.source.iter().chain(book.meta.cover.iter().map(|c| &c.path)).cloned().collect()
            }
        };
        for doc in self.documents() {
            files.extend(doc.source.iter().cloned());
            files.extend(doc.image_paths());
            files.extend(doc.meta.audio.iter().map(|a| a.path.clone()));
        }
        files
    }
}

/// Read and parse the source file at `path`.
pub fn parse_file(path: &Path) -> Result<Parsed, Vec<Diagnostic>> {
    parse_bytes(path, &read_source(path)?)
}

/// Read and parse the source file at `path`, keeping where each block,
/// heading and footnote is in it (for the translation tools, which point
/// into two files at once and copy the source's own text).
pub fn parse_file_mapped(path: &Path) -> Result<(Parsed, SourceMap), Vec<Diagnostic>> {
    parse_bytes_mapped(path, &read_source(path)?)
}

fn read_source(path: &Path) -> Result<Vec<u8>, Vec<Diagnostic>> {
    let here = || Location::file(path);
    let metadata = std::fs::metadata(path)
        .map_err(|e| vec![Diagnostic::error(format!("cannot read the source: {e}")).at(here())])?;
    if metadata.is_dir() {
        return Err(vec![Diagnostic::error("this is a folder, not a source file").at(here())]);
    }
    if metadata.len() > MAX_SOURCE_BYTES {
        return Err(vec![
            Diagnostic::error(format!(
                "the source is {} MiB; mimeo reads sources up to {} MiB",
                metadata.len() >> 20,
                MAX_SOURCE_BYTES >> 20
            ))
            .at(here()),
        ]);
    }
    crate::files::read(path, crate::files::Kind::Source).map_err(|e| vec![e.diagnostic()])
}

/// Where `value` is given under the front matter's `key` in the source at
/// `path`, for an error found after parsing (an unknown layout named in
/// `layouts:`): the file is read again, which only errors pay for.
pub fn front_matter_value(path: &Path, key: &str, value: &str) -> Location {
    let text = std::fs::read(path).ok().and_then(|bytes| input::decode(path, &bytes).ok());
    let Some(text) = text.map(|d| d.text) else { return Location::file(path) };
    match frontmatter::split(path, &text) {
        Ok(split) => frontmatter::value_location(path, &text, &split, key, value),
        Err(_) => Location::file(path),
    }
}

/// Parse the bytes of a source; `path` names it in messages and anchors
/// relative image paths.
pub fn parse_bytes(path: &Path, bytes: &[u8]) -> Result<Parsed, Vec<Diagnostic>> {
    parse_bytes_mapped(path, bytes).map(|(parsed, _)| parsed)
}

/// [`parse_bytes`], with the [`SourceMap`] of the text.
pub fn parse_bytes_mapped(path: &Path, bytes: &[u8]) -> Result<(Parsed, SourceMap), Vec<Diagnostic>> {
    let decoded = input::decode(path, bytes).map_err(|e| vec![e])?;
    let mut warnings = decoded.warnings;
    let text = decoded.text.as_str();
    let split = frontmatter::split(path, text).map_err(|e| vec![e])?;
    let front = frontmatter::parse(path, text, &split).map_err(|e| vec![e])?;

    let mut errors = Vec::new();
    // Every place in the text is located in one index of its lines.
    let lines = LineIndex::new(text);
    let at_key = |key: &str| frontmatter::key_location(path, &lines, &split, key);
    let (participants, ids) = participants(path, &front, &at_key, &mut errors);
    let meta = meta(path, &front, &at_key, &mut errors);

    let body = markdown::parse(path, &lines, split.body_offset, split.body);
    let mut map = SourceMap::new(path, text, split.body_offset, &body.blocks, &body.definitions);
    warnings.extend(body.warnings);
    errors.extend(body.errors);
    let structured =
        structure::structure(path, &lines, &participants, &ids, body.blocks, front.audio.is_some());
    warnings.extend(structured.warnings);

    let mut definitions = body.definitions;
    let mut notes = Vec::with_capacity(body.references.len());
    for label in body.references {
        let blocks = definitions.remove(&label).map(|(blocks, _)| blocks).unwrap_or_default();
        notes.push(Note { label, blocks });
    }
    let mut unused: Vec<(String, usize)> =
        definitions.into_iter().map(|(label, (_, offset))| (label, offset)).collect();
    unused.sort_by_key(|(_, offset)| *offset);
    for (label, offset) in unused {
        warnings.push(
            Diagnostic::warning(format!("footnote `[^{label}]` is defined but never referenced"))
                .at(lines.location(path, offset)),
        );
    }

    if !errors.is_empty() {
        return Err(errors);
    }
    let document = Document {
        meta,
        participants,
        introduction: structured.introduction,
        sections: structured.sections,
        notes,
        source: Some(path.to_path_buf()),
    };
    warnings.extend(checks::check(path, &document, &at_key));
    let timed = timing::check(path, &document);
    warnings.extend(timed.warnings);
    if !timed.errors.is_empty() {
        return Err(timed.errors);
    }
    let translating = front.translation_of.as_ref().map(|of| Translating {
        of: of.trim().to_string(),
        at: at_key("translation-of"),
        marks: front.translated_from.clone(),
        same_as: front.participants.iter().map(|p| p.same_as.clone()).collect(),
    });
    map.bios = front.participants.iter().map(|p| p.bio.clone()).collect();
    map.front_keys =
        ["title", "subtitle", "participants", "language"].into_iter().map(|key| (key, at_key(key))).collect();
    Ok((Parsed { document, warnings, translating }, map))
}

fn participants(
    path: &Path,
    front: &frontmatter::FrontMatter,
    at_key: &dyn Fn(&str) -> Location,
    errors: &mut Vec<Diagnostic>,
) -> (Vec<Participant>, Vec<(String, ParticipantId)>) {
    let mut out: Vec<Participant> = Vec::new();
    let mut ids = Vec::new();
    // Who has each label and name so far, for the check that none is shared.
    let mut by_label: HashMap<String, usize> = HashMap::new();
    let mut by_name: HashMap<String, usize> = HashMap::new();
    for (i, entry) in front.participants.iter().enumerate() {
        let name = entry.name.trim().to_string();
        let label = entry
            .label
            .as_deref()
            .map(str::trim)
            .unwrap_or_else(|| name.split_whitespace().next().unwrap_or_default())
            .to_string();
        if name.is_empty() || label.is_empty() {
            errors.push(
                Diagnostic::error(format!("participant {} has an empty name or label", i + 1))
                    .at(at_key("participants")),
            );
            continue;
        }
        let taken = [by_label.get(&label), by_name.get(&name)].into_iter().flatten().min();
        if let Some(other) = taken.map(|&i| &out[i]) {
            errors.push(
                Diagnostic::error(format!(
                    "participants `{}` and `{name}` share the label or name `{label}`",
                    other.name
                ))
                .at(at_key("participants"))
                .hint("give one of them a distinct `label:` (what precedes the colon in the text)"),
            );
            continue;
        }
        if let Some(id) = entry.id.as_deref().map(str::trim).filter(|id| !id.is_empty()) {
            ids.push((id.to_string(), ParticipantId(out.len())));
        }
        by_label.entry(label.clone()).or_insert(out.len());
        by_name.entry(name.clone()).or_insert(out.len());
        out.push(Participant {
            id: ParticipantId(out.len()),
            name,
            label,
            role: entry.role.unwrap_or_default(),
            bio: entry.bio.as_deref().map(|bio| markdown::parse_inline(path, bio)),
        });
    }
    if let Some(interviewer) = &front.interviewer {
        match out.iter_mut().find(|p| &p.name == interviewer || &p.label == interviewer) {
            Some(p) if p.role == Role::Speaker => p.role = Role::Interviewer,
            Some(_) => {}
            None => errors.push(
                Diagnostic::error(format!("`interviewer: {interviewer}` names no participant"))
                    .at(at_key("interviewer"))
                    .hint("use the name or label of one of the `participants`"),
            ),
        }
    }
    (out, ids)
}

fn meta(
    path: &Path,
    front: &frontmatter::FrontMatter,
    at_key: &dyn Fn(&str) -> Location,
    errors: &mut Vec<Diagnostic>,
) -> Meta {
    let language = match (&front.language, &front.lang) {
        (Some(a), Some(b)) if a != b => {
            errors.push(
                Diagnostic::error(format!("`language: {a}` and `lang: {b}` disagree"))
                    .at(at_key("lang"))
                    .hint("`lang` is pandoc's name for `language`; keep one"),
            );
            a.clone()
        }
        (Some(l), _) | (None, Some(l)) => l.trim().to_string(),
        (None, None) => "en".to_string(),
    };
    if !is_language_tag(&language) {
        errors.push(
            Diagnostic::error(format!("`{language}` is not a BCP 47 language tag"))
                .at(at_key(if front.language.is_some() { "language" } else { "lang" }))
                .hint("for example `en`, `fa`, `ckb`, `zh-Hant`, `pt-BR`"),
        );
    }
    let cover = front.cover.as_deref().and_then(|reference| {
        image::resolve(path, reference, &front.title)
            .map_err(|why| errors.push(Diagnostic::error(format!("cover: {why}")).at(at_key("cover"))))
            .ok()
    });
    let direction = front.direction.unwrap_or_else(|| Direction::of_language(&language));
    // An identifier meant as an ISBN ships in every edition (the EPUB's
    // `dc:identifier`, the colophon, a cover's barcode): checked here once.
    if let Some(Err(why)) = front.identifier.as_deref().and_then(crate::model::isbn::parse) {
        errors.push(
            Diagnostic::error(format!("front matter `identifier`: {why}"))
                .at(at_key("identifier"))
                .hint("correct the ISBN, or give another kind of identifier (e.g. `urn:uuid:…`)"),
        );
    }
    let identifier = front.identifier.clone().unwrap_or_else(|| derived_identifier(front));
    let audio = recording(path, front, at_key, errors);
    Meta {
        title: front.title.trim().to_string(),
        subtitle: front.subtitle.clone(),
        kind: front.kind.unwrap_or(Kind::Other),
        language,
        direction,
        date: front.date.clone(),
        publisher: front.publisher.clone(),
        series: front.series.clone(),
        edition: front.edition.clone(),
        rights: front.rights.clone(),
        identifier,
        description: front.description.clone(),
        keywords: front.keywords.0.clone(),
        cover,
        contributors: front
            .contributors
            .iter()
            .map(|c| Contributor { name: c.name.clone(), role: c.role })
            .collect(),
        default_layouts: front.layouts.clone(),
        audio,
    }
}

/// The recording named by `audio:` (and where it is published,
/// `audio-url:`), checked; `None` without one or when refused.
fn recording(
    path: &Path,
    front: &frontmatter::FrontMatter,
    at_key: &dyn Fn(&str) -> Location,
    errors: &mut Vec<Diagnostic>,
) -> Option<crate::model::Audio> {
    let url = front.audio_url.as_deref().map(str::trim).filter(|u| !u.is_empty());
    if let Some(url) = url
        && !(url.starts_with("https://") || url.starts_with("http://"))
    {
        errors.push(
            Diagnostic::error(format!("`audio-url: {url}` is not a web address"))
                .at(at_key("audio-url"))
                .hint("give the address the recording is published at, starting `https://`"),
        );
    }
    let reference = front.audio.as_deref()?;
    let at = at_key("audio");
    match audio::resolve(path, reference, at.line.unwrap_or(1), at.column.unwrap_or(1)) {
        Ok(mut audio) => {
            audio.url = url.map(str::to_string);
            Some(audio)
        }
        Err(refused) => {
            let diag = Diagnostic::error(format!("audio: {}", refused.message)).at(at);
            errors.push(match refused.hint {
                Some(hint) => diag.hint(hint),
                None => diag,
            });
            None
        }
    }
}

/// A stable `urn:uuid:` from what identifies the work (title, subtitle,
/// date, publisher, participants), so that correcting a typo in the text
/// keeps the e-book's identity.
fn derived_identifier(front: &frontmatter::FrontMatter) -> String {
    let mut key = String::from("mimeo\n");
    for part in [Some(&front.title), front.subtitle.as_ref(), front.date.as_ref(), front.publisher.as_ref()] {
        key.push_str(part.map_or("", |s| s.as_str()));
        key.push('\n');
    }
    for p in &front.participants {
        key.push_str(&p.name);
        key.push('\n');
    }
    format!("urn:uuid:{}", uuid::Uuid::new_v5(&uuid::Uuid::NAMESPACE_URL, key.as_bytes()))
}

/// Shape check for BCP 47: a 2–3 letter language, then subtags of 1–8
/// letters or digits.
pub(crate) fn is_language_tag(tag: &str) -> bool {
    let mut parts = tag.split('-');
    let primary = parts.next().unwrap_or_default();
    (2..=3).contains(&primary.len())
        && primary.chars().all(|c| c.is_ascii_alphabetic())
        && parts.all(|p| (1..=8).contains(&p.len()) && p.chars().all(|c| c.is_ascii_alphanumeric()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn language_tags() {
        for good in ["en", "fa", "ckb", "zh-Hant", "pt-BR", "ku-Arab-IQ"] {
            assert!(is_language_tag(good), "{good}");
        }
        for bad in ["", "e", "english", "en_US", "en-", "zh-toolongsubtag"] {
            assert!(!is_language_tag(bad), "{bad}");
        }
        assert_eq!(Direction::of_language("fa"), Direction::Rtl);
        assert_eq!(Direction::of_language("ku-Arab"), Direction::Rtl);
        assert_eq!(Direction::of_language("ku"), Direction::Ltr);
        assert_eq!(Direction::of_language("zh-Hant"), Direction::Ltr);
    }
}
