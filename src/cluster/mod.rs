//! The same story across sources: an article's fingerprint (MinHash of word shingles of its clean
//! text), LSH band keys to find candidates, and the decision "same story". Pure: no I/O, no SQL,
//! no clock; the store keeps the fingerprints and the index, `app` decides when to cluster.
//!
//! How it works, in the order of the data:
//! 1. The text is cut into lines; a line the source prints in other articles (header, footer,
//!    "Lire aussi", author bio) is boilerplate and left out: the caller knows the source and
//!    answers [`Features::new`]'s `is_boilerplate` (see [`recurring_lines`]).
//! 2. The rest is folded ([`crate::normalize::fold`]), cut into words, stop words dropped, and
//!    every run of [`SHINGLE_WORDS`] words is a shingle.
//! 3. A MinHash [`Signature`] summarises the shingle set: two signatures agree on a share of
//!    their values that estimates the Jaccard similarity of the two sets. The *lead* (the first
//!    [`LEAD_WORDS`] words) has a signature of its own, so that a feed's 2-sentence summary finds
//!    the full article it summarises.
//! 4. [`band_keys`] cut the signatures into bands; articles sharing a band key are candidates.
//! 5. [`same_story`] decides on a candidate from text overlap, title similarity and dates.
//!
//! The fingerprint constants below are part of the stored format ([`FORMAT_VERSION`]); the
//! decision thresholds are [`Params`], settings that may change at any time.

use chrono::{DateTime, Utc};
use std::collections::HashSet;

pub mod index;

/// Words in a shingle (after stop words are dropped, so about five words of prose).
pub const SHINGLE_WORDS: usize = 3;
/// Hash functions of a MinHash signature.
pub const SIGNATURE_LEN: usize = 64;
/// Signature values hashed together into one LSH band key. One value a band makes the shared
/// keys of two articles a direct estimate of their similarity (the candidates are ranked by it)
/// and finds the quoted-paraphrase pairs: a pair at Jaccard 0.1 shares one of [`TEXT_BANDS`]
/// keys with probability 0.97, at 0.2 with 0.999; unrelated prose rarely shares any, and a
/// crowded bucket is read only in part (the store caps it).
pub const ROWS_PER_BAND: usize = 1;
/// Bands of the text signature (its first values).
pub const TEXT_BANDS: usize = 32;
/// Bands of the lead signature (its first values), indexed only for texts longer than the lead.
pub const LEAD_BANDS: usize = 16;
/// Content words of the lead: about the two or three sentences a summary-only feed carries.
pub const LEAD_WORDS: usize = 40;
/// Version of the bytes of [`Features::signature_blob`]: changes with any constant above.
pub const FORMAT_VERSION: u8 = 1;
/// A line is boilerplate when it recurs in this many articles of a source's recent window
/// (the article itself included: "printed in at least one other article").
pub const BOILERPLATE_MIN_ARTICLES: usize = 2;
/// How many recent articles of a source are read to find its boilerplate lines.
pub const BOILERPLATE_WINDOW: usize = 50;
/// Below this many agreeing signature values (of [`SIGNATURE_LEN`]) the Jaccard estimate is too
/// noisy (relative error above 35%) to derive an overlap from: a summary's few words found in a
/// long link roundup must not count as "the summary is inside it".
const MIN_AGREEING_VALUES: usize = 8;
/// Content words kept of a title: a title is a line, not a text.
const MAX_TITLE_WORDS: usize = 32;
const SECONDS_PER_DAY: f64 = 86_400.0;

/// Thresholds of [`same_story`]. Exposed as settings; the defaults are tuned on
/// `fixtures/stories` (see `benches/clustering.rs`).
#[derive(Debug, Clone, PartialEq)]
pub struct Params {
    /// Estimated Jaccard similarity of the clean texts that alone makes a copy.
    pub text_jaccard: f64,
    /// Share of the smaller text found in the larger that alone makes a copy (a trade site
    /// quoting the whole press release inside its own article).
    pub text_overlap: f64,
    /// Share of the shorter lead found in the other lead, when one text is no longer than its
    /// lead (a feed's summary against the full article).
    pub lead_overlap: f64,
    /// Text overlap that makes a copy when the titles are similar too (a paraphrase that
    /// quotes some of the release). Titles never merge on their own.
    pub weak_overlap: f64,
    /// Title similarity (Jaccard of folded content words) that lets `weak_overlap` decide.
    pub title_similarity: f64,
    /// Jaccard above which texts count as the same even when their titles carry different
    /// numbers ("5.3" and "5.4", "lundi 3 mars" and "lundi 10 mars").
    pub near_identical: f64,
    /// Fewer distinct shingles than this in the smaller text (or lead): no rule applies, not
    /// even "identical".
    pub min_shingles: u32,
    /// Copies published further apart are other stories, unless their texts are identical.
    pub max_days_apart: f64,
}

