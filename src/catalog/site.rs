//! The static catalogue site: `index.html`, a page per title under
//! `titles/`, index pages by language and by kind, one small stylesheet.
//! Plain HTML with relative links (it works from `file://`), no script.

use std::fmt::Write as _;

use super::File;
use super::covers::Covers;
use super::entries::{Catalogue, Title, Use};
use super::markup::{escape, href, size};
use crate::model::Direction;

const CSS: &str = include_str!("catalog.css");

/// A language tag's name in English, for the tags mimeo's samples and
/// likely users have; any other tag is shown as written.
pub fn language_name(tag: &str) -> String {
    let primary = tag.split('-').next().unwrap_or(tag).to_ascii_lowercase();
    let name = match primary.as_str() {
        "en" => "English",
        "fa" => "Persian",
        "ar" => "Arabic",
        "ckb" => "Central Kurdish",
        "ku" => "Kurdish",
        "tr" => "Turkish",
        "de" => "German",
        "fr" => "French",
        "es" => "Spanish",
        "pt" => "Portuguese",
        "it" => "Italian",
        "nl" => "Dutch",
        "el" => "Greek",
        "ru" => "Russian",
        "uk" => "Ukrainian",
        "pl" => "Polish",
        "zh" => "Chinese",
        "ja" => "Japanese",
        "ko" => "Korean",
        "he" => "Hebrew",
        "ur" => "Urdu",
        "hi" => "Hindi",
        "bn" => "Bengali",
        "sw" => "Swahili",
        "id" => "Indonesian",
        "vi" => "Vietnamese",
        "tl" => "Tagalog",
        _ => return tag.to_string(),
    };
    name.to_string()
}

/// A kind's heading on its index page.
pub fn kind_plural(kind: &str) -> &str {
    match kind {
        "interview" => "Interviews",
        "roundtable" => "Roundtables",
        "talk" => "Talks",
        "hearing" => "Hearings",
        "collection" => "Collections",
        _ => "Other transcripts",
    }
}

pub fn render(catalogue: &Catalogue, covers: &Covers) -> Vec<File> {
    let mut files = vec![File { path: "catalog.css".to_string(), bytes: CSS.as_bytes().to_vec() }];
    let all: Vec<usize> = (0..catalogue.titles.len()).collect();
    let intro = catalogue.config.description.clone().unwrap_or_default();
    files.push(File {
        path: "index.html".to_string(),
        bytes: list_page(catalogue, covers, "", "All titles", &intro, &all).into_bytes(),
    });
    for (language, titles) in catalogue.by_language() {
        let heading = format!("In {}", language_name(language));
        files.push(File {
            path: format!("languages/{}.html", crate::output::slug(language)),
            bytes: list_page(catalogue, covers, "../", &heading, "", &titles).into_bytes(),
        });
    }
    for (kind, titles) in catalogue.by_kind() {
        files.push(File {
            path: format!("kinds/{}.html", crate::output::slug(kind)),
            bytes: list_page(catalogue, covers, "../", kind_plural(kind), "", &titles).into_bytes(),
        });
    }
    for title in &catalogue.titles {
        files.push(File {
            path: format!("titles/{}.html", title.slug),
            bytes: title_page(catalogue, covers, title).into_bytes(),
        });
    }
    files
}

/// The top of every page: the distro's name, the ways in, the feeds.
fn header(out: &mut String, catalogue: &Catalogue, up: &str, heading: &str, of: Option<&Title>) {
    let config = &catalogue.config;
    let _ = write!(
        out,
        "<!DOCTYPE html>\n<html lang=\"{lang}\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <title>{title}</title>\n<link rel=\"stylesheet\" href=\"{up}catalog.css\">\n\
         <link rel=\"alternate\" type=\"application/atom+xml;profile=opds-catalog;kind=navigation\" href=\"{up}opds.xml\" title=\"OPDS catalogue\">\n\
         <link rel=\"alternate\" type=\"application/opds+json\" href=\"{up}opds.json\" title=\"OPDS 2 catalogue\">\n\
         <link rel=\"alternate\" type=\"application/atom+xml\" href=\"{up}feed.atom\" title=\"New titles\">\n\
         </head>\n<body>\n<header class=\"site\">\n<p class=\"distro\"><a href=\"{up}index.html\">{name}</a></p>\n",
        lang = escape(&config.language),
        title = if heading == config.title {
            escape(heading)
        } else {
            format!("{} · {}", escape(heading), escape(&config.title))
        },
        name = escape(&config.title),
    );
    out.push_str("<nav aria-label=\"Browse\">\n<ul>\n");
    let _ = writeln!(out, "<li><a href=\"{up}index.html\">All titles</a></li>");
    match of {
        // A title page names only its own language and kind, so that it
        // changes only when the title does, never when another is added.
        Some(title) => {
            let _ = writeln!(
                out,
                "<li><a href=\"{up}languages/{}.html\" hreflang=\"{}\">{}</a></li>",
                href(&crate::output::slug(&title.language)),
                escape(&title.language),
                escape(&language_name(&title.language))
            );
            let _ = writeln!(
                out,
                "<li><a href=\"{up}kinds/{}.html\">{}</a></li>",
                href(&crate::output::slug(&title.kind)),
                kind_plural(&title.kind)
            );
        }
        None => {
            for (language, _) in catalogue.by_language() {
                let _ = writeln!(
                    out,
                    "<li><a href=\"{up}languages/{}.html\" hreflang=\"{}\">{}</a></li>",
                    href(&crate::output::slug(language)),
                    escape(language),
                    escape(&language_name(language))
                );
            }
            for (kind, _) in catalogue.by_kind() {
                let _ = writeln!(
                    out,
                    "<li><a href=\"{up}kinds/{}.html\">{}</a></li>",
                    href(&crate::output::slug(kind)),
                    kind_plural(kind)
                );
            }
        }
    }
    out.push_str("</ul>\n</nav>\n</header>\n<main>\n");
}

