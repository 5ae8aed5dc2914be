//! The two extractors the body is chosen from, each giving plain text in the module's
//! paragraph format. Owns their options and the input guards that keep them safe.

use crate::normalize::html_to_text;

/// Pages nested deeper than this are refused: the extractors walk the tree recursively and
/// a hostile page could overflow the stack. Real articles stay far below (a few dozen).
const MAX_NESTING: usize = 512;
/// The Readability port stops scoring after this many elements, bounding its time on huge pages.
const MAX_READABILITY_ELEMENTS: usize = 20_000;

/// Whether `html` can be handed to the extractors: not nested beyond [`MAX_NESTING`].
pub fn is_parseable(html: &str) -> bool {
    nesting_depth_at_most(html, MAX_NESTING)
}

/// An over-estimate of element nesting: opening tags minus closing tags, void and
/// self-closed elements ignored. Stops early once `limit` is passed.
fn nesting_depth_at_most(html: &str, limit: usize) -> bool {
    const VOID: [&str; 14] = [
        "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param",
        "source", "track", "wbr",
    ];
    let bytes = html.as_bytes();
    let mut depth: usize = 0;
    let mut i = 0;
    while let Some(offset) = memchr_lt(&bytes[i..]) {
        let start = i + offset + 1;
        i = start;
        let Some(&first) = bytes.get(start) else {
            break;
        };
        if first == b'/' {
            depth = depth.saturating_sub(1);
            continue;
        }
        if !first.is_ascii_alphabetic() {
            continue;
        }
        let name_end = bytes[start..]
            .iter()
            .position(|b| !b.is_ascii_alphanumeric())
            .map_or(bytes.len(), |n| start + n);
        let name = &html[start..name_end];
        if VOID.iter().any(|v| v.eq_ignore_ascii_case(name)) {
            continue;
        }
        let self_closed = bytes[name_end..]
            .iter()
            .position(|&b| b == b'>')
            .is_some_and(|n| n > 0 && bytes[name_end + n - 1] == b'/');
        if !self_closed {
            depth += 1;
            if depth > limit {
                return false;
            }
        }
    }
    true
}

fn memchr_lt(bytes: &[u8]) -> Option<usize> {
    bytes.iter().position(|&b| b == b'<')
}

/// What the primary extractor read: the body and the page title.
pub struct Primary {
    pub text: String,
    pub title: String,
}

/// The `trafilatura` crate's body, its readability and jusText fallbacks on, comments pruned.
pub fn trafilatura_text(html: &str, url: Option<&url::Url>) -> Primary {
    let mut options = trafilatura::Options::default()
        .with_fallback(true)
        .with_exclude_comments(true);
    if let Some(url) = url {
        options = options.with_url(url.clone());
    }
    trafilatura::extract(html, &options)
        .map(|result| Primary {
            text: html_to_text(&result.content_html),
            title: result.metadata.title,
        })
        .unwrap_or(Primary {
            text: String::new(),
            title: String::new(),
        })
}

/// `dom_smoothie`'s body (Readability.js's algorithm).
pub fn readability_text(html: &str, url: Option<&url::Url>) -> String {
    let config = dom_smoothie::Config {
        max_elements_to_parse: MAX_READABILITY_ELEMENTS,
        ..Default::default()
    };
    dom_smoothie::Readability::new(html, url.map(url::Url::as_str), Some(config))
        .and_then(|mut readability| readability.parse())
        .map(|article| html_to_text(&article.content))
        .unwrap_or_default()
}
