use std::sync::Arc;

use crate::classifier::{Classifier, ClassifierError, ClassifyInput};
use crate::domain::{ClassifierSettings, SiteId};
use crate::intake::Scoring;

use super::{ModelBook, ScoringPool, SecondOpinion, call_external};

/// What is scored of a comment.
#[derive(Debug, Clone)]
pub struct CommentToScore {
    pub text: String,
    pub article: String,
    pub author: String,
}

/// The models that score comments in this process.
pub struct Scorers<'a> {
    pub pool: &'a ScoringPool,
    pub book: &'a Arc<ModelBook>,
    /// The transformer, where this instance has one.
    pub second_opinion: Option<&'a SecondOpinion>,
}

/// Scores a comment with the site's models, on the scoring threads so the
/// request workers stay free; uncertain built-in scores get the
/// transformer's second opinion where there is one.
pub async fn score_comment(
    scorers: Scorers<'_>,
    settings: &ClassifierSettings,
    site: SiteId,
    comment: CommentToScore,
) -> Scoring {
    if !settings.enabled {
        return Scoring::Off;
    }
    let started = std::time::Instant::now();
    let scoring = score_enabled(scorers, settings, site, comment).await;
    crate::metrics::registry()
        .classifier_seconds
        .observe(started.elapsed());
    scoring
}

async fn score_enabled(
    scorers: Scorers<'_>,
    settings: &ClassifierSettings,
    site: SiteId,
    comment: CommentToScore,
) -> Scoring {
    let classifier = scorers.book.for_site(site);
    let comment = Arc::new(comment);
    let for_builtin = Arc::clone(&comment);
    // The built-in models compute on the scoring threads; an external
    // scorer is a wait, so it waits on tokio's blocking pool instead.
    let builtin = async {
        let scores = scorers
            .pool
            .run(move || {
                classifier.classify(&ClassifyInput {
                    text: &for_builtin.text,
                    article: &for_builtin.article,
                    author: &for_builtin.author,
                })
            })
            .await;
        match (scores, scorers.second_opinion) {
            (Ok(Ok(scores)), Some(second)) => Ok(Ok(second
                .review(settings, Arc::from(comment.text.as_str()), scores)
                .await)),
            (scores, _) => scores,
        }
    };
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
