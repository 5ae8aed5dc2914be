//! The LSH index, in memory: which fingerprinted articles share a band key with a new one.
//! Pure like the rest of `cluster`: the store fills it from the fingerprints it keeps (the band
//! keys are derived from the signatures, never stored) and asks it for candidates.
//!
//! One open-addressing table a band: a slot holds the position of an article in `entries`, and
//! the value it stands for is read from that article's signatures when probed, so a slot costs
//! 4 bytes. A key found in more than [`BUCKET_LIMIT`] articles keeps the most recent ones
//! (highest ids): a shingle of a source's template that escaped boilerplate fills a bucket, and
//! must not make every article a candidate of every other.

use super::{mix, Candidate, Features, LEAD_BANDS, TEXT_BANDS};
use std::collections::HashMap;

/// Articles kept per band key: the most recent (highest ids).
pub const BUCKET_LIMIT: usize = 64;
/// Candidates compared with a new article, those sharing the most band keys first.
pub const MAX_CANDIDATES: usize = 32;

const EMPTY: u32 = u32::MAX;
/// Slots of a band's table when it is first used (a power of two). A table doubles when three
/// quarters of it are used: the tables of a run of 18,000 articles take 6 MB (12 at half).
const FIRST_SLOTS: usize = 1024;

/// Fingerprinted articles and their band keys.
pub struct Index {
    entries: Entries,
    by_id: HashMap<i64, u32>,
    bands: Vec<Band>,
}

struct Entry {
    id: i64,
    story: i64,
    features: Features,
}

/// The entries, in pages of [`PAGE`] that never move: a vector doubling as it grows would
/// hold twice the entries (600 bytes each) at its peak.
#[derive(Default)]
struct Entries {
    pages: Vec<Vec<Entry>>,
    len: usize,
}

const PAGE: usize = 1024;

impl Entries {
    fn push(&mut self, entry: Entry) -> u32 {
        if self.len.is_multiple_of(PAGE) {
            self.pages.push(Vec::with_capacity(PAGE));
        }
        if let Some(page) = self.pages.last_mut() {
            page.push(entry);
        }
        self.len += 1;
        u32::try_from(self.len - 1).unwrap_or(EMPTY - 1)
    }

    fn iter_mut(&mut self) -> impl Iterator<Item = &mut Entry> {
        self.pages.iter_mut().flatten()
    }
}

impl std::ops::Index<u32> for Entries {
    type Output = Entry;
    fn index(&self, at: u32) -> &Entry {
        &self.pages[at as usize / PAGE][at as usize % PAGE]
    }
}

impl std::ops::IndexMut<u32> for Entries {
    fn index_mut(&mut self, at: u32) -> &mut Entry {
        &mut self.pages[at as usize / PAGE][at as usize % PAGE]
    }
}

/// One band's open-addressing table (linear probing): positions in `entries`, `EMPTY` for none.
#[derive(Default)]
struct Band {
    slots: Vec<u32>,
    used: usize,
}

impl Index {
    pub fn new() -> Index {
        Index {
            entries: Entries::default(),
            by_id: HashMap::new(),
            bands: (0..TEXT_BANDS).map(|_| Band::default()).collect(),
        }
    }

    pub fn contains(&self, id: i64) -> bool {
        self.by_id.contains_key(&id)
    }

    /// Index article `id` of `story` (or replace what was indexed of it: an article updated in
    /// place keeps its place, and its former keys no longer find it).
    pub fn insert(&mut self, id: i64, story: i64, features: Features) {
        let at = match self.by_id.get(&id) {
            Some(&at) => {
                let entry = &mut self.entries[at];
                entry.story = story;
                entry.features = features;
                at
            }
            None => {
                let at = self.entries.push(Entry {
                    id,
                    story,
                    features,
                });
                self.by_id.insert(id, at);
                at
            }
        };
        for band in 0..TEXT_BANDS {
            let (current, n) = values(&self.entries[at].features, band);
            for &value in &current[..n] {
                self.put(band, value, at);
            }
        }
    }

