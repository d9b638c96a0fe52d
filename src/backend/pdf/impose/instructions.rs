//! The page of instructions a manual-duplex file begins with: which
//! pages to print first, how to feed the stack back, how to check, and
//! (for cut-and-stack) how to cut and pile. Set in English, like
//! mimeo's other messages, at the front of the file and not in the book.

use super::{Placement, SheetSide};
use crate::backend::pdf::compose::{LineAlign, Para, Piece, Style, WordBreaks, compose};
use crate::backend::pdf::fonts::{FaceId, Fonts, Shaper};
use crate::backend::pdf::set::{SetDocument, SetPage, push_line};
use crate::diag::Diagnostic;
use crate::layout::pdf::ImpositionKind;
use crate::model::{Anchor, Direction};
use crate::typeset::Hyphenator;

/// The instructions' paragraphs for `sheets` sheets: `(bold, text)`.
fn text(sheets: usize, kind: ImpositionKind) -> Vec<(bool, String)> {
    let (first, last) = (2, sheets + 1);
    let mut out = vec![
        (true, "Printing on one side at a time".to_string()),
        (false, "This page is not part of the book: print it alone, or skip it.".to_string()),
        (true, format!("1. Print pages {first}–{last}: the fronts of the {sheets} sheets.")),
        (
            false,
            format!(
                "2. Take the printed stack from the tray without reordering it, turn it over so the \
                 blank sides will be printed, the same edge first as before, and put it back in the \
                 paper tray. Then print pages {}–{}: the backs, last sheet first.",
                last + 1,
                last + sheets
            ),
        ),
        (
            false,
            "3. Check the first sheet: the page behind the top-left page must be the one after it. \
             If the backs came out upside down or in reverse, try the other edge or order once with \
             two sheets before printing all."
                .to_string(),
        ),
    ];
    if kind == ImpositionKind::CutStack {
        out.push((
            false,
            "4. Cut the whole stack along the guides. Put the piles on each other in reading order \
             (the first cell's pile on top): the pages are in order."
                .to_string(),
        ));
    }
    out
}

/// Add the instructions as the last set page and their side (the page
/// centred on a sheet like the others) before all of `sides`.
pub fn prepend(
    set: &mut SetDocument,
    sides: &mut Vec<SheetSide>,
    fonts: &Fonts,
    kind: ImpositionKind,
) -> Result<(), Diagnostic> {
    let Some(first) = sides.first() else { return Ok(()) };
    let sheets = sides.len() / 2;
    let (w, h) = (set.width, set.height);
    let mut shaper = Shaper::new(fonts)?;
    shaper.set_language("en");
    let breaks = WordBreaks::new(Hyphenator::for_language("en"));
    let margin = (w.min(h) * 0.09).max(18.0);
    let measure = w - 2.0 * margin;
    let size = (w / 40.0).clamp(7.0, 11.0);
    let mut ops = Vec::new();
    let mut y = margin + size * 1.2;
    for (bold, paragraph) in text(sheets, kind) {
        let face = if bold { FaceId::Bold } else { FaceId::Regular };
        let para = Para {
            pieces: vec![Piece::Text { text: paragraph, style: Style::new(face), counts: true }],
            size,
            measure,
            indent: 0.0,
            align: LineAlign::Left,
            hyphenate: false,
            direction: Direction::Ltr,
            keep: Vec::new(),
        };
        for line in compose(&shaper, &para, &breaks) {
            push_line(&mut ops, margin, y, line.runs, &line.extract);
            y += size * 1.3;
        }
        y += size * 0.6;
    }
    let (glyphs, _missing) = shaper.finish();
    for (face, used) in glyphs.into_iter().enumerate() {
        if let Some(known) = set.glyphs.get_mut(face) {
            known.extend(used);
        }
    }
    set.pages.push(SetPage { label: String::new(), anchor: Anchor::TitlePage, piece: None, ops });
    let mut side = super::side(first.width, first.height, first.trim, 0.0);
    let (x, y) = ((first.width - w) / 2.0, (first.height - h) / 2.0);
    side.placements.push(Placement { page: Some(set.pages.len() - 1), x, y, rotated: false });
    sides.insert(0, side);
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_page_ranges_follow_the_sheet_count() {
        let all: String = text(5, ImpositionKind::CutStack).into_iter().map(|(_, t)| t + "\n").collect();
        assert!(all.contains("pages 2–6: the fronts of the 5 sheets"), "{all}");
        assert!(all.contains("pages 7–11: the backs"), "{all}");
        assert!(all.contains("Cut the whole stack"));
        let duplex: String = text(1, ImpositionKind::Duplex2Up).into_iter().map(|(_, t)| t).collect();
        assert!(!duplex.contains("Cut the whole stack"));
    }
}
