//! Feed bytes (RSS 0.9x/1.0/2.0, Atom, JSON Feed) → a [`ParsedFeed`] of normalised drafts.
//!
//! feed-rs does the format work; this module decides the charset, maps feed-rs' model onto
//! ours and turns its errors into sentences a user can act on. No I/O.

use super::census::{self, Census, ItemFacts};
use super::cutoff;
use super::dialects;
use super::repair::{self, repair_xml};
use crate::charset;
use crate::dates::parse_feed_date;
use crate::model::{ArticleDraft, ParsedFeed};
use crate::normalize::{
    canonical_url, fold_whitespace, html_to_line, html_to_text, repair_mojibake, summarize,
    SUMMARY_MAX_CHARS,
};
use feed_rs::model::{Entry, FeedType, Link};
use feed_rs::parser::{ParseErrorKind, ParseFeedError};
use url::Url;

/// Why a body is not a usable feed, in words.
#[derive(Debug, thiserror::Error)]
pub enum ParseError {
    #[error("malformed XML at line {line}: {detail}")]
    MalformedXml { line: usize, detail: String },
    #[error("malformed XML: {0}")]
    Xml(String),
    #[error("malformed JSON Feed at line {line}: {detail}")]
    MalformedJson { line: usize, detail: String },
    #[error("not a feed: {0}")]
    NotAFeed(String),
    #[error("empty body: the server sent no content")]
    Empty,
    #[error("the feed holds {held} items but none could be read (a format or namespace veille does not know?): please report it with the feed attached")]
    NoItemRead { held: usize },
}

/// Parse a feed body. `content_type` is the HTTP header if known; `base` is the URL the body was
/// fetched from, against which relative links are resolved.
pub fn parse_feed(
    body: &[u8],
    content_type: Option<&str>,
    base: &Url,
) -> Result<ParsedFeed, ParseError> {
    if body.iter().all(u8::is_ascii_whitespace) {
        return Err(ParseError::Empty);
    }
    let http_charset = content_type.and_then(charset::charset_of_content_type);
    let decoded = charset::decode(body, http_charset);
    let utf8 = charset::declare_utf8(repair::after_leading_junk(&decoded.text));
    let Prepared {
        text,
        census,
        cut_off_at,
    } = prepare(&utf8);
    let feed = parse_document(&text, base)?;
    let format = feed.feed_type.clone();
    let site_url = feed
        .links
        .iter()
        .find(|l| is_alternate(l))
        .and_then(|l| canonical_url(&l.href, Some(base)));
    let read = feed.entries.len();
    let held = census.as_ref().map_or(read, Census::held);
    if read == 0 && held > 0 {
        return Err(ParseError::NoItemRead { held });
    }
    // The census and feed-rs see the same items in the same order when they count as many.
    let facts = census
        .map(|c| c.items)
        .filter(|c| c.len() == read)
        .unwrap_or_default();
    let mut facts = facts.into_iter();
    let items: Vec<ArticleDraft> = feed
        .entries
        .into_iter()
        .map(|entry| draft(entry, base, facts.next().as_ref(), &format))
        // An item with no title, no link and no text carries nothing to keep.
        .filter(|d| !(d.title.is_empty() && d.url.is_none() && d.text.is_empty()))
        .collect();
    let mut warnings = Vec::new();
    if let Some(line) = cut_off_at {
        warnings.push(format!(
            "the feed breaks off at line {line} (cut off in transfer?): only the items before it were read"
        ));
    }
    if held > read {
        warnings.push(format!(
            "the feed holds {held} items, {} of them could not be read",
            held - read
        ));
    }
    if items.is_empty() {
        warnings.push(match read {
            0 => "the feed lists no item".to_string(),
            n => format!("none of its {n} items has a title, a link or a text"),
        });
    }
    Ok(ParsedFeed {
        title: feed
            .title
            .map(|t| html_to_line(&t.content))
            .filter(|t| !t.is_empty()),
        site_url,
        items,
        warnings,
    })
}

/// A decoded document ready for feed-rs: the text, its census, and the line it breaks off at
/// if it was cut off and mended.
struct Prepared {
    text: String,
    census: Option<Census>,
    cut_off_at: Option<usize>,
}