impl Default for Params {
    fn default() -> Self {
        Params {
            text_jaccard: 0.4,
            text_overlap: 0.3,
            lead_overlap: 0.6,
            weak_overlap: 0.2,
            title_similarity: 0.34,
            near_identical: 0.9,
            min_shingles: 8,
            max_days_apart: 30.0,
        }
    }
}

/// A MinHash signature: the minimum of each hash function over the shingle set.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Signature(pub [u32; SIGNATURE_LEN]);

impl Signature {
    const EMPTY: Signature = Signature([u32::MAX; SIGNATURE_LEN]);

    fn of(shingles: &HashSet<u64>) -> Signature {
        let mut values = [u32::MAX; SIGNATURE_LEN];
        for &shingle in shingles {
            for (value, (a, b)) in values.iter_mut().zip(HASH_A.iter().zip(&HASH_B)) {
                // Multiply-shift hashing of an already mixed 64-bit value: one multiply a value.
                let h = (a.wrapping_mul(shingle).wrapping_add(*b) >> 32) as u32;
                *value = (*value).min(h);
            }
        }
        Signature(values)
    }

    /// Share of values that agree: an unbiased estimate of the Jaccard similarity.
    fn agreement(&self, other: &Signature) -> usize {
        self.0.iter().zip(&other.0).filter(|(a, b)| a == b).count()
    }
}

/// What clustering knows of an article; stored, never recomputed unless the article changes.
#[derive(Debug, Clone, PartialEq)]
pub struct Features {
    /// Folded content words of the title, separated by one space.
    pub title: String,
    /// Characters of the text once boilerplate lines are left out.
    pub clean_len: u32,
    /// Unix seconds: published, else first stored. `None`: no date bound applies.
    pub date: Option<i64>,
    /// Hash of every folded word of the clean text, in order: "identical texts".
    pub text_hash: u64,
    /// Distinct shingles of the clean text.
    pub shingles: u32,
    pub text: Signature,
    /// Distinct shingles of the lead.
    pub lead_shingles: u32,
    /// `None` when the whole text fits in the lead: the lead is then `text`.
    pub lead: Option<Signature>,
}

impl Features {
    /// Fingerprint an article. `is_boilerplate` answers for each line's [`line_hashes`] value
    /// whether the source prints that line in other articles.
    pub fn new(
        title: &str,
        text: &str,
        date: Option<DateTime<Utc>>,
        is_boilerplate: impl Fn(u64) -> bool,
    ) -> Features {
        Features::of_read(title, &ReadText::new(text), date, is_boilerplate)
    }

    /// [`Features::new`] of a text already read: what is left to do once the source's
    /// boilerplate is known (shingles and signatures), cheap next to reading the text.
    pub fn of_read(
        title: &str,
        text: &ReadText,
        date: Option<DateTime<Utc>>,
        is_boilerplate: impl Fn(u64) -> bool,
    ) -> Features {
        let lines = &text.lines;
        let mut clean: Vec<&Line> = lines.iter().filter(|l| !is_boilerplate(l.hash)).collect();
        if clean.is_empty() {
            // Everything recurs: the source printed this very text before. It is its own text.
            clean = lines.iter().collect();
        }
        let clean_len = clean.iter().map(|l| l.chars).sum::<usize>();
        let mut text_hash = SEED_TEXT;
        let mut content = Vec::new();
        for line in &clean {
            for (&word, &stop) in line.words.iter().zip(&line.stops) {
                text_hash = mix(text_hash ^ word);
                if !stop {
                    content.push(word);
                }
            }
        }
        let all = shingles(&content);
        let lead_words = &content[..content.len().min(LEAD_WORDS)];
        let (lead_shingles, lead) = if content.len() > LEAD_WORDS {
            let lead = shingles(lead_words);
            (lead.len(), Some(Signature::of(&lead)))
        } else {
            (all.len(), None)
        };
        Features {
            title: title_words(title).join(" "),
            clean_len: saturate(clean_len),
            date: date.map(|d| d.timestamp()),
            text_hash,
            shingles: saturate(all.len()),
            text: if all.is_empty() {
                Signature::EMPTY
            } else {
                Signature::of(&all)
            },
            lead_shingles: saturate(lead_shingles),
            lead,
        }
    }

