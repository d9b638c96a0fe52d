//! Collection files: a YAML file naming several sources to set as one book.
//!
//! ```yaml
//! title: Voices from the uprisings
//! editors: [Upping the Anti]
//! front: introduction.md
//! parts:
//!   - global-uprisings.md
//!   - { source: hong-kong.md, title: "Hong Kong, a year on" }
//! back: afterword.md
//! ```
//!
//! Paths are relative to the collection file and never leave its folder. A
//! part may itself be a collection (an anthology of zine issues): its pieces
//! are taken in its order. A collection that includes itself, directly or
//! through another, is refused, as is a piece named twice.

use std::collections::HashMap;
use std::fmt;
use std::path::{Component, Path, PathBuf};

use serde::Deserialize;
use serde::de::{self, Visitor};

use crate::diag::{Diagnostic, LineIndex, Location};
use crate::model::{Collection, Contributor, ContributorRole, Direction, Kind, Meta, Piece, Place};

use super::frontmatter::{Keywords, opt_scalar_string, scalar_string};
use super::{Parsed, image, is_language_tag};

/// How deep collections may include collections: an anthology of zine
/// issues is two or three levels; the bound keeps the reader's recursion
/// (a few KiB of stack a level) far from a 2 MiB thread stack.
pub const MAX_DEPTH: usize = 64;

/// Whether `path` names a collection file rather than a source.
pub fn is_collection(path: &Path) -> bool {
    path.extension().is_some_and(|e| e.eq_ignore_ascii_case("yaml") || e.eq_ignore_ascii_case("yml"))
}

/// A collection read, with each piece's warnings beside it.
#[derive(Debug)]
pub struct ParsedCollection {
    pub collection: Collection,
    /// For each piece (in `collection.pieces` order), its source file and warnings.
    pub piece_reports: Vec<(PathBuf, Vec<Diagnostic>)>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct CollectionFile {
    #[serde(deserialize_with = "scalar_string")]
    title: String,
    #[serde(default, deserialize_with = "opt_scalar_string")]
    subtitle: Option<String>,
    #[serde(default)]
    editors: Names,
    #[serde(default, deserialize_with = "opt_scalar_string")]
    publisher: Option<String>,
    #[serde(default, deserialize_with = "opt_scalar_string")]
    date: Option<String>,
    #[serde(default, deserialize_with = "opt_scalar_string")]
    language: Option<String>,
    #[serde(default)]
    direction: Option<Direction>,
    #[serde(default, deserialize_with = "opt_scalar_string")]
    identifier: Option<String>,
    #[serde(default, deserialize_with = "opt_scalar_string")]
    cover: Option<String>,
    #[serde(default, deserialize_with = "opt_scalar_string")]
    rights: Option<String>,
    #[serde(default, deserialize_with = "opt_scalar_string")]
    description: Option<String>,
    #[serde(default, deserialize_with = "opt_scalar_string")]
    series: Option<String>,
    #[serde(default, deserialize_with = "opt_scalar_string")]
    edition: Option<String>,
    #[serde(default)]
    keywords: Keywords,
    /// Layouts to build when the command line names none.
    #[serde(default)]
    layouts: Vec<String>,
    #[serde(default)]
    front: Entries,
    parts: Entries,
    #[serde(default)]
    back: Entries,
}

/// `editors: Name` or `editors: [A, B]`.
#[derive(Debug, Default)]
struct Names(Vec<String>);

impl<'de> Deserialize<'de> for Names {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        #[derive(Deserialize)]
        #[serde(untagged)]
        enum Form {
            One(String),
            Many(Vec<String>),
        }
        Ok(Names(match Form::deserialize(d)? {
            Form::One(name) => vec![name],
            Form::Many(names) => names,
        }))
    }
}

/// `front: a.md`, or a list of paths and `{ source, title }` maps.
#[derive(Debug, Default)]
struct Entries(Vec<Entry>);

#[derive(Debug)]
enum Entry {
    Path(String),
    Titled(TitledEntry),
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct TitledEntry {
    #[serde(deserialize_with = "scalar_string")]
    source: String,
    #[serde(default, deserialize_with = "opt_scalar_string")]
    title: Option<String>,
}

impl Entry {
    fn source(&self) -> &str {
        match self {
            Entry::Path(path) | Entry::Titled(TitledEntry { source: path, .. }) => path,
        }
    }

