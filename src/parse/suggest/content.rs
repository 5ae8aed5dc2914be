//! A few article pages of one listing → the `content` selector that holds their main text, when
//! one element does so on every page and agrees with automatic main-text extraction; else the
//! reason extraction stays automatic. Pure: the pages are given decoded, with their URLs.

use super::selectors::is_stable_class;
use crate::extract::body::main_text;
use crate::normalize::{fold, fold_whitespace};
use scraper::{ElementRef, Html, Selector};
use std::collections::HashMap;
use url::Url;

/// Article pages needed to trust a selector.
pub const MIN_PAGES: usize = 2;
/// Share of the extracted main text the element must hold, and share of its own text that
/// must be main text (share buttons and a caption inside it are tolerated).
const RECALL: f64 = 0.85;
const PRECISION: f64 = 0.7;
/// A part of a text in several elements: nearly all main text, and a good share of it.
const PART_PRECISION: f64 = 0.9;
const PART_RECALL: f64 = 0.1;
const MAX_PARTS: usize = 3;
/// Elements that may hold an article's text.
const CONTAINERS: &str = "article, main, section, div, td";

/// What the article pages say about `content`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ContentProposal {
    /// One element holds the main text on every page.
    Selector(String),
    /// Extraction stays automatic, for this reason (in words).
    Automatic(String),
}

type Words = HashMap<String, usize>;

fn words(text: &str) -> Words {
    let mut counts = Words::new();
    for word in fold(text).split(|c: char| !c.is_alphanumeric()) {
        if !word.is_empty() {
            *counts.entry(word.to_string()).or_default() += 1;
        }
    }
    counts
}

fn total(words: &Words) -> usize {
    words.values().sum()
}

/// (recall, precision) of `candidate`'s words against the main text's.
fn agreement(candidate: &Words, main: &Words) -> (f64, f64) {
    let common: usize = candidate
        .iter()
        .map(|(w, n)| (*n).min(main.get(w).copied().unwrap_or(0)))
        .sum();
    let recall = common as f64 / total(main).max(1) as f64;
    let precision = common as f64 / total(candidate).max(1) as f64;
    (recall, precision)
}

/// The ways to name an element on its own: `tag.class` for each stable class, `#id`.
fn names(element: ElementRef) -> Vec<String> {
    let tag = element.value().name();
    let mut out: Vec<String> = element
        .value()
        .classes()
        .filter(|c| is_stable_class(c))
        .map(|c| format!("{tag}.{c}"))
        .collect();
    if let Some(id) = element.value().id().filter(|id| is_stable_class(id)) {
        out.push(format!("#{id}"));
    }
    out
}

/// The words of the elements `css` names (an element inside another named one counted once),
/// if it names between one and `parts` elements.
fn named_words(document: &Html, css: &str, parts: usize) -> Option<Words> {
    let selector = Selector::parse(css).ok()?;
    let found: Vec<ElementRef> = document.select(&selector).collect();
    let outer: Vec<&ElementRef> = found
        .iter()
        .filter(|e| {
            !e.ancestors()
                .any(|a| found.iter().any(|f| f.id() == a.id()))
        })
        .collect();
    if outer.is_empty() || outer.len() > parts {
        return None;
    }
    let mut counted = Words::new();
    for element in outer {
        for (word, n) in words(&text(*element)) {
            *counted.entry(word).or_default() += n;
        }
    }
    Some(counted)
}

fn text(element: ElementRef) -> String {
    fold_whitespace(&element.text().collect::<Vec<_>>().join(" "))
}

/// Whether what `css` names on `document` holds its main text.
fn holds(document: &Html, css: &str, main: &Words) -> bool {
    let parts = css.split(',').count();
    named_words(document, css, parts).is_some_and(|counted| {
        let (recall, precision) = agreement(&counted, main);
        recall >= RECALL && precision >= PRECISION
    })
}

/// A named element of the first article page, measured against its main text.
struct Named {
    /// Its place in the page, so that parts are written in the page's order.
    order: usize,
    css: String,
    size: usize,
    recall: f64,
    precision: f64,
}

/// The `content` selector of article pages given as (decoded HTML, URL): one element that holds
/// the main text on every page, else two or three that hold it together (SPIP's `div.chapo,
/// div.texte`: the lead and the body).
pub fn content_selector(pages: &[(String, Url)]) -> ContentProposal {
    if pages.len() < MIN_PAGES {
        return ContentProposal::Automatic(format!(
            "fewer than {MIN_PAGES} article pages could be read"
        ));
    }
    let read: Vec<(Html, Words)> = pages
        .iter()
        .map(|(html, url)| {
            let html = crate::normalize::bound_nesting(html);
            (
                Html::parse_document(&html),
                words(&main_text(&html, Some(url))),
            )
        })
        .collect();
    if read.iter().any(|(_, main)| total(main) == 0) {
        return ContentProposal::Automatic("a page has no main text to agree with".into());
    }
    let (first, main) = &read[0];
    let Ok(containers) = Selector::parse(CONTAINERS) else {
        return ContentProposal::Automatic("no container to look at".into());
    };
    let mut named: Vec<Named> = Vec::new();
    for (order, element) in first.select(&containers).enumerate() {
        let counted = words(&text(element));
        let (recall, precision) = agreement(&counted, main);
        for css in names(element) {
            named.push(Named {
                order,
                css,
                size: total(&counted),
                recall,
                precision,
            });
        }
    }
    // Single elements, smallest first; then parts that are nearly all main text, largest first.
    let mut candidates: Vec<&Named> = named
        .iter()
        .filter(|n| n.recall >= RECALL && n.precision >= PRECISION)
        .collect();
    candidates.sort_by_key(|n| n.size);
    let mut tried: Vec<String> = candidates.iter().map(|n| n.css.clone()).collect();
    tried.extend(combined(&named));
    tried
        .into_iter()
        .find(|css| read.iter().all(|(document, main)| holds(document, css, main)))
        .map_or_else(
            || {
                ContentProposal::Automatic(
                    "no element, nor two or three together, holds the main text on every article page".into(),
                )
            },
            ContentProposal::Selector,
        )
}

/// Up to [`MAX_PARTS`] elements that are nearly all main text and together hold most of it.
fn combined(named: &[Named]) -> Option<String> {
    let mut parts: Vec<&Named> = named
        .iter()
        .filter(|n| n.precision >= PART_PRECISION && n.recall >= PART_RECALL)
        .collect();
    parts.sort_by(|a, b| b.recall.total_cmp(&a.recall));
    let mut chosen: Vec<&Named> = Vec::new();
    let mut recall = 0.0;
    for part in parts {
        // Nested elements hold the same words: a part that adds at most its own share is new.
        if chosen
            .iter()
            .any(|c| c.recall + part.recall > 1.0 + f64::EPSILON)
        {
            continue;
        }
        chosen.push(part);
        recall += part.recall;
        if recall >= RECALL || chosen.len() == MAX_PARTS {
            break;
        }
    }
    chosen.sort_by_key(|c| c.order);
    (chosen.len() > 1 && recall >= RECALL).then(|| {
        let mut css: Vec<&str> = chosen.iter().map(|c| c.css.as_str()).collect();
        css.dedup();
        css.join(", ")
    })
}
