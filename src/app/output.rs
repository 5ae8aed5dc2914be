//! Shapes of what the query commands print: the JSON contract of SPEC and plain tables that
//! fit the terminal.

use crate::store::ArticleRow;
use serde::Serialize;
use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};

/// Used when stdout is not a terminal and `COLUMNS` is not set.
const DEFAULT_WIDTH: usize = 120;

#[derive(Serialize)]
pub struct Duplicate<'a> {
    pub id: i64,
    pub source: &'a str,
    pub url: &'a str,
}

/// An article in the JSON contract (`search`); `show` adds `text` and `tag_reasons`.
#[derive(Serialize)]
pub struct ArticleJson<'a> {
    pub id: i64,
    pub title: &'a str,
    pub url: &'a str,
    pub source: &'a str,
    pub published: Option<&'a str>,
    /// Present and true only when the source gave just a month (dated the 1st).
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub published_approximate: bool,
    pub fetched_at: &'a str,
    pub author: Option<&'a str>,
    pub tags: Vec<&'a str>,
    pub summary: &'a str,
    pub story: i64,
    pub duplicates: Vec<Duplicate<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub text: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tag_reasons: Option<serde_json::Map<String, serde_json::Value>>,
}

impl<'a> ArticleJson<'a> {
    pub fn new(row: &'a ArticleRow) -> Self {
        ArticleJson {
            id: row.id,
            title: &row.title,
            url: &row.url,
            source: &row.source,
            published: row.published.as_deref(),
            published_approximate: row.published_approximate,
            fetched_at: &row.fetched_at,
            author: row.author.as_deref(),
            tags: row.tags.iter().map(|(t, _)| t.as_str()).collect(),
            summary: &row.summary,
            story: row.story,
            duplicates: row
                .duplicates
                .iter()
                .map(|(id, source, url, _)| Duplicate {
                    id: *id,
                    source,
                    url,
                })
                .collect(),
            text: None,
            tag_reasons: None,
        }
    }

    /// The full form of `show`.
    pub fn full(row: &'a ArticleRow) -> Self {
        // SPEC: topic → the matched terms; where they matched is in `show`'s text form.
        let reasons = row
            .tags
            .iter()
            .map(|(topic, reasons)| {
                let mut terms: Vec<serde_json::Value> = Vec::new();
                for reason in stored_reasons(reasons) {
                    for word in reason.words() {
                        let term = serde_json::Value::String(word.to_string());
                        if !terms.contains(&term) {
                            terms.push(term);
                        }
                    }
                }
                (topic.clone(), serde_json::Value::Array(terms))
            })
            .collect();
        ArticleJson {
            text: Some(&row.text),
            tag_reasons: Some(reasons),
            ..Self::new(row)
        }
    }
}

/// A tag's reason as stored (JSON written by the store from the tagging stage).
#[derive(serde::Deserialize)]
pub struct StoredReason {
    pub term: String,
    pub place: String,
    #[serde(default)]
    pub count: u32,
    /// For a learnt model's term: what it added to the model's log-odds.
    #[serde(default)]
    pub weight: Option<f32>,
    /// For a pattern: the words it matched (older reasons have none: the pattern is shown).
    #[serde(default)]
    pub matched: Vec<String>,
}

impl StoredReason {
    /// What to show for it: the words a pattern matched, else the term itself.
    pub fn words(&self) -> Vec<&str> {
        if self.matched.is_empty() {
            vec![self.term.as_str()]
        } else {
            self.matched.iter().map(String::as_str).collect()
        }
    }
}

/// The reasons stored with a tag; unreadable JSON reads as none.
pub fn stored_reasons(json: &str) -> Vec<StoredReason> {
    serde_json::from_str(json).unwrap_or_default()
}

/// Colours on stdout: `always`, `never`, or, with `auto`, on a terminal when `NO_COLOR` is not
/// set (<https://no-color.org>: any non-empty value).
pub fn use_color(
    choice: crate::cli::ColorChoice,
    env: &std::collections::HashMap<String, String>,
) -> bool {
    use crate::cli::ColorChoice;
    use std::io::IsTerminal;
    match choice {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => {
            env.get("NO_COLOR").is_none_or(|v| v.is_empty()) && std::io::stdout().is_terminal()
        }
    }
}

/// An ANSI style for a piece of a table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Style {
    Plain,
    Error,
    Warning,
    Dim,
}

/// `text` in `style` when colours are on; as is otherwise.
pub fn paint(text: &str, style: Style, color: bool) -> String {
    let code = match style {
        _ if !color => return text.to_string(),
        Style::Plain => return text.to_string(),
        Style::Error => "31",
        Style::Warning => "33",
        Style::Dim => "2",
    };
    format!("\x1b[{code}m{text}\x1b[0m")
}

/// The width to fit: the terminal's, else `COLUMNS`, else a default.
pub fn terminal_width() -> usize {
    terminal_size::terminal_size_of(std::io::stdout())
        .map(|(w, _)| usize::from(w.0))
        .or_else(|| std::env::var("COLUMNS").ok()?.parse().ok())
        .unwrap_or(DEFAULT_WIDTH)
        .max(40)
}

/// Cut `text` to `width` display columns, ending with "…" when cut.
pub fn fit(text: &str, width: usize) -> String {
    if text.width() <= width {
        return text.to_string();
    }
    let mut out = String::new();
    let mut used = 0;
    for c in text.chars() {
        let w = c.width().unwrap_or(0);
        if used + w + 1 > width {
            break;
        }
        out.push(c);
        used += w;
    }
    out.push('…');
    out
}

/// « 1 source », « 2 sources »: the count with its noun in the right number (English).
pub fn plural(n: impl Into<u64>, one: &str, many: &str) -> String {
    let n = n.into();
    format!("{n} {}", if n == 1 { one } else { many })
}

/// Left-align `text` in `width` columns.
pub fn pad(text: &str, width: usize) -> String {
    let text = fit(text, width);
    let fill = width.saturating_sub(text.width());
    format!("{text}{}", " ".repeat(fill))
}

/// The date part of a stored RFC 3339 time shown in the configured zone.
pub fn local_date(time: Option<&str>, tz: chrono_tz::Tz) -> String {
    time.and_then(|t| chrono::DateTime::parse_from_rfc3339(t).ok())
        .map(|t| t.with_timezone(&tz).format("%Y-%m-%d").to_string())
        .unwrap_or_else(|| "-".to_string())
}
