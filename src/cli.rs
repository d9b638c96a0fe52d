//! The command line: argument parsing and reporting only; the work is done
//! by the library.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand};

use crate::diag::{Diagnostic, count};
use crate::layout::{self, Format};
use crate::{batch, build, import, model, output, serve, source, translate, watch};

/// Exit status: success.
pub const EXIT_OK: u8 = 0;
/// Exit status: bad input or usage.
pub const EXIT_INPUT: u8 = 1;
/// Exit status: mimeo itself failed.
pub const EXIT_INTERNAL: u8 = 2;

#[derive(Parser)]
#[command(
    name = "mimeo",
    version,
    about = "Turn one transcript into print-ready PDF, EPUB 3 and plain-text editions",
    long_about = "mimeo turns one transcript (an interview, roundtable, talk or hearing, written as \
                  Markdown with YAML front matter) into the editions people print, read and hand out: \
                  typeset PDF pamphlets, EPUB 3 e-books and justified plain-text zines."
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Build editions of one or more sources
    Build(BuildArgs),
    /// Run every check `build` runs, on the same editions, and write nothing
    Check(CheckArgs),
    /// Build, then rebuild the editions of a source whenever a file it is made from is saved
    Watch(BuildArgs),
    /// Watch, and show every edition and the warnings in a browser page that updates itself;
    /// given a folder a batch wrote a catalogue into, serve that catalogue read-only
    Serve(ServeArgs),
    /// Build many editions from a manifest, in parallel (and a catalogue, with `catalog:`)
    Batch(BatchArgs),
    /// Turn a raw transcript (text, WebVTT, SRT, Whisper JSON, oTranscribe, DOCX, ODT) into a source file
    Import(ImportArgs),
    /// Translations: start one, export or merge a PO file, mark it up to date
    #[command(subcommand)]
    Translate(TranslateCommand),
    /// List the built-in layouts
    Layouts,
}

#[derive(Subcommand)]
enum TranslateCommand {
    /// Write a translation to fill in: every heading, label and turn, each turn holding the original's text
    Start {
        /// The original source
        #[arg(value_name = "ORIGINAL")]
        original: PathBuf,
        /// The language to translate into (BCP 47: fa, zh-Hans, ckb, ...)
        #[arg(long, value_name = "LANG")]
        to: String,
        /// Where to write it (default: ORIGINAL-LANG.md beside the original); never overwritten
        #[arg(short, long, value_name = "FILE.md")]
        output: Option<PathBuf>,
    },
    /// Record the original as it is now as the version translated (check then warns of later changes)
    Mark {
        #[arg(value_name = "TRANSLATION")]
        translation: PathBuf,
    },
    /// Export a gettext PO file: one entry per title, subtitle, name, bio, question, turn and note
    Po {
        /// The original (empty msgstr) or a translation (its texts as msgstr)
        #[arg(value_name = "SOURCE")]
        source: PathBuf,
        /// The language to translate into (default: the translation's)
        #[arg(long, value_name = "LANG")]
        to: Option<String>,
        /// Where to write it (default: ORIGINAL-LANG.po beside the original); never overwritten
        #[arg(short, long, value_name = "FILE.po")]
        output: Option<PathBuf>,
    },
    /// Turn a translated PO file back into a translation source
    Merge {
        #[arg(value_name = "FILE.po")]
        po: PathBuf,
        /// Where to write it (default: ORIGINAL-LANG.md beside the original); never overwritten
        #[arg(short, long, value_name = "FILE.md")]
        output: Option<PathBuf>,
    },
}

#[derive(Args)]
struct BatchArgs {
    /// The manifest (YAML): sources and the editions to make of each
    #[arg(value_name = "MANIFEST")]
    manifest: PathBuf,
    /// Output folder
    #[arg(short, long, value_name = "DIR", default_value = "dist")]
    out: PathBuf,
    /// Build only share K of N (1-based), e.g. 2/8; shares never overlap
    #[arg(long, value_name = "K/N", value_parser = batch::parse_shard)]
    shard: Option<(usize, usize)>,
    /// Also write the results as JSON to this file
    #[arg(long, value_name = "FILE")]
    report: Option<PathBuf>,
    /// Rebuild editions whose inputs have not changed
    #[arg(long)]
    force: bool,
    /// No progress and no table; errors only
    #[arg(short, long)]
    quiet: bool,
}

