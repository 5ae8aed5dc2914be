//! The two extractors the body is chosen from, each giving plain text in the module's
//! paragraph format, from the page `prune` cleaned. Owns their options and the input guards
//! that keep them safe.

use crate::normalize::{fold_whitespace, html_to_line, html_to_text};
use trafilatura::dom::Document;

/// The Readability port stops scoring after this many elements, bounding its time on huge pages.
const MAX_READABILITY_ELEMENTS: usize = 20_000;

/// What the primary extractor read: the body and the page title.
pub struct Primary {
    pub text: String,
    pub title: String,
}

/// The `trafilatura` crate's body of the pruned page (`prune`), its readability and jusText
/// fallbacks on, comments pruned, without the article's headline (a leading `<h1>`: metadata,
/// like the title).
pub fn trafilatura_text(document: Document, url: Option<&url::Url>) -> Primary {
    let mut options = trafilatura::Options::default()
        .with_fallback(true)
        .with_exclude_comments(true);
    if let Some(url) = url {
        options = options.with_url(url.clone());
    }
    trafilatura::extract_document(document, &options)
        .map(|result| Primary {
            text: without_headline(&result.content_html),
            title: result.metadata.title,
        })
        .unwrap_or(Primary {
            text: String::new(),
            title: String::new(),
        })
}

/// The text of `content_html` without its first paragraph when that paragraph is a leading
/// `<h1>`.
fn without_headline(content_html: &str) -> String {
    let text = html_to_text(content_html);
    let Some(headline) = content_html
        .trim_start()
        .strip_prefix("<h1")
        .and_then(|rest| rest.split_once("</h1>"))
        .map(|(heading, _)| html_to_line(&format!("<h1{heading}</h1>")))
    else {
        return text;
    };
    match text.split_once("\n\n") {
        Some((first, rest)) if fold_whitespace(first) == headline => rest.to_owned(),
        _ => text,
    }
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
