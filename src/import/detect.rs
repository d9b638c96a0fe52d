//! Paragraphs → the parts of a transcript: title and subtitle, the
//! introduction, participants (from the labels, full names and bios from
//! the text around them), questions, turns and the end mark. Every guess is
//! recorded so that the user can check it.

use std::collections::{HashMap, HashSet};

use crate::model::{Kind, Role};

use super::labels::{Label, label_key, parse_label};
use super::paragraphs::Paragraph;

/// The longest a title or subtitle may be, in characters.
const MAX_TITLE_CHARS: usize = 200;
/// The longest a standalone question paragraph may be, in characters.
const MAX_QUESTION_CHARS: usize = 400;

/// Someone who speaks, as the import found them.
#[derive(Debug, Clone, PartialEq)]
pub struct Person {
    pub name: String,
    /// What the body writes before the colon.
    pub label: String,
    pub role: Role,
    pub bio: Option<String>,
    /// A speaker id the file gives instead of a name (`SPEAKER_00`): the
    /// label is written out so that renaming the participant keeps it.
    pub placeholder: bool,
}

/// One piece of the body after the introduction.
#[derive(Debug, Clone, PartialEq)]
pub enum Item {
    Question(String),
    Turn {
        speaker: usize,
        text: String,
    },
    /// A paragraph that continues the turn before it.
    Text(String),
}