    /// The indexed articles sharing at least one band key with `features`, but `exclude`: the
    /// [`MAX_CANDIDATES`] sharing the most keys (then the most recent).
    pub fn candidates(&self, features: &Features, exclude: i64) -> Vec<Candidate<'_>> {
        let mut shared = HashMap::<u32, usize>::new();
        let mut found = Vec::new();
        for band in 0..TEXT_BANDS {
            let (current, n) = values(features, band);
            for &value in &current[..n] {
                found.clear();
                self.find(band, value, &mut found);
                found.sort_unstable();
                found.dedup();
                for &at in &found {
                    if self.entries[at].id != exclude {
                        *shared.entry(at).or_default() += 1;
                    }
                }
            }
        }
        let mut ranked: Vec<(u32, usize)> = shared.into_iter().collect();
        let id = |at: u32| self.entries[at].id;
        ranked.sort_unstable_by_key(|&(at, n)| (std::cmp::Reverse(n), std::cmp::Reverse(id(at))));
        ranked.truncate(MAX_CANDIDATES);
        ranked
            .into_iter()
            .map(|(at, _)| {
                let entry = &self.entries[at];
                Candidate {
                    id: entry.id,
                    story: entry.story,
                    features: &entry.features,
                }
            })
            .collect()
    }

    /// Article `id` is now in `story`.
    pub fn set_story(&mut self, id: i64, story: i64) {
        if let Some(&at) = self.by_id.get(&id) {
            self.entries[at].story = story;
        }
    }

    /// Every indexed member of story `from` is now in story `into`.
    pub fn merge_story(&mut self, from: i64, into: i64) {
        for entry in self.entries.iter_mut().filter(|e| e.story == from) {
            entry.story = into;
        }
    }

    /// Positions of the articles whose values in `band` include `value`, pushed onto `found`
    /// (an article indexed under two values that probe into each other may come twice).
    fn find(&self, band: usize, value: u32, found: &mut Vec<u32>) {
        let table = &self.bands[band];
        if table.slots.is_empty() {
            return;
        }
        let mask = table.slots.len() - 1;
        let mut slot = start(band, value, mask);
        while table.slots[slot] != EMPTY {
            let at = table.slots[slot];
            if self.has_value(at, band, value) {
                found.push(at);
            }
            slot = (slot + 1) & mask;
        }
    }

    fn has_value(&self, at: u32, band: usize, value: u32) -> bool {
        let (values, n) = values(&self.entries[at].features, band);
        values[..n].contains(&value)
    }

    /// Put article `at` under `value` in `band`, unless it is there already. A full bucket
    /// gives its least recent article's slot to a more recent one.
    fn put(&mut self, band: usize, value: u32, at: u32) {
        if self.bands[band].used * 4 >= self.bands[band].slots.len() * 3 {
            self.grow(band);
        }
        let id = self.entries[at].id;
        let table = &self.bands[band];
        let mask = table.slots.len() - 1;
        let mut slot = start(band, value, mask);
        let mut in_bucket = 0;
        let mut oldest: Option<(i64, usize)> = None;
        while table.slots[slot] != EMPTY {
            let other = table.slots[slot];
            if other == at {
                // Already under this value, or under an older value of its own that probes
                // here: a slot of its own is enough either way.
                if self.has_value(at, band, value) {
                    return;
                }
            } else if self.has_value(other, band, value) {
                in_bucket += 1;
                let other_id = self.entries[other].id;
                if oldest.is_none_or(|(o, _)| other_id < o) {
                    oldest = Some((other_id, slot));
                }
            }
            slot = (slot + 1) & mask;
        }
        let table = &mut self.bands[band];
        match oldest {
            Some((oldest_id, oldest_slot)) if in_bucket >= BUCKET_LIMIT => {
                if oldest_id < id {
                    table.slots[oldest_slot] = at;
                }
            }
            _ => {
                table.slots[slot] = at;
                table.used += 1;
            }
        }
    }

    /// Double a band's table, keeping each article under its current values only.
    fn grow(&mut self, band: usize) {
        let size = (self.bands[band].slots.len() * 2).max(FIRST_SLOTS);
        let old = std::mem::replace(
            &mut self.bands[band],
            Band {
                slots: vec![EMPTY; size],
                used: 0,
            },
        );
        let mut positions: Vec<u32> = old.slots.into_iter().filter(|&s| s != EMPTY).collect();
        positions.sort_unstable();
        positions.dedup();
        for at in positions {
            let (current, n) = values(&self.entries[at].features, band);
            for &value in &current[..n] {
                self.put(band, value, at);
            }
        }
    }
}

impl Default for Index {
    fn default() -> Self {
        Index::new()
    }
}

// A band is one signature value: equal keys are equal values, compared without hashing.
const _: () = assert!(super::ROWS_PER_BAND == 1);

/// The values of `features` in `band` (its key is the value's, see [`super::band_keys`]): its
/// text signature's, and its lead's when it has a lead of its own with another value there.
/// None for an empty text.
fn values(features: &Features, band: usize) -> ([u32; 2], usize) {
    if features.shingles == 0 {
        return ([0; 2], 0);
    }
    let text = features.text.0[band];
    match features.lead.as_ref().filter(|_| band < LEAD_BANDS) {
        Some(lead) if lead.0[band] != text => ([text, lead.0[band]], 2),
        _ => ([text, 0], 1),
    }
}

