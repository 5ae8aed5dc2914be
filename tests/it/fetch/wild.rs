//! Feeds as real sites write them, beyond the specifications: Atom 0.3, RSS 2.0 in Userland's
//! namespace, authors given only as `itunes:author` or `<author><name>`, dates only as
//! `a10:updated`, empty author names, a JSON Feed with off-spec fields, plain-text titles that
//! name tags, links escaped twice and titles encoded twice by their publisher; UTF-16 and
//! UTF-32 without a byte-order mark, `dc:title`/`dc:description`, `<xhtml:body>` and
//! `<fullitem>` in RSS 2.0 items, Atom links written as text, a feed cut off in transfer, and
//! a home-made one with a PHP warning before its prolog, a bare `<` and HTML's unclosed `<br>`,
//! dates as `<pubdate>` or an item's `lastBuildDate`, `media:title`, Dublin Core in Atom.

use crate::common::{by_title, fetch_fixture, fetch_ok, utc, Server, Workspace};

#[test]
fn atom_0_3_is_read() {
    let (_server, _ws, articles) = fetch_fixture("helene", "/feeds/atom03.xml");
    assert_eq!(articles.len(), 2, "{articles:#?}");
    let index = by_title(&articles, "PostgreSQL 19 : ce qui change pour les index");
    assert_eq!(
        index["url"],
        "https://helene.example-blog.fr/post/2026/11/21/postgresql-19-index"
    );
    assert_eq!(
        utc(&index["published"]).to_rfc3339(),
        "2026-11-21T08:30:00+00:00"
    );
    assert_eq!(index["author"], "Hélène Martin");
    assert!(index["summary"]
        .as_str()
        .is_some_and(|s| s.starts_with("Les index B-tree")));
}

#[test]
fn rss_in_the_userland_namespace_is_read() {
    let (_server, _ws, articles) = fetch_fixture("scripting", "/feeds/userland.rss");
    assert_eq!(articles.len(), 2, "{articles:#?}");
    let opml = by_title(&articles, "OPML a vingt-six ans");
    assert_eq!(
        opml["url"],
        "https://www.example-scripting.fr/2026/11/20/opml"
    );
    assert_eq!(
        utc(&opml["published"]).to_rfc3339(),
        "2026-11-20T15:00:00+00:00"
    );
}

#[test]
fn authors_and_dates_in_the_forms_other_readers_know() {
    let (_server, _ws, articles) = fetch_fixture("editeur", "/feeds/authors-dates.rss");
    let ldap = by_title(&articles, "Nouvelle version du connecteur LDAP");
    assert_eq!(ldap["author"], "Service communication", "{ldap:#}");
    assert_eq!(
        utc(&ldap["published"]).to_rfc3339(),
        "2026-11-19T13:30:00+00:00",
        "a10:updated"
    );
    let webinar = by_title(&articles, "Webinaire : migrer vers la version 8");
    assert_eq!(webinar["author"], "Équipe produit", "itunes:author");
}

#[test]
fn podcast_episodes_take_their_itunes_author() {
    let (_server, _ws, articles) = fetch_fixture("causeries", "/feeds/podcast-one-link.rss");
    let episode = by_title(&articles, "Épisode 128 : une mairie passe à Nextcloud");
    assert_eq!(episode["author"], "Bastien Morel");
}

#[test]
fn an_empty_author_name_is_no_author() {
    let (_server, _ws, articles) = fetch_fixture("forge", "/feeds/empty-author.atom");
    assert_eq!(articles.len(), 1);
    assert!(articles[0]["author"].is_null(), "{:#}", articles[0]);
}

#[test]
fn a_json_feed_with_off_spec_fields_keeps_its_items_and_literal_titles() {
    let (_server, _ws, articles) = fetch_fixture("carnet", "/feeds/lenient.json");
    assert_eq!(articles.len(), 2, "{articles:#?}");
    let tags = by_title(&articles, "Le retour de <i> et <b>");
    assert_eq!(
        tags["url"],
        "https://carnet.example-web.fr/2026/11/balises-de-style"
    );
    let queries = by_title(&articles, "Les container queries en production");
    assert_eq!(queries["author"], "Inès Roche", "{queries:#}");
}

#[test]
fn links_escaped_twice_and_titles_encoded_twice_are_repaired() {
    let (_server, _ws, articles) = fetch_fixture("mairie", "/feeds/double-encoded.rss");
    assert_eq!(articles.len(), 1, "{articles:#?}");
    let item = &articles[0];
    assert_eq!(item["title"], "Réunion publique sur le haut débit");
    assert_eq!(
        item["url"],
        "https://www.example-mairie.fr/index.php?page=actu&id=88"
    );
    assert_eq!(
        item["summary"],
        "La fibre arrive dans tous les hameaux d’ici l’été."
    );
}

