//! ODT (OpenDocument text, LibreOffice Writer) → paragraphs: the
//! paragraphs and headings of `content.xml` with their italics and bold
//! (from the spans' styles), lists, notes, and title, author and language
//! from `meta.xml`. Tables are refused; password-protected files (their
//! manifest lists encryption data) are refused before anything is read.

use std::collections::HashMap;

use roxmltree::Node;

use super::office::{Archive, Document, node_text, paragraph, position};
use super::rich::{BULLET, Builder, END, NUMBER};

const TEXT: &str = "urn:oasis:names:tc:opendocument:xmlns:text:1.0";
const OFFICE: &str = "urn:oasis:names:tc:opendocument:xmlns:office:1.0";
const STYLE: &str = "urn:oasis:names:tc:opendocument:xmlns:style:1.0";
const FO: &str = "urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0";
const TABLE: &str = "urn:oasis:names:tc:opendocument:xmlns:table:1.0";
const MANIFEST: &str = "urn:oasis:names:tc:opendocument:xmlns:manifest:1.0";

/// A style as the file defines it.
#[derive(Debug, Default, Clone)]
struct Style {
    parent: Option<String>,
    bold: Option<bool>,
    italic: Option<bool>,
    /// A list style: whether each level (from 1) is numbered.
    numbered: Vec<bool>,
}

/// Read the ODT in `archive`.
pub fn read(archive: &mut Archive) -> Result<Document, crate::diag::Diagnostic> {
    if let Some(manifest) = archive.text("META-INF/manifest.xml")? {
        let doc = archive.xml("META-INF/manifest.xml", &manifest)?;
        if doc.descendants().any(|n| n.has_tag_name((MANIFEST, "encryption-data"))) {
            return Err(archive.error("the ODT is password-protected; mimeo cannot read it").hint(
                "open it, save it without a password (File › Properties › Security), and import again",
            ));
        }
    }
    let content_text = archive.required("content.xml")?;
    let styles_text = archive.text("styles.xml")?;
    let meta_text = archive.text("meta.xml")?;

    let mut out = Document::default();
    if let Some(text) = &meta_text {
        let meta = archive.xml("meta.xml", text)?;
        for node in meta.descendants().filter(Node::is_element) {
            let value = node_text(node);
            match (node.tag_name().name(), value.is_empty()) {
                ("title", false) => out.title = Some(value),
                ("creator" | "initial-creator", false) if !out.authors.contains(&value) => {
                    out.authors.push(value)
                }
                ("language", false) => out.language = Some(value),
                _ => {}
            }
        }
        // The last editor (`dc:creator`) may differ from the author; keep
        // the first author only.
        out.authors.truncate(1);
    }
    let mut styles: HashMap<String, Style> = HashMap::new();
    if let Some(text) = &styles_text {
        read_styles(&archive.xml("styles.xml", text)?, &mut styles);
    }
    let content = archive.xml("content.xml", &content_text)?;
    read_styles(&content, &mut styles);
    let body = content
        .descendants()
        .find(|n| n.has_tag_name((OFFICE, "text")))
        .ok_or_else(|| archive.error("`content.xml` holds no text document (is this a spreadsheet?)"))?;
    let mut reader = Reader { styles: &styles, out: &mut out, counters: HashMap::new(), tables: 0 };
    reader.blocks(body, None).map_err(|position| {
        archive
            .error(format!(
                "table {}, {position}: tables cannot be imported into a transcript",
                reader.tables
            ))
            .hint("turn the table into paragraphs (Table › Convert › Table to Text) and import again")
    })?;
    Ok(out)
}

struct Reader<'s, 'o> {
    styles: &'s HashMap<String, Style>,
    out: &'o mut Document,
    /// Numbers of the items of each open numbered list.
    counters: HashMap<usize, usize>,
    tables: usize,
}

