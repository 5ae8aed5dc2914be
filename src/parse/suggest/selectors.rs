//! CSS for a group of blocks: the place of an element in the page (how blocks are grouped), and
//! the selectors a person would write for its items, links, titles, dates and the next page:
//! short, by stable class, each checked on the page; never `nth-child`.

use super::{anchors, links, share, Member, Page};
use crate::dates::{parse_page_date, Precision};
use crate::model::Selectors;
use crate::normalize::canonical_url;
use crate::parse::html::{text_of, web_link, Field};
use ego_tree::NodeId;
use scraper::{ElementRef, Selector};
use std::collections::{HashMap, HashSet};

/// A link or title selector must read the block's own link or title in this share of blocks.
const AGREEMENT: f64 = 0.9;
/// A date selector is proposed when this share of blocks has a date it reads.
const DATE_SHARE: f64 = 0.6;
/// A date is written in at most this many characters.
const DATE_MAX_CHARS: usize = 80;
/// Ancestors of an item tried to scope its selector, and classes of each.
const MAX_SCOPE_DEPTH: usize = 8;
const MAX_SCOPE_CLASSES: usize = 4;

/// A class (or id) that names what an element is, not which one or in what state: no digits
/// (`post-12`, `views-row-3`), no `odd`/`first`/`active`…, no generated names.
pub fn is_stable_class(class: &str) -> bool {
    class.len() <= 40
        && class.starts_with(|c: char| c.is_ascii_alphabetic())
        && class
            .chars()
            .all(|c| c.is_ascii_alphabetic() || c == '-' || c == '_')
        && !["css-", "jsx-", "sc-", "js-"]
            .iter()
            .any(|p| class.starts_with(p))
        && !class.split(['-', '_']).any(|w| {
            matches!(
                w,
                "odd" | "even" | "first" | "last" | "active" | "current" | "selected" | "clearfix"
            )
        })
}

/// The stable classes of an element, in the order the page writes them.
pub(super) fn stable_classes<'a>(element: ElementRef<'a>) -> Vec<&'a str> {
    element
        .value()
        .attr("class")
        .unwrap_or_default()
        .split_ascii_whitespace()
        .filter(|c| is_stable_class(c))
        .collect()
}

fn is_heading(element: ElementRef) -> bool {
    matches!(
        element.value().name(),
        "h1" | "h2" | "h3" | "h4" | "h5" | "h6"
    )
}

fn parent(element: ElementRef) -> Option<ElementRef> {
    element.parent().and_then(ElementRef::wrap)
}

/// Where an element sits: its tag under the tags, stable ids and classes of its ancestors.
/// Its own classes are left out: they vary between items (`category-x`, `views-row-odd`).
pub fn place(element: ElementRef, cache: &mut HashMap<NodeId, String>) -> String {
    let mut chain = Vec::new();
    let mut node = parent(element);
    while let Some(e) = node {
        if cache.contains_key(&e.id()) {
            break;
        }
        chain.push(e);
        node = parent(e);
    }
    let mut path = node
        .and_then(|e| cache.get(&e.id()).cloned())
        .unwrap_or_default();
    for e in chain.into_iter().rev() {
        let mut classes = stable_classes(e);
        classes.sort_unstable();
        path.push('>');
        path.push_str(e.value().name());
        if let Some(id) = e.value().id().filter(|id| is_stable_class(id)) {
            path.push('#');
            path.push_str(id);
        }
        for class in classes {
            path.push('.');
            path.push_str(class);
        }
        cache.insert(e.id(), path.clone());
    }
    format!("{path}>{}", element.value().name())
}

/// Whether a block sits in page chrome: `aside`, `nav`, `header`, `footer`, a sidebar, menu or
/// share class or id, or under a « most read », « recent posts » heading.
pub fn in_chrome(element: ElementRef) -> bool {
    let mut node = parent(element);
    let mut level = 0;
    while let Some(ancestor) = node {
        let value = ancestor.value();
        if matches!(value.name(), "body" | "html") {
            break;
        }
        if matches!(value.name(), "aside" | "nav" | "footer" | "header")
            || value.attr("class").is_some_and(links::is_chrome_name)
            || value.id().is_some_and(links::is_chrome_name)
            || (level < 3 && titled_as_chrome(ancestor))
        {
            return true;
        }
        level += 1;
        node = parent(ancestor);
    }
    false
}

/// A heading just before `block`, or opening it, says it is a most-read or related block.
fn titled_as_chrome(block: ElementRef) -> bool {
    let before = block.prev_siblings().filter_map(ElementRef::wrap).take(2);
    let first = block.children().filter_map(ElementRef::wrap).take(1);
    before
        .chain(first)
        .any(|e| is_heading(e) && links::is_chrome_heading(&text_of(e)))
}

/// Whether an element gives a date of at least a day, by its text or a date attribute.
fn date_attribute(element: ElementRef, tz: chrono_tz::Tz) -> Option<&'static str> {
    ["datetime", "content", "title"].into_iter().find(|attr| {
        element
            .value()
            .attr(attr)
            .is_some_and(|v| reads_date(v, tz))
    })
}

