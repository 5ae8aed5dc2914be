//! Sites without a usable feed: `kind = "html"` sources read with selectors (pagination,
//! selector rot, pages fetched once), `full_content` feeds, robots.txt and delays, and
//! `veille source test`. Served from `fixtures/sites/` (see its README).

use crate::common::{
    all_articles, by_title, fetch, fixture, of_source, run, show_json, sources_json, Reply, Route,
    Server, Workspace,
};
use std::time::Duration;

const GSM: &str = "/sites/gsm/rubrique-actus.html";

/// The `[settings]` of these tests, then `sources` written as given (TOML).
fn workspace(sources: &str) -> Workspace {
    let ws = Workspace::empty();
    ws.write_raw(&format!(
        "[settings]\ndatabase = \"veille.db\"\ntimeout = \"10s\"\nper_host = 4\n{sources}"
    ));
    ws
}

/// The Global Security Mag-like SPIP site, read with selectors.
fn gsm_source(server: &Server, name: &str, extra: &str) -> String {
    format!(
        r#"
[[source]]
name = "{name}"
kind = "html"
url = "{url}"
max_pages = 3
{extra}
[source.selectors]
item = "ul.liste-articles li.item"
link = "h3 a@href"
title = "h3"
date = "span.date@title"
next = "a[rel=next]"
content = "div.texte"
"#,
        url = server.url(GSM)
    )
}

fn article_requests(server: &Server) -> usize {
    server
        .requests()
        .iter()
        .filter(|r| r.path().starts_with("/sites/gsm/") && r.path().contains(",2026"))
        .count()
}

#[test]
fn an_html_source_is_read_across_its_pages_with_its_selectors() {
    let server = Server::start();
    let ws = workspace(&gsm_source(&server, "gsm", ""));
    let first = fetch(&ws, &[]);
    assert_eq!(first.code, 0, "{}", first.stderr);
    assert_eq!(first.summary().new, 5, "{}", first.stderr);

    let articles = all_articles(&ws);
    let gsm = of_source(&articles, "gsm");
    assert_eq!(gsm.len(), 5);
    let cnll = by_title(
        &articles,
        "Souveraineté numérique : le CNLL publie son baromètre 2026",
    );
    assert_eq!(cnll["published"], "2026-11-19T09:12:00Z");
    // No author selector: the page's byline (« par Marc Jacob ») gives it.
    assert_eq!(cnll["author"], "Marc Jacob");
    let zimbra = by_title(
        &articles,
        "BlueMind et la messagerie souveraine s'organisent",
    );
    assert_eq!(zimbra["author"], "Emmanuelle Lamandé");
    assert!(cnll["url"].as_str().unwrap().ends_with(
        "/sites/gsm/Souverainete-numerique-le-CNLL-publie-son-barometre,20261119,1001.html"
    ));
    let text = show_json(&ws, cnll["id"].as_i64().unwrap())["text"]
        .as_str()
        .unwrap()
        .to_string();
    // ISO-8859-1 bytes and `&#8217;` references both come out right.
    assert!(
        text.starts_with("L’étude, menée auprès de 412 décideurs publics"),
        "{text}"
    );
    assert!(text.contains("d’abord la maîtrise des données"), "{text}");
    for chrome in [
        "Les plus lus",
        "Abonnez-vous",
        "Très bon article",
        "cookies",
        "Partager",
    ] {
        assert!(!text.contains(chrome), "{chrome:?} in {text}");
    }
    // Page 2 came through `next`: its articles are there too.
    by_title(
        &articles,
        "EuroCommons : un fonds pour les communs numériques",
    );
}

#[test]
fn pages_already_stored_are_never_fetched_again() {
    let server = Server::start();
    let ws = workspace(&gsm_source(&server, "gsm", ""));
    assert_eq!(fetch(&ws, &[]).code, 0);
    assert_eq!(article_requests(&server), 5);
    server.clear_requests();
    let second = fetch(&ws, &["-v"]);
    assert_eq!(second.code, 0, "{}", second.stderr);
    assert_eq!(article_requests(&server), 0, "{:#?}", server.requests());
    assert_eq!(all_articles(&ws).len(), 5);
}

