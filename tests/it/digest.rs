//! `veille digest` through the real binary: golden Markdown and text digests of a fixed database,
//! a real email delivered to an SMTP server on 127.0.0.1 and parsed back, delivery failures that
//! record nothing, `--since last` twice, `--replay`, `--list`, JSON, templates, and hostile feeds
//! that never get a script, an event handler or a `javascript:` link into the HTML.

use crate::common::feeds::{escape, rss, Item};
use crate::common::smtp::SmtpServer;
use crate::common::{
    at, config_text, fetch, fetch_ok, run, veille, Reply, Route, Run, Server, Workspace,
};
use mail_parser::MimeHeaders;
use serde_json::Value;
use std::collections::BTreeMap;

/// The instant every fixed-database test runs at: Monday 23 November 2026, 08:00 in Paris.
const NOW: &str = "2026-11-23T08:00:00+01:00";
/// When the fixed database says every article was first stored (see `pin_fetch_times`).
const STORED_AT: &str = "2026-11-20T12:00:00Z";

/// Three topics, fixed here so that the golden files do not move with the shipped ones.
const TOPICS: &str = r#"
[[topic]]
name = "sovereignty"
label = "Souveraineté numérique"
keywords = ["souveraineté numérique", "souveraineté", "SecNumCloud", "cloud souverain", "souverain*"]

[[topic]]
name = "coalitions"
label = "Coalitions et écosystème"
keywords = ["CNLL", "APELL", "coalition*", "alliance*"]

[[topic]]
name = "releases"
label = "Nouvelles versions"
keywords = ["sortie de", "nouvelle version", "version 5.4", "PostgreSQL 19"]
"#;

fn config(sources: &[(&str, &str)], extra: &str) -> String {
    format!(
        "{}\n{TOPICS}\n[digest]\ntitle = \"Veille open source\"\n{extra}",
        config_text(sources, &[])
    )
}

/// The copies of one press release on four sites, from the labelled stories set.
fn oxalis_copies() -> Vec<(String, Item)> {
    let path =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/stories/articles.jsonl");
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    text.lines()
        .filter_map(|line| serde_json::from_str::<Value>(line).ok())
        .filter(|v| v["story"] == "oxalis-levee-12m")
        .map(|v| {
            let s = |k: &str| v[k].as_str().unwrap_or_default().to_string();
            let html: String = s("text")
                .split("\n\n")
                .map(|p| format!("<p>{}</p>", escape(p)))
                .collect();
            let item = Item::new(&s("title"), &s("url"))
                .description(&html)
                .published(at(&s("published")));
            (s("source"), item)
        })
        .collect()
}

/// A fixed database: five fixture feeds, the four copies of one story, and a source that
/// answers 404; fetched through the real binary, then pinned in time.
fn fixed_corpus(extra_config: &str) -> (Server, Workspace) {
    let server = Server::start();
    let mut sources: Vec<(String, String)> = [
        ("linuxfr", "/feeds/linuxfr-news.atom"),
        ("framablog", "/feeds/framablog.rss"),
        ("gsm", "/feeds/gsm-spip.rss"),
        ("next", "/feeds/next.json"),
        ("bluemind", "/feeds/bluemind-summary.rss"),
    ]
    .iter()
    .map(|(n, p)| (n.to_string(), server.url(p)))
    .collect();
    let mut by_source: BTreeMap<String, Vec<Item>> = BTreeMap::new();
    for (source, item) in oxalis_copies() {
        by_source.entry(source).or_default().push(item);
    }
    for (source, items) in &by_source {
        let path = format!("/copies/{source}.rss");
        let body = rss(source, &format!("https://{source}.example/"), items);
        server.route(
            &path,
            Route::Fixed(Reply::feed("application/rss+xml", body)),
        );
        sources.push((source.clone(), server.url(&path)));
    }
    server.route("/feeds/gone.rss", Route::status(404));
    sources.push(("lemagit".into(), server.url("/feeds/gone.rss")));
    let pairs: Vec<(&str, &str)> = sources
        .iter()
        .map(|(n, u)| (n.as_str(), u.as_str()))
        .collect();
    let ws = Workspace::empty();
    ws.write_raw(&config(&pairs, extra_config));
    let fetched = fetch(&ws, &[]);
    assert_eq!(fetched.code, 3, "only lemagit fails\n{fetched}");
    pin_fetch_times(&ws);
    (server, ws)
}

