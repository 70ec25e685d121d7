//! Hashed features of a comment for the built-in model: word 1- and
//! 2-grams and character 2- to 5-grams over the normalised text (the same
//! folding the rule engine matches against, so "fr33 m0ney" and "free
//! money" look alike), weighted 1 + ln(tf) and scaled to unit length.
//!
//! Hashing is FNV-1a over the bytes, seeded per kind of feature. The
//! numbers are part of every stored model, so they must never change:
//! `hashing_is_stable` pins them.

use crate::rules::normalise::normalize;

/// Feature indices are this many bits wide: 2^18 buckets.
pub const DIMENSION_BITS: u32 = 18;
pub const DIMENSIONS: usize = 1 << DIMENSION_BITS;

const FNV_PRIME: u32 = 0x0100_0193;
const WORD_SEED: u32 = 0x811c_9dc5;
const BIGRAM_SEED: u32 = 0x2f6b_1c37;
const CHAR_SEED: u32 = 0x5bd1_e995;

/// A sparse unit vector: distinct indices, in the order their features
/// first appear in the text, and their weights.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Features {
    pub indices: Vec<u32>,
    pub values: Vec<f32>,
}

impl Features {
    pub fn len(&self) -> usize {
        self.indices.len()
    }

    pub fn is_empty(&self) -> bool {
        self.indices.is_empty()
    }

    /// The same vector with its indices in ascending order, for comparing.
    pub fn sorted(&self) -> Self {
        let mut pairs: Vec<(u32, f32)> = self
            .indices
            .iter()
            .copied()
            .zip(self.values.iter().copied())
            .collect();
        pairs.sort_unstable_by_key(|(i, _)| *i);
        Self {
            indices: pairs.iter().map(|(i, _)| *i).collect(),
            values: pairs.iter().map(|(_, v)| *v).collect(),
        }
    }

    pub fn iter(&self) -> impl Iterator<Item = (usize, f32)> + '_ {
        self.indices
            .iter()
            .zip(&self.values)
            .map(|(i, v)| (*i as usize, *v))
    }
}

#[inline]
fn fnv(mut hash: u32, bytes: &[u8]) -> u32 {
    for b in bytes {
        hash ^= u32::from(*b);
        hash = hash.wrapping_mul(FNV_PRIME);
    }
    hash
}

#[inline]
fn bucket(hash: u32) -> u32 {
    // The top bits of FNV mix better than the bottom ones.
    hash >> (32 - DIMENSION_BITS)
}

/// The features of `text` as written; normalises it first.
pub fn featurize(text: &str) -> Features {
    featurize_normalised(&normalize(text).text)
}

/// The features of text that is already normalised.
pub fn featurize_normalised(text: &str) -> Features {
    with_counter(|counts| {
        count_features(text, counts);
        counts.take_features()
    })
}

fn count_features(text: &str, counts: &mut Counter) {
    // Words: runs of letters and digits.
    let mut previous: Option<&str> = None;
    for word in text
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
    {
        counts.add(bucket(fnv(WORD_SEED, word.as_bytes())));
        if let Some(prev) = previous {
            let h = fnv(BIGRAM_SEED, prev.as_bytes());
            let h = fnv(h, b" ");
            counts.add(bucket(fnv(h, word.as_bytes())));
        }
        previous = Some(word);
    }

    // Characters: every run of 2 to 5 characters, spaces included, with
    // the text's ends marked by a space so first and last letters count.
    let trimmed = text.trim();
    if trimmed.is_empty() {
        return;
    }
    let padded = format!(" {trimmed} ");
    if padded.is_ascii() {
        ascii_char_grams(padded.as_bytes(), counts);
    } else {
        char_grams(&padded, counts);
    }
}

/// Character grams of ASCII text: one byte per character, so the grams
/// are byte windows.
fn ascii_char_grams(bytes: &[u8], counts: &mut Counter) {
    for first in 0..bytes.len() {
        let mut hash = CHAR_SEED;
        let last = (first + 5).min(bytes.len());
        for (n, b) in bytes[first..last].iter().enumerate() {
            hash ^= u32::from(*b);
            hash = hash.wrapping_mul(FNV_PRIME);
            if n >= 1 {
                counts.add(bucket(hash));
            }
        }
    }
}

/// Character grams of any text.
fn char_grams(text: &str, counts: &mut Counter) {
    let mut starts = std::mem::take(&mut counts.starts);
    starts.clear();
    starts.extend(text.char_indices().map(|(i, _)| i));
    starts.push(text.len());
    let bytes = text.as_bytes();
    let chars = starts.len() - 1;
    for first in 0..chars {
        let mut hash = CHAR_SEED;
        for n in 1..=5.min(chars - first) {
            hash = fnv(hash, &bytes[starts[first + n - 1]..starts[first + n]]);
            if n >= 2 {
                counts.add(bucket(hash));
            }
        }
    }
    counts.starts = starts;
}

