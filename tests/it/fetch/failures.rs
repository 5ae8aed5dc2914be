//! Each way a source can fail (malformed XML, not a feed, HTTP errors, timeout, redirects,
//! `max_body` and gzip bombs, Retry-After) reported on one line naming the source, while the
//! other sources are still stored and the run exits 3.

use crate::common::feeds::{big_rss, gzip_zeros, rss};
use crate::common::server::http_date;
use crate::common::{
    all_articles, fetch, fetch_ok, fixture, of_source, Reply, Route, Server, Workspace,
};
use chrono::Utc;
use std::time::{Duration, Instant};

/// A good source beside a failing one: the good one is stored, the run exits 3 and names the bad.
pub(super) fn assert_isolated_failure(
    server: Server,
    route: Route,
    settings: &[&str],
    expected: &[&str],
) -> (Server, Workspace) {
    server.route("/broken", route);
    let ws = Workspace::new(
        &[
            ("linuxfr", &server.url("/feeds/linuxfr-news.atom")),
            ("broken", &server.url("/broken")),
        ],
        settings,
    );
    let run = fetch(&ws, &[]);
    assert_eq!(run.code, 3, "one source failed: exit 3\n{run}");
    let line = run
        .error_for("broken")
        .unwrap_or_else(|| panic!("no `error: broken: …` line\n{run}"));
    for part in expected {
        assert!(line.contains(part), "{line:?} should contain {part:?}");
    }
    assert!(run.error_for("linuxfr").is_none(), "{run}");
    let s = run.summary();
    assert_eq!((s.sources, s.new, s.failed), (2, 3, 1), "{run}");
    assert_eq!(of_source(&all_articles(&ws), "linuxfr").len(), 3);
    (server, ws)
}

/// The line number in `malformed XML at line N`.
fn malformed_line(line: &str) -> usize {
    let (_, rest) = line
        .split_once("malformed XML at line ")
        .unwrap_or_else(|| panic!("{line:?} should say `malformed XML at line N`"));
    let digits: String = rest.chars().take_while(char::is_ascii_digit).collect();
    digits
        .parse()
        .unwrap_or_else(|_| panic!("no line number in {line:?}"))
}

#[test]
fn malformed_xml_names_the_line() {
    let server = Server::start();
    let ws = Workspace::new(
        &[
            ("linuxfr", &server.url("/feeds/linuxfr-news.atom")),
            ("broken", &server.url("/feeds/malformed.xml")),
        ],
        &[],
    );
    let run = fetch(&ws, &[]);
    assert_eq!(run.code, 3, "{run}");
    let line = run.error_for("broken").unwrap_or_else(|| panic!("{run}"));
    // `<title>` opens on line 7 and is never closed; `</item>` on line 9 is where it shows.
    let n = malformed_line(line);
    assert!(n == 7 || n == 9, "{line}");
    assert_eq!(of_source(&all_articles(&ws), "linuxfr").len(), 3);
}

#[test]
fn truncated_body_is_malformed_xml_at_its_last_line() {
    let last_line = fixture("/feeds/truncated.rss")
        .iter()
        .filter(|b| **b == b'\n')
        .count()
        + 1;
    let server = Server::start();
    let ws = Workspace::new(
        &[
            ("linuxfr", &server.url("/feeds/linuxfr-news.atom")),
            ("broken", &server.url("/feeds/truncated.rss")),
        ],
        &[],
    );
    let run = fetch(&ws, &[]);
    assert_eq!(run.code, 3, "{run}");
    let line = run.error_for("broken").unwrap_or_else(|| panic!("{run}"));
    assert_eq!(malformed_line(line), last_line, "{line}");
    assert_eq!(of_source(&all_articles(&ws), "linuxfr").len(), 3);
}

#[test]
fn well_formed_xml_that_is_not_a_feed() {
    assert_isolated_failure(
        Server::start(),
        Route::Fixed(Reply::feed(
            "application/xml",
            fixture("/pages/sitemap.xml"),
        )),
        &[],
        &["not a feed"],
    );
}

#[test]
fn html_page_is_not_a_feed() {
    let body = fixture("/pages/not-a-feed.html");
    assert_isolated_failure(
        Server::start(),
        Route::Fixed(Reply::feed("text/html; charset=utf-8", body)),
        &[],
        &["not a feed"],
    );
}