/// What the import found; [`super::write`] turns it into a source.
#[derive(Debug, Clone, PartialEq)]
pub struct Plan {
    pub title: String,
    pub subtitle: Option<String>,
    pub kind: Kind,
    pub date: Option<String>,
    pub publisher: Option<String>,
    pub people: Vec<Person>,
    pub introduction: Vec<String>,
    pub body: Vec<Item>,
    /// One line per guess, for the comment block.
    pub guesses: Vec<String>,
    /// No speaker label was recognised: the text is an introduction only.
    pub no_speakers: bool,
    /// The BCP 47 tag of the text's language, when it could be guessed,
    /// and where it came from (`the text`, `the file's metadata`).
    pub language: Option<(String, &'static str)>,
    /// When each item of `body` starts in the recording, in milliseconds.
    pub times: Vec<Option<u64>>,
    /// The cues each item of `body` was merged from (see [`Paragraph::cues`]).
    pub cues: Vec<Vec<(u64, u64, String)>>,
    /// Footnotes (rich text, numbered from 1 in order) from a DOCX or ODT file.
    pub notes: Vec<String>,
    /// People the file's metadata names as its author.
    pub authors: Vec<String>,
    /// Write each turn's time (`--timestamps`).
    pub keep_times: bool,
    /// Words of the text the import kept out of the source's text (the `Q`
    /// of a `Q:` question, the `Date` of a `Date:` line), with their line,
    /// for the comment.
    pub set_aside: Vec<(String, usize)>,
    /// The line of the paragraph the title and subtitle were taken from (0:
    /// the file's Title paragraph or metadata); `None` for the file name.
    pub title_line: Option<usize>,
    pub subtitle_line: Option<usize>,
}

/// What the reader knows before detection, and the user's overrides.
#[derive(Debug, Clone, Default)]
pub struct Settings {
    /// The file gives a title (a Title paragraph, its metadata): a first
    /// paragraph is the title only when it repeats it.
    pub given_title: Option<String>,
    /// Unlabelled paragraphs ending with `?` stay text (`--no-questions`).
    pub no_questions: bool,
}

/// Read the structure of a transcript from its paragraphs; `fallback_title`
/// is used when the first paragraph is not a title.
pub fn detect(paragraphs: &[Paragraph], fallback_title: &str, settings: &Settings) -> Plan {
    let texts: Vec<&str> = paragraphs.iter().map(|p| p.text.as_str()).collect();
    // What is written out: the text with its inline markup, when it has any.
    let rich: Vec<&str> = paragraphs.iter().map(|p| p.rich.as_deref().unwrap_or(&p.text)).collect();
    let rich_rest = |i: usize, rest: usize| -> String {
        match &paragraphs[i].rich {
            Some(marked) => super::rich::from_plain_offset(marked, rest).to_string(),
            None => texts[i][rest..].to_string(),
        }
    };
    // Speakers the file names (voices, diarization) are labels for sure.
    let labels: Vec<Option<Label>> = paragraphs
        .iter()
        .map(|p| match &p.speaker {
            Some(name) => Some(Label { text: name.clone(), rest: 0, timestamp: false }),
            None if p.heading => None,
            None => parse_label(&p.text),
        })
        .collect();
    let mut guesses = Vec::new();

    let title_index = match &settings.given_title {
        Some(given) => texts.first().filter(|t| *t == given).map(|_| 0),
        // A first paragraph whose label is a speaker's (by repetition or
        // by shape, `PRIYA:` beside `JONAS:`) is a turn, not the title.
        // So is a question right before a turn.
        None => title_index(&texts, &labels).filter(|_| {
            let speakers = accepted_labels(&texts, &labels, None);
            let is_turn = |i: usize| {
                paragraphs.get(i).is_some_and(|p| p.speaker.is_some())
                    || labels.get(i).and_then(Option::as_ref).is_some_and(|l| speakers.contains(&l.key()))
            };
            !(is_turn(0) || (is_question_shaped(texts[0]) && is_turn(1)))
        }),
    };
    let mut accepted = accepted_labels(&texts, &labels, title_index);
    accepted.extend(paragraphs.iter().filter_map(|p| p.speaker.as_deref().map(label_key)));
    let qa = accepted.contains("q") && accepted.contains("a");
    let mut is_turn: Vec<bool> = (0..texts.len())
        .map(|i| {
            Some(i) != title_index
                && labels[i].as_ref().is_some_and(|l| accepted.contains(&l.key()) && !(qa && l.key() == "q"))
        })
        .collect();
    let is_question: Vec<bool> = (0..texts.len())
        .map(|i| {
            if Some(i) == title_index {
                return false;
            }
            let before_turn = || is_turn.get(i + 1).copied().unwrap_or(false);
            match &labels[i] {
                _ if paragraphs[i].heading => true,
                Some(l) if l.key() == "q" => qa || (is_question_shaped(texts[i]) && before_turn()),
                // A labelled question is a turn of its speaker, or text.
                Some(_) => false,
                _ if settings.no_questions => false,
                _ => is_question_shaped(texts[i]) && before_turn(),
            }
        })
        .collect();

    let after_title = title_index.map_or(0, |i| i + 1);
    let subtitle_index = (after_title < texts.len()
        && title_index.is_some()
        && !is_turn[after_title]
        && !is_question[after_title]
        && is_subtitle_shaped(texts[after_title]))
    .then_some(after_title);
    let title = match title_index {
        Some(i) => texts[i].to_string(),
        None => {
            guesses.push(format!("title: none found in the text; the file name `{fallback_title}` is used"));
            fallback_title.to_string()
        }
    };
    let subtitle = subtitle_index.map(|i| texts[i].to_string());
    let intro_start = subtitle_index.map_or(after_title, |i| i + 1);
    let body_start = (intro_start..texts.len()).find(|&i| is_turn[i] || is_question[i]);
    let no_speakers = !is_turn.iter().any(|&t| t);
    if title_index.is_some() {
        guesses.push(match subtitle_index {
            Some(_) => "title and subtitle: the first two paragraphs".to_string(),
            None => "title: the first paragraph (no subtitle found)".to_string(),
        });
    }

    let end_mark = end_mark(&texts);
    let trailing_start = match end_mark {
        Some(EndMark::Alone(i)) | Some(EndMark::Attached(i)) => i + 1,
        None => texts.len(),
    };
    if let Some(mark) = end_mark {
        let (EndMark::Alone(i) | EndMark::Attached(i)) = mark;
        guesses.push(format!(
            "end mark: `{}` at line {}, kept as text",
            end_mark_text(texts[i]),
            paragraphs[i].line
        ));
    }

    // Participants: one per full name, from the accepted labels.
    let intro_end = body_start.unwrap_or(texts.len());
    let mut context: Vec<&str> = Vec::new();
    context.extend(title_index.map(|i| texts[i]));
    context.extend(subtitle_index.map(|i| texts[i]));
    context.extend(&texts[intro_start..intro_end]);
    context.extend(&texts[trailing_start.min(texts.len())..]);
    // Labels that are full names (`Anna Berg:`) name people too.
    // Labels in capitals longer than an acronym: the file shouts its
    // labels, and short ones (`ANA:`) are names too.
    let shouted = labels.iter().enumerate().any(|(i, l)| {
        l.as_ref().is_some_and(|l| {
            is_turn[i] && l.shape().1 && l.text.chars().filter(|c| c.is_alphabetic()).count() > 3
        })
    });
    let label_names: Vec<String> = labels
        .iter()
        .enumerate()
        .filter_map(|(i, l)| l.as_ref().filter(|l| is_turn[i] && l.text.contains(' ')))
        .map(|l| display_label(&l.text, shouted))
        .collect();
    context.extend(label_names.iter().map(String::as_str));
    let bio_candidates: Vec<usize> =
        (intro_start..intro_end).chain(trailing_start.min(texts.len())..texts.len()).collect();

    let mut people: Vec<Person> = Vec::new();
    let mut person_named: HashMap<String, usize> = HashMap::new();
    let mut speaker_of: HashMap<String, usize> = HashMap::new();
    let names = NameIndex::new(&context);
    let mut timestamps = 0;
    for (i, label) in labels.iter().enumerate() {
        let Some(label) = label.as_ref().filter(|_| is_turn[i]) else {
            continue;
        };
        timestamps += usize::from(label.timestamp);
        if speaker_of.contains_key(&label.key()) {
            continue;
        }
        let certain = paragraphs[i].speaker.is_some();
        let placeholder = certain && is_placeholder(&label.text);
        let mut display = if certain { label.text.clone() } else { display_label(&label.text, shouted) };
        let name = if placeholder {
            display.clone()
        } else if qa {
            answerer_name(&context, &texts, &bio_candidates).unwrap_or_else(|| display.clone())
        } else {
            names.full_name(&display).unwrap_or_else(|| display.clone())
        }
        .replace('\'', "’");
        // `BOB:` with a `Bob Smith` in the text is written `Bob:`.
        if let Some(word) = name.split(' ').find(|w| w.to_lowercase() == display.to_lowercase()) {
            display = word.to_string();
        }
        let index = *person_named.entry(name.clone()).or_insert_with(|| {
            people.push(Person { name, label: display, role: Role::Speaker, bio: None, placeholder });
            people.len() - 1
        });
        speaker_of.insert(label.key(), index);
    }
    for i in (0..texts.len()).filter(|&i| is_question[i]) {
        timestamps += usize::from(labels[i].as_ref().is_some_and(|l| l.timestamp));
    }
    if timestamps > 0 {
        guesses.push(format!("timestamps: {timestamps} dropped from speaker labels"));
    }

    // Bios: paragraphs of the introduction (or after the end mark) that
    // begin with a participant's full name.
    // Candidates by their first word, so that the search stays linear
    // with thousands of speakers.
    let mut by_first_word: HashMap<&str, Vec<usize>> = HashMap::new();
    // A paragraph with a note reference stays in the text: a bio in the
    // front matter cannot hold the note.
    let has_note = |i: usize| paragraphs[i].rich.as_deref().is_some_and(|r| r.contains(super::rich::NOTE));
    for &i in bio_candidates.iter().filter(|&&i| !has_note(i)) {
        by_first_word.entry(texts[i].split(' ').next().unwrap_or_default()).or_default().push(i);
    }
    let mut bio_of: HashMap<usize, usize> = HashMap::new();
    let mut bio_paragraphs: HashSet<usize> = HashSet::new();
    for (index, person) in people.iter_mut().enumerate() {
        let first = person.name.split(' ').next().unwrap_or_default();
        let found = by_first_word.get(first).and_then(|candidates| {
            candidates
                .iter()
                .copied()
                .find(|&i| !bio_paragraphs.contains(&i) && is_bio_of(texts[i], &person.name))
        });
        if let Some(i) = found {
            person.bio = Some(texts[i].to_string());
            bio_of.insert(index, i);
            bio_paragraphs.insert(i);
        }
    }
    if !people.is_empty() {
        guesses.push(format!(
            "participants: {} from the speaker labels; {} with a bio (paragraphs that begin with their full name)",
            people.iter().map(|p| format!("{} (`{}:`)", p.name, p.label)).collect::<Vec<_>>().join(", "),
            bio_of.len()
        ));
    }

    // Order: as the bios introduce them, then by first turn.
    let mut order: Vec<usize> = (0..people.len()).collect();
    order.sort_by_key(|&p| (bio_of.get(&p).copied().unwrap_or(usize::MAX), p));
    let mut renumber = vec![0; people.len()];
    for (new, &old) in order.iter().enumerate() {
        renumber[old] = new;
    }
    people = order.iter().map(|&old| people[old].clone()).collect();
    for index in speaker_of.values_mut() {
        *index = renumber[*index];
    }

    shorten_labels(&mut people);

    // A paragraph that opens with a participant's name or label and a colon
    // is a turn: the source format reads it so, whatever the count said.
    let mut by_written: HashMap<String, usize> = HashMap::new();
    for (p, person) in people.iter().enumerate().rev() {
        by_written.insert(person.label.to_lowercase(), p);
    }
    for (p, person) in people.iter().enumerate().rev() {
        by_written.insert(person.name.to_lowercase(), p);
    }
    for (i, label) in labels.iter().enumerate().skip(intro_start) {
        let Some(label) = label.as_ref().filter(|_| !is_turn[i] && !is_question[i]) else {
            continue;
        };
        let written = label.text.replace('\'', "’").to_lowercase();
        if let Some(&p) = by_written.get(&written) {
            is_turn[i] = true;
            speaker_of.insert(label.key(), p);
        }
    }
    let intro_end = intro_end.min((intro_start..texts.len()).find(|&i| is_turn[i]).unwrap_or(texts.len()));

    // `Date: …` and `Publisher: …` lines in the introduction are metadata.
    let mut date = None;
    let mut publisher = None;
    let mut introduction = Vec::new();
    let mut set_aside = Vec::new();
    // A first paragraph repeating the file's own title (its metadata, or a
    // second Title paragraph) is that title said twice: set aside.
    if let (Some(0), Some(_)) = (title_index, &settings.given_title) {
        set_aside.push((texts[0].to_string(), paragraphs[0].line));
    }
    for i in (intro_start..intro_end).filter(|i| !bio_paragraphs.contains(i)) {
        let key = || (texts[i].split(':').next().unwrap_or_default().trim().to_string(), paragraphs[i].line);
        match metadata_line(texts[i]) {
            Some(("date", value)) if date.is_none() => {
                date = Some(value.to_string());
                set_aside.push(key());
            }
            Some(("publisher", value)) if publisher.is_none() => {
                publisher = Some(value.to_string());
                set_aside.push(key());
            }
            _ => introduction.push(rich[i].to_string()),
        }
    }
    if let Some(date) = &date {
        guesses.push(format!("date: {date}, from a `Date:` or `Recorded:` line"));
    } else {
        date = year_of(
            title_index
                .iter()
                .chain(&subtitle_index)
                .map(|&i| texts[i])
                .chain(introduction.iter().map(String::as_str)),
        );
        if let Some(year) = &date {
            guesses.push(format!("date: {year}, the only year the title and introduction name"));
        }
    }
    if let Some(publisher) = &publisher {
        guesses.push(format!("publisher: {publisher}, from a `Publisher:` line"));
    }

    // The body.
    let mut body = Vec::new();
    let mut times = Vec::new();
    let mut cues = Vec::new();
    let mut turns_per_person = vec![(0usize, 0usize); people.len()];
    let mut i = intro_end;
    while i < texts.len() {
        if bio_paragraphs.contains(&i) {
            i += 1;
            continue;
        }
        let text = rich[i];
        let rest = || rich_rest(i, labels[i].as_ref().map_or(0, |l| l.rest));
        times.push(paragraphs[i].time_ms);
        cues.push(paragraphs[i].cues.clone());
        let next_is_text = i + 1 < texts.len() && !is_turn[i + 1] && !is_question[i + 1];
        if is_question[i] {
            if let Some(label) = &labels[i] {
                set_aside.push((label.text.clone(), paragraphs[i].line));
            }
            let mut question = rest();
            if question.is_empty() && next_is_text && !bio_paragraphs.contains(&(i + 1)) {
                i += 1;
                question = rich[i].to_string();
            }
            if !question.is_empty() {
                body.push(Item::Question(question));
            } else {
                times.pop();
                cues.pop();
            }
        } else if is_turn[i] {
            let key = labels[i].as_ref().map(Label::key).unwrap_or_default();
            let speaker = speaker_of[&key];
            let mut speech = rest();
            if speech.is_empty() && next_is_text && !bio_paragraphs.contains(&(i + 1)) {
                i += 1;
                speech = rich[i].to_string();
                if let Some(last) = cues.last_mut() {
                    *last = paragraphs[i].cues.clone();
                }
            }
            turns_per_person[speaker].0 += 1;
            turns_per_person[speaker].1 += usize::from(is_question_shaped(&speech));
            body.push(Item::Turn { speaker, text: speech });
        } else {
            body.push(Item::Text(text.to_string()));
        }
        i += 1;
    }

    let questions = body.iter().filter(|item| matches!(item, Item::Question(_))).count();
    if questions > 0 {
        guesses.push(if qa {
            let answers = people.first().map_or("", |p| p.name.as_str());
            format!("questions: {questions} paragraphs labelled `Q:` (the answers `A:` are {answers})")
        } else {
            format!(
                "questions: {questions} paragraphs without a label that end with `?` and come before a turn"
            )
        });
    } else if !no_speakers {
        guesses
            .push("questions: none found (questions are paragraphs without a label ending with `?`)".into());
    }

    let interviewer = guess_interviewer(&mut people, &turns_per_person, &context, qa);
    guesses.extend(interviewer);
    let kind = guess_kind(&title, subtitle.as_deref(), people.len(), questions, qa);
    guesses.push(format!("kind: {}", kind.name()));

    Plan {
        title,
        subtitle,
        kind,
        date,
        publisher,
        people,
        introduction,
        body,
        guesses,
        no_speakers,
        language: None,
        times,
        cues,
        notes: Vec::new(),
        authors: Vec::new(),
        keep_times: false,
        set_aside,
        title_line: title_index.map(|i| paragraphs[i].line),
        subtitle_line: subtitle_index.map(|i| paragraphs[i].line),
    }
}

/// A speaker id from diarization rather than a name: `SPEAKER_00`,
/// `speaker_1`, `Speaker 2`, `S1`.
pub fn is_placeholder(label: &str) -> bool {
    let lower = label.to_lowercase();
    let digits = lower.trim_start_matches(|c: char| !c.is_ascii_digit());
    let head = &lower[..lower.len() - digits.len()];
    !digits.is_empty()
        && digits.bytes().all(|b| b.is_ascii_digit())
        && matches!(head.trim_end_matches(['_', ' ', '-']), "speaker" | "spk" | "s")
}

/// `Date: spring 2020` → `("date", "spring 2020")`; also `Recorded:`,
/// `Publisher:`, `Published by:`.
pub fn metadata_line(text: &str) -> Option<(&'static str, &str)> {
    let (key, value) = text.split_once(':')?;
    let value = value.trim();
    if value.is_empty() || value.chars().count() > 100 {
        return None;
    }
    match key.trim().to_lowercase().as_str() {
        "date" | "recorded" | "recorded on" => Some(("date", value)),
        "publisher" | "published by" => Some(("publisher", value)),
        _ => None,
    }
}

/// The one year (1900–2099) that `texts` name, if they name exactly one.
pub fn year_of<'a>(texts: impl Iterator<Item = &'a str>) -> Option<String> {
    let mut years = std::collections::BTreeSet::new();
    for text in texts {
        for word in text.split(|c: char| !c.is_ascii_digit()) {
            if word.len() == 4 && (word.starts_with("19") || word.starts_with("20")) {
                years.insert(word.to_string());
            }
        }
    }
    (years.len() == 1).then(|| years.into_iter().next().unwrap_or_default())
}

