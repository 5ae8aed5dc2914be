//! Topic tagging: the `[[topic]]` rules compiled once, then applied to an article's title and
//! plain text → tags, each with the reasons that explain it. Pure: no I/O, no clock. It never sees
//! HTML, so a word in a page's comments or sidebar cannot count: the caller passes extracted text.
//!
//! How the rules read a text (the contract `feeds.toml` users write against):
//! - Title and text are folded ([`crate::normalize::fold`]: lower case, no accents, œ → oe,
//!   typographic apostrophes and quotes made ASCII), then cut into *words*: runs of letters and
//!   digits. Everything else (spaces, line breaks, punctuation, apostrophes) only separates words.
//! - A **keyword** is cut the same way and matches the same run of whole words: `souverainete`
//!   matches « Souveraineté », `open source` matches « open-source » and « l'open\nsource »,
//!   `OW2` matches « d’OW2 » (the word after an elision) but not « OW23 ». A trailing `*` makes the
//!   last word a prefix: `souverain*` matches « souveraines », `cloud` never matches « cloudflare ».
//!   Within one topic a match inside a longer match of the same topic does not count again
//!   (« cloud de confiance » is not also « cloud »), so one mention is one point.
//! - A **pattern** is a regular expression run on the folded text, its whitespace runs made one
//!   space and its punctuation kept (`version \d+\.\d+` works). Case does not matter, as for
//!   keywords; non-ASCII characters of the pattern are folded as the text is (write `publiée` or
//!   `publiee`).
//! - An **exclude** term is written and matched as a keyword; one found anywhere vetoes the topic.
//! - The score of a topic sums, for each of its keywords and patterns, [`TITLE_WEIGHT`] when it is
//!   found in the title and one point per occurrence in the body up to [`BODY_CAP`]. The topic is
//!   given when the score reaches its `min_score` and nothing vetoes it.
//! - The tags of the source (`tags = […]` of `[[source]]`) are always given, whatever the score
//!   or the vetoes, with a reason of place [`Place::Source`]; a tag that names no topic too.
//!
//! - A topic with a model learnt from examples ([`learn`], given by [`Rules::learn`]) is also
//!   given when its rules do not give it, nothing vetoes it, and the model's confidence reaches
//!   [`LearnParams::min_confidence`]; its reasons are then the terms that weighed most, of place
//!   [`Place::Model`]. Rules decide when they match; the model only adds.
//! - Corrections by hand ([`correct`], applied by the store over whatever was computed) win over
//!   everything: a topic set by hand is given, one removed by hand is not.
//!
//! [`Rules::tag`] gives the tags; [`Rules::assess`] shows every topic the text touched, given or
//! not, to explain a near miss.

pub mod learn;

pub use learn::{correct, LearnParams, Learnt, Model};

use crate::model::Topic;
use crate::normalize::fold;
use aho_corasick::{AhoCorasick, AhoCorasickKind, MatchKind};
use regex::{Regex, RegexSet, RegexSetBuilder};
use std::cmp::Reverse;
use std::collections::{HashMap, HashSet};

/// What a term found in the title adds to the score, however often it appears there: a title
/// names what the article is about.
pub const TITLE_WEIGHT: u32 = 3;
/// At most this many occurrences of one term in the body count, one point each, so a word
/// repeated ten times does not outweigh three different ones.
pub const BODY_CAP: u32 = 3;

/// Room for the lazy DFA of all patterns together. The default (a few MiB) is thrashed by a few
/// dozen patterns with Unicode classes, and the regex engine then falls back to a search some
/// 300 times slower; the memory is only taken as the states are built.
const PATTERN_SET_DFA_BYTES: usize = 64 << 20;

/// The topic rules of a configuration, compiled once and applied to many articles.
#[derive(Debug, Clone)]
pub struct Rules {
    topics: Vec<TopicRule>,
    /// Every keyword, pattern and exclude, topic after topic, each in configuration order.
    terms: Vec<Term>,
    /// One automaton over the word form of every keyword and exclude of every topic.
    words: Option<AhoCorasick>,
    /// Automaton pattern id → the terms that share that word form.
    word_terms: Vec<Vec<usize>>,
    /// Every pattern of every topic, to learn in one pass which ones can match.
    pattern_set: RegexSet,
    /// Index in `pattern_set` → (the pattern alone, its term), to count its matches.
    patterns: Vec<(Regex, usize)>,
    by_name: HashMap<String, usize>,
    /// The models learnt from examples, if any topic has one.
    learnt: Option<Learnt>,
}

