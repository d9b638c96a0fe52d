//! Settings of a PDF layout.

use std::path::PathBuf;

use serde::Deserialize;

use super::{Align, Format, Length};

/// A printed edition: page geometry, type sizes, page furniture.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct PdfLayout {
    // Read by the loader; repeated here so unknown keys are still caught.
    pub name: Option<String>,
    #[serde(default)]
    pub description: String,
    pub format: Format,

    pub page: PageSize,
    pub margins: Margins,
    pub body: BodyText,
    /// Title in the verso head, question in the recto head.
    #[serde(default = "yes")]
    pub running_heads: bool,
    /// The text begins on a recto (right-hand, odd) page: a blank verso
    /// is left after the title page when nothing else is printed there.
    #[serde(default = "yes")]
    pub recto_start: bool,
    /// A translation facing its original: versos the original, rectos
    /// the translation (built from a translation only).
    #[serde(default)]
    pub parallel: bool,
    /// A translation and its original back to back in one booklet, each
    /// from its own cover (tête-bêche; built from a translation only).
    #[serde(default)]
    pub head_to_foot: bool,
    /// Print the folio on the title page too.
    #[serde(default)]
    pub folio_on_title: bool,
    /// Notes at the foot of the page where they are referenced, or
    /// gathered at the end.
    #[serde(default)]
    pub notes: NotesPlacement,
    /// Where the participants' bios go.
    #[serde(default)]
    pub bios: BiosPlacement,
    /// How the interviewer's (or moderator's) turns are set apart.
    #[serde(default)]
    pub interviewer: InterviewerStyle,
    /// Pages placed on printer sheets (booklet, mini-zine, signatures,
    /// spreads); `None` prints one page per PDF page.
    #[serde(default)]
    pub imposition: Option<Imposition>,
    /// Bleed around each page: the MediaBox grows by bleed and slug, the
    /// TrimBox is the page and the BleedBox the trim plus bleed.
    #[serde(default)]
    pub bleed: Option<Length>,
    /// Crop marks (and fold or cut marks on imposed sheets) outside the trim.
    #[serde(default)]
    pub crop_marks: bool,
    /// `screen` keeps bookmarks; `print` drops them and sets text in black
    /// ink only (K), as print shops and risographs ask.
    #[serde(default)]
    pub variant: Variant,
    /// Font files replacing the bundled faces (paths, relative to the
    /// working folder).
    #[serde(default)]
    pub fonts: FontFiles,
    /// Print characters no font has as blanks, with a warning, instead of
    /// failing the build.
    #[serde(default)]
    pub allow_missing_glyphs: bool,
    /// How a link's address is printed: `note` (a numbered note, with the
    /// footnotes), `inline` (after the link's text) or `none`.
    #[serde(default)]
    pub links: crate::model::addresses::LinkAddresses,
    /// Make the wrap cover (back, spine, front on one sheet with bleed)
    /// instead of the text: its spine is as thick as the `interior`
    /// edition's pages on this paper.
    #[serde(default)]
    pub cover: Option<CoverSettings>,
    /// The risograph's drums (`variant: riso`), e.g. `[black,
    /// fluorescent-pink]`: each becomes a Separation colour space of that
    /// name (see [`INKS`]).
    #[serde(default)]
    pub inks: Vec<String>,
    /// Which ink each part is printed in (by default the first ink, and
    /// the second for headings, speaker labels, rules and the cover).
    #[serde(default)]
    pub ink_roles: InkRoles,
    /// One drum's master (`variant: riso`): only what `ink-roles` prints
    /// in this ink, in black and gray, on the same page geometry as the
    /// two-ink file: one grayscale PDF per drum.
    #[serde(default)]
    pub drum: Option<String>,

    // ---- read-along transcripts (issue 35) ----
    /// A QR code at the foot of the colophon pointing at the recording
    /// (the source's `audio-url:`), for readers of the print to listen.
    #[serde(default)]
    pub recording_qr: bool,
    /// Where a turn's time in the recording is printed: after the
    /// speaker's name (`inline`, the default) or in the outer margin
    /// beside the turn's first line (`margin`).
    #[serde(default)]
    pub timecodes: TimecodePlacement,
}

