//! `veille fetch` against the loopback server: every feed format and charset stored right,
//! conditional GET, identity (no duplicates, updates in place), and each failure of a source
//! reported by name while the other sources are still stored.

use crate::common::feeds::{big_rss, generated_feed, gzip, gzip_zeros, rss, Item};
use crate::common::server::{content_type_of, etag_of, http_date};
use crate::common::{
    all_articles, by_title, fetch, fetch_ok, fixture, id_of, of_source, show_json, Reply, Route,
    Server, Workspace,
};
use chrono::{DateTime, Utc};
use serde_json::Value;
use std::collections::BTreeMap;
use std::time::{Duration, Instant};

/// The instant an RFC 3339 field holds; it must be UTC written with `Z`.
fn utc(field: &Value) -> DateTime<Utc> {
    let text = field
        .as_str()
        .unwrap_or_else(|| panic!("expected an RFC 3339 string, got {field}"));
    assert!(text.ends_with('Z'), "{text} should be UTC written with Z");
    DateTime::parse_from_rfc3339(text)
        .unwrap_or_else(|e| panic!("{text} is not RFC 3339: {e}"))
        .with_timezone(&Utc)
}

fn at(rfc3339: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(rfc3339)
        .expect("a valid instant in the test")
        .with_timezone(&Utc)
}

/// Assert title, url, published instant and author of a stored article.
fn assert_article(
    a: &Value,
    title: &str,
    url: &str,
    published: Option<&str>,
    author: Option<&str>,
) {
    assert_eq!(a["title"], title, "title of {a}");
    assert_eq!(a["url"], url, "url of {a}");
    match published {
        Some(p) => assert_eq!(utc(&a["published"]), at(p), "published of {a}"),
        None => assert!(a["published"].is_null(), "published should be null: {a}"),
    }
    match author {
        Some(name) => assert_eq!(a["author"], name, "author of {a}"),
        None => assert!(a["author"].is_null(), "author should be null: {a}"),
    }
    utc(&a["fetched_at"]);
    let summary = a["summary"].as_str().expect("summary is a string");
    assert!(
        summary.chars().count() <= 300,
        "summary over 300 characters: {summary}"
    );
    assert!(
        !summary.contains('<'),
        "summary should be plain text: {summary}"
    );
    assert!(
        !summary.contains('\u{FFFD}'),
        "replacement character in {summary}"
    );
}

/// One workspace, one source served from `fixtures/`, fetched once successfully.
fn fetch_fixture(name: &str, path: &str) -> (Server, Workspace, Vec<Value>) {
    let server = Server::start();
    let ws = Workspace::new(&[(name, &server.url(path))], &[]);
    fetch_ok(&ws);
    let articles = all_articles(&ws);
    (server, ws, articles)
}

#[test]
fn atom_from_linuxfr_is_stored_with_title_url_date_author_and_text() {
    let (_server, ws, articles) = fetch_fixture("linuxfr", "/feeds/linuxfr-news.atom");
    assert_eq!(articles.len(), 3, "{articles:#?}");
    let a = by_title(
        &articles,
        "Souveraineté numérique : l’État publie sa doctrine « cloud au centre »",
    );
    assert_article(
        a,
        "Souveraineté numérique : l’État publie sa doctrine « cloud au centre »",
        "https://linuxfr.org/news/souverainete-numerique-l-etat-publie-sa-doctrine-cloud-au-centre",
        Some("2026-11-20T13:03:11Z"),
        Some("Aurélie Dupré"),
    );
    assert_eq!(a["source"], "linuxfr");
    assert_eq!(a["tags"], serde_json::json!([]));
    assert_eq!(a["duplicates"], serde_json::json!([]));
    assert_eq!(a["story"], a["id"], "an article alone is its own story");
    assert!(
        a["summary"]
            .as_str()
            .unwrap_or("")
            .contains("« souveraineté numérique »"),
        "summary: {}",
        a["summary"]
    );

    let shown = show_json(&ws, id_of(a));
    let text = shown["text"].as_str().expect("show has a text");
    assert!(text.contains("Ce qui change"), "text: {text}");
    assert!(text.contains("R&D"), "entities decoded once: {text}");
    assert!(
        !text.contains("&amp;") && !text.contains("<p>"),
        "plain text: {text}"
    );
    assert_eq!(shown["tag_reasons"], serde_json::json!({}));
    assert_eq!(shown["title"], a["title"]);

    let b = by_title(&articles, "Sortie de PostgreSQL 19");
    assert_article(
        b,
        "Sortie de PostgreSQL 19",
        "https://linuxfr.org/news/sortie-de-postgresql-19",
        Some("2026-11-18T08:30:00Z"),
        Some("Jean-Loïc Bérard"),
    );
}

