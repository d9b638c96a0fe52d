//! `mimeo import`: a raw transcript (plain text from a recorder app, a word
//! processor or a magazine's copy) → a mimeo source file.
//!
//! The flow: [`decode`] reads the bytes (UTF-8, UTF-16, Windows-1252),
//! [`paragraphs`] re-joins hard-wrapped lines, [`labels`] reads speaker
//! labels, [`detect`] finds title, introduction, participants, bios,
//! questions and turns, and [`write`] writes the source with the guesses
//! listed in a comment. The result is parsed back as a source before it is
//! returned, so an import never hands out a file that `mimeo build` refuses.

mod decode;
mod detect;
mod labels;
mod language;
mod paragraphs;
mod write;

use std::path::Path;

use crate::diag::{Diagnostic, Location};

/// Raw transcripts larger than this are refused before reading.
pub const MAX_RAW_BYTES: u64 = crate::source::MAX_SOURCE_BYTES;

/// An imported transcript: the source text and the notices to show.
#[derive(Debug)]
pub struct Imported {
    /// The source file's text (front matter and Markdown body).
    pub source: String,
    /// Conversions made, guesses that need a look, and what `mimeo check`
    /// would say about the result.
    pub notices: Vec<Diagnostic>,
    /// What the source holds, as `mimeo check` counts it.
    pub participants: usize,
    pub questions: usize,
    pub turns: usize,
}

/// Import the raw transcript at `path`.
pub fn import_file(path: &Path) -> Result<Imported, Diagnostic> {
    let here = || Location::file(path);
    let metadata = std::fs::metadata(path)
        .map_err(|e| Diagnostic::error(format!("cannot read the transcript: {e}")).at(here()))?;
    if metadata.is_dir() {
        return Err(Diagnostic::error("this is a folder, not a transcript").at(here()));
    }
    if metadata.len() > MAX_RAW_BYTES {
        return Err(Diagnostic::error(format!(
            "the transcript is {} MiB; mimeo imports up to {} MiB",
            metadata.len() >> 20,
            MAX_RAW_BYTES >> 20
        ))
        .at(here()));
    }
    let bytes = std::fs::read(path)
        .map_err(|e| Diagnostic::error(format!("cannot read the transcript: {e}")).at(here()))?;
    import_bytes(path, &bytes)
}

/// Import the bytes of a raw transcript; `path` names it in messages and
/// gives the title when the text has none.
pub fn import_bytes(path: &Path, bytes: &[u8]) -> Result<Imported, Diagnostic> {
    let decoded = decode::decode(path, bytes)?;
    let mut notices = decoded.notices;
    let split = paragraphs::split_paragraphs(&decoded.text);
    let stem = path.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default();
    let fallback_title = if stem.trim().is_empty() { "Untitled".to_string() } else { stem };
    let mut plan = detect::detect(&split.paragraphs, &fallback_title);

    if decoded.encoding != "UTF-8" {
        plan.guesses.insert(0, format!("encoding: read as {}, converted to UTF-8", decoded.encoding));
    }
    plan.language = language::guess_language(&sample_text(&plan));
    if let Some(tag) = plan.language {
        plan.guesses.push(format!("language: {tag}, from the text"));
    }
    if let Some(width) = split.wrap_width {
        plan.guesses.push(format!(
            "line breaks: the text is wrapped at {width} characters; {} line breaks inside paragraphs removed",
            split.joined_lines
        ));
    }
    if plan.no_speakers {
        notices.push(
            Diagnostic::warning("no speaker labels found; the text is imported as an introduction only")
                .at(Location::file(path))
                .hint("turns start with the speaker's name and a colon: `Jane:` or `JANE DOE:`"),
        );
    }
    let origin =
        path.file_name().map_or_else(|| path.display().to_string(), |n| n.to_string_lossy().into_owned());
    let source = write::write_source(&plan, &origin);
    let parsed = self_check(path, &source)?;
    notices.extend(
        parsed.warnings.into_iter().map(|w| Diagnostic { location: Some(Location::file(path)), ..w }),
    );
    let doc = parsed.document;
    Ok(Imported {
        participants: doc.participants.len(),
        questions: doc.sections.iter().filter(|s| s.heading.is_some()).count(),
        turns: doc.turns().filter(|t| t.speaker.is_some()).count(),
        source,
        notices,
    })
}

/// The running text (introduction and body) the language is guessed from.
fn sample_text(plan: &detect::Plan) -> String {
    let mut sample = String::new();
    let body = plan.body.iter().map(|item| match item {
        detect::Item::Question(t) | detect::Item::Text(t) | detect::Item::Turn { text: t, .. } => t.as_str(),
    });
    for text in plan.introduction.iter().map(String::as_str).chain(body) {
        if sample.len() > 16 * 1024 {
            break;
        }
        sample.push_str(text);
        sample.push('\n');
    }
    sample
}

/// Parse the import's output as a source: its warnings are passed on; an
/// error would be a bug in the import.
fn self_check(path: &Path, source: &str) -> Result<crate::source::Parsed, Diagnostic> {
    let as_source = path.with_extension("md");
    match crate::source::parse_bytes(&as_source, source.as_bytes()) {
        Ok(parsed) => Ok(parsed),
        Err(errors) => {
            let first = errors.into_iter().next().map_or_else(String::new, |e| e.message);
            Err(Diagnostic::error(format!("the import made a source that does not parse: {first}"))
                .at(Location::file(path))
                .hint("this is a bug in `mimeo import`; please report it with the transcript"))
        }
    }
}
