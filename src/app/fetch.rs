//! `veille fetch`, read as the pipeline: sources → fetch → parse → identity → store.
//! Requests run concurrently (bounded overall and per host); one task writes, source by source,
//! each in one transaction, so a killed run leaves only whole sources behind.

use super::collect::{Collected as Fetch, Collector, Job, Known, KnownQuery, MAX_PAGES_PER_RUN};
use super::output::plural;
use super::progress::Reporter;
use super::{Context, Outcome, UsageError};
use crate::cli::FetchArgs;
use crate::fetch::polite::{Gate, Robots};
use crate::fetch::Fetcher;
use crate::model::Source;
use crate::store::{Failure, Store, WriteCounts};
use crate::tag::Rules;
use chrono::Utc;
use std::sync::Arc;
use std::time::Instant;
use tokio::sync::mpsc;
use tokio::task::JoinSet;

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
            "{}: {} new, {} updated, {} unchanged, {} failed{skipped}",
            plural(totals.sources as u64, "source", "sources"),
            totals.counts.new,
            totals.counts.updated,
            totals.counts.unchanged,
            totals.failed
        );
    }
    if !context.quiet {
        if let Some(note) = super::source_remove::unconfigured_note(context, &store)? {
            eprintln!("{note}");
        }
    }
    if let Some(code) = totals.interrupted {
        eprintln!(
            "interrupted: {} not fetched; what was complete is stored, the next fetch does the rest",
            plural(totals.unfinished as u64, "source", "sources")
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
    let trace = (context.verbose > 1).then(|| {
        let reporter = reporter.clone();
        Arc::new(move |line: &str| reporter.line(line)) as crate::fetch::Trace
    });
    let mut collector = collector(context, trace)?;
    // The learnt models join the rules (retrained first if their examples changed).
    collector.rules = super::learn::rules(context, store)?.0;
    let collector = Arc::new(collector);
    let (ask, mut questions) = mpsc::unbounded_channel::<KnownQuery>();
    let mut totals = Totals {
        sources: sources.len(),
        ..Totals::default()
    };
    let mut tasks = JoinSet::new();
    let mut by_index = Vec::new();
    let mut queue = std::collections::VecDeque::new();
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
            reporter.advance(None, totals.counts.new, totals.failed);
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
            reporter.advance(None, totals.counts.new, totals.failed);
            continue;
        }
        let job = Job {
            validators: store.validators(source.url.as_str())?,
            known: Known::Ask(ask.clone()),
            page_budget: MAX_PAGES_PER_RUN,
            source: source.clone(),
        };
        queue.push_back((by_index.len(), job));
        by_index.push(source);
    }
    drop(ask);
    // Sources collected but not yet written hold their articles in memory: at most this many
    // are under way at once, which keeps every request slot busy while the writer works.
    let in_flight = context.config.settings.concurrency * IN_FLIGHT_PER_SLOT;
    let stop = stop_signal();
    tokio::pin!(stop);
    // Sources are written in groups, each committed once: at GROUP_ARTICLES new articles, at
    // GROUP_TIME after its first write (even while every other source waits on the network),
    // and at the end (on a signal too: what is complete is kept). A group opens with the first
    // source to write, so that no write lock is held while the run only waits on the network.
    let mut group_due: Option<tokio::time::Instant> = None;
    loop {
        while tasks.len() < in_flight {
            let Some((index, job)) = queue.pop_front() else {
                break;
            };
            let collector = collector.clone();
            reporter.started(index, &job.source.name);
            tasks.spawn(async move {
                let started = Instant::now();
                let url = job.source.url.clone();
                let result = collector.clone().collect(job).await;
                let moved = collector.fetcher.take_moved(&url);
                (index, result, moved, started.elapsed())
            });
        }
        let joined = tokio::select! {
            Some((source, urls, reply)) = questions.recv() => {
                // A task asks which of its items are stored already; on a database error it
                // hears "none", and the store's unique indexes still keep out duplicates.
                let known = store.known_urls(&source, &urls).unwrap_or_default();
                let _ = reply.send(known);
                continue;
            }
            () = sleep_until(group_due), if group_due.is_some() => {
                store.end_group()?;
                group_due = None;
                continue;
            }
            joined = tasks.join_next() => joined,
            code = &mut stop => {
                // In-flight requests are dropped; every source already written stays written.
                totals.unfinished = tasks.len() + queue.len();
                tasks.abort_all();
                totals.interrupted = Some(code);
                break;
            }
        };
        let Some(joined) = joined else { break };
        let (index, result, moved, elapsed) = joined?;
        let source = &by_index[index];
        store.begin_group()?;
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
        reporter.advance(Some(index), totals.counts.new, totals.failed);
        if store.group_articles() >= GROUP_ARTICLES {
            store.end_group()?;
            group_due = None;
        } else if group_due.is_none() {
            group_due = Some(tokio::time::Instant::now() + GROUP_TIME);
        }
    }
    store.end_group()?;
    Ok(totals)
}

/// New articles written in one transaction at most (memory of the full-text index's pending
/// terms, and how much a killed run loses to fetch again)...
const GROUP_ARTICLES: usize = 2000;
/// ...and how long a group stays open at most: readers see new articles this late at most.
const GROUP_TIME: std::time::Duration = std::time::Duration::from_secs(1);

/// Waits until `due` (never without one).
async fn sleep_until(due: Option<tokio::time::Instant>) {
    match due {
        Some(due) => tokio::time::sleep_until(due).await,
        None => std::future::pending().await,
    }
}

/// Sources under way (fetching, parsing, or waiting to be written) per request slot.
const IN_FLIGHT_PER_SLOT: usize = 1;
/// Sources parsed and waiting to be written, per core ([`Collector::ready`]): enough to keep
/// the writer busy while the others wait with their body alone.
const READY_PER_CORE: usize = 2;

/// What every source's collection shares in this run.
/// With `trace`, every HTTP exchange is reported (`-vv`).
pub(super) fn collector(
    context: &Context,
    trace: Option<crate::fetch::Trace>,
) -> anyhow::Result<Collector> {
    let settings = &context.config.settings;
    let fetcher = Fetcher::new(settings)?;
    let cores = std::thread::available_parallelism().map_or(2, std::num::NonZeroUsize::get);
    Ok(Collector {
        fetcher: match trace {
            Some(trace) => fetcher.with_trace(trace),
            None => fetcher,
        },
        gate: Gate::new(settings.concurrency, settings.per_host),
        robots: Robots::new(&settings.user_agent),
        rules: Rules::compile(&context.config.topics).map_err(UsageError)?,
        timezone: settings.timezone,
        delay: settings.delay,
        page_concurrency: settings.per_host,
        max_items: settings.max_items,
        cpu: tokio::sync::Semaphore::new(cores),
        ready: Arc::new(tokio::sync::Semaphore::new(cores * READY_PER_CORE)),
    })
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
            notes,
            warnings,
            // Released once written: the next source may be parsed.
            ready: _ready,
        } => store
            .save_articles(
                source,
                &validators,
                &fallback_url,
                &articles,
                &context.config.stories,
                now,
            )
            .and_then(|counts| {
                store.record_warnings(&source.name, &warnings)?;
                if context.verbose > 0 {
                    for note in &notes {
                        reporter.line(&format!("{}: {note}", source.name));
                    }
                }
                if !context.quiet {
                    for warning in &warnings {
                        reporter.line(&format!("warning: {}: {warning}", source.name));
                    }
                }
                Ok((counts, plural(articles.len() as u64, "item", "items")))
            }),
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