#[test]
fn wordpress_rss_uses_content_encoded_dc_creator_and_drops_utm() {
    let (_server, ws, articles) = fetch_fixture("framablog", "/feeds/framablog.rss");
    assert_eq!(articles.len(), 2, "{articles:#?}");
    let a = by_title(
        &articles,
        "Émancipons-nous : un an de PeerTube dans les écoles",
    );
    assert_article(
        a,
        "Émancipons-nous : un an de PeerTube dans les écoles",
        "https://framablog.org/2026/11/19/emancipons-nous-un-an-de-peertube-dans-les-ecoles/",
        Some("2026-11-19T07:42:00Z"),
        Some("Framasoft"),
    );
    let text = show_json(&ws, id_of(a))["text"]
        .as_str()
        .unwrap_or("")
        .to_string();
    assert!(
        text.contains("Une fédération, pas une plateforme"),
        "the full text of content:encoded, not the description: {text}"
    );
    let b = by_title(&articles, "Khrys’presse du lundi 16 novembre 2026");
    assert_article(
        b,
        "Khrys’presse du lundi 16 novembre 2026",
        "https://framablog.org/2026/11/16/khryspresse-du-lundi-16-novembre-2026/",
        Some("2026-11-16T06:30:00Z"),
        Some("Khrys"),
    );
}

#[test]
fn wordpress_summary_only_items_are_stored() {
    let (_server, _ws, articles) = fetch_fixture("bluemind", "/feeds/bluemind-summary.rss");
    assert_eq!(articles.len(), 2, "{articles:#?}");
    let a = by_title(
        &articles,
        "BlueMind 5.4 : la messagerie qui remplace Exchange sans douleur",
    );
    assert_article(
        a,
        "BlueMind 5.4 : la messagerie qui remplace Exchange sans douleur",
        "https://www.bluemind.net/bluemind-5-4-messagerie-remplace-exchange/",
        Some("2026-11-17T15:20:31Z"),
        Some("Équipe BlueMind"),
    );
    assert!(a["summary"]
        .as_str()
        .unwrap_or("")
        .contains("Outlook pour Mac"));
}

#[test]
fn spip_feed_in_iso_8859_1_keeps_its_accents() {
    let (_server, ws, articles) = fetch_fixture("gsm", "/feeds/gsm-spip.rss");
    assert_eq!(articles.len(), 2, "{articles:#?}");
    let a = by_title(
        &articles,
        "Cybersécurité : la sécurité des PME passe d’abord par la formation",
    );
    assert_article(
        a,
        "Cybersécurité : la sécurité des PME passe d’abord par la formation",
        "https://www.globalsecuritymag.fr/Cybersecurite-la-securite-des-PME-passe-d-abord-par-la,20261119,148211.html",
        Some("2026-11-19T09:12:00Z"),
        Some("Marc Jacob"),
    );
    let summary = a["summary"].as_str().unwrap_or("");
    assert!(summary.contains("l’hameçonnage"), "summary: {summary}");
    let b = by_title(
        &articles,
        "Rançongiciels : les hôpitaux français toujours en première ligne",
    );
    assert_eq!(utc(&b["published"]), at("2026-11-18T15:45:00Z"));
    let text = show_json(&ws, id_of(b))["text"]
        .as_str()
        .unwrap_or("")
        .to_string();
    assert!(text.contains("martèle l’agence"), "text: {text}");
    assert!(
        !text.contains('Ã') && !text.contains('\u{FFFD}'),
        "mojibake: {text}"
    );
}

#[test]
fn windows_1252_curly_quotes_and_ellipsis_are_decoded() {
    let (_server, _ws, articles) = fetch_fixture("gull", "/feeds/win1252.rss");
    assert_eq!(articles.len(), 1, "{articles:#?}");
    let a = &articles[0];
    assert_article(
        a,
        "L’install party “spéciale rentrée” de Rennes…",
        "https://www.example-gull.bzh/agenda/install-party-rennes-2026",
        Some("2026-11-20T16:00:00Z"),
        None,
    );
    let summary = a["summary"].as_str().unwrap_or("");
    assert!(
        summary.contains("ordinateur… on s’occupe"),
        "summary: {summary}"
    );
    assert!(
        summary.contains("“Debian, Fedora ou Mint”"),
        "summary: {summary}"
    );
}

#[test]
fn iso_8859_1_label_with_windows_1252_bytes_is_read_as_windows_1252() {
    let (_server, _ws, articles) = fetch_fixture("mairie", "/feeds/latin1-curly.rss");
    assert_eq!(articles.len(), 1, "{articles:#?}");
    assert_eq!(articles[0]["title"], "L’école passe aux logiciels libres");
    let summary = articles[0]["summary"].as_str().unwrap_or("");
    assert!(
        summary.contains("“C’est une question de souveraineté”"),
        "summary: {summary}"
    );
}