/// A label that is the full name becomes the first name when no one else
/// has it, as transcripts are usually written (`Maria Okafor:` → `Maria:`).
fn shorten_labels(people: &mut [Person]) {
    let first = |name: &str| name.split_whitespace().next().unwrap_or_default().to_string();
    // How many people have each first name, and each label (counted once
    // per person): linear, as imports may name thousands of speakers.
    let mut uses: HashMap<String, usize> = HashMap::new();
    for p in people.iter() {
        let short = first(&p.name);
        if p.label != short {
            *uses.entry(p.label.clone()).or_default() += 1;
        }
        *uses.entry(short).or_default() += 1;
    }
    for person in people.iter_mut() {
        let short = first(&person.name);
        let unique = uses.get(&short) == Some(&1);
        if person.label == person.name && unique && super::labels::is_name_like(&short) {
            person.label = short;
        }
    }
}

/// The first paragraph is the title, unless it is a turn (its label comes
/// back) or too long to be one.
fn title_index(texts: &[&str], labels: &[Option<Label>]) -> Option<usize> {
    let first = texts.first()?;
    let recurring = labels[0].as_ref().is_some_and(|l| {
        let key = l.key();
        key == "q" || key == "a" || labels[1..].iter().flatten().any(|other| other.key() == key)
    });
    (!recurring && first.chars().count() <= MAX_TITLE_CHARS && texts.len() > 1).then_some(0)
}

