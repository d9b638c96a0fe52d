//! Setting one paragraph: shaped glyphs become boxes, glue and hyphen
//! penalties for the shared Knuth–Plass breaker, and the chosen breaks
//! become positioned glyph runs.
//!
//! Text is shaped per run of one bidi level, face and span (right to left
//! for Arabic script, so letters join) and broken in logical order: at
//! spaces, at hyphens of words in spaced scripts other than Arabic, and
//! between CJK characters where kinsoku allows. Each line is then put in
//! visual order by the bidi algorithm (UAX #9) and, in a right-to-left
//! paragraph, set flush right with its indent on the right.

use rustc_hash::FxHashMap;
use std::cell::RefCell;

use super::fonts::{FaceId, Features, Lang, ShapedGlyph, Shaper, Shaping};
use crate::model::Direction;
use crate::typeset::bidi;
use crate::typeset::linebreak::{self, INFINITY};
use crate::typeset::script::{ScriptClass, class_of};
use crate::typeset::segment;
use crate::typeset::{BreakKind, Breakpoint, Hyphenator, Item, Line, Params, break_lines};

/// Cost of breaking at a hyphen (TeX uses 50; a little more keeps the
/// number of hyphenated lines close to what careful setters accept).
const HYPHEN_PENALTY: f64 = 100.0;
/// Cost of breaking a capitalised word (a name, mostly) at a hyphenation
/// point: as much as a very loose line, so it is done only where every
/// other way would leave rivers (a narrow measure, "Wageningen University").
const NAME_HYPHEN_PENALTY: f64 = 1000.0;
/// A word wider than this share of the measure is a long run (a URL, a
/// path, a row of `+`): it may break at its own separators.
const LONG_RUN: f64 = 0.4;
/// Breaking a long run after one of its separators (no hyphen is shown):
/// dearer than a hyphen, cheaper than a loose line.
const SEPARATOR_PENALTY: f64 = 200.0;
/// Breaking a long run between any two characters, with [`CUT_MARK`]:
/// only where its separators leave a piece wider than the measure.
const CUT_PENALTY: f64 = 1000.0;
/// The mark at the end of a line cut inside a long run (as the text
/// edition marks its cuts).
const CUT_MARK: char = '\\';
/// Letter-spacing a justified line may add, per gap between letters at
/// full stretch, in ems: a little, so word spaces on a narrow measure need
/// not stretch alone (at the first pass's tolerance, at most 0.024 em).
const LETTER_STRETCH: f64 = 0.012;
/// Breaking a display line (title, subtitle) after an article, a
/// preposition or a conjunction: all but forbidden.
const DISPLAY_FUNCTION_WORD_PENALTY: f64 = 9000.0;
/// A last line narrower than this many ems is a runt ("tion."): it costs
/// as much as a loose line elsewhere.
const RUNT_EMS: f64 = 2.5;
const RUNT_DEMERITS: f64 = 10_000.0;

/// Hyphenation points by word, cached: a transcript repeats its words.
pub struct WordBreaks {
    hyphenator: Hyphenator,
    cache: RefCell<FxHashMap<String, Vec<Breakpoint>>>,
}

impl WordBreaks {
    pub fn new(hyphenator: Hyphenator) -> WordBreaks {
        WordBreaks { hyphenator, cache: RefCell::new(FxHashMap::default()) }
    }

    pub fn breakpoints(&self, word: &str) -> Vec<Breakpoint> {
        if let Some(points) = self.cache.borrow().get(word) {
            return points.clone();
        }
        let points = self.hyphenator.breakpoints(word);
        self.cache.borrow_mut().insert(word.to_string(), points.clone());
        points
    }
}

/// How a run of text looks.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Style {
    pub face: FaceId,
    pub features: Features,
    /// Size as a multiple of the paragraph's size (0.65 for note numbers).
    pub scale: f64,
    /// Baseline shift, in ems of the paragraph's size (up is positive).
    pub rise: f64,
    /// The language of a marked span (empty: the document's).
    pub lang: Lang,
}

impl Style {
    pub fn new(face: FaceId) -> Style {
        Style { face, features: Features::default(), scale: 1.0, rise: 0.0, lang: Lang::default() }
    }

    pub fn small_caps(mut self) -> Style {
        self.features.small_caps = true;
        self
    }
}

/// Paragraph content, flattened from inlines.
#[derive(Debug, Clone)]
pub enum Piece {
    /// Text; `counts` says whether it is part of the block's plain text
    /// (speaker names and note numbers are not).
    Text {
        text: String,
        style: Style,
        counts: bool,
    },
    /// A hard line break (one character of plain text).
    Break,
    /// Text up to the matching [`Piece::IsolateEnd`] runs in this
    /// direction, as a unit in the line (a marked span: UAX #9 isolate).
    Isolate(Direction),
    IsolateEnd,
    /// The text up to [`Piece::LinkEnd`] links to this address.
    LinkStart(String),
    LinkEnd,
    /// The mark of note `index` (not part of the plain text).
    Note {
        text: String,
        style: Style,
        index: usize,
    },
}

/// How lines meet the margins.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LineAlign {
    Justify,
    Left,
    Center,
}

/// A paragraph to set.
#[derive(Debug, Clone)]
pub struct Para {
    pub pieces: Vec<Piece>,
    pub size: f64,
    pub measure: f64,
    pub indent: f64,
    pub align: LineAlign,
    pub hyphenate: bool,
    /// The paragraph's base direction: a right-to-left paragraph is set
    /// flush right (justified or ragged), its indent on the right.
    pub direction: Direction,
    /// Phrases whose spaces never break (participants' names in display
    /// lines: "Hon-Sing / Wong" is never set).
    pub keep: Vec<String>,
}

/// Glyphs of one face, size and baseline within a line; `x` of each glyph
/// is from the start of the line.
#[derive(Debug, Clone, PartialEq)]
pub struct GlyphRun {
    pub face: FaceId,
    pub size: f64,
    pub rise: f64,
    pub glyphs: Vec<(u16, f64)>,
}

/// How the text of a run is read back (copy, search, `pdftotext`).
///
/// A cluster of several glyphs (a letter and its marks, a letter drawn as
/// two glyphs), or one whose glyphs do not map back to its text, or with a
/// glyph off the baseline, is read as its text (/ActualText) over its
/// whole width on the baseline: readers take a span's place from its
/// first and last glyph and split words at a gap or a change of baseline,
/// so the span opens and closes with an invisible copy of its leftmost
/// and rightmost glyph on the baseline, the visible glyphs between.
#[derive(Debug, Clone, PartialEq, Default)]
pub enum Extract {
    /// Through the font's ToUnicode map.
    #[default]
    Glyphs,
    /// Invisible, opening a span read as this text.
    Begin(String),
    /// Invisible, closing the span.
    End,
    /// Invisible, read back normally.
    Hidden,
    /// Visible, read back as nothing.
    Silent,
}

/// How far (in points) a glyph may sit off the baseline and still be read
/// as part of its word (`pdftotext` splits words beyond half a point).
const OFF_BASELINE: f64 = 0.45;

/// A set line.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct SetLine {
    pub runs: Vec<GlyphRun>,
    /// How each run's text is read back; empty when all are
    /// [`Extract::Glyphs`].
    pub extract: Vec<Extract>,
    /// Where the content ends (the natural width for ragged lines).
    pub width: f64,
    /// Characters of the block's plain text before this line.
    pub start_char: usize,
    pub hyphenated: bool,
    /// Notes referenced on this line (indices into the document's notes).
    pub notes: Vec<usize>,
    /// Linked stretches of the line: start and end x, and the address.
    pub links: Vec<(f64, f64, String)>,
    /// The adjustment ratio (for checks: below -1 is overfull).
    pub ratio: f64,
}

