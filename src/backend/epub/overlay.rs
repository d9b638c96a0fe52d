//! EPUB 3 Media Overlays (issue 35): the recording plays while the words
//! being spoken are highlighted. Each timed stretch of text (a [`Cue`])
//! becomes a `<span id>` in its content document and a `<par>` in that
//! document's SMIL file, pairing the span with the recording's clip.
//!
//! [`Cue`]: crate::model::Cue

use crate::model::{Inline, clock_ms};

use super::xml::push_attr;

/// The class reading systems put on the span being read
/// (`media:active-class`); the stylesheet highlights it.
pub const ACTIVE_CLASS: &str = "-epub-media-overlay-active";

/// Where the overlays live in the package, beside the content documents' folder.
pub const FOLDER: &str = "overlays";

/// A highlight that reads in light and dark mode alike: the reader's own
/// text colour on a translucent yellow, plus an outline for readers that
/// drop backgrounds (and for Windows' forced colours).
pub const STYLE: &str = "
.-epub-media-overlay-active {
  background-color: rgba(255, 214, 0, 0.45);
  outline: 1px solid rgba(255, 214, 0, 0.9);
  border-radius: 0.15em;
}
@media (prefers-color-scheme: dark) {
  .-epub-media-overlay-active {
    background-color: rgba(255, 214, 0, 0.3);
  }
}
";

/// One `<par>`: a span of a content document and its clip of the recording.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Par {
    /// The content document (its href in the package).
    pub file: String,
    /// The span's id in it.
    pub id: String,
    pub begin_ms: u64,
    pub end_ms: u64,
}

/// The SMIL file of the content document `file` (whose pars are `pars`),
/// its clips taken from the audio at `audio_href` (relative to the SMIL
/// file, or a URL).
pub fn smil(file: &str, pars: &[&Par], audio_href: &str) -> String {
    let mut out = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n\
         <smil xmlns=\"http://www.w3.org/ns/SMIL\" xmlns:epub=\"http://www.idpf.org/2007/ops\" version=\"3.0\">\n\
         <body>\n<seq id=\"seq-1\" epub:textref=\"../",
    );
    push_attr(&mut out, file);
    out.push_str("\">\n");
    for (n, par) in pars.iter().enumerate() {
        out.push_str(&format!("<par id=\"par-{}\"><text src=\"../", n + 1));
        push_attr(&mut out, &par.file);
        out.push('#');
        push_attr(&mut out, &par.id);
        out.push_str("\"/><audio src=\"");
        push_attr(&mut out, audio_href);
        out.push_str(&format!(
            "\" clipBegin=\"{}\" clipEnd=\"{}\"/></par>\n",
            clock_ms(par.begin_ms),
            clock_ms(par.end_ms)
        ));
    }
    out.push_str("</seq>\n</body>\n</smil>\n");
    out
}

/// How long `pars` play, in milliseconds: what `media:duration` says of
/// their SMIL file (the total is the sum of these, as EPUBCheck checks).
pub fn duration(pars: &[&Par]) -> u64 {
    pars.iter().map(|p| p.end_ms.saturating_sub(p.begin_ms)).sum()
}

/// `content` cut at each of `cuts` (character offsets into its plain
/// text, increasing): `cuts.len() + 1` runs. Cue marks stand in top-level
/// text, so cuts fall in a text run or between inlines; one that falls
/// inside other markup moves to its end.
pub fn split(content: &[Inline], cuts: &[usize]) -> Vec<Vec<Inline>> {
    let mut out: Vec<Vec<Inline>> = vec![Vec::new()];
    let mut next = 0;
    let mut pos = 0usize;
    for inline in content {
        match inline {
            Inline::Text(text) => {
                let mut rest = text.as_str();
                let mut at = pos;
                while next < cuts.len() && cuts[next] <= at + rest.chars().count() {
                    let take = cuts[next].saturating_sub(at);
                    let byte = rest.char_indices().nth(take).map_or(rest.len(), |(b, _)| b);
                    if byte > 0 {
                        out.last_mut().expect("one run at least").push(Inline::Text(rest[..byte].into()));
                    }
                    out.push(Vec::new());
                    rest = &rest[byte..];
                    at += take;
                    next += 1;
                }
                if !rest.is_empty() {
                    out.last_mut().expect("one run at least").push(Inline::Text(rest.into()));
                }
                pos += text.chars().count();
            }
            other => {
                while next < cuts.len() && cuts[next] <= pos {
                    out.push(Vec::new());
                    next += 1;
                }
                out.last_mut().expect("one run at least").push(other.clone());
                pos += crate::model::plain_text(std::slice::from_ref(other)).chars().count();
            }
        }
    }
    while out.len() < cuts.len() + 1 {
        out.push(Vec::new());
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::plain_text;

    #[test]
    fn runs_cut_at_the_cues() {
        let content = vec![
            Inline::Text("We met. ".into()),
            Inline::Emphasis(vec![Inline::Text("Then".into())]),
            Inline::Text(" we left. Bye.".into()),
        ];
        let runs = split(&content, &[0, 8, 22]);
        let texts: Vec<String> = runs.iter().map(|r| plain_text(r)).collect();
        assert_eq!(texts, ["", "We met. ", "Then we left. ", "Bye."]);
        assert!(matches!(runs[2][0], Inline::Emphasis(_)));
    }

    #[test]
    fn smil_pairs_spans_and_clips() {
        let pars =
            [Par { file: "section-001.xhtml".into(), id: "cue-1".into(), begin_ms: 1250, end_ms: 3100 }];
        let refs: Vec<&Par> = pars.iter().collect();
        let smil = smil("section-001.xhtml", &refs, "../audio/recording.mp3");
        assert!(smil.contains(
            "<text src=\"../section-001.xhtml#cue-1\"/><audio src=\"../audio/recording.mp3\" \
             clipBegin=\"00:00:01.250\" clipEnd=\"00:00:03.100\"/>"
        ));
        assert!(roxmltree::Document::parse(&smil).is_ok());
        assert_eq!(duration(&refs), 1850);
    }
}
