//! The transcript model: what every backend reads, and all it reads.
//!
//! A [`Document`] is metadata, participants, an introduction, and sections
//! (a question or heading followed by speaker turns). Blocks and inlines are a
//! small closed set, close to CommonMark but free of Markdown events.
//! Every block has a [`BlockId`], unique in its document and increasing in
//! reading order, so that one edition can point into another (the EPUB
//! page list marks where the printed pages begin).

pub mod addresses;
mod collection;
pub mod isbn;
pub mod link;
mod parallel;
mod recording;
mod table;
mod text;
mod timecode;
mod words;

pub use collection::{Collection, Piece, Place};
pub use parallel::Parallel;
pub use recording::{Audio, AudioFormat, Cue, clock_ms, parse_clock, parse_range};
pub use table::{Alignment, Cell, Table};
pub use text::{document_text, plain_text, plain_text_of_blocks};
pub use timecode::Timecode;
pub use words::Words;

use std::path::PathBuf;

/// A whole transcript.
#[derive(Debug, Clone, PartialEq)]
pub struct Document {
    pub meta: Meta,
    pub participants: Vec<Participant>,
    /// Everything before the first question or turn.
    pub introduction: Vec<Block>,
    pub sections: Vec<Section>,
    /// Footnote texts, numbered in order of first reference; an
    /// [`Inline::NoteRef`] holds an index into this list.
    pub notes: Vec<Note>,
    /// The file it was read from, so that a backend can name the place of
    /// a character it cannot show.
    pub source: Option<PathBuf>,
}

/// Facts about the document, from its front matter.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Meta {
    pub title: String,
    pub subtitle: Option<String>,
    pub kind: Kind,
    /// BCP 47 language tag, e.g. `en`, `fa`, `zh-Hant`.
    pub language: String,
    pub direction: Direction,
    pub date: Option<String>,
    pub publisher: Option<String>,
    pub series: Option<String>,
    pub edition: Option<String>,
    pub rights: Option<String>,
    /// The given identifier, or a stable `urn:uuid:` derived from the content.
    pub identifier: String,
    pub description: Option<String>,
    pub keywords: Vec<String>,
    pub cover: Option<Image>,
    pub contributors: Vec<Contributor>,
    /// Layouts the document asks for when the command line names none.
    pub default_layouts: Vec<String>,
    /// The recording (`audio:`), for a read-along e-book.
    pub audio: Option<Audio>,
}

/// What sort of conversation the transcript records.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Deserialize, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    Interview,
    Roundtable,
    Talk,
    Hearing,
    #[default]
    Other,
}

impl Kind {
    pub fn name(self) -> &'static str {
        match self {
            Kind::Interview => "interview",
            Kind::Roundtable => "roundtable",
            Kind::Talk => "talk",
            Kind::Hearing => "hearing",
            Kind::Other => "other",
        }
    }
}

/// Writing direction of the main text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Deserialize, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Direction {
    #[default]
    Ltr,
    Rtl,
}

impl Direction {
    /// The direction a language is written in: right to left for Arabic,
    /// Persian, Kurdish Sorani, Hebrew, Urdu and the like, or any tag with an
    /// Arabic or Hebrew script subtag (`ku-Arab`).
    pub fn of_language(tag: &str) -> Direction {
        let lower = tag.to_ascii_lowercase();
        let primary = lower.split('-').next().unwrap_or_default();
        let rtl = matches!(
            primary,
            "ar" | "fa" | "he" | "ur" | "ps" | "ckb" | "sd" | "ug" | "yi" | "dv" | "syr" | "prs"
        ) || lower.split('-').skip(1).any(|s| matches!(s, "arab" | "hebr"));
        if rtl { Direction::Rtl } else { Direction::Ltr }
    }
}

/// Index into [`Document::participants`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ParticipantId(pub usize);

/// Someone who speaks in the transcript.
#[derive(Debug, Clone, PartialEq)]
pub struct Participant {
    pub id: ParticipantId,
    pub name: String,
    /// What precedes the colon in the text (`Edward` for `Edward:`).
    pub label: String,
    pub role: Role,
    pub bio: Option<Vec<Inline>>,
}

