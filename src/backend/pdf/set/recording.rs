//! A read-along transcript's recording in print (issue 35): a QR code on
//! the colophon page pointing at where the recording is published
//! (`audio-url:`), when the layout asks (`recording-qr: true`). The
//! modules come from the `qrcode` crate; this module places them as
//! filled squares, page furniture (an artifact) for tagged PDF.

use qrcode::{Color, EcLevel, QrCode};

use crate::diag::Diagnostic;
use crate::model::Anchor;

use super::{Op, SetPage, Tag};

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
