//! `opds.xml` and `opds/*.xml`: an OPDS 1.2 catalogue. The root is a
//! navigation feed; each acquisition feed (all titles, by language, by
//! kind) is paginated with `next`/`previous`/`first`/`last`.

use std::fmt::Write as _;

use super::File;
use super::covers::Covers;
use super::entries::{self, Catalogue, Title, Use, rfc3339};
use super::feeds::{self, Feed};
use super::markup::{escape, href};

const NAVIGATION: &str = "application/atom+xml;profile=opds-catalog;kind=navigation";
const ACQUISITION: &str = "application/atom+xml;profile=opds-catalog;kind=acquisition";

pub fn render(catalogue: &Catalogue, covers: &Covers) -> Vec<File> {
    let feeds = feeds::all(catalogue);
    let mut files = vec![File { path: "opds.xml".to_string(), bytes: root(catalogue, &feeds).into_bytes() }];
    for feed in &feeds {
        let pages = feed.pages(catalogue.config.page_size);
        for (n, titles) in pages.iter().enumerate() {
            let xml = acquisition(catalogue, covers, feed, n, pages.len(), titles);
            files.push(File { path: feed.path(n, "xml"), bytes: xml.into_bytes() });
        }
    }
    files
}

fn head(out: &mut String, catalogue: &Catalogue, id: &str, title: &str) {
    let config = &catalogue.config;
    out.push_str("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    let _ = writeln!(
        out,
        "<feed xmlns=\"http://www.w3.org/2005/Atom\" xmlns:dc=\"http://purl.org/dc/terms/\" \
         xmlns:opds=\"http://opds-spec.org/2010/catalog\" xml:lang=\"{}\">",
        escape(&config.language)
    );
    let _ = writeln!(out, "  <id>{}</id>", escape(id));
    let _ = writeln!(out, "  <title>{}</title>", escape(title));
    let _ = writeln!(out, "  <updated>{}</updated>", rfc3339(catalogue.updated));
    let author = config.publisher.as_deref().unwrap_or(&config.title);
    let _ = writeln!(
        out,
        "  <author><name>{}</name><uri>{}</uri></author>",
        escape(author),
        escape(&config.base_url)
    );
}

/// A feed's own id: the base URL and the feed's name, as a v5 UUID.
pub fn feed_id(catalogue: &Catalogue, name: &str) -> String {
    let key = format!("{}{name}", catalogue.config.base_url);
    format!("urn:uuid:{}", uuid::Uuid::new_v5(&uuid::Uuid::NAMESPACE_URL, key.as_bytes()))
}

fn root(catalogue: &Catalogue, feeds: &[Feed]) -> String {
    let mut out = String::new();
    head(&mut out, catalogue, &feed_id(catalogue, "opds.xml"), &catalogue.config.title);
    let _ = writeln!(out, "  <link rel=\"self\" href=\"opds.xml\" type=\"{NAVIGATION}\"/>");
    let _ = writeln!(out, "  <link rel=\"start\" href=\"opds.xml\" type=\"{NAVIGATION}\"/>");
    let _ = writeln!(out, "  <link rel=\"alternate\" href=\"index.html\" type=\"text/html\"/>");
    let _ = writeln!(
        out,
        "  <link rel=\"related\" href=\"feed.atom\" type=\"application/atom+xml\" title=\"New titles\"/>"
    );
    for feed in feeds {
        out.push_str("  <entry>\n");
        let _ = writeln!(out, "    <title>{}</title>", escape(&feed.title));
        let _ = writeln!(out, "    <id>{}</id>", feed_id(catalogue, &feed.path(0, "xml")));
        let _ = writeln!(out, "    <updated>{}</updated>", rfc3339(catalogue.updated));
        let count = feed.titles.len();
        let _ = writeln!(
            out,
            "    <content type=\"text\">{count} {}</content>",
            if count == 1 { "title" } else { "titles" }
        );
        let _ = writeln!(
            out,
            "    <link rel=\"subsection\" href=\"{}\" type=\"{ACQUISITION}\"/>",
            href(&feed.path(0, "xml"))
        );
        out.push_str("  </entry>\n");
    }
    out.push_str("</feed>\n");
    out
}

