//! Fonts of a printed edition: the bundled faces (compiled in), files a
//! layout names, and a CJK font found on the system when the document has
//! Chinese, Japanese or Korean text; shaping through rustybuzz (per
//! direction, script and language), and a record of every glyph used (for
//! subsetting and the ToUnicode map).

use std::borrow::Cow;
use std::cell::{OnceCell, RefCell};
use std::collections::{BTreeMap, BTreeSet, HashMap};

use rustc_hash::FxHashMap;
use std::path::{Path, PathBuf};

use rustybuzz::{Direction, Face as BuzzFace, Feature, Language, ShapePlan, UnicodeBuffer, ttf_parser::Tag};

use crate::diag::{Diagnostic, Location};
use crate::layout::pdf::{FontFiles, PdfLayout};
use crate::model::{Block, BlockKind, Document, Inline};
use crate::typeset::script::{ScriptClass, class_of};

/// The faces an edition uses; the index into [`Fonts::faces`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum FaceId {
    Regular = 0,
    Italic = 1,
    Bold = 2,
    BoldItalic = 3,
    Mono = 4,
    /// Arabic script (Persian, Arabic, Kurdish Sorani …): bundled Amiri.
    Arabic = 5,
    ArabicBold = 6,
    /// Chinese, Japanese and Korean: a system or layout font, if any.
    Cjk = 7,
    /// Its bold, for headings and names; without one, CJK bold text is
    /// set in [`FaceId::Cjk`].
    CjkBold = 8,
}

impl FaceId {
    pub const ALL: [FaceId; 9] = [
        FaceId::Regular,
        FaceId::Italic,
        FaceId::Bold,
        FaceId::BoldItalic,
        FaceId::Mono,
        FaceId::Arabic,
        FaceId::ArabicBold,
        FaceId::Cjk,
        FaceId::CjkBold,
    ];

    pub fn index(self) -> usize {
        self as usize
    }

    /// The face with italics switched (emphasis inside italic text is roman).
    pub fn toggle_italic(self) -> FaceId {
        match self {
            FaceId::Regular => FaceId::Italic,
            FaceId::Italic => FaceId::Regular,
            FaceId::Bold => FaceId::BoldItalic,
            FaceId::BoldItalic => FaceId::Bold,
            other => other,
        }
    }

    pub fn bold(self) -> FaceId {
        match self {
            FaceId::Regular | FaceId::Bold => FaceId::Bold,
            FaceId::Italic | FaceId::BoldItalic => FaceId::BoldItalic,
            FaceId::Arabic | FaceId::ArabicBold => FaceId::ArabicBold,
            FaceId::Cjk | FaceId::CjkBold => FaceId::CjkBold,
            other => other,
        }
    }

    fn is_bold(self) -> bool {
        matches!(self, FaceId::Bold | FaceId::BoldItalic | FaceId::ArabicBold | FaceId::CjkBold)
    }

    /// The face for a script family the body faces lack, in this face's weight.
    fn for_script(self, class: ScriptClass) -> Option<FaceId> {
        match class {
            ScriptClass::Arabic if self.is_bold() => Some(FaceId::ArabicBold),
            ScriptClass::Arabic => Some(FaceId::Arabic),
            ScriptClass::Cjk if self.is_bold() => Some(FaceId::CjkBold),
            ScriptClass::Cjk => Some(FaceId::Cjk),
            ScriptClass::Body | ScriptClass::Hebrew => None,
        }
    }
}

use crate::fonts::BUNDLED;

/// CJK font files looked for under the system's font folders, best first
/// (Debian `fonts-noto-cjk`, then Source Han, the same design); each has
/// its bold beside it, named with `Bold` for `Regular`.
const CJK_FILES: [&str; 4] = [
    "NotoSerifCJK-Regular.ttc",
    "NotoSansCJK-Regular.ttc",
    "SourceHanSerif-Regular.ttc",
    "SourceHanSans-Regular.ttc",
];

/// One font file's bytes and facts read from it once.
#[derive(Debug)]
pub struct FontData {
    /// The file name (for messages and the colophon).
    pub file: String,
    pub bytes: Cow<'static, [u8]>,
    /// The face's index in a font collection (TTC), else 0.
    pub index: u32,
    /// PostScript name, without a subset tag.
    pub postscript_name: String,
    /// Family name, for the colophon.
    pub family: String,
}

/// The loaded font files of one layout, in [`FaceId`] order; the CJK faces
/// may be missing.
#[derive(Debug)]
pub struct Fonts {
    pub faces: Vec<Option<FontData>>,
}

impl Fonts {
    /// The bundled faces, replaced by any files the layout names. A file
    /// that cannot be read or parsed is an error naming it. The CJK faces
    /// are only the layout's `cjk` and `cjk-bold` files here; see
    /// [`Fonts::load_for`].
    pub fn load(layout: &PdfLayout) -> Result<Fonts, Diagnostic> {
        let FontFiles { regular, italic, bold, bold_italic, mono, arabic, arabic_bold, cjk, cjk_bold } =
            &layout.fonts;
        let chosen = [regular, italic, bold, bold_italic, mono, arabic, arabic_bold];
        let mut faces = Vec::with_capacity(FaceId::ALL.len());
        for ((name, bytes), custom) in BUNDLED.iter().zip(chosen) {
            let data = match custom {
                Some(path) => read_font(path, None)?,
                None => FontData::parse((*name).to_string(), Cow::Borrowed(*bytes), 0, None)?,
            };
            faces.push(Some(data));
        }
        for custom in [cjk, cjk_bold] {
            faces.push(match custom {
                Some(path) => Some(read_font(path, None)?),
                None => None,
            });
        }
        Ok(Fonts { faces })
    }

