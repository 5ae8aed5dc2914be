//! `veille sources`: every configured source with its health, its recent activity, and the
//! monitoring form `--failing N` that exits 1 when a source keeps failing.

use super::output::{fit, pad, paint, plural, terminal_width, Style};
use super::{Context, Outcome};
use crate::cli::{SourcesArgs, TableFormat};
use crate::model::Source;
use crate::store::{Activity, SourceHealth};
use chrono::{DateTime, Duration, Utc};
use serde::Serialize;
use std::io::{IsTerminal, Write};

/// Articles counted as recent in the table: the last this many days.
const RECENT_DAYS: i64 = 30;
/// A source that brought nothing new for this long, while fetched fine, may be dead.
const STALE_AFTER_DAYS: i64 = 30;

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
    /// What its last read, without error, left unread or undelivered (null: nothing).
    last_warning: Option<&'a str>,
    /// Articles first stored in the last 30 days.
    articles_30d: i64,
    /// When its newest article was first stored.
    last_new: Option<&'a str>,
    /// When a failing (or rate-limited) source will be tried again.
    next_attempt: Option<&'a str>,
    /// Fetched fine, but nothing new for 30 days.
    stale: bool,
}

/// One configured source with what the database knows of it.
struct Row<'a> {
    source: &'a Source,
    health: SourceHealth,
    activity: Activity,
    stale: bool,
    next_attempt: Option<String>,
}

pub fn run(context: &Context, args: &SourcesArgs) -> anyhow::Result<Outcome> {
    let store = context.open_store()?;
    let now = Utc::now();
    let mut rows = Vec::new();
    for source in &context.config.sources {
        let health = store.source_health(&source.name)?;
        let activity = store.source_activity(&source.name, now - Duration::days(RECENT_DAYS))?;
        let stale = health.last_success.is_some()
            && activity
                .last_new
                .as_deref()
                .and_then(|t| DateTime::parse_from_rfc3339(t).ok())
                .is_some_and(|t| t < now - Duration::days(STALE_AFTER_DAYS));
        let next_attempt = health
            .retry_after
            .clone()
            .filter(|t| DateTime::parse_from_rfc3339(t).is_ok_and(|t| t > now) && !health.gone);
        rows.push(Row {
            source,
            health,
            activity,
            stale,
            next_attempt,
        });
    }
    if let Some(threshold) = args.failing {
        rows.retain(|r| r.health.consecutive_failures >= i64::from(threshold));
    }
    let mut out = std::io::stdout().lock();
    match args.format {
        TableFormat::Json => {
            let items: Vec<SourceJson> = rows
                .iter()
                .map(|r| SourceJson {
                    name: &r.source.name,
                    kind: r.source.kind.as_str(),
                    url: r.source.url.as_str(),
                    enabled: r.source.enabled,
                    articles: r.health.articles,
                    last_attempt: r.health.last_attempt.as_deref(),
                    last_success: r.health.last_success.as_deref(),
                    consecutive_failures: r.health.consecutive_failures,
                    last_error: r.health.last_error.as_deref(),
                    last_warning: r.health.last_warning.as_deref(),
                    articles_30d: r.activity.recent,
                    last_new: r.activity.last_new.as_deref(),
                    next_attempt: r.next_attempt.as_deref(),
                    stale: r.stale,
                })
                .collect();
            serde_json::to_writer_pretty(&mut out, &items)?;
            writeln!(out)?;
        }
        TableFormat::Table => table(&mut out, context, &rows)?,
    }
    drop(out);
    if !context.quiet && args.failing.is_none() {
        if let Some(note) = super::source_remove::unconfigured_note(context, &store)? {
            eprintln!("{note}");
        }
    }
    match args.failing {
        Some(threshold) if !rows.is_empty() => {
            let names: Vec<&str> = rows.iter().map(|r| r.source.name.as_str()).collect();
            anyhow::bail!(
                "{} failed {} or more in a row: {}",
                plural(names.len() as u64, "source", "sources"),
                plural(threshold, "time", "times"),
                names.join(", ")
            )
        }
        _ => Ok(Outcome::Success),
    }
}

fn table(out: &mut impl Write, context: &Context, rows: &[Row]) -> anyhow::Result<()> {
    let tz = context.config.settings.timezone;
    let local = |t: &str| {
        DateTime::parse_from_rfc3339(t).map_or_else(
            |_| t.to_string(),
            |t| t.with_timezone(&tz).format("%Y-%m-%d %H:%M").to_string(),
        )
    };
    let name_width = rows
        .iter()
        .map(|r| r.source.name.len())
        .max()
        .unwrap_or(4)
        .clamp(4, 30);
    // Cut to the terminal only: piped, the whole cause is printed (for grep, for a mail).
    let status_width = if std::io::stdout().is_terminal() {
        terminal_width().saturating_sub(name_width + 45).max(20)
    } else {
        usize::MAX
    };
    writeln!(
        out,
        "{}  KIND  ARTICLES  30 DAYS  LAST NEW          STATUS",
        pad("NAME", name_width)
    )?;
    for r in rows {
        let h = &r.health;
        let (mut status, style) = match (&h.last_error, r.source.enabled) {
            (_, false) => ("disabled".to_string(), Style::Dim),
            _ if h.gone => (
                "gone (HTTP 410): delete it from feeds.toml".to_string(),
                Style::Error,
            ),
            (Some(error), _) => (
                format!(
                    "{}: {error}",
                    plural(h.consecutive_failures.max(0) as u64, "failure", "failures")
                ),
                Style::Error,
            ),
            (None, _) if h.last_attempt.is_none() => ("never fetched".to_string(), Style::Dim),
            (None, _) if h.last_warning.is_some() => (
                format!("warning: {}", h.last_warning.as_deref().unwrap_or_default()),
                Style::Warning,
            ),
            (None, _) if r.stale => (
                format!("possibly stale: nothing new for over {STALE_AFTER_DAYS} days"),
                Style::Warning,
            ),
            (None, _) if h.articles == 0 => ("ok, no item yet".to_string(), Style::Warning),
            (None, _) => ("ok".to_string(), Style::Plain),
        };
        if let Some(to) = &h.moved_to {
            status.push_str(&format!("; moved to {to}"));
        }
        if let Some(next) = &r.next_attempt {
            status.push_str(&format!("; next attempt {}", local(next)));
        }
        let last_new = r
            .activity
            .last_new
            .as_deref()
            .map_or("-".to_string(), local);
        writeln!(
            out,
            "{}  {:<4}  {:>8}  {:>7}  {:<16}  {}",
            pad(&r.source.name, name_width),
            r.source.kind.as_str(),
            h.articles,
            r.activity.recent,
            last_new,
            paint(&fit(&status, status_width), style, context.color)
        )?;
    }
    Ok(())
}
