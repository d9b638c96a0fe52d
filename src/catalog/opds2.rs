//! `opds.json` and `opds/*.json`: the same catalogue as OPDS 2.0, a
//! navigation root and paginated publication feeds.

use serde_json::{Value, json};

use super::File;
use super::covers::Covers;
use super::entries::{self, Catalogue, Title, rfc3339};
use super::feeds::{self, Feed};
use super::markup::href;

const OPDS2: &str = "application/opds+json";

pub fn render(catalogue: &Catalogue, covers: &Covers) -> Vec<File> {
    let feeds = feeds::all(catalogue);
    let navigation: Vec<Value> = feeds
        .iter()
        .map(|feed| {
            json!({ "href": href(&feed.path(0, "json")), "title": feed.title, "type": OPDS2,
                    "rel": "subsection", "properties": { "numberOfItems": feed.titles.len() } })
        })
        .collect();
    let root = json!({
        "metadata": { "title": catalogue.config.title, "modified": rfc3339(catalogue.updated) },
        "links": [
            { "rel": "self", "href": "opds.json", "type": OPDS2 },
            { "rel": "start", "href": "opds.json", "type": OPDS2 },
            { "rel": "alternate", "href": "index.html", "type": "text/html" },
        ],
        "navigation": navigation,
    });
    let mut files = vec![File { path: "opds.json".to_string(), bytes: pretty(&root) }];
    for feed in &feeds {
        let pages = feed.pages(catalogue.config.page_size);
        for (n, titles) in pages.iter().enumerate() {
            let value = page(catalogue, covers, feed, n, pages.len(), titles);
            files.push(File { path: feed.path(n, "json"), bytes: pretty(&value) });
        }
    }
    files
}

fn pretty(value: &Value) -> Vec<u8> {
    let mut bytes = serde_json::to_vec_pretty(value).expect("JSON values serialise");
    bytes.push(b'\n');
    bytes
}

fn page(
    catalogue: &Catalogue,
    covers: &Covers,
    feed: &Feed,
    n: usize,
    count: usize,
    titles: &[usize],
) -> Value {
    let mut links = vec![
        json!({ "rel": "self", "href": feed.href(n, "json"), "type": OPDS2 }),
        json!({ "rel": "start", "href": "../opds.json", "type": OPDS2 }),
        json!({ "rel": "up", "href": "../opds.json", "type": OPDS2 }),
    ];
    for (rel, href) in feed.paging(n, count, "json") {
        links.push(json!({ "rel": rel, "href": href, "type": OPDS2 }));
    }
    let publications: Vec<Value> =
        titles.iter().map(|&i| publication(catalogue, covers, &catalogue.titles[i])).collect();
    let mut feed_value = json!({
        "metadata": {
            "title": feed.title,
            "modified": rfc3339(catalogue.updated),
            "numberOfItems": feed.titles.len(),
            "itemsPerPage": catalogue.config.page_size,
            "currentPage": n + 1,
        },
        "links": links,
    });
    // The schema wants a non-empty list, or none.
    if !publications.is_empty() {
        feed_value["publications"] = Value::Array(publications);
    }
    feed_value
}

fn publication(catalogue: &Catalogue, covers: &Covers, title: &Title) -> Value {
    let mut metadata = json!({
        "@type": "http://schema.org/Book",
        "identifier": title.id,
        "title": title.title,
        "language": title.language,
        "modified": rfc3339(title.updated),
        "subject": [{ "name": title.kind, "code": title.kind }],
    });
    let names = |people: Vec<&entries::Person>| -> Vec<Value> {
        people.iter().map(|p| json!({ "name": p.name })).collect()
    };
    let authors = names(entries::authors(title).collect());
    if !authors.is_empty() {
        metadata["author"] = Value::Array(authors);
    }
    for (role, key) in [
        (crate::model::ContributorRole::Editor, "editor"),
        (crate::model::ContributorRole::Translator, "translator"),
        (crate::model::ContributorRole::Illustrator, "illustrator"),
    ] {
        let people: Vec<&entries::Person> =
            title.people.iter().filter(|p| p.part == entries::Part::Contributor(role)).collect();
        if !people.is_empty() {
            metadata[key] = Value::Array(names(people));
        }
    }
    if let Some(sub) = &title.subtitle {
        metadata["subtitle"] = json!(sub);
    }
    if let Some(description) = &title.description {
        metadata["description"] = json!(description);
    }
    if let Some(publisher) = &title.publisher {
        metadata["publisher"] = json!({ "name": publisher });
    }
    let mut links = vec![
        json!({ "rel": "alternate", "href": format!("../titles/{}.html", href(&title.slug)), "type": "text/html" }),
    ];
    for &other in &title.translations {
        let t = &catalogue.titles[other];
        links.push(json!({ "rel": "related", "href": format!("../titles/{}.html", href(&t.slug)),
                           "type": "text/html", "title": t.title, "language": t.language }));
    }
    // Every edition, plain text too: a title of text zines alone is still
    // one a reader can take (and OPDS 2 wants an acquisition link).
    for edition in &title.editions {
        links.push(json!({
            "rel": "http://opds-spec.org/acquisition/open-access",
            "href": format!("../{}", href(&edition.href)),
            "type": edition.media_type(),
            "title": format!("{}: {}", edition.format_name(), edition.description),
        }));
    }
    let mut value = json!({ "metadata": metadata, "links": links });
    if let Some(cover) = covers.covers.get(&title.slug) {
        value["images"] = json!([
            { "href": format!("../{}", href(&cover.page)), "type": "image/png", "rel": "cover" },
            { "href": format!("../{}", href(&cover.thumb)), "type": "image/png", "rel": "thumbnail",
              "width": cover.thumb_size.0, "height": cover.thumb_size.1 },
        ]);
    }
    value
}