/// `fetched_at` and the sources' last attempts come from the machine's clock during the fetch;
/// the golden files need a database that is the same on every run, so they are set to
/// [`STORED_AT`] here, the only write a test makes behind veille's back.
fn pin_fetch_times(ws: &Workspace) {
    let conn = rusqlite::Connection::open(ws.db_path()).expect("open the test database");
    conn.execute("UPDATE articles SET fetched_at = ?1", [STORED_AT])
        .expect("pin fetched_at");
    conn.execute(
        "UPDATE sources SET last_attempt = ?1 WHERE last_attempt IS NOT NULL",
        [STORED_AT],
    )
    .expect("pin last_attempt");
}

/// `veille digest <args>` at [`NOW`].
fn digest_at_now(ws: &Workspace, args: &[&str]) -> Run {
    let output = veille(ws)
        .env("VEILLE_NOW", NOW)
        .arg("digest")
        .args(args)
        .output()
        .expect("run veille digest");
    Run {
        code: output.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
    }
}

fn ok(run: Run) -> Run {
    assert_eq!(run.code, 0, "{run}");
    run
}

#[test]
fn golden_markdown_and_text_digests() {
    let (_server, ws) = fixed_corpus("");
    let markdown = ok(digest_at_now(&ws, &["--since", "7d"]));
    insta::assert_snapshot!("digest_markdown", markdown.stdout);
    let text = ok(digest_at_now(&ws, &["--since", "7d", "--format", "text"]));
    insta::assert_snapshot!("digest_text", text.stdout);
}

#[test]
fn the_period_in_words_includes_today_when_stories_were_stored_today() {
    let server = Server::start();
    let ws = Workspace::empty();
    ws.write_raw(&config(
        &[("linuxfr", &server.url("/feeds/linuxfr-news.atom"))],
        "",
    ));
    fetch_ok(&ws);
    // Stored on Wednesday morning; the digest runs that Wednesday at 10:00, `--since 7d`.
    let conn = rusqlite::Connection::open(ws.db_path()).expect("open the test database");
    conn.execute(
        "UPDATE articles SET fetched_at = '2026-12-02T08:30:00Z'",
        [],
    )
    .expect("pin fetched_at");
    let wednesday = |args: &[&str]| {
        let output = veille(&ws)
            .env("VEILLE_NOW", "2026-12-02T10:00:00+01:00")
            .arg("digest")
            .args(args)
            .output()
            .expect("run veille digest");
        assert!(output.status.success(), "{output:?}");
        String::from_utf8_lossy(&output.stdout).into_owned()
    };
    let json: Value = serde_json::from_str(&wednesday(&["--since", "7d", "--format", "json"]))
        .expect("digest JSON");
    assert!(
        !json["stories"].as_array().expect("stories").is_empty(),
        "{json}"
    );
    assert_eq!(json["period"], "Du 25 novembre au 2 décembre 2026");
    let text = wednesday(&["--since", "7d", "--format", "text"]);
    assert!(text.contains("Du 25 novembre au 2 décembre 2026"), "{text}");
}

#[test]
fn a_dateline_or_a_heading_is_not_glued_to_the_lead() {
    let server = Server::start();
    let item = Item::new(
        "Oxalis lève 12 millions d’euros",
        "https://oxalis.example/communique",
    )
    .description(
        "<p>Communiqué de presse – Paris, le 14 octobre 2025</p>\
         <p>Oxalis, éditeur de logiciels libres, annonce une levée de 12 millions d’euros. \
         Elle servira à recruter quarante personnes.</p>\
         <h2>Une croissance rapide</h2><p>Le chiffre d’affaires a doublé en un an.</p>",
    );
    server.route(
        "/oxalis.rss",
        Route::Fixed(Reply::feed(
            "application/rss+xml",
            rss("Oxalis", "https://oxalis.example/", &[item]),
        )),
    );
    let ws = Workspace::empty();
    ws.write_raw(&config(&[("oxalis", &server.url("/oxalis.rss"))], ""));
    fetch_ok(&ws);
    let json = ok(run(&ws, &["digest", "--since", "7d", "--format", "json"])).json();
    assert_eq!(
        json["stories"][0]["lead"],
        "Oxalis, éditeur de logiciels libres, annonce une levée de 12 millions d’euros. \
         Elle servira à recruter quarante personnes.",
        "{json}"
    );
}

