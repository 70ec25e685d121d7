//! A verdict's reasons and scores as the comment tables store them; shared
//! by new comments and edits.

use crate::domain::Reason;
use crate::error::AppError;
use crate::storage::comments::NewReason;
use crate::views::ScoreView;

/// The score columns of a comment.
pub(super) struct ScoreColumns {
    /// Every score, as JSON; `None` when there are none.
    pub json: Option<String>,
    pub spam: Option<f64>,
    pub offensive: Option<f64>,
}

pub(super) fn score_columns(scores: &[ScoreView]) -> Result<ScoreColumns, AppError> {
    let highest = |attribute: &str| {
        scores
            .iter()
            .filter(|s| s.attribute == attribute)
            .map(|s| s.value)
            .reduce(f64::max)
    };
    Ok(ScoreColumns {
        json: (!scores.is_empty())
            .then(|| serde_json::to_string(scores))
            .transpose()
            .map_err(AppError::internal)?,
        spam: highest("spam"),
        offensive: highest("offensive"),
    })
}

/// The rows of the reasons recorded for `revision` of a comment's body.
pub fn new_reasons(comment_id: i64, revision: i32, reasons: &[Reason]) -> Vec<NewReason<'_>> {
    reasons
        .iter()
        .map(|r| NewReason {
            comment_id,
            revision,
            source: r.source.as_str(),
            code: &r.code,
            message: &r.message,
            span_start: r.span.as_ref().and_then(|s| i32::try_from(s.start).ok()),
            span_end: r.span.as_ref().and_then(|s| i32::try_from(s.end).ok()),
            matched: r.span.as_ref().map(|s| s.text.as_str()),
            rule_id: r.rule.as_ref().map(|rule| rule.id),
            rule_version: r.rule.as_ref().map(|rule| rule.version),
            action: r
                .rule
                .as_ref()
                .map(|rule| rule.action.as_str())
                .or(r.score.as_ref().map(|s| s.action.as_str())),
            shadow: r.rule.as_ref().is_some_and(|rule| rule.shadow),
            score: r.score.as_ref().map(|s| s.value),
            threshold: r.score.as_ref().map(|s| s.threshold),
            model: r.score.as_ref().map(|s| s.model.as_str()),
        })
        .collect()
}
