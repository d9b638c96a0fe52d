//! Fonts of a printed edition: the bundled faces (compiled in) or files a
//! layout names, shaping through rustybuzz, and a record of every glyph
//! used (for subsetting and the ToUnicode map).

use std::borrow::Cow;
use std::cell::RefCell;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::Path;

use rustybuzz::{Direction, Face as BuzzFace, Feature, ShapePlan, UnicodeBuffer, ttf_parser::Tag};

use crate::diag::{Diagnostic, Location};
use crate::layout::pdf::{FontFiles, PdfLayout};

/// The faces an edition uses; the index into [`Fonts::faces`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum FaceId {
    Regular = 0,
    Italic = 1,
    Bold = 2,
    BoldItalic = 3,
    Mono = 4,
}

impl FaceId {
    pub const ALL: [FaceId; 5] =
        [FaceId::Regular, FaceId::Italic, FaceId::Bold, FaceId::BoldItalic, FaceId::Mono];

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
            FaceId::Mono => FaceId::Mono,
        }
    }

    pub fn bold(self) -> FaceId {
        match self {
            FaceId::Regular | FaceId::Bold => FaceId::Bold,
            FaceId::Italic | FaceId::BoldItalic => FaceId::BoldItalic,
            FaceId::Mono => FaceId::Mono,
        }
    }
}

const BUNDLED: [(&str, &[u8]); 5] = [
    ("LinLibertine_R.otf", include_bytes!("../../../fonts/linux-libertine/LinLibertine_R.otf")),
    ("LinLibertine_RI.otf", include_bytes!("../../../fonts/linux-libertine/LinLibertine_RI.otf")),
    ("LinLibertine_RB.otf", include_bytes!("../../../fonts/linux-libertine/LinLibertine_RB.otf")),
    ("LinLibertine_RBI.otf", include_bytes!("../../../fonts/linux-libertine/LinLibertine_RBI.otf")),
    ("JetBrainsMono-Regular.ttf", include_bytes!("../../../fonts/jetbrains-mono/JetBrainsMono-Regular.ttf")),
];

/// One font file's bytes and facts read from it once.
#[derive(Debug)]
pub struct FontData {
    /// The file name (for messages and the colophon).
    pub file: String,
    pub bytes: Cow<'static, [u8]>,
    /// PostScript name, without a subset tag.
    pub postscript_name: String,
    /// Family name, for the colophon.
    pub family: String,
}

/// The loaded font files of one layout, in [`FaceId`] order.
#[derive(Debug)]
pub struct Fonts {
    pub faces: Vec<FontData>,
}

impl Fonts {
    /// The bundled faces, replaced by any files the layout names. A file
    /// that cannot be read or parsed is an error naming it.
    pub fn load(layout: &PdfLayout) -> Result<Fonts, Diagnostic> {
        let FontFiles { regular, italic, bold, bold_italic, mono } = &layout.fonts;
        let chosen = [regular, italic, bold, bold_italic, mono];
        let mut faces = Vec::with_capacity(5);
        for ((name, bytes), custom) in BUNDLED.iter().zip(chosen) {
            let (file, bytes): (String, Cow<'static, [u8]>) = match custom {
                Some(path) => {
                    let read = std::fs::read(path).map_err(|e| {
                        Diagnostic::error(format!("cannot read the font file: {e}")).at(Location::file(path))
                    })?;
                    (path.display().to_string(), Cow::Owned(read))
                }
                None => ((*name).to_string(), Cow::Borrowed(*bytes)),
            };
            faces.push(FontData::parse(file, bytes, custom.as_deref())?);
        }
        Ok(Fonts { faces })
    }

    /// The bundled faces alone.
    pub fn bundled() -> Fonts {
        let faces = BUNDLED
            .iter()
            .map(|(name, bytes)| {
                FontData::parse((*name).to_string(), Cow::Borrowed(*bytes), None)
                    .expect("the bundled fonts parse")
            })
            .collect();
        Fonts { faces }
    }

    pub fn data(&self, face: FaceId) -> &FontData {
        &self.faces[face.index()]
    }
}

impl FontData {
    fn parse(file: String, bytes: Cow<'static, [u8]>, path: Option<&Path>) -> Result<FontData, Diagnostic> {
        let unreadable = |why: &str| {
            let diag = Diagnostic::error(format!("`{file}` is not a usable font: {why}"));
            match path {
                Some(p) => diag.at(Location::file(p)),
                None => diag,
            }
        };
        let face = rustybuzz::ttf_parser::Face::parse(&bytes, 0).map_err(|e| unreadable(&e.to_string()))?;
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
        Ok(FontData { file, bytes, postscript_name, family })
    }
}

