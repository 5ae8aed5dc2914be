//! Items that share a link: within a source (a podcast whose episodes all link to the show,
//! `#fragment` permalinks, empty links, a sponsor post and a linked-list post to one page) each
//! item stays an article; a feed that rotates its GUIDs does not duplicate, while a new post
//! that only shares the link and title of an old one (a new GUID, date and text) is a new
//! article; across sources the
//! same page is one story with a copy per source, shown in `show` and the digest.

use crate::common::feeds::{rss, Item};
use crate::common::{
    all_articles, at, by_title, fetch, fetch_fixture, fetch_ok, id_of, of_source, run, show_json,
    Reply, Route, Server, Workspace,
};

/// Fetch the workspace again: nothing new, nothing updated, and `count` articles in all.
fn refetch_adds_nothing(ws: &Workspace, count: usize) {
    let again = fetch(ws, &[]);
    assert_eq!(again.code, 0, "{again}");
    let s = again.summary();
    assert_eq!((s.new, s.updated), (0, 0), "{again}");
    assert_eq!(all_articles(ws).len(), count, "a re-fetch adds nothing");
}

#[test]
fn podcast_episodes_that_all_link_to_the_show_are_each_kept() {
    let (_server, ws, articles) = fetch_fixture("causeries", "/feeds/podcast-one-link.rss");
    assert_eq!(articles.len(), 4, "{articles:#?}");
    assert!(articles
        .iter()
        .all(|a| a["url"] == "https://www.example-causeries.fr/"));
    by_title(&articles, "Épisode 128 : une mairie passe à Nextcloud");
    refetch_adds_nothing(&ws, 4);
}

#[test]
fn posts_told_apart_by_fragment_permalinks_are_each_kept() {
    let (_server, ws, articles) = fetch_fixture("carnet", "/feeds/fragment-permalinks.rss");
    assert_eq!(articles.len(), 3, "{articles:#?}");
    // The canonical URL has no fragment (SPEC); the items stay apart all the same.
    assert!(articles
        .iter()
        .all(|a| a["url"] == "https://www.example-carnet.fr/2026/11.html"));
    by_title(&articles, "Sauvegardes : restic remplace rsnapshot");
    refetch_adds_nothing(&ws, 3);
}

#[test]
fn entries_with_empty_links_are_each_kept() {
    let (_server, ws, articles) = fetch_fixture("gull", "/feeds/empty-href.atom");
    assert_eq!(articles.len(), 2, "{articles:#?}");
    by_title(&articles, "Install party du 28 novembre");
    by_title(&articles, "Compte rendu de l’assemblée générale");
    refetch_adds_nothing(&ws, 2);
}

#[test]
fn a_sponsor_post_and_a_linked_post_to_one_page_are_two_articles() {
    let (_server, _ws, articles) = fetch_fixture("liens", "/feeds/linkblog.rss");
    assert_eq!(articles.len(), 3, "{articles:#?}");
    let sponsor = by_title(&articles, "Sponsor : Kerlann Cloud, l’hébergeur qualifié");
    let linked = by_title(&articles, "Kerlann Cloud ouvre une région à Brest");
    assert_eq!(sponsor["url"], linked["url"]);
    assert_ne!(id_of(sponsor), id_of(linked));
}

#[test]
fn a_feed_that_rotates_its_guids_is_not_duplicated() {
    let server = Server::start();
    let version = |run: u32| {
        let item = |n: u32, title: &str| {
            let mut item = Item::new(title, &format!("https://www.example-cms.fr/actu/{n}"))
                .published(at("2026-11-19T10:00:00Z"));
            // The CMS makes a new GUID at each export.
            item.guid = Some(format!("export-{run}-item-{n}"));
            item
        };
        rss(
            "Actualités de la communauté",
            "https://www.example-cms.fr/",
            &[
                item(1, "Rencontres régionales du libre"),
                item(2, "Appel à conférences"),
            ],
        )
    };
    let serve = |run: u32| {
        server.route(
            "/actu.rss",
            Route::Fixed(Reply::feed("application/rss+xml", version(run))),
        );
    };
    serve(1);
    let ws = Workspace::new(&[("cms", &server.url("/actu.rss"))], &[]);
    assert_eq!(fetch_ok(&ws).summary().new, 2);
    let ids: Vec<i64> = all_articles(&ws).iter().map(id_of).collect();
    for rotation in [2, 3] {
        serve(rotation);
        let again = fetch_ok(&ws);
        let s = again.summary();
        assert_eq!((s.new, s.updated, s.unchanged), (0, 0, 2), "{again}");
        let now: Vec<i64> = all_articles(&ws).iter().map(id_of).collect();
        assert_eq!(now, ids, "the same articles, the same ids");
    }
}

