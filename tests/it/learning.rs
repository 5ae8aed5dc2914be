//! Tags corrected by hand and topics learnt from the corrections, through the real binary:
//! `veille tag ID +T -T` (one article or a whole story), kept over the rules through `retag` and
//! re-fetches, shown by `show` and listed by `tags --corrections`; the learnt model applied by
//! `retag` and `fetch` with its terms as reasons; `veille tag suggest`.

use crate::common::{
    all_articles, by_title, config_text, fetch_ok, fixture, id_of, run, search_json, show_json,
    Reply, Route, Server, Workspace,
};
use serde_json::{json, Value};

/// A user's own topic: two keywords, which miss most coalition stories of the feed.
const TOPICS: &str = r#"
[[topic]]
name = "coalitions"
label = "Coalitions"
keywords = ["consortium", "fédération"]
min_score = 1

[[topic]]
name = "releases"
label = "Nouvelles versions"
keywords = ["sortie de"]
min_score = 1
"#;

const FEED: &str = "/feeds/learning.rss";

fn workspace(server: &Server, extra: &str) -> Workspace {
    let ws = Workspace::empty();
    let mut text = config_text(&[("news", &server.url(FEED))], &[]);
    text.push_str(TOPICS);
    text.push_str(extra);
    ws.write_raw(&text);
    ws
}

fn fetched(extra: &str) -> (Server, Workspace, Vec<Value>) {
    let server = Server::start();
    let ws = workspace(&server, extra);
    fetch_ok(&ws);
    let articles = all_articles(&ws);
    (server, ws, articles)
}

fn id(articles: &[Value], title: &str) -> String {
    id_of(by_title(articles, title)).to_string()
}

fn tags_of(ws: &Workspace, id: &str) -> Value {
    show_json(ws, id.parse().unwrap())["tags"].clone()
}

const GROUPING: &str = "Cinq éditeurs français répondent ensemble à l'appel d'offres de la région";
const POSTGRES: &str = "Sortie de PostgreSQL 19";
const FOOTBALL: &str = "Le club de football local recrute un attaquant";

#[test]
fn a_correction_sets_and_removes_topics_over_the_rules() {
    let (_server, ws, articles) = fetched("");
    let grouping = id(&articles, GROUPING);
    let postgres = id(&articles, POSTGRES);
    assert_eq!(tags_of(&ws, &grouping), json!([]));
    assert_eq!(tags_of(&ws, &postgres), json!(["releases"]));

    let set = run(&ws, &["tag", &grouping, "+coalitions"]);
    assert_eq!(set.code, 0, "{set}");
    assert!(set.stderr.contains("coalitions set by hand"), "{set}");
    let removed = run(&ws, &["tag", &postgres, "-releases", "+coalitions"]);
    assert_eq!(removed.code, 0, "{removed}");

    assert_eq!(tags_of(&ws, &grouping), json!(["coalitions"]));
    assert_eq!(tags_of(&ws, &postgres), json!(["coalitions"]));
    let shown = show_json(&ws, grouping.parse().unwrap());
    assert_eq!(shown["tag_reasons"], json!({"coalitions": ["set by hand"]}));
    let text = run(&ws, &["show", &grouping]);
    assert!(
        text.stdout.contains("Tag coalitions: set by hand"),
        "{text}"
    );
    let tagged = search_json(&ws, &["--tag", "releases", "--all"]);
    assert!(tagged.iter().all(|a| a["title"] != POSTGRES), "{tagged:?}");

    // `tags --corrections` lists them, newest first.
    let listed = run(&ws, &["tags", "--corrections", "--format", "json"]);
    assert_eq!(listed.code, 0, "{listed}");
    let rows: Vec<(i64, String, bool)> = listed
        .json()
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            (
                c["id"].as_i64().unwrap(),
                c["topic"].as_str().unwrap().to_string(),
                c["present"].as_bool().unwrap(),
            )
        })
        .collect();
    let (g, p): (i64, i64) = (grouping.parse().unwrap(), postgres.parse().unwrap());
    let mut expected = vec![
        (g, "coalitions".to_string(), true),
        (p, "coalitions".to_string(), true),
        (p, "releases".to_string(), false),
    ];
    let mut sorted = rows.clone();
    sorted.sort();
    expected.sort();
    assert_eq!(sorted, expected);
    let table = run(&ws, &["tags", "--corrections"]);
    assert!(table.stdout.contains("-releases"), "{table}");
    assert!(table.stdout.contains(POSTGRES), "{table}");
}

