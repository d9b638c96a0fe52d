//! Reading an EPUB edition in the browser: its chapters in reading order
//! (from the package's spine) and each file of the package by its name, so
//! that the chapters show with their own CSS and links between them work.

use std::io::Read;
use std::path::Path;

/// The largest file read out of a package (the e-book's own files are far
/// smaller: this only bounds a damaged or hostile archive).
const MAX_ENTRY: u64 = 64 << 20;

/// A chapter: its file in the package and its title.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Chapter {
    pub entry: String,
    pub title: String,
}

type Package = zip::ZipArchive<std::fs::File>;

fn open(epub: &Path) -> Option<Package> {
    zip::ZipArchive::new(std::fs::File::open(epub).ok()?).ok()
}

/// One file of the package at `epub`, by its name inside the archive.
pub fn entry(epub: &Path, name: &str) -> Option<Vec<u8>> {
    read(&mut open(epub)?, name)
}

fn read(package: &mut Package, name: &str) -> Option<Vec<u8>> {
    let entry = package.by_name(name).ok()?;
    if entry.size() > MAX_ENTRY {
        return None;
    }
    let mut bytes = Vec::with_capacity(entry.size() as usize);
    entry.take(MAX_ENTRY).read_to_end(&mut bytes).ok()?;
    Some(bytes)
}

/// The chapters of the package at `epub`, in reading order (the archive
/// opened once for all of them: the preview page lists them on every round).
pub fn chapters(epub: &Path) -> Vec<Chapter> {
    let Some(mut package_file) = open(epub) else { return Vec::new() };
    let mut text = |name: &str| read(&mut package_file, name).and_then(|b| String::from_utf8(b).ok());
    let Some(container) = text("META-INF/container.xml") else { return Vec::new() };
    let Some(package_path) = attribute_of(&container, "rootfile", "full-path") else { return Vec::new() };
    let Some(package) = text(&package_path) else { return Vec::new() };
    let folder = package_path.rsplit_once('/').map_or("", |(folder, _)| folder);
    let Ok(opf) = roxmltree::Document::parse(&package) else { return Vec::new() };
    let manifest: Vec<(&str, &str)> = opf
        .descendants()
        .filter(|n| n.has_tag_name("item"))
        .filter_map(|n| Some((n.attribute("id")?, n.attribute("href")?)))
        .collect();
    let spine = opf.descendants().filter(|n| n.has_tag_name("itemref")).filter_map(|n| n.attribute("idref"));
    spine
        .filter_map(|id| manifest.iter().find(|(item, _)| *item == id).map(|(_, href)| *href))
        .map(|href| {
            let entry = if folder.is_empty() { href.to_string() } else { format!("{folder}/{href}") };
            let title = text(&entry).and_then(|xhtml| title_of(&xhtml)).unwrap_or_else(|| href.to_string());
            Chapter { entry, title }
        })
        .collect()
}

fn attribute_of(xml: &str, element: &str, attribute: &str) -> Option<String> {
    let doc = roxmltree::Document::parse(xml).ok()?;
    let node = doc.descendants().find(|n| n.has_tag_name(element))?;
    node.attribute(attribute).map(str::to_string)
}

/// The `<title>` of an XHTML chapter.
fn title_of(xhtml: &str) -> Option<String> {
    let options = roxmltree::ParsingOptions { allow_dtd: true, ..Default::default() };
    let doc = roxmltree::Document::parse_with_options(xhtml, options).ok()?;
    let title = doc.descendants().find(|n| n.has_tag_name("title"))?;
    let text: String = title.descendants().filter(|n| n.is_text()).filter_map(|n| n.text()).collect();
    let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
    (!text.is_empty()).then_some(text)
}

/// The media type of a file in the package, by its extension.
pub fn media_type(name: &str) -> &'static str {
    let extension = name.rsplit_once('.').map_or("", |(_, e)| e).to_ascii_lowercase();
    match extension.as_str() {
        "xhtml" | "html" => "application/xhtml+xml; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "webp" => "image/webp",
        "svg" => "image/svg+xml",
        "otf" => "font/otf",
        "ttf" => "font/ttf",
        "woff" => "font/woff",
        "woff2" => "font/woff2",
        "opf" | "ncx" | "xml" => "application/xml; charset=utf-8",
        _ => "application/octet-stream",
    }
}
