//! Markdown body → blocks and inlines, from pulldown-cmark's event stream
//! with source offsets. Only this file sees Markdown events.
//!
//! Nesting is bounded: containers deeper than [`MAX_NESTING`] are flattened
//! into their parent (their text is kept), so that no later stage recurses
//! without bound on hostile input.

use std::collections::HashMap;
use std::ops::Range;
use std::path::Path;

use pulldown_cmark::{CodeBlockKind, CowStr, Event, HeadingLevel, Options, Parser, Tag, TagEnd};

use crate::diag::{Diagnostic, LineIndex, Location};
use crate::model::{Alignment, Block, BlockId, BlockKind, Cell, Inline, List, Table, link, plain_text};

use super::image;
use super::spans::{self, Attributes};

/// Deepest nesting of block quotes, lists and inline markup kept as such.
pub const MAX_NESTING: usize = 48;

/// A top-level block and the byte offset (in the file) where it starts.
pub struct Located {
    pub block: TopBlock,
    pub offset: usize,
}

/// Top-level blocks, with the headings that structure a transcript kept
/// apart from ordinary blocks.
pub enum TopBlock {
    /// A level 1 or 2 heading: a question or section.
    Section {
        id: BlockId,
        content: Vec<Inline>,
    },
    Block(Block),
}

/// The parsed body: top-level blocks and footnotes, before turns are found.
pub struct Body {
    pub blocks: Vec<Located>,
    /// Footnote definitions by label, with their file offsets.
    pub definitions: HashMap<String, (Vec<Block>, usize)>,
    /// Footnote labels in order of first reference.
    pub references: Vec<String>,
    pub warnings: Vec<Diagnostic>,
    pub errors: Vec<Diagnostic>,
}

/// The CommonMark extensions a source may use.
fn options() -> Options {
    Options::ENABLE_FOOTNOTES
        | Options::ENABLE_SMART_PUNCTUATION
        | Options::ENABLE_HEADING_ATTRIBUTES
        | Options::ENABLE_TABLES
}

/// Parse `body`, which starts at byte `body_offset` of the indexed text
/// (the file at `path`).
pub fn parse(path: &Path, lines: &LineIndex, body_offset: usize, body: &str) -> Body {
    let mut builder = Builder {
        path,
        lines,
        body_offset,
        events: Parser::new_ext(body, options()).into_offset_iter().collect(),
        pos: 0,
        depth: 0,
        next_id: 0,
        references: Vec::new(),
        reference_index: HashMap::new(),
        definitions: HashMap::new(),
        warnings: Vec::new(),
        errors: Vec::new(),
        warned_depth: false,
    };
    let blocks = builder.top_level();
    Body {
        blocks,
        definitions: builder.definitions,
        references: builder.references,
        warnings: builder.warnings,
        errors: builder.errors,
    }
}

struct Builder<'a> {
    path: &'a Path,
    lines: &'a LineIndex<'a>,
    body_offset: usize,
    events: Vec<(Event<'a>, Range<usize>)>,
    pos: usize,
    depth: usize,
    next_id: u32,
    references: Vec<String>,
    reference_index: HashMap<String, usize>,
    definitions: HashMap<String, (Vec<Block>, usize)>,
    warnings: Vec<Diagnostic>,
    errors: Vec<Diagnostic>,
    warned_depth: bool,
}

impl<'a> Builder<'a> {
    fn location(&self, body_offset: usize) -> Location {
        self.lines.location(self.path, self.body_offset + body_offset)
    }

    fn id(&mut self) -> BlockId {
        self.next_id += 1;
        BlockId(self.next_id - 1)
    }

    fn next(&mut self) -> Option<(Event<'a>, Range<usize>)> {
        let item = self.events.get(self.pos).cloned();
        self.pos += 1;
        item
    }