#[derive(Debug, Clone)]
struct TopicRule {
    name: String,
    min_score: u32,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Role {
    Keyword,
    Pattern,
    Exclude,
}

#[derive(Debug, Clone)]
struct Term {
    topic: usize,
    role: Role,
    /// As configured: what a reason shows.
    text: String,
}

/// A topic given to an article, with its score and why.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Tag {
    pub topic: String,
    pub score: u32,
    pub reasons: Vec<Reason>,
}

/// One configured term found in one place of the article.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Reason {
    /// The keyword or pattern as configured; for [`Place::Source`], the source's tag; for
    /// [`Place::Model`], a word or two-word term of the model; for [`Place::Hand`],
    /// [`learn::HAND_TERM`].
    pub term: String,
    pub place: Place,
    /// Occurrences found (all of them: the score caps them, the reason does not).
    pub count: u32,
    /// For [`Place::Model`]: what the term added to the model's log-odds in this article.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub weight: Option<f32>,
    /// For a pattern: the distinct words it matched (folded, as it was run on), first found
    /// first, at most [`MAX_MATCHED`].
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub matched: Vec<String>,
}

/// The words of a pattern's matches kept in its reason, at most.
const MAX_MATCHED: usize = 5;

/// Where a reason was found.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Place {
    Title,
    Body,
    /// The article's source gives this tag to all its articles.
    Source,
    /// The topic's learnt model: the term weighed for the topic.
    Model,
    /// An editor set the topic by hand.
    Hand,
}

impl Place {
    pub fn as_str(self) -> &'static str {
        match self {
            Place::Title => "title",
            Place::Body => "body",
            Place::Source => "source",
            Place::Model => "model",
            Place::Hand => "hand",
        }
    }
}

/// How one topic fared on one article, given or not: what `tag` decides on, and what explains a
/// near miss.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Assessment {
    pub topic: String,
    pub score: u32,
    pub min_score: u32,
    /// Keywords and patterns found, by term in configuration order, title before body.
    pub reasons: Vec<Reason>,
    /// Exclude terms found: any one vetoes the topic.
    pub vetoes: Vec<Reason>,
}

impl Assessment {
    /// Whether the rules give the topic (source tags aside).
    pub fn given(&self) -> bool {
        self.vetoes.is_empty() && self.score >= self.min_score
    }
}

/// One match of a term in one place; `start..end` locate keyword matches in the word form.
#[derive(Debug, Clone)]
struct Hit {
    topic: usize,
    place: Place,
    /// Keyword matches nest in one another; patterns and excludes never do.
    keyword: bool,
    start: usize,
    end: usize,
    term: usize,
    /// What a pattern matched.
    matched: Option<String>,
}

/// The occurrences of one term in one place, once nested keyword matches are dropped.
#[derive(Debug, Clone)]
struct Found {
    term: usize,
    place: Place,
    count: u32,
    matched: Vec<String>,
}

impl Rules {
    /// What [`Rules::compile`] refuses in one topic (a term with no letter or digit, a pattern
    /// that is not a regular expression), found without building any automaton: cheap enough
    /// for every command that reads the configuration, where compiling took 25 ms.
    pub fn check(topic: &Topic) -> Result<(), String> {
        let name = &topic.name;
        for keyword in topic.keywords.iter().chain(&topic.exclude) {
            word_form(keyword).ok_or_else(|| {
                format!("topic `{name}`: `{keyword}` has no letter or digit to match")
            })?;
        }
        let parse = |p: &str| {
            regex_syntax::Parser::new()
                .parse(p)
                .map(drop)
                .map_err(|e| e.to_string())
        };
        for pattern in &topic.patterns {
            parse(&fold_pattern(pattern))
                .or_else(|_| parse(&case_insensitive(&fold_non_ascii(pattern))))
                .map_err(|e| {
                    let detail = e.lines().last().unwrap_or_default();
                    format!("topic `{name}`: pattern `{pattern}`: {detail}")
                })?;
        }
        Ok(())
    }

