//! The distributor's kit (issue 32): from what a batch built, a static
//! catalogue site, OPDS 1.2 and 2.0 feeds, an Atom feed of new titles,
//! ONIX 3.0 records and a printable A5 booklet catalogue.
//!
//! [`entries`] turns the batch's editions and each title's model metadata
//! into one [`Catalogue`]; each writer reads it and returns files. Nothing
//! here parses Markdown or knows a backend's internals: the only edition
//! opened is the EPUB, as a zip, for its cover and accessibility metadata
//! ([`epub`]). Files are written only when their bytes change, and files a
//! previous run wrote that this one does not are removed.

mod atom;
mod covers;
pub mod entries;
mod epub;
mod feeds;
mod markup;
mod onix;
mod opds1;
mod opds2;
mod printed;
mod site;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::diag::Diagnostic;

pub use entries::{Catalogue, EditionFile, Source};

/// The `catalog:` section of a batch manifest.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Config {
    /// The distro's name: the site's heading and the feeds' title.
    pub title: String,
    /// Where the catalogue will be published (`https://…/`): ids derive
    /// from it; links inside the kit stay relative so `file://` works.
    pub base_url: String,
    #[serde(default)]
    pub publisher: Option<String>,
    #[serde(default)]
    pub description: Option<String>,
    /// The licence the editions are shared under, when a title names none.
    #[serde(default, alias = "license")]
    pub licence: Option<String>,
    /// The catalogue's own language (its pages' and feeds' chrome).
    #[serde(default = "english")]
    pub language: String,
    /// Entries per OPDS acquisition feed page before `next`.
    #[serde(default = "hundred")]
    pub page_size: usize,
}

fn english() -> String {
    "en".to_string()
}

fn hundred() -> usize {
    100
}

impl Config {
    /// Check the values serde cannot: the base URL is absolute http(s)
    /// and ends with `/`; the page size is at least 1.
    pub fn checked(mut self) -> Result<Config, String> {
        let url = url::Url::parse(&self.base_url)
            .map_err(|e| format!("`base-url: {}` is not an absolute URL ({e})", self.base_url))?;
        if !matches!(url.scheme(), "http" | "https") {
            return Err(format!("`base-url: {}` must start with https:// or http://", self.base_url));
        }
        if !self.base_url.ends_with('/') {
            self.base_url.push('/');
        }
        if self.page_size == 0 {
            return Err("`page-size` must be at least 1".to_string());
        }
        if self.title.trim().is_empty() {
            return Err("`title` of the catalog is empty".to_string());
        }
        Ok(self)
    }
}

/// One file of the kit, relative to the output folder.
pub struct File {
    pub path: String,
    pub bytes: Vec<u8>,
}

/// What a run did to the kit's files.
#[derive(Debug, Default, Clone)]
pub struct Written {
    /// Files whose bytes changed (or are new), relative to the output folder.
    pub changed: Vec<String>,
    /// Files the last run wrote that this one no longer makes.
    pub removed: Vec<String>,
    /// Every file of the kit.
    pub total: usize,
}

/// The list of files the kit wrote last time, so that a removed title's
/// page goes too.
const LEDGER: &str = ".mimeo-catalog";

/// Make every file of the kit in memory.
pub fn render(catalogue: &Catalogue, out: &Path) -> Result<Vec<File>, Diagnostic> {
    let covers = covers::extract(catalogue, out);
    let mut files = Vec::new();
    files.extend(covers.files());
    files.extend(site::render(catalogue, &covers));
    files.extend(opds1::render(catalogue, &covers));
    files.extend(opds2::render(catalogue, &covers));
    files.push(atom::render(catalogue));
    files.push(onix::render(catalogue, out));
    files.push(printed::render(catalogue, &covers, out)?);
    Ok(files)
}

/// Build the catalogue from the batch's sources and write the kit into
/// `out`: only files whose bytes changed are written; files of an earlier
/// kit no longer made are removed.
pub fn write(config: &Config, sources: &[Source], out: &Path) -> Result<Written, Diagnostic> {
    let catalogue = entries::build(config, sources);
    let files = render(&catalogue, out)?;
    let mut written = Written { total: files.len(), ..Written::default() };
    let mut to_write: Vec<(PathBuf, &[u8])> = Vec::new();
    for file in &files {
        let path = out.join(&file.path);
        if std::fs::read(&path).ok().as_deref() != Some(file.bytes.as_slice()) {
            written.changed.push(file.path.clone());
            to_write.push((path, &file.bytes));
        }
    }
    let pairs: Vec<(&Path, &[u8])> = to_write.iter().map(|(p, b)| (p.as_path(), *b)).collect();
    crate::output::write_all_atomic(&pairs).map_err(|(path, e)| crate::output::write_error(&path, &e))?;

    let now: BTreeSet<&str> = files.iter().map(|f| f.path.as_str()).collect();
    let ledger = out.join(LEDGER);
    let before = std::fs::read_to_string(&ledger).unwrap_or_default();
    for old in before.lines().filter(|l| !l.is_empty() && !now.contains(l)) {
        // Only names this kit wrote, never a path leaving the folder.
        let safe = Path::new(old).components().all(|c| matches!(c, std::path::Component::Normal(_)));
        if safe && std::fs::remove_file(out.join(old)).is_ok() {
            written.removed.push(old.to_string());
        }
    }
    let list: String = now.iter().map(|p| format!("{p}\n")).collect();
    if before != list {
        crate::output::write_atomic(&ledger, list.as_bytes())
            .map_err(|e| crate::output::write_error(&ledger, &e))?;
    }
    Ok(written)
}
