//! Listing pages of `html` sources: the page's bytes decoded, its URL and the source's CSS
//! selectors → the items it links to (URL, optional title and date) and the next page.
//! A selector that matches nothing is an error, so that selector rot is seen, not silent.

use crate::model::Selectors;
use crate::normalize::{canonical_url, fold_whitespace};
use chrono::{DateTime, Utc};
use scraper::{ElementRef, Html, Selector};
use url::Url;

/// One selector of the configuration: CSS, then optionally `@attr` to read an attribute
/// instead of the text. An empty CSS part (`@href`) stands for the element itself.
#[derive(Debug, Clone)]
pub struct Field {
    spec: String,
    css: Option<Selector>,
    attr: Option<String>,
}

impl Field {
    pub fn parse(spec: &str) -> Result<Field, String> {
        let (css, attr) = match spec.rsplit_once('@') {
            // An `@` inside brackets belongs to an attribute selector, not to us.
            Some((css, attr)) if !attr.contains(']') && !attr.trim().is_empty() => {
                (css.trim(), Some(attr.trim().to_string()))
            }
            _ => (spec.trim(), None),
        };
        let css = if css.is_empty() {
            None
        } else {
            Some(
                Selector::parse(css)
                    .map_err(|e| format!("`{spec}` is not a valid CSS selector: {e}"))?,
            )
        };
        Ok(Field {
            spec: spec.to_string(),
            css,
            attr,
        })
    }

    /// The selector as the user wrote it, for messages.
    pub fn spec(&self) -> &str {
        &self.spec
    }

    /// The elements this field designates inside `scope`: the scope itself without CSS.
    pub fn elements<'a>(&'a self, scope: ElementRef<'a>) -> Vec<ElementRef<'a>> {
        match &self.css {
            Some(css) => scope.select(css).collect(),
            None => vec![scope],
        }
    }

    /// The first non-empty value inside `scope`: the attribute, or else `default_attr` when
    /// given and present, or else the text on one line.
    pub fn read(&self, scope: ElementRef, default_attr: Option<&str>) -> Option<String> {
        self.elements(scope).into_iter().find_map(|element| {
            let value = match (&self.attr, default_attr) {
                (Some(attr), _) => element.value().attr(attr).map(str::to_string),
                (None, Some(attr)) => element
                    .value()
                    .attr(attr)
                    .map(str::to_string)
                    .or_else(|| Some(text_of(element))),
                (None, None) => Some(text_of(element)),
            };
            value.map(|v| fold_whitespace(&v)).filter(|v| !v.is_empty())
        })
    }
}

/// The text of an element on one line.
pub fn text_of(element: ElementRef) -> String {
    fold_whitespace(&element.text().collect::<String>())
}

/// The selectors of a listing, compiled once per run.
#[derive(Debug, Clone)]
pub struct ListingSelectors {
    item: Field,
    link: Field,
    title: Option<Field>,
    date: Option<Field>,
    next: Option<Field>,
}

impl ListingSelectors {
    pub fn compile(selectors: &Selectors) -> Result<ListingSelectors, String> {
        let optional = |s: &Option<String>| s.as_deref().map(Field::parse).transpose();
        Ok(ListingSelectors {
            item: Field::parse(&selectors.item)?,
            link: Field::parse(&selectors.link)?,
            title: optional(&selectors.title)?,
            date: optional(&selectors.date)?,
            next: optional(&selectors.next)?,
        })
    }
}

/// One teaser of a listing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ListingItem {
    /// The article page, resolved against the listing (http or https).
    pub link: Url,
    /// Its canonical form: the article's identity.
    pub url: String,
    pub title: Option<String>,
    pub published: Option<DateTime<Utc>>,
    /// How much of `published` the listing gave (only a month: approximate).
    pub precision: Option<crate::dates::Precision>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Listing {
    pub items: Vec<ListingItem>,
    /// The next page of the listing, when a `next` selector finds one.
    pub next: Option<Url>,
}

/// Why a listing gave nothing.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum ListingError {
    #[error("selector `item` (`{selector}`) matched nothing on {url}: the page changed or the selector is wrong (try `veille source test`)")]
    NoItems { selector: String, url: String },
    #[error("selector `link` (`{selector}`) found no http(s) link in any of the {items} items on {url} (try `veille source test`)")]
    NoLinks {
        selector: String,
        items: usize,
        url: String,
    },
}

