//! `feed.atom`: the newest titles, for people who follow the distro in a
//! feed reader.

use std::fmt::Write as _;

use super::File;
use super::entries::{self, Catalogue, rfc3339};
use super::markup::{escape, href};

/// How many of the newest titles the feed carries.
const NEWEST: usize = 50;

pub fn render(catalogue: &Catalogue) -> File {
    let config = &catalogue.config;
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    let _ = writeln!(
        out,
        "<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"{}\">",
        escape(&config.language)
    );
    let _ = writeln!(out, "  <id>{}</id>", super::opds1::feed_id(catalogue, "feed.atom"));
    let _ = writeln!(out, "  <title>{}: new titles</title>", escape(&config.title));
    if let Some(description) = &config.description {
        let _ = writeln!(out, "  <subtitle>{}</subtitle>", escape(description));
    }
    let _ = writeln!(out, "  <updated>{}</updated>", rfc3339(catalogue.updated));
    let author = config.publisher.as_deref().unwrap_or(&config.title);
    let _ = writeln!(out, "  <author><name>{}</name></author>", escape(author));
    let _ = writeln!(out, "  <link rel=\"self\" href=\"{}feed.atom\"/>", escape(&config.base_url));
    let _ = writeln!(
        out,
        "  <link rel=\"alternate\" type=\"text/html\" href=\"{}index.html\"/>",
        escape(&config.base_url)
    );
    if let Some(licence) = &config.licence {
        let _ = writeln!(out, "  <rights>{}</rights>", escape(licence));
    }
    for i in catalogue.newest().into_iter().take(NEWEST) {
        let title = &catalogue.titles[i];
        out.push_str("  <entry>\n");
        let _ = writeln!(out, "    <id>{}</id>", title.id);
        let _ = writeln!(
            out,
            "    <title xml:lang=\"{}\">{}</title>",
            escape(&title.language),
            escape(&super::opds1::full_title(title))
        );
        let _ = writeln!(out, "    <updated>{}</updated>", rfc3339(title.updated));
        for person in entries::authors(title) {
            let _ = writeln!(out, "    <author><name>{}</name></author>", escape(&person.name));
        }
        // Absolute: a feed reader resolves against wherever it found the feed.
        let _ = writeln!(
            out,
            "    <link rel=\"alternate\" type=\"text/html\" hreflang=\"{}\" href=\"{}titles/{}.html\"/>",
            escape(&title.language),
            escape(&config.base_url),
            href(&title.slug)
        );
        let summary =
            title.description.clone().unwrap_or_else(|| format!("A {} in {}.", title.kind, title.language));
        let _ = writeln!(
            out,
            "    <summary xml:lang=\"{}\">{}</summary>",
            escape(&title.language),
            escape(&summary)
        );
        out.push_str("  </entry>\n");
    }
    out.push_str("</feed>\n");
    File { path: "feed.atom".to_string(), bytes: out.into_bytes() }
}