/// JSON Feeds made lenient; XML repaired, rewritten from the dialects feed-rs does not read,
/// and, when it does not read as XML, with HTML's void elements closed, or, when it breaks off
/// before its end, cut back to its last complete item.
fn prepare(utf8: &str) -> Prepared {
    if let Some((json, count)) = dialects::lenient_json_feed(utf8) {
        let items = vec![ItemFacts::default(); count];
        return Prepared {
            text: json,
            census: Some(Census { items, root: None }),
            cut_off_at: None,
        };
    }
    let text = dialects::rewrite_xml(&repair_xml(utf8)).into_owned();
    let census = census::census(&text);
    let closed = census
        .is_none()
        .then(|| repair::close_void_elements(&text))
        .flatten()
        .and_then(|closed| Some((census::census(&closed)?, closed)));
    if let Some((census, text)) = closed {
        return Prepared {
            text,
            census: Some(census),
            cut_off_at: None,
        };
    }
    match census.is_none().then(|| cutoff::mend(&text)).flatten() {
        Some(mended) => Prepared {
            census: census::census(&mended.text),
            text: mended.text,
            cut_off_at: Some(mended.line),
        },
        None => Prepared {
            text,
            census,
            cut_off_at: None,
        },
    }
}

/// feed-rs on the text, with the retries that make the dialects it refuses readable.
fn parse_document(text: &str, base: &Url) -> Result<feed_rs::model::Feed, ParseError> {
    let parser = feed_rs::parser::Builder::new()
        .base_uri(Some(base.as_str()))
        // An empty id tells us the source gave none; feed-rs would otherwise invent a random one.
        .id_generator(|_, _, _| String::new())
        .timestamp_parser(parse_feed_date)
        .build();
    let retry = |fixed: &str| parser.parse(fixed.as_bytes()).map_err(|e| explain(e, text));
    Ok(match parser.parse(text.as_bytes()) {
        // RSS 0.90 is RSS 1.0 under another namespace: feed-rs finds no item in it.
        Ok(feed) if feed.entries.is_empty() && text.contains(RSS090_NAMESPACE) => {
            retry(&text.replace(RSS090_NAMESPACE, RSS1_NAMESPACE))?
        }
        Ok(feed) => feed,
        // feed-rs only knows RSS versions 0.91, 0.92 and 2.0: read any other `<rss>` as 2.0.
        Err(ParseFeedError::ParseError(ParseErrorKind::NoFeedRoot)) if has_rss_root(text) => {
            retry(&as_rss2(text))?
        }
        // feed-rs refuses a whole feed over one text construct of an unknown type.
        Err(ParseFeedError::ParseError(ParseErrorKind::UnknownMimeType(_))) => {
            retry(&with_text_types(text))?
        }
        Err(e) => return Err(explain(e, text)),
    })
}

const RSS090_NAMESPACE: &str = "http://my.netscape.com/rdf/simple/0.9/";
const RSS1_NAMESPACE: &str = "http://purl.org/rss/1.0/";

