//! `mimeo import`: a raw transcript (plain text from a recorder app, a word
//! processor or a magazine's copy) → a mimeo source file.
//!
//! The flow: [`decode`] reads the bytes (UTF-8, UTF-16, Windows-1252),
//! [`paragraphs`] re-joins hard-wrapped lines, [`labels`] reads speaker
//! labels, [`detect`] finds title, introduction, participants, bios,
//! questions and turns, and [`write`] writes the source with the guesses
//! listed in a comment. The result is parsed back as a source before it is
//! returned, so an import never hands out a file that `mimeo build` refuses.

mod conserve;
mod cues;
mod decode;
mod detect;
mod docx;
mod labels;
mod language;
mod odt;
mod office;
mod otr;
mod overrides;
mod paragraphs;
mod rich;
mod srt;
mod vtt;
mod whisper;
mod write;

use std::collections::HashMap;
use std::path::Path;

use crate::diag::{Diagnostic, Location};

pub use conserve::Count as WordCount;
pub use cues::DEFAULT_PAUSE_MS;
use paragraphs::Paragraph;

/// Raw transcripts larger than this are refused before reading.
pub const MAX_RAW_BYTES: u64 = crate::source::MAX_SOURCE_BYTES;

/// The formats `mimeo import` reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// Plain text with speaker labels.
    Txt,
    /// WebVTT subtitles (Zoom, YouTube, ffmpeg).
    Vtt,
    /// SubRip subtitles.
    Srt,
    /// Whisper, WhisperX or faster-whisper JSON `segments`.
    WhisperJson,
    /// An oTranscribe `.otr` file.
    Otr,
    /// A Word document (Office Open XML).
    Docx,
    /// An OpenDocument text (LibreOffice Writer).
    Odt,
}

impl Format {
    /// Every format, in the order `--from` lists them.
    pub const ALL: [Format; 7] =
        [Format::Txt, Format::Vtt, Format::Srt, Format::WhisperJson, Format::Otr, Format::Docx, Format::Odt];

    /// The name `--from` takes.
    pub fn name(self) -> &'static str {
        match self {
            Format::Txt => "txt",
            Format::Vtt => "vtt",
            Format::Srt => "srt",
            Format::WhisperJson => "whisper-json",
            Format::Otr => "otr",
            Format::Docx => "docx",
            Format::Odt => "odt",
        }
    }

    /// The format named `name` (as `--from` takes it; `json` and
    /// `webvtt` are accepted too).
    pub fn parse(name: &str) -> Option<Format> {
        match name.to_ascii_lowercase().as_str() {
            "json" | "whisper" => Some(Format::WhisperJson),
            "webvtt" => Some(Format::Vtt),
            "text" => Some(Format::Txt),
            name => Format::ALL.into_iter().find(|f| f.name() == name),
        }
    }

    /// What messages call it.
    fn title(self) -> &'static str {
        match self {
            Format::Txt => "plain text",
            Format::Vtt => "WebVTT",
            Format::Srt => "SRT",
            Format::WhisperJson => "Whisper JSON",
            Format::Otr => "oTranscribe",
            Format::Docx => "DOCX",
            Format::Odt => "ODT",
        }
    }

    /// The format a file name's extension names.
    fn from_extension(path: &Path) -> Option<Format> {
        let ext = path.extension()?.to_str()?.to_ascii_lowercase();
        match ext.as_str() {
            "txt" | "text" => Some(Format::Txt),
            "vtt" => Some(Format::Vtt),
            "srt" => Some(Format::Srt),
            "json" => Some(Format::WhisperJson),
            "otr" => Some(Format::Otr),
            "docx" => Some(Format::Docx),
            "odt" => Some(Format::Odt),
            _ => None,
        }
    }
}

