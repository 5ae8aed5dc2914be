//! Page metadata: title, published date and author, from structured data first (JSON-LD,
//! Open Graph, `<meta>`), then markup (`<time>`, `rel=author`), then French and English text.
//! Pure: the page is parsed already, the reader's timezone and the latest acceptable date are
//! arguments; no I/O, no clock. Each field's rules, in order, are in its own module.

mod author;
mod date;
mod jsonld;
mod title;

#[cfg(test)]
mod tests;

use chrono::{DateTime, Utc};
use scraper::{ElementRef, Html, Selector};
use std::sync::OnceLock;

/// Longest title kept, in characters: anything longer is not a title (the bound of every draft).
pub use crate::normalize::MAX_TITLE_CHARS;
/// Longest author line kept, in characters.
pub const MAX_AUTHOR_CHARS: usize = 200;
/// How many `<meta>` elements are read: a page with more is padding, not metadata.
const MAX_META_TAGS: usize = 2_000;

/// What a page says about itself.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PageMeta {
    pub title: Option<String>,
    pub author: Option<String>,
    pub published: Option<DateTime<Utc>>,
    /// The date was only a month (« juin 2024 »): `published` is the first of that month.
    pub date_approximate: bool,
    /// How much of the instant the page gave (month, day, or day and time).
    pub date_precision: Option<crate::dates::Precision>,
    /// The site's own name (`og:site_name`, the JSON-LD publisher), when it gives one.
    pub site_name: Option<String>,
}

/// Read the metadata of a parsed page. A naive local time is read in `tz`. Without a clock, a
/// date is accepted up to [`date::LATEST_YEAR`]; [`metadata_at`] also refuses the future.
pub fn metadata(page: &Html, url: Option<&url::Url>, tz: chrono_tz::Tz) -> PageMeta {
    metadata_at(page, url, tz, None)
}

/// [`metadata`], refusing published dates more than a day after `now` when it is given.
pub fn metadata_at(
    page: &Html,
    url: Option<&url::Url>,
    tz: chrono_tz::Tz,
    now: Option<DateTime<Utc>>,
) -> PageMeta {
    let facts = Facts::read(page, url);
    let (published, precision) = match date::published(page, &facts, tz, now) {
        Some((instant, precision)) => (Some(instant), Some(precision)),
        None => (None, None),
    };
    PageMeta {
        title: title::title(page, &facts),
        author: author::author(page, &facts),
        published,
        date_approximate: precision == Some(crate::dates::Precision::Month),
        date_precision: precision,
        site_name: facts.site_names.first().cloned(),
    }
}

/// What every rule reads: the `<meta>` elements, the JSON-LD, the names of the site.
struct Facts<'u> {
    /// `(name | property | itemprop, content)`, keys lower-cased, in document order.
    metas: Vec<(String, String)>,
    linked: jsonld::LinkedData,
    /// og:site_name, application-name, the JSON-LD publisher: never a title, never an author.
    site_names: Vec<String>,
    url: Option<&'u url::Url>,
}

impl<'u> Facts<'u> {
    fn read(page: &Html, url: Option<&'u url::Url>) -> Self {
        let s = selectors();
        let metas: Vec<(String, String)> = page
            .select(&s.meta)
            .take(MAX_META_TAGS)
            .filter_map(|m| {
                let e = m.value();
                let key = e
                    .attr("property")
                    .or_else(|| e.attr("name"))
                    .or_else(|| e.attr("itemprop"))?;
                let content = e.attr("content")?.trim();
                (!content.is_empty())
                    .then(|| (key.trim().to_ascii_lowercase(), content.to_string()))
            })
            .collect();
        let linked = jsonld::read(
            page.select(&s.script)
                .filter(|e| {
                    e.value()
                        .attr("type")
                        .is_some_and(|t| t.to_ascii_lowercase().contains("ld+json"))
                })
                .map(|e| e.text().collect::<String>()),
        );
        let mut site_names: Vec<String> = Vec::new();
        for key in [
            "og:site_name",
            "application-name",
            "twitter:site",
            "publisher",
        ] {
            if let Some(name) = metas.iter().find(|(k, _)| k == key).map(|(_, v)| line(v)) {
                site_names.push(name.trim_start_matches('@').to_string());
            }
        }
        site_names.extend(linked.site_names.iter().map(|n| line(n)));
        site_names.retain(|n| !n.is_empty() && n.chars().count() <= MAX_AUTHOR_CHARS);
        Facts {
            metas,
            linked,
            site_names,
            url,
        }
    }