    /// The lead's signature: the text's own when the text fits in the lead.
    pub fn lead_signature(&self) -> &Signature {
        self.lead.as_ref().unwrap_or(&self.text)
    }

    /// Whether the whole text fits in the lead (a summary, a short note).
    pub fn is_short(&self) -> bool {
        self.lead.is_none()
    }

    /// The fingerprint as a compact BLOB, little-endian: version (u8), flags (u8: 1 = has a
    /// lead signature of its own), text_hash (u64), shingles (u32), lead_shingles (u32), the
    /// text signature (64 × u32), then the lead signature if any (64 × u32).
    pub fn signature_blob(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(BLOB_HEADER + 2 * SIGNATURE_LEN * 4);
        out.push(FORMAT_VERSION);
        out.push(u8::from(self.lead.is_some()));
        out.extend_from_slice(&self.text_hash.to_le_bytes());
        out.extend_from_slice(&self.shingles.to_le_bytes());
        out.extend_from_slice(&self.lead_shingles.to_le_bytes());
        for signature in std::iter::once(&self.text).chain(&self.lead) {
            for value in signature.0 {
                out.extend_from_slice(&value.to_le_bytes());
            }
        }
        out
    }

    /// Features back from their stored parts; `None` for a BLOB of another format version
    /// or a damaged one (the article is then simply not a candidate until re-clustered).
    pub fn from_stored(
        title: String,
        clean_len: u32,
        date: Option<i64>,
        blob: &[u8],
    ) -> Option<Features> {
        let (&version, rest) = blob.split_first()?;
        let (&flags, rest) = rest.split_first()?;
        if version != FORMAT_VERSION || flags > 1 {
            return None;
        }
        let signatures = usize::from(flags) + 1;
        if rest.len() != BLOB_HEADER - 2 + signatures * SIGNATURE_LEN * 4 {
            return None;
        }
        let (hash, rest) = rest.split_at(8);
        let (shingles, rest) = rest.split_at(4);
        let (lead_shingles, rest) = rest.split_at(4);
        let mut sigs = rest.chunks_exact(SIGNATURE_LEN * 4).map(|bytes| {
            let mut values = [0u32; SIGNATURE_LEN];
            for (value, b) in values.iter_mut().zip(bytes.chunks_exact(4)) {
                *value = u32::from_le_bytes(b.try_into().unwrap_or_default());
            }
            Signature(values)
        });
        Some(Features {
            title,
            clean_len,
            date,
            text_hash: u64::from_le_bytes(hash.try_into().ok()?),
            shingles: u32::from_le_bytes(shingles.try_into().ok()?),
            text: sigs.next()?,
            lead_shingles: u32::from_le_bytes(lead_shingles.try_into().ok()?),
            lead: sigs.next(),
        })
    }
}

/// Bytes of the BLOB before the signatures.
const BLOB_HEADER: usize = 1 + 1 + 8 + 4 + 4;

/// The LSH keys of an article: one per band of its text signature, plus one per band of its
/// lead signature when it has one of its own. Each key mixes the band index, so equal values in
/// different bands never collide; a lead band and a text band of the same index share a key
/// space, which is how a short text (whose text *is* its lead) finds a long text's lead.
/// Sorted, without duplicates; none for an empty text.
pub fn band_keys(features: &Features) -> Vec<i64> {
    if features.shingles == 0 {
        return Vec::new();
    }
    let mut keys: Vec<i64> = bands(&features.text, TEXT_BANDS).collect();
    if let Some(lead) = &features.lead {
        keys.extend(bands(lead, LEAD_BANDS));
    }
    keys.sort_unstable();
    keys.dedup();
    keys
}