#[test]
fn selector_rot_is_an_error_of_the_source_seen_in_sources() {
    let server = Server::start();
    let broken = gsm_source(&server, "gsm", "").replace("li.item", "div.teaser");
    let ws = workspace(&broken);
    let run = fetch(&ws, &[]);
    assert_eq!(run.code, 3, "{}", run.stderr);
    let error = run.error_for("gsm").expect("an error line for gsm");
    assert!(error.contains("selector `item`"), "{error}");
    assert!(error.contains("matched nothing on"), "{error}");
    let health = &sources_json(&ws)[0];
    assert_eq!(health["consecutive_failures"], 1);
    assert!(health["last_error"]
        .as_str()
        .unwrap()
        .contains("div.teaser"));
}

#[test]
fn without_a_content_selector_the_main_text_is_extracted() {
    let server = Server::start();
    let source = gsm_source(&server, "gsm", "").replace("content = \"div.texte\"\n", "");
    let ws = workspace(&source);
    assert_eq!(fetch(&ws, &[]).code, 0);
    let articles = all_articles(&ws);
    let dinum = by_title(
        &articles,
        "La DINUM met à jour le Socle interministériel de logiciels libres",
    );
    let text = show_json(&ws, dinum["id"].as_i64().unwrap())["text"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(text.contains("un outil de gestion des identités"), "{text}");
    for chrome in [
        "Les plus lus",
        "Rançongiciels",
        "Très bon article",
        "Mentions légales",
        "Ce site utilise des cookies",
    ] {
        assert!(!text.contains(chrome), "{chrome:?} in {text}");
    }
}

/// The summary-only WordPress feed, with its links pointing at this server.
fn blog_feed(server: &Server) {
    let base = server.url("");
    let base = base.trim_end_matches('/').to_string();
    let feed = String::from_utf8(fixture("/sites/blog/feed.rss"))
        .unwrap()
        .replace("BASE_URL", &base);
    server.route(
        "/blog/feed.rss",
        Route::Fixed(Reply::feed("application/rss+xml; charset=UTF-8", feed)),
    );
}

#[test]
fn full_content_stores_the_page_text_and_keeps_the_excerpt_as_summary() {
    let server = Server::start();
    blog_feed(&server);
    let ws = workspace(&format!(
        "\n[[source]]\nname = \"bluemind\"\nurl = \"{}\"\nfull_content = true\n",
        server.url("/blog/feed.rss")
    ));
    let run = fetch(&ws, &["-v"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let articles = all_articles(&ws);
    assert_eq!(articles.len(), 3);

    let release = by_title(&articles, "BlueMind 5.2 est disponible");
    let shown = show_json(&ws, release["id"].as_i64().unwrap());
    let text = shown["text"].as_str().unwrap();
    assert!(text.contains("nomenclature logicielle (SBOM)"), "{text}");
    assert!(text.contains("sur le dépôt public"), "{text}");
    for chrome in [
        "Articles similaires",
        "Laisser un commentaire",
        "Bravo à toute",
        "Partager",
        "Restez informé",
        "cookies",
    ] {
        assert!(!text.contains(chrome), "{chrome:?} in {text}");
    }
    assert!(shown["summary"]
        .as_str()
        .unwrap()
        .starts_with("La version 5.2 de BlueMind apporte la prise en charge native de JMAP et un nouveau client web."));

    // The page that is gone: the feed's excerpt is kept, nothing is lost, and -v says why.
    let gone = by_title(&articles, "Une page qui n’existe plus");
    let text = show_json(&ws, gone["id"].as_i64().unwrap())["text"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(
        text.starts_with("Cet article a été retiré du site"),
        "{text}"
    );
    assert!(
        run.stderr
            .contains("page-disparue.html: HTTP 404; the feed's text is kept"),
        "{}",
        run.stderr
    );

    // A second run fetches no page and keeps the full texts.
    server.clear_requests();
    assert_eq!(fetch(&ws, &[]).code, 0);
    let pages: Vec<_> = server
        .requests()
        .into_iter()
        .filter(|r| r.path().starts_with("/sites/blog/"))
        .collect();
    assert!(pages.is_empty(), "{pages:#?}");
    let again = show_json(&ws, release["id"].as_i64().unwrap());
    assert_eq!(again["text"], shown["text"]);
}

#[test]
fn robots_txt_is_honoured_for_scraped_pages_and_read_once_per_site() {
    let server = Server::start();
    server.route(
        "/robots.txt",
        Route::Fixed(Reply::feed(
            "text/plain",
            "User-agent: *\nDisallow: /admin/\n\nUser-agent: veille\nDisallow: /sites/gsm/OW2con\n",
        )),
    );
    let ws = workspace(&gsm_source(&server, "gsm", ""));
    let run = fetch(&ws, &["-v"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let requested: Vec<String> = server
        .requests()
        .iter()
        .map(|r| r.path().to_string())
        .collect();
    assert!(
        !requested.iter().any(|p| p.contains("OW2con")),
        "{requested:#?}"
    );
    assert_eq!(requested.iter().filter(|p| *p == "/robots.txt").count(), 1);
    assert!(run.stderr.contains("robots.txt of"), "{}", run.stderr);
    assert_eq!(all_articles(&ws).len(), 4);

    // A listing the site forbids is a failure of the source, said in words.
    server.route(
        "/robots.txt",
        Route::Fixed(Reply::feed("text/plain", "User-agent: *\nDisallow: /\n")),
    );
    let ws = workspace(&gsm_source(&server, "gsm", ""));
    let run = fetch(&ws, &[]);
    assert_eq!(run.code, 3);
    assert!(
        run.error_for("gsm").unwrap().contains("disallows"),
        "{}",
        run.stderr
    );
}

#[test]
fn feeds_are_fetched_whatever_robots_txt_says() {
    let server = Server::start();
    server.route(
        "/robots.txt",
        Route::Fixed(Reply::feed("text/plain", "User-agent: *\nDisallow: /\n")),
    );
    let ws = Workspace::new(&[("framablog", &server.url("/feeds/framablog.rss"))], &[]);
    let run = fetch(&ws, &[]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(server.requests_to("/robots.txt").is_empty());
}

#[test]
fn a_delay_spaces_the_requests_to_one_host() {
    let server = Server::start();
    let ws = workspace(&gsm_source(&server, "gsm", "delay = \"300ms\""));
    assert_eq!(fetch(&ws, &[]).code, 0);
    let mut times: Vec<_> = server
        .requests()
        .iter()
        .filter(|r| r.path() != "/robots.txt")
        .map(|r| r.request.received)
        .collect();
    times.sort();
    assert_eq!(times.len(), 7, "2 listing pages and 5 articles");
    for pair in times.windows(2) {
        let gap = pair[1] - pair[0];
        // Measured where the server reads the request: allow for the client's scheduling.
        assert!(gap >= Duration::from_millis(250), "requests {gap:?} apart");
    }
}

#[test]
fn source_test_prints_what_would_be_stored_and_stores_nothing() {
    let server = Server::start();
    let ws = workspace(&gsm_source(&server, "gsm", ""));
    let out = run(&ws, &["source", "test", "gsm", "--limit", "2"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(
        out.stdout.contains("2 items would be stored"),
        "{}",
        out.stdout
    );
    assert!(
        out.stdout
            .contains("1. Souveraineté numérique : le CNLL publie son baromètre 2026"),
        "{}",
        out.stdout
    );
    assert!(
        out.stdout.contains("2026-11-19 10:12 CET"),
        "{}",
        out.stdout
    );
    assert!(
        out.stdout
            .contains("| L’étude, menée auprès de 412 décideurs publics"),
        "{}",
        out.stdout
    );
    assert!(out.stdout.contains("5 new items"), "{}", out.stdout);
    assert!(!ws.db_path().exists(), "source test created the database");

    let unknown = run(&ws, &["source", "test", "nope"]);
    assert_eq!(unknown.code, 2);
    assert!(unknown.stderr.contains("no source named `nope`"));

    let broken = workspace(&gsm_source(&server, "gsm", "").replace("li.item", "li.rien"));
    let out = run(&broken, &["source", "test", "gsm"]);
    assert_eq!(out.code, 1);
    assert!(
        out.stderr
            .contains("selector `item` (`ul.liste-articles li.rien`) matched nothing"),
        "{}",
        out.stderr
    );
}

#[test]
fn a_listing_that_is_not_html_is_a_clear_error() {
    let server = Server::start();
    server.route(
        GSM,
        Route::Fixed(Reply::feed(
            "application/octet-stream",
            vec![0u8, 159, 146, 150, 255, 0, 1],
        )),
    );
    let ws = workspace(&gsm_source(&server, "gsm", ""));
    let run = fetch(&ws, &[]);
    assert_eq!(run.code, 3);
    assert!(
        run.error_for("gsm").unwrap().contains("matched nothing"),
        "{}",
        run.stderr
    );
}

/// A listing read fine whose article pages all fail delivers nothing: a warning of the source,
/// in `fetch`'s output and in `veille sources`, not a plain "ok".
#[test]
fn a_listing_whose_pages_all_fail_is_a_warning_of_the_source() {
    let server = Server::start();
    server.route(
        "/robots.txt",
        Route::Fixed(Reply::feed(
            "text/plain",
            "User-agent: *\nAllow: /sites/gsm/rubrique-actus\nDisallow: /sites/gsm/\n",
        )),
    );
    let ws = workspace(&gsm_source(&server, "gsm", ""));
    let run = fetch(&ws, &[]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(all_articles(&ws).is_empty());
    assert!(
        run.stderr.contains("warning: gsm: ")
            && run.stderr.contains("none of their pages could be read"),
        "{}",
        run.stderr
    );
    let health = &sources_json(&ws)[0];
    assert!(
        health["last_warning"]
            .as_str()
            .is_some_and(|w| w.contains("none of their pages could be read")),
        "{health:#}"
    );
}

/// A listing that dates its teasers by the month only (« janvier 2026 ») or by the day, and
/// article pages that give the exact day and time.
fn dated_site(server: &Server) -> String {
    let page = |title: &str, byline: &str, meta: &str| {
        format!(
            "<!doctype html><html lang=\"fr\"><head><meta charset=\"utf-8\"><title>{title}</title>{meta}</head>\
             <body><article><h1>{title}</h1><p class=\"byline\">{byline}</p>\
             <div class=\"texte\"><p>La communauté a publié un bilan détaillé de l’année écoulée, avec les chiffres \
             des contributions, des rencontres et des nouveaux projets accueillis.</p></div></article></body></html>"
        )
    };
    let html = |body: String| Route::Fixed(Reply::feed("text/html; charset=utf-8", body));
    server.route(
        "/dates/bilan.html",
        html(page("Bilan de l’année", "Publié le 27 janvier 2026", "")),
    );
    server.route(
        "/dates/agenda.html",
        html(page(
            "Agenda du mois",
            "Publié le 27 janvier 2026",
            "<meta property=\"article:published_time\" content=\"2026-01-27T14:30:00+01:00\">",
        )),
    );
    server.route(
        "/dates/index.html",
        html(
            "<html><body><ul>\
             <li class=\"item\"><a href=\"bilan.html\">Bilan de l’année</a><span class=\"date\">janvier 2026</span></li>\
             <li class=\"item\"><a href=\"agenda.html\">Agenda du mois</a><span class=\"date\">27 janvier 2026</span></li>\
             </ul></body></html>"
                .to_string(),
        ),
    );
    format!(
        r#"
[[source]]
name = "dates"
kind = "html"
url = "{}"
[source.selectors]
item = "li.item"
link = "a@href"
title = "a"
date = "span.date"
content = "div.texte"
"#,
        server.url("/dates/index.html")
    )
}

#[test]
fn the_pages_exact_date_wins_over_the_listings_month_or_day() {
    let server = Server::start();
    let ws = workspace(&dated_site(&server));
    let run = fetch(&ws, &[]);
    assert_eq!(run.code, 0, "{run}");
    let articles = all_articles(&ws);
    let bilan = by_title(&articles, "Bilan de l’année");
    assert_eq!(bilan["published"], "2026-01-26T23:00:00Z", "{bilan}");
    assert!(bilan.get("published_approximate").is_none(), "{bilan}");
    let agenda = by_title(&articles, "Agenda du mois");
    assert_eq!(agenda["published"], "2026-01-27T13:30:00Z", "{agenda}");
}

#[test]
fn a_feed_of_excerpts_gets_a_hint_at_full_content() {
    let server = Server::start();
    let ws = workspace(&format!(
        "\n[[source]]\nname = \"bluemind\"\nurl = \"{}\"\n\n[[source]]\nname = \"linuxfr\"\nurl = \"{}\"\n",
        server.url("/feeds/bluemind-summary.rss"),
        server.url("/feeds/linuxfr-news.atom")
    ));
    let hint = "`full_content = true` in its [[source]] would fetch each article's page";
    let fetched = fetch(&ws, &["-v"]);
    assert_eq!(fetched.code, 0, "{fetched}");
    let lines: Vec<&str> = fetched
        .stderr
        .lines()
        .filter(|l| l.contains(hint))
        .collect();
    assert_eq!(lines.len(), 1, "{fetched}");
    assert!(lines[0].starts_with("bluemind: "), "{fetched}");
    let tested = run(&ws, &["source", "test", "bluemind"]);
    assert_eq!(tested.code, 0, "{tested}");
    assert!(tested.stdout.contains(hint), "{tested}");
    let full = run(&ws, &["source", "test", "linuxfr"]);
    assert!(!full.stdout.contains(hint), "{full}");
}
