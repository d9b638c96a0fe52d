//! The few words mimeo prints itself (headings of the parts it makes), in
//! the document's language where mimeo knows them, else English.
//!
//! Headings, labels, the colophon's lines and the digits of page
//! numbers.

use chrono::Datelike;

use super::{ContributorRole, Role};

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
    /// Between a label and its value ("Identifier: …").
    pub colon: &'static str,
    /// Between the items of a list of names.
    pub comma: &'static str,
    /// The colophon's labels: publisher and date, the edition's date, the
    /// typefaces, the typesetting program.
    pub published: &'static str,
    pub this_edition: &'static str,
    pub typefaces: &'static str,
    pub typeset: &'static str,
    /// Before the print layout whose page numbers an EPUB's page list
    /// follows.
    pub print_pages: &'static str,
    /// What an interviewer and a moderator are called beside their names.
    pub askers: [&'static str; 2],
    /// Contributors' roles, in [`ContributorRole`] order.
    pub roles: [&'static str; 7],
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
    colon: ": ",
    comma: ", ",
    published: "Published by",
    this_edition: "This edition",
    typefaces: "Typefaces",
    typeset: "Typesetting",
    print_pages: "Page numbers follow the printed edition",
    askers: ["interviewer", "moderator"],
    roles: ["Editor", "Translator", "Transcriber", "Illustrator", "Designer", "Photographer", "Contributor"],
};

/// The languages of mimeo's first users, beyond English.
const KNOWN: [Words; 6] = [
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
        colon: ": ",
        comma: "، ",
        published: "نشر",
        this_edition: "تاریخ این ویراست",
        typefaces: "قلم‌ها",
        typeset: "حروف‌چینی",
        print_pages: "شمارهٔ صفحه‌ها بر پایهٔ ویراست چاپی",
        askers: ["مصاحبه‌گر", "گرداننده"],
        roles: ["ویراستار", "مترجم", "پیاده‌سازی", "تصویرگر", "طراح", "عکاس", "همکار"],
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
        colon: ": ",
        comma: "، ",
        published: "النشر",
        this_edition: "تاريخ هذه الطبعة",
        typefaces: "الخطوط",
        typeset: "التنضيد",
        print_pages: "أرقام الصفحات وفق الطبعة الورقية",
        askers: ["المحاور", "مدير الجلسة"],
        roles: ["التحرير", "الترجمة", "التفريغ", "الرسوم", "التصميم", "التصوير", "مساهمة"],
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
        colon: ": ",
        comma: "، ",
        published: "بڵاوکردنەوە",
        this_edition: "ڕێکەوتی ئەم چاپە",
        typefaces: "فۆنتەکان",
        typeset: "ڕێکخستنی پیت",
        print_pages: "ژمارەی پەڕەکان بەپێی چاپی کاغەزی",
        askers: ["چاوپێکەوتنکار", "بەڕێوەبەر"],
        roles: ["پێداچوونەوە", "وەرگێڕان", "نووسینەوە", "وێنەکێشان", "دیزاین", "وێنەگرتن", "بەشداری"],
    },
    Words {
        language: "kmr",
        title_page: "Rûpela sernavê",
        contents: "Naverok",
        introduction: "Pêşgotin",
        participants: "Beşdar",
        notes: "Têbînî",
        colophon: "Nasnameya pirtûkê",
        pages: "Rûpel",
        identifier: "Nasname",
        zero: '0',
        colon: ": ",
        comma: ", ",
        published: "Weşan",
        this_edition: "Dîroka vê çapê",
        typefaces: "Tîp",
        typeset: "Rêzkirin",
        print_pages: "Hejmarên rûpelan li gorî çapa kaxezî",
        askers: ["hevpeyvînker", "rêveber"],
        roles: ["Edîtor", "Wergêr", "Deşîfrekirin", "Wênesaz", "Dîzayner", "Wênegir", "Alîkar"],
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
        colon: "：",
        comma: "、",
        published: "出版",
        this_edition: "本版日期",
        typefaces: "字體",
        typeset: "排版",
        print_pages: "頁碼依據印刷版",
        askers: ["訪問者", "主持人"],
        roles: ["編輯", "翻譯", "逐字稿", "插畫", "設計", "攝影", "協力"],
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
        colon: "：",
        comma: "、",
        published: "出版",
        this_edition: "本版日期",
        typefaces: "字体",
        typeset: "排版",
        print_pages: "页码依据印刷版",
        askers: ["访问者", "主持人"],
        roles: ["编辑", "翻译", "逐字稿", "插画", "设计", "摄影", "协力"],
    },
];