/// The label keys that mark speakers: those that come back, `Q`/`A` when
/// both are used, and labels used once whose name the title, subtitle or a
/// bio gives (or the only label of a talk).
fn accepted_labels(
    texts: &[&str],
    labels: &[Option<Label>],
    title_index: Option<usize>,
) -> std::collections::BTreeSet<String> {
    let mut counts: HashMap<String, usize> = HashMap::new();
    for (i, label) in labels.iter().enumerate() {
        if let Some(label) = label.as_ref().filter(|_| Some(i) != title_index) {
            *counts.entry(label.key()).or_default() += 1;
        }
    }
    let first_label = labels.iter().position(Option::is_some).unwrap_or(texts.len());
    let mut named: Vec<String> = Vec::new();
    for (i, text) in texts.iter().enumerate().take(first_label.max(2)) {
        if Some(i) == title_index || i == 1 {
            named.extend(name_runs(text));
        } else if let Some(run) = leading_name(text) {
            named.push(run);
        }
    }
    let only_one = counts.len() == 1;
    // The first label of each key; the shapes (word count, capitals) of
    // the labels that come back; how many distinct labels have each shape.
    let mut first_of: HashMap<String, &Label> = HashMap::new();
    for label in labels.iter().flatten() {
        first_of.entry(label.key()).or_insert(label);
    }
    let recurring: HashSet<(usize, bool)> = first_of
        .iter()
        .filter(|(key, _)| counts.get(*key).is_some_and(|&n| n >= 2))
        .map(|(_, l)| l.shape())
        .collect();
    let mut keys_of_shape: HashMap<(usize, bool), usize> = HashMap::new();
    let mut uses_of_shape: HashMap<(usize, bool), usize> = HashMap::new();
    for (key, label) in &first_of {
        *keys_of_shape.entry(label.shape()).or_default() += 1;
        *uses_of_shape.entry(label.shape()).or_default() += counts.get(key).copied().unwrap_or(0);
    }
    let all_uses: usize = counts.values().sum();
    let single = |key: &str| first_of.get(key).copied();
    let mut accepted = std::collections::BTreeSet::new();
    for (key, &count) in &counts {
        let qa = (key == "q" || key == "a") && counts.contains_key("q") && counts.contains_key("a");
        let is_named = key.chars().count() > 1
            && named.iter().any(|run| {
                let run = run.to_lowercase();
                let words: Vec<&str> = run.split(' ').collect();
                run == *key || (words.len() > 1 && (words[0] == key || words[words.len() - 1] == key))
            });
        // A label used once is a speaker who speaks once if it is written
        // like the labels that come back, or with a timestamp.
        // So is one of several labels used once each, all of one shape
        // (`PRIYA:` and `JONAS:`), that shape being most of the labels.
        let consistent = |l: &Label| {
            keys_of_shape.get(&l.shape()).is_some_and(|&n| n >= 2)
                && uses_of_shape.get(&l.shape()).is_some_and(|&n| n * 2 > all_uses)
        };
        let like_others = count == 1
            && single(key).is_some_and(|l| l.timestamp || recurring.contains(&l.shape()) || consistent(l))
            && key != "q"
            && key != "a";
        if qa || count >= 2 || is_named || like_others || (only_one && key != "q" && key != "a") {
            accepted.insert(key.clone());
        }
    }
    accepted
}