impl Participant {
    /// When the bio begins with the participant's name ("Ann Moss teaches
    /// …"): the rest of its first text and the inlines after it, so that a
    /// backend can set the name apart without printing it twice.
    pub fn bio_after_name(&self) -> Option<(&str, &[Inline])> {
        match self.bio.as_deref()?.split_first()? {
            (Inline::Text(first), rest) => Some((first.strip_prefix(self.name.as_str())?, rest)),
            _ => None,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Deserialize, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    Interviewer,
    Moderator,
    #[default]
    Speaker,
}

impl Role {
    /// Interviewers and moderators ask; backends set their turns apart.
    pub fn asks(self) -> bool {
        matches!(self, Role::Interviewer | Role::Moderator)
    }
}

/// Someone who made the edition without speaking in it.
#[derive(Debug, Clone, PartialEq)]
pub struct Contributor {
    pub name: String,
    pub role: ContributorRole,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Deserialize, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ContributorRole {
    Editor,
    Translator,
    Transcriber,
    Illustrator,
    Designer,
    Photographer,
    Other,
}

impl ContributorRole {
    pub fn name(self) -> &'static str {
        match self {
            ContributorRole::Editor => "editor",
            ContributorRole::Translator => "translator",
            ContributorRole::Transcriber => "transcriber",
            ContributorRole::Illustrator => "illustrator",
            ContributorRole::Designer => "designer",
            ContributorRole::Photographer => "photographer",
            ContributorRole::Other => "contributor",
        }
    }

    /// The MARC relator code (what EPUB's `role` refinement expects).
    pub fn marc_relator(self) -> &'static str {
        match self {
            ContributorRole::Editor => "edt",
            ContributorRole::Translator => "trl",
            ContributorRole::Transcriber => "trc",
            ContributorRole::Illustrator => "ill",
            ContributorRole::Designer => "dsr",
            ContributorRole::Photographer => "pht",
            ContributorRole::Other => "ctb",
        }
    }
}

/// A question (or other level-2 heading) and the turns that answer it.
#[derive(Debug, Clone, PartialEq)]
pub struct Section {
    /// `None` for turns that come before any heading.
    pub heading: Option<Heading>,
    /// Who asks the question: the interviewer or moderator, if there is one.
    pub asked_by: Option<ParticipantId>,
    pub turns: Vec<Turn>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Heading {
    pub id: BlockId,
    pub content: Vec<Inline>,
}

/// One participant speaking, or unattributed text (`speaker: None`)
/// such as a note between turns.
#[derive(Debug, Clone, PartialEq)]
pub struct Turn {
    pub speaker: Option<ParticipantId>,
    /// When the turn starts in the recording (`**Ana:** [00:12:03] …`).
    pub time: Option<Timecode>,
    pub blocks: Vec<Block>,
    /// The stretches of its paragraphs timed against the recording, in
    /// reading order (`[00:01:42.120-00:01:45.300]` marks).
    pub cues: Vec<Cue>,
}

/// Identifies a block within its document; increases in reading order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct BlockId(pub u32);

#[derive(Debug, Clone, PartialEq)]
pub struct Block {
    pub id: BlockId,
    pub kind: BlockKind,
}

#[derive(Debug, Clone, PartialEq)]
pub enum BlockKind {
    Paragraph(Vec<Inline>),
    /// A heading below the question level (`###` and deeper); `level` is 3..=6.
    Heading {
        level: u8,
        content: Vec<Inline>,
    },
    BlockQuote(Vec<Block>),
    List(List),
    /// Preformatted text; `language` is the fence's info string, if any.
    Code {
        language: Option<String>,
        text: String,
    },
    ThematicBreak,
    Image(Image),
    /// A pipe table (GFM).
    Table(Table),
}

#[derive(Debug, Clone, PartialEq)]
pub struct List {
    /// `Some(n)` for an ordered list starting at `n`.
    pub start: Option<u64>,
    pub items: Vec<Vec<Block>>,
}

/// An image checked at parse time: inside the source folder, a known
/// format, sane dimensions.
#[derive(Debug, Clone, PartialEq)]
pub struct Image {
    /// Canonical path of the file.
    pub path: PathBuf,
    /// As written in the source (relative to the source file).
    pub source_path: String,
    pub alt: String,
    pub format: ImageFormat,
    pub width: u32,
    pub height: u32,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ImageFormat {
    Png,
    Jpeg,
    Gif,
    Webp,
    Svg,
}

impl ImageFormat {
    pub fn media_type(self) -> &'static str {
        match self {
            ImageFormat::Png => "image/png",
            ImageFormat::Jpeg => "image/jpeg",
            ImageFormat::Gif => "image/gif",
            ImageFormat::Webp => "image/webp",
            ImageFormat::Svg => "image/svg+xml",
        }
    }

