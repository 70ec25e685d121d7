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

/// A sparse unit vector: sorted, distinct indices and their weights.
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
    let mut counts = Counter::with_capacity(text.len() * 4 + 16);

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
        return counts.into_features();
    }
    let padded = format!(" {trimmed} ");
    let mut starts: Vec<usize> = padded.char_indices().map(|(i, _)| i).collect();
    starts.push(padded.len());
    let bytes = padded.as_bytes();
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

    counts.into_features()
}

/// Counts per bucket in a small open-addressed table: far cheaper than a
/// general map for the few thousand features of a comment.
struct Counter {
    keys: Vec<u32>,
    counts: Vec<u32>,
    mask: usize,
    used: usize,
}

const EMPTY: u32 = u32::MAX;

impl Counter {
    fn with_capacity(expected: usize) -> Self {
        let size = (expected * 2).next_power_of_two().max(64);
        Self {
            keys: vec![EMPTY; size],
            counts: vec![0; size],
            mask: size - 1,
            used: 0,
        }
    }

    #[inline]
    fn add(&mut self, key: u32) {
        let mut slot = (key.wrapping_mul(0x9e37_79b9) as usize) & self.mask;
        loop {
            let k = self.keys[slot];
            if k == key {
                self.counts[slot] += 1;
                return;
            }
            if k == EMPTY {
                self.keys[slot] = key;
                self.counts[slot] = 1;
                self.used += 1;
                if self.used * 2 > self.keys.len() {
                    self.grow();
                }
                return;
            }
            slot = (slot + 1) & self.mask;
        }
    }

    fn grow(&mut self) {
        let old_keys = std::mem::take(&mut self.keys);
        let old_counts = std::mem::take(&mut self.counts);
        let size = old_keys.len() * 2;
        self.keys = vec![EMPTY; size];
        self.counts = vec![0; size];
        self.mask = size - 1;
        self.used = 0;
        for (k, c) in old_keys.into_iter().zip(old_counts) {
            if k != EMPTY {
                let mut slot = (k.wrapping_mul(0x9e37_79b9) as usize) & self.mask;
                while self.keys[slot] != EMPTY {
                    slot = (slot + 1) & self.mask;
                }
                self.keys[slot] = k;
                self.counts[slot] = c;
                self.used += 1;
            }
        }
    }

    fn into_features(self) -> Features {
        let mut pairs: Vec<(u32, f32)> = self
            .keys
            .iter()
            .zip(&self.counts)
            .filter(|(k, _)| **k != EMPTY)
            .map(|(k, c)| (*k, 1.0 + (*c as f32).ln()))
            .collect();
        pairs.sort_unstable_by_key(|(k, _)| *k);
        let norm = pairs.iter().map(|(_, v)| v * v).sum::<f32>().sqrt();
        let scale = if norm > 0.0 { 1.0 / norm } else { 0.0 };
        Features {
            indices: pairs.iter().map(|(k, _)| *k).collect(),
            values: pairs.iter().map(|(_, v)| v * scale).collect(),
        }
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
        assert_eq!(f, again, "normalised first");
        assert_eq!(f.indices.first().copied(), Some(FIRST_INDEX));
        assert_eq!(f.len(), FEATURE_COUNT);
    }

    // "free money": 2 words, 1 bigram, and the 38 character grams of
    // " free money " (11 + 10 + 9 + 8), all distinct; figures from an
    // independent re-implementation of the scheme.
    const FEATURE_COUNT: usize = 41;
    const FIRST_INDEX: u32 = 2_885;

    #[test]
    fn vectors_have_unit_length_and_log_counts() {
        let f = featurize("spam spam spam spam eggs");
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
    fn look_alikes_share_features() {
        assert_eq!(featurize("fr33 m0ney"), featurize("free money"));
    }
}