struct Span {
    start: usize,
    end: usize,
    style: Style,
    counts: bool,
    plain_start: usize,
    is_break: bool,
    /// A bidi isolate control (not drawn).
    control: bool,
    note: Option<usize>,
    /// Index into the paragraph's link addresses.
    link: Option<usize>,
}

#[derive(Clone, Copy)]
struct Glyph {
    shaped: ShapedGlyph,
    size: f64,
    rise: f64,
}

#[derive(Clone, Copy)]
enum Source {
    Glyphs(usize, usize),
    Hyphen(Glyph),
    /// The letter-spacing glue of the box after it ([`push_box`]).
    Letters,
    Nothing,
}

/// Where a word may break: a hyphenation point, or (in a long run) after
/// a separator or anywhere with a mark; byte offsets in the word.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Cut {
    Point(Breakpoint),
    Separator(usize),
    Anywhere(usize),
}

impl Cut {
    fn offset(&self) -> usize {
        match *self {
            Cut::Point(p) => p.offset,
            Cut::Separator(k) | Cut::Anywhere(k) => k,
        }
    }
}

/// The cuts of a long run: its own points (a URL's slashes); in a piece
/// between them still wider than [`LONG_RUN`] of the measure (0.6 when
/// it has points), a break
/// after each separator (a row of one sign breaks between any two, but
/// `//` stays whole); in a piece still wider than most of the measure, a
/// break at every character. `width(a, b)` measures `word[a..b]`.
fn long_run_cuts(word: &str, points: &[Cut], width: impl Fn(usize, usize) -> f64, measure: f64) -> Vec<Cut> {
    let mut cuts: std::collections::BTreeMap<usize, Cut> = points.iter().map(|c| (c.offset(), *c)).collect();
    let pieces = |cuts: &std::collections::BTreeMap<usize, Cut>| {
        let mut bounds: Vec<usize> = std::iter::once(0).chain(cuts.keys().copied()).collect();
        bounds.push(word.len());
        bounds.windows(2).map(|w| (w[0], w[1])).collect::<Vec<_>>()
    };
    // A URL's pieces between slashes break further only when wide (a
    // break at its hyphen reads as part of the address).
    let wide = if cuts.is_empty() { LONG_RUN } else { 0.6 };
    for (a, b) in pieces(&cuts) {
        if width(a, b) <= measure * wide {
            continue;
        }
        for (k, c) in word[a..b].char_indices() {
            let after = a + k + c.len_utf8();
            let separator = matches!(
                c,
                '/' | '-'
                    | '_'
                    | '.'
                    | '?'
                    | '&'
                    | '='
                    | '+'
                    | '#'
                    | ':'
                    | ';'
                    | ','
                    | '|'
                    | '\\'
                    | '~'
                    | '@'
                    | '%'
                    | '*'
            );
            let row = word[after..].starts_with(c);
            let slashes = c == '/' && row;
            if separator && after < b && !slashes {
                cuts.entry(after).or_insert(Cut::Separator(after));
            }
        }
    }
    // Never inside Arabic or Hebrew letters (a cut breaks their joining;
    // such a word in a narrow table column is set whole).
    for (a, b) in pieces(&cuts) {
        if width(a, b) > measure * 0.9 && !word[a..b].chars().any(no_hyphens) {
            for (k, _) in word[a..b].char_indices().skip(1) {
                cuts.entry(a + k).or_insert(Cut::Anywhere(a + k));
            }
        }
    }
    cuts.into_values().collect()
}

/// Before a break inside a long run: stretch that only a line ending
/// there keeps (TeX's ragged-right trick; [`ragged_close`] cancels it),
/// behind a penalty so that the glue itself is no break.
fn ragged_open(items: &mut Vec<Item>, sources: &mut Vec<Source>, em: f64) -> f64 {
    let stretch = 3.0 * em;
    items.push(Item::no_break());
    sources.push(Source::Nothing);
    items.push(Item::glue(0.0, stretch, 0.0));
    sources.push(Source::Nothing);
    stretch
}

fn ragged_close(items: &mut Vec<Item>, sources: &mut Vec<Source>, stretch: f64) {
    items.push(Item::glue(0.0, -stretch, 0.0));
    sources.push(Source::Nothing);
}

/// Articles, prepositions and conjunctions (English, French, German,
/// Spanish, Italian, Portuguese) that a display line never ends on.
fn is_function_word(word: &str) -> bool {
    const WORDS: &[&str] = &[
        "a", "an", "the", "of", "in", "on", "at", "to", "for", "with", "by", "from", "into", "onto", "upon",
        "as", "and", "or", "nor", "but", "&", "le", "la", "les", "l’", "un", "une", "des", "de", "du", "et",
        "à", "au", "aux", "en", "pour", "par", "avec", "der", "die", "das", "ein", "eine", "und", "mit",
        "von", "zu", "für", "el", "los", "las", "una", "y", "del", "con", "por", "para", "il", "lo", "gli",
        "e", "di", "da", "per", "o", "os", "as", "um", "uma", "do", "dos", "com",
    ];
    let word = word.trim_start_matches(['“', '‘', '"', '(']);
    word.chars().count() <= 5
        && WORDS.iter().any(|w| w.eq_ignore_ascii_case(word) || word.to_lowercase() == *w)
}

/// Whether a box's letters may be spaced out: Latin, Greek and Cyrillic
/// faces. Joined scripts (Arabic) and CJK are never letter-spaced, nor is
/// code.
fn letter_spaced(part: &[Glyph]) -> bool {
    part.iter().all(|g| {
        matches!(g.shaped.face, FaceId::Regular | FaceId::Italic | FaceId::Bold | FaceId::BoldItalic)
    })
}

/// The gaps between letters a box brings to its line: between its own
/// letters, and the one before its first when it continues a word (a
/// syllable after a hyphenation point).
fn letter_gaps(part: &[Glyph], continues_word: bool) -> usize {
    let letters = part.iter().filter(|g| g.shaped.advance > 0.0).count();
    if letters == 0 { 0 } else { letters - 1 + usize::from(continues_word) }
}

/// A box of glyphs `a..b`; in a justified paragraph of spaced scripts,
/// after a glue of letter-spacing stretch for its gaps (not a break: it
/// follows no box, or a penalty that forbids one). The glue only lets the
/// breaker count the stretch: placement spreads a line's letter-spacing
/// evenly over all its gaps ([`spread_letters`]), the first word's too,
/// whose glue is discarded with the break before it.
fn push_box(
    items: &mut Vec<Item>,
    sources: &mut Vec<Source>,
    glyphs: &[Glyph],
    (a, b): (usize, usize),
    letters: bool,
    continues_word: bool,
    em: f64,
) {
    let part = &glyphs[a..b];
    let width = part.iter().map(|g| g.shaped.advance).sum();
    let gaps = letter_gaps(part, continues_word);
    if letters && gaps > 0 && letter_spaced(part) {
        if matches!(items.last(), Some(Item::Box { .. })) {
            items.push(Item::no_break());
            sources.push(Source::Nothing);
        }
        let size = part.first().map_or(em, |g| g.size);
        items.push(Item::glue(0.0, gaps as f64 * LETTER_STRETCH * size, 0.0));
        sources.push(Source::Letters);
    }
    items.push(Item::Box { width });
    sources.push(Source::Glyphs(a, b));
}

