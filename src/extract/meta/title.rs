//! The title, in order: a first-level heading that another source confirms; `og:title`,
//! `twitter:title`, the JSON-LD headline, `dc.title`; `<title>`; the first `<h1>`. Every
//! candidate loses the site's name (« Titre - Site », « Titre | Site », « Site : Titre »).

use super::{css, element_text, line, within, Facts, MAX_TITLE_CHARS};
use crate::normalize::fold;
use scraper::{Html, Selector};
use std::sync::OnceLock;

/// How a title and a site name are joined, the usual first.
const SEPARATORS: &[&str] = &[
    " | ", " - ", " – ", " — ", " · ", " • ", " :: ", " : ", " » ", " « ", " › ", " │ ", " / ",
    " ~ ",
];
/// How many headings are considered: the article's comes early.
const MAX_HEADINGS: usize = 5;
/// A `<title>` part this short (in words) after the separator is the site's name or a section,
/// when no better evidence is at hand.
const MAX_SUFFIX_WORDS: usize = 4;
/// How many bytes of an element are read for a title.
const MAX_TITLE_BYTES: usize = 4 * MAX_TITLE_CHARS;

pub(super) fn title(page: &Html, facts: &Facts) -> Option<String> {
    struct S {
        marked: Selector,
        h1: Selector,
        title: Selector,
    }
    static S: OnceLock<S> = OnceLock::new();
    let s = S.get_or_init(|| S {
        marked: css(
            "article h1, main h1, [itemprop=headline], h1.entry-title, h2.entry-title, \
             h1.post-title, h2.post-title, .article-title, h1.title, h1.headline, h2.headline",
        ),
        h1: css("h1"),
        title: css("head title, title"),
    });
    let tag = page
        .select(&s.title)
        .next()
        .map(|t| element_text(t, MAX_TITLE_BYTES))
        .filter(|t| !t.is_empty());
    let mut headings: Vec<String> = Vec::new();
    for heading in page
        .select(&s.marked)
        .take(MAX_HEADINGS)
        .chain(page.select(&s.h1).take(MAX_HEADINGS))
    {
        if is_branding(heading) {
            continue;
        }
        let Some(text) = within(element_text(heading, MAX_TITLE_BYTES), MAX_TITLE_CHARS) else {
            continue;
        };
        let site_like =
            facts.is_site_name(&text) || tag.as_deref().is_some_and(|t| is_suffix_part(t, &text));
        if !site_like && !headings.contains(&text) {
            headings.push(text);
        }
    }
    let declared: Vec<String> = ["og:title", "twitter:title", "dc.title"]
        .iter()
        .filter_map(|key| facts.meta(&[key]))
        .map(line)
        .chain(facts.linked.headline.as_deref().map(line))
        .map(|t| strip_site(&t, facts))
        .filter_map(|t| within(t, MAX_TITLE_CHARS))
        .collect();
    // A heading that the page's declared title or `<title>` repeats is the article's.
    let confirmed = headings.iter().find(|h| {
        let h = fold(h);
        declared
            .iter()
            .chain(tag.as_ref())
            .any(|c| fold(c).contains(&h))
    });
    confirmed
        .cloned()
        .or_else(|| headings.first().cloned())
        .or_else(|| declared.into_iter().next())
        .or_else(|| {
            let tag = strip_site(tag.as_deref()?, facts);
            within(strip_short_suffix(&tag).to_string(), MAX_TITLE_CHARS)
        })
        .or_else(|| headings.into_iter().next())
}

/// A heading that is the site's logo or name in its banner, not an article's title.
fn is_branding(heading: scraper::ElementRef) -> bool {
    const BRANDING: &[&str] = &[
        "site-title",
        "site-name",
        "sitename",
        "logo",
        "brand",
        "blog-title",
        "site-branding",
        "masthead",
    ];
    std::iter::once(heading)
        .chain(
            heading
                .ancestors()
                .filter_map(scraper::ElementRef::wrap)
                .take(3),
        )
        .any(|e| {
            let v = e.value();
            [v.attr("class"), v.attr("id")]
                .into_iter()
                .flatten()
                .any(|name| {
                    let name = name.to_ascii_lowercase();
                    BRANDING.iter().any(|b| name.contains(b))
                })
        })
}

/// Whether `part` is the last part of a `<title>` made of several (« Article | Part »): the
/// place of the site's name.
fn is_suffix_part(tag: &str, part: &str) -> bool {
    let part = fold(part);
    SEPARATORS.iter().any(|sep| {
        tag.rsplit_once(sep)
            .is_some_and(|(head, tail)| !head.trim().is_empty() && fold(tail.trim()) == part)
    })
}

/// `text` without a first or last part that is the site's name, on any separator.
pub(super) fn strip_site(text: &str, facts: &Facts) -> String {
    let mut text = text.trim().to_string();
    // « Titre - Rubrique | Site »: at most a few rounds.
    for _ in 0..3 {
        let stripped = SEPARATORS.iter().find_map(|sep| {
            if let Some((head, tail)) = text.rsplit_once(sep) {
                if facts.is_site_name(tail) && !head.trim().is_empty() {
                    return Some(head.trim().to_string());
                }
            }
            let (head, tail) = text.split_once(sep)?;
            (facts.is_site_name(head) && !tail.trim().is_empty()).then(|| tail.trim().to_string())
        });
        match stripped {
            Some(shorter) => text = shorter,
            None => break,
        }
    }
    text
}

/// « Titre long de l'article | Le Site » → « Titre long de l'article » when the last part is a
/// few words and the first is longer: the shape of a site's suffix.
fn strip_short_suffix(text: &str) -> &str {
    for sep in [
        " | ", " - ", " – ", " — ", " · ", " • ", " :: ", " » ", " › ", " │ ",
    ] {
        if let Some((head, tail)) = text.rsplit_once(sep) {
            let tail_words = tail.split_whitespace().count();
            if tail_words <= MAX_SUFFIX_WORDS && head.split_whitespace().count() > tail_words {
                return head.trim();
            }
        }
    }
    text
}