/// How to import.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Options {
    /// Read the file as this format instead of detecting it.
    pub from: Option<Format>,
    /// A pause between cues longer than this starts a new paragraph (ms).
    pub pause_ms: u64,
    /// Keep each turn's time in the recording as a mark.
    pub timestamps: bool,
    /// The title and subtitle to write, instead of the guessed ones.
    pub title: Option<String>,
    pub subtitle: Option<String>,
    /// The kind to write, instead of the guessed one.
    pub kind: Option<crate::model::Kind>,
    /// The name or label of the participant who asks, instead of the guess.
    pub interviewer: Option<String>,
    /// Keep plain text's line breaks: do not re-join a hard-wrapped text.
    pub no_unwrap: bool,
    /// Never take an unlabelled paragraph ending with `?` for a question.
    pub no_questions: bool,
    /// Speakers to name: (the label or id in the file, the person's name).
    pub speakers: Vec<(String, String)>,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            from: None,
            pause_ms: DEFAULT_PAUSE_MS,
            timestamps: false,
            title: None,
            subtitle: None,
            kind: None,
            interviewer: None,
            no_unwrap: false,
            no_questions: false,
            speakers: Vec::new(),
        }
    }
}

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
    /// The format the file was read as.
    pub format: Format,
    /// The words of the transcript's text, and how many the source holds.
    pub words: WordCount,
}

/// Import the raw transcript at `path`.
pub fn import_file(path: &Path) -> Result<Imported, Diagnostic> {
    import_file_with(path, &Options::default())
}

/// Import the raw transcript at `path` with `options`.
pub fn import_file_with(path: &Path, options: &Options) -> Result<Imported, Diagnostic> {
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
    let bytes = crate::files::read(path, crate::files::Kind::Transcript).map_err(|e| e.diagnostic())?;
    import_bytes_with(path, &bytes, options)
}

/// Import the bytes of a raw transcript; `path` names it in messages and
/// gives the title when the text has none.
pub fn import_bytes(path: &Path, bytes: &[u8]) -> Result<Imported, Diagnostic> {
    import_bytes_with(path, bytes, &Options::default())
}

/// The format of a raw transcript: from its content (magic bytes, the
/// `WEBVTT` line, an SRT cue, the shape of its JSON), else from its name.
pub fn detect_format(path: &Path, bytes: &[u8]) -> Format {
    let by_name = Format::from_extension(path);
    if let Some(format) = office::sniff(bytes) {
        return format;
    }
    let encoding = decode::detect_encoding(bytes);
    let sample = &bytes[..bytes.len().min(64 * 1024)];
    let (head, _, _) = encoding.decode(sample);
    let head = head.trim_start_matches(['\u{FEFF}', ' ', '\t', '\r', '\n']);
    if head.starts_with("WEBVTT") {
        return Format::Vtt;
    }
    if head.starts_with(['{', '[']) {
        let (text, _, _) = encoding.decode(bytes);
        return match serde_json::from_str::<serde_json::Value>(&text) {
            Ok(value) if otr::looks_like(&value) => Format::Otr,
            Ok(value) if whisper::looks_like(&value) => Format::WhisperJson,
            // JSON is never a plain-text transcript: the name says which
            // reader should explain what is wrong with it.
            _ => by_name
                .filter(|f| matches!(f, Format::Otr | Format::WhisperJson))
                .unwrap_or(Format::WhisperJson),
        };
    }
    let mut lines = head.lines().map(str::trim).filter(|l| !l.is_empty());
    let first = lines.next().unwrap_or_default();
    let timing =
        if first.bytes().all(|b| b.is_ascii_digit()) { lines.next().unwrap_or_default() } else { first };
    if cues::parse_timing(timing).is_some() {
        return Format::Srt;
    }
    by_name.unwrap_or(Format::Txt)
}

/// What a reader found, before the transcript's parts are detected.
#[derive(Default)]
struct Read {
    paragraphs: Vec<Paragraph>,
    notices: Vec<Diagnostic>,
    /// Lines for the comment block.
    guesses: Vec<String>,
    /// The wrap width and joined lines of plain text.
    wrap: Option<(usize, usize)>,
    /// A language tag the file gives.
    language: Option<String>,
    title: Option<String>,
    subtitle: Option<String>,
    authors: Vec<String>,
    notes: Vec<String>,
}

