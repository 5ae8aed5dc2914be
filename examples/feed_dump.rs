//! The items veille's feed parser reads from files, one JSON object a line: what
//! `scripts/feed-diff` compares with Python's feedparser. Not part of the product.
//!
//! `cargo run --example feed_dump -- FILE…`: for each file `{path, ok, error, warnings, items:
//! [{guid, url, title, published, author}]}`, parsed as `fetch` parses a feed body (no
//! Content-Type, relative links against `https://corpus.invalid/FILE`).

use std::io::Write;
use veille::parse::feed::parse_feed;

fn main() -> std::process::ExitCode {
    let mut out = std::io::stdout().lock();
    let mut status = std::process::ExitCode::SUCCESS;
    for path in std::env::args_os().skip(1) {
        let shown = path.to_string_lossy().into_owned();
        let line = match std::fs::read(&path) {
            Ok(bytes) => dump(&shown, &bytes),
            Err(e) => {
                eprintln!("feed_dump: cannot read {shown}: {e}");
                status = std::process::ExitCode::FAILURE;
                continue;
            }
        };
        if writeln!(out, "{line}").is_err() {
            return std::process::ExitCode::FAILURE;
        }
    }
    status
}

fn dump(path: &str, bytes: &[u8]) -> serde_json::Value {
    let base = url::Url::parse("https://corpus.invalid/")
        .and_then(|b| b.join(path.trim_start_matches('/')))
        .unwrap_or_else(|_| url::Url::parse("https://corpus.invalid/").expect("a valid URL"));
    match parse_feed(bytes, None, &base) {
        Ok(feed) => {
            let items: Vec<serde_json::Value> = feed
                .items
                .iter()
                .map(|d| {
                    serde_json::json!({
                        "guid": d.guid,
                        "url": d.url,
                        "title": d.title,
                        "published": d.published.map(|t| t.timestamp()),
                        "author": d.author,
                    })
                })
                .collect();
            serde_json::json!({"path": path, "ok": true, "error": null,
                "warnings": feed.warnings, "items": items})
        }
        Err(e) => serde_json::json!({"path": path, "ok": false, "error": e.to_string(),
            "warnings": [], "items": []}),
    }
}