    pub fn extension(self) -> &'static str {
        match self {
            ImageFormat::Png => "png",
            ImageFormat::Jpeg => "jpg",
            ImageFormat::Gif => "gif",
            ImageFormat::Webp => "webp",
            ImageFormat::Svg => "svg",
        }
    }
}

/// A footnote's text.
#[derive(Debug, Clone, PartialEq)]
pub struct Note {
    /// The label used in the source (`[^label]`).
    pub label: String,
    pub blocks: Vec<Block>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Inline {
    Text(String),
    Emphasis(Vec<Inline>),
    Strong(Vec<Inline>),
    Code(String),
    Link {
        url: String,
        content: Vec<Inline>,
    },
    /// A reference to `Document::notes[index]`; the note's number is `index + 1`.
    NoteRef(usize),
    /// A hard line break.
    LineBreak,
    /// Text in another language than the document's.
    Span {
        language: String,
        direction: Option<Direction>,
        content: Vec<Inline>,
    },
}

impl Document {
    pub fn participant(&self, id: ParticipantId) -> &Participant {
        &self.participants[id.0]
    }

    /// All turns of all sections, in reading order.
    pub fn turns(&self) -> impl Iterator<Item = &Turn> {
        self.sections.iter().flat_map(|s| s.turns.iter())
    }

    /// The cover and every picture, in reading order.
    pub fn image_paths(&self) -> Vec<PathBuf> {
        fn walk(blocks: &[Block], out: &mut Vec<PathBuf>) {
            for block in blocks {
                match &block.kind {
                    BlockKind::Image(image) => out.push(image.path.clone()),
                    BlockKind::BlockQuote(inner) => walk(inner, out),
                    BlockKind::List(list) => list.items.iter().for_each(|item| walk(item, out)),
                    _ => {}
                }
            }
        }
        let mut out: Vec<PathBuf> = self.meta.cover.iter().map(|c| c.path.clone()).collect();
        walk(&self.introduction, &mut out);
        self.turns().for_each(|turn| walk(&turn.blocks, &mut out));
        self.notes.iter().for_each(|note| walk(&note.blocks, &mut out));
        out
    }

    /// The participant for a speaker label or full name, if any.
    pub fn participant_by_label(&self, label: &str) -> Option<&Participant> {
        self.participants.iter().find(|p| p.label == label || p.name == label)
    }
}

/// Where in the document a page of some edition begins. Passed between
/// editions as data (the PDF's page starts become the EPUB's page list).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PageStart {
    /// The page's folio as printed ("1", "2", … or "" for unnumbered pages).
    pub label: String,
    pub anchor: Anchor,
    /// In a collection, the piece (index into [`Collection::pieces`]) whose
    /// text `anchor` points into; `None` for a transcript's pages and the
    /// collection's own (title page, contents, colophon).
    pub piece: Option<usize>,
    /// A page left blank (a verso before a piece that opens on a recto, or
    /// padding before the colophon): it holds no text, so no place in the
    /// text is its own.
    pub blank: bool,
}

/// A place in the document's text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Anchor {
    TitlePage,
    Participants,
    Colophon,
    Notes,
    /// `offset` characters into the [`plain_text`] of block (or heading) `block`.
    Text {
        block: BlockId,
        offset: usize,
    },
}