/// A glyph as shaped: its id in its face, its advance in points (with
/// kerning), and the byte in the shaped text it comes from.
#[derive(Debug, Clone, Copy)]
pub struct ShapedGlyph {
    pub id: u16,
    pub face: FaceId,
    pub advance: f64,
    pub cluster: usize,
}

/// Which OpenType features a run asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct Features {
    pub small_caps: bool,
}

/// Face, features and script tag: what a shaping plan depends on.
type PlanKey = (FaceId, Features, [u8; 4]);
/// Face, features and size (as bits): what a shaped word depends on.
type StyleKey = (FaceId, Features, u64);

/// Parsed faces with cached shaping plans, and the record of used glyphs.
pub struct Shaper<'a> {
    faces: Vec<BuzzFace<'a>>,
    units: Vec<f64>,
    plans: RefCell<HashMap<PlanKey, ShapePlan>>,
    /// Shaped words by face, features and size.
    cache: RefCell<HashMap<StyleKey, HashMap<String, Vec<ShapedGlyph>>>>,
    /// Per face: glyph id → the text it stands for (first seen wins).
    used: RefCell<Vec<BTreeMap<u16, String>>>,
    /// Characters no face has, for one warning each.
    missing: RefCell<BTreeSet<char>>,
}

impl<'a> Shaper<'a> {
    pub fn new(fonts: &'a Fonts) -> Result<Shaper<'a>, Diagnostic> {
        let mut faces = Vec::new();
        for data in &fonts.faces {
            let face = BuzzFace::from_slice(&data.bytes, 0)
                .ok_or_else(|| Diagnostic::error(format!("`{}` is not a usable font", data.file)))?;
            faces.push(face);
        }
        let units = faces.iter().map(|f| f64::from(f.units_per_em().max(1))).collect();
        Ok(Shaper {
            faces,
            units,
            plans: RefCell::new(HashMap::new()),
            cache: RefCell::new(HashMap::new()),
            used: RefCell::new(vec![BTreeMap::new(); 5]),
            missing: RefCell::new(BTreeSet::new()),
        })
    }

    fn face(&self, id: FaceId) -> &BuzzFace<'a> {
        &self.faces[id.index()]
    }

    /// Whether `face` has a glyph for `c`.
    pub fn covers(&self, face: FaceId, c: char) -> bool {
        self.face(face).glyph_index(c).is_some()
    }

    /// The face that draws `c`: `face` itself, else the closest bundled
    /// face that has it (regular, then the other faces).
    fn face_for(&self, face: FaceId, c: char) -> FaceId {
        if c.is_whitespace() || c.is_control() || self.covers(face, c) {
            return face;
        }
        let order = [face.toggle_italic(), FaceId::Regular, FaceId::Italic, FaceId::Bold, FaceId::Mono];
        match order.into_iter().find(|&f| self.covers(f, c)) {
            Some(found) => found,
            None => {
                self.missing.borrow_mut().insert(c);
                face
            }
        }
    }

    /// Shape `text` in `face` at `size` points; glyphs come in logical
    /// order with clusters as byte offsets into `text` plus `base`.
    /// Characters the face lacks are shaped in a fallback face.
    ///
    /// Words and spaces are shaped separately and cached (ligatures and
    /// kerning do not cross spaces in the text faces), which makes a long
    /// document cost little more than its vocabulary.
    pub fn shape(
        &self,
        text: &str,
        base: usize,
        face: FaceId,
        features: Features,
        size: f64,
        out: &mut Vec<ShapedGlyph>,
    ) {
        let mut start = 0;
        while start < text.len() {
            let space = text[start..].starts_with(' ');
            let len = text[start..].find(|c: char| (c == ' ') != space).unwrap_or(text.len() - start);
            let segment = &text[start..start + len];
            let key = (face, features, size.to_bits());
            let mut cache = self.cache.borrow_mut();
            let words = cache.entry(key).or_default();
            if !words.contains_key(segment) {
                let mut glyphs = Vec::new();
                self.shape_uncached(segment, 0, face, features, size, &mut glyphs);
                words.insert(segment.to_string(), glyphs);
            }
            let glyphs = &words[segment];
            out.extend(glyphs.iter().map(|g| ShapedGlyph { cluster: g.cluster + base + start, ..*g }));
            start += len;
        }
    }