#[test]
fn json_lists_every_story_with_its_members() {
    let (_server, ws) = fixed_corpus("");
    let run = ok(digest_at_now(&ws, &["--format", "json"]));
    let json = run.json();
    assert_eq!(json["period"], "Semaine du 16 au 22 novembre 2026");
    assert_eq!(json["since"], "2026-11-16T07:00:00Z");
    assert_eq!(json["until"], "2026-11-23T07:00:00Z");
    let stories = json["stories"].as_array().expect("stories");
    // 11 fixture articles and one story of four copies.
    assert_eq!(stories.len(), 12, "{json:#}");
    let oxalis = stories
        .iter()
        .find(|s| s["members"].as_array().is_some_and(|m| m.len() == 4))
        .expect("the story of four copies");
    let mut sources: Vec<&str> = oxalis["members"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["source"].as_str().unwrap())
        .collect();
    sources.sort();
    assert_eq!(
        sources,
        [
            "decision-libre",
            "infosouveraine",
            "linuxfr-journaux",
            "oxalis"
        ]
    );
    let article = &oxalis["article"];
    for key in [
        "id",
        "title",
        "url",
        "source",
        "published",
        "fetched_at",
        "author",
        "tags",
        "summary",
        "story",
        "duplicates",
    ] {
        assert!(article.get(key).is_some(), "{key} missing in {article}");
    }
    assert_eq!(article["duplicates"].as_array().unwrap().len(), 3);
    assert_eq!(
        oxalis["members"][0]["id"], article["id"],
        "the representative first"
    );
    assert_eq!(json["failed_sources"][0]["name"], "lemagit");
    // Without --mark nothing was recorded: the same digest again.
    assert_eq!(
        ok(digest_at_now(&ws, &["--format", "json"])).stdout,
        run.stdout
    );
    assert_eq!(
        ok(digest_at_now(&ws, &["--list", "--format", "json"])).json(),
        serde_json::json!([])
    );
}

#[test]
fn filters_by_tag_and_source() {
    let (_server, ws) = fixed_corpus("");
    let titles = |args: &[&str]| -> Vec<String> {
        let mut all = vec!["--format", "json"];
        all.extend_from_slice(args);
        let json = ok(digest_at_now(&ws, &all)).json();
        json["stories"]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| s["article"]["title"].as_str().unwrap().to_string())
            .collect()
    };
    let releases = titles(&["--tag", "releases"]);
    assert!(
        releases.contains(&"Sortie de PostgreSQL 19".to_string()),
        "{releases:?}"
    );
    assert!(
        !releases.iter().any(|t| t.contains("Khrys")),
        "{releases:?}"
    );
    // A story is in when any of its copies comes from the source.
    let decision = titles(&["--source", "decision-libre"]);
    assert_eq!(decision.len(), 1, "{decision:?}");
    let unknown = digest_at_now(&ws, &["--tag", "nope"]);
    assert_eq!(unknown.code, 2, "{unknown}");
    assert!(unknown.stderr.contains("no such topic"), "{unknown}");
}

#[test]
fn the_html_digest_is_a_table_layout_with_inline_styles() {
    let (_server, ws) = fixed_corpus("");
    let html = ok(digest_at_now(&ws, &["--format", "html"])).stdout;
    let document = scraper::Html::parse_document(&html);
    let select = |css: &str| scraper::Selector::parse(css).expect("a selector");
    assert!(document.select(&select("table[role=presentation]")).count() >= 2);
    assert_eq!(
        document
            .select(&select("style, link[rel=stylesheet]"))
            .count(),
        0,
        "no stylesheet: mail clients drop them"
    );
    assert!(document
        .select(&select("meta[name=viewport]"))
        .next()
        .is_some());
    let titles: Vec<String> = document
        .select(&select("h3 a"))
        .map(|a| a.text().collect())
        .collect();
    assert_eq!(titles.len(), 12, "{titles:?}");
    assert!(html.contains("Semaine du 16 au 22 novembre 2026"));
    assert!(html.contains("Aussi dans"));
}

