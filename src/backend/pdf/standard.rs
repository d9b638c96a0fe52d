//! What the PDF standards a file claims ask beyond what every mimeo PDF has.
//!
//! - **PDF/X-4** (ISO 15930-7), the print and riso variants: the
//!   `GTS_PDFX` output intent with the bundled CMYK profile
//!   (`icc/mimeo-FOGRA39L.icc`, Zlib; see `icc/README.md`), `/Trapped
//!   /False` in the document info and the XMP, `pdfxid:GTS_PDFXVersion`,
//!   the XMP media-management ids, PDF 1.6. The writer already gives every
//!   page a TrimBox inside its BleedBox inside its MediaBox, embeds every
//!   font, and writes print files without RGB (black as DeviceCMYK K,
//!   pictures gray) or, for riso, only in Separation inks.
//! - **PDF/UA-1** (ISO 14289-1), tagged screen files: `pdfuaid:part`,
//!   `/DisplayDocTitle`, link annotations in the structure tree with
//!   their `/Contents`, `/Tabs /S` on pages with annotations, notes with
//!   an `/ID` (done by the writer's structure pass).

use pdf_lopdf::{Dictionary, Object, Stream, StringFormat};

/// The CMYK output profile of print files (ICC v2, class `prtr`).
pub const OUTPUT_PROFILE: &[u8] = include_bytes!("../../../icc/mimeo-FOGRA39L.icc");

/// The registered printing condition the profile characterises.
pub const OUTPUT_CONDITION: &str = "FOGRA39";

/// The `/OutputIntents` array of a PDF/X-4 file, its profile added to `pdf`.
pub fn output_intents(pdf: &mut pdf_lopdf::Document) -> Object {
    let profile = Stream::new(
        Dictionary::from_iter(vec![
            ("N", Object::Integer(4)),
            ("Alternate", Object::Name(b"DeviceCMYK".to_vec())),
        ]),
        OUTPUT_PROFILE.to_vec(),
    );
    let profile = pdf.add_object(profile);
    let literal = |s: &str| Object::String(s.as_bytes().to_vec(), StringFormat::Literal);
    let intent = Dictionary::from_iter(vec![
        ("Type", Object::Name(b"OutputIntent".to_vec())),
        ("S", Object::Name(b"GTS_PDFX".to_vec())),
        ("OutputConditionIdentifier", literal(OUTPUT_CONDITION)),
        ("OutputCondition", literal("Offset printing on coated paper, ISO 12647-2:2004/Amd 1 (FOGRA39)")),
        ("RegistryName", literal("http://www.color.org")),
        ("Info", literal("mimeo FOGRA39L, made from FOGRA39L.ti3 (Zlib)")),
        ("DestOutputProfile", Object::Reference(profile)),
    ]);
    Object::Array(vec![Object::Dictionary(intent)])
}

/// `uuid:` and the 16 bytes of `id` in the UUID form, for XMP ids.
pub fn uuid(id: &[u8]) -> String {
    let hex: String = id.iter().take(16).map(|b| format!("{b:02x}")).collect();
    let hex = format!("{hex:0<32}");
    format!("uuid:{}-{}-{}-{}-{}", &hex[..8], &hex[8..12], &hex[12..16], &hex[16..20], &hex[20..32])
}
