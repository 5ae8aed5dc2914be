//! No silent empty feed: a document whose items cannot be read fails its source in words; a
//! feed that lists no item, or some items fewer than it holds, is a warning of its source in
//! `fetch`'s output and in `veille sources`, never a plain "ok".

use crate::common::{fetch, fetch_ok, run, sources_json, Server, Workspace};

/// The entry of `sources --format json` named `name`.
fn health(ws: &Workspace, name: &str) -> serde_json::Value {
    sources_json(ws)
        .into_iter()
        .find(|s| s["name"] == name)
        .unwrap_or_else(|| panic!("no source {name} in `veille sources`"))
}

#[test]
fn items_that_cannot_be_read_fail_the_source() {
    let server = Server::start();
    let ws = Workspace::new(
        &[
            ("cms", &server.url("/feeds/unreadable-items.rss")),
            ("linuxfr", &server.url("/feeds/linuxfr-news.atom")),
        ],
        &[],
    );
    let run = fetch(&ws, &[]);
    assert_eq!(run.code, 3, "the source failed: exit 3\n{run}");
    let line = run
        .error_for("cms")
        .unwrap_or_else(|| panic!("no `error: cms: …` line\n{run}"));
    assert!(
        line.contains("the feed holds 2 items but none could be read"),
        "{line}"
    );
    let cms = health(&ws, "cms");
    assert!(
        cms["last_error"]
            .as_str()
            .is_some_and(|e| e.contains("none could be read")),
        "{cms:#}"
    );
    assert_eq!(
        health(&ws, "linuxfr")["last_error"],
        serde_json::Value::Null
    );
}

#[test]
fn a_feed_that_lists_no_item_is_a_warning_not_ok() {
    let server = Server::start();
    let ws = Workspace::new(&[("asso", &server.url("/feeds/empty-channel.rss"))], &[]);
    let first = fetch_ok(&ws);
    assert!(
        first
            .stderr
            .contains("warning: asso: the feed lists no item"),
        "{first}"
    );
    let asso = health(&ws, "asso");
    assert_eq!(asso["last_warning"], "the feed lists no item", "{asso:#}");
    let table = run(&ws, &["sources"]);
    assert_eq!(table.code, 0, "{table}");
    let row = table
        .stdout
        .lines()
        .find(|l| l.starts_with("asso"))
        .unwrap_or_else(|| panic!("no row for asso\n{table}"));
    assert!(row.contains("warning: the feed lists no item"), "{row}");
    // --quiet prints errors only.
    let quiet = fetch(&ws, &["--quiet"]);
    assert_eq!((quiet.code, quiet.stderr.as_str()), (0, ""), "{quiet}");
}

#[test]
fn items_fewer_than_the_document_holds_are_a_warning() {
    let server = Server::start();
    let ws = Workspace::new(&[("carnet", &server.url("/feeds/lenient.json"))], &[]);
    let first = fetch_ok(&ws);
    assert_eq!(first.summary().new, 2, "{first}");
    assert!(
        first
            .stderr
            .contains("warning: carnet: the feed holds 3 items, 1 of them could not be read"),
        "{first}"
    );
    let carnet = health(&ws, "carnet");
    assert!(
        carnet["last_warning"]
            .as_str()
            .is_some_and(|w| w.contains("1 of them could not be read")),
        "{carnet:#}"
    );
}
