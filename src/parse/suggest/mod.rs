//! A listing page without a feed → the groups of repeated blocks that each lead to an article
//! of the site, ranked, each with the selectors (`item`, `link`, `title`, `date`, `next`) a
//! person would write; and, from a few article pages, their `content` selector (`content`).
//! Pure: the decoded page, its URL and the timezone of naive dates are arguments; `app` fetches.
//!
//! Blocks are grouped by their place in the page (the tags and stable classes of their
//! ancestors) and, inside a group, the outermost block that still holds one article is the item.
//! Groups are ranked on what teasers have and chrome lacks: titles of a title's length, headings,
//! dates, a summary, links that look like articles, their number; a group inside a sidebar, a
//! menu or a "most read" block loses.

mod content;
mod links;
mod selectors;
#[cfg(test)]
mod tests;

pub use content::{content_selector, ContentProposal};
pub use links::is_login_url;

use crate::model::Selectors;
use crate::normalize::canonical_url;
use crate::parse::html::{base_url, text_of, web_link};
use ego_tree::NodeId;
use scraper::{ElementRef, Html, Selector};
use std::collections::{HashMap, HashSet};
use url::Url;

/// Fewer repeated blocks than this are no listing.
pub const MIN_ITEMS: usize = 3;
/// Levels above a link where its item may start (`li > div > h3 > a` is three).
const MAX_ITEM_DEPTH: usize = 6;
/// Groups proposed at most.
pub const MAX_PROPOSALS: usize = 5;
/// A title has at least this many words (tags, "Lire la suite" and menus have fewer).
const TITLE_MIN_WORDS: usize = 4;
/// Text of a block beyond its title and date that makes it a teaser with a summary.
const TEASER_MIN_CHARS: usize = 60;

/// One group of repeated blocks, with its selectors.
#[derive(Debug, Clone, PartialEq)]
pub struct Proposal {
    /// `item`, `link`, `title`, `date`, `next` (never `content`: see [`content_selector`]).
    pub selectors: Selectors,
    /// Blocks of the group that lead to an article.
    pub items: usize,
    pub score: f64,
    /// What the blocks hold, in words: « headings », « dates », « summaries », « in a sidebar ».
    pub traits: Vec<&'static str>,
}

/// An article link of the page.
struct Link<'a> {
    anchor: ElementRef<'a>,
    canonical: String,
    url: Url,
    /// Its text, or else its `title` or its image's `alt`.
    text: String,
}

/// The page as the ranking reads it.
struct Page<'a> {
    root: ElementRef<'a>,
    base: Url,
    url: Url,
    links: Vec<Link<'a>>,
    /// The anchor's node → its index in `links`.
    link_of: HashMap<NodeId, usize>,
    tz: chrono_tz::Tz,
}

/// One block of a group, read.
struct Member<'a> {
    element: ElementRef<'a>,
    /// Index in `links` of the block's article link.
    primary: usize,
    title: String,
    heading: Option<ElementRef<'a>>,
    date: Option<ElementRef<'a>>,
    /// Distinct article URLs inside the block.
    urls: usize,
    teaser: bool,
}

/// A group of blocks in the same place of the page.
struct Group<'a> {
    members: Vec<Member<'a>>,
    depth: usize,
}

/// The groups of repeated article links of `html`, best first; empty when none has at least
/// [`MIN_ITEMS`] blocks.
pub fn suggest(html: &str, page_url: &Url, tz: chrono_tz::Tz) -> Vec<Proposal> {
    let document = Html::parse_document(&crate::normalize::bound_nesting(html));
    let page = read_page(&document, page_url, tz);
    let next = selectors::next_selector(&page);
    let proposed: Vec<(Group, Proposal)> = groups_of(&page)
        .into_iter()
        .filter_map(|group| propose(&page, &group, next.clone()).map(|p| (group, p)))
        .collect();
    let mut proposals: Vec<Proposal> = collapse(proposed).into_iter().map(|(_, p)| p).collect();
    proposals.sort_by(|a, b| b.score.total_cmp(&a.score));
    let mut seen = HashSet::new();
    proposals.retain(|p| seen.insert(p.selectors.item.clone()));
    proposals.truncate(MAX_PROPOSALS);
    proposals
}

