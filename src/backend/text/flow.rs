//! The document as blocks of set lines, in reading order: title frame,
//! contents, participants, introduction, questions and turns with their
//! notes, colophon.

use crate::diag::Diagnostic;
use crate::layout::{Align, TextLayout};
use crate::model::{
    Block as ModelBlock, BlockKind, ContributorRole, Direction, Document, Inline, Piece, Table, Words,
};
use crate::typeset::Hyphenator;
use crate::typeset::bidi::{self, block_direction};
use crate::typeset::segment;

use super::page::Block;
use super::paragraph::{self, Builder, CUT_MARKER, Memo, width};

/// Below this measure, quotes and code are not indented further.
const MIN_MEASURE: usize = 24;
/// Columns reserved after a contents entry for the leader and page number.
const CONTENTS_RESERVE: usize = 8;

pub struct Flow<'a> {
    doc: &'a Document,
    layout: &'a TextLayout,
    /// The column width: every line of every block fits it.
    width: usize,
    /// The width of the title frame and contents, which span all columns.
    front_width: usize,
    /// Blocks `..front_len` are the cover (title frame and contents).
    pub front_len: usize,
    epoch: i64,
    /// The document's direction: right-to-left documents are set flush
    /// right, with their headings, labels and notes.
    pub direction: Direction,
    hyphenator: Option<Hyphenator>,
    pub blocks: Vec<Block>,
    pub warnings: Vec<Diagnostic>,
    /// What the edition cannot show (a table wider than the measure).
    pub errors: Vec<Diagnostic>,
    /// Contents entries: number prefix ("1. " or "") and text.
    contents: Vec<(String, String)>,
    contents_block: Option<usize>,
    notes_pending: Vec<usize>,
    notes_done: Vec<bool>,
    hyphens: Memo,
    /// Running footer titles of a collection: from this block on, this
    /// title (each piece's own, then the book's for its colophon).
    pub footers: Vec<(usize, String)>,
    /// Headings and digits mimeo prints, in the document's language
    /// (English when transliterated to ASCII).
    pub words: &'static Words,
}