/// A feed whose titles, links and bodies attack the HTML digest.
fn hostile_feed() -> String {
    let items = [
        Item::new("<script>alert('titre')</script>Annonce", "https://evil.example/1")
            .description("<p>Texte <script>alert(1)</script> suivi.</p>"),
        Item::new("<img src=x onerror=alert(2)> Image piégée", "https://evil.example/2")
            .description("<p onclick=\"alert(3)\">Corps <img src=x onerror=\"alert(4)\"></p>"),
        Item::new("Lien piégé", "javascript:alert(5)")
            .description("<p><a href=\"javascript:alert(6)\">clic</a> et <a href=\"data:text/html,<script>alert(7)</script>\">data</a>.</p>"),
        Item::new("\"><svg onload=alert(8)> [x](javascript:alert(9))", "https://evil.example/4")
            .description("<p>[lien](javascript:alert(10)) &lt;script&gt;alert(11)&lt;/script&gt;</p>"),
    ];
    rss("Hostile", "https://evil.example/", &items)
}

#[test]
fn hostile_feeds_never_reach_the_html() {
    let server = Server::start();
    server.route(
        "/hostile.rss",
        Route::Fixed(Reply::feed("application/rss+xml", hostile_feed())),
    );
    let ws = Workspace::empty();
    ws.write_raw(&config(
        &[("evil", &server.url("/hostile.rss"))],
        "\n[email]\nfrom = \"veille@example.org\"\nto = [\"a@example.org\"]\n",
    ));
    fetch_ok(&ws);
    let html = ok(run(&ws, &["digest", "--format", "html"])).stdout;
    let email = ok(run(&ws, &["digest", "--format", "email"])).stdout;
    let parsed = mail_parser::MessageParser::default()
        .parse(email.as_bytes())
        .expect("a message");
    let email_html = parsed.body_html(0).expect("an HTML part").to_string();
    let markdown = ok(run(&ws, &["digest"])).stdout;
    // The Markdown as a CommonMark renderer would show it.
    let mut from_markdown = String::new();
    pulldown_cmark::html::push_html(&mut from_markdown, pulldown_cmark::Parser::new(&markdown));
    for html in [&html, &email_html, &from_markdown] {
        assert_inert(html);
        // The titles are there, as text.
        assert!(html.contains("&lt;script&gt;alert("), "{html}");
        assert!(html.contains("Image piégée"), "{html}");
    }
}

/// No script, no embedded object, no event handler, no link or source but http(s).
fn assert_inert(html: &str) {
    let document = scraper::Html::parse_document(html);
    let all = scraper::Selector::parse("*").expect("a selector");
    for element in document.select(&all) {
        let name = element.value().name();
        assert!(
            !matches!(
                name,
                "script" | "img" | "svg" | "iframe" | "object" | "embed"
            ),
            "<{name}> in\n{html}"
        );
        for (attribute, value) in element.value().attrs() {
            assert!(
                !attribute.to_ascii_lowercase().starts_with("on"),
                "{attribute}= in\n{html}"
            );
            if matches!(attribute, "href" | "src" | "action" | "formaction") {
                assert!(
                    value.starts_with("https://") || value.starts_with("http://"),
                    "{attribute}={value} in\n{html}"
                );
            }
        }
    }
    assert!(!html.to_ascii_lowercase().contains("<script"), "{html}");
}

fn smtp_config(port: u16) -> String {
    format!(
        "\n[email]\nfrom = \"Veille Équipe <veille@example.org>\"\nto = [\"Rédaction <redaction@example.org>\"]\nsubject = \"Sélection de la veille : {{{{ period.words }}}}, {{{{ total }}}} sujets\"\nserver = \"127.0.0.1\"\nport = {port}\nsecurity = \"none\"\n"
    )
}

