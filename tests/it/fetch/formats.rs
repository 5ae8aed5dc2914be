//! Every feed format veille reads (Atom, RSS 0.91, 1.0 and 2.0, JSON Feed) and every charset
//! (UTF-8 with a BOM, ISO-8859-1, Windows-1252), plus gzip transfer: each stored with the right
//! title, URL, date in UTC, author and plain text. Failures belong to `failures`.

use crate::common::feeds::gzip;
use crate::common::server::content_type_of;
use crate::common::{
    all_articles, at, by_title, fetch_fixture, fetch_ok, fixture, id_of, show_json, utc, Reply,
    Route, Server, Workspace,
};
use serde_json::Value;

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

/// An ISO-8859-15 feed (œ is 0xBD, € is 0xA4) that its server and its prolog call UTF-8.
fn lying_latin9_feed() -> Vec<u8> {
    let mut body = b"<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<rss version=\"2.0\"><channel>\
        <title>Mairie</title><link>https://mairie.example.fr/</link>\
        <item><title>L'"
        .to_vec();
    body.extend_from_slice(b"\xbduvre libre co\xfbte 0 \xa4");
    body.extend_from_slice(
        b"</title><link>https://mairie.example.fr/oeuvre</link>\
          <description>Une d\xe9lib\xe9ration du conseil municipal.</description></item>\
          </channel></rss>",
    );
    body
}

#[test]
fn a_source_encoding_overrides_a_lying_charset() {
    let server = Server::start();
    server.route(
        "/mairie.rss",
        Route::Fixed(Reply::feed(
            "application/rss+xml; charset=utf-8",
            lying_latin9_feed(),
        )),
    );
    let url = server.url("/mairie.rss");
    // Without the setting, the bytes that are not UTF-8 are read as Windows-1252: œ and € are lost.
    let ws = Workspace::new(&[("mairie", &url)], &[]);
    fetch_ok(&ws);
    let articles = all_articles(&ws);
    assert_eq!(articles[0]["title"], "L'½uvre libre coûte 0 ¤");

    let ws = Workspace::empty();
    let mut text = crate::common::config_text(&[("mairie", &url)], &[]);
    text.push_str("encoding = \"iso-8859-15\"\n");
    ws.write_raw(&text);
    fetch_ok(&ws);
    let articles = all_articles(&ws);
    assert_eq!(articles[0]["title"], "L'œuvre libre coûte 0 €");
    assert!(articles[0]["summary"]
        .as_str()
        .is_some_and(|s| s.contains("délibération")));
}
