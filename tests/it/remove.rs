//! `veille source remove NAME`: the source leaves `feeds.toml` (the rest of the file kept), its
//! articles stay or go as the user says (with their index entries and stories), and `fetch` and
//! `sources` point out articles of sources no longer configured; `search --source` refuses a
//! name it cannot know.

use crate::common::{all_articles, fetch_ok, run, search_json, Server, Workspace};

fn two_sources() -> (Server, Workspace) {
    let server = Server::start();
    let ws = Workspace::new(
        &[
            ("linuxfr", &server.url("/feeds/linuxfr-news.atom")),
            ("next", &server.url("/feeds/next.json")),
        ],
        &[],
    );
    // A comment of the user's, which the edit must keep.
    let text = std::fs::read_to_string(ws.config_path()).expect("feeds.toml");
    ws.write_raw(&format!("# my watch list\n{text}"));
    fetch_ok(&ws);
    (server, ws)
}

fn count_of(ws: &Workspace, source: &str) -> usize {
    all_articles(ws)
        .iter()
        .filter(|a| a["source"] == source)
        .count()
}

#[test]
fn removing_a_source_asks_what_becomes_of_its_articles_then_deletes_them() {
    let (_server, ws) = two_sources();
    let before = std::fs::read_to_string(ws.config_path()).expect("feeds.toml");
    let linuxfr = count_of(&ws, "linuxfr");
    assert_eq!(linuxfr, 3);

    let undecided = run(&ws, &["source", "remove", "linuxfr"]);
    assert_eq!(undecided.code, 2, "{undecided}");
    assert!(
        undecided.stderr.contains("--keep-articles") && undecided.stderr.contains("3 articles"),
        "{undecided}"
    );
    assert_eq!(std::fs::read_to_string(ws.config_path()).unwrap(), before);
    assert_eq!(count_of(&ws, "linuxfr"), 3);

    let removed = run(&ws, &["source", "remove", "linuxfr", "--delete-articles"]);
    assert_eq!(removed.code, 0, "{removed}");
    assert!(
        removed.stdout.contains("deleted its 3 articles"),
        "{removed}"
    );
    let after = std::fs::read_to_string(ws.config_path()).unwrap();
    assert!(after.starts_with("# my watch list\n"), "{after}");
    assert!(!after.contains("linuxfr"), "{after}");
    assert!(after.contains("name = \"next\""), "{after}");
    assert_eq!(count_of(&ws, "linuxfr"), 0);
    assert_eq!(count_of(&ws, "next"), 2);
    // Gone from the full-text index and from the stories too.
    assert!(search_json(&ws, &["PostgreSQL"]).is_empty());
    let stories = run(&ws, &["stories", "--format", "json"]);
    assert_eq!(stories.code, 0, "{stories}");
    assert_eq!(
        stories.json().as_array().map(Vec::len),
        Some(2),
        "{stories}"
    );
    // Neither configured nor stored: a name nobody knows, exit 2.
    let search = run(&ws, &["search", "--source", "linuxfr"]);
    assert_eq!(search.code, 2, "{search}");
    let again = run(&ws, &["source", "remove", "linuxfr", "--delete-articles"]);
    assert_eq!(again.code, 2, "{again}");
}

#[test]
fn kept_articles_stay_searchable_and_are_not_pointed_out() {
    let (_server, ws) = two_sources();
    let removed = run(&ws, &["source", "remove", "next", "--keep-articles"]);
    assert_eq!(removed.code, 0, "{removed}");
    assert!(removed.stdout.contains("kept its 2 articles"), "{removed}");
    assert!(!std::fs::read_to_string(ws.config_path())
        .unwrap()
        .contains("next"));
    assert_eq!(search_json(&ws, &["--source", "next"]).len(), 2);
    let sources = run(&ws, &["sources"]);
    assert_eq!(sources.code, 0, "{sources}");
    assert!(!sources.stderr.contains("no longer"), "{sources}");
}

#[test]
fn articles_of_a_source_taken_out_by_hand_are_pointed_out() {
    let (server, ws) = two_sources();
    ws.write_config(&[("next", &server.url("/feeds/next.json"))], &[]);
    let sources = run(&ws, &["sources", "--format", "json"]);
    assert_eq!(sources.code, 0, "{sources}");
    assert!(
        sources
            .stderr
            .contains("stored articles of sources no longer in")
            && sources.stderr.contains("linuxfr (3)"),
        "{sources}"
    );
    let fetched = fetch_ok(&ws);
    assert!(fetched.stderr.contains("linuxfr (3)"), "{fetched}");
    // Its name still finds its articles, and removing it deletes them.
    assert_eq!(search_json(&ws, &["--source", "linuxfr"]).len(), 3);
    let removed = run(&ws, &["source", "remove", "linuxfr", "--delete-articles"]);
    assert_eq!(removed.code, 0, "{removed}");
    assert_eq!(count_of(&ws, "linuxfr"), 0);
}

#[test]
fn search_and_stories_refuse_a_source_nobody_knows() {
    let (_server, ws) = two_sources();
    for command in ["search", "stories"] {
        let run = run(&ws, &[command, "--source", "nosuch"]);
        assert_eq!(run.code, 2, "{command}: {run}");
        assert!(run.stderr.contains("nosuch"), "{run}");
    }
}
