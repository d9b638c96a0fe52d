//! Paragraphs in display columns: inlines → words → boxes, glue and
//! penalties → optimal breaks ([`crate::typeset::linebreak`]) → lines whose
//! spaces are whole columns, the extra ones spread evenly along the line.

use std::borrow::Cow;
use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};
use std::ops::Range;

use unicode_segmentation::UnicodeSegmentation;
use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};

use crate::layout::Align;
use crate::model::{self, Inline};
use crate::typeset::linebreak::{self, INFINITY, Item, Line, Params};
use crate::typeset::{BreakKind, Breakpoint, Hyphenator, segment};

/// Shown at the end of a line where a word too wide for the measure was cut.
pub const CUT_MARKER: &str = "\\";

/// TeX's `\hyphenpenalty` and `\exhyphenpenalty`.
const HYPHEN_PENALTY: f64 = 50.0;
const EXPLICIT_PENALTY: f64 = 50.0;
/// Shorter words are not hyphenated (in bytes, so that the test is cheap):
/// in monospace a hyphen takes a whole column, and `peo-ple` reads badly.
const MIN_HYPHENATED: usize = 7;
/// Cutting a word too wide for the measure, anywhere (it has to be cut).
const CUT_PENALTY: f64 = 100.0;
/// Line breaking for whole-column spaces. A ratio of 1 doubles every space:
/// beyond that a monospace line looks gappy, so it is the tolerance (the
/// breaker loosens it by itself when a paragraph has no other solution).
const PARAMS: Params = Params { tolerance: 1.0, ..Params::DEFAULT };
/// The first try, without hyphenation, must do better than this: every
/// line's extra spaces at most this share of its spaces (TeX's
/// `\pretolerance`).
const PRETOLERANCE: Params = Params { tolerance: 0.85, ..PARAMS };
/// Ragged lines may fall short by this many columns without cost (TeX's
/// `\raggedright` uses a few ems of stretch).
const RAGGED_STRETCH: f64 = 6.0;

/// A paragraph as words, spaces and hard line breaks.
#[derive(Debug, Clone)]
pub enum Token {
    Word {
        /// Where the word is in [`Words::text`].
        range: Range<usize>,
        /// `None`: never hyphenated (code, URLs, labels).
        hyphenator: Option<Hyphenator>,
        /// The word holds `_` emphasis marks that must not stop hyphenation.
        markup: bool,
        /// Hyphenated by the paragraph's own language (not a span's), so its
        /// break points may be remembered for the next time it comes.
        common: bool,
    },
    Space,
    Break,
}

/// A paragraph's tokens and the text their words point into (one buffer
/// rather than a string per word).
#[derive(Debug, Clone, Default)]
pub struct Words {
    pub tokens: Vec<Token>,
    pub text: String,
}

impl Words {
    /// The words joined by single spaces.
    pub fn joined(&self) -> String {
        let mut out = String::with_capacity(self.text.len() + self.tokens.len());
        for token in &self.tokens {
            match token {
                Token::Word { range, .. } => out.push_str(&self.text[range.clone()]),
                Token::Space | Token::Break => out.push(' '),
            }
        }
        out
    }
}

/// Turns inlines into [`Token`]s: markup becomes plain-text conventions
/// (`_emphasis_`, `*strong*`, `[1]` note marks, `<url>` after link text).
pub struct Builder {
    ascii: bool,
    hyphenator: Option<Hyphenator>,
    tokens: Vec<Token>,
    text: String,
    /// The current word is `text[word_start..]`.
    word_start: usize,
    word_hyphenator: Option<Hyphenator>,
    markup: bool,
    /// The last character was transliterated to a syllable.
    syllable_space: bool,
    /// Depth of spans in another language.
    spans: usize,
    /// Notes referred to, in order of reference.
    pub notes: Vec<usize>,
    /// The digits note marks are written in.
    digits: &'static model::Words,
}

impl Builder {
    pub fn new(hyphenator: Option<Hyphenator>, ascii: bool) -> Builder {
        Builder {
            ascii,
            hyphenator,
            tokens: Vec::new(),
            text: String::new(),
            word_start: 0,
            word_hyphenator: None,
            markup: false,
            syllable_space: false,
            spans: 0,
            notes: Vec::new(),
            digits: model::Words::for_language("en"),
        }
    }