/// Where the PDF prints a turn's time in the recording.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum TimecodePlacement {
    #[default]
    Inline,
    Margin,
}

/// Parts of the page and the ink each is printed in (names from `inks`).
#[derive(Debug, Clone, PartialEq, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct InkRoles {
    pub body: Option<String>,
    pub headings: Option<String>,
    pub speakers: Option<String>,
    pub rules: Option<String>,
    pub pictures: Option<String>,
    pub cover: Option<String>,
}

/// Risograph inks mimeo knows, with a CMYK look-alike for the screen
/// (the Separation's alternate space): the drum colours of Riso's
/// standard range.
pub const INKS: &[(&str, [f64; 4])] = &[
    ("black", [0.0, 0.0, 0.0, 1.0]),
    ("fluorescent-pink", [0.0, 0.78, 0.0, 0.0]),
    ("fluorescent-orange", [0.0, 0.62, 0.85, 0.0]),
    ("red", [0.0, 0.9, 0.85, 0.05]),
    ("bright-red", [0.0, 0.95, 0.8, 0.0]),
    ("burgundy", [0.2, 1.0, 0.6, 0.35]),
    ("orange", [0.0, 0.6, 1.0, 0.0]),
    ("yellow", [0.0, 0.05, 1.0, 0.0]),
    ("green", [0.85, 0.0, 0.75, 0.1]),
    ("teal", [0.9, 0.1, 0.45, 0.1]),
    ("aqua", [0.6, 0.0, 0.2, 0.0]),
    ("blue", [1.0, 0.6, 0.0, 0.05]),
    ("medium-blue", [0.95, 0.55, 0.0, 0.1]),
    ("federal-blue", [1.0, 0.85, 0.1, 0.25]),
    ("purple", [0.65, 0.9, 0.0, 0.05]),
    ("violet", [0.55, 0.75, 0.0, 0.0]),
    ("gray", [0.0, 0.0, 0.0, 0.6]),
    ("metallic-gold", [0.2, 0.3, 0.75, 0.15]),
];

impl PdfLayout {
    /// Each role's ink, as an index into `inks`: `[body, headings,
    /// speakers, rules, pictures, cover]` (valid once `validate` passed).
    pub fn ink_of_roles(&self) -> [usize; 6] {
        let index = |name: &Option<String>, default: usize| {
            name.as_ref().and_then(|n| self.inks.iter().position(|i| i == n)).unwrap_or(default)
        };
        let accent = usize::from(self.inks.len() > 1);
        let r = &self.ink_roles;
        [
            index(&r.body, 0),
            index(&r.headings, accent),
            index(&r.speakers, accent),
            index(&r.rules, accent),
            index(&r.pictures, 0),
            index(&r.cover, accent),
        ]
    }
}

/// A wrap cover for a perfect-bound or saddle-stitched book.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct CoverSettings {
    /// The PDF layout of the book block (built-in name or file): its page
    /// count sets the spine width.
    pub interior: String,
    /// The paper the interior is printed on.
    pub paper: Paper,
    /// Binding side; by default from the document's direction.
    #[serde(default)]
    pub binding: Option<Binding>,
    /// The EAN-5 price add-on printed right of the ISBN barcode, e.g.
    /// `51500` (US$15.00) or `90000` (no price).
    #[serde(default)]
    pub price_code: Option<String>,
    /// Spines thinner than this get no text (a note says so).
    #[serde(default = "min_spine_text")]
    pub min_spine_text: Length,
    /// The front matter's `cover:` picture on the front: `framed`
    /// (between the title and the publisher), `full-bleed` (the whole
    /// front and its bleed, under the text) or `none`.
    #[serde(default)]
    pub picture: CoverPicture,
}

