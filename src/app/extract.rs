//! `veille extract URL|FILE`: the article of one page (title, date, author, text) exactly as
//! `fetch` would store it from an article page, printed as text, Markdown or JSON. For checking
//! what veille reads from a site before adding it, and for scripts. No database, no lock.

use super::{Outcome, UsageError};
use crate::cli::{ExtractArgs, ExtractFormat};
use crate::config::Settings;
use crate::digest::render::{markdown_text, markdown_url};
use crate::extract::{self, Article, PageSelectors};
use crate::fetch::{Fetched, Fetcher, Validators};
use crate::normalize::canonical_url;
use anyhow::Context as _;
use chrono::{SecondsFormat, Utc};
use serde::Serialize;
use std::fmt::Write as _;
use std::path::Path;
use url::Url;

/// A page read: where it was, and what was read from it.
struct Page {
    url: Url,
    article: Article,
}

pub fn run(args: &ExtractArgs, settings: &Settings) -> anyhow::Result<Outcome> {
    let page = read(&args.target, settings)?;
    let tz = settings.timezone;
    let out = match args.format {
        ExtractFormat::Text => text(&page, tz),
        ExtractFormat::Markdown => markdown(&page, tz),
        ExtractFormat::Json => json(&page)?,
    };
    print!("{out}");
    for note in &page.article.notes {
        eprintln!("note: {note}");
    }
    Ok(Outcome::Success)
}

/// A saved page when `target` names a file, else an http(s) URL fetched as `fetch` would.
fn read(target: &str, settings: &Settings) -> anyhow::Result<Page> {
    let path = Path::new(target);
    let (bytes, content_type, url) = if path.is_file() {
        let bytes = std::fs::read(path).with_context(|| format!("cannot read {target}"))?;
        let absolute =
            std::path::absolute(path).with_context(|| format!("cannot read {target}"))?;
        let url = Url::from_file_path(&absolute)
            .map_err(|()| anyhow::anyhow!("{target}: not a path veille can name as a URL"))?;
        (bytes, None, url)
    } else {
        let url = web_url(target)?;
        let fetcher = Fetcher::new(settings)?;
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()?;
        match runtime.block_on(fetcher.get(&url, &Validators::default(), Utc::now())) {
            Ok(Fetched::Body(body)) => (body.bytes, body.content_type, body.final_url),
            Ok(Fetched::NotModified) => {
                anyhow::bail!("{url}: the server answered 304 Not Modified")
            }
            Err(e) => anyhow::bail!("{url}: {e}"),
        }
    };
    let html = crate::charset::decode_page(&bytes, content_type.as_deref());
    let article = extract::article(&html, &url, &PageSelectors::default(), settings.timezone);
    Ok(Page { url, article })
}

/// `target` as an http(s) URL, or a usage error that says what was expected.
fn web_url(target: &str) -> Result<Url, UsageError> {
    match Url::parse(target) {
        Ok(url) if matches!(url.scheme(), "http" | "https") => Ok(url),
        Ok(url) => Err(UsageError(format!(
            "{target}: only http and https URLs are fetched (not {}:); give a file's path to read a saved page",
            url.scheme()
        ))),
        Err(_) => Err(UsageError(format!(
            "{target}: neither a file nor an http(s) URL"
        ))),
    }
}

/// The URL `fetch` would store: canonical for web pages, the file's URL as is.
fn stored_url(url: &Url) -> String {
    match url.scheme() {
        "http" | "https" => canonical_url(url.as_str(), None).unwrap_or_else(|| url.to_string()),
        _ => url.to_string(),
    }
}

fn date_line(article: &Article, tz: chrono_tz::Tz) -> String {
    let date = match article.published {
        None => "no date".to_string(),
        Some(d) if article.date_approximate => d.with_timezone(&tz).format("%B %Y").to_string(),
        Some(d) => d.with_timezone(&tz).format("%Y-%m-%d %H:%M %Z").to_string(),
    };
    let author = article.author.as_deref().unwrap_or("no author");
    let words = article.text.split_whitespace().count();
    format!("{date} · {author} · {words} words")
}

fn text(page: &Page, tz: chrono_tz::Tz) -> String {
    let article = &page.article;
    let mut out = String::new();
    let _ = writeln!(out, "{}", article.title.as_deref().unwrap_or("(no title)"));
    let _ = writeln!(out, "{}", date_line(article, tz));
    let _ = writeln!(out, "{}\n", stored_url(&page.url));
    if !article.text.is_empty() {
        let _ = writeln!(out, "{}", article.text);
    }
    out
}

/// Markdown whose text is inert: a page cannot inject a link, HTML or a heading.
fn markdown(page: &Page, tz: chrono_tz::Tz) -> String {
    let article = &page.article;
    let mut out = String::new();
    let title = article.title.as_deref().unwrap_or("(no title)");
    let _ = writeln!(out, "# {}\n", markdown_text(title));
    let _ = writeln!(out, "*{}*\n", markdown_text(&date_line(article, tz)));
    let url = stored_url(&page.url);
    let _ = writeln!(out, "<{}>\n", markdown_url(&url));
    for paragraph in article.text.split("\n\n").filter(|p| !p.trim().is_empty()) {
        let _ = writeln!(out, "{}\n", markdown_text(paragraph.trim()));
    }
    out
}

/// The article in the field names of the JSON contract (`show --format json`).
#[derive(Serialize)]
struct ArticleJson<'a> {
    url: String,
    title: Option<&'a str>,
    published: Option<String>,
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    published_approximate: bool,
    author: Option<&'a str>,
    summary: &'a str,
    text: &'a str,
    notes: &'a [String],
}

fn json(page: &Page) -> anyhow::Result<String> {
    let article = &page.article;
    let value = ArticleJson {
        url: stored_url(&page.url),
        title: article.title.as_deref(),
        published: article
            .published
            .map(|d| d.to_rfc3339_opts(SecondsFormat::Secs, true)),
        published_approximate: article.date_approximate,
        author: article.author.as_deref(),
        summary: &article.summary,
        text: &article.text,
        notes: &article.notes,
    };
    Ok(serde_json::to_string_pretty(&value)? + "\n")
}
