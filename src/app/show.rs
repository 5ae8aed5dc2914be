//! `veille show ID`: one article in full, its tags with their reasons, and its copies.

use super::output::{local_date, stored_reasons, ArticleJson, StoredReason};
use super::{Context, Outcome};
use crate::cli::{ShowArgs, ShowFormat};
use anyhow::anyhow;
use std::io::Write;

pub fn run(context: &Context, args: &ShowArgs) -> anyhow::Result<Outcome> {
    let store = context.open_store()?;
    let row = store
        .article(args.id)?
        .ok_or_else(|| anyhow!("no article has the id {} (see `veille search`)", args.id))?;
    let mut out = std::io::stdout().lock();
    match args.format {
        ShowFormat::Json => {
            serde_json::to_writer_pretty(&mut out, &ArticleJson::full(&row))?;
            writeln!(out)?;
        }
        ShowFormat::Text => {
            let tz = context.config.settings.timezone;
            writeln!(out, "{}", row.title)?;
            let mut date = local_date(row.published.as_deref(), tz);
            if row.published_approximate {
                date = format!("{} (month only)", &date[..date.len().min(7)]);
            }
            let mut line = vec![row.source.clone(), date];
            line.extend(row.author.clone());
            writeln!(out, "{}", line.join(" · "))?;
            writeln!(out, "{}", row.url)?;
            if row.tags.is_empty() {
                writeln!(out, "Tags: none")?;
            }
            for (topic, reasons) in &row.tags {
                writeln!(out, "Tag {topic}: {}", explain(&stored_reasons(reasons)))?;
            }
            for (id, source, url, date) in &row.duplicates {
                let date = local_date(Some(date), tz);
                writeln!(out, "Also reported by {source} on {date} (#{id}): {url}")?;
            }
            writeln!(out, "\n{}", row.text)?;
        }
    }
    Ok(Outcome::Success)
}

/// A tag's reasons in a line: « set by hand », the rules' terms and where they matched, or the
/// terms that weighed most in the learnt model, with their weights.
fn explain(reasons: &[StoredReason]) -> String {
    let mut parts: Vec<String> = Vec::new();
    let mut learnt: Vec<String> = Vec::new();
    for r in reasons {
        let times = match r.count {
            0 | 1 => String::new(),
            n => format!(" ×{n}"),
        };
        match r.place.as_str() {
            "hand" => parts.push(r.term.clone()),
            "model" => learnt.push(format!(
                "« {} »{times} {:+.2}",
                r.term,
                r.weight.unwrap_or_default()
            )),
            place => parts.push(format!(
                "« {} » in {place}{times}",
                r.words().join(" », « ")
            )),
        }
    }
    if !learnt.is_empty() {
        parts.push(format!("learnt from examples: {}", learnt.join(", ")));
    }
    parts.join(", ")
}
