//! `veille fetch` at scale: 500 generated feeds stored in one run, then all answered 304.

use crate::common::feeds::generated_feed;
use crate::common::{all_articles, fetch_ok, Reply, Route, Server, Workspace};

#[test]
fn five_hundred_generated_feeds_then_five_hundred_304() {
    const FEEDS: usize = 500;
    const ITEMS: usize = 10;
    let server = Server::start();
    let base = server.url("");
    let mut sources = Vec::new();
    for n in 0..FEEDS {
        let path = format!("/gen/{n:03}.rss");
        let body = generated_feed(&base, n, ITEMS);
        server.route(
            &path,
            Route::generate(move |_| Reply::feed("application/rss+xml", body.clone())),
        );
        sources.push((format!("gen-{n:03}"), server.url(&path)));
    }
    let sources: Vec<(&str, &str)> = sources
        .iter()
        .map(|(n, u)| (n.as_str(), u.as_str()))
        .collect();
    let ws = Workspace::new(&sources, &["concurrency = 16", "per_host = 16"]);

    let first = fetch_ok(&ws);
    let s = first.summary();
    assert_eq!(
        (s.sources, s.new, s.failed),
        (FEEDS as u64, (FEEDS * ITEMS) as u64, 0),
        "{first}"
    );
    assert_eq!(all_articles(&ws).len(), FEEDS * ITEMS);

    server.clear_requests();
    let second = fetch_ok(&ws);
    let requests = server.requests();
    assert_eq!(requests.len(), FEEDS);
    let not_304: Vec<_> = requests.iter().filter(|r| r.status != 304).collect();
    assert!(
        not_304.is_empty(),
        "{} requests were not 304: {not_304:#?}",
        not_304.len()
    );
    let s = second.summary();
    assert_eq!((s.new, s.updated, s.failed), (0, 0, 0), "{second}");
}
