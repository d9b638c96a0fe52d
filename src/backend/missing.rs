//! Characters an edition cannot show (no font has them, or an ASCII zine has
//! no form for them): an error naming the first one's place in the source,
//! or, when the user accepts what the edition shows instead (a box, `?`),
//! one warning each.

use std::collections::BTreeSet;
use std::path::Path;

use crate::diag::{Diagnostic, Location};

/// What an edition could not show, and how the user may fix it.
pub struct Missing<'a> {
    /// The characters.
    pub chars: &'a BTreeSet<char>,
    /// What lacks them, e.g. "no font has a glyph for".
    pub problem: &'a str,
    /// What was tried (the fonts), for the message.
    pub tried: String,
    /// How to fix it.
    pub fix: &'a str,
    /// What the edition shows instead when the user accepts it (the
    /// font's empty box, `?`).
    pub shown_as: &'a str,
}

impl Missing<'_> {
    /// An error at the first of the characters in `source` (the file they
    /// come from), or (`allowed`) a warning for each.
    pub fn report(&self, source: Option<&Path>, allowed: bool) -> Result<Vec<Diagnostic>, Diagnostic> {
        let text = source.and_then(|p| crate::files::read_text(p, crate::files::Kind::Source).ok());
        let place = |c: char| {
            let path = source?;
            let offset = text.as_deref()?.find(c)?;
            Some((offset, Location::at_offset(path, text.as_deref()?, offset)))
        };
        let located = |c: char, diag: Diagnostic| match place(c) {
            Some((_, at)) => diag.at(at),
            None => match source {
                Some(path) => diag.at(Location::file(path)),
                None => diag,
            },
        };
        if allowed {
            return Ok(self
                .chars
                .iter()
                .map(|&c| {
                    located(
                        c,
                        Diagnostic::warning(format!(
                            "{} {}; it prints as {}",
                            self.problem,
                            name(c),
                            self.shown_as
                        )),
                    )
                })
                .collect());
        }
        // The first in the file, else (a character of mimeo's own words) the smallest.
        let first = self
            .chars
            .iter()
            .copied()
            .min_by_key(|&c| place(c).map_or(usize::MAX, |(offset, _)| offset))
            .expect("called with characters");
        let mut message = format!("{} {}", self.problem, name(first));
        let others: Vec<String> =
            self.chars.iter().filter(|&&c| c != first).map(|&c| format!("U+{:04X}", c as u32)).collect();
        match others.len() {
            0 => {}
            1..=5 => message.push_str(&format!(" (and {})", others.join(", "))),
            n => message.push_str(&format!(" (and {n} other characters: {} …)", others[..5].join(", "))),
        }
        Err(located(first, Diagnostic::error(message))
            .hint(format!("tried: {}", self.tried))
            .hint(self.fix.to_string())
            .hint(format!(
                "or print it as {}: `--allow-missing-glyphs`, or `allow-missing-glyphs: true` in the layout",
                self.shown_as
            )))
    }
}

/// `X` (U+XXXX), or just the code for an invisible character.
fn name(c: char) -> String {
    if c.is_control() || c.is_whitespace() {
        format!("U+{:04X}", c as u32)
    } else {
        format!("`{c}` (U+{:04X})", c as u32)
    }
}