/// Whether the page asks for a password (a login form).
pub fn has_password_form(html: &str) -> bool {
    let document = Html::parse_document(&crate::normalize::bound_nesting(html));
    Selector::parse("input[type=password]").is_ok_and(|s| document.select(&s).next().is_some())
}

fn anchors() -> &'static Selector {
    static ANCHORS: std::sync::OnceLock<Selector> = std::sync::OnceLock::new();
    ANCHORS.get_or_init(|| Selector::parse("a[href]").expect("a valid selector"))
}

fn read_page<'a>(document: &'a Html, page_url: &Url, tz: chrono_tz::Tz) -> Page<'a> {
    let base = base_url(document, page_url);
    let mut links = Vec::new();
    let mut link_of = HashMap::new();
    for anchor in document.select(anchors()) {
        let Some(url) = anchor.value().attr("href").and_then(|h| web_link(h, &base)) else {
            continue;
        };
        let text = link_text(anchor);
        // Page numbers and « Suivant » lead to more of the listing, not to an article.
        let numbered =
            !text.is_empty() && text.chars().count() <= 4 && !text.chars().any(char::is_alphabetic);
        if numbered || links::is_next_text(&text) || !links::is_article_link(&url, page_url) {
            continue;
        }
        let Some(canonical) = canonical_url(url.as_str(), None) else {
            continue;
        };
        link_of.insert(anchor.id(), links.len());
        links.push(Link {
            text,
            anchor,
            canonical,
            url,
        });
    }
    Page {
        root: document.root_element(),
        base,
        url: page_url.clone(),
        links,
        link_of,
        tz,
    }
}

/// A link's text, else its `title`, else the `alt` of its image.
fn link_text(anchor: ElementRef) -> String {
    let text = text_of(anchor);
    if !text.is_empty() {
        return text;
    }
    let alt = Selector::parse("img[alt]").ok().and_then(|s| {
        anchor
            .select(&s)
            .find_map(|img| img.value().attr("alt").map(str::to_string))
    });
    anchor
        .value()
        .attr("title")
        .map(str::to_string)
        .or(alt)
        .unwrap_or_default()
}

/// Every element up to [`MAX_ITEM_DEPTH`] levels above an article link, grouped by its place.
fn groups_of<'a>(page: &Page<'a>) -> Vec<Group<'a>> {
    let mut places: HashMap<String, Vec<ElementRef<'a>>> = HashMap::new();
    let mut order: Vec<String> = Vec::new();
    let mut placed: HashSet<NodeId> = HashSet::new();
    let mut signatures: HashMap<NodeId, String> = HashMap::new();
    for link in &page.links {
        let mut node = Some(link.anchor);
        for _ in 0..=MAX_ITEM_DEPTH {
            let Some(element) = node else { break };
            if matches!(element.value().name(), "body" | "html") {
                break;
            }
            if placed.insert(element.id()) {
                let key = selectors::place(element, &mut signatures);
                let members = places.entry(key.clone()).or_default();
                if members.is_empty() {
                    order.push(key);
                }
                members.push(element);
            }
            node = element.parent().and_then(ElementRef::wrap);
        }
    }
    order
        .into_iter()
        .filter_map(|key| places.remove(&key))
        .filter(|elements| elements.len() >= MIN_ITEMS)
        .filter_map(|elements| group(page, elements))
        .collect()
}