    /// Compile every topic: one automaton for all keywords and excludes of all topics, one
    /// regex set for all patterns. Fails on a term with no letter or digit to match, or on a
    /// pattern that does not compile, naming the topic and the term.
    pub fn compile<'t>(topics: &'t [Topic]) -> Result<Rules, String> {
        let mut terms = Vec::new();
        let mut forms = WordForms::default();
        let mut patterns = Vec::new();
        for (t, topic) in topics.iter().enumerate() {
            let name = &topic.name;
            // Two spellings of one term (« Souveraineté », « souverainete ») are one term: it
            // must not score twice.
            let mut seen = HashSet::new();
            let mut words = |list: &'t [String], role: Role| {
                let mut kept = Vec::new();
                for keyword in list {
                    let form = word_form(keyword).ok_or_else(|| {
                        format!("topic `{name}`: `{keyword}` has no letter or digit to match")
                    })?;
                    if seen.insert((form.clone(), role)) {
                        kept.push((keyword, form));
                    }
                }
                Ok::<_, String>(kept)
            };
            let keywords = words(&topic.keywords, Role::Keyword)?;
            let excludes = words(&topic.exclude, Role::Exclude)?;
            // Term ids follow the topic as it is written, so that reasons do too.
            for (keyword, form) in keywords {
                forms.add(form, push_term(&mut terms, t, Role::Keyword, keyword));
            }
            for pattern in &topic.patterns {
                // Lower-casing a class range can break it (`[Z-a]`): then the pattern as written.
                let regex = Regex::new(&fold_pattern(pattern))
                    .or_else(|_| Regex::new(&case_insensitive(&fold_non_ascii(pattern))))
                    .map_err(|e| {
                        let detail = e.to_string().lines().last().unwrap_or_default().to_string();
                        format!("topic `{name}`: pattern `{pattern}`: {detail}")
                    })?;
                patterns.push((regex, push_term(&mut terms, t, Role::Pattern, pattern)));
            }
            for (keyword, form) in excludes {
                forms.add(form, push_term(&mut terms, t, Role::Exclude, keyword));
            }
        }

        let words = if forms.forms.is_empty() {
            None
        } else {
            let automaton = AhoCorasick::builder()
                .match_kind(MatchKind::Standard)
                .kind(Some(AhoCorasickKind::DFA))
                // Every word form starts with a space: a prefilter would stop at each one.
                .prefilter(false)
                .build(&forms.forms)
                .map_err(|e| format!("the topic keywords are too many to compile: {e}"))?;
            Some(automaton)
        };
        let pattern_set = RegexSetBuilder::new(patterns.iter().map(|(regex, _)| regex.as_str()))
            .dfa_size_limit(PATTERN_SET_DFA_BYTES)
            .build()
            .map_err(|e| format!("the topic patterns are too many to compile together: {e}"))?;
        Ok(Rules {
            topics: topics
                .iter()
                .map(|topic| TopicRule {
                    name: topic.name.clone(),
                    min_score: topic.min_score,
                })
                .collect(),
            terms,
            words,
            word_terms: forms.terms,
            pattern_set,
            patterns,
            by_name: topics
                .iter()
                .enumerate()
                .map(|(t, topic)| (topic.name.clone(), t))
                .collect(),
            learnt: None,
        })
    }

    /// Add the models learnt from examples (those of topics not configured are left out): from
    /// now on [`Rules::tag`] consults them.
    pub fn learn(&mut self, models: &[Model], params: LearnParams) {
        let topics: Vec<&str> = self.topics.iter().map(|t| t.name.as_str()).collect();
        self.learnt = Learnt::new(&topics, models, params);
    }

    /// The models in use, if any.
    pub fn learnt(&self) -> Option<&Learnt> {
        self.learnt.as_ref()
    }

    /// The tags of one article, in the topic order of the configuration, then the source's tags
    /// that name no configured topic. `title` and `text` are plain text; every `source_tags`
    /// entry is given, with a reason of place [`Place::Source`].
    pub fn tag(&self, title: &str, text: &str, source_tags: &[String]) -> Vec<Tag> {
        let (title, text) = (Folded::new(title), Folded::new(text));
        let found = self.find_folded(&title, &text);
        let mut sourced: Vec<usize> = Vec::new();
        let mut extra: Vec<Tag> = Vec::new();
        for name in source_tags.iter().filter(|n| !n.trim().is_empty()) {
            match self.by_name.get(name.as_str()) {
                Some(&t) => sourced.push(t),
                None if extra.iter().any(|tag| &tag.topic == name) => {}
                None => extra.push(Tag {
                    topic: name.clone(),
                    score: 0,
                    reasons: vec![source_reason(name)],
                }),
            }
        }
        sourced.sort_unstable();
        sourced.dedup();

        // Two streams in topic order: the topics found in the text, the topics of the source.
        let mut groups = self.by_topic(&found).peekable();
        let mut sourced = sourced.into_iter().peekable();
        let mut tags = Vec::new();
        let mut vetoed_topics = Vec::new();
        loop {
            let next_group = groups.peek().map(|(t, _)| *t);
            let next_sourced = sourced.peek().copied();
            let Some(t) = next_group.into_iter().chain(next_sourced).min() else {
                break;
            };
            let group: &[Found] = if next_group == Some(t) {
                groups.next().map_or(&[], |(_, group)| group)
            } else {
                &[]
            };
            let from_source = next_sourced == Some(t);
            if from_source {
                sourced.next();
            }
            let topic = &self.topics[t];
            let (score, vetoed) = self.score(group);
            if vetoed {
                vetoed_topics.push(t);
            }
            if from_source || (!vetoed && score >= topic.min_score) {
                // Reasons are built only for the tags given: most topics found are not.
                let mut reasons = self.reasons(group, false);
                if from_source {
                    reasons.push(source_reason(&topic.name));
                }
                tags.push(Tag {
                    topic: topic.name.clone(),
                    score,
                    reasons,
                });
            }
        }
        if let Some(learnt) = &self.learnt {
            let before = tags.len();
            for (t, tag) in learnt.tags(&title.words, &text.words) {
                let given = tags[..before].iter().any(|g| g.topic == tag.topic);
                if !given && !vetoed_topics.contains(&t) {
                    tags.push(tag);
                }
            }
            if tags.len() > before {
                tags.sort_by_key(|tag| self.by_name.get(&tag.topic).copied());
            }
        }
        tags.extend(extra);
        tags
    }

    /// Every topic with at least one term found in the article, given or not, in configuration
    /// order: the material of [`Rules::tag`], and the explanation of a near miss.
    pub fn assess(&self, title: &str, text: &str) -> Vec<Assessment> {
        let found = self.find(title, text);
        self.by_topic(&found)
            .map(|(t, group)| {
                let topic = &self.topics[t];
                Assessment {
                    topic: topic.name.clone(),
                    score: self.score(group).0,
                    min_score: topic.min_score,
                    reasons: self.reasons(group, false),
                    vetoes: self.reasons(group, true),
                }
            })
            .collect()
    }

    /// Every term found, by term (so by topic) then place.
    fn find(&self, title: &str, text: &str) -> Vec<Found> {
        self.find_folded(&Folded::new(title), &Folded::new(text))
    }

    fn find_folded(&self, title: &Folded, text: &Folded) -> Vec<Found> {
        let mut hits = Vec::new();
        for (place, folded) in [(Place::Title, title), (Place::Body, text)] {
            self.find_words(&folded.words, place, &mut hits);
            self.find_patterns(&folded.text, place, &mut hits);
        }
        self.count(hits)
    }

    /// `found` cut by topic.
    fn by_topic<'f>(&'f self, found: &'f [Found]) -> impl Iterator<Item = (usize, &'f [Found])> {
        found
            .chunk_by(|a, b| self.terms[a.term].topic == self.terms[b.term].topic)
            .map(|group| (self.terms[group[0].term].topic, group))
    }

    /// The score of one topic's terms, and whether an exclude vetoes it.
    fn score(&self, group: &[Found]) -> (u32, bool) {
        let mut score = 0u32;
        let mut vetoed = false;
        for found in group {
            if self.terms[found.term].role == Role::Exclude {
                vetoed = true;
                continue;
            }
            let points = match found.place {
                Place::Title => TITLE_WEIGHT,
                _ => found.count.min(BODY_CAP),
            };
            score = score.saturating_add(points);
        }
        (score, vetoed)
    }

    /// The reasons of one topic: its excludes found, or its keywords and patterns found.
    fn reasons(&self, group: &[Found], excludes: bool) -> Vec<Reason> {
        group
            .iter()
            .filter(|found| (self.terms[found.term].role == Role::Exclude) == excludes)
            .map(|found| Reason {
                term: self.terms[found.term].text.clone(),
                place: found.place,
                count: found.count,
                weight: None,
                matched: found.matched.clone(),
            })
            .collect()
    }

    fn find_words(&self, words: &str, place: Place, hits: &mut Vec<Hit>) {
        let Some(automaton) = &self.words else {
            return;
        };
        for m in automaton.find_overlapping_iter(words) {
            for &term in &self.word_terms[m.pattern().as_usize()] {
                let t = &self.terms[term];
                hits.push(Hit {
                    topic: t.topic,
                    place,
                    keyword: t.role == Role::Keyword,
                    start: m.start(),
                    end: m.end(),
                    term,
                    matched: None,
                });
            }
        }
    }

    fn find_patterns(&self, folded: &str, place: Place, hits: &mut Vec<Hit>) {
        if self.patterns.is_empty() {
            return;
        }
        for i in self.pattern_set.matches(folded).iter() {
            let (regex, term) = &self.patterns[i];
            for m in regex.find_iter(folded) {
                hits.push(Hit {
                    topic: self.terms[*term].topic,
                    place,
                    keyword: false,
                    start: m.start(),
                    end: m.end(),
                    term: *term,
                    matched: Some(m.as_str().trim().to_string()),
                });
            }
        }
    }

    /// Occurrences by (term, place), sorted by term then place, once the keyword matches nested
    /// in a longer match of the same topic and place are dropped.
    fn count(&self, mut hits: Vec<Hit>) -> Vec<Found> {
        hits.sort_unstable_by_key(|h| {
            (
                h.topic,
                h.place,
                !h.keyword,
                h.start,
                Reverse(h.end),
                h.term,
            )
        });
        let mut kept: Vec<(usize, Place, Option<String>)> = Vec::with_capacity(hits.len());
        let mut group = None;
        let mut reach = 0;
        for hit in &hits {
            if hit.keyword {
                if group != Some((hit.topic, hit.place)) {
                    group = Some((hit.topic, hit.place));
                    reach = 0;
                }
                // Sorted by start, longest first: a match ending within the reach of an earlier
                // one lies inside it.
                if hit.end <= reach {
                    continue;
                }
                reach = hit.end;
            }
            kept.push((hit.term, hit.place, hit.matched.clone()));
        }
        // Stable: a pattern's matches stay in the order they were found.
        kept.sort_by_key(|(term, place, _)| (*term, *place));
        let mut counts: Vec<Found> = Vec::new();
        for (term, place, matched) in kept {
            match counts.last_mut() {
                Some(f) if f.term == term && f.place == place => {
                    f.count = f.count.saturating_add(1);
                    if let Some(m) = matched {
                        if f.matched.len() < MAX_MATCHED && !f.matched.contains(&m) {
                            f.matched.push(m);
                        }
                    }
                }
                _ => counts.push(Found {
                    term,
                    place,
                    count: 1,
                    matched: matched.into_iter().collect(),
                }),
            }
        }
        counts
    }
}