    /// [`Fonts::load`], plus CJK faces when `doc` has Chinese, Japanese or
    /// Korean text and the layout names none: the bundled Noto Serif CJK
    /// subset and its bold, or, when the document has a character the
    /// subset lacks, the whole Noto Serif CJK (Debian `fonts-noto-cjk`) if
    /// the system has it, in the face for the document's language
    /// (Traditional for `zh-Hant`, `zh-TW`, `zh-HK`). So the edition is the
    /// same on every machine unless only a system font can set it.
    /// The faces for several documents set as one book (a collection):
    /// CJK faces for the first that needs them, in its regional forms.
    pub fn load_for_all(layout: &PdfLayout, docs: &[&Document]) -> Result<Fonts, Diagnostic> {
        match docs.iter().find(|doc| !CjkNeeds::of(doc).chars.is_empty()) {
            Some(doc) => Fonts::load_for(layout, doc),
            None => Fonts::load(layout),
        }
    }

    pub fn load_for(layout: &PdfLayout, doc: &Document) -> Result<Fonts, Diagnostic> {
        let mut fonts = Fonts::load(layout)?;
        let needs = CjkNeeds::of(doc);
        if needs.chars.is_empty() {
            return Ok(fonts);
        }
        let variant = cjk_variant(needs.language.as_deref().unwrap_or(&doc.meta.language));
        if fonts.get(FaceId::Cjk).is_some() {
            // Collections named in the layout: the faces for the language.
            for id in [FaceId::Cjk, FaceId::CjkBold] {
                if let Some(face) = &mut fonts.faces[id.index()]
                    && let Some(index) = collection_index(&face.bytes, variant)
                {
                    let path = PathBuf::from(&face.file);
                    *face = read_font(&path, Some(index))?;
                }
            }
            return Ok(fonts);
        }
        let [regular, bold] = [false, true].map(|bold| {
            let (name, bytes) = crate::fonts::cjk(bold);
            FontData::parse(name.to_string(), Cow::Borrowed(bytes), 0, None)
                .expect("the bundled CJK faces parse")
        });
        let lacks = |data: &FontData| match rustybuzz::ttf_parser::Face::parse(&data.bytes, data.index) {
            Ok(face) => needs.chars.iter().filter(|&&c| face.glyph_index(c).is_none()).count(),
            Err(_) => needs.chars.len(),
        };
        if lacks(&regular) > 0
            && let Some(path) = find_system_cjk(&font_dirs())
        {
            let system = read_cjk_font(&path, variant)?;
            if lacks(&system) < lacks(&regular) {
                let bold = bold_sibling(&path).filter(|p| p.is_file());
                fonts.faces[FaceId::Cjk.index()] = Some(system);
                fonts.faces[FaceId::CjkBold.index()] =
                    bold.map(|p| read_cjk_font(&p, variant)).transpose()?;
                return Ok(fonts);
            }
        }
        fonts.faces[FaceId::Cjk.index()] = Some(regular);
        fonts.faces[FaceId::CjkBold.index()] = Some(bold);
        Ok(fonts)
    }

    /// The bundled faces alone.
    pub fn bundled() -> Fonts {
        let mut faces: Vec<Option<FontData>> = BUNDLED
            .iter()
            .map(|(name, bytes)| {
                Some(
                    FontData::parse((*name).to_string(), Cow::Borrowed(*bytes), 0, None)
                        .expect("the bundled fonts parse"),
                )
            })
            .collect();
        faces.extend([None, None]);
        Fonts { faces }
    }

    /// A face that is loaded (every face but the CJK ones always is).
    pub fn get(&self, face: FaceId) -> Option<&FontData> {
        self.faces.get(face.index()).and_then(Option::as_ref)
    }

    /// A face that is always loaded (all but the CJK ones).
    pub fn data(&self, face: FaceId) -> &FontData {
        self.get(face).unwrap_or_else(|| self.get(FaceId::Regular).expect("the regular face is loaded"))
    }
}

/// A CJK font file (a collection) in the face for `variant`.
fn read_cjk_font(path: &Path, variant: CjkVariant) -> Result<FontData, Diagnostic> {
    let bytes = crate::files::read(path, crate::files::Kind::Font).map_err(|e| e.diagnostic())?;
    let index = collection_index(&bytes, variant).unwrap_or(0);
    FontData::parse(path.display().to_string(), Cow::Owned(bytes), index, Some(path))
}

/// The bold beside a regular font file: `NotoSerifCJK-Regular.ttc` →
/// `NotoSerifCJK-Bold.ttc`.
fn bold_sibling(regular: &Path) -> Option<PathBuf> {
    let name = regular.file_name()?.to_str()?;
    name.contains("Regular").then(|| regular.with_file_name(name.replace("Regular", "Bold")))
}

fn read_font(path: &Path, index: Option<u32>) -> Result<FontData, Diagnostic> {
    let read = crate::files::read(path, crate::files::Kind::Font).map_err(|e| e.diagnostic())?;
    FontData::parse(path.display().to_string(), Cow::Owned(read), index.unwrap_or(0), Some(path))
}

/// The characters of a document that need a CJK font, and the first CJK
/// language it names.
#[derive(Default)]
struct CjkNeeds {
    chars: BTreeSet<char>,
    language: Option<String>,
}

fn is_cjk_language(tag: &str) -> bool {
    let primary = tag.split(['-', '_']).next().unwrap_or("").to_ascii_lowercase();
    matches!(primary.as_str(), "zh" | "ja" | "ko" | "yue" | "cmn" | "nan" | "hak" | "wuu")
}