fn bands(signature: &Signature, count: usize) -> impl Iterator<Item = i64> + '_ {
    (0..count).map(|band| band_key(signature, band))
}

/// The key of band `band` of a signature: its [`ROWS_PER_BAND`] values hashed with the band's
/// index.
fn band_key(signature: &Signature, band: usize) -> i64 {
    signature.0[band * ROWS_PER_BAND..(band + 1) * ROWS_PER_BAND]
        .iter()
        .fold(mix(SEED_BAND ^ band as u64), |h, &v| mix(h ^ u64::from(v))) as i64
}

/// How alike two articles are, signal by signal: what [`same_story`] decides on, and what a
/// report shows when it decides wrong.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Similarity {
    /// Estimated Jaccard similarity of the shingle sets.
    pub text: f64,
    /// Estimated share of the smaller text's shingles found in the larger (0 when the
    /// estimate is noise).
    pub overlap: f64,
    /// Same for the leads, when at least one text fits in its lead; else 0.
    pub lead: f64,
    /// Jaccard similarity of the titles' content words.
    pub title: f64,
    /// Distinct shingles of the smaller text, and of the smaller lead.
    pub min_shingles: u32,
    pub min_lead_shingles: u32,
    /// `None` when a date is unknown.
    pub days_apart: Option<f64>,
    /// The same clean words in the same order.
    pub identical: bool,
    /// Both titles carry numbers and each has one the other lacks (versions, dates, issues).
    pub numbers_differ: bool,
}

pub fn similarity(a: &Features, b: &Features) -> Similarity {
    similarity_titled(a, &title_set(&a.title), b)
}

/// [`similarity`] with `a`'s [`title_set`] already made (one article meets many candidates).
fn similarity_titled(a: &Features, title_a: &[&str], b: &Features) -> Similarity {
    let (text, overlap, lead) = text_signals(a, b);
    let title_b = title_set(&b.title);
    let (numbers_a, numbers_b) = (numbers(title_a), numbers(&title_b));
    Similarity {
        text,
        overlap,
        lead,
        title: jaccard(title_a, &title_b),
        min_shingles: a.shingles.min(b.shingles),
        min_lead_shingles: a.lead_shingles.min(b.lead_shingles),
        days_apart: a
            .date
            .zip(b.date)
            .map(|(x, y)| x.abs_diff(y) as f64 / SECONDS_PER_DAY),
        identical: a.shingles > 0 && a.text_hash == b.text_hash,
        numbers_differ: !is_subset(&numbers_a, &numbers_b) && !is_subset(&numbers_b, &numbers_a),
    }
}

/// [`Similarity`]'s `text`, `overlap` and `lead`: what the signatures alone estimate.
fn text_signals(a: &Features, b: &Features) -> (f64, f64, f64) {
    let (text, overlap) = estimate(&a.text, &b.text, a.shingles, b.shingles);
    let lead = if a.is_short() || b.is_short() {
        estimate(
            a.lead_signature(),
            b.lead_signature(),
            a.lead_shingles,
            b.lead_shingles,
        )
        .1
    } else {
        0.0
    };
    (text, overlap, lead)
}

/// Whether two articles tell the same story. Text decides; a similar title only lowers the
/// text overlap needed; dates bound it all; an empty text never matches.
pub fn same_story(a: &Features, b: &Features, params: &Params) -> bool {
    decide(&similarity(a, b), params)
}

/// [`same_story`] on an already computed [`Similarity`].
pub fn decide(s: &Similarity, params: &Params) -> bool {
    matched_by(s, params).is_some()
}

/// Which rule of [`same_story`] holds, first in this order; `None`: other stories.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Rule {
    /// The same clean words in the same order (the only rule beyond `max_days_apart`).
    Identical,
    /// Jaccard similarity of the texts at least `text_jaccard`.
    Text,
    /// The smaller text at least `text_overlap` inside the larger.
    Overlap,
    /// A short text at least `lead_overlap` inside the other's lead.
    Lead,
    /// Similar titles and at least `weak_overlap` of text in common.
    TitleAndText,
}