fn source_reason(tag: &str) -> Reason {
    Reason {
        term: tag.to_string(),
        place: Place::Source,
        count: 1,
        weight: None,
        matched: Vec::new(),
    }
}

/// The word forms of the automaton as they are collected, shared by all topics.
#[derive(Default)]
struct WordForms {
    forms: Vec<String>,
    /// Form → the terms that have it.
    terms: Vec<Vec<usize>>,
    index: HashMap<String, usize>,
}

impl WordForms {
    fn add(&mut self, form: String, term: usize) {
        let slot = *self.index.entry(form).or_insert_with_key(|form| {
            self.forms.push(form.clone());
            self.terms.push(Vec::new());
            self.forms.len() - 1
        });
        self.terms[slot].push(term);
    }
}

fn push_term(terms: &mut Vec<Term>, topic: usize, role: Role, text: &str) -> usize {
    terms.push(Term {
        topic,
        role,
        text: text.to_string(),
    });
    terms.len() - 1
}

/// A text made ready for matching, in one pass.
struct Folded {
    /// Folded ([`fold`]), every whitespace run made one space, no space at either end: what
    /// patterns see.
    text: String,
    /// Its words, each between single spaces (a leading and a trailing one included), so that
    /// ` ow2 ` is a whole word and ` souverain` a word prefix: what keywords see.
    words: String,
}

