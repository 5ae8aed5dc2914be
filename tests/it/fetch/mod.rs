//! `veille fetch` against the loopback server, one module per theme: feed formats and charsets,
//! identity across fetches, failures of a source, the flags and settings of a run, and scale.

mod crash;
mod failures;
mod formats;
mod hostile;
mod identity;
mod interrupt;
mod lock;
mod options;
mod progress;
mod scale;
