//! How well scores separate labelled examples: precision, recall and F1
//! at a threshold, ROC AUC over all thresholds, and k-fold splits.

use serde::Serialize;

#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Metrics {
    pub examples: usize,
    pub positives: usize,
    pub precision: f64,
    pub recall: f64,
    pub f1: f64,
    pub auc: f64,
    pub accuracy: f64,
}

/// Metrics of `scored` (score, label) with `threshold` deciding positive.
pub fn evaluate(scored: &[(f32, bool)], threshold: f32) -> Metrics {
    let (mut tp, mut fp, mut tn, mut fn_) = (0usize, 0usize, 0usize, 0usize);
    for (score, label) in scored {
        match (*score >= threshold, *label) {
            (true, true) => tp += 1,
            (true, false) => fp += 1,
            (false, false) => tn += 1,
            (false, true) => fn_ += 1,
        }
    }
    let ratio = |a: usize, b: usize| if b == 0 { 0.0 } else { a as f64 / b as f64 };
    let precision = ratio(tp, tp + fp);
    let recall = ratio(tp, tp + fn_);
    let f1 = if precision + recall == 0.0 {
        0.0
    } else {
        2.0 * precision * recall / (precision + recall)
    };
    Metrics {
        examples: scored.len(),
        positives: tp + fn_,
        precision,
        recall,
        f1,
        auc: roc_auc(scored),
        accuracy: ratio(tp + tn, scored.len()),
    }
}

/// The chance a random positive scores above a random negative (ties
/// count half): the area under the ROC curve.
pub fn roc_auc(scored: &[(f32, bool)]) -> f64 {
    let mut sorted: Vec<(f32, bool)> = scored.to_vec();
    sorted.sort_by(|a, b| a.0.total_cmp(&b.0));
    let positives = sorted.iter().filter(|(_, l)| *l).count() as f64;
    let negatives = sorted.len() as f64 - positives;
    if positives == 0.0 || negatives == 0.0 {
        return 0.5;
    }
    // Sum of the positives' ranks, ties sharing their mean rank.
    let mut rank_sum = 0.0;
    let mut i = 0;
    while i < sorted.len() {
        let mut j = i;
        while j < sorted.len() && sorted[j].0 == sorted[i].0 {
            j += 1;
        }
        let mean_rank = (i + 1 + j) as f64 / 2.0;
        rank_sum += sorted[i..j].iter().filter(|(_, l)| *l).count() as f64 * mean_rank;
        i = j;
    }
    (rank_sum - positives * (positives + 1.0) / 2.0) / (positives * negatives)
}

/// Which fold of `folds` each of `n` examples falls in, stratified so
/// every fold gets its share of positives: examples of each class are
/// dealt round-robin after a seeded shuffle.
pub fn fold_assignment(labels: &[bool], folds: usize, seed: u64) -> Vec<usize> {
    let folds = folds.max(2);
    let mut order: Vec<usize> = (0..labels.len()).collect();
    let mut rng = seed | 1;
    for i in (1..order.len()).rev() {
        rng ^= rng << 13;
        rng ^= rng >> 7;
        rng ^= rng << 17;
        order.swap(i, (rng % (i as u64 + 1)) as usize);
    }
    let mut assignment = vec![0; labels.len()];
    let (mut next_pos, mut next_neg) = (0, 0);
    for index in order {
        let counter = if labels[index] {
            &mut next_pos
        } else {
            &mut next_neg
        };
        assignment[index] = *counter % folds;
        *counter += 1;
    }
    assignment
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn precision_recall_f1_and_auc() {
        let scored = [
            (0.9, true),
            (0.8, true),
            (0.7, false),
            (0.2, true),
            (0.1, false),
        ];
        let m = evaluate(&scored, 0.5);
        assert_eq!(m.positives, 3);
        assert!((m.precision - 2.0 / 3.0).abs() < 1e-12);
        assert!((m.recall - 2.0 / 3.0).abs() < 1e-12);
        assert!((m.f1 - 2.0 / 3.0).abs() < 1e-12);
        // Positive-negative pairs ordered right: 0.9>0.7, 0.9>0.1, 0.8>0.7,
        // 0.8>0.1, 0.2>0.1; wrong: 0.2<0.7. 5 of 6.
        assert!((m.auc - 5.0 / 6.0).abs() < 1e-12);
        assert_eq!(roc_auc(&[(0.3, true), (0.3, false)]), 0.5);
    }

    #[test]
    fn folds_are_stratified_and_cover_everything() {
        let labels: Vec<bool> = (0..100).map(|i| i % 10 == 0).collect();
        let folds = fold_assignment(&labels, 5, 7);
        for f in 0..5 {
            let members: Vec<usize> = (0..100).filter(|i| folds[*i] == f).collect();
            assert_eq!(members.len(), 20);
            assert_eq!(members.iter().filter(|i| labels[**i]).count(), 2);
        }
    }
}