#[test]
fn utf16_and_utf32_without_a_byte_order_mark_are_read() {
    for path in ["/feeds/utf16le.xml", "/feeds/utf32be.xml"] {
        let (_server, _ws, articles) = fetch_fixture("region", path);
        assert_eq!(articles.len(), 2, "{path}: {articles:#?}");
        let ent = by_title(
            &articles,
            "Lycées : 40 établissements passent à l’ENT libre",
        );
        assert_eq!(
            ent["url"],
            "https://www.example-region.fr/actualites/lycees-ent-libre"
        );
        assert_eq!(
            utc(&ent["published"]).to_rfc3339(),
            "2026-11-24T08:15:00+00:00"
        );
    }
}

#[test]
fn dublin_core_and_xhtml_bodies_in_rss_items_are_read() {
    let (_server, _ws, articles) = fetch_fixture("mediatheque", "/feeds/dc-fields.rss");
    assert_eq!(articles.len(), 4, "{articles:#?}");
    let essay = by_title(&articles, "Le logiciel libre à l’école, vingt ans après");
    assert!(
        essay["summary"]
            .as_str()
            .is_some_and(|s| s.starts_with("Un essai de Clémence Aubry")),
        "{essay:#}"
    );
    assert_eq!(essay["author"], "Clémence Aubry");
    let tale = by_title(&articles, "Heure du conte numérique");
    assert_eq!(
        tale["summary"],
        "Samedi 28 novembre, des contes lus sur tablettes pour les 4-8 ans."
    );
    // An item whose only content is `<fullitem>` is named by the start of its text.
    by_title(
        &articles,
        "Atelier « Protéger sa vie privée en ligne », samedi 5 décembre à 14 h.",
    );
}

#[test]
fn atom_links_written_as_text_and_out_of_line_content_give_the_link() {
    let (_server, _ws, articles) = fetch_fixture("videos", "/feeds/text-links.atom");
    assert_eq!(articles.len(), 3, "{articles:#?}");
    let party = by_title(&articles, "Install party de novembre");
    assert_eq!(
        party["url"],
        "https://videos.example-asso.fr/w/install-party-novembre"
    );
    // The alternate link, not the enclosure listed before it.
    let matrix = by_title(&articles, "Conférence : Matrix pour les associations");
    assert_eq!(
        matrix["url"],
        "https://videos.example-asso.fr/w/conference-matrix"
    );
    let git = by_title(&articles, "Atelier Git pour débutants");
    assert_eq!(
        git["url"],
        "https://videos.example-asso.fr/static/atelier-git.mp4"
    );
}

#[test]
fn a_feed_cut_off_in_transfer_keeps_its_complete_items_with_a_warning() {
    let server = Server::start();
    let ws = Workspace::new(&[("fil", &server.url("/feeds/cut-off.rss"))], &[]);
    let run = fetch_ok(&ws);
    assert_eq!(run.summary().new, 2, "{run}");
    assert!(
        run.stderr
            .contains("warning: fil: the feed breaks off at line 26 (cut off in transfer?)"),
        "{run}"
    );
    let articles = crate::common::all_articles(&ws);
    by_title(&articles, "Sortie de Dolibarr 23");
    by_title(&articles, "Mobilizon dans les mairies");
}

#[test]
fn a_php_warning_a_bare_angle_bracket_and_unclosed_br_do_not_cost_the_feed() {
    let (_server, _ws, articles) = fetch_fixture("club", "/feeds/loose.rss");
    assert_eq!(articles.len(), 2, "{articles:#?}");
    let pcs = by_title(
        &articles,
        "Ordinateurs reconditionnés à < 100 € pour les adhérents",
    );
    assert_eq!(pcs["url"], "https://www.example-club.fr/news.php?id=57");
    assert!(
        pcs["summary"]
            .as_str()
            .is_some_and(|s| s.contains("Linux Mint.") && s.contains("Réservation au local")),
        "{pcs:#}"
    );
    let ag = by_title(&articles, "Assemblée générale le 12 décembre");
    assert_eq!(
        utc(&ag["published"]).to_rfc3339(),
        "2026-11-23T08:00:00+00:00"
    );
}

#[test]
fn dates_in_another_case_media_titles_and_dublin_core_in_atom_are_read() {
    let (_server, _ws, articles) = fetch_fixture("maison", "/feeds/odd-dates.rss");
    assert_eq!(articles.len(), 3, "{articles:#?}");
    let calc = by_title(&articles, "Débuter avec LibreOffice Calc");
    assert_eq!(
        utc(&calc["published"]).to_rfc3339(),
        "2026-11-26T13:00:00+00:00",
        "<pubdate>"
    );
    let rgpd = by_title(&articles, "Conférence : le RGPD pour les associations");
    assert_eq!(
        utc(&rgpd["published"]).to_rfc3339(),
        "2026-11-24T19:30:00+00:00",
        "lastBuildDate"
    );
    by_title(&articles, "Atelier : installer Firefox et uBlock Origin");
    let (_server, _ws, articles) = fetch_fixture("april", "/feeds/dc-atom.atom");
    assert_eq!(articles.len(), 1, "{articles:#?}");
    assert_eq!(articles[0]["author"], "Yannick Le Goff");
    assert_eq!(
        utc(&articles[0]["published"]).to_rfc3339(),
        "2026-11-27T07:00:00+00:00"
    );
}
