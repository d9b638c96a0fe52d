//! The model → XHTML content documents, one per part of the book, with
//! page-break markers where the printed edition's pages begin.
//!
//! Markers are placed in reading order as the documents are written, so
//! the page list (built from [`Writer::placed`]) follows the spine, which is
//! what EPUBCheck's NAV-011 asks of it.

use std::collections::HashMap;
use std::path::PathBuf;

use crate::model::{
    Anchor, Block, BlockId, BlockKind, ContributorRole, Cue, Direction, Document, Image, Inline, PageStart,
    Participant, Piece, Section, Turn, Words, link, plain_text,
};

use crate::layout::epub::EpubLabels;
use crate::typeset::bidi::{self, span_direction};

use super::overlay::{self, Par};
use super::xml::{self, push_attr, push_text};

mod parallel;

/// Words the book itself prints (headings of the parts, nav titles).
pub struct Labels {
    pub contents: String,
    pub title_page: String,
    pub introduction: String,
    pub participants: String,
    pub notes: String,
    pub colophon: String,
    pub pages: String,
    /// Labels the layout did not give: English words, marked as English in
    /// a book in another language.
    english: Vec<String>,
    /// mimeo's own words in the book's language, where it knows them.
    pub words: &'static Words,
}

impl Labels {
    /// `words` (the book's language, or English), but for what the layout gives.
    pub fn new(given: &EpubLabels, words: &'static Words) -> Self {
        let mut english = Vec::new();
        let mut pick = |given: &Option<String>, default: &str| {
            given.as_deref().map(xml::clean_field).filter(|w| !w.is_empty()).unwrap_or_else(|| {
                if words.is_english() {
                    english.push(default.to_string());
                }
                default.to_string()
            })
        };
        Labels {
            contents: pick(&given.contents, words.contents),
            title_page: pick(&given.title_page, words.title_page),
            introduction: pick(&given.introduction, words.introduction),
            participants: pick(&given.participants, words.participants),
            notes: pick(&given.notes, words.notes),
            colophon: pick(&given.colophon, words.colophon),
            pages: pick(&given.pages, words.pages),
            english,
            words,
        }
    }

    /// Whether `label` is one of mimeo's English defaults.
    pub fn is_english(&self, label: &str) -> bool {
        self.english.iter().any(|e| e == label)
    }
}

/// ` xml:lang="…" lang="…" dir="…"` for text in `language` running in
/// `direction` (an invalid tag gets only the direction).
pub fn language_attributes(language: &str, direction: Direction) -> String {
    let dir = match direction {
        Direction::Ltr => "ltr",
        Direction::Rtl => "rtl",
    };
    if xml::is_language_tag(language) {
        format!(" xml:lang=\"{language}\" lang=\"{language}\" dir=\"{dir}\"")
    } else {
        format!(" dir=\"{dir}\"")
    }
}

/// What separates the names of a list: the Arabic comma in Arabic script,
/// the ideographic enumeration comma in Chinese and Japanese.
fn list_separator(language: &str) -> &'static str {
    let primary = language.split('-').next().unwrap_or_default().to_ascii_lowercase();
    match primary.as_str() {
        "ar" | "fa" | "ckb" | "ur" | "ps" | "sd" | "ug" | "prs" => "، ",
        "zh" | "ja" | "yue" | "cmn" | "wuu" | "hak" | "nan" => "、",
        _ => ", ",
    }
}

/// What follows a speaker's label: a full-width colon in Chinese and
/// Japanese, with no space after it; else a colon and a space.
fn label_colon(language: &str) -> &'static str {
    let primary = language.split('-').next().unwrap_or_default().to_ascii_lowercase();
    if matches!(primary.as_str(), "zh" | "ja" | "yue" | "cmn" | "wuu" | "hak" | "nan") { "：" } else { ": " }
}

/// What part of the book a content document is (decides its landmark).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Part {
    Cover,
    TitlePage,
    Introduction,
    Participants,
    Section,
    Notes,
    Colophon,
}

/// One content document.
pub struct Page {
    pub file: String,
    /// For the table of contents; empty to leave the page out of it.
    pub title: String,
    pub part: Part,
    pub xhtml: String,
    /// Language attributes for the title where the contents list it, when
    /// it is in another language than the book (a marked heading, an
    /// English default label).
    pub title_language: String,
}

/// An image file to copy into the book.
pub struct Resource {
    pub href: String,
    pub media_type: &'static str,
    pub path: PathBuf,
}

/// A printed page's marker, placed or still waiting for its place.
struct Marker {
    label: String,
    id: String,
}

/// Where the page markers of one paragraph go, while it is written.
struct Cursor {
    /// Characters of the block's plain text written so far.
    pos: usize,
    /// `(offset, marker)`, sorted, from `next` on still to place.
    breaks: Vec<(usize, usize)>,
    next: usize,
}

pub struct Writer<'a> {
    doc: &'a Document,
    pub labels: &'a Labels,
    language: String,
    direction: &'static str,
    markers: Vec<Marker>,
    /// Raw `(offset, marker)` pairs by block; offsets are moved back to a
    /// word start when the block is written.
    text_breaks: HashMap<BlockId, Vec<(usize, usize)>>,
    /// Markers for whole parts: title page, participants, colophon, notes.
    part_breaks: [Vec<usize>; 4],
    /// `(marker, href)` in reading order.
    placed: Vec<(usize, String)>,
    /// The href of each note's first reference, for its back-link.
    note_first: Vec<Option<String>>,
    note_count: Vec<u32>,
    pub images: Vec<Resource>,
    image_index: HashMap<PathBuf, usize>,
    out: String,
    file: String,
    cursor: Option<Cursor>,
    /// Before every file name: empty in a single document, `piece-02-`
    /// in a collection, so that no two pieces' files (or images) collide.
    prefix: String,
    /// Where the participants stand in the reading order: where the
    /// printed edition prints them, so that the page list only increases.
    pub participants_at: ParticipantsAt,
    /// A piece's title, to open the next document with (see [`Writer::open_piece`]).
    opening: Option<String>,
    /// The cues of each timed paragraph, while Media Overlays are made
    /// (see [`Writer::with_overlays`]); taken as each is written.
    cues: HashMap<BlockId, Vec<Cue>>,
    /// The spans written for them, in reading order.
    pub pars: Vec<Par>,
}

