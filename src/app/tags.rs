//! `veille tags` (topics and their counts, or the corrections by hand) and `veille retag` (the
//! current rules and learnt models applied again to every stored article).

use super::output::{local_date, pad};
use super::{Context, Outcome};
use crate::cli::{TableFormat, TagsArgs};
use serde::Serialize;
use std::collections::HashMap;
use std::io::Write;

#[derive(Serialize)]
struct TopicJson<'a> {
    name: &'a str,
    label: &'a str,
    articles: i64,
}

pub fn run(context: &Context, args: &TagsArgs) -> anyhow::Result<Outcome> {
    if args.corrections {
        return corrections(context, args.format);
    }
    let store = context.open_store()?;
    let mut counts: HashMap<String, i64> = store.tag_counts()?.into_iter().collect();
    // Configured topics first, in their order; then tags that only sources give.
    let mut rows: Vec<(String, String, i64)> = context
        .config
        .topics
        .iter()
        .map(|t| {
            (
                t.name.clone(),
                t.label.clone(),
                counts.remove(&t.name).unwrap_or(0),
            )
        })
        .collect();
    let mut others: Vec<_> = counts.into_iter().collect();
    others.sort();
    rows.extend(others.into_iter().map(|(name, n)| (name.clone(), name, n)));
    let mut out = std::io::stdout().lock();
    match args.format {
        TableFormat::Json => {
            let items: Vec<TopicJson> = rows
                .iter()
                .map(|(name, label, articles)| TopicJson {
                    name,
                    label,
                    articles: *articles,
                })
                .collect();
            serde_json::to_writer_pretty(&mut out, &items)?;
            writeln!(out)?;
        }
        TableFormat::Table => {
            let width = rows.iter().map(|r| r.0.len()).max().unwrap_or(5).max(5);
            writeln!(out, "{}  ARTICLES  LABEL", pad("TOPIC", width))?;
            for (name, label, articles) in &rows {
                writeln!(out, "{}  {articles:>8}  {label}", pad(name, width))?;
            }
        }
    }
    Ok(Outcome::Success)
}

#[derive(Serialize)]
struct CorrectionJson<'a> {
    id: i64,
    title: &'a str,
    topic: &'a str,
    /// Set by hand (true) or removed by hand (false).
    present: bool,
    corrected_at: &'a str,
}

/// `tags --corrections`: every correction by hand, newest first.
fn corrections(context: &Context, format: TableFormat) -> anyhow::Result<Outcome> {
    let store = context.open_store()?;
    let corrections = store.corrections()?;
    let mut out = std::io::stdout().lock();
    match format {
        TableFormat::Json => {
            let items: Vec<CorrectionJson> = corrections
                .iter()
                .map(|c| CorrectionJson {
                    id: c.article_id,
                    title: &c.title,
                    topic: &c.topic,
                    present: c.present,
                    corrected_at: &c.corrected_at,
                })
                .collect();
            serde_json::to_writer_pretty(&mut out, &items)?;
            writeln!(out)?;
        }
        TableFormat::Table => {
            let width = corrections
                .iter()
                .map(|c| c.topic.len() + 1)
                .max()
                .unwrap_or(3)
                .max(3);
            writeln!(
                out,
                "{:>6}  {}  {:<10}  TITLE",
                "ID",
                pad("TAG", width),
                "DATE"
            )?;
            for c in &corrections {
                let sign = if c.present { '+' } else { '-' };
                let date = local_date(Some(&c.corrected_at), context.config.settings.timezone);
                writeln!(
                    out,
                    "{:>6}  {}  {date:<10}  {}",
                    c.article_id,
                    pad(&format!("{sign}{}", c.topic), width),
                    c.title
                )?;
            }
        }
    }
    Ok(Outcome::Success)
}

/// The tags each source gives all its articles, by source name.
pub(super) fn source_tags(context: &Context) -> HashMap<&str, &[String]> {
    context
        .config
        .sources
        .iter()
        .map(|s| (s.name.as_str(), s.tags.as_slice()))
        .collect()
}

pub fn retag(context: &Context) -> anyhow::Result<Outcome> {
    let mut store = context.open_store()?;
    let (rules, _) = super::learn::rules(context, &mut store)?;
    let source_tags = source_tags(context);
    let counts = store.retag(|source, title, text| {
        let tags = source_tags.get(source).copied().unwrap_or_default();
        rules.tag(title, text, tags)
    })?;
    if !context.quiet {
        eprintln!(
            "{} articles retagged: {} tags added, {} removed",
            counts.articles, counts.added, counts.removed
        );
    }
    Ok(Outcome::Success)
}
