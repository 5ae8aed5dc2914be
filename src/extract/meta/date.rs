//! The published date, in order (the first readable and plausible one wins):
//! 1. JSON-LD `datePublished` (then `dateCreated`, `uploadDate`) of the article;
//! 2. `<meta>`: `article:published_time`, `og:published_time`, `datePublished`, `date`,
//!    `dc.date.issued`, `dc.date`, `dcterms.created`, … ([`PUBLISHED_KEYS`]);
//! 3. markup: `[itemprop=datePublished]`, `<abbr class="published" title>`, `<time pubdate>`,
//!    `<time class="published">`, then the first `<time datetime>` outside comments;
//! 4. text: short elements whose class or id speaks of a date or a byline (« Publié le 3 mars
//!    2025 », « Posté par genma le 23/06/26 à 13:44 », « 28. Januar 2020 »);
//! 5. the URL (`/2024/06/11/`, `/2024-06-11-`);
//! 6. last resort, the modification date (`dateModified`, `article:modified_time`,
//!    `og:updated_time`): modified is not published, but is near it more often than not.
//!
//! A date before [`EARLIEST_YEAR`], after [`LATEST_YEAR`] or more than a day after `now` is
//! refused and the next rule tried. A date reduced to its month (« juin 2024 ») is taken only
//! when no rule gives a day.

use super::{css, element_text, Facts};
use crate::dates::{parse_page_date, Precision};
use chrono::{DateTime, Datelike, Duration, Utc};
use chrono_tz::Tz;
use regex::Regex;
use scraper::{ElementRef, Html, Selector};
use std::sync::OnceLock;

pub use crate::normalize::EARLIEST_YEAR;
/// Without a clock, the latest year believed.
pub const LATEST_YEAR: i32 = 2100;
/// How many markup or text elements are tried before giving up.
const MAX_ELEMENTS: usize = 60;
/// A text holding a date is short; a long one is a paragraph that mentions a date.
const MAX_DATE_TEXT_BYTES: usize = 300;
/// How much of the page's visible text is searched for an announced date.
const MAX_VISIBLE_TEXT_BYTES: usize = 200_000;
/// An announced date follows its announcement within this many bytes.
const ANNOUNCED_WITHIN_BYTES: usize = 40;

const PUBLISHED_KEYS: &[&str] = &[
    "article:published_time",
    "og:published_time",
    "og:article:published_time",
    "article:published",
    "datepublished",
    "published_time",
    "publishdate",
    "publish-date",
    "publish_date",
    "pubdate",
    "publication_date",
    "publication-date",
    "date_published",
    "dc.date.issued",
    "dcterms.issued",
    "dc.date.created",
    "dcterms.created",
    "datecreated",
    "citation_publication_date",
    "citation_date",
    "parsely-pub-date",
    "sailthru.date",
    "article.published",
    "originalpublicationdate",
    "date",
    "dc.date",
    "dcterms.date",
    "creation_date",
];
const MODIFIED_KEYS: &[&str] = &[
    "article:modified_time",
    "og:updated_time",
    "datemodified",
    "dcterms.modified",
    "dc.date.modified",
    "last-modified",
    "lastmod",
];

type Found = (DateTime<Utc>, Precision);

pub(super) fn published(
    page: &Html,
    facts: &Facts,
    tz: Tz,
    now: Option<DateTime<Utc>>,
) -> Option<Found> {
    let plausible = |found: Found| {
        let year = found.0.year();
        let after_now = now.is_some_and(|now| found.0 > now + Duration::days(1));
        ((EARLIEST_YEAR..=LATEST_YEAR).contains(&year) && !after_now).then_some(found)
    };
    let read = |text: &str| parse_page_date(text, tz).and_then(plausible);
    let mut month_only: Option<Found> = None;
    let mut keep = |found: Option<Found>| -> Option<Found> {
        match found? {
            (instant, Precision::Month) => {
                month_only = month_only.or(Some((instant, Precision::Month)));
                None
            }
            found => Some(found),
        }
    };
    let structured = facts
        .linked
        .published
        .as_deref()
        .and_then(read)
        .or_else(|| {
            PUBLISHED_KEYS
                .iter()
                .find_map(|key| facts.metas_named(key).find_map(read))
        });
    if let Some(found) = keep(structured) {
        return Some(found);
    }
    if let Some(found) = keep(markup(page, &read)) {
        return Some(found);
    }
    if let Some(found) = keep(text(page, &read)) {
        return Some(found);
    }
    if let Some(found) = keep(announced(page, &read)) {
        return Some(found);
    }
    if let Some(found) = facts
        .url
        .and_then(|u| from_url(u.path(), tz))
        .and_then(plausible)
    {
        return Some(found);
    }
    let modified = facts.linked.modified.as_deref().and_then(read).or_else(|| {
        MODIFIED_KEYS
            .iter()
            .find_map(|key| facts.meta(&[key]).and_then(read))
    });
    keep(modified).or(month_only)
}

