//! `veille tag ID +TOPIC -TOPIC…` (corrections by hand, kept for good over every rule and model,
//! for one article or a whole story) and `veille tag suggest TOPIC` (what the topic's learnt
//! model would change, most confident first).

use super::output::pad;
use super::{learn, Context, Outcome, UsageError};
use crate::cli::{SuggestArgs, TableFormat, TagArgs, TagCommand};
use crate::store::Store;
use chrono::Utc;
use serde::Serialize;
use std::collections::HashSet;
use std::io::Write;

pub fn run(context: &Context, args: &TagArgs) -> anyhow::Result<Outcome> {
    match &args.command {
        Some(TagCommand::Suggest(suggest)) => self::suggest(context, suggest),
        None => correct(context, args),
    }
}

/// The changes asked for, checked before anything is written: `(topic, Some(present))` sets
/// or removes, `(topic, None)` forgets.
fn changes(context: &Context, args: &TagArgs) -> Result<Vec<(String, Option<bool>)>, UsageError> {
    let known: Vec<&str> = context
        .config
        .topics
        .iter()
        .map(|t| t.name.as_str())
        .collect();
    let check = |topic: &str| {
        if known.contains(&topic) {
            Ok(())
        } else {
            Err(UsageError(format!(
                "no topic named `{topic}` in the configuration (the topics are: {})",
                known.join(", ")
            )))
        }
    };
    let mut changes = Vec::new();
    for change in &args.changes {
        let (present, topic) = match change.split_at_checked(1) {
            Some(("+", topic)) => (true, topic),
            Some(("-", topic)) => (false, topic),
            _ => {
                return Err(UsageError(format!(
                    "`{change}`: write +TOPIC to set a topic or -TOPIC to remove it"
                )))
            }
        };
        check(topic)?;
        changes.push((topic.to_string(), Some(present)));
    }
    for topic in &args.forget {
        check(topic)?;
        changes.push((topic.clone(), None));
    }
    if changes.is_empty() {
        return Err(UsageError(
            "nothing to correct: give +TOPIC, -TOPIC or --forget TOPIC after the id".into(),
        ));
    }
    let mut seen = HashSet::new();
    for (topic, _) in &changes {
        if !seen.insert(topic) {
            return Err(UsageError(format!(
                "`{topic}` is named twice: set it, remove it or forget it, once"
            )));
        }
    }
    Ok(changes)
}

fn correct(context: &Context, args: &TagArgs) -> anyhow::Result<Outcome> {
    let changes = changes(context, args)?;
    let id = args
        .id
        .ok_or_else(|| UsageError("the article's id is missing".into()))?;
    let mut store = context.open_store()?;
    let ids = if args.story {
        let members = store.story_article_ids(id)?;
        if members.is_empty() {
            return Err(UsageError(format!(
                "no story has the number {id} (see `veille stories`, or `story` in `veille search --format json`)"
            ))
            .into());
        }
        members
    } else if store.article_exists(id)? {
        vec![id]
    } else {
        return Err(UsageError(format!("no article has the id {id} (see `veille search`)")).into());
    };
    let rows: Vec<(i64, String, Option<bool>)> = ids
        .iter()
        .flat_map(|&id| changes.iter().map(move |(t, p)| (id, t.clone(), *p)))
        .collect();
    store.correct(&rows, Utc::now())?;
    let (rules, states) = learn::rules(context, &mut store)?;
    let source_tags = super::tags::source_tags(context);
    store.retag_articles(&ids, |source, title, text| {
        rules.tag(
            title,
            text,
            source_tags.get(source).copied().unwrap_or_default(),
        )
    })?;
    if !context.quiet {
        report(context, &changes, &ids, &states);
    }
    Ok(Outcome::Success)
}

/// What was corrected, and where each corrected topic stands with learning.
fn report(
    context: &Context,
    changes: &[(String, Option<bool>)],
    ids: &[i64],
    states: &[learn::TopicState],
) {
    let what: Vec<String> = changes
        .iter()
        .map(|(topic, present)| match present {
            Some(true) => format!("{topic} set by hand"),
            Some(false) => format!("{topic} removed by hand"),
            None => format!("{topic} left to the rules again"),
        })
        .collect();
    let articles = match ids {
        [id] => format!("article {id}"),
        _ => format!("{} articles of the story", ids.len()),
    };
    eprintln!("{articles}: {}", what.join(", "));
    let needed = context.config.learning.min_examples;
    for (topic, _) in changes {
        let Some(state) = states.iter().find(|s| &s.topic == topic) else {
            continue;
        };
        let examples = state.positives + state.negatives;
        let counts = format!(
            "{examples} examples ({} with, {} without)",
            state.positives, state.negatives
        );
        match (state.learnt, state.trained_in) {
            (true, Some(took)) => eprintln!(
                "{topic}: model retrained on {counts} in {:.1} ms; `veille retag` applies it to every stored article",
                took.as_secs_f64() * 1000.0
            ),
            (true, None) => eprintln!("{topic}: model of {counts}"),
            (false, _) => eprintln!(
                "{topic}: {counts}; a model is learnt from {needed} with at least one of each ([learning] min_examples)"
            ),
        }
    }
}

