use std::sync::Arc;

use crate::classifier::{Classifier, ClassifyInput};
use crate::domain::{ClassifierSettings, SiteId};
use crate::intake::Scoring;

use super::{ModelBook, call_external};

/// What is scored of a comment.
#[derive(Debug, Clone)]
pub struct CommentToScore {
    pub text: String,
    pub article: String,
    pub author: String,
}

/// Scores a comment with the site's models, on the blocking pool so the
/// request workers stay free.
pub async fn score_comment(
    book: &Arc<ModelBook>,
    settings: &ClassifierSettings,
    site: SiteId,
    comment: CommentToScore,
) -> Scoring {
    if !settings.enabled {
        return Scoring::Off;
    }
    let classifier = book.for_site(site);
    let external = settings.external.clone();
    let scored = tokio::task::spawn_blocking(move || {
        let input = ClassifyInput {
            text: &comment.text,
            article: &comment.article,
            author: &comment.author,
        };
        let builtin = classifier.classify(&input);
        let outside = external
            .as_ref()
            .map(|scorer| call_external(scorer, &comment.text, &comment.article, &comment.author));
        (builtin, outside)
    })
    .await;
    let (builtin, outside) = match scored {
        Ok(results) => results,
        Err(err) => {
            return Scoring::Failed {
                error: format!("the scoring task failed: {err}"),
                scores: Vec::new(),
            };
        }
    };
    let mut scores = Vec::new();
    let mut errors = Vec::new();
    match builtin {
        Ok(found) => scores.extend(found),
        Err(err) => errors.push(format!("built-in model: {err}")),
    }
    match outside {
        None => {}
        Some(Ok(found)) => scores.extend(found),
        Some(Err(err)) => errors.push(format!("external scorer: {err}")),
    }
    if errors.is_empty() {
        Scoring::Scored(scores)
    } else {
        Scoring::Failed {
            error: errors.join("; "),
            scores,
        }
    }
}
