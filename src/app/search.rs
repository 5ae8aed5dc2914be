//! `veille search`: filters → the store's search → table, JSON, NDJSON or CSV on stdout.

use super::output::{fit, local_date, pad, terminal_width, ArticleJson};
use super::{Context, Outcome, UsageError};
use crate::cli::{FilterArgs, SearchArgs, SearchFormat, StoriesArgs, TableFormat};
use crate::query::{parse_instant, to_fts};
use crate::store::{ArticleRow, Filter, SearchError};
use anyhow::Context as _;
use chrono::Utc;
use std::io::Write;

/// The store's filter from the flags; a malformed time is a usage error.
fn filter(context: &Context, args: &FilterArgs, all: bool) -> Result<Filter, UsageError> {
    let tz = context.config.settings.timezone;
    let now = Utc::now();
    let instant = |flag: &str, value: &Option<String>| {
        value
            .as_deref()
            .map(|v| parse_instant(v, now, &tz).map_err(|e| UsageError(format!("{flag}: {e}"))))
            .transpose()
    };
    Ok(Filter {
        query: Some(to_fts(&args.query.join(" "))).filter(|q| !q.is_empty()),
        sources: args.sources.clone(),
        tags: args.tags.clone(),
        since: instant("--since", &args.since)?,
        until: instant("--until", &args.until)?,
        limit: args.limit,
        all,
    })
}

/// Every `--source` must be configured, or have stored articles (a source removed with
/// `--keep-articles`): a misspelt name is a usage error, not an empty result.
fn known_sources(
    context: &Context,
    store: &crate::store::Store,
    names: &[String],
) -> anyhow::Result<()> {
    for name in names {
        if !context.config.sources.iter().any(|s| &s.name == name)
            && store.count_articles(name)? == 0
        {
            return Err(UsageError(format!(
                "--source {name}: no such source in {} (see `veille sources`)",
                context.config.path.display()
            ))
            .into());
        }
    }
    Ok(())
}

/// A query FTS5 refused is the user's to fix (exit 2); anything else is a failure.
fn explain(query: &[String]) -> impl Fn(SearchError) -> anyhow::Error + '_ {
    move |e| match e {
        SearchError::BadQuery(message) => {
            anyhow::Error::new(UsageError(format!("`{}`: {message}", query.join(" "))))
        }
        SearchError::Database(e) => anyhow::Error::new(e).context("search failed"),
    }
}

pub fn run(context: &Context, args: &SearchArgs) -> anyhow::Result<Outcome> {
    let filter = filter(context, &args.filter, args.all)?;
    let tz = context.config.settings.timezone;
    let store = context.open_store()?;
    known_sources(context, &store, &args.filter.sources)?;
    let rows = store.search(&filter).map_err(explain(&args.filter.query))?;
    let mut out = std::io::stdout().lock();
    match args.format {
        SearchFormat::Json => {
            let items: Vec<_> = rows.iter().map(ArticleJson::new).collect();
            serde_json::to_writer_pretty(&mut out, &items)?;
            writeln!(out)?;
        }
        SearchFormat::Ndjson => {
            for row in &rows {
                serde_json::to_writer(&mut out, &ArticleJson::new(row))?;
                writeln!(out)?;
            }
        }
        SearchFormat::Csv => write_csv(&mut out, &rows)?,
        SearchFormat::Table => write_table(&mut out, &rows, tz, context.quiet)?,
    }
    out.flush().context("cannot write the results")?;
    Ok(Outcome::Success)
}

fn write_csv(out: &mut impl Write, rows: &[ArticleRow]) -> anyhow::Result<()> {
    let mut csv = csv::Writer::from_writer(out);
    csv.write_record([
        "id",
        "published",
        "source",
        "title",
        "url",
        "author",
        "tags",
        "story",
        "summary",
    ])?;
    for row in rows {
        let tags: Vec<&str> = row.tags.iter().map(|(t, _)| t.as_str()).collect();
        csv.write_record([
            row.id.to_string().as_str(),
            row.published.as_deref().unwrap_or(""),
            &row.source,
            &row.title,
            &row.url,
            row.author.as_deref().unwrap_or(""),
            &tags.join(";"),
            &row.story.to_string(),
            &row.summary,
        ])?;
    }
    csv.flush()?;
    Ok(())
}

