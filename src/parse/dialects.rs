//! Feed dialects feed-rs does not read, rewritten into ones it does before it parses: Atom 0.3
//! (`http://purl.org/atom/ns#`, `issued`/`modified`/`tagline`/`copyright`), RSS 2.0 under a
//! default namespace (Userland's `http://backend.userland.com/rss2`, which feed-rs takes for an
//! unknown vocabulary and reads no item of), and JSON Feeds with off-spec fields (a `version`
//! written with `http://`, `tags` as a string, an `id` as a number), which feed-rs refuses whole.
//! Pure: text in, text out, borrowed when there is nothing to rewrite.

use serde_json::{Map, Value};
use std::borrow::Cow;

const ATOM03_NAMESPACE: &str = "http://purl.org/atom/ns#";
const ATOM_NAMESPACE: &str = "http://www.w3.org/2005/Atom";
/// The JSON Feed version feed-rs reads (it accepts any `https://jsonfeed.org/version/1…`).
const JSON_FEED_VERSION: &str = "https://jsonfeed.org/version/1.1";

/// The XML text in a dialect feed-rs reads.
pub fn rewrite_xml(text: &str) -> Cow<'_, str> {
    let mut text = atom03_as_atom1(text);
    if let Some(stripped) = strip_rss_default_namespace(&text) {
        text = Cow::Owned(stripped);
    }
    if let Some(wrapped) = rss_channel(&text) {
        text = Cow::Owned(wrapped);
    }
    if let Some(linked) = rss1_links(&text) {
        text = Cow::Owned(linked);
    }
    text
}

/// An `<rss>` document without `<channel>` (an empty feed, or items straight under the root),
/// with one around its content: feed-rs reads no RSS without it.
fn rss_channel(text: &str) -> Option<String> {
    if text.contains("<channel") {
        return None;
    }
    let start = text.find("<rss")?;
    if !text.as_bytes().get(start + 4)?.is_ascii_whitespace() && text.as_bytes()[start + 4] != b'>'
    {
        return None;
    }
    let open_end = start + text[start..].find('>')? + 1;
    if text[..open_end].ends_with("/>") {
        let tag = &text[..open_end - 2];
        return Some(format!(
            "{tag}><channel></channel></rss>{}",
            &text[open_end..]
        ));
    }
    let close = text.rfind("</rss")?;
    (close >= open_end).then(|| {
        format!(
            "{}<channel>{}</channel>{}",
            &text[..open_end],
            &text[open_end..close],
            &text[close..]
        )
    })
}

/// RSS 1.0 (or 0.90) items without a `<link>`, given one: feed-rs leaves such items out. The
/// item's `rdf:about` is its address; without one the link is a placeholder that is no URL
/// veille keeps (`veille:no-link`), so the item stands by its title.
fn rss1_links(text: &str) -> Option<String> {
    if !text.contains("<rdf:RDF") && !text.contains(":RDF") {
        return None;
    }
    static ABOUT: std::sync::OnceLock<regex::Regex> = std::sync::OnceLock::new();
    let about = ABOUT.get_or_init(|| {
        regex::Regex::new(r#"\brdf:about\s*=\s*("[^"]*"|'[^']*')"#).expect("valid regex")
    });
    let mut out = String::with_capacity(text.len());
    let mut copied = 0;
    let mut from = 0;
    while let Some(found) = text[from..].find("<item") {
        let start = from + found;
        let Some(tag_end) = text[start..].find('>').map(|e| start + e + 1) else {
            break;
        };
        from = tag_end;
        let tag = &text[start..tag_end];
        let after_name = tag.as_bytes().get(5).copied().unwrap_or(b'>');
        if tag.ends_with("/>") || !(after_name.is_ascii_whitespace() || after_name == b'>') {
            continue;
        }
        let inner_end = text[tag_end..]
            .find("</item")
            .map_or(text.len(), |e| tag_end + e);
        if text[tag_end..inner_end].contains("<link") {
            continue;
        }
        let link = about
            .captures(tag)
            .map(|c| c[1].trim_matches(['"', '\'']).to_string())
            .filter(|l| !l.trim().is_empty())
            .unwrap_or_else(|| "veille:no-link".to_string());
        out.push_str(&text[copied..tag_end]);
        out.push_str(&format!("<link>{link}</link>"));
        copied = tag_end;
    }
    (copied > 0).then(|| {
        out.push_str(&text[copied..]);
        out
    })
}

/// Atom 0.3 as Atom 1.0: the namespace, and the elements 1.0 renamed. A 0.3 `created` date is
/// left out: `issued` is the publication date of 0.3, as `modified` is its update.
fn atom03_as_atom1(text: &str) -> Cow<'_, str> {
    if !text.contains(ATOM03_NAMESPACE) {
        return Cow::Borrowed(text);
    }
    static ELEMENTS: std::sync::OnceLock<regex::Regex> = std::sync::OnceLock::new();
    let elements = ELEMENTS.get_or_init(|| {
        regex::Regex::new(r"<(/?)((?:[A-Za-z_][\w.-]*:)?)(issued|modified|tagline|copyright)\b")
            .expect("valid regex")
    });
    let renamed = text.replace(ATOM03_NAMESPACE, ATOM_NAMESPACE);
    let renamed = elements.replace_all(&renamed, |caps: &regex::Captures| {
        let name = match &caps[3] {
            "issued" => "published",
            "modified" => "updated",
            "tagline" => "subtitle",
            _ => "rights",
        };
        format!("<{}{}{name}", &caps[1], &caps[2])
    });
    Cow::Owned(renamed.into_owned())
}

