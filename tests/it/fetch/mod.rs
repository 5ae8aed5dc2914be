//! `veille fetch` against the loopback server, one module per theme: feed formats and charsets,
//! identity across fetches, failures of a source, the flags and settings of a run, and scale;
//! items that share a link, feeds read as empty, and feeds as real sites write them.

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
mod shared_links;
mod unread;
mod wild;
