//! `[learning]`: how many examples a topic needs to learn a model, and the confidence from
//! which the model gives the topic. Validation only; the learning is the tagging stage's.

use super::Checker;
use crate::tag::LearnParams;

/// The keys `[learning]` accepts.
pub(super) const KEYS: &[&str] = &["min_examples", "min_confidence"];
/// A model needs both kinds of example: fewer than this in all is no model.
const LEAST_EXAMPLES: i64 = 2;

impl Checker {
    pub(super) fn learning(&mut self, raw: Option<&toml::Table>) -> LearnParams {
        let mut params = LearnParams::default();
        let Some(table) = raw else {
            return params;
        };
        if let Some(value) = table.get("min_examples") {
            match value.as_integer() {
                Some(n) if (LEAST_EXAMPLES..=1_000_000).contains(&n) => {
                    params.min_examples = n as usize
                }
                _ => self.error(
                    "learning.min_examples",
                    format!("must be a whole number from {LEAST_EXAMPLES} to 1000000"),
                ),
            }
        }
        if let Some(value) = table.get("min_confidence") {
            let number = value
                .as_float()
                .or_else(|| value.as_integer().map(|n| n as f64));
            match number {
                Some(p) if p > 0.0 && p < 1.0 => params.min_confidence = p as f32,
                _ => self.error(
                    "learning.min_confidence",
                    "must be a number between 0 and 1 (a probability, e.g. 0.75)".into(),
                ),
            }
        }
        params
    }
}