impl Folded {
    /// The same as [`fold`], with a fast path for ASCII (a table lookup a byte, no branch on
    /// the kind of character), which is most of a French or English text: `fold` decomposes
    /// every character.
    fn new(text: &str) -> Folded {
        let bytes = text.as_bytes();
        let mut out = FoldedBytes {
            text: Vec::new(),
            text_len: 0,
            text_space: true, // no leading space
            words: Vec::new(),
            words_len: 0,
            words_space: false,
        };
        out.reserve(bytes.len() + 2);
        out.space_in_words();
        let mut i = 0;
        while i < bytes.len() {
            let b = bytes[i];
            if b.is_ascii() {
                out.push_ascii(b);
                i += 1;
            } else {
                // A run of non-ASCII bytes is whole characters: ASCII never occurs inside one.
                let start = i;
                while i < bytes.len() && !bytes[i].is_ascii() {
                    i += 1;
                }
                let folded = fold(&text[start..i]);
                // Folding may lengthen a character (« Ⱥ » → « ⱥ »): room for it and the rest.
                out.reserve(folded.len() + (bytes.len() - i) + 2);
                for c in folded.chars() {
                    out.push(c);
                }
            }
        }
        if out.text_space && out.text_len > 0 {
            out.text_len -= 1;
        }
        out.space_in_words();
        out.text.truncate(out.text_len);
        out.words.truncate(out.words_len);
        Folded {
            text: utf8(out.text),
            words: utf8(out.words),
        }
    }
}

