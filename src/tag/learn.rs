//! What editors teach the tagger: corrections by hand applied over computed tags, and topics
//! learnt from examples. Pure: no I/O, no clock; the app reads the examples from the store and
//! stores the models.
//!
//! A model is a logistic regression of one topic over the folded words of three letters or more
//! of the title and text, and the pairs of such words that follow one another (« chasser meute »,
//! « open source »). A term's value in an article is `1 + ln(count)` (a title occurrence counts
//! [`TITLE_COUNT`] times) over the square root of the article's number of terms, so that a long
//! article does not weigh more than a short one. Training is full-batch gradient descent
//! (AdaGrad) with L2 regularisation, both classes weighed equally whatever their sizes; it is
//! deterministic.
//! A term is looked up by a 64-bit hash, so tagging allocates no string.

use super::{Folded, Place, Reason, Tag};
use serde::{Deserialize, Serialize};
use std::collections::{HashMap, HashSet};
use std::hash::{BuildHasherDefault, Hasher};
use std::sync::LazyLock;

/// The term of the reason of a topic set by hand.
pub const HAND_TERM: &str = "set by hand";
/// The version of the features and of the model's form: a stored model of another version is
/// retrained.
pub const MODEL_VERSION: u32 = 1;
/// How many times an occurrence in the title counts.
pub const TITLE_COUNT: f32 = 2.0;
/// Words shorter than this (in bytes, folded) are left out: « de », « la », « of ».
const MIN_WORD_BYTES: usize = 3;
/// Longer words that say nothing of a topic, French and English, folded: left out too, so that
/// they neither weigh nor explain (pairs are made of the words left).
const STOP_WORDS: &[&str] = &[
    "les", "des", "une", "pour", "par", "sur", "dans", "avec", "aux", "est", "sont", "qui", "que",
    "son", "ses", "leur", "leurs", "nous", "vous", "ils", "elles", "elle", "cette", "ces", "cet",
    "mais", "plus", "pas", "ont", "ete", "etre", "comme", "tout", "tous", "toute", "toutes",
    "entre", "chez", "sans", "sous", "aussi", "donc", "dont", "ainsi", "notre", "nos", "votre",
    "vos", "celui", "celle", "ceux", "tres", "peut", "encore", "deja", "meme", "autre", "autres",
    "apres", "avant", "lui", "the", "and", "for", "with", "that", "this", "from", "are", "was",
    "were", "has", "have", "had", "its", "their", "they", "them", "will", "would", "can", "could",
    "not", "but", "all", "our", "who", "which", "been", "more", "than", "into", "also", "over",
    "about", "such", "each", "any", "there", "these", "those", "other",
];
/// Gradient steps of training, and their size: AdaGrad, each term's step shrinking with the
/// gradients it has seen, so that a rare term learns as fast as a common one.
const TRAIN_STEPS: usize = 100;
const STEP: f32 = 0.2;
/// The L2 penalty: a few examples must not make a word decisive on their own.
const L2: f32 = 0.002;
/// What naive Bayes adds to every term's mass in each kind (Lidstone smoothing).
const NB_SMOOTHING: f32 = 0.1;
/// Terms shown to explain a learnt tag.
pub const EXPLAIN_TERMS: usize = 5;

/// The settings of learning (`[learning]` of `feeds.toml`).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct LearnParams {
    /// A topic learns a model once it has this many examples, at least one of each kind.
    pub min_examples: usize,
    /// A model gives its topic from this probability on.
    pub min_confidence: f32,
    /// How a model is learnt (the benchmark compares them).
    pub method: Method,
}

/// The kinds of linear model a topic can learn.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Method {
    Logistic,
    NaiveBayes,
}

impl Default for LearnParams {
    fn default() -> Self {
        LearnParams {
            min_examples: 6,
            min_confidence: 0.75,
            method: Method::NaiveBayes,
        }
    }
}

/// The corrections of one article applied over its computed tags: `(topic, true)` gives the
/// topic (its reasons kept, [`HAND_TERM`] first), `(topic, false)` takes it away.
pub fn correct(mut tags: Vec<Tag>, corrections: &[(String, bool)]) -> Vec<Tag> {
    for (topic, present) in corrections {
        let at = tags.iter().position(|t| &t.topic == topic);
        match (at, present) {
            (Some(i), false) => {
                tags.remove(i);
            }
            (Some(i), true) => tags[i].reasons.insert(0, hand_reason()),
            (None, true) => tags.push(Tag {
                topic: topic.clone(),
                score: 0,
                reasons: vec![hand_reason()],
            }),
            (None, false) => {}
        }
    }
    tags
}

