//! Spot inks for the risograph (`variant: riso`): each ink is a PDF
//! Separation colour space named after it (ISO 32000-1 §8.6.6.4), with a
//! CMYK look-alike as its alternate space so viewers show something near
//! the drum's colour; a RIP or Ghostscript's `tiffsep` makes one plate per
//! ink. [`apply`] gives each element of the typeset pages its role's ink:
//! body text, headings (and the title), speaker labels, rules, pictures
//! (printed as one-ink halftone-ready gray), and on a cover its title and
//! spine.

use pdf_lopdf::{Dictionary, Object, ObjectId};

pub use super::set::Ink;
use super::set::{ElementRole, Op, SetDocument, Tag};
use crate::layout::pdf::{INKS, PdfLayout};
use crate::model::Document;

/// The inks of a riso layout, in drum order.
pub fn inks(layout: &PdfLayout) -> Vec<Ink> {
    layout
        .inks
        .iter()
        .map(|name| Ink {
            name: name.clone(),
            cmyk: INKS.iter().find(|(n, _)| n == name).map_or([0.0, 0.0, 0.0, 1.0], |(_, c)| *c),
        })
        .collect()
}

/// What an op is part of, for its ink.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    Body,
    Heading,
    Speaker,
    Rule,
    Picture,
    Cover,
}

/// Ink indices by role (from [`PdfLayout::ink_of_roles`]).
#[derive(Debug, Clone, Copy)]
pub struct Plan {
    roles: [usize; 6],
    /// The title is the cover's (a wrap cover), not a heading.
    pub cover: bool,
}

impl Plan {
    pub fn new(layout: &PdfLayout, cover: bool) -> Plan {
        Plan { roles: layout.ink_of_roles(), cover }
    }

    pub fn ink(&self, role: Role) -> usize {
        self.roles[role as usize]
    }
}

/// Put `Op::Ink` before every op whose role's ink differs from the one in
/// force, on every page of `set`; record the inks for the writer. With a
/// `drum`, keep only that ink's ops instead, without inks (the writer
/// prints them black, pictures gray): one drum's master.
pub fn apply(set: &mut SetDocument, doc: &Document, layout: &PdfLayout, plan: Plan) {
    let drum = layout.drum.as_ref().and_then(|d| layout.inks.iter().position(|i| i == d));
    let labels: Vec<String> =
        doc.participants.iter().map(|p| format!("{}:", p.label.to_lowercase())).collect();
    let elements = set.elements.clone();
    for page in &mut set.pages {
        let old = std::mem::take(&mut page.ops);
        let mut ops = Vec::with_capacity(old.len() + 8);
        let mut tags: Vec<Tag> = Vec::new();
        // The ink in force, and the ones to restore at each turn's end.
        let mut current: Option<usize> = None;
        let mut saved: Vec<Option<usize>> = Vec::new();
        // Whether the element's first text is still to come (a turn's label).
        let mut first_text = false;
        // `op` in `ink`: after an ink change, or left out of another drum's master.
        let put = |ops: &mut Vec<Op>, current: &mut Option<usize>, ink: usize, op: Op| match drum {
            Some(d) if d != ink => {}
            Some(_) => ops.push(op),
            None => {
                if *current != Some(ink) {
                    ops.push(Op::Ink(ink));
                    *current = Some(ink);
                }
                ops.push(op);
            }
        };
        for op in old {
            let element = tags.iter().rev().find_map(|t| match t {
                Tag::Element(e) => elements.get(*e).copied(),
                Tag::Artifact => None,
            });
            let text_role = match element {
                Some(ElementRole::Title) if plan.cover => Role::Cover,
                Some(ElementRole::Title | ElementRole::Heading(_)) => Role::Heading,
                _ => Role::Body,
            };
            match op {
                Op::Begin(tag) => {
                    first_text =
                        matches!(tag, Tag::Element(e) if elements.get(e) == Some(&ElementRole::Paragraph));
                    tags.push(tag);
                    ops.push(op);
                }
                Op::End => {
                    tags.pop();
                    ops.push(op);
                }
                Op::Turn { .. } => {
                    saved.push(current);
                    ops.push(op);
                }
                Op::Unturn => {
                    current = saved.pop().flatten();
                    ops.push(op);
                }
                Op::Text { x, y, run } if first_text && text_role == Role::Body => {
                    first_text = false;
                    // A turn's paragraph opens with the speaker's label.
                    let split = label_end(&run, &set.glyphs, &labels);
                    if split > 0 {
                        let (head, tail) = run.glyphs.split_at(split);
                        let label = super::GlyphRun { glyphs: head.to_vec(), ..run.clone() };
                        put(&mut ops, &mut current, plan.ink(Role::Speaker), Op::Text { x, y, run: label });
                        if !tail.is_empty() {
                            let tail =
                                Op::Text { x, y, run: super::GlyphRun { glyphs: tail.to_vec(), ..run } };
                            put(&mut ops, &mut current, plan.ink(Role::Body), tail);
                        }
                    } else {
                        put(&mut ops, &mut current, plan.ink(Role::Body), Op::Text { x, y, run });
                    }
                }
                Op::Text { .. } | Op::Hidden { .. } => put(&mut ops, &mut current, plan.ink(text_role), op),
                Op::Rule { .. } | Op::Fill { .. } => {
                    // Cover bands and barcodes follow the text around them;
                    // rules have their own ink.
                    let role = match (&op, text_role) {
                        (Op::Rule { .. }, _) => Role::Rule,
                        (_, Role::Cover) => Role::Cover,
                        _ => Role::Body,
                    };
                    put(&mut ops, &mut current, plan.ink(role), op);
                }
                Op::Image { .. } => {
                    // The picture's own colour space is the ink (see `picture_in_ink`).
                    if drum.is_none_or(|d| d == plan.ink(Role::Picture)) {
                        ops.push(op);
                    }
                }
                other => ops.push(other),
            }
        }
        page.ops = ops;
    }
    if drum.is_none() {
        set.info.inks = inks(layout);
        set.info.picture_ink = plan.ink(Role::Picture);
    }
}

