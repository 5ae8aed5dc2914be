//! Parsers: bytes and the URL they came from → article drafts. They never fetch anything.

mod census;
mod cutoff;
mod dialects;
pub mod feed;
pub mod html;
mod repair;
pub mod suggest;

/// The line (from 1) of a byte offset in `text`, for messages that say where a document breaks.
fn line_of(text: &str, offset: usize) -> usize {
    text.as_bytes()[..offset.min(text.len())]
        .iter()
        .filter(|b| **b == b'\n')
        .count()
        + 1
}