impl<'a> Flow<'a> {
    pub fn new(doc: &'a Document, layout: &'a TextLayout, width: usize, epoch: i64) -> Flow<'a> {
        Flow {
            doc,
            layout,
            width,
            front_width: layout.width,
            front_len: 0,
            epoch,
            // Transliterated to ASCII, every script reads left to right.
            direction: if layout.ascii { Direction::Ltr } else { doc.meta.direction },
            words: Words::for_language(if layout.ascii { "en" } else { &doc.meta.language }),
            hyphenator: Some(Hyphenator::for_language(&doc.meta.language)),
            blocks: Vec::new(),
            warnings: Vec::new(),
            errors: Vec::new(),
            contents: Vec::new(),
            contents_block: None,
            notes_pending: Vec::new(),
            notes_done: vec![false; doc.notes.len()],
            hyphens: Memo::default(),
            footers: Vec::new(),
        }
    }

    pub fn document(&mut self) {
        let doc = self.doc;
        self.title_frame(false);
        let has_bios = doc.participants.iter().any(|p| p.bio.is_some());
        if has_bios {
            self.contents.push((String::new(), self.plain(self.words.participants)));
        }
        self.contents.extend(self.questions_of(doc, ""));
        self.contents.push((String::new(), self.plain(self.words.colophon)));
        self.close_front();
        let anchor = self.body(0, None);
        self.colophon(anchor);
        self.warn_of_cuts();
    }

    /// A collection: its own title frame and one contents for all pieces
    /// (each piece's title, its questions beneath), then each piece from
    /// a new page, set by a flow of its own (its language, direction,
    /// labels and note numbers), then one colophon for the book.
    pub fn collection(&mut self, pieces: &[Piece]) {
        self.title_frame(true);
        for piece in pieces {
            self.contents.push((String::new(), self.plain(&piece.title)));
            self.contents.extend(self.questions_of(&piece.document, "   "));
        }
        self.contents.push((String::new(), self.plain(self.words.colophon)));
        self.close_front();
        let mut anchor = 0;
        for piece in pieces {
            let mut flow = Flow::new(&piece.document, self.layout, self.width, self.epoch);
            anchor = flow.body(anchor, Some(&piece.title));
            flow.warn_of_cuts();
            self.footers.push((self.blocks.len(), flow.footer_title_of(&piece.title)));
            self.blocks.append(&mut flow.blocks);
            self.warnings.append(&mut flow.warnings);
            self.errors.append(&mut flow.errors);
        }
        self.footers.push((self.blocks.len(), self.footer_title()));
        self.colophon(anchor);
        self.colophon_of_pieces(pieces);
    }

    /// Contents entries for the questions of `doc`, numbered, after `indent`.
    fn questions_of(&self, doc: &Document, indent: &str) -> Vec<(String, String)> {
        let headings = doc.sections.iter().filter_map(|s| s.heading.as_ref());
        headings
            .enumerate()
            .map(|(n, heading)| {
                (format!("{indent}{}. ", self.words.number(n + 1)), self.inline_text(&heading.content))
            })
            .collect()
    }

    /// The contents block (numbered later) ends the cover.
    fn close_front(&mut self) {
        let lines = self.contents_lines(None);
        self.contents_block = Some(self.blocks.len());
        self.blocks.push(Block { lines, space_before: 2, ..Block::default() });
        self.front_len = self.blocks.len();
    }

    /// The introduction, bios, questions and turns, with their notes;
    /// contents anchors from `anchor`, returning the next. A piece of a
    /// collection (`piece`: its title) opens with its title and speakers,
    /// and its bios are not a contents entry of their own.
    fn body(&mut self, mut anchor: usize, piece: Option<&str>) -> usize {
        let doc = self.doc;
        let has_bios = doc.participants.iter().any(|p| p.bio.is_some());
        let mut first_after_cover = true;
        let mut new_page = |blocks: &mut Vec<Block>, at: usize| {
            if first_after_cover && at < blocks.len() {
                blocks[at].new_page = true;
                first_after_cover = false;
            }
        };
        if let Some(title) = piece {
            let at = self.blocks.len();
            self.piece_opening(title, anchor);
            anchor += 1;
            new_page(&mut self.blocks, at);
        }
        let at = self.blocks.len();
        self.blocks_of(&doc.introduction, 0, None);
        self.flush_notes();
        new_page(&mut self.blocks, at);
        if has_bios {
            let at = self.blocks.len();
            let heading_anchor = piece.is_none().then_some(anchor);
            self.small_heading(self.words.participants, heading_anchor);
            anchor += usize::from(piece.is_none());
            new_page(&mut self.blocks, at);
            for participant in &doc.participants {
                let mut b = self.builder();
                let name = self.plain(&participant.name);
                match (&participant.bio, participant.bio_after_name()) {
                    (_, Some((after, rest))) => {
                        b.text(&name.to_uppercase());
                        b.text(after);
                        b.inlines(rest);
                    }
                    (Some(bio), None) => {
                        b.fixed_word(&format!("{}:", name.to_uppercase()));
                        b.space();
                        b.inlines(bio);
                    }
                    (None, None) => b.text(&name.to_uppercase()),
                }
                let direction =
                    participant.bio.as_deref().map_or(self.direction, |bio| self.block_direction(bio));
                self.push_paragraph(b, 0, 1, direction);
            }
            self.flush_notes();
        }
        let mut number = 0;
        for section in &doc.sections {
            let at = self.blocks.len();
            if let Some(heading) = &section.heading {
                number += 1;
                self.question(number, &heading.content, anchor);
                anchor += 1;
            }
            for turn in &section.turns {
                let label = turn.speaker.map(|id| {
                    let p = doc.participant(id);
                    let name =
                        format!("{}{}", self.plain(&p.label).to_uppercase(), label_colon(&doc.meta.language));
                    TurnLabel { name, time: turn.time.map(|t| format!("[{}]", t.clock())) }
                });
                self.blocks_of(&turn.blocks, 0, label);
            }
            self.flush_notes();
            new_page(&mut self.blocks, at);
        }
        anchor
    }

    fn warn_of_cuts(&mut self) {
        if self.hyphens.cuts > 0 {
            self.warnings.push(
                Diagnostic::warning(format!(
                    "words wider than the {1}-column measure were cut {0} times, each cut marked `{CUT_MARKER}`",
                    self.hyphens.cuts, self.width
                ))
                .hint("a wider layout, or spaces in long strings, avoids cuts"),
            );
        }
    }

    /// A piece's opening: its title between double rules, its subtitle,
    /// and who speaks in it.
    fn piece_opening(&mut self, title: &str, anchor: usize) {
        let doc = self.doc;
        let rule = "=".repeat(self.width);
        let mut lines = vec![rule.clone()];
        lines.extend(self.set_plain(&self.plain(title).to_uppercase(), self.width, Align::Ragged));
        if let Some(subtitle) = &doc.meta.subtitle {
            lines.extend(self.set_plain(&self.plain(subtitle), self.width, Align::Ragged));
        }
        lines.push(rule);
        let mut lines = self.placed(lines, 0, self.direction);
        let speakers: Vec<String> =
            doc.participants.iter().map(|p| self.words.with_role(&self.plain(&p.name), p.role)).collect();
        if !speakers.is_empty() {
            lines.push(String::new());
            let set = self.set_plain(&speakers.join(self.words.comma), self.width, Align::Ragged);
            lines.extend(self.placed(set, 0, self.direction));
        }
        self.blocks.push(Block { lines, keep_with_next: true, anchor: Some(anchor), ..Block::default() });
    }

    /// The direction of a block of `inlines` as set: a wholly marked
    /// block's own, else the document's; always left to right in ASCII.
    fn block_direction(&self, inlines: &[Inline]) -> Direction {
        if self.layout.ascii { Direction::Ltr } else { block_direction(inlines, self.direction) }
    }

    fn builder(&self) -> Builder {
        Builder::new(self.hyphenator, self.layout.ascii).numbered_in(self.words)
    }

    /// Meta text as printed: transliterated in ASCII layouts, without
    /// control characters.
    fn plain(&self, text: &str) -> String {
        let text: String = text.chars().filter(|c| !c.is_control()).collect();
        if self.layout.ascii { deunicode::deunicode(&text) } else { text }
    }

    fn inline_text(&self, inlines: &[Inline]) -> String {
        let mut b = Builder::new(None, self.layout.ascii).numbered_in(self.words);
        b.inlines(inlines);
        b.finish().0.joined()
    }

    /// Lines of plain `text` at `measure`, never hyphenated.
    fn set_plain(&self, text: &str, measure: usize, align: Align) -> Vec<String> {
        let mut b = Builder::new(None, self.layout.ascii);
        b.text(text);
        paragraph::set(&b.finish().0, measure, align, &mut Memo::default())
    }

    fn push_paragraph(&mut self, builder: Builder, indent: usize, space_before: usize, direction: Direction) {
        let (words, notes) = builder.finish();
        self.note_refs(notes);
        let lines = paragraph::set(&words, self.width - indent, self.layout.align, &mut self.hyphens);
        let lines = self.placed(lines, indent, direction);
        if !lines.is_empty() {
            self.blocks.push(Block { lines, space_before, split_min: Some(2), ..Block::default() });
        }
    }

    /// Lines set at `self.width - indent` placed on the page: indented from
    /// the left, or, right to left, flush with the right edge less the
    /// indent. Text stays in logical order (terminals do the bidi); only
    /// spaces in front, so that no line has trailing ones.
    fn placed(&self, lines: Vec<String>, indent: usize, direction: Direction) -> Vec<String> {
        if direction == Direction::Ltr {
            return indented(lines, indent);
        }
        let right = self.width.saturating_sub(indent);
        lines
            .into_iter()
            .map(|line| {
                if line.trim().is_empty() {
                    return String::new();
                }
                let pad = right.saturating_sub(width(&line));
                format!("{}{}", " ".repeat(pad), with_marks(&line))
            })
            .collect()
    }

    fn note_refs(&mut self, notes: Vec<usize>) {
        for note in notes {
            // An index outside the notes is the parser's bug; it is skipped, not a panic.
            if self.notes_done.get(note) == Some(&false) && !self.notes_pending.contains(&note) {
                self.notes_pending.push(note);
            }
        }
    }

    /// The title block in a rule-drawn frame.
    fn title_frame(&mut self, collection: bool) {
        let meta = &self.doc.meta;
        let inner = self.front_width - 4;
        let mut body = vec![String::new()];
        let title = self.plain(&meta.title).to_uppercase();
        body.extend(self.set_plain(&title, inner, Align::Ragged));
        if let Some(subtitle) = &meta.subtitle {
            body.push(String::new());
            body.extend(self.set_plain(&self.plain(subtitle), inner, Align::Ragged));
        }
        if !self.doc.participants.is_empty() {
            body.push(String::new());
            for p in &self.doc.participants {
                let text = self.words.with_role(&self.plain(&p.name), p.role);
                body.extend(self.set_plain(&text, inner, Align::Ragged));
            }
        }
        // A collection's frame names its editors where a transcript's
        // names its speakers.
        let editors: Vec<String> = meta
            .contributors
            .iter()
            .filter(|c| collection && c.role == ContributorRole::Editor)
            .map(|c| self.words.line(self.words.role(c.role), &self.plain(&c.name)))
            .collect();
        if !editors.is_empty() {
            body.push(String::new());
            for line in editors {
                body.extend(self.set_plain(&line, inner, Align::Ragged));
            }
        }
        let imprint: Vec<String> =
            [&meta.publisher, &meta.date].into_iter().flatten().map(|s| self.plain(s)).collect();
        if !imprint.is_empty() {
            body.push(String::new());
            body.extend(self.set_plain(&imprint.join(", "), inner, Align::Ragged));
        }
        body.push(String::new());
        let rule = format!("+{}+", "=".repeat(self.front_width - 2));
        let mut lines = vec![rule.clone()];
        for line in body {
            let left = inner.saturating_sub(width(&line)) / 2;
            let right = inner.saturating_sub(width(&line) + left);
            lines.push(format!("| {}{line}{} |", " ".repeat(left), " ".repeat(right)));
        }
        lines.push(rule);
        self.blocks.push(Block { lines, ..Block::default() });
    }

    pub fn contents_len(&self) -> usize {
        self.contents.len()
    }

    /// The contents with `numbers` (page per entry), or placeholders of the
    /// same line count; without pages, the entries alone.
    fn contents_lines(&self, numbers: Option<&[usize]>) -> Vec<String> {
        let paged = self.layout.page_height.is_some();
        let mut lines = self.placed(heading_lines(&self.plain(self.words.contents)), 0, self.direction);
        lines.push(String::new());
        let reserve = if paged { CONTENTS_RESERVE } else { 0 };
        for (i, (prefix, text)) in self.contents.iter().enumerate() {
            let hang = width(prefix);
            let measure = self.front_width.saturating_sub(reserve + hang).max(8);
            let set = self.set_plain(text, measure, Align::Ragged);
            let count = set.len();
            for (n, line) in set.into_iter().enumerate() {
                let lead = if n == 0 { prefix.clone() } else { " ".repeat(hang) };
                let mut line = format!("{lead}{line}");
                if paged && n + 1 == count {
                    let number = self.words.number(numbers.map_or(0, |nums| nums[i]));
                    let dots = self.front_width.saturating_sub(width(&line) + width(&number) + 2).max(1);
                    line = format!("{line} {} {number}", ".".repeat(dots));
                }
                lines.push(line);
            }
        }
        lines
    }

    pub fn number_contents(&mut self, numbers: &[usize]) {
        if let Some(index) = self.contents_block {
            let lines = self.contents_lines(Some(numbers));
            debug_assert_eq!(lines.len(), self.blocks[index].lines.len());
            self.blocks[index].lines = lines;
        }
    }

    /// The title for running footers: the part before a colon, if any.
    pub fn footer_title(&self) -> String {
        self.footer_title_of(&self.doc.meta.title)
    }

    /// The running footer's title on the page whose first line is of `block`.
    pub fn footer_title_at(&self, block: usize) -> String {
        match self.footers.iter().rev().find(|(start, _)| *start <= block) {
            Some((_, title)) => title.clone(),
            None => self.footer_title(),
        }
    }

    fn footer_title_of(&self, title: &str) -> String {
        let title = title.trim();
        let short = match title.split_once(':') {
            Some((head, _)) if !head.trim().is_empty() => head.trim(),
            _ => title,
        };
        self.plain(short)
    }

    /// An unnumbered heading in capitals, underlined.
    fn small_heading(&mut self, text: &str, anchor: Option<usize>) {
        let mut lines = Vec::new();
        for line in self.set_plain(&self.plain(text).to_uppercase(), self.width, Align::Ragged) {
            lines.extend(heading_lines(&line));
        }
        let lines = self.placed(lines, 0, self.direction);
        self.blocks.push(Block { lines, space_before: 2, keep_with_next: true, anchor, ..Block::default() });
    }

    /// A question: numbered, between rules, wrapped with a hanging indent.
    fn question(&mut self, number: usize, content: &[Inline], anchor: usize) {
        let prefix = format!("{}. ", self.words.number(number));
        let hang = width(&prefix);
        let text = self.inline_text(content);
        let rule = "-".repeat(self.width);
        let mut lines = vec![rule.clone()];
        let direction = self.block_direction(content);
        for (n, line) in self.set_plain(&text, self.width - hang, Align::Ragged).into_iter().enumerate() {
            lines.push(match (direction, n) {
                (Direction::Ltr, 0) => format!("{prefix}{line}"),
                (Direction::Ltr, _) => format!("{}{line}", " ".repeat(hang)),
                // Flush right, the number first in logical order (at the
                // right in a right-to-left display).
                (Direction::Rtl, 0) => self.placed(vec![format!("{prefix}{line}")], 0, direction).remove(0),
                (Direction::Rtl, _) => self.placed(vec![line], hang, direction).remove(0),
            });
        }
        lines.push(rule);
        self.blocks.push(Block {
            lines,
            space_before: 2,
            keep_with_next: true,
            anchor: Some(anchor),
            ..Block::default()
        });
    }

    /// Model blocks at `indent`; `label` (a speaker's name) opens the first.
    fn blocks_of(&mut self, blocks: &[ModelBlock], indent: usize, mut label: Option<TurnLabel>) {
        for block in blocks {
            let measure = self.width - indent;
            match &block.kind {
                BlockKind::Paragraph(content) => {
                    let mut b = self.builder();
                    if let Some(TurnLabel { name, time }) = label.take() {
                        b.fixed_word(&name);
                        if !name.ends_with('：') {
                            b.space();
                        }
                        if let Some(time) = time {
                            b.fixed_word(&time);
                            b.space();
                        }
                    }
                    b.inlines(content);
                    self.push_paragraph(b, indent, 1, self.block_direction(content));
                }
                other => {
                    if let Some(label) = label.take() {
                        let label = match label.time {
                            Some(time) => format!("{} {time}", label.name),
                            None => label.name,
                        };
                        let lines = self.set_plain(&label, measure, Align::Ragged);
                        let lines = self.placed(lines, indent, self.direction);
                        self.blocks.push(Block {
                            lines,
                            space_before: 1,
                            keep_with_next: true,
                            ..Block::default()
                        });
                    }
                    self.other_block(other, indent);
                }
            }
        }
    }

    /// `indent + more`, when that leaves a comfortable measure.
    fn deeper(&self, indent: usize, more: usize) -> Option<usize> {
        (self.width.saturating_sub(indent + more) >= MIN_MEASURE).then_some(indent + more)
    }

    fn other_block(&mut self, kind: &BlockKind, indent: usize) {
        let measure = self.width - indent;
        match kind {
            BlockKind::Paragraph(_) => unreachable!("handled by blocks_of"),
            BlockKind::Heading { level, content } => {
                let mut text = self.inline_text(content);
                if *level == 3 {
                    text = text.to_uppercase();
                }
                let lines = self.set_plain(&text, measure, Align::Ragged);
                let lines = self.placed(lines, indent, self.block_direction(content));
                self.blocks.push(Block { lines, space_before: 1, keep_with_next: true, ..Block::default() });
            }
            BlockKind::BlockQuote(blocks) => {
                let inner = self.deeper(indent, 4).unwrap_or(indent);
                self.blocks_of(blocks, inner, None);
            }
            BlockKind::List(list) => {
                let tight = list.items.iter().all(|item| item.len() <= 1);
                for (i, item) in list.items.iter().enumerate() {
                    let marker = match list.start {
                        Some(start) => self.words.digits(&format!("{}.", start.saturating_add(i as u64))),
                        None => "*".to_string(),
                    };
                    let first = self.blocks.len();
                    self.marked(&marker, item, indent);
                    if tight && i > 0 && first < self.blocks.len() {
                        self.blocks[first].space_before = 0;
                    }
                }
            }
            BlockKind::Code { text, .. } => {
                let inner = self.deeper(indent, 4).unwrap_or(indent);
                let lines = self.code_lines(text, self.width - inner);
                let lines = indented(lines, inner);
                if !lines.is_empty() {
                    self.blocks.push(Block {
                        lines,
                        space_before: 1,
                        split_min: Some(2),
                        ..Block::default()
                    });
                }
            }
            BlockKind::ThematicBreak => {
                let mark = "*       *       *";
                let left = indent + measure.saturating_sub(mark.len()) / 2;
                self.blocks.push(Block {
                    lines: vec![format!("{}{mark}", " ".repeat(left))],
                    space_before: 1,
                    ..Block::default()
                });
            }
            BlockKind::Table(table) => self.table(table, indent),
            BlockKind::Image(image) => {
                let mut b = self.builder();
                b.fixed_word("[Image:");
                b.space();
                b.text(&image.alt);
                b.text("]");
                self.push_paragraph(b, indent, 1, self.direction);
            }
        }
    }

    /// A table as a grid: the header kept with the first row, each row a
    /// block of its own (a page may end between rows).
    fn table(&mut self, table: &Table, indent: usize) {
        let (hyphenator, ascii, words) = (self.hyphenator, self.layout.ascii, self.words);
        let builder = move || Builder::new(hyphenator, ascii).numbered_in(words);
        let measure = self.width - indent;
        let direction = if ascii { Direction::Ltr } else { self.direction };
        match super::table::grid(self.doc, table, measure, direction, builder, &mut self.hyphens) {
            Ok(grid) => {
                self.note_refs(grid.notes);
                let lines = self.placed(grid.header, indent, direction);
                self.blocks.push(Block { lines, space_before: 1, keep_with_next: true, ..Block::default() });
                for row in grid.rows {
                    let lines = self.placed(row, indent, direction);
                    self.blocks.push(Block { lines, split_min: Some(2), ..Block::default() });
                }
            }
            Err(error) => self.errors.push(error),
        }
    }

    /// Blocks with a marker (`*`, `3.`, `[2]`) hanging in front of the first line.
    fn marked(&mut self, marker: &str, blocks: &[ModelBlock], indent: usize) {
        let inner = self.deeper(indent, width(marker) + 1);
        let Some(inner) = inner.filter(|_| self.direction == Direction::Ltr) else {
            // No room to hang the marker, or a right-to-left document (where
            // a marker hung in logical order would stand on the wrong side
            // in one kind of terminal or the other): a line of its own, cut
            // like a long word if even that is too narrow.
            let cut = self.set_plain(marker, self.width - indent, Align::Ragged);
            let lines = self.placed(cut, indent, self.direction);
            let indent = inner.unwrap_or(indent);
            self.blocks.push(Block { lines, space_before: 1, keep_with_next: true, ..Block::default() });
            self.blocks_of(blocks, indent, None);
            return;
        };
        let first = self.blocks.len();
        self.blocks_of(blocks, inner, None);
        match self.blocks.get_mut(first).and_then(|b| b.lines.first_mut()) {
            Some(line) if line.get(indent..inner).is_some_and(|pad| pad.trim().is_empty()) => {
                let rest = line[inner..].to_string();
                *line = format!("{}{marker} {rest}", " ".repeat(indent));
            }
            _ => {
                let lines = vec![format!("{}{marker}", " ".repeat(indent))];
                self.blocks.insert(
                    first,
                    Block { lines, space_before: 1, keep_with_next: true, ..Block::default() },
                );
            }
        }
    }

    /// Preformatted lines: tabs expanded, control characters dropped, lines
    /// wider than `measure` cut between grapheme clusters with a marker.
    fn code_lines(&self, text: &str, measure: usize) -> Vec<String> {
        let text = self.plain(&text.replace('\t', "    ").replace('\r', ""));
        let mut lines = Vec::new();
        for source in text.trim_end_matches('\n').split('\n') {
            let mut line = String::new();
            let mut used = 0;
            for (_, g) in paragraph::cut_points(source, measure - CUT_MARKER.len()) {
                let w = width(g);
                if used + w > measure - CUT_MARKER.len() && used > 0 && width(source) > measure {
                    line.push_str(CUT_MARKER);
                    lines.push(std::mem::take(&mut line));
                    used = 0;
                }
                line.push_str(g);
                used += w;
            }
            lines.push(line);
        }
        lines
    }

    /// Notes referred to since the last call: numbered, after a short rule.
    fn flush_notes(&mut self) {
        if self.notes_pending.is_empty() {
            return;
        }
        let rule = "-".repeat(10.min(self.width));
        self.blocks.push(Block {
            // At the start side: right in a right-to-left document.
            lines: self.placed(vec![rule], 0, self.direction),
            space_before: 1,
            keep_with_next: true,
            ..Block::default()
        });
        let doc = self.doc;
        let mut first = true;
        while !self.notes_pending.is_empty() {
            let note = self.notes_pending.remove(0);
            self.notes_done[note] = true;
            let at = self.blocks.len();
            let mark = format!("[{}]", self.words.number(note + 1));
            self.marked(&mark, &doc.notes[note].blocks, 0);
            if first && at < self.blocks.len() {
                self.blocks[at].space_before = 0;
            }
            first = false;
        }
    }

    fn colophon(&mut self, anchor: usize) {
        let doc = self.doc;
        let meta = &doc.meta;
        self.small_heading(self.words.colophon, Some(anchor));
        let mut paragraphs = Vec::new();
        let mut title = meta.title.clone();
        if let Some(subtitle) = &meta.subtitle {
            title = join_sentences(&[sentence(&title), subtitle.clone()]);
        }
        paragraphs.push(sentence(&title));
        let words = self.words;
        let mut imprint: Vec<String> = words
            .imprint(meta.publisher.as_deref(), meta.date.as_deref())
            .map(|i| sentence(&i))
            .into_iter()
            .collect();
        for extra in [&meta.series, &meta.edition, &meta.rights].into_iter().flatten() {
            imprint.push(sentence(extra));
        }
        for c in &meta.contributors {
            imprint.push(sentence(&words.line(words.role(c.role), &c.name)));
        }
        if !imprint.is_empty() {
            paragraphs.push(join_sentences(&imprint));
        }
        paragraphs.push(words.line(words.identifier, &meta.identifier));
        if words.is_english() {
            paragraphs.push(self.account(&meta.language));
        } else {
            // In the document's language, the labelled lines the PDF
            // colophon has: who set it, in which layout, and when.
            let mut typeset = format!("mimeo {}", env!("CARGO_PKG_VERSION"));
            if let Some(name) = &self.layout.name {
                typeset = format!("{typeset}{}{name}", words.comma);
            }
            paragraphs.push(words.line(words.typeset, &typeset));
            paragraphs.push(words.line(words.this_edition, &words.date(self.epoch)));
        }
        for (i, text) in paragraphs.into_iter().enumerate() {
            let mut b = self.builder();
            b.text(&text);
            // The title is in the document's language; so is the rest
            // where mimeo has the words, else it is English, left to right.
            let own = i == 0 || !words.is_english();
            let direction = if own { self.direction } else { Direction::Ltr };
            self.push_paragraph(b, 0, 1, direction);
        }
    }

    /// A collection's colophon goes on with each piece's origin and rights,
    /// in the piece's own direction.
    fn colophon_of_pieces(&mut self, pieces: &[Piece]) {
        for piece in pieces {
            let meta = &piece.document.meta;
            let mut sentences = vec![sentence(&self.plain(&piece.title))];
            if piece.title != meta.title {
                sentences.push(sentence(&self.plain(&meta.title)));
            }
            if let Some(subtitle) = &meta.subtitle {
                sentences.push(sentence(&self.plain(subtitle)));
            }
            let words = Words::for_language(if self.layout.ascii { "en" } else { &meta.language });
            sentences
                .extend(words.imprint(meta.publisher.as_deref(), meta.date.as_deref()).map(|i| sentence(&i)));
            sentences.extend(meta.rights.iter().map(|r| sentence(&self.plain(r))));
            let mut b = self.builder();
            b.text(&join_sentences(&sentences));
            let direction = if self.layout.ascii { Direction::Ltr } else { meta.direction };
            self.push_paragraph(b, 0, 1, direction);
        }
    }

    /// mimeo's account of how an English edition was made: its shape,
    /// alignment and hyphenation, so a reader knows what they hold.
    fn account(&self, language: &str) -> String {
        let shape = match self.layout.page_height {
            Some(h) if self.layout.columns > 1 => {
                format!(
                    "{} columns of {} characters on pages of {} lines",
                    self.layout.columns, self.width, h
                )
            }
            Some(h) => format!("{} characters by {} lines a page", self.width, h),
            None => format!("{} characters a line", self.width),
        };
        let set = match (self.layout.align, self.direction) {
            (Align::Justify, Direction::Ltr) => "justified with total-fit line breaking",
            (Align::Justify, Direction::Rtl) => "right to left, justified with total-fit line breaking",
            (Align::Ragged, Direction::Ltr) => "set ragged right with total-fit line breaking",
            (Align::Ragged, Direction::Rtl) => "right to left, set ragged left with total-fit line breaking",
        };
        let hyphenated = if self.hyphenator.is_some_and(|h| h.has_patterns()) {
            format!("hyphenated with TeX patterns for `{language}`")
        } else {
            format!("not hyphenated (`{language}` has no hyphenation patterns)")
        };
        let layout = self.layout.name.as_deref().map(|n| format!(" in the {n} layout")).unwrap_or_default();
        format!(
            "This plain-text edition was made by mimeo {} on {}{layout}: {shape}, {set}, {hyphenated}{}.",
            env!("CARGO_PKG_VERSION"),
            self.words.date(self.epoch),
            if self.layout.ascii { ", transliterated to ASCII" } else { "" },
        )
    }
}