/// Where the cover's picture goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum CoverPicture {
    #[default]
    Framed,
    FullBleed,
    None,
}

fn min_spine_text() -> Length {
    Length::mm(5.0)
}

/// Paper thickness: the caliper of one leaf (two pages), pages per inch
/// (PPI) as paper merchants quote it, or a thickness per page as
/// print-on-demand services give their formulas (Amazon KDP: 0.002252in
/// white, 0.0025in cream); `spine-extra` is added to the spine (Lulu:
/// pages ÷ 444 + 0.06in).
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Paper {
    #[serde(default)]
    pub caliper: Option<Length>,
    #[serde(default)]
    pub pages_per_inch: Option<f64>,
    #[serde(default)]
    pub per_page: Option<Length>,
    #[serde(default)]
    pub spine_extra: Option<Length>,
}

impl Paper {
    /// The spine width in points of a book block of `pages` pages.
    pub fn spine(&self, pages: usize) -> f64 {
        let leaves = pages.div_ceil(2) as f64;
        let block = match (self.caliper, self.pages_per_inch, self.per_page) {
            (Some(caliper), _, _) => leaves * caliper.pt(),
            (None, Some(ppi), _) => pages as f64 / ppi * 72.0,
            (None, None, Some(per_page)) => pages as f64 * per_page.pt(),
            (None, None, None) => 0.0,
        };
        block + self.spine_extra.map_or(0.0, Length::pt)
    }
}

/// How pages go onto sheets.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Imposition {
    pub kind: ImpositionKind,
    /// The sheet (landscape); by default two pages side by side for
    /// booklets and spreads, four by two for the mini-zine.
    #[serde(default)]
    pub sheet: Option<PageSize>,
    /// Creep compensation: inner sheets' pages move toward the spine by
    /// this much per sheet.
    #[serde(default)]
    pub creep: Option<Length>,
    /// Pages per signature (a multiple of 4, e.g. 8 or 16), or `auto`:
    /// the size that leaves the fewest blank pages, for `signatures`.
    #[serde(default)]
    pub signature: SignatureSize,
    /// Binding side; by default from the document's direction.
    #[serde(default)]
    pub binding: Option<Binding>,

    // Keys of the n-up sheets and the multi-sheet mini-zine (issue #33).
    /// Pages (or copies) per sheet side, for `cut-stack`, `duplex-2up`
    /// and `copies`: 2 (side by side), 4 (two by two) or 8 (four by two).
    #[serde(default = "two")]
    pub up: usize,
    /// For single-sided printers: all fronts, then all backs in the order
    /// to feed them back, after a page of instructions.
    #[serde(default)]
    pub manual_duplex: bool,
    /// How close to the sheet's edge a mark or a page's ink may come
    /// (desktop printers clip the edge); closer ink is a warning.
    #[serde(default = "five_mm")]
    pub safe_margin: Length,
    /// Cut and fold guides in the gutters between the pages.
    #[serde(default = "yes")]
    pub guides: bool,
    /// A mini-zine longer than one sheet: `nested` (one zine, sheets
    /// folded and put inside each other) or `refuse` (an error).
    #[serde(default)]
    pub multi_sheet: MultiSheet,
}

fn two() -> usize {
    2
}

fn five_mm() -> Length {
    Length::mm(5.0)
}

/// Pages per signature: a number, or `auto`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SignatureSize {
    Pages(usize),
    Auto(AutoWord),
}

