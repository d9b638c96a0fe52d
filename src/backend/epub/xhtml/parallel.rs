//! Content documents of a bilingual book (issue 31): the translation's
//! writer writes each document, and the original's writer writes the
//! original's part beside each of its parts — introduction, question,
//! turn — in a `<div class="pair">`, each half with its own `lang` and
//! `dir`. The original's note references get ids of their own, so the two
//! never collide in one document.

use crate::model::Section;

use super::{INTRODUCTION, Page, Part, Writer, language_attributes, section_file};
use crate::model::{Direction, plain_text};
use crate::typeset::bidi;

/// What the original's writer puts before its note-reference ids.
const ORIGINAL_IDS: &str = "original-";

impl Writer<'_> {
    /// The writer of the original's parts in a bilingual book: its files
    /// (notes, pictures) named apart from the translation's.
    pub fn for_original(mut self) -> Self {
        self.prefix = ORIGINAL_IDS.to_string();
        self
    }

    /// Attributes of the document's language and direction.
    fn own_language(&self) -> String {
        language_attributes(&self.language, self.doc.meta.direction)
    }

    /// Run `write` on the original's writer as if it wrote into our
    /// current file, and return what it wrote.
    fn beside(original: &mut Writer, file: &str, write: impl FnOnce(&mut Writer)) -> String {
        original.file = file.to_string();
        let before = std::mem::take(&mut original.out);
        write(original);
        let written = std::mem::replace(&mut original.out, before);
        written.replace("id=\"noteref-", &format!("id=\"{ORIGINAL_IDS}noteref-"))
    }

    /// Open a pair: the original's half, then ours opened.
    fn open_pair(&mut self, original: &Writer, theirs: &str) {
        self.out.push_str("<div class=\"pair\">\n<div class=\"original\"");
        self.out.push_str(&original.own_language());
        self.out.push_str(">\n");
        self.out.push_str(theirs);
        self.out.push_str("</div>\n<div class=\"translation\">\n");
    }

    fn close_pair(&mut self) {
        self.out.push_str("</div>\n</div>\n");
    }

    /// The introduction, the original's beside ours.
    pub fn parallel_introduction(&mut self, original: &mut Writer) -> Page {
        let label = self.labels.introduction.clone();
        self.begin(INTRODUCTION, &label, "bodymatter");
        self.out.push_str("<section epub:type=\"introduction\" role=\"doc-introduction\" aria-label=\"");
        super::push_attr(&mut self.out, &label);
        self.out.push_str("\">\n");
        let file = self.file.clone();
        let theirs = Self::beside(original, &file, |w| {
            let doc = w.doc;
            w.blocks(&doc.introduction, 1);
        });
        self.open_pair(original, &theirs);
        let doc = self.doc;
        self.blocks(&doc.introduction, 1);
        self.close_pair();
        self.out.push_str("</section>\n");
        self.finish(label, Part::Introduction)
    }

    /// Section `index`: our question with the original's beside it, then
    /// each turn of the original followed by ours. The contents list our
    /// question with the original's after it.
    pub fn parallel_section(
        &mut self,
        original: &mut Writer,
        index: usize,
        ours: &Section,
        theirs: &Section,
    ) -> Page {
        let file = section_file(index);
        let question =
            |s: &Section| s.heading.as_ref().map(|h| super::xml::clean_field(&plain_text(&h.content)));
        let title = match (question(ours), question(theirs)) {
            (Some(a), Some(b)) => format!("{a} ({b})"),
            (a, b) => a.or(b).unwrap_or_default(),
        };
        let head = if title.is_empty() { self.doc.meta.title.clone() } else { title.clone() };
        self.begin(&file, &head, "bodymatter");
        let file = self.file.clone();
        let anchor = format!("section-{}", index + 1);
        self.out
            .push_str("<section epub:type=\"chapter\" role=\"doc-chapter\" class=\"question\" aria-label=\"");
        super::push_attr(&mut self.out, &head);
        self.out.push_str("\">\n");
        if ours.heading.is_some() || theirs.heading.is_some() {
            let their_heading = Self::beside(original, &file, |w| {
                if let Some(h) = &theirs.heading {
                    w.inline_block(h.id, "<p class=\"question\">", "</p>\n", "", &h.content);
                }
            });
            self.open_pair(original, &their_heading);
            if let Some(h) = &ours.heading {
                let open = format!("<h1 id=\"{anchor}\">");
                self.inline_block(h.id, &open, "</h1>\n", "", &h.content);
            }
            self.close_pair();
        }
        for (turn, their_turn) in ours.turns.iter().zip(&theirs.turns) {
            let theirs_html = Self::beside(original, &file, |w| w.turn(their_turn));
            self.open_pair(original, &theirs_html);
            self.turn(turn);
            self.close_pair();
        }
        self.out.push_str("</section>\n");
        let mut page = self.finish(title, Part::Section);
        // A question wholly in another language is listed in it.
        if let Some((language, direction, _)) =
            ours.heading.as_ref().and_then(|h| bidi::whole_span(&h.content))
        {
            page.title_language = language_attributes(language, direction);
        } else if page.title_language.is_empty() && self.doc.meta.direction == Direction::Rtl {
            page.title_language = self.own_language();
        }
        page
    }

    /// The original's notes page, its back-links pointing at the
    /// original's references (whose ids [`Writer::beside`] renamed).
    pub fn original_notes(&mut self) -> Page {
        let mut page = self.notes();
        page.xhtml = page.xhtml.replace("#noteref-", &format!("#{ORIGINAL_IDS}noteref-"));
        // Listed in the translation's contents in the original's language.
        page.title_language = self.own_language();
        page
    }
}