/// A standalone question: ends with `?` (maybe inside quotes or brackets)
/// and is short.
pub fn is_question_shaped(text: &str) -> bool {
    let trimmed = text.trim_end_matches(['"', '”', '’', '\'', ')', ']', ' ']);
    // The Arabic-script `؟` and the full-width `？` of CJK text too.
    trimmed.ends_with(['?', '؟', '？']) && text.chars().count() <= MAX_QUESTION_CHARS
}

/// A subtitle is short and is not a sentence ending with a full stop.
fn is_subtitle_shaped(text: &str) -> bool {
    text.chars().count() <= MAX_TITLE_CHARS && !text.ends_with('.') && end_mark_text(text) != text
}

/// Where the text marks its end: a paragraph holding only a mark, or a
/// mark at the end of a paragraph (`… suit us best. *`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EndMark {
    Alone(usize),
    Attached(usize),
}

/// Marks that end articles: a star, squares, `###`, `-30-`, `[END]`.
const END_MARKS: &[&str] = &[
    "*",
    "***",
    "* * *",
    "###",
    "# # #",
    "-30-",
    "– 30 –",
    "■",
    "□",
    "∎",
    "◼",
    "●",
    "[end]",
    "(end)",
    "end",
    "the end",
];

/// The end mark of the text, if any: looked for in the last paragraphs
/// (bios may follow it).
pub fn end_mark(texts: &[&str]) -> Option<EndMark> {
    let start = texts.len().saturating_sub(4);
    for (i, text) in texts.iter().enumerate().skip(start).rev() {
        if END_MARKS.contains(&text.trim().to_lowercase().as_str()) {
            return Some(EndMark::Alone(i));
        }
        let attached = ["*", "■", "∎", "◼", "□"].iter().any(|m| {
            text.strip_suffix(m).is_some_and(|before| before.ends_with([' ', '.', '!', '?', '”', '"']))
        });
        // Only bios may follow a mark at the end of a paragraph.
        if attached && texts[i + 1..].iter().all(|t| leading_name(t).is_some()) {
            return Some(EndMark::Attached(i));
        }
    }
    None
}

