//! veille: fetch feeds and pages, extract, deduplicate, store, tag and digest articles.
//!
//! The modules follow the data flow:
//! config → fetch → parse → normalize → identity → store → query/render.
//! `app` is the only place where the stages meet the network, the database, the clock and the
//! terminal.

pub mod app;
pub mod charset;
pub mod cli;
pub mod cluster;
pub mod config;
pub mod dates;
pub mod digest;
pub mod discover;
pub mod extract;
pub mod fetch;
pub mod fuzzing;
pub mod identity;
pub mod model;
pub mod normalize;
pub mod opml;
pub mod parse;
pub mod query;
pub mod store;
pub mod tag;