    fn title(&self) -> Option<&str> {
        match self {
            Entry::Titled(TitledEntry { title: Some(title), .. }) => Some(title.trim()),
            _ => None,
        }
    }
}

/// Reads an entry from a string or a map only (serde would also read a
/// struct from a list, taking `[a.md, b.md]` as one titled entry), and a
/// list of entries from a list.
struct EntryVisitor {
    list: bool,
}

const ENTRY_FORMS: &str = "a source path, or `{ source: PATH, title: ... }`";

impl<'de> Visitor<'de> for EntryVisitor {
    type Value = Entries;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        if self.list { f.write_str(ENTRY_FORMS) } else { write!(f, "{ENTRY_FORMS}, or a list of them") }
    }

    fn visit_str<E: de::Error>(self, path: &str) -> Result<Entries, E> {
        Ok(Entries(vec![Entry::Path(path.to_string())]))
    }

    fn visit_map<A: de::MapAccess<'de>>(self, map: A) -> Result<Entries, A::Error> {
        let entry = TitledEntry::deserialize(de::value::MapAccessDeserializer::new(map))?;
        Ok(Entries(vec![Entry::Titled(entry)]))
    }

    fn visit_seq<A: de::SeqAccess<'de>>(self, mut seq: A) -> Result<Entries, A::Error> {
        if self.list {
            return Err(de::Error::invalid_type(de::Unexpected::Seq, &self));
        }
        let mut entries = Vec::new();
        while let Some(Entries(one)) = seq.next_element_seed(OneEntry)? {
            entries.extend(one);
        }
        Ok(Entries(entries))
    }
}

/// One element of a list of entries.
struct OneEntry;

impl<'de> de::DeserializeSeed<'de> for OneEntry {
    type Value = Entries;

    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<Entries, D::Error> {
        d.deserialize_any(EntryVisitor { list: true })
    }
}

impl<'de> Deserialize<'de> for Entries {
    fn deserialize<D: de::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(EntryVisitor { list: false })
    }
}

/// Read the collection at `path` and every piece it names.
pub fn parse_collection(path: &Path) -> Result<ParsedCollection, Vec<Diagnostic>> {
    let mut reader = Reader { pieces: Vec::new(), seen: HashMap::new(), errors: Vec::new() };
    let file = reader.read(path, &mut Vec::new()).map_err(|e| vec![e])?;
    if !reader.errors.is_empty() {
        return Err(reader.errors);
    }
    let (pieces, piece_reports) = reader.pieces.into_iter().unzip();
    let collection = Collection { meta: file.meta, pieces, source: Some(path.to_path_buf()) };
    Ok(ParsedCollection { collection, piece_reports })
}

/// What one collection file says, read.
struct ReadFile {
    meta: Meta,
}

/// Walks a collection and the collections it includes, in reading order.
struct Reader {
    pieces: Vec<(Piece, (PathBuf, Vec<Diagnostic>))>,
    /// Every piece and collection taken so far (canonical path → where it
    /// was named): a map, so that a book of thousands of pieces is read in
    /// linear time.
    seen: HashMap<PathBuf, Location>,
    /// Errors in pieces and entries: all are reported, not only the first.
    errors: Vec<Diagnostic>,
}

impl Reader {
    /// Read one collection file; `stack` holds the collections that include it.
    fn read(&mut self, path: &Path, stack: &mut Vec<PathBuf>) -> Result<ReadFile, Diagnostic> {
        let text =
            crate::files::read_text(path, crate::files::Kind::Collection).map_err(|e| e.diagnostic())?;
        if let Some(wrong) = wrong_command(path, &text) {
            return Err(wrong);
        }
        let file: CollectionFile = crate::yaml::from_str(path, &text, 0, &text, "collection")?;
        let at_key = |key: &str| key_location(path, &text, key);
        let canonical = std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf());
        stack.push(canonical);

