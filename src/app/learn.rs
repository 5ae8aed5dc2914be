//! The topic rules with their learnt models, for every command that tags: the examples read
//! from the store (every corrected article), each topic's model retrained when its examples
//! changed and stored, then handed to the compiled rules.

use super::output::stored_reasons;
use super::{Context, UsageError};
use crate::store::{Example, Store, StoredModel};
use crate::tag::learn::{train, Sample, MODEL_VERSION};
use crate::tag::{Model, Place, Rules};
use chrono::Utc;
use sha2::{Digest, Sha256};
use std::time::Instant;

/// Where a topic stands with learning.
#[derive(Debug, Clone)]
pub struct TopicState {
    pub topic: String,
    pub positives: usize,
    pub negatives: usize,
    /// Whether a model is in use.
    pub learnt: bool,
    /// Trained in this run, and how long it took.
    pub trained_in: Option<std::time::Duration>,
}

/// The rules of the configuration with the models learnt from the stored examples.
pub fn rules(context: &Context, store: &mut Store) -> anyhow::Result<(Rules, Vec<TopicState>)> {
    let mut rules = Rules::compile(&context.config.topics).map_err(UsageError)?;
    let params = context.config.learning;
    let examples = store.examples()?;
    let stored = store.models()?;
    let mut models: Vec<Model> = Vec::new();
    let mut states = Vec::new();
    let mut changed: Vec<String> = Vec::new();
    let mut to_save: Vec<StoredModel> = Vec::new();
    for topic in &context.config.topics {
        let labelled = labelled(&topic.name, &examples);
        let fingerprint = fingerprint(&labelled, params.min_examples);
        let samples: Vec<Sample> = labelled.iter().map(|(_, s)| *s).collect();
        let positives = samples.iter().filter(|s| s.positive).count();
        let mut state = TopicState {
            topic: topic.name.clone(),
            positives,
            negatives: samples.len() - positives,
            learnt: false,
            trained_in: None,
        };
        let kept = stored
            .iter()
            .find(|m| m.topic == topic.name && m.examples == fingerprint)
            .and_then(|m| serde_json::from_str::<Model>(&m.model).ok());
        let model = match kept {
            Some(model) => Some(model),
            None => {
                let start = Instant::now();
                let model = train(&topic.name, &samples, params);
                if let Some(model) = &model {
                    state.trained_in = Some(start.elapsed());
                    to_save.push(StoredModel {
                        topic: topic.name.clone(),
                        examples: fingerprint,
                        model: serde_json::to_string(model)?,
                    });
                }
                if model.is_some() || stored.iter().any(|m| m.topic == topic.name) {
                    changed.push(topic.name.clone());
                }
                model
            }
        };
        state.learnt = model.is_some();
        models.extend(model);
        states.push(state);
    }
    if !changed.is_empty() {
        store.save_models(&changed, &to_save, Utc::now())?;
    }
    rules.learn(&models, params);
    Ok((rules, states))
}

/// The examples of one topic, by article: a correction of the topic says whether it has it;
/// an article corrected for other topics only is an example of what its rules gave it (not of
/// what a model gave it: a model must not learn from itself).
fn labelled<'e>(topic: &str, examples: &'e [Example]) -> Vec<(&'e Example, Sample<'e>)> {
    examples
        .iter()
        .map(|example| {
            let positive = match example.corrections.iter().find(|(t, _)| t == topic) {
                Some((_, present)) => *present,
                None => example.tags.iter().any(|(t, reasons)| {
                    t == topic
                        && stored_reasons(reasons)
                            .iter()
                            .any(|r| r.place != Place::Model.as_str())
                }),
            };
            let sample = Sample {
                title: &example.title,
                text: &example.text,
                positive,
            };
            (example, sample)
        })
        .collect()
}

/// What a model was trained from: its examples (article, text, label), the setting, the
/// model's version. A stored model with another fingerprint is retrained.
fn fingerprint(labelled: &[(&Example, Sample)], min_examples: usize) -> String {
    let mut hash = Sha256::new();
    hash.update(format!("v{MODEL_VERSION} min {min_examples}\n"));
    for (example, sample) in labelled {
        let line = format!(
            "{} {} {}\n",
            example.article_id, example.content_hash, sample.positive
        );
        hash.update(line);
    }
    hash.finalize().iter().map(|b| format!("{b:02x}")).collect()
}