/// The blocks of one place, read; none when fewer than [`MIN_ITEMS`] lead to an article or
/// most hold several articles (a container of lists, not an item).
fn group<'a>(page: &Page<'a>, elements: Vec<ElementRef<'a>>) -> Option<Group<'a>> {
    let depth = elements[0].ancestors().count();
    let inside: Vec<Vec<usize>> = elements.iter().map(|e| links_inside(page, *e)).collect();
    // A link found in several blocks is their category or section, not one's article.
    let mut blocks_of: HashMap<&str, usize> = HashMap::new();
    for links in &inside {
        let distinct: HashSet<&str> = links
            .iter()
            .map(|i| page.links[*i].canonical.as_str())
            .collect();
        for url in distinct {
            *blocks_of.entry(url).or_default() += 1;
        }
    }
    let mut members: Vec<Member> = elements
        .into_iter()
        .zip(inside)
        .filter_map(|(element, mut links)| {
            links.retain(|i| {
                let link = &page.links[*i];
                let blocks = blocks_of[link.canonical.as_str()];
                // Twice may be one article shown twice; a short text twice is a category.
                blocks < 2
                    || (blocks == 2 && link.text.split_whitespace().count() >= TITLE_MIN_WORDS)
            });
            member(page, element, links)
        })
        .collect();
    // A block without the class most blocks have is something else in the same place (the
    // pager after the teasers).
    let mut counts: HashMap<&str, usize> = HashMap::new();
    for m in &members {
        for class in selectors::stable_classes(m.element) {
            *counts.entry(class).or_default() += 1;
        }
    }
    let usual: Vec<&str> = counts
        .into_iter()
        .filter(|(_, n)| n * 2 > members.len())
        .map(|(c, _)| c)
        .collect();
    if !usual.is_empty() {
        members.retain(|m| {
            selectors::stable_classes(m.element)
                .iter()
                .any(|c| usual.contains(c))
        });
    }
    let distinct: HashSet<&str> = members
        .iter()
        .map(|m| page.links[m.primary].canonical.as_str())
        .collect();
    let several = members.iter().filter(|m| m.urls > 1).count();
    // Blocks holding several articles are a container of lists, unless a heading says which
    // link is the block's own (a full news item linking to others in its text).
    let headed = members.iter().filter(|m| m.heading.is_some()).count();
    (distinct.len() >= MIN_ITEMS && (several * 4 <= members.len() || headed * 2 > members.len()))
        .then_some(Group { members, depth })
}

/// The article links in `element` (itself included), in the page's order.
fn links_inside(page: &Page, element: ElementRef) -> Vec<usize> {
    let mut inside: Vec<usize> = element
        .select(anchors())
        .filter_map(|a| page.link_of.get(&a.id()).copied())
        .collect();
    if let Some(own) = page
        .link_of
        .get(&element.id())
        .filter(|i| !inside.contains(i))
    {
        inside.insert(0, *own);
    }
    inside
}

fn member<'a>(page: &Page<'a>, element: ElementRef<'a>, inside: Vec<usize>) -> Option<Member<'a>> {
    let urls: HashSet<&str> = inside
        .iter()
        .map(|i| page.links[*i].canonical.as_str())
        .collect();
    let in_heading = |i: &usize| heading_of(page.links[*i].anchor, element);
    let (primary, heading) = match inside.iter().find_map(|i| in_heading(i).map(|h| (*i, h))) {
        Some((i, h)) => (i, Some(h)),
        None => (
            *inside
                .iter()
                .max_by_key(|i| page.links[**i].text.chars().count())?,
            None,
        ),
    };
    let title = heading
        .map(text_of)
        .filter(|t| !t.is_empty())
        .unwrap_or_else(|| page.links[primary].text.clone());
    let date = selectors::date_element(element, page.links[primary].anchor, page.tz);
    let date_chars = date.map_or(0, |d| text_of(d).chars().count());
    let all = text_of(element).chars().count();
    let teaser = all.saturating_sub(title.chars().count() + date_chars) >= TEASER_MIN_CHARS;
    Some(Member {
        element,
        primary,
        title,
        heading,
        date,
        urls: urls.len(),
        teaser,
    })
}

