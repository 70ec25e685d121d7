use std::collections::HashMap;

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

#[derive(Debug, Clone)]
pub struct RevisionReason {
    pub source: String,
    pub code: String,
    pub message: String,
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
        let mut reasons: HashMap<i32, Vec<RevisionReason>> = HashMap::new();
        for r in storage::comments::reasons_of_every_revision(conn, comment.id)? {
            reasons.entry(r.revision).or_default().push(RevisionReason {
                source: r.source,
                code: r.code,
                message: r.message,
                matched: r.matched,
            });
        }
        let mut revisions: Vec<Revision> = storage::revisions::for_comment(conn, comment.id)?
            .into_iter()
            .map(|row| Revision {
                reasons: reasons.remove(&row.revision).unwrap_or_default(),
                revision: row.revision,
                body: row.body,
                status: row.status,
                written_at: row.written_at,
                replaced_at: Some(row.replaced_at),
            })
            .collect();
        revisions.push(Revision {
            reasons: reasons.remove(&comment.revision).unwrap_or_default(),
            revision: comment.revision,
            body: comment.body,
            status: comment.status,
            written_at: comment.edited_at.unwrap_or(comment.created_at),
            replaced_at: None,
        });
        Ok(revisions)
    })
    .await
}