impl Rule {
    pub fn as_str(self) -> &'static str {
        match self {
            Rule::Identical => "identical text",
            Rule::Text => "similar text",
            Rule::Overlap => "text contained",
            Rule::Lead => "summary of the lead",
            Rule::TitleAndText => "similar title and some text",
        }
    }
}

/// The rule by which two articles are the same story, if one holds. Text decides; a similar
/// title only lowers the text overlap needed; dates bound it all; an empty text never matches.
pub fn matched_by(s: &Similarity, params: &Params) -> Option<Rule> {
    // Too little text decides nothing: two items reading only "Lire la suite" are not a story.
    let enough = s.min_shingles >= params.min_shingles.max(1);
    let lead_enough = s.min_lead_shingles >= params.min_shingles.max(1);
    if s.days_apart.is_some_and(|d| d > params.max_days_apart) {
        return (enough && s.identical).then_some(Rule::Identical);
    }
    if enough && s.identical {
        return Some(Rule::Identical);
    }
    if s.numbers_differ && s.text < params.near_identical {
        return None;
    }
    let similar_title = s.title >= params.title_similarity;
    if enough && s.text >= params.text_jaccard {
        Some(Rule::Text)
    } else if enough && s.overlap >= params.text_overlap {
        Some(Rule::Overlap)
    } else if lead_enough && s.lead >= params.lead_overlap {
        Some(Rule::Lead)
    } else if similar_title
        && ((enough && s.overlap >= params.weak_overlap)
            || (lead_enough && s.lead >= params.weak_overlap))
    {
        Some(Rule::TitleAndText)
    } else {
        None
    }
}

/// An indexed article that shares band keys with the one being clustered.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Candidate<'a> {
    pub id: i64,
    pub story: i64,
    pub features: &'a Features,
}

/// Where an article went.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Clustered {
    pub story: i64,
    /// The article it was found a copy of; `None`: it started a story of its own.
    pub matched: Option<i64>,
}

/// The story a new (or re-read) article joins: that of the most similar candidate that
/// [`same_story`] accepts, its `current` story first when one of its members still matches (an
/// article updated in place does not wander). `None`: a story of its own.
pub fn choose_story(
    features: &Features,
    candidates: &[Candidate],
    params: &Params,
    current: Option<i64>,
) -> Option<Clustered> {
    place(features, candidates, params, current).0
}

/// [`choose_story`], and every story that has a member [`same_story`] accepts as a copy of
/// `features`, each candidate compared once. When a new article is a copy of members of two
/// stories, those stories were one all along (their copies arrived in an order that hid it):
/// the caller merges them, so the stories do not depend on the order in which articles arrive.
pub fn place(
    features: &Features,
    candidates: &[Candidate],
    params: &Params,
    current: Option<i64>,
) -> (Option<Clustered>, Vec<i64>) {
    let title = title_set(&features.title);
    let score = |s: &Similarity| s.text.max(s.overlap).max(s.lead);
    let matches: Vec<(&Candidate, f64)> = candidates
        .iter()
        .filter(|c| may_match(features, c.features, params))
        .filter_map(|c| {
            let s = similarity_titled(features, &title, c.features);
            decide(&s, params).then_some((c, score(&s)))
        })
        .collect();
    let best = matches.iter().max_by(|(x, sx), (y, sy)| {
        let stays = |c: &Candidate| Some(c.story) == current;
        (stays(x), sx, -x.id)
            .partial_cmp(&(stays(y), sy, -y.id))
            .unwrap_or(std::cmp::Ordering::Equal)
    });
    let chosen = best.map(|(c, _)| Clustered {
        story: c.story,
        matched: Some(c.id),
    });
    let mut stories: Vec<i64> = matches.iter().map(|(c, _)| c.story).collect();
    stories.sort_unstable();
    stories.dedup();
    (chosen, stories)
}

/// Whether a rule of [`matched_by`] could hold, titles aside: most candidates share a band
/// by chance, their text signals are below every threshold, and their titles need no reading
/// (a title never makes a match on its own).
fn may_match(a: &Features, b: &Features, params: &Params) -> bool {
    if a.shingles > 0 && a.text_hash == b.text_hash {
        return true;
    }
    let (text, overlap, lead) = text_signals(a, b);
    text >= params.text_jaccard
        || overlap >= params.text_overlap.min(params.weak_overlap)
        || lead >= params.lead_overlap.min(params.weak_overlap)
}