fn acquisition(
    catalogue: &Catalogue,
    covers: &Covers,
    feed: &Feed,
    n: usize,
    count: usize,
    titles: &[usize],
) -> String {
    let mut out = String::new();
    let title = if count > 1 { format!("{} ({} of {count})", feed.title, n + 1) } else { feed.title.clone() };
    head(&mut out, catalogue, &feed_id(catalogue, &feed.path(n, "xml")), &title);
    let _ = writeln!(out, "  <link rel=\"self\" href=\"{}\" type=\"{ACQUISITION}\"/>", feed.href(n, "xml"));
    // Up one level to the kit's root.
    let _ = writeln!(out, "  <link rel=\"start\" href=\"../opds.xml\" type=\"{NAVIGATION}\"/>");
    let _ = writeln!(out, "  <link rel=\"up\" href=\"../opds.xml\" type=\"{NAVIGATION}\"/>");
    for (rel, href) in feed.paging(n, count, "xml") {
        let _ = writeln!(out, "  <link rel=\"{rel}\" href=\"{href}\" type=\"{ACQUISITION}\"/>");
    }
    for &i in titles {
        entry(&mut out, catalogue, covers, &catalogue.titles[i]);
    }
    out.push_str("</feed>\n");
    out
}

fn entry(out: &mut String, catalogue: &Catalogue, covers: &Covers, title: &Title) {
    out.push_str("  <entry>\n");
    let _ = writeln!(out, "    <title>{}</title>", escape(&full_title(title)));
    let _ = writeln!(out, "    <id>{}</id>", title.id);
    let _ = writeln!(out, "    <updated>{}</updated>", rfc3339(title.updated));
    for person in entries::authors(title) {
        let _ = writeln!(out, "    <author><name>{}</name></author>", escape(&person.name));
    }
    for person in title.people.iter().filter(|p| !entries::authors(title).any(|a| a == *p)) {
        let _ = writeln!(out, "    <contributor><name>{}</name></contributor>", escape(&person.name));
    }
    let _ = writeln!(out, "    <dc:language>{}</dc:language>", escape(&title.language));
    if let Some(publisher) = &title.publisher {
        let _ = writeln!(out, "    <dc:publisher>{}</dc:publisher>", escape(publisher));
    }
    if let Some(date) = &title.date {
        let _ = writeln!(out, "    <dc:issued>{}</dc:issued>", escape(date));
    }
    if let Some(rights) = &title.rights {
        let _ = writeln!(out, "    <rights>{}</rights>", escape(rights));
    }
    let _ = writeln!(out, "    <category term=\"{0}\" label=\"{0}\"/>", escape(&title.kind));
    if let Some(summary) = &title.description {
        let _ = writeln!(out, "    <summary>{}</summary>", escape(summary));
    }
    if let Some(cover) = covers.covers.get(&title.slug) {
        let _ = writeln!(
            out,
            "    <link rel=\"http://opds-spec.org/image\" href=\"../{}\" type=\"image/png\"/>",
            href(&cover.page)
        );
        let _ = writeln!(
            out,
            "    <link rel=\"http://opds-spec.org/image/thumbnail\" href=\"../{}\" type=\"image/png\"/>",
            href(&cover.thumb)
        );
    }
    let _ = writeln!(
        out,
        "    <link rel=\"alternate\" href=\"../titles/{}.html\" type=\"text/html\" title=\"{}\"/>",
        href(&title.slug),
        escape(&catalogue.config.title)
    );
    for &other in &title.translations {
        let t = &catalogue.titles[other];
        let _ = writeln!(
            out,
            "    <link rel=\"related\" href=\"../titles/{}.html\" type=\"text/html\" hreflang=\"{}\" title=\"{}\"/>",
            href(&t.slug),
            escape(&t.language),
            escape(&t.title)
        );
    }
    // Every edition, plain text too: a title of text zines alone is still
    // one a reader can take (and OPDS 2 wants an acquisition link).
    for edition in &title.editions {
        let usage = if edition.usage == Use::Print { "print" } else { "read" };
        let _ = writeln!(
            out,
            "    <link rel=\"http://opds-spec.org/acquisition/open-access\" href=\"../{}\" type=\"{}\" length=\"{}\" title=\"{} ({usage}): {}\"/>",
            href(&edition.href),
            edition.media_type(),
            edition.bytes,
            edition.format_name(),
            escape(&edition.description)
        );
    }
    out.push_str("  </entry>\n");
}

/// Title and subtitle, as a feed shows them in one line.
pub fn full_title(title: &Title) -> String {
    match &title.subtitle {
        Some(sub) => format!("{}: {sub}", title.title),
        None => title.title.clone(),
    }
}