#[test]
fn http_500_fails_the_source_only() {
    assert_isolated_failure(Server::start(), Route::status(500), &[], &["HTTP 500"]);
}

#[test]
fn http_404_fails_the_source_only() {
    assert_isolated_failure(Server::start(), Route::status(404), &[], &["HTTP 404"]);
}

#[test]
fn silent_server_times_out() {
    let started = Instant::now();
    let (server, _ws) = assert_isolated_failure(
        Server::start(),
        Route::Silent(Duration::from_secs(60)),
        &["timeout = \"2s\""],
        &["timeout after 2 s"],
    );
    assert_eq!(server.requests_to("/broken").len(), 1);
    drop(server);
    assert!(
        started.elapsed() < Duration::from_secs(20),
        "took {:?}",
        started.elapsed()
    );
}

#[test]
fn redirect_loop_is_detected() {
    // /broken → /loop/b → /broken
    let server = Server::start();
    server.route("/loop/b", Route::redirect(302, "/broken"));
    let (server, _ws) = assert_isolated_failure(
        server,
        Route::redirect(301, "/loop/b"),
        &[],
        &["redirect loop"],
    );
    assert!(
        server.requests_to("/broken").len() <= 2,
        "a loop is stopped as soon as seen"
    );
}

#[test]
fn long_redirect_chain_is_too_many_redirects() {
    let server = Server::start();
    for i in 0..30 {
        server.route(
            &format!("/hop/{i}"),
            Route::redirect(302, &format!("/hop/{}", i + 1)),
        );
    }
    server.route(
        "/hop/30",
        Route::Fixed(Reply::feed(
            "application/rss+xml",
            rss("x", "https://x.example/", &[]),
        )),
    );
    let ws = Workspace::new(
        &[
            ("linuxfr", &server.url("/feeds/linuxfr-news.atom")),
            ("broken", &server.url("/hop/0")),
        ],
        &[],
    );
    let run = fetch(&ws, &[]);
    assert_eq!(run.code, 3, "{run}");
    let line = run.error_for("broken").unwrap_or_else(|| panic!("{run}"));
    assert!(line.contains("too many redirects"), "{line}");
    assert_eq!(of_source(&all_articles(&ws), "linuxfr").len(), 3);
    assert!(server.requests_to("/hop/30").is_empty());
}

#[test]
fn one_redirect_to_a_feed_is_followed() {
    let server = Server::start();
    server.route(
        "/old-feed",
        Route::redirect(301, "/feeds/linuxfr-news.atom"),
    );
    let ws = Workspace::new(&[("linuxfr", &server.url("/old-feed"))], &[]);
    fetch_ok(&ws);
    assert_eq!(all_articles(&ws).len(), 3);
}

#[test]
fn body_above_max_body_is_refused() {
    assert_isolated_failure(
        Server::start(),
        Route::Fixed(Reply::feed("application/rss+xml", big_rss(3 << 20))),
        &["max_body = \"1MiB\""],
        &["body larger than 1 MiB"],
    );
}

#[test]
fn gzip_bomb_hits_max_body_after_decompression() {
    let bomb = gzip_zeros(200 << 20);
    assert!(
        bomb.len() < 1 << 20,
        "the bomb itself is small: {} bytes",
        bomb.len()
    );
    let started = Instant::now();
    assert_isolated_failure(
        Server::start(),
        Route::Fixed(Reply::gzip("application/rss+xml", bomb)),
        &["max_body = \"1MiB\""],
        &["body larger than 1 MiB"],
    );
    assert!(
        started.elapsed() < Duration::from_secs(30),
        "took {:?}",
        started.elapsed()
    );
}

#[test]
fn retry_after_429_fails_then_skips_the_source_without_a_request() {
    let (server, ws) = assert_isolated_failure(
        Server::start(),
        Route::Fixed(Reply::status(429).header("Retry-After", "3600")),
        &[],
        &["HTTP 429", "retry after"],
    );
    server.clear_requests();
    let second = fetch(&ws, &[]);
    assert_eq!(
        second.code, 0,
        "a skipped source is not a failure\n{second}"
    );
    let s = second.summary();
    assert_eq!((s.sources, s.failed, s.skipped), (2, 0, 1), "{second}");
    assert!(
        second.stderr.trim_end().ends_with(", 1 skipped"),
        "{second}"
    );
    assert!(
        server.requests_to("/broken").is_empty(),
        "no request during Retry-After"
    );
    assert_eq!(server.requests_to("/feeds/linuxfr-news.atom").len(), 1);
}