/// The heading (h1–h6) that holds `anchor` or that `anchor` holds, inside `scope`.
fn heading_of<'a>(anchor: ElementRef<'a>, scope: ElementRef<'a>) -> Option<ElementRef<'a>> {
    let is_heading =
        |e: &ElementRef| matches!(e.value().name(), "h1" | "h2" | "h3" | "h4" | "h5" | "h6");
    let mut node = Some(anchor);
    while let Some(element) = node {
        if is_heading(&element) {
            return Some(element);
        }
        if element == scope {
            break;
        }
        node = element.parent().and_then(ElementRef::wrap);
    }
    anchor
        .descendants()
        .filter_map(ElementRef::wrap)
        .find(|e| is_heading(e))
}

/// Of groups that are the same articles at different levels (a `li`, its `h3`, its `a`), keep
/// the outermost that has selectors: the item holds the title, the date and the summary.
fn collapse<'a>(mut groups: Vec<(Group<'a>, Proposal)>) -> Vec<(Group<'a>, Proposal)> {
    groups.sort_by_key(|(g, _)| g.depth);
    let mut kept: Vec<(Group, Proposal)> = Vec::new();
    for (group, proposal) in groups {
        let inner = kept.iter().position(|(outer, _)| {
            let ids: HashSet<NodeId> = outer.members.iter().map(|m| m.element.id()).collect();
            let inside = group
                .members
                .iter()
                .filter(|m| m.element.ancestors().any(|a| ids.contains(&a.id())))
                .count();
            // Many more inner blocks than outer ones: lists inside sections, not one list.
            inside * 2 > group.members.len() && group.members.len() * 2 <= outer.members.len() * 3
        });
        match inner {
            None => kept.push((group, proposal)),
            // The outer blocks can only be named by their place (`div.row > div`): the inner
            // ones by a class of their own, when they hold as much.
            Some(i) if by_class(&proposal) && !by_class(&kept[i].1) => {
                let outer = &kept[i].1.selectors;
                if proposal.selectors.date.is_some() >= outer.date.is_some() {
                    kept[i] = (group, proposal);
                }
            }
            Some(_) => {}
        }
    }
    kept
}

/// Whether the item selector names the blocks by a class of their own.
fn by_class(proposal: &Proposal) -> bool {
    let item = &proposal.selectors.item;
    item.rsplit([' ', '>'])
        .next()
        .is_some_and(|last| last.contains('.'))
}

/// The share of `members` for which `test` holds.
fn share(members: &[Member], test: impl Fn(&Member) -> bool) -> f64 {
    members.iter().filter(|m| test(m)).count() as f64 / members.len().max(1) as f64
}

fn propose(page: &Page, group: &Group, next: Option<String>) -> Option<Proposal> {
    let members = &group.members;
    let titles = share(members, |m| {
        m.title.split_whitespace().count() >= TITLE_MIN_WORDS
    });
    let headings = share(members, |m| m.heading.is_some());
    let dates = share(members, |m| m.date.is_some());
    let teasers = share(members, |m| m.teaser);
    let several = share(members, |m| m.urls > 1);
    let likeness = members
        .iter()
        .map(|m| links::article_likeness(&page.links[m.primary].url))
        .sum::<f64>()
        / members.len() as f64;
    let count = ((members.len() as f64).ln() / 20f64.ln()).min(1.0);
    let chrome = selectors::in_chrome(members[0].element);
    let score =
        1.2 * titles + 0.8 * headings + 0.8 * dates + 0.7 * teasers + 0.5 * likeness + 0.8 * count
            - 0.5 * several
            - if chrome { 2.0 } else { 0.0 };
    let mut traits = Vec::new();
    for (share, name) in [
        (headings, "headings"),
        (dates, "dates"),
        (teasers, "summaries"),
    ] {
        if share >= 0.5 {
            traits.push(name);
        }
    }
    if titles < 0.5 {
        traits.push("short link texts");
    }
    if chrome {
        traits.push("in a sidebar, menu or most-read block");
    }
    let mut selectors = selectors::selectors_of(page, members)?;
    selectors.next = next;
    Some(Proposal {
        selectors,
        items: members.len(),
        score,
        traits,
    })
}
