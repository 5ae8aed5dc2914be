//! Identity across fetches: conditional GET with 304, the same body fetched again, tracking
//! parameters, duplicated GUIDs, items without dates and titles updated in place. No article is
//! ever stored twice, and nothing is rewritten when nothing changed (items that share a link:
//! `shared_links.rs`).

use crate::common::feeds::{rss, Item};
use crate::common::server::etag_of;
use crate::common::{
    all_articles, at, by_title, fetch, fetch_fixture, fetch_ok, fixture, id_of, utc, Reply, Route,
    Server, Workspace,
};
use std::collections::BTreeMap;
use std::time::Duration;

/// `id → fetched_at` of every stored article.
fn fetched_at_by_id(ws: &Workspace) -> BTreeMap<i64, String> {
    all_articles(ws)
        .iter()
        .map(|a| (id_of(a), a["fetched_at"].as_str().unwrap_or("").to_string()))
        .collect()
}

#[test]
fn second_fetch_is_conditional_and_gets_only_304() {
    let server = Server::start();
    let ws = Workspace::new(
        &[
            ("linuxfr", &server.url("/feeds/linuxfr-news.atom")),
            ("framablog", &server.url("/feeds/framablog.rss")),
            ("next", &server.url("/feeds/next.json")),
        ],
        &[],
    );
    let first = fetch_ok(&ws);
    assert_eq!(first.summary().new, 7, "{first}");
    let before = fetched_at_by_id(&ws);
    assert_eq!(before.len(), 7);

    server.clear_requests();
    // Past the second, so that a rewritten fetched_at would differ.
    std::thread::sleep(Duration::from_millis(1100));
    let second = fetch_ok(&ws);
    let requests = server.requests();
    assert_eq!(requests.len(), 3, "one request per source: {requests:#?}");
    for r in &requests {
        assert_eq!(r.status, 304, "{} was not answered 304: {r:#?}", r.path());
        assert_eq!(
            r.header("if-none-match"),
            Some(etag_of(&fixture(r.path())).as_str()),
            "{} should carry the ETag of the first response",
            r.path()
        );
    }
    let summary = second.summary();
    assert_eq!(
        (
            summary.sources,
            summary.new,
            summary.updated,
            summary.failed
        ),
        (3, 0, 0, 0),
        "{second}"
    );
    assert_eq!(fetched_at_by_id(&ws), before, "a 304 must rewrite nothing");
}

#[test]
fn refetching_the_same_body_stores_nothing_twice() {
    let server = Server::start();
    let body = fixture("/feeds/framablog.rss");
    // No validators: the server sends the full body again and again.
    let mut reply = Reply::feed("application/rss+xml", body);
    reply.conditional = false;
    server.route("/plain/framablog.rss", Route::Fixed(reply));
    let ws = Workspace::new(&[("framablog", &server.url("/plain/framablog.rss"))], &[]);
    assert_eq!(fetch_ok(&ws).summary().new, 2);
    let before = fetched_at_by_id(&ws);
    for _ in 0..2 {
        let again = fetch_ok(&ws);
        let s = again.summary();
        assert_eq!(
            (s.new, s.updated, s.unchanged, s.failed),
            (0, 0, 2, 0),
            "{again}"
        );
    }
    assert_eq!(
        fetched_at_by_id(&ws).keys().collect::<Vec<_>>(),
        before.keys().collect::<Vec<_>>()
    );
    assert!(server.requests().iter().all(|r| r.status == 200));
}