#[derive(Args)]
struct BuildArgs {
    /// Source files (.md with YAML front matter)
    #[arg(required = true, value_name = "SOURCE")]
    sources: Vec<PathBuf>,
    /// Formats to build, comma-separated: pdf, epub, txt (default: all three)
    #[arg(short, long, value_delimiter = ',', value_parser = parse_format)]
    format: Vec<Format>,
    /// A built-in layout name or a layout file; repeat for several
    #[arg(short, long, value_name = "NAME|FILE")]
    layout: Vec<String>,
    /// Output folder; each source gets a folder inside it
    #[arg(short, long, value_name = "DIR", default_value = "dist")]
    out: PathBuf,
    /// Print only errors and warnings
    #[arg(short, long)]
    quiet: bool,
    /// A character no font has prints as a crossed box in PDFs (and one with no
    /// ASCII form as `?` in ASCII zines), with a warning, instead of failing
    #[arg(long)]
    allow_missing_glyphs: bool,
}

#[derive(Args)]
struct ServeArgs {
    #[command(flatten)]
    build: BuildArgs,
    /// The port to listen on (0: any free port)
    #[arg(long, default_value_t = 3000)]
    port: u16,
    /// The address to listen on; anything but 127.0.0.1 or ::1 shows the
    /// editions to your network
    #[arg(long, value_name = "ADDRESS", default_value = "127.0.0.1")]
    bind: std::net::IpAddr,
    /// Open the page in the default browser
    #[arg(long)]
    open: bool,
}

#[derive(Args)]
struct ImportArgs {
    /// The raw transcript: plain text (UTF-8, UTF-16 or Windows-1252), .vtt, .srt,
    /// Whisper .json, .otr, .docx or .odt (detected from the content)
    #[arg(value_name = "RAW")]
    raw: PathBuf,
    /// Read RAW as this format instead of detecting it: txt, vtt, srt, whisper-json, otr, docx, odt
    #[arg(long, value_name = "FORMAT", value_parser = parse_import_format)]
    from: Option<import::Format>,
    /// Subtitles and segments: a pause longer than this starts a new paragraph
    #[arg(long, value_name = "DURATION", default_value = "2s", value_parser = import::parse_pause)]
    pause: u64,
    /// Keep each turn's time in the recording, printed as a mark like [00:12:03]
    #[arg(long)]
    timestamps: bool,
    /// Name a speaker: the label or diarisation id in the file, then the name (repeatable):
    /// --speaker SPEAKER_00="Maya Okafor"
    #[arg(long, value_name = "ID=NAME", value_parser = import::parse_speaker)]
    speaker: Vec<(String, String)>,
    /// The title to write, instead of the guessed one
    #[arg(long)]
    title: Option<String>,
    /// The subtitle to write, instead of the guessed one ("" for none)
    #[arg(long)]
    subtitle: Option<String>,
    /// The kind to write: interview, roundtable, talk, hearing or other
    #[arg(long, value_parser = import::parse_kind)]
    kind: Option<model::Kind>,
    /// The name or label of the participant who asks the questions
    #[arg(long, value_name = "NAME")]
    interviewer: Option<String>,
    /// Plain text: keep every line break (do not re-join a hard-wrapped text)
    #[arg(long)]
    no_unwrap: bool,
    /// Never take an unlabelled paragraph ending with `?` for a question
    #[arg(long)]
    no_questions: bool,
    /// Write the source here instead of to standard output
    #[arg(short, long, value_name = "SOURCE.md")]
    output: Option<PathBuf>,
    /// Replace the output file if it exists
    #[arg(long)]
    force: bool,
}

#[derive(Args)]
struct CheckArgs {
    /// The editions to check are those `build` would make with the same options
    #[command(flatten)]
    build: BuildArgs,
    /// Treat warnings as errors (exit 1 if there are any)
    #[arg(long)]
    strict: bool,
}

fn parse_import_format(text: &str) -> Result<import::Format, String> {
    import::Format::parse(text).ok_or_else(|| {
        let names: Vec<&str> = import::Format::ALL.iter().map(|f| f.name()).collect();
        format!("`{text}` is not an import format; use {}", names.join(", "))
    })
}

fn parse_format(text: &str) -> Result<Format, String> {
    Format::parse(text).ok_or_else(|| format!("`{text}` is not a format; use pdf, epub or txt"))
}

/// Run the command line; returns the process exit status.
pub fn run() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let _ = e.print();
            return ExitCode::from(if e.use_stderr() { EXIT_INPUT } else { EXIT_OK });
        }
    };
    output::remove_partial_files_on_interrupt();
    let status = match cli.command {
        Command::Build(args) => build_command(&args),
        Command::Check(args) => check_command(&args),
        Command::Watch(args) => watch_command(&args),
        Command::Serve(args) => serve_command(&args),
        Command::Batch(args) => batch_command(&args),
        Command::Import(args) => import_command(&args),
        Command::Translate(command) => translate_command(&command),
        Command::Layouts => layouts_command(),
    };
    ExitCode::from(status)
}

