//! The EPUB container, made reproducible. epub-builder writes its zip with
//! the current time on every entry (and its `Zip` trait is private), so the
//! archive it produces is re-packed here: the `mimetype` entry first and
//! stored, then every other entry with a fixed time (the edition's epoch)
//! and fixed permissions. On the way the package files get what
//! epub-builder's templates cannot express: our own `<metadata>` block in
//! the OPF (escaped, with roles, accessibility metadata and `dc:source`), and
//! language, direction and a `page-list` in the nav document.

use std::io::{Cursor, Read, Write};

use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, DateTime, ZipArchive, ZipWriter};

/// What the package files get beyond epub-builder's templates.
pub struct Patches {
    /// `(entry, bytes)`: files epub-builder was given empty, stored here
    /// as they are (pictures and recordings, compressed already).
    pub stored: Vec<(String, Vec<u8>)>,
    /// Replaces the content of the OPF's `<metadata>` element.
    pub opf_metadata: String,
    /// `xml:lang` and `dir` for the OPF's `<package>` element.
    pub language_attributes: String,
    /// `xml:lang`, `lang` and `dir` for the nav document's `<html>` element.
    pub html_attributes: String,
    /// Appended to the nav document's body (the page list).
    pub nav_extra: String,
    /// `(href, attributes)`: language attributes for the nav's links to
    /// `href` (titles in another language than the book's).
    pub nav_languages: Vec<(String, String)>,
    /// Attributes for the nav's heading (an English default label).
    pub nav_title_language: String,
    /// The NCX's document title (escaped).
    pub ncx_title: String,
    /// `(label, href)` of the printed pages, for the NCX's `<pageList>`
    /// (none without pages): EPUB 2 readers and Calibre read the printed
    /// pages from it, not from the nav.
    pub ncx_pages: Vec<(String, String)>,
    /// The page list's heading.
    pub pages_label: String,
    /// `(content document, its SMIL file, the SMIL's duration)`: each
    /// content document's manifest item gets `media-overlay`, and the
    /// metadata the SMIL file's `media:duration`.
    pub overlays: Vec<(String, String, String)>,
    /// `(URL, media type)` of a resource the book plays from the web (a
    /// linked recording): listed in the manifest, as EPUB asks.
    pub remote: Option<(String, String)>,
}

/// The package files [`patch`] rewrites; every other entry is copied.
const PATCHED: [&str; 3] = ["OEBPS/content.opf", "OEBPS/nav.xhtml", "OEBPS/toc.ncx"];

/// Re-pack the archive `epub` with entry times from `epoch`, applying `patches`.
pub fn repack(epub: &[u8], epoch: i64, patches: &Patches) -> Result<Vec<u8>, String> {
    let zip_error = |e: zip::result::ZipError| format!("cannot re-pack the EPUB: {e}");
    let io_error = |e: std::io::Error| format!("cannot re-pack the EPUB: {e}");
    let mut archive = ZipArchive::new(Cursor::new(epub)).map_err(zip_error)?;
    let mut writer = ZipWriter::new(Cursor::new(Vec::with_capacity(epub.len() + 4096)));
    let stored = SimpleFileOptions::default()
        .compression_method(CompressionMethod::Stored)
        .last_modified_time(zip_time(epoch))
        .unix_permissions(0o644);
    let deflated = stored.compression_method(CompressionMethod::Deflated);
    writer.start_file("mimetype", stored).map_err(zip_error)?;
    writer.write_all(b"application/epub+zip").map_err(io_error)?;
    let mut bytes = Vec::new();
    for i in 0..archive.len() {
        let mut file = archive.by_index(i).map_err(zip_error)?;
        let name = file.name().to_string();
        if name == "mimetype" || file.is_dir() {
            continue;
        }
        if let Some((_, bytes)) = patches.stored.iter().find(|(entry, _)| *entry == name) {
            writer.start_file(name.as_str(), stored).map_err(zip_error)?;
            writer.write_all(bytes).map_err(io_error)?;
            continue;
        }
        // Images and recordings are compressed already: stored, not deflated again.
        let compressed =
            [".png", ".jpg", ".gif", ".webp", ".mp3", ".m4a"].iter().any(|ext| name.ends_with(ext));
        if !compressed && !PATCHED.contains(&name.as_str()) {
            // epub-builder deflated it with the same options: its compressed
            // bytes are kept as they are (re-compressing every chapter cost a
            // tenth of the EPUB's time); only the time and mode are ours.
            writer.raw_copy_file_touch(file, zip_time(epoch), Some(0o644)).map_err(zip_error)?;
            continue;
        }
        bytes.clear();
        file.read_to_end(&mut bytes).map_err(io_error)?;
        let content = patch(&name, &bytes, patches)?;
        writer.start_file(name.as_str(), if compressed { stored } else { deflated }).map_err(zip_error)?;
        writer.write_all(content.as_deref().unwrap_or(&bytes)).map_err(io_error)?;
    }
    Ok(writer.finish().map_err(zip_error)?.into_inner())
}