/// What [`fold`] makes of each ASCII byte (lower case, the backquote an apostrophe), and its
/// kind: ASCII White_Space as `char::is_whitespace` has it (tab to carriage return, space), or a
/// letter or digit.
const ASCII_FOLD: [(u8, bool, bool); 128] = {
    let mut table = [(0u8, false, false); 128];
    let mut b = 0;
    while b < 128 {
        let c = b as u8;
        let folded = if c == b'`' {
            b'\''
        } else {
            c.to_ascii_lowercase()
        };
        let space = matches!(c, b'\t'..=b'\r' | b' ');
        table[b] = (folded, space, c.is_ascii_alphanumeric());
        b += 1;
    }
    table
};

/// [`Folded`] as it is built: buffers written up to their `_len`, and whether each ends with a
/// space (a whitespace run is one space; anything but a letter or digit separates words).
struct FoldedBytes {
    text: Vec<u8>,
    text_len: usize,
    text_space: bool,
    words: Vec<u8>,
    words_len: usize,
    words_space: bool,
}

impl FoldedBytes {
    /// Room for `n` more bytes in each buffer.
    fn reserve(&mut self, n: usize) {
        if self.text.len() < self.text_len + n {
            self.text.resize(self.text_len + n, 0);
        }
        if self.words.len() < self.words_len + n {
            self.words.resize(self.words_len + n, 0);
        }
    }

    /// One ASCII byte, within the room reserved: the byte is always written, and kept or not.
    fn push_ascii(&mut self, b: u8) {
        let (folded, space, word) = ASCII_FOLD[usize::from(b & 0x7F)];
        self.text[self.text_len] = if space { b' ' } else { folded };
        self.text_len += usize::from(!(space && self.text_space));
        self.text_space = space;
        self.words[self.words_len] = if word { folded } else { b' ' };
        self.words_len += usize::from(word || !self.words_space);
        self.words_space = !word;
    }