impl CjkNeeds {
    fn of(doc: &Document) -> CjkNeeds {
        let mut needs = CjkNeeds::default();
        if is_cjk_language(&doc.meta.language) {
            needs.language = Some(doc.meta.language.clone());
        }
        let meta = &doc.meta;
        for text in [Some(&meta.title), meta.subtitle.as_ref(), meta.publisher.as_ref(), meta.rights.as_ref()]
            .into_iter()
            .flatten()
        {
            needs.text(text);
        }
        for p in &doc.participants {
            needs.text(&p.name);
            needs.text(&p.label);
            if let Some(bio) = &p.bio {
                needs.inlines(bio);
            }
        }
        needs.blocks(&doc.introduction);
        for section in &doc.sections {
            if let Some(heading) = &section.heading {
                needs.inlines(&heading.content);
            }
            for turn in &section.turns {
                needs.blocks(&turn.blocks);
            }
        }
        for note in &doc.notes {
            needs.blocks(&note.blocks);
        }
        needs
    }

    fn text(&mut self, text: &str) {
        if !text.is_ascii() {
            self.chars.extend(text.chars().filter(|&c| needs_cjk_font(c)));
        }
    }

    fn inlines(&mut self, inlines: &[Inline]) {
        for inline in inlines {
            match inline {
                Inline::Text(t) | Inline::Code(t) => self.text(t),
                Inline::Emphasis(c) | Inline::Strong(c) | Inline::Link { content: c, .. } => self.inlines(c),
                Inline::Span { language, content, .. } => {
                    if self.language.is_none() && is_cjk_language(language) {
                        self.language = Some(language.clone());
                    }
                    self.inlines(content);
                }
                Inline::NoteRef(_) | Inline::LineBreak => {}
            }
        }
    }

    fn blocks(&mut self, blocks: &[Block]) {
        for block in blocks {
            match &block.kind {
                BlockKind::Paragraph(c) | BlockKind::Heading { content: c, .. } => self.inlines(c),
                BlockKind::BlockQuote(b) => self.blocks(b),
                BlockKind::List(list) => list.items.iter().for_each(|item| self.blocks(item)),
                BlockKind::Code { text, .. } => self.text(text),
                BlockKind::Image(image) => self.text(&image.alt),
                BlockKind::Table(table) => table.all_rows().flatten().for_each(|cell| self.inlines(cell)),
                BlockKind::ThematicBreak => {}
            }
        }
    }
}

/// Whether `c` is written in a CJK font: ideographs, kana, hangul, CJK
/// punctuation and full-width forms (not the symbols East Asian width
/// also calls wide, which other fonts may have).
fn needs_cjk_font(c: char) -> bool {
    matches!(
        c,
        '\u{1100}'..='\u{11FF}'
            | '\u{2E80}'..='\u{2FDF}'
            | '\u{3000}'..='\u{30FF}'
            | '\u{3100}'..='\u{31FF}'
            | '\u{3400}'..='\u{4DBF}'
            | '\u{4E00}'..='\u{9FFF}'
            | '\u{A960}'..='\u{A97F}'
            | '\u{AC00}'..='\u{D7FF}'
            | '\u{F900}'..='\u{FAFF}'
            | '\u{FE30}'..='\u{FE4F}'
            | '\u{FF00}'..='\u{FFEF}'
            | '\u{20000}'..='\u{3FFFF}'
    )
}

/// Which regional face of a CJK collection a language wants.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CjkVariant {
    Simplified,
    Traditional,
    Japanese,
    Korean,
}

/// The face for a language tag: `zh-Hant`, `zh-TW`, `zh-HK`, `zh-MO` and
/// Cantonese are Traditional Chinese, other Chinese Simplified.
pub fn cjk_variant(tag: &str) -> CjkVariant {
    let parts: Vec<String> = tag.split(['-', '_']).map(str::to_ascii_lowercase).collect();
    let has = |s: &str| parts.iter().skip(1).any(|p| p == s);
    match parts.first().map(String::as_str) {
        Some("ja") => CjkVariant::Japanese,
        Some("ko") => CjkVariant::Korean,
        Some("yue") => CjkVariant::Traditional,
        _ if has("hant") || has("tw") || has("hk") || has("mo") => CjkVariant::Traditional,
        _ => CjkVariant::Simplified,
    }
}

/// In a font collection, the face whose family name ends in the variant's
/// suffix (Noto CJK and Source Han name them `… CJK TC`, `… SC`, `… JP`,
/// `… KR`); `None` for a single font or a collection without one.
fn collection_index(bytes: &[u8], variant: CjkVariant) -> Option<u32> {
    let count = rustybuzz::ttf_parser::fonts_in_collection(bytes)?;
    let suffix = match variant {
        CjkVariant::Simplified => " SC",
        CjkVariant::Traditional => " TC",
        CjkVariant::Japanese => " JP",
        CjkVariant::Korean => " KR",
    };
    (0..count).find(|&i| {
        rustybuzz::ttf_parser::Face::parse(bytes, i).is_ok_and(|face| {
            face.names().into_iter().any(|n| {
                n.name_id == rustybuzz::ttf_parser::name_id::FAMILY
                    && n.to_string().is_some_and(|s| s.ends_with(suffix))
            })
        })
    })
}

