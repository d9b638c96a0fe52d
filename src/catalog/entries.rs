//! The catalogue as data: titles, each with its editions, languages, kind
//! and translations, in one fixed order, with stable ids. Every writer
//! (site, feeds, ONIX, the printed catalogue) reads this and nothing else.

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

use crate::layout::pdf::ImpositionKind;
use crate::layout::{Format, Layout, Settings};
use crate::model::{ContributorRole, Direction, Meta, Role};

use super::Config;

/// What the batch hands over for one source it built: the model's
/// metadata and the editions on disk.
#[derive(Debug, Clone)]
pub struct Source {
    /// The source file (or collection), as the manifest named it.
    pub path: PathBuf,
    pub meta: Meta,
    /// Who speaks, in order, with how they speak (`None` for a collection).
    pub speakers: Vec<(String, Role)>,
    /// The original this source translates (`translation-of:`), resolved.
    pub translation_of: Option<PathBuf>,
    /// A book of several pieces rather than one transcript.
    pub collection: bool,
    /// The edition time (`SOURCE_DATE_EPOCH` or the source's), seconds.
    pub epoch: i64,
    pub editions: Vec<EditionFile>,
}

/// One edition the batch wrote (or found unchanged).
#[derive(Debug, Clone)]
pub struct EditionFile {
    /// Relative to the output folder.
    pub output: PathBuf,
    pub layout: Layout,
    pub pages: Option<usize>,
    pub bytes: u64,
    /// The edition's own ISBN (from the manifest), if any.
    pub isbn: Option<String>,
}

/// The whole catalogue, ready to write.
#[derive(Debug, Clone)]
pub struct Catalogue {
    pub config: Config,
    /// Sorted by title, then slug: the order of every list a reader sees.
    pub titles: Vec<Title>,
    /// The newest title's time: the feeds' `updated`.
    pub updated: i64,
}

/// Someone named on a title, with their part in it.
#[derive(Debug, Clone, PartialEq)]
pub struct Person {
    pub name: String,
    pub part: Part,
}

/// A person's part in a title, for feeds' authors and ONIX's roles.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Part {
    Speaker,
    Interviewer,
    Moderator,
    Contributor(ContributorRole),
}

impl Part {
    pub fn name(self) -> &'static str {
        match self {
            Part::Speaker => "speaker",
            Part::Interviewer => "interviewer",
            Part::Moderator => "moderator",
            Part::Contributor(role) => role.name(),
        }
    }
}

#[derive(Debug, Clone)]
pub struct Title {
    /// File-name-safe and unique in the catalogue: names its page.
    pub slug: String,
    /// `urn:uuid:` v5 of the base URL and slug: stable across runs.
    pub id: String,
    pub title: String,
    pub subtitle: Option<String>,
    pub people: Vec<Person>,
    pub description: Option<String>,
    pub language: String,
    pub direction: Direction,
    /// `interview`, `roundtable`, …, or `collection`.
    pub kind: String,
    pub date: Option<String>,
    pub publisher: Option<String>,
    pub rights: Option<String>,
    pub keywords: Vec<String>,
    /// The front matter's identifier (an ISBN, URN, UUID or URL).
    pub identifier: String,
    pub updated: i64,
    /// Index of the title this one translates.
    pub translation_of: Option<usize>,
    /// Indexes of the titles in the same family (the original and every
    /// translation of it), this one left out, in catalogue order.
    pub translations: Vec<usize>,
    pub editions: Vec<Edition>,
}

/// What a reader does with an edition.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Use {
    /// Screen PDFs, EPUBs, plain text.
    Read,
    /// Booklets, print-shop and riso files, covers.
    Print,
}

#[derive(Debug, Clone)]
pub struct Edition {
    /// Path relative to the output folder, with `/` separators.
    pub href: String,
    pub format: Format,
    pub layout: String,
    pub description: String,
    pub usage: Use,
    pub pages: Option<usize>,
    pub bytes: u64,
    pub isbn: Option<String>,
    /// Trim size in millimetres (PDF editions), width × height.
    pub trim_mm: Option<(f64, f64)>,
    pub imposition: Option<ImpositionKind>,
    /// A wrap cover rather than the text.
    pub cover: bool,
}

impl Edition {
    pub fn media_type(&self) -> &'static str {
        match self.format {
            Format::Pdf => "application/pdf",
            Format::Epub => "application/epub+zip",
            Format::Txt => "text/plain",
        }
    }

    /// The format as a reader names it.
    pub fn format_name(&self) -> &'static str {
        match self.format {
            Format::Pdf => "PDF",
            Format::Epub => "EPUB",
            Format::Txt => "Text",
        }
    }
}

impl Catalogue {
    /// Titles by language tag, tags sorted.
    pub fn by_language(&self) -> BTreeMap<&str, Vec<usize>> {
        let mut map: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
        for (i, t) in self.titles.iter().enumerate() {
            map.entry(t.language.as_str()).or_default().push(i);
        }
        map
    }

