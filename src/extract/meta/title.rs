//! The title, chosen by agreement between the page's candidates: a heading (first-level, or
//! marked as the article's, or a second-level one) that a declared title (`og:title`,
//! `twitter:title`, the JSON-LD headline, Dublin Core, Parse.ly) or the `<title>` repeats; else
//! the first heading, unless it is a section's name, a kicker before the declared title or one
//! of several; else the declared title the `<title>` confirms; else the `<title>`'s main part.
//! Every candidate loses the site's name (« Titre - Site », « Titre | Site », « Site : Titre »),
//! and a candidate equal to the site's name is never the title.

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
/// How many second-level headings are considered: one is the title only when confirmed.
const MAX_SECOND_HEADINGS: usize = 8;
/// A first-level heading this short (in words) beside a longer declared title is a section's
/// name (« Archive », « Politics »).
const MAX_SECTION_WORDS: usize = 3;
/// Where a page declares its title, the usual first.
const DECLARED: &[&str] = &[
    "og:title",
    "twitter:title",
    "dc.title",
    "dcterms.title",
    "parsely-title",
    "sailthru.title",
    "headline",
];
/// A `<title>` part this short (in words) after the separator is the site's name or a section,
/// when no better evidence is at hand.
const MAX_SUFFIX_WORDS: usize = 4;
/// How many bytes of an element are read for a title.
const MAX_TITLE_BYTES: usize = 4 * MAX_TITLE_CHARS;

pub(super) fn title(page: &Html, facts: &Facts) -> Option<String> {
    struct S {
        marked: Selector,
        h1: Selector,
        h2: Selector,
        title: Selector,
    }
    static S: OnceLock<S> = OnceLock::new();
    let s = S.get_or_init(|| S {
        marked: css(
            "article h1, main h1, [itemprop=headline], h1.entry-title, h2.entry-title, \
             h1.post-title, h2.post-title, .article-title, h1.title, h1.headline, h2.headline",
        ),
        h1: css("h1"),
        h2: css("h2"),
        title: css("head title, title"),
    });
    let tag = page
        .select(&s.title)
        .next()
        .map(|t| element_text(t, MAX_TITLE_BYTES))
        .filter(|t| !t.is_empty());
    let marked = page.select(&s.marked).take(MAX_HEADINGS);
    let h1s = page.select(&s.h1).take(MAX_HEADINGS);
    let seconds = headings(
        page.select(&s.h2).take(MAX_SECOND_HEADINGS),
        facts,
        tag.as_deref(),
    );
    let headings = headings(marked.chain(h1s), facts, tag.as_deref());
    let declared: Vec<String> = DECLARED
        .iter()
        .filter_map(|key| facts.meta(&[key]))
        .map(line)
        .chain(facts.linked.headline.as_deref().map(line))
        .map(|t| strip_site(&t, facts))
        .filter(|t| !facts.is_site_name(t))
        .filter_map(|t| within(t, MAX_TITLE_CHARS))
        .collect();
    let tag_main = tag.as_deref().and_then(|tag| {
        let tag = strip_site(tag, facts);
        within(strip_short_suffix(&tag).to_string(), MAX_TITLE_CHARS)
            .filter(|t| !facts.is_site_name(t))
    });
    // A heading that the page's declared title or `<title>` repeats is the article's; a
    // second-level one only when it is most of what repeats it.
    let confirms = |h: &String, most: bool| {
        let h = fold(h);
        declared.iter().chain(tag.as_ref()).any(|c| {
            let c = fold(c);
            c.contains(&h) && (!most || 2 * h.len() >= c.len())
        })
    };
    let confirmed = headings
        .iter()
        .find(|h| confirms(h, false))
        .or_else(|| seconds.iter().find(|h| confirms(h, true)));
    if let Some(confirmed) = confirmed {
        return Some(confirmed.clone());
    }
    // A declared title that the `<title>` confirms, or the only one there is.
    let agreed = declared
        .iter()
        .find(|d| tag.as_deref().is_some_and(|t| fold(t).contains(&fold(d))))
        .or(declared.first());
    match (headings.first(), agreed) {
        (Some(heading), Some(agreed)) if !outweighs(heading, headings.len(), agreed) => {
            Some(agreed.clone())
        }
        (Some(heading), _) => Some(heading.clone()),
        (None, Some(agreed)) => Some(agreed.clone()),
        (None, None) => tag_main.or_else(|| seconds.into_iter().next()),
    }
}

/// Whether the first heading (of `count` distinct ones) is the title rather than the declared
/// title: not when it is the declared title behind a kicker (« Tunisie Les défis du
/// gouvernement »), a section's name of a few words where the declared title is longer, or one
/// of several first-level headings (a page of sections).
fn outweighs(heading: &str, count: usize, declared: &str) -> bool {
    let (h, d) = (fold(heading), fold(declared));
    let kicker = h.len() > d.len() && h.ends_with(&d);
    let words = heading.split_whitespace().count();
    let section = words <= MAX_SECTION_WORDS && declared.split_whitespace().count() > words;
    !(kicker || section || count > 1)
}

/// The texts of `elements` that may be the article's headline, in order, without repeats: the
/// site's logo, its name and the site part of the `<title>` are left out.
fn headings<'a>(
    elements: impl Iterator<Item = scraper::ElementRef<'a>>,
    facts: &Facts,
    tag: Option<&str>,
) -> Vec<String> {
    let mut kept: Vec<String> = Vec::new();
    for heading in elements {
        if is_branding(heading) {
            continue;
        }
        let Some(text) = within(element_text(heading, MAX_TITLE_BYTES), MAX_TITLE_CHARS) else {
            continue;
        };
        let site_like = facts.is_site_name(&text) || tag.is_some_and(|t| is_suffix_part(t, &text));
        if !site_like && !kept.contains(&text) {
            kept.push(text);
        }
    }
    kept
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