    /// Note marks in the digits of `words` (Persian `[۱]`).
    pub fn numbered_in(mut self, words: &'static model::Words) -> Builder {
        self.digits = words;
        self
    }

    /// A word that is never hyphenated (a speaker's label, a list marker).
    pub fn fixed_word(&mut self, text: &str) {
        let saved = self.hyphenator.take();
        self.text(text);
        self.end_word();
        self.hyphenator = saved;
    }

    pub fn text(&mut self, text: &str) {
        let mut rest = text;
        while !rest.is_empty() {
            // Runs of ordinary characters go in whole; the rest one by one.
            let special = rest.find(|c: char| is_space(c) || c.is_control() || (self.ascii && !c.is_ascii()));
            let (plain, tail) = rest.split_at(special.unwrap_or(rest.len()));
            if !plain.is_empty() {
                if self.syllable_space && plain.starts_with(char::is_alphanumeric) {
                    self.space();
                }
                self.syllable_space = false;
                self.push_str(plain);
            }
            let Some(c) = tail.chars().next() else { break };
            self.char(c);
            rest = &tail[c.len_utf8()..];
        }
    }

    fn push_str(&mut self, text: &str) {
        if self.text.len() == self.word_start {
            self.word_hyphenator = self.hyphenator;
            self.markup = false;
        }
        self.text.push_str(text);
    }

    fn char(&mut self, c: char) {
        if is_space(c) {
            self.space();
        } else if c.is_control() {
            // Nothing else is allowed in the output (form feeds are ours).
        } else if self.ascii && !c.is_ascii() && c != '\u{AD}' {
            // Syllables of transliterated scripts end in a space ("Bei "):
            // kept between letters, dropped before punctuation.
            let ascii = deunicode::deunicode_char(c).unwrap_or("?");
            let trimmed = ascii.trim_end();
            if self.syllable_space && trimmed.starts_with(char::is_alphanumeric) {
                self.space();
            }
            self.syllable_space = false;
            for a in trimmed.chars() {
                if is_space(a) { self.space() } else { self.push(a) }
            }
            self.syllable_space = trimmed.len() < ascii.len() && !trimmed.is_empty();
            return;
        } else {
            if self.syllable_space && c.is_alphanumeric() {
                self.space();
            }
            self.push(c);
        }
        self.syllable_space = false;
    }

    fn push(&mut self, c: char) {
        if self.text.len() == self.word_start {
            self.word_hyphenator = self.hyphenator;
            self.markup = false;
        }
        self.text.push(c);
    }

    /// Markup glued to the current (or next) word.
    fn mark(&mut self, mark: &str) {
        mark.chars().for_each(|c| self.push(c));
        self.markup |= mark.contains('_');
    }

    pub fn space(&mut self) {
        self.end_word();
        if !matches!(self.tokens.last(), None | Some(Token::Space | Token::Break)) {
            self.tokens.push(Token::Space);
        }
    }

    pub fn hard_break(&mut self) {
        self.end_word();
        if matches!(self.tokens.last(), Some(Token::Space)) {
            self.tokens.pop();
        }
        if !self.tokens.is_empty() {
            self.tokens.push(Token::Break);
        }
    }

    fn end_word(&mut self) {
        if self.text.len() > self.word_start {
            let range = self.word_start..self.text.len();
            self.word_start = self.text.len();
            let common = self.spans == 0 && !self.markup;
            self.tokens.push(Token::Word {
                range,
                hyphenator: self.word_hyphenator,
                markup: self.markup,
                common,
            });
        }
    }