#[test]
fn retry_after_http_date_on_503_is_honoured() {
    let later = http_date(Utc::now() + chrono::Duration::hours(2));
    let (server, ws) = assert_isolated_failure(
        Server::start(),
        Route::Fixed(Reply::status(503).header("Retry-After", &later)),
        &[],
        &["HTTP 503", "retry after"],
    );
    server.clear_requests();
    let second = fetch(&ws, &[]);
    assert_eq!(second.code, 0, "{second}");
    assert_eq!(second.summary().skipped, 1, "{second}");
    assert!(server.requests_to("/broken").is_empty());
}

#[test]
fn a_source_failing_again_and_again_is_retried_less_often() {
    let server = Server::start();
    server.route("/down", Route::status(500));
    let ws = Workspace::new(
        &[
            ("linuxfr", &server.url("/feeds/linuxfr-news.atom")),
            ("down", &server.url("/down")),
        ],
        &[],
    );
    // A first failure is retried at the next run; after the second the source waits.
    assert_eq!(fetch(&ws, &[]).code, 3);
    assert_eq!(fetch(&ws, &[]).code, 3);
    assert_eq!(server.requests_to("/down").len(), 2);
    let waiting = fetch(&ws, &[]);
    assert_eq!(waiting.code, 0, "{waiting}");
    assert!(waiting.stderr.contains("1 skipped"), "{waiting}");
    assert_eq!(
        server.requests_to("/down").len(),
        2,
        "no request while it waits"
    );
    let table = crate::common::run(&ws, &["sources"]);
    assert!(table.stdout.contains("next attempt"), "{table}");

    let forced = fetch(&ws, &["--force"]);
    assert_eq!(forced.code, 3, "{forced}");
    assert_eq!(server.requests_to("/down").len(), 3);
}

#[test]
fn a_gone_source_is_reported_then_no_longer_fetched() {
    let server = Server::start();
    server.route("/gone", Route::status(410));
    let ws = Workspace::new(
        &[
            ("linuxfr", &server.url("/feeds/linuxfr-news.atom")),
            ("gone", &server.url("/gone")),
        ],
        &[],
    );
    let first = fetch(&ws, &[]);
    assert_eq!(first.code, 3, "{first}");
    let error = first.error_for("gone").unwrap_or_default().to_string();
    assert!(
        error.contains("HTTP 410 Gone") && error.contains("feeds.toml"),
        "{first}"
    );

    let second = fetch(&ws, &[]);
    assert_eq!(second.code, 0, "{second}");
    assert!(second.stderr.contains("1 skipped"), "{second}");
    assert_eq!(server.requests_to("/gone").len(), 1, "never asked again");
    let table = crate::common::run(&ws, &["sources"]);
    assert!(table.stdout.contains("gone (HTTP 410)"), "{table}");

    let forced = fetch(&ws, &["--force"]);
    assert_eq!(forced.code, 3, "{forced}");
    assert_eq!(server.requests_to("/gone").len(), 2);
}

#[test]
fn a_permanent_redirect_is_followed_and_reported() {
    let server = Server::start();
    server.route(
        "/old.atom",
        Route::redirect(301, "/feeds/linuxfr-news.atom"),
    );
    server.route("/temporary.json", Route::redirect(302, "/feeds/next.json"));
    let ws = Workspace::new(
        &[
            ("linuxfr", &server.url("/old.atom")),
            ("next", &server.url("/temporary.json")),
        ],
        &[],
    );
    let run = fetch(&ws, &[]);
    assert_eq!(run.code, 0, "{run}");
    let new_url = server.url("/feeds/linuxfr-news.atom");
    assert!(
        run.stderr.contains(&format!(
            "warning: linuxfr: {} moved permanently to {new_url}",
            server.url("/old.atom")
        )),
        "{run}"
    );
    assert!(
        !run.stderr.contains("warning: next"),
        "a 302 is not a move: {run}"
    );
    assert_eq!(crate::common::all_articles(&ws).len(), 5);
    let table = crate::common::run(&ws, &["sources"]);
    assert!(
        table.stdout.contains(&format!("moved to {new_url}")),
        "{table}"
    );
}