/// Print a diagnostic on stderr with the `mimeo: ` prefix when it has no place.
fn report(diag: &Diagnostic) {
    let mut err = std::io::stderr().lock();
    let _ = if diag.location.is_some() { writeln!(err, "{diag}") } else { writeln!(err, "mimeo: {diag}") };
}

/// Print to stdout; a closed pipe (`mimeo layouts | head -1`) is not an error.
fn say(text: std::fmt::Arguments) {
    let _ = writeln!(std::io::stdout().lock(), "{text}");
}

fn check_command(args: &CheckArgs) -> u8 {
    if let Some(e) = build::clashing_sources(&args.build.sources, &args.build.out) {
        report(&e);
        return EXIT_INPUT;
    }
    let mut status = EXIT_OK;
    for path in &args.build.sources {
        let built = build::build_path(path, &request(&args.build, true));
        let edition_warnings: Vec<&Diagnostic> = built.written.iter().flat_map(|w| &w.warnings).collect();
        let warnings = built.warnings.len() + edition_warnings.len();
        match &built.loaded {
            Some(source::Loaded::Document(parsed)) => {
                built.warnings.iter().chain(edition_warnings).for_each(report);
                // A translation is checked against its original too.
                let translated = parsed.translating.as_ref().map(|_| check_translation(path));
                let (errors, more) = translated.as_ref().map_or((0, 0), |t| (t.0, t.1));
                if built.errors.is_empty() && !args.build.quiet {
                    say(format_args!("{}: {}", path.display(), summary(&parsed.document, warnings + more)));
                    if let Some((_, _, Some(progress))) = &translated {
                        say(format_args!("{}: {progress}", path.display()));
                    }
                }
                if errors > 0 || (args.strict && more > 0) {
                    status = EXIT_INPUT;
                }
            }
            Some(source::Loaded::Collection(parsed)) => {
                if built.errors.is_empty() && !args.build.quiet {
                    say(format_args!(
                        "{}: a collection of {} ({}), {}",
                        path.display(),
                        count(parsed.collection.pieces.len(), "piece", "pieces"),
                        count(parsed.collection.parts().count(), "part", "parts"),
                        count(warnings, "warning", "warnings")
                    ));
                }
                for (piece, (file, warnings)) in parsed.collection.pieces.iter().zip(&parsed.piece_reports) {
                    warnings.iter().for_each(report);
                    if built.errors.is_empty() && !args.build.quiet {
                        say(format_args!(
                            "  {}: {}",
                            file.display(),
                            summary(&piece.document, warnings.len())
                        ));
                    }
                }
                edition_warnings.into_iter().for_each(report);
            }
            None => {}
        }
        if !built.errors.is_empty() {
            built.errors.iter().for_each(report);
            status = EXIT_INPUT;
        } else if args.strict && warnings > 0 {
            status = EXIT_INPUT;
        }
    }
    status
}

/// `3 participants, 4 questions, 16 turns, 0 warnings`: what `check` says of a source.
fn summary(doc: &model::Document, warnings: usize) -> String {
    let questions = doc.sections.iter().filter(|s| s.heading.is_some()).count();
    let turns = doc.turns().filter(|t| t.speaker.is_some()).count();
    format!(
        "{}, {}, {}, {}",
        count(doc.participants.len(), "participant", "participants"),
        count(questions, "question", "questions"),
        count(turns, "turn", "turns"),
        count(warnings, "warning", "warnings")
    )
}

/// What `build` and `check` ask of the library; `check` writes nothing.
fn request(args: &BuildArgs, dry_run: bool) -> build::Request<'_> {
    build::Request {
        formats: &args.format,
        layouts: &args.layout,
        out: &args.out,
        allow_missing_glyphs: args.allow_missing_glyphs,
        dry_run,
    }
}

fn build_command(args: &BuildArgs) -> u8 {
    // Two sources whose names slug alike would overwrite each other's
    // editions: refuse before anything is written.
    if let Some(e) = build::clashing_sources(&args.sources, &args.out) {
        report(&e);
        return EXIT_INPUT;
    }
    let mut status = EXIT_OK;
    for path in &args.sources {
        if let Err(errors) = build_source(path, args) {
            errors.iter().for_each(report);
            status = EXIT_INPUT;
        }
    }
    status
}