fn hand_reason() -> Reason {
    Reason {
        term: HAND_TERM.to_string(),
        place: Place::Hand,
        count: 1,
        weight: None,
        matched: Vec::new(),
    }
}

/// One topic's learnt model, as stored.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Model {
    pub topic: String,
    pub version: u32,
    /// The examples it learnt from: with the topic, without it.
    pub positives: usize,
    pub negatives: usize,
    pub bias: f32,
    /// Every term of the examples with a weight: a word, or two words and a space.
    pub terms: Vec<(String, f32)>,
}

/// One training example: an article with the topic (`positive`) or without it.
#[derive(Debug, Clone, Copy)]
pub struct Sample<'a> {
    pub title: &'a str,
    pub text: &'a str,
    pub positive: bool,
}

/// Learn `topic` from `samples`: `None` when there are fewer than `params.min_examples`, or none
/// of one kind.
pub fn train(topic: &str, samples: &[Sample], params: LearnParams) -> Option<Model> {
    let positives = samples.iter().filter(|s| s.positive).count();
    let negatives = samples.len() - positives;
    if samples.len() < params.min_examples.max(2) || positives == 0 || negatives == 0 {
        return None;
    }
    let mut vocabulary = Vocabulary::default();
    let vectors: Vec<Vec<(u32, f32)>> = samples
        .iter()
        .map(|s| vocabulary.vector(s.title, s.text))
        .collect();
    let labels: Vec<bool> = samples.iter().map(|s| s.positive).collect();
    let (bias, weights) = match params.method {
        Method::Logistic => logistic(&vectors, &labels, vocabulary.terms.len()),
        Method::NaiveBayes => naive_bayes(&vectors, &labels, vocabulary.terms.len()),
    };
    Some(Model {
        topic: topic.to_string(),
        version: MODEL_VERSION,
        positives,
        negatives,
        bias,
        terms: vocabulary.terms.into_iter().zip(weights).collect(),
    })
}

/// Logistic regression: (bias, weights).
fn logistic(vectors: &[Vec<(u32, f32)>], labels: &[bool], terms: usize) -> (f32, Vec<f32>) {
    let n = labels.len() as f32;
    let positives = labels.iter().filter(|l| **l).count() as f32;
    // Each kind weighs half, whatever its count.
    let class_weight = |positive: bool| {
        let count = if positive { positives } else { n - positives };
        n / (2.0 * count)
    };
    let mut weights = vec![0f32; terms];
    let mut gradient = vec![0f32; terms];
    let mut squares = vec![1e-8f32; terms];
    let (mut bias, mut bias_squares) = (0f32, 1e-8f32);
    for _ in 0..TRAIN_STEPS {
        gradient.iter_mut().for_each(|g| *g = 0.0);
        let mut bias_gradient = 0f32;
        for (vector, &positive) in vectors.iter().zip(labels) {
            let z = bias
                + vector
                    .iter()
                    .map(|&(i, x)| weights[i as usize] * x)
                    .sum::<f32>();
            let target = if positive { 1.0 } else { 0.0 };
            let error = class_weight(positive) * (sigmoid(z) - target);
            for &(i, x) in vector {
                gradient[i as usize] += error * x;
            }
            bias_gradient += error;
        }
        for ((w, g), s) in weights.iter_mut().zip(&gradient).zip(&mut squares) {
            let g = g / n + L2 * *w;
            *s += g * g;
            *w -= STEP * g / s.sqrt();
        }
        let g = bias_gradient / n;
        bias_squares += g * g;
        bias -= STEP * g / bias_squares.sqrt();
    }
    (bias, weights)
}

/// Multinomial naive Bayes over the normalised values (each kind's prior taken as even): a
/// term's weight is the log ratio of its smoothed shares in the two kinds.
fn naive_bayes(vectors: &[Vec<(u32, f32)>], labels: &[bool], terms: usize) -> (f32, Vec<f32>) {
    let mut mass = [vec![0f32; terms], vec![0f32; terms]];
    for (vector, &positive) in vectors.iter().zip(labels) {
        for &(i, x) in vector {
            mass[usize::from(positive)][i as usize] += x;
        }
    }
    let totals = mass
        .each_ref()
        .map(|m| m.iter().sum::<f32>() + NB_SMOOTHING * terms as f32);
    let weights = (0..terms)
        .map(|i| {
            ((mass[1][i] + NB_SMOOTHING) / totals[1]).ln()
                - ((mass[0][i] + NB_SMOOTHING) / totals[0]).ln()
        })
        .collect();
    (0.0, weights)
}

fn sigmoid(z: f32) -> f32 {
    1.0 / (1.0 + (-z).exp())
}

