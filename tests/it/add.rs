//! `veille add URL`: a feed URL is added as is; a page's `<link rel="alternate">` feeds and the
//! usual paths are probed; several feeds are listed for `--pick`; feeds.toml keeps its comments.

use crate::common::{fixture, run, sources_json, Reply, Route, Server, Workspace};

/// A hand-written feeds.toml whose comments and layout must survive `add`.
const COMMENTED: &str = "# Ma veille — édité à la main\n[settings]\ndatabase = \"veille.db\"   # beside this file\ntimeout = \"10s\"\n\n# --- Presse ---\n[[source]]\nname = \"linuxfr\"      # les dépêches\nurl = \"https://linuxfr.org/news.atom\"\ntags = [\"presse\"]\n";

fn workspace() -> Workspace {
    let ws = Workspace::empty();
    ws.write_raw(COMMENTED);
    ws
}

fn config_text(ws: &Workspace) -> String {
    std::fs::read_to_string(ws.config_path()).expect("read feeds.toml")
}

fn source<'a>(sources: &'a [serde_json::Value], name: &str) -> &'a serde_json::Value {
    sources
        .iter()
        .find(|s| s["name"] == name)
        .unwrap_or_else(|| panic!("no source {name} in {sources:?}"))
}

#[test]
fn a_wordpress_page_lists_its_feeds_and_the_one_picked_is_added_keeping_comments() {
    let server = Server::start();
    let ws = workspace();
    let page = server.url("/sites/discover/index.html");
    let out = run(&ws, &["add", &page]);
    assert_eq!(out.code, 2, "{out}");
    let atom = server.url("/sites/discover/atom.xml");
    for line in [
        "names 3 feeds: choose one with --pick N".to_string(),
        format!(
            "1. Le Cercle du Libre — {} (2 items)",
            server.url("/sites/discover/feed.rss")
        ),
        format!(
            "2. Commentaires pour Le Cercle du Libre — {} (1 item)",
            server.url("/sites/discover/comments.rss")
        ),
        format!("3. Le Cercle du Libre — {atom} (2 items)"),
    ] {
        assert!(out.stderr.contains(&line), "missing {line:?}\n{out}");
    }
    assert_eq!(
        config_text(&ws),
        COMMENTED,
        "nothing written without --pick"
    );

    let out = run(&ws, &["add", &page, "--pick", "3"]);
    assert_eq!(out.code, 0, "{out}");
    assert!(
        out.stdout
            .contains("added `le-cercle-du-libre` (feed, 2 items, « Le Cercle du Libre »)"),
        "{out}"
    );
    let text = config_text(&ws);
    assert_eq!(
        text,
        format!("{COMMENTED}\n[[source]]\nname = \"le-cercle-du-libre\"\nurl = \"{atom}\"\n"),
        "the original text, byte for byte, then the new source"
    );
    assert_eq!(run(&ws, &["check"]).code, 0);

    // The same title again gets a free name; a URL given by --pick works too.
    let rss = server.url("/sites/discover/feed.rss");
    let out = run(
        &ws,
        &["add", &page, "--pick", &rss, "--tag", "associations"],
    );
    assert_eq!(out.code, 0, "{out}");
    let sources = sources_json(&ws);
    assert_eq!(
        source(&sources, "le-cercle-du-libre-2")["url"],
        rss.as_str()
    );
    assert!(config_text(&ws).contains("tags = [\"associations\"]"));

    // A feed already configured is refused, whatever way it is reached.
    let out = run(&ws, &["add", &atom]);
    assert_eq!(out.code, 2, "{out}");
    assert!(
        out.stderr
            .contains("is already configured as the source `le-cercle-du-libre`"),
        "{out}"
    );
    let out = run(&ws, &["add", &page, "--pick", "1"]);
    assert_eq!(out.code, 2, "{out}");
    let out = run(&ws, &["add", &page, "--pick", "9"]);
    assert_eq!(out.code, 2, "{out}");
    assert!(
        out.stderr.contains("--pick 9 is none of the feeds"),
        "{out}"
    );
}

