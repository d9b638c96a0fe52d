//! The writing loop: build every source once, then rebuild a source when a
//! file it is made from (the source, its pictures, a collection's pieces,
//! layout files, fonts a layout names) is saved. `mimeo watch` prints each
//! round; `mimeo serve` shows it in the browser.
//!
//! A round that fails leaves the editions of the last good one on disk:
//! `build::build_path` writes nothing for a source with errors, and every
//! edition is written atomically.

use std::collections::{BTreeSet, HashSet};
use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use notify_debouncer_full::notify::RecursiveMode;
use notify_debouncer_full::{DebounceEventResult, new_debouncer};

use crate::build::{self, Built, Request, Written};
use crate::diag::Diagnostic;
use crate::layout::Format;

/// How long the watcher waits for a burst of file events (an editor's
/// save is often several: write, rename, chmod) to end before building.
const DEBOUNCE: Duration = Duration::from_millis(20);

/// What to build of each source: `mimeo watch`'s arguments, owned.
#[derive(Debug, Clone, Default)]
pub struct Settings {
    pub formats: Vec<Format>,
    pub layouts: Vec<String>,
    pub out: PathBuf,
    pub allow_missing_glyphs: bool,
}

impl Settings {
    fn request(&self) -> Request<'_> {
        Request {
            formats: &self.formats,
            layouts: &self.layouts,
            out: &self.out,
            allow_missing_glyphs: self.allow_missing_glyphs,
            dry_run: false,
        }
    }
}

/// An edition on disk, and the round that last wrote it.
#[derive(Debug, Clone)]
pub struct Edition {
    pub written: Written,
    pub round: u64,
}

/// What one source's builds have left: its editions on disk (the last good
/// one of each layout) and what the latest attempt said.
#[derive(Debug, Clone)]
pub struct SourceState {
    pub source: PathBuf,
    pub title: Option<String>,
    pub editions: Vec<Edition>,
    /// The source's own warnings and its editions', from the latest attempt.
    pub warnings: Vec<Diagnostic>,
    /// Empty when the latest attempt built every edition.
    pub errors: Vec<Diagnostic>,
    /// How long the latest attempt took.
    pub took: Duration,
    /// The round of the latest attempt.
    pub round: u64,
    /// Every file whose change means a rebuild (absolute paths).
    inputs: HashSet<PathBuf>,
}

impl SourceState {
    fn new(source: PathBuf) -> Self {
        // The source itself is watched from the start, so that a save
        // during the first build is seen.
        let inputs = HashSet::from([absolute(&source)]);
        SourceState {
            source,
            title: None,
            editions: Vec::new(),
            warnings: Vec::new(),
            errors: Vec::new(),
            took: Duration::ZERO,
            round: 0,
            inputs,
        }
    }

    /// Take in what a build did in `round`: new editions replace their
    /// layout's old one; on errors the old editions stay, as they are on disk.
    fn record(&mut self, built: Built, round: u64, took: Duration) {
        // A source that fails to parse reports only itself as an input;
        // keep watching what it was made of, and the files its errors name
        // (a collection's broken piece), so that fixing them rebuilds it.
        let named_by_errors = built.errors.iter().filter_map(|e| e.location.as_ref()).map(|l| l.path.clone());
        let inputs: Vec<PathBuf> = built.inputs.into_iter().chain(named_by_errors).collect();
        if built.title.is_some() {
            self.inputs.clear();
            self.title = built.title;
        }
        self.inputs.extend(inputs.iter().map(|p| absolute(p)));
        self.inputs.insert(absolute(&self.source));
        self.warnings = built.warnings;
        for written in built.written {
            self.warnings.extend(written.warnings.iter().cloned());
            self.editions.retain(|e| e.written.layout != written.layout);
            self.editions.push(Edition { written, round });
        }
        self.errors = built.errors;
        self.took = took;
        self.round = round;
    }

    /// Whether a change to `path` (absolute) means rebuilding this source.
    fn reads(&self, path: &Path) -> bool {
        self.inputs.contains(path)
    }
}

/// The state of a watch: every source and what its builds left.
#[derive(Debug, Clone)]
pub struct Watch {
    settings: Settings,
    pub sources: Vec<SourceState>,
    /// Rounds built so far (the first build is round 1).
    pub round: u64,
}

impl Watch {
    pub fn new(sources: Vec<PathBuf>, settings: Settings) -> Self {
        Watch { settings, sources: sources.into_iter().map(SourceState::new).collect(), round: 0 }
    }

    pub fn out(&self) -> &Path {
        &self.settings.out
    }

    /// Build the sources at `which` (indices into `sources`) as one round.
    pub fn build(&mut self, which: &[usize]) {
        self.round += 1;
        for &i in which {
            let started = Instant::now();
            let built = build::build_path(&self.sources[i].source, &self.settings.request());
            self.sources[i].record(built, self.round, started.elapsed());
        }
    }

    /// Build every source.
    pub fn build_all(&mut self) -> Vec<usize> {
        let all: Vec<usize> = (0..self.sources.len()).collect();
        self.build(&all);
        all
    }

    /// The sources that read one of `changed` (absolute paths).
    pub fn affected(&self, changed: &[PathBuf]) -> Vec<usize> {
        let changed: Vec<PathBuf> = changed.iter().map(|p| absolute(p)).collect();
        (0..self.sources.len()).filter(|&i| changed.iter().any(|p| self.sources[i].reads(p))).collect()
    }