fn reads_date(text: &str, tz: chrono_tz::Tz) -> bool {
    parse_page_date(text, tz).is_some_and(|(_, precision)| precision >= Precision::Day)
}

/// The element of `item` that gives its date: a `time`, else the smallest element outside
/// the title link whose short text or date attribute reads as a day.
pub fn date_element<'a>(
    item: ElementRef<'a>,
    anchor: ElementRef<'a>,
    tz: chrono_tz::Tz,
) -> Option<ElementRef<'a>> {
    let mut best: Option<(usize, ElementRef)> = None;
    for element in item.descendants().skip(1).filter_map(ElementRef::wrap) {
        if element.value().name() == "time" {
            return Some(element);
        }
        let related = element == anchor
            || anchor.ancestors().any(|a| a.id() == element.id())
            || element.ancestors().any(|a| a.id() == anchor.id());
        if related {
            continue;
        }
        let text = text_of(element);
        let length = text.chars().count();
        let dated = (length <= DATE_MAX_CHARS && reads_date(&text, tz))
            || date_attribute(element, tz).is_some();
        if dated && best.is_none_or(|(l, _)| length < l) {
            best = Some((length, element));
        }
    }
    best.map(|(_, e)| e)
}

/// The selectors of a group; none when no item selector picks exactly its blocks.
pub(super) fn selectors_of(page: &Page, members: &[Member]) -> Option<Selectors> {
    Some(Selectors {
        item: item_selector(page, members)?,
        link: link_selector(page, members)?,
        title: title_selector(members),
        date: date_selector(page, members),
        ..Selectors::default()
    })
}

fn item_selector(page: &Page, members: &[Member]) -> Option<String> {
    let first = members[0].element;
    let tag = first.value().name();
    let mut common = stable_classes(first);
    common.retain(|c| {
        members
            .iter()
            .all(|m| m.element.value().classes().any(|x| x == *c))
    });
    // The shortest class reads best (`blog-item`, not `com-content-category-blog__item`).
    common.sort_by_key(|c| c.len());
    let mut candidates: Vec<String> = common.iter().map(|c| format!("{tag}.{c}")).collect();
    let parent_tag = parent(first).map(|p| p.value().name().to_string());
    for scope in scopes_of(first) {
        candidates.extend(common.iter().map(|c| format!("{scope} {tag}.{c}")));
        candidates.push(format!("{scope} {tag}"));
        candidates.push(format!("{scope} > {tag}"));
        if let Some(up) = &parent_tag {
            candidates.push(format!("{scope} > {up} > {tag}"));
        }
    }
    let members: HashSet<NodeId> = members.iter().map(|m| m.element.id()).collect();
    candidates
        .into_iter()
        .find(|css| selects_exactly(page, css, &members))
}

/// How an item's ancestors can be named, nearest first: `#id`, `tag.class`, `tag`.
fn scopes_of(element: ElementRef) -> Vec<String> {
    let mut scopes = Vec::new();
    let mut node = parent(element);
    for _ in 0..MAX_SCOPE_DEPTH {
        let Some(ancestor) = node else { break };
        let value = ancestor.value();
        if matches!(value.name(), "body" | "html") {
            break;
        }
        if let Some(id) = value.id().filter(|id| is_stable_class(id)) {
            scopes.push(format!("#{id}"));
        }
        for class in stable_classes(ancestor).into_iter().take(MAX_SCOPE_CLASSES) {
            scopes.push(format!("{}.{class}", value.name()));
        }
        // Pages without classes: `main li`, `main > ul > li`.
        scopes.push(value.name().to_string());
        node = parent(ancestor);
    }
    scopes
}

/// `css` selects every block of the group, and nothing else that holds a link (the listing
/// parser would read it as an item).
fn selects_exactly(page: &Page, css: &str, members: &HashSet<NodeId>) -> bool {
    let Ok(selector) = Selector::parse(css) else {
        return false;
    };
    let mut found = 0;
    for element in page.root.select(&selector) {
        if members.contains(&element.id()) {
            found += 1;
        } else if element.value().name() == "a" || element.select(anchors()).next().is_some() {
            return false;
        }
    }
    found == members.len()
}

/// Ways to name `target` inside `item`, simplest first: `a`, `span.date`, `h3 a`, `h3.class a`.
fn relative(target: ElementRef, item: ElementRef) -> Vec<String> {
    if target == item {
        return vec![String::new()];
    }
    let tag = target.value().name();
    let classes = stable_classes(target)
        .into_iter()
        .map(|c| format!("{tag}.{c}"));
    // A link, a heading or a `time` reads best bare; a `span` or a `div` by its class.
    let mut out: Vec<String> = if is_heading(target) || matches!(tag, "a" | "time") {
        std::iter::once(tag.to_string()).chain(classes).collect()
    } else {
        classes.chain(std::iter::once(tag.to_string())).collect()
    };
    let mut node = parent(target);
    for _ in 0..3 {
        let Some(up) = node.filter(|e| *e != item) else {
            break;
        };
        let name = up.value().name();
        out.push(format!("{name} {tag}"));
        out.extend(
            stable_classes(up)
                .iter()
                .map(|c| format!("{name}.{c} {tag}")),
        );
        node = parent(up);
    }
    out
}

