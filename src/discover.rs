//! A web page → the URLs where its feed may be: the `<link rel="alternate">` it declares (RSS,
//! Atom, JSON Feed), then the paths where common engines publish one (WordPress, SPIP, static
//! site generators). Pure: `app::add` fetches the candidates and keeps the ones that parse.

use crate::normalize::canonical_url;
use scraper::{Html, Selector};
use url::Url;

/// The `type` of a `<link rel="alternate">` that names a feed.
const FEED_TYPES: &[&str] = &[
    "application/rss+xml",
    "application/atom+xml",
    "application/rdf+xml",
    "application/feed+json",
    "application/json",
    "application/xml",
    "text/xml",
];

/// Where engines publish their feed, from the site's root: WordPress, SPIP, Hugo, Jekyll, Zola,
/// DotClear, Ghost…
const COMMON_PATHS: &[&str] = &[
    "/feed/",
    "/rss.xml",
    "/atom.xml",
    "/feed.xml",
    "/index.xml",
    "/spip.php?page=backend",
    "/rss/",
    "/feed.atom",
];

/// The most `<link rel="alternate">` feeds read from one page: a page listing hundreds (a feed
/// per category or tag) is not worth probing them all.
pub const MAX_ALTERNATES: usize = 20;

/// A URL that may be a feed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Candidate {
    pub url: Url,
    /// The `title` attribute of the link, when the page gave one.
    pub title: Option<String>,
}

/// The feeds a page declares, in document order, without duplicates; only http(s).
pub fn alternates(html: &str, page: &Url) -> Vec<Candidate> {
    let document = Html::parse_document(html);
    let base = crate::parse::html::base_url(&document, page);
    let Ok(links) = Selector::parse("link[href][rel]") else {
        return Vec::new();
    };
    let mut found: Vec<Candidate> = Vec::new();
    for link in document.select(&links) {
        let element = link.value();
        let rel = element.attr("rel").unwrap_or_default().to_ascii_lowercase();
        let is_alternate = rel.split_ascii_whitespace().any(|r| r == "alternate");
        let kind = element
            .attr("type")
            .unwrap_or_default()
            .split(';')
            .next()
            .unwrap_or_default()
            .trim()
            .to_ascii_lowercase();
        if !is_alternate || !FEED_TYPES.contains(&kind.as_str()) {
            continue;
        }
        let Some(url) = element
            .attr("href")
            .and_then(|href| canonical_url(href, Some(&base)))
            .and_then(|u| Url::parse(&u).ok())
        else {
            continue;
        };
        if found.iter().any(|c| c.url == url) {
            continue;
        }
        let title = element
            .attr("title")
            .map(crate::normalize::fold_whitespace)
            .filter(|t| !t.is_empty());
        found.push(Candidate { url, title });
        if found.len() == MAX_ALTERNATES {
            break;
        }
    }
    found
}

/// The usual feed URLs of the site of `page`: the common paths from its root, and for a page
/// below the root, `feed/` under it and the page with `.atom` appended (`/news` → `/news.atom`).
pub fn common_paths(page: &Url) -> Vec<Url> {
    let mut urls: Vec<Url> = Vec::new();
    let mut push = |url: Option<Url>| {
        if let Some(url) = url.filter(|u| !urls.contains(u) && u != page) {
            urls.push(url);
        }
    };
    let path = page.path();
    if path != "/" && !path.is_empty() {
        let trimmed = path.trim_end_matches('/');
        let mut atom = page.clone();
        atom.set_query(None);
        atom.set_fragment(None);
        atom.set_path(&format!("{trimmed}.atom"));
        push(Some(atom));
        let directory = format!("{trimmed}/");
        let mut under = page.clone();
        under.set_query(None);
        under.set_fragment(None);
        under.set_path(&directory);
        push(under.join("feed/").ok());
    }
    for common in COMMON_PATHS {
        push(page.join(common).ok());
    }
    urls
}

#[cfg(test)]
mod tests {
    use super::*;

    fn page() -> Url {
        Url::parse("https://blog.example.org/").unwrap()
    }

    #[test]
    fn wordpress_alternates_in_document_order() {
        let html = r#"<!DOCTYPE html><html lang="fr"><head>
            <link rel="stylesheet" href="/style.css" type="text/css">
            <link rel="alternate" type="application/rss+xml" title="Blog &raquo; Flux" href="https://blog.example.org/feed/">
            <link rel="alternate" type="application/rss+xml" title="Blog &raquo; Flux des commentaires" href="/comments/feed/">
            <link rel="alternate" type="application/rss+xml" href="/feed/?utm_source=x">
            <link rel="alternate" type="application/json+oembed" href="/wp-json/oembed">
            <link rel="alternate" hreflang="en" href="/en/">
            <link rel="Alternate" type="application/atom+xml; charset=utf-8" href="javascript:alert(1)">
            <link rel="alternate" type="application/feed+json" href="/feed.json">
            </head><body></body></html>"#;
        let found = alternates(html, &page());
        let urls: Vec<&str> = found.iter().map(|c| c.url.as_str()).collect();
        assert_eq!(
            urls,
            [
                "https://blog.example.org/feed/",
                "https://blog.example.org/comments/feed/",
                "https://blog.example.org/feed.json"
            ]
        );
        assert_eq!(found[0].title.as_deref(), Some("Blog » Flux"));
    }

    #[test]
    fn base_href_is_honoured() {
        let html = r#"<html><head><base href="https://cdn.example.net/site/"><link rel="alternate" type="application/atom+xml" href="atom.xml"></head></html>"#;
        let found = alternates(html, &page());
        assert_eq!(
            found[0].url.as_str(),
            "https://cdn.example.net/site/atom.xml"
        );
    }

    #[test]
    fn common_paths_cover_wordpress_spip_and_atom_suffixes() {
        let urls: Vec<String> = common_paths(&Url::parse("https://linuxfr.org/news").unwrap())
            .iter()
            .map(Url::to_string)
            .collect();
        assert_eq!(urls[0], "https://linuxfr.org/news.atom");
        assert_eq!(urls[1], "https://linuxfr.org/news/feed/");
        assert!(urls.contains(&"https://linuxfr.org/feed/".to_string()));
        assert!(urls.contains(&"https://linuxfr.org/spip.php?page=backend".to_string()));
        let root = common_paths(&page());
        assert_eq!(root.len(), COMMON_PATHS.len());
    }
}
