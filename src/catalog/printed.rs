//! `catalogue.pdf`: the paper catalogue for the tabling table. The
//! catalogue is described as a model document (each title a section, its
//! blurb paragraphs, its thumbnail a picture) and set by the PDF backend
//! with the built-in `a5-booklet` layout: A5 pages imposed on A4 sheets.

use std::path::Path;

use super::File;
use super::covers::Covers;
use super::entries::{Catalogue, Title, Use};
use super::markup::size;
use crate::diag::Diagnostic;
use crate::model::{
    Block, BlockId, BlockKind, Direction, Document, Heading, Image, ImageFormat, Inline, Kind, Meta, Section,
    Turn,
};

/// The layout the catalogue is set in.
const LAYOUT: &str = "a5-booklet";

pub fn render(catalogue: &Catalogue, covers: &Covers, _out: &Path) -> Result<File, Diagnostic> {
    // The PDF backend reads pictures from files: the thumbnails go to a
    // folder of their own for the time it takes to set the catalogue.
    let pictures =
        tempfile::tempdir().map_err(|e| Diagnostic::error(format!("cannot make a temporary folder: {e}")))?;
    let mut ids = 0u32;
    let mut next = || {
        ids += 1;
        BlockId(ids)
    };
    let config = &catalogue.config;
    let mut introduction = Vec::new();
    if let Some(description) = &config.description {
        introduction
            .push(Block { id: next(), kind: BlockKind::Paragraph(vec![Inline::Text(description.clone())]) });
    }
    let count = catalogue.titles.len();
    introduction.push(Block {
        id: next(),
        kind: BlockKind::Paragraph(vec![Inline::Text(format!(
            "{count} {}. Every edition can be downloaded from {}",
            if count == 1 { "title" } else { "titles" },
            config.base_url
        ))]),
    });
    let mut sections = Vec::with_capacity(count);
    for title in &catalogue.titles {
        let mut blocks = Vec::new();
        if let Some(cover) = covers.covers.get(&title.slug) {
            let path = pictures.path().join(format!("{}.png", title.slug));
            std::fs::write(&path, &cover.thumb_png)
                .map_err(|e| Diagnostic::error(format!("cannot write a thumbnail for the catalogue: {e}")))?;
            blocks.push(Block {
                id: next(),
                kind: BlockKind::Image(Image {
                    path: path.clone(),
                    source_path: format!("covers/{}-thumb.png", title.slug),
                    alt: format!("Cover of {}", title.title),
                    format: ImageFormat::Png,
                    width: cover.thumb_size.0,
                    height: cover.thumb_size.1,
                }),
            });
        }
        for text in blurb(catalogue, title) {
            blocks.push(Block { id: next(), kind: BlockKind::Paragraph(text) });
        }
        sections.push(Section {
            heading: Some(Heading { id: next(), content: own(catalogue, title, title.title.clone()) }),
            asked_by: None,
            turns: vec![Turn { speaker: None, time: None, blocks, cues: Vec::new() }],
        });
    }
    let document = Document {
        meta: Meta {
            title: config.title.clone(),
            subtitle: Some("Catalogue".to_string()),
            kind: Kind::Other,
            language: config.language.clone(),
            direction: Direction::of_language(&config.language),
            date: Some(super::entries::rfc3339(catalogue.updated)[..10].to_string()),
            publisher: config.publisher.clone(),
            rights: config.licence.clone(),
            identifier: super::opds1::feed_id(catalogue, "catalogue.pdf"),
            description: config.description.clone(),
            ..Meta::default()
        },
        participants: Vec::new(),
        introduction,
        sections,
        notes: Vec::new(),
        source: None,
    };
    let layout = crate::layout::load(LAYOUT)?;
    let options = crate::build::Options { epoch: catalogue.updated, allow_missing_glyphs: true };
    let output = crate::build::render(&document, &layout, &options, None)
        .map_err(|e| Diagnostic { message: format!("the printed catalogue: {}", e.message), ..e })?;
    Ok(File { path: "catalogue.pdf".to_string(), bytes: output.bytes })
}

/// Text in the title's own language, marked as such when it is not the
/// catalogue's (so a Persian title is shaped and set right to left).
fn own(catalogue: &Catalogue, title: &Title, text: String) -> Vec<Inline> {
    if title.language == catalogue.config.language {
        vec![Inline::Text(text)]
    } else {
        vec![Inline::Span {
            language: title.language.clone(),
            direction: Some(title.direction),
            content: vec![Inline::Text(text)],
        }]
    }
}

/// A title's paragraphs: subtitle, people, description, then the facts
/// and editions in the catalogue's words.
fn blurb(catalogue: &Catalogue, title: &Title) -> Vec<Vec<Inline>> {
    let mut out = Vec::new();
    if let Some(sub) = &title.subtitle {
        out.push(vec![Inline::Emphasis(own(catalogue, title, sub.clone()))]);
    }
    if !title.people.is_empty() {
        let names = title.people.iter().map(|p| p.name.as_str()).collect::<Vec<_>>().join(", ");
        out.push(own(catalogue, title, names));
    }
    if let Some(description) = &title.description {
        out.push(own(catalogue, title, description.clone()));
    }
    let mut facts = format!("{} · {}", super::site::language_name(&title.language), title.kind);
    if let Some(date) = &title.date {
        facts.push_str(" · ");
        facts.push_str(date);
    }
    out.push(vec![Inline::Strong(vec![Inline::Text(facts)])]);
    for (usage, label) in [(Use::Read, "Read"), (Use::Print, "Print")] {
        let editions: Vec<String> = title
            .editions
            .iter()
            .filter(|e| e.usage == usage)
            .map(|e| match e.pages {
                Some(p) if e.imposition.is_none() => format!("{} ({p} pp., {})", e.layout, size(e.bytes)),
                _ => format!("{} ({})", e.layout, size(e.bytes)),
            })
            .collect();
        if !editions.is_empty() {
            out.push(vec![Inline::Text(format!("{label}: {}.", editions.join(", ")))]);
        }
    }
    out
}