/// Where the participants' page stands among the front matter and text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ParticipantsAt {
    /// Before the introduction: on the title page's verso, as the
    /// built-in PDF layouts print them (and the order without a page list).
    BeforeIntroduction,
    /// Between the introduction and the first question.
    AfterIntroduction,
    /// After the last question, before the notes.
    End,
}

/// Where the printed edition put the participants: after the first page
/// of a question, of the introduction, or before both.
fn participants_place(doc: &Document, starts: &[PageStart]) -> ParticipantsAt {
    let Some(at) = starts.iter().position(|s| s.anchor == Anchor::Participants) else {
        return ParticipantsAt::BeforeIntroduction;
    };
    let first_section = doc.sections.iter().find_map(|section| {
        let heading = section.heading.as_ref().map(|h| h.id);
        heading.or_else(|| section.turns.iter().find_map(|t| t.blocks.first().map(|b| b.id)))
    });
    let text_before = |in_part: &dyn Fn(BlockId) -> bool| {
        starts[..at].iter().any(|s| matches!(s.anchor, Anchor::Text { block, .. } if in_part(block)))
    };
    if first_section.is_some_and(|first| text_before(&|block| block >= first)) {
        ParticipantsAt::End
    } else if text_before(&|block| first_section.is_none_or(|first| block < first)) {
        ParticipantsAt::AfterIntroduction
    } else {
        ParticipantsAt::BeforeIntroduction
    }
}

/// The label of printed page `n` as the print shows it (in the
/// language's digits: ۲ in Persian), or `None` for a page to leave out
/// of the page list. A page with no folio (the title page, the colophon)
/// is still page n + 1 of the book, so it is listed by that number;
/// but not a blank page that only leads into the next (numbered) one,
/// nor an unnumbered page that goes on from the one before at the same
/// place (a collection's contents after its title page).
fn page_label(starts: &[PageStart], n: usize, words: &Words) -> Option<String> {
    let start = &starts[n];
    if start.blank {
        return None;
    }
    let label = xml::clean_field(&start.label);
    if !label.is_empty() {
        return Some(words.digits(&label));
    }
    let unnumbered = |s: &PageStart| xml::clean_field(&s.label).is_empty();
    let same_place = |s: &PageStart| s.anchor == start.anchor && s.piece == start.piece;
    let blank_before = starts.get(n + 1).is_some_and(|next| same_place(next) && !unnumbered(next));
    let goes_on = n > 0 && !starts[n - 1].blank && same_place(&starts[n - 1]) && unnumbered(&starts[n - 1]);
    if blank_before || goes_on {
        return None;
    }
    Some(words.number(n + 1))
}

/// Files of the parts that are not sections.
pub const COVER: &str = "cover.xhtml";
pub const TITLE: &str = "title.xhtml";
pub const INTRODUCTION: &str = "introduction.xhtml";
pub const PARTICIPANTS: &str = "participants.xhtml";
pub const NOTES: &str = "notes.xhtml";
pub const COLOPHON: &str = "colophon.xhtml";

/// The printed pages of each piece of a collection (`None`: the book's
/// own), as indexes into `starts`, found in one pass.
pub fn pages_by_piece(starts: &[PageStart]) -> HashMap<Option<usize>, Vec<usize>> {
    let mut pages: HashMap<Option<usize>, Vec<usize>> = HashMap::new();
    for (n, start) in starts.iter().enumerate() {
        pages.entry(start.piece).or_default().push(n);
    }
    pages
}

impl<'a> Writer<'a> {
    pub fn new(doc: &'a Document, labels: &'a Labels, page_starts: &[PageStart]) -> Self {
        let own: Vec<usize> = (0..page_starts.len()).filter(|&n| page_starts[n].piece.is_none()).collect();
        Self::with_pages(doc, labels, page_starts, &own, Words::for_language(&doc.meta.language))
    }

    /// A writer whose page markers are the printed pages of `piece` (of a
    /// collection; `None` for a transcript's pages or the collection's
    /// own), labelled in the digits of `folios` (the language the print
    /// sets its folios in: the book's, in a collection).
    pub fn with_pages(
        doc: &'a Document,
        labels: &'a Labels,
        page_starts: &[PageStart],
        own: &[usize],
        folios: &Words,
    ) -> Self {
        let language =
            if xml::is_language_tag(&doc.meta.language) { doc.meta.language.clone() } else { "und".into() };
        let mut writer = Writer {
            doc,
            labels,
            language,
            direction: match doc.meta.direction {
                Direction::Ltr => "ltr",
                Direction::Rtl => "rtl",
            },
            markers: Vec::new(),
            text_breaks: HashMap::new(),
            part_breaks: Default::default(),
            placed: Vec::new(),
            note_first: vec![None; doc.notes.len()],
            note_count: vec![0; doc.notes.len()],
            images: Vec::new(),
            image_index: HashMap::new(),
            out: String::new(),
            file: String::new(),
            cursor: None,
            prefix: String::new(),
            participants_at: ParticipantsAt::BeforeIntroduction,
            opening: None,
            cues: HashMap::new(),
            pars: Vec::new(),
        };
        let starts: Vec<PageStart> = own.iter().map(|&n| page_starts[n].clone()).collect();
        writer.participants_at = participants_place(doc, &starts);
        let mut used_ids: HashMap<String, u32> = HashMap::new();
        for &n in own {
            let start = &page_starts[n];
            let Some(label) = page_label(page_starts, n, folios) else { continue };
            let index = writer.markers.len();
            let id = unique_id(&mut used_ids, &format!("page-{}", id_safe(&label)));
            writer.markers.push(Marker { label, id });
            match start.anchor {
                Anchor::Text { block, offset } => {
                    writer.text_breaks.entry(block).or_default().push((offset, index))
                }
                Anchor::TitlePage => writer.part_breaks[0].push(index),
                Anchor::Participants => writer.part_breaks[1].push(index),
                Anchor::Colophon => writer.part_breaks[2].push(index),
                Anchor::Notes => writer.part_breaks[3].push(index),
            }
        }
        writer
    }

