//! An article page → its title, date, author and main text. Pure: bytes already decoded, the
//! page URL and the timezone for naive local times are arguments; no network, no clock.
//!
//! `body` finds the main text of a page without a `content` selector; `meta` reads the
//! title, published date and author from the page's markup and text.

pub mod body;
pub mod meta;