/// The slot where probing for `value` of `band` starts.
fn start(band: usize, value: u32, mask: usize) -> usize {
    (mix((band as u64) << 32 | u64::from(value)) >> 32) as usize & mask
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A text of `words` made-up words drawn from `seed`: texts of other seeds share no shingle.
    fn text(seed: u64, words: usize) -> String {
        let mut state = seed.wrapping_mul(0x9e37_79b9_7f4a_7c15) | 1;
        (0..words)
            .map(|_| {
                state ^= state << 13;
                state ^= state >> 7;
                state ^= state << 17;
                format!("mot{}", state % 100_000)
            })
            .collect::<Vec<_>>()
            .join(" ")
    }

    fn features(text: &str) -> Features {
        Features::new("Titre", text, None, |_| false)
    }

    fn ids(candidates: &[Candidate]) -> Vec<i64> {
        candidates.iter().map(|c| c.id).collect()
    }

    #[test]
    fn a_full_bucket_keeps_its_most_recent_articles() {
        let mut index = Index::new();
        let same = features(&text(1, 200));
        // Out of order, as a run that loads an older date range after writing new articles.
        let mut order: Vec<i64> = (1..=100).collect();
        order.reverse();
        order.rotate_left(30);
        for &id in &order {
            index.insert(id, id, same.clone());
        }
        for band in 0..TEXT_BANDS {
            let (current, n) = values(&same, band);
            for &value in &current[..n] {
                let mut found = Vec::new();
                index.find(band, value, &mut found);
                let mut found: Vec<i64> = found.iter().map(|&at| index.entries[at].id).collect();
                found.sort_unstable();
                found.dedup();
                assert_eq!(found, (37..=100).collect::<Vec<_>>(), "band {band}");
            }
        }
        let candidates = index.candidates(&same, 100);
        assert_eq!(ids(&candidates), (68..=99).rev().collect::<Vec<_>>());
    }

    #[test]
    fn candidates_share_keys_the_most_shared_first_and_never_the_article_itself() {
        let mut index = Index::new();
        let original = text(2, 300);
        let words: Vec<&str> = original.split(' ').collect();
        // Most of the text, then a tenth of it in another text.
        let copy = words[..270].join(" ");
        let quote = format!("{} {}", text(3, 300), words[..30].join(" "));
        index.insert(1, 1, features(&original));
        index.insert(2, 2, features(&copy));
        index.insert(3, 3, features(&quote));
        index.insert(4, 4, features(&text(4, 300)));
        let found = index.candidates(&features(&original), 1);
        assert_eq!(ids(&found)[0], 2, "{:?}", ids(&found));
        assert!(!ids(&found).contains(&1));
        assert!(!ids(&found).contains(&4), "unrelated text");
        let empty = features("");
        index.insert(5, 5, empty.clone());
        assert!(
            index.candidates(&empty, 0).is_empty(),
            "an empty text has no keys"
        );
    }

    #[test]
    fn an_article_indexed_again_is_found_by_its_new_keys_and_stories_follow() {
        let mut index = Index::new();
        let (first, second) = (features(&text(5, 200)), features(&text(6, 200)));
        index.insert(1, 1, first.clone());
        index.insert(2, 2, first.clone());
        index.insert(1, 7, second.clone());
        assert_eq!(ids(&index.candidates(&first, 0)), [2]);
        assert_eq!(ids(&index.candidates(&second, 0)), [1]);
        assert_eq!(index.entries.len, 2);
        index.insert(3, 3, second.clone());
        index.merge_story(7, 3);
        index.set_story(2, 3);
        let stories: Vec<i64> = index
            .candidates(&second, 0)
            .iter()
            .map(|c| c.story)
            .collect();
        assert_eq!(stories, [3, 3]);
        assert_eq!(index.candidates(&first, 0)[0].story, 3);
    }

    #[test]
    fn every_article_is_found_again_after_the_tables_grow() {
        let mut index = Index::new();
        let all: Vec<Features> = (0..3000).map(|n| features(&text(100 + n, 60))).collect();
        for (id, f) in all.iter().enumerate() {
            index.insert(id as i64, id as i64, f.clone());
        }
        assert!(index.bands.iter().all(|b| b.slots.len() > FIRST_SLOTS));
        for (id, f) in all.iter().enumerate() {
            let found = index.candidates(f, -1);
            assert_eq!(found.first().map(|c| c.id), Some(id as i64));
        }
    }
}