fn markup(page: &Html, read: &impl Fn(&str) -> Option<Found>) -> Option<Found> {
    struct S {
        itemprop: Selector,
        marked: Selector,
        time: Selector,
    }
    static S: OnceLock<S> = OnceLock::new();
    let s = S.get_or_init(|| S {
        itemprop: css("[itemprop=datePublished], [itemprop=dateCreated]"),
        marked: css(
            "abbr.published[title], time[pubdate], time.published, time.entry-date, \
             time[itemprop], .published[datetime], .published[title]",
        ),
        time: css("time[datetime]"),
    });
    let attrs = |e: ElementRef| -> Option<Found> {
        let v = e.value();
        ["datetime", "content", "title"]
            .iter()
            .filter_map(|a| v.attr(a))
            .find_map(read)
            .or_else(|| read(&element_text(e, MAX_DATE_TEXT_BYTES)))
    };
    page.select(&s.itemprop)
        .take(MAX_ELEMENTS)
        .find_map(attrs)
        .or_else(|| page.select(&s.marked).take(MAX_ELEMENTS).find_map(attrs))
        .or_else(|| {
            page.select(&s.time)
                .filter(|e| !in_comments(*e))
                .take(MAX_ELEMENTS)
                .find_map(attrs)
        })
}

fn text(page: &Html, read: &impl Fn(&str) -> Option<Found>) -> Option<Found> {
    static DATED: OnceLock<Selector> = OnceLock::new();
    let dated = DATED.get_or_init(|| {
        css(
            "[class*=date], [class*=Date], [id*=date], [class*=time], [class*=posted], \
             [class*=byline], [class*=meta], [class*=datum], [class*=Datum], [class*=publi], \
             [class*=info], [class*=submitted], [class*=author], [class*=auteur]",
        )
    });
    page.select(dated)
        .filter(|e| !in_comments(*e))
        .take(MAX_ELEMENTS)
        .filter_map(|e| {
            let text = element_text(e, MAX_DATE_TEXT_BYTES + 1);
            (text.len() <= MAX_DATE_TEXT_BYTES).then_some(text)
        })
        .find_map(|t| read(&t))
}

/// A date right after the words that announce one, anywhere in the visible text: « Publié le »,
/// « Erschienen am », « Datum: », « Posted on ».
fn announced(page: &Html, read: &impl Fn(&str) -> Option<Found>) -> Option<Found> {
    static ANNOUNCE: OnceLock<Regex> = OnceLock::new();
    let announce = ANNOUNCE.get_or_init(|| {
        Regex::new(
            r"(?i)\b(?:publié|publiée|publie|mis en ligne|posté|postée|paru|erschienen|veröffentlicht|publiziert|datum|erstellt|published|posted|publicado|publicada|date)\b(?:\s+(?:le|am|on|el|:))?\s*:?",
        )
        .expect("valid regex")
    });
    let text = super::visible_text(page.root_element(), MAX_VISIBLE_TEXT_BYTES);
    announce.find_iter(&text).take(MAX_ELEMENTS).find_map(|m| {
        let after = &text[m.end()..];
        read(&after[..after.floor_char_boundary(ANNOUNCED_WITHIN_BYTES)])
    })
}

/// Whether the element sits in a comment thread, whose dates are not the article's.
pub(super) fn in_comments(element: ElementRef) -> bool {
    element.ancestors().filter_map(ElementRef::wrap).any(|a| {
        let v = a.value();
        [v.attr("class"), v.attr("id")]
            .into_iter()
            .flatten()
            .any(|name| name.to_ascii_lowercase().contains("comment"))
    })
}

/// `/2024/06/11/`, `/2024-06-11-slug`, `/20240611/` in a URL path: a day.
fn from_url(path: &str, tz: Tz) -> Option<Found> {
    static IN_PATH: OnceLock<Regex> = OnceLock::new();
    let re = IN_PATH.get_or_init(|| {
        Regex::new(r"(?:^|[/_-])((?:19|20)\d{2})[/_-]?(0[1-9]|1[0-2])[/_-]?(0[1-9]|[12]\d|3[01])(?:[/_.-]|$)")
            .expect("valid regex")
    });
    let caps = re.captures(path)?;
    let iso = format!("{}-{}-{}", &caps[1], &caps[2], &caps[3]);
    parse_page_date(&iso, tz)
}