#[test]
fn a_weekly_post_with_the_link_and_title_of_the_last_is_a_new_article() {
    let server = Server::start();
    // An association posts « Permanence du samedi » each week, always linking to its agenda
    // page: a new GUID, a new date and a new text each time. The feed keeps the last two.
    let week = |n: u32| {
        let mut item = Item::new("Permanence du samedi", "https://www.example-gull.fr/agenda")
            .published(at(&format!("2026-11-{:02}T09:00:00Z", 7 * n)))
            .description(&format!(
                "<p>Samedi {}, installation de Debian 13.</p>",
                7 * n
            ));
        item.guid = Some(format!("permanence-{n}"));
        item
    };
    let serve = |weeks: &[u32]| {
        let items: Vec<Item> = weeks.iter().map(|n| week(*n)).collect();
        let feed = rss("GULL", "https://www.example-gull.fr/", &items);
        server.route(
            "/agenda.rss",
            Route::Fixed(Reply::feed("application/rss+xml", feed)),
        );
    };
    serve(&[1]);
    let ws = Workspace::new(&[("gull", &server.url("/agenda.rss"))], &[]);
    assert_eq!(fetch_ok(&ws).summary().new, 1);
    let first = id_of(&all_articles(&ws)[0]);
    for (weeks, total) in [(&[2, 1][..], 2), (&[3, 2][..], 3), (&[4][..], 4)] {
        serve(weeks);
        let run = fetch_ok(&ws);
        let s = run.summary();
        assert_eq!((s.new, s.updated), (1, 0), "{weeks:?}: {run}");
        assert_eq!(all_articles(&ws).len(), total, "{weeks:?}");
    }
    let kept = show_json(&ws, first);
    assert_eq!(
        kept["text"], "Samedi 7, installation de Debian 13.",
        "the first week's post is still itself: {kept:#}"
    );
}

#[test]
fn the_same_page_in_two_sources_is_one_story_with_a_copy_each() {
    let server = Server::start();
    let ws = Workspace::new(
        &[
            ("presse", &server.url("/feeds/utm-b.atom")),
            ("liens", &server.url("/feeds/linkblog.rss")),
        ],
        &[],
    );
    let first = fetch_ok(&ws);
    assert_eq!(first.summary().new, 5, "{first}");
    let articles = all_articles(&ws);
    let page = "https://www.example-presse.fr/actualites/2026/11/rgesn-version-2";
    let copies: Vec<_> = articles.iter().filter(|a| a["url"] == page).collect();
    assert_eq!(copies.len(), 2, "{articles:#?}");
    let press = of_source(&articles, "presse")
        .into_iter()
        .find(|a| a["url"] == page)
        .expect("the press copy");
    let link = by_title(&articles, "Le RGESN en version 2");
    assert_eq!(link["source"], "liens");
    assert_eq!(press["story"], link["story"], "one story");

    let shown = show_json(&ws, id_of(link));
    assert_eq!(
        shown["duplicates"],
        serde_json::json!([{"id": id_of(press), "source": "presse", "url": page}]),
        "{shown:#}"
    );

    let digest = run(&ws, &["digest", "--since", "30d", "--format", "json"]);
    assert_eq!(digest.code, 0, "{digest}");
    let stories = digest.json()["stories"].clone();
    let story = stories
        .as_array()
        .into_iter()
        .flatten()
        .find(|s| s["story"] == press["story"])
        .unwrap_or_else(|| panic!("the story in the digest: {stories:#}"));
    assert_eq!(
        story["members"].as_array().map(Vec::len),
        Some(2),
        "{story:#}"
    );
    let markdown = run(&ws, &["digest", "--since", "30d"]);
    assert_eq!(markdown.code, 0, "{markdown}");
    assert!(
        markdown.stdout.contains("Aussi dans\u{a0}: [liens]")
            || markdown.stdout.contains("Aussi dans\u{a0}: [presse]"),
        "{markdown}"
    );

    refetch_adds_nothing(&ws, 5);
}
