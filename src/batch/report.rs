//! What a batch run did: per-edition results, a summary table for people,
//! JSON for machines, and progress while it runs.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use serde::Serialize;

use crate::diag::Diagnostic;
use crate::layout::Layout;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    Built,
    Skipped,
    Failed,
}

/// One edition's result.
#[derive(Debug, Clone, Serialize)]
pub struct EditionReport {
    pub source: String,
    pub layout: String,
    pub format: String,
    pub output: String,
    pub status: Status,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pages: Option<usize>,
    pub bytes: u64,
    pub seconds: f64,
    pub warnings: usize,
}

impl EditionReport {
    pub fn new(source: &Path, layout: &Layout, output: &Path) -> Self {
        EditionReport {
            source: source.display().to_string(),
            layout: layout.name.clone(),
            format: layout.format().name().to_string(),
            output: output.display().to_string(),
            status: Status::Failed,
            message: None,
            pages: None,
            bytes: 0,
            seconds: 0.0,
            warnings: 0,
        }
    }
}

/// A source none of whose editions was written, and why.
#[derive(Debug, Clone)]
pub struct SourceFailure {
    pub source: PathBuf,
    /// Each error once, however many editions it stopped.
    pub errors: Vec<Diagnostic>,
    /// How many editions of the source this run was to make.
    pub editions: usize,
}

/// A whole run.
#[derive(Debug, Clone)]
pub struct Report {
    pub editions: Vec<EditionReport>,
    pub failed_sources: Vec<SourceFailure>,
    /// The distributor's kit, when the manifest has `catalog:`: what it
    /// wrote, or why it was not written.
    pub catalog: Option<Result<crate::catalog::Written, Diagnostic>>,
    pub seconds: f64,
}

impl Report {
    pub fn count(&self, status: Status) -> usize {
        self.editions.iter().filter(|e| e.status == status).count()
    }

    pub fn succeeded(&self) -> bool {
        self.count(Status::Failed) == 0 && !matches!(self.catalog, Some(Err(_)))
    }

    /// What to tell the user about the failures: each source's errors
    /// once (in its own file and place), then one line naming the sources
    /// that wrote nothing.
    pub fn messages(&self) -> Vec<Diagnostic> {
        let mut out: Vec<Diagnostic> =
            self.failed_sources.iter().flat_map(|f| f.errors.iter().cloned()).collect();
        let names: Vec<String> = self.failed_sources.iter().map(|f| f.source.display().to_string()).collect();
        if let Some(Err(e)) = &self.catalog {
            out.push(e.clone());
        }
        if !names.is_empty() {
            let sources = if names.len() == 1 { "1 source" } else { "sources" };
            let count = if names.len() == 1 { String::new() } else { format!("{} ", names.len()) };
            out.push(Diagnostic::error(format!(
                "{count}{sources} failed and wrote nothing (their other editions are untouched): {}",
                names.join(", ")
            )));
        }
        out
    }

    /// JSON for `--report`.
    pub fn to_json(&self) -> String {
        #[derive(Serialize)]
        struct Summary {
            built: usize,
            skipped: usize,
            failed: usize,
            seconds: f64,
        }
        #[derive(Serialize)]
        struct FailedSource {
            source: String,
            errors: Vec<String>,
            /// Always true: a source's editions are written all or none.
            nothing_written: bool,
        }
        #[derive(Serialize)]
        struct Json<'a> {
            summary: Summary,
            failed_sources: Vec<FailedSource>,
            editions: &'a [EditionReport],
        }
        let json = Json {
            summary: Summary {
                built: self.count(Status::Built),
                skipped: self.count(Status::Skipped),
                failed: self.count(Status::Failed),
                seconds: self.seconds,
            },
            failed_sources: self
                .failed_sources
                .iter()
                .map(|f| FailedSource {
                    source: f.source.display().to_string(),
                    errors: f.errors.iter().map(ToString::to_string).collect(),
                    nothing_written: true,
                })
                .collect(),
            editions: &self.editions,
        };
        serde_json::to_string_pretty(&json).expect("the report serialises") + "\n"
    }

    /// The summary table: edition, status, pages, bytes, time.
    pub fn table(&self) -> String {
        let width = self.editions.iter().map(|e| e.output.chars().count()).max().unwrap_or(7).max(7);
        let mut out = format!(
            "{:<width$}  {:<7}  {:>5}  {:>9}  {:>7}\n",
            "edition", "status", "pages", "bytes", "time"
        );
        for e in &self.editions {
            let status = match e.status {
                Status::Built => "built",
                Status::Skipped => "skipped",
                Status::Failed => "FAILED",
            };
            let pages = e.pages.map_or_else(|| "-".to_string(), |p| p.to_string());
            let _ = writeln!(
                out,
                "{:<width$}  {:<7}  {:>5}  {:>9}  {:>6.2}s",
                e.output, status, pages, e.bytes, e.seconds
            );
        }
        if let Some(Ok(kit)) = &self.catalog {
            let _ = writeln!(
                out,
                "catalogue: {} files, {} changed, {} removed",
                kit.total,
                kit.changed.len(),
                kit.removed.len()
            );
        }
        let _ = writeln!(
            out,
            "{} built, {} skipped, {} failed in {:.2}s",
            self.count(Status::Built),
            self.count(Status::Skipped),
            self.count(Status::Failed),
            self.seconds
        );
        out
    }
}

/// A progress bar on a terminal; nothing otherwise (a log of hundreds of
/// lines helps no one: the summary table's last line says what was done).
pub struct Progress {
    bar: Option<indicatif::ProgressBar>,
}

impl Progress {
    /// `shown`: whether to report at all (`--quiet` says no); `terminal`:
    /// whether stderr is one.
    pub fn new(total: usize, shown: bool, terminal: bool) -> Self {
        if shown && terminal {
            let bar = indicatif::ProgressBar::new(total as u64);
            if let Ok(style) =
                indicatif::ProgressStyle::with_template("{bar:30} {pos}/{len} editions  {elapsed}  {msg}")
            {
                bar.set_style(style);
            }
            Progress { bar: Some(bar) }
        } else {
            Progress { bar: None }
        }
    }

    pub fn finished(&self, entry: &EditionReport) {
        if let Some(bar) = &self.bar {
            bar.set_message(entry.output.clone());
            bar.inc(1);
        }
    }

    pub fn clear(&self) {
        if let Some(bar) = &self.bar {
            bar.finish_and_clear();
        }
    }
}
