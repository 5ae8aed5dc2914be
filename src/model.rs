//! Plain data shared by the stages: what a parser produces and what the store returns.
//! No I/O here, and no behaviour beyond trivial accessors.

use chrono::{DateTime, Utc};

/// One item as a parser read it, already normalised (plain text, canonical URL, UTC date),
/// before it has an identity in the database.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ArticleDraft {
    /// The GUID / Atom id / JSON Feed id the source gave, if it gave one.
    pub guid: Option<String>,
    /// Canonical URL of the item's own link (http or https only), if it had one.
    pub url: Option<String>,
    pub title: String,
    pub author: Option<String>,
    /// `None` when the source gave no date: never replaced by "now".
    pub published: Option<DateTime<Utc>>,
    /// The source gave only a month: `published` is the first day of it.
    pub published_approximate: bool,
    /// Plain text, at most [`crate::normalize::SUMMARY_MAX_CHARS`] characters.
    pub summary: String,
    /// The full plain text the source gave (content, else summary).
    pub text: String,
}

/// A draft ready to be stored, with what the pure stages computed for it.
#[derive(Debug, Clone, PartialEq)]
pub struct Prepared {
    pub draft: ArticleDraft,
    /// Topics and their reasons, from the tagging stage.
    pub tags: Vec<crate::tag::Tag>,
    /// The text as story clustering reads it, read with the tags, off the writing thread.
    pub read: crate::cluster::ReadText,
    /// Its story fingerprint before the source's boilerplate is known (undated): the
    /// fingerprint itself when none of its lines is boilerplate, as for most feed items.
    pub plain: crate::cluster::Features,
}

impl Prepared {
    /// A draft with its tags, its text read and fingerprinted for clustering.
    pub fn new(draft: ArticleDraft, tags: Vec<crate::tag::Tag>) -> Prepared {
        let read = crate::cluster::ReadText::new(&draft.text);
        let plain = crate::cluster::Features::of_read(&draft.title, &read, None, |_| false);
        Prepared {
            read,
            plain,
            draft,
            tags,
        }
    }
}

/// A parsed feed: its own metadata and its items, in document order.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ParsedFeed {
    pub title: Option<String>,
    /// The site the feed describes (canonical), used for items without a link.
    pub site_url: Option<String>,
    pub items: Vec<ArticleDraft>,
    /// What a reader of the source should know: items the document holds that could not be
    /// read, a feed that lists no item. In words, for `fetch` and `veille sources`.
    pub warnings: Vec<String>,
}

/// What a source is fetched as.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum SourceKind {
    /// RSS 0.9x/1.0/2.0, Atom or JSON Feed.
    Feed,
    /// A listing page read with CSS selectors.
    Html,
}

impl SourceKind {
    pub fn as_str(self) -> &'static str {
        match self {
            SourceKind::Feed => "feed",
            SourceKind::Html => "html",
        }
    }
}

/// CSS selectors of an HTML source, validated; `sel@attr` reads an attribute.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Selectors {
    pub item: String,
    pub link: String,
    pub title: Option<String>,
    pub date: Option<String>,
    pub content: Option<String>,
    pub author: Option<String>,
    pub next: Option<String>,
}

/// A configured source, validated.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Source {
    pub name: String,
    pub url: url::Url,
    pub kind: SourceKind,
    pub tags: Vec<String>,
    pub full_content: bool,
    pub enabled: bool,
    pub selectors: Option<Selectors>,
    pub max_pages: u32,
    /// The least time between two requests of this source to its host, when it asks for more
    /// than `[settings] delay`.
    pub delay: Option<std::time::Duration>,
    /// `encoding`: every body of this source is decoded with it, whatever its header, XML
    /// prolog or `<meta>` claim (for sites whose declared charset lies).
    pub encoding: Option<&'static encoding_rs::Encoding>,
}

impl Source {
    /// A feed source with every other setting at its default, as `[[source]]` with only
    /// `name` and `url` gives it.
    pub fn feed(name: &str, url: url::Url) -> Source {
        Source {
            name: name.into(),
            url,
            kind: SourceKind::Feed,
            tags: Vec::new(),
            full_content: false,
            enabled: true,
            selectors: None,
            max_pages: crate::config::DEFAULT_MAX_PAGES,
            delay: None,
            encoding: None,
        }
    }
}

/// A configured topic, validated (regexes compile); applied by the tagging stage.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Topic {
    pub name: String,
    pub label: String,
    pub keywords: Vec<String>,
    pub patterns: Vec<String>,
    pub exclude: Vec<String>,
    pub min_score: u32,
}