#[test]
fn a_spip_page_with_one_feed_gets_it_added_directly() {
    let server = Server::start();
    server.route(
        "/sites/discover/spip.php",
        Route::generate(|request| {
            if request.target.ends_with("?page=backend") {
                Reply::feed(
                    "text/xml; charset=iso-8859-1",
                    fixture("/feeds/gsm-spip.rss"),
                )
            } else {
                Reply::status(404)
            }
        }),
    );
    let ws = workspace();
    let out = run(
        &ws,
        &[
            "add",
            &server.url("/sites/discover/spip.html"),
            "--name",
            "observatoire",
        ],
    );
    assert_eq!(out.code, 0, "{out}");
    let sources = sources_json(&ws);
    assert_eq!(
        source(&sources, "observatoire")["url"],
        server.url("/sites/discover/spip.php?page=backend").as_str()
    );
    // --name must be free and valid.
    for (name, message) in [
        ("observatoire", "already named `observatoire`"),
        ("Pas Valide", "is not a valid source name"),
    ] {
        let out = run(
            &ws,
            &["add", &server.url("/feeds/framablog.rss"), "--name", name],
        );
        assert_eq!(out.code, 2, "{out}");
        assert!(out.stderr.contains(message), "{out}");
    }
}

#[test]
fn a_feed_url_is_added_as_is_with_a_name_from_its_title() {
    let server = Server::start();
    let ws = workspace();
    let url = server.url("/feeds/linuxfr-news.atom");
    let out = run(&ws, &["add", &url]);
    assert_eq!(out.code, 0, "{out}");
    let sources = sources_json(&ws);
    assert_eq!(
        source(&sources, "linuxfr-org-les-depeches")["url"],
        url.as_str()
    );
    // Only the feed itself was requested: no discovery.
    assert_eq!(server.requests().len(), 1);
}

#[test]
fn a_page_without_a_feed_says_what_was_tried_and_writes_nothing() {
    let server = Server::start();
    let ws = workspace();
    let out = run(&ws, &["add", &server.url("/sites/discover/about.html")]);
    assert_eq!(out.code, 1, "{out}");
    for tried in [
        "no feed found at",
        &server.url("/feed/"),
        &server.url("/spip.php?page=backend"),
        &server.url("/sites/discover/about.html.atom"),
        "--kind html",
    ] {
        assert!(out.stderr.contains(tried), "missing {tried:?}\n{out}");
    }
    assert_eq!(config_text(&ws), COMMENTED);
}

#[test]
fn a_feed_at_a_usual_path_is_found_without_a_link() {
    let server = Server::start();
    server.route(
        "/feed/",
        Route::generate(|_| {
            Reply::feed(
                "application/rss+xml; charset=UTF-8",
                fixture("/sites/discover/feed.rss"),
            )
        }),
    );
    let ws = workspace();
    let out = run(&ws, &["add", &server.url("/sites/discover/about.html")]);
    assert_eq!(out.code, 0, "{out}");
    assert_eq!(
        source(&sources_json(&ws), "le-cercle-du-libre")["url"],
        server.url("/feed/").as_str()
    );
}

#[test]
fn an_html_page_is_added_with_its_selectors_after_one_read() {
    let server = Server::start();
    let ws = workspace();
    let page = server.url("/sites/gsm/rubrique-actus.html");
    let out = run(
        &ws,
        &[
            "add",
            &page,
            "--kind",
            "html",
            "--name",
            "gsm",
            "--selector",
            "item=div.nothing-here",
            "--selector",
            "link=a@href",
        ],
    );
    assert_eq!(out.code, 1, "{out}");
    assert!(out.stderr.contains("matched nothing"), "{out}");
    assert_eq!(config_text(&ws), COMMENTED);
    let out = run(
        &ws,
        &[
            "add",
            &page,
            "--kind",
            "html",
            "--name",
            "gsm",
            "--selector",
            "item=ul.liste-articles li.item",
            "--selector",
            "link=a@href",
        ],
    );
    assert_eq!(out.code, 0, "{out}");
    assert!(out.stdout.contains("(html, "), "{out}");
    let text = config_text(&ws);
    assert!(
        text.ends_with("kind = \"html\"\n\n[source.selectors]\nitem = \"ul.liste-articles li.item\"\nlink = \"a@href\"\n"),
        "{text}"
    );
    assert_eq!(source(&sources_json(&ws), "gsm")["kind"], "html");
}