/// Import with `options`.
pub fn import_bytes_with(path: &Path, bytes: &[u8], options: &Options) -> Result<Imported, Diagnostic> {
    let format = options.from.unwrap_or_else(|| detect_format(path, bytes));
    let read = read(path, bytes, format, options)?;
    let input = input_text(&read);
    let Read { paragraphs, mut notices, guesses, wrap, language, title, subtitle, authors, notes } = read;
    let stem = path.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default();
    let fallback_title = if stem.trim().is_empty() { "Untitled".to_string() } else { stem };
    let settings = detect::Settings { given_title: title.clone(), no_questions: options.no_questions };
    let mut plan = detect::detect(&paragraphs, title.as_deref().unwrap_or(&fallback_title), &settings);

    for (i, guess) in guesses.into_iter().enumerate() {
        plan.guesses.insert(i, guess);
    }
    if let Some(title) = title {
        // The file's title; a first paragraph that repeats it is that title.
        plan.title_line = Some(0);
        plan.guesses.retain(|g| !g.starts_with("title"));
        plan.guesses
            .push("title: the document's Title paragraph or metadata (change it with `--title`)".into());
        plan.title = title;
    }
    if let Some(subtitle) = subtitle {
        // A subtitle found in the text goes back to the introduction.
        if let Some(found) = plan.subtitle.replace(subtitle) {
            plan.introduction.insert(0, found);
        }
        plan.subtitle_line = Some(0);
    }
    overrides::apply(&mut plan, options).map_err(|e| e.at(Location::file(path)))?;
    plan.notes = notes;
    plan.authors = authors;
    plan.keep_times = options.timestamps;
    plan.language = match language.filter(|tag| language::is_tag(tag)) {
        Some(tag) => {
            plan.guesses.push(format!("language: {tag}, from the file"));
            Some((tag, "from the file"))
        }
        None => language::guess_language(&sample_text(&plan)).map(|tag| {
            plan.guesses.push(format!("language: {tag}, from the text"));
            (tag.to_string(), "guessed from the text")
        }),
    };
    if let Some((width, joined)) = wrap {
        plan.guesses.push(format!(
            "line breaks: the text is wrapped at {width} characters; {joined} line breaks inside paragraphs removed"
        ));
    }
    if options.timestamps {
        let kept = plan
            .times
            .iter()
            .zip(&plan.body)
            .filter(|(t, i)| t.is_some() && matches!(i, detect::Item::Turn { .. }))
            .count();
        plan.guesses
            .push(format!("timestamps: {kept} turns keep their time in the recording (`--timestamps`)"));
    }
    if plan.no_speakers {
        notices.push(
            Diagnostic::warning("no speaker labels found; the text is imported as an introduction only")
                .at(Location::file(path))
                .hint("turns start with the speaker's name and a colon: `Jane:` or `JANE DOE:`"),
        );
    }
    overrides::annotate(&mut plan.guesses);
    let origin =
        path.file_name().map_or_else(|| path.display().to_string(), |n| n.to_string_lossy().into_owned());
    let draft = write::write_source(&plan, &origin);
    if set_aside_unreferenced_notes(&mut plan, &draft) {
        notices.push(
            Diagnostic::warning("a footnote on the title, subtitle or author has no place in a source")
                .at(Location::file(path))
                .hint("its text is set aside in the comment at the top: move it where it belongs"),
        );
    }
    plan.guesses.extend(conserve::set_aside_line(&plan.set_aside));
    let source = write::write_source(&plan, &origin);
    let parsed = self_check(path, &source)?;
    notices.extend(
        parsed.warnings.into_iter().map(|w| Diagnostic { location: Some(Location::file(path)), ..w }),
    );
    let doc = parsed.document;
    let input: Vec<(usize, &str)> = input.iter().map(|(line, text)| (*line, text.as_str())).collect();
    let words = conserve::count(&input, &doc, &source);
    if let Some(warning) = missing_words(&words, format) {
        notices.push(warning.at(Location::file(path)));
    }
    Ok(Imported {
        words,
        participants: doc.participants.len(),
        questions: doc.sections.iter().filter(|s| s.heading.is_some()).count(),
        turns: doc.turns().filter(|t| t.speaker.is_some()).count(),
        source,
        notices,
        format,
    })
}

