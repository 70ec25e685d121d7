//! The offensive-language seed model: a TF-IDF vocabulary and calibrated
//! linear SVMs, exported from the `alt-profanity-check` package (MIT) by
//! `tools/export_offensive_model.py`, scored here exactly as the original
//! scores: words of two or more word characters, lower-cased; counts times
//! idf, scaled to unit length; each SVM's margin through its sigmoid
//! calibration; the mean of those probabilities.

use std::collections::HashMap;
use std::io::Read;
use std::sync::LazyLock;

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
    index: HashMap<String, u32>,
    idf: Vec<f64>,
    classifiers: Vec<Calibrated>,
}

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
        let Some(word) = WORD.as_ref() else {
            return 0.0;
        };
        let lower = text.to_lowercase();
        let mut counts: HashMap<u32, f64> = HashMap::new();
        for m in word.find_iter(&lower) {
            if let Some(i) = self.index.get(m.as_str()) {
                *counts.entry(*i).or_default() += 1.0;
            }
        }
        let mut vector: Vec<(usize, f64)> = counts
            .into_iter()
            .map(|(i, c)| (i as usize, c * self.idf[i as usize]))
            .collect();
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