/// What opens a turn's first paragraph: the speaker's name with its colon,
/// and the time in the recording when the source gives one.
struct TurnLabel {
    name: String,
    time: Option<String>,
}

/// What follows a speaker's label: a full-width colon in Chinese and
/// Japanese (no space after it), else a colon.
fn label_colon(language: &str) -> &'static str {
    let primary = language.split('-').next().unwrap_or_default().to_ascii_lowercase();
    if matches!(primary.as_str(), "zh" | "ja" | "yue" | "cmn" | "wuu" | "hak" | "nan") { "：" } else { ":" }
}

/// Right-to-left mark: strong, invisible and of no width. Set beside a
/// line's neutral first or last character (a full stop, a bracket, a
/// number) it keeps that character on the right-to-left side in terminals
/// whose bidi algorithm runs with a left-to-right base.
const RLM: char = '\u{200F}';

/// `text` ending with a full stop (unless it ends with other punctuation).
fn sentence(text: &str) -> String {
    let text = text.trim();
    if text.ends_with(['.', '!', '?', '\u{2026}', '。', '！', '？', '؟']) {
        text.to_string()
    } else if text.chars().next_back().is_some_and(segment::is_cjk) {
        format!("{text}。")
    } else {
        format!("{text}.")
    }
}

/// Sentences run on: after a space, but straight on after a full-width
/// full stop (Chinese sets no space between sentences).
fn join_sentences(sentences: &[String]) -> String {
    let mut out = String::new();
    for s in sentences {
        if !out.is_empty() && !out.ends_with(['。', '！', '？']) {
            out.push(' ');
        }
        out.push_str(s);
    }
    out
}

/// A line of text and an underline as wide.
fn heading_lines(text: &str) -> Vec<String> {
    let text = text.to_uppercase();
    let underline = "-".repeat(width(&text));
    vec![text, underline]
}

/// `line` with right-to-left marks where a neutral character would
/// otherwise take the terminal's base direction.
fn with_marks(line: &str) -> String {
    if !line.chars().any(|c| bidi::char_direction(c) == Some(Direction::Rtl)) {
        return line.to_string();
    }
    let neutral = |c: Option<char>| c.is_some_and(|c| bidi::char_direction(c).is_none());
    let mut out = String::with_capacity(line.len() + 6);
    if neutral(line.chars().next()) {
        out.push(RLM);
    }
    out.push_str(line);
    if neutral(line.chars().next_back()) {
        out.push(RLM);
    }
    out
}

fn indented(lines: Vec<String>, indent: usize) -> Vec<String> {
    if indent == 0 {
        return lines;
    }
    let pad = " ".repeat(indent);
    lines.into_iter().map(|line| format!("{pad}{line}")).collect()
}