    /// The content of the first `<meta>` with one of `keys`, in the order of `keys`.
    fn meta(&self, keys: &[&str]) -> Option<&str> {
        keys.iter().find_map(|key| {
            self.metas
                .iter()
                .find(|(k, _)| k == key)
                .map(|(_, v)| v.as_str())
        })
    }

    /// The contents of every `<meta>` named `key`.
    fn metas_named<'a>(&'a self, key: &'a str) -> impl Iterator<Item = &'a str> + 'a {
        self.metas
            .iter()
            .filter(move |(k, _)| k == key)
            .map(|(_, v)| v.as_str())
    }

    /// Whether `text` is one of the site's names (or its domain), after folding.
    fn is_site_name(&self, text: &str) -> bool {
        let folded = compact(text);
        if folded.is_empty() {
            return false;
        }
        self.site_names.iter().any(|n| compact(n) == folded)
            || self.url.and_then(|u| u.host_str()).is_some_and(|host| {
                // « lemonde.fr », « Lemonde.fr » and « Le Monde » all name lemonde.fr.
                let host = host.trim_start_matches("www.");
                let name = host.rsplit_once('.').map_or(host, |(name, _)| name);
                compact(host) == folded || compact(name) == folded
            })
    }
}

/// Text folded to letters and digits only, for comparing names: « Le Monde.fr » → « lemondefr ».
fn compact(text: &str) -> String {
    crate::normalize::fold(text)
        .chars()
        .filter(|c| c.is_alphanumeric() || *c == '.')
        .collect::<String>()
        .trim_matches('.')
        .to_string()
}

/// An attribute or text value on one line: entities decoded, tags dropped, whitespace folded.
fn line(text: &str) -> String {
    crate::normalize::html_to_line(text)
}

/// The text of an element on one line, reading at most `max_bytes` of it.
fn element_text(element: ElementRef, max_bytes: usize) -> String {
    let mut out = String::new();
    for chunk in element.text() {
        if out.len() + chunk.len() > max_bytes {
            let room = max_bytes.saturating_sub(out.len());
            out.push_str(&chunk[..chunk.floor_char_boundary(room)]);
            break;
        }
        out.push_str(chunk);
        out.push(' ');
    }
    crate::normalize::fold_whitespace(&out)
}

/// The text a reader sees in `element` (no script, style or template), whitespace folded,
/// reading at most `max_bytes`.
fn visible_text(element: ElementRef, max_bytes: usize) -> String {
    let mut out = String::new();
    for node in element.descendants() {
        let Some(text) = node.value().as_text() else {
            continue;
        };
        let hidden = node
            .parent()
            .and_then(|p| p.value().as_element().map(|e| e.name()))
            .is_some_and(|name| matches!(name, "script" | "style" | "noscript" | "template"));
        if hidden {
            continue;
        }
        out.push_str(text);
        out.push(' ');
        if out.len() > max_bytes {
            break;
        }
    }
    crate::normalize::fold_whitespace(&out)
}

/// `text` cut to at most `max` characters; `None` when it is longer (a cut title or name is
/// wrong, not shorter).
fn within(text: String, max: usize) -> Option<String> {
    (!text.is_empty() && text.chars().count() <= max).then_some(text)
}

/// Selectors shared by the rules, compiled once.
struct Selectors {
    meta: Selector,
    script: Selector,
}

fn selectors() -> &'static Selectors {
    static SELECTORS: OnceLock<Selectors> = OnceLock::new();
    SELECTORS.get_or_init(|| Selectors {
        meta: css("meta[content]"),
        script: css("script[type]"),
    })
}

/// A selector written in this module; they are constants, so a failure is a bug caught by tests.
fn css(selector: &str) -> Selector {
    Selector::parse(selector).unwrap_or_else(|_| panic!("invalid built-in selector {selector}"))
}
