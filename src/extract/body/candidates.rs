//! The two extractors the body is chosen from, each giving plain text in the module's
//! paragraph format. Owns their options and the input guards that keep them safe.

use crate::normalize::{fold_whitespace, html_to_line, html_to_text};

/// The Readability port stops scoring after this many elements, bounding its time on huge pages.
const MAX_READABILITY_ELEMENTS: usize = 20_000;

/// Parts of a page that are never its article, removed before the primary extractor reads it:
/// - dialogs (cookie consent, newsletter and login pop-ups are dialogs, shown over the page);
/// - cookie and privacy consent banners, named so by their id or class (`<html>` and `<body>`
///   are spared: some carry a class saying whether consent was given);
/// - a heading marked as the title of related posts, with what follows it in its container
///   (the related posts themselves).
const NEVER_BODY: &str = "[role=dialog], [role=alertdialog], [aria-modal=true], \
    :not(html):not(body):is([id*=cookie i], [class*=cookie i], [id*=consent i], \
        [class*=consent i], [id*=gdpr i], [class*=gdpr i])";
/// [`NEVER_BODY`] with the related posts. Matching `h2… ~ *` walks every element's preceding
/// siblings: quadratic on a flat page (a 5 MB page of 35,000 paragraphs took minutes), so it
/// applies only to pages that say "related" and have at most [`MAX_SIBLING_RULE_TAGS`] tags.
const NEVER_BODY_OR_RELATED: &str = "[role=dialog], [role=alertdialog], [aria-modal=true], \
    :not(html):not(body):is([id*=cookie i], [class*=cookie i], [id*=consent i], \
        [class*=consent i], [id*=gdpr i], [class*=gdpr i]), \
    h2[class*=related i], h3[class*=related i], h4[class*=related i], \
    h2[class*=related i] ~ *, h3[class*=related i] ~ *, h4[class*=related i] ~ *";
const MAX_SIBLING_RULE_TAGS: usize = 20_000;

/// The pruning selector for `html`: see [`NEVER_BODY_OR_RELATED`].
fn never_body(html: &str) -> &'static str {
    let says_related = html
        .as_bytes()
        .windows(7)
        .any(|w| w.eq_ignore_ascii_case(b"related"));
    let tags = html.bytes().filter(|&b| b == b'<').count();
    if says_related && tags <= MAX_SIBLING_RULE_TAGS {
        NEVER_BODY_OR_RELATED
    } else {
        NEVER_BODY
    }
}

/// What the primary extractor read: the body and the page title.
pub struct Primary {
    pub text: String,
    pub title: String,
}

/// The `trafilatura` crate's body, its readability and jusText fallbacks on, comments pruned,
/// without the article's headline (a leading `<h1>`: metadata, like the title).
pub fn trafilatura_text(html: &str, url: Option<&url::Url>) -> Primary {
    let mut options = trafilatura::Options::default()
        .with_fallback(true)
        .with_exclude_comments(true)
        .with_prune_selector(never_body(html));
    if let Some(url) = url {
        options = options.with_url(url.clone());
    }
    trafilatura::extract(html, &options)
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