impl Words {
    /// The words for a document in `language` (a BCP 47 tag): Persian,
    /// Arabic, Kurdish Sorani (`ckb`, or `ku` in Arabic script), Kurdish
    /// Kurmanji (`kmr`, or `ku` in any other script), Chinese
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
            "ku" | "kmr" => "kmr",
            "zh" if rest.iter().any(|s| matches!(*s, "hant" | "tw" | "hk" | "mo")) => "zh-Hant",
            "zh" => "zh-Hans",
            _ => "en",
        };
        KNOWN.iter().find(|w| w.language == wanted).unwrap_or(&ENGLISH)
    }

    /// `n` in this language's digits (a page number: ۱۲ in Persian).
    pub fn number(&self, n: usize) -> String {
        self.digits(&n.to_string())
    }

    /// `text` with its ASCII digits in this language's (a list's `12.`).
    pub fn digits(&self, text: &str) -> String {
        let offset = u32::from(self.zero) - u32::from('0');
        let local = |c: char| if c.is_ascii_digit() { char::from_u32(u32::from(c) + offset) } else { None };
        text.chars().map(|c| local(c).unwrap_or(c)).collect()
    }

    /// The day of Unix time `epoch` (UTC), as the language writes a date:
    /// `2026-11-26`, `۲۰۲۶/۱۱/۲۶` (the slash keeps it one number in a
    /// right-to-left line), `٢٦/١١/٢٠٢٦`, `26.11.2026` (Kurmanji),
    /// `2026年11月26日`.
    pub fn date(&self, epoch: i64) -> String {
        let Some(time) = chrono::DateTime::from_timestamp(epoch, 0) else { return String::new() };
        let (y, m, d) = (time.year(), time.month(), time.day());
        match self.language {
            "fa" | "ckb" => self.digits(&format!("{y:04}/{m:02}/{d:02}")),
            "ar" => self.digits(&format!("{d:02}/{m:02}/{y:04}")),
            "kmr" => format!("{d:02}.{m:02}.{y:04}"),
            "zh-Hant" | "zh-Hans" => format!("{y}年{m}月{d}日"),
            _ => format!("{y:04}-{m:02}-{d:02}"),
        }
    }

    /// A colophon line: `label` and its value ("Identifier: urn:…").
    pub fn line(&self, label: &str, value: &str) -> String {
        format!("{label}{}{value}", self.colon)
    }

    /// Who published the edition and when: "Published by Press, 2020."
    /// (or "Dated 2020.") in English, a labelled line in other languages.
    pub fn imprint(&self, publisher: Option<&str>, date: Option<&str>) -> Option<String> {
        let value = [publisher, date].into_iter().flatten().collect::<Vec<_>>().join(self.comma);
        Some(match (self.is_english(), publisher) {
            _ if value.is_empty() => return None,
            (true, Some(_)) => format!("{} {value}.", self.published),
            (true, None) => format!("Dated {value}."),
            (false, _) => self.line(self.published, &value),
        })
    }

    /// `name` with the asking role beside it: "Ann (interviewer)",
    /// "安（訪問者）"; a speaker's name as it is.
    pub fn with_role(&self, name: &str, role: Role) -> String {
        let asker = match role {
            Role::Interviewer => self.askers[0],
            Role::Moderator => self.askers[1],
            Role::Speaker => return name.to_string(),
        };
        if self.language.starts_with("zh") {
            format!("{name}（{asker}）")
        } else {
            format!("{name} ({asker})")
        }
    }

    /// The name of a contributor's role, as a label ("Translator").
    pub fn role(&self, role: ContributorRole) -> &'static str {
        self.roles[role as usize]
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
        assert_eq!(Words::for_language("ku").contents, "Naverok");
        assert_eq!(Words::for_language("kmr-Latn").notes, "Têbînî");
        assert!(Words::for_language("de").is_english());
        assert_eq!(Words::for_language("en-GB").notes, "Notes");
    }

    #[test]
    fn roles_are_named_in_the_language() {
        assert_eq!(Words::for_language("en").role(ContributorRole::Translator), "Translator");
        assert_eq!(Words::for_language("en").role(ContributorRole::Other), "Contributor");
        assert_eq!(Words::for_language("fa").role(ContributorRole::Translator), "مترجم");
        assert_eq!(Words::for_language("zh-Hant").role(ContributorRole::Editor), "編輯");
        assert_eq!(Words::for_language("en").with_role("Ann", Role::Interviewer), "Ann (interviewer)");
        assert_eq!(Words::for_language("en").with_role("Ann", Role::Speaker), "Ann");
        assert_eq!(Words::for_language("zh-Hant").with_role("安", Role::Moderator), "安（主持人）");
        assert_eq!(Words::for_language("fa").with_role("نیلوفر", Role::Interviewer), "نیلوفر (مصاحبه‌گر)");
        let en = Words::for_language("en");
        assert_eq!(en.imprint(Some("Press"), Some("2020")).unwrap(), "Published by Press, 2020.");
        assert_eq!(en.imprint(None, Some("2020")).unwrap(), "Dated 2020.");
        assert_eq!(en.imprint(None, None), None);
        let fa = Words::for_language("fa");
        assert_eq!(fa.imprint(Some("نشر آزاد"), Some("۱۳۹۹")).unwrap(), "نشر: نشر آزاد، ۱۳۹۹");
        assert_eq!(Words::for_language("zh-Hans").line("排版", "mimeo"), "排版：mimeo");
    }

    #[test]
    fn dates_are_written_as_the_language_writes_them() {
        let day = 1_795_000_000; // 2026-11-18
        assert_eq!(Words::for_language("en").date(day), "2026-11-18");
        assert_eq!(Words::for_language("en").date(0), "1970-01-01");
        assert_eq!(Words::for_language("en").date(951_782_400), "2000-02-29");
        assert_eq!(Words::for_language("fa").date(day), "۲۰۲۶/۱۱/۱۸");
        assert_eq!(Words::for_language("ar").date(day), "١٨/١١/٢٠٢٦");
        assert_eq!(Words::for_language("zh-Hant").date(day), "2026年11月18日");
        assert_eq!(Words::for_language("ku").date(day), "18.11.2026");
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