fn link_selector(page: &Page, members: &[Member]) -> Option<String> {
    let anchor = page.links[members[0].primary].anchor;
    relative(anchor, members[0].element)
        .into_iter()
        .map(|css| format!("{css}@href"))
        .find(|spec| {
            let Ok(field) = Field::parse(spec) else {
                return false;
            };
            share(members, |m| {
                field
                    .read(m.element, None)
                    .and_then(|href| web_link(&href, &page.base))
                    .and_then(|url| canonical_url(url.as_str(), None))
                    .is_some_and(|url| url == page.links[m.primary].canonical)
            }) >= AGREEMENT
        })
}

fn title_selector(members: &[Member]) -> Option<String> {
    let first = &members[0];
    let targets = first.heading.into_iter().chain(
        first
            .element
            .select(anchors())
            .find(|a| text_of(*a) == first.title),
    );
    for target in targets {
        for css in relative(target, first.element) {
            let Ok(field) = Field::parse(&css) else {
                continue;
            };
            let agree = share(members, |m| {
                field.read(m.element, None).as_deref() == Some(m.title.as_str())
            });
            if !css.is_empty() && agree >= AGREEMENT {
                return Some(css);
            }
        }
    }
    None
}

fn date_selector(page: &Page, members: &[Member]) -> Option<String> {
    let dated: Vec<&Member> = members.iter().filter(|m| m.date.is_some()).collect();
    if (dated.len() as f64) < DATE_SHARE * members.len() as f64 {
        return None;
    }
    let (item, target) = (dated[0].element, dated[0].date?);
    let mut specs = Vec::new();
    for css in relative(target, item) {
        if let Some(attr) = date_attribute(target, page.tz) {
            specs.push(format!("{css}@{attr}"));
        }
        specs.push(css);
    }
    specs.into_iter().find(|spec| {
        let Ok(field) = Field::parse(spec) else {
            return false;
        };
        let reads = dated
            .iter()
            .filter(|m| {
                field
                    .read(m.element, None)
                    .is_some_and(|t| reads_date(&t, page.tz))
            })
            .count();
        !spec.is_empty() && reads as f64 >= AGREEMENT * dated.len() as f64
    })
}

/// The selector of the link to the next page of the listing, when the page has one.
pub(super) fn next_selector(page: &Page) -> Option<String> {
    let candidates = Selector::parse("a[href], link[rel][href]").ok()?;
    let page_url = canonical_url(page.url.as_str(), None);
    let mut ranked: Vec<(u8, ElementRef, String)> = Vec::new();
    for element in page.root.select(&candidates) {
        let value = element.value();
        let rel_next = value
            .attr("rel")
            .is_some_and(|r| r.split_ascii_whitespace().any(|r| r == "next"));
        let named = value.attr("class").is_some_and(links::is_next_name)
            || parent(element)
                .and_then(|p| p.value().attr("class"))
                .is_some_and(links::is_next_name);
        let rank = match (rel_next, named, links::is_next_text(&text_of(element))) {
            (true, _, _) => 0,
            (_, true, _) => 1,
            (_, _, true) => 2,
            _ => continue,
        };
        let Some(url) = value
            .attr("href")
            .and_then(|h| web_link(h, &page.base))
            .filter(|u| links::site(u) == links::site(&page.url))
            .and_then(|u| canonical_url(u.as_str(), None))
            .filter(|u| Some(u) != page_url.as_ref())
        else {
            continue;
        };
        ranked.push((rank, element, url));
    }
    ranked.sort_by_key(|(rank, _, _)| *rank);
    ranked
        .into_iter()
        .find_map(|(_, element, url)| next_css(page, element, &url))
}

fn next_css(page: &Page, element: ElementRef, url: &str) -> Option<String> {
    let tag = element.value().name();
    let mut specs = Vec::new();
    if let Some(rel) = element.value().attr("rel") {
        specs.push(if rel.trim() == "next" {
            format!("{tag}[rel=next]")
        } else {
            format!("{tag}[rel~=next]")
        });
    }
    let classes = stable_classes(element);
    let (named, others): (Vec<&str>, Vec<&str>) =
        classes.into_iter().partition(|c| links::is_next_name(c));
    specs.extend(named.iter().chain(&others).map(|c| format!("{tag}.{c}")));
    if let Some(up) = parent(element) {
        let name = up.value().name();
        specs.extend(
            stable_classes(up)
                .iter()
                .map(|c| format!("{name}.{c} {tag}")),
        );
    }
    specs.into_iter().find(|spec| {
        Field::parse(spec).is_ok_and(|field| {
            field
                .read(page.root, Some("href"))
                .and_then(|href| web_link(&href, &page.base))
                .and_then(|u| canonical_url(u.as_str(), None))
                .is_some_and(|u| u == url)
        })
    })
}