/// Counts per bucket in a dense array the size of the feature space,
/// kept per thread and cleared after each use: one increment per feature,
/// no hashing or probing. The touched buckets are listed in the order
/// they were first seen.
struct Counter {
    // One byte per counter keeps the whole array at 256 KB, in cache.
    counts: Vec<u8>,
    touched: Vec<u32>,
    /// Character offsets of the text being counted, reused.
    starts: Vec<usize>,
}

thread_local! {
    static SCRATCH: std::cell::RefCell<Option<Counter>> = const { std::cell::RefCell::new(None) };
}

impl Counter {
    fn new() -> Self {
        Self {
            counts: vec![0; DIMENSIONS],
            touched: Vec::new(),
            starts: Vec::new(),
        }
    }

    #[inline]
    fn add(&mut self, key: u32) {
        let count = &mut self.counts[key as usize];
        if *count == 0 {
            self.touched.push(key);
        }
        *count = count.saturating_add(1);
    }

    /// The vector, leaving the counter empty for the next text.
    fn take_features(&mut self) -> Features {
        let mut indices = Vec::with_capacity(self.touched.len());
        let mut values = Vec::with_capacity(self.touched.len());
        let mut norm = 0.0f32;
        for key in self.touched.drain(..) {
            let count = std::mem::take(&mut self.counts[key as usize]);
            let v = log_count(u32::from(count));
            norm += v * v;
            indices.push(key);
            values.push(v);
        }
        let scale = if norm > 0.0 { 1.0 / norm.sqrt() } else { 0.0 };
        for v in &mut values {
            *v *= scale;
        }
        Features { indices, values }
    }
}

/// Runs `f` with this thread's counter.
fn with_counter(f: impl FnOnce(&mut Counter) -> Features) -> Features {
    SCRATCH.with(|cell| {
        let mut slot = cell.borrow_mut();
        let counter = slot.get_or_insert_with(Counter::new);
        f(counter)
    })
}

/// 1 + ln(n), from a table for the small counts nearly all features have.
fn log_count(count: u32) -> f32 {
    static TABLE: std::sync::LazyLock<[f32; 16]> =
        std::sync::LazyLock::new(|| std::array::from_fn(|i| 1.0 + ((i + 1) as f32).ln()));
    match TABLE.get(count as usize - 1) {
        Some(v) => *v,
        None => 1.0 + (count as f32).ln(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashing_is_stable() {
        // These numbers are baked into every stored model.
        // FNV-1a as published: "spam" from the standard offset basis.
        assert_eq!(fnv(WORD_SEED, b"spam"), 0x2601_7e08);
        assert_eq!(bucket(fnv(WORD_SEED, b"spam")), 38_917);
        let f = featurize("Free money");
        let again = featurize("FREE   money");
        assert_eq!(f, again, "normalised first, and in the same order");
        assert_eq!(f.indices.iter().min().copied(), Some(FIRST_INDEX));
        assert_eq!(f.len(), FEATURE_COUNT);
    }

    // "free money": 2 words, 1 bigram, and the 38 character grams of
    // " free money " (11 + 10 + 9 + 8), all distinct; figures from an
    // independent re-implementation of the scheme.
    const FEATURE_COUNT: usize = 41;
    const FIRST_INDEX: u32 = 2_885;

    #[test]
    fn vectors_have_unit_length_and_log_counts() {
        let f = featurize("spam spam spam spam eggs").sorted();
        let norm: f32 = f.values.iter().map(|v| v * v).sum::<f32>().sqrt();
        assert!((norm - 1.0).abs() < 1e-5, "{norm}");
        assert!(f.indices.windows(2).all(|w| w[0] < w[1]));
        let spam = f.indices.binary_search(&bucket(fnv(WORD_SEED, b"spam")));
        let eggs = f.indices.binary_search(&bucket(fnv(WORD_SEED, b"eggs")));
        let (spam, eggs) = (f.values[spam.expect("spam")], f.values[eggs.expect("eggs")]);
        assert!(((spam / eggs) - (1.0 + 4f32.ln())).abs() < 1e-4);
        assert!(featurize("").is_empty());
        assert!(featurize(" \n ").is_empty());
    }

    #[test]
    fn ascii_and_general_paths_agree() {
        let text = " the cafe is open, call 555 0199 now! ";
        let mut counter = Counter::new();
        ascii_char_grams(text.as_bytes(), &mut counter);
        let fast = counter.take_features();
        char_grams(text, &mut counter);
        let general = counter.take_features();
        assert_eq!(fast, general);
        assert!(!fast.is_empty());
    }

    #[test]
    fn log_counts_match_ln() {
        for n in 1..40u32 {
            assert!((log_count(n) - (1.0 + (n as f32).ln())).abs() < 1e-6, "{n}");
        }
    }

    #[test]
    fn look_alikes_share_features() {
        assert_eq!(
            featurize("fr33 m0ney").sorted(),
            featurize("free money").sorted()
        );
    }
}