/// The system's font folders, as fontconfig's defaults have them:
/// `$XDG_DATA_HOME/fonts` (`~/.local/share/fonts`) and `fonts` under each
/// of `$XDG_DATA_DIRS` (`/usr/local/share:/usr/share`).
fn font_dirs() -> Vec<PathBuf> {
    let var = |name: &str| std::env::var_os(name).filter(|v| !v.is_empty());
    let mut dirs = Vec::new();
    match var("XDG_DATA_HOME") {
        Some(home) => dirs.push(PathBuf::from(home).join("fonts")),
        None => {
            if let Some(home) = var("HOME") {
                dirs.push(PathBuf::from(home).join(".local/share/fonts"));
            }
        }
    }
    let data = var("XDG_DATA_DIRS").unwrap_or_else(|| "/usr/local/share:/usr/share".into());
    dirs.extend(std::env::split_paths(&data).map(|d| d.join("fonts")));
    dirs
}

/// The first of [`CJK_FILES`] under `dirs` (three folders deep at most).
fn find_system_cjk(dirs: &[PathBuf]) -> Option<PathBuf> {
    fn walk(dir: &Path, depth: usize, found: &mut Vec<PathBuf>) {
        let Ok(entries) = std::fs::read_dir(dir) else { return };
        let mut entries: Vec<_> = entries.flatten().map(|e| e.path()).collect();
        entries.sort();
        for path in entries {
            if path.is_dir() {
                if depth > 0 {
                    walk(&path, depth - 1, found);
                }
            } else if path.file_name().and_then(|n| n.to_str()).is_some_and(|n| CJK_FILES.contains(&n)) {
                found.push(path);
            }
        }
    }
    let mut found = Vec::new();
    for dir in dirs {
        walk(dir, 3, &mut found);
    }
    let rank = |p: &PathBuf| {
        let name = p.file_name().and_then(|n| n.to_str()).unwrap_or("");
        CJK_FILES.iter().position(|f| *f == name).unwrap_or(usize::MAX)
    };
    found.into_iter().min_by_key(rank)
}

impl FontData {
    fn parse(
        file: String,
        bytes: Cow<'static, [u8]>,
        index: u32,
        path: Option<&Path>,
    ) -> Result<FontData, Diagnostic> {
        let unreadable = |why: &str| {
            let diag = Diagnostic::error(format!("`{file}` is not a usable font: {why}"));
            match path {
                Some(p) => diag.at(Location::file(p)),
                None => diag,
            }
        };
        let face =
            rustybuzz::ttf_parser::Face::parse(&bytes, index).map_err(|e| unreadable(&e.to_string()))?;
        if face.tables().cff.is_none() && face.tables().glyf.is_none() {
            return Err(unreadable("it has neither CFF nor TrueType outlines"));
        }
        let name = |id: u16| {
            face.names().into_iter().filter(|n| n.name_id == id && n.is_unicode()).find_map(|n| n.to_string())
        };
        let postscript_name = name(rustybuzz::ttf_parser::name_id::POST_SCRIPT_NAME)
            .unwrap_or_else(|| "Font".into())
            .chars()
            .filter(|c| c.is_ascii_alphanumeric() || *c == '-')
            .collect();
        let family = name(rustybuzz::ttf_parser::name_id::FAMILY).unwrap_or_else(|| file.clone());
        Ok(FontData { file, bytes, index, postscript_name, family })
    }
}

/// A glyph as shaped: its id in its face, its advance in points (with
/// kerning), its offset from the pen (marks over their letters, cursive
/// joins), and the byte in the shaped text it comes from. Glyphs of a
/// right-to-left run come in logical order too (the reverse of the
/// shaper's), so that a glyph's place is the run's right edge less the
/// advances up to and including it.
#[derive(Debug, Clone, Copy)]
pub struct ShapedGlyph {
    pub id: u16,
    pub face: FaceId,
    pub advance: f64,
    pub cluster: usize,
    /// Offset from the pen, right and up, in points.
    pub dx: f64,
    pub dy: f64,
    /// The glyphs of this cluster do not map back to its text through the
    /// font's ToUnicode map (a letter drawn as two glyphs, a glyph first
    /// seen standing for other text): the text is given as /ActualText.
    pub actual: bool,
}

/// Which OpenType features a run asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct Features {
    pub small_caps: bool,
}

/// The language text is shaped in (its primary subtag, for a font's
/// language forms; for Chinese also the region, whose forms differ:
/// `zh-cn`, `zh-tw`, `zh-hk`); empty: the document's.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct Lang([u8; 8]);

impl Lang {
    pub fn new(tag: &str) -> Lang {
        let mut bytes = [0u8; 8];
        let primary = tag.split(['-', '_']).next().unwrap_or("");
        let lower = tag.to_ascii_lowercase();
        let chinese = matches!(primary.to_ascii_lowercase().as_str(), "zh" | "yue" | "cmn");
        let primary = match cjk_variant(tag) {
            _ if !chinese => primary,
            _ if primary.eq_ignore_ascii_case("yue") || lower.contains("-hk") || lower.contains("-mo") => {
                "zh-hk"
            }
            CjkVariant::Traditional => "zh-tw",
            _ => "zh-cn",
        };
        if primary.len() <= 8 && primary.is_ascii() {
            for (b, c) in bytes.iter_mut().zip(primary.bytes()) {
                *b = c.to_ascii_lowercase();
            }
        }
        Lang(bytes)
    }

    fn as_str(&self) -> &str {
        let len = self.0.iter().position(|&b| b == 0).unwrap_or(8);
        std::str::from_utf8(&self.0[..len]).unwrap_or("")
    }

    fn is_empty(&self) -> bool {
        self.0[0] == 0
    }
}

/// How a run is shaped beyond its face: direction and language.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct Shaping {
    pub rtl: bool,
    pub lang: Lang,
}

