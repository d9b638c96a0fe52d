//! What DOCX and ODT share: the ZIP container (read with `zip`, every
//! entry bounded so that a ZIP bomb is refused, not unpacked), the XML
//! (read with `roxmltree`, which refuses any DTD: entity bombs and
//! external entities are never expanded, let alone fetched) and the
//! document they become.

use std::io::{Cursor, Read as _};
use std::path::Path;

use crate::diag::{Diagnostic, Location};

use super::Format;
use super::paragraphs::Paragraph;

/// The most one entry may unpack to. A long transcript's document.xml is
/// a few MiB; more is a bomb or not a transcript.
pub const MAX_ENTRY_BYTES: u64 = 64 << 20;
/// The most all the entries read may unpack to together.
pub const MAX_TOTAL_BYTES: u64 = 128 << 20;
/// The most XML nodes one entry may hold.
const MAX_NODES: u32 = 4_000_000;
/// The deepest XML elements may nest. The readers walk the tree
/// recursively; word processors nest a few dozen levels at most.
pub const MAX_DEPTH: usize = 512;

/// A word-processor document, read.
#[derive(Debug, Default)]
pub struct Document {
    pub paragraphs: Vec<Paragraph>,
    pub title: Option<String>,
    pub subtitle: Option<String>,
    pub authors: Vec<String>,
    pub language: Option<String>,
    /// Footnotes (marked text), numbered from 1 in order of reference.
    pub notes: Vec<String>,
    /// A Title (and Subtitle) paragraph was read: it wins over the
    /// metadata, being what the reader of the document sees.
    pub title_paragraph: bool,
    pub subtitle_paragraph: bool,
}

/// The magic of an OLE compound file: an old Word file, or an encrypted
/// (password-protected) Office document.
const CFB_MAGIC: &[u8] = b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1";

/// DOCX or ODT, from the bytes.
pub fn sniff(bytes: &[u8]) -> Option<Format> {
    if bytes.starts_with(CFB_MAGIC) && is_encrypted_package(bytes) {
        return Some(Format::Docx);
    }
    if !bytes.starts_with(b"PK\x03\x04") {
        return None;
    }
    let head = &bytes[..bytes.len().min(256)];
    if find(head, b"application/vnd.oasis.opendocument.text").is_some() {
        return Some(Format::Odt);
    }
    (find(bytes, b"word/document.xml").is_some() || find(bytes, b"[Content_Types].xml").is_some())
        .then_some(Format::Docx)
}

/// An encrypted OOXML file keeps the package in a stream of this name.
fn is_encrypted_package(bytes: &[u8]) -> bool {
    let name: Vec<u8> = "EncryptedPackage".encode_utf16().flat_map(u16::to_le_bytes).collect();
    find(bytes, &name).is_some()
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

/// Read the DOCX or ODT file `bytes`.
pub fn read(path: &Path, bytes: &[u8], format: Format) -> Result<Document, Diagnostic> {
    let here = || Location::file(path);
    if bytes.starts_with(CFB_MAGIC) {
        return Err(if is_encrypted_package(bytes) {
            Diagnostic::error("the document is password-protected; mimeo cannot read it")
                .at(here())
                .hint("open it, remove the password (File › Info › Protect Document), save, and import again")
        } else {
            Diagnostic::error("this is an old Word (.doc) file, not a DOCX")
                .at(here())
                .hint("save it as .docx or .odt and import that")
        });
    }
    let mut archive = Archive::open(path, bytes, format)?;
    match format {
        Format::Docx => super::docx::read(&mut archive),
        _ => super::odt::read(&mut archive),
    }
}

/// A ZIP archive with a budget for what is unpacked.
pub struct Archive<'a> {
    zip: zip::ZipArchive<Cursor<&'a [u8]>>,
    pub path: &'a Path,
    pub format: Format,
    unpacked: u64,
}