    pub fn inlines(&mut self, inlines: &[Inline]) {
        for inline in inlines {
            match inline {
                Inline::Text(text) => self.text(text),
                Inline::Emphasis(content) => {
                    self.mark("_");
                    self.inlines(content);
                    self.mark("_");
                }
                Inline::Strong(content) => {
                    self.mark("*");
                    self.inlines(content);
                    self.mark("*");
                }
                Inline::Code(code) => {
                    let saved = self.hyphenator.take();
                    if self.text.len() == self.word_start {
                        self.word_hyphenator = None;
                    }
                    self.text(code);
                    self.hyphenator = saved;
                }
                // The address is shown (or not) by the layout's `links:`
                // before the text is set; a link whose text is its address
                // is one unhyphenated word.
                Inline::Link { url, content } if crate::model::addresses::shows_address(url, content) => {
                    let saved = self.hyphenator.take();
                    self.inlines(content);
                    self.hyphenator = saved;
                }
                Inline::Link { content, .. } => self.inlines(content),
                Inline::NoteRef(index) => {
                    let mark = format!("[{}]", self.digits.number(index + 1));
                    self.mark(&mark);
                    if !self.notes.contains(index) {
                        self.notes.push(*index);
                    }
                }
                Inline::LineBreak => self.hard_break(),
                Inline::Span { language, content, .. } => {
                    let saved = self.hyphenator;
                    if saved.is_some() {
                        self.hyphenator = Some(Hyphenator::for_language(language));
                    }
                    self.spans += 1;
                    self.inlines(content);
                    self.spans -= 1;
                    self.hyphenator = saved;
                }
            }
        }
    }

    pub fn finish(mut self) -> (Words, Vec<usize>) {
        self.end_word();
        while matches!(self.tokens.last(), Some(Token::Space | Token::Break)) {
            self.tokens.pop();
        }
        (Words { tokens: self.tokens, text: self.text }, self.notes)
    }
}

/// Where text too wide for `limit` columns may be cut: between grapheme
/// clusters, and inside a cluster that alone is `limit` wide or more (a
/// run of Hangul leading jamo is one cluster however long it is).
pub fn cut_points(text: &str, limit: usize) -> impl Iterator<Item = (usize, &str)> {
    text.grapheme_indices(true).flat_map(move |(i, g)| {
        let whole = (width(g) < limit).then_some((i, g));
        let split =
            whole.is_none().then(|| g.char_indices().map(move |(j, c)| (i + j, &g[j..j + c.len_utf8()])));
        whole.into_iter().chain(split.into_iter().flatten())
    })
}

/// Breakable white space; no-break spaces stay inside words.
fn is_space(c: char) -> bool {
    c.is_whitespace() && !matches!(c, '\u{A0}' | '\u{2007}' | '\u{202F}')
}

/// Display columns of a string: East Asian wide characters count 2,
/// combining marks 0.
pub fn width(text: &str) -> usize {
    // Printable ASCII (all that is left of it here) is one column a byte.
    if text.bytes().all(|b| (0x20..0x7F).contains(&b)) {
        text.len()
    } else {
        // unicode-width counts Arabic lam (or a Kurdish or other letter of
        // the lam group) + alef as one column, the ligature a shaping
        // renderer draws, but terminals give each letter its cell (the bidi
        // recommendations for terminals say a lam-alef ligature fills
        // both), so those letters are counted one by one. Only they are:
        // the rest keeps its sequences (an emoji ZWJ sequence is two
        // columns), so that a line is as wide as its parts.
        let mut total = 0;
        let mut start = 0;
        for (i, c) in text.char_indices() {
            if ('\u{644}'..='\u{8FF}').contains(&c) {
                total += UnicodeWidthStr::width(&text[start..i]) + UnicodeWidthChar::width(c).unwrap_or(0);
                start = i + c.len_utf8();
            }
        }
        total + UnicodeWidthStr::width(&text[start..])
    }
}

/// What setting remembers from one paragraph to the next: the break points
/// of words already seen in the document's language (words repeat, and
/// pattern matching is a good part of the work), and how many times words
/// wider than the measure had to be cut.
#[derive(Debug, Default)]
pub struct Memo {
    known: HashMap<String, Vec<Breakpoint>, BuildHasherDefault<Fnv>>,
    pub cuts: usize,
}

/// FNV-1a: words are short, and SipHash showed in profiles. (The keys are
/// the words of one document, so hash flooding is not a concern.)
#[derive(Debug)]
pub struct Fnv(u64);

impl Default for Fnv {
    fn default() -> Self {
        Fnv(0xcbf2_9ce4_8422_2325)
    }
}

impl Hasher for Fnv {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        for &byte in bytes {
            self.0 = (self.0 ^ u64::from(byte)).wrapping_mul(0x0100_0000_01b3);
        }
    }
}

