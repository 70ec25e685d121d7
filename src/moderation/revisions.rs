use chrono::NaiveDateTime;

use crate::accounts::Principal;
use crate::domain::{CommentId, SiteId};
use crate::error::AppError;
use crate::storage::{self, Database};

use super::can_see;

/// One body a comment has had.
#[derive(Debug, Clone)]
pub struct Revision {
    pub revision: i32,
    pub body: String,
    /// The status the comment had while this body stood (the current one
    /// for the current body).
    pub status: String,
    /// The reasons recorded for this body.
    pub reasons: Vec<RevisionReason>,
    pub written_at: NaiveDateTime,
    /// `None` for the current body.
    pub replaced_at: Option<NaiveDateTime>,
}

#[derive(Debug, Clone, serde::Deserialize)]
pub struct RevisionReason {
    pub source: String,
    pub code: String,
    pub message: String,
    #[serde(default)]
    pub matched: Option<String>,
}

/// Every body of a comment, oldest first, the current one last.
pub async fn comment_revisions(
    db: &Database,
    principal: &Principal,
    id: CommentId,
) -> Result<Vec<Revision>, AppError> {
    let principal = principal.clone();
    db.read(move |conn| {
        let comment = storage::comments::find(conn, id.0)?
            .filter(|c| can_see(&principal, SiteId(c.site_id)))
            .ok_or(AppError::NotFound("comment"))?;
        let mut revisions = storage::revisions::for_comment(conn, comment.id)?
            .into_iter()
            .map(|row| {
                Ok(Revision {
                    revision: row.revision,
                    body: row.body,
                    status: row.status,
                    reasons: serde_json::from_str(&row.reasons).map_err(AppError::internal)?,
                    written_at: row.written_at,
                    replaced_at: Some(row.replaced_at),
                })
            })
            .collect::<Result<Vec<_>, AppError>>()?;
        let current_reasons = storage::comments::reasons_for(conn, &[comment.id])?
            .into_iter()
            .map(|r| RevisionReason {
                source: r.source,
                code: r.code,
                message: r.message,
                matched: r.matched,
            })
            .collect();
        revisions.push(Revision {
            revision: comment.revision,
            body: comment.body,
            status: comment.status,
            reasons: current_reasons,
            written_at: comment.edited_at.unwrap_or(comment.created_at),
            replaced_at: None,
        });
        Ok(revisions)
    })
    .await
}