/// An `<rss>` root that declares a default namespace, without it: RSS 2.0 has none, and under
/// one feed-rs sees no RSS element at all.
fn strip_rss_default_namespace(text: &str) -> Option<String> {
    let start = text.find("<rss")?;
    let after = text.as_bytes().get(start + 4)?;
    if !(after.is_ascii_whitespace() || *after == b'>') {
        return None;
    }
    let end = start + text[start..].find('>')?;
    static DEFAULT_NS: std::sync::OnceLock<regex::Regex> = std::sync::OnceLock::new();
    let default_ns = DEFAULT_NS.get_or_init(|| {
        regex::Regex::new(r#"\s+xmlns\s*=\s*("[^"]*"|'[^']*')"#).expect("valid regex")
    });
    let tag = &text[start..end];
    let found = default_ns.find(tag)?;
    Some(format!(
        "{}{}{}{}",
        &text[..start],
        &tag[..found.start()],
        &tag[found.end()..],
        &text[end..]
    ))
}

/// A JSON Feed with every field of the wrong type left out (the rest of its item kept), so
/// that one odd field never costs the feed; `None` when the text is not a JSON object.
/// Also the number of items the document holds (objects or not).
pub fn lenient_json_feed(text: &str) -> Option<(String, usize)> {
    if !text.trim_start().starts_with('{') {
        return None;
    }
    let Value::Object(mut feed) = serde_json::from_str::<Value>(text).ok()? else {
        return None;
    };
    let items = match feed.remove("items") {
        Some(Value::Array(items)) => items,
        _ => Vec::new(),
    };
    let count = items.len();
    let version = feed.get("version").and_then(Value::as_str).unwrap_or("");
    if !version.starts_with("https://jsonfeed.org/version/1") {
        // `http://jsonfeed.org/version/1`, or none: the document is read as the version we know.
        feed.insert("version".into(), JSON_FEED_VERSION.into());
    }
    keep_strings(
        &mut feed,
        &[
            "home_page_url",
            "feed_url",
            "language",
            "description",
            "icon",
            "favicon",
        ],
    );
    if !feed.get("title").is_some_and(Value::is_string) {
        feed.insert("title".into(), Value::String(String::new()));
    }
    lenient_authors(&mut feed);
    let items: Vec<Value> = items
        .into_iter()
        .filter_map(|item| match item {
            Value::Object(mut item) => {
                lenient_item(&mut item);
                Some(Value::Object(item))
            }
            _ => None,
        })
        .collect();
    feed.insert("items".into(), Value::Array(items));
    Some((Value::Object(feed).to_string(), count))
}

fn lenient_item(item: &mut Map<String, Value>) {
    // An id written as a number is still the item's id.
    if let Some(id) = item
        .get("id")
        .filter(|v| v.is_number())
        .map(Value::to_string)
    {
        item.insert("id".into(), Value::String(id));
    }
    keep_strings(
        item,
        &[
            "id",
            "url",
            "external_url",
            "title",
            "content_html",
            "content_text",
            "summary",
            "date_published",
            "date_modified",
        ],
    );
    lenient_authors(item);
    if let Some(tags) = item.get_mut("tags") {
        match tags {
            Value::Array(list) => list.retain(Value::is_string),
            _ => {
                item.remove("tags");
            }
        }
    }
    if let Some(attachments) = item.get_mut("attachments") {
        match attachments {
            Value::Array(list) => list.retain(|a| {
                a.get("url").is_some_and(Value::is_string)
                    && a.get("mime_type").is_some_and(Value::is_string)
                    && a.get("title").is_none_or(Value::is_string)
                    && a.get("size_in_bytes").is_none_or(Value::is_u64)
            }),
            _ => {
                item.remove("attachments");
            }
        }
    }
}

/// `author` kept when it is an object, `authors` when an array (of objects only), each with
/// its `name` and `url` kept when they are strings.
fn lenient_authors(object: &mut Map<String, Value>) {
    match object.get_mut("author") {
        Some(Value::Object(author)) => keep_strings(author, &["name", "url"]),
        Some(_) => {
            object.remove("author");
        }
        None => {}
    }
    match object.get_mut("authors") {
        Some(Value::Array(authors)) => {
            authors.retain(Value::is_object);
            for author in authors.iter_mut() {
                if let Value::Object(author) = author {
                    keep_strings(author, &["name", "url"]);
                }
            }
        }
        Some(_) => {
            object.remove("authors");
        }
        None => {}
    }
}

/// Each of `keys` stays only if it is a string (a JSON `null` goes too: feed-rs reads it as none).
fn keep_strings(object: &mut Map<String, Value>, keys: &[&str]) {
    for key in keys {
        if object.get(*key).is_some_and(|v| !v.is_string()) {
            object.remove(*key);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn atom03_becomes_atom1() {
        let text = r#"<feed version="0.3" xmlns="http://purl.org/atom/ns#"><tagline>t</tagline><entry><issued>2026-11-20T10:00:00Z</issued><modified>2026-11-21T10:00:00Z</modified></entry></feed>"#;
        let out = rewrite_xml(text);
        assert!(
            out.contains(r#"xmlns="http://www.w3.org/2005/Atom""#),
            "{out}"
        );
        assert!(out.contains("<subtitle>t</subtitle>"), "{out}");
        assert!(
            out.contains("<published>2026-11-20T10:00:00Z</published>"),
            "{out}"
        );
        assert!(
            out.contains("<updated>2026-11-21T10:00:00Z</updated>"),
            "{out}"
        );
    }

    #[test]
    fn a_default_namespace_on_rss_is_left_out() {
        let text = r#"<?xml version="1.0"?><rss xmlns="http://backend.userland.com/rss2" version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/"><channel/></rss>"#;
        assert_eq!(
            rewrite_xml(text),
            r#"<?xml version="1.0"?><rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/"><channel/></rss>"#
        );
        let plain =
            r#"<rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/"><channel/></rss>"#;
        assert!(matches!(rewrite_xml(plain), Cow::Borrowed(_)));
    }

    #[test]
    fn rss_without_a_channel_and_rss1_items_without_a_link_are_readable() {
        assert_eq!(
            rewrite_xml(r#"<rss version="2.0"><item><title>A</title></item></rss>"#),
            r#"<rss version="2.0"><channel><item><title>A</title></item></channel></rss>"#
        );
        assert_eq!(
            rewrite_xml(r#"<rss version="2.0" />"#),
            r#"<rss version="2.0" ><channel></channel></rss>"#
        );
        let rdf = r#"<rdf:RDF xmlns:rdf="r"><item rdf:about="http://e.org/1"><title>A</title></item><item><title>B</title></item><item><link>l</link></item><item/></rdf:RDF>"#;
        assert_eq!(
            rewrite_xml(rdf),
            r#"<rdf:RDF xmlns:rdf="r"><item rdf:about="http://e.org/1"><link>http://e.org/1</link><title>A</title></item><item><link>veille:no-link</link><title>B</title></item><item><link>l</link></item><item/></rdf:RDF>"#
        );
    }

    #[test]
    fn json_fields_of_the_wrong_type_are_left_out() {
        let text = r#"{"version": "http://jsonfeed.org/version/1", "title": "T", "items": [
            {"id": 7, "title": "A", "tags": "libre", "author": "Awa", "url": "https://e.org/a"},
            "not an item"]}"#;
        let (out, count) = lenient_json_feed(text).unwrap();
        assert_eq!(count, 2);
        let value: Value = serde_json::from_str(&out).unwrap();
        assert_eq!(value["version"], JSON_FEED_VERSION);
        assert_eq!(value["items"].as_array().map(Vec::len), Some(1));
        let item = &value["items"][0];
        assert_eq!(item["id"], "7");
        assert_eq!(item["title"], "A");
        assert!(item.get("tags").is_none() && item.get("author").is_none());
        assert!(lenient_json_feed("<rss/>").is_none());
    }
}