fn write_table(
    out: &mut impl Write,
    rows: &[ArticleRow],
    tz: chrono_tz::Tz,
    quiet: bool,
) -> anyhow::Result<()> {
    if rows.is_empty() {
        if !quiet {
            eprintln!("no article matches");
        }
        return Ok(());
    }
    let width = terminal_width();
    let id_width = rows
        .iter()
        .map(|r| r.id.to_string().len())
        .max()
        .unwrap_or(2)
        .max(2);
    let source_width = rows
        .iter()
        .map(|r| r.source.len())
        .max()
        .unwrap_or(6)
        .clamp(6, 20);
    let title_width = width
        .saturating_sub(id_width + source_width + 10 + 6)
        .max(10);
    writeln!(
        out,
        "{:>id_width$}  {}  {}  TITLE",
        "ID",
        pad("DATE", 10),
        pad("SOURCE", source_width)
    )?;
    for row in rows {
        let date = local_date(row.published.as_deref().or(Some(&row.fetched_at)), tz);
        let copies = match row.duplicates.len() {
            0 => String::new(),
            n => format!(" (+{n})"),
        };
        writeln!(
            out,
            "{:>id_width$}  {}  {}  {}",
            row.id,
            pad(&date, 10),
            pad(&row.source, source_width),
            fit(&format!("{}{copies}", row.title), title_width)
        )?;
    }
    Ok(())
}

#[derive(serde::Serialize)]
struct StoryJson<'a> {
    story: i64,
    members: i64,
    /// The story's representative (its most complete article), in the JSON of `search`.
    article: ArticleJson<'a>,
}

/// `veille stories`: one line a story, with how many sources carried it.
pub fn stories(context: &Context, args: &StoriesArgs) -> anyhow::Result<Outcome> {
    let filter = filter(context, &args.filter, false)?;
    let store = context.open_store()?;
    known_sources(context, &store, &args.filter.sources)?;
    let stories = store
        .stories(&filter)
        .map_err(explain(&args.filter.query))?;
    let mut out = std::io::stdout().lock();
    match args.format {
        TableFormat::Json => {
            let items: Vec<StoryJson> = stories
                .iter()
                .map(|(row, members)| StoryJson {
                    story: row.story,
                    members: *members,
                    article: ArticleJson::new(row),
                })
                .collect();
            serde_json::to_writer_pretty(&mut out, &items)?;
            writeln!(out)?;
        }
        TableFormat::Table => {
            let tz = context.config.settings.timezone;
            let width = terminal_width();
            let id_width = stories
                .iter()
                .map(|(r, _)| r.story.to_string().len())
                .max()
                .unwrap_or(5)
                .max(5);
            let title_width = width.saturating_sub(id_width + 10 + 7 + 6).max(10);
            writeln!(
                out,
                "{:>id_width$}  {}  COPIES  TITLE (SOURCES)",
                "STORY",
                pad("DATE", 10)
            )?;
            for (row, members) in &stories {
                let date = local_date(row.published.as_deref().or(Some(&row.fetched_at)), tz);
                let mut sources = vec![row.source.as_str()];
                for (_, source, _, _) in &row.duplicates {
                    if !sources.contains(&source.as_str()) {
                        sources.push(source);
                    }
                }
                let line = format!("{} ({})", row.title, sources.join(", "));
                writeln!(
                    out,
                    "{:>id_width$}  {}  {members:>6}  {}",
                    row.story,
                    pad(&date, 10),
                    fit(&line, title_width)
                )?;
            }
        }
    }
    Ok(Outcome::Success)
}
