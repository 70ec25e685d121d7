use std::sync::Arc;

use crate::classifier::{Classifier, ClassifyInput};
use crate::domain::{ClassifierSettings, SiteId};
use crate::intake::Scoring;

use super::ModelBook;

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
    let scored = tokio::task::spawn_blocking(move || {
        classifier.classify(&ClassifyInput {
            text: &comment.text,
            article: &comment.article,
            author: &comment.author,
        })
    })
    .await;
    match scored {
        Ok(Ok(scores)) => Scoring::Scored(scores),
        Ok(Err(err)) => Scoring::Failed {
            error: err.to_string(),
            scores: Vec::new(),
        },
        Err(err) => Scoring::Failed {
            error: format!("the scoring task failed: {err}"),
            scores: Vec::new(),
        },
    }
}
