//! `veille source suggest URL` and `veille add URL --kind html` without `--selector`: the
//! selectors of a listing page found for the user, groups numbered for `--pick`, a feed added as
//! a feed, and pages that cannot be read (no repeated links, robots.txt, login wall, HTTP error)
//! refused in a sentence with exit 1 and nothing written.

use crate::common::{run, sources_json, Reply, Route, Server, Workspace};

const COMMENTED: &str = "# Ma veille — édité à la main\n[settings]\ndatabase = \"veille.db\"   # beside this file\ntimeout = \"10s\"\n";

fn workspace() -> Workspace {
    let ws = Workspace::empty();
    ws.write_raw(COMMENTED);
    ws
}

fn config_text(ws: &Workspace) -> String {
    std::fs::read_to_string(ws.config_path()).expect("read feeds.toml")
}

#[test]
fn add_without_selectors_writes_the_selectors_found_and_the_source_works() {
    let server = Server::start();
    let ws = workspace();
    let page = server.url("/sites/gsm/rubrique-actus.html");
    let out = run(&ws, &["add", &page, "--kind", "html", "--name", "gsm"]);
    assert_eq!(out.code, 0, "{out}");
    for line in [
        "item = \"li.item\"",
        "link = \"a@href\"",
        "title = \"h3\"",
        "date = \"span.date@title\"",
        "next = \"a[rel=next]\"",
        "content = \"div.chapo, div.texte\"",
        "1. Souveraineté numérique : le CNLL publie son baromètre 2026",
        "2026-11-19 10:12 CET",
        "added `gsm` (html, 3 items on the page)",
    ] {
        assert!(out.stdout.contains(line), "missing {line:?}\n{out}");
    }
    let text = config_text(&ws);
    assert!(text.starts_with(COMMENTED), "comments kept:\n{text}");
    assert!(
        text.ends_with("[source.selectors]\nitem = \"li.item\"\nlink = \"a@href\"\ntitle = \"h3\"\ndate = \"span.date@title\"\nnext = \"a[rel=next]\"\ncontent = \"div.chapo, div.texte\"\n"),
        "{text}"
    );
    assert_eq!(run(&ws, &["check"]).code, 0);
    // The source works: its listing, its next page and its articles are read.
    let out = run(&ws, &["source", "test", "gsm", "--lines", "20"]);
    assert_eq!(out.code, 0, "{out}");
    assert!(out.stdout.contains("items would be stored"), "{out}");
    assert!(out.stdout.contains("Le CNLL appelle"), "{out}");
    assert!(
        !out.stdout.contains("Rançongiciels"),
        "no most-read item\n{out}"
    );
}

#[test]
fn suggest_numbers_the_groups_writes_nothing_and_pick_shows_another() {
    let server = Server::start();
    let ws = workspace();
    let page = server.url("/listings/teasers-most-read.html");
    let out = run(&ws, &["source", "suggest", &page]);
    assert_eq!(out.code, 0, "{out}");
    assert!(
        out.stdout
            .contains("1. 8 items, headings, dates, summaries: item = \"div.teaser\""),
        "{out}"
    );
    assert!(out.stdout.contains("2. 10 items"), "{out}");
    assert!(
        out.stdout.contains("in a sidebar, menu or most-read block"),
        "{out}"
    );
    assert!(out.stdout.contains("nothing was written"), "{out}");
    assert!(
        !out.stdout.contains("Les RMLL"),
        "the teasers are read, not the most read\n{out}"
    );
    assert_eq!(config_text(&ws), COMMENTED);
    let out = run(&ws, &["source", "suggest", &page, "--pick", "2"]);
    assert_eq!(out.code, 0, "{out}");
    assert!(out.stdout.contains("proposed selectors, group 2"), "{out}");
    assert!(out.stdout.contains("most-read"), "{out}");
    let out = run(&ws, &["source", "suggest", &page, "--pick", "9"]);
    assert_eq!(out.code, 2, "{out}");
    assert!(
        out.stderr.contains("--pick 9 is none of the groups"),
        "{out}"
    );
    assert_eq!(config_text(&ws), COMMENTED);
}

/// Two sections of the same shape: news and press releases.
fn two_sections() -> String {
    let section = |class: &str, path: &str, word: &str| {
        let items: String = (1..=4)
            .map(|n| {
                format!("<div class=\"carte\"><h3><a href=\"/{path}/{word}-numero-{n}-de-la-semaine\">{word} numéro {n} de la semaine</a></h3><p class=\"date\">{n} décembre 2026</p></div>")
            })
            .collect();
        format!("<section class=\"{class}\">{items}</section>")
    };
    format!(
        "<html><body>{}{}</body></html>",
        section("actus", "actus", "Actualité"),
        section("presse", "presse", "Communiqué")
    )
}

