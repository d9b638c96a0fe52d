//! Batch editions for distributors: a manifest of sources × editions,
//! built in parallel, skipped when unchanged, split into shards for many
//! machines, and reported as a table and as JSON.
//!
//! Each source is parsed once; PDFs are typeset first (an EPUB's page list
//! reuses the page starts of the PDF edition of the same layout), then the
//! other formats. A source's editions are written all together or not at
//! all; one failing source never stops the others. No output may replace
//! a file the batch reads.

mod clash;
mod kit;
pub mod manifest;
mod report;

use std::collections::HashMap;
use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::time::Instant;

use rayon::prelude::*;

use crate::build;
use crate::diag::{Diagnostic, Location};
use crate::files;
use crate::layout::Format;
use crate::model::PageStart;
use crate::source::{self, Loaded};

pub use manifest::{Edition, Manifest};
pub use report::{EditionReport, Report, SourceFailure, Status};

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

/// What a layout adds to its editions' input hash: its text, and the
/// text of the PDF layout its page list or spine comes from. Computed
/// once per layout, not per edition.
fn layout_key(layout: &crate::layout::Layout) -> String {
    let mut key = layout.text.clone();
    if let Some(pdf) = build::print_pages_layout(layout).and_then(|name| crate::layout::load(name).ok()) {
        key.push('\0');
        key.push_str(&pdf.text);
    }
    key
}

/// One edition's inputs, hashed: a rebuild is needed when this changes.
fn input_hash(identity: &[u8], inputs: &blake3::Hash, layout_key: &str, epoch: i64) -> String {
    let mut hasher = blake3::Hasher::new();
    hasher.update(identity);
    hasher.update(inputs.as_bytes());
    hasher.update(layout_key.as_bytes());
    hasher.update(&epoch.to_le_bytes());
    hasher.finalize().to_hex().to_string()
}

