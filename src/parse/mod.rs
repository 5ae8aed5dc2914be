//! Parsers: bytes and the URL they came from → article drafts. They never fetch anything.

pub mod feed;
pub mod html;
mod repair;
pub mod suggest;