/// What an item shows when set.
#[derive(Debug, Clone)]
enum Piece {
    Text(Range<usize>),
    /// An inter-word space (one column, plus any justification).
    Space,
    /// A break that shows this text at the end of its line when taken.
    Shown(&'static str),
    Nothing,
}

/// The items of one paragraph, with what each shows.
struct Setting {
    items: Vec<Item>,
    pieces: Vec<Piece>,
    text: String,
    measure: usize,
    align: Align,
}

impl Setting {
    /// The items of `words`; without `hyphens`, words break only where
    /// they hold a hyphen (a first, cheaper try).
    fn new(words: &Words, measure: usize, align: Align, mut hyphens: Option<&mut Memo>) -> Setting {
        let tokens = &words.tokens;
        let capacity = tokens.len() * 2 + 8;
        let mut s = Setting {
            items: Vec::with_capacity(capacity),
            pieces: Vec::with_capacity(capacity),
            text: String::with_capacity(words.text.len() + 8),
            measure,
            align,
        };
        let mut pending_space = false;
        for token in tokens {
            match token {
                Token::Word { range, hyphenator, markup, common } => {
                    let text = &words.text[range.clone()];
                    if pending_space && !s.items.is_empty() {
                        s.space();
                    }
                    pending_space = false;
                    let points: Cow<[Breakpoint]> = match (hyphenator, hyphens.as_deref_mut()) {
                        (Some(_), None) if text.contains('-') => Cow::Owned(explicit_breaks(text)),
                        (Some(h), Some(cache))
                            if (text.len() >= MIN_HYPHENATED && h.has_patterns())
                                || text.contains(['-', '\u{AD}']) =>
                        {
                            if *common {
                                if !cache.known.contains_key(text) {
                                    cache.known.insert(text.to_string(), h.breakpoints(text));
                                }
                                Cow::Borrowed(&cache.known[text])
                            } else if *markup {
                                // `_` would stop hyphenation; `*` has the same length.
                                Cow::Owned(h.breakpoints(&text.replace('_', "*")))
                            } else {
                                Cow::Owned(h.breakpoints(text))
                            }
                        }
                        _ => Cow::Borrowed(&[]),
                    };
                    s.word(text, &points);
                }
                Token::Space => pending_space = true,
                Token::Break => {
                    pending_space = false;
                    if !s.items.is_empty() {
                        linebreak::line_break(&mut s.items, measure as f64);
                        s.pieces.resize(s.items.len(), Piece::Nothing);
                    }
                }
            }
        }
        if !s.items.is_empty() {
            linebreak::finish(&mut s.items, measure as f64);
            s.pieces.resize(s.items.len(), Piece::Nothing);
        }
        s
    }

    fn push(&mut self, item: Item, piece: Piece) {
        self.items.push(item);
        self.pieces.push(piece);
    }

    fn space(&mut self) {
        match self.align {
            Align::Justify => self.push(Item::glue(1.0, 1.0, 0.0), Piece::Space),
            Align::Ragged => {
                // Knuth–Plass ragged right: the stretch is taken only at a break.
                self.push(Item::glue(0.0, RAGGED_STRETCH, 0.0), Piece::Nothing);
                self.push(Item::Penalty { width: 0.0, cost: 0.0, flagged: false }, Piece::Nothing);
                self.push(Item::glue(1.0, -RAGGED_STRETCH, 0.0), Piece::Space);
            }
        }
    }

    fn word(&mut self, word: &str, points: &[Breakpoint]) {
        let mut last = 0;
        for &point in points {
            if point.offset <= last
                || point.offset >= word.len()
                || !segment::grapheme_boundary(word, point.offset)
            {
                continue;
            }
            let fragment = &word[last..point.offset];
            match point.kind {
                BreakKind::Hyphen => {
                    self.fragment(fragment, self.measure - 1);
                    self.push(Item::hyphen(1.0, HYPHEN_PENALTY), Piece::Shown("-"));
                }
                BreakKind::Explicit => {
                    self.fragment(fragment, self.measure);
                    // A break after a hyphen counts as a hyphenated line end.
                    let flagged = fragment.ends_with(['-', '\u{2010}']);
                    let penalty = Item::Penalty { width: 0.0, cost: EXPLICIT_PENALTY, flagged };
                    self.push(penalty, Piece::Shown(""));
                }
            }
            last = point.offset;
        }
        self.fragment(&word[last..], self.measure);
    }

