//! `veille show ID`: one article in full, its tags with their reasons, and its copies.

use super::output::{local_date, stored_reasons, ArticleJson};
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
                let why: Vec<String> = stored_reasons(reasons)
                    .iter()
                    .map(|r| {
                        let words = r.words().join(" », « ");
                        match r.count {
                            0 | 1 => format!("« {words} » in {}", r.place),
                            n => format!("« {words} » in {} ×{n}", r.place),
                        }
                    })
                    .collect();
                writeln!(out, "Tag {topic}: {}", why.join(", "))?;
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
