//! Parsers: bytes and the URL they came from → article drafts. They never fetch anything.

mod census;
mod cutoff;
mod dialects;
pub mod feed;
pub mod html;
mod repair;
pub mod suggest;