    fn peek(&self) -> Option<&Event<'a>> {
        self.events.get(self.pos).map(|(event, _)| event)
    }

    /// Whether a container opened at this depth must be flattened.
    fn too_deep(&mut self, body_offset: usize) -> bool {
        if self.depth < MAX_NESTING {
            return false;
        }
        if !self.warned_depth {
            self.warned_depth = true;
            self.warnings.push(
                Diagnostic::warning(format!(
                    "nesting deeper than {MAX_NESTING} levels is flattened (the text is kept)"
                ))
                .at(self.location(body_offset)),
            );
        }
        true
    }

    fn top_level(&mut self) -> Vec<Located> {
        let mut out = Vec::new();
        let mut blocks = Vec::new();
        while let Some((event, range)) = self.next() {
            let offset = self.body_offset + range.start;
            if let Event::Start(Tag::Heading { level: HeadingLevel::H1 | HeadingLevel::H2, attrs, .. }) =
                event
            {
                let id = self.id();
                let content = with_heading_attributes(&attrs, self.inlines_until_end());
                out.push(Located { block: TopBlock::Section { id, content }, offset });
                continue;
            }
            self.block_from(event, range, &mut blocks);
            out.extend(blocks.drain(..).map(|block| Located { block: TopBlock::Block(block), offset }));
        }
        out
    }

    /// Blocks until the `End` that closes the current container.
    fn blocks_until_end(&mut self) -> Vec<Block> {
        self.depth += 1;
        let mut out = Vec::new();
        let mut loose: Vec<Inline> = Vec::new();
        let mut flattened = 0usize;
        while let Some((event, range)) = self.next() {
            match event {
                Event::End(_) if flattened > 0 => flattened -= 1,
                Event::End(_) => break,
                Event::Start(Tag::BlockQuote(_) | Tag::List(_) | Tag::Item) if self.too_deep(range.start) => {
                    self.flush_loose(&mut out, &mut loose);
                    flattened += 1;
                }
                event if is_inline(&event) => {
                    // Tight list items hold inlines without a paragraph.
                    self.pos -= 1;
                    loose.extend(self.inline());
                }
                event => {
                    self.flush_loose(&mut out, &mut loose);
                    self.block_from(event, range, &mut out);
                }
            }
        }
        self.flush_loose(&mut out, &mut loose);
        self.depth -= 1;
        out
    }

    fn flush_loose(&mut self, out: &mut Vec<Block>, loose: &mut Vec<Inline>) {
        if !loose.is_empty() {
            let id = self.id();
            let content = normalise_inlines(std::mem::take(loose));
            out.push(Block { id, kind: BlockKind::Paragraph(content) });
        }
    }

    /// Read the block that `event` opens, up to its end, into `out`.
    fn block_from(&mut self, event: Event<'a>, range: Range<usize>, out: &mut Vec<Block>) {
        let id = match &event {
            Event::Start(Tag::FootnoteDefinition(_)) => BlockId(u32::MAX),
            Event::Start(_) | Event::Rule => self.id(),
            _ => return,
        };
        let kind = match event {
            Event::Start(Tag::Paragraph) => match self.lone_image() {
                Some(image) => image,
                None => {
                    let attributes = self.paragraph_attributes();
                    let content = self.inlines_until_end();
                    BlockKind::Paragraph(match attributes {
                        Some(attributes) => vec![attributes.wrap(content)],
                        None => content,
                    })
                }
            },
            Event::Start(Tag::Heading { level, attrs, .. }) => {
                let content = self.inlines_until_end();
                BlockKind::Heading {
                    level: heading_level(level),
                    content: with_heading_attributes(&attrs, content),
                }
            }
            Event::Start(Tag::BlockQuote(_)) => BlockKind::BlockQuote(self.blocks_until_end()),
            Event::Start(Tag::List(start)) => {
                let mut items = Vec::new();
                while let Some((event, _)) = self.next() {
                    match event {
                        Event::Start(Tag::Item) => items.push(self.blocks_until_end()),
                        Event::End(_) => break,
                        _ => {}
                    }
                }
                BlockKind::List(List { start, items })
            }
            Event::Start(Tag::CodeBlock(kind)) => {
                let language = match kind {
                    CodeBlockKind::Fenced(info) => info.split_whitespace().next().map(str::to_string),
                    CodeBlockKind::Indented => None,
                };
                BlockKind::Code { language, text: self.text_until_end() }
            }
            Event::Start(Tag::HtmlBlock) => {
                self.warn_html(range.start);
                let html = self.text_until_end();
                BlockKind::Paragraph(vec![Inline::Text(html.trim_end().to_string())])
            }
            Event::Start(Tag::FootnoteDefinition(label)) => {
                let blocks = self.blocks_until_end();
                if self.definitions.contains_key(label.as_ref()) {
                    self.warnings.push(
                        Diagnostic::warning(format!(
                            "footnote `[^{label}]` is defined twice; the first is used"
                        ))
                        .at(self.location(range.start)),
                    );
                } else {
                    let offset = self.body_offset + range.start;
                    self.definitions.insert(label.to_string(), (blocks, offset));
                }
                return;
            }
            Event::Rule => BlockKind::ThematicBreak,
            Event::Start(Tag::Table(alignments)) => {
                BlockKind::Table(self.table(&alignments, self.body_offset + range.start))
            }
            // Extensions we do not enable; keep whatever text is inside.
            _ => BlockKind::BlockQuote(self.blocks_until_end()),
        };
        out.push(Block { id, kind });
    }

    /// The rows of a table just opened, up to its end: every row as wide
    /// as the header (GFM pads short rows; pulldown-cmark leaves that to us).
    fn table(&mut self, alignments: &[pulldown_cmark::Alignment], offset: usize) -> Table {
        let alignments: Vec<Alignment> = alignments
            .iter()
            .map(|a| match a {
                pulldown_cmark::Alignment::None => Alignment::None,
                pulldown_cmark::Alignment::Left => Alignment::Left,
                pulldown_cmark::Alignment::Center => Alignment::Center,
                pulldown_cmark::Alignment::Right => Alignment::Right,
            })
            .collect();
        let mut rows: Vec<Vec<Cell>> = Vec::new();
        let mut row: Vec<Cell> = Vec::new();
        while let Some((event, _)) = self.next() {
            match event {
                Event::Start(Tag::TableCell) => row.push(self.inlines_until_end()),
                Event::End(TagEnd::TableHead | TagEnd::TableRow) => rows.push(std::mem::take(&mut row)),
                Event::End(TagEnd::Table) => break,
                _ => {}
            }
        }
        let columns = alignments.len();
        for row in &mut rows {
            row.resize_with(columns, Vec::new);
        }
        let mut rows = rows.into_iter();
        let header = rows.next().unwrap_or_else(|| vec![Vec::new(); columns]);
        Table { alignments, header, rows: rows.collect(), offset }
    }

    /// A paragraph (just opened) whose last line is `{lang=xx}`: blank that
    /// line out of the event stream and return its attributes.
    fn paragraph_attributes(&mut self) -> Option<Attributes> {
        let mut end = self.pos;
        let mut depth = 0usize;
        while let Some((event, _)) = self.events.get(end) {
            match event {
                Event::Start(_) => depth += 1,
                Event::End(_) if depth == 0 => break,
                Event::End(_) => depth -= 1,
                _ => {}
            }
            end += 1;
        }
        let mut line_start = end;
        while line_start > self.pos && matches!(self.events[line_start - 1].0, Event::Text(_)) {
            line_start -= 1;
        }
        if line_start == self.pos || !matches!(self.events[line_start - 1].0, Event::SoftBreak) {
            return None;
        }
        let line: String = self.events[line_start..end]
            .iter()
            .map(|(event, _)| if let Event::Text(t) = event { t.as_ref() } else { "" })
            .collect();
        let attributes = spans::parse_attributes(&line)?;
        for (event, _) in &mut self.events[line_start - 1..end] {
            *event = Event::Text("".into());
        }
        Some(attributes)
    }

    /// All text up to the current container's end (code and HTML blocks).
    fn text_until_end(&mut self) -> String {
        let mut text = String::new();
        while let Some((event, _)) = self.next() {
            match event {
                Event::Text(t) | Event::Html(t) => text.push_str(&t),
                Event::End(_) => break,
                _ => {}
            }
        }
        text
    }

    /// A paragraph that holds only an image (at `self.pos`, just after the
    /// paragraph's start) becomes an image block; the paragraph is consumed.
    fn lone_image(&mut self) -> Option<BlockKind> {
        let (Event::Start(Tag::Image { dest_url, .. }), range) = self.events.get(self.pos)?.clone() else {
            return None;
        };
        let mut depth = 0usize;
        let mut image_end = self.pos;
        for (i, (event, _)) in self.events.iter().enumerate().skip(self.pos) {
            match event {
                Event::Start(_) => depth += 1,
                Event::End(_) => depth -= 1,
                _ => {}
            }
            if depth == 0 {
                image_end = i;
                break;
            }
        }
        if !matches!(self.events.get(image_end + 1), Some((Event::End(TagEnd::Paragraph), _))) {
            return None;
        }
        self.pos += 1;
        let alt = plain_text(&self.inlines_until_end());
        self.pos += 1; // the paragraph's end
        match image::resolve(self.path, &dest_url, &alt) {
            Ok(image) => Some(BlockKind::Image(image)),
            Err(why) => {
                self.errors.push(Diagnostic::error(why).at(self.location(range.start)));
                Some(BlockKind::Paragraph(vec![Inline::Text(alt)]))
            }
        }
    }

    fn warn_html(&mut self, body_offset: usize) {
        self.warnings.push(
            Diagnostic::warning("raw HTML is not passed through; it is shown as text")
                .at(self.location(body_offset))
                .hint("write it in Markdown, or escape the `<` as `\\<`"),
        );
    }

    /// Inlines until the `End` of the current container.
    fn inlines_until_end(&mut self) -> Vec<Inline> {
        self.depth += 1;
        let mut out = Vec::new();
        let mut flattened = 0usize;
        while let Some(event) = self.peek() {
            match event {
                Event::End(_) => {
                    self.pos += 1;
                    if flattened == 0 {
                        break;
                    }
                    flattened -= 1;
                }
                Event::Start(tag) if !matches!(tag, Tag::Image { .. }) && self.depth >= MAX_NESTING => {
                    let start = self.events[self.pos].1.start;
                    self.too_deep(start);
                    self.pos += 1;
                    flattened += 1;
                }
                _ => out.extend(self.inline()),
            }
        }
        self.depth -= 1;
        spans::bracketed_spans(normalise_inlines(out))
    }

    /// The next inline; several for markup we keep only the text of.
    fn inline(&mut self) -> Vec<Inline> {
        let Some((event, range)) = self.next() else {
            return Vec::new();
        };
        let one = match event {
            Event::Text(t) => Inline::Text(t.into_string()),
            Event::Code(t) | Event::InlineMath(t) | Event::DisplayMath(t) => Inline::Code(t.into_string()),
            Event::SoftBreak => Inline::Text(" ".into()),
            Event::HardBreak => Inline::LineBreak,
            Event::Html(t) | Event::InlineHtml(t) => {
                self.warn_html(range.start);
                Inline::Text(t.into_string())
            }
            Event::FootnoteReference(label) => {
                let next = self.reference_index.len();
                let index = *self.reference_index.entry(label.to_string()).or_insert(next);
                if index == next {
                    self.references.push(label.to_string());
                }
                Inline::NoteRef(index)
            }
            Event::TaskListMarker(done) => Inline::Text(if done { "[x] " } else { "[ ] " }.into()),
            Event::Start(Tag::Emphasis) => Inline::Emphasis(self.inlines_until_end()),
            Event::Start(Tag::Strong) => Inline::Strong(self.inlines_until_end()),
            Event::Start(Tag::Link { dest_url, .. }) => {
                let content = self.inlines_until_end();
                match link::followable(&dest_url) {
                    Ok(url) => Inline::Link { url, content },
                    Err(reason) => {
                        self.warnings.push(
                            Diagnostic::warning(format!(
                                "the link `{dest_url}` is printed as plain text: {reason}"
                            ))
                            .at(self.location(range.start))
                            .hint("write a full address, such as `https://example.org/page`"),
                        );
                        return content;
                    }
                }
            }
            Event::Start(Tag::Image { .. }) => {
                self.warnings.push(
                    Diagnostic::warning("an image inside running text is shown as its description")
                        .at(self.location(range.start))
                        .hint("put the image in a paragraph of its own"),
                );
                return self.inlines_until_end();
            }
            // Markup we do not enable (strikethrough and the like): keep the text.
            Event::Start(_) => return self.inlines_until_end(),
            Event::End(_) | Event::Rule => return Vec::new(),
        };
        vec![one]
    }
}

