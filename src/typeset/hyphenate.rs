//! Where words may be hyphenated, by language, from TeX's patterns (through
//! the `hypher` crate, whose tries are compiled in).

/// A place inside a word where a line may break.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Breakpoint {
    /// Byte offset in the word: the line ends before it.
    pub offset: usize,
    pub kind: BreakKind,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BreakKind {
    /// A hyphen is added at the end of the line.
    Hyphen,
    /// After a hyphen or dash already in the word: nothing is added.
    Explicit,
}

/// Shortest alphabetic run that is hyphenated by patterns.
const MIN_RUN_CHARS: usize = 5;

/// Finds hyphenation points for one language.
#[derive(Debug, Clone, Copy)]
pub struct Hyphenator {
    lang: Option<hypher::Lang>,
}

impl Hyphenator {
    /// The hyphenator for a BCP 47 tag; languages without patterns (or
    /// scripts that are not hyphenated, such as Arabic or Chinese) get one
    /// that finds only explicit breaks.
    pub fn for_language(tag: &str) -> Hyphenator {
        let lower = tag.to_ascii_lowercase();
        let mut subtags = lower.split('-');
        let primary = subtags.next().unwrap_or_default();
        let non_latin_script =
            subtags.any(|s| matches!(s, "arab" | "hebr" | "hans" | "hant" | "cyrl" | "jpan" | "kore"));
        let lang = match primary.as_bytes() {
            [a, b] if !non_latin_script || primary != "ku" => hypher::Lang::from_iso([*a, *b]),
            _ => None,
        };
        Hyphenator { lang }
    }

    /// Whether this language has patterns.
    pub fn has_patterns(&self) -> bool {
        self.lang.is_some()
    }

    /// Break points in `word` (a run of text without spaces, possibly with
    /// punctuation around it), in increasing order.
    pub fn breakpoints(&self, word: &str) -> Vec<Breakpoint> {
        let mut points = Vec::new();
        if word.contains('\u{AD}') {
            // The author placed soft hyphens: they are the only hyphen points.
            for (i, _) in word.match_indices('\u{AD}') {
                if i > 0 && i + 2 < word.len() {
                    points.push(Breakpoint { offset: i + 2, kind: BreakKind::Hyphen });
                }
            }
            return points;
        }
        if word.chars().any(|c| c.is_ascii_digit() || matches!(c, '@' | '/' | ':' | '_' | '\\')) {
            return points;
        }
        let mut run_start: Option<usize> = None;
        let chars: Vec<(usize, char)> = word.char_indices().collect();
        for (n, &(i, c)) in chars.iter().enumerate() {
            if c.is_alphabetic() {
                run_start.get_or_insert(i);
                continue;
            }
            if let Some(start) = run_start.take() {
                self.hyphenate_run(word, start, i, &mut points);
            }
            // A hyphen or dash between letters: a break after it.
            let between_letters = n > 0
                && chars[n - 1].1.is_alphabetic()
                && chars.get(n + 1).is_some_and(|&(_, next)| next.is_alphabetic());
            if between_letters && matches!(c, '-' | '\u{2010}' | '\u{2013}' | '\u{2014}' | '/') {
                points.push(Breakpoint { offset: i + c.len_utf8(), kind: BreakKind::Explicit });
            }
        }
        if let Some(start) = run_start {
            self.hyphenate_run(word, start, word.len(), &mut points);
        }
        points
    }

    /// Pattern hyphenation of the letters `word[start..end]`.
    fn hyphenate_run(&self, word: &str, start: usize, end: usize, points: &mut Vec<Breakpoint>) {
        let Some(lang) = self.lang else { return };
        let run = &word[start..end];
        if run.chars().count() < MIN_RUN_CHARS {
            return;
        }
        // Acronyms (SSHRC, COVID) are not hyphenated.
        if run.chars().filter(|c| c.is_uppercase()).count() > 1 && run.chars().all(|c| !c.is_lowercase()) {
            return;
        }
        let mut offset = start;
        let mut syllables = hypher::hyphenate(run, lang).peekable();
        while let Some(syllable) = syllables.next() {
            offset += syllable.len();
            if syllables.peek().is_some() {
                points.push(Breakpoint { offset, kind: BreakKind::Hyphen });
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hyphenated(h: &Hyphenator, word: &str) -> String {
        let mut out = String::new();
        let mut last = 0;
        for p in h.breakpoints(word) {
            out.push_str(&word[last..p.offset]);
            out.push(if p.kind == BreakKind::Hyphen { '-' } else { '|' });
            last = p.offset;
        }
        out.push_str(&word[last..]);
        out
    }

    #[test]
    fn english_patterns() {
        let en = Hyphenator::for_language("en");
        assert_eq!(hyphenated(&en, "solidarity"), "sol-i-dar-ity");
        assert_eq!(hyphenated(&en, "“imperialism,”"), "“im-pe-ri-al-ism,”");
        assert_eq!(hyphenated(&en, "self-determination"), "self-|de-ter-mi-na-tion");
        assert_eq!(hyphenated(&en, "SSHRC"), "SSHRC");
        assert_eq!(hyphenated(&en, "COVID-19"), "COVID-19");
        assert_eq!(hyphenated(&en, "the"), "the");
    }

    #[test]
    fn soft_hyphens_are_the_only_points() {
        let en = Hyphenator::for_language("en-GB");
        assert_eq!(en.breakpoints("Ro\u{AD}java").len(), 1);
    }

    #[test]
    fn scripts_without_patterns_find_nothing() {
        assert!(!Hyphenator::for_language("fa").has_patterns());
        assert!(!Hyphenator::for_language("zh-Hant").has_patterns());
        assert!(Hyphenator::for_language("tr").has_patterns());
        assert!(Hyphenator::for_language("ku").has_patterns());
        assert!(!Hyphenator::for_language("ku-Arab").has_patterns());
    }
}
