//! DOCX (Office Open XML, ECMA-376) → paragraphs: `word/document.xml`'s
//! paragraphs with their italics and bold, headings (questions), list
//! items, footnotes from `word/footnotes.xml`, and title, author and
//! language from `docProps/core.xml`. Tables are refused.

use std::collections::HashMap;

use roxmltree::Node;

use super::office::{Archive, Document, node_text, paragraph, position};
use super::rich::{BULLET, Builder, END, NUMBER};

const W: &str = "http://schemas.openxmlformats.org/wordprocessingml/2006/main";

/// Read the DOCX in `archive`.
pub fn read(archive: &mut Archive) -> Result<Document, crate::diag::Diagnostic> {
    let body_text = archive.required("word/document.xml")?;
    let styles_text = archive.text("word/styles.xml")?;
    let numbering_text = archive.text("word/numbering.xml")?;
    let notes_text = archive.text("word/footnotes.xml")?;
    let core_text = archive.text("docProps/core.xml")?;

    let mut out = Document::default();
    if let Some(text) = &core_text {
        let core = archive.xml("docProps/core.xml", text)?;
        for node in core.root_element().children().filter(Node::is_element) {
            let value = node_text(node);
            match node.tag_name().name() {
                "title" if !value.is_empty() => out.title = Some(value),
                "creator" => out
                    .authors
                    .extend(value.split(';').map(str::trim).filter(|s| !s.is_empty()).map(str::to_string)),
                "language" if !value.is_empty() => out.language = Some(value),
                _ => {}
            }
        }
    }
    let styles = match &styles_text {
        Some(text) => style_names(&archive.xml("word/styles.xml", text)?),
        None => HashMap::new(),
    };
    let ordered = match &numbering_text {
        Some(text) => ordered_lists(&archive.xml("word/numbering.xml", text)?),
        None => HashMap::new(),
    };
    let mut notes = Notes::default();
    if let Some(text) = &notes_text {
        let doc = archive.xml("word/footnotes.xml", text)?;
        for note in doc.root_element().children().filter(|n| n.has_tag_name((W, "footnote"))) {
            // Separators have a type; real notes have none (or `normal`).
            if note.attribute((W, "type")).is_some_and(|t| t != "normal") {
                continue;
            }
            let id = note.attribute((W, "id")).unwrap_or_default().to_string();
            let texts: Vec<String> = note
                .children()
                .filter(|n| n.has_tag_name((W, "p")))
                .map(|p| {
                    let mut b = Builder::default();
                    runs(p, &mut b, &mut None);
                    b.finish()
                })
                .filter(|t| !t.is_empty())
                .collect();
            notes.bodies.insert(id, texts.join(" "));
        }
    }

    let doc = archive.xml("word/document.xml", &body_text)?;
    let body = doc
        .root_element()
        .children()
        .find(|n| n.has_tag_name((W, "body")))
        .ok_or_else(|| archive.error("`word/document.xml` has no body"))?;
    let mut blocks = Vec::new();
    collect_blocks(body, &mut blocks);
    let mut tables = 0;
    let mut counters: HashMap<(String, String), usize> = HashMap::new();
    let mut notes = Some(notes);
    for block in blocks {
        if block.has_tag_name((W, "tbl")) {
            tables += 1;
            return Err(archive
                .error(format!(
                    "table {tables}, {}: tables cannot be imported into a transcript",
                    position(&out.paragraphs)
                ))
                .hint("turn the table into paragraphs (Table › Convert › Table to Text) and import again"));
        }
        let properties = block.children().find(|n| n.has_tag_name((W, "pPr")));
        let style_id = child(properties, "pStyle").and_then(|s| s.attribute((W, "val"))).unwrap_or_default();
        let style = styles.get(style_id).cloned().unwrap_or_else(|| style_id.to_lowercase());
        let mut builder = Builder::default();
        runs(block, &mut builder, &mut notes);
        let text = builder.plain_text().split_whitespace().collect::<Vec<_>>().join(" ");
        match style.as_str() {
            // A second Title or Subtitle paragraph is kept as a paragraph.
            "title" if !out.title_paragraph => {
                if !text.is_empty() {
                    out.title = Some(text);
                    out.title_paragraph = true;
                }
                continue;
            }
            "subtitle" if !out.subtitle_paragraph => {
                out.subtitle = Some(text).filter(|t| !t.is_empty());
                out.subtitle_paragraph = out.subtitle.is_some();
                continue;
            }
            "author" => {
                if !text.is_empty() && !out.authors.contains(&text) {
                    out.authors.push(text);
                }
                continue;
            }
            "date" if !text.is_empty() => {
                let mut date = Builder::default();
                date.push(&format!("Date: {text}"), false, false);
                builder = date;
            }
            _ => {}
        }
        let heading = style.starts_with("heading") || child(properties, "outlineLvl").is_some();
        let number = out.paragraphs.len() + 1;
        let Some(mut p) = paragraph(builder, number) else {
            continue;
        };
        p.heading = heading;
        if let Some(list) = child(properties, "numPr") {
            let num = child(Some(list), "numId").and_then(|n| n.attribute((W, "val"))).unwrap_or("0");
            let level = child(Some(list), "ilvl").and_then(|n| n.attribute((W, "val"))).unwrap_or("0");
            if num != "0" {
                let rich = p.rich.take().unwrap_or_else(|| p.text.clone());
                let mark = if ordered.get(&(num.to_string(), level.to_string())).copied().unwrap_or(false) {
                    let n = counters.entry((num.to_string(), level.to_string())).or_default();
                    *n += 1;
                    format!("{NUMBER}{n}{END}")
                } else {
                    BULLET.to_string()
                };
                p.rich = Some(format!("{mark}{rich}"));
            }
        }
        out.paragraphs.push(p);
    }
    out.notes = notes.map(|n| n.used).unwrap_or_default();
    Ok(out)
}

