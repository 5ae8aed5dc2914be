//! Trimming the primary extractor's text where a second extractor of another family does not
//! follow it.
//!
//! Both extractors err on the side of keeping too much, and rarely in the same place. When
//! they agree on the article (most of the secondary text is found in the primary), the
//! primary's paragraphs that the secondary lacks at the *edges* are what only one extractor
//! believed in: a tail of related links, newsletter or cookie text, a head of kicker,
//! dateline or caption lines. Paragraphs the secondary lacks in the middle are kept: a
//! Readability-like extractor often drops lists, tables and leads that belong to the body.
//!
//! The other way round, trafilatura often misses an article's lead when the page sets it in a
//! container of its own before the body. Prose paragraphs that the secondary reads right
//! before the first paragraph both share, and the primary lacks, are that lead and are put
//! back. Captions and consent banners are what else sits there: a caption ending in a credit
//! in parentheses or repeated (a gallery), and a paragraph naming cookies, are not taken.

use std::collections::hash_map::DefaultHasher;
use std::collections::HashSet;
use std::hash::{Hash, Hasher};

/// Word n-grams compared between the texts.
const SHINGLE: usize = 4;
/// Share of the secondary text's shingles that must occur in the primary for the two to be
/// taken as the same article.
const MIN_AGREEMENT: f64 = 0.7;
/// A paragraph with at least this share of its shingles absent from the secondary is its own.
const MIN_ABSENT: f64 = 0.5;
/// Leading paragraphs are trimmed only when short: headings, kickers, datelines, captions. A
/// lead put back is prose: longer than that.
const MAX_HEAD_WORDS: usize = 16;
/// A consent banner is the other prose that sits before an article, and it names cookies.
const BANNER_WORD: &str = "cookie";
/// How a paragraph of prose ends (a caption ending in a credit, "(AP Photo/…)", does not).
const SENTENCE_ENDS: [char; 9] = ['.', '!', '?', '。', '！', '？', '"', '”', '»'];

/// `primary` without the edge paragraphs that `secondary` does not confirm and with the lead
/// it missed, or `secondary` when the primary found nothing.
pub fn trim_to_agreement(primary: String, secondary: &str) -> String {
    let secondary_shingles: Vec<u64> = shingles(secondary);
    if primary.trim().is_empty() {
        return secondary.to_owned();
    }
    if secondary_shingles.is_empty() {
        return primary;
    }
    let confirmed: HashSet<u64> = shingles(&primary).into_iter().collect();
    let shared = secondary_shingles
        .iter()
        .filter(|s| confirmed.contains(s))
        .count();
    if (shared as f64) < MIN_AGREEMENT * secondary_shingles.len() as f64 {
        return primary;
    }
    let secondary_set: HashSet<u64> = secondary_shingles.into_iter().collect();
    let paragraphs: Vec<&str> = primary.split("\n\n").collect();
    let unconfirmed: Vec<bool> = paragraphs
        .iter()
        .map(|p| {
            let own = shingles(p);
            let absent = own.iter().filter(|s| !secondary_set.contains(s)).count();
            !own.is_empty() && absent as f64 >= MIN_ABSENT * own.len() as f64
        })
        .collect();
    let Some(last) = unconfirmed.iter().rposition(|u| !u) else {
        return primary;
    };
    let first = paragraphs[..last]
        .iter()
        .zip(&unconfirmed)
        .position(|(p, &u)| !u || word_count(p) > MAX_HEAD_WORDS)
        .unwrap_or(last);
    let trimmed = paragraphs[first..=last].join("\n\n");
    let lead = missed_lead(secondary, &confirmed, &trimmed);
    if lead.is_empty() {
        trimmed
    } else {
        format!("{}\n\n{trimmed}", lead.join("\n\n"))
    }
}