fn is_inline(event: &Event) -> bool {
    match event {
        Event::Text(_)
        | Event::Code(_)
        | Event::SoftBreak
        | Event::HardBreak
        | Event::InlineHtml(_)
        | Event::FootnoteReference(_)
        | Event::InlineMath(_)
        | Event::DisplayMath(_)
        | Event::TaskListMarker(_) => true,
        Event::Start(tag) => matches!(
            tag,
            Tag::Emphasis
                | Tag::Strong
                | Tag::Strikethrough
                | Tag::Superscript
                | Tag::Subscript
                | Tag::Link { .. }
                | Tag::Image { .. }
        ),
        _ => false,
    }
}

/// `## Title {lang=fa}`: the heading's content as a span in that language.
fn with_heading_attributes(attrs: &[(CowStr, Option<CowStr>)], content: Vec<Inline>) -> Vec<Inline> {
    let text: Vec<String> =
        attrs.iter().map(|(k, v)| format!("{k}={}", v.as_deref().unwrap_or_default())).collect();
    match spans::parse_attributes(&format!("{{{}}}", text.join(" "))) {
        Some(attributes) if !attrs.is_empty() => vec![attributes.wrap(content)],
        _ => content,
    }
}

fn heading_level(level: HeadingLevel) -> u8 {
    match level {
        HeadingLevel::H1 => 1,
        HeadingLevel::H2 => 2,
        HeadingLevel::H3 => 3,
        HeadingLevel::H4 => 4,
        HeadingLevel::H5 => 5,
        HeadingLevel::H6 => 6,
    }
}