    pub fn document(&self) -> &'a Document {
        self.doc
    }

    /// A writer that wraps each timed stretch of text (a cue) in a span
    /// of its own, and records it as a [`Par`] for the Media Overlays.
    pub fn with_overlays(mut self) -> Self {
        for cue in self.doc.turns().flat_map(|t| &t.cues) {
            self.cues.entry(cue.block).or_default().push(cue.clone());
        }
        self
    }

    /// A writer for piece `number` (from 1) of a collection.
    pub fn in_piece(mut self, number: usize) -> Self {
        self.prefix = format!("piece-{number:02}-");
        self
    }

    pub fn language(&self) -> &str {
        &self.language
    }

    pub fn direction(&self) -> &'static str {
        self.direction
    }

    /// Attributes for mimeo's own English words (default labels, colophon
    /// lines) in a book in another language: empty in an English book.
    fn english(&self) -> &'static str {
        let primary = self.language.split('-').next().unwrap_or_default();
        if primary.eq_ignore_ascii_case("en") { "" } else { " xml:lang=\"en\" lang=\"en\" dir=\"ltr\"" }
    }

    /// The language of a label that is one of the English defaults, in a
    /// book in another language; no direction, so that the heading stands
    /// where the book's headings stand.
    pub fn label_attributes(&self, label: &str) -> &'static str {
        if self.labels.is_english(label) && !self.english().is_empty() {
            " xml:lang=\"en\" lang=\"en\""
        } else {
            ""
        }
    }

    /// `(label, href)` of every placed page marker, in reading order.
    pub fn placed(&self) -> Vec<(&str, &str)> {
        self.placed.iter().map(|(m, href)| (self.markers[*m].label.as_str(), href.as_str())).collect()
    }

    /// Labels of the page starts that found no place in the book.
    pub fn unplaced(&self) -> Vec<&str> {
        let mut done = vec![false; self.markers.len()];
        self.placed.iter().for_each(|(m, _)| done[*m] = true);
        self.markers.iter().zip(done).filter(|(_, d)| !d).map(|(m, _)| m.label.as_str()).collect()
    }

    // ---- documents -------------------------------------------------------

    fn begin(&mut self, file: &str, title: &str, body_type: &str) {
        self.file = format!("{}{file}", self.prefix);
        self.out = String::with_capacity(16 * 1024);
        self.out.push_str(
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<!DOCTYPE html>\n\
             <html xmlns=\"http://www.w3.org/1999/xhtml\" xmlns:epub=\"http://www.idpf.org/2007/ops\" xml:lang=\"",
        );
        push_attr(&mut self.out, &self.language);
        self.out.push_str("\" lang=\"");
        push_attr(&mut self.out, &self.language);
        self.out.push_str("\" dir=\"");
        self.out.push_str(self.direction);
        self.out.push_str("\">\n<head>\n<meta charset=\"utf-8\"/>\n<title>");
        let title = xml::field(title);
        self.out.push_str(if title.is_empty() { "—" } else { &title });
        self.out.push_str(
            "</title>\n<link rel=\"stylesheet\" type=\"text/css\" href=\"stylesheet.css\"/>\n</head>\n<body epub:type=\"",
        );
        self.out.push_str(body_type);
        self.out.push_str("\">\n");
        if let Some(title) = self.opening.take() {
            self.opening(&title);
        }
    }

    fn finish(&mut self, title: String, part: Part) -> Page {
        self.out.push_str("</body>\n</html>\n");
        if let Some(body) = self.out.find("<body").and_then(|at| Some(at + self.out[at..].find('>')? + 1)) {
            tighten_start(&mut self.out, body);
        }
        let title_language = self.label_attributes(&title).to_string();
        Page {
            file: std::mem::take(&mut self.file),
            title,
            part,
            xhtml: std::mem::take(&mut self.out),
            title_language,
        }
    }

    /// The cover page, showing the cover image at `href`.
    pub fn cover(&mut self, href: &str, alt: &str) -> Page {
        let title = xml::clean_field(&self.doc.meta.title);
        self.begin(COVER, &title, "cover");
        self.out.push_str("<section epub:type=\"cover\" class=\"cover\">\n<img role=\"doc-cover\" src=\"");
        push_attr(&mut self.out, href);
        self.out.push_str("\" alt=\"");
        self.out.push_str(&xml::field_attr(alt));
        self.out.push_str("\"/>\n</section>\n");
        self.finish(String::new(), Part::Cover)
    }

    pub fn title_page(&mut self) -> Page {
        let meta = &self.doc.meta;
        self.begin(TITLE, &meta.title, "frontmatter");
        self.part_markers(0);
        self.out.push_str("<section epub:type=\"titlepage\" class=\"titlepage\">\n<h1 class=\"title\">");
        self.out.push_str(&xml::field(&meta.title));
        self.out.push_str("</h1>\n");
        if let Some(subtitle) = meta.subtitle.as_deref().filter(|s| !s.trim().is_empty()) {
            self.out.push_str("<p class=\"subtitle\">");
            self.out.push_str(&xml::field(subtitle));
            self.out.push_str("</p>\n");
        }
        self.names();
        // A book without speakers (a collection) names its editors here.
        if self.doc.participants.is_empty() {
            let words = self.labels.words;
            for editor in meta.contributors.iter().filter(|c| c.role == ContributorRole::Editor) {
                self.out.push_str("<p class=\"names\">");
                push_text(
                    &mut self.out,
                    &words.line(words.role(editor.role), &xml::clean_field(&editor.name)),
                );
                self.out.push_str("</p>\n");
            }
        }
        for line in [meta.publisher.as_deref(), meta.date.as_deref()].into_iter().flatten() {
            self.out.push_str("<p class=\"imprint\">");
            self.out.push_str(&xml::field(line));
            self.out.push_str("</p>\n");
        }
        self.out.push_str("</section>\n");
        let label = self.labels.title_page.clone();
        self.finish(label, Part::TitlePage)
    }

    /// The participants' names under a title (unless the subtitle names
    /// them all), each in a no-break span so that no name is split
    /// across lines.
    fn names(&mut self) {
        let subtitle = self.doc.meta.subtitle.as_deref().unwrap_or_default();
        let names: Vec<&str> = self.doc.participants.iter().map(|p| p.name.as_str()).collect();
        if names.is_empty() || names.iter().all(|n| subtitle.contains(n)) {
            return;
        }
        self.out.push_str("<p class=\"names\">");
        for (i, name) in names.iter().enumerate() {
            if i > 0 {
                self.out.push_str(list_separator(&self.language));
            }
            self.out.push_str("<span class=\"nobr\">");
            self.out.push_str(&xml::field(name));
            self.out.push_str("</span>");
        }
        self.out.push_str("</p>\n");
    }

    /// Open the next document written with piece `title`'s opening:
    /// its title, subtitle and speakers above the piece's first page (its
    /// participants or introduction), so that no screen holds a title alone.
    pub fn open_piece(&mut self, title: &str) {
        self.opening = Some(title.to_string());
    }

    /// The opening of a collection's piece, in the piece's language.
    fn opening(&mut self, title: &str) {
        self.part_markers(0);
        self.out.push_str("<header class=\"opening titlepage\">\n<h1 class=\"title\" id=\"piece-title\">");
        self.out.push_str(&xml::field(title));
        self.out.push_str("</h1>\n");
        let meta = &self.doc.meta;
        if let Some(subtitle) = meta.subtitle.as_deref().filter(|s| !s.trim().is_empty()) {
            self.out.push_str("<p class=\"subtitle\">");
            self.out.push_str(&xml::field(subtitle));
            self.out.push_str("</p>\n");
        }
        self.names();
        self.out.push_str("</header>\n");
    }

    /// A collection's colophon goes on with each piece's origin and
    /// rights, each in its own language.
    pub fn pieces_colophon(&mut self, colophon: &mut Page, pieces: &[Piece]) {
        let mut lines = String::new();
        for piece in pieces {
            let meta = &piece.document.meta;
            let language = if xml::is_language_tag(&meta.language) { meta.language.as_str() } else { "und" };
            lines.push_str("<p");
            lines.push_str(&language_attributes(language, meta.direction));
            lines.push_str("><cite>");
            lines.push_str(&xml::field(&piece.title));
            lines.push_str("</cite>");
            let words = Words::for_language(&meta.language);
            let publisher = meta.publisher.as_deref().map(xml::clean_field);
            let date = meta.date.as_deref().map(xml::clean_field);
            let rest = [
                (piece.title != meta.title).then(|| xml::clean_field(&meta.title)),
                meta.subtitle.as_deref().map(xml::clean_field),
                words.imprint(publisher.as_deref(), date.as_deref()),
                meta.rights.as_deref().map(xml::clean_field),
            ];
            // A middle dot between the parts reads the same in every script.
            for part in rest.into_iter().flatten().filter(|p| !p.is_empty()) {
                lines.push_str(" · ");
                push_text(&mut lines, &part);
            }
            lines.push_str("</p>\n");
        }
        let at = colophon.xhtml.rfind("</section>").unwrap_or(colophon.xhtml.len());
        colophon.xhtml.insert_str(at, &lines);
    }

    pub fn introduction(&mut self) -> Page {
        let label = self.labels.introduction.as_str();
        self.begin(INTRODUCTION, label, "bodymatter");
        self.out.push_str("<section epub:type=\"introduction\" role=\"doc-introduction\" aria-label=\"");
        push_attr(&mut self.out, label);
        self.out.push_str("\">\n");
        let doc = self.doc;
        self.blocks(&doc.introduction, 1);
        self.out.push_str("</section>\n");
        self.finish(label.to_string(), Part::Introduction)
    }

    pub fn participants(&mut self) -> Page {
        let label = self.labels.participants.as_str();
        self.begin(PARTICIPANTS, label, "frontmatter");
        self.part_markers(1);
        self.out.push_str(
            "<section class=\"participants\" aria-labelledby=\"participants\">\n<h1 id=\"participants\"",
        );
        self.out.push_str(self.label_attributes(label));
        self.out.push('>');
        push_text(&mut self.out, label);
        self.out.push_str("</h1>\n");
        let doc = self.doc;
        for participant in &doc.participants {
            self.participant(participant);
        }
        self.out.push_str("</section>\n");
        self.finish(label.to_string(), Part::Participants)
    }

    fn participant(&mut self, participant: &Participant) {
        let name = xml::field(&participant.name);
        self.out.push_str("<p class=\"bio\" id=\"participant-");
        self.out.push_str(&(participant.id.0 + 1).to_string());
        self.out.push('"');
        if let Some((language, direction, _)) = participant.bio.as_deref().and_then(bidi::whole_span) {
            self.out.push_str(&language_attributes(language, direction));
        }
        self.out.push('>');
        match &participant.bio {
            Some(bio) if plain_text(bio).trim_start().starts_with(participant.name.trim()) => {
                self.inlines(bio)
            }
            Some(bio) => {
                self.out.push_str("<b class=\"name\">");
                self.out.push_str(&name);
                self.out.push_str("</b>. ");
                self.inlines(bio);
            }
            None => {
                self.out.push_str("<b class=\"name\">");
                self.out.push_str(&name);
                self.out.push_str("</b>");
            }
        }
        self.out.push_str("</p>\n");
    }

    /// Section `index` (0-based); its file is `section_file(index)`.
    pub fn section(&mut self, index: usize, section: &Section) -> Page {
        let file = section_file(index);
        let title = section.heading.as_ref().map(|h| xml::clean_field(&plain_text(&h.content)));
        let head = title.clone().filter(|t| !t.is_empty()).unwrap_or_else(|| self.doc.meta.title.clone());
        self.begin(&file, &head, "bodymatter");
        let anchor = format!("section-{}", index + 1);
        match &section.heading {
            Some(heading) => {
                self.out.push_str("<section epub:type=\"chapter\" role=\"doc-chapter\" class=\"question\" aria-labelledby=\"");
                self.out.push_str(&anchor);
                self.out.push_str("\">\n");
                let open = format!("<h1 id=\"{anchor}\">");
                self.inline_block(heading.id, &open, "</h1>\n", "", &heading.content);
            }
            None => {
                self.out.push_str(
                    "<section epub:type=\"chapter\" role=\"doc-chapter\" class=\"question\" aria-label=\"",
                );
                self.out.push_str(&xml::field_attr(&head));
                self.out.push_str("\">\n");
            }
        }
        for turn in &section.turns {
            self.turn(turn);
        }
        self.out.push_str("</section>\n");
        let mut page = self.finish(title.unwrap_or_default(), Part::Section);
        if let Some((language, direction, _)) =
            section.heading.as_ref().and_then(|h| bidi::whole_span(&h.content))
        {
            page.title_language = language_attributes(language, direction);
        }
        page
    }

    fn turn(&mut self, turn: &Turn) {
        let speaker = turn.speaker.map(|id| self.doc.participant(id));
        let asks = speaker.is_some_and(|p| p.role.asks());
        self.out.push_str(if asks { "<div class=\"turn asks\"" } else { "<div class=\"turn\"" });
        // A turn wholly in another language runs in its direction, rule
        // and all.
        if let Some((language, direction)) = turn_language(turn) {
            self.out.push_str(&language_attributes(language, direction));
        }
        self.out.push_str(">\n");
        for (i, block) in turn.blocks.iter().enumerate() {
            match (&block.kind, speaker) {
                (BlockKind::Paragraph(content), Some(p)) if i == 0 => {
                    // The name is in the book's language, even before a
                    // paragraph in another; the colon follows it in the
                    // paragraph's direction (left of an English name in a
                    // Persian paragraph).
                    let name = xml::field(&p.label);
                    let mut label = String::from("<b class=\"speaker\">");
                    if bidi::whole_span(content).is_some() {
                        label.push_str("<span");
                        label.push_str(&language_attributes(&self.language, self.doc.meta.direction));
                        label.push('>');
                        label.push_str(&name);
                        label.push_str("</span>");
                    } else {
                        label.push_str(&name);
                    }
                    let colon = label_colon(&self.language);
                    label.push_str(colon.trim_end());
                    label.push_str("</b>");
                    label.push_str(&colon[colon.trim_end().len()..]);
                    if let Some(time) = turn.time {
                        label.push_str(&format!(
                            "<time class=\"at\" datetime=\"{}\">[{}]</time> ",
                            time.iso_duration(),
                            time.clock()
                        ));
                    }
                    self.inline_block(block.id, "<p>", "</p>\n", &label, content);
                }
                _ => self.block(block, 1),
            }
        }
        self.out.push_str("</div>\n");
    }

    pub fn notes(&mut self) -> Page {
        let label = self.labels.notes.as_str();
        self.begin(NOTES, label, "backmatter");
        self.part_markers(3);
        // Endnotes in a list, not `<aside epub:type="footnote">`: reading
        // systems hide footnote asides (foliate-js leaves a blank Notes
        // page), while a list item still opens as a pop-up from its mark.
        // The items carry no `endnote` type: EPUB's vocabulary deprecates it.
        self.out.push_str(
            "<section epub:type=\"endnotes\" role=\"doc-endnotes\" class=\"notes\" aria-labelledby=\"notes\">\n<h1 id=\"notes\"",
        );
        self.out.push_str(self.label_attributes(label));
        self.out.push('>');
        push_text(&mut self.out, label);
        self.out.push_str("</h1>\n<ol class=\"notes\">\n");
        let doc = self.doc;
        for (i, note) in doc.notes.iter().enumerate() {
            let n = i + 1;
            self.out.push_str(&format!("<li class=\"note\" id=\"note-{n}\">\n"));
            let back = match &self.note_first[i] {
                Some(href) => {
                    let mut link = String::from("<a role=\"doc-backlink\" href=\"");
                    push_attr(&mut link, href);
                    link.push_str(&format!("\">{n}.</a> "));
                    link
                }
                None => format!("{n}. "),
            };
            match note.blocks.split_first() {
                Some((first, rest)) => {
                    match &first.kind {
                        BlockKind::Paragraph(content) => {
                            self.inline_block(first.id, "<p>", "</p>\n", &back, content)
                        }
                        _ => {
                            self.out.push_str(&format!("<p>{back}</p>\n"));
                            self.block(first, 2);
                        }
                    }
                    self.blocks(rest, 2);
                }
                None => self.out.push_str(&format!("<p>{back}</p>\n")),
            }
            self.out.push_str("</li>\n");
        }
        self.out.push_str("</ol>\n</section>\n");
        self.finish(label.to_string(), Part::Notes)
    }

    pub fn colophon(&mut self, print_layout: Option<&str>, placed_pages: bool) -> Page {
        let label = self.labels.colophon.as_str();
        let meta = &self.doc.meta;
        self.begin(COLOPHON, label, "backmatter");
        self.part_markers(2);
        self.out.push_str("<section epub:type=\"colophon\" role=\"doc-colophon\" class=\"colophon\" aria-labelledby=\"colophon\">\n<h1 id=\"colophon\"");
        self.out.push_str(self.label_attributes(label));
        self.out.push('>');
        push_text(&mut self.out, label);
        self.out.push_str("</h1>\n<p><cite>");
        self.out.push_str(&xml::field(&meta.title));
        self.out.push_str("</cite>");
        let words = self.labels.words;
        if let Some(subtitle) = meta.subtitle.as_deref().filter(|s| !s.trim().is_empty()) {
            self.out.push_str(words.colon);
            self.out.push_str(&xml::field(subtitle));
        }
        self.out.push_str("</p>\n");
        // `(line, written by mimeo in English)`
        let mut lines: Vec<(String, bool)> = Vec::new();
        // Edition and series are the source's words: labelled in English
        // books only, as mimeo has no words for them in other languages.
        for (label, value) in [("Edition", &meta.edition), ("Series", &meta.series)] {
            if let Some(value) = value {
                let value = xml::clean_field(value);
                lines.push(if words.is_english() {
                    (words.line(label, &value), true)
                } else {
                    (value, false)
                });
            }
        }
        let publisher = meta.publisher.as_deref().map(xml::clean_field);
        let date = meta.date.as_deref().map(xml::clean_field);
        if let Some(imprint) = words.imprint(publisher.as_deref(), date.as_deref()) {
            lines.push((imprint, words.is_english()));
        }
        for contributor in &meta.contributors {
            let name = xml::clean_field(&contributor.name);
            lines.push((words.line(words.role(contributor.role), &name), words.is_english()));
        }
        if let Some(rights) = &meta.rights {
            lines.push((xml::clean_field(rights), false));
        }
        if let (Some(layout), true) = (print_layout, placed_pages) {
            let layout = xml::clean_field(layout);
            let line = if words.is_english() {
                format!("{} (layout “{layout}”).", words.print_pages)
            } else {
                words.line(words.print_pages, &layout)
            };
            lines.push((line, words.is_english()));
        }
        lines.push((words.line(words.identifier, &xml::clean_field(&meta.identifier)), words.is_english()));
        for (line, english) in lines.iter().filter(|(l, _)| !l.is_empty()) {
            self.out.push_str("<p");
            if *english {
                self.out.push_str(self.english());
            }
            self.out.push('>');
            push_text(&mut self.out, line);
            self.out.push_str("</p>\n");
        }
        self.out.push_str("</section>\n");
        self.finish(label.to_string(), Part::Colophon)
    }

    // ---- page markers ------------------------------------------------------

    fn part_markers(&mut self, part: usize) {
        for m in std::mem::take(&mut self.part_breaks[part]) {
            self.marker(m);
        }
    }

    fn marker(&mut self, m: usize) {
        let marker = &self.markers[m];
        self.out.push_str("<span epub:type=\"pagebreak\" role=\"doc-pagebreak\" id=\"");
        self.out.push_str(&marker.id);
        self.out.push_str("\" aria-label=\"");
        push_attr(&mut self.out, &marker.label);
        self.out.push_str("\"/>");
        let href = format!("{}#{}", self.file, marker.id);
        self.placed.push((m, href));
    }

    /// Take the markers of `block`, with offsets moved back to the start
    /// of the word they fall in (counted in the characters of `text`).
    fn take_breaks(&mut self, block: BlockId, text: impl FnOnce() -> String) -> Vec<(usize, usize)> {
        let Some(mut breaks) = self.text_breaks.remove(&block) else { return Vec::new() };
        let chars: Vec<char> = text().chars().collect();
        for (offset, _) in &mut breaks {
            // Past the end, the page begins after the block's text.
            let mut at = (*offset).min(chars.len());
            while at > 0 && at < chars.len() && !chars[at - 1].is_whitespace() {
                at -= 1;
            }
            *offset = at;
        }
        breaks.sort_unstable();
        breaks
    }

    /// `open` + `prefix` + the inlines + `close`, with the block's page
    /// markers: before `open` when a page begins with the block, else inside.
    ///
    /// A block wholly in another language (`{lang=fa}` on a paragraph or
    /// heading) carries the language and direction on its own element, so
    /// that it runs, aligns and justifies in that direction.
    fn inline_block(&mut self, id: BlockId, open: &str, close: &str, prefix: &str, content: &[Inline]) {
        let breaks = self.take_breaks(id, || plain_text(content));
        let cursor = self.leading_markers(breaks);
        let whole = bidi::whole_span(content);
        match (whole, open.strip_suffix('>')) {
            (Some((language, direction, _)), Some(head)) => {
                self.out.push_str(head);
                self.out.push_str(&language_attributes(language, direction));
                self.out.push('>');
            }
            _ => self.out.push_str(open),
        }
        self.out.push_str(prefix);
        self.cursor = cursor;
        let cues = if whole.is_none() { self.cues.remove(&id) } else { None };
        if let Some(cues) = cues {
            self.timed(content, &cues);
        } else if whole.is_some() {
            for inline in content {
                match inline {
                    Inline::Span { content, .. } => self.inlines(content),
                    other => self.inline(other),
                }
            }
        } else {
            self.inlines(content);
        }
        self.flush_cursor();
        self.out.push_str(close);
    }

    /// The paragraph `content` with each cue's stretch in a span of its
    /// own (text before the first cue stays outside: it is read silently).
    fn timed(&mut self, content: &[Inline], cues: &[Cue]) {
        let cuts: Vec<usize> = cues.iter().map(|c| c.start).collect();
        let runs = overlay::split(content, &cuts);
        self.inlines(&runs[0]);
        for (cue, run) in cues.iter().zip(&runs[1..]) {
            let id = format!("cue-{}", self.pars.len() + 1);
            self.out.push_str(&format!("<span id=\"{id}\" class=\"cue\">"));
            self.inlines(run);
            self.out.push_str("</span>");
            self.pars.push(Par { file: self.file.clone(), id, begin_ms: cue.begin_ms, end_ms: cue.end_ms });
        }
    }

    /// Place the markers of a page that begins with the block (before its
    /// start tag); the cursor keeps the others.
    fn leading_markers(&mut self, breaks: Vec<(usize, usize)>) -> Option<Cursor> {
        let first = breaks.iter().take_while(|(offset, _)| *offset == 0).count();
        breaks[..first].iter().for_each(|&(_, m)| self.marker(m));
        (first < breaks.len()).then_some(Cursor { pos: 0, breaks, next: first })
    }

    fn flush_cursor(&mut self) {
        if let Some(cursor) = self.cursor.take() {
            cursor.breaks[cursor.next..].iter().for_each(|&(_, m)| self.marker(m));
        }
    }

    /// Text of the current block, with any markers that fall inside it.
    fn text(&mut self, text: &str) {
        let Some(mut cursor) = self.cursor.take() else {
            push_text(&mut self.out, text);
            return;
        };
        let mut written = 0;
        for (i, _) in text.char_indices() {
            if cursor.next < cursor.breaks.len() && cursor.breaks[cursor.next].0 <= cursor.pos {
                push_text(&mut self.out, &text[written..i]);
                written = i;
                self.due_markers(&mut cursor);
            }
            cursor.pos += 1;
        }
        push_text(&mut self.out, &text[written..]);
        self.cursor = Some(cursor);
    }

    /// The markers whose offset the cursor has reached.
    fn due_markers(&mut self, cursor: &mut Cursor) {
        while cursor.next < cursor.breaks.len() && cursor.breaks[cursor.next].0 <= cursor.pos {
            self.marker(cursor.breaks[cursor.next].1);
            cursor.next += 1;
        }
    }

    // ---- blocks and inlines --------------------------------------------------

    /// `depth` is the heading level of the enclosing part (1 for a
    /// section's `h1`), so that `###` becomes `h2`.
    fn blocks(&mut self, blocks: &[Block], depth: u8) {
        for block in blocks {
            self.block(block, depth);
        }
    }

    fn block(&mut self, block: &Block, depth: u8) {
        match &block.kind {
            BlockKind::Paragraph(content) => self.inline_block(block.id, "<p>", "</p>\n", "", content),
            BlockKind::Heading { level, content } => {
                let h = (depth + level.saturating_sub(2)).clamp(2, 6);
                self.inline_block(block.id, &format!("<h{h}>"), &format!("</h{h}>\n"), "", content);
            }
            BlockKind::Code { language, text } => {
                let breaks = self.take_breaks(block.id, || text.clone());
                let cursor = self.leading_markers(breaks);
                // Code reads left to right, in any book.
                self.out.push_str(if self.direction == "rtl" {
                    "<pre dir=\"ltr\"><code"
                } else {
                    "<pre><code"
                });
                if let Some(language) = language.as_deref().map(xml::clean_field).filter(|l| !l.is_empty()) {
                    self.out.push_str(" class=\"language-");
                    push_attr(&mut self.out, &language.replace(' ', "-"));
                    self.out.push('"');
                }
                self.out.push('>');
                self.cursor = cursor;
                self.text(text.strip_suffix('\n').unwrap_or(text));
                self.flush_cursor();
                self.out.push_str("</code></pre>\n");
            }
            other => {
                // A page that begins with a container begins before it.
                for (_, m) in self.take_breaks(block.id, String::new) {
                    self.marker(m);
                }
                match other {
                    BlockKind::BlockQuote(blocks) => {
                        self.out.push_str("<blockquote>\n");
                        self.blocks(blocks, depth);
                        self.out.push_str("</blockquote>\n");
                    }
                    BlockKind::List(list) => {
                        match list.start {
                            Some(1) => self.out.push_str("<ol>\n"),
                            Some(start) => self.out.push_str(&format!("<ol start=\"{start}\">\n")),
                            None => self.out.push_str("<ul>\n"),
                        }
                        for item in &list.items {
                            self.out.push_str("<li>");
                            self.blocks(item, depth);
                            self.out.push_str("</li>\n");
                        }
                        self.out.push_str(if list.start.is_some() { "</ol>\n" } else { "</ul>\n" });
                    }
                    BlockKind::ThematicBreak => self.out.push_str("<hr/>\n"),
                    BlockKind::Image(image) => self.image(image),
                    BlockKind::Table(table) => super::table::write(self, table),
                    BlockKind::Paragraph(_) | BlockKind::Heading { .. } | BlockKind::Code { .. } => {}
                }
            }
        }
    }

    fn image(&mut self, image: &Image) {
        let index = match self.image_index.get(&image.path) {
            Some(&i) => i,
            None => {
                let i = self.images.len();
                self.images.push(Resource {
                    href: format!("images/{}image-{}.{}", self.prefix, i + 1, image.format.extension()),
                    media_type: image.format.media_type(),
                    path: image.path.clone(),
                });
                self.image_index.insert(image.path.clone(), i);
                i
            }
        };
        self.out.push_str("<figure class=\"image\"><img src=\"");
        push_attr(&mut self.out, &self.images[index].href);
        self.out.push_str("\" alt=\"");
        let alt = xml::field_attr(&image.alt);
        self.out.push_str(&alt);
        self.out.push_str("\"/></figure>\n");
    }

    fn inlines(&mut self, inlines: &[Inline]) {
        for inline in inlines {
            self.inline(inline);
        }
    }

    fn inline(&mut self, inline: &Inline) {
        match inline {
            Inline::Text(text) => self.text(text),
            Inline::Emphasis(content) => self.wrapped("<em>", content, "</em>"),
            Inline::Strong(content) => self.wrapped("<strong>", content, "</strong>"),
            Inline::Code(text) => {
                self.out.push_str(if self.direction == "rtl" { "<code dir=\"ltr\">" } else { "<code>" });
                self.text(text);
                self.out.push_str("</code>");
            }
            Inline::Link { url, content } => match link::followable(url).ok() {
                Some(href) => {
                    self.out.push_str("<a href=\"");
                    push_attr(&mut self.out, &href);
                    self.out.push_str("\">");
                    if plain_text(content).trim().is_empty() {
                        // A link needs a name for screen readers: its address.
                        self.inlines(content);
                        push_text(&mut self.out, url);
                    } else {
                        self.inlines(content);
                    }
                    self.out.push_str("</a>");
                }
                None => self.inlines(content),
            },
            Inline::NoteRef(index) => self.note_ref(*index),
            Inline::LineBreak => {
                if let Some(mut cursor) = self.cursor.take() {
                    self.due_markers(&mut cursor);
                    // `plain_text` counts a line break as one character.
                    cursor.pos += 1;
                    self.cursor = Some(cursor);
                }
                self.out.push_str("<br/>");
            }
            Inline::Span { language, direction, content } => {
                // `dir` always: it isolates the span, so that a Persian
                // phrase in English text (or an English name in Persian)
                // cannot reorder the punctuation and numbers around it.
                self.out.push_str("<span");
                self.out.push_str(&language_attributes(language, span_direction(language, *direction)));
                self.out.push('>');
                self.inlines(content);
                self.out.push_str("</span>");
            }
        }
    }

    fn wrapped(&mut self, open: &str, content: &[Inline], close: &str) {
        self.out.push_str(open);
        self.inlines(content);
        self.out.push_str(close);
    }

    fn note_ref(&mut self, index: usize) {
        if index >= self.doc.notes.len() {
            return;
        }
        let n = index + 1;
        self.note_count[index] += 1;
        let id = match self.note_count[index] {
            1 => format!("noteref-{n}"),
            k => format!("noteref-{n}-{k}"),
        };
        if self.note_first[index].is_none() {
            self.note_first[index] = Some(format!("{}#{id}", self.file));
        }
        self.out.push_str(&format!(
            "<sup class=\"noteref\"><a epub:type=\"noteref\" role=\"doc-noteref\" id=\"{id}\" href=\"{}{NOTES}#note-{n}\">{n}</a></sup>",
            self.prefix
        ));
    }
}