/// A member of a story, as [`representative`] weighs it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Member {
    pub id: i64,
    pub clean_len: u32,
    pub date: Option<i64>,
}

/// The story's most complete article: the longest clean text, then the earliest date (an
/// unknown date last), then the smallest id.
pub fn representative(members: &[Member]) -> Option<i64> {
    members
        .iter()
        .min_by_key(|m| {
            (
                std::cmp::Reverse(m.clean_len),
                m.date.is_none(),
                m.date,
                m.id,
            )
        })
        .map(|m| m.id)
}

/// The hash of each non-empty line of `text`, in order, as [`Features::new`] asks about them:
/// folded, so that case, accents, typography and spacing do not matter.
pub fn line_hashes(text: &str) -> Vec<u64> {
    ReadText::new(text).line_hashes()
}

/// The lines that recur in at least `min_articles` of a source's `texts`: its boilerplate.
pub fn recurring_lines<'a>(
    texts: impl IntoIterator<Item = &'a str>,
    min_articles: usize,
) -> HashSet<u64> {
    recurring(texts.into_iter().map(line_hashes), min_articles)
}

/// [`recurring_lines`] of texts given by their [`line_hashes`].
pub fn recurring<L: IntoIterator<Item = u64>>(
    texts: impl IntoIterator<Item = L>,
    min_articles: usize,
) -> HashSet<u64> {
    let mut counts = std::collections::HashMap::<u64, usize>::new();
    for lines in texts {
        let distinct: HashSet<u64> = lines.into_iter().collect();
        for hash in distinct {
            *counts.entry(hash).or_default() += 1;
        }
    }
    counts
        .into_iter()
        .filter(|&(_, n)| n >= min_articles.max(1))
        .map(|(hash, _)| hash)
        .collect()
}

/// A text as clustering reads it: its non-empty lines, folded, cut into words and hashed. The
/// costly part of a fingerprint, done once per article where the work can spread over threads
/// (a fetch does it while parsing); [`Features::of_read`] finishes it once the source's
/// boilerplate is known.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ReadText {
    lines: Vec<Line>,
}

impl ReadText {
    pub fn new(text: &str) -> ReadText {
        ReadText {
            lines: text.lines().filter_map(Line::read).collect(),
        }
    }

    /// The hash of each line, in order: [`line_hashes`] of the text.
    pub fn line_hashes(&self) -> Vec<u64> {
        self.lines.iter().map(|l| l.hash).collect()
    }

    /// Whether one of its lines is among `lines` (by [`line_hashes`] value).
    pub fn has_line_in(&self, lines: &HashSet<u64>) -> bool {
        !lines.is_empty() && self.lines.iter().any(|l| lines.contains(&l.hash))
    }
}

/// The distinct hashes of `lines` as a BLOB, little-endian u64 each, for the store to keep
/// with the fingerprint, so that a source's boilerplate is found without re-reading texts.
pub fn lines_blob(lines: &[u64]) -> Vec<u8> {
    let mut distinct = lines.to_vec();
    distinct.sort_unstable();
    distinct.dedup();
    distinct.iter().flat_map(|h| h.to_le_bytes()).collect()
}

/// The line hashes of a [`lines_blob`]; `None` for a damaged one.
pub fn lines_from_blob(blob: &[u8]) -> Option<Vec<u64>> {
    if !blob.len().is_multiple_of(8) {
        return None;
    }
    Some(
        blob.chunks_exact(8)
            .map(|b| u64::from_le_bytes(b.try_into().unwrap_or_default()))
            .collect(),
    )
}

/// One line of text, folded and cut into words. Kept for every article waiting to be written,
/// so compact: a word is its hash, and whether it is a stop word.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Line {
    hash: u64,
    chars: usize,
    words: Vec<u64>,
    stops: Vec<bool>,
}

