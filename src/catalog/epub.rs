//! What the kit takes from a built EPUB: its cover picture and the
//! accessibility metadata its package document declares. The EPUB is read
//! as a zip (the EPUB backend knows nothing of the catalogue).

use std::io::Read;
use std::path::Path;

/// The most a cover picture inside an EPUB may take in memory.
const MAX_COVER_BYTES: u64 = 32 << 20;
/// The most a package document may take.
const MAX_OPF_BYTES: u64 = 4 << 20;

#[derive(Debug, Default, Clone)]
pub struct Facts {
    /// The `cover-image` item's bytes.
    pub cover: Option<Vec<u8>>,
    /// `schema:accessibilityFeature` values, in the package's order.
    pub features: Vec<String>,
    /// `schema:accessibilityHazard` values.
    pub hazards: Vec<String>,
    /// `schema:accessibilitySummary`.
    pub summary: Option<String>,
}

/// Read `epub`'s cover and accessibility metadata; `None` when the file is
/// missing or not a readable EPUB (the kit then goes without).
pub fn read(epub: &Path) -> Option<Facts> {
    let file = std::fs::File::open(epub).ok()?;
    let mut zip = zip::ZipArchive::new(file).ok()?;
    let container = entry(&mut zip, "META-INF/container.xml", MAX_OPF_BYTES)?;
    let container = String::from_utf8(container).ok()?;
    let doc = roxmltree::Document::parse(&container).ok()?;
    let opf_path =
        doc.descendants().find(|n| n.has_tag_name("rootfile"))?.attribute("full-path")?.to_string();
    let opf = String::from_utf8(entry(&mut zip, &opf_path, MAX_OPF_BYTES)?).ok()?;
    let package = roxmltree::Document::parse(&opf).ok()?;
    let folder = opf_path.rsplit_once('/').map_or("", |(dir, _)| dir);
    let mut facts = Facts::default();
    for meta in package.descendants().filter(|n| n.has_tag_name("meta")) {
        let text = meta.text().unwrap_or_default().trim().to_string();
        match meta.attribute("property") {
            Some("schema:accessibilityFeature") => facts.features.push(text),
            Some("schema:accessibilityHazard") => facts.hazards.push(text),
            Some("schema:accessibilitySummary") => facts.summary = Some(text),
            _ => {}
        }
    }
    let cover = package.descendants().find(|n| {
        n.has_tag_name("item")
            && n.attribute("properties").is_some_and(|p| p.split(' ').any(|p| p == "cover-image"))
    });
    if let Some(href) = cover.and_then(|n| n.attribute("href")) {
        let name = if folder.is_empty() { href.to_string() } else { format!("{folder}/{href}") };
        facts.cover = entry(&mut zip, &name, MAX_COVER_BYTES);
    }
    Some(facts)
}

fn entry(zip: &mut zip::ZipArchive<std::fs::File>, name: &str, limit: u64) -> Option<Vec<u8>> {
    let file = zip.by_name(name).ok()?;
    let mut bytes = Vec::new();
    // Bounded: a zip bomb inside an EPUB cannot take the memory.
    file.take(limit).read_to_end(&mut bytes).ok()?;
    Some(bytes)
}
