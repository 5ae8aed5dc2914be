//! Paragraph-level cleanup of an extracted body: a leading repeat of the page title (the title
//! is metadata, read by `extract::meta`) and paragraphs that are page chrome by their own
//! wording are dropped.

use super::arbitrate::repeats_title;

/// `text` without its boilerplate paragraphs, in the module's paragraph format.
pub fn drop_boilerplate(text: &str, title: &str) -> String {
    let mut paragraphs: Vec<&str> = text
        .split("\n\n")
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .collect();
    if paragraphs.len() > 1 && repeats_title(paragraphs[0], title) {
        paragraphs.remove(0);
    }
    paragraphs.join("\n\n")
}
