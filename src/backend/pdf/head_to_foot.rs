//! Tête-bêche (`a5-tete-beche`, issue 31): a translation and its original
//! bound back to back in one saddle-stitched booklet, each read from its
//! own front cover, the two meeting in the middle.
//!
//! Each side is typeset as its own edition would be (its script,
//! direction, digits and folios); only the order of the booklet's pages
//! is new. Counted from the original's cover, the booklet holds the
//! original's pages, blanks in the middle, and the translation's pages
//! last to first, so that the translation's first page is the booklet's
//! back cover. When the two sides read in opposite directions (English
//! and Persian) the booklet's back is the translation's front, spine on
//! the side its readers expect, and every page stays upright; when they
//! read the same way, the translation's half is turned head to foot, so
//! that turning the booklet over brings it upright.

use super::set::{ElementRole, Op, OutlineEntry, SetDocument, SetPage, Tag};
use crate::model::Anchor;

/// The two sides in one set book, in the booklet's page order (a
/// multiple of 4), and for each page whether it is printed turned.
pub struct BackToBack {
    pub set: SetDocument,
    pub turned: Vec<bool>,
}

/// The booklet of `original` and `translation`; the translation's pages
/// are turned when `turn` (the two sides read the same way).
pub fn back_to_back(original: SetDocument, translation: SetDocument, turn: bool) -> BackToBack {
    let (front, back) = (original.pages.len(), translation.pages.len());
    let total = (front + back).div_ceil(4) * 4;
    let blanks = total - front - back;
    let mut set = original;
    let (element_base, image_base) = (set.elements.len(), set.images.len());
    let SetDocument { pages, outline, glyphs, elements, images, warnings, .. } = translation;

    // The translation's page `n` (0-based) is the booklet's `total - 1 - n`.
    let place = |n: usize| total - 1 - n;
    let blank = SetPage { label: String::new(), anchor: Anchor::Colophon, piece: None, ops: Vec::new() };
    set.pages.extend(std::iter::repeat_n(blank, blanks));
    let mut back_pages: Vec<SetPage> =
        pages.into_iter().map(|p| shifted(p, element_base, image_base)).collect();
    back_pages.reverse();
    set.pages.extend(back_pages);
    set.outline.extend(outline.into_iter().map(|e| OutlineEntry { page: place(e.page), ..e }));
    set.elements.extend(elements.into_iter().map(|role| match role {
        ElementRole::Figure(i) => ElementRole::Figure(i + image_base),
        role => role,
    }));
    set.images.extend(images);
    super::set::merge_glyphs(&mut set.glyphs, glyphs);
    set.warnings.extend(warnings);
    let turned = (0..total).map(|n| turn && n >= front + blanks).collect();
    BackToBack { set, turned }
}

/// A page of the second side, its structure elements and pictures
/// numbered after the first side's.
fn shifted(mut page: SetPage, element_base: usize, image_base: usize) -> SetPage {
    for op in &mut page.ops {
        match op {
            Op::Begin(Tag::Element(n)) => *n += element_base,
            Op::Image { image, .. } => *image += image_base,
            _ => {}
        }
    }
    page
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::backend::pdf::DocInfo;

    fn book(pages: usize, label: &str) -> SetDocument {
        SetDocument {
            width: 100.0,
            height: 100.0,
            pages: (0..pages)
                .map(|n| SetPage {
                    label: format!("{label}{}", n + 1),
                    anchor: Anchor::Notes,
                    piece: None,
                    ops: vec![Op::Begin(Tag::Element(n)), Op::End],
                })
                .collect(),
            outline: vec![OutlineEntry { title: label.into(), page: 1, y: 0.0, depth: 0 }],
            glyphs: Vec::new(),
            elements: vec![ElementRole::Paragraph; pages],
            images: Vec::new(),
            info: DocInfo::default(),
            warnings: Vec::new(),
        }
    }

    #[test]
    fn the_translation_runs_from_the_back_cover_with_blanks_in_the_middle() {
        let BackToBack { set, turned } = back_to_back(book(5, "en"), book(6, "fa"), false);
        let labels: Vec<&str> = set.pages.iter().map(|p| p.label.as_str()).collect();
        assert_eq!(labels, ["en1", "en2", "en3", "en4", "en5", "", "fa6", "fa5", "fa4", "fa3", "fa2", "fa1"]);
        assert!(turned.iter().all(|t| !t), "opposite directions: all upright");
        // The translation's elements come after the original's.
        assert_eq!(set.pages[11].ops[0], Op::Begin(Tag::Element(5)));
        assert_eq!(set.elements.len(), 11);
        assert_eq!(set.outline[1].page, 10, "its bookmark follows its page");
    }

    #[test]
    fn the_same_direction_turns_the_translation_head_to_foot() {
        let BackToBack { set, turned } = back_to_back(book(4, "en"), book(4, "de"), true);
        assert_eq!(set.pages.len(), 8);
        assert_eq!(turned, [false, false, false, false, true, true, true, true]);
    }
}
