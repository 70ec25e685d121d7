//! A site's own HTTP scorer: modq POSTs `{"text", "article", "author"}`
//! and expects `{"scores": {"spam": 0.1, "offensive": 0.9}}` within the
//! timeout. Its scores go through the same bands as the built-in ones.

use std::time::Duration;

use serde::{Deserialize, Serialize};

use crate::classifier::{Attribute, ClassifierError, Score};
use crate::domain::ExternalScorer;

#[derive(Serialize)]
struct Request<'a> {
    text: &'a str,
    article: &'a str,
    author: &'a str,
}

#[derive(Deserialize)]
struct Answer {
    scores: std::collections::HashMap<String, f64>,
}

/// How the scorer is named in the scores it gives.
pub fn external_model_id(scorer: &ExternalScorer) -> String {
    let host = scorer
        .url
        .split("://")
        .nth(1)
        .and_then(|rest| rest.split('/').next())
        .unwrap_or("?");
    format!("external@{host}")
}

/// Calls the scorer; blocks for at most its timeout.
pub fn call_external(
    scorer: &ExternalScorer,
    text: &str,
    article: &str,
    author: &str,
) -> Result<Vec<Score>, ClassifierError> {
    let timeout = Duration::from_millis(scorer.timeout_ms);
    let response = ureq::post(&scorer.url).timeout(timeout).send_json(Request {
        text,
        article,
        author,
    });
    let response = match response {
        Ok(response) => response,
        Err(ureq::Error::Status(code, _)) => {
            return Err(ClassifierError::Failed(format!(
                "the scorer answered {code}"
            )));
        }
        Err(ureq::Error::Transport(err)) => {
            let timed_out = std::error::Error::source(&err)
                .and_then(|e| e.downcast_ref::<std::io::Error>())
                .is_some_and(|e| {
                    matches!(
                        e.kind(),
                        std::io::ErrorKind::TimedOut | std::io::ErrorKind::WouldBlock
                    )
                });
            return Err(if timed_out {
                ClassifierError::Timeout(scorer.timeout_ms)
            } else {
                ClassifierError::Failed(format!("cannot reach the scorer: {}", err.kind()))
            });
        }
    };
    let answer: Answer = response.into_json().map_err(|e| {
        ClassifierError::Failed(format!("the scorer's answer is not the expected JSON: {e}"))
    })?;
    let model = external_model_id(scorer);
    let mut scores = Vec::new();
    for (name, value) in answer.scores {
        let Ok(attribute) = name.parse::<Attribute>() else {
            continue;
        };
        if !(0.0..=1.0).contains(&value) {
            return Err(ClassifierError::Failed(format!(
                "the scorer gave {name} {value}, outside 0 to 1"
            )));
        }
        scores.push(Score {
            attribute,
            value: value as f32,
            model: model.clone(),
            note: None,
        });
    }
    scores.sort_by_key(|s| s.attribute);
    Ok(scores)
}