impl Line {
    fn read(raw: &str) -> Option<Line> {
        let folded = crate::normalize::fold(raw);
        let (mut words, mut stops): (Vec<u64>, Vec<bool>) = words(&folded)
            .map(|w| (hash_word(w), is_stop_word(w)))
            .unzip();
        if words.is_empty() {
            return None;
        }
        // Kept until the article is written: no room left over from growing.
        words.shrink_to_fit();
        stops.shrink_to_fit();
        let hash = words.iter().fold(SEED_LINE, |h, &w| mix(h ^ w));
        Some(Line {
            hash,
            chars: raw.trim().chars().count(),
            words,
            stops,
        })
    }
}

/// The distinct shingles of a run of content words; a run shorter than a shingle is one.
fn shingles(words: &[u64]) -> HashSet<u64> {
    let shingle = |run: &[u64]| run.iter().fold(SEED_SHINGLE, |h, &w| mix(h ^ w));
    if words.is_empty() {
        HashSet::new()
    } else if words.len() < SHINGLE_WORDS {
        HashSet::from([shingle(words)])
    } else {
        words.windows(SHINGLE_WORDS).map(shingle).collect()
    }
}

/// Words of folded text: runs of letters and digits; a '.' or ',' between two digits stays
/// inside ("5.3", "1,5"), so that versions and amounts are one word.
fn words(folded: &str) -> impl Iterator<Item = &str> {
    let mut rest = folded;
    std::iter::from_fn(move || {
        let start = rest.find(char::is_alphanumeric)?;
        rest = &rest[start..];
        let mut end = rest.len();
        let mut previous = None;
        let mut chars = rest.char_indices().peekable();
        while let Some((i, c)) = chars.next() {
            let inside_number = matches!(c, '.' | ',')
                && previous.is_some_and(|p: char| p.is_ascii_digit())
                && chars.peek().is_some_and(|&(_, n)| n.is_ascii_digit());
            if !c.is_alphanumeric() && !inside_number {
                end = i;
                break;
            }
            previous = Some(c);
        }
        let (word, tail) = rest.split_at(end);
        rest = tail;
        Some(word)
    })
}

/// The content words of a title, folded, in order; at most [`MAX_TITLE_WORDS`].
fn title_words(title: &str) -> Vec<String> {
    let folded = crate::normalize::fold(title);
    words(&folded)
        .filter(|w| !is_stop_word(w))
        .take(MAX_TITLE_WORDS)
        .map(str::to_string)
        .collect()
}

/// The distinct words of a stored title, sorted (titles are short: merging sorted lists is
/// cheaper than hashing, and this runs for every candidate).
fn title_set(title: &str) -> Vec<&str> {
    let mut words: Vec<&str> = title.split(' ').filter(|w| !w.is_empty()).collect();
    words.sort_unstable();
    words.dedup();
    words
}

fn numbers<'a>(words: &[&'a str]) -> Vec<&'a str> {
    words.iter().copied().filter(|w| is_number(w)).collect()
}

/// Elements common to two sorted lists without duplicates.
fn common(a: &[&str], b: &[&str]) -> usize {
    let (mut i, mut j, mut n) = (0, 0, 0);
    while i < a.len() && j < b.len() {
        match a[i].cmp(b[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                n += 1;
                i += 1;
                j += 1;
            }
        }
    }
    n
}

fn is_subset(a: &[&str], b: &[&str]) -> bool {
    common(a, b) == a.len()
}

fn is_number(word: &str) -> bool {
    word.starts_with(|c: char| c.is_ascii_digit())
        && word
            .chars()
            .all(|c| c.is_ascii_digit() || c == '.' || c == ',')
}

/// Jaccard similarity of two sorted lists without duplicates.
fn jaccard(a: &[&str], b: &[&str]) -> f64 {
    let shared = common(a, b);
    let union = a.len() + b.len() - shared;
    if union == 0 {
        return 0.0;
    }
    shared as f64 / union as f64
}

/// Estimated Jaccard similarity of two sets from their signatures, and the share of the
/// smaller set inside the larger derived from it and the sets' sizes
/// (|A∩B| = J·(|A|+|B|)/(1+J)).
fn estimate(a: &Signature, b: &Signature, size_a: u32, size_b: u32) -> (f64, f64) {
    if size_a == 0 || size_b == 0 {
        return (0.0, 0.0);
    }
    let agreeing = a.agreement(b);
    let j = agreeing as f64 / SIGNATURE_LEN as f64;
    if agreeing < MIN_AGREEING_VALUES {
        return (j, 0.0);
    }
    let (size_a, size_b) = (f64::from(size_a), f64::from(size_b));
    let common = j * (size_a + size_b) / (1.0 + j);
    (j, (common / size_a.min(size_b)).min(1.0))
}