#[test]
fn the_email_is_delivered_over_smtp_and_parses_back() {
    let smtp = SmtpServer::start();
    let (_server, ws) = fixed_corpus(&smtp_config(smtp.port()));
    let sent = ok(digest_at_now(&ws, &["--send"]));
    assert!(
        sent.stdout.is_empty(),
        "--send prints nothing on stdout\n{sent}"
    );
    assert!(sent.stderr.contains("digest 1 sent to"), "{sent}");
    let received = smtp.received();
    assert_eq!(received.len(), 1);
    let envelope = &received[0];
    assert_eq!(envelope.mail_from, "veille@example.org");
    assert_eq!(envelope.rcpt_to, ["redaction@example.org"]);

    let raw = String::from_utf8_lossy(&envelope.data).to_string();
    let subject_line = raw
        .lines()
        .find(|l| l.starts_with("Subject:"))
        .expect("a Subject header");
    assert!(
        subject_line.contains("=?utf-8?"),
        "non-ASCII subject encoded per RFC 2047: {subject_line}"
    );
    let message = mail_parser::MessageParser::default()
        .parse(&envelope.data)
        .expect("a parsable message");
    assert_eq!(
        message.subject(),
        Some("Sélection de la veille : Semaine du 16 au 22 novembre 2026, 12 sujets")
    );
    let from = message.from().and_then(|a| a.first()).expect("From");
    assert_eq!(from.name(), Some("Veille Équipe"));
    assert_eq!(from.address(), Some("veille@example.org"));
    let to = message.to().and_then(|a| a.first()).expect("To");
    assert_eq!(to.name(), Some("Rédaction"));
    assert_eq!(to.address(), Some("redaction@example.org"));
    let date = message.date().expect("Date");
    assert_eq!(date.to_rfc3339(), "2026-11-23T07:00:00Z");
    let message_id = message.message_id().expect("Message-ID").to_string();
    assert!(message_id.ends_with("@example.org"), "{message_id}");

    let root = message.content_type().expect("a Content-Type");
    assert_eq!(root.ctype(), "multipart");
    assert_eq!(root.subtype(), Some("alternative"));
    let parts: Vec<String> = message
        .parts
        .iter()
        .filter_map(|p| p.content_type())
        .map(|ct| {
            format!(
                "{}/{} {}",
                ct.ctype(),
                ct.subtype().unwrap_or(""),
                ct.attribute("charset").unwrap_or("")
            )
        })
        .collect();
    assert_eq!(
        parts,
        [
            "multipart/alternative ",
            "text/plain utf-8",
            "text/html utf-8"
        ]
    );
    let text = message.body_text(0).expect("a text part");
    assert!(text.contains("VEILLE OPEN SOURCE"), "{text}");
    assert!(text.contains("== Souveraineté numérique =="), "{text}");
    assert!(
        text.contains("Sources en échec pendant la période"),
        "{text}"
    );
    let html = message.body_html(0).expect("an HTML part");
    assert!(html.contains("<table role=\"presentation\""), "{html}");
    assert!(
        html.contains("Souveraineté numérique\u{a0}: l’État publie sa doctrine"),
        "{html}"
    );

    // Recorded: listed, replayed with the same Message-ID and bodies, and never sent again.
    let listed = ok(digest_at_now(&ws, &["--list", "--format", "json"])).json();
    assert_eq!(listed[0]["message_id"], format!("<{message_id}>"));
    assert_eq!(listed[0]["sent"], true);
    assert_eq!(listed[0]["stories"], 12);
    assert_eq!(
        listed[0]["recipients"][0],
        "Rédaction <redaction@example.org>"
    );
    let replay = ok(digest_at_now(&ws, &["--replay", "1"]));
    let again = mail_parser::MessageParser::default()
        .parse(replay.stdout.as_bytes())
        .expect("the replayed message");
    assert_eq!(again.message_id(), Some(message_id.as_str()));
    assert_eq!(again.subject(), message.subject());
    assert_eq!(again.body_text(0), message.body_text(0));
    assert_eq!(again.body_html(0), message.body_html(0));
    let next = ok(digest_at_now(&ws, &["--format", "json"])).json();
    assert_eq!(
        next["stories"],
        serde_json::json!([]),
        "every story was sent"
    );
}