/// Build every edition of one source (or collection) and say what was
/// written; an error in any edition writes none of them.
fn build_source(path: &Path, args: &BuildArgs) -> Result<(), Vec<Diagnostic>> {
    let built = build::build_path(path, &request(args, false));
    built.warnings.iter().for_each(report);
    for written in &built.written {
        written.warnings.iter().for_each(report);
        if !args.quiet {
            say(format_args!("wrote {}", described(written)));
        }
    }
    if built.errors.is_empty() { Ok(()) } else { Err(built.errors) }
}

/// `dist/x/x-a5.pdf (12345 bytes, 1 page)`.
fn described(written: &build::Written) -> String {
    let pages = written.pages.map(|n| format!(", {}", count(n, "page", "pages"))).unwrap_or_default();
    format!("{} ({}{pages})", written.path.display(), count(written.bytes, "byte", "bytes"))
}

fn new_watch(args: &BuildArgs) -> watch::Watch {
    let settings = watch::Settings {
        formats: args.format.clone(),
        layouts: args.layout.clone(),
        out: args.out.clone(),
        allow_missing_glyphs: args.allow_missing_glyphs,
    };
    watch::Watch::new(args.sources.clone(), settings)
}

fn watch_command(args: &BuildArgs) -> u8 {
    output::interrupt_ends_normally();
    let mut watch = new_watch(args);
    let result = watch::run(&mut watch, |watch, built| report_round(watch, built, args.quiet));
    loop_status(result)
}

/// The exit status of a watch loop, which returns only when it cannot run.
fn loop_status(result: Result<(), Diagnostic>) -> u8 {
    match result {
        Ok(()) => EXIT_OK,
        Err(e) => {
            report(&e);
            EXIT_INPUT
        }
    }
}

fn serve_command(args: &ServeArgs) -> u8 {
    output::interrupt_ends_normally();
    if !args.bind.is_loopback() {
        report(&Diagnostic::warning(format!(
            "listening on {}: anyone who can reach this machine can read these editions",
            args.bind
        )));
    }
    let options = serve::Options { bind: args.bind, port: args.port, open: args.open };
    // A folder a batch wrote a catalogue into: serve the catalogue.
    if let [dir] = args.build.sources.as_slice()
        && dir.is_dir()
    {
        let result = serve::catalog::run(dir, &options, |url| {
            say(format_args!("mimeo: the catalogue is at {url} (OPDS: {url}opds.xml; Ctrl-C stops it)"))
        });
        return loop_status(result);
    }
    let result = serve::run(
        new_watch(&args.build),
        &options,
        |url| say(format_args!("mimeo: the preview is at {url} (Ctrl-C stops it)")),
        |watch, built| report_round(watch, built, args.build.quiet),
    );
    loop_status(result)
}

/// What a round of `watch` did, as `build` and `check` say it: each
/// rebuilt source's warnings and errors, the editions written, one line.
fn report_round(watch: &watch::Watch, built: &[usize], quiet: bool) {
    for state in built.iter().map(|&i| &watch.sources[i]) {
        state.warnings.iter().chain(&state.errors).for_each(report);
        let ms = state.took.as_secs_f64() * 1000.0;
        if !state.errors.is_empty() {
            let kept = if state.editions.is_empty() {
                "nothing was written"
            } else {
                "its last good editions are kept"
            };
            say(format_args!("round {}: {} has errors; {kept}", watch.round, state.source.display()));
            continue;
        }
        let fresh: Vec<_> = state.editions.iter().filter(|e| e.round == state.round).collect();
        if !quiet {
            for edition in &fresh {
                say(format_args!("wrote {}", described(&edition.written)));
            }
        }
        let editions = count(fresh.len(), "edition", "editions");
        say(format_args!(
            "round {}: built {editions} of {} in {ms:.0} ms; watching for changes",
            watch.round,
            state.source.display()
        ));
    }
}

fn batch_command(args: &BatchArgs) -> u8 {
    let manifest = match batch::manifest::load(&args.manifest) {
        Ok(manifest) => manifest,
        Err(e) => {
            report(&e);
            return EXIT_INPUT;
        }
    };
    let options =
        batch::Options { out: args.out.clone(), shard: args.shard, force: args.force, progress: !args.quiet };
    let result = match batch::run(&manifest, &options) {
        Ok(result) => result,
        Err(clashes) => {
            clashes.iter().for_each(report);
            return EXIT_INPUT;
        }
    };
    result.messages().iter().for_each(report);
    if !args.quiet {
        say(format_args!("{}", result.table().trim_end()));
    }
    let written =
        args.report.as_ref().map(|path| (path, output::write_atomic(path, result.to_json().as_bytes())));
    if let Some((path, Err(e))) = written {
        report(&Diagnostic::error(format!("cannot write the report {}: {e}", path.display())));
        return EXIT_INPUT;
    }
    if result.succeeded() { EXIT_OK } else { EXIT_INPUT }
}