/// The end mark written in `text` (all of it, or its last word).
fn end_mark_text(text: &str) -> &str {
    if END_MARKS.contains(&text.trim().to_lowercase().as_str()) {
        return text.trim();
    }
    text.rsplit(' ').next().unwrap_or(text)
}

/// `EDWARD` → `Edward`, `HON-SING` → `Hon-Sing`; other labels (and short
/// ones in capitals, which may be acronyms) as written.
/// A straight apostrophe becomes `’`, as smart punctuation will print it.
/// `shouted`: the file writes its names in capitals, so short ones are names.
pub fn display_label(label: &str, shouted: bool) -> String {
    let label = &label.replace('\'', "’");
    let has_lower = label.chars().any(char::is_lowercase);
    let letters = label.chars().filter(|c| c.is_alphabetic()).count();
    // Three capitals or fewer may be an acronym (`UTA:` for the magazine),
    // unless every label is in capitals; `Q` and `A` stay as they are.
    if has_lower || letters <= usize::from(!shouted) * 2 + 1 || !label.chars().any(char::is_uppercase) {
        return label.to_string();
    }
    let mut out = String::with_capacity(label.len());
    let mut start = true;
    for c in label.chars() {
        if start {
            out.push(c);
        } else {
            out.extend(c.to_lowercase());
        }
        start = !c.is_alphabetic();
    }
    out
}

/// Runs of capitalised words in `text`: the names it may mention
/// (`Edward Hon-Sing Wong`). Name particles (`de`, `van`) may join them.
pub fn name_runs(text: &str) -> Vec<String> {
    let mut runs = Vec::new();
    let mut run: Vec<&str> = Vec::new();
    let finish = |run: &mut Vec<&str>, runs: &mut Vec<String>| {
        while run.last().is_some_and(|w| !w.starts_with(char::is_uppercase)) {
            run.pop();
        }
        if !run.is_empty() {
            runs.push(run.join(" "));
        }
        run.clear();
    };
    for token in text.split_whitespace() {
        let word = token.trim_start_matches(['“', '"', '‘', '\'', '(', '[']);
        if word.len() != token.len() {
            finish(&mut run, &mut runs);
        }
        let core = word.trim_end_matches([',', ';', ':', '.', '!', '?', '”', '"', ')', ']']);
        let ends_run = core.len() != word.len();
        let (core, possessive) = match core.strip_suffix("’s").or_else(|| core.strip_suffix("'s")) {
            Some(stem) => (stem, true),
            None => (core, false),
        };
        let is_word =
            !core.is_empty() && core.chars().all(|c| c.is_alphabetic() || matches!(c, '-' | '’' | '\''));
        let capitalised = core.starts_with(char::is_uppercase);
        let particle = !run.is_empty() && super::labels::is_name_like(&format!("A {core}")) && !capitalised;
        if is_word && (capitalised || particle) {
            run.push(core);
        } else {
            finish(&mut run, &mut runs);
        }
        if ends_run || possessive {
            finish(&mut run, &mut runs);
        }
    }
    finish(&mut run, &mut runs);
    runs
}

/// The name a paragraph opens with, when it reads as a description of
/// someone (`Edward Hon-Sing Wong is …`): at least two capitalised words
/// followed by a lower-case word, a comma or a bracket.
pub fn leading_name(text: &str) -> Option<String> {
    let run = name_runs(text).into_iter().next()?;
    let after = text.strip_prefix(run.as_str())?;
    let next = after.chars().next()?;
    let opens = next == ',' || after.starts_with(" (") || after.trim_start().starts_with(char::is_lowercase);
    (run.contains(' ') && opens).then_some(run)
}

/// The names of a context by their first and last word (case-folded), so
/// that finding the full name of each of thousands of labels stays linear.
struct NameIndex {
    by_end: HashMap<String, String>,
}

impl NameIndex {
    fn new(context: &[&str]) -> Self {
        let mut by_end = HashMap::new();
        for run in context.iter().flat_map(|text| name_runs(text)) {
            let words: Vec<String> = run.split(' ').map(|w| w.to_lowercase().replace('\'', "’")).collect();
            if words.len() > 1 {
                by_end.entry(words[0].clone()).or_insert_with(|| run.clone());
                by_end.entry(words[words.len() - 1].clone()).or_insert_with(|| run.clone());
            }
        }
        NameIndex { by_end }
    }

    /// The full name of a one-word label, from the names the title,
    /// subtitle, introduction and bios mention: a name whose first or last
    /// word is the label.
    fn full_name(&self, label: &str) -> Option<String> {
        if label.contains(' ') {
            return None;
        }
        self.by_end.get(&label.to_lowercase().replace('\'', "’")).cloned()
    }
}