#[test]
fn a_failed_delivery_exits_1_and_records_nothing() {
    let refusing = SmtpServer::start_refusing(true);
    let (_server, ws) = fixed_corpus(&smtp_config(refusing.port()));
    let refused = digest_at_now(&ws, &["--send"]);
    assert_eq!(refused.code, 1, "{refused}");
    assert!(refused.stderr.contains("not sent"), "{refused}");
    assert!(refusing.received().is_empty());

    // Nothing listening at all.
    let port = {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("a free port");
        listener.local_addr().expect("its address").port()
    };
    let text = std::fs::read_to_string(ws.config_path()).expect("feeds.toml");
    ws.write_raw(&text.replace(
        &format!("port = {}", refusing.port()),
        &format!("port = {port}"),
    ));
    let unreachable = digest_at_now(&ws, &["--send"]);
    assert_eq!(unreachable.code, 1, "{unreachable}");

    // STARTTLS is required, not opportunistic: a server that does not offer it gets nothing.
    let plain = SmtpServer::start();
    let text = std::fs::read_to_string(ws.config_path()).expect("feeds.toml");
    let starttls = text
        .replace(
            &format!("port = {port}"),
            &format!("port = {}", plain.port()),
        )
        .replace("security = \"none\"", "security = \"starttls\"");
    ws.write_raw(&starttls);
    let refused_tls = digest_at_now(&ws, &["--send"]);
    assert_eq!(refused_tls.code, 1, "{refused_tls}");
    assert!(plain.received().is_empty());

    // A user without VEILLE_SMTP_PASSWORD: said before anything is sent.
    ws.write_raw(&format!("{starttls}user = \"veille\"\n"));
    let no_password = digest_at_now(&ws, &["--send"]);
    assert_eq!(no_password.code, 2, "{no_password}");
    assert!(
        no_password.stderr.contains("VEILLE_SMTP_PASSWORD"),
        "{no_password}"
    );

    assert_eq!(
        ok(digest_at_now(&ws, &["--list", "--format", "json"])).json(),
        serde_json::json!([])
    );
    let still = ok(digest_at_now(&ws, &["--since", "last", "--format", "json"])).json();
    assert_eq!(
        still["stories"].as_array().map(Vec::len),
        Some(12),
        "the stories are still to send"
    );
}

#[test]
fn since_last_twice_gives_only_what_was_fetched_after_the_first() {
    let server = Server::start();
    let first = [
        Item::new("Première dépêche", "https://site.example/1")
            .published(at("2026-11-20T09:00:00Z")),
        Item::new("Deuxième dépêche", "https://site.example/2")
            .published(at("2026-11-20T10:00:00Z")),
    ];
    server.route(
        "/feed.rss",
        Route::Fixed(Reply::feed(
            "application/rss+xml",
            rss("Site", "https://site.example/", &first),
        )),
    );
    let ws = Workspace::empty();
    ws.write_raw(&config(&[("site", &server.url("/feed.rss"))], ""));
    fetch_ok(&ws);
    let marked = ok(run(&ws, &["digest", "--since", "last", "--mark"]));
    assert!(
        marked.stdout.contains("Première dépêche") && marked.stdout.contains("Deuxième dépêche"),
        "{marked}"
    );
    assert!(
        marked.stderr.contains("digest 1 marked: 2 stories"),
        "{marked}"
    );
    let mut all = first.to_vec();
    all.push(
        Item::new("Troisième dépêche", "https://site.example/3")
            .published(at("2026-11-21T10:00:00Z")),
    );
    server.route(
        "/feed.rss",
        Route::Fixed(Reply::feed(
            "application/rss+xml",
            rss("Site", "https://site.example/", &all),
        )),
    );
    fetch_ok(&ws);
    let second = ok(run(
        &ws,
        &["digest", "--since", "last", "--mark", "--format", "json"],
    ))
    .json();
    let titles: Vec<&str> = second["stories"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["article"]["title"].as_str().unwrap())
        .collect();
    assert_eq!(titles, ["Troisième dépêche"]);
    let listed = ok(run(&ws, &["digest", "--list", "--format", "json"])).json();
    assert_eq!(listed.as_array().map(Vec::len), Some(2));
    assert_eq!(
        listed[0]["since"], listed[1]["until"],
        "the second starts where the first ended"
    );
    // A third, with nothing new, says so; --dry-run records nothing.
    let third = ok(run(&ws, &["digest", "--dry-run"]));
    assert!(third.stdout.contains("Rien de nouveau"), "{third}");
    let listed = ok(run(&ws, &["digest", "--list", "--format", "json"])).json();
    assert_eq!(listed.as_array().map(Vec::len), Some(2));
    // The first replays exactly, though its stories are now in no period.
    let replay = ok(run(&ws, &["digest", "--replay", "2"]));
    assert!(
        replay.stdout.contains("Troisième dépêche") && !replay.stdout.contains("Première"),
        "{replay}"
    );
}