impl Reader<'_, '_> {
    /// Block content; `list` is the list style and level of the items
    /// inside a list. `Err` holds a table's position.
    fn blocks(&mut self, parent: Node, list: Option<(&str, usize, usize)>) -> Result<(), String> {
        for node in parent.children().filter(Node::is_element) {
            match (node.tag_name().namespace(), node.tag_name().name()) {
                (Some(TEXT), "p" | "h") => self.paragraph(node, list),
                (Some(TEXT), "list") => {
                    let style = node.attribute((TEXT, "style-name")).or(list.map(|l| l.0)).unwrap_or("");
                    let level = list.map_or(1, |l| l.1 + 1);
                    let id = node.id().get() as usize;
                    self.counters.insert(id, 0);
                    for item in node.children().filter(|n| n.has_tag_name((TEXT, "list-item"))) {
                        self.blocks(item, Some((style, level, id)))?;
                    }
                }
                (Some(TABLE), "table") => {
                    self.tables += 1;
                    return Err(position(&self.out.paragraphs));
                }
                (Some(TEXT), "section") | (Some(TEXT), "list-header") => self.blocks(node, list)?,
                _ => {}
            }
        }
        Ok(())
    }

    fn paragraph(&mut self, node: Node, list: Option<(&str, usize, usize)>) {
        let style = node.attribute((TEXT, "style-name")).unwrap_or_default();
        let kind = self.kind(style);
        let mut builder = Builder::default();
        self.inline(node, &mut builder, false, false);
        let text = builder.plain_text().split_whitespace().collect::<Vec<_>>().join(" ");
        match kind.as_str() {
            // A second Title or Subtitle paragraph is kept as a paragraph.
            "title" if !self.out.title_paragraph => {
                if !text.is_empty() {
                    self.out.title = Some(text);
                    self.out.title_paragraph = true;
                }
                return;
            }
            "subtitle" if !self.out.subtitle_paragraph => {
                self.out.subtitle = Some(text).filter(|t| !t.is_empty());
                self.out.subtitle_paragraph = self.out.subtitle.is_some();
                return;
            }
            "author" => {
                if !text.is_empty() && !self.out.authors.contains(&text) {
                    self.out.authors.push(text);
                }
                return;
            }
            "date" if !text.is_empty() => {
                builder = Builder::default();
                builder.push(&format!("Date: {text}"), false, false);
            }
            _ => {}
        }
        let heading = node.has_tag_name((TEXT, "h")) || kind.starts_with("heading");
        let number = self.out.paragraphs.len() + 1;
        let Some(mut p) = paragraph(builder, number) else {
            return;
        };
        p.heading = heading;
        if let Some((list_style, level, id)) = list {
            let numbered = self.styles.get(list_style).and_then(|s| s.numbered.get(level - 1)).copied();
            let rich = p.rich.take().unwrap_or_else(|| p.text.clone());
            let mark = if numbered.unwrap_or(false) {
                let n = self.counters.entry(id).or_default();
                *n += 1;
                format!("{NUMBER}{n}{END}")
            } else {
                BULLET.to_string()
            };
            p.rich = Some(format!("{mark}{rich}"));
        }
        self.out.paragraphs.push(p);
    }

    /// What a paragraph style is, by the name of it or an ancestor:
    /// `title`, `subtitle`, `heading 2`, `author`, `date` or other.
    fn kind(&self, style: &str) -> String {
        let mut name = Some(style.to_string());
        for _ in 0..16 {
            let Some(current) = name else { break };
            let readable = current.replace("_20_", " ").to_lowercase();
            if ["title", "subtitle", "author", "date"].contains(&readable.as_str())
                || readable.starts_with("heading")
            {
                return readable;
            }
            name = self.styles.get(&current).and_then(|s| s.parent.clone());
        }
        String::new()
    }