/// The letter-spacing of a line, per gap: what its letter glues stretch,
/// spread evenly over every gap between the letters of its spaced words.
fn spread_letters(line: &Line, items: &[Item], sources: &[Source], glyphs: &[Glyph], ratio: f64) -> f64 {
    let (mut extra, mut gaps, mut in_word) = (0.0, 0, false);
    for n in line.start..line.end {
        match (items[n], sources[n]) {
            (Item::Glue { width, stretch, shrink }, Source::Letters) => {
                extra += linebreak::glue_width(width, stretch, shrink, ratio);
            }
            (Item::Glue { .. }, _) => in_word = false,
            (Item::Box { .. }, Source::Glyphs(a, b)) => {
                let part = &glyphs[a..b];
                let spaced = letter_spaced(part);
                if spaced {
                    gaps += letter_gaps(part, in_word);
                }
                in_word = spaced;
            }
            _ => {}
        }
    }
    if gaps == 0 { 0.0 } else { extra / gaps as f64 }
}

/// The most lines a centred block may have to be balanced as display lines.
const MAX_BALANCED_LINES: usize = 8;

/// Display lines balanced, as a typographer breaks a title: the narrowest
/// measure that sets them in as many lines, with no more breaks after an
/// article or a preposition (found by halving, a dozen settings at most).
fn balance(items: &[Item], lines: Vec<Line>, measure: f64, params: &Params) -> Vec<Line> {
    let dear = |lines: &[Line]| {
        lines
            .iter()
            .filter(|l| matches!(items.get(l.end), Some(Item::Penalty { cost, .. }) if *cost >= DISPLAY_FUNCTION_WORD_PENALTY))
            .count()
    };
    let (count, dear_breaks) = (lines.len(), dear(&lines));
    let (mut low, mut high, mut best) = (0.0, measure, lines);
    for _ in 0..12 {
        let mid = (low + high) / 2.0;
        let tried = break_lines(items, &|_| mid, params);
        if tried.len() <= count && tried.iter().all(|l| l.ratio >= -1.0) && dear(&tried) <= dear_breaks {
            (high, best) = (mid, tried);
        } else {
            low = mid;
        }
        if high - low < 0.5 {
            break;
        }
    }
    best
}