/// One suggestion of `tag suggest`.
#[derive(Serialize)]
struct Suggestion {
    id: i64,
    title: String,
    source: String,
    /// `add`: the model gives the topic and the rules do not; `remove`: the reverse.
    suggest: &'static str,
    topic: String,
    /// How sure the model is of its side (the probability of the topic for `add`, of its
    /// absence for `remove`).
    confidence: f32,
    /// The terms that weighed most for the topic.
    terms: Vec<String>,
}

fn suggest(context: &Context, args: &SuggestArgs) -> anyhow::Result<Outcome> {
    let topic = &args.topic;
    if !context.config.topics.iter().any(|t| &t.name == topic) {
        let known: Vec<&str> = context
            .config
            .topics
            .iter()
            .map(|t| t.name.as_str())
            .collect();
        return Err(UsageError(format!(
            "no topic named `{topic}` in the configuration (the topics are: {})",
            known.join(", ")
        ))
        .into());
    }
    let mut store = context.open_store()?;
    let (rules, states) = learn::rules(context, &mut store)?;
    let learnt = rules.learnt().filter(|l| l.topics().any(|t| t == topic));
    let Some(learnt) = learnt else {
        let (with, without) = states
            .iter()
            .find(|s| &s.topic == topic)
            .map_or((0, 0), |s| (s.positives, s.negatives));
        anyhow::bail!(
            "`{topic}` has no learnt model yet: {} examples ({with} with, {without} without), {} needed with at least one of each; correct articles with `veille tag ID +{topic}` or `-{topic}`",
            with + without,
            context.config.learning.min_examples
        );
    };
    let suggestions = suggestions(&store, &rules, learnt, topic, args.limit)?;
    print_suggestions(args, topic, &suggestions)?;
    Ok(Outcome::Success)
}

/// The articles without a correction of `topic` on which the model and the rules disagree
/// with confidence, most confident first.
fn suggestions(
    store: &Store,
    rules: &crate::tag::Rules,
    learnt: &crate::tag::Learnt,
    topic: &str,
    limit: usize,
) -> anyhow::Result<Vec<Suggestion>> {
    let corrected: HashSet<i64> = store
        .corrections()?
        .into_iter()
        .filter(|c| c.topic == topic)
        .map(|c| c.article_id)
        .collect();
    let threshold = learnt.params().min_confidence;
    let mut found = Vec::new();
    store.each_article(|id, source, title, text, _| {
        if corrected.contains(&id) {
            return;
        }
        let Some(verdict) = learnt
            .verdicts(title, text)
            .into_iter()
            .find(|v| v.topic == topic)
        else {
            return;
        };
        let assessment = rules
            .assess(title, text)
            .into_iter()
            .find(|a| a.topic == topic);
        let by_rules = assessment.as_ref().is_some_and(|a| a.given());
        let vetoed = assessment.as_ref().is_some_and(|a| !a.vetoes.is_empty());
        let (suggest, confidence) = match by_rules {
            false if !vetoed && verdict.confidence >= threshold => ("add", verdict.confidence),
            true if 1.0 - verdict.confidence >= threshold => ("remove", 1.0 - verdict.confidence),
            _ => return,
        };
        found.push(Suggestion {
            id,
            title: title.to_string(),
            source: source.to_string(),
            suggest,
            topic: topic.to_string(),
            confidence: (confidence * 1000.0).round() / 1000.0,
            terms: verdict.reasons.into_iter().map(|r| r.term).collect(),
        });
    })?;
    found.sort_by(|a, b| b.confidence.total_cmp(&a.confidence).then(a.id.cmp(&b.id)));
    found.truncate(limit);
    Ok(found)
}

fn print_suggestions(args: &SuggestArgs, topic: &str, found: &[Suggestion]) -> anyhow::Result<()> {
    let mut out = std::io::stdout().lock();
    if args.format == TableFormat::Json {
        serde_json::to_writer_pretty(&mut out, found)?;
        writeln!(out)?;
        return Ok(());
    }
    if found.is_empty() {
        writeln!(
            out,
            "no suggestion: the model of `{topic}` agrees with its rules"
        )?;
        return Ok(());
    }
    let width = topic.len() + 1;
    writeln!(
        out,
        "{:>6}  {}  CONFIDENCE  TITLE  (TERMS)",
        "ID",
        pad("TAG", width)
    )?;
    for s in found {
        let sign = if s.suggest == "add" { '+' } else { '-' };
        writeln!(
            out,
            "{:>6}  {}  {:>10.2}  {}  ({})",
            s.id,
            pad(&format!("{sign}{topic}"), width),
            s.confidence,
            s.title,
            s.terms.join(", ")
        )?;
    }
    writeln!(
        out,
        "confirm one with `veille tag ID +{topic}` (or `-{topic}` for a - line), reject it with the other sign"
    )?;
    Ok(())
}
