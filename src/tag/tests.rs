//! Unit tests of `crate::tag`.

use super::*;

fn topic(name: &str, keywords: &[&str], patterns: &[&str], exclude: &[&str]) -> Topic {
    let strings = |v: &[&str]| v.iter().map(|s| s.to_string()).collect();
    Topic {
        name: name.into(),
        label: name.into(),
        keywords: strings(keywords),
        patterns: strings(patterns),
        exclude: strings(exclude),
        min_score: 1,
    }
}

fn rules(topics: &[Topic]) -> Rules {
    Rules::compile(topics).unwrap()
}

/// The topic names given to a body-only text.
fn names(rules: &Rules, title: &str, text: &str) -> Vec<String> {
    rules
        .tag(title, text, &[])
        .into_iter()
        .map(|t| t.topic)
        .collect()
}

fn given(keyword: &str, text: &str) -> bool {
    let r = rules(&[topic("t", &[keyword], &[], &[])]);
    !r.tag("", text, &[]).is_empty()
}

#[test]
fn case_and_accents_are_ignored_both_ways() {
    assert!(given("souverainete", "La Souveraineté numérique"));
    assert!(given("Souveraineté", "SOUVERAINETE"));
    assert!(given("cœur", "le coeur du sujet"));
    assert!(given("ÉTAT", "l’état"));
}

#[test]
fn phrases_cross_line_breaks_and_punctuation() {
    assert!(given("cloud de confiance", "un cloud\nde\r\n  confiance"));
    assert!(given("open source", "l'open-source, enfin"));
    assert!(given("chasser en meute", "« chasser… en — meute »"));
    assert!(given("Microsoft 365", "sortir de Microsoft\u{00A0}365."));
    assert!(!given("cloud de confiance", "un cloud de la confiance"));
}

#[test]
fn elisions_with_straight_and_curly_apostrophes() {
    assert!(given("OW2", "le consortium d'OW2"));
    assert!(given("OW2", "le consortium d’OW2"));
    assert!(given("open source", "l’open source"));
    assert!(given("l'État", "l’État")); // a keyword may carry its own elision
}

#[test]
fn whole_words_unless_a_trailing_star() {
    assert!(!given("OW2", "OW23 arrive"));
    assert!(!given("OW2", "NOW2"));
    assert!(!given("cloud", "Cloudflare tombe"));
    assert!(given("cloud*", "Cloudflare tombe"));
    assert!(given("souverain*", "des solutions souveraines"));
    assert!(!given("souverain*", "insouverain"));
    assert!(!given("hyperscal*", "les hyper-scalers")); // a hyphen separates words
    assert!(given("cloud de conf*", "le cloud de confiance"));
}

#[test]
fn exclude_vetoes_the_topic() {
    let r = rules(&[topic(
        "sovereignty",
        &["souverain*"],
        &[],
        &["fonds souverain*"],
    )]);
    assert!(names(&r, "", "Un fonds souverain investit").is_empty());
    assert_eq!(names(&r, "", "Un cloud souverain"), ["sovereignty"]);
    let a = r.assess("", "le fonds souverain");
    assert!(!a[0].given());
    assert_eq!(a[0].vetoes[0].term, "fonds souverain*");
}

#[test]
fn title_weighs_more_than_body_and_min_score_decides() {
    let mut t = topic("releases", &["released"], &[], &[]);
    t.min_score = TITLE_WEIGHT;
    let r = rules(&[t]);
    assert_eq!(
        names(&r, "GIMP 3.0 released", "Nothing here."),
        ["releases"]
    );
    assert!(names(&r, "GIMP", "It was released.").is_empty());
    assert!(names(&r, "GIMP", "released, released").is_empty());
    assert_eq!(
        names(&r, "GIMP", "released released released"),
        ["releases"]
    );
    // the body count is capped
    let tags = r.tag("", &"released ".repeat(10), &[]);
    assert_eq!(tags[0].score, BODY_CAP);
    assert_eq!(tags[0].reasons[0].count, 10);
}

#[test]
fn a_nested_match_counts_once_within_a_topic() {
    let r = rules(&[
        topic("a", &["cloud", "cloud de confiance"], &[], &[]),
        topic("b", &["cloud"], &[], &[]),
    ]);
    let tags = r.tag("", "Le cloud de confiance.", &[]);
    assert_eq!(tags[0].score, 1);
    assert_eq!(tags[0].reasons[0].term, "cloud de confiance");
    assert_eq!(tags[1].reasons[0].term, "cloud"); // other topics still see it
}