/// The person who answers in a `Q:`/`A:` transcript: the one a bio
/// describes, or the one the title or subtitle has an interview "with".
fn answerer_name(context: &[&str], texts: &[&str], bio_candidates: &[usize]) -> Option<String> {
    if let Some(name) = bio_candidates.iter().find_map(|&i| leading_name(texts[i])) {
        return Some(name);
    }
    context.iter().find_map(|text| {
        let (_, after) = text.split_once(" with ")?;
        name_runs(after).into_iter().next().filter(|run| run.contains(' ') && after.starts_with(run.as_str()))
    })
}

/// Whether `text` is a bio of `name`: it begins with the full name and goes on.
pub fn is_bio_of(text: &str, name: &str) -> bool {
    let (text, name) = (text.replace('\'', "’"), name.replace('\'', "’"));
    name.contains(' ')
        && text.strip_prefix(name.as_str()).is_some_and(|after| {
            after.chars().count() > 12 && (after.starts_with([' ', ',']) || after.starts_with("’s "))
        })
}

/// Words that, shortly before a name, make its bearer the one who asks.
const ASKER_WORDS: &[(&str, Role)] = &[
    ("interviewer", Role::Interviewer),
    ("editor", Role::Interviewer),
    ("interviewed by", Role::Interviewer),
    ("conducted by", Role::Interviewer),
    ("moderator", Role::Moderator),
    ("moderated by", Role::Moderator),
    ("host", Role::Moderator),
    ("hosted by", Role::Moderator),
    ("chaired by", Role::Moderator),
    ("facilitator", Role::Moderator),
    ("facilitated by", Role::Moderator),
];

/// Who asks: the participant whose turns are mostly questions; else one the
/// introduction calls the editor, interviewer or moderator; else one
/// labelled `Interviewer`, `Moderator` or `Host`. Sets the role; returns
/// the comment line.
fn guess_interviewer(
    people: &mut [Person],
    turns: &[(usize, usize)],
    context: &[&str],
    qa: bool,
) -> Option<String> {
    if qa || people.len() < 2 {
        return None;
    }
    let by_questions = (0..people.len())
        .filter(|&p| turns[p].0 >= 2 && turns[p].1 * 10 >= turns[p].0 * 6)
        .max_by_key(|&p| turns[p].1 * 1000 / turns[p].0.max(1));
    if let Some(p) = by_questions {
        people[p].role = Role::Interviewer;
        return Some(format!(
            "interviewer: {} ({} of their {} turns are questions)",
            people[p].name, turns[p].1, turns[p].0
        ));
    }
    for text in context {
        for person in people.iter_mut() {
            let Some(at) = text.find(&person.name) else { continue };
            let before: Vec<&str> = text[..at].split_whitespace().rev().take(6).collect();
            let before = before.into_iter().rev().collect::<Vec<_>>().join(" ").to_lowercase();
            if let Some((word, role)) = ASKER_WORDS
                .iter()
                .find(|(word, _)| before.ends_with(word) || before.contains(&format!("{word} ")))
            {
                person.role = *role;
                return Some(format!(
                    "{}: {} (the introduction calls them “{word}”)",
                    role_name(*role),
                    person.name
                ));
            }
        }
    }
    let labelled = people
        .iter_mut()
        .find(|p| matches!(label_key(&p.label).as_str(), "interviewer" | "moderator" | "host" | "chair"))?;
    labelled.role =
        if label_key(&labelled.label) == "interviewer" { Role::Interviewer } else { Role::Moderator };
    Some(format!("{}: {} (from the label)", role_name(labelled.role), labelled.name))
}

fn role_name(role: Role) -> &'static str {
    match role {
        Role::Interviewer => "interviewer",
        Role::Moderator => "moderator",
        Role::Speaker => "speaker",
    }
}

