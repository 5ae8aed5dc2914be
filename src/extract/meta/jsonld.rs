//! JSON-LD blocks of a page → what they say about the article: headline, dates, authors and
//! publisher. Reads schema.org as pages write it: one object, an array, an `@graph`, a
//! `mainEntity`; `author` as a string, an object, an array or an `@id` reference. Invalid JSON is
//! retried once without raw control characters; a block that still fails gives its
//! `datePublished` to a plain search, nothing else.

use regex::Regex;
use serde_json::Value;
use std::collections::HashMap;
use std::sync::OnceLock;

/// A block larger than this is not parsed: no article needs a megabyte of metadata.
const MAX_BLOCK_BYTES: usize = 1 << 20;
/// How deep the walk goes into nested objects (`@graph` → `mainEntity` → …).
const MAX_DEPTH: usize = 6;
/// How many authors one article may list.
const MAX_AUTHORS: usize = 10;

/// schema.org types that are an article (or a page's main creative work) rather than the site.
const ARTICLE_TYPES: &[&str] = &[
    "article",
    "newsarticle",
    "blogposting",
    "reportagenewsarticle",
    "analysisnewsarticle",
    "opinionnewsarticle",
    "backgroundnewsarticle",
    "reviewnewsarticle",
    "liveblogposting",
    "techarticle",
    "scholarlyarticle",
    "socialmediaposting",
    "discussionforumposting",
    "report",
    "review",
    "posting",
    "creativework",
    "recipe",
    "videoobject",
    "event",
];
/// Types of a page that may carry the article's dates when no article object does.
const PAGE_TYPES: &[&str] = &[
    "webpage",
    "itempage",
    "aboutpage",
    "collectionpage",
    "qapage",
];

/// What the page's JSON-LD says; empty when it has none.
#[derive(Debug, Default)]
pub struct LinkedData {
    pub headline: Option<String>,
    pub published: Option<String>,
    pub modified: Option<String>,
    pub authors: Vec<String>,
    /// The publisher's or the web site's name, to strip from titles and to refuse as an author.
    pub site_names: Vec<String>,
}

/// Read every `<script type="application/ld+json">` of the page, the first article first.
pub fn read<'a>(blocks: impl Iterator<Item = String> + 'a) -> LinkedData {
    let mut nodes: Vec<Value> = Vec::new();
    let mut fallback_published = None;
    for text in blocks {
        if text.len() > MAX_BLOCK_BYTES {
            continue;
        }
        match parse_lenient(&text) {
            Some(value) => nodes.push(value),
            None => {
                fallback_published = fallback_published.or_else(|| search_published(&text));
            }
        }
    }
    let mut objects = Vec::new();
    for node in &nodes {
        collect(node, 0, &mut objects);
    }
    let names_by_id: HashMap<&str, String> = objects
        .iter()
        .filter_map(|o| Some((o.get("@id")?.as_str()?, name_of_map(o)?)))
        .collect();
    let article = objects.iter().find(|o| has_type(o, ARTICLE_TYPES));
    let page = objects.iter().find(|o| has_type(o, PAGE_TYPES));
    let mut data = LinkedData::default();
    if let Some(article) = article {
        data.headline = string_field(article, "headline").or_else(|| string_field(article, "name"));
        data.authors = authors(article, &names_by_id);
    }
    let dated = |key: &str| {
        article
            .and_then(|a| string_field(a, key))
            .or_else(|| page.and_then(|p| string_field(p, key)))
    };
    data.published = dated("datePublished")
        .or_else(|| dated("dateCreated"))
        .or_else(|| dated("uploadDate"))
        .or(fallback_published);
    data.modified = dated("dateModified");
    if data.authors.is_empty() {
        if let Some(page) = page {
            data.authors = authors(page, &names_by_id);
        }
    }
    for object in &objects {
        if has_type(
            object,
            &["website", "organization", "newsmediaorganization"],
        ) {
            data.site_names.extend(name_of_map(object));
        }
        if let Some(publisher) = object.get("publisher") {
            data.site_names.extend(name_of(publisher));
        }
    }
    data
}