/// Break `para` into lines.
pub fn compose(shaper: &Shaper, para: &Para, hyphenator: &WordBreaks) -> Vec<SetLine> {
    // Flatten the pieces into one text with spans.
    let mut text = String::new();
    let mut spans = Vec::new();
    let mut plain = 0;
    let mut urls: Vec<String> = Vec::new();
    let mut link: Option<usize> = None;
    for piece in &para.pieces {
        let start = text.len();
        match piece {
            Piece::Text { text: t, style, counts } => {
                // A tab is a space here (same length, so offsets hold).
                text.extend(t.chars().map(|c| if c == '\t' { ' ' } else { c }));
                spans.push(Span {
                    start,
                    end: text.len(),
                    style: *style,
                    counts: *counts,
                    plain_start: plain,
                    is_break: false,
                    control: false,
                    note: None,
                    link,
                });
                if *counts {
                    plain += t.chars().count();
                }
            }
            Piece::Break => {
                text.push('\n');
                let style = Style::new(FaceId::Regular);
                spans.push(Span {
                    start,
                    end: text.len(),
                    style,
                    counts: true,
                    plain_start: plain,
                    is_break: true,
                    control: false,
                    note: None,
                    link,
                });
                plain += 1;
            }
            Piece::Note { text: t, style, index } => {
                text.push_str(t);
                spans.push(Span {
                    start,
                    end: text.len(),
                    style: *style,
                    counts: false,
                    plain_start: plain,
                    is_break: false,
                    control: false,
                    note: Some(*index),
                    link,
                });
            }
            Piece::LinkStart(url) => {
                urls.push(url.clone());
                link = Some(urls.len() - 1);
            }
            Piece::LinkEnd => link = None,
            Piece::Isolate(_) | Piece::IsolateEnd => {
                text.push(match piece {
                    Piece::Isolate(Direction::Rtl) => '\u{2067}',
                    Piece::Isolate(Direction::Ltr) => '\u{2066}',
                    _ => '\u{2069}',
                });
                spans.push(Span {
                    start,
                    end: text.len(),
                    style: Style::new(FaceId::Regular),
                    counts: false,
                    plain_start: plain,
                    is_break: false,
                    control: true,
                    note: None,
                    link,
                });
            }
        }
    }
    // The bidi levels, when the paragraph is right to left or has
    // right-to-left text; runs of one level in logical order.
    let rtl = para.direction == Direction::Rtl;
    let bidi = (rtl || has_rtl(&text)).then(|| bidi::Paragraph::new(&text, para.direction));
    let mut levels: Vec<bidi::Run> = bidi.as_ref().map_or_else(Vec::new, |b| b.runs(0..text.len()));
    levels.sort_by_key(|r| r.range.start);
    // Shape each span, per level run.
    let mut glyphs: Vec<Glyph> = Vec::new();
    let mut scratch = Vec::new();
    for span in spans.iter().filter(|s| !s.is_break && !s.control) {
        let size = para.size * span.style.scale;
        scratch.clear();
        let style = (span.style.face, span.style.features, size);
        let mut a = span.start;
        while a < span.end {
            let run = levels.iter().find(|r| r.range.contains(&a));
            let b = run.map_or(span.end, |r| r.range.end.min(span.end));
            let shaping = Shaping { rtl: run.is_some_and(bidi::Run::is_rtl), lang: span.style.lang };
            shaper.shape_as(&text[a..b], a, style, shaping, &mut scratch);
            a = b;
        }
        let rise = span.style.rise * para.size;
        glyphs.extend(scratch.iter().map(|&shaped| Glyph { shaped, size, rise }));
    }
    let glyph_at = |offset: usize| glyphs.partition_point(|g| g.shaped.cluster < offset);
    let width_of = |a: usize, b: usize| glyphs[a..b].iter().map(|g| g.shaped.advance).sum::<f64>();

    let mut items: Vec<Item> = Vec::new();
    let mut sources: Vec<Source> = Vec::new();
    if para.indent > 0.0 {
        items.push(Item::Box { width: para.indent });
        sources.push(Source::Nothing);
    }
    let em = para.size;
    let fill = para.measure;
    let bytes = text.as_bytes();
    // Where the kept phrases (names) stand: their spaces do not break.
    let kept: Vec<(usize, usize)> = para
        .keep
        .iter()
        .filter(|k| k.contains(' '))
        .flat_map(|k| text.match_indices(k.as_str()).map(|(at, m)| (at, at + m.len())))
        .collect();
    let letters = para.align == LineAlign::Justify;
    // The word before the space being set (display lines do not break after
    // an article or a preposition).
    let mut previous_word = 0..0;
    let mut i = 0;
    while i < text.len() {
        let c = text[i..].chars().next().unwrap_or(' ');
        if c == '\n' && spans.iter().any(|s| s.is_break && s.start == i) {
            end_line(&mut items, &mut sources, fill);
            i += 1;
            continue;
        }
        if c == ' ' || c == '\t' || c == '\n' {
            let mut j = i;
            while j < text.len() && matches!(bytes[j], b' ' | b'\t' | b'\n') && !is_break_at(&spans, j) {
                j += 1;
            }
            let (a, b) = (glyph_at(i), glyph_at(j));
            let width = width_of(a, b).max(em * 0.2);
            if matches!(items.last(), Some(Item::Box { .. })) {
                let source = Source::Glyphs(a, b);
                if kept.iter().any(|&(s, e)| s < i && j < e) {
                    // Inside a name: a space that never breaks.
                    items.push(Item::no_break());
                    sources.push(Source::Nothing);
                    let (stretch, shrink) = if letters { (width * 0.5, width * 0.4) } else { (0.0, 0.0) };
                    items.push(Item::glue(width, stretch, shrink));
                    sources.push(source);
                } else {
                    let cost = if para.align == LineAlign::Center
                        && is_function_word(&text[previous_word.clone()])
                    {
                        DISPLAY_FUNCTION_WORD_PENALTY
                    } else {
                        0.0
                    };
                    push_space(&mut items, &mut sources, para.align, width, em, source, cost);
                }
            }
            i = j;
            continue;
        }
        // A word: up to the next space or break.
        let mut j = i;
        while j < text.len() {
            let c = text[j..].chars().next().unwrap_or(' ');
            if c == ' ' || c == '\t' || c == '\n' {
                break;
            }
            j += c.len_utf8();
        }
        previous_word = i..j;
        let word = &text[i..j];
        // No hyphenation in Arabic script, Hebrew or CJK; CJK text breaks
        // between characters (where kinsoku allows), with a little stretch.
        let unspaced = !word.is_ascii() && word.chars().any(|c| c >= '\u{1100}' && segment::is_cjk(c));
        let hyphenates = para.hyphenate && (word.is_ascii() || !word.chars().any(no_hyphens));
        let mut points = if hyphenates { hyphenator.breakpoints(word) } else { Vec::new() };
        if unspaced {
            points = segment::opportunities(word)
                .into_iter()
                .filter(|o| !o.mandatory)
                .map(|o| Breakpoint { offset: o.offset, kind: BreakKind::Explicit })
                .collect();
        }
        // House rule: names (capitalised words) break at their own hyphens,
        // and elsewhere only as a last resort.
        let name = word.chars().find(|c| c.is_alphabetic()).is_some_and(char::is_uppercase);
        let hyphen_penalty = if name { NAME_HYPHEN_PENALTY } else { HYPHEN_PENALTY };
        // Paths and URLs may break after a slash (no hyphen is added).
        if points.is_empty() && !unspaced && word.contains('/') {
            let slashes = word.match_indices('/').map(|(k, _)| k + 1);
            points = slashes
                .filter(|&k| k < word.len() && !word[k..].starts_with('/'))
                .map(|offset| Breakpoint { offset, kind: BreakKind::Explicit })
                .collect();
        }
        let mut cuts: Vec<Cut> = points.iter().map(|p| Cut::Point(*p)).collect();
        // A long run that hyphenation cannot break (a URL, a path, a row of
        // `+`) breaks at its own separators, and what is still wider than
        // the measure between them breaks anywhere, with a visible mark.
        let (first, last) = (glyph_at(i), glyph_at(j));
        if !unspaced && width_of(first, last) > para.measure * LONG_RUN {
            cuts =
                long_run_cuts(word, &cuts, |a, b| width_of(glyph_at(i + a), glyph_at(i + b)), para.measure);
        }
        let mut from = first;
        for cut in cuts {
            let at = i + cut.offset();
            let k = glyph_at(at);
            // Only at a cluster boundary (not inside a ligature).
            if k <= from || k >= glyphs.len() || glyphs[k].shaped.cluster != at {
                continue;
            }
            push_box(&mut items, &mut sources, &glyphs, (from, k), letters, from != first, em);
            let before = glyphs[k - 1];
            let marked = |c: char, cost: f64, items: &mut Vec<Item>, sources: &mut Vec<Source>, flagged| {
                let mark = shaper.char_glyph(before.shaped.face, c, before.size);
                let width = mark.map_or(before.size * 0.3, |h| h.advance);
                items.push(Item::Penalty { width, cost, flagged });
                let glyph = Glyph {
                    shaped: mark
                        .map_or(before.shaped, |h| ShapedGlyph { cluster: before.shaped.cluster, ..h }),
                    size: before.size,
                    rise: before.rise,
                };
                sources.push(if mark.is_some() { Source::Hyphen(glyph) } else { Source::Nothing });
            };
            match cut {
                _ if unspaced => push_gap(&mut items, &mut sources, para.align, em),
                Cut::Point(Breakpoint { kind: BreakKind::Hyphen, .. }) => {
                    marked('-', hyphen_penalty, &mut items, &mut sources, true);
                }
                Cut::Point(Breakpoint { kind: BreakKind::Explicit, .. }) => {
                    items.push(Item::Penalty { width: 0.0, cost: HYPHEN_PENALTY, flagged: true });
                    sources.push(Source::Nothing);
                }
                // Not hyphens (a long URL may need many breaks in a row),
                // and ragged: a line ending inside a run may fall short.
                Cut::Separator(_) => {
                    let stretch = ragged_open(&mut items, &mut sources, em);
                    items.push(Item::Penalty { width: 0.0, cost: SEPARATOR_PENALTY, flagged: false });
                    sources.push(Source::Nothing);
                    ragged_close(&mut items, &mut sources, stretch);
                }
                Cut::Anywhere(_) => {
                    let stretch = ragged_open(&mut items, &mut sources, em);
                    marked(CUT_MARK, CUT_PENALTY, &mut items, &mut sources, false);
                    ragged_close(&mut items, &mut sources, stretch);
                }
            }
            from = k;
        }
        if last > from {
            push_box(&mut items, &mut sources, &glyphs, (from, last), letters, from != first, em);
        }
        i = j;
    }
    end_line(&mut items, &mut sources, fill);

    let params = match para.align {
        LineAlign::Justify => {
            Params { runt_width: RUNT_EMS * em, runt_demerits: RUNT_DEMERITS, ..Params::default() }
        }
        _ => Params { tolerance: 10.0, ..Params::default() },
    };
    let measure = para.measure;
    let mut lines = break_lines(&items, &|_| measure, &params);
    // Balanced only when it is a display line (a title of a few lines):
    // a centred block longer than that is set as it broke, at no cost.
    if para.align == LineAlign::Center && (2..=MAX_BALANCED_LINES).contains(&lines.len()) {
        lines = balance(&items, lines, measure, &params);
    }

    // The plain-text character at a byte offset. Lines come in order, so
    // the count goes on from the last line's start within a span:
    // recounting from the span's start made a one-span paragraph quadratic.
    let mut cursor: Option<(usize, usize, usize)> = None; // (span, byte, chars since its start)
    let mut plain_at = |byte: usize| -> usize {
        let n = spans.partition_point(|s| s.end <= byte).min(spans.len().saturating_sub(1));
        match spans.get(n) {
            Some(s) if s.counts && !s.is_break => {
                let byte = byte.max(s.start);
                let (from, counted) = match cursor {
                    Some((m, b, c)) if m == n && b <= byte => (b, c),
                    _ => (s.start, 0),
                };
                let counted = counted + text[from..byte].chars().count();
                cursor = Some((n, byte, counted));
                s.plain_start + counted
            }
            Some(s) => s.plain_start,
            None => plain,
        }
    };

    let mut out = Vec::with_capacity(lines.len());
    for line in &lines {
        let ends_paragraph =
            matches!(items.get(line.end), Some(Item::Penalty { cost, .. }) if *cost <= -INFINITY);
        let ratio = if ends_paragraph && line.ratio > 0.0 { 0.0 } else { line.ratio.max(-1.0) };
        let mut x = 0.0;
        let mut placed: Vec<(Glyph, f64)> = Vec::new();
        let mut first_cluster = None;
        let each = if letters { spread_letters(line, &items, &sources, &glyphs, ratio) } else { 0.0 };
        // Whether the last box was a spaced word's, with no space since.
        let mut in_word = false;
        for n in line.start..line.end {
            match (items[n], sources[n]) {
                // Spread by `each` instead.
                (Item::Glue { .. }, Source::Letters) => {}
                (Item::Box { width }, source) => {
                    if let Source::Glyphs(a, b) = source {
                        first_cluster.get_or_insert_with(|| glyphs.get(a).map(|g| g.shaped.cluster));
                        let part = &glyphs[a..b];
                        let spaced = letters && letter_spaced(part);
                        // A letter takes `each` before it unless it starts a word.
                        let mut starts = !in_word;
                        for g in part {
                            if spaced && g.shaped.advance > 0.0 {
                                if !starts {
                                    x += each;
                                }
                                starts = false;
                            }
                            placed.push((*g, x));
                            x += g.shaped.advance;
                        }
                        in_word = spaced;
                    } else {
                        x += width;
                    }
                }
                (Item::Glue { width, stretch, shrink }, source) => {
                    if let Source::Glyphs(a, b) = source {
                        // A word's space takes its letter-spacing too: the
                        // space is not seen, and the PDF's spacing then
                        // needs no number before it.
                        let mut gx = if in_word { x + each } else { x };
                        for g in &glyphs[a..b] {
                            placed.push((*g, gx));
                            gx += g.shaped.advance;
                        }
                    }
                    x += linebreak::glue_width(width, stretch, shrink, ratio);
                    in_word = false;
                }
                (Item::Penalty { .. }, _) => {}
            }
        }
        // Trailing glue and spaces do not count for a ragged line's width.
        let mut width = placed.last().map_or(0.0, |(g, gx)| gx + g.shaped.advance);
        while let Some((g, _)) = placed.last() {
            if text[g.shaped.cluster..].starts_with([' ', '\t', '\n']) {
                placed.pop();
                width = placed.last().map_or(0.0, |(g, gx)| gx + g.shaped.advance);
            } else {
                break;
            }
        }
        if let Some(bidi) = &bidi {
            if let (true, Some(Source::Hyphen(h))) = (line.hyphenated, sources.get(line.end)) {
                placed.push((*h, width));
            }
            let first_line = out.is_empty();
            let indent = if first_line && para.indent > 0.0 { para.indent } else { 0.0 };
            width = visual_order(&mut placed, bidi, &text, if rtl { 0.0 } else { indent });
            if rtl && para.align != LineAlign::Center {
                // Flush right, the indent on the right.
                let shift = para.measure - indent - width;
                for (_, gx) in &mut placed {
                    *gx += shift;
                }
                width += shift;
            }
        }
        let mut links: Vec<(f64, f64, String)> = Vec::new();
        if !urls.is_empty() {
            let mut current: Option<(usize, f64, f64)> = None;
            for (g, gx) in &placed {
                let n = spans.partition_point(|s| s.end <= g.shaped.cluster);
                let here = spans.get(n).and_then(|s| s.link);
                match (current, here) {
                    (Some((u, x0, _)), Some(h)) if u == h => current = Some((u, x0, gx + g.shaped.advance)),
                    _ => {
                        if let Some((u, x0, x1)) = current.take() {
                            links.push((x0, x1, urls[u].clone()));
                        }
                        current = here.map(|u| (u, *gx, gx + g.shaped.advance));
                    }
                }
            }
            if let Some((u, x0, x1)) = current {
                links.push((x0, x1, urls[u].clone()));
            }
        }
        if let (None, true, Some(Source::Hyphen(h))) = (&bidi, line.hyphenated, sources.get(line.end)) {
            placed.push((*h, width));
            width += h.shaped.advance;
        }
        let mut runs: Vec<GlyphRun> = Vec::new();
        let mut extract: Vec<Extract> = Vec::new();
        let mut n = 0;
        while n < placed.len() {
            let (g, gx) = placed[n];
            let cluster = g.shaped.cluster;
            let alone = placed.get(n + 1).is_none_or(|(h, _)| h.shaped.cluster != cluster);
            if alone && !g.shaped.actual && g.shaped.dx == 0.0 && g.shaped.dy == 0.0 {
                // The common case: one glyph, on its pen, reading as its text.
                let plain = extract.last().is_none_or(|e| *e == Extract::Glyphs);
                match runs.last_mut() {
                    Some(r) if plain && r.face == g.shaped.face && r.size == g.size && r.rise == g.rise => {
                        r.glyphs.push((g.shaped.id, gx));
                    }
                    _ => {
                        runs.push(GlyphRun {
                            face: g.shaped.face,
                            size: g.size,
                            rise: g.rise,
                            glyphs: vec![(g.shaped.id, gx)],
                        });
                        if !extract.is_empty() {
                            extract.push(Extract::Glyphs);
                        }
                    }
                }
                n += 1;
                continue;
            }
            let count = placed[n..].iter().take_while(|(h, _)| h.shaped.cluster == cluster).count();
            let group = &placed[n..n + count];
            // A letter moved in its slot (Amiri spaces out a waw this way)
            // leaves a gap readers take for a space, as does one off the baseline.
            let moved = |h: &Glyph| h.shaped.advance > 0.0 && h.shaped.dx.abs() > OFF_BASELINE;
            let span =
                group.iter().any(|(h, _)| h.shaped.actual || moved(h) || h.shaped.dy.abs() > OFF_BASELINE);
            let marks = count > 1 && group.iter().any(|(h, _)| h.shaped.advance == 0.0);
            if marks && !group.iter().any(|(h, _)| h.shaped.actual || moved(h)) {
                // Marks: read back from an invisible copy on the baseline at
                // the cluster's end in visual order (its left in right-to-left
                // text: readers reorder it to follow its letter); the
                // visible mark, placed by the font, reads as nothing.
                let rtl =
                    text[cluster..].chars().next().and_then(bidi::char_direction) == Some(Direction::Rtl);
                let at = if rtl {
                    group.iter().map(|(_, hx)| *hx).fold(f64::INFINITY, f64::min)
                } else {
                    group.iter().map(|(h, hx)| hx + h.shaped.advance).fold(f64::NEG_INFINITY, f64::max)
                };
                let hidden: Vec<GlyphRun> = group
                    .iter()
                    .filter(|(h, _)| h.shaped.advance == 0.0)
                    .map(|(h, _)| GlyphRun {
                        face: h.shaped.face,
                        size: h.size,
                        rise: h.rise,
                        glyphs: vec![(h.shaped.id, at)],
                    })
                    .collect();
                extract.resize(runs.len(), Extract::Glyphs);
                if rtl {
                    extract.extend(hidden.iter().map(|_| Extract::Hidden));
                    runs.extend(hidden.iter().cloned());
                }
                for &(h, hx) in group {
                    if h.shaped.advance == 0.0 {
                        runs.push(GlyphRun {
                            face: h.shaped.face,
                            size: h.size,
                            rise: h.rise + h.shaped.dy,
                            glyphs: vec![(h.shaped.id, hx + h.shaped.dx)],
                        });
                        extract.push(Extract::Silent);
                    } else {
                        push_glyph(&mut runs, &mut extract, h, hx);
                    }
                }
                if !rtl {
                    extract.extend(hidden.iter().map(|_| Extract::Hidden));
                    runs.extend(hidden);
                }
            } else if span {
                // Read back as the cluster's text, over its width, on the baseline.
                let next = glyphs.partition_point(|h| h.shaped.cluster <= cluster);
                let end = glyphs.get(next).map_or(text.len(), |h| h.shaped.cluster);
                let said = text.get(cluster..end).unwrap_or("").trim_end().to_string();
                let (mut left, mut right) = (group[0], group[0]);
                for &(h, hx) in group {
                    if hx < left.1 {
                        left = (h, hx);
                    }
                    if hx + h.shaped.advance > right.1 + right.0.shaped.advance {
                        right = (h, hx);
                    }
                }
                extract.resize(runs.len(), Extract::Glyphs);
                // The left copy at the slot's start, the right one ending at
                // the slot's end (a moved letter's advance grew by its offset).
                let copy = |(h, hx): (Glyph, f64)| GlyphRun {
                    face: h.shaped.face,
                    size: h.size,
                    rise: h.rise,
                    glyphs: vec![(h.shaped.id, hx)],
                };
                runs.push(copy(left));
                extract.push(Extract::Begin(said));
                for &(h, hx) in group {
                    push_glyph(&mut runs, &mut extract, h, hx);
                }
                let shift = if moved(&right.0) { right.0.shaped.dx } else { 0.0 };
                runs.push(copy((right.0, right.1 + shift)));
                extract.push(Extract::End);
            } else {
                for &(h, hx) in group {
                    push_glyph(&mut runs, &mut extract, h, hx);
                }
            }
            n += count;
        }
        if !extract.is_empty() {
            extract.resize(runs.len(), Extract::Glyphs);
        }
        let start_char = first_cluster.flatten().map_or(plain, &mut plain_at);
        let mut notes = Vec::new();
        if spans.iter().any(|s| s.note.is_some()) {
            for (a, b) in line_glyph_ranges(&items[line.start..line.end], &sources[line.start..line.end]) {
                for g in &glyphs[a..b] {
                    let n = spans.partition_point(|s| s.end <= g.shaped.cluster);
                    if let Some(index) = spans.get(n).and_then(|s| s.note).filter(|i| !notes.contains(i)) {
                        notes.push(index);
                    }
                }
            }
        }
        out.push(SetLine {
            runs,
            extract,
            width,
            start_char,
            hyphenated: line.hyphenated,
            notes,
            links,
            ratio: line.ratio,
        });
    }
    out
}

