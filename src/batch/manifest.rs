//! The batch manifest: which sources, which editions of each, and how the
//! output files are named.
//!
//! ```yaml
//! defaults:
//!   editions: [a5, a6-pocket, epub, zine-72]   # layout names or files
//!   name: "{source}/{source}-{layout}.{ext}"     # optional
//! sources:
//!   - global-uprisings.md                        # a path or glob
//!   - path: "pamphlets/*.md"
//!     editions: [a4, epub]                       # replaces the defaults
//! ```

use std::collections::HashMap;
use std::path::{Component, Path, PathBuf};

use serde::Deserialize;

use crate::diag::{Diagnostic, Location};
use crate::layout::{self, Layout};

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ManifestFile {
    #[serde(default)]
    defaults: Defaults,
    sources: Vec<SourceEntry>,
    /// The distributor's kit to write beside the editions (issue 32).
    #[serde(default)]
    catalog: Option<crate::catalog::Config>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct Defaults {
    #[serde(default)]
    editions: Vec<EditionEntry>,
    #[serde(default)]
    name: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(untagged)]
enum SourceEntry {
    Path(String),
    Full(SourceFull),
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct SourceFull {
    path: String,
    #[serde(default)]
    editions: Option<Vec<EditionEntry>>,
    #[serde(default)]
    name: Option<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(untagged)]
enum EditionEntry {
    Layout(String),
    Full(EditionFull),
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct EditionFull {
    layout: String,
    #[serde(default)]
    name: Option<String>,
    /// The edition's ISBN, for the catalogue's ONIX records.
    #[serde(default)]
    isbn: Option<String>,
}

/// One edition to make: a source, a layout, where the file goes.
#[derive(Debug, Clone)]
pub struct Edition {
    /// Index into [`Manifest::sources`].
    pub source: usize,
    /// Index into [`Manifest::layouts`].
    pub layout: usize,
    /// Output path relative to the output folder.
    pub output: PathBuf,
    /// Its own ISBN (`isbn:` beside `layout:`), checked.
    pub isbn: Option<String>,
}

/// A loaded manifest: sources found, layouts loaded once, editions listed.
#[derive(Debug)]
pub struct Manifest {
    /// The manifest file itself (an input no output may replace).
    pub file: PathBuf,
    pub sources: Vec<PathBuf>,
    pub layouts: Vec<Layout>,
    pub editions: Vec<Edition>,
    /// The `catalog:` section, checked: write the distributor's kit.
    pub catalog: Option<crate::catalog::Config>,
}

/// The default output name: the same as `mimeo build`.
const DEFAULT_NAME: &str = "{source}/{source}-{layout}.{ext}";

/// Read and expand the manifest at `path`.
pub fn load(path: &Path) -> Result<Manifest, Diagnostic> {
    let text = crate::files::read_text(path, crate::files::Kind::Manifest).map_err(|e| e.diagnostic())?;
    if let Some(wrong) = wrong_command(path, &text) {
        return Err(wrong);
    }
    let file: ManifestFile = crate::yaml::from_str(path, &text, 0, &text, "manifest")?;
    let folder = path.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
    let at = |needle: &str| line_of(path, &text, needle);

    let catalog = match file.catalog.clone().map(crate::catalog::Config::checked) {
        Some(Err(why)) => return Err(Diagnostic::error(why).at(at("catalog:"))),
        Some(Ok(config)) => Some(config),
        None => None,
    };
    let mut manifest = Manifest {
        file: path.to_path_buf(),
        sources: Vec::new(),
        layouts: Vec::new(),
        editions: Vec::new(),
        catalog,
    };
    // Maps beside the lists, so that 100,000 editions load in linear time:
    // a source's index, a layout's index by its spec, an output's edition.
    let mut source_index: HashMap<PathBuf, usize> = HashMap::new();
    let mut layout_index: HashMap<&str, usize> = HashMap::new();
    let mut outputs: HashMap<PathBuf, usize> = HashMap::new();
    for entry in &file.sources {
        let (pattern, editions, name) = match entry {
            SourceEntry::Path(p) => (p, None, None),
            SourceEntry::Full(f) => (&f.path, f.editions.as_ref(), f.name.as_ref()),
        };
        let editions = editions.unwrap_or(&file.defaults.editions);
        if editions.is_empty() {
            return Err(Diagnostic::error(format!("no editions for `{pattern}`"))
                .at(at(pattern))
                .hint("list layouts under `defaults: editions:` or under the source's `editions:`"));
        }
        let paths = expand(folder, pattern).map_err(|why| Diagnostic::error(why).at(at(pattern)))?;
        for source_path in paths {
            let source = *source_index.entry(source_path).or_insert_with_key(|path| {
                manifest.sources.push(path.clone());
                manifest.sources.len() - 1
            });
            for edition in editions {
                let (spec, edition_name, isbn) = match edition {
                    EditionEntry::Layout(spec) => (spec, None, None),
                    EditionEntry::Full(f) => (&f.layout, f.name.as_ref(), f.isbn.as_ref()),
                };
                if let Some(Err(why)) = isbn.and_then(|i| crate::model::isbn::parse(i)) {
                    return Err(Diagnostic::error(format!(
                        "`isbn: {}`: {why}",
                        isbn.map_or("", |s| s.as_str())
                    ))
                    .at(at(isbn.map_or("", |s| s.as_str())))
                    .hint("correct the ISBN (13 digits, or 10, with a valid check digit)"));
                }
                if let Some(given) = isbn.filter(|i| crate::model::isbn::parse(i).is_none()) {
                    return Err(Diagnostic::error(format!("`isbn: {given}` is not an ISBN"))
                        .at(at(given))
                        .hint("give 13 digits (or 10), with or without hyphens"));
                }
                let layout = match layout_index.get(spec.as_str()) {
                    Some(&i) => i,
                    None => {
                        let i = load_layout(folder, spec, &mut manifest.layouts)
                            .map_err(|e| Diagnostic { location: Some(at(spec)), ..e })?;
                        *layout_index.entry(spec).or_insert(i)
                    }
                };
                let pattern_text = edition_name.or(name).or(file.defaults.name.as_ref());
                let output = output_name(
                    pattern_text.map_or(DEFAULT_NAME, String::as_str),
                    &manifest.sources[source],
                    &manifest.layouts[layout],
                )
                .map_err(|why| {
                    Diagnostic::error(why).at(pattern_text.map_or_else(|| Location::file(path), |p| at(p)))
                })?;
                if let Some(&clash) = outputs.get(&output) {
                    let other = &manifest.sources[manifest.editions[clash].source];
                    return Err(Diagnostic::error(format!(
                        "two editions would both be written to `{}` ({} and {})",
                        output.display(),
                        other.display(),
                        manifest.sources[source].display()
                    ))
                    .at(pattern_text.map_or_else(|| Location::file(path), |p| at(p)))
                    .hint("use `{source}` and `{layout}` in the `name` pattern"));
                }
                outputs.insert(output.clone(), manifest.editions.len());
                manifest.editions.push(Edition { source, layout, output, isbn: isbn.cloned() });
            }
        }
    }
    Ok(manifest)
}

/// A collection given where a manifest is read (`mimeo batch voices.yaml`):
/// name the command that builds it, rather than the first key a manifest
/// does not know.
fn wrong_command(path: &Path, text: &str) -> Option<Diagnostic> {
    let key_at = |key: &str| crate::yaml::offset_of_key(text, key);
    if key_at("sources").is_some() {
        return None;
    }
    let at = key_at("parts")?;
    Some(
        Diagnostic::error("this is a collection (it lists `parts:`), not a batch manifest")
            .at(Location::at_offset(path, text, at))
            .hint(format!("build it with `mimeo build {}`", path.display()))
            .hint("or name it under `sources:` in a manifest, which takes collections as sources"),
    )
}

/// Sources for a path or glob, relative to the manifest's folder, sorted.
fn expand(folder: &Path, pattern: &str) -> Result<Vec<PathBuf>, String> {
    let full = if folder == Path::new(".") { PathBuf::from(pattern) } else { folder.join(pattern) };
    let full_text = full.to_string_lossy();
    if !pattern.contains(['*', '?', '[']) {
        return if full.is_file() {
            Ok(vec![full])
        } else {
            Err(format!("source `{pattern}` does not exist"))
        };
    }
    let mut paths: Vec<PathBuf> = glob::glob(&full_text)
        .map_err(|e| format!("`{pattern}` is not a valid glob: {e}"))?
        .filter_map(Result::ok)
        .filter(|p| p.is_file())
        .collect();
    paths.sort();
    if paths.is_empty() {
        return Err(format!("`{pattern}` matches no file"));
    }
    Ok(paths)
}

/// Load a layout once per manifest; returns its index.
fn load_layout(folder: &Path, spec: &str, layouts: &mut Vec<Layout>) -> Result<usize, Diagnostic> {
    let is_path = spec.contains(['/', '\\']) || spec.ends_with(".yaml") || spec.ends_with(".yml");
    let spec_resolved = if is_path && folder != Path::new(".") {
        folder.join(spec).to_string_lossy().into_owned()
    } else {
        spec.to_string()
    };
    let layout = layout::load(&spec_resolved)?;
    if let Some(i) = layouts.iter().position(|l| l.name == layout.name && l.file == layout.file) {
        return Ok(i);
    }
    layouts.push(layout);
    Ok(layouts.len() - 1)
}

/// Fill a name pattern: `{source}` (the source's file stem), `{title}`
/// is not known before parsing and so is not offered; `{layout}`,
/// `{format}` and `{ext}`. Every value is slugged; the result must stay
/// inside the output folder.
fn output_name(pattern: &str, source: &Path, layout: &Layout) -> Result<PathBuf, String> {
    let stem = source.file_stem().map(|s| s.to_string_lossy()).unwrap_or_default();
    let format = layout.format();
    let filled = if pattern == DEFAULT_NAME {
        // The same naming as `mimeo build`.
        let relative = crate::build::destination(Path::new(""), source, layout);
        return Ok(relative);
    } else {
        pattern
            .replace("{source}", &crate::output::slug(&stem))
            .replace("{layout}", &crate::output::slug(&layout.name))
            .replace("{format}", format.name())
            .replace("{ext}", format.extension())
    };
    if filled.contains(['{', '}']) {
        return Err(format!(
            "`{pattern}` has an unknown placeholder; use {{source}}, {{layout}}, {{format}}, {{ext}}"
        ));
    }
    let path = PathBuf::from(&filled);
    let escapes = path.components().any(|c| !matches!(c, Component::Normal(_)));
    if escapes || filled.is_empty() {
        return Err(format!("`{pattern}` must be a relative path inside the output folder"));
    }
    Ok(path)
}

/// The line where `needle` first appears in the manifest, for messages
/// about values checked after parsing.
fn line_of(path: &Path, text: &str, needle: &str) -> Location {
    match text.find(needle) {
        Some(offset) => Location::at_offset(path, text, offset),
        None => Location::file(path),
    }
}
