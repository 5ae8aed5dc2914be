//! Stories through the real binary: the labelled articles of `fixtures/stories/` (the same press
//! release on several sites, hard negatives beside them) are served as one feed per source and
//! fetched together; every pair of articles must share a story exactly when their labels do.

use crate::common::feeds::{escape, rss, Item};
use crate::common::{at, fetch_ok, run, search_json, show_json, Reply, Route, Server, Workspace};
use serde_json::Value;
use std::collections::{BTreeMap, HashMap};

struct Labelled {
    source: String,
    url: String,
    title: String,
    published: Option<String>,
    text: String,
    story: String,
}

fn labelled() -> Vec<Labelled> {
    let path =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/stories/articles.jsonl");
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    text.lines()
        .filter(|l| !l.trim().is_empty())
        .map(|line| {
            let v: Value = serde_json::from_str(line).expect("a JSON line");
            let field = |k: &str| {
                v[k].as_str()
                    .unwrap_or_else(|| panic!("{k} in {line}"))
                    .to_string()
            };
            Labelled {
                source: field("source"),
                url: field("url"),
                title: field("title"),
                published: v["published"].as_str().map(str::to_string),
                text: field("text"),
                story: field("story"),
            }
        })
        .collect()
}

/// Serve each source's articles as an RSS feed and fetch them all into one workspace.
fn fetch_all(articles: &[Labelled]) -> (Server, Workspace) {
    let server = Server::start();
    let mut by_source: BTreeMap<&str, Vec<Item>> = BTreeMap::new();
    for a in articles {
        let html: String = a
            .text
            .split("\n\n")
            .map(|p| format!("<p>{}</p>", escape(p)))
            .collect();
        let mut item = Item::new(&a.title, &a.url).description(&html);
        if let Some(published) = &a.published {
            item = item.published(at(published));
        }
        by_source.entry(&a.source).or_default().push(item);
    }
    let mut sources = Vec::new();
    for (source, items) in &by_source {
        let path = format!("/stories/{source}.rss");
        let body = rss(source, &format!("https://{source}.example/"), items);
        server.route(
            &path,
            Route::Fixed(Reply::feed("application/rss+xml", body)),
        );
        sources.push((source.to_string(), server.url(&path)));
    }
    let pairs: Vec<(&str, &str)> = sources
        .iter()
        .map(|(n, u)| (n.as_str(), u.as_str()))
        .collect();
    let ws = Workspace::new(&pairs, &[]);
    fetch_ok(&ws);
    (server, ws)
}

#[test]
fn labelled_articles_form_their_stories() {
    let articles = labelled();
    assert!(
        articles.len() >= 40,
        "the labelled set has {} articles",
        articles.len()
    );
    let (_server, ws) = fetch_all(&articles);
    let stored = search_json(&ws, &["--all"]);
    assert_eq!(stored.len(), articles.len());
    let story_of: HashMap<&str, i64> = stored
        .iter()
        .map(|a| (a["url"].as_str().unwrap(), a["story"].as_i64().unwrap()))
        .collect();
    let mut wrong = Vec::new();
    for (i, a) in articles.iter().enumerate() {
        for b in &articles[i + 1..] {
            let expected = a.story == b.story;
            let got = story_of[a.url.as_str()] == story_of[b.url.as_str()];
            if expected != got {
                wrong.push(format!(
                    "{} / {}: expected same={expected}",
                    a.title, b.title
                ));
            }
        }
    }
    assert!(
        wrong.is_empty(),
        "{} wrong pairs:\n{}",
        wrong.len(),
        wrong.join("\n")
    );
}

#[test]
fn one_row_per_story_and_every_copy_listed() {
    let articles = labelled();
    let (_server, ws) = fetch_all(&articles);
    let labels: std::collections::HashSet<&str> =
        articles.iter().map(|a| a.story.as_str()).collect();
    let rows = search_json(&ws, &[]);
    assert_eq!(rows.len(), labels.len(), "one row per story");

    // The Oxalis press release, on the vendor's site and two trade sites at least.
    let copies: Vec<&Labelled> = articles
        .iter()
        .filter(|a| a.story == "oxalis-levee-12m")
        .collect();
    assert!(copies.len() >= 3);
    let row = rows
        .iter()
        .find(|r| copies.iter().any(|c| c.url == r["url"]))
        .expect("the Oxalis story is listed");
    let shown = show_json(&ws, row["id"].as_i64().unwrap());
    let mut members: Vec<&str> = shown["duplicates"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["url"].as_str().unwrap())
        .chain([shown["url"].as_str().unwrap()])
        .collect();
    members.sort();
    let mut expected: Vec<&str> = copies.iter().map(|c| c.url.as_str()).collect();
    expected.sort();
    assert_eq!(members, expected);
    // The representative is the most complete copy: the longest text.
    let longest = copies
        .iter()
        .max_by_key(|c| c.text.chars().count())
        .unwrap();
    assert_eq!(row["url"], longest.url.as_str(), "{row}");

    let listed = run(&ws, &["stories", "--format", "json"]);
    assert_eq!(listed.code, 0, "{listed}");
    let stories = listed.json();
    let oxalis = stories
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["story"] == row["story"])
        .expect("the story is listed");
    assert_eq!(oxalis["members"].as_u64(), Some(copies.len() as u64));
}