/// The terms of examples as they are met, to make each a dense index.
#[derive(Default)]
struct Vocabulary {
    index: HashMap<u64, u32, Identity>,
    terms: Vec<String>,
}

impl Vocabulary {
    /// The values of an article's terms, by index, indices given to new terms.
    fn vector(&mut self, title: &str, text: &str) -> Vec<(u32, f32)> {
        let mut counts: HashMap<u32, f32> = HashMap::new();
        let mut total = 0f32;
        let (title, text) = (Folded::new(title), Folded::new(text));
        for (words, count) in [(&title.words, TITLE_COUNT), (&text.words, 1.0)] {
            terms(words, |hash, first, second| {
                let next = self.terms.len() as u32;
                let i = *self.index.entry(hash).or_insert_with(|| {
                    self.terms.push(match second {
                        Some(second) => format!("{first} {second}"),
                        None => first.to_string(),
                    });
                    next
                });
                *counts.entry(i).or_default() += count;
                total += count;
            });
        }
        let norm = total.max(1.0).sqrt();
        let mut vector: Vec<(u32, f32)> = counts
            .into_iter()
            .map(|(i, count)| (i, (1.0 + count.ln()) / norm))
            .collect();
        vector.sort_unstable_by_key(|&(i, _)| i);
        vector
    }
}

/// Calls `emit(hash, word, None)` for every word of `words` (a [`Folded::words`]) long enough,
/// and `emit(hash, previous, Some(word))` for every pair of such words in a row.
fn terms<'w>(words: &'w str, mut emit: impl FnMut(u64, &'w str, Option<&'w str>)) {
    let mut previous: Option<(u64, &str)> = None;
    static STOP: LazyLock<HashSet<u64, Identity>> =
        LazyLock::new(|| STOP_WORDS.iter().map(|w| fnv(w.as_bytes())).collect());
    for word in words.split(' ').filter(|w| w.len() >= MIN_WORD_BYTES) {
        let hash = fnv(word.as_bytes());
        if STOP.contains(&hash) {
            continue;
        }
        emit(hash, word, None);
        if let Some((before, first)) = previous {
            emit(pair(before, hash), first, Some(word));
        }
        previous = Some((hash, word));
    }
}

/// The hash of a term as stored (`word` or `first second`).
fn term_hash(term: &str) -> u64 {
    match term.split_once(' ') {
        Some((first, second)) => pair(fnv(first.as_bytes()), fnv(second.as_bytes())),
        None => fnv(term.as_bytes()),
    }
}

/// FNV-1a: stable across runs and versions, unlike the standard library's hasher.
fn fnv(bytes: &[u8]) -> u64 {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for &b in bytes {
        hash ^= u64::from(b);
        hash = hash.wrapping_mul(0x0000_0100_0000_01b3);
    }
    hash
}

fn pair(first: u64, second: u64) -> u64 {
    (first.rotate_left(31) ^ second).wrapping_mul(0x9E37_79B9_7F4A_7C15)
}

/// The keys are hashes already: hashing them again is wasted time.
type Identity = BuildHasherDefault<IdentityHasher>;

#[derive(Default)]
struct IdentityHasher(u64);

impl Hasher for IdentityHasher {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = (self.0 << 8) | u64::from(b);
        }
    }
    fn write_u64(&mut self, n: u64) {
        self.0 = n;
    }
}

/// The models of a configuration's topics, compiled for tagging: one table of every term of
/// every model, so that an article's terms are looked up once for all topics.
#[derive(Debug, Clone)]
pub struct Learnt {
    /// (topic index in the configuration, topic name, bias).
    models: Vec<(usize, String, f32)>,
    index: HashMap<u64, u32, Identity>,
    terms: Vec<String>,
    /// Term `i`, model `m`: `weights[i * models.len() + m]`.
    weights: Vec<f32>,
    params: LearnParams,
}

/// How a topic's model reads one article.
#[derive(Debug, Clone, PartialEq)]
pub struct Verdict {
    pub topic: String,
    /// The probability that the article has the topic.
    pub confidence: f32,
    /// The terms that weighed most for the topic, most first.
    pub reasons: Vec<Reason>,
}

