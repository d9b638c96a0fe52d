//! The few words mimeo prints itself (headings of the parts it makes), in
//! the document's language where mimeo knows them, else English.
//!
//! Headings, labels and the digits of page numbers; the colophon's
//! sentences stay English.

/// Headings and labels of the parts mimeo adds to an edition.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Words {
    /// The BCP 47 tag the words are in.
    pub language: &'static str,
    pub title_page: &'static str,
    pub contents: &'static str,
    pub introduction: &'static str,
    pub participants: &'static str,
    pub notes: &'static str,
    pub colophon: &'static str,
    /// The list of the print edition's pages (EPUB page list).
    pub pages: &'static str,
    /// "Identifier", before the edition's identifier in the colophon.
    pub identifier: &'static str,
    /// The digit zero of the numerals page numbers are printed in (the
    /// nine others follow it in Unicode).
    pub zero: char,
}

const ENGLISH: Words = Words {
    language: "en",
    title_page: "Title Page",
    contents: "Contents",
    introduction: "Introduction",
    participants: "Participants",
    notes: "Notes",
    colophon: "Colophon",
    pages: "Pages",
    identifier: "Identifier",
    zero: '0',
};

/// The languages of mimeo's first users, beyond English.
const KNOWN: [Words; 5] = [
    Words {
        language: "fa",
        title_page: "صفحهٔ عنوان",
        contents: "فهرست",
        introduction: "مقدمه",
        participants: "شرکت‌کنندگان",
        notes: "یادداشت‌ها",
        colophon: "شناسنامه",
        pages: "صفحه‌ها",
        identifier: "شناسه",
        zero: '۰', // Extended Arabic-Indic, as Persian is printed
    },
    Words {
        language: "ar",
        title_page: "صفحة العنوان",
        contents: "المحتويات",
        introduction: "مقدمة",
        participants: "المشاركون",
        notes: "الحواشي",
        colophon: "بيانات النشر",
        pages: "الصفحات",
        identifier: "المعرّف",
        zero: '٠', // Arabic-Indic
    },
    Words {
        language: "ckb",
        title_page: "پەڕەی ناونیشان",
        contents: "ناوەڕۆک",
        introduction: "پێشەکی",
        participants: "بەشداربووان",
        notes: "تێبینییەکان",
        colophon: "ناسنامەی کتێب",
        pages: "پەڕەکان",
        identifier: "ناسێنەر",
        zero: '٠', // Arabic-Indic, as Sorani is printed
    },
    Words {
        language: "zh-Hant",
        title_page: "書名頁",
        contents: "目錄",
        introduction: "引言",
        participants: "參與者",
        notes: "註釋",
        colophon: "版權頁",
        pages: "頁碼",
        identifier: "識別碼",
        zero: '0',
    },
    Words {
        language: "zh-Hans",
        title_page: "书名页",
        contents: "目录",
        introduction: "引言",
        participants: "参与者",
        notes: "注释",
        colophon: "版权页",
        pages: "页码",
        identifier: "标识符",
        zero: '0',
    },
];

impl Words {
    /// The words for a document in `language` (a BCP 47 tag): Persian,
    /// Arabic, Kurdish Sorani (`ckb`, or `ku` in Arabic script), Chinese
    /// (Traditional for `Hant`, TW, HK and MO, else Simplified); English
    /// for any other.
    pub fn for_language(language: &str) -> &'static Words {
        let lower = language.to_ascii_lowercase();
        let mut subtags = lower.split(['-', '_']);
        let primary = subtags.next().unwrap_or_default();
        let rest: Vec<&str> = subtags.collect();
        let wanted = match primary {
            "fa" | "ar" | "ckb" => primary,
            "ku" if rest.contains(&"arab") => "ckb",
            "zh" if rest.iter().any(|s| matches!(*s, "hant" | "tw" | "hk" | "mo")) => "zh-Hant",
            "zh" => "zh-Hans",
            _ => "en",
        };
        KNOWN.iter().find(|w| w.language == wanted).unwrap_or(&ENGLISH)
    }

    /// `n` in this language's digits (a page number: ۱۲ in Persian).
    pub fn number(&self, n: usize) -> String {
        let offset = u32::from(self.zero) - u32::from('0');
        n.to_string().chars().map(|d| char::from_u32(u32::from(d) + offset).unwrap_or(d)).collect()
    }

    /// Whether these are mimeo's English defaults.
    pub fn is_english(&self) -> bool {
        self.language == "en"
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_follow_the_document_language() {
        assert_eq!(Words::for_language("fa").participants, "شرکت‌کنندگان");
        assert_eq!(Words::for_language("fa-IR").contents, "فهرست");
        assert_eq!(Words::for_language("ku-Arab").notes, "تێبینییەکان");
        assert_eq!(Words::for_language("zh-Hant").contents, "目錄");
        assert_eq!(Words::for_language("zh-HK").contents, "目錄");
        assert_eq!(Words::for_language("zh-CN").contents, "目录");
        assert_eq!(Words::for_language("zh").contents, "目录");
        assert!(Words::for_language("ku").is_english(), "Kurmanji (Latin) has no table yet");
        assert!(Words::for_language("de").is_english());
        assert_eq!(Words::for_language("en-GB").notes, "Notes");
    }

    #[test]
    fn page_numbers_are_printed_in_the_languages_digits() {
        assert_eq!(Words::for_language("en").number(109), "109");
        assert_eq!(Words::for_language("fa").number(109), "۱۰۹");
        assert_eq!(Words::for_language("ar").number(109), "١٠٩");
        assert_eq!(Words::for_language("ckb").number(42), "٤٢");
        assert_eq!(Words::for_language("zh-Hant").number(7), "7");
    }
}