/// The bytes of every file a source's editions are made from (the
/// source, a collection's pieces, covers and pictures), hashed once.
fn inputs_hash(loaded: &Loaded, path: &Path) -> blake3::Hash {
    let mut hasher = blake3::Hasher::new();
    let mut files = loaded.inputs();
    // A translation's bilingual editions are made from its original too.
    if let Loaded::Document(parsed) = loaded
        && let Some(translating) = &parsed.translating
    {
        let folder = path.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
        files.push(folder.join(&translating.of));
    }
    for file in files {
        hasher.update(file.as_os_str().as_encoded_bytes());
        // Streamed, through the same checks as the first read: a file
        // swapped for a FIFO since then cannot hang the batch.
        let kind = files::Kind::Input;
        let mut part = blake3::Hasher::new();
        let read = files::open(&file, kind)
            .map(|f| part.update_reader(std::io::Read::take(f, kind.limit())).is_ok());
        hasher.update(&[u8::from(read.unwrap_or(false))]);
        hasher.update(part.finalize().as_bytes());
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
pub(crate) type LoadedSource = (Loaded, blake3::Hash, i64);

/// Build the manifest's editions (this shard's share). Each source is
/// all or nothing: its editions are all made (in memory) before any is
/// written, and none is written when one fails; one source's failure
/// never stops the others. The error is a clash found before anything
/// is written: an output that would replace a file the batch reads.
pub fn run(manifest: &Manifest, options: &Options) -> Result<Report, Vec<Diagnostic>> {
    let started = Instant::now();
    // This shard's editions, by source, in the manifest's order.
    let mut by_source: Vec<Vec<usize>> = vec![Vec::new(); manifest.sources.len()];
    for (i, edition) in manifest.editions.iter().enumerate() {
        if options.shard.is_none_or(|shard| in_shard(edition, shard)) {
            by_source[edition.source].push(i);
        }
    }
    let total = by_source.iter().map(Vec::len).sum();

    // Parse each source this shard needs, once, in parallel.
    let parsed: Vec<Option<Result<LoadedSource, Vec<Diagnostic>>>> = by_source
        .par_iter()
        .enumerate()
        .map(|(i, editions)| (!editions.is_empty()).then(|| load(&manifest.sources[i])))
        .collect();
    clash::check(manifest, &parsed, &by_source, &options.out)?;

    let progress = report::Progress::new(total, options.progress, std::io::stderr().is_terminal());
    let identity = identity();
    let layout_keys: Vec<String> = manifest.layouts.iter().map(layout_key).collect();
    let done: Vec<SourceOutcome> = by_source
        .par_iter()
        .enumerate()
        .filter_map(|(i, editions)| {
            let loaded = parsed[i].as_ref()?;
            let job = SourceJob {
                manifest,
                source: i,
                options,
                identity: &identity,
                layout_keys: &layout_keys,
                progress: &progress,
            };
            Some(job.run(editions, loaded))
        })
        .collect();
    progress.clear();
    let mut entries = Vec::with_capacity(total);
    let mut failures = Vec::new();
    for (reports, failure) in done {
        entries.extend(reports);
        failures.extend(failure);
    }
    entries.sort_by_key(|(i, _)| *i);
    let editions: Vec<EditionReport> = entries.into_iter().map(|(_, e)| e).collect();
    let catalog = manifest
        .catalog
        .as_ref()
        .map(|config| kit::write(manifest, options, config, &parsed, &editions, &failures));
    Ok(Report { editions, failed_sources: failures, catalog, seconds: started.elapsed().as_secs_f64() })
}

/// What one source's job gives: its editions' reports, each with its index in
/// the manifest, and the source's failure if it had one.
type SourceOutcome = (Vec<(usize, EditionReport)>, Option<SourceFailure>);

fn load(path: &Path) -> Result<LoadedSource, Vec<Diagnostic>> {
    let loaded = source::load(path)?;
    let epoch = match &loaded {
        Loaded::Document(_) => build::epoch(path),
        Loaded::Collection(parsed) => build::collection_epoch(&parsed.collection),
    }
    .map_err(|e| vec![e])?;
    let inputs = inputs_hash(&loaded, path);
    Ok((loaded, inputs, epoch))
}

/// The editions of one source: made, then written all together or not at all.
struct SourceJob<'a> {
    manifest: &'a Manifest,
    source: usize,
    options: &'a Options,
    identity: &'a [u8],
    layout_keys: &'a [String],
    progress: &'a report::Progress,
}

/// An edition made in memory, waiting for its source's others.
struct Made {
    index: usize,
    entry: EditionReport,
    hash: String,
    rendered: Result<crate::backend::Output, Diagnostic>,
}

impl SourceJob<'_> {
    fn run(&self, editions: &[usize], loaded: &Result<LoadedSource, Vec<Diagnostic>>) -> SourceOutcome {
        let source = &self.manifest.sources[self.source];
        let (loaded, inputs, epoch) = match loaded {
            Ok(ok) => ok,
            Err(errors) => {
                let message = errors.iter().map(ToString::to_string).collect::<Vec<_>>().join("; ");
                let reports = editions
                    .iter()
                    .map(|&i| {
                        let mut entry = self.entry(i);
                        entry.message = Some(message.clone());
                        self.progress.finished(&entry);
                        (i, entry)
                    })
                    .collect();
                let failure = SourceFailure {
                    source: source.clone(),
                    errors: errors.clone(),
                    editions: editions.len(),
                };
                return (reports, Some(failure));
            }
        };
        let mut reports = Vec::with_capacity(editions.len());
        let mut to_make = Vec::new();
        for &i in editions {
            let edition = &self.manifest.editions[i];
            let hash = input_hash(self.identity, inputs, &self.layout_keys[edition.layout], *epoch);
            let output = self.options.out.join(&edition.output);
            // The record holds the hash, then the edition's page count (so
            // that a skipped edition still reports it, for the catalogue).
            let record = files::read_text(&hash_path(&output), files::Kind::Hash).unwrap_or_default();
            let mut lines = record.lines();
            let unchanged = !self.options.force && output.is_file() && lines.next() == Some(hash.as_str());
            if unchanged {
                let mut entry = self.entry(i);
                entry.status = Status::Skipped;
                entry.pages = lines.next().and_then(|p| p.trim().parse().ok());
                entry.bytes = std::fs::metadata(&output).map(|m| m.len()).unwrap_or(0);
                self.progress.finished(&entry);
                reports.push((i, entry));
            } else {
                to_make.push((i, hash));
            }
        }
        // PDFs first, so that EPUB page lists reuse their page starts.
        let (pdfs, others): (Vec<_>, Vec<_>) = to_make.into_iter().partition(|(i, _)| {
            self.manifest.layouts[self.manifest.editions[*i].layout].format() == Format::Pdf
        });
        let pages: Mutex<HashMap<String, Vec<PageStart>>> = Mutex::new(HashMap::new());
        let mut made: Vec<Made> = Vec::new();
        for phase in [pdfs, others] {
            made.par_extend(
                phase.into_par_iter().map(|(i, hash)| self.make(i, hash, loaded, *epoch, &pages)),
            );
        }
        let failed: Vec<(Diagnostic, &str)> = made
            .iter()
            .filter_map(|m| m.rendered.as_ref().err().map(|e| (e.clone(), m.entry.layout.as_str())))
            .collect();
        if !failed.is_empty() {
            let errors = one_per_place(source, failed);
            for mut m in made {
                m.entry.message = Some(match m.rendered {
                    Err(e) => e.to_string(),
                    Ok(_) => "not written: another edition of this source failed".to_string(),
                });
                self.progress.finished(&m.entry);
                reports.push((m.index, m.entry));
            }
            let failure = SourceFailure { source: source.clone(), errors, editions: editions.len() };
            return (reports, Some(failure));
        }
        let mut failure = None;
        for mut m in made {
            let rendered = m.rendered.expect("only made editions are left");
            let output = self.options.out.join(&self.manifest.editions[m.index].output);
            let written = if failure.is_some() {
                Err("not written: an edition of this source could not be written".to_string())
            } else {
                crate::output::write_atomic(&output, &rendered.bytes)
                    .and_then(|()| {
                        let pages = rendered.pages.map(|p| p.to_string()).unwrap_or_default();
                        let record = format!("{}\n{pages}\n", m.hash);
                        crate::output::write_atomic(&hash_path(&output), record.as_bytes())
                    })
                    .map_err(|e| format!("cannot write {}: {e}", output.display()))
            };
            match written {
                Ok(()) => {
                    m.entry.status = Status::Built;
                    m.entry.pages = rendered.pages;
                    m.entry.bytes = rendered.bytes.len() as u64;
                    m.entry.warnings = rendered.warnings.len();
                }
                Err(why) => {
                    if failure.is_none() {
                        failure = Some(SourceFailure {
                            source: source.clone(),
                            errors: vec![Diagnostic::error(why.clone())],
                            editions: editions.len(),
                        });
                    }
                    m.entry.message = Some(why);
                }
            }
            self.progress.finished(&m.entry);
            reports.push((m.index, m.entry));
        }
        (reports, failure)
    }

    fn entry(&self, index: usize) -> EditionReport {
        let edition = &self.manifest.editions[index];
        EditionReport::new(
            &self.manifest.sources[edition.source],
            &self.manifest.layouts[edition.layout],
            &self.options.out.join(&edition.output),
        )
    }

    /// Render one edition in memory.
    fn make(
        &self,
        index: usize,
        hash: String,
        loaded: &Loaded,
        epoch: i64,
        pages: &Mutex<HashMap<String, Vec<PageStart>>>,
    ) -> Made {
        let started = Instant::now();
        let layout = &self.manifest.layouts[self.manifest.editions[index].layout];
        let options = build::Options { epoch, allow_missing_glyphs: false };
        let source = &self.manifest.sources[self.manifest.editions[index].source];
        let rendered = match loaded {
            // A bilingual edition reads the translation with its original.
            Loaded::Document(parsed) if layout.is_bilingual() && parsed.translating.is_some() => {
                crate::translate::load(source)
                    .and_then(crate::translate::Pair::into_parallel)
                    .map_err(|errors| {
                        errors
                            .into_iter()
                            .next()
                            .unwrap_or_else(|| Diagnostic::error("the translation cannot be read"))
                    })
                    .and_then(|pair| build::render_parallel(&pair, layout, &options))
            }
            Loaded::Document(parsed) => print_pages(loaded, layout, epoch, pages)
                .and_then(|starts| build::render(&parsed.document, layout, &options, starts.as_deref())),
            Loaded::Collection(parsed) => print_pages(loaded, layout, epoch, pages).and_then(|starts| {
                build::render_collection(&parsed.collection, layout, &options, starts.as_deref())
            }),
        };
        if let Ok(rendered) = &rendered
            && layout.format() == Format::Pdf
        {
            pages
                .lock()
                .expect("no panics hold this lock")
                .insert(layout.name.clone(), rendered.page_starts.clone());
        }
        let mut entry = self.entry(index);
        entry.seconds = started.elapsed().as_secs_f64();
        Made { index, entry, hash, rendered }
    }
}