    /// Text without spaces. Lines may break where UAX #14 allows inside
    /// it, as between ideographs, except before closing and after opening
    /// punctuation (kinsoku), never inside a grapheme cluster
    /// ([`segment::opportunities`]); spaced scripts have no such breaks.
    fn fragment(&mut self, fragment: &str, limit: usize) {
        if !segment::breaks_between_characters(fragment) {
            return self.unbreakable(fragment, limit);
        }
        let mut run_start = 0;
        for opportunity in segment::opportunities(fragment) {
            self.unbreakable(&fragment[run_start..opportunity.offset], self.measure);
            // Stretch taken only at a break: lines of ideographs without
            // spaces need not fill the measure exactly (a wide character
            // may leave one column).
            self.push(Item::no_break(), Piece::Nothing);
            self.push(Item::glue(0.0, 1.0, 0.0), Piece::Nothing);
            self.push(Item::Penalty { width: 0.0, cost: 0.0, flagged: false }, Piece::Shown(""));
            self.push(Item::glue(0.0, -1.0, 0.0), Piece::Nothing);
            run_start = opportunity.offset;
        }
        self.unbreakable(&fragment[run_start..], limit);
    }

    /// Unbreakable text; wider than `limit` it may be cut between any two
    /// grapheme clusters, each cut shown by [`CUT_MARKER`].
    fn unbreakable(&mut self, fragment: &str, limit: usize) {
        let start = self.text.len();
        if fragment.contains('\u{AD}') {
            self.text.extend(fragment.chars().filter(|&c| c != '\u{AD}'));
        } else {
            self.text.push_str(fragment);
        }
        let end = self.text.len();
        let full = width(&self.text[start..end]);
        if full <= limit {
            self.push(Item::Box { width: full as f64 }, Piece::Text(start..end));
            return;
        }
        let clusters: Vec<(usize, usize)> =
            cut_points(&self.text[start..end], limit).map(|(i, g)| (start + i, width(g))).collect();
        for (n, &(i, w)) in clusters.iter().enumerate() {
            if n > 0 {
                // One column of stretch, taken only if the line is cut here,
                // so that a cut inside wide characters stays feasible.
                self.push(Item::no_break(), Piece::Nothing);
                self.push(Item::glue(0.0, 1.0, 0.0), Piece::Nothing);
                self.push(
                    Item::Penalty { width: 1.0, cost: CUT_PENALTY, flagged: false },
                    Piece::Shown(CUT_MARKER),
                );
                self.push(Item::glue(0.0, -1.0, 0.0), Piece::Nothing);
            }
            let next = clusters.get(n + 1).map_or(end, |c| c.0);
            self.push(Item::Box { width: w as f64 }, Piece::Text(i..next));
        }
    }

    fn natural_width(&self, line: &Line) -> usize {
        let mut total = 0;
        for (item, piece) in self.items[line.start..line.end].iter().zip(&self.pieces[line.start..line.end]) {
            match (item, piece) {
                (Item::Box { width }, _) => total += *width as usize,
                (_, Piece::Space) => total += 1,
                _ => {}
            }
        }
        if let Some(Piece::Shown(shown)) = self.pieces.get(line.end) {
            total += width(shown);
        }
        total
    }

    fn set_line(&self, line: &Line, justify: bool, mirror: bool, out: &mut String) {
        let range = line.start..line.end;
        let gaps = self.pieces[range.clone()].iter().filter(|p| matches!(p, Piece::Space)).count();
        let extra =
            if justify && gaps > 0 { self.measure.saturating_sub(self.natural_width(line)) } else { 0 };
        let (base, rest) = (extra.checked_div(gaps).unwrap_or(0), extra.checked_rem(gaps).unwrap_or(0));
        let mut gap = 0;
        for piece in &self.pieces[range] {
            match piece {
                Piece::Text(r) => out.push_str(&self.text[r.clone()]),
                Piece::Space => {
                    // Spread the remainder evenly (Bresenham, centred),
                    // mirrored on alternate lines so wide gaps do not line up.
                    let k = if mirror { gaps - 1 - gap } else { gap };
                    let more = ((2 * k + 2) * rest + gaps) / (2 * gaps) - (2 * k * rest + gaps) / (2 * gaps);
                    out.extend(std::iter::repeat_n(' ', 1 + base + more));
                    gap += 1;
                }
                Piece::Shown(_) | Piece::Nothing => {}
            }
        }
        if let Some(Piece::Shown(shown)) = self.pieces.get(line.end) {
            out.push_str(shown);
        }
    }

