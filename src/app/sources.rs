//! `veille sources`: every configured source with its stored health.

use super::output::{fit, pad, terminal_width};
use super::{Context, Outcome};
use crate::cli::{SourcesArgs, TableFormat};
use crate::store::SourceHealth;
use serde::Serialize;
use std::io::Write;

#[derive(Serialize)]
struct SourceJson<'a> {
    name: &'a str,
    kind: &'a str,
    url: &'a str,
    enabled: bool,
    articles: i64,
    last_attempt: Option<&'a str>,
    last_success: Option<&'a str>,
    consecutive_failures: i64,
    last_error: Option<&'a str>,
}

pub fn run(context: &Context, args: &SourcesArgs) -> anyhow::Result<Outcome> {
    let store = context.open_store()?;
    let sources = &context.config.sources;
    let health: Vec<SourceHealth> = sources
        .iter()
        .map(|s| store.source_health(&s.name))
        .collect::<Result<_, _>>()?;
    let mut out = std::io::stdout().lock();
    match args.format {
        TableFormat::Json => {
            let items: Vec<SourceJson> = sources
                .iter()
                .zip(&health)
                .map(|(s, h)| SourceJson {
                    name: &s.name,
                    kind: s.kind.as_str(),
                    url: s.url.as_str(),
                    enabled: s.enabled,
                    articles: h.articles,
                    last_attempt: h.last_attempt.as_deref(),
                    last_success: h.last_success.as_deref(),
                    consecutive_failures: h.consecutive_failures,
                    last_error: h.last_error.as_deref(),
                })
                .collect();
            serde_json::to_writer_pretty(&mut out, &items)?;
            writeln!(out)?;
        }
        TableFormat::Table => {
            let now = chrono::Utc::now();
            let name_width = sources
                .iter()
                .map(|s| s.name.len())
                .max()
                .unwrap_or(4)
                .clamp(4, 30);
            let status_width = terminal_width().saturating_sub(name_width + 30).max(20);
            writeln!(
                out,
                "{}  KIND  ARTICLES  LAST SUCCESS          STATUS",
                pad("NAME", name_width)
            )?;
            for (source, h) in sources.iter().zip(&health) {
                let mut status = match (&h.last_error, source.enabled) {
                    (_, false) => "disabled".to_string(),
                    _ if h.gone => "gone (HTTP 410): delete it from feeds.toml".to_string(),
                    (Some(error), _) => format!("{} failure(s): {error}", h.consecutive_failures),
                    (None, _) if h.last_attempt.is_none() => "never fetched".to_string(),
                    (None, _) => "ok".to_string(),
                };
                let waiting = h
                    .retry_after
                    .as_deref()
                    .and_then(|t| chrono::DateTime::parse_from_rfc3339(t).ok())
                    .filter(|t| *t > now);
                if let Some(to) = &h.moved_to {
                    status.push_str(&format!("; moved to {to}"));
                }
                if let Some(next) = waiting.filter(|_| !h.gone) {
                    let next = next.with_timezone(&context.config.settings.timezone);
                    status.push_str(&format!("; next attempt {}", next.format("%Y-%m-%d %H:%M")));
                }
                writeln!(
                    out,
                    "{}  {:<4}  {:>8}  {:<20}  {}",
                    pad(&source.name, name_width),
                    source.kind.as_str(),
                    h.articles,
                    h.last_success.as_deref().unwrap_or("-"),
                    fit(&status, status_width)
                )?;
            }
        }
    }
    Ok(Outcome::Success)
}
