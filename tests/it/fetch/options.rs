//! What the settings and flags of `veille fetch` change in a run: the `user_agent` sent,
//! `--quiet` keeping only the error lines, `--source` fetching one source alone.

use crate::common::feeds::rss;
use crate::common::{
    all_articles, fetch, fetch_ok, good_and_broken, Reply, Route, Server, Workspace,
};

#[test]
fn user_agent_from_settings_is_sent() {
    let server = Server::start();
    let ua = "veille-tests/1.0 (+https://example.org/veille)";
    let ws = Workspace::new(
        &[
            ("linuxfr", &server.url("/feeds/linuxfr-news.atom")),
            ("next", &server.url("/feeds/next.json")),
        ],
        &[&format!("user_agent = \"{ua}\"")],
    );
    fetch_ok(&ws);
    let requests = server.requests();
    assert_eq!(requests.len(), 2);
    for r in &requests {
        assert_eq!(r.header("user-agent"), Some(ua), "{r:#?}");
        assert_eq!(r.request.method, "GET");
    }
}

#[test]
fn quiet_prints_only_the_error_lines() {
    let server = Server::start();
    let ws = good_and_broken(&server);
    let run = fetch(&ws, &["--quiet"]);
    assert_eq!(run.code, 3, "{run}");
    let lines: Vec<&str> = run
        .stderr
        .lines()
        .filter(|l| !l.trim().is_empty())
        .collect();
    assert_eq!(lines.len(), 1, "{run}");
    assert!(
        lines[0].starts_with("error: broken: ") && lines[0].contains("HTTP 500"),
        "{run}"
    );
    assert!(run.stdout.is_empty(), "{run}");

    server.route(
        "/broken",
        Route::Fixed(Reply::feed(
            "application/rss+xml",
            rss("ok", "https://ok.example/", &[]),
        )),
    );
    let quiet_ok = fetch(&ws, &["--quiet"]);
    assert_eq!(quiet_ok.code, 0, "{quiet_ok}");
    assert!(quiet_ok.stderr.trim().is_empty(), "{quiet_ok}");
}

#[test]
fn source_flag_fetches_only_that_source() {
    let server = Server::start();
    let ws = Workspace::new(
        &[
            ("linuxfr", &server.url("/feeds/linuxfr-news.atom")),
            ("next", &server.url("/feeds/next.json")),
        ],
        &[],
    );
    let run = fetch(&ws, &["--source", "next"]);
    assert_eq!(run.code, 0, "{run}");
    assert_eq!(run.summary().sources, 1, "{run}");
    assert!(server.requests_to("/feeds/linuxfr-news.atom").is_empty());
    let articles = all_articles(&ws);
    assert_eq!(articles.len(), 2);
    assert!(articles.iter().all(|a| a["source"] == "next"));
}

#[test]
fn no_progress_bar_when_stderr_is_not_a_terminal() {
    let server = Server::start();
    let ws = Workspace::new(&[("linuxfr", &server.url("/feeds/linuxfr-news.atom"))], &[]);
    for mode in ["auto", "never"] {
        let run = fetch(&ws, &["--progress", mode]);
        assert_eq!(run.code, 0, "{run}");
        let lines: Vec<&str> = run.stderr.lines().collect();
        assert_eq!(
            lines.len(),
            1,
            "only the summary line with --progress {mode}: {run}"
        );
        assert!(lines[0].starts_with("1 source: "), "{run}");
    }
    let bad = fetch(&ws, &["--progress", "sometimes"]);
    assert_eq!(bad.code, 2, "{bad}");
}

#[test]
fn double_verbose_shows_each_http_exchange() {
    let server = Server::start();
    let url = server.url("/feeds/linuxfr-news.atom");
    let ws = Workspace::new(&[("linuxfr", &url)], &[]);
    let first = fetch(&ws, &["-vv"]);
    assert_eq!(first.code, 0, "{first}");
    let line = first
        .stderr
        .lines()
        .find(|l| l.starts_with(&format!("http: GET {url} → 200, ")))
        .unwrap_or_else(|| panic!("no exchange line\n{first}"));
    assert!(
        line.contains("application/atom+xml") && line.contains("ETag"),
        "{line}"
    );
    let second = fetch(&ws, &["-vv"]);
    assert!(
        second
            .stderr
            .contains(&format!("http: GET {url} [If-None-Match: "))
            && second.stderr.contains("→ 304 Not Modified"),
        "{second}"
    );
    // One -v: lines per source, no exchanges.
    let once = fetch(&ws, &["-v"]);
    assert!(!once.stderr.contains("http: GET"), "{once}");
}
