//! The bilingual plain-text zine (issue 31): the original in the left
//! column, the translation in the right, each unit (title, participant,
//! question, turn, footnote) starting on the same line in both. A
//! right-to-left column is set flush right, in logical order, as the text
//! backend sets right-to-left text everywhere: a terminal's bidi algorithm
//! shows it right to left within its column.

use crate::backend::{Context, Output};
use crate::diag::Diagnostic;
use crate::layout::TextLayout;
use crate::model::{Direction, Document, Parallel, Turn, plain_text, plain_text_of_blocks};

use super::paragraph::{fill, width};
use super::{LRM, PAGE_FURNITURE, footer, has_rtl, push_line};

/// One column's settings: its width, language and direction.
struct Column<'a> {
    width: usize,
    language: &'a str,
    direction: Direction,
}

impl Column<'_> {
    /// Paragraphs set in this column, a blank line between them.
    fn set(&self, paragraphs: &[String], layout: &TextLayout) -> Vec<String> {
        let mut lines = Vec::new();
        for paragraph in paragraphs.iter().filter(|p| !p.trim().is_empty()) {
            if !lines.is_empty() {
                lines.push(String::new());
            }
            for part in paragraph.split('\n') {
                lines.extend(fill(part, self.width, self.language, layout.align));
            }
        }
        lines
    }

    /// A line placed in the column: flush right when right to left.
    fn place(&self, line: &str) -> String {
        match self.direction {
            Direction::Ltr => line.to_string(),
            Direction::Rtl => format!("{}{line}", " ".repeat(self.width.saturating_sub(width(line)))),
        }
    }
}

/// Render the pair as a two-column zine.
pub fn render(pair: &Parallel, layout: &TextLayout, _ctx: &Context) -> Result<Output, Diagnostic> {
    let column_width = (layout.width.saturating_sub(layout.gutter)) / 2;
    let left = Column {
        width: column_width,
        language: pair.original.meta.language.as_str(),
        direction: pair.original.meta.direction,
    };
    let right = Column {
        width: column_width,
        language: pair.translation.meta.language.as_str(),
        direction: pair.translation.meta.direction,
    };
    let mut rows: Vec<(String, String)> = Vec::new();
    let mut unit = |a: Vec<String>, b: Vec<String>| {
        let a = left.set(&a, layout);
        let b = right.set(&b, layout);
        if !rows.is_empty() {
            rows.push((String::new(), String::new()));
        }
        for i in 0..a.len().max(b.len()) {
            let cell =
                |lines: &[String], column: &Column| lines.get(i).map(|l| column.place(l)).unwrap_or_default();
            rows.push((cell(&a, &left), cell(&b, &right)));
        }
    };
    let (o, t) = (&pair.original, &pair.translation);
    unit(vec![o.meta.title.to_uppercase()], vec![t.meta.title.to_uppercase()]);
    if o.meta.subtitle.is_some() || t.meta.subtitle.is_some() {
        unit(o.meta.subtitle.iter().cloned().collect(), t.meta.subtitle.iter().cloned().collect());
    }
    for (a, b) in o.participants.iter().zip(&t.participants) {
        let about = |p: &crate::model::Participant| {
            let mut paragraphs = vec![p.name.clone()];
            paragraphs.extend(p.bio.as_ref().map(|bio| plain_text(bio)));
            paragraphs
        };
        unit(about(a), about(b));
    }
    if !o.introduction.is_empty() || !t.introduction.is_empty() {
        unit(paragraphs(&o.introduction), paragraphs(&t.introduction));
    }
    for (n, (a, b)) in pair.sections().enumerate() {
        let question = |s: &crate::model::Section, doc: &Document| {
            s.heading.as_ref().map(|h| format!("{}. {}", doc_number(doc, n + 1), plain_text(&h.content)))
        };
        if a.heading.is_some() || b.heading.is_some() {
            unit(question(a, o).into_iter().collect(), question(b, t).into_iter().collect());
        }
        for (x, y) in a.turns.iter().zip(&b.turns) {
            unit(turn(o, x), turn(t, y));
        }
    }
    for (n, (a, b)) in o.notes.iter().zip(&t.notes).enumerate() {
        let note = |blocks| {
            let mut p = paragraphs(blocks);
            if let Some(first) = p.first_mut() {
                *first = format!("[{}] {first}", n + 1);
            }
            p
        };
        unit(note(&a.blocks), note(&b.blocks));
    }
    let lines: Vec<String> = rows
        .iter()
        .map(|(a, b)| {
            let mut line = a.clone();
            if !b.is_empty() {
                line.extend(std::iter::repeat_n(
                    ' ',
                    (column_width + layout.gutter).saturating_sub(width(&line)),
                ));
                // Keeps a terminal from joining right-to-left runs of both columns.
                if has_rtl(a) || has_rtl(b) {
                    line.push(LRM);
                }
                line.push_str(b);
            }
            line
        })
        .collect();
    Ok(paginate(&lines, layout, &pair.translation))
}

/// A question's number in the document's digits.
fn doc_number(doc: &Document, n: usize) -> String {
    crate::model::Words::for_language(&doc.meta.language).number(n)
}

/// A block run as paragraphs of plain text.
fn paragraphs(blocks: &[crate::model::Block]) -> Vec<String> {
    plain_text_of_blocks(blocks).split("\n\n").map(str::to_string).collect()
}

/// A turn's paragraphs, the first opened by the speaker's label.
fn turn(doc: &Document, turn: &Turn) -> Vec<String> {
    let mut p = paragraphs(&turn.blocks);
    if let (Some(id), Some(first)) = (turn.speaker, p.first_mut()) {
        *first = format!("{}: {first}", doc.participant(id).label);
    }
    p
}

/// Lines into pages of the layout's height (footer: the translation's
/// title and the page number), or one long page.
fn paginate(lines: &[String], layout: &TextLayout, translation: &Document) -> Output {
    let mut text = String::new();
    let Some(height) = layout.page_height else {
        lines.iter().for_each(|l| push_line(&mut text, l));
        return Output { bytes: text.into_bytes(), ..Output::default() };
    };
    let body = height.saturating_sub(PAGE_FURNITURE).max(1);
    let words = crate::model::Words::for_language(&translation.meta.language);
    let pages = lines.chunks(body).count().max(1);
    for n in 0..pages {
        if n > 0 {
            text.push('\u{C}');
        }
        text.push('\n');
        let page = lines.chunks(body).nth(n).unwrap_or_default();
        for row in 0..body {
            push_line(&mut text, page.get(row).map_or("", String::as_str));
        }
        text.push('\n');
        let number = words.number(n + 1);
        push_line(&mut text, &footer(&translation.meta.title, &number, layout.width, Direction::Ltr));
    }
    Output { bytes: text.into_bytes(), pages: Some(pages), ..Output::default() }
}