/// Atom text constructs with a `type` feed-rs refuses, made readable: a base64 document (RFC 4287
/// §3.1.1.3) is decoded as HTML; any other type (`text/plain`, empty…) is read as plain text, so
/// one odd element never costs the whole feed.
fn with_text_types(text: &str) -> String {
    use base64::Engine;
    static TYPED: std::sync::OnceLock<regex::Regex> = std::sync::OnceLock::new();
    let typed = TYPED.get_or_init(|| {
        regex::Regex::new(r#"(<(?:[a-z]+:)?(?:title|subtitle|summary|rights)\b[^>]*?\btype\s*=\s*)("[^"]*"|'[^']*')([^>]*>)([^<]*)<"#)
            .expect("valid regex")
    });
    typed
        .replace_all(text, |caps: &regex::Captures| {
            let value = caps[2].trim_matches(['"', '\'']);
            if matches!(value, "text" | "html" | "xhtml" | "text/html") {
                return caps[0].to_string();
            }
            let (start, end, content) = (&caps[1], &caps[3], &caps[4]);
            let compact: String = content.split_whitespace().collect();
            let decoded = base64::engine::general_purpose::STANDARD
                .decode(compact.as_bytes())
                .ok()
                .and_then(|bytes| String::from_utf8(bytes).ok())
                .filter(|_| !value.starts_with("text/"));
            match decoded {
                Some(html) => {
                    let escaped = html.replace('&', "&amp;").replace('<', "&lt;");
                    format!("{start}\"html\"{end}{escaped}<")
                }
                None => format!("{start}\"text\"{end}{content}<"),
            }
        })
        .into_owned()
}

fn has_rss_root(text: &str) -> bool {
    text.find("<rss").is_some_and(|i| {
        text.as_bytes()
            .get(i + 4)
            .is_some_and(|b| b.is_ascii_whitespace() || *b == b'>')
    })
}

/// The text with its `<rss …>` start tag declaring version 2.0.
fn as_rss2(text: &str) -> String {
    let Some(start) = text.find("<rss") else {
        return text.to_string();
    };
    let Some(end) = text[start..].find('>').map(|e| start + e) else {
        return text.to_string();
    };
    let tag = &text[start + 4..end];
    let version = regex::Regex::new(r#"\bversion\s*=\s*("[^"]*"|'[^']*')"#).expect("valid regex");
    let attributes = version.replace(tag, "");
    format!(
        "{}<rss version=\"2.0\"{attributes}{}",
        &text[..start],
        &text[end..]
    )
}

fn is_alternate(link: &Link) -> bool {
    matches!(link.rel.as_deref(), None | Some("alternate"))
}

/// One entry as a draft. `facts` are the census's of the same item, if it could be matched.
fn draft(entry: Entry, base: &Url, facts: Option<&ItemFacts>, format: &FeedType) -> ArticleDraft {
    let guid = Some(entry.id.trim().to_string()).filter(|id| !id.is_empty());
    let url = item_url(&entry, guid.as_deref(), facts, base, format);
    let repaired = |s: String| repair_mojibake(&s).into_owned();
    let content = entry
        .content
        .and_then(|c| c.body)
        .or_else(|| facts.and_then(|f| f.body_html.clone()))
        .map(|b| repaired(html_to_text(&b)));
    let summary = entry
        .summary
        .map(|s| s.content)
        .or_else(|| facts.and_then(|f| f.dc_description.clone()))
        .map(|s| repaired(html_to_text(&s)));
    let text = content
        .clone()
        .filter(|c| !c.is_empty())
        .or_else(|| summary.clone())
        .unwrap_or_default();
    let summary = summary
        .filter(|s| !s.is_empty())
        .unwrap_or_else(|| text.clone());
    let title = entry
        .title
        .map(|t| repaired(title_line(&t, format)))
        .filter(|t| !t.is_empty())
        .or_else(|| {
            let f = facts?;
            let other = f.dc_title.as_deref().or(f.media_title.as_deref());
            other.map(html_to_line)
        })
        .filter(|t| !t.is_empty())
        .unwrap_or_else(|| summarize(&text, TITLE_FALLBACK_CHARS));
    let author = entry
        .authors
        .iter()
        .find_map(person_name)
        .or_else(|| facts.and_then(|f| f.author_name.clone()))
        .or_else(|| facts.and_then(|f| f.dc_creator.clone()))
        // Not feed-rs' media credits: an image's credit (« Illustration by… ») is no author.
        .or_else(|| facts.and_then(|f| f.itunes_author.clone()));
    let other_date = || {
        let f = facts?;
        let atom = f.atom_date.as_deref().and_then(parse_feed_date);
        atom.or_else(|| f.other_date.as_deref().and_then(parse_feed_date))
    };
    ArticleDraft {
        guid,
        url,
        title,
        author,
        published: entry.published.or(entry.updated).or_else(other_date),
        published_approximate: false,
        summary: summarize(&summary, SUMMARY_MAX_CHARS),
        text,
    }
}

/// The item's link: its alternate link, else any link, else an Atom link written as text, else
/// a GUID that is a URL (RSS items often carry their permalink only so, `HTTP://` too), else
/// the address of an out-of-line Atom content (`<content src>`; feed-rs also gives RSS content
/// a `src`, the document's base, which is no address of the item).
fn item_url(
    entry: &Entry,
    guid: Option<&str>,
    facts: Option<&ItemFacts>,
    base: &Url,
    format: &FeedType,
) -> Option<String> {
    let text_link = facts.and_then(|f| f.link_text.as_deref());
    let content_src = entry
        .content
        .as_ref()
        .filter(|c| *format == FeedType::Atom && c.body.is_none())
        .and_then(|c| c.src.as_ref())
        .map(|l| l.href.as_str());
    entry
        .links
        .iter()
        .filter(|l| is_alternate(l))
        .chain(entry.links.iter())
        .map(|l| l.href.as_str())
        .chain(text_link)
        // A link escaped twice by its publisher (`&amp;amp;`) has `&amp;` left for `&`.
        .find_map(|href| canonical_url(href.trim().replace("&amp;", "&").as_str(), Some(base)))
        .or_else(|| {
            guid.filter(|g| {
                let scheme = g.get(..8).unwrap_or(g).to_ascii_lowercase();
                scheme.starts_with("http://") || scheme.starts_with("https://")
            })
            .and_then(|g| canonical_url(g, Some(base)))
        })
        .or_else(|| content_src.and_then(|src| canonical_url(src.trim(), Some(base))))
}

/// A title on one line. A plain-text title (JSON Feed, Atom `type="text"`) keeps its angle
/// brackets: « le retour de <i> et <b> » names tags, it holds none.
fn title_line(title: &feed_rs::model::Text, format: &FeedType) -> String {
    let plain = match format {
        FeedType::JSON => true,
        FeedType::Atom => title.content_type.to_string().starts_with("text/plain"),
        _ => false,
    };
    if plain {
        fold_whitespace(&title.content)
    } else {
        html_to_line(&title.content)
    }
}

/// A person's name. RSS `<author>` holds "email (Name)" or a bare name; feed-rs puts it in
/// `email` and names the person after the element.
fn person_name(person: &feed_rs::model::Person) -> Option<String> {
    // feed-rs names a person "unknown" when the feed gave an empty name.
    let name = Some(html_to_line(&person.name))
        .filter(|n| n != "unknown")
        .unwrap_or_default();
    let from_email = || {
        let email = html_to_line(person.email.as_deref()?);
        // "marc@gsm.fr (Marc Jacob)" names Marc Jacob; "know how (news)" is a name as it is.
        let inner = email
            .split_once('(')
            .filter(|(address, _)| address.contains('@') || address.contains("mailto:"))
            .and_then(|(_, rest)| rest.rsplit_once(')'))
            .map(|(inner, _)| inner.trim().to_string());
        inner.or(Some(email)).filter(|n| !n.is_empty())
    };
    if name.is_empty() || (name == "author" && person.email.is_some()) {
        from_email()
    } else {
        Some(name)
    }
}

/// An item without a title is named by the start of its text.
const TITLE_FALLBACK_CHARS: usize = 80;

fn explain(error: ParseFeedError, text: &str) -> ParseError {
    if looks_like_html(text) {
        return ParseError::NotAFeed(
            "this is an HTML page (its <link rel=\"alternate\"> may name the feed)".into(),
        );
    }
    match error {
        ParseFeedError::ParseError(ParseErrorKind::NoFeedRoot) => match xml_error_at(text) {
            Some((line, detail)) => ParseError::MalformedXml { line, detail },
            None => ParseError::NotAFeed(
                "no RSS, Atom or JSON Feed root element (is this an HTML page?)".into(),
            ),
        },
        ParseFeedError::ParseError(kind) => ParseError::NotAFeed(kind.to_string()),
        ParseFeedError::JsonSerde(e) => ParseError::MalformedJson {
            line: e.line(),
            detail: e.to_string(),
        },
        ParseFeedError::JsonUnsupportedVersion(v) => {
            ParseError::NotAFeed(format!("unsupported JSON Feed version {v}"))
        }
        ParseFeedError::XmlReader(e) => match xml_error_at(text) {
            Some((line, detail)) => ParseError::MalformedXml { line, detail },
            None => ParseError::Xml(e.to_string()),
        },
        ParseFeedError::IoError(e) => ParseError::Xml(e.to_string()),
    }
}

/// How many leading bytes are looked at to recognise an HTML page.
const HTML_SNIFF_WINDOW: usize = 1024;

fn looks_like_html(text: &str) -> bool {
    let end = text.floor_char_boundary(HTML_SNIFF_WINDOW);
    let head = text[..end].to_ascii_lowercase();
    head.contains("<!doctype html") || head.contains("<html")
}

/// Re-read the text with a strict XML tokenizer to say where it breaks: feed-rs does not.
fn xml_error_at(text: &str) -> Option<(usize, String)> {
    let mut reader = quick_xml::Reader::from_str(text);
    loop {
        match reader.read_event() {
            Ok(quick_xml::events::Event::Eof) => return None,
            Ok(_) => {}
            Err(e) => {
                let position = usize::try_from(reader.error_position()).unwrap_or(usize::MAX);
                return Some((super::line_of(text, position), e.to_string()));
            }
        }
    }
}

/// A text this short that ends with an ellipsis is an excerpt, not an article.
const MAX_EXCERPT_CHARS: usize = 1200;

/// Whether every item of a feed carries only an excerpt: a short text ending with « … »,
/// "[…]" or "[...]" (a summary-only WordPress or SPIP feed), so that `full_content` would help.
pub fn excerpts_only(drafts: &[ArticleDraft]) -> bool {
    let excerpt = |d: &ArticleDraft| {
        let text = d.text.trim_end();
        text.chars().count() <= MAX_EXCERPT_CHARS
            && ["…", "[…]", "[...]", "..."]
                .iter()
                .any(|end| text.ends_with(end))
    };
    !drafts.is_empty() && drafts.iter().all(excerpt)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn base() -> Url {
        Url::parse("https://example.org/feed").unwrap()
    }

    #[test]
    fn rss_of_an_unknown_version_is_read_as_rss2() {
        let feed = "<rss version=\"2.00\"><channel><title>T</title><item><title>A</title><link>/a</link></item></channel></rss>";
        let parsed = parse_feed(feed.as_bytes(), None, &base()).unwrap();
        assert_eq!(
            parsed.items[0].url.as_deref(),
            Some("https://example.org/a")
        );
    }

    #[test]
    fn html_entities_and_bare_ampersands_keep_the_title() {
        let feed = "<rss version=\"2.0\"><channel><title>T</title><item><title>S&eacute;curit&eacute; & cloud</title></item></channel></rss>";
        let parsed = parse_feed(feed.as_bytes(), None, &base()).unwrap();
        assert_eq!(parsed.items[0].title, "Sécurité & cloud");
    }

    #[test]
    fn malformed_xml_names_its_line() {
        let feed = "<?xml version=\"1.0\"?>\n<rss version=\"2.0\">\n<channel>\n<title>T</title>\n<item><title>A</title></item>\n</item></channel></rss>";
        let err = parse_feed(feed.as_bytes(), None, &base())
            .unwrap_err()
            .to_string();
        assert!(err.starts_with("malformed XML at line 6"), "{err}");
    }

    #[test]
    fn an_html_page_is_not_a_feed() {
        let err = parse_feed(
            b"<!DOCTYPE html><html><head><link rel=stylesheet></head><body>hi</body></html>",
            None,
            &base(),
        )
        .unwrap_err();
        assert!(err.to_string().starts_with("not a feed"), "{err}");
        assert!(matches!(
            parse_feed(b"  \n", None, &base()),
            Err(ParseError::Empty)
        ));
    }

    #[test]
    fn items_without_guid_have_none_and_without_date_have_no_date() {
        let feed = "<rss version=\"2.0\"><channel><title>T</title><item><title>A</title><link>https://e.org/a?utm_source=x</link></item></channel></rss>";
        let item = &parse_feed(feed.as_bytes(), None, &base()).unwrap().items[0];
        assert_eq!(item.guid, None);
        assert_eq!(item.published, None);
        assert_eq!(item.url.as_deref(), Some("https://e.org/a"));
    }

    #[test]
    fn rss090_items_are_read() {
        let feed = r#"<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://my.netscape.com/rdf/simple/0.9/"><channel><title>heise</title><link>https://heise.de/</link></channel><item><title>Eins</title><link>https://heise.de/1</link></item></rdf:RDF>"#;
        let parsed = parse_feed(feed.as_bytes(), None, &base()).unwrap();
        assert_eq!(parsed.items.len(), 1);
        assert_eq!(parsed.items[0].title, "Eins");
    }

    #[test]
    fn rss_author_gives_the_name() {
        let feed = "<rss version=\"2.0\"><channel><title>T</title><item><title>A</title><link>https://e.org/a</link><author>marc@gsm.fr (Marc Jacob)</author></item><item><title>B</title><link>https://e.org/b</link><author>Peter Baker</author></item><item><title>C</title><link>https://e.org/c</link><author>know how (news)</author></item></channel></rss>";
        let items = parse_feed(feed.as_bytes(), None, &base()).unwrap().items;
        assert_eq!(items[0].author.as_deref(), Some("Marc Jacob"));
        assert_eq!(items[1].author.as_deref(), Some("Peter Baker"));
        assert_eq!(items[2].author.as_deref(), Some("know how (news)"));
    }

    #[test]
    fn odd_atom_text_types_do_not_cost_the_feed() {
        let feed = r#"<feed xmlns="http://www.w3.org/2005/Atom"><title type="text/plain">Flux</title><entry><id>1</id><title type="application/octet-stream">RXhhbXBsZSA8Yj5BdG9tPC9iPg==</title></entry></feed>"#;
        let parsed = parse_feed(feed.as_bytes(), None, &base()).unwrap();
        assert_eq!(parsed.title.as_deref(), Some("Flux"));
        assert_eq!(parsed.items[0].title, "Example Atom");
    }
}
