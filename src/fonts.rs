//! The libre faces compiled into mimeo (see `fonts/README.md` for their
//! licences): the PDF backend's type, and the faces text in SVG pictures
//! is set in.

/// The faces compiled in, in the PDF backend's `FaceId` order (the CJK faces are not: Noto
/// CJK is some 20 MB a face).
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