/// The errors of a source's editions, each once: the same error in
/// several editions (a character no font has, in a5 and a6) is one
/// message naming them all.
fn one_per_place(source: &Path, failed: Vec<(Diagnostic, &str)>) -> Vec<Diagnostic> {
    let mut merged: Vec<(Diagnostic, Vec<&str>)> = Vec::new();
    for (diag, layout) in failed {
        match merged.iter_mut().find(|(d, _)| *d == diag) {
            Some((_, layouts)) => layouts.push(layout),
            None => merged.push((diag, vec![layout])),
        }
    }
    merged
        .into_iter()
        .map(|(diag, layouts)| {
            let editions = match layouts.as_slice() {
                [one] => format!("the {one} edition"),
                many => format!("the {} editions", many.join(", ")),
            };
            let location = diag.location.clone().unwrap_or_else(|| Location::file(source));
            Diagnostic { message: format!("{} (in {editions})", diag.message), ..diag }.at(location)
        })
        .collect()
}

/// Page starts for an EPUB's page list (or a cover's spine), from the
/// PDF editions of this source made already, or typeset now.
fn print_pages(
    loaded: &Loaded,
    layout: &crate::layout::Layout,
    epoch: i64,
    cache: &Mutex<HashMap<String, Vec<PageStart>>>,
) -> Result<Option<Vec<PageStart>>, Diagnostic> {
    let Some(name) = build::print_pages_layout(layout) else { return Ok(None) };
    if let Some(pages) = cache.lock().expect("no panics hold this lock").get(name) {
        return Ok(Some(pages.clone()));
    }
    let mut local = HashMap::new();
    let pages = build::print_pages_for(
        &build::Book::of(loaded),
        layout,
        &build::Options { epoch, ..Default::default() },
        &mut local,
    )?;
    if let Some(pages) = &pages {
        cache.lock().expect("no panics hold this lock").insert(name.to_string(), pages.clone());
    }
    Ok(pages)
}