    /// Titles by kind, kinds sorted.
    pub fn by_kind(&self) -> BTreeMap<&str, Vec<usize>> {
        let mut map: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
        for (i, t) in self.titles.iter().enumerate() {
            map.entry(t.kind.as_str()).or_default().push(i);
        }
        map
    }

    /// Titles newest first (ties by catalogue order): the Atom feed's order.
    pub fn newest(&self) -> Vec<usize> {
        let mut order: Vec<usize> = (0..self.titles.len()).collect();
        order.sort_by_key(|&i| std::cmp::Reverse(self.titles[i].updated));
        order
    }
}

/// Build the catalogue from what the batch built.
pub fn build(config: &Config, sources: &[Source]) -> Catalogue {
    // Sources in path order first, so that slugs given to twins are stable.
    let mut sorted: Vec<&Source> = sources.iter().filter(|s| !s.editions.is_empty()).collect();
    sorted.sort_by(|a, b| a.path.cmp(&b.path));
    let mut taken: HashMap<String, usize> = HashMap::new();
    let mut titles: Vec<(Title, PathBuf, Option<PathBuf>)> = sorted
        .into_iter()
        .map(|source| {
            let stem = source.path.file_stem().map(|s| s.to_string_lossy()).unwrap_or_default();
            let base = crate::output::slug(&stem);
            let count = taken.entry(base.clone()).or_insert(0);
            *count += 1;
            let slug = if *count == 1 { base } else { format!("{base}-{count}") };
            (
                title(config, source, slug),
                canonical(&source.path),
                source.translation_of.as_deref().map(canonical),
            )
        })
        .collect();
    titles.sort_by(|a, b| fold(&a.0.title).cmp(&fold(&b.0.title)).then_with(|| a.0.slug.cmp(&b.0.slug)));

    // Translations: each title points at its original; a family is an
    // original and all its translations, each linked to every other.
    let index: HashMap<PathBuf, usize> = titles.iter().enumerate().map(|(i, t)| (t.1.clone(), i)).collect();
    let originals: Vec<Option<usize>> =
        titles.iter().map(|t| t.2.as_ref().and_then(|of| index.get(of).copied())).collect();
    let root = |i: usize| originals[i].unwrap_or(i);
    let mut families: HashMap<usize, Vec<usize>> = HashMap::new();
    for i in 0..titles.len() {
        families.entry(root(i)).or_default().push(i);
    }
    let mut out: Vec<Title> = Vec::with_capacity(titles.len());
    for (i, (mut title, _, _)) in titles.into_iter().enumerate() {
        title.translation_of = originals[i];
        title.translations = families[&root(i)].iter().copied().filter(|&j| j != i).collect();
        out.push(title);
    }
    let updated = out.iter().map(|t| t.updated).max().unwrap_or(0);
    Catalogue { config: config.clone(), titles: out, updated }
}

fn canonical(path: &Path) -> PathBuf {
    std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf())
}

/// A sort key that puts "apple" beside "Apple" and "Émile" near "Emile".
fn fold(text: &str) -> String {
    deunicode::deunicode(text).to_lowercase()
}

fn title(config: &Config, source: &Source, slug: String) -> Title {
    let meta = &source.meta;
    let id = uuid::Uuid::new_v5(&uuid::Uuid::NAMESPACE_URL, format!("{}{slug}", config.base_url).as_bytes());
    let mut people: Vec<Person> = source
        .speakers
        .iter()
        .map(|(name, role)| Person {
            name: name.clone(),
            part: match role {
                Role::Interviewer => Part::Interviewer,
                Role::Moderator => Part::Moderator,
                Role::Speaker => Part::Speaker,
            },
        })
        .collect();
    people.extend(
        meta.contributors.iter().map(|c| Person { name: c.name.clone(), part: Part::Contributor(c.role) }),
    );
    let mut editions: Vec<Edition> = source.editions.iter().map(edition).collect();
    // Read first, then print; within each, the manifest's order.
    editions.sort_by_key(|e| e.usage);
    Title {
        slug,
        id: format!("urn:uuid:{id}"),
        title: meta.title.clone(),
        subtitle: meta.subtitle.clone(),
        people,
        description: meta.description.clone(),
        language: meta.language.clone(),
        direction: meta.direction,
        kind: if source.collection { "collection".to_string() } else { meta.kind.name().to_string() },
        date: meta.date.clone(),
        publisher: meta.publisher.clone().or_else(|| config.publisher.clone()),
        rights: meta.rights.clone().or_else(|| config.licence.clone()),
        keywords: meta.keywords.clone(),
        identifier: meta.identifier.clone(),
        updated: source.epoch,
        translation_of: None,
        translations: Vec::new(),
        editions,
    }
}