/// Notes whose reference went with a paragraph the source keeps in its
/// front matter (a footnote on a Title paragraph): a definition nobody
/// references is dropped by every reader, so its text is set aside in the
/// comment instead (at line 1, where the title was), and the note is not
/// written. `draft` is the source as written with every note. Whether any
/// note was set aside.
fn set_aside_unreferenced_notes(plan: &mut detect::Plan, draft: &str) -> bool {
    // How often each `[^N]` appears, in one pass over the draft: once as
    // its definition, at least once more where it is referenced.
    let mut seen: HashMap<usize, usize> = HashMap::new();
    for (at, _) in draft.match_indices("[^") {
        let digits = &draft[at + 2..];
        let end = digits.find(|c: char| !c.is_ascii_digit()).unwrap_or(digits.len());
        if let (Ok(n), Some(']')) = (digits[..end].parse::<usize>(), digits[end..].chars().next()) {
            *seen.entry(n).or_default() += 1;
        }
    }
    let mut any = false;
    for (n, note) in plan.notes.iter_mut().enumerate() {
        if seen.get(&(n + 1)).copied().unwrap_or(0) >= 2 || note.is_empty() {
            continue;
        }
        let text = rich::plain(note).split_whitespace().collect::<Vec<_>>().join(" ");
        plan.set_aside.push((text, 1));
        note.clear();
        any = true;
    }
    any
}

/// The text the words are counted in: every paragraph the reader found
/// (with the label written in it), the title, subtitle and authors the
/// file gives, its notes; each with its line (0: the file's metadata).
fn input_text(read: &Read) -> Vec<(usize, String)> {
    let mut input: Vec<(usize, String)> = read.paragraphs.iter().map(|p| (p.line, p.text.clone())).collect();
    input.extend(read.title.iter().chain(&read.subtitle).chain(&read.authors).map(|t| (0, t.clone())));
    input.extend(read.notes.iter().map(|n| (0, rich::plain(n))));
    input
}

/// Count the words of the transcript at `path` (read with `options`) that
/// the source text `source` holds, as `import` does for its own output.
pub fn count_words(path: &Path, source: &str, options: &Options) -> Result<WordCount, Diagnostic> {
    let bytes = std::fs::read(path).map_err(|e| {
        Diagnostic::error(format!("cannot read the transcript: {e}")).at(Location::file(path))
    })?;
    let format = options.from.unwrap_or_else(|| detect_format(path, &bytes));
    let input = input_text(&read(path, &bytes, format, options)?);
    let doc = self_check(path, source)?.document;
    let input: Vec<(usize, &str)> = input.iter().map(|(line, text)| (*line, text.as_str())).collect();
    Ok(conserve::count(&input, &doc, source))
}

/// Read the file as `format`.
fn read(path: &Path, bytes: &[u8], format: Format, options: &Options) -> Result<Read, Diagnostic> {
    if matches!(format, Format::Docx | Format::Odt) {
        let doc = office::read(path, bytes, format)?;
        return Ok(Read {
            guesses: vec![format!("format: {}, {} paragraphs", format.title(), doc.paragraphs.len())],
            paragraphs: doc.paragraphs,
            language: doc.language,
            title: doc.title,
            subtitle: doc.subtitle,
            authors: doc.authors,
            notes: doc.notes,
            ..Read::default()
        });
    }
    let decoded = decode::decode(path, bytes).map_err(|e| match format {
        Format::Txt => e,
        // `decode` speaks of plain text; say which format was expected.
        _ => Diagnostic { message: format!("{} (read as {})", e.message, format.title()), ..e },
    })?;
    let mut read = Read { notices: decoded.notices, ..Read::default() };
    if decoded.encoding != "UTF-8" {
        read.guesses.push(format!("encoding: read as {}, converted to UTF-8", decoded.encoding));
    }
    let text = decoded.text.as_str();
    let cues = match format {
        Format::Txt => {
            let split = paragraphs::split_paragraphs(text, !options.no_unwrap);
            read.wrap = split.wrap_width.map(|w| (w, split.joined_lines));
            read.paragraphs = split.paragraphs;
            return Ok(read);
        }
        Format::Otr => {
            let split = otr::parse(path, text)?;
            read.guesses.push(format!("format: oTranscribe, {} paragraphs", split.paragraphs.len()));
            read.paragraphs = split.paragraphs;
            return Ok(read);
        }
        Format::Vtt => vtt::parse(path, text)?,
        Format::Srt => srt::parse(path, text)?,
        Format::WhisperJson => {
            let transcript = whisper::parse(path, text)?;
            read.language = transcript.language;
            transcript.cues
        }
        Format::Docx | Format::Odt => unreachable!("read above"),
    };
    let what = if format == Format::WhisperJson { "segment" } else { "cue" };
    cues::check_order(path, &cues, what)?;
    read.paragraphs = cues::merge(&cues, options.pause_ms);
    read.guesses.push(format!(
        "format: {}, {} {what}s merged into {} paragraphs (a new one where the speaker changes or after a pause over {})",
        format.title(),
        cues.len(),
        read.paragraphs.len(),
        seconds(options.pause_ms)
    ));
    if read.paragraphs.is_empty() {
        return Err(Diagnostic::error(format!("the {what}s hold no text; there is nothing to import"))
            .at(Location::file(path)));
    }
    Ok(read)
}

