//! Choosing between two extractors' texts of one page by how far they agree.
//!
//! Both extractors err on the side of keeping too much (related links, page chrome), and
//! rarely in the same place. When the shorter text is almost wholly contained in the longer
//! one, the longer one's surplus is what only one extractor believed in: the shorter text
//! is kept. Otherwise they disagree on what the article is, and the primary is trusted.

use std::collections::HashMap;

/// Word n-grams compared between the texts.
const SHINGLE: usize = 4;
/// Share of the shorter text's shingles that must occur in the longer one.
const MIN_CONTAINMENT: f64 = 0.8;

/// The text to keep of `primary` and `secondary`.
pub fn choose(primary: String, secondary: String) -> String {
    let primary_shingles = shingles(&primary);
    let secondary_shingles = shingles(&secondary);
    let primary_len: usize = primary_shingles.values().sum();
    let secondary_len: usize = secondary_shingles.values().sum();
    if primary_len == 0 {
        return secondary;
    }
    if secondary_len == 0 || secondary_len >= primary_len {
        return primary;
    }
    let shared: usize = secondary_shingles
        .iter()
        .map(|(shingle, &count)| count.min(primary_shingles.get(shingle).copied().unwrap_or(0)))
        .sum();
    if shared as f64 >= MIN_CONTAINMENT * secondary_len as f64 {
        secondary
    } else {
        primary
    }
}

/// Multiset of lower-cased word n-grams; a text shorter than n words is one shingle.
fn shingles(text: &str) -> HashMap<Vec<String>, usize> {
    let words: Vec<String> = text
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect();
    let mut counts = HashMap::new();
    if words.is_empty() {
        return counts;
    }
    if words.len() < SHINGLE {
        counts.insert(words, 1);
        return counts;
    }
    for window in words.windows(SHINGLE) {
        *counts.entry(window.to_vec()).or_insert(0) += 1;
    }
    counts
}
