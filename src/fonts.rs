//! The libre faces compiled into mimeo (see `fonts/README.md` for their
//! licences): the PDF backend's type, and the faces text in SVG pictures
//! is set in.

/// The faces compiled in as they are, in the PDF backend's `FaceId` order (the CJK faces
/// come compressed: see [`cjk`]).
pub const BUNDLED: [(&str, &[u8]); 7] = [
    ("LinLibertine_R.otf", include_bytes!("../fonts/linux-libertine/LinLibertine_R.otf")),
    ("LinLibertine_RI.otf", include_bytes!("../fonts/linux-libertine/LinLibertine_RI.otf")),
    ("LinLibertine_RB.otf", include_bytes!("../fonts/linux-libertine/LinLibertine_RB.otf")),
    ("LinLibertine_RBI.otf", include_bytes!("../fonts/linux-libertine/LinLibertine_RBI.otf")),
    ("JetBrainsMono-Regular.ttf", include_bytes!("../fonts/jetbrains-mono/JetBrainsMono-Regular.ttf")),
    ("Amiri-Regular.ttf", include_bytes!("../fonts/amiri/Amiri-Regular.ttf")),
    ("Amiri-Bold.ttf", include_bytes!("../fonts/amiri/Amiri-Bold.ttf")),
];

/// The family of the bundled body face (the default for text in SVG pictures).
pub const BODY_FAMILY: &str = "Linux Libertine O";

/// The bytes of every bundled face.
pub fn bundled_faces() -> impl Iterator<Item = &'static [u8]> {
    BUNDLED.iter().map(|(_, bytes)| *bytes)
}

/// The bundled CJK faces, regular and bold: Noto Serif CJK cut to the
/// characters of everyday Chinese (Simplified and Traditional), Japanese
/// and Korean with every region's glyph forms (`fonts/noto-serif-cjk/`),
/// Brotli-compressed (about 4.6 MB a weight instead of 6.8 MB, and 25 MB
/// for the whole face).
const CJK: [(&str, &[u8]); 2] = [
    (
        "NotoSerifCJK-Subset-Regular.otf",
        include_bytes!("../fonts/noto-serif-cjk/NotoSerifCJK-Subset-Regular.otf.br"),
    ),
    (
        "NotoSerifCJK-Subset-Bold.otf",
        include_bytes!("../fonts/noto-serif-cjk/NotoSerifCJK-Subset-Bold.otf.br"),
    ),
];

/// A bundled CJK face (its file name and bytes), decompressed on first use
/// only: most documents never need it, and those that do pay some 40 ms
/// once per process.
pub fn cjk(bold: bool) -> (&'static str, &'static [u8]) {
    static FACES: [std::sync::OnceLock<Vec<u8>>; 2] =
        [std::sync::OnceLock::new(), std::sync::OnceLock::new()];
    let (name, compressed) = CJK[usize::from(bold)];
    let bytes = FACES[usize::from(bold)].get_or_init(|| {
        let mut out = Vec::with_capacity(compressed.len() * 3 / 2);
        brotli_decompressor::BrotliDecompress(&mut &compressed[..], &mut out)
            .expect("the bundled CJK faces decompress");
        out
    });
    (name, bytes)
}

#[cfg(test)]
mod tests {
    #[test]
    fn bundled_cjk_faces_cover_chinese_japanese_and_korean() {
        for bold in [false, true] {
            let (name, bytes) = super::cjk(bold);
            let face = rustybuzz::ttf_parser::Face::parse(bytes, 0).expect(name);
            // Simplified, Traditional, Cantonese, kana, hangul, full-width punctuation.
            for c in "说說嘅かカ한국。，「」（）".chars() {
                assert!(face.glyph_index(c).is_some(), "{name} lacks {c}");
            }
        }
    }
}