/// Face, features, script tag, direction and language: what a shaping
/// plan depends on.
type PlanKey = (FaceId, Features, [u8; 4], Shaping);
/// Face, features, size (as bits), direction and language: what a shaped
/// word depends on.
type StyleKey = (FaceId, Features, u64, Shaping);

/// Parsed faces with cached shaping plans, and the record of used glyphs.
pub struct Shaper<'a> {
    fonts: &'a Fonts,
    /// Per face, parsed when first asked for (most documents never need the
    /// script faces): the face and its units per em.
    faces: Vec<OnceCell<Option<(BuzzFace<'a>, f64)>>>,
    /// The document's language, for text not marked otherwise.
    language: Lang,
    plans: RefCell<HashMap<PlanKey, ShapePlan>>,
    /// Shaped words by face, features, size, direction and language.
    /// (Fx hashes: the keys are words, looked up once per word of the text.)
    cache: RefCell<HashMap<StyleKey, FxHashMap<String, Vec<ShapedGlyph>>>>,
    /// Per face: glyph id → the text it stands for (first seen wins).
    used: RefCell<Vec<BTreeMap<u16, String>>>,
    /// Characters no face has, for one warning each.
    missing: RefCell<BTreeSet<char>>,
}

impl<'a> Shaper<'a> {
    pub fn new(fonts: &'a Fonts) -> Result<Shaper<'a>, Diagnostic> {
        let shaper = Shaper {
            fonts,
            faces: fonts.faces.iter().map(|_| OnceCell::new()).collect(),
            language: Lang::default(),
            plans: RefCell::new(HashMap::new()),
            cache: RefCell::new(HashMap::new()),
            used: RefCell::new(vec![BTreeMap::new(); FaceId::ALL.len()]),
            missing: RefCell::new(BTreeSet::new()),
        };
        // The body faces are always used: a file that parses as a font but
        // not for shaping is an error now, not a blank later.
        for face in [FaceId::Regular, FaceId::Italic, FaceId::Bold, FaceId::BoldItalic, FaceId::Mono] {
            if shaper.face(face).is_none() {
                let file = fonts.get(face).map_or("a font", |d| d.file.as_str());
                return Err(Diagnostic::error(format!("`{file}` is not a usable font")));
            }
        }
        Ok(shaper)
    }

    /// Shape text not marked with a language in `tag`'s.
    pub fn set_language(&mut self, tag: &str) {
        self.language = Lang::new(tag);
    }

    fn face(&self, id: FaceId) -> Option<&BuzzFace<'a>> {
        self.face_units(id).map(|(face, _)| face)
    }

    fn face_units(&self, id: FaceId) -> Option<&(BuzzFace<'a>, f64)> {
        let fonts = self.fonts;
        self.faces
            .get(id.index())?
            .get_or_init(|| {
                let data = fonts.get(id)?;
                let face = BuzzFace::from_slice(&data.bytes, data.index)?;
                let units = f64::from(face.units_per_em().max(1));
                Some((face, units))
            })
            .as_ref()
    }

    fn units(&self, id: FaceId) -> f64 {
        self.face_units(id).map_or(1000.0, |(_, units)| *units)
    }

    /// Whether `face` is loaded and has a glyph for `c`.
    pub fn covers(&self, face: FaceId, c: char) -> bool {
        self.face(face).is_some_and(|f| f.glyph_index(c).is_some())
    }

    /// The face that draws `c`, per character: `face` itself (the body
    /// font), else the face for `c`'s script (Arabic, CJK) in the same
    /// weight, else the closest other face that has it. Characters of no
    /// script (digits, punctuation, joiners, marks) stay in the face of the
    /// character before them (`previous`) when it has them, so a Persian
    /// word keeps its zero-width non-joiner and its comma.
    fn face_for(&self, face: FaceId, c: char, previous: Option<FaceId>) -> FaceId {
        if c.is_whitespace() || c.is_control() {
            return face;
        }
        let class = class_of(c);
        if let (None, Some(p)) = (class, previous)
            && p != face
            && self.covers(p, c)
        {
            return p;
        }
        if self.covers(face, c) {
            return face;
        }
        if let Some(script_face) = class.and_then(|cl| face.for_script(cl))
            && self.covers(script_face, c)
        {
            return script_face;
        }
        let order = [
            face.toggle_italic(),
            FaceId::Regular,
            FaceId::Italic,
            FaceId::Bold,
            FaceId::Mono,
            face.bold().for_script(ScriptClass::Arabic).unwrap_or(FaceId::Arabic),
            FaceId::Arabic,
            FaceId::Cjk,
        ];
        match order.into_iter().find(|&f| self.covers(f, c)) {
            Some(found) => found,
            None => {
                self.missing.borrow_mut().insert(c);
                face
            }
        }
    }

    /// Shape `text` in `face` at `size` points, left to right in the
    /// document's language; see [`Shaper::shape_as`].
    pub fn shape(
        &self,
        text: &str,
        base: usize,
        face: FaceId,
        features: Features,
        size: f64,
        out: &mut Vec<ShapedGlyph>,
    ) {
        self.shape_as(text, base, (face, features, size), Shaping::default(), out);
    }