        if file.parts.0.is_empty() {
            self.errors.push(
                Diagnostic::error("`parts:` is empty: a collection needs at least one piece")
                    .at(at_key("parts"))
                    .hint("list source files, e.g. `parts: [one.md, two.md]`"),
            );
        }
        let meta = self.meta(path, &file, &at_key);
        let lines = LineIndex::new(&text);
        for (key, place, entries) in [
            ("front", Place::Front, &file.front),
            ("parts", Place::Part, &file.parts),
            ("back", Place::Back, &file.back),
        ] {
            // Each entry is found in the text after its key, and after the
            // entry before it, so that a name given twice points at both.
            let mut cursor = crate::yaml::offset_of_key(&text, key).unwrap_or(0);
            for entry in &entries.0 {
                let found = text[cursor..].find(entry.source()).map(|at| cursor + at);
                let location = found.map_or_else(|| at_key(key), |at| lines.location(path, at));
                if let Some(at) = found {
                    cursor = at + entry.source().len();
                }
                if let Err(e) = self.entry(path, place, entry, location, stack) {
                    self.errors.push(e);
                }
            }
        }
        stack.pop();
        Ok(ReadFile { meta })
    }

    /// Take one entry: a source becomes a piece, a collection its pieces.
    fn entry(
        &mut self,
        collection: &Path,
        place: Place,
        entry: &Entry,
        location: Location,
        stack: &mut Vec<PathBuf>,
    ) -> Result<(), Diagnostic> {
        let reference = entry.source();
        let path =
            resolve(collection, reference).map_err(|why| Diagnostic::error(why).at(location.clone()))?;
        let canonical = std::fs::canonicalize(&path).map_err(|e| {
            Diagnostic::error(format!("cannot read the piece `{reference}`: {e}"))
                .at(location.clone())
                .hint("paths are relative to the collection file's folder")
        })?;
        let folder = std::fs::canonicalize(
            collection.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new(".")),
        )
        .map_err(|e| {
            Diagnostic::error(format!("cannot read the collection's folder: {e}")).at(location.clone())
        })?;
        if !canonical.starts_with(&folder) {
            return Err(Diagnostic::error(format!(
                "the piece `{reference}` is outside the collection's folder (through a link)"
            ))
            .at(location));
        }
        if let Some(depth) = stack.iter().position(|c| *c == canonical) {
            let names: Vec<String> = stack[depth..]
                .iter()
                .chain([&canonical])
                .map(|p| {
                    p.file_name()
                        .map_or_else(|| p.display().to_string(), |n| n.to_string_lossy().into_owned())
                })
                .collect();
            let message = if names.len() == 2 {
                format!("the collection includes itself (`{reference}`)")
            } else {
                format!("collections include each other: {}", names.join(" → "))
            };
            return Err(Diagnostic::error(message).at(location));
        }
        if let Some(first) = self.seen.get(&canonical) {
            return Err(Diagnostic::error(format!("`{reference}` is in the collection twice"))
                .at(location)
                .hint(format!("it was first named at {first}")));
        }
        self.seen.insert(canonical.clone(), location.clone());
        if is_collection(&path) {
            if entry.title().is_some() {
                return Err(Diagnostic::error(
                    "a `title:` names one piece; an included collection has its own",
                )
                .at(location));
            }
            // Checked before the recursion it would take.
            if stack.len() >= MAX_DEPTH {
                return Err(Diagnostic::error(format!(
                    "collections nested deeper than {MAX_DEPTH} levels (`{reference}` would be level {})",
                    stack.len() + 1
                ))
                .at(location)
                .hint("list the pieces in fewer levels of collections"));
            }
            self.read(&path, stack)?;
            return Ok(());
        }
        match super::parse_file(&path) {
            Ok(Parsed { document, warnings, .. }) => {
                let title = entry.title().map_or_else(|| document.meta.title.clone(), str::to_string);
                self.pieces.push((Piece { place, title, document }, (path, warnings)));
            }
            // The piece's own errors, in its own file and place.
            Err(errors) => self.errors.extend(errors),
        }
        Ok(())
    }

    fn meta(&mut self, path: &Path, file: &CollectionFile, at_key: &dyn Fn(&str) -> Location) -> Meta {
        let language = file.language.as_deref().map_or_else(|| "en".to_string(), |l| l.trim().to_string());
        if !is_language_tag(&language) {
            self.errors.push(
                Diagnostic::error(format!("`{language}` is not a BCP 47 language tag"))
                    .at(at_key("language"))
                    .hint("for example `en`, `fa`, `ckb`, `zh-Hant`, `pt-BR`"),
            );
        }
        let cover = file.cover.as_deref().and_then(|reference| {
            image::resolve(path, reference, &file.title)
                .map_err(|why| {
                    self.errors.push(Diagnostic::error(format!("cover: {why}")).at(at_key("cover")))
                })
                .ok()
        });
        if let Some(Err(why)) = file.identifier.as_deref().and_then(crate::model::isbn::parse) {
            self.errors.push(
                Diagnostic::error(format!("`identifier`: {why}"))
                    .at(at_key("identifier"))
                    .hint("correct the ISBN, or give another kind of identifier (e.g. `urn:uuid:…`)"),
            );
        }
        let identifier = file.identifier.clone().unwrap_or_else(|| derived_identifier(file));
        Meta {
            title: file.title.trim().to_string(),
            subtitle: file.subtitle.clone(),
            kind: Kind::Other,
            direction: file.direction.unwrap_or_else(|| Direction::of_language(&language)),
            language,
            date: file.date.clone(),
            publisher: file.publisher.clone(),
            series: file.series.clone(),
            edition: file.edition.clone(),
            rights: file.rights.clone(),
            identifier,
            description: file.description.clone(),
            keywords: file.keywords.0.clone(),
            cover,
            contributors: file
                .editors
                .0
                .iter()
                .map(|name| Contributor { name: name.trim().to_string(), role: ContributorRole::Editor })
                .collect(),
            default_layouts: file.layouts.clone(),
            audio: None,
        }
    }
}

