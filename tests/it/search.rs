//! `veille search`, `show`, `sources` and `check` on a database filled by a real fetch of the
//! fixtures: FTS queries (accents, phrases, prefixes, operators), filters, output formats and
//! their exact JSON fields, source health, and configuration errors with their lines.

use crate::common::feeds::{rss, Item};
use crate::common::{
    fetch, fetch_ok, id_of, run, search_json, show_json, sources_json, titles, Reply, Route,
    Server, Workspace,
};
use chrono::{DateTime, Duration, Utc};
use serde_json::Value;
use std::collections::BTreeSet;

const L1: &str = "Souveraineté numérique : l’État publie sa doctrine « cloud au centre »";
const L2: &str = "Sortie de PostgreSQL 19";
const L3: &str = "Revue de presse de l’April pour la semaine 46 de l’année 2026";
const F1: &str = "Émancipons-nous : un an de PeerTube dans les écoles";
const F2: &str = "Khrys’presse du lundi 16 novembre 2026";
const G1: &str = "Cybersécurité : la sécurité des PME passe d’abord par la formation";
const G2: &str = "Rançongiciels : les hôpitaux français toujours en première ligne";
const N1: &str = "Cloud souverain : ce que change SecNumCloud 3.3";
const N2: &str = "Firefox 150 chiffre enfin les requêtes DNS par défaut";
const B1: &str = "BlueMind 5.4 : la messagerie qui remplace Exchange sans douleur";
const B2: &str = "Le ministère des Armées choisit BlueMind pour 200 000 boîtes";

/// The fields of every article in `search` JSON and NDJSON.
const FIELDS: &[&str] = &[
    "author",
    "duplicates",
    "fetched_at",
    "id",
    "published",
    "source",
    "story",
    "summary",
    "tags",
    "title",
    "url",
];

/// Five fixture feeds (11 articles) fetched into a fresh workspace.
fn corpus() -> Workspace {
    let server = Server::start();
    let ws = Workspace::new(
        &[
            ("linuxfr", &server.url("/feeds/linuxfr-news.atom")),
            ("framablog", &server.url("/feeds/framablog.rss")),
            ("gsm", &server.url("/feeds/gsm-spip.rss")),
            ("next", &server.url("/feeds/next.json")),
            ("bluemind", &server.url("/feeds/bluemind-summary.rss")),
        ],
        &[],
    );
    let run = fetch_ok(&ws);
    assert_eq!(run.summary().new, 11, "{run}");
    ws
}

fn set(titles: &[&str]) -> BTreeSet<String> {
    titles.iter().map(|t| t.to_string()).collect()
}

/// The titles `search <args>` finds, as a set.
fn found(ws: &Workspace, args: &[&str]) -> BTreeSet<String> {
    titles(&search_json(ws, args)).into_iter().collect()
}

fn keys(v: &Value) -> Vec<String> {
    let mut keys: Vec<String> = v
        .as_object()
        .unwrap_or_else(|| panic!("not an object: {v}"))
        .keys()
        .cloned()
        .collect();
    keys.sort();
    keys
}

fn published(a: &Value) -> Option<DateTime<Utc>> {
    a["published"]
        .as_str()
        .and_then(|p| DateTime::parse_from_rfc3339(p).ok())
        .map(|p| p.with_timezone(&Utc))
}

#[test]
fn search_ignores_accents_and_case() {
    let ws = corpus();
    assert_eq!(found(&ws, &["souverainete"]), set(&[L1]));
    assert_eq!(found(&ws, &["SOUVERAINETÉ"]), set(&[L1]));
    assert_eq!(found(&ws, &["hopitaux"]), set(&[G2]));
    assert_eq!(found(&ws, &["PeerTube"]), set(&[F1]));
    assert_eq!(found(&ws, &["peertube"]), set(&[F1]));
}

#[test]
fn search_phrase_and_implicit_and() {
    let ws = corpus();
    assert_eq!(found(&ws, &["\"logiciel libre\""]), set(&[L1]));
    assert_eq!(found(&ws, &["logiciel libre"]), set(&[L1, L3]));
    assert_eq!(found(&ws, &["\"cloud au centre\""]), set(&[L1]));
}