/// The date a listing's `date` selector gives, naive times read in `tz`, with how much of it is
/// known (only a month: « novembre 2026 »).
pub fn listing_date(
    text: &str,
    tz: chrono_tz::Tz,
) -> Option<(DateTime<Utc>, crate::dates::Precision)> {
    crate::dates::parse_page_date(text, tz)
}

/// Read a listing page. `read_date` turns the text of a `date` selector into an instant, and
/// says how much of it was known.
pub fn parse_listing(
    html: &str,
    page_url: &Url,
    selectors: &ListingSelectors,
    read_date: impl Fn(&str) -> Option<(DateTime<Utc>, crate::dates::Precision)>,
) -> Result<Listing, ListingError> {
    let document = Html::parse_document(&crate::normalize::bound_nesting(html));
    let base = base_url(&document, page_url);
    let root = document.root_element();
    let teasers = selectors.item.elements(root);
    if teasers.is_empty() || (selectors.item.css.is_none()) {
        return Err(ListingError::NoItems {
            selector: selectors.item.spec().to_string(),
            url: page_url.to_string(),
        });
    }
    let mut items: Vec<ListingItem> = Vec::new();
    for teaser in &teasers {
        let Some(link) = selectors
            .link
            .read(*teaser, Some("href"))
            .and_then(|href| web_link(&href, &base))
        else {
            continue;
        };
        let Some(url) = canonical_url(link.as_str(), None) else {
            continue;
        };
        if items.iter().any(|i| i.url == url) {
            continue;
        }
        let title = selectors.title.as_ref().and_then(|f| f.read(*teaser, None));
        let date = selectors
            .date
            .as_ref()
            .and_then(|f| f.read(*teaser, None))
            .and_then(|text| read_date(&text));
        items.push(ListingItem {
            link,
            url,
            title,
            published: date.map(|(d, _)| d),
            precision: date.map(|(_, precision)| precision),
        });
    }
    if items.is_empty() {
        return Err(ListingError::NoLinks {
            selector: selectors.link.spec().to_string(),
            items: teasers.len(),
            url: page_url.to_string(),
        });
    }
    let next = selectors
        .next
        .as_ref()
        .and_then(|f| f.read(root, Some("href")))
        .and_then(|href| web_link(&href, &base))
        .filter(|next| next != page_url);
    Ok(Listing { items, next })
}

/// The base of a page's relative links: its `<base href>` if it has one, else its URL.
pub fn base_url(document: &Html, page_url: &Url) -> Url {
    static BASE: std::sync::OnceLock<Option<Selector>> = std::sync::OnceLock::new();
    BASE.get_or_init(|| Selector::parse("base[href]").ok())
        .as_ref()
        .and_then(|s| document.select(s).next())
        .and_then(|b| b.value().attr("href"))
        .and_then(|href| page_url.join(href.trim()).ok())
        .filter(|u| matches!(u.scheme(), "http" | "https"))
        .unwrap_or_else(|| page_url.clone())
}

