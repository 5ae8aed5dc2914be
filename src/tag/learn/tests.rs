//! Corrections over computed tags, and models learnt from a handful of examples.

use super::*;
use crate::model::Topic;
use crate::tag::Rules;

fn sample<'a>(title: &'a str, text: &'a str, positive: bool) -> Sample<'a> {
    Sample {
        title,
        text,
        positive,
    }
}

/// Coalitions written without the words of the rules, and other news.
fn examples() -> Vec<Sample<'static>> {
    vec![
        sample("Cinq éditeurs répondent ensemble", "Les éditeurs ont constitué un groupement pour répondre au marché public de messagerie.", true),
        sample("Un groupement d'éditeurs remporte le lot", "Le groupement réunit quatre entreprises qui chassent en meute sur les marchés publics.", true),
        sample("Offre commune", "Trois sociétés présentent une offre commune, un groupement momentané d'entreprises.", true),
        sample("Sortie de GIMP 3.2", "La nouvelle version apporte des calques non destructifs et corrige des bogues.", false),
        sample("Le club de football recrute", "Le club annonce l'arrivée d'un attaquant pour la saison prochaine.", false),
        sample("Budget de la ville", "Le conseil municipal vote le budget, en hausse pour les écoles et la voirie.", false),
    ]
}

fn params() -> LearnParams {
    LearnParams {
        min_examples: 6,
        min_confidence: 0.6,
        method: Method::Logistic,
    }
}

fn tag(topic: &str, reasons: Vec<Reason>) -> Tag {
    Tag {
        topic: topic.into(),
        score: 3,
        reasons,
    }
}

#[test]
fn corrections_set_and_remove_over_any_tag() {
    let rule = Reason {
        term: "SecNumCloud".into(),
        place: Place::Title,
        count: 1,
        weight: None,
        matched: Vec::new(),
    };
    let tags = vec![
        tag("sovereignty", vec![rule.clone()]),
        tag("releases", vec![]),
    ];
    let corrected = correct(
        tags,
        &[
            ("coalitions".into(), true),
            ("releases".into(), false),
            ("sovereignty".into(), true),
            ("security".into(), false),
        ],
    );
    let topics: Vec<&str> = corrected.iter().map(|t| t.topic.as_str()).collect();
    assert_eq!(topics, ["sovereignty", "coalitions"]);
    // A topic the rules gave and the editor confirmed keeps its reasons, the hand first.
    assert_eq!(corrected[0].reasons[0].place, Place::Hand);
    assert_eq!(corrected[0].reasons[1], rule);
    assert_eq!(corrected[1].reasons[0].term, HAND_TERM);
}

#[test]
fn too_few_examples_or_one_kind_learn_nothing() {
    let all = examples();
    assert!(train("coalitions", &all[..5], params()).is_none());
    let positives: Vec<Sample> = all.iter().copied().filter(|s| s.positive).collect();
    let only = [positives.clone(), positives].concat();
    assert!(train("coalitions", &only, params()).is_none());
    assert!(train("coalitions", &all, params()).is_some());
}

#[test]
fn a_model_tags_unseen_wording_and_explains_it() {
    let model = train("coalitions", &examples(), params()).unwrap();
    assert_eq!((model.positives, model.negatives), (3, 3));
    let learnt = Learnt::new(&["coalitions"], &[model], params()).unwrap();
    let yes = &learnt.verdicts(
        "Un groupement pour le cloud",
        "Six entreprises forment un groupement et chassent en meute.",
    )[0];
    let no = &learnt.verdicts("Le budget voté", "Le conseil vote le budget des écoles.")[0];
    assert!(yes.confidence > 0.6, "{yes:?}");
    assert!(no.confidence < 0.4, "{no:?}");
    assert_eq!(yes.reasons[0].term, "groupement", "{yes:?}");
    assert!(yes.reasons.iter().all(|r| r.place == Place::Model));
    assert!(yes.reasons.len() <= EXPLAIN_TERMS);
    let weights: Vec<f32> = yes.reasons.iter().map(|r| r.weight.unwrap()).collect();
    assert!(weights.windows(2).all(|w| w[0] >= w[1]), "{weights:?}");
}

#[test]
fn training_is_deterministic_and_survives_json() {
    let a = train("coalitions", &examples(), params()).unwrap();
    let b = train("coalitions", &examples(), params()).unwrap();
    assert_eq!(a, b);
    let json = serde_json::to_string(&a).unwrap();
    let back: Model = serde_json::from_str(&json).unwrap();
    assert_eq!(back, a);
}

fn topic(name: &str, keywords: &[&str], exclude: &[&str]) -> Topic {
    Topic {
        name: name.into(),
        label: name.into(),
        keywords: keywords.iter().map(|k| k.to_string()).collect(),
        patterns: vec![],
        exclude: exclude.iter().map(|k| k.to_string()).collect(),
        min_score: 1,
    }
}

#[test]
fn rules_decide_when_they_match_the_model_adds_and_exclude_vetoes_both() {
    let topics = [
        topic("releases", &["sortie de"], &[]),
        topic("coalitions", &["consortium"], &["football"]),
    ];
    let mut rules = Rules::compile(&topics).unwrap();
    let model = train("coalitions", &examples(), params()).unwrap();
    rules.learn(&[model], params());
    let names = |title: &str, text: &str| -> Vec<String> {
        rules
            .tag(title, text, &[])
            .into_iter()
            .map(|t| t.topic)
            .collect()
    };
    // Learnt: in configuration order, after a topic the rules gave.
    let learnt = rules.tag(
        "Sortie de Nextcloud 31",
        "Un groupement de cinq éditeurs chasse en meute.",
        &[],
    );
    assert_eq!(learnt[0].topic, "releases");
    assert_eq!(learnt[1].topic, "coalitions");
    assert_eq!(learnt[1].reasons[0].place, Place::Model);
    // The rules gave it: their reasons, not the model's.
    let ruled = rules.tag("Un consortium", "Un groupement chasse en meute.", &[]);
    assert_eq!(ruled[0].reasons[0].term, "consortium");
    // An exclude vetoes the model too.
    assert!(names("Football", "Un groupement chasse en meute.").is_empty());
    assert!(names("Le budget", "Le conseil vote le budget.").is_empty());
}

#[test]
fn models_of_unknown_topics_or_versions_are_left_out() {
    let mut model = train("coalitions", &examples(), params()).unwrap();
    assert!(Learnt::new(&["releases"], &[model.clone()], params()).is_none());
    model.version += 1;
    assert!(Learnt::new(&["coalitions"], &[model], params()).is_none());
}