/// A batch manifest given where a collection is read (`mimeo build
/// editions.yaml`): name the command that reads it, rather than the
/// first key a collection does not know.
fn wrong_command(path: &Path, text: &str) -> Option<Diagnostic> {
    if crate::yaml::offset_of_key(text, "parts").is_some() {
        return None;
    }
    let at = crate::yaml::offset_of_key(text, "sources")
        .or_else(|| crate::yaml::offset_of_key(text, "defaults"))?;
    Some(
        Diagnostic::error("this is a batch manifest (it lists `sources:`), not a collection")
            .at(Location::at_offset(path, text, at))
            .hint(format!("build its editions with `mimeo batch {}`", path.display()))
            .hint("a collection, built with `mimeo build`, lists its pieces under `parts:`"),
    )
}

/// A piece's path from its reference: relative, inside the folder.
fn resolve(collection: &Path, reference: &str) -> Result<PathBuf, String> {
    let relative = Path::new(reference);
    if reference.trim().is_empty() {
        return Err("a piece's path is empty".into());
    }
    if relative.is_absolute() || reference.starts_with('/') || reference.starts_with('\\') {
        return Err(format!(
            "`{reference}` is an absolute path; pieces are named relative to the collection file"
        ));
    }
    if relative.components().any(|c| matches!(c, Component::ParentDir | Component::Prefix(_))) {
        return Err(format!("`{reference}` leaves the collection's folder (`..`); pieces must be inside it"));
    }
    Ok(collection.parent().unwrap_or(Path::new("")).join(relative))
}

fn key_location(path: &Path, text: &str, key: &str) -> Location {
    crate::yaml::offset_of_key(text, key)
        .map_or_else(|| Location::at(path, 1, 1), |at| Location::at_offset(path, text, at))
}

/// A stable `urn:uuid:` from the book's title, subtitle, date, publisher
/// and the names of its pieces, so that editing a piece keeps the identity.
fn derived_identifier(file: &CollectionFile) -> String {
    let mut key = String::from("mimeo collection\n");
    for part in [Some(&file.title), file.subtitle.as_ref(), file.date.as_ref(), file.publisher.as_ref()] {
        key.push_str(part.map_or("", |s| s.as_str()));
        key.push('\n');
    }
    for entry in file.front.0.iter().chain(&file.parts.0).chain(&file.back.0) {
        key.push_str(entry.source());
        key.push('\n');
    }
    format!("urn:uuid:{}", uuid::Uuid::new_v5(&uuid::Uuid::NAMESPACE_URL, key.as_bytes()))
}