/// `href` resolved against `base`, if it leads to an http(s) page.
pub(crate) fn web_link(href: &str, base: &Url) -> Option<Url> {
    let mut url = base.join(href.trim()).ok()?;
    url.set_fragment(None);
    matches!(url.scheme(), "http" | "https").then_some(url)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn selectors(
        item: &str,
        link: &str,
        title: Option<&str>,
        date: Option<&str>,
        next: Option<&str>,
    ) -> ListingSelectors {
        ListingSelectors::compile(&Selectors {
            item: item.into(),
            link: link.into(),
            title: title.map(Into::into),
            date: date.map(Into::into),
            next: next.map(Into::into),
            ..Selectors::default()
        })
        .unwrap()
    }

    fn no_date(_: &str) -> Option<(DateTime<Utc>, crate::dates::Precision)> {
        None
    }

    fn paris(text: &str) -> Option<(DateTime<Utc>, crate::dates::Precision)> {
        listing_date(text, chrono_tz::Europe::Paris)
    }

    const LISTING: &str = r#"<html><head><title>Actualités</title></head><body>
        <nav><a href="/">Accueil</a></nav>
        <div class="list">
          <article class="teaser"><h3><a href="/articles/un.html?utm_source=rss#top">Premier  article</a></h3>
            <time datetime="2026-11-20T09:00:00+01:00">20 novembre</time></article>
          <article class="teaser"><h3><a href="deux.html">Deuxième</a></h3></article>
          <article class="teaser"><h3><a href="javascript:alert(1)">Piège</a></h3></article>
          <article class="teaser"><h3><a href="/articles/un.html">Premier (doublon)</a></h3></article>
        </div>
        <a class="suivant" href="?page=2">Suivant</a>
        </body></html>"#;

    #[test]
    fn items_links_titles_dates_and_next_page() {
        let page = Url::parse("https://www.example.fr/actus/").unwrap();
        let sel = selectors(
            "article.teaser",
            "h3 a@href",
            Some("h3"),
            Some("time@datetime"),
            Some("a.suivant"),
        );
        let listing = parse_listing(LISTING, &page, &sel, paris).unwrap();
        let urls: Vec<_> = listing.items.iter().map(|i| i.url.as_str()).collect();
        assert_eq!(
            urls,
            [
                "https://www.example.fr/articles/un.html",
                "https://www.example.fr/actus/deux.html"
            ]
        );
        assert_eq!(listing.items[0].title.as_deref(), Some("Premier article"));
        assert_eq!(
            listing.items[0].published.map(|d| d.to_rfc3339()),
            Some("2026-11-20T08:00:00+00:00".into())
        );
        assert_eq!(listing.items[1].published, None);
        assert_eq!(
            listing.next.map(String::from),
            Some("https://www.example.fr/actus/?page=2".into())
        );
    }

    #[test]
    fn a_link_without_attribute_reads_href_and_base_href_is_honoured() {
        let html = r#"<head><base href="https://cdn.example.org/site/"></head>
            <ul><li><a href="a.html">A</a></li><li><a href="b.html">B</a></li></ul>"#;
        let page = Url::parse("https://example.org/").unwrap();
        let listing = parse_listing(
            html,
            &page,
            &selectors("li", "a", None, None, None),
            no_date,
        )
        .unwrap();
        assert_eq!(listing.items[1].url, "https://cdn.example.org/site/b.html");
        // The item itself can be the link.
        let listing = parse_listing(
            html,
            &page,
            &selectors("li a", "@href", None, None, None),
            no_date,
        )
        .unwrap();
        assert_eq!(listing.items.len(), 2);
    }

    #[test]
    fn selector_rot_is_an_error_that_names_the_selector_and_the_page() {
        let page = Url::parse("https://www.example.fr/actus/").unwrap();
        let err = parse_listing(
            LISTING,
            &page,
            &selectors("div.teaser", "a", None, None, None),
            no_date,
        )
        .unwrap_err();
        assert_eq!(
            err,
            ListingError::NoItems {
                selector: "div.teaser".into(),
                url: page.to_string()
            }
        );
        assert!(err
            .to_string()
            .contains("matched nothing on https://www.example.fr/actus/"));
        let err = parse_listing(
            LISTING,
            &page,
            &selectors("article", "span@href", None, None, None),
            no_date,
        )
        .unwrap_err();
        assert!(
            matches!(err, ListingError::NoLinks { items: 4, .. }),
            "{err}"
        );
    }

    #[test]
    fn hostile_listings_never_panic() {
        let page = Url::parse("https://e.org/").unwrap();
        let sel = selectors("a", "@href", Some("a"), Some("a@data-date"), Some("a"));
        for html in [
            "",
            "<",
            "\u{0}\u{feff}<a href=",
            "<a href='http://[::1'>x</a>",
            "<a href='data:text/html,x'>x</a>",
        ] {
            let _ = parse_listing(html, &page, &sel, no_date);
        }
        // Within the nesting bound the link is found; past it, the page is read (quickly) as a
        // flattened one, whose excess tags are gone.
        let deep = "<div>".repeat(400) + "<a href='/x'>x</a>";
        let listing = parse_listing(&deep, &page, &sel, no_date).unwrap();
        assert_eq!(listing.items[0].url, "https://e.org/x");
        let hostile = "<div>".repeat(100_000) + "<a href='/x'>x</a>";
        assert!(parse_listing(&hostile, &page, &sel, no_date).is_err());
    }

    #[test]
    fn fields_read_attributes_or_text() {
        let field = Field::parse("a[href^='/x']@title").unwrap();
        assert_eq!(field.attr.as_deref(), Some("title"));
        let field = Field::parse("a[data-x='a@b']").unwrap();
        assert_eq!(field.attr, None);
        assert!(Field::parse("a[[@href").is_err());
    }
}
