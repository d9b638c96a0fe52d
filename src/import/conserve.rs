//! Word conservation: every word of the transcript's text must be found
//! in the source the import wrote, in its front matter, its body, a turn's
//! label, or the comment's `set aside:` lines. The count is made on the
//! written source as `mimeo build` reads it back, not on the import's own
//! plan, so a word lost by the writer or the Markdown escaping is caught too.

use std::collections::HashMap;

use crate::model::{Document, plain_text, plain_text_of_blocks};

/// How the comment introduces words the import kept out of the text
/// (the `Q` of `Q:` questions, the `Date` of a `Date:` line).
pub const SET_ASIDE: &str = "# - set aside: ";

/// The outcome of a count.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Count {
    /// Words of the transcript's text.
    pub words_in: usize,
    /// Of those, how many the written source holds.
    pub placed: usize,
    /// The first words not found, each with the line (or paragraph) it was on.
    pub missing: Vec<(String, usize)>,
}

/// How many missing words a count keeps, to name them.
const MISSING_SHOWN: usize = 8;

/// The words of `text`: runs of letters and digits, case-folded. Times
/// (`00:12:31`, `[12:03]`) are not words: the import drops them from
/// labels on purpose and `--timestamps` writes them in another form.
/// Control characters are not there at all: every reader drops them, so
/// `P\u{7f}riya` is the one word the source gives back.
pub fn words(text: &str) -> impl Iterator<Item = String> + '_ {
    text.split_whitespace()
        .filter(|token| !super::labels::is_timestamp(token.trim_matches(|c: char| !c.is_ascii_digit())))
        .flat_map(|token| token.split(|c: char| !c.is_alphanumeric() && !c.is_control()))
        .map(|word| word.chars().filter(|c| !c.is_control()).flat_map(char::to_lowercase).collect::<String>())
        .filter(|word| !word.is_empty())
}

/// Count the words of `input` (each text with its line) found in the
/// document `doc` read back from `source`. Linear in the number of words.
pub fn count(input: &[(usize, &str)], doc: &Document, source: &str) -> Count {
    let mut found: HashMap<String, usize> = HashMap::new();
    let mut add = |text: &str| {
        for word in words(text) {
            *found.entry(word).or_default() += 1;
        }
    };
    let meta = &doc.meta;
    for text in [&Some(meta.title.clone()), &meta.subtitle, &meta.date, &meta.publisher, &meta.description] {
        text.as_deref().into_iter().for_each(&mut add);
    }
    for contributor in &meta.contributors {
        add(&contributor.name);
    }
    for participant in &doc.participants {
        if let Some(bio) = &participant.bio {
            add(&plain_text(bio));
        }
    }
    add(&plain_text_of_blocks(&doc.introduction));
    for section in &doc.sections {
        if let Some(heading) = &section.heading {
            add(&plain_text(&heading.content));
        }
        for turn in &section.turns {
            if let Some(id) = turn.speaker {
                // A label stands for its participant: `Anna Berg:` written
                // `Anna:` keeps both words in the participant's name.
                let who = doc.participant(id);
                label_words(&who.label, &who.name).iter().for_each(|w| add(w));
            }
            add(&plain_text_of_blocks(&turn.blocks));
        }
    }
    for note in &doc.notes {
        add(&plain_text_of_blocks(&note.blocks));
    }
    for line in source.lines().skip(1).take_while(|l| *l != "---") {
        if let Some(aside) = line.strip_prefix(SET_ASIDE) {
            for (text, times) in set_aside_entries(aside) {
                (0..times).for_each(|_| add(&text));
            }
        }
    }

    let mut count = Count { words_in: 0, placed: 0, missing: Vec::new() };
    for &(line, text) in input {
        for word in words(text) {
            count.words_in += 1;
            match found.get_mut(&word) {
                Some(n) if *n > 0 => {
                    *n -= 1;
                    count.placed += 1;
                }
                _ if count.missing.len() < MISSING_SHOWN => count.missing.push((word, line)),
                _ => {}
            }
        }
    }
    count
}