#[test]
fn add_asks_for_pick_when_two_groups_are_as_plausible_and_writes_the_one_picked() {
    let server = Server::start();
    server.route(
        "/accueil",
        Route::Fixed(Reply::feed("text/html; charset=utf-8", two_sections())),
    );
    let ws = workspace();
    let page = server.url("/accueil");
    let out = run(&ws, &["add", &page, "--kind", "html"]);
    assert_eq!(out.code, 2, "{out}");
    assert!(
        out.stderr
            .contains("2 plausible groups of articles: choose one with --pick N"),
        "{out}"
    );
    assert!(out.stderr.contains("1. 4 items"), "{out}");
    assert_eq!(config_text(&ws), COMMENTED);
    let out = run(
        &ws,
        &[
            "add", &page, "--kind", "html", "--pick", "2", "--name", "presse",
        ],
    );
    assert_eq!(out.code, 0, "{out}");
    assert!(
        config_text(&ws).contains("item = \"section.presse div.carte\""),
        "{}",
        config_text(&ws)
    );
    let out = run(&ws, &["add", &page, "--kind", "html", "--pick", "deux"]);
    assert_eq!(out.code, 2, "{out}");
}

#[test]
fn a_feed_given_as_a_listing_is_added_as_a_feed_and_suggest_says_so() {
    let server = Server::start();
    let ws = workspace();
    let feed = server.url("/feeds/framablog.rss");
    let out = run(&ws, &["source", "suggest", &feed]);
    assert_eq!(out.code, 1, "{out}");
    assert!(
        out.stderr.contains("is a feed (") && out.stderr.contains("not a listing page"),
        "{out}"
    );
    assert_eq!(config_text(&ws), COMMENTED);
    let out = run(&ws, &["add", &feed, "--kind", "html"]);
    assert_eq!(out.code, 0, "{out}");
    assert!(
        out.stdout
            .contains("the URL is a feed, not a listing page, so it was added as a feed"),
        "{out}"
    );
    let sources = sources_json(&ws);
    assert_eq!(sources[0]["kind"], "feed", "{sources:?}");
    assert_eq!(sources[0]["url"], feed.as_str());
}

#[test]
fn pages_that_cannot_be_read_are_refused_in_a_sentence_and_nothing_is_written() {
    let server = Server::start();
    server.route(
        "/robots.txt",
        Route::Fixed(Reply::feed(
            "text/plain",
            "User-agent: *\nDisallow: /prive/\n",
        )),
    );
    server.route(
        "/prive/actus",
        Route::Fixed(Reply::feed("text/html", two_sections())),
    );
    server.route(
        "/membres/actus",
        Route::redirect(302, "/user/login?destination=/membres/actus"),
    );
    server.route(
        "/user/login",
        Route::Fixed(Reply::feed(
            "text/html",
            "<form method=post><input name=name><input type=password name=pass></form>",
        )),
    );
    server.route(
        "/espace-adherents",
        Route::Fixed(Reply::feed("text/html", "<h1>Espace adhérents</h1><form method=post><input name=name><input type=password name=pass></form><a href='/'>Accueil</a>")),
    );
    server.route("/disparu", Route::status(404));
    server.route("/interdit", Route::status(403));
    let ws = workspace();
    let cases = [
        (
            "/pages/not-a-feed.html",
            "found no repeated links to articles on",
        ),
        ("/prive/actus", "robots.txt of"),
        ("/membres/actus", "sent veille to a login page"),
        ("/espace-adherents", "asks for a password"),
        ("/disparu", "HTTP 404: check the URL"),
        (
            "/interdit",
            "HTTP 403: the page needs a login or refuses veille",
        ),
    ];
    for (path, sentence) in cases {
        let url = server.url(path);
        for args in [
            vec!["source", "suggest", &url],
            vec!["add", &url, "--kind", "html"],
        ] {
            let out = run(&ws, &args);
            assert_eq!(out.code, 1, "{path} {args:?}: {out}");
            assert!(
                out.stderr.contains(sentence),
                "{path}: missing {sentence:?}\n{out}"
            );
            assert!(out.stderr.contains("nothing was written"), "{path}\n{out}");
            assert_eq!(config_text(&ws), COMMENTED, "{path}");
        }
    }
    assert!(
        server.requests_to("/prive/actus").is_empty(),
        "a disallowed page is not fetched"
    );
}