/// The language and direction shared by every block of `turn`, when all
/// are paragraphs wholly marked in the same language.
fn turn_language(turn: &Turn) -> Option<(&str, Direction)> {
    let mut found: Option<(&str, Direction)> = None;
    for block in &turn.blocks {
        let BlockKind::Paragraph(content) = &block.kind else { return None };
        let (language, direction, _) = bidi::whole_span(content)?;
        match found {
            Some(seen) if seen != (language, direction) => return None,
            _ => found = Some((language, direction)),
        }
    }
    found
}

/// Drop the whitespace between the tags that come before a document's
/// first text (from byte `from`): a reader locates the start of a
/// document by its first text node (foliate-js does), and a line break
/// before a page marker there would put that start before the marker,
/// on the page before.
fn tighten_start(xhtml: &mut String, from: usize) {
    let mut at = from;
    loop {
        let rest = &xhtml[at..];
        let trimmed = rest.trim_start();
        if !trimmed.starts_with('<') || trimmed.starts_with("</body") {
            return;
        }
        let spaces = rest.len() - trimmed.len();
        xhtml.replace_range(at..at + spaces, "");
        match xhtml[at..].find('>') {
            Some(end) => at += end + 1,
            None => return,
        }
    }
}

/// The file of section `index` (0-based).
pub fn section_file(index: usize) -> String {
    format!("section-{:02}.xhtml", index + 1)
}