/// The prose paragraphs of `secondary` right before the first one it shares with `trimmed`
/// that the primary (its shingles `primary`) lacks, in reading order.
fn missed_lead<'a>(secondary: &'a str, primary: &HashSet<u64>, trimmed: &str) -> Vec<&'a str> {
    let kept: HashSet<u64> = shingles(trimmed).into_iter().collect();
    let within = |paragraph: &str, set: &HashSet<u64>| {
        let own = shingles(paragraph);
        let present = own.iter().filter(|s| set.contains(s)).count();
        !own.is_empty() && present as f64 >= MIN_ABSENT * own.len() as f64
    };
    let paragraphs: Vec<&str> = secondary
        .split("\n\n")
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .collect();
    let Some(shared) = paragraphs
        .iter()
        .position(|p| word_count(p) >= SHINGLE && within(p, &kept))
    else {
        return Vec::new();
    };
    let mut lead: Vec<&str> = paragraphs[..shared]
        .iter()
        .rev()
        .take_while(|p| {
            word_count(p) > MAX_HEAD_WORDS
                && p.ends_with(SENTENCE_ENDS)
                && paragraphs.iter().filter(|q| q == p).count() == 1
                && !p.to_lowercase().contains(BANNER_WORD)
                && !within(p, primary)
        })
        .copied()
        .collect();
    lead.reverse();
    lead
}

/// The words of `text`: runs of letters and digits, and each character of a script written
/// without spaces (Chinese, Japanese, Thai…) on its own, so that a paragraph of those scripts
/// has as many n-grams as its length and not one "word" a clause.
fn words(text: &str) -> impl Iterator<Item = &str> {
    let mut rest = text;
    std::iter::from_fn(move || {
        let start = rest.find(|c: char| c.is_alphanumeric())?;
        rest = &rest[start..];
        let first = rest.chars().next()?;
        let end = if unspaced(first) {
            first.len_utf8()
        } else {
            rest.find(|c: char| !c.is_alphanumeric() || unspaced(c))
                .unwrap_or(rest.len())
        };
        let (word, tail) = rest.split_at(end);
        rest = tail;
        Some(word)
    })
}

/// Whether `c` belongs to a script written without spaces between words.
fn unspaced(c: char) -> bool {
    matches!(c,
        '\u{0E00}'..='\u{0EFF}' // Thai, Lao
        | '\u{1000}'..='\u{109F}' // Myanmar
        | '\u{1780}'..='\u{17FF}' // Khmer
        | '\u{3040}'..='\u{30FF}' // Hiragana, Katakana
        | '\u{3100}'..='\u{312F}' // Bopomofo
        | '\u{3400}'..='\u{4DBF}' // CJK extension A
        | '\u{4E00}'..='\u{9FFF}' // CJK unified ideographs
        | '\u{F900}'..='\u{FAFF}' // CJK compatibility ideographs
        | '\u{FF66}'..='\u{FF9F}' // half-width Katakana
        | '\u{20000}'..='\u{3FFFF}' // CJK extensions B and after
    )
}

fn word_count(text: &str) -> usize {
    words(text).count()
}

/// Hashes of the lower-cased word n-grams of `text`; a text shorter than n words is one.
fn shingles(text: &str) -> Vec<u64> {
    let words: Vec<String> = words(text).map(str::to_lowercase).collect();
    if words.is_empty() {
        return Vec::new();
    }
    let hash = |window: &[String]| {
        let mut hasher = DefaultHasher::new();
        window.hash(&mut hasher);
        hasher.finish()
    };
    if words.len() < SHINGLE {
        return vec![hash(&words)];
    }
    words.windows(SHINGLE).map(hash).collect()
}

/// Whether `paragraph` only repeats the page title: most of its words are title words.
pub fn repeats_title(paragraph: &str, title: &str) -> bool {
    /// Share of the paragraph's words that must be title words.
    const MIN_TITLE_SHARE: f64 = 0.8;
    let title_words: HashSet<String> = words(title).map(str::to_lowercase).collect();
    let own: Vec<String> = words(paragraph).map(str::to_lowercase).collect();
    !own.is_empty()
        && !title_words.is_empty()
        && own.iter().filter(|w| title_words.contains(*w)).count() as f64
            >= MIN_TITLE_SHARE * own.len() as f64
}
