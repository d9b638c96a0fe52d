//! The batch's side of the distributor's kit: hand the catalogue what the
//! batch built (each source's model metadata and its editions on disk).

use std::path::Path;

use crate::catalog::{self, Config, EditionFile, Source};
use crate::diag::Diagnostic;
use crate::source::Loaded;

use super::{EditionReport, LoadedSource, Manifest, Options, SourceFailure, Status};

/// Write the kit, unless the run cannot describe every title: a shard
/// knows only its share, and a failed source's title would vanish.
pub fn write(
    manifest: &Manifest,
    options: &Options,
    config: &Config,
    parsed: &[Option<Result<LoadedSource, Vec<Diagnostic>>>],
    editions: &[EditionReport],
    failures: &[SourceFailure],
) -> Result<catalog::Written, Diagnostic> {
    if options.shard.is_some() {
        return Err(Diagnostic::error("the catalogue is not written by a shard: it must see every edition")
            .hint("run `mimeo batch` once more without `--shard` when all shards are done"));
    }
    if !failures.is_empty() {
        return Err(Diagnostic::error("the catalogue was not written, as a source failed")
            .hint("fix the errors above; the catalogue of the last good run is untouched"));
    }
    let mut sources: Vec<Source> = Vec::with_capacity(manifest.sources.len());
    for (i, path) in manifest.sources.iter().enumerate() {
        let Some(Ok((loaded, _, epoch))) = &parsed[i] else { continue };
        let files: Vec<EditionFile> = manifest
            .editions
            .iter()
            .zip(editions)
            .filter(|(e, report)| e.source == i && report.status != Status::Failed)
            .map(|(e, report)| EditionFile {
                output: e.output.clone(),
                layout: manifest.layouts[e.layout].clone(),
                pages: report.pages,
                bytes: report.bytes,
                isbn: e.isbn.clone(),
            })
            .collect();
        sources.push(source(path, loaded, *epoch, files));
    }
    catalog::write(config, &sources, &options.out)
}

fn source(path: &Path, loaded: &Loaded, epoch: i64, editions: Vec<EditionFile>) -> Source {
    match loaded {
        Loaded::Document(parsed) => {
            let document = &parsed.document;
            let translation_of = parsed.translating.as_ref().map(|t| {
                path.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new(".")).join(&t.of)
            });
            Source {
                path: path.to_path_buf(),
                meta: document.meta.clone(),
                speakers: document.participants.iter().map(|p| (p.name.clone(), p.role)).collect(),
                translation_of,
                collection: false,
                epoch,
                editions,
            }
        }
        Loaded::Collection(parsed) => Source {
            path: path.to_path_buf(),
            meta: parsed.collection.meta.clone(),
            speakers: Vec::new(),
            translation_of: None,
            collection: true,
            epoch,
            editions,
        },
    }
}
