//! Fitting the built-in model to labelled text and measuring it by
//! cross-validation.

use super::features::{Features, featurize};
use super::linear::{LinearModel, TrainOptions};
use super::metrics::{Metrics, evaluate, fold_assignment};

/// A text and whether it shows the attribute.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LabelledText {
    pub text: String,
    pub positive: bool,
}

/// Reads `label<TAB>text` lines. Labels `spam`, `1`, `true`, `yes`,
/// `offensive`, `toxic` and `reject(ed)` are positive; `ham`, `0`,
/// `false`, `no`, `clean`, `ok` and `approve(d)` negative.
pub fn read_tsv(content: &str) -> Result<Vec<LabelledText>, String> {
    let mut out = Vec::new();
    for (n, line) in content.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let (label, text) = line
            .split_once('\t')
            .ok_or_else(|| format!("line {}: expected label<TAB>text", n + 1))?;
        let positive = match label.trim().to_ascii_lowercase().as_str() {
            "spam" | "1" | "true" | "yes" | "offensive" | "toxic" | "reject" | "rejected" => true,
            "ham" | "0" | "false" | "no" | "clean" | "ok" | "approve" | "approved" => false,
            other => return Err(format!("line {}: unknown label {other:?}", n + 1)),
        };
        out.push(LabelledText {
            text: text.to_owned(),
            positive,
        });
    }
    Ok(out)
}

fn featurized(examples: &[LabelledText]) -> Vec<(Features, bool)> {
    examples
        .iter()
        .map(|e| (featurize(&e.text), e.positive))
        .collect()
}

/// Fits a model to all of `examples`.
pub fn fit(
    examples: &[LabelledText],
    options: TrainOptions,
    progress: impl FnMut(usize, usize),
) -> LinearModel {
    LinearModel::train(&featurized(examples), options, progress)
}

/// The pooled result of k-fold cross-validation, and each fold's.
#[derive(Debug, Clone)]
pub struct CrossValidation {
    pub pooled: Metrics,
    pub folds: Vec<Metrics>,
}

/// Trains on all folds but one and scores the one left out, for each
/// fold in turn; scores are pooled for the overall figures. Examples are
/// featurised once. `progress` hears after each fold.
pub fn cross_validate(
    examples: &[LabelledText],
    folds: usize,
    options: TrainOptions,
    progress: impl FnMut(usize, usize),
) -> CrossValidation {
    cross_validate_features(&featurized(examples), folds, options, progress)
}

/// [`cross_validate`] on examples already turned into features (by the
/// built-in featuriser or as sentence embeddings).
pub fn cross_validate_features(
    data: &[(Features, bool)],
    folds: usize,
    options: TrainOptions,
    mut progress: impl FnMut(usize, usize),
) -> CrossValidation {
    let labels: Vec<bool> = data.iter().map(|(_, l)| *l).collect();
    let assignment = fold_assignment(&labels, folds, options.seed);
    let folds = folds.max(2);
    let mut pooled = Vec::with_capacity(data.len());
    let mut per_fold = Vec::with_capacity(folds);
    for fold in 0..folds {
        let train: Vec<(Features, bool)> = data
            .iter()
            .zip(&assignment)
            .filter(|(_, f)| **f != fold)
            .map(|(e, _)| e.clone())
            .collect();
        let model = LinearModel::train(&train, options, |_, _| {});
        let scored: Vec<(f32, bool)> = data
            .iter()
            .zip(&assignment)
            .filter(|(_, f)| **f == fold)
            .map(|((x, y), _)| (model.predict(x), *y))
            .collect();
        per_fold.push(evaluate(&scored, 0.5));
        pooled.extend(scored);
        progress(fold + 1, folds);
    }
    CrossValidation {
        pooled: evaluate(&pooled, 0.5),
        folds: per_fold,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tsv_labels_and_errors() {
        let read = read_tsv("spam\tWin now\nham\tSee you at six\n\n0\tfine").expect("reads");
        assert_eq!(read.len(), 3);
        assert!(read[0].positive && !read[1].positive && !read[2].positive);
        assert_eq!(read[1].text, "See you at six");
        assert!(read_tsv("no tab here").is_err());
        assert!(read_tsv("maybe\ttext").is_err());
    }
}