impl<'a> Archive<'a> {
    fn open(path: &'a Path, bytes: &'a [u8], format: Format) -> Result<Self, Diagnostic> {
        let zip = zip::ZipArchive::new(Cursor::new(bytes)).map_err(|e| {
            Diagnostic::error(format!(
                "this {} is not a complete ZIP archive ({e}); the file may be cut short or damaged",
                format.title()
            ))
            .at(Location::file(path))
            .hint("open and save it again in the word processor, or copy it again")
        })?;
        Ok(Archive { zip, path, format, unpacked: 0 })
    }

    /// An error about this file.
    pub fn error(&self, message: impl Into<String>) -> Diagnostic {
        Diagnostic::error(message).at(Location::file(self.path))
    }

    /// The text of entry `name`, or `None` when there is none.
    pub fn text(&mut self, name: &str) -> Result<Option<String>, Diagnostic> {
        let (path, format) = (self.path, self.format);
        let error = |message: String| Diagnostic::error(message).at(Location::file(path));
        let mut entry = match self.zip.by_name(name) {
            Ok(entry) => entry,
            Err(zip::result::ZipError::FileNotFound) => return Ok(None),
            Err(zip::result::ZipError::UnsupportedArchive(why))
                if why == zip::result::ZipError::PASSWORD_REQUIRED =>
            {
                return Err(error(format!(
                    "the {} is password-protected; mimeo cannot read it",
                    format.title()
                ))
                .hint("open it, remove the password, save, and import again"));
            }
            Err(e) => return Err(error(format!("cannot unpack `{name}` from the {}: {e}", format.title()))),
        };
        let limit = MAX_ENTRY_BYTES.min(MAX_TOTAL_BYTES - self.unpacked);
        let too_big = |declared: u64| {
            Diagnostic::error(format!(
                "`{name}` unpacks to {} MiB or more; mimeo reads up to {} MiB (a ZIP bomb?)",
                declared.max(limit + 1) >> 20,
                limit >> 20
            ))
        };
        if entry.size() > limit {
            return Err(too_big(entry.size()).at(Location::file(self.path)));
        }
        // The declared size may lie: read one byte past the limit to know.
        let mut bytes = Vec::with_capacity(entry.size().min(limit) as usize);
        let read = (&mut entry).take(limit + 1).read_to_end(&mut bytes);
        drop(entry);
        read.map_err(|e| {
            self.error(format!("cannot unpack `{name}` from the {}: {e}", self.format.title()))
        })?;
        if bytes.len() as u64 > limit {
            return Err(too_big(bytes.len() as u64).at(Location::file(self.path)));
        }
        self.unpacked += bytes.len() as u64;
        let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").map(<[u8]>::to_vec).unwrap_or(bytes);
        String::from_utf8(bytes)
            .map(Some)
            .map_err(|_| self.error(format!("`{name}` in the {} is not UTF-8 XML", self.format.title())))
    }

    /// The text of entry `name`, which must be there.
    pub fn required(&mut self, name: &str) -> Result<String, Diagnostic> {
        let format = self.format;
        self.text(name)?.ok_or_else(|| {
            self.error(format!(
                "this ZIP archive has no `{name}`, so it is not a {} document",
                format.title()
            ))
            .hint("open and save it again in the word processor")
        })
    }

    /// Parse the XML of entry `name`.
    pub fn xml<'t>(&self, name: &str, text: &'t str) -> Result<roxmltree::Document<'t>, Diagnostic> {
        if let Some(at) = too_deep(text, MAX_DEPTH) {
            let (line, column) = crate::diag::line_column(text, at);
            return Err(
                self.error(format!("nesting deeper than {MAX_DEPTH} levels at {name}:{line}:{column}"))
            );
        }
        let options =
            roxmltree::ParsingOptions { allow_dtd: false, nodes_limit: MAX_NODES, ..Default::default() };
        roxmltree::Document::parse_with_options(text, options).map_err(|e| match e {
            roxmltree::Error::DtdDetected => self
                .error(format!(
                    "`{name}` declares a DTD (entities); mimeo never expands or fetches those, and {} files have none",
                    self.format.title()
                ))
                .hint("the file was not written by a word processor; save it again from one"),
            roxmltree::Error::NodesLimitReached => {
                self.error(format!("`{name}` holds more than {MAX_NODES} XML nodes; mimeo reads fewer"))
            }
            e => self.error(format!("`{name}` is not well-formed XML: {e}")),
        })
    }
}

