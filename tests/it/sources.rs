//! `veille sources`: health at a glance (colours only when asked or on a terminal), recent
//! activity, possibly stale sources, and `--failing N` for monitoring.

use crate::common::{fetch, good_and_broken, run, sources_json, Route, Server, Workspace};

#[test]
fn failing_exits_1_naming_the_sources_that_keep_failing() {
    let server = Server::start();
    let ws = good_and_broken(&server);
    assert_eq!(fetch(&ws, &[]).code, 3);
    // One failure is not "failing 3 times in a row" yet.
    let out = run(&ws, &["sources", "--failing"]);
    assert_eq!(out.code, 0, "{out}");
    let out = run(&ws, &["sources", "--failing", "1"]);
    assert_eq!(out.code, 1, "{out}");
    assert!(
        out.stdout.contains("broken") && !out.stdout.contains("linuxfr"),
        "{out}"
    );
    assert!(
        out.stderr
            .contains("1 source failed 1 time or more in a row: broken"),
        "{out}"
    );
    for _ in 0..2 {
        fetch(&ws, &["--force"]);
    }
    let out = run(&ws, &["sources", "--failing", "--format", "json"]);
    assert_eq!(out.code, 1, "{out}");
    let listed = out.json();
    assert_eq!(listed.as_array().unwrap().len(), 1);
    assert_eq!(listed[0]["consecutive_failures"], 3);
    assert!(listed[0]["next_attempt"].is_string(), "{listed}");
}

#[test]
fn colours_only_when_asked_or_on_a_terminal() {
    let server = Server::start();
    let ws = good_and_broken(&server);
    fetch(&ws, &[]);
    let plain = run(&ws, &["sources"]);
    assert!(!plain.stdout.contains('\x1b'), "{plain}");
    let coloured = run(&ws, &["sources", "--color", "always"]);
    assert!(
        coloured.stdout.contains("\x1b[31m1 failure: HTTP 500"),
        "{coloured}"
    );
    let never = run(&ws, &["--color", "never", "sources"]);
    assert!(!never.stdout.contains('\x1b'));
}

#[test]
fn activity_of_the_last_30_days_and_possibly_stale_sources() {
    let server = Server::start();
    let ws = good_and_broken(&server);
    fetch(&ws, &[]);
    let health = sources_json(&ws);
    let linuxfr = health.iter().find(|s| s["name"] == "linuxfr").unwrap();
    assert_eq!(linuxfr["articles_30d"], 3);
    assert_eq!(linuxfr["stale"], false);
    // Its articles were all first stored long ago, and every fetch since brought nothing new.
    let conn = rusqlite::Connection::open(ws.db_path()).unwrap();
    conn.execute(
        "UPDATE articles SET fetched_at = '2026-01-05T08:00:00Z' WHERE source = 'linuxfr'",
        [],
    )
    .unwrap();
    let health = sources_json(&ws);
    let linuxfr = health.iter().find(|s| s["name"] == "linuxfr").unwrap();
    assert_eq!(
        (linuxfr["articles_30d"].as_i64(), linuxfr["stale"].as_bool()),
        (Some(0), Some(true))
    );
    let table = run(&ws, &["sources"]);
    assert!(
        table
            .stdout
            .contains("possibly stale: nothing new for over 30 days"),
        "{table}"
    );
}

#[test]
fn the_failure_reason_is_cut_on_a_terminal_only() {
    let server = Server::start();
    // A mismatched end tag of a long name: the parser's message quotes it.
    let name = "element-au-nom-particulierement-long".repeat(4);
    server.route(
        "/broken.rss",
        Route::Fixed(crate::common::Reply::feed(
            "application/rss+xml",
            format!("<rss version=\"2.0\"><channel><{name}>x</channel></rss>"),
        )),
    );
    let ws = Workspace::new(
        &[
            ("linuxfr", &server.url("/feeds/linuxfr-news.atom")),
            ("unreachable", &server.url("/broken.rss")),
        ],
        &[],
    );
    let fetched = fetch(&ws, &[]);
    assert_eq!(fetched.code, 3, "{fetched}");
    let error = sources_json(&ws)
        .iter()
        .find(|s| s["name"] == "unreachable")
        .and_then(|s| s["last_error"].as_str().map(String::from))
        .expect("the failure is recorded");
    assert!(error.chars().count() > 120, "a long reason: {error}");

    let piped = run(&ws, &["sources"]).stdout;
    let line = piped
        .lines()
        .find(|l| l.starts_with("unreachable"))
        .unwrap_or_else(|| panic!("{piped}"));
    assert!(line.ends_with(&error), "piped, the whole reason: {line}");

    let screen = crate::common::terminal::run_on_terminal(&ws, &["sources"]).stdout;
    let line = screen
        .lines()
        .find(|l| l.starts_with("unreachable"))
        .unwrap_or_else(|| panic!("{screen}"));
    assert!(line.trim_end().ends_with('…'), "{line}");
    assert!(
        unicode_width::UnicodeWidthStr::width(line.trim_end()) <= crate::common::terminal::COLUMNS,
        "{line}"
    );
}
