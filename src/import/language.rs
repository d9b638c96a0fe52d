//! The language of a transcript, guessed from its text with `whatlang`
//! (trigram statistics) and written as a BCP 47 tag.

/// How much text is read for the guess: plenty for trigrams, and the cost
/// stays flat however long the transcript is.
const SAMPLE_BYTES: usize = 16 * 1024;

/// The BCP 47 tag of the language `text` is written in, when the guess is
/// reliable.
pub fn guess_language(text: &str) -> Option<&'static str> {
    let mut end = text.len().min(SAMPLE_BYTES);
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    let info = whatlang::detect(&text[..end]).filter(whatlang::Info::is_reliable)?;
    bcp47(info.lang().code())
}

/// Whether `tag` is shaped like a BCP 47 language tag (`en`, `pt-BR`,
/// `zh-Hant`): a file's own language is taken only then.
pub fn is_tag(tag: &str) -> bool {
    let mut parts = tag.split('-');
    let primary = parts.next().unwrap_or_default();
    (2..=3).contains(&primary.len())
        && primary.bytes().all(|b| b.is_ascii_alphabetic())
        && parts.all(|p| (1..=8).contains(&p.len()) && p.bytes().all(|b| b.is_ascii_alphanumeric()))
}

/// ISO 639-3 (whatlang's codes) → the shortest BCP 47 tag.
fn bcp47(code: &str) -> Option<&'static str> {
    const TAGS: &[(&str, &str)] = &[
        ("afr", "af"),
        ("aka", "ak"),
        ("amh", "am"),
        ("ara", "ar"),
        ("aze", "az"),
        ("bel", "be"),
        ("ben", "bn"),
        ("bul", "bg"),
        ("cat", "ca"),
        ("ces", "cs"),
        ("cmn", "zh"),
        ("cym", "cy"),
        ("dan", "da"),
        ("deu", "de"),
        ("ell", "el"),
        ("eng", "en"),
        ("epo", "eo"),
        ("est", "et"),
        ("fin", "fi"),
        ("fra", "fr"),
        ("guj", "gu"),
        ("heb", "he"),
        ("hin", "hi"),
        ("hrv", "hr"),
        ("hun", "hu"),
        ("hye", "hy"),
        ("ind", "id"),
        ("ita", "it"),
        ("jav", "jv"),
        ("jpn", "ja"),
        ("kan", "kn"),
        ("kat", "ka"),
        ("khm", "km"),
        ("kor", "ko"),
        ("lat", "la"),
        ("lav", "lv"),
        ("lit", "lt"),
        ("mal", "ml"),
        ("mar", "mr"),
        ("mkd", "mk"),
        ("mya", "my"),
        ("nep", "ne"),
        ("nld", "nl"),
        ("nob", "nb"),
        ("ori", "or"),
        ("pan", "pa"),
        ("pes", "fa"),
        ("pol", "pl"),
        ("por", "pt"),
        ("ron", "ro"),
        ("rus", "ru"),
        ("sin", "si"),
        ("slk", "sk"),
        ("slv", "sl"),
        ("sna", "sn"),
        ("spa", "es"),
        ("srp", "sr"),
        ("swe", "sv"),
        ("tam", "ta"),
        ("tel", "te"),
        ("tgl", "tl"),
        ("tha", "th"),
        ("tuk", "tk"),
        ("tur", "tr"),
        ("ukr", "uk"),
        ("urd", "ur"),
        ("uzb", "uz"),
        ("vie", "vi"),
        ("yid", "yi"),
        ("zul", "zu"),
    ];
    TAGS.iter().find(|(three, _)| *three == code).map(|(_, tag)| *tag)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn common_languages_are_recognised() {
        let english = "In terms of the current protest movement, it was sparked back in March 2019 in response \
                       to the attempt of the government to pass a bill to allow for the extradition of people.";
        let spanish = "El movimiento de protesta comenzó en marzo, cuando el gobierno intentó aprobar una ley \
                       que permitiría la extradición de personas acusadas de delitos.";
        let persian = "این جنبش اعتراضی در ماه مارس آغاز شد، زمانی که دولت تلاش کرد قانونی را تصویب کند \
                       که استرداد افراد متهم به جرم را ممکن می‌ساخت.";
        assert_eq!(guess_language(english), Some("en"));
        assert_eq!(guess_language(spanish), Some("es"));
        assert_eq!(guess_language(persian), Some("fa"));
        assert_eq!(guess_language(""), None);
    }

    #[test]
    fn every_whatlang_language_has_a_valid_tag() {
        for lang in whatlang::Lang::all() {
            let tag = bcp47(lang.code()).unwrap_or_else(|| panic!("no tag for {}", lang.code()));
            assert!((2..=3).contains(&tag.len()) && tag.bytes().all(|b| b.is_ascii_lowercase()));
        }
    }
}