    fn lines(&self) -> Vec<Line> {
        let measure = self.measure as f64;
        let lines = linebreak::break_lines(&self.items, &|_| measure, &PARAMS);
        if lines.iter().all(|l| self.natural_width(l) <= self.measure) { lines } else { self.first_fit() }
    }

    /// A safety net that always fits: fill each line as far as it goes.
    /// Every box fits the measure with its break, so each line makes progress.
    fn first_fit(&self) -> Vec<Line> {
        let mut lines = Vec::new();
        let mut start = 0;
        let mut best: Option<usize> = None;
        let mut b = 0;
        while b < self.items.len() {
            let legal = match self.items[b] {
                Item::Penalty { cost, .. } => cost < INFINITY,
                Item::Glue { .. } => b > 0 && matches!(self.items[b - 1], Item::Box { .. }),
                Item::Box { .. } => false,
            };
            if legal {
                let line = Line { start, end: b, ratio: 0.0, hyphenated: false };
                let forced = matches!(self.items[b], Item::Penalty { cost, .. } if cost <= -INFINITY);
                let fits = self.natural_width(&line) <= self.measure;
                let end = if fits { (forced).then_some(b) } else { best.or(Some(b)) };
                if let Some(end) = end {
                    let hyphenated = matches!(self.items[end], Item::Penalty { flagged: true, .. });
                    lines.push(Line { start, end, ratio: 0.0, hyphenated });
                    start = skip_discardable(&self.items, end + 1);
                    best = None;
                    b = start;
                    continue;
                }
                best = Some(b);
            }
            b += 1;
        }
        lines
    }
}

/// The first item of a line after a break: glue and penalties are dropped.
fn skip_discardable(items: &[Item], mut i: usize) -> usize {
    while i < items.len() {
        match items[i] {
            Item::Box { .. } => break,
            Item::Penalty { cost, .. } if cost <= -INFINITY => break,
            _ => i += 1,
        }
    }
    i
}

/// Breaks after hyphens between letters, and no others.
fn explicit_breaks(word: &str) -> Vec<Breakpoint> {
    let mut points = Vec::new();
    let mut previous: Option<char> = None;
    for (i, c) in word.char_indices() {
        if c == '-'
            && previous.is_some_and(char::is_alphabetic)
            && word[i + 1..].chars().next().is_some_and(char::is_alphabetic)
        {
            points.push(Breakpoint { offset: i + 1, kind: BreakKind::Explicit });
        }
        previous = Some(c);
    }
    points
}

/// Set `tokens` in lines of `measure` columns. Justified lines are filled
/// to the measure with whole spaces; last lines (of the paragraph, or before
/// a hard break) stay ragged.
pub fn set(words: &Words, measure: usize, align: Align, cache: &mut Memo) -> Vec<String> {
    if words.tokens.len() <= MAX_TOKENS {
        return set_whole(words, measure, align, cache);
    }
    let mut out = Vec::new();
    let mut start = 0;
    while start < words.tokens.len() {
        let mut end = (start + MAX_TOKENS).min(words.tokens.len());
        if end < words.tokens.len() {
            // End the piece at a space in its second half, if there is one.
            let half = start + MAX_TOKENS / 2;
            if let Some(space) = words.tokens[half..end].iter().rposition(|t| matches!(t, Token::Space)) {
                end = half + space;
            }
        }
        out.extend(set_whole(&words.piece(start..end), measure, align, cache));
        start = end;
        while matches!(words.tokens.get(start), Some(Token::Space)) {
            start += 1;
        }
    }
    out
}

/// Paragraphs of more tokens than this are set in pieces of at most this
/// many, each ending at a space: the line breaker keeps every feasible
/// break of a paragraph in memory, and a 10 MB paragraph would need more
/// than a gigabyte. Each piece's last line stays ragged; no real paragraph
/// (10,000 words) comes near this.
const MAX_TOKENS: usize = 20_000;

impl Words {
    /// Tokens `range`, with the text they point into.
    fn piece(&self, range: Range<usize>) -> Words {
        let tokens = &self.tokens[range];
        let ranges = || {
            tokens.iter().filter_map(|t| match t {
                Token::Word { range, .. } => Some(range.clone()),
                _ => None,
            })
        };
        let low = ranges().map(|r| r.start).min().unwrap_or(0);
        let high = ranges().map(|r| r.end).max().unwrap_or(0);
        let tokens = tokens
            .iter()
            .map(|t| match t {
                Token::Word { range, hyphenator, markup, common } => Token::Word {
                    range: range.start - low..range.end - low,
                    hyphenator: *hyphenator,
                    markup: *markup,
                    common: *common,
                },
                other => other.clone(),
            })
            .collect();
        Words { tokens, text: self.text[low..high].to_string() }
    }
}

fn set_whole(words: &Words, measure: usize, align: Align, cache: &mut Memo) -> Vec<String> {
    let measure = measure.max(2);
    // Like TeX, first without hyphenation: most paragraphs need none, and
    // finding hyphens is a good part of the work.
    let first = Setting::new(words, measure, align, None);
    if first.items.is_empty() {
        return Vec::new();
    }
    let within = linebreak::break_lines_within(&first.items, &|_| measure as f64, &PRETOLERANCE)
        .filter(|lines| lines.iter().all(|l| first.natural_width(l) <= measure));
    let (setting, lines) = match within {
        Some(lines) => (first, lines),
        None => {
            let setting = Setting::new(words, measure, align, Some(&mut *cache));
            let lines = setting.lines();
            (setting, lines)
        }
    };
    cache.cuts +=
        lines.iter().filter(|l| matches!(setting.pieces.get(l.end), Some(Piece::Shown(CUT_MARKER)))).count();
    let mut out = Vec::with_capacity(lines.len());
    for (n, line) in lines.iter().enumerate() {
        let ends_ragged = matches!(setting.items[line.end], Item::Penalty { cost, .. } if cost <= -INFINITY);
        let justify = align == Align::Justify && !ends_ragged;
        let mut text = String::with_capacity(measure + 8);
        setting.set_line(line, justify, n % 2 == 1, &mut text);
        out.push(text);
    }
    out
}

/// Set a plain-text paragraph (words separated by white space) in lines of
/// `width` columns, hyphenated for `language`: the text backend's line
/// setting on its own, for tests and other callers.
pub fn fill(text: &str, width: usize, language: &str, align: Align) -> Vec<String> {
    let mut builder = Builder::new(Some(Hyphenator::for_language(language)), false);
    builder.text(text);
    let (words, _) = builder.finish();
    set(&words, width, align, &mut Memo::default())
}

#[cfg(test)]
mod tests {
    use super::*;

