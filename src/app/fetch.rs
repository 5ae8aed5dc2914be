//! `veille fetch`, read as the pipeline: sources → fetch → parse → identity → store.
//! Requests run concurrently (bounded overall and per host); one task writes, source by source,
//! each in one transaction, so a killed run leaves only whole sources behind.

use super::progress::Reporter;
use super::{Context, Outcome, UsageError};
use crate::cli::FetchArgs;
use crate::fetch::{Fetched, Fetcher, Validators};
use crate::identity;
use crate::model::{Prepared, Source, SourceKind};
use crate::parse::feed::parse_feed;
use crate::store::{Failure, Store, WriteCounts};
use crate::tag::Rules;
use chrono::{DateTime, Utc};
use std::collections::HashMap;
use std::sync::Arc;
use std::time::Instant;
use tokio::sync::Semaphore;
use tokio::task::JoinSet;

/// What one source's fetch came to, handed from its task to the writer.
enum Fetch {
    NotModified,
    Parsed {
        articles: Vec<Prepared>,
        validators: Validators,
        fallback_url: String,
    },
    Failed {
        message: String,
        retry_after: Option<DateTime<Utc>>,
        gone: bool,
    },
}

#[derive(Default)]
struct Totals {
    sources: usize,
    counts: WriteCounts,
    failed: usize,
    skipped: usize,
    /// The exit status of the signal that stopped the run, if one did.
    interrupted: Option<u8>,
    /// Sources still in flight when it stopped.
    unfinished: usize,
}

pub fn run(context: &Context, args: &FetchArgs) -> anyhow::Result<Outcome> {
    let sources = select(&context.config.sources, &args.sources)?;
    let _lock = super::lock::acquire(&context.config.settings.database, args.wait)?;
    let mut store = context.open_store()?;
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    let reporter = Reporter::new(args.progress, context.quiet, sources.len());
    let totals = runtime.block_on(fetch_all(
        context, &mut store, sources, args.force, &reporter,
    ));
    reporter.finish();
    let totals = totals?;
    if !context.quiet {
        let skipped = match totals.skipped {
            0 => String::new(),
            n => format!(", {n} skipped"),
        };
        eprintln!(
            "{} sources: {} new, {} updated, {} unchanged, {} failed{skipped}",
            totals.sources,
            totals.counts.new,
            totals.counts.updated,
            totals.counts.unchanged,
            totals.failed
        );
    }
    if let Some(code) = totals.interrupted {
        eprintln!(
            "interrupted: {} sources not fetched; what was complete is stored, the next fetch does the rest",
            totals.unfinished
        );
        return Ok(Outcome::Interrupted(code));
    }
    Ok(if totals.failed > 0 {
        Outcome::SomeSourcesFailed
    } else {
        Outcome::Success
    })
}

/// The enabled sources, or exactly those named with `--source` (even if disabled).
fn select(sources: &[Source], names: &[String]) -> Result<Vec<Source>, UsageError> {
    if names.is_empty() {
        return Ok(sources.iter().filter(|s| s.enabled).cloned().collect());
    }
    names
        .iter()
        .map(|name| {
            sources
                .iter()
                .find(|s| &s.name == name)
                .cloned()
                .ok_or_else(|| UsageError(format!("no source named `{name}` in the configuration")))
        })
        .collect()
}

