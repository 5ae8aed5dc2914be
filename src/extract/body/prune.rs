//! The page as both extractors read it: parsed once, without what a reader never sees or what is
//! never an article, in one pass of cost linear in the page (no selector whose cost grows with
//! the square of the page: a sibling combinator walks every element's preceding siblings).
//!
//! Removed: dialogs and cookie/consent banners; streams of teasers of other stories (a
//! container whose children are mostly short blocks each holding a linked headline); hidden elements (`hidden`, `aria-hidden`,
//! an inline `display: none` or `visibility: hidden`); a heading classed "related" and the
//! elements after it in its container; scripts, styles and `<noscript>` (their following text
//! is kept: the `trafilatura` crate drops the text after the elements it cleans). A MathML
//! formula becomes its text (its `alttext`, else its characters), where the `trafilatura` crate
//! would drop it with the rest of its sentence.

use std::collections::HashMap;
use trafilatura::dom::{Document, NodeId};

/// Elements that are never the article: dialogs (cookie consent, newsletter and login pop-ups),
/// cookie and privacy consent banners named so by their id or class (`<html>` and `<body>` are
/// spared: some carry a class saying whether consent was given), and hidden elements.
const NEVER_BODY: &str = "[role=dialog], [role=alertdialog], [aria-modal=true], \
    :not(html):not(body):is([id*=cookie i], [class*=cookie i], [id*=consent i], \
        [class*=consent i], [id*=gdpr i], [class*=gdpr i], [hidden], [aria-hidden=true i])";
/// Elements with an inline style, read in [`hidden_by_style`].
const STYLED: &str = ":not(html):not(body)[style]";
/// Headings of a related-posts block: they and what follows them in their container go.
const RELATED_HEADINGS: &str = "h2[class*=related i], h3[class*=related i], h4[class*=related i]";
/// Elements removed with their content, their following text kept.
const CODE: &str = "script:not([type*=json i]), style, noscript";
/// Headings that are links: the headlines of teasers of other stories.
const LINKED_HEADINGS: &str =
    "h2 a[href], h3 a[href], h4 a[href], a[href] h2, a[href] h3, a[href] h4";
/// A container of at least this many teasers (elements holding a linked headline), making at
/// least two thirds of its children, is a stream of other stories.
const MIN_TEASERS: usize = 3;
/// A teaser is a headline and a line or two: an element of more words holds an article.
const MAX_TEASER_WORDS: usize = 80;
/// How far above its headline a teaser's own element may be.
const MAX_TEASER_DEPTH: usize = 4;
/// What pages write to hide an element inline, spaces removed and lower-cased.
const HIDING_STYLES: [&str; 2] = ["display:none", "visibility:hidden"];

/// `html` parsed, pruned, and serialised again for the extractor that reads a string.
pub struct Pruned {
    pub document: Document,
    pub html: String,
}

/// Parse `html` and remove what is never the article's text (see the module's doc).
pub fn prune(html: &str) -> Pruned {
    let mut document = Document::parse(html);
    let root = document.root();
    let mut doomed: Vec<NodeId> = document.query_selector_all(root, NEVER_BODY);
    doomed.extend(
        document
            .query_selector_all(root, STYLED)
            .into_iter()
            .filter(|&id| hidden_by_style(&document, id)),
    );
    doomed.extend(document.query_selector_all(root, CODE));
    for heading in document.query_selector_all(root, RELATED_HEADINGS) {
        doomed.push(heading);
        let mut next = document.next_element_sibling(heading);
        while let Some(id) = next {
            doomed.push(id);
            next = document.next_element_sibling(id);
        }
    }
    doomed.extend(teaser_streams(&document));
    for id in doomed {
        // An element inside one removed already is detached with it: removing it again is a
        // no-op on a detached subtree.
        document.remove(id, true);
    }
    for math in document.query_selector_all(root, "math") {
        formula_as_text(&mut document, math);
    }
    let html = document.outer_html_of_root();
    Pruned { document, html }
}

/// Containers whose children are mostly teasers of other stories: each child holds a linked
/// headline. One walk up from each linked headline: linear in the page.
fn teaser_streams(document: &Document) -> Vec<NodeId> {
    let mut teasers: HashMap<NodeId, Vec<NodeId>> = HashMap::new();
    for link in document.query_selector_all(document.root(), LINKED_HEADINGS) {
        let mut child = link;
        for _ in 0..MAX_TEASER_DEPTH {
            let Some(parent) = document.parent(child) else {
                break;
            };
            let children = teasers.entry(parent).or_default();
            if !children.contains(&child) {
                children.push(child);
            }
            child = parent;
        }
    }
    let short =
        |id: NodeId| document.text_content(id).split_whitespace().count() <= MAX_TEASER_WORDS;
    teasers
        .into_iter()
        .filter(|(parent, children)| {
            let tag = document.tag_name(*parent);
            children.len() >= MIN_TEASERS
                && !matches!(tag, "body" | "html" | "main" | "article")
                && 3 * children.len() >= 2 * document.children(*parent).len()
                && children.iter().all(|&c| short(c))
        })
        .map(|(parent, _)| parent)
        .collect()
}

/// Whether the element's inline style hides it.
fn hidden_by_style(document: &Document, id: NodeId) -> bool {
    document.get_attribute(id, "style").is_some_and(|style| {
        let style: String = style
            .chars()
            .filter(|c| !c.is_whitespace())
            .collect::<String>()
            .to_ascii_lowercase();
        HIDING_STYLES.iter().any(|h| style.contains(h))
    })
}

/// A `<math>` element made a `<span>` holding the formula's text.
fn formula_as_text(document: &mut Document, math: NodeId) {
    let text = document
        .get_attribute(math, "alttext")
        .filter(|t| !t.trim().is_empty())
        .unwrap_or_else(|| document.text_content(math));
    let text = crate::normalize::fold_whitespace(&text);
    for child in document.child_nodes(math) {
        document.remove(child, true);
    }
    document.set_tag_name(math, "span");
    document.set_text(math, &text);
}

/// Serialisation of a whole document.
trait Serialise {
    fn outer_html_of_root(&self) -> String;
}

impl Serialise for Document {
    fn outer_html_of_root(&self) -> String {
        let root = self.root();
        self.child_nodes(root)
            .into_iter()
            .map(|id| self.outer_html(id))
            .collect()
    }
}