#[test]
fn corrections_survive_retag_and_a_refetch_that_changes_the_article() {
    let (server, ws, articles) = fetched("");
    let postgres = id(&articles, POSTGRES);
    let football = id(&articles, FOOTBALL);
    assert_eq!(run(&ws, &["tag", &postgres, "-releases"]).code, 0);
    assert_eq!(run(&ws, &["tag", &football, "+coalitions"]).code, 0);

    let retag = run(&ws, &["retag"]);
    assert_eq!(retag.code, 0, "{retag}");
    assert!(retag.stderr.contains("0 tags added, 0 removed"), "{retag}");
    assert_eq!(tags_of(&ws, &postgres), json!([]));
    assert_eq!(tags_of(&ws, &football), json!(["coalitions"]));

    // The feed now carries new texts for both: they are updated in place and tagged again.
    let feed = String::from_utf8(fixture(FEED))
        .unwrap()
        .replace(
            "La nouvelle version majeure de PostgreSQL",
            "La version 19 de PostgreSQL, sortie de la semaine,",
        )
        .replace("Le club de la ville", "Le club de football de la ville");
    server.route(FEED, Route::Fixed(Reply::feed("application/rss+xml", feed)));
    let again = fetch_ok(&ws);
    assert!(again.stderr.contains("2 updated"), "{again}");
    assert_eq!(tags_of(&ws, &postgres), json!([]));
    assert_eq!(tags_of(&ws, &football), json!(["coalitions"]));
}

#[test]
fn a_story_is_corrected_whole() {
    let (_server, ws, articles) = fetched("");
    let grouping = by_title(&articles, GROUPING);
    let story = grouping["story"].as_i64().unwrap().to_string();
    let done = run(&ws, &["tag", "--story", &story, "+coalitions"]);
    assert_eq!(done.code, 0, "{done}");
    assert_eq!(
        tags_of(&ws, &id_of(grouping).to_string()),
        json!(["coalitions"])
    );
    let missing = run(&ws, &["tag", "--story", "999999", "+coalitions"]);
    assert_eq!(missing.code, 2, "{missing}");
    assert!(
        missing.stderr.contains("no story has the number 999999"),
        "{missing}"
    );
}

#[test]
fn bad_corrections_exit_2_and_change_nothing() {
    let (_server, ws, articles) = fetched("");
    let postgres = id(&articles, POSTGRES);
    let before = all_articles(&ws);
    let cases: &[(&[&str], &str)] = &[
        (
            &["tag", "999999", "+coalitions"],
            "no article has the id 999999",
        ),
        (
            &["tag", &postgres, "-releases", "+nosuch"],
            "no topic named `nosuch`",
        ),
        (
            &["tag", &postgres, "releases"],
            "write +TOPIC to set a topic or -TOPIC",
        ),
        (
            &["tag", &postgres, "+releases", "-releases"],
            "`releases` is named twice",
        ),
        (&["tag", &postgres], "nothing to correct"),
        (&["tag", "suggest", "nosuch"], "no topic named `nosuch`"),
    ];
    for (args, message) in cases {
        let failed = run(&ws, args);
        assert_eq!(failed.code, 2, "{args:?}\n{failed}");
        assert!(failed.stderr.contains(message), "{args:?}\n{failed}");
    }
    assert_eq!(all_articles(&ws), before);
    let listed = run(&ws, &["tags", "--corrections", "--format", "json"]);
    assert_eq!(listed.json(), json!([]));
}

/// Three coalition stories confirmed, three other articles rejected: the topic learns. Returns
/// the last correction's run.
fn teach(ws: &Workspace, articles: &[Value]) -> crate::common::Run {
    let with = [
        GROUPING,
        "Messagerie, documents, visio : des PME chassent en meute face aux géants",
        "Un groupement d'éditeurs remporte le marché de la suite collaborative de l'État",
    ];
    let without = [
        FOOTBALL,
        "Budget municipal : la ville investit dans ses écoles",
        POSTGRES,
    ];
    for title in with {
        let done = run(ws, &["tag", &id(articles, title), "+coalitions"]);
        assert_eq!(done.code, 0, "{done}");
    }
    let mut last = None;
    for title in without {
        let done = run(ws, &["tag", &id(articles, title), "-coalitions"]);
        assert_eq!(done.code, 0, "{done}");
        last = Some(done);
    }
    last.unwrap()
}

const UNSEEN: &str = "Quatre éditeurs mettent en commun leur catalogue pour les collectivités";

