//! `veille tags` (topics and their counts) and `veille retag` (the current rules applied again
//! to every stored article).

use super::output::pad;
use super::{Context, Outcome, UsageError};
use crate::cli::{TableFormat, TagsArgs};
use crate::tag::Rules;
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

pub fn retag(context: &Context) -> anyhow::Result<Outcome> {
    let rules = Rules::compile(&context.config.topics).map_err(UsageError)?;
    let source_tags: HashMap<&str, &[String]> = context
        .config
        .sources
        .iter()
        .map(|s| (s.name.as_str(), s.tags.as_slice()))
        .collect();
    let mut store = context.open_store()?;
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