fn edition(file: &EditionFile) -> Edition {
    let href =
        file.output.components().map(|c| c.as_os_str().to_string_lossy()).collect::<Vec<_>>().join("/");
    let (usage, trim_mm, imposition, cover) = match &file.layout.settings {
        Settings::Pdf(pdf) => {
            let mm = |l: crate::layout::Length| (l.pt() * 25.4 / 72.0 * 10.0).round() / 10.0;
            let print = pdf.imposition.as_ref().is_some_and(|i| i.kind != ImpositionKind::Spreads)
                || pdf.bleed.is_some()
                || pdf.crop_marks
                || pdf.cover.is_some()
                || !matches!(pdf.variant, crate::layout::pdf::Variant::Screen);
            (
                if print { Use::Print } else { Use::Read },
                Some((mm(pdf.page.width), mm(pdf.page.height))),
                pdf.imposition.as_ref().map(|i| i.kind),
                pdf.cover.is_some(),
            )
        }
        _ => (Use::Read, None, None, false),
    };
    Edition {
        href,
        format: file.layout.format(),
        layout: file.layout.name.clone(),
        description: file.layout.description.clone(),
        usage,
        pages: file.pages,
        bytes: file.bytes,
        isbn: file.isbn.clone(),
        trim_mm,
        imposition,
        cover,
    }
}

/// Seconds since 1970 as RFC 3339 (UTC), as Atom and OPDS want.
pub fn rfc3339(epoch: i64) -> String {
    chrono::DateTime::from_timestamp(epoch, 0).unwrap_or_default().format("%Y-%m-%dT%H:%M:%SZ").to_string()
}

/// The title's people who speak or ask: the feeds' authors.
pub fn authors(title: &Title) -> impl Iterator<Item = &Person> {
    title.people.iter().filter(|p| !matches!(p.part, Part::Contributor(_)))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config() -> Config {
        Config {
            title: "Distro".into(),
            base_url: "https://d.example/".into(),
            publisher: None,
            description: None,
            licence: Some("CC BY-SA".into()),
            language: "en".into(),
            page_size: 100,
        }
    }

    fn source(path: &str, title: &str, language: &str, of: Option<&str>, epoch: i64) -> Source {
        let mut meta = crate::source::parse_bytes(
            Path::new(path),
            format!("---\ntitle: \"{title}\"\nlanguage: {language}\n---\n\nText.\n").as_bytes(),
        )
        .unwrap()
        .document
        .meta;
        meta.rights = None;
        Source {
            path: PathBuf::from(path),
            meta,
            speakers: vec![("Ana".into(), Role::Speaker)],
            translation_of: of.map(PathBuf::from),
            collection: false,
            epoch,
            editions: vec![EditionFile {
                output: PathBuf::from(format!("x/{title}.txt")),
                layout: crate::layout::load("zine-72").unwrap(),
                pages: Some(3),
                bytes: 10,
                isbn: None,
            }],
        }
    }

    #[test]
    fn titles_sort_by_title_and_translations_link_both_ways() {
        let sources = [
            source("/c/zeta.md", "Zeta", "en", None, 5),
            source("/c/zeta-fa.md", "زتا", "fa", Some("/c/zeta.md"), 7),
            source("/c/alpha.md", "alpha", "en", None, 9),
        ];
        let catalogue = build(&config(), &sources);
        let slugs: Vec<&str> = catalogue.titles.iter().map(|t| t.slug.as_str()).collect();
        assert_eq!(slugs, ["alpha", "zeta", "zeta-fa"]);
        assert_eq!(catalogue.titles[2].translation_of, Some(1));
        assert_eq!(catalogue.titles[1].translations, [2]);
        assert_eq!(catalogue.titles[2].translations, [1]);
        assert!(catalogue.titles[0].translations.is_empty());
        assert_eq!(catalogue.updated, 9);
        assert_eq!(catalogue.newest(), [0, 2, 1]);
        assert_eq!(
            catalogue.titles[0].rights.as_deref(),
            Some("CC BY-SA"),
            "the catalogue's licence by default"
        );
    }

    #[test]
    fn ids_depend_on_base_url_and_slug_only() {
        let a = build(&config(), &[source("/c/talk.md", "Talk", "en", None, 1)]);
        let b = build(&config(), &[source("/elsewhere/talk.md", "Renamed", "en", None, 2)]);
        assert_eq!(a.titles[0].id, b.titles[0].id);
        assert!(a.titles[0].id.starts_with("urn:uuid:"));
        let other = Config { base_url: "https://other.example/".into(), ..config() };
        assert_ne!(
            build(&other, &[source("/c/talk.md", "Talk", "en", None, 1)]).titles[0].id,
            a.titles[0].id
        );
    }

    #[test]
    fn twins_get_distinct_slugs() {
        let catalogue = build(
            &config(),
            &[source("/a/talk.md", "One", "en", None, 1), source("/b/talk.md", "Two", "en", None, 1)],
        );
        let slugs: Vec<&str> = catalogue.titles.iter().map(|t| t.slug.as_str()).collect();
        assert_eq!(slugs, ["talk", "talk-2"]);
    }
}
