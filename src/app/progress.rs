//! What `fetch` shows while it runs: a progress bar on a terminal (sources done, new articles,
//! failures so far), never in cron; the lines of failed sources print above it.

use crate::cli::Progress;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use std::io::IsTerminal;

/// The bar's template: sources done of all, then the counts so far.
const TEMPLATE: &str = "{spinner} [{bar:30}] {pos}/{len} sources  {msg}  {elapsed}";

#[derive(Clone)]
pub struct Reporter {
    bar: Option<ProgressBar>,
}

impl Reporter {
    /// A bar when asked for (`always`) or on a terminal (`auto`), never with `--quiet`.
    pub fn new(mode: Progress, quiet: bool, sources: usize) -> Reporter {
        let show = !quiet
            && match mode {
                Progress::Always => true,
                Progress::Never => false,
                Progress::Auto => std::io::stderr().is_terminal(),
            };
        let bar = show.then(|| {
            let bar =
                ProgressBar::with_draw_target(Some(sources as u64), ProgressDrawTarget::stderr());
            if let Ok(style) = ProgressStyle::with_template(TEMPLATE) {
                bar.set_style(style.progress_chars("=> "));
            }
            bar
        });
        Reporter { bar }
    }

    /// A line for the user (an error, a verbose detail), above the bar when there is one.
    pub fn line(&self, text: &str) {
        match &self.bar {
            Some(bar) => bar.println(text),
            None => eprintln!("{text}"),
        }
    }

    /// One more source done.
    pub fn advance(&self, new: usize, failed: usize) {
        if let Some(bar) = &self.bar {
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