/// The child element `name` of `parent`.
fn child<'a, 'i>(parent: Option<Node<'a, 'i>>, name: &str) -> Option<Node<'a, 'i>> {
    parent.and_then(|p| p.children().find(|n| n.has_tag_name((W, name))))
}

/// Paragraphs and tables of the body, in order, looking inside content
/// controls and tracked insertions.
fn collect_blocks<'a, 'i>(parent: Node<'a, 'i>, out: &mut Vec<Node<'a, 'i>>) {
    for node in parent.children().filter(Node::is_element) {
        match node.tag_name().name() {
            "p" | "tbl" => out.push(node),
            "sdt" | "sdtContent" | "ins" | "customXml" => collect_blocks(node, out),
            _ => {}
        }
    }
}

/// Footnote bodies by id, and the numbers given to those referenced.
#[derive(Default)]
struct Notes {
    bodies: HashMap<String, String>,
    numbers: HashMap<String, usize>,
    used: Vec<String>,
}

/// The runs of paragraph `node` into `builder`; note references become
/// numbered notes when `notes` is given.
fn runs(node: Node, builder: &mut Builder, notes: &mut Option<Notes>) {
    for child in node.children().filter(Node::is_element) {
        match child.tag_name().name() {
            "r" => {
                let properties = child.children().find(|n| n.has_tag_name((W, "rPr")));
                let on = |name: &str| {
                    properties.and_then(|p| p.children().find(|n| n.has_tag_name((W, name)))).is_some_and(
                        |n| !matches!(n.attribute((W, "val")), Some("0" | "false" | "off" | "none")),
                    )
                };
                let (em, strong) = (on("i"), on("b"));
                for piece in child.children().filter(Node::is_element) {
                    match piece.tag_name().name() {
                        "t" => builder.push(piece.text().unwrap_or_default(), em, strong),
                        "tab" | "br" | "cr" => builder.push(" ", false, false),
                        "noBreakHyphen" => builder.push("\u{2011}", em, strong),
                        "footnoteReference" => {
                            if let Some(notes) = notes.as_mut() {
                                let id = piece.attribute((W, "id")).unwrap_or_default().to_string();
                                if let Some(body) = notes.bodies.get(&id).cloned() {
                                    let next = notes.used.len() + 1;
                                    let n = *notes.numbers.entry(id).or_insert(next);
                                    if n == next {
                                        notes.used.push(body);
                                    }
                                    builder.push_note(n);
                                }
                            }
                        }
                        _ => {}
                    }
                }
            }
            "hyperlink" | "ins" | "smartTag" | "sdt" | "sdtContent" | "fldSimple" | "customXml"
            | "moveTo" => runs(child, builder, notes),
            _ => {}
        }
    }
}

/// Paragraph style ids → their names, lower-case (`Heading2` → `heading 2`).
fn style_names(doc: &roxmltree::Document) -> HashMap<String, String> {
    doc.root_element()
        .children()
        .filter(|n| n.has_tag_name((W, "style")))
        .filter_map(|s| {
            let id = s.attribute((W, "styleId"))?;
            let name = s.children().find(|n| n.has_tag_name((W, "name")))?.attribute((W, "val"))?;
            Some((id.to_string(), name.to_lowercase()))
        })
        .collect()
}

/// (numId, level) → whether the list is numbered (not bulleted).
fn ordered_lists(doc: &roxmltree::Document) -> HashMap<(String, String), bool> {
    let root = doc.root_element();
    let mut formats: HashMap<(String, String), bool> = HashMap::new();
    for abstract_num in root.children().filter(|n| n.has_tag_name((W, "abstractNum"))) {
        let id = abstract_num.attribute((W, "abstractNumId")).unwrap_or_default();
        for level in abstract_num.children().filter(|n| n.has_tag_name((W, "lvl"))) {
            let ilvl = level.attribute((W, "ilvl")).unwrap_or("0");
            let format = level
                .children()
                .find(|n| n.has_tag_name((W, "numFmt")))
                .and_then(|n| n.attribute((W, "val")))
                .unwrap_or("bullet");
            formats.insert((id.to_string(), ilvl.to_string()), !matches!(format, "bullet" | "none"));
        }
    }
    let mut out = HashMap::new();
    for num in root.children().filter(|n| n.has_tag_name((W, "num"))) {
        let id = num.attribute((W, "numId")).unwrap_or_default();
        let Some(abstract_id) = num
            .children()
            .find(|n| n.has_tag_name((W, "abstractNumId")))
            .and_then(|n| n.attribute((W, "val")))
        else {
            continue;
        };
        for ((a, level), ordered) in &formats {
            if a == abstract_id {
                out.insert((id.to_string(), level.clone()), *ordered);
            }
        }
    }
    out
}
