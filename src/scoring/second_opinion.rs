//! The transformer's second opinion (feature `ml-candle`): only scores in
//! a site's uncertain band are sent to it, through one inference thread
//! with a bounded queue. When the queue is full, or the transformer fails,
//! the built-in score stands, so a burst of comments never makes intake
//! slow or unbounded.

use std::sync::Arc;

use super::pool::{Refused, ScoringPool};
use crate::classifier::{Attribute, ClassifierError, Rescorer, Score};
use crate::config::ClassifierJobSettings;
use crate::domain::ClassifierSettings;

/// What modq says when the transformer is asked for but not built in.
pub const WITHOUT_CANDLE: &str = "this modq was built without the transformer; build it with `cargo build --release --features ml-candle`";

pub struct SecondOpinion {
    model: Arc<dyn Rescorer>,
    /// One inference thread.
    thread: Arc<ScoringPool>,
    margin: f64,
}

impl SecondOpinion {
    /// Starts the inference thread with room for `capacity` waiting
    /// comments. Scores from `margin` below a band's `approve_below` up to
    /// its `reject_above` are uncertain.
    pub fn start(
        model: Arc<dyn Rescorer>,
        capacity: usize,
        margin: f64,
    ) -> std::io::Result<Arc<Self>> {
        Ok(Arc::new(Self {
            model,
            thread: ScoringPool::start_named("modq-transformer", 1, capacity)?,
            margin,
        }))
    }

    fn uncertain(&self, settings: &ClassifierSettings, score: &Score) -> bool {
        let Some(band) = settings.band(score.attribute) else {
            return false;
        };
        let value = f64::from(score.value);
        let below_reject = band.reject_above.is_none_or(|reject| value < reject);
        value >= band.approve_below - self.margin
            && below_reject
            && self.model.covers(score.attribute)
    }

    /// The built-in `scores` of `text`, with the uncertain ones replaced by
    /// the transformer's where it could give them.
    pub async fn review(
        &self,
        settings: &ClassifierSettings,
        text: Arc<str>,
        mut scores: Vec<Score>,
    ) -> Vec<Score> {
        let unsure: Vec<Attribute> = scores
            .iter()
            .filter(|s| self.uncertain(settings, s))
            .map(|s| s.attribute)
            .collect();
        if unsure.is_empty() {
            return scores;
        }
        let model = Arc::clone(&self.model);
        let asked = unsure.clone();
        let answer = self
            .thread
            .try_run(move || model.rescore(&text, &asked))
            .await
            .unwrap_or_else(|refused| {
                Err(ClassifierError::Failed(
                    match refused {
                        Refused::Full => "the transformer's queue was full",
                        Refused::Stopped => "the transformer stopped",
                        Refused::Dropped => "the transformer dropped the comment",
                    }
                    .into(),
                ))
            });
        for score in scores.iter_mut().filter(|s| unsure.contains(&s.attribute)) {
            let second = match &answer {
                Ok(found) => found.iter().find(|s| s.attribute == score.attribute),
                Err(_) => None,
            };
            match second {
                Some(second) => {
                    let note = format!(
                        "Second opinion: the built-in {} gave {:.2}, in the uncertain band.",
                        score.model, score.value
                    );
                    *score = Score {
                        note: Some(note),
                        ..second.clone()
                    };
                }
                None => {
                    let why = match &answer {
                        Err(err) => err.to_string(),
                        Ok(_) => "the transformer gave no score".to_owned(),
                    };
                    score.note = Some(format!(
                        "No second opinion ({why}); the built-in score stands."
                    ));
                }
            }
        }
        scores
    }
}

/// The transformer this instance is configured with, if any.
pub fn load_second_opinion(
    settings: &ClassifierJobSettings,
) -> Result<Option<Arc<SecondOpinion>>, String> {
    if settings.transformer_dir.is_empty() {
        return Ok(None);
    }
    let model = load_transformer(std::path::Path::new(&settings.transformer_dir))?;
    SecondOpinion::start(
        model,
        settings.transformer_queue,
        settings.transformer_margin,
    )
    .map(Some)
    .map_err(|e| format!("cannot start the transformer thread: {e}"))
}

/// The transformer from the weights in `dir`.
#[cfg(feature = "ml-candle")]
pub fn load_transformer(dir: &std::path::Path) -> Result<Arc<dyn Rescorer>, String> {
    let started = std::time::Instant::now();
    let model = crate::classifier::minilm::MiniLmClassifier::load(dir)?;
    tracing::info!(
        dir = %dir.display(),
        ms = started.elapsed().as_millis() as u64,
        "transformer loaded"
    );
    Ok(Arc::new(model))
}