fn parse_lenient(text: &str) -> Option<Value> {
    let text = text.trim();
    let text = text
        .strip_prefix("<!--")
        .map_or(text, |t| t.trim_end().trim_end_matches("-->"));
    if let Ok(value) = serde_json::from_str(text) {
        return Some(value);
    }
    // Raw newlines and tabs inside strings are the most common fault.
    let cleaned: String = text
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    serde_json::from_str(&cleaned).ok()
}

fn search_published(text: &str) -> Option<String> {
    static PUBLISHED: OnceLock<Regex> = OnceLock::new();
    let re = PUBLISHED.get_or_init(|| {
        Regex::new(r#""datePublished"\s*:\s*"([^"]{6,40})""#).expect("valid regex")
    });
    Some(re.captures(text)?.get(1)?.as_str().to_string())
}

/// Every object, in document order: the top ones, the members of arrays and `@graph`, and the
/// objects nested under any key (`mainEntity`, `hasPart`…), down to [`MAX_DEPTH`].
fn collect<'a>(value: &'a Value, depth: usize, out: &mut Vec<&'a serde_json::Map<String, Value>>) {
    if depth > MAX_DEPTH {
        return;
    }
    match value {
        Value::Array(items) => items.iter().for_each(|v| collect(v, depth + 1, out)),
        Value::Object(map) => {
            out.push(map);
            for (key, nested) in map {
                // Authors and publishers are read from their article, not taken as articles.
                if !matches!(key.as_str(), "author" | "creator" | "publisher") {
                    collect(nested, depth + 1, out);
                }
            }
        }
        _ => {}
    }
}

fn has_type(object: &serde_json::Map<String, Value>, types: &[&str]) -> bool {
    let matches = |t: &Value| {
        t.as_str().is_some_and(|t| {
            let t = t
                .rsplit(['/', ':'])
                .next()
                .unwrap_or(t)
                .to_ascii_lowercase();
            types.contains(&t.as_str())
        })
    };
    match object.get("@type") {
        Some(Value::Array(list)) => list.iter().any(matches),
        Some(t) => matches(t),
        None => false,
    }
}

fn string_field(object: &serde_json::Map<String, Value>, key: &str) -> Option<String> {
    let value = match object.get(key)? {
        Value::Array(list) => list.first()?,
        value => value,
    };
    let text = value.as_str()?.trim();
    (!text.is_empty()).then(|| text.to_string())
}

/// The name of a person or organisation given as a string or an object.
fn name_of(value: &Value) -> Option<String> {
    match value {
        Value::String(s) => Some(s.trim().to_string()).filter(|s| !s.is_empty()),
        Value::Object(map) => name_of_map(map),
        _ => None,
    }
}

fn name_of_map(map: &serde_json::Map<String, Value>) -> Option<String> {
    string_field(map, "name").or_else(|| {
        let given = string_field(map, "givenName")?;
        Some(match string_field(map, "familyName") {
            Some(family) => format!("{given} {family}"),
            None => given,
        })
    })
}

fn authors(
    article: &serde_json::Map<String, Value>,
    names_by_id: &HashMap<&str, String>,
) -> Vec<String> {
    let Some(value) = article.get("author").or_else(|| article.get("creator")) else {
        return Vec::new();
    };
    let items: Vec<&Value> = match value {
        Value::Array(list) => list.iter().take(MAX_AUTHORS).collect(),
        value => vec![value],
    };
    let mut persons = Vec::new();
    let mut others = Vec::new();
    for item in items {
        let name = name_of(item).or_else(|| {
            let id = item.get("@id")?.as_str()?;
            names_by_id.get(id).cloned()
        });
        let Some(name) = name else { continue };
        let is_organisation = item.as_object().is_some_and(|o| {
            has_type(o, &["organization", "newsmediaorganization", "corporation"])
        });
        if is_organisation {
            others.push(name);
        } else {
            persons.push(name);
        }
    }
    if persons.is_empty() {
        others
    } else {
        persons
    }
}