/// `text` reduced to what an XML id may hold.
fn id_safe(text: &str) -> String {
    text.chars().map(|c| if c.is_ascii_alphanumeric() || c == '-' || c == '_' { c } else { '_' }).collect()
}

fn unique_id(used: &mut HashMap<String, u32>, base: &str) -> String {
    let count = used.entry(base.to_string()).or_insert(0);
    *count += 1;
    if *count == 1 { base.to_string() } else { format!("{base}-{count}") }
}

impl super::table::Cells for Writer<'_> {
    fn markup(&mut self, text: &str) {
        self.out.push_str(text);
    }

    fn cell(&mut self, content: &[Inline]) {
        self.inlines(content);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn one_paragraph(content: Vec<Inline>) -> Document {
        use crate::model::{Kind, Meta};
        Document {
            meta: Meta {
                title: "T".into(),
                kind: Kind::Other,
                language: "en".into(),
                direction: Direction::Ltr,
                identifier: "urn:x".into(),
                ..Meta::default()
            },
            participants: Vec::new(),
            introduction: vec![Block { id: BlockId(0), kind: BlockKind::Paragraph(content) }],
            sections: Vec::new(),
            notes: Vec::new(),
            source: None,
        }
    }

    #[test]
    fn markers_go_to_the_start_of_the_word_inside_inline_markup() {
        let content = vec![
            Inline::Text("One ".into()),
            Inline::Emphasis(vec![Inline::Text("twofold".into())]),
            Inline::LineBreak,
            Inline::Text("three <four>".into()),
        ];
        let doc = one_paragraph(content);
        let at = |offset: usize| PageStart {
            label: offset.to_string(),
            anchor: Anchor::Text { block: BlockId(0), offset },
            piece: None,
            blank: false,
        };
        // "One twofold\nthree <four>": 6 is inside "twofold", 12 starts "three",
        // 18 is inside "<four>", 0 is the paragraph's start.
        let starts = [at(6), at(12), at(18), at(0)];
        let labels = Labels::new(&EpubLabels::default(), Words::for_language("en"));
        let mut writer = Writer::new(&doc, &labels, &starts);
        let page = writer.introduction();
        let span = |n: &str| {
            format!(
                "<span epub:type=\"pagebreak\" role=\"doc-pagebreak\" id=\"page-{n}\" aria-label=\"{n}\"/>"
            )
        };
        let expected = format!(
            "{}<p>One <em>{}twofold</em><br/>{}three {}&lt;four&gt;</p>",
            span("0"),
            span("6"),
            span("12"),
            span("18")
        );
        assert!(page.xhtml.contains(&expected), "{}", page.xhtml);
        let labels: Vec<&str> = writer.placed().into_iter().map(|(label, _)| label).collect();
        assert_eq!(labels, ["0", "6", "12", "18"]);
        assert!(writer.unplaced().is_empty());
    }

    #[test]
    fn ids_are_unique_and_safe() {
        let mut used = HashMap::new();
        assert_eq!(unique_id(&mut used, &format!("page-{}", id_safe("iv"))), "page-iv");
        assert_eq!(unique_id(&mut used, "page-iv"), "page-iv-2");
        assert_eq!(id_safe("1 \"<x>"), "1___x_");
    }
}