    /// Shape `text` (of one direction) in `face` with `features` at `size`
    /// points; glyphs come in logical order with clusters as byte offsets
    /// into `text` plus `base`. Characters the face lacks are shaped in a
    /// fallback face.
    ///
    /// Words and spaces are shaped separately and cached (ligatures,
    /// kerning and Arabic joining do not cross spaces), which makes a long
    /// document cost little more than its vocabulary.
    pub fn shape_as(
        &self,
        text: &str,
        base: usize,
        (face, features, size): (FaceId, Features, f64),
        shaping: Shaping,
        out: &mut Vec<ShapedGlyph>,
    ) {
        let shaping =
            Shaping { lang: if shaping.lang.is_empty() { self.language } else { shaping.lang }, ..shaping };
        let key = (face, features, size.to_bits(), shaping);
        let mut cache = self.cache.borrow_mut();
        let words = cache.entry(key).or_default();
        let mut start = 0;
        while start < text.len() {
            let space = text[start..].starts_with(' ');
            let len = text[start..].find(|c: char| (c == ' ') != space).unwrap_or(text.len() - start);
            let segment = &text[start..start + len];
            let shifted = |g: &ShapedGlyph| ShapedGlyph { cluster: g.cluster + base + start, ..*g };
            if let Some(glyphs) = words.get(segment) {
                out.extend(glyphs.iter().map(shifted));
            } else {
                let mut glyphs = Vec::new();
                self.shape_uncached(segment, face, features, size, shaping, &mut glyphs);
                out.extend(glyphs.iter().map(shifted));
                words.insert(segment.to_string(), glyphs);
            }
            start += len;
        }
    }

    fn shape_uncached(
        &self,
        text: &str,
        face: FaceId,
        features: Features,
        size: f64,
        shaping: Shaping,
        out: &mut Vec<ShapedGlyph>,
    ) {
        let mut start = 0;
        let mut current: Option<FaceId> = None;
        for (i, c) in text.char_indices() {
            let f = self.face_for(face, c, current);
            match current {
                Some(cur) if cur != f => {
                    self.shape_one(&text[start..i], start, (cur, features, size), shaping, out);
                    start = i;
                    current = Some(f);
                }
                None => current = Some(f),
                _ => {}
            }
        }
        if let Some(cur) = current {
            self.shape_one(&text[start..], start, (cur, features, size), shaping, out);
        }
    }

    fn shape_one(
        &self,
        text: &str,
        base: usize,
        (face, features, size): (FaceId, Features, f64),
        shaping: Shaping,
        out: &mut Vec<ShapedGlyph>,
    ) {
        let Some(buzz) = self.face(face) else { return };
        if text.is_empty() {
            return;
        }
        let script = script_of(text);
        let direction = if shaping.rtl { Direction::RightToLeft } else { Direction::LeftToRight };
        let mut plans = self.plans.borrow_mut();
        let plan = plans.entry((face, features, script.tag().to_bytes(), shaping)).or_insert_with(|| {
            // The language picks the font's language forms (the plan's features).
            let language: Option<Language> = shaping.lang.as_str().parse().ok();
            let feats: Vec<Feature> = if features.small_caps {
                vec![Feature::new(Tag::from_bytes(b"smcp"), 1, ..)]
            } else {
                Vec::new()
            };
            ShapePlan::new(buzz, direction, Some(script), language.as_ref(), &feats)
        });
        let mut buffer = UnicodeBuffer::new();
        buffer.push_str(text);
        buffer.set_direction(direction);
        buffer.set_script(script);
        let shaped = rustybuzz::shape_with_plan(buzz, plan, buffer);
        let scale = size / self.units(face);
        // Logical order: a right-to-left run's glyphs come reversed.
        let (infos, positions) = (shaped.glyph_infos(), shaped.glyph_positions());
        let len = infos.len();
        let at = |i: usize| {
            let i = if shaping.rtl { len - 1 - i } else { i };
            (&infos[i], &positions[i])
        };
        let mut used = self.used.borrow_mut();
        let used = &mut used[face.index()];
        let mut n = 0;
        while n < len {
            // One cluster: its glyphs and its text.
            let cluster = at(n).0.cluster as usize;
            let count = (n..len).take_while(|&i| at(i).0.cluster as usize == cluster).count();
            let end = if n + count < len { at(n + count).0.cluster as usize } else { text.len() };
            let chars = text.get(cluster..end.max(cluster)).unwrap_or("");
            let first = out.len();
            // What the glyphs' recorded texts leave of the cluster's text
            // (`None`: they do not spell it), and whether one that advances
            // stands for nothing (it leaves a gap readers take for a space).
            let mut rest = Some(chars);
            let mut gap = false;
            for k in 0..count {
                let (info, pos) = at(n + k);
                let id = info.glyph_id as u16;
                let text = used.entry(id).or_insert_with(|| {
                    // Base and marks one to one; else the whole cluster's text
                    // on its first glyph (a ligature: ffi, lam-alef).
                    if chars.chars().count() == count {
                        chars.chars().nth(k).map(String::from).unwrap_or_default()
                    } else if k == 0 {
                        chars.to_string()
                    } else {
                        String::new()
                    }
                });
                rest = rest.and_then(|r| r.strip_prefix(text.as_str()));
                gap |= pos.x_advance != 0 && text.is_empty();
                out.push(ShapedGlyph {
                    id,
                    face,
                    advance: f64::from(pos.x_advance) * scale,
                    cluster: base + cluster,
                    dx: f64::from(pos.x_offset) * scale,
                    dy: f64::from(pos.y_offset) * scale,
                    actual: false,
                });
            }
            if rest != Some("") || gap {
                for g in &mut out[first..] {
                    g.actual = true;
                }
            }
            n += count;
        }
    }

    /// Whether any text so far was shaped in `face`.
    pub fn uses(&self, face: FaceId) -> bool {
        self.used.borrow().get(face.index()).is_some_and(|u| !u.is_empty())
    }

