//! `veille extract URL|FILE`: the article of one page, from a saved file or over HTTP, in each
//! format, with or without a configuration; bad targets get a sentence and the right exit code.

use crate::common::{bare, run, Run, Server, Workspace};
use serde_json::Value;
use std::path::Path;

const PAGE: &str = "sites/blog/bluemind-5-2-est-disponible.html";
const TITLE: &str = "BlueMind 5.2 est disponible";
const LEAD: &str = "La version 5.2 de BlueMind apporte la prise en charge native de JMAP";

fn fixture_path(path: &str) -> String {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures")
        .join(path)
        .display()
        .to_string()
}

fn with_config() -> Workspace {
    Workspace::new(&[], &[])
}

#[test]
fn a_saved_page_is_read_in_each_format() {
    let ws = with_config();
    let file = fixture_path(PAGE);

    let out = run(&ws, &["extract", &file]);
    assert_eq!(out.code, 0, "{out}");
    let mut lines = out.stdout.lines();
    assert_eq!(lines.next(), Some(TITLE), "{out}");
    // Naive of nothing: 09:30 +01:00 is 09:30 in Paris, the configured zone.
    assert_eq!(
        lines.next(),
        Some("2026-11-16 09:30 CET · Claire Martin · 98 words"),
        "{out}"
    );
    assert!(
        lines.next().is_some_and(|l| l.starts_with("file://")),
        "{out}"
    );
    assert!(out.stdout.contains(LEAD), "{out}");

    let out = run(&ws, &["extract", &file, "--format", "markdown"]);
    assert_eq!(out.code, 0, "{out}");
    assert!(out.stdout.starts_with(&format!("# {TITLE}\n\n")), "{out}");
    assert!(
        out.stdout.contains("*2026-11-16 09:30 CET · Claire Martin"),
        "{out}"
    );
    assert!(out.stdout.contains(LEAD), "{out}");

    let out = run(&ws, &["extract", &file, "--format", "json"]);
    assert_eq!(out.code, 0, "{out}");
    let json: Value = serde_json::from_str(&out.stdout).expect("extract prints JSON");
    assert_eq!(json["title"], TITLE);
    assert_eq!(json["author"], "Claire Martin");
    assert_eq!(json["published"], "2026-11-16T08:30:00Z");
    assert!(
        json["text"].as_str().is_some_and(|t| t.starts_with(LEAD)),
        "{json}"
    );
    let summary = json["summary"].as_str().unwrap_or_default();
    assert!(
        summary.starts_with(LEAD) && summary.chars().count() <= 300,
        "{json}"
    );
}

#[test]
fn a_page_is_fetched_as_fetch_would_and_its_url_made_canonical() {
    let server = Server::start();
    let ws = with_config();
    let url = server.url(&format!("/{PAGE}?utm_source=rss&utm_medium=rss#comments"));
    let out = run(&ws, &["extract", &url, "--format", "json"]);
    assert_eq!(out.code, 0, "{out}");
    let json: Value = serde_json::from_str(&out.stdout).expect("extract prints JSON");
    assert_eq!(json["url"], server.url(&format!("/{PAGE}")));
    assert_eq!(json["title"], TITLE);
    // The configuration's user agent is the one sent.
    let sent = server.requests_to(&format!("/{PAGE}"));
    assert_eq!(sent.len(), 1);
    assert!(
        sent[0]
            .header("user-agent")
            .is_some_and(|ua| ua.starts_with("veille/")),
        "{:?}",
        sent[0].header("user-agent")
    );
}

#[test]
fn no_configuration_is_needed() {
    // In an empty folder, with no configuration anywhere (not even in the XDG folder).
    let ws = Workspace::empty();
    let output = bare(&ws)
        .args(["extract", &fixture_path(PAGE)])
        .output()
        .expect("run veille");
    let out = Run::from(output);
    assert_eq!(out.code, 0, "{out}");
    assert!(out.stdout.starts_with(TITLE), "{out}");
}

#[test]
fn a_hostile_page_stays_inert_in_markdown() {
    let server = Server::start();
    server.route(
        "/hostile.html",
        crate::common::Route::Fixed(crate::common::Reply::feed(
            "text/html; charset=utf-8",
            "<html><head><title>[clic](javascript:alert(1)) <b>gras</b></title></head><body><article>\
             <h1>[clic](javascript:alert(1))</h1><p>Un paragraphe qui contient un lien \
             [ici](javascript:alert(2)) et du <script>alert(3)</script> code, assez long pour \
             être retenu comme texte principal de la page par l’extracteur de veille.</p>\
             <p onclick=\"alert(4)\">Un second paragraphe, tout aussi long que le premier, pour que \
             la page ait un vrai corps de texte et soit lue comme un article.</p></article></body></html>",
        )),
    );
    let ws = with_config();
    let out = run(
        &ws,
        &[
            "extract",
            &server.url("/hostile.html"),
            "--format",
            "markdown",
        ],
    );
    assert_eq!(out.code, 0, "{out}");
    // Rendered by a CommonMark parser, the text holds no link and no HTML.
    let mut html = String::new();
    pulldown_cmark::html::push_html(&mut html, pulldown_cmark::Parser::new(&out.stdout));
    assert!(!html.contains("href=\"javascript"), "{html}");
    assert!(!html.contains("<b>") && !html.contains("<script"), "{html}");
    assert!(
        html.contains("[clic](javascript:alert(1))"),
        "the title is kept as text: {html}"
    );
    assert!(
        !out.stdout.contains("alert(3)") && !out.stdout.contains("onclick"),
        "{out}"
    );
}

#[test]
fn bad_targets_get_a_sentence_and_the_right_exit_code() {
    let server = Server::start();
    let ws = with_config();
    // Neither a file nor a URL: a usage error.
    let out = run(&ws, &["extract", "no-such-page.html"]);
    assert_eq!(out.code, 2, "{out}");
    assert!(
        out.stderr.contains("neither a file nor an http(s) URL"),
        "{out}"
    );
    // Not a web URL: a usage error.
    let out = run(&ws, &["extract", "ftp://example.org/page.html"]);
    assert_eq!(out.code, 2, "{out}");
    assert!(out.stderr.contains("only http and https"), "{out}");
    // A page that is not there: a runtime failure naming the URL and the status.
    let missing = server.url("/missing.html");
    let out = run(&ws, &["extract", &missing]);
    assert_eq!(out.code, 1, "{out}");
    assert!(
        out.stderr.contains(&missing) && out.stderr.contains("404"),
        "{out}"
    );
    assert!(!out.stderr.contains("panicked"), "{out}");
}