#[cfg(not(feature = "ml-candle"))]
pub fn load_transformer(_dir: &std::path::Path) -> Result<Arc<dyn Rescorer>, String> {
    Err(format!(
        "the transformer was asked for, but {WITHOUT_CANDLE}"
    ))
}

#[cfg(test)]
mod tests {
    use std::sync::Mutex;
    use std::sync::mpsc::{Receiver, Sender};
    use std::time::Duration;

    use super::*;
    use crate::domain::{Band, BandAction};

    /// Says when it starts, then scores everything 0.01 once `gate` opens.
    struct Gated {
        started: Mutex<Sender<()>>,
        gate: Mutex<Receiver<()>>,
    }

    impl Rescorer for Gated {
        fn covers(&self, attribute: Attribute) -> bool {
            attribute == Attribute::Spam
        }
        fn rescore(
            &self,
            _: &str,
            attributes: &[Attribute],
        ) -> Result<Vec<Score>, ClassifierError> {
            if let Ok(started) = self.started.lock() {
                let _ = started.send(());
            }
            if let Ok(gate) = self.gate.lock() {
                let _ = gate.recv();
            }
            Ok(attributes
                .iter()
                .map(|a| Score {
                    attribute: *a,
                    value: 0.01,
                    model: "second@1".into(),
                    note: None,
                })
                .collect())
        }
    }

    fn settings() -> ClassifierSettings {
        ClassifierSettings {
            bands: vec![Band {
                attribute: Attribute::Spam,
                approve_below: 0.6,
                reject_above: Some(0.95),
                between: BandAction::Hold,
                reject_reason: None,
                learn_from: Vec::new(),
            }],
            ..ClassifierSettings::default()
        }
    }

    fn builtin(attribute: Attribute, value: f32) -> Vec<Score> {
        vec![Score {
            attribute,
            value,
            model: "builtin@1".into(),
            note: None,
        }]
    }

    #[test]
    fn only_uncertain_scores_are_asked_and_a_busy_transformer_keeps_the_builtin_score() {
        let block_on = |future| {
            tokio::runtime::Builder::new_current_thread()
                .build()
                .expect("runtime")
                .block_on(future)
        };
        let (started_tx, started) = std::sync::mpsc::channel();
        let (open, gate) = std::sync::mpsc::channel();
        // No room to wait: a comment is refused whenever the thread is busy.
        let second = SecondOpinion::start(
            Arc::new(Gated {
                started: Mutex::new(started_tx),
                gate: Mutex::new(gate),
            }),
            0,
            0.2,
        )
        .expect("starts");
        let text: Arc<str> = Arc::from("text");
        let settings = settings();
        // Each uncertain comment on a thread of its own, as on a worker.
        let review = |value: f32| {
            let (second, settings, text) =
                (Arc::clone(&second), settings.clone(), Arc::clone(&text));
            std::thread::spawn(move || {
                tokio::runtime::Builder::new_current_thread()
                    .build()
                    .expect("runtime")
                    .block_on(second.review(&settings, text, builtin(Attribute::Spam, value)))
            })
        };

        // Certain scores, and attributes it has no model for, are not asked.
        for (attribute, value) in [
            (Attribute::Spam, 0.3),
            (Attribute::Spam, 0.97),
            (Attribute::Offensive, 0.7),
        ] {
            let scores =
                block_on(second.review(&settings, Arc::clone(&text), builtin(attribute, value)));
            assert_eq!(scores, builtin(attribute, value));
        }

        // An uncertain comment reaches the thread (once the thread waits).
        let mut on_thread = None;
        for _ in 0..100 {
            let handle = review(0.5);
            if started.recv_timeout(Duration::from_millis(50)).is_ok() {
                on_thread = Some(handle);
                break;
            }
            let refused = handle.join().expect("joined");
            assert!(refused[0].note.is_some());
        }
        let on_thread = on_thread.expect("the thread took a comment");

        // While it works, the next uncertain comment keeps its built-in
        // score at once.
        let refused = review(0.8).join().expect("joined");
        assert_eq!(refused[0].value, 0.8);
        assert_eq!(refused[0].model, "builtin@1");
        assert_eq!(
            refused[0].note.as_deref(),
            Some(
                "No second opinion (the scorer failed: the transformer's queue was full); the built-in score stands."
            )
        );

        open.send(()).expect("gate");
        let scores = on_thread.join().expect("joined");
        assert_eq!(scores[0].value, 0.01);
        assert_eq!(scores[0].model, "second@1");
        assert_eq!(
            scores[0].note.as_deref(),
            Some("Second opinion: the built-in builtin@1 gave 0.50, in the uncertain band.")
        );
    }
}