/// Add a glyph to a line's runs: to the last run when that is a plain run
/// of the same face, size and baseline. Marks and cursive joins sit off
/// the pen (a raised glyph is a run of its own: a run has one baseline).
fn push_glyph(runs: &mut Vec<GlyphRun>, extract: &mut Vec<Extract>, g: Glyph, gx: f64) {
    let (x, rise) = (gx + g.shaped.dx, g.rise + g.shaped.dy);
    let plain = extract.last().is_none_or(|e| *e == Extract::Glyphs);
    match runs.last_mut() {
        Some(r) if plain && r.face == g.shaped.face && r.size == g.size && r.rise == rise => {
            r.glyphs.push((g.shaped.id, x));
        }
        _ => {
            runs.push(GlyphRun { face: g.shaped.face, size: g.size, rise, glyphs: vec![(g.shaped.id, x)] });
            if !extract.is_empty() {
                extract.push(Extract::Glyphs);
            }
        }
    }
}

/// Whether `text` has right-to-left letters (none below U+0590).
fn has_rtl(text: &str) -> bool {
    !text.is_ascii()
        && text.chars().any(|c| c >= '\u{590}' && bidi::char_direction(c) == Some(Direction::Rtl))
}

/// Whether a character's script is not hyphenated (Arabic script, Hebrew, CJK).
fn no_hyphens(c: char) -> bool {
    c >= '\u{590}'
        && matches!(class_of(c), Some(ScriptClass::Arabic | ScriptClass::Hebrew | ScriptClass::Cjk))
}