#[test]
fn duplicate_spellings_of_a_keyword_score_once() {
    let r = rules(&[topic("t", &["Souveraineté", "souverainete"], &[], &[])]);
    let tags = r.tag("", "souveraineté", &[]);
    assert_eq!(tags[0].score, 1);
    assert_eq!(tags[0].reasons.len(), 1);
}

#[test]
fn patterns_read_folded_text() {
    let r = rules(&[topic(
        "releases",
        &[],
        &[r"version \d+(\.\d+)+ est disponible", r"publiée"],
        &[],
    )]);
    let tags = r.tag("", "La Version 5.3\nest DISPONIBLE. Publiee hier.", &[]);
    assert_eq!(tags[0].score, 2);
    assert_eq!(
        tags[0].reasons[0].term,
        r"version \d+(\.\d+)+ est disponible"
    );
    assert_eq!(tags[0].reasons[1].term, "publiée");
    assert!(names(&r, "", "la version 5 est prête").is_empty());
}

#[test]
fn patterns_ignore_case_and_keep_their_escapes() {
    let cases = [
        (r"Version \d+\.\d+", "VERSION 2.1", true),
        (r"(?P<Name>Sortie) DE", "sortie de", true),
        (r"(?U)Linux \D+", "linux x", true),
        (r"\x41B", "ab", true),
        (r"\p{Lu}", "a", true),
        (r"Ça\W+Va", "ça, va", true),
        (r"[A-Z]{3}\d", "abc1", true),
        (r"[Z-a]", "_", true), // lower-cased, the range would be reversed
        (r"\Bcloud", "cloud", false),
        (r"\Dow2", "9ow2", false),
    ];
    for (pattern, text, expected) in cases {
        let r = rules(&[topic("t", &[], &[pattern], &[])]);
        assert_eq!(
            !r.tag("", text, &[]).is_empty(),
            expected,
            "{pattern} on {text}"
        );
    }
}

#[test]
fn source_tags_are_always_given() {
    let mut t = topic("coalitions", &["CNLL"], &[], &["football"]);
    t.min_score = 10;
    let r = rules(&[t]);
    let tags = r.tag(
        "Match de football",
        "Rien.",
        &["local".into(), "coalitions".into(), "local".into()],
    );
    assert_eq!(tags.len(), 2);
    assert_eq!(tags[0].topic, "coalitions");
    assert_eq!(tags[0].reasons[0].place, Place::Source);
    assert_eq!(tags[1].topic, "local");
    assert_eq!(tags[1].reasons.len(), 1);
    // with rule reasons too, the score below min_score
    let tags = r.tag("Le CNLL", "", &["coalitions".into()]);
    assert_eq!(tags[0].score, TITLE_WEIGHT);
    assert_eq!(tags[0].reasons.len(), 2);
}