#[test]
fn search_prefix() {
    let ws = corpus();
    assert_eq!(found(&ws, &["chiffr*"]), set(&[L2, F2, G2, N2]));
    assert_eq!(found(&ws, &["souverain*"]), set(&[L1, N1, B2]));
}

#[test]
fn search_boolean_operators() {
    let ws = corpus();
    assert_eq!(found(&ws, &["chiffrement AND hôpitaux"]), set(&[G2]));
    assert_eq!(found(&ws, &["peertube OR bluemind"]), set(&[F1, B1, B2]));
    assert_eq!(found(&ws, &["chiffrement NOT postgresql"]), set(&[F2, G2]));
    assert_eq!(
        found(&ws, &["(peertube OR hopitaux) AND chiffrement"]),
        set(&[G2])
    );
    assert!(found(&ws, &["zzzintrouvable"]).is_empty());
}

#[test]
fn search_by_source() {
    let ws = corpus();
    assert_eq!(found(&ws, &["chiffrement", "--source", "gsm"]), set(&[G2]));
    assert_eq!(
        found(
            &ws,
            &["souverain*", "--source", "linuxfr", "--source", "next"]
        ),
        set(&[L1, N1])
    );
    let all_gsm = search_json(&ws, &["--source", "gsm"]);
    assert_eq!(
        titles(&all_gsm).into_iter().collect::<BTreeSet<_>>(),
        set(&[G1, G2])
    );
}

#[test]
fn without_query_newest_first_and_limit() {
    let ws = corpus();
    let all = search_json(&ws, &[]);
    assert_eq!(all.len(), 11);
    let dates: Vec<_> = all.iter().map(published).collect();
    assert!(
        dates.windows(2).all(|w| w[0] >= w[1]),
        "newest first: {:?}",
        titles(&all)
    );
    let two = search_json(&ws, &["--limit", "2"]);
    assert_eq!(titles(&two), vec![N1.to_string(), N2.to_string()]);
    assert_eq!(search_json(&ws, &["chiffr*", "--limit", "3"]).len(), 3);
}

#[test]
fn since_and_until_with_dates_and_instants() {
    let ws = corpus();
    assert_eq!(
        found(&ws, &["--since", "2026-11-19", "--until", "2026-11-20"]),
        set(&[F1, G1])
    );
    assert_eq!(
        found(&ws, &["--since", "2026-11-20T14:00:00Z"]),
        set(&[N1, N2])
    );
    assert_eq!(
        found(&ws, &["--until", "2026-11-17T00:00:00Z"]),
        set(&[L3, F2, B2])
    );
    assert_eq!(
        found(&ws, &["chiffr*", "--since", "2026-11-18T00:00:00+01:00"]),
        set(&[L2, G2, N2])
    );
}

#[test]
fn since_and_until_with_durations() {
    let now = Utc::now();
    let items = [
        ("Il y a une heure", Duration::hours(1)),
        ("Il y a trois jours", Duration::days(3)),
        ("Il y a dix jours", Duration::days(10)),
        ("Il y a quarante jours", Duration::days(40)),
    ]
    .map(|(title, age)| {
        Item::new(
            title,
            &format!("https://example.org/{}", title.replace(' ', "-")),
        )
        .published(now - age)
    });
    let server = Server::start();
    server.route(
        "/recent.rss",
        Route::Fixed(Reply::feed(
            "application/rss+xml",
            rss("Récent", "https://example.org/", &items),
        )),
    );
    let ws = Workspace::new(&[("recent", &server.url("/recent.rss"))], &[]);
    fetch_ok(&ws);
    assert_eq!(found(&ws, &["--since", "36h"]), set(&["Il y a une heure"]));
    assert_eq!(
        found(&ws, &["--since", "7d"]),
        set(&["Il y a une heure", "Il y a trois jours"])
    );
    assert_eq!(
        found(&ws, &["--since", "2w"]),
        set(&["Il y a une heure", "Il y a trois jours", "Il y a dix jours"])
    );
    assert_eq!(
        found(&ws, &["--until", "2w"]),
        set(&["Il y a quarante jours"])
    );
    assert_eq!(
        found(&ws, &["--since", "2w", "--until", "36h"]),
        set(&["Il y a trois jours", "Il y a dix jours"])
    );
}