impl Learnt {
    /// The models of the configured `topics` (by name, in configuration order); `None` if none
    /// is left.
    pub fn new(topics: &[&str], models: &[Model], params: LearnParams) -> Option<Learnt> {
        let mut kept: Vec<(usize, &Model)> = models
            .iter()
            .filter(|m| m.version == MODEL_VERSION)
            .filter_map(|m| Some((topics.iter().position(|t| *t == m.topic)?, m)))
            .collect();
        kept.sort_by_key(|(t, _)| *t);
        kept.dedup_by_key(|(t, _)| *t);
        if kept.is_empty() {
            return None;
        }
        let width = kept.len();
        let mut learnt = Learnt {
            models: kept
                .iter()
                .map(|(t, m)| (*t, m.topic.clone(), m.bias))
                .collect(),
            index: HashMap::default(),
            terms: Vec::new(),
            weights: Vec::new(),
            params,
        };
        for (m, (_, model)) in kept.iter().enumerate() {
            for (term, weight) in &model.terms {
                let next = learnt.terms.len() as u32;
                let i = *learnt.index.entry(term_hash(term)).or_insert_with(|| {
                    learnt.terms.push(term.clone());
                    learnt.weights.extend(std::iter::repeat_n(0.0, width));
                    next
                });
                learnt.weights[i as usize * width + m] = *weight;
            }
        }
        Some(learnt)
    }

    pub fn params(&self) -> LearnParams {
        self.params
    }

    /// The topics with a model, in configuration order.
    pub fn topics(&self) -> impl Iterator<Item = &str> {
        self.models.iter().map(|(_, name, _)| name.as_str())
    }

    /// Every model's verdict on an article (plain title and text).
    pub fn verdicts(&self, title: &str, text: &str) -> Vec<Verdict> {
        let (title, text) = (Folded::new(title), Folded::new(text));
        let values = self.values(&title.words, &text.words);
        (0..self.models.len())
            .map(|m| self.verdict(m, &values))
            .collect()
    }

    /// The tags the models give (confidence reached), with their topic's index, for
    /// [`super::Rules::tag`], from folded words.
    pub(super) fn tags(&self, title: &str, text: &str) -> Vec<(usize, Tag)> {
        let values = self.values(title, text);
        let mut tags = Vec::new();
        for m in 0..self.models.len() {
            if self.logit(m, &values) < logit(self.params.min_confidence) {
                continue;
            }
            let verdict = self.verdict(m, &values);
            tags.push((
                self.models[m].0,
                Tag {
                    topic: verdict.topic,
                    score: 0,
                    reasons: verdict.reasons,
                },
            ));
        }
        tags
    }

    /// The article's known terms: (term index, value, occurrences), by index.
    fn values(&self, title: &str, text: &str) -> Vec<(u32, f32, u32)> {
        let mut found: Vec<(u32, f32)> = Vec::new();
        let mut total = 0f32;
        for (words, count) in [(title, TITLE_COUNT), (text, 1.0)] {
            terms(words, |hash, _, _| {
                total += count;
                if let Some(&i) = self.index.get(&hash) {
                    found.push((i, count));
                }
            });
        }
        found.sort_unstable_by_key(|&(i, _)| i);
        let norm = total.max(1.0).sqrt();
        let mut values: Vec<(u32, f32, u32)> = Vec::with_capacity(found.len());
        for (i, count) in found {
            match values.last_mut() {
                Some(last) if last.0 == i => {
                    last.1 += count;
                    last.2 += 1;
                }
                _ => values.push((i, count, 1)),
            }
        }
        for value in &mut values {
            value.1 = (1.0 + value.1.ln()) / norm;
        }
        values
    }

    fn logit(&self, m: usize, values: &[(u32, f32, u32)]) -> f32 {
        let width = self.models.len();
        let weights = &self.weights;
        self.models[m].2
            + values
                .iter()
                .map(|&(i, x, _)| weights[i as usize * width + m] * x)
                .sum::<f32>()
    }

    fn verdict(&self, m: usize, values: &[(u32, f32, u32)]) -> Verdict {
        let width = self.models.len();
        let mut weighed: Vec<(f32, u32, u32)> = values
            .iter()
            .map(|&(i, x, n)| (self.weights[i as usize * width + m] * x, i, n))
            .filter(|(w, _, _)| *w > 0.0)
            .collect();
        weighed.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
        Verdict {
            topic: self.models[m].1.clone(),
            confidence: sigmoid(self.logit(m, values)),
            reasons: weighed
                .into_iter()
                .take(EXPLAIN_TERMS)
                .map(|(w, i, n)| Reason {
                    term: self.terms[i as usize].clone(),
                    place: Place::Model,
                    count: n,
                    weight: Some((w * 100.0).round() / 100.0),
                    matched: Vec::new(),
                })
                .collect(),
        }
    }
}

fn logit(p: f32) -> f32 {
    let p = p.clamp(1e-6, 1.0 - 1e-6);
    (p / (1.0 - p)).ln()
}

#[cfg(test)]
mod tests;