/// Where elements in `xml` first nest deeper than `max` (the byte offset
/// of the opening tag), found in one pass before any tree is built, so that
/// no recursive reader ever meets a deeper tree. Comments, CDATA,
/// processing instructions and quoted attribute values are skipped.
fn too_deep(xml: &str, max: usize) -> Option<usize> {
    let bytes = xml.as_bytes();
    let find = |from: usize, needle: &str| xml[from..].find(needle).map(|i| from + i + needle.len());
    let (mut depth, mut i) = (0usize, 0usize);
    while let Some(open) = memchr(b'<', &bytes[i..]).map(|o| i + o) {
        let rest = &xml[open..];
        let end = if rest.starts_with("<!--") {
            find(open, "-->")
        } else if rest.starts_with("<![CDATA[") {
            find(open, "]]>")
        } else if rest.starts_with("<?") {
            find(open, "?>")
        } else if rest.starts_with("</") {
            depth = depth.saturating_sub(1);
            find(open, ">")
        } else if rest.starts_with("<!") {
            find(open, ">")
        } else {
            // An element: its tag ends at the first `>` outside quotes.
            let mut quote = None;
            let close = bytes[open..].iter().position(|&b| match quote {
                Some(q) if b == q => {
                    quote = None;
                    false
                }
                Some(_) => false,
                None if b == b'"' || b == b'\'' => {
                    quote = Some(b);
                    false
                }
                None => b == b'>',
            });
            close.map(|c| {
                if bytes[open + c - 1] != b'/' {
                    depth += 1;
                }
                open + c + 1
            })
        };
        if depth > max {
            return Some(open);
        }
        // A tag left open is the XML parser's to report.
        i = end?;
    }
    None
}

fn memchr(needle: u8, haystack: &[u8]) -> Option<usize> {
    haystack.iter().position(|&b| b == needle)
}

/// The text of every descendant text node of `node`, spaces folded.
pub fn node_text(node: roxmltree::Node) -> String {
    let text: String = node.descendants().filter(|n| n.is_text()).filter_map(|n| n.text()).collect();
    super::rich::clean(&text).split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Where a paragraph of the document starts, for messages: its number
/// and its first words.
pub fn position(paragraphs: &[Paragraph]) -> String {
    match paragraphs.last() {
        None => "at the start of the document".to_string(),
        Some(p) => {
            let words: Vec<&str> = p.text.split_whitespace().take(6).collect();
            format!("after paragraph {} (“{}…”)", paragraphs.len(), words.join(" "))
        }
    }
}

/// A paragraph from marked text: a speaker label at its start (`Ana:`,
/// in bold or not) is kept as plain text, for the label reader.
pub fn paragraph(mut builder: super::rich::Builder, number: usize) -> Option<Paragraph> {
    if builder.is_blank() {
        return None;
    }
    let plain = builder.plain_text();
    let plain = plain.split_whitespace().collect::<Vec<_>>().join(" ");
    let mut p = Paragraph::new(String::new(), number);
    if let Some(label) = super::labels::parse_label(&plain) {
        let prefix = &plain[..label.rest];
        // Drop the label (with the spaces before it) from the runs.
        let leading = builder.plain_text().chars().take_while(|c| c.is_whitespace()).count();
        let label_chars = prefix.trim_end().chars().count();
        builder.drop_leading(leading + label_chars);
        let rest = builder.finish();
        // A colon left outside the bold run (`**Ana**: …`) goes with the label.
        let rest = rest.trim_start_matches([':', ' ']).to_string();
        p.rich = Some(format!("{} {rest}", prefix.trim_end()).trim_end().to_string());
    } else {
        p.rich = Some(builder.finish());
    }
    p.text = super::rich::plain(p.rich.as_deref().unwrap_or_default());
    if p.rich.as_deref() == Some(p.text.as_str()) {
        p.rich = None;
    }
    Some(p)
}