/// Put a line's glyphs, placed left to right in logical order (pens, with
/// the justified spaces between them), in visual order: the line's bidi
/// runs left to right, a right-to-left run's glyphs from its right edge
/// (each glyph keeps the space after it, now on its left), in the order
/// they are seen, so that the PDF's text reads as on the page. Starts at
/// `x0`; returns the line's width (its right end).
fn visual_order(placed: &mut Vec<(Glyph, f64)>, bidi: &bidi::Paragraph, text: &str, x0: f64) -> f64 {
    let (Some(first), Some(last)) = (placed.first(), placed.last()) else { return x0 };
    let start = first.0.shaped.cluster;
    let end_at = last.0.shaped.cluster;
    let end = end_at + text[end_at..].chars().next().map_or(0, char::len_utf8);
    // Each glyph's advance and the space after it (to the next pen).
    let slots: Vec<(f64, f64)> = placed
        .iter()
        .enumerate()
        .map(|(n, (g, gx))| {
            let after = placed.get(n + 1).map_or(0.0, |(_, next)| next - gx - g.shaped.advance);
            (g.shaped.advance, after)
        })
        .collect();
    let mut out: Vec<(Glyph, f64)> = Vec::with_capacity(placed.len());
    let mut x = x0;
    for run in bidi.runs(start..end) {
        let lo = placed.partition_point(|(g, _)| g.shaped.cluster < run.range.start);
        let hi = placed.partition_point(|(g, _)| g.shaped.cluster < run.range.end);
        if lo >= hi {
            continue;
        }
        let total: f64 = slots[lo..hi].iter().map(|(a, s)| a + s).sum();
        if run.is_rtl() {
            let from = out.len();
            let mut right = x + total;
            for n in lo..hi {
                right -= slots[n].0;
                out.push((placed[n].0, right));
                right -= slots[n].1;
            }
            out[from..].reverse();
        } else {
            let mut px = x;
            for n in lo..hi {
                out.push((placed[n].0, px));
                px += slots[n].0 + slots[n].1;
            }
        }
        x += total;
    }
    if out.len() == placed.len() {
        *placed = out;
    }
    // The last slot's space is zero: the width is where the content ends.
    x
}

/// The glyph ranges of the boxes among `items`.
fn line_glyph_ranges(items: &[Item], sources: &[Source]) -> Vec<(usize, usize)> {
    items
        .iter()
        .zip(sources)
        .filter_map(|(item, source)| match (item, source) {
            (Item::Box { .. }, Source::Glyphs(a, b)) => Some((*a, *b)),
            _ => None,
        })
        .collect()
}

fn is_break_at(spans: &[Span], byte: usize) -> bool {
    spans.iter().any(|s| s.is_break && s.start == byte)
}

/// An interword space: stretchable glue when justifying; for ragged
/// lines, TeX's trick of glue, a break, and glue that cancels the stretch,
/// so every line may fall short and spaces keep their width. Breaking
/// here costs `cost`.
fn push_space(
    items: &mut Vec<Item>,
    sources: &mut Vec<Source>,
    align: LineAlign,
    width: f64,
    em: f64,
    source: Source,
    cost: f64,
) {
    match align {
        LineAlign::Justify => {
            if cost != 0.0 {
                // The break is the penalty's (glue after a penalty is none).
                items.push(Item::Penalty { width: 0.0, cost, flagged: false });
                sources.push(Source::Nothing);
            }
            // Stretch by half a space, shrink by 40% (TeX: a third): a little
            // more shrink gives fewer hyphens and looser lines on narrow pages.
            items.push(Item::glue(width, width * 0.5, width * 0.4));
            sources.push(source);
        }
        LineAlign::Left | LineAlign::Center => {
            let stretch = 3.0 * em;
            items.push(Item::glue(0.0, stretch, 0.0));
            sources.push(Source::Nothing);
            items.push(Item::Penalty { width: 0.0, cost, flagged: false });
            sources.push(Source::Nothing);
            items.push(Item::glue(width, -stretch, 0.0));
            sources.push(source);
        }
    }
}

/// A break between CJK characters: no width, a little stretch when
/// justifying (spread over a line's characters), none to shrink (the
/// characters would touch); for ragged lines, a break with no space.
fn push_gap(items: &mut Vec<Item>, sources: &mut Vec<Source>, align: LineAlign, em: f64) {
    match align {
        LineAlign::Justify => {
            items.push(Item::glue(0.0, em * 0.15, 0.0));
            sources.push(Source::Nothing);
        }
        LineAlign::Left | LineAlign::Center => {
            push_space(items, sources, align, 0.0, em, Source::Nothing, 0.0)
        }
    }
}