    /// The folders to watch: each input's own. Folders, not files, because
    /// editors often save by writing a new file and renaming it over the old.
    fn folders(&self) -> BTreeSet<PathBuf> {
        let inputs = self.sources.iter().flat_map(|s| s.inputs.iter());
        inputs.filter_map(|p| p.parent()).filter(|p| p.is_dir()).map(Path::to_path_buf).collect()
    }
}

/// An absolute form of `path` without resolving links, as the watcher
/// reports paths under an absolute folder.
fn absolute(path: &Path) -> PathBuf {
    std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf())
}

/// Build everything, then rebuild on every change, forever: `after_round`
/// is called after each round with the watch and the sources it built.
/// Returns only when the watcher cannot be set up or stops.
pub fn run(watch: &mut Watch, mut after_round: impl FnMut(&Watch, &[usize])) -> Result<(), Diagnostic> {
    let (events, changes) = mpsc::channel();
    // The debouncer leaves out access events (by default): a build's own
    // reading of its source must not look like a change.
    let mut debouncer = new_debouncer(DEBOUNCE, None, move |result: DebounceEventResult| {
        let _ = events.send(result);
    })
    .map_err(|e| Diagnostic::error(format!("cannot watch files: {e}")))?;
    let mut watched = BTreeSet::new();
    let mut watch_new_folders = |watch: &Watch| -> Result<(), Diagnostic> {
        for folder in watch.folders() {
            if !watched.contains(&folder) {
                debouncer.watch(&folder, RecursiveMode::NonRecursive).map_err(|e| {
                    Diagnostic::error(format!("cannot watch the folder {}: {e}", folder.display()))
                })?;
                watched.insert(folder);
            }
        }
        Ok(())
    };
    // Watching starts before the first build, so that a save during it is seen.
    watch_new_folders(watch)?;
    let mut built = watch.build_all();
    loop {
        // Sources may have gained inputs (a layout file, a picture, a piece).
        watch_new_folders(watch)?;
        after_round(watch, &built);
        built = Vec::new();
        while built.is_empty() {
            let Ok(first) = changes.recv() else { return Ok(()) };
            // Take every burst that arrived meanwhile: one rebuild for them all.
            let mut paths = Vec::new();
            for result in std::iter::once(first).chain(changes.try_iter()) {
                match result {
                    Ok(events) => {
                        let changes = events.into_iter().filter(|e| !e.kind.is_access());
                        paths.extend(changes.flat_map(|e| e.event.paths));
                    }
                    Err(errors) => {
                        errors
                            .iter()
                            .for_each(|e| eprintln!("mimeo: warning: the file watcher reported: {e}"));
                    }
                }
            }
            built = watch.affected(&paths);
        }
        watch.build(&built);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const GOOD: &str = "---\ntitle: A talk\nparticipants:\n  - name: Ana\n---\n\nAna: Hello there.\n";

    fn settings(out: &Path) -> Settings {
        Settings { formats: vec![Format::Txt], out: out.to_path_buf(), ..Settings::default() }
    }

    #[test]
    fn a_failed_round_keeps_the_last_good_editions_and_their_inputs() {
        let dir = tempfile::tempdir().unwrap();
        let source = dir.path().join("talk.md");
        std::fs::write(&source, GOOD).unwrap();
        let mut watch = Watch::new(vec![source.clone()], settings(&dir.path().join("out")));
        watch.build_all();
        let state = &watch.sources[0];
        assert!(state.errors.is_empty(), "{:?}", state.errors);
        assert_eq!(state.editions.len(), 1);
        assert_eq!(state.title.as_deref(), Some("A talk"));
        let edition = state.editions[0].written.path.clone();
        let good = std::fs::read(&edition).unwrap();

        std::fs::write(&source, GOOD.replace("title: A talk", "title: [oops")).unwrap();
        assert_eq!(watch.affected(std::slice::from_ref(&source)), vec![0]);
        watch.build(&[0]);
        let state = &watch.sources[0];
        assert!(!state.errors.is_empty());
        assert_eq!(state.editions.len(), 1, "the old edition is still listed");
        assert_eq!(state.editions[0].round, 1);
        assert_eq!(std::fs::read(&edition).unwrap(), good, "and untouched on disk");
        assert_eq!(state.title.as_deref(), Some("A talk"));

        std::fs::write(&source, GOOD.replace("Hello there", "Goodbye now")).unwrap();
        watch.build(&watch.affected(&[source]));
        let state = &watch.sources[0];
        assert!(state.errors.is_empty());
        assert_eq!(state.editions[0].round, 3);
        assert!(String::from_utf8(std::fs::read(&edition).unwrap()).unwrap().contains("Goodbye"));
    }

    #[test]
    fn only_sources_that_read_a_file_are_rebuilt() {
        let dir = tempfile::tempdir().unwrap();
        let one = dir.path().join("one.md");
        let two = dir.path().join("two.md");
        std::fs::write(&one, GOOD).unwrap();
        std::fs::write(&two, GOOD).unwrap();
        let mut watch = Watch::new(vec![one.clone(), two.clone()], settings(&dir.path().join("out")));
        watch.build_all();
        assert_eq!(watch.affected(std::slice::from_ref(&two)), vec![1]);
        assert_eq!(watch.affected(&[dir.path().join("out/one/one-zine-72.txt")]), Vec::<usize>::new());
        assert_eq!(watch.affected(&[one, two]), vec![0, 1]);
    }
}