#[test]
fn same_link_with_tracking_parameters_in_two_feeds_is_one_story_with_a_copy_each() {
    let server = Server::start();
    let ws = Workspace::new(
        &[
            ("cnll", &server.url("/feeds/utm-a.rss")),
            ("mondelibre", &server.url("/feeds/utm-b.atom")),
        ],
        &[],
    );
    let run = fetch_ok(&ws);
    let articles = all_articles(&ws);
    let urls: Vec<&str> = articles
        .iter()
        .map(|a| a["url"].as_str().unwrap_or(""))
        .collect();
    assert_eq!(articles.len(), 4, "{urls:#?}\n{run}");
    let charter = "https://www.example-presse.fr/actualites/2026/11/cnll-apell-charte-commune";
    let copies: Vec<&serde_json::Value> = articles.iter().filter(|a| a["url"] == charter).collect();
    assert_eq!(copies.len(), 2, "{urls:#?}");
    assert_ne!(copies[0]["source"], copies[1]["source"]);
    assert_eq!(copies[0]["story"], copies[1]["story"], "one story");
    assert!(
        urls.contains(&"https://cnll.fr/news/observatoire-2026/"),
        "{urls:#?}"
    );
    assert!(
        urls.contains(&"https://www.example-presse.fr/actualites/2026/11/rgesn-version-2"),
        "{urls:#?}"
    );
    assert!(urls
        .iter()
        .all(|u| !u.contains("utm_") && !u.contains("xtor") && !u.contains('#')));
    assert_eq!(run.summary().new, 4, "{run}");
}

#[test]
fn item_without_date_has_null_published_and_is_not_duplicated() {
    let (_server, ws, articles) = fetch_fixture("asso", "/feeds/no-dates.rss");
    assert_eq!(articles.len(), 2, "{articles:#?}");
    for a in &articles {
        assert!(a["published"].is_null(), "{a}");
        utc(&a["fetched_at"]);
    }
    let again = fetch(&ws, &[]);
    assert_eq!(again.code, 0, "{again}");
    assert_eq!(again.summary().new, 0, "{again}");
    assert_eq!(all_articles(&ws).len(), 2);
}

#[test]
fn duplicated_guid_with_different_links_keeps_both_items() {
    let (_server, ws, articles) = fetch_fixture("cc", "/feeds/dup-guid.rss");
    assert_eq!(articles.len(), 2, "{articles:#?}");
    assert_eq!(
        by_title(&articles, "Ouverture du tiers-lieu numérique")["url"],
        "https://www.example-cc.fr/actualites/ouverture-tiers-lieu"
    );
    assert_eq!(
        by_title(&articles, "Fermeture de la déchetterie pour travaux")["url"],
        "https://www.example-cc.fr/actualites/fermeture-dechetterie"
    );
    let again = fetch(&ws, &[]);
    assert_eq!(again.code, 0, "{again}");
    assert_eq!(
        all_articles(&ws).len(),
        2,
        "a re-fetch must not add a third"
    );
}

#[test]
fn changed_title_is_updated_in_place() {
    let server = Server::start();
    let link = "https://www.example-editeur.fr/blog/version-3";
    let version = |title: &str| {
        rss(
            "Blog de l’éditeur",
            "https://www.example-editeur.fr/blog/",
            &[
                Item::new(title, link).published(at("2026-11-19T10:00:00Z")),
                Item::new(
                    "Un article qui ne change pas",
                    "https://www.example-editeur.fr/blog/stable",
                )
                .published(at("2026-11-18T10:00:00Z")),
            ],
        )
    };
    server.route(
        "/blog.rss",
        Route::Fixed(Reply::feed(
            "application/rss+xml",
            version("Version 3 : bêta"),
        )),
    );
    let ws = Workspace::new(&[("editeur", &server.url("/blog.rss"))], &[]);
    assert_eq!(fetch_ok(&ws).summary().new, 2);
    let before = all_articles(&ws);
    let id = id_of(by_title(&before, "Version 3 : bêta"));

    server.route(
        "/blog.rss",
        Route::Fixed(Reply::feed(
            "application/rss+xml",
            version("Version 3 : sortie finale"),
        )),
    );
    let second = fetch_ok(&ws);
    let s = second.summary();
    assert_eq!((s.new, s.updated, s.unchanged), (0, 1, 1), "{second}");
    let after = all_articles(&ws);
    assert_eq!(after.len(), 2);
    let updated = by_title(&after, "Version 3 : sortie finale");
    assert_eq!(id_of(updated), id, "updated in place, same id");
    assert!(after.iter().all(|a| a["title"] != "Version 3 : bêta"));
    assert_eq!(server.requests_to("/blog.rss")[1].status, 200);
}