/// Merge neighbouring text runs (pulldown-cmark splits text at every
/// special character).
pub fn normalise_inlines(inlines: Vec<Inline>) -> Vec<Inline> {
    let mut out: Vec<Inline> = Vec::with_capacity(inlines.len());
    for inline in inlines {
        match (out.last_mut(), inline) {
            (Some(Inline::Text(previous)), Inline::Text(text)) => previous.push_str(&text),
            (_, inline) => out.push(inline),
        }
    }
    out
}

/// Inline Markdown in a front-matter string (a bio): the inlines of its
/// paragraphs, joined by spaces. Block structure and warnings are dropped.
pub fn parse_inline(path: &Path, text: &str) -> Vec<Inline> {
    let body = parse(path, &LineIndex::new(text), 0, text);
    let mut out = Vec::new();
    for located in body.blocks {
        if let TopBlock::Block(Block { kind: BlockKind::Paragraph(content), .. }) = located.block {
            if !out.is_empty() {
                out.push(Inline::Text(" ".into()));
            }
            out.extend(content);
        } else if let TopBlock::Block(block) = located.block {
            if !out.is_empty() {
                out.push(Inline::Text(" ".into()));
            }
            out.push(Inline::Text(crate::model::plain_text_of_blocks(&[block])));
        }
    }
    normalise_inlines(out)
}