    /// The advance of one character in `face` (unshaped), in points.
    pub fn char_glyph(&self, face: FaceId, c: char, size: f64) -> Option<ShapedGlyph> {
        let buzz = self.face(face)?;
        let id = buzz.glyph_index(c)?;
        let advance = f64::from(buzz.glyph_hor_advance(id).unwrap_or(0)) * size / self.units(face);
        self.used.borrow_mut()[face.index()].entry(id.0).or_insert_with(|| c.to_string());
        Some(ShapedGlyph { id: id.0, face, advance, cluster: 0, dx: 0.0, dy: 0.0, actual: false })
    }

    /// The natural width of `text` in `face`, in points.
    pub fn width(&self, text: &str, face: FaceId, features: Features, size: f64) -> f64 {
        let mut glyphs = Vec::new();
        self.shape(text, 0, face, features, size, &mut glyphs);
        glyphs.iter().map(|g| g.advance).sum()
    }

    /// Hand over the glyph record and the characters no face has.
    pub fn finish(self) -> (Vec<BTreeMap<u16, String>>, BTreeSet<char>) {
        (self.used.into_inner(), self.missing.into_inner())
    }

    /// The families of the loaded faces, for a message naming what was tried.
    pub fn families(&self) -> Vec<String> {
        let mut families: Vec<String> = Vec::new();
        for data in self.fonts.faces.iter().flatten() {
            if !families.contains(&data.family) {
                families.push(data.family.clone());
            }
        }
        families
    }
}

