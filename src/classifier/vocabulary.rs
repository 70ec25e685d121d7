//! The offensive-language seed model: a TF-IDF vocabulary and calibrated
//! linear SVMs, exported from the `alt-profanity-check` package (MIT) by
//! `tools/export_offensive_model.py`, scored here exactly as the original
//! scores: words of two or more word characters, lower-cased; counts times
//! idf, scaled to unit length; each SVM's margin through its sigmoid
//! calibration; the mean of those probabilities.

use std::collections::HashMap;
use std::io::Read;
#[cfg(test)]
use std::sync::LazyLock;

#[cfg(test)]
use regex::Regex;
use serde::Deserialize;

#[derive(Debug, Deserialize)]
struct Export {
    model: String,
    version: String,
    vocabulary: Vec<String>,
    idf: Vec<f64>,
    classifiers: Vec<Calibrated>,
}

#[derive(Debug, Deserialize)]
struct Calibrated {
    coef: Vec<f64>,
    intercept: f64,
    a: f64,
    b: f64,
}

/// The model, ready to score.
#[derive(Debug)]
pub struct VocabularyModel {
    pub id: String,
    index: HashMap<String, u32, std::hash::BuildHasherDefault<Fnv>>,
    idf: Vec<f64>,
    classifiers: Vec<Calibrated>,
}

/// FNV-1a for the vocabulary: short keys, no adversary (the table is
/// fixed), so a fast hash beats a keyed one.
#[derive(Default)]
pub struct Fnv(u64);

impl std::hash::Hasher for Fnv {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        let mut h = if self.0 == 0 {
            0xcbf2_9ce4_8422_2325
        } else {
            self.0
        };
        for b in bytes {
            h ^= u64::from(*b);
            h = h.wrapping_mul(0x0100_0000_01b3);
        }
        self.0 = h;
    }
}

/// Calls `f` on every run of two or more word characters (letters,
/// digits, marks and `_`): what the pattern `\b\w\w+\b` finds, without a
/// regex on the hot path.
fn for_each_word(text: &str, mut f: impl FnMut(&str)) {
    let mut start = None;
    let mut chars = 0;
    for (i, c) in text.char_indices() {
        if c.is_alphanumeric() || c == '_' || is_mark(c) {
            if start.is_none() {
                start = Some(i);
                chars = 0;
            }
            chars += 1;
        } else if let Some(s) = start.take()
            && chars >= 2
        {
            f(&text[s..i]);
        }
    }
    if let Some(s) = start
        && chars >= 2
    {
        f(&text[s..]);
    }
}

fn is_mark(c: char) -> bool {
    matches!(c, '\u{300}'..='\u{36f}')
}

/// The regex the hand-written tokeniser stands for, kept as its oracle.
#[cfg(test)]
static WORD: LazyLock<Option<Regex>> = LazyLock::new(|| Regex::new(r"\b\w\w+\b").ok());

impl VocabularyModel {
    /// Loads the gzipped JSON export.
    pub fn from_gzip(bytes: &[u8]) -> Result<Self, String> {
        let mut json = String::new();
        flate2::read::GzDecoder::new(bytes)
            .read_to_string(&mut json)
            .map_err(|e| format!("offensive model: {e}"))?;
        let export: Export =
            serde_json::from_str(&json).map_err(|e| format!("offensive model: {e}"))?;
        let size = export.vocabulary.len();
        if export.idf.len() != size || export.classifiers.iter().any(|c| c.coef.len() != size) {
            return Err("offensive model: vocabulary, idf and weights differ in size".to_owned());
        }
        Ok(Self {
            id: format!("{}@{}", export.model, export.version),
            index: export
                .vocabulary
                .into_iter()
                .enumerate()
                .map(|(i, w)| (w, i as u32))
                .collect(),
            idf: export.idf,
            classifiers: export.classifiers,
        })
    }

    pub fn vocabulary_size(&self) -> usize {
        self.idf.len()
    }

    /// The probability that `text` is offensive.
    pub fn predict(&self, text: &str) -> f64 {
        self.predict_lowercase(&text.to_lowercase())
    }

    /// [`VocabularyModel::predict`] of text already in lower case, such
    /// as the normalised text.
    pub fn predict_lowercase(&self, lower: &str) -> f64 {
        let mut found: Vec<u32> = Vec::new();
        for_each_word(lower, |w| {
            if let Some(i) = self.index.get(w) {
                found.push(*i);
            }
        });
        found.sort_unstable();
        let mut vector: Vec<(usize, f64)> = Vec::with_capacity(found.len());
        for chunk in found.chunk_by(|a, b| a == b) {
            let i = chunk[0] as usize;
            vector.push((i, chunk.len() as f64 * self.idf[i]));
        }
        let norm = vector.iter().map(|(_, v)| v * v).sum::<f64>().sqrt();
        if norm > 0.0 {
            for (_, v) in &mut vector {
                *v /= norm;
            }
        }
        let total: f64 = self
            .classifiers
            .iter()
            .map(|c| {
                let margin = vector
                    .iter()
                    .fold(c.intercept, |acc, (i, v)| acc + c.coef[*i] * v);
                1.0 / (1.0 + (c.a * margin + c.b).exp())
            })
            .sum();
        total / self.classifiers.len().max(1) as f64
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokeniser_agrees_with_the_pattern() {
        let word = WORD.as_ref().expect("regex");
        for text in [
            "you are a moron!!! go_away now, x y zz",
            "naïve café résumé 2024 élan",
            "a b c",
            "  don't   stop—ever_ ",
            "",
        ] {
            let lower = text.to_lowercase();
            let expected: Vec<&str> = word.find_iter(&lower).map(|m| m.as_str()).collect();
            let mut got = Vec::new();
            for_each_word(&lower, |w| got.push(w.to_owned()));
            assert_eq!(got, expected, "{text}");
        }
    }

    #[test]
    fn scores_as_the_original_package_does() {
        let model =
            VocabularyModel::from_gzip(include_bytes!("../../models/offensive-seed.json.gz"))
                .expect("the shipped model loads");
        assert_eq!(model.vocabulary_size(), 15_442);
        // Printed by tools/export_offensive_model.py from the package's own
        // predict_prob.
        let expected = [
            (
                0.002572794296425871,
                "Thanks for the thoughtful article about the council budget.",
            ),
            (0.9999984166299603, "You are a complete idiot and a moron."),
            (
                0.9999990587260594,
                "What the fuck is wrong with you, shithead?",
            ),
            (
                0.03310237017969811,
                "I disagree with the mayor, but the piece is fair.",
            ),
            (0.9999998012339555, "Go to hell, you stupid bastard."),
        ];
        for (probability, sentence) in expected {
            let got = model.predict(sentence);
            assert!(
                (got - probability).abs() < 1e-9,
                "{sentence}: {got} vs {probability}"
            );
        }
    }
}