#[test]
fn bad_since_is_a_usage_error() {
    let ws = corpus();
    let r = run(&ws, &["search", "--since", "hier matin"]);
    assert_eq!(r.code, 2, "{r}");
    assert!(r.stderr.contains("--since"), "{r}");
}

#[test]
fn json_has_exactly_the_contract_fields() {
    let ws = corpus();
    let all = search_json(&ws, &["--all"]);
    assert_eq!(all.len(), 11);
    for a in &all {
        assert_eq!(keys(a), FIELDS, "{a}");
        assert!(a["id"].is_i64(), "{a}");
        assert!(a["story"].is_i64(), "{a}");
        assert_eq!(a["story"], a["id"], "{a}");
        assert_eq!(a["tags"], serde_json::json!([]), "{a}");
        assert_eq!(a["duplicates"], serde_json::json!([]), "{a}");
        for field in ["title", "url", "source", "summary", "fetched_at"] {
            assert!(a[field].is_string(), "{field} of {a}");
        }
        assert!(a["author"].is_string() || a["author"].is_null(), "{a}");
        let fetched = a["fetched_at"].as_str().unwrap_or("");
        assert!(
            fetched.ends_with('Z') && DateTime::parse_from_rfc3339(fetched).is_ok(),
            "{a}"
        );
        let p = a["published"]
            .as_str()
            .expect("every corpus article has a date");
        assert!(
            p.ends_with('Z') && DateTime::parse_from_rfc3339(p).is_ok(),
            "{a}"
        );
        assert!(
            a["summary"].as_str().unwrap_or("").chars().count() <= 300,
            "{a}"
        );
    }
    let ids: BTreeSet<i64> = all.iter().map(id_of).collect();
    assert_eq!(ids.len(), 11, "ids are unique");
}

#[test]
fn ndjson_is_one_object_a_line() {
    let ws = corpus();
    let json = search_json(&ws, &["--all"]);
    let r = run(&ws, &["search", "--all", "--format", "ndjson"]);
    assert_eq!(r.code, 0, "{r}");
    let lines: Vec<&str> = r.stdout.lines().collect();
    assert_eq!(lines.len(), json.len(), "{r}");
    for (line, expected) in lines.iter().zip(&json) {
        let v: Value = serde_json::from_str(line).unwrap_or_else(|e| panic!("{e}: {line}"));
        assert_eq!(keys(&v), FIELDS);
        assert_eq!(&v, expected, "ndjson and json describe the same article");
    }
}

#[test]
fn csv_has_a_header_and_one_record_per_article() {
    let ws = corpus();
    let json = search_json(&ws, &["souverain*"]);
    let r = run(&ws, &["search", "souverain*", "--format", "csv"]);
    assert_eq!(r.code, 0, "{r}");
    let mut reader = csv::Reader::from_reader(r.stdout.as_bytes());
    let header: Vec<String> = reader
        .headers()
        .unwrap_or_else(|e| panic!("{e}\n{r}"))
        .iter()
        .map(str::to_string)
        .collect();
    for column in ["id", "title", "url", "source", "published"] {
        assert!(
            header.iter().any(|h| h == column),
            "no {column} in {header:?}"
        );
    }
    let title_at = header.iter().position(|h| h == "title").unwrap_or(0);
    let records: Vec<csv::StringRecord> = reader
        .records()
        .collect::<Result<_, _>>()
        .unwrap_or_else(|e| panic!("{e}\n{r}"));
    assert_eq!(records.len(), json.len(), "{r}");
    let csv_titles: BTreeSet<String> = records
        .iter()
        .map(|rec| rec.get(title_at).unwrap_or("").to_string())
        .collect();
    assert_eq!(csv_titles, set(&[L1, N1, B2]));
}

#[test]
fn table_is_plain_text_without_colour() {
    let ws = corpus();
    let r = run(&ws, &["search", "peertube"]);
    assert_eq!(r.code, 0, "{r}");
    assert!(r.stdout.contains("PeerTube"), "{r}");
    assert!(!r.stdout.contains('\u{1b}'), "NO_COLOR is set: {r}");
}