/// The words a turn's label stands for: each word of the label and of the
/// participant's name, as many times as the one that repeats it more
/// (a label `Ana Ana:` is two words, though the name says `Ana` once).
fn label_words(label: &str, name: &str) -> Vec<String> {
    let mut times: HashMap<String, (usize, usize)> = HashMap::new();
    words(label).for_each(|w| times.entry(w).or_default().0 += 1);
    words(name).for_each(|w| times.entry(w).or_default().1 += 1);
    let mut out: Vec<String> = Vec::new();
    for (word, (in_label, in_name)) in times {
        out.extend(std::iter::repeat_n(word, in_label.max(in_name)));
    }
    out
}

/// A `set aside:` comment line's entries, `“Q” at lines 3, 9` → `("Q", 2)`.
fn set_aside_entries(line: &str) -> Vec<(String, usize)> {
    let mut out = Vec::new();
    // Split where an entry ends and the next one's quote opens, and take
    // the last `” at line`: a note set aside may hold `; ` or `at line`.
    for entry in line.split("; “") {
        let Some((quoted, lines)) = entry.rsplit_once("” at line") else { continue };
        let text = quoted.trim_start().trim_start_matches('“').to_string();
        let times =
            lines.split(',').filter(|l| l.trim().trim_start_matches('s').trim().parse::<usize>().is_ok());
        out.push((text, times.count()));
    }
    out
}

/// The comment line for words set aside: each text with the lines it was on.
pub fn set_aside_line(aside: &[(String, usize)]) -> Option<String> {
    let mut order: Vec<&str> = Vec::new();
    let mut lines: HashMap<&str, Vec<usize>> = HashMap::new();
    for (text, line) in aside {
        let entry = lines.entry(text.as_str()).or_default();
        if entry.is_empty() {
            order.push(text);
        }
        entry.push(*line);
    }
    let entries: Vec<String> = order
        .iter()
        .map(|text| {
            let at = &lines[text];
            let list: Vec<String> = at.iter().map(usize::to_string).collect();
            let s = if at.len() == 1 { "" } else { "s" };
            format!("“{text}” at line{s} {}", list.join(", "))
        })
        .collect();
    (!entries.is_empty()).then(|| format!("{}{}", SET_ASIDE.trim_start_matches("# - "), entries.join("; ")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_are_letters_and_digits_without_times() {
        let words: Vec<String> = words("[00:12:31] EDWARD: It's 2020, don’t—go! 我们 ما").collect();
        assert_eq!(words, ["edward", "it", "s", "2020", "don", "t", "go", "我们", "ما"]);
    }

    /// Found by fuzzing DOCX: a label `P` + DEL × 90 + `riya:` was counted
    /// as two words the import had lost, though the source reads `Priya`.
    #[test]
    fn control_characters_join_the_letters_around_them() {
        let words: Vec<String> = words("P\u{7f}\u{7f}riya: x\u{1}\u{2}").collect();
        assert_eq!(words, ["priya", "x"]);
    }

    /// Found by fuzzing SRT: a label whose words repeat (`Global¹ Updat0
    /// Global¹ Update:`, two cue lines run together) was credited each
    /// word once, and the second `Global¹` was reported lost.
    #[test]
    fn a_label_repeating_a_word_stands_for_it_each_time() {
        let mut words = label_words("Ana Ana Berg", "Ana Berg");
        words.sort();
        assert_eq!(words, ["ana", "ana", "berg"]);
        let mut words = label_words("Ana", "Ana Berg");
        words.sort();
        assert_eq!(words, ["ana", "berg"]);
    }

    #[test]
    fn set_aside_lines_read_back() {
        let line = set_aside_line(&[("Q".into(), 3), ("Date".into(), 1), ("Q".into(), 9)]).unwrap();
        assert_eq!(line, "set aside: “Q” at lines 3, 9; “Date” at line 1");
        let back = set_aside_entries(line.strip_prefix("set aside: ").unwrap());
        assert_eq!(back, [("Q".to_string(), 2), ("Date".to_string(), 1)]);
        let note = "Said at lines 3; then “quoted” at line 4 again.";
        let line = set_aside_line(&[(note.into(), 1), ("Q".into(), 2)]).unwrap();
        let back = set_aside_entries(line.strip_prefix("set aside: ").unwrap());
        assert_eq!(back, [(note.to_string(), 1), ("Q".to_string(), 1)]);
    }
}
