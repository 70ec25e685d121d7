use std::sync::Arc;

use crate::classifier::{Classifier, ClassifierError, ClassifyInput};
use crate::domain::{ClassifierSettings, SiteId};
use crate::intake::Scoring;

use super::{ModelBook, ScoringPool, call_external};

/// What is scored of a comment.
#[derive(Debug, Clone)]
pub struct CommentToScore {
    pub text: String,
    pub article: String,
    pub author: String,
}

/// Scores a comment with the site's models, on the scoring threads so the
/// request workers stay free.
pub async fn score_comment(
    pool: &ScoringPool,
    book: &Arc<ModelBook>,
    settings: &ClassifierSettings,
    site: SiteId,
    comment: CommentToScore,
) -> Scoring {
    if !settings.enabled {
        return Scoring::Off;
    }
    let classifier = book.for_site(site);
    let comment = Arc::new(comment);
    let for_builtin = Arc::clone(&comment);
    // The built-in models compute on the scoring threads; an external
    // scorer is a wait, so it waits on tokio's blocking pool instead.
    let builtin = pool.run(move || {
        classifier.classify(&ClassifyInput {
            text: &for_builtin.text,
            article: &for_builtin.article,
            author: &for_builtin.author,
        })
    });
    let outside = async {
        let scorer = settings.external.clone()?;
        let comment = Arc::clone(&comment);
        Some(
            tokio::task::spawn_blocking(move || {
                call_external(&scorer, &comment.text, &comment.article, &comment.author)
            })
            .await
            .unwrap_or_else(|e| Err(ClassifierError::Failed(format!("the call failed: {e}")))),
        )
    };
    let (builtin, outside) = futures_util::future::join(builtin, outside).await;
    let builtin = match builtin {
        Ok(result) => result,
        Err(err) => Err(ClassifierError::Failed(err)),
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