impl<'de> Deserialize<'de> for SignatureSize {
    // By hand, so that a wrong value says what is expected (an untagged
    // enum only says "no variant matched").
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Visitor;
        impl serde::de::Visitor<'_> for Visitor {
            type Value = SignatureSize;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a number of pages (a multiple of 4, e.g. 16) or `auto`")
            }
            fn visit_u64<E: serde::de::Error>(self, n: u64) -> Result<SignatureSize, E> {
                Ok(SignatureSize::Pages(usize::try_from(n).unwrap_or(usize::MAX)))
            }
            fn visit_str<E: serde::de::Error>(self, word: &str) -> Result<SignatureSize, E> {
                match word {
                    "auto" => Ok(SignatureSize::Auto(AutoWord::Auto)),
                    _ => Err(E::invalid_value(serde::de::Unexpected::Str(word), &self)),
                }
            }
        }
        deserializer.deserialize_any(Visitor)
    }
}

impl Default for SignatureSize {
    fn default() -> Self {
        SignatureSize::Pages(16)
    }
}

/// The word `auto`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AutoWord {
    Auto,
}

/// What a mini-zine does with more than eight pages.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum MultiSheet {
    #[default]
    Nested,
    Refuse,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ImpositionKind {
    /// Saddle-stitched booklet: two pages per side, duplex, fold, staple.
    Booklet,
    /// Eight pages on one side of a sheet, cut and folded.
    Minizine,
    /// Booklets of `signature` pages gathered for sewn or perfect binding.
    Signatures,
    /// Proof: two pages per sheet in reading order.
    Spreads,
    /// `up` pages a side, duplex; cut the stack, pile the piles: in order.
    CutStack,
    /// `up` pages a side, duplex, consecutive leaves on each sheet.
    #[serde(rename = "duplex-2up")]
    Duplex2Up,
    /// `up` copies of the same page on each side (flyers, handbills).
    Copies,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Binding {
    /// Left edge (left-to-right scripts).
    Left,
    /// Right edge (Persian, Arabic, Kurdish Sorani, Hebrew).
    Right,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Variant {
    #[default]
    Screen,
    Print,
    /// Spot colours for a risograph or offset press: one Separation per
    /// ink of `inks`, no process colour, no bookmarks.
    Riso,
}

/// Where notes are printed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum NotesPlacement {
    #[default]
    Footnotes,
    Endnotes,
}

/// Where the bios of the participants are printed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum BiosPlacement {
    /// On the back of the title page.
    #[default]
    TitleVerso,
    /// After the introduction, before the first question.
    AfterIntroduction,
    /// At the end, before the notes and colophon.
    End,
    /// Not printed.
    None,
}

/// How the turns of whoever asks the questions look.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum InterviewerStyle {
    /// The whole turn in italics: the magazine convention for short
    /// questions, heavy for an interviewer who also answers at length.
    Italic,
    /// The speaker's name in bold small caps, the text in roman: reads well
    /// in roundtables, where the moderator takes part.
    #[default]
    BoldName,
}