#[test]
fn malformed_queries_are_usage_errors_in_plain_words() {
    let ws = corpus();
    for query in ["\"unclosed", "AND OR", "chiffrement AND"] {
        let r = run(&ws, &["search", query]);
        assert_eq!(r.code, 2, "query {query:?}\n{r}");
        assert!(
            !r.stderr.trim().is_empty(),
            "query {query:?}: a sentence on stderr"
        );
        let lower = r.stderr.to_lowercase();
        for jargon in ["sql", "fts5", "syntax error near"] {
            assert!(
                !lower.contains(jargon),
                "query {query:?}: {jargon:?} in {:?}",
                r.stderr
            );
        }
        assert!(
            r.stdout.trim().is_empty(),
            "query {query:?}: nothing on stdout\n{r}"
        );
    }
}

#[test]
fn show_adds_text_and_tag_reasons() {
    let ws = corpus();
    let hit = search_json(&ws, &["peertube"]);
    assert_eq!(hit.len(), 1);
    let shown = show_json(&ws, id_of(&hit[0]));
    let mut expected: Vec<&str> = FIELDS.to_vec();
    expected.extend(["tag_reasons", "text"]);
    expected.sort();
    assert_eq!(keys(&shown), expected, "{shown}");
    assert_eq!(shown["tag_reasons"], serde_json::json!({}));
    for field in FIELDS {
        assert_eq!(
            shown[field], hit[0][field],
            "{field} differs between show and search"
        );
    }
    assert!(shown["text"]
        .as_str()
        .unwrap_or("")
        .contains("Une fédération, pas une plateforme"));
}

#[test]
fn show_of_an_unknown_id_fails_with_a_message() {
    let ws = corpus();
    let r = run(&ws, &["show", "987654", "--format", "json"]);
    assert_eq!(r.code, 1, "{r}");
    assert!(r.stderr.contains("987654"), "the message names the id: {r}");
    assert!(r.stdout.trim().is_empty(), "{r}");
}

/// SPEC's fields, and the activity fields documented in the README (`articles_30d`, `last_new`,
/// `next_attempt`, `stale`), sorted.
const SOURCE_FIELDS: &[&str] = &[
    "articles",
    "articles_30d",
    "consecutive_failures",
    "enabled",
    "kind",
    "last_attempt",
    "last_error",
    "last_new",
    "last_success",
    "last_warning",
    "name",
    "next_attempt",
    "stale",
    "url",
];

#[test]
fn sources_json_fields_and_health_after_failures() {
    let server = Server::start();
    server.route("/down.rss", Route::status(500));
    let ws = Workspace::new(
        &[
            ("linuxfr", &server.url("/feeds/linuxfr-news.atom")),
            ("down", &server.url("/down.rss")),
        ],
        &[],
    );
    let before = sources_json(&ws);
    assert_eq!(before.len(), 2);
    for s in &before {
        assert_eq!(keys(s), SOURCE_FIELDS, "{s}");
        assert_eq!(s["articles"], 0, "{s}");
        assert!(
            s["last_attempt"].is_null() && s["last_success"].is_null(),
            "{s}"
        );
    }

    assert_eq!(fetch(&ws, &[]).code, 3);
    let after = sources_json(&ws);
    let by_name = |name: &str| -> Value {
        after
            .iter()
            .find(|s| s["name"] == name)
            .cloned()
            .unwrap_or_else(|| panic!("no source {name} in {after:#?}"))
    };
    let good = by_name("linuxfr");
    assert_eq!(keys(&good), SOURCE_FIELDS);
    assert_eq!(good["kind"], "feed");
    assert_eq!(good["url"], server.url("/feeds/linuxfr-news.atom"));
    assert_eq!(good["enabled"], true);
    assert_eq!(good["articles"], 3);
    assert_eq!(good["consecutive_failures"], 0);
    assert!(good["last_error"].is_null(), "{good}");
    assert!(
        good["last_success"].is_string() && good["last_attempt"].is_string(),
        "{good}"
    );

    let down = by_name("down");
    assert_eq!(down["articles"], 0);
    assert_eq!(down["consecutive_failures"], 1, "{down}");
    assert!(
        down["last_error"]
            .as_str()
            .unwrap_or("")
            .contains("HTTP 500"),
        "{down}"
    );
    assert!(down["last_success"].is_null(), "{down}");
    assert!(down["last_attempt"].is_string(), "{down}");

    assert_eq!(fetch(&ws, &[]).code, 3);
    let again = sources_json(&ws);
    let down = again
        .iter()
        .find(|s| s["name"] == "down")
        .cloned()
        .unwrap_or_default();
    assert_eq!(down["consecutive_failures"], 2, "{down}");

    server.route(
        "/down.rss",
        Route::Fixed(Reply::feed(
            "application/rss+xml",
            rss(
                "Revenu",
                "https://example.org/",
                &[Item::new("De retour", "https://example.org/retour")],
            ),
        )),
    );
    // After two failures in a row the source waits 30 min: --force fetches it now.
    assert_eq!(fetch(&ws, &["--force"]).code, 0);
    let healed = sources_json(&ws);
    let down = healed
        .iter()
        .find(|s| s["name"] == "down")
        .cloned()
        .unwrap_or_default();
    assert_eq!(down["consecutive_failures"], 0, "{down}");
    assert!(down["last_error"].is_null(), "{down}");
    assert_eq!(down["articles"], 1, "{down}");
}