#[test]
fn rss_1_0_rdf_with_dc_date() {
    let (_server, _ws, articles) = fetch_fixture("planete", "/feeds/rss1.rdf");
    assert_eq!(articles.len(), 2, "{articles:#?}");
    assert_article(
        by_title(&articles, "Migrer son NAS vers ZFS sans perdre une photo"),
        "Migrer son NAS vers ZFS sans perdre une photo",
        "https://www.example-planete-libre.org/post/2026/11/19/migrer-son-nas-vers-zfs",
        Some("2026-11-19T20:15:00Z"),
        Some("Gwenaëlle Le Goff"),
    );
    assert_article(
        by_title(&articles, "Retour sur le Capitole du Libre 2026"),
        "Retour sur le Capitole du Libre 2026",
        "https://www.example-planete-libre.org/post/2026/11/17/retour-sur-le-capitole-du-libre",
        Some("2026-11-17T08:05:00Z"),
        Some("Thomas Nguyen"),
    );
}

#[test]
fn rss_0_91_in_latin_1_without_dates() {
    let (_server, _ws, articles) = fetch_fixture("jdnl", "/feeds/rss091.xml");
    assert_eq!(articles.len(), 2, "{articles:#?}");
    assert_article(
        by_title(&articles, "OpenOffice.org 2.0 en version bêta"),
        "OpenOffice.org 2.0 en version bêta",
        "https://www.example-jdnl.fr/depeches/openoffice-2-beta.html",
        None,
        None,
    );
    by_title(&articles, "Mandrake Linux 10.1 est disponible");
}

#[test]
fn json_feed_1_1_with_authors_and_date_published() {
    let (_server, ws, articles) = fetch_fixture("next", "/feeds/next.json");
    assert_eq!(articles.len(), 2, "{articles:#?}");
    assert_article(
        by_title(&articles, "Cloud souverain : ce que change SecNumCloud 3.3"),
        "Cloud souverain : ce que change SecNumCloud 3.3",
        "https://next.ink/160211/cloud-souverain-ce-que-change-secnumcloud-3-3/",
        Some("2026-11-21T07:00:00Z"),
        Some("Mathilde Rocher"),
    );
    let b = by_title(
        &articles,
        "Firefox 150 chiffre enfin les requêtes DNS par défaut",
    );
    assert_article(
        b,
        "Firefox 150 chiffre enfin les requêtes DNS par défaut",
        "https://next.ink/160187/firefox-150-chiffre-enfin-les-requetes-dns-par-defaut/",
        Some("2026-11-20T16:30:00Z"),
        Some("Karim Benali"),
    );
    let text = show_json(&ws, id_of(b))["text"]
        .as_str()
        .unwrap_or("")
        .to_string();
    assert!(
        text.contains("DNS over HTTPS"),
        "content_text is the text: {text}"
    );
}

#[test]
fn utf8_bom_served_as_text_html_is_still_a_feed() {
    let server = Server::start();
    server.content_type("/feeds/bom-html.rss", "text/html");
    let ws = Workspace::new(&[("adullact", &server.url("/feeds/bom-html.rss"))], &[]);
    fetch_ok(&ws);
    let articles = all_articles(&ws);
    assert_eq!(articles.len(), 1, "{articles:#?}");
    assert_article(
        &articles[0],
        "Comptoir du libre : dix nouvelles collectivités référencées",
        "https://www.example-adullact.org/blog/comptoir-du-libre-dix-nouvelles-collectivites",
        Some("2026-11-17T09:00:00Z"),
        Some("Léa Martin"),
    );
    let served = server.requests_to("/feeds/bom-html.rss");
    assert_eq!(served.len(), 1);
    assert_eq!(served[0].status, 200);
}

#[test]
fn gzip_encoded_feed_is_decoded() {
    let server = Server::start();
    let body = fixture("/feeds/linuxfr-news.atom");
    server.route(
        "/gz/linuxfr.atom",
        Route::Fixed(Reply::gzip(content_type_of("x.atom"), gzip(&body))),
    );
    let ws = Workspace::new(&[("linuxfr", &server.url("/gz/linuxfr.atom"))], &[]);
    fetch_ok(&ws);
    assert_eq!(all_articles(&ws).len(), 3);
}

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
fn same_link_with_tracking_parameters_in_two_feeds_is_one_article() {
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
    assert_eq!(articles.len(), 3, "{urls:#?}\n{run}");
    let charter = "https://www.example-presse.fr/actualites/2026/11/cnll-apell-charte-commune";
    assert_eq!(
        urls.iter().filter(|u| **u == charter).count(),
        1,
        "{urls:#?}"
    );
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
    assert_eq!(run.summary().new, 3, "{run}");
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

/// A good source beside a failing one: the good one is stored, the run exits 3 and names the bad.
fn assert_isolated_failure(
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
    server.route("/broken", Route::status(500));
    let ws = Workspace::new(
        &[
            ("linuxfr", &server.url("/feeds/linuxfr-news.atom")),
            ("broken", &server.url("/broken")),
        ],
        &[],
    );
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