/// End a line (hard break or paragraph end), keeping sources in step.
fn end_line(items: &mut Vec<Item>, sources: &mut Vec<Source>, fill: f64) {
    let before = items.len();
    linebreak::line_break(items, fill);
    sources.truncate(before.min(sources.len()));
    if items.len() < before + 3 {
        // A trailing glue was dropped.
        sources.truncate(items.len() - 3);
    }
    while sources.len() < items.len() {
        sources.push(Source::Nothing);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::backend::pdf::{Fonts, Lang, Shaping};

    const TEXT: &str = "This past year we have witnessed a series of grassroots and popular uprisings \
        around the world; some new, some part of decades-long battles for liberation. In this roundtable \
        conducted in early spring 2020, the participants talk about different social movements around \
        the world and the challenges of cross-borders solidarity, especially for leftists in the West.";

    fn para(align: LineAlign, measure: f64) -> Para {
        let style = Style::new(FaceId::Regular);
        Para {
            pieces: vec![Piece::Text { text: TEXT.into(), style, counts: true }],
            size: 10.0,
            measure,
            indent: 12.0,
            align,
            hyphenate: true,
            direction: Direction::Ltr,
            keep: Vec::new(),
        }
    }

    fn end(line: &SetLine) -> f64 {
        line.width
    }

    #[test]
    fn justified_lines_fill_the_measure_and_the_last_is_natural() {
        let fonts = Fonts::bundled();
        let shaper = Shaper::new(&fonts).unwrap();
        let breaks = WordBreaks::new(Hyphenator::for_language("en"));
        // 25 em, about the measure of the A6 layout.
        let lines = compose(&shaper, &para(LineAlign::Justify, 250.0), &breaks);
        assert!(lines.len() >= 5);
        for line in &lines[..lines.len() - 1] {
            assert!((end(line) - 250.0).abs() < 0.05, "line ends at {}", end(line));
            assert!(line.ratio.abs() <= 2.0, "ratio {}", line.ratio);
        }
        assert!(end(lines.last().unwrap()) < 250.0);
        let mut run = 0;
        for line in &lines {
            run = if line.hyphenated { run + 1 } else { 0 };
            assert!(run <= 2, "more than two hyphens in a row");
        }
    }

    /// Names are hyphenated only as a last resort: on the pocket measure
    /// this bio left 3× word spaces while "Wageningen" and "University"
    /// could not break.
    #[test]
    fn names_break_rather_than_leave_rivers() {
        let fonts = Fonts::bundled();
        let shaper = Shaper::new(&fonts).unwrap();
        let breaks = WordBreaks::new(Hyphenator::for_language("en"));
        let mut p = para(LineAlign::Justify, 241.0);
        p.size = 9.0;
        p.indent = 0.0;
        p.pieces = vec![Piece::Text {
            text: "Sardar Saadi is a SSHRC postdoctoral fellow at Wageningen University. He recently \
                   graduated from his PhD program in Anthropology at the University of Toronto."
                .into(),
            style: Style::new(FaceId::Regular),
            counts: true,
        }];
        let lines = compose(&shaper, &p, &breaks);
        for line in &lines[..lines.len() - 1] {
            assert!(line.ratio <= 2.0, "ratio {} in {lines:?}", line.ratio);
        }
    }

    #[test]
    fn line_starts_count_plain_text_characters() {
        let fonts = Fonts::bundled();
        let shaper = Shaper::new(&fonts).unwrap();
        let breaks = WordBreaks::new(Hyphenator::for_language("en"));
        let mut p = para(LineAlign::Justify, 180.0);
        // A speaker's name before the text is not part of the block's text.
        p.pieces.insert(
            0,
            Piece::Text { text: "Edward: ".into(), style: Style::new(FaceId::Bold), counts: false },
        );
        let lines = compose(&shaper, &p, &breaks);
        assert_eq!(lines[0].start_char, 0);
        let chars: Vec<char> = TEXT.chars().collect();
        for line in &lines[1..] {
            // Each line starts at a word (or after a hyphen break inside one).
            let at = line.start_char;
            assert!(at > 0 && at < chars.len());
            assert!(chars[at - 1] == ' ' || chars[at - 1].is_alphabetic() || chars[at - 1] == '-', "{at}");
        }
        let starts: Vec<usize> = lines.iter().map(|l| l.start_char).collect();
        assert!(starts.windows(2).all(|w| w[0] < w[1]));
    }

    #[test]
    fn ragged_lines_keep_natural_spaces_within_the_measure() {
        let fonts = Fonts::bundled();
        let shaper = Shaper::new(&fonts).unwrap();
        let breaks = WordBreaks::new(Hyphenator::for_language("en"));
        let lines = compose(&shaper, &para(LineAlign::Left, 200.0), &breaks);
        let justified = compose(&shaper, &para(LineAlign::Justify, 200.0), &breaks);
        for line in &lines {
            assert!(end(line) <= 200.05, "overfull ragged line: {}", end(line));
        }
        // Spaces keep their width: ragged lines are not all full.
        assert!(lines.iter().filter(|l| end(l) < 195.0).count() >= 2);
        assert!(lines.len() >= justified.len());
    }

    #[test]
    fn ligatures_and_kerning_come_from_the_font() {
        let fonts = Fonts::bundled();
        let shaper = Shaper::new(&fonts).unwrap();
        let mut glyphs = Vec::new();
        shaper.shape("office", 0, FaceId::Regular, Features::default(), 10.0, &mut glyphs);
        assert!(glyphs.len() < 6, "the ffi ligature makes fewer glyphs than letters");
        let (plain, kerned) = (
            shaper.width("A", FaceId::Regular, Features::default(), 10.0)
                + shaper.width("V", FaceId::Regular, Features::default(), 10.0),
            shaper.width("AV", FaceId::Regular, Features::default(), 10.0),
        );
        assert!(kerned < plain, "AV is kerned");
        let (used, _) = shaper.finish();
        assert!(used[FaceId::Regular.index()].values().any(|t| t == "ffi"), "the ligature copies as ffi");
    }

    fn glyph_xs(line: &SetLine, face: FaceId) -> Vec<(u16, f64)> {
        line.runs.iter().filter(|r| r.face == face).flat_map(|r| r.glyphs.iter().copied()).collect()
    }

    #[test]
    fn right_to_left_text_is_flush_right_in_visual_order() {
        let fonts = Fonts::bundled();
        let shaper = Shaper::new(&fonts).unwrap();
        let breaks = WordBreaks::new(Hyphenator::for_language("fa"));
        let para = |pieces: Vec<Piece>, direction| Para {
            pieces,
            size: 10.0,
            measure: 200.0,
            indent: 12.0,
            align: LineAlign::Justify,
            hyphenate: true,
            direction,
            keep: Vec::new(),
        };
        let text = |t: &str| Piece::Text { text: t.into(), style: Style::new(FaceId::Regular), counts: true };
        // A short Persian paragraph: one line, flush right with the indent on the right.
        let lines = compose(&shaper, &para(vec![text("انجام شد.")], Direction::Rtl), &breaks);
        assert_eq!(lines.len(), 1);
        let xs = glyph_xs(&lines[0], FaceId::Arabic);
        let right = lines[0].runs.iter().flat_map(|r| r.glyphs.iter().map(|g| g.1)).fold(0.0, f64::max);
        assert!((lines[0].width - 188.0).abs() < 0.01 && right < 188.0 && right > 180.0, "{right}");
        // The full stop ends the sentence: it is the leftmost glyph.
        let mut shaped = Vec::new();
        let rtl = Shaping { rtl: true, lang: Lang::new("fa") };
        shaper.shape_as("شد.", 0, (FaceId::Arabic, Features::default(), 10.0), rtl, &mut shaped);
        let stop = shaped.last().unwrap().id;
        let leftmost = xs.iter().min_by(|a, b| a.1.total_cmp(&b.1)).unwrap();
        assert_eq!(leftmost.0, stop, "{xs:?}");
        // The same sentence marked inside an English paragraph is isolated:
        // its full stop stays on its left, not after it on the right.
        let pieces = vec![
            text("In spring 2020: "),
            Piece::Isolate(Direction::Rtl),
            text("انجام شد."),
            Piece::IsolateEnd,
        ];
        let lines = compose(&shaper, &para(pieces, Direction::Ltr), &breaks);
        let xs = glyph_xs(&lines[0], FaceId::Arabic);
        let leftmost = xs.iter().min_by(|a, b| a.1.total_cmp(&b.1)).unwrap();
        assert_eq!(leftmost.0, stop, "{xs:?}");
        // The English comes first, on the left; the Persian ends the line.
        let latin = glyph_xs(&lines[0], FaceId::Regular);
        let (first, last) = (latin[0].1, xs.iter().map(|a| a.1).fold(0.0, f64::max));
        assert!(xs.iter().all(|a| a.1 > first) && latin.iter().all(|l| l.1 < last));
    }

    #[test]
    fn cjk_breaks_between_characters_never_before_closing_punctuation() {
        let fonts = Fonts::bundled();
        let shaper = Shaper::new(&fonts).unwrap();
        let breaks = WordBreaks::new(Hyphenator::for_language("zh"));
        // Measured without a CJK font (blank advances are zero), the breaks
        // still come from UAX #14 and kinsoku: use Latin-free text that
        // the body font has (full-width forms are not), so set a narrow
        // measure over ideographs shaped by whatever face has them.
        let text = "目前的抗爭運動始於二〇一九年三月，起因是香港政府試圖通過《逃犯條例》修訂草案。";
        let p = Para {
            pieces: vec![Piece::Text { text: text.into(), style: Style::new(FaceId::Regular), counts: true }],
            size: 10.0,
            measure: 60.0,
            indent: 0.0,
            align: LineAlign::Justify,
            hyphenate: true,
            direction: Direction::Ltr,
            keep: Vec::new(),
        };
        let lines = compose(&shaper, &p, &breaks);
        let chars: Vec<char> = text.chars().collect();
        for line in &lines[1..] {
            let first = chars[line.start_char];
            assert!(!crate::typeset::segment::no_line_start(first), "a line starts with {first}");
            assert!(!line.hyphenated);
        }
    }

    fn one_style(text: &str, measure: f64, align: LineAlign) -> Para {
        Para {
            pieces: vec![Piece::Text { text: text.into(), style: Style::new(FaceId::Regular), counts: true }],
            size: 10.0,
            measure,
            indent: 0.0,
            align,
            hyphenate: true,
            direction: Direction::Ltr,
            keep: Vec::new(),
        }
    }

    /// The plain text of each line (line starts count characters).
    fn line_texts(text: &str, lines: &[SetLine]) -> Vec<String> {
        let chars: Vec<char> = text.chars().collect();
        let mut starts: Vec<usize> = lines.iter().map(|l| l.start_char).collect();
        starts.push(chars.len());
        starts.windows(2).map(|w| chars[w[0]..w[1]].iter().collect::<String>().trim().to_string()).collect()
    }

    /// A row of `+`, a long path and a word with no separator at all never
    /// run past the measure, nor leave a line spaced out around them.
    #[test]
    fn long_runs_break_inside_the_measure() {
        let fonts = Fonts::bundled();
        let shaper = Shaper::new(&fonts).unwrap();
        let breaks = WordBreaks::new(Hyphenator::for_language("en"));
        let plus = "+".repeat(120);
        let word = "x".repeat(150);
        for run in
            [plus.as_str(), "/usr/local/share/fonts/truetype/libertine/LinLibertine_R.otf", word.as_str()]
        {
            let text = format!("The table was drawn as {run} and then the talk went on to other things.");
            let lines = compose(&shaper, &one_style(&text, 180.0, LineAlign::Justify), &breaks);
            for line in &lines {
                assert!(line.width <= 180.05, "a line of {} pt in {run}", line.width);
                assert!(line.ratio >= -1.0 && line.ratio <= 2.0, "ratio {} in {run}", line.ratio);
            }
        }
        // The cut with no separator shows a mark: one glyph more than the text.
        let text = format!("a {word} b");
        let lines = compose(&shaper, &one_style(&text, 180.0, LineAlign::Justify), &breaks);
        let glyphs: usize = lines.iter().flat_map(|l| &l.runs).map(|r| r.glyphs.len()).sum();
        assert!(lines.len() >= 2 && glyphs > 152, "{} lines, {glyphs} glyphs", lines.len());
    }

    /// Display lines: balanced, never ending on an article or preposition,
    /// never breaking a participant's name.
    #[test]
    fn display_lines_break_as_a_typographer_would() {
        let fonts = Fonts::bundled();
        let shaper = Shaper::new(&fonts).unwrap();
        let breaks = WordBreaks::new(Hyphenator::for_language("en"));
        let subtitle = "A Roundtable with Edward Hon-Sing Wong, Sardar Saadi, and Niloofar Golkar";
        let names = ["Edward Hon-Sing Wong", "Sardar Saadi", "Niloofar Golkar"];
        for measure in [150.0, 180.0, 220.0, 260.0, 300.0] {
            let mut para = one_style(subtitle, measure, LineAlign::Center);
            para.keep = names.iter().map(|n| n.to_string()).collect();
            let lines = compose(&shaper, &para, &breaks);
            let texts = line_texts(subtitle, &lines);
            for t in &texts[..texts.len() - 1] {
                let last = t.split_whitespace().last().unwrap();
                assert!(!is_function_word(last), "a line ends on `{last}`: {texts:?}");
            }
            for name in names {
                assert!(texts.iter().any(|t| t.contains(name)), "{name} broken: {texts:?}");
            }
            // Balanced: no line much shorter than the others.
            let widths: Vec<f64> = lines.iter().map(|l| l.width).collect();
            let widest = widths.iter().copied().fold(0.0, f64::max);
            if lines.len() == 2 {
                assert!(widths.iter().all(|&w| w > widest * 0.6), "{texts:?} {widths:?}");
            }
        }
    }

    /// Justified lines spread part of their stretch over letters: on the
    /// pocket measure, word spaces stay closer to normal than without.
    #[test]
    fn letter_spacing_eases_word_spaces_within_a_bound() {
        let fonts = Fonts::bundled();
        let shaper = Shaper::new(&fonts).unwrap();
        let breaks = WordBreaks::new(Hyphenator::for_language("en"));
        let lines = compose(&shaper, &one_style(TEXT, 170.0, LineAlign::Justify), &breaks);
        for line in &lines[..lines.len() - 1] {
            assert!((line.width - 170.0).abs() < 0.05, "line ends at {}", line.width);
            // Within a word, no glyph is pushed more than the bound.
            for run in &line.runs {
                for pair in run.glyphs.windows(2) {
                    let gap = pair[1].1 - pair[0].1;
                    assert!(gap < 10.0 * 1.2, "{gap}");
                }
            }
        }
    }

    #[test]
    fn urls_break_after_slashes_not_inside_names() {
        let fonts = Fonts::bundled();
        let shaper = Shaper::new(&fonts).unwrap();
        let breaks = WordBreaks::new(Hyphenator::for_language("en"));
        let text =
            "See https://example.org/archive/2020/global-uprisings/roundtable/transcript for the text.";
        let p = Para {
            pieces: vec![Piece::Text { text: text.into(), style: Style::new(FaceId::Regular), counts: true }],
            size: 10.0,
            measure: 150.0,
            indent: 0.0,
            align: LineAlign::Justify,
            hyphenate: true,
            direction: Direction::Ltr,
            keep: Vec::new(),
        };
        let lines = compose(&shaper, &p, &breaks);
        assert!(lines.iter().all(|l| l.ratio >= -1.0), "no overfull line");
        let chars: Vec<char> = text.chars().collect();
        for line in &lines[1..] {
            let before = chars[line.start_char - 1];
            assert!(before == ' ' || before == '/', "a break after `{before}`");
        }
    }
}