#[test]
fn a_topic_learns_from_its_corrections_and_explains_its_tags() {
    let (_server, ws, articles) = fetched("");
    let unseen = id(&articles, UNSEEN);
    assert_eq!(tags_of(&ws, &unseen), json!([]));
    let last = teach(&ws, &articles);
    assert!(
        last.stderr
            .contains("coalitions: model retrained on 6 examples (3 with, 3 without)"),
        "{last}"
    );

    let retag = run(&ws, &["retag"]);
    assert_eq!(retag.code, 0, "{retag}");
    assert_eq!(tags_of(&ws, &unseen), json!(["coalitions"]));
    let shown = show_json(&ws, unseen.parse().unwrap());
    let terms = shown["tag_reasons"]["coalitions"].as_array().unwrap();
    assert!(terms.contains(&json!("groupement")), "{shown}");
    let text = run(&ws, &["show", &unseen]);
    assert!(
        text.stdout
            .contains("Tag coalitions: learnt from examples: « "),
        "{text}"
    );
    assert!(text.stdout.contains("« groupement » +"), "{text}");
    // Rules still decide where they match; the model gave no topic to unrelated news.
    let museum = id(
        &articles,
        "Le musée rouvre ses portes après deux ans de travaux",
    );
    assert_eq!(tags_of(&ws, &museum), json!([]));
    assert_eq!(
        tags_of(
            &ws,
            &id(
                &articles,
                "Sortie de GIMP 3.2 avec des calques non destructifs"
            )
        ),
        json!(["releases"])
    );
}

#[test]
fn fetch_tags_new_articles_with_the_stored_model() {
    let (server, ws, articles) = fetched("");
    teach(&ws, &articles);
    let title = "Six éditeurs forment un groupement pour la messagerie des lycées";
    let item = format!(
        "<item><title>{title}</title><link>https://news.example.org/new</link>\
         <guid>https://news.example.org/new</guid><pubDate>Mon, 30 Nov 2026 09:00:00 +0000</pubDate>\
         <description>Les éditeurs ont constitué un groupement et présentent une offre commune \
         aux régions : chaque membre apporte sa brique.</description></item></channel>"
    );
    let feed = String::from_utf8(fixture(FEED))
        .unwrap()
        .replace("</channel>", &item);
    server.route(FEED, Route::Fixed(Reply::feed("application/rss+xml", feed)));
    let again = fetch_ok(&ws);
    assert!(again.stderr.contains("1 new"), "{again}");
    let new = id(&all_articles(&ws), title);
    assert_eq!(tags_of(&ws, &new), json!(["coalitions"]));
}

#[test]
fn suggest_lists_what_the_model_would_change_most_confident_first() {
    let (_server, ws, articles) = fetched("\n[learning]\nmin_examples = 6\nmin_confidence = 0.6\n");
    let early = run(&ws, &["tag", "suggest", "coalitions"]);
    assert_eq!(early.code, 1, "{early}");
    assert!(early.stderr.contains("has no learnt model yet"), "{early}");
    teach(&ws, &articles);

    let listed = run(&ws, &["tag", "suggest", "coalitions", "--format", "json"]);
    assert_eq!(listed.code, 0, "{listed}");
    let items = listed.json();
    let items = items.as_array().unwrap();
    assert!(!items.is_empty(), "{listed}");
    let corrected: Vec<String> = [GROUPING, FOOTBALL, POSTGRES]
        .iter()
        .map(|t| id(&articles, t))
        .collect();
    for item in items {
        assert!(!corrected.contains(&item["id"].to_string()), "{item}");
        assert!(item["confidence"].as_f64().unwrap() >= 0.6, "{item}");
    }
    let confidences: Vec<f64> = items
        .iter()
        .map(|i| i["confidence"].as_f64().unwrap())
        .collect();
    assert!(
        confidences.windows(2).all(|w| w[0] >= w[1]),
        "{confidences:?}"
    );
    let unseen = by_title(&articles, UNSEEN);
    let found = items
        .iter()
        .find(|i| i["id"] == unseen["id"])
        .expect("the unseen coalition story");
    assert_eq!(found["suggest"], "add");
    assert!(
        found["terms"]
            .as_array()
            .unwrap()
            .contains(&json!("groupement")),
        "{found}"
    );

    let limited = run(&ws, &["tag", "suggest", "coalitions", "--limit", "1"]);
    assert_eq!(limited.code, 0, "{limited}");
    assert!(limited.stdout.contains("+coalitions"), "{limited}");
    assert_eq!(
        limited
            .stdout
            .lines()
            .filter(|l| l.contains("+coalitions") && !l.starts_with("confirm"))
            .count(),
        1,
        "{limited}"
    );
}