async fn fetch_all(
    context: &Context,
    store: &mut Store,
    sources: Vec<Source>,
    force: bool,
    reporter: &Reporter,
) -> anyhow::Result<Totals> {
    let settings = &context.config.settings;
    let fetcher = Arc::new(Fetcher::new(settings)?);
    let rules = Arc::new(Rules::compile(&context.config.topics).map_err(UsageError)?);
    let overall = Arc::new(Semaphore::new(settings.concurrency));
    let mut hosts: HashMap<String, Arc<Semaphore>> = HashMap::new();
    let mut totals = Totals {
        sources: sources.len(),
        ..Totals::default()
    };
    let mut tasks = JoinSet::new();
    let mut by_index = Vec::new();
    let now = Utc::now();
    for source in sources {
        let schedule = store.schedule(&source.name)?;
        if !force && schedule.gone {
            totals.skipped += 1;
            if context.verbose > 0 {
                reporter.line(&format!(
                    "{}: skipped: gone (HTTP 410); delete it from feeds.toml (--force tries it again)",
                    source.name
                ));
            }
            reporter.advance(totals.counts.new, totals.failed);
            continue;
        }
        let wait = schedule.retry_after.filter(|t| *t > now);
        if let Some(until) = wait.filter(|_| !force) {
            totals.skipped += 1;
            if context.verbose > 0 {
                reporter.line(&format!(
                    "{}: skipped until {} (the server asked, or it failed several times in a row; --force fetches it)",
                    source.name,
                    until.format("%Y-%m-%d %H:%M UTC")
                ));
            }
            reporter.advance(totals.counts.new, totals.failed);
            continue;
        }
        if source.kind == SourceKind::Html {
            totals.skipped += 1;
            if !context.quiet {
                reporter.line(&format!(
                    "{}: skipped: html sources are not fetched by this version of veille yet",
                    source.name
                ));
            }
            reporter.advance(totals.counts.new, totals.failed);
            continue;
        }
        let validators = store.validators(source.url.as_str())?;
        let host = source.url.host_str().unwrap_or_default().to_string();
        let per_host = hosts
            .entry(host)
            .or_insert_with(|| Arc::new(Semaphore::new(settings.per_host)))
            .clone();
        let (fetcher, overall, rules) = (fetcher.clone(), overall.clone(), rules.clone());
        let index = by_index.len();
        let (url, source_tags) = (source.url.clone(), source.tags.clone());
        by_index.push(source);
        tasks.spawn(async move {
            let started = Instant::now();
            // The host's turn first, so that a busy host never holds slots others could use.
            let _host = per_host.acquire_owned().await;
            let _slot = overall.acquire_owned().await;
            let result = fetch_one(&fetcher, &url, &validators, rules, source_tags).await;
            let moved = fetcher.take_moved(&url);
            (index, result, moved, started.elapsed())
        });
    }
    let stop = stop_signal();
    tokio::pin!(stop);
    loop {
        let joined = tokio::select! {
            joined = tasks.join_next() => joined,
            code = &mut stop => {
                // In-flight requests are dropped; every source already written stays written.
                totals.unfinished = tasks.len();
                tasks.abort_all();
                totals.interrupted = Some(code);
                break;
            }
        };
        let Some(joined) = joined else { break };
        let (index, result, moved, elapsed) = joined?;
        let source = &by_index[index];
        record(
            context,
            reporter,
            store,
            source,
            result,
            elapsed,
            &mut totals,
        );
        note_move(context, reporter, store, source, moved.as_ref());
        reporter.advance(totals.counts.new, totals.failed);
    }
    Ok(totals)
}

/// Resolves on SIGINT (to exit 130) or SIGTERM (to exit 143); never if they cannot be watched.
async fn stop_signal() -> u8 {
    use tokio::signal::unix::{signal, SignalKind};
    let (Ok(mut interrupt), Ok(mut terminate)) = (
        signal(SignalKind::interrupt()),
        signal(SignalKind::terminate()),
    ) else {
        return std::future::pending().await;
    };
    tokio::select! {
        _ = interrupt.recv() => SIGINT_EXIT,
        _ = terminate.recv() => SIGTERM_EXIT,
    }
}

/// The first retries of a failing source wait this long, doubling at each failure...
const BACKOFF_BASE: chrono::Duration = chrono::Duration::minutes(30);
/// ...up to this.
const BACKOFF_CAP: chrono::Duration = chrono::Duration::hours(24);

/// How long to leave a source alone after its `failures`-th failure in a row: a first failure
/// is retried at the next run (a passing fault), then 30 min, 1 h, 2 h… capped at a day.
fn next_attempt_delay(failures: i64) -> chrono::Duration {
    match u32::try_from(failures.saturating_sub(2)) {
        _ if failures <= 1 => chrono::Duration::zero(),
        Ok(doublings) if doublings < 16 => (BACKOFF_BASE * 2i32.pow(doublings)).min(BACKOFF_CAP),
        _ => BACKOFF_CAP,
    }
}

/// Exit statuses of a run stopped by a signal: 128 + the signal's number, as shells report it.
const SIGINT_EXIT: u8 = 130;
const SIGTERM_EXIT: u8 = 143;