    /// Whether text in `style` is bold and italic, following the parents.
    fn emphasis(&self, style: &str) -> (Option<bool>, Option<bool>) {
        let (mut bold, mut italic) = (None, None);
        let mut name = Some(style.to_string());
        for _ in 0..16 {
            let Some(current) = name else { break };
            let readable = current.replace("_20_", " ").to_lowercase();
            if readable.contains("strong") {
                bold = bold.or(Some(true));
            }
            if readable == "emphasis" {
                italic = italic.or(Some(true));
            }
            let Some(s) = self.styles.get(&current) else { break };
            bold = bold.or(s.bold);
            italic = italic.or(s.italic);
            name = s.parent.clone();
        }
        (bold, italic)
    }

    fn inline(&mut self, node: Node, builder: &mut Builder, em: bool, strong: bool) {
        for child in node.children() {
            if child.is_text() {
                builder.push(child.text().unwrap_or_default(), em, strong);
                continue;
            }
            if child.tag_name().namespace() != Some(TEXT) {
                continue;
            }
            match child.tag_name().name() {
                "span" => {
                    let (bold, italic) =
                        self.emphasis(child.attribute((TEXT, "style-name")).unwrap_or_default());
                    self.inline(child, builder, italic.unwrap_or(em), bold.unwrap_or(strong));
                }
                "a" | "meta" | "ruby" | "ruby-base" => self.inline(child, builder, em, strong),
                "s" => {
                    let count: usize = child.attribute((TEXT, "c")).and_then(|c| c.parse().ok()).unwrap_or(1);
                    builder.push(&" ".repeat(count.min(8)), em, strong);
                }
                "tab" | "line-break" => builder.push(" ", em, strong),
                "note" => {
                    let Some(body) = child.children().find(|n| n.has_tag_name((TEXT, "note-body"))) else {
                        continue;
                    };
                    let texts: Vec<String> = body
                        .children()
                        .filter(|n| n.has_tag_name((TEXT, "p")))
                        .map(|p| {
                            let mut b = Builder::default();
                            self.inline(p, &mut b, false, false);
                            b.finish()
                        })
                        .filter(|t| !t.is_empty())
                        .collect();
                    self.out.notes.push(texts.join(" "));
                    builder.push_note(self.out.notes.len());
                }
                _ => {}
            }
        }
    }
}

/// The styles of `doc` (named and automatic) into `styles`.
fn read_styles(doc: &roxmltree::Document, styles: &mut HashMap<String, Style>) {
    for node in doc.descendants().filter(Node::is_element) {
        let Some(name) = node.attribute((STYLE, "name")) else { continue };
        if node.has_tag_name((STYLE, "style")) {
            let properties = node.children().find(|n| n.has_tag_name((STYLE, "text-properties")));
            let weight = properties.and_then(|p| p.attribute((FO, "font-weight")));
            let posture = properties.and_then(|p| p.attribute((FO, "font-style")));
            styles.insert(
                name.to_string(),
                Style {
                    parent: node.attribute((STYLE, "parent-style-name")).map(str::to_string),
                    bold: weight.map(|w| w == "bold" || w.parse::<u32>().is_ok_and(|n| n >= 600)),
                    italic: posture.map(|p| p == "italic" || p == "oblique"),
                    numbered: Vec::new(),
                },
            );
        } else if node.has_tag_name((TEXT, "list-style")) {
            let mut numbered = Vec::new();
            for level in node.children().filter(Node::is_element) {
                let n: usize = level.attribute((TEXT, "level")).and_then(|l| l.parse().ok()).unwrap_or(1);
                if n == 0 || n > 10 {
                    continue;
                }
                if numbered.len() < n {
                    numbered.resize(n, false);
                }
                numbered[n - 1] = level.has_tag_name((TEXT, "list-level-style-number"))
                    && level.attribute((STYLE, "num-format")).is_some_and(|f| !f.is_empty());
            }
            styles.insert(name.to_string(), Style { numbered, ..Style::default() });
        }
    }
}