fn footer(out: &mut String, catalogue: &Catalogue, up: &str) {
    out.push_str("</main>\n<footer class=\"site\">\n<p>");
    if let Some(licence) = &catalogue.config.licence {
        let _ = write!(out, "{} · ", escape(licence));
    }
    let _ = writeln!(
        out,
        "For e-readers: <a href=\"{up}opds.xml\">OPDS catalogue</a> · <a href=\"{up}opds.json\">OPDS 2</a> · \
         <a href=\"{up}feed.atom\">new titles (Atom)</a> · <a href=\"{up}catalogue.pdf\">printable catalogue (PDF)</a></p>"
    );
    out.push_str("</footer>\n</body>\n</html>\n");
}

fn dir(direction: Direction) -> &'static str {
    match direction {
        Direction::Ltr => "ltr",
        Direction::Rtl => "rtl",
    }
}

fn people_line(title: &Title) -> String {
    // Persian and Arabic lists take the Arabic comma.
    let comma = if title.direction == Direction::Rtl { "، " } else { ", " };
    title.people.iter().map(|p| p.name.as_str()).collect::<Vec<_>>().join(comma)
}

fn list_page(
    catalogue: &Catalogue,
    covers: &Covers,
    up: &str,
    heading: &str,
    intro: &str,
    titles: &[usize],
) -> String {
    let mut out = String::new();
    header(&mut out, catalogue, up, heading, None);
    let _ = writeln!(out, "<h1>{}</h1>", escape(heading));
    if !intro.is_empty() {
        let _ = writeln!(out, "<p class=\"intro\">{}</p>", escape(intro));
    }
    let count = titles.len();
    let _ = writeln!(out, "<p class=\"count\">{count} {}</p>", if count == 1 { "title" } else { "titles" });
    out.push_str("<ul class=\"titles\">\n");
    for &i in titles {
        let title = &catalogue.titles[i];
        let _ = writeln!(out, "<li lang=\"{}\" dir=\"{}\">", escape(&title.language), dir(title.direction));
        let link = format!("{up}titles/{}.html", href(&title.slug));
        match covers.covers.get(&title.slug) {
            // The title follows as text: the picture adds nothing to say.
            Some(cover) => {
                let _ = writeln!(
                    out,
                    "<a class=\"thumb\" href=\"{link}\" tabindex=\"-1\" aria-hidden=\"true\"><img src=\"{up}{}\" alt=\"\" width=\"{}\" height=\"{}\"></a>",
                    href(&cover.thumb),
                    cover.thumb_size.0,
                    cover.thumb_size.1
                );
            }
            None => {
                let _ = writeln!(
                    out,
                    "<a class=\"thumb plain\" href=\"{link}\" tabindex=\"-1\" aria-hidden=\"true\"><span>{}</span></a>",
                    escape(&title.title)
                );
            }
        }
        let _ = writeln!(out, "<h2><a href=\"{link}\">{}</a></h2>", escape(&title.title));
        if let Some(sub) = &title.subtitle {
            let _ = writeln!(out, "<p class=\"subtitle\">{}</p>", escape(sub));
        }
        let _ = writeln!(
            out,
            "<p class=\"facts\"><span lang=\"{}\">{} · {} · {} {}</span></p>",
            escape(&catalogue.config.language),
            escape(&language_name(&title.language)),
            escape(&title.kind),
            title.editions.len(),
            if title.editions.len() == 1 { "edition" } else { "editions" }
        );
        out.push_str("</li>\n");
    }
    out.push_str("</ul>\n");
    footer(&mut out, catalogue, up);
    out
}