    const TEXT: &str = "This past year we have witnessed a series of grassroots and popular \
        uprisings around the world; some new, some part of decades-long battles for liberation. \
        In this roundtable conducted in early spring 2020, Edward Hon-Sing Wong and Sardar Saadi \
        sat down with Upping the Anti editor Niloofar Golkar to talk about different social \
        movements around the world.";

    #[test]
    fn justified_lines_fill_the_measure_and_the_last_is_ragged() {
        let lines = fill(TEXT, 40, "en", Align::Justify);
        assert!(lines.len() > 4);
        for line in &lines[..lines.len() - 1] {
            assert_eq!(width(line), 40, "{line:?}");
        }
        assert!(width(lines.last().unwrap()) <= 40);
        assert!(!lines.last().unwrap().contains("  "));
    }

    #[test]
    fn extra_spaces_are_spread_not_piled_left() {
        let lines = fill(TEXT, 37, "en", Align::Justify);
        for line in &lines[..lines.len() - 1] {
            let runs: Vec<usize> =
                line.split(|c: char| c != ' ').filter(|s| !s.is_empty()).map(str::len).collect();
            let (min, max) = (runs.iter().min().unwrap(), runs.iter().max().unwrap());
            assert!(max - min <= 1, "uneven spaces in {line:?}");
            if runs.len() >= 4 && max > min {
                // The wide gaps are not all at the start.
                let first_narrow = runs.iter().position(|r| r == min).unwrap();
                let last_wide = runs.iter().rposition(|r| r == max).unwrap();
                assert!(last_wide > first_narrow, "wide gaps all at the left in {line:?}");
            }
        }
    }

    #[test]
    fn ragged_lines_have_single_spaces() {
        let lines = fill(TEXT, 30, "en", Align::Ragged);
        assert!(lines.iter().all(|l| width(l) <= 30 && !l.contains("  ")), "{lines:#?}");
    }