/// A zip entry time from Unix seconds; zip cannot say before 1980 or
/// after 2107, so those clamp to the ends.
fn zip_time(epoch: i64) -> DateTime {
    use chrono::{Datelike, Timelike};
    let Some(t) = chrono::DateTime::from_timestamp(epoch, 0) else { return DateTime::default() };
    let year = t.year();
    if year < 1980 {
        return DateTime::default();
    }
    if year > 2107 {
        return DateTime::from_date_and_time(2107, 12, 31, 23, 59, 58).unwrap_or_default();
    }
    DateTime::from_date_and_time(
        year as u16,
        t.month() as u8,
        t.day() as u8,
        t.hour() as u8,
        t.minute() as u8,
        t.second() as u8,
    )
    .unwrap_or_default()
}

/// Replace what lies between the end of the start tag found by `open` and `close`.
fn replace_inside(text: &str, open: &str, close: &str, with: &str) -> Option<String> {
    let start = text.find(open)?;
    let start = start + text[start..].find('>')? + 1;
    let end = start + text[start..].find(close)?;
    Some(format!("{}{}{}", &text[..start], with, &text[end..]))
}

/// The patched content of package file `name`, or `None` to keep it as it is.
fn patch(name: &str, bytes: &[u8], patches: &Patches) -> Result<Option<Vec<u8>>, String> {
    let text = || std::str::from_utf8(bytes).map_err(|_| format!("{name} from epub-builder is not UTF-8"));
    let patched = match name {
        "OEBPS/content.opf" => {
            let package = "<package version=\"3.0\" ";
            replace_inside(text()?, "<metadata", "</metadata>", &patches.opf_metadata)
                .filter(|opf| opf.contains(package))
                .map(|opf| opf.replacen(package, &format!("{package}{} ", patches.language_attributes), 1))
                .and_then(|opf| media_overlays(opf, &patches.overlays))
                .map(|opf| match &patches.remote {
                    // The SMIL files play it: they say so.
                    Some((url, media_type)) => opf
                        .replace(
                            "media-type=\"application/smil+xml\" id=",
                            "media-type=\"application/smil+xml\" properties=\"remote-resources\" id=",
                        )
                        .replacen(
                        "  </manifest>",
                        &format!(
                            "    <item id=\"recording\" href=\"{}\" media-type=\"{media_type}\"/>\n  </manifest>",
                            super::xml::field_attr(url)
                        ),
                        1,
                    ),
                    None => opf,
                })
        }
        "OEBPS/nav.xhtml" => {
            let html =
                "<html xmlns=\"http://www.w3.org/1999/xhtml\" xmlns:epub=\"http://www.idpf.org/2007/ops\"";
            let replacements = [
                (html, format!("{html} {}", patches.html_attributes)),
                (
                    "<nav epub:type = \"toc\" id=\"toc\">",
                    "<nav epub:type=\"toc\" id=\"toc\" role=\"doc-toc\" aria-labelledby=\"toc-title\">"
                        .into(),
                ),
                (
                    "<nav epub:type = \"landmarks\">",
                    "<nav epub:type=\"landmarks\" id=\"landmarks\" hidden=\"hidden\">".into(),
                ),
                ("</body>", format!("{}</body>", patches.nav_extra)),
            ];
            let mut text = text()?.to_string();
            let mut complete = true;
            for (from, to) in &replacements {
                complete &= text.contains(from);
                text = text.replacen(from, to, 1);
            }
            for (href, attributes) in &patches.nav_languages {
                let from = format!("href=\"{href}\">");
                text = text.replace(&from, &format!("href=\"{href}\"{attributes}>"));
            }
            let heading = "<h1 id=\"toc-title\">";
            text = text.replacen(heading, &format!("<h1 id=\"toc-title\"{}>", patches.nav_title_language), 1);
            complete.then_some(text)
        }
        "OEBPS/toc.ncx" => {
            let title = format!("\n    <text>{}</text>\n  ", patches.ncx_title);
            let pages = "name=\"dtb:totalPageCount\" content=\"";
            let count = format!("{pages}{}", patches.ncx_pages.len());
            replace_inside(text()?, "<docTitle", "</docTitle>", &title)
                .map(|ncx| ncx.replacen(&format!("{pages}0"), &count, 1))
                .filter(|ncx| ncx.contains("</navMap>"))
                .map(|ncx| {
                    let list = ncx_page_list(patches, last_play_order(&ncx));
                    ncx.replacen("</navMap>", &format!("</navMap>{list}"), 1)
                })
        }
        _ => return Ok(None),
    };
    patched
        .map(|p| Some(p.into_bytes()))
        .ok_or_else(|| format!("{name} from epub-builder has an unexpected shape"))
}

