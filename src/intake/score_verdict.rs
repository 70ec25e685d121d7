//! Classifier scores applied to the verdict through the site's bands.

use crate::classifier::Score;
use crate::domain::{
    BandAction, ClassifierSettings, FailMode, Reason, ReasonSource, ScoreRef, Status,
};

use super::{AutoReject, Outcome};

/// What the classifiers made of a comment.
#[derive(Debug, Clone, PartialEq)]
pub enum Scoring {
    /// The site has the classifier off.
    Off,
    Scored(Vec<Score>),
    /// Some scorer failed; `scores` holds what the others gave.
    Failed {
        error: String,
        scores: Vec<Score>,
    },
}

/// Every score becomes a reason, with the band edge it was compared
/// with; a score below its band is kept for moderators to see and changes
/// nothing. A score in the band holds (or flags); at or above
/// `reject_above` the comment is rejected, unless a rule already did. A
/// failed scorer is recorded, and holds the comment if the site fails
/// closed.
pub fn apply_scores(
    mut outcome: Outcome,
    scoring: &Scoring,
    settings: &ClassifierSettings,
) -> Outcome {
    let scores = match scoring {
        Scoring::Off => return outcome,
        Scoring::Scored(scores) => scores,
        Scoring::Failed { error, scores } => {
            let closed = settings.on_failure == FailMode::Closed;
            outcome.reasons.push(Reason {
                source: ReasonSource::Classifier,
                code: "classifier_unavailable".to_owned(),
                message: if closed {
                    format!("The classifier could not score this comment ({error}); the site holds unscored comments.")
                } else {
                    format!("The classifier could not score this comment ({error}); the site lets unscored comments through.")
                },
                span: None,
                rule: None,
                score: None,
            });
            if closed && outcome.status == Status::Approved {
                outcome.status = Status::Pending;
            }
            scores
        }
    };
    for score in scores {
        let Some(band) = settings.band(score.attribute) else {
            continue;
        };
        // Four decimals: what is stored, shown and compared.
        let value = (f64::from(score.value) * 10_000.0).round() / 10_000.0;
        let name = capitalised(score.attribute.as_str());
        let (action, threshold, message) = match band.reject_above {
            Some(reject) if value >= reject => (
                "reject",
                reject,
                format!(
                    "{name} score {value:.2} is at or above the rejection threshold {reject:.2} ({}).",
                    score.model
                ),
            ),
            _ if value >= band.approve_below => (
                band.between.as_str(),
                band.approve_below,
                format!(
                    "{name} score {value:.2} is at or above the {} threshold {:.2} ({}).",
                    band.between.as_str(),
                    band.approve_below,
                    score.model
                ),
            ),
            _ => (
                "none",
                band.approve_below,
                format!(
                    "{name} score {value:.2}, below the {} threshold {:.2} ({}).",
                    band.between.as_str(),
                    band.approve_below,
                    score.model
                ),
            ),
        };
        let message = match &score.note {
            Some(note) => format!("{message} {note}"),
            None => message,
        };
        match action {
            "reject" if outcome.status != Status::Rejected => {
                outcome.status = Status::Rejected;
                outcome.auto_reject = Some(AutoReject {
                    reason: band.reject_reason.clone(),
                    note: format!(
                        "Rejected automatically: {} score {value:.2} is at or above {threshold:.2} ({}).",
                        score.attribute, score.model
                    ),
                    by: "classifier".to_owned(),
                });
            }
            "hold" | "flag" => {
                outcome.priority += (value * 50.0).round() as i32;
                if band.between == BandAction::Hold && outcome.status == Status::Approved {
                    outcome.status = Status::Pending;
                }
            }
            _ => {}
        }
        outcome.reasons.push(Reason {
            source: ReasonSource::Classifier,
            code: score.attribute.as_str().to_owned(),
            message,
            span: None,
            rule: None,
            score: Some(ScoreRef {
                value,
                threshold,
                action: action.to_owned(),
                model: score.model.clone(),
                note: score.note.clone(),
            }),
        });
    }
    outcome
}

fn capitalised(word: &str) -> String {
    let mut chars = word.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::{Attribute, Band};

    fn approved() -> Outcome {
        Outcome {
            status: Status::Approved,
            reasons: Vec::new(),
            priority: 0,
            auto_reject: None,
        }
    }

    fn settings() -> ClassifierSettings {
        ClassifierSettings {
            bands: vec![
                Band {
                    attribute: Attribute::Spam,
                    approve_below: 0.5,
                    reject_above: Some(0.9),
                    between: BandAction::Hold,
                    reject_reason: Some("spam".into()),
                    learn_from: Vec::new(),
                },
                Band {
                    attribute: Attribute::Offensive,
                    approve_below: 0.6,
                    reject_above: None,
                    between: BandAction::Flag,
                    reject_reason: None,
                    learn_from: Vec::new(),
                },
            ],
            ..ClassifierSettings::default()
        }
    }

    fn spam(value: f32) -> Scoring {
        Scoring::Scored(vec![Score {
            attribute: Attribute::Spam,
            value,
            model: "m@1".into(),
            note: None,
        }])
    }

    #[test]
    fn bands_hold_reject_and_record_low_scores() {
        let low = apply_scores(approved(), &spam(0.2), &settings());
        assert_eq!(low.status, Status::Approved);
        let score = low.reasons[0].score.as_ref().expect("score");
        assert_eq!((score.action.as_str(), score.threshold), ("none", 0.5));

        let held = apply_scores(approved(), &spam(0.7), &settings());
        assert_eq!(held.status, Status::Pending);
        assert_eq!(held.priority, 35);
        let score = held.reasons[0].score.as_ref().expect("score");
        assert_eq!((score.action.as_str(), score.threshold), ("hold", 0.5));
        assert!(
            held.reasons[0]
                .message
                .starts_with("Spam score 0.70 is at or above the hold threshold 0.50")
        );

        let rejected = apply_scores(approved(), &spam(0.95), &settings());
        assert_eq!(rejected.status, Status::Rejected);
        let auto = rejected.auto_reject.expect("auto reject");
        assert_eq!(auto.reason.as_deref(), Some("spam"));
        assert_eq!(auto.by, "classifier");
        assert_eq!(
            rejected.reasons[0].score.as_ref().map(|s| s.threshold),
            Some(0.9)
        );
    }

    #[test]
    fn flag_bands_do_not_hold() {
        let scoring = Scoring::Scored(vec![Score {
            attribute: Attribute::Offensive,
            value: 0.8,
            model: "m@1".into(),
            note: None,
        }]);
        let flagged = apply_scores(approved(), &scoring, &settings());
        assert_eq!(flagged.status, Status::Approved);
        assert_eq!(flagged.priority, 40);
        assert_eq!(
            flagged.reasons[0].score.as_ref().map(|s| s.action.as_str()),
            Some("flag")
        );
    }

    #[test]
    fn failures_fail_open_or_closed() {
        let failed = Scoring::Failed {
            error: "timed out".into(),
            scores: Vec::new(),
        };
        let open = apply_scores(approved(), &failed, &settings());
        assert_eq!(open.status, Status::Approved);
        assert_eq!(open.reasons[0].code, "classifier_unavailable");
        let closed_settings = ClassifierSettings {
            on_failure: FailMode::Closed,
            ..settings()
        };
        let closed = apply_scores(approved(), &failed, &closed_settings);
        assert_eq!(closed.status, Status::Pending);
        assert_eq!(
            apply_scores(approved(), &Scoring::Off, &settings()),
            approved()
        );
    }
}