fn saturate(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

/// Words that carry no story: French and English function words, and any single letter
/// (l', d', s', qu'… once the apostrophe has cut them off). Sorted, for binary search.
#[rustfmt::skip]
const STOP_WORDS: &[&str] = &[
    "a", "about", "after", "ai", "aie", "all", "also", "an", "and", "any", "are", "as", "at",
    "au", "aussi", "autre", "aux", "avait", "avec", "avoir", "be", "been", "but", "by", "can",
    "ce", "cela", "celle", "celui", "ces", "cet", "cette", "ceux", "chez", "comme", "dans",
    "de", "des", "do", "does", "donc", "dont", "du", "elle", "elles", "en", "encore", "entre",
    "est", "et", "etait", "ete", "etre", "eu", "for", "from", "had", "has", "have", "he", "her",
    "his", "how", "ici", "il", "ils", "in", "into", "is", "it", "its", "je", "la", "le", "les",
    "leur", "leurs", "lui", "mais", "me", "meme", "mes", "moi", "mon", "more", "ne", "nos",
    "not", "notre", "nous", "of", "on", "ont", "or", "ou", "our", "par", "pas", "plus", "pour",
    "qu", "que", "qui", "sa", "sans", "se", "ses", "she", "si", "son", "sont", "sous", "sur",
    "ta", "te", "tes", "than", "that", "the", "their", "them", "there", "these", "they", "this",
    "those", "to", "tous", "tout", "toute", "toutes", "tres", "tu", "un", "une", "very", "vos",
    "votre", "vous", "was", "we", "were", "what", "when", "which", "who", "will", "with",
    "would", "y", "you", "your",
];

fn is_stop_word(word: &str) -> bool {
    if word.len() > MAX_STOP_WORD_BYTES {
        // Most content words: no need to search.
        return false;
    }
    let mut chars = word.chars();
    let single_letter = chars.next().is_some_and(char::is_alphabetic) && chars.next().is_none();
    single_letter || STOP_WORDS.binary_search(&word).is_ok()
}

/// The longest of [`STOP_WORDS`] (a single letter is at most 4 bytes).
const MAX_STOP_WORD_BYTES: usize = {
    let mut max = 4;
    let mut i = 0;
    while i < STOP_WORDS.len() {
        if STOP_WORDS[i].len() > max {
            max = STOP_WORDS[i].len();
        }
        i += 1;
    }
    max
};

/// The finaliser of SplitMix64: a fast, well-mixing bijection of u64.
const fn mix(mut z: u64) -> u64 {
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

/// FNV-1a over the word's bytes, then mixed: deterministic across runs and platforms.
fn hash_word(word: &str) -> u64 {
    let fnv = word.bytes().fold(0xcbf2_9ce4_8422_2325u64, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01b3)
    });
    mix(fnv)
}

/// Fixed seeds: signatures stored today must compare with those computed tomorrow.
const SEED_TEXT: u64 = 0x7665_696c_6c65_0001;
const SEED_LINE: u64 = 0x7665_696c_6c65_0002;
const SEED_SHINGLE: u64 = 0x7665_696c_6c65_0003;
const SEED_BAND: u64 = 0x7665_696c_6c65_0004;

/// Multipliers (odd) and offsets of the signature's hash functions, from a fixed sequence.
const HASH_A: [u64; SIGNATURE_LEN] = hash_constants(0x6d69_6e68_6173_6841, true);
const HASH_B: [u64; SIGNATURE_LEN] = hash_constants(0x6d69_6e68_6173_6842, false);

const fn hash_constants(seed: u64, odd: bool) -> [u64; SIGNATURE_LEN] {
    let mut out = [0u64; SIGNATURE_LEN];
    let mut state = seed;
    let mut i = 0;
    while i < SIGNATURE_LEN {
        state = state.wrapping_add(0x9e37_79b9_7f4a_7c15);
        out[i] = if odd { mix(state) | 1 } else { mix(state) };
        i += 1;
    }
    out
}

#[cfg(test)]
mod tests;