    /// One folded character, within the room reserved.
    fn push(&mut self, c: char) {
        let mut buf = [0u8; 4];
        let encoded = c.encode_utf8(&mut buf).as_bytes();
        if c.is_whitespace() {
            self.space_in_text();
        } else {
            self.text[self.text_len..self.text_len + encoded.len()].copy_from_slice(encoded);
            self.text_len += encoded.len();
            self.text_space = false;
        }
        if c.is_alphanumeric() {
            self.words[self.words_len..self.words_len + encoded.len()].copy_from_slice(encoded);
            self.words_len += encoded.len();
            self.words_space = false;
        } else {
            self.space_in_words();
        }
    }

    fn space_in_text(&mut self) {
        if !self.text_space {
            self.text[self.text_len] = b' ';
            self.text_len += 1;
            self.text_space = true;
        }
    }

    fn space_in_words(&mut self) {
        if !self.words_space {
            self.words[self.words_len] = b' ';
            self.words_len += 1;
            self.words_space = true;
        }
    }
}

/// Bytes built from whole characters and ASCII, so valid UTF-8; checked all the same.
fn utf8(bytes: Vec<u8>) -> String {
    String::from_utf8(bytes).unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned())
}

/// A keyword as the automaton looks for it in [`Folded::words`]: ` cloud de confiance ` for a
/// phrase, ` souverain` for `souverain*`. `None` when nothing is left to match.
fn word_form(keyword: &str) -> Option<String> {
    let trimmed = keyword.trim();
    let (stem, prefix) = match trimmed.strip_suffix('*') {
        Some(stem) => (stem, true),
        None => (trimmed, false),
    };
    let mut form = Folded::new(stem).words;
    if form.trim().is_empty() {
        return None;
    }
    if prefix {
        form.pop();
    }
    Some(form)
}

/// A pattern made to read folded text, which is all lower case: its non-ASCII characters folded
/// (« é » → « e », « ’ » → « ' »), its ASCII literals lower-cased, escapes and flags untouched (`\D`,
/// `\W`, `(?U)` keep their meaning). It is then compiled case-sensitive: the same matches as
/// case-insensitive on that text, and several times faster, as the regex engine can look for
/// plain literals. A pattern whose letters hide in escapes (`\x41`, `\p{Lu}`, `[[:upper:]]`) is
/// kept whole and made case-insensitive instead.
fn fold_pattern(pattern: &str) -> String {
    let folded = fold_non_ascii(pattern);
    lower_literals(&folded).unwrap_or_else(|| case_insensitive(&folded))
}

/// `pattern` with its non-ASCII characters folded, as the text is.
fn fold_non_ascii(pattern: &str) -> String {
    let mut folded = String::with_capacity(pattern.len());
    let mut buf = [0u8; 4];
    for c in pattern.chars() {
        if c.is_ascii() {
            folded.push(c);
        } else {
            folded.push_str(&fold(c.encode_utf8(&mut buf)));
        }
    }
    folded
}

fn case_insensitive(pattern: &str) -> String {
    format!("(?i:{pattern})")
}

/// `pattern` with its ASCII literals lower-cased, or `None` when a letter may hide in an escape.
fn lower_literals(pattern: &str) -> Option<String> {
    if pattern.contains(":upper:") || pattern.contains(":lower:") {
        return None;
    }
    let mut out = String::with_capacity(pattern.len());
    let mut chars = pattern.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' => {
                let escaped = chars.next()?;
                if matches!(escaped, 'x' | 'u' | 'U' | 'p' | 'P') {
                    return None;
                }
                out.push('\\');
                out.push(escaped);
            }
            '(' if chars.peek() == Some(&'?') => {
                out.push('(');
                // Flags (`(?i)`, `(?U:`) and group names (`(?P<Name>`) are not literals.
                let end = if matches!(chars.clone().nth(1), Some('P' | '<')) {
                    '>'
                } else {
                    ':'
                };
                for f in chars.by_ref() {
                    out.push(f);
                    if f == end || f == ')' {
                        break;
                    }
                }
            }
            c => out.push(c.to_ascii_lowercase()),
        }
    }
    Some(out)
}

#[cfg(test)]
mod tests;