fn title_page(catalogue: &Catalogue, covers: &Covers, title: &Title) -> String {
    let mut out = String::new();
    header(&mut out, catalogue, "../", &title.title, Some(title));
    let lang = escape(&title.language);
    let _ = writeln!(out, "<article lang=\"{lang}\" dir=\"{}\" class=\"title\">", dir(title.direction));
    match covers.covers.get(&title.slug) {
        Some(cover) => {
            let _ = writeln!(
                out,
                "<figure class=\"cover\"><a href=\"../{}\"><img src=\"../{}\" alt=\"{}\"></a></figure>",
                href(&cover.page),
                href(&cover.thumb),
                escape(&format!("Cover of {}", title.title))
            );
        }
        None => {
            let _ = writeln!(
                out,
                "<div class=\"cover plain\" aria-hidden=\"true\"><span>{}</span></div>",
                escape(&title.title)
            );
        }
    }
    out.push_str("<div class=\"about\">\n");
    let _ = writeln!(out, "<h1>{}</h1>", escape(&title.title));
    if let Some(sub) = &title.subtitle {
        let _ = writeln!(out, "<p class=\"subtitle\">{}</p>", escape(sub));
    }
    if !title.people.is_empty() {
        let _ = writeln!(out, "<p class=\"people\">{}</p>", escape(&people_line(title)));
    }
    if let Some(description) = &title.description {
        let _ = writeln!(out, "<p class=\"description\">{}</p>", escape(description));
    }
    // The facts' labels are the catalogue's words, in its language.
    let chrome = escape(&catalogue.config.language);
    let _ = writeln!(out, "<dl class=\"facts\" lang=\"{chrome}\" dir=\"ltr\">");
    let mut fact = |label: &str, value: &str, own: bool| {
        let value_lang = if own { format!(" lang=\"{lang}\" dir=\"auto\"") } else { String::new() };
        let _ = writeln!(out, "<dt>{label}</dt><dd{value_lang}>{}</dd>", escape(value));
    };
    fact("Language", &language_name(&title.language), false);
    fact("Kind", &title.kind, false);
    if let Some(date) = &title.date {
        fact("Date", date, true);
    }
    if let Some(publisher) = &title.publisher {
        fact("Publisher", publisher, true);
    }
    if let Some(rights) = &title.rights {
        fact("Licence", rights, true);
    }
    out.push_str("</dl>\n</div>\n");
    let _ = writeln!(out, "<section class=\"editions\" lang=\"{chrome}\" dir=\"ltr\">");
    for (usage, heading) in [(Use::Read, "Read"), (Use::Print, "Print")] {
        let editions: Vec<_> = title.editions.iter().filter(|e| e.usage == usage).collect();
        if editions.is_empty() {
            continue;
        }
        let _ = writeln!(
            out,
            "<h2>{heading}</h2>\n<table>\n<thead><tr><th scope=\"col\">Format</th><th scope=\"col\">Edition</th><th scope=\"col\">Pages</th><th scope=\"col\">Size</th><th scope=\"col\">Download</th></tr></thead>\n<tbody>"
        );
        for e in editions {
            let pages = match (e.pages, e.imposition.is_some()) {
                (Some(p), true) => format!("{p} sheet sides"),
                (Some(p), false) => p.to_string(),
                (None, _) => "–".to_string(),
            };
            let file = e.href.rsplit('/').next().unwrap_or(&e.href);
            let _ = writeln!(
                out,
                "<tr><td>{}</td><td>{}</td><td>{pages}</td><td>{}</td><td><a href=\"../{}\" type=\"{}\" download>{}</a></td></tr>",
                e.format_name(),
                escape(&e.description),
                size(e.bytes),
                href(&e.href),
                e.media_type(),
                escape(file)
            );
        }
        out.push_str("</tbody>\n</table>\n");
    }
    out.push_str("</section>\n");
    if !title.translations.is_empty() {
        let _ = writeln!(
            out,
            "<section class=\"translations\" lang=\"{chrome}\" dir=\"ltr\">\n<h2>In other languages</h2>\n<ul>"
        );
        for &i in &title.translations {
            let other = &catalogue.titles[i];
            let _ = writeln!(
                out,
                "<li><a href=\"{}.html\" hreflang=\"{}\" rel=\"alternate\"><span lang=\"{}\" dir=\"{}\">{}</span></a> ({})</li>",
                href(&other.slug),
                escape(&other.language),
                escape(&other.language),
                dir(other.direction),
                escape(&other.title),
                escape(&language_name(&other.language))
            );
        }
        out.push_str("</ul>\n</section>\n");
    }
    out.push_str("</article>\n");
    footer(&mut out, catalogue, "../");
    out
}