/// The kind of conversation: from a word in the title or subtitle, else
/// from how many speak and whether there are questions.
fn guess_kind(title: &str, subtitle: Option<&str>, speakers: usize, questions: usize, qa: bool) -> Kind {
    let words = format!("{title} {}", subtitle.unwrap_or_default()).to_lowercase();
    let has = |w: &str| words.split(|c: char| !c.is_alphanumeric() && c != '-').any(|x| x == w);
    if has("roundtable") || has("round-table") || words.contains("round table") || has("panel") {
        Kind::Roundtable
    } else if has("interview") || has("conversation") {
        Kind::Interview
    } else if has("hearing") || has("testimony") {
        Kind::Hearing
    } else if has("talk") || has("lecture") || has("keynote") {
        Kind::Talk
    } else if qa || (speakers == 2) {
        Kind::Interview
    } else if speakers >= 3 {
        Kind::Roundtable
    } else if speakers == 1 && questions == 0 {
        Kind::Talk
    } else {
        Kind::Other
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn paragraphs(texts: &[&str]) -> Vec<Paragraph> {
        texts.iter().enumerate().map(|(i, t)| Paragraph::new(t.to_string(), 2 * i + 1)).collect()
    }

    #[test]
    fn names_in_running_text() {
        assert_eq!(
            name_runs("A Roundtable with Edward Hon-Sing Wong, Sardar Saadi, and Niloofar Golkar"),
            ["A Roundtable", "Edward Hon-Sing Wong", "Sardar Saadi", "Niloofar Golkar"]
        );
        assert_eq!(
            name_runs("with Upping the Anti editor Niloofar Golkar to talk"),
            ["Upping", "Anti", "Niloofar Golkar"]
        );
        assert_eq!(name_runs("Ana de la Cruz’s book"), ["Ana de la Cruz"]);
    }

    #[test]
    fn full_names_come_from_the_context() {
        let context = ["A Roundtable with Edward Hon-Sing Wong, Sardar Saadi, and Niloofar Golkar"];
        let names = NameIndex::new(&context);
        assert_eq!(names.full_name("Edward").as_deref(), Some("Edward Hon-Sing Wong"));
        assert_eq!(names.full_name("Wong").as_deref(), Some("Edward Hon-Sing Wong"));
        assert_eq!(names.full_name("Maria"), None);
        assert_eq!(display_label("HON-SING WONG", false), "Hon-Sing Wong");
        assert_eq!(display_label("Q", false), "Q");
        assert_eq!(display_label("UTA", false), "UTA");
    }

    #[test]
    fn bios_begin_with_the_full_name() {
        assert!(is_bio_of("Sardar Saadi is a SSHRC postdoctoral fellow.", "Sardar Saadi"));
        assert!(!is_bio_of("Sardar Saadi", "Sardar Saadi"));
        assert!(!is_bio_of("Sardar is a fellow at the university.", "Sardar"));
        assert_eq!(leading_name("Sardar Saadi is a fellow").as_deref(), Some("Sardar Saadi"));
        assert_eq!(leading_name("This past year we have"), None);
    }

    #[test]
    fn questions_are_short_and_end_with_a_question_mark() {
        assert!(is_question_shaped("Can you tell us about the movement you are involved with?"));
        assert!(is_question_shaped("What did “solidarity” mean?”"));
        assert!(!is_question_shaped("It was so."));
        assert!(!is_question_shaped(&format!("{}?", "word ".repeat(100))));
    }

    #[test]
    fn dates_and_publishers() {
        assert_eq!(metadata_line("Date: spring 2020"), Some(("date", "spring 2020")));
        assert_eq!(metadata_line("Published by: Upping the Anti"), Some(("publisher", "Upping the Anti")));
        assert_eq!(metadata_line("Jane: hello"), None);
        assert_eq!(
            year_of(["conducted in early spring 2020,", "in 2020 too"].into_iter()).as_deref(),
            Some("2020")
        );
        assert_eq!(year_of(["from 2019 to 2020"].into_iter()), None);
        assert_eq!(year_of(["12345 and 1850"].into_iter()), None);
    }

    #[test]
    fn end_marks() {
        assert_eq!(end_mark(&["a", "b. *"]), Some(EndMark::Attached(1)));
        assert_eq!(end_mark(&["a", "b.", "###"]), Some(EndMark::Alone(2)));
        assert_eq!(end_mark(&["a", "b. ■", "Jane Doe is a writer."]), Some(EndMark::Attached(1)));
        assert_eq!(end_mark(&["a", "b*"]), None);
    }

    #[test]
    fn an_interview_with_questions_between_turns() {
        let plan = detect(
            &paragraphs(&[
                "Talking Back",
                "An interview with Ana Lima",
                "Ana Lima is a organiser in Porto.",
                "How did it start?",
                "Ana: It started in March.",
                "Then it grew.",
                "What next?",
                "Ana: We keep going. ∎",
            ]),
            "raw",
            &Settings::default(),
        );
        assert_eq!(plan.title, "Talking Back");
        assert_eq!(plan.subtitle.as_deref(), Some("An interview with Ana Lima"));
        assert_eq!(plan.people.len(), 1);
        assert_eq!(plan.people[0].name, "Ana Lima");
        assert_eq!(plan.people[0].bio.as_deref(), Some("Ana Lima is a organiser in Porto."));
        assert!(plan.introduction.is_empty());
        assert_eq!(
            plan.body,
            [
                Item::Question("How did it start?".into()),
                Item::Turn { speaker: 0, text: "It started in March.".into() },
                Item::Text("Then it grew.".into()),
                Item::Question("What next?".into()),
                Item::Turn { speaker: 0, text: "We keep going. ∎".into() },
            ]
        );
        assert_eq!(plan.kind, Kind::Interview);
    }

    #[test]
    fn the_one_who_asks_is_the_interviewer() {
        let plan = detect(
            &paragraphs(&[
                "T",
                "Sam: Why?",
                "Ana: Because.",
                "Sam: And then?",
                "Ana: Then more.",
                "Sam: Thanks?",
            ]),
            "raw",
            &Settings::default(),
        );
        let sam = plan.people.iter().find(|p| p.name == "Sam").unwrap();
        assert_eq!(sam.role, Role::Interviewer);
        assert!(plan.guesses.iter().any(|g| g.starts_with("interviewer: Sam")), "{:?}", plan.guesses);
    }

    #[test]
    fn no_labels_means_an_introduction_only() {
        let plan = detect(
            &paragraphs(&["A Title", "Some text.", "Is this a question?", "More text."]),
            "raw",
            &Settings::default(),
        );
        assert!(plan.no_speakers);
        assert_eq!(plan.introduction.len(), 3);
        assert!(plan.body.is_empty());
    }
}