/// How many glyphs of `run` spell one of `labels` (lower-cased, with the
/// colon), the run's text read through the glyphs' texts; 0 if none.
fn label_end(
    run: &super::GlyphRun,
    glyphs: &[std::collections::BTreeMap<u16, String>],
    labels: &[String],
) -> usize {
    let Some(texts) = glyphs.get(run.face.index()) else { return 0 };
    let mut text = String::new();
    for (n, (id, _)) in run.glyphs.iter().enumerate() {
        text.push_str(&texts.get(id).map_or(String::new(), |t| t.to_lowercase()));
        if labels.contains(&text) {
            return n + 1;
        }
        if !labels.iter().any(|l| l.starts_with(&text)) {
            return 0;
        }
    }
    0
}

/// The resource name of ink `n`.
pub fn resource_name(n: usize) -> String {
    format!("Ink{n}")
}

/// `[/Separation /name /DeviceCMYK tint]` for `ink`.
fn separation(ink: &Ink) -> Object {
    let tint = Dictionary::from_iter(vec![
        ("FunctionType", Object::Integer(2)),
        ("Domain", Object::Array(vec![Object::Real(0.0), Object::Real(1.0)])),
        ("C0", Object::Array(vec![Object::Real(0.0); 4])),
        ("C1", Object::Array(ink.cmyk.iter().map(|&c| Object::Real(c as f32)).collect())),
        ("N", Object::Real(1.0)),
    ]);
    Object::Array(vec![
        Object::Name(b"Separation".to_vec()),
        Object::Name(ink.name.as_bytes().to_vec()),
        Object::Name(b"DeviceCMYK".to_vec()),
        Object::Dictionary(tint),
    ])
}

/// A resource `ColorSpace` dictionary naming each ink's Separation.
pub fn color_spaces(inks: &[Ink]) -> Dictionary {
    inks.iter().enumerate().map(|(n, ink)| (resource_name(n).into_bytes(), separation(ink))).collect()
}

/// A gray picture printed in `ink`: its samples read as tints of the ink
/// (`Decode [1 0]`: white paper is no ink, black is full ink).
pub fn picture_in_ink(pdf: &mut pdf_lopdf::Document, image: ObjectId, ink: &Ink) {
    if let Ok(Object::Stream(stream)) = pdf.get_object_mut(image)
        && stream.dict.get(b"ColorSpace").ok().and_then(|c| c.as_name().ok())
            == Some(b"DeviceGray".as_slice())
    {
        stream.dict.set("ColorSpace", separation(ink));
        stream.dict.set("Decode", Object::Array(vec![Object::Real(1.0), Object::Real(0.0)]));
    }
}
