//! Precision and recall of a site's current model at every threshold,
//! from its moderators' past decisions, so bands are set from evidence.

use crate::classifier::Attribute;
use crate::domain::{ClassifierSettings, SiteId};
use crate::error::AppError;
use crate::storage::{self, Database};

use super::ModelBook;

/// Decisions a calibration reads, newest first.
pub const CALIBRATION_DECISIONS: i64 = 5_000;

/// One threshold: of the decided comments scoring at or above it, the
/// share moderators rejected for the attribute (precision), and of those
/// they rejected, the share at or above it (recall).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct CurvePoint {
    pub threshold: f64,
    pub precision: Option<f64>,
    pub recall: Option<f64>,
}

#[derive(Debug, Clone)]
pub struct Calibration {
    pub attribute: Attribute,
    pub model: String,
    pub positives: usize,
    pub negatives: usize,
    /// Thresholds 0, 0.02, … 1.
    pub points: Vec<CurvePoint>,
}

/// Scores the site's recent moderated comments with its current models
/// and traces each banded attribute's curve.
pub async fn calibrate(
    db: &Database,
    book: &std::sync::Arc<ModelBook>,
    site: SiteId,
) -> Result<Vec<Calibration>, AppError> {
    let (settings, decided) = db
        .read(move |conn| {
            let row = storage::sites::find(conn, site.0)?.ok_or(AppError::NotFound("site"))?;
            let settings =
                ClassifierSettings::from_stored(&row.classifier).map_err(AppError::internal)?;
            let decided = storage::comments::moderated(conn, site.0, None, CALIBRATION_DECISIONS)?;
            Ok::<_, AppError>((settings, decided))
        })
        .await?;
    let classifier = book.for_site(site);
    tokio::task::spawn_blocking(move || {
        let scored: Vec<Vec<crate::classifier::Score>> = decided
            .iter()
            .map(|d| {
                let normalised = crate::rules::normalise::normalize(&d.body);
                classifier.score_normalised(&normalised.text)
            })
            .collect();
        Attribute::ALL
            .iter()
            .filter(|a| settings.band(**a).is_some())
            .map(|attribute| {
                let codes = settings.learn_from(*attribute);
                let labelled: Vec<(f64, bool)> = decided
                    .iter()
                    .zip(&scored)
                    .filter_map(|(d, scores)| {
                        let label = match d.action.as_deref() {
                            Some("approve") => false,
                            Some("reject")
                                if d.reason.as_ref().is_some_and(|r| codes.contains(r)) =>
                            {
                                true
                            }
                            _ => return None,
                        };
                        let value = scores.iter().find(|s| s.attribute == *attribute)?.value;
                        Some((f64::from(value), label))
                    })
                    .collect();
                curve(
                    *attribute,
                    classifier
                        .model(*attribute)
                        .map(|m| m.id().to_owned())
                        .unwrap_or_default(),
                    &labelled,
                )
            })
            .collect()
    })
    .await
    .map_err(AppError::internal)
}

/// The curve of `labelled` (score, rejected for the attribute).
pub fn curve(attribute: Attribute, model: String, labelled: &[(f64, bool)]) -> Calibration {
    let positives = labelled.iter().filter(|(_, y)| *y).count();
    let negatives = labelled.len() - positives;
    let points = (0..=50)
        .map(|step| {
            let threshold = f64::from(step) / 50.0;
            let (mut tp, mut fp) = (0usize, 0usize);
            for (score, label) in labelled {
                if *score >= threshold {
                    if *label {
                        tp += 1;
                    } else {
                        fp += 1;
                    }
                }
            }
            CurvePoint {
                threshold,
                precision: (tp + fp > 0).then(|| tp as f64 / (tp + fp) as f64),
                recall: (positives > 0).then(|| tp as f64 / positives as f64),
            }
        })
        .collect();
    Calibration {
        attribute,
        model,
        positives,
        negatives,
        points,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn curve_counts_precision_and_recall_per_threshold() {
        let labelled = [(0.9, true), (0.7, true), (0.6, false), (0.1, false)];
        let c = curve(Attribute::Spam, "m".into(), &labelled);
        assert_eq!((c.positives, c.negatives), (2, 2));
        assert_eq!(c.points.len(), 51);
        let at = |t: f64| {
            *c.points
                .iter()
                .find(|p| (p.threshold - t).abs() < 1e-9)
                .expect("point")
        };
        assert_eq!(at(0.0).precision, Some(0.5));
        assert_eq!(at(0.0).recall, Some(1.0));
        assert_eq!(at(0.5).precision, Some(2.0 / 3.0));
        assert_eq!(at(0.8).precision, Some(1.0));
        assert_eq!(at(0.8).recall, Some(0.5));
        assert_eq!(at(0.96).precision, None, "nothing scores that high");
        assert_eq!(at(0.96).recall, Some(0.0));
    }
}
