//! Topic tags through the real binary: given at fetch time with their reasons, filtered by
//! `search --tag`, explained by `show`, counted by `tags`, re-applied by `retag`.

use crate::common::{
    by_title, config_text, fetch_ok, id_of, run, search_json, show_json, Server, Workspace,
};

const TOPICS: &str = r#"
[[topic]]
name = "sovereignty"
label = "Souveraineté numérique"
keywords = ["souveraineté numérique", "SecNumCloud", "cloud souverain"]
min_score = 1

[[topic]]
name = "releases"
label = "Nouvelles versions"
keywords = ["sortie de"]
min_score = 1
"#;

fn workspace(server: &Server, topics: &str) -> Workspace {
    let ws = Workspace::empty();
    let sources = [
        ("linuxfr", server.url("/feeds/linuxfr-news.atom")),
        ("next", server.url("/feeds/next.json")),
    ];
    let sources: Vec<(&str, &str)> = sources.iter().map(|(n, u)| (*n, u.as_str())).collect();
    let mut text = config_text(&sources, &[]);
    text.push_str("tags = [\"presse\"]\n"); // the last source, next, always carries "presse"
    text.push_str(topics);
    ws.write_raw(&text);
    ws
}

#[test]
fn tags_are_given_at_fetch_time_and_explained() {
    let server = Server::start();
    let ws = workspace(&server, TOPICS);
    fetch_ok(&ws);

    let tagged = search_json(&ws, &["--tag", "sovereignty", "--all"]);
    let mut titles: Vec<&str> = tagged
        .iter()
        .map(|a| a["title"].as_str().unwrap())
        .collect();
    titles.sort();
    assert_eq!(
        titles,
        [
            "Cloud souverain : ce que change SecNumCloud 3.3",
            "Souveraineté numérique : l’État publie sa doctrine « cloud au centre »",
        ]
    );

    let all = search_json(&ws, &["--all"]);
    let doctrine = by_title(
        &all,
        "Souveraineté numérique : l’État publie sa doctrine « cloud au centre »",
    );
    assert_eq!(doctrine["tags"], serde_json::json!(["sovereignty"]));
    let shown = show_json(&ws, id_of(doctrine));
    assert_eq!(
        shown["tag_reasons"],
        serde_json::json!({"sovereignty": ["souveraineté numérique", "SecNumCloud"]})
    );
    let text = run(&ws, &["show", &id_of(doctrine).to_string()]);
    assert!(
        text.stdout
            .contains("Tag sovereignty: « souveraineté numérique » in title"),
        "{text}"
    );

    let release = by_title(&all, "Sortie de PostgreSQL 19");
    assert_eq!(release["tags"], serde_json::json!(["releases"]));

    // Source tags are always given, with their own reason.
    let next: Vec<_> = all.iter().filter(|a| a["source"] == "next").collect();
    assert_eq!(next.len(), 2);
    for article in next {
        let tags = article["tags"].as_array().unwrap();
        assert!(tags.contains(&serde_json::json!("presse")), "{article}");
    }
}

#[test]
fn tags_lists_topics_in_order_with_counts() {
    let server = Server::start();
    let ws = workspace(&server, TOPICS);
    fetch_ok(&ws);
    let listed = run(&ws, &["tags", "--format", "json"]);
    assert_eq!(listed.code, 0, "{listed}");
    assert_eq!(
        listed.json(),
        serde_json::json!([
            {"name": "sovereignty", "label": "Souveraineté numérique", "articles": 2},
            {"name": "releases", "label": "Nouvelles versions", "articles": 1},
            {"name": "presse", "label": "presse", "articles": 2},
        ])
    );
}

#[test]
fn retag_applies_edited_rules_to_stored_articles() {
    let server = Server::start();
    let ws = workspace(&server, TOPICS);
    fetch_ok(&ws);
    assert_eq!(search_json(&ws, &["--tag", "security", "--all"]).len(), 0);

    let edited = TOPICS.replace("keywords = [\"sortie de\"]", "keywords = [\"PostgreSQL\"]")
        + "\n[[topic]]\nname = \"security\"\nkeywords = [\"chiffre\", \"DNS\"]\nmin_score = 1\n";
    let ws2 = workspace(&server, &edited);
    std::fs::copy(ws.db_path(), ws2.db_path()).unwrap();
    let retag = run(&ws2, &["retag"]);
    assert_eq!(retag.code, 0, "{retag}");
    assert!(
        retag
            .stderr
            .contains("5 articles retagged: 1 tags added, 0 removed"),
        "{retag}"
    );
    let security = search_json(&ws2, &["--tag", "security"]);
    assert_eq!(security.len(), 1);
    assert_eq!(
        security[0]["title"],
        "Firefox 150 chiffre enfin les requêtes DNS par défaut"
    );
    let again = run(&ws2, &["retag"]);
    assert!(again.stderr.contains("0 tags added, 0 removed"), "{again}");
}

#[test]
fn show_prints_the_words_a_pattern_matched_not_the_pattern() {
    let server = Server::start();
    let pattern = r"souverain\w*\s+num\w+";
    let topics = format!(
        "\n[[topic]]\nname = \"sovereignty\"\nlabel = \"Souveraineté\"\npatterns = ['{pattern}']\nmin_score = 1\n"
    );
    let ws = workspace(&server, &topics);
    fetch_ok(&ws);
    let all = search_json(&ws, &["--all"]);
    let doctrine = by_title(
        &all,
        "Souveraineté numérique : l’État publie sa doctrine « cloud au centre »",
    );
    let id = id_of(doctrine);
    let text = run(&ws, &["show", &id.to_string()]);
    assert_eq!(text.code, 0, "{text}");
    let line = text
        .stdout
        .lines()
        .find(|l| l.starts_with("Tag sovereignty: "))
        .unwrap_or_else(|| panic!("no tag line\n{text}"));
    assert!(!line.contains(pattern), "{line}");
    assert!(
        line.contains("« souverainete numerique » in title"),
        "{line}"
    );
    let json = show_json(&ws, id);
    assert_eq!(
        json["tag_reasons"]["sovereignty"][0],
        "souverainete numerique"
    );
}
