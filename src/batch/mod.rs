//! Batch editions for distributors: a manifest of sources × editions,
//! built in parallel, skipped when unchanged, split into shards for many
//! machines, and reported as a table and as JSON.
//!
//! Each source is parsed once; PDFs are typeset first (an EPUB's page list
//! reuses the page starts of the PDF edition of the same layout), then the
//! other formats. One failing edition never stops the others.

pub mod manifest;
mod report;

use std::collections::HashMap;
use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::time::Instant;

use rayon::prelude::*;

use crate::build;
use crate::diag::Diagnostic;
use crate::layout::Format;
use crate::model::PageStart;
use crate::source::{self, Loaded};

pub use manifest::{Edition, Manifest};
pub use report::{EditionReport, Report, Status};

/// How a batch runs.
#[derive(Debug, Clone, Default)]
pub struct Options {
    pub out: PathBuf,
    /// Build only share `k` (1-based) of `n`.
    pub shard: Option<(usize, usize)>,
    /// Rebuild editions even when their inputs are unchanged.
    pub force: bool,
    /// Show a progress bar (when stderr is a terminal) or log lines.
    pub progress: bool,
}

/// Parse `K/N` (1 ≤ K ≤ N).
pub fn parse_shard(text: &str) -> Result<(usize, usize), String> {
    let (k, n) = text.split_once('/').ok_or_else(|| format!("`{text}` is not K/N (e.g. 2/8)"))?;
    let k: usize = k.trim().parse().map_err(|_| format!("`{text}`: K is not a number"))?;
    let n: usize = n.trim().parse().map_err(|_| format!("`{text}`: N is not a number"))?;
    if n == 0 || k == 0 || k > n {
        return Err(format!("`{text}`: need 1 ≤ K ≤ N"));
    }
    Ok((k, n))
}

/// Whether `edition` belongs to shard `k` of `n`: a stable hash of the
/// output path, so every machine agrees without coordination.
pub fn in_shard(edition: &Edition, (k, n): (usize, usize)) -> bool {
    let key = edition.output.to_string_lossy();
    let hash = blake3::hash(key.as_bytes());
    let value = u64::from_le_bytes(hash.as_bytes()[..8].try_into().expect("8 bytes"));
    (value % n as u64) as usize == k - 1
}

/// One edition's inputs, hashed: a rebuild is needed when this changes.
fn input_hash(identity: &[u8], inputs: &blake3::Hash, layout: &crate::layout::Layout, epoch: i64) -> String {
    let mut hasher = blake3::Hasher::new();
    hasher.update(identity);
    hasher.update(inputs.as_bytes());
    hasher.update(layout.text.as_bytes());
    hasher.update(&epoch.to_le_bytes());
    if let Some(pdf) = build::print_pages_layout(layout).and_then(|name| crate::layout::load(name).ok()) {
        hasher.update(pdf.text.as_bytes());
    }
    hasher.finalize().to_hex().to_string()
}

/// The bytes of every file a source's editions are made from (the
/// source, a collection's pieces, covers and pictures), hashed once.
fn inputs_hash(loaded: &Loaded) -> blake3::Hash {
    let mut hasher = blake3::Hasher::new();
    for file in loaded.inputs() {
        let bytes = std::fs::read(&file).unwrap_or_default();
        hasher.update(file.as_os_str().as_encoded_bytes());
        hasher.update(&(bytes.len() as u64).to_le_bytes());
        hasher.update(&bytes);
    }
    hasher.finalize()
}

/// What identifies this mimeo build: its version and its executable's
/// bytes (fonts and layouts are compiled in), so an upgrade rebuilds all.
fn identity() -> Vec<u8> {
    let mut id = env!("CARGO_PKG_VERSION").as_bytes().to_vec();
    if let Ok(exe) = std::env::current_exe().and_then(std::fs::read) {
        id.extend_from_slice(blake3::hash(&exe).as_bytes());
    }
    id
}

/// Where the input hash of an output is kept: a hidden file beside it.
fn hash_path(output: &Path) -> PathBuf {
    let name = output.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    output.with_file_name(format!(".{name}.mimeo-hash"))
}

/// A source (or collection) read, the hash of its input files, and its
/// edition time.
type LoadedSource = (Loaded, blake3::Hash, i64);

