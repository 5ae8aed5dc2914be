//! Main-text extraction: the article body of a page without navigation, sidebars, related
//! and most-read blocks, share buttons, newsletter boxes, cookie banners and comments.
//!
//! The page is parsed once and pruned of what is hidden or never an article (`prune`: dialogs,
//! consent banners, hidden elements, related posts, scripts). Two extractors of different
//! families read it: the `trafilatura` crate (tree cleaning and paragraph selection) and
//! `dom_smoothie` (a port of Readability's
//! candidate scoring) (`candidates`). Where they agree the agreement is kept and a lead only
//! the second read is put back (`arbitrate`), then paragraphs that are page chrome by their
//! own text are dropped (`clean`). Pure: no I/O, no clock.

mod arbitrate;
mod candidates;
mod clean;
mod prune;
#[cfg(test)]
mod tests;
#[cfg(test)]
mod tests_kinds;

/// The main text of `html` as plain text: paragraphs separated by a blank line ("\n\n"),
/// whitespace folded inside a paragraph. Empty when the page has no recognisable article.
pub fn main_text(html: &str, url: Option<&url::Url>) -> String {
    // The extractors walk the tree recursively: nesting beyond what browsers keep is dropped
    // first (the text stays). Unclosed `<p>` and `<li>` do not nest and are not counted.
    let html = &crate::normalize::bound_nesting(html);
    let pruned = prune::prune(html);
    let secondary = candidates::readability_text(&pruned.html, url);
    let primary = candidates::trafilatura_text(pruned.document, url);
    let trimmed = arbitrate::trim_to_agreement(primary.text, &secondary);
    clean::drop_boilerplate(&trimmed, &primary.title)
}
