//! The acquisition feeds both OPDS versions offer: all titles, each
//! language's, each kind's, split into pages of `page-size` entries.

use super::entries::Catalogue;
use super::markup::href;

/// One acquisition feed, all its pages.
pub struct Feed {
    /// File stem under `opds/`: `all`, `language-fa`, `kind-talk`.
    pub stem: String,
    pub title: String,
    /// Title indexes in catalogue order.
    pub titles: Vec<usize>,
}

impl Feed {
    /// The titles of each page; an empty feed still has one page.
    pub fn pages(&self, size: usize) -> Vec<&[usize]> {
        if self.titles.is_empty() { vec![&[]] } else { self.titles.chunks(size).collect() }
    }

    /// The file of page `n` (0-based), relative to the output folder.
    pub fn path(&self, n: usize, extension: &str) -> String {
        if n == 0 {
            format!("opds/{}.{extension}", self.stem)
        } else {
            format!("opds/{}-{}.{extension}", self.stem, n + 1)
        }
    }

    /// The href of page `n` from a page beside it, inside `opds/`.
    pub fn href(&self, n: usize, extension: &str) -> String {
        let path = self.path(n, extension);
        href(path.strip_prefix("opds/").unwrap_or(&path))
    }

    /// How page `n` of `count` leads through the feed, as (rel, href):
    /// first and last when there is more than one page, then previous and
    /// next where they exist.
    pub fn paging(&self, n: usize, count: usize, extension: &str) -> Vec<(&'static str, String)> {
        let mut links = Vec::new();
        if count > 1 {
            links.push(("first", self.href(0, extension)));
            links.push(("last", self.href(count - 1, extension)));
        }
        if n > 0 {
            links.push(("previous", self.href(n - 1, extension)));
        }
        if n + 1 < count {
            links.push(("next", self.href(n + 1, extension)));
        }
        links
    }
}

/// Every acquisition feed of the catalogue, in navigation order.
pub fn all(catalogue: &Catalogue) -> Vec<Feed> {
    let mut feeds = vec![Feed {
        stem: "all".to_string(),
        title: "All titles".to_string(),
        titles: (0..catalogue.titles.len()).collect(),
    }];
    for (language, titles) in catalogue.by_language() {
        feeds.push(Feed {
            stem: format!("language-{}", crate::output::slug(language)),
            title: format!("In {}", super::site::language_name(language)),
            titles,
        });
    }
    for (kind, titles) in catalogue.by_kind() {
        feeds.push(Feed {
            stem: format!("kind-{}", crate::output::slug(kind)),
            title: super::site::kind_plural(kind).to_string(),
            titles,
        });
    }
    feeds
}
