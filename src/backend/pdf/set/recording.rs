//! A transcript's recording in print (issue 35): each turn's time in the
//! outer margin (`timecodes: margin`), and a QR code on the colophon page
//! pointing at where the recording is published (`audio-url:`, with
//! `recording-qr: true`). The QR modules come from the `qrcode` crate;
//! this module places them as filled squares. Both are page furniture
//! (artifacts) for tagged PDF: finding aids, not the text.

use qrcode::{Color, EcLevel, QrCode};

use crate::diag::Diagnostic;
use crate::model::Anchor;

use crate::layout::PdfLayout;
use crate::model::Direction;

use super::{FaceId, Furniture, Op, PageDraft, SetPage, Tag, push_centered};

/// Set each time of `times` (a timed turn's first flow block, and its
/// clock) in the outer margin of the page its block begins on, on the
/// baseline of the block's first line, in small type.
pub(super) fn margin_times(
    pages: &mut [PageDraft],
    times: &[(usize, String)],
    furniture: &Furniture,
    layout: &PdfLayout,
    width: f64,
    size: f64,
) {
    let outside = layout.margins.outside.pt();
    // Right-to-left books are bound on the right: a recto's outer margin is its left.
    let rtl = furniture.direction == Direction::Rtl;
    let mut due: std::collections::HashMap<usize, &str> =
        times.iter().map(|(b, t)| (*b, t.as_str())).collect();
    for (n, draft) in pages.iter_mut().enumerate() {
        let recto = n % 2 == 0;
        let left = if recto != rtl { width - outside } else { 0.0 };
        let mut found = Vec::new();
        let ops = &draft.page.ops;
        for (i, op) in ops.iter().enumerate() {
            let Op::Begin(Tag::Element(block)) = op else { continue };
            let Some(time) = due.remove(block) else { continue };
            let y = ops[i..].iter().find_map(|op| match op {
                Op::Text { y, .. } => Some(*y),
                _ => None,
            });
            found.extend(y.map(|y| (y, time)));
        }
        for (y, time) in found {
            draft.page.ops.push(Op::Begin(Tag::Artifact));
            push_centered(
                furniture,
                &mut draft.page.ops,
                time,
                FaceId::Regular,
                size * 0.7,
                left,
                outside,
                y,
            );
            draft.page.ops.push(Op::End);
        }
    }
}

const MM: f64 = 72.0 / 25.4;
/// A module of 0.6 mm: a 33-module code (a typical address) is 20 mm
/// across with its quiet zone, and phones read it at arm's length.
pub const MODULE: f64 = 0.6 * MM;
/// The quiet zone the standard asks for around the code, in modules.
const QUIET: usize = 4;

/// Draw the QR code of `url` at the foot of the colophon page (the last
/// page when none is marked), centred, its quiet zone's bottom on the
/// bottom margin `bottom` of a page `width` × `height`.
pub fn stamp(
    pages: &mut [SetPage],
    url: &str,
    width: f64,
    height: f64,
    bottom: f64,
) -> Result<(), Diagnostic> {
    let code = QrCode::with_error_correction_level(url.as_bytes(), EcLevel::M).map_err(|e| {
        Diagnostic::error(format!("cannot make a QR code of `audio-url: {url}`: {e}"))
            .hint("a shorter address fits (a QR code holds about 2,000 characters)")
    })?;
    let at = pages.iter().rposition(|p| p.anchor == Anchor::Colophon).or(pages.len().checked_sub(1));
    let Some(page) = at.map(|i| &mut pages[i]) else { return Ok(()) };
    let modules = code.width();
    let side = (modules + 2 * QUIET) as f64 * MODULE;
    let left = (width - side) / 2.0 + QUIET as f64 * MODULE;
    let top = height - bottom - side + QUIET as f64 * MODULE;
    page.ops.push(Op::Begin(Tag::Artifact));
    for (row, colors) in code.to_colors().chunks(modules).enumerate() {
        // One rectangle per run of dark modules in a row.
        let mut column = 0;
        while column < modules {
            if colors[column] == Color::Light {
                column += 1;
                continue;
            }
            let start = column;
            while column < modules && colors[column] == Color::Dark {
                column += 1;
            }
            page.ops.push(Op::Fill {
                x: left + start as f64 * MODULE,
                y: top + row as f64 * MODULE,
                width: (column - start) as f64 * MODULE,
                height: MODULE,
            });
        }
    }
    page.ops.push(Op::End);
    Ok(())
}