/// Fetch, then parse, set identities and tag off the async workers: the CPU-heavy steps.
async fn fetch_one(
    fetcher: &Fetcher,
    url: &url::Url,
    validators: &Validators,
    rules: Arc<Rules>,
    source_tags: Vec<String>,
) -> Fetch {
    let body = match fetcher.get(url, validators, Utc::now()).await {
        Ok(Fetched::NotModified) => return Fetch::NotModified,
        Ok(Fetched::Body(body)) => body,
        Err(e) if e.is_gone() => {
            return Fetch::Failed {
                retry_after: None,
                message: format!("{e} Gone: the feed was removed; veille stops fetching it (delete it from feeds.toml, or --force)"),
                gone: true,
            }
        }
        Err(e) => {
            return Fetch::Failed {
                retry_after: e.retry_after(),
                message: e.to_string(),
                gone: false,
            }
        }
    };
    let parsed = tokio::task::spawn_blocking(move || {
        let result = parse_feed(&body.bytes, body.content_type.as_deref(), &body.final_url);
        let prepared = result.map(|mut feed| {
            identity::assign(&mut feed.items);
            let fallback_url = feed
                .site_url
                .clone()
                .unwrap_or_else(|| body.final_url.to_string());
            let articles: Vec<Prepared> = feed
                .items
                .into_iter()
                .map(|draft| Prepared {
                    tags: rules.tag(&draft.title, &draft.text, &source_tags),
                    draft,
                })
                .collect();
            (articles, fallback_url)
        });
        (prepared, body.validators)
    })
    .await;
    match parsed {
        Ok((Ok((articles, fallback_url)), validators)) => Fetch::Parsed {
            articles,
            validators,
            fallback_url,
        },
        Ok((Err(e), _)) => Fetch::Failed {
            message: e.to_string(),
            retry_after: None,
            gone: false,
        },
        Err(e) => Fetch::Failed {
            message: format!("the parser stopped unexpectedly: {e}"),
            retry_after: None,
            gone: false,
        },
    }
}

/// Remember (and say) that a source's URL moved permanently, so the user updates feeds.toml.
fn note_move(
    context: &Context,
    reporter: &Reporter,
    store: &mut Store,
    source: &Source,
    moved: Option<&url::Url>,
) {
    let Some(to) = moved else { return };
    if let Err(e) = store.record_move(&source.name, to.as_str()) {
        reporter.line(&format!(
            "error: {}: could not record its move: {e:#}",
            source.name
        ));
    }
    if !context.quiet {
        reporter.line(&format!(
            "warning: {}: {} moved permanently to {to}: update its url in {}",
            source.name,
            source.url,
            context.config.path.display()
        ));
    }
}

/// Write one source's outcome and report it. A failure of one source never stops the others.
fn record(
    context: &Context,
    reporter: &Reporter,
    store: &mut Store,
    source: &Source,
    result: Fetch,
    elapsed: std::time::Duration,
    totals: &mut Totals,
) {
    let now = Utc::now();
    let written = match result {
        Fetch::NotModified => store
            .record_not_modified(source, now)
            .map(|()| (WriteCounts::default(), "not modified".to_string())),
        Fetch::Parsed {
            articles,
            validators,
            fallback_url,
        } => store
            .save_articles(
                source,
                &validators,
                &fallback_url,
                &articles,
                &context.config.stories,
                now,
            )
            .map(|counts| (counts, format!("{} items", articles.len()))),
        Fetch::Failed {
            message,
            retry_after,
            gone,
        } => {
            // A source that keeps failing is tried less and less often, whatever the server said.
            let failures = store
                .schedule(&source.name)
                .map_or(1, |s| s.consecutive_failures + 1);
            let backoff = now + next_attempt_delay(failures);
            let failure = Failure {
                message: &message,
                retry_after: Some(retry_after.map_or(backoff, |t| t.max(backoff))),
                gone,
            };
            if let Err(e) = store.record_failure(source, &failure, now) {
                reporter.line(&format!(
                    "error: {}: could not record the failure: {e:#}",
                    source.name
                ));
            }
            totals.failed += 1;
            reporter.line(&format!(
                "error: {}: {message} ({})",
                source.name, source.url
            ));
            return;
        }
    };
    match written {
        Ok((counts, what)) => {
            totals.counts += counts;
            if context.verbose > 0 {
                reporter.line(&format!(
                    "{}: {what}: {} new, {} updated, {} unchanged ({} ms)",
                    source.name,
                    counts.new,
                    counts.updated,
                    counts.unchanged,
                    elapsed.as_millis()
                ));
            }
        }
        Err(e) => {
            totals.failed += 1;
            reporter.line(&format!(
                "error: {}: could not store its articles: {e:#}",
                source.name
            ));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn failing_sources_back_off_exponentially_up_to_a_day() {
        let minutes = |n| next_attempt_delay(n).num_minutes();
        assert_eq!(
            [minutes(0), minutes(1), minutes(2), minutes(3), minutes(4)],
            [0, 0, 30, 60, 120]
        );
        assert_eq!(minutes(8), 24 * 60);
        assert_eq!(minutes(1000), 24 * 60);
    }
}