/// Font files for each face; unnamed faces use the bundled fonts
/// (Linux Libertine O, JetBrains Mono, Amiri for Arabic script) or, for
/// CJK, Noto CJK found on the system. A CJK collection (`.ttc`) gives the
/// face for the document's language (Traditional, Simplified, Japanese,
/// Korean).
#[derive(Debug, Clone, PartialEq, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct FontFiles {
    pub regular: Option<PathBuf>,
    pub italic: Option<PathBuf>,
    pub bold: Option<PathBuf>,
    pub bold_italic: Option<PathBuf>,
    pub mono: Option<PathBuf>,
    pub arabic: Option<PathBuf>,
    pub arabic_bold: Option<PathBuf>,
    pub cjk: Option<PathBuf>,
    pub cjk_bold: Option<PathBuf>,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PageSize {
    pub width: Length,
    pub height: Length,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Margins {
    pub top: Length,
    pub bottom: Length,
    /// The margin at the spine.
    pub inside: Length,
    pub outside: Length,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct BodyText {
    /// Type size of the body text.
    pub size: Length,
    /// Baseline to baseline.
    pub leading: Length,
    /// First-line indent of paragraphs that follow a paragraph (0 for
    /// spaced paragraphs).
    #[serde(default)]
    pub indent: Option<Length>,
    #[serde(default)]
    pub align: Align,
    /// Extra space between paragraphs (spaced paragraphs).
    #[serde(default)]
    pub paragraph_space: Option<Length>,
    /// Hyphenate by the document's language.
    #[serde(default = "yes")]
    pub hyphenate: bool,
}

fn yes() -> bool {
    true
}

impl PdfLayout {
    /// Values that parse but cannot work: `(field, reason)`.
    pub fn validate(&self) -> Result<(), (&'static str, String)> {
        let (w, h) = (self.page.width, self.page.height);
        for (field, length) in [("page.width", w), ("page.height", h)] {
            if !matches!(length, Length::Pt(pt) if (72.0..=14_400.0).contains(&pt)) {
                return Err((field, format!("{length} must be between 1in and 200in")));
            }
        }
        let m = &self.margins;
        for (field, length) in [
            ("margins.top", m.top),
            ("margins.bottom", m.bottom),
            ("margins.inside", m.inside),
            ("margins.outside", m.outside),
        ] {
            if !matches!(length, Length::Pt(pt) if pt >= 0.0) {
                return Err((field, format!("{length} must be a length of zero or more, not in em")));
            }
        }
        if m.inside.pt() + m.outside.pt() > w.pt() * 0.8 {
            return Err((
                "margins.inside",
                "the margins leave less than a fifth of the page width for text".into(),
            ));
        }
        if m.top.pt() + m.bottom.pt() > h.pt() * 0.8 {
            return Err((
                "margins.top",
                "the margins leave less than a fifth of the page height for text".into(),
            ));
        }
        if let Some(imposition) = &self.imposition {
            if let SignatureSize::Pages(n) = imposition.signature
                && imposition.kind == ImpositionKind::Signatures
                && (n == 0 || n % 4 != 0 || n > 64)
            {
                return Err((
                    "imposition.signature",
                    "must be a multiple of 4, at most 64, or `auto`".into(),
                ));
            }
            if ![2, 4, 8].contains(&imposition.up) {
                return Err(("imposition.up", format!("{} is not 2, 4 or 8 pages a side", imposition.up)));
            }
            if !matches!(imposition.safe_margin, Length::Pt(pt) if (0.0..=36.0).contains(&pt)) {
                return Err((
                    "imposition.safe-margin",
                    "must be a length between 0 and 0.5in (not in em)".into(),
                ));
            }
            if imposition.manual_duplex
                && matches!(imposition.kind, ImpositionKind::Minizine | ImpositionKind::Spreads)
            {
                return Err(("imposition.manual-duplex", "is for sheets printed on both sides".into()));
            }
            if let Some(sheet) = &imposition.sheet {
                for (field, length) in
                    [("imposition.sheet.width", sheet.width), ("imposition.sheet.height", sheet.height)]
                {
                    if !matches!(length, Length::Pt(pt) if (72.0..=14_400.0).contains(&pt)) {
                        return Err((field, format!("{length} must be between 1in and 200in")));
                    }
                }
            }
            if imposition.creep.is_some_and(|c| !matches!(c, Length::Pt(pt) if (0.0..=10.0).contains(&pt))) {
                return Err(("imposition.creep", "must be a length between 0 and 10pt (3.5mm)".into()));
            }
        }
        if self.bleed.is_some_and(|b| !matches!(b, Length::Pt(pt) if (0.0..=36.0).contains(&pt))) {
            return Err(("bleed", "must be a length between 0 and 0.5in (not in em)".into()));
        }
        if let Some(cover) = &self.cover {
            let paper = &cover.paper;
            let given = [paper.caliper.is_some(), paper.pages_per_inch.is_some(), paper.per_page.is_some()];
            if given.iter().filter(|g| **g).count() != 1 {
                return Err(("cover.paper", "give one of `caliper`, `pages-per-inch` or `per-page`".into()));
            }
            let thin = |l: Length, max_mm: f64| !matches!(l, Length::Pt(pt) if pt > 0.0 && pt <= max_mm * 72.0 / 25.4);
            if paper.caliper.is_some_and(|c| thin(c, 2.0)) {
                return Err(("cover.paper.caliper", "must be a length above 0 and at most 2mm".into()));
            }
            if paper.per_page.is_some_and(|c| thin(c, 1.0)) {
                return Err(("cover.paper.per-page", "must be a length above 0 and at most 1mm".into()));
            }
            if paper.pages_per_inch.is_some_and(|ppi| !(50.0..=2000.0).contains(&ppi)) {
                return Err(("cover.paper.pages-per-inch", "must be between 50 and 2000".into()));
            }
            if paper.spine_extra.is_some_and(|c| thin(c, 10.0)) {
                return Err(("cover.paper.spine-extra", "must be a length above 0 and at most 10mm".into()));
            }
            if let Some(code) = &cover.price_code
                && (code.len() != 5 || !code.bytes().all(|b| b.is_ascii_digit()))
            {
                return Err(("cover.price-code", format!("`{code}` is not five digits (EAN-5, e.g. 51500)")));
            }
            if !matches!(cover.min_spine_text, Length::Pt(pt) if pt >= 0.0) {
                return Err(("cover.min-spine-text", "must be a length of zero or more, not in em".into()));
            }
            if self.imposition.is_some() {
                return Err((
                    "cover",
                    "a cover is one sheet: it cannot be imposed (remove `imposition`)".into(),
                ));
            }
        }
        if self.variant == Variant::Riso && self.inks.is_empty() {
            return Err(("variant", "`riso` needs `inks: [...]` (e.g. `[black, fluorescent-pink]`)".into()));
        }
        if self.variant != Variant::Riso && !self.inks.is_empty() {
            return Err(("inks", "inks are for `variant: riso`".into()));
        }
        if self.inks.len() > 4 {
            return Err(("inks", "at most four inks (drums)".into()));
        }
        for (n, ink) in self.inks.iter().enumerate() {
            if !INKS.iter().any(|(name, _)| name == ink) {
                let close = crate::diag::did_you_mean(ink, INKS.iter().map(|(name, _)| *name));
                let hint = close.map_or(String::new(), |c| format!("; did you mean `{c}`?"));
                return Err(("inks", format!("`{ink}` is not an ink mimeo knows{hint}")));
            }
            if self.inks[..n].contains(ink) {
                return Err(("inks", format!("`{ink}` is named twice")));
            }
        }
        let r = &self.ink_roles;
        for (field, ink) in [
            ("ink-roles.body", &r.body),
            ("ink-roles.headings", &r.headings),
            ("ink-roles.speakers", &r.speakers),
            ("ink-roles.rules", &r.rules),
            ("ink-roles.pictures", &r.pictures),
            ("ink-roles.cover", &r.cover),
        ] {
            if let Some(ink) = ink
                && !self.inks.contains(ink)
            {
                return Err((field, format!("`{ink}` is not one of `inks` ({})", self.inks.join(", "))));
            }
        }
        if let Some(drum) = &self.drum
            && !self.inks.contains(drum)
        {
            let inks = self.inks.join(", ");
            return Err((
                "drum",
                format!("`{drum}` is not one of `inks` ({inks}); `drum` is for `variant: riso`"),
            ));
        }
        let size = self.body.size.to_pt(10.0);
        if !(4.0..=72.0).contains(&size) {
            return Err(("body.size", format!("{size}pt is not a text size (4pt to 72pt)")));
        }
        if self.body.leading.to_pt(size) < size * 0.8 {
            return Err(("body.leading", "the leading is less than the type size".into()));
        }
        Ok(())
    }
}