    fn shape_uncached(
        &self,
        text: &str,
        base: usize,
        face: FaceId,
        features: Features,
        size: f64,
        out: &mut Vec<ShapedGlyph>,
    ) {
        let mut start = 0;
        let mut current: Option<FaceId> = None;
        for (i, c) in text.char_indices() {
            let f = self.face_for(face, c);
            match current {
                Some(cur) if cur != f => {
                    self.shape_one(&text[start..i], base + start, cur, features, size, out);
                    start = i;
                    current = Some(f);
                }
                None => current = Some(f),
                _ => {}
            }
        }
        if let Some(cur) = current {
            self.shape_one(&text[start..], base + start, cur, features, size, out);
        }
    }

    fn shape_one(
        &self,
        text: &str,
        base: usize,
        face: FaceId,
        features: Features,
        size: f64,
        out: &mut Vec<ShapedGlyph>,
    ) {
        if text.is_empty() {
            return;
        }
        let script = script_of(text);
        let buzz = self.face(face);
        let mut plans = self.plans.borrow_mut();
        let plan = plans.entry((face, features, script.tag().to_bytes())).or_insert_with(|| {
            let feats: Vec<Feature> = if features.small_caps {
                vec![Feature::new(Tag::from_bytes(b"smcp"), 1, ..)]
            } else {
                Vec::new()
            };
            ShapePlan::new(buzz, Direction::LeftToRight, Some(script), None, &feats)
        });
        let mut buffer = UnicodeBuffer::new();
        buffer.push_str(text);
        buffer.set_direction(Direction::LeftToRight);
        buffer.set_script(script);
        let shaped = rustybuzz::shape_with_plan(buzz, plan, buffer);
        let scale = size / self.units[face.index()];
        let infos = shaped.glyph_infos();
        let positions = shaped.glyph_positions();
        let mut used = self.used.borrow_mut();
        let used = &mut used[face.index()];
        for (n, (info, pos)) in infos.iter().zip(positions).enumerate() {
            let cluster = info.cluster as usize;
            let id = info.glyph_id as u16;
            used.entry(id).or_insert_with(|| {
                // The text of the cluster, given to its first glyph only.
                let end = infos[n + 1..]
                    .iter()
                    .map(|g| g.cluster as usize)
                    .find(|&c| c != cluster)
                    .unwrap_or(text.len());
                let first_of_cluster = n == 0 || infos[n - 1].cluster as usize != cluster;
                let chars = if first_of_cluster { text.get(cluster..end).unwrap_or("") } else { "" };
                chars.to_string()
            });
            out.push(ShapedGlyph {
                id,
                face,
                advance: f64::from(pos.x_advance) * scale,
                cluster: base + cluster,
            });
        }
    }

    /// The advance of one character in `face` (unshaped), in points.
    pub fn char_glyph(&self, face: FaceId, c: char, size: f64) -> Option<ShapedGlyph> {
        let buzz = self.face(face);
        let id = buzz.glyph_index(c)?;
        let advance = f64::from(buzz.glyph_hor_advance(id).unwrap_or(0)) * size / self.units[face.index()];
        self.used.borrow_mut()[face.index()].entry(id.0).or_insert_with(|| c.to_string());
        Some(ShapedGlyph { id: id.0, face, advance, cluster: 0 })
    }

    /// The natural width of `text` in `face`, in points.
    pub fn width(&self, text: &str, face: FaceId, features: Features, size: f64) -> f64 {
        let mut glyphs = Vec::new();
        self.shape(text, 0, face, features, size, &mut glyphs);
        glyphs.iter().map(|g| g.advance).sum()
    }

    /// Hand over the glyph record and warnings for missing characters.
    pub fn finish(self) -> (Vec<BTreeMap<u16, String>>, Vec<Diagnostic>) {
        let warnings = self
            .missing
            .into_inner()
            .into_iter()
            .map(|c| {
                Diagnostic::warning(format!(
                    "no bundled font has a glyph for `{c}` (U+{:04X}); it prints as a blank box",
                    c as u32
                ))
                .hint("name a font that has it under `fonts:` in the layout")
            })
            .collect();
        (self.used.into_inner(), warnings)
    }
}

fn script_of(text: &str) -> rustybuzz::Script {
    use rustybuzz::script;
    for c in text.chars() {
        match c as u32 {
            0x0370..=0x03FF | 0x1F00..=0x1FFF => return script::GREEK,
            0x0400..=0x052F => return script::CYRILLIC,
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
        shaper.shape("☃", 0, FaceId::Regular, Features::default(), 10.0, &mut glyphs);
        let (_, warnings) = shaper.finish();
        assert_eq!(warnings.len(), 1);
        assert!(warnings[0].message.contains("U+2603"), "{}", warnings[0]);
    }
}