/// The 1-based line of `text` that contains `needle`.
fn line_of(text: &str, needle: &str) -> usize {
    text.lines()
        .position(|l| l.contains(needle))
        .map(|i| i + 1)
        .unwrap_or_else(|| panic!("{needle:?} not in the config"))
}

#[test]
fn check_accepts_a_valid_configuration() {
    let ws = Workspace::new(
        &[
            ("linuxfr", "https://linuxfr.org/news.atom"),
            ("framablog", "https://framablog.org/feed/"),
        ],
        &[
            "user_agent = \"veille-tests/1.0\"",
            "max_body = \"1MiB\"",
            "timezone = \"Europe/Paris\"",
        ],
    );
    let r = run(&ws, &["check"]);
    assert_eq!(r.code, 0, "{r}");
}

#[test]
fn check_lists_every_error_with_its_line() {
    let text = r#"[settings]
database = "veille.db"
timeout = "bientôt"

[[source]]
name = "Linux FR"
url = "https://linuxfr.org/news.atom"

[[source]]
name = "framablog"
url = "pas une url"

[[source]]
name = "framablog"
url = "https://framablog.org/feed/"
"#;
    let ws = Workspace::empty();
    ws.write_raw(text);
    let r = run(&ws, &["check"]);
    assert_eq!(r.code, 2, "{r}");
    let expected = [
        (line_of(text, "bientôt"), "timeout"),
        (line_of(text, "Linux FR"), "name"),
        (line_of(text, "pas une url"), "url"),
        (
            text.lines()
                .collect::<Vec<_>>()
                .iter()
                .rposition(|l| l.contains("\"framablog\""))
                .map(|i| i + 1)
                .unwrap_or(0),
            "name",
        ),
    ];
    for (line, key) in expected {
        let location = format!("feeds.toml:{line}");
        let reported = r.stderr.lines().find(|l| l.contains(&location));
        let reported = reported.unwrap_or_else(|| panic!("no error at {location}\n{r}"));
        assert!(
            reported.contains(key),
            "{reported:?} should name the key {key}"
        );
    }
}

#[test]
fn unknown_keys_are_refused_with_their_line() {
    let text = r#"[settings]
database = "veille.db"
concurency = 4

[[source]]
name = "linuxfr"
url = "https://linuxfr.org/news.atom"
titel = "LinuxFr"
"#;
    let ws = Workspace::empty();
    ws.write_raw(text);
    for args in [&["check"][..], &["fetch"][..]] {
        let r = run(&ws, args);
        assert_eq!(r.code, 2, "{args:?}\n{r}");
        for (key, line) in [("concurency", 3), ("titel", 8)] {
            let location = format!("feeds.toml:{line}");
            assert!(
                r.stderr
                    .lines()
                    .any(|l| l.contains(&location) && l.contains(key)),
                "{args:?}: no error naming {key} at {location}\n{r}"
            );
        }
    }
    assert!(
        !ws.db_path().exists(),
        "a refused configuration touches no database"
    );
}