/// Build the manifest's editions (this shard's share).
pub fn run(manifest: &Manifest, options: &Options) -> Report {
    let started = Instant::now();
    let editions: Vec<&Edition> =
        manifest.editions.iter().filter(|e| options.shard.is_none_or(|shard| in_shard(e, shard))).collect();
    let progress = report::Progress::new(editions.len(), options.progress, std::io::stderr().is_terminal());

    // Parse each source this shard needs, once, in parallel.
    let mut needed: Vec<usize> = editions.iter().map(|e| e.source).collect();
    needed.sort_unstable();
    needed.dedup();
    let parsed: HashMap<usize, Result<LoadedSource, Vec<Diagnostic>>> = needed
        .par_iter()
        .map(|&i| {
            let path = &manifest.sources[i];
            let result = source::load(path).and_then(|loaded| {
                let epoch = match &loaded {
                    Loaded::Document(_) => build::epoch(path),
                    Loaded::Collection(parsed) => build::collection_epoch(&parsed.collection),
                }
                .map_err(|e| vec![e])?;
                let inputs = inputs_hash(&loaded);
                Ok((loaded, inputs, epoch))
            });
            (i, result)
        })
        .collect();

    let identity = identity();
    let page_cache: Mutex<HashMap<(usize, String), Vec<PageStart>>> = Mutex::new(HashMap::new());
    let build_one = |edition: &Edition| -> EditionReport {
        let started = Instant::now();
        let layout = &manifest.layouts[edition.layout];
        let source = &manifest.sources[edition.source];
        let output = options.out.join(&edition.output);
        let mut entry = EditionReport::new(source, layout, &output);
        let (loaded, inputs, epoch) = match &parsed[&edition.source] {
            Ok(ok) => ok,
            Err(errors) => {
                entry.status = Status::Failed;
                entry.message = Some(errors.iter().map(ToString::to_string).collect::<Vec<_>>().join("; "));
                return entry;
            }
        };
        let hash = input_hash(&identity, inputs, layout, *epoch);
        let hash_file = hash_path(&output);
        if !options.force
            && output.is_file()
            && std::fs::read_to_string(&hash_file).is_ok_and(|old| old.trim() == hash)
        {
            entry.status = Status::Skipped;
            entry.bytes = std::fs::metadata(&output).map(|m| m.len()).unwrap_or(0);
            return entry;
        }
        let options = build::Options { epoch: *epoch, allow_missing_glyphs: false };
        let rendered = match loaded {
            Loaded::Document(parsed) => {
                print_pages(&parsed.document, edition.source, layout, *epoch, &page_cache)
                    .and_then(|pages| build::render(&parsed.document, layout, &options, pages.as_deref()))
            }
            Loaded::Collection(parsed) => build::render_collection(&parsed.collection, layout, &options),
        };
        let result = rendered.and_then(|rendered| {
            crate::output::write_atomic(&output, &rendered.bytes)
                .and_then(|()| crate::output::write_atomic(&hash_file, hash.as_bytes()))
                .map_err(|e| Diagnostic::error(format!("cannot write {}: {e}", output.display())))?;
            Ok(rendered)
        });
        match result {
            Ok(rendered) => {
                if layout.format() == Format::Pdf {
                    let key = (edition.source, layout.name.clone());
                    page_cache.lock().expect("no panics hold this lock").insert(key, rendered.page_starts);
                }
                entry.status = Status::Built;
                entry.pages = rendered.pages;
                entry.bytes = rendered.bytes.len() as u64;
                entry.warnings = rendered.warnings.len();
            }
            Err(e) => {
                entry.status = Status::Failed;
                entry.message = Some(e.to_string());
            }
        }
        entry.seconds = started.elapsed().as_secs_f64();
        entry
    };

    // PDFs first, so that EPUB page lists reuse their page starts.
    let (first, second): (Vec<&Edition>, Vec<&Edition>) =
        editions.iter().partition(|e| manifest.layouts[e.layout].format() == Format::Pdf);
    let mut entries: Vec<(usize, EditionReport)> = Vec::with_capacity(editions.len());
    for phase in [first, second] {
        let done: Vec<(usize, EditionReport)> = phase
            .par_iter()
            .map(|edition| {
                let entry = build_one(edition);
                progress.finished(&entry);
                (manifest.editions.iter().position(|e| std::ptr::eq(e, *edition)).unwrap_or(0), entry)
            })
            .collect();
        entries.extend(done);
    }
    progress.clear();
    entries.sort_by_key(|(i, _)| *i);
    Report {
        editions: entries.into_iter().map(|(_, e)| e).collect(),
        seconds: started.elapsed().as_secs_f64(),
    }
}

/// Page starts for an EPUB's page list, from the cache or typeset now.
fn print_pages(
    document: &crate::model::Document,
    source: usize,
    layout: &crate::layout::Layout,
    epoch: i64,
    cache: &Mutex<HashMap<(usize, String), Vec<PageStart>>>,
) -> Result<Option<Vec<PageStart>>, Diagnostic> {
    let Some(name) = build::print_pages_layout(layout) else { return Ok(None) };
    let key = (source, name.to_string());
    if let Some(pages) = cache.lock().expect("no panics hold this lock").get(&key) {
        return Ok(Some(pages.clone()));
    }
    let mut local = HashMap::new();
    let pages = build::print_pages_for(
        document,
        layout,
        &build::Options { epoch, ..Default::default() },
        &mut local,
    )?;
    if let Some(pages) = &pages {
        cache.lock().expect("no panics hold this lock").insert(key, pages.clone());
    }
    Ok(pages)
}