/// The OPF with each content document's Media Overlay named on its
/// manifest item (`media-overlay`, which epub-builder cannot write) and
/// each overlay's `media:duration`; `None` if an item is missing.
fn media_overlays(mut opf: String, overlays: &[(String, String, String)]) -> Option<String> {
    if overlays.is_empty() {
        return Some(opf);
    }
    // The package's `prefix` does not name `media:`: it is reserved.
    let mut durations = String::new();
    for (text, smil, duration) in overlays {
        let id = item_id(&opf, smil)?;
        let item = format!(" href=\"{text}\"/>");
        let at = opf.find(&item)?;
        opf.replace_range(at..at + item.len(), &format!(" href=\"{text}\" media-overlay=\"{id}\"/>"));
        durations
            .push_str(&format!("  <meta property=\"media:duration\" refines=\"#{id}\">{duration}</meta>\n"));
    }
    let end = opf.find("</metadata>")?;
    opf.insert_str(end, &durations);
    Some(opf)
}

/// The manifest id of the item at `href`.
fn item_id(opf: &str, href: &str) -> Option<String> {
    let at = opf.find(&format!(" href=\"{href}\""))?;
    let start = opf[..at].rfind("<item")?;
    let tag = &opf[start..at];
    let id = tag.split(" id=\"").nth(1)?.split('"').next()?;
    Some(id.to_string())
}

/// The highest `playOrder` in the NCX: the page targets number on from it
/// (EPUBCheck refuses gaps in the sequence).
fn last_play_order(ncx: &str) -> usize {
    ncx.split("playOrder=\"")
        .skip(1)
        .filter_map(|rest| rest.split('"').next()?.parse().ok())
        .max()
        .unwrap_or(0)
}

/// The NCX's `<pageList>`, its targets numbered from `after + 1`; nothing
/// without pages.
fn ncx_page_list(patches: &Patches, after: usize) -> String {
    use super::xml::{push_attr, push_text};
    if patches.ncx_pages.is_empty() {
        return String::new();
    }
    let mut ncx = String::from("\n  <pageList>\n    <navLabel><text>");
    push_text(&mut ncx, &patches.pages_label);
    ncx.push_str("</text></navLabel>\n");
    for (n, (label, href)) in patches.ncx_pages.iter().enumerate() {
        let n = n + 1;
        ncx.push_str(&format!(
            "    <pageTarget id=\"pageTarget-{n}\" type=\"normal\" value=\"{n}\" playOrder=\"{}\"><navLabel><text>",
            after + n
        ));
        push_text(&mut ncx, label);
        ncx.push_str("</text></navLabel><content src=\"");
        push_attr(&mut ncx, href);
        ncx.push_str("\"/></pageTarget>\n");
    }
    ncx.push_str("  </pageList>\n");
    ncx
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times_clamp_to_what_zip_can_say() {
        assert_eq!(zip_time(0), DateTime::default());
        let t = zip_time(1_600_000_000); // 2020-09-13 12:26:40 UTC
        assert_eq!(
            (t.year(), t.month(), t.day(), t.hour(), t.minute(), t.second()),
            (2020, 9, 13, 12, 26, 40)
        );
        assert_eq!(zip_time(i64::MAX), DateTime::default());
        assert_eq!(zip_time(9_000_000_000).year(), 2107);
    }

    #[test]
    fn replace_inside_keeps_the_tags() {
        assert_eq!(
            replace_inside("<a x=\"1\">old</a>", "<a", "</a>", "new").as_deref(),
            Some("<a x=\"1\">new</a>")
        );
        assert_eq!(replace_inside("<b>old</b>", "<a", "</a>", "new"), None);
    }
}