#[test]
fn reasons_name_term_place_and_count_in_config_order() {
    let r = rules(&[
        topic(
            "sovereignty",
            &["SecNumCloud", "cloud de confiance"],
            &[],
            &[],
        ),
        topic("coalitions", &["OW2"], &[], &[]),
    ]);
    let tags = r.tag(
        "Cloud de confiance : OW2 répond",
        "La qualification SecNumCloud… le cloud de confiance, encore le cloud de confiance.",
        &[],
    );
    let sov = &tags[0];
    assert_eq!(sov.topic, "sovereignty");
    let reasons: Vec<(&str, Place, u32)> = sov
        .reasons
        .iter()
        .map(|r| (r.term.as_str(), r.place, r.count))
        .collect();
    assert_eq!(
        reasons,
        [
            ("SecNumCloud", Place::Body, 1),
            ("cloud de confiance", Place::Title, 1),
            ("cloud de confiance", Place::Body, 2),
        ]
    );
    assert_eq!(sov.score, 1 + TITLE_WEIGHT + 2);
    assert_eq!(tags[1].topic, "coalitions");
    let json = serde_json::to_string(&tags[1].reasons[0]).unwrap();
    assert_eq!(json, r#"{"term":"OW2","place":"title","count":1}"#);
}

#[test]
fn the_ascii_fast_path_folds_as_fold_does() {
    let slow = |t: &str| fold(t).split_whitespace().collect::<Vec<_>>().join(" ");
    for text in [
        "  Souveraineté\u{00A0}NUMÉRIQUE  ",
        "l’État d`OW2 « cœur » — Ærø ß",
        "e\u{0301}te\u{0301} E\u{0301}TE\u{0301}\u{0327}",
        "\u{0301}début\t\r\nfin\u{2028}\u{3000}x",
        "ΣΊΣΥΦΟΣ İstanbul ǅ ȺȾ",
        "",
    ] {
        let folded = Folded::new(text);
        assert_eq!(folded.text, slow(text), "{text:?}");
        let words: Vec<&str> = folded.text.split(|c: char| !c.is_alphanumeric()).collect();
        let words = words
            .into_iter()
            .filter(|w| !w.is_empty())
            .collect::<Vec<_>>();
        let expected = match words.is_empty() {
            true => " ".to_string(),
            false => format!(" {} ", words.join(" ")),
        };
        assert_eq!(folded.words, expected, "{text:?}");
    }
}

/// The topics shipped in `feeds.toml` compile, and keep out of the traps the issue names.
#[test]
fn default_topics_handle_the_traps() {
    let config = crate::config::parse(
        include_str!("../../feeds.toml"),
        std::path::Path::new("feeds.toml"),
        &HashMap::new(),
        &crate::config::Overrides::default(),
    )
    .unwrap();
    let r = Rules::compile(&config.topics).unwrap();
    let cases: [(&str, &str, &[&str]); 8] = [
        ("Sortie de Linux 6.12", "Le noyau est là.", &["releases"]),
        ("GIMP 3.0 released", "After seven years.", &["releases"]),
        ("La version française du rapport", "Une version revue.", &[]),
        (
            "Kelbo lance sa plateforme",
            "Une levée de fonds de 12 M€.",
            &[],
        ),
        ("Le souverain pontife reçoit", "Le souverain a parlé.", &[]),
        ("Un fonds souverain investit", "Sovereign wealth fund.", &[]),
        ("L'Alliance gagne le derby", "Un match de football.", &[]),
        (
            "Cloud de confiance",
            "La qualification SecNumCloud et le Cloud Act.",
            &["sovereignty"],
        ),
    ];
    for (title, text, expected) in cases {
        assert_eq!(names(&r, title, text), expected, "{title}");
    }
}

#[test]
fn hostile_inputs_do_not_panic() {
    let r = rules(&[
        topic(
            "a",
            &["cloud*", "OW2", "a b c"],
            &[r"\d+\.\d+", r"^$"],
            &["x"],
        ),
        topic("b", &["é"], &[], &[]),
    ]);
    let big = "OW2 cloud é 1.2 ".repeat(70_000);
    assert!(big.len() > 1_000_000);
    let tags = r.tag(&big, &big, &[]);
    assert_eq!(tags.len(), 2);
    for text in ["", " ", "…!?«»’'\"-—", "\u{0301}\u{0301}", "\0\u{FEFF}"] {
        r.tag(text, text, &[]);
    }
    assert!(Rules::compile(&[]).unwrap().tag("x", "y", &[]).is_empty());
}

#[test]
fn compile_names_the_bad_term() {
    let err = Rules::compile(&[topic("t", &["« … »"], &[], &[])]).unwrap_err();
    assert!(err.contains("topic `t`") && err.contains("« … »"), "{err}");
    let err = Rules::compile(&[topic("t", &[], &["("], &[])]).unwrap_err();
    assert!(err.contains("pattern `(`"), "{err}");
}

/// The configuration is checked with `check` (no automaton built): it refuses what `compile`
/// refuses, with the same words, and accepts what it accepts.
#[test]
fn check_refuses_what_compile_refuses() {
    let cases = [
        topic("t", &["« … »"], &[], &[]),
        topic("t", &[], &["("], &[]),
        topic("t", &[], &["[Z-a]"], &[]),
        topic("t", &[], &["\\p{Nope}"], &[]),
        topic("t", &["cloud"], &[], &["—"]),
        topic(
            "t",
            &["Souveraineté", "logiciel*"],
            &["SecNum\\s?Cloud", "v\\d+\\.\\d+"],
            &["sponsorisé"],
        ),
    ];
    for case in cases {
        let topics = std::slice::from_ref(&case);
        assert_eq!(
            Rules::check(&case),
            Rules::compile(topics).map(drop),
            "{case:?}"
        );
    }
}