/// The warning for words of the text the source does not hold: the first
/// ones, with where they were.
fn missing_words(count: &WordCount, format: Format) -> Option<Diagnostic> {
    count.missing.first()?;
    let unit = if matches!(format, Format::Docx | Format::Odt) { "paragraph" } else { "line" };
    let list: Vec<String> = count
        .missing
        .iter()
        .map(|(word, at)| if *at == 0 { format!("“{word}”") } else { format!("“{word}” ({unit} {at})") })
        .collect();
    let lost = count.words_in - count.placed;
    Some(
        Diagnostic::warning(format!(
            "{lost} of {} words of the transcript are not in the source; the first: {}",
            count.words_in,
            list.join(", ")
        ))
        .hint("this is a bug in `mimeo import`; please report it with the transcript, and check the source by hand"),
    )
}

/// `2 s`, `1.5 s`.
fn seconds(ms: u64) -> String {
    if ms.is_multiple_of(1000) { format!("{} s", ms / 1000) } else { format!("{} s", ms as f64 / 1000.0) }
}

/// `--speaker` values: `SPEAKER_00="Maya Okafor"` → (`SPEAKER_00`, `Maya Okafor`).
pub fn parse_speaker(text: &str) -> Result<(String, String), String> {
    match text.split_once('=') {
        Some((id, name)) if !id.trim().is_empty() && !name.trim().is_empty() => {
            Ok((id.trim().to_string(), name.trim().trim_matches('"').to_string()))
        }
        _ => Err(format!("`{text}` is not ID=NAME; write it like SPEAKER_00=\"Maya Okafor\"")),
    }
}

/// `--kind` values.
pub fn parse_kind(text: &str) -> Result<crate::model::Kind, String> {
    use crate::model::Kind;
    [Kind::Interview, Kind::Roundtable, Kind::Talk, Kind::Hearing, Kind::Other]
        .into_iter()
        .find(|k| k.name() == text.trim().to_lowercase())
        .ok_or_else(|| format!("`{text}` is not a kind; use interview, roundtable, talk, hearing or other"))
}

/// `--pause` values: `2s`, `1.5s`, `800ms`, `2` (seconds).
pub fn parse_pause(text: &str) -> Result<u64, String> {
    let text = text.trim();
    let (number, scale) = if let Some(n) = text.strip_suffix("ms") {
        (n, 1.0)
    } else if let Some(n) = text.strip_suffix('s') {
        (n, 1000.0)
    } else {
        (text, 1000.0)
    };
    match number.trim().parse::<f64>() {
        Ok(n) if n.is_finite() && n >= 0.0 && n * scale < 1e12 => Ok((n * scale).round() as u64),
        _ => Err(format!("`{text}` is not a pause; write it like `2s`, `1.5s` or `800ms`")),
    }
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
