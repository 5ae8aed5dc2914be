//! What `fetch` shows while it runs: a progress bar on a terminal (sources done, new articles,
//! failures so far, the sources still awaited when one is slow), never in cron; the lines of
//! failed sources and of `-v` print above it, and on stderr whenever no bar is drawn.

use crate::cli::Progress;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressState, ProgressStyle};
use std::collections::BTreeMap;
use std::io::IsTerminal;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// The bar's template: sources done of all, the counts so far, then the slow sources.
const TEMPLATE: &str = "{spinner} [{bar:30}] {pos}/{len} sources  {msg}  {elapsed}{waiting}";
/// A source under way for this long is named on the bar.
const SLOW: Duration = Duration::from_secs(2);
/// The bar is redrawn this often even when no source finishes, so it keeps moving.
const TICK: Duration = Duration::from_millis(200);
/// Slow sources named on the bar at most (the others are counted).
const NAMED: usize = 3;

/// The sources under way, by their index in the run, with when they started.
type Waiting = Arc<Mutex<BTreeMap<usize, (String, Instant)>>>;

#[derive(Clone)]
pub struct Reporter {
    bar: Option<ProgressBar>,
    waiting: Waiting,
}

impl Reporter {
    /// A bar when asked for (`always`, drawn even when stderr is not a terminal) or on a terminal
    /// (`auto`), never with `--quiet`.
    pub fn new(mode: Progress, quiet: bool, sources: usize) -> Reporter {
        let terminal = std::io::stderr().is_terminal();
        let show = !quiet
            && match mode {
                Progress::Always => true,
                Progress::Never => false,
                Progress::Auto => terminal,
            };
        let waiting = Waiting::default();
        let bar = show.then(|| {
            let target = if terminal {
                ProgressDrawTarget::stderr()
            } else {
                ProgressDrawTarget::term_like(Box::new(console::Term::stderr()))
            };
            let bar = ProgressBar::with_draw_target(Some(sources as u64), target);
            if let Ok(style) = ProgressStyle::with_template(TEMPLATE) {
                let shared = waiting.clone();
                let key = move |_: &ProgressState, w: &mut dyn std::fmt::Write| {
                    let _ = w.write_str(&slow_sources(&shared, Instant::now()));
                };
                bar.set_style(style.progress_chars("=> ").with_key("waiting", key));
            }
            bar.enable_steady_tick(TICK);
            bar
        });
        Reporter { bar, waiting }
    }

    /// A line for the user (an error, a verbose detail): above the bar when one is drawn, else
    /// on stderr, so that no mode of the bar ever hides it.
    pub fn line(&self, text: &str) {
        match &self.bar {
            Some(bar) if !bar.is_hidden() => bar.println(text),
            _ => eprintln!("{text}"),
        }
    }

    /// Source `index` of the run (`name`) is under way.
    pub fn started(&self, index: usize, name: &str) {
        if self.bar.is_some() {
            lock(&self.waiting).insert(index, (name.to_string(), Instant::now()));
        }
    }

    /// One more source done (`index`, when it was under way).
    pub fn advance(&self, index: Option<usize>, new: usize, failed: usize) {
        if let Some(bar) = &self.bar {
            if let Some(index) = index {
                lock(&self.waiting).remove(&index);
            }
            bar.inc(1);
            bar.set_message(format!("{new} new, {failed} failed"));
        }
    }

    pub fn finish(&self) {
        if let Some(bar) = &self.bar {
            bar.finish_and_clear();
        }
    }
}

/// A poisoned lock only means a drawing thread panicked; the names are still good to show.
fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

/// «  · waiting for slow-site (12 s), other (3 s) and 2 more », or nothing when none is slow.
fn slow_sources(waiting: &Mutex<BTreeMap<usize, (String, Instant)>>, now: Instant) -> String {
    let mut slow: Vec<(Duration, String)> = lock(waiting)
        .values()
        .map(|(name, since)| (now.saturating_duration_since(*since), name.clone()))
        .filter(|(took, _)| *took >= SLOW)
        .collect();
    if slow.is_empty() {
        return String::new();
    }
    slow.sort_by(|a, b| b.0.cmp(&a.0).then_with(|| a.1.cmp(&b.1)));
    let named: Vec<String> = slow
        .iter()
        .take(NAMED)
        .map(|(took, name)| format!("{name} ({} s)", took.as_secs()))
        .collect();
    let more = match slow.len().saturating_sub(NAMED) {
        0 => String::new(),
        n => format!(" and {n} more"),
    };
    format!("  · waiting for {}{more}", named.join(", "))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_only_the_slow_sources_slowest_first() {
        let now = Instant::now();
        let waiting = Mutex::new(BTreeMap::new());
        assert_eq!(slow_sources(&waiting, now), "");
        let ago = |s| now.checked_sub(Duration::from_secs(s)).unwrap_or(now);
        lock(&waiting).insert(0, ("quick".to_string(), now));
        lock(&waiting).insert(1, ("slow".to_string(), ago(3)));
        lock(&waiting).insert(2, ("slower".to_string(), ago(9)));
        assert_eq!(
            slow_sources(&waiting, now),
            "  · waiting for slower (9 s), slow (3 s)"
        );
        for i in 3..6 {
            lock(&waiting).insert(i, (format!("s{i}"), ago(2)));
        }
        assert!(slow_sources(&waiting, now).ends_with(", s3 (2 s) and 2 more"));
    }
}
