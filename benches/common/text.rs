//! Synthetic prose for the benchmarks: a deterministic generator and a Zipf vocabulary.

use std::collections::HashSet;

/// Made-up words of the vocabulary.
pub const VOCABULARY: usize = 50_000;

/// SplitMix64: a small deterministic generator, so that every run builds the same archives.
pub struct Rng(pub u64);

impl Rng {
    pub fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }
    pub fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
    pub fn unit(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }
}

/// Words drawn from a Zipf law (s = 1) over made-up French-looking words, as in prose: a few
/// words are everywhere, which fills some LSH buckets the way real text does.
pub struct Vocabulary {
    words: Vec<String>,
    cumulative: Vec<f64>,
}

impl Vocabulary {
    pub fn new() -> Vocabulary {
        const SYLLABLES: &[&str] = &[
            "ba", "be", "bi", "bo", "ca", "ce", "ci", "co", "da", "de", "di", "do", "fa", "fe",
            "fi", "fo", "ga", "ge", "gi", "go", "la", "le", "li", "lo", "ma", "me", "mi", "mo",
            "na", "ne", "ni", "no", "pa", "pe", "pi", "po", "ra", "re", "ri", "ro", "sa", "se",
            "si", "so", "ta", "te", "ti", "to", "va", "ve", "vi", "vo", "ré", "té", "çon", "ux",
        ];
        let mut rng = Rng(7);
        let mut seen = HashSet::new();
        let mut words = Vec::with_capacity(VOCABULARY);
        while words.len() < VOCABULARY {
            let n = 2 + rng.below(3);
            let word: String = (0..n)
                .map(|_| SYLLABLES[rng.below(SYLLABLES.len() as u64) as usize])
                .collect();
            if seen.insert(word.clone()) {
                words.push(word);
            }
        }
        let mut total = 0.0;
        let cumulative = (1..=VOCABULARY)
            .map(|rank| {
                total += 1.0 / rank as f64;
                total
            })
            .collect();
        Vocabulary { words, cumulative }
    }

    pub fn word(&self, rng: &mut Rng) -> &str {
        let total = self.cumulative[self.cumulative.len() - 1];
        let x = rng.unit() * total;
        let i = self.cumulative.partition_point(|&c| c < x);
        &self.words[i.min(self.words.len() - 1)]
    }

    /// The word of this rank (1 is the most frequent).
    pub fn at(&self, rank: usize) -> &str {
        &self.words[rank.clamp(1, self.words.len()) - 1]
    }

    pub fn sentence(&self, rng: &mut Rng, words: usize) -> String {
        (0..words)
            .map(|_| self.word(rng))
            .collect::<Vec<_>>()
            .join(" ")
    }
}