fn import_command(args: &ImportArgs) -> u8 {
    if let Some(out) = &args.output {
        let same =
            std::fs::canonicalize(out).ok().is_some_and(|o| std::fs::canonicalize(&args.raw).ok() == Some(o));
        if same || (out.exists() && !args.force) {
            let why = if same {
                format!("is the transcript being imported ({})", args.raw.display())
            } else {
                "already exists".to_string()
            };
            report(&Diagnostic::error(format!("{} {why}; not overwritten", out.display())).hint(if same {
                "choose another name with `-o`"
            } else {
                "choose another name with `-o`, or pass `--force` to replace it"
            }));
            return EXIT_INPUT;
        }
    }
    let options = import::Options {
        from: args.from,
        pause_ms: args.pause,
        timestamps: args.timestamps,
        title: args.title.clone(),
        subtitle: args.subtitle.clone(),
        kind: args.kind,
        interviewer: args.interviewer.clone(),
        no_unwrap: args.no_unwrap,
        no_questions: args.no_questions,
        speakers: args.speaker.clone(),
    };
    let imported = match import::import_file_with(&args.raw, &options) {
        Ok(imported) => imported,
        Err(e) => {
            report(&e);
            return EXIT_INPUT;
        }
    };
    imported.notices.iter().for_each(report);
    match &args.output {
        Some(out) => {
            if let Err(e) = output::write_atomic(out, imported.source.as_bytes()) {
                report(&Diagnostic::error(format!("cannot write {}: {e}", out.display())));
                return EXIT_INPUT;
            }
            say(format_args!(
                "wrote {}: {}, {}, {}; {} words in, {} placed",
                out.display(),
                count(imported.participants, "participant", "participants"),
                count(imported.questions, "question", "questions"),
                count(imported.turns, "turn", "turns"),
                imported.words.words_in,
                imported.words.placed
            ));
        }
        None => {
            let _ = std::io::stdout().lock().write_all(imported.source.as_bytes());
        }
    }
    EXIT_OK
}

fn translate_command(command: &TranslateCommand) -> u8 {
    let result = match command {
        TranslateCommand::Start { original, to, output } => {
            translate::skeleton::start(original, to, output.as_deref()).map(|path| {
                format!(
                    "wrote {}: translate it, then `mimeo check {}` counts what is left",
                    path.display(),
                    path.display()
                )
            })
        }
        TranslateCommand::Mark { translation } => translate::fingerprint::mark(translation).map(|n| {
            format!(
                "{}: marked as translated from the original as it is now ({})",
                translation.display(),
                count(n, "part", "parts")
            )
        }),
        TranslateCommand::Po { source, to, output } => {
            translate::po::export_file(source, to.as_deref(), output.as_deref())
                .map(|path| format!("wrote {}", path.display()))
        }
        TranslateCommand::Merge { po, output } => {
            translate::po::merge(po, output.as_deref()).map(|path| format!("wrote {}", path.display()))
        }
    };
    match result {
        Ok(said) => {
            say(format_args!("{said}"));
            EXIT_OK
        }
        Err(errors) => {
            errors.iter().for_each(report);
            EXIT_INPUT
        }
    }
}

/// `check` of a translation: the pair's alignment (errors, reported),
/// stale turns (warnings, reported) and how much is translated. Returns
/// the numbers of errors and warnings, and the progress line.
fn check_translation(path: &Path) -> (usize, usize, Option<String>) {
    let pair = match translate::load(path) {
        Ok(pair) => pair,
        Err(errors) => {
            errors.iter().for_each(report);
            return (errors.len(), 0, None);
        }
    };
    let checked = translate::align::check(&pair);
    checked.errors.iter().chain(&checked.warnings).for_each(report);
    let progress = format!("a translation of {}: {}", pair.original.path().display(), checked.progress());
    (checked.errors.len(), checked.warnings.len(), Some(progress))
}

fn layouts_command() -> u8 {
    let layouts = layout::builtin();
    // Columns as wide as the longest name, so long names keep them aligned.
    let width = layouts.iter().map(|l| l.name.chars().count()).max().unwrap_or(0);
    for layout in layouts {
        say(format_args!("{:<width$}  {:<4}  {}", layout.name, layout.format().name(), layout.description));
    }
    EXIT_OK
}
