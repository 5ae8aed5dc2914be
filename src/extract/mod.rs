//! An article page → its title, date, author and main text. Pure: bytes already decoded, the
//! page URL and the timezone for naive local times are arguments; no network, no clock.
//!
//! `body` finds the main text of a page without a `content` selector; `meta` reads the
//! title, published date and author from the page's markup and text.

pub mod body;
pub mod meta;

use crate::normalize::{fold_whitespace, html_to_line, html_to_text, summarize, SUMMARY_MAX_CHARS};
use crate::parse::html::Field;
use chrono::{DateTime, Utc};
use scraper::Html;
use url::Url;

/// The selectors of a source that apply to its article pages; configured selectors win over
/// automatic extraction.
#[derive(Debug, Clone, Default)]
pub struct PageSelectors {
    pub content: Option<Field>,
    pub author: Option<Field>,
}

impl PageSelectors {
    pub fn compile(selectors: Option<&crate::model::Selectors>) -> Result<PageSelectors, String> {
        let Some(selectors) = selectors else {
            return Ok(PageSelectors::default());
        };
        let optional = |s: &Option<String>| s.as_deref().map(Field::parse).transpose();
        Ok(PageSelectors {
            content: optional(&selectors.content)?,
            author: optional(&selectors.author)?,
        })
    }
}

/// An article page, read.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Article {
    pub title: Option<String>,
    pub author: Option<String>,
    pub published: Option<DateTime<Utc>>,
    /// Only the month was given: `published` is its first day.
    pub date_approximate: bool,
    /// How much of the instant the page gave (month, day, or day and time).
    pub date_precision: Option<crate::dates::Precision>,
    /// Plain text, paragraphs separated by blank lines.
    pub text: String,
    /// At most [`SUMMARY_MAX_CHARS`] characters: the lead of `text`.
    pub summary: String,
    /// What went differently from what the configuration asked (a selector that matched
    /// nothing), in words for `veille source test` and `-v`.
    pub notes: Vec<String>,
}

/// Read an article page: its metadata, and its text from the `content` selector when one is
/// configured and matches, else by automatic main-text extraction.
pub fn article(html: &str, url: &Url, selectors: &PageSelectors, tz: chrono_tz::Tz) -> Article {
    let html = &crate::normalize::bound_nesting(html);
    let document = Html::parse_document(html);
    let page = meta::metadata(&document, Some(url), tz);
    let mut notes = Vec::new();
    let root = document.root_element();
    let text = match &selectors.content {
        Some(field) => {
            let parts: Vec<String> = field
                .elements(root)
                .into_iter()
                .map(|e| html_to_text(&e.html()))
                .filter(|t| !t.is_empty())
                .collect();
            if parts.is_empty() {
                notes.push(format!(
                    "selector `content` (`{}`) matched nothing on {url}; the text was extracted automatically",
                    field.spec()
                ));
                None
            } else {
                Some(parts.join("\n\n"))
            }
        }
        None => None,
    };
    let text = text.unwrap_or_else(|| body::main_text(html, Some(url)));
    let author = match &selectors.author {
        Some(field) => {
            let found = field.read(root, None).map(|a| html_to_line(&a));
            if found.is_none() {
                notes.push(format!(
                    "selector `author` (`{}`) matched nothing on {url}",
                    field.spec()
                ));
            }
            found.or(page.author)
        }
        None => page.author,
    };
    Article {
        title: page.title.map(|t| fold_whitespace(&t)),
        author,
        published: page.published,
        date_approximate: page.date_approximate,
        date_precision: page.date_precision,
        summary: summarize(&text, SUMMARY_MAX_CHARS),
        text,
        notes,
    }
}