/// The OpenType script of a run (its first character with a script).
fn script_of(text: &str) -> rustybuzz::Script {
    use rustybuzz::script;
    for c in text.chars() {
        match c as u32 {
            0x0370..=0x03FF | 0x1F00..=0x1FFF => return script::GREEK,
            0x0400..=0x052F => return script::CYRILLIC,
            0x3040..=0x309F => return script::HIRAGANA,
            0x30A0..=0x30FF => return script::KATAKANA,
            0xAC00..=0xD7AF | 0x1100..=0x11FF => return script::HANGUL,
            _ => {}
        }
        match class_of(c) {
            Some(ScriptClass::Arabic) => return script::ARABIC,
            Some(ScriptClass::Hebrew) => return script::HEBREW,
            Some(ScriptClass::Cjk) => return script::HAN,
            Some(ScriptClass::Body) if c.is_ascii_alphabetic() => return script::LATIN,
            _ => {}
        }
    }
    script::LATIN
}
#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn missing_glyphs_fall_back_to_a_face_that_has_them() {
        let fonts = Fonts::bundled();
        let shaper = Shaper::new(&fonts).unwrap();
        // The serif lacks ✓ (the monospace has it); its bold italic lacks ə.
        assert!(!shaper.covers(FaceId::Regular, '✓') && shaper.covers(FaceId::Mono, '✓'));
        let mut glyphs = Vec::new();
        shaper.shape("a ✓ b", 0, FaceId::Regular, Features::default(), 10.0, &mut glyphs);
        let faces: Vec<FaceId> = glyphs.iter().map(|g| g.face).collect();
        assert_eq!(faces, [FaceId::Regular, FaceId::Regular, FaceId::Mono, FaceId::Regular, FaceId::Regular]);
        glyphs.clear();
        shaper.shape("ə", 0, FaceId::BoldItalic, Features::default(), 10.0, &mut glyphs);
        assert_eq!(glyphs[0].face, FaceId::Bold);
        glyphs.clear();
        shaper.shape("\u{13000}", 0, FaceId::Regular, Features::default(), 10.0, &mut glyphs);
        let (_, missing) = shaper.finish();
        assert_eq!(missing.into_iter().collect::<Vec<_>>(), ['\u{13000}']);
    }

    /// The bundled CJK subset kept each region's `locl` forms: the same
    /// character gets the glyph its readers expect.
    #[test]
    fn the_bundled_cjk_face_gives_each_region_its_own_forms() {
        let mut fonts = Fonts::bundled();
        let (name, bytes) = crate::fonts::cjk(false);
        fonts.faces[FaceId::Cjk.index()] =
            Some(FontData::parse(name.to_string(), Cow::Borrowed(bytes), 0, None).unwrap());
        let shaper = Shaper::new(&fonts).unwrap();
        let glyph = |text: &str, tag: &str| {
            let mut glyphs = Vec::new();
            let shaping = Shaping { rtl: false, lang: Lang::new(tag) };
            shaper.shape_as(text, 0, (FaceId::Cjk, Features::default(), 10.0), shaping, &mut glyphs);
            glyphs.iter().map(|g| g.id).collect::<Vec<_>>()
        };
        // 骨 (bone) is drawn one way in mainland type and another in
        // Taiwanese and Japanese; 直 (straight) has a Japanese form of its own.
        let [cn, tw, ja] = ["zh-Hans", "zh-Hant", "ja"].map(|tag| glyph("骨", tag));
        assert!(cn != tw && cn != ja, "骨: {cn:?} {tw:?} {ja:?}");
        let [cn, tw, ja] = ["zh-Hans", "zh-Hant", "ja"].map(|tag| glyph("直", tag));
        assert!(ja != cn && ja != tw, "直: {cn:?} {tw:?} {ja:?}");
        assert!(cn.iter().chain(&tw).chain(&ja).all(|&id| id != 0), "a .notdef");
        assert_ne!(glyph("骨", "zh-HK"), glyph("骨", "zh-Hans"));
        let (_, missing) = shaper.finish();
        assert!(missing.is_empty(), "{missing:?}");
    }

    fn faces_of(shaper: &Shaper, text: &str, face: FaceId, rtl: bool) -> Vec<FaceId> {
        let mut glyphs = Vec::new();
        let shaping = Shaping { rtl, lang: Lang::new("fa") };
        shaper.shape_as(text, 0, (face, Features::default(), 10.0), shaping, &mut glyphs);
        glyphs.iter().map(|g| g.face).collect()
    }

    #[test]
    fn arabic_script_falls_back_to_amiri_in_the_same_weight() {
        let fonts = Fonts::bundled();
        let shaper = Shaper::new(&fonts).unwrap();
        // Letters, the zero-width non-joiner and the Persian comma stay in
        // the Arabic face; Latin stays in the body face.
        let faces = faces_of(&shaper, "گفت\u{200C}وگو،", FaceId::Regular, true);
        assert!(faces.iter().all(|&f| f == FaceId::Arabic), "{faces:?}");
        let faces = faces_of(&shaper, "خیزش", FaceId::Bold, true);
        assert!(faces.iter().all(|&f| f == FaceId::ArabicBold), "{faces:?}");
        assert_eq!(faces_of(&shaper, "Lausan", FaceId::Regular, false), [FaceId::Regular; 6]);
        let (_, missing) = shaper.finish();
        assert!(missing.is_empty(), "{missing:?}");
    }

    #[test]
    fn arabic_letters_join_and_read_back_as_letters() {
        let fonts = Fonts::bundled();
        let shaper = Shaper::new(&fonts).unwrap();
        let beh = |text: &str| {
            let mut glyphs = Vec::new();
            let shaping = Shaping { rtl: true, lang: Lang::new("ar") };
            shaper.shape_as(text, 0, (FaceId::Arabic, Features::default(), 10.0), shaping, &mut glyphs);
            glyphs
        };
        // Initial, medial and final beh are different glyphs (joining forms).
        let bbb = beh("ببب");
        assert_eq!(bbb.len(), 3);
        assert!(bbb[0].id != bbb[1].id && bbb[1].id != bbb[2].id, "{bbb:?}");
        // Logical order: clusters increase.
        assert!(bbb.windows(2).all(|w| w[0].cluster < w[1].cluster));
        // Lam-alef (Amiri draws it as a lam and an alef of their own) reads
        // back as the two letters, in order.
        let la = beh("لا");
        let lam = beh("ل");
        assert!(la.iter().all(|g| g.id != lam[0].id), "the lam of lam-alef is its own form");
        let (used, _) = shaper.finish();
        let texts = &used[FaceId::Arabic.index()];
        assert_eq!(la.iter().map(|g| texts[&g.id].as_str()).collect::<String>(), "لا");
        assert_eq!(texts[&bbb[1].id], "ب");
    }

    #[test]
    fn cjk_faces_by_language() {
        assert_eq!(cjk_variant("zh-Hant"), CjkVariant::Traditional);
        assert_eq!(cjk_variant("zh-TW"), CjkVariant::Traditional);
        assert_eq!(cjk_variant("zh-HK"), CjkVariant::Traditional);
        assert_eq!(cjk_variant("zh"), CjkVariant::Simplified);
        assert_eq!(cjk_variant("zh-Hans-CN"), CjkVariant::Simplified);
        assert_eq!(cjk_variant("ja"), CjkVariant::Japanese);
        assert_eq!(cjk_variant("ko-KR"), CjkVariant::Korean);
        // No font in an empty folder.
        let empty = tempfile::tempdir().unwrap();
        assert_eq!(find_system_cjk(&[empty.path().to_path_buf()]), None);
    }

    /// The system's Noto CJK collection (Debian `fonts-noto-cjk`) gives the
    /// Traditional and Simplified faces by name.
    #[test]
    fn noto_cjk_collection_faces() {
        let Some(path) = find_system_cjk(&font_dirs()) else {
            eprintln!("note: no CJK font installed (Debian: fonts-noto-cjk); skipped");
            assert!(std::env::var_os("MIMEO_REQUIRE_VALIDATORS").is_none(), "fonts-noto-cjk is required");
            return;
        };
        let bytes = std::fs::read(&path).unwrap();
        for (variant, suffix) in [(CjkVariant::Traditional, "TC"), (CjkVariant::Simplified, "SC")] {
            let index = collection_index(&bytes, variant).expect("a face for the variant");
            let data = FontData::parse("cjk".into(), Cow::Owned(bytes.clone()), index, None).unwrap();
            assert!(data.family.ends_with(suffix), "{}", data.family);
        }
    }

    /// Every character of the Arabic-script fixtures (Persian, Arabic,
    /// Kurdish Sorani) is in the bundled Arabic faces, Persian and
    /// Arabic-Indic digits and the zero-width non-joiner included.
    #[test]
    fn amiri_covers_the_fixtures() {
        let fonts = Fonts::bundled();
        let shaper = Shaper::new(&fonts).unwrap();
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/i18n");
        let mut text = String::from("۰۱۲۳۴۵۶۷۸۹٠١٢٣٤٥٦٧٨٩\u{200C}پچژگیکڕڵۆێە");
        for name in ["persian.md", "arabic.md", "sorani.md", "bilingual.md"] {
            text.push_str(&std::fs::read_to_string(dir.join(name)).unwrap());
        }
        for c in text.chars().filter(|&c| class_of(c) == Some(ScriptClass::Arabic) || c == '\u{200C}') {
            for face in [FaceId::Arabic, FaceId::ArabicBold] {
                assert!(shaper.covers(face, c), "{face:?} lacks U+{:04X}", c as u32);
            }
        }
    }
}