#[test]
fn a_marked_digest_replays_byte_for_byte() {
    let (_server, ws) = fixed_corpus("");
    let marked = ok(digest_at_now(&ws, &["--mark", "--format", "html"]));
    // The articles change afterwards: the replay shows what was sent.
    let conn = rusqlite::Connection::open(ws.db_path()).expect("open the test database");
    conn.execute("UPDATE articles SET title = 'Réécrit'", [])
        .expect("rewrite titles");
    let replay = ok(digest_at_now(&ws, &["--replay", "1"]));
    assert_eq!(replay.stdout, marked.stdout);
    let text = ok(digest_at_now(&ws, &["--replay", "1", "--format", "text"]));
    assert!(text.stdout.contains("Sortie de PostgreSQL 19"), "{text}");
    let missing = digest_at_now(&ws, &["--replay", "9"]);
    assert_eq!(missing.code, 2, "{missing}");
}

#[test]
fn templates_are_overridable_by_a_folder_and_by_a_file() {
    let (_server, ws) = fixed_corpus("templates_dir = \"mine\"\nlang = \"en\"\n");
    std::fs::create_dir_all(ws.path().join("mine")).expect("a templates folder");
    std::fs::write(
        ws.path().join("mine/digest.md"),
        "{{ labels.stories }}: {{ total }}\n{% for g in groups %}{{ g.name }}={{ g.count }}\n{% endfor %}",
    )
    .expect("write a template");
    let mine = ok(digest_at_now(&ws, &[]));
    assert!(
        mine.stdout.starts_with("stories: 12\nsovereignty="),
        "{mine}"
    );
    assert!(mine.stdout.contains("other="), "{mine}");
    // The other formats keep the built-in templates, in English.
    let text = ok(digest_at_now(&ws, &["--format", "text"]));
    assert!(
        text.stdout.contains("Week of 16 to 22 November 2026"),
        "{text}"
    );
    std::fs::write(
        ws.path().join("one.html"),
        "<p>{{ title }} {{ \"<b>\" }}</p>",
    )
    .expect("write a template");
    let file = ok(digest_at_now(
        &ws,
        &["--format", "html", "--template", "one.html"],
    ));
    assert_eq!(
        file.stdout, "<p>Veille open source &lt;b&gt;</p>",
        "autoescaped"
    );
    std::fs::write(ws.path().join("broken.md"), "{% for %}").expect("write a template");
    let broken = digest_at_now(&ws, &["--template", "broken.md"]);
    assert_eq!(broken.code, 2, "{broken}");
    assert!(broken.stderr.contains("template digest.md"), "{broken}");
}

#[test]
fn sendmail_takes_the_message_and_its_failure_records_nothing() {
    let (_server, ws) = fixed_corpus(
        "\n[email]\nfrom = \"veille@example.org\"\nto = [\"equipe@example.org\"]\ntransport = \"sendmail\"\n",
    );
    // A `sendmail` of our own, first in PATH: it keeps its arguments and the message.
    let bin = ws.path().join("bin");
    std::fs::create_dir_all(&bin).expect("a bin folder");
    let script = bin.join("sendmail");
    std::fs::write(
        &script,
        "#!/bin/sh\nd=$(dirname \"$0\")\necho \"$@\" > \"$d/args\"\ncat > \"$d/message\"\nexit \"${SENDMAIL_EXIT:-0}\"\n",
    )
    .expect("write the script");
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&script, std::fs::Permissions::from_mode(0o755))
            .expect("make it executable");
    }
    let path = format!(
        "{}:{}",
        bin.display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let send = |exit: &str| {
        let output = veille(&ws)
            .env("VEILLE_NOW", NOW)
            .env("PATH", &path)
            .env("SENDMAIL_EXIT", exit)
            .args(["digest", "--send"])
            .output()
            .expect("run veille digest");
        Run {
            code: output.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
        }
    };
    let failed = send("75");
    assert_eq!(failed.code, 1, "{failed}");
    assert_eq!(
        ok(digest_at_now(&ws, &["--list", "--format", "json"])).json(),
        serde_json::json!([])
    );
    let sent = send("0");
    assert_eq!(sent.code, 0, "{sent}");
    let args = std::fs::read_to_string(bin.join("args")).expect("sendmail was called");
    assert_eq!(
        args.trim(),
        "-i -f veille@example.org -- equipe@example.org"
    );
    let message = std::fs::read(bin.join("message")).expect("the message");
    let parsed = mail_parser::MessageParser::default()
        .parse(&message)
        .expect("a message");
    assert!(parsed
        .subject()
        .is_some_and(|s| s.contains("Semaine du 16 au 22 novembre 2026")));
    let listed = ok(digest_at_now(&ws, &["--list", "--format", "json"])).json();
    assert_eq!(listed[0]["sent"], true);
}
