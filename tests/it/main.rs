//! Integration tests: the real `veille` binary against a real HTTP server on 127.0.0.1
//! serving `fixtures/`, and the real SQLite database. One test binary, one module per theme.

mod add;
mod common;
mod corpora;
mod digest;
mod extract;
mod fetch;
mod fuzz_regressions;
mod init;
mod learning;
mod opml;
mod pages;
mod remove;
mod search;
mod shell;
mod sources;
mod stories;
mod suggest;
mod tags;
