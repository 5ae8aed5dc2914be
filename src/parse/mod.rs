//! Parsers: bytes and the URL they came from → article drafts. They never fetch anything.

pub mod feed;
pub mod html;
pub mod suggest;
mod repair;