    #[test]
    fn a_word_wider_than_the_measure_is_cut_with_a_marker() {
        let long = "x".repeat(75);
        let lines = fill(&format!("a {long} b"), 20, "en", Align::Justify);
        assert!(lines.iter().all(|l| width(l) <= 20), "{lines:#?}");
        assert!(lines.iter().filter(|l| l.ends_with(CUT_MARKER)).count() >= 3);
        let joined: String = lines.iter().map(|l| l.trim_end_matches(CUT_MARKER)).collect();
        assert_eq!(joined.replace(' ', ""), format!("a{long}b"));
    }

    #[test]
    fn wide_characters_count_two_columns_and_clusters_stay_whole() {
        let text = "漢字漢字漢字漢字漢字漢字漢字漢字漢字漢字漢字漢字 e\u{301}e\u{301}e\u{301}e\u{301}e\u{301}e\u{301}e\u{301}e\u{301}e\u{301}e\u{301}e\u{301}e\u{301}e\u{301}e\u{301}e\u{301}e\u{301}e\u{301}e\u{301}e\u{301}e\u{301}e\u{301}";
        let lines = fill(text, 20, "en", Align::Justify);
        for line in &lines {
            assert!(width(line) <= 20, "{line:?}");
            assert!(!line.starts_with('\u{301}'), "a cluster was split: {lines:?}");
        }
    }

    #[test]
    fn lam_alef_counts_two_columns_as_in_a_terminal() {
        assert_eq!(width("لایحه\u{200C}ی"), 6);
        assert_eq!(width("انقلاب"), 6);
        assert_eq!(width("漢字 لا"), 7);
        // Kurdish Sorani's lam with a small v, before alef.
        assert_eq!(width("وەڵامی"), 6);
    }

    /// Found by fuzzing (text target): a two-column line holding an emoji
    /// ZWJ sequence in one cell and Persian in the other was measured with
    /// the per-letter rule as a whole (the emoji as 6 columns, not 2), so
    /// the page ran 4 columns past its width.
    #[test]
    fn a_line_is_as_wide_as_its_parts() {
        let family = "__\u{1F469}\u{200D}\u{1F469}\u{200D}\u{1F467}rk";
        let persian = "  [نیلوفر";
        assert_eq!(width(family), 6);
        assert_eq!(width(&format!("{family}{persian}")), width(family) + width(persian));
        let thai = "_\u{E01}\u{E34}xx\\\u{200E}";
        assert_eq!(width(&format!("{thai}{family}{persian}")), width(thai) + width(family) + width(persian));
    }

    #[test]
    fn ideographs_break_without_markers_but_not_before_closing_marks() {
        let text = "这是一个很长的回答，这是一个很长的回答。这是一个很长的回答，这是一个很长的回答。";
        let lines = fill(text, 20, "zh", Align::Justify);
        assert!(lines.len() >= 4, "{lines:?}");
        for line in &lines {
            assert!(width(line) <= 20 && !line.ends_with(CUT_MARKER), "{lines:?}");
            assert!(!line.starts_with(['，', '。']), "{lines:?}");
        }
        assert_eq!(lines.concat(), text);
    }

    #[test]
    fn emphasis_and_notes_become_plain_marks() {
        let mut b = Builder::new(Some(Hyphenator::for_language("en")), false);
        b.inlines(&[
            Inline::Text("a ".into()),
            Inline::Emphasis(vec![Inline::Text("very".into())]),
            Inline::Text(" word".into()),
            Inline::NoteRef(2),
        ]);
        let (tokens, notes) = b.finish();
        let lines = set(&tokens, 40, Align::Justify, &mut Memo::default());
        assert_eq!(lines, vec!["a _very_ word[3]".to_string()]);
        assert_eq!(notes, vec![2]);
    }

    #[test]
    fn ascii_mode_transliterates() {
        let mut b = Builder::new(None, true);
        b.text("“Erdoğan’s” bloodshed—the end…");
        let (tokens, _) = b.finish();
        let lines = set(&tokens, 60, Align::Justify, &mut Memo::default());
        assert_eq!(lines, vec!["\"Erdogan's\" bloodshed--the end...".to_string()]);
    }
}
