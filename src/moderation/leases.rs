use std::collections::HashMap;
use std::time::Duration;

use chrono::NaiveDateTime;

use crate::accounts::ModeratorContext;
use crate::domain::{CommentId, ModeratorId, Status};
use crate::error::AppError;
use crate::storage::{self, Database, leases::LeaseRow};
use crate::views;

/// Who is reviewing a pending comment, until when. Leases are advisory:
/// they steer other moderators elsewhere, and decisions still go through
/// the version check.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Lease {
    pub comment_id: CommentId,
    pub moderator_id: ModeratorId,
    pub moderator: String,
    pub expires_at: NaiveDateTime,
}

impl From<LeaseRow> for Lease {
    fn from(row: LeaseRow) -> Self {
        Lease {
            comment_id: CommentId(row.comment_id),
            moderator_id: ModeratorId(row.moderator_id),
            moderator: row.moderator_email,
            expires_at: row.expires_at,
        }
    }
}

/// Takes, or renews, the lease on a comment waiting for a decision (pending,
/// or in the Reported queue) for `ttl`. Another
/// moderator's live lease is a conflict (`leased`) naming them.
#[tracing::instrument(skip(db, moderator), fields(moderator = %moderator.id))]
pub async fn take_lease(
    db: &Database,
    moderator: &ModeratorContext,
    id: CommentId,
    ttl: Duration,
) -> Result<Lease, AppError> {
    let moderator = moderator.clone();
    let ttl = chrono::Duration::from_std(ttl).map_err(AppError::internal)?;
    db.write(move |conn| {
        let comment = views::load_comment(conn, id)?
            .filter(|c| moderator.can_access(c.site_id))
            .ok_or(AppError::NotFound("comment"))?;
        // Leases are for comments waiting for a decision: pending ones, and
        // published ones in the Reported queue.
        let waiting = comment.status == Status::Pending
            || (comment.status == Status::Approved && comment.reports.in_review_since.is_some());
        if !waiting {
            return Err(AppError::Conflict {
                code: "not_pending",
                message: format!(
                    "the comment is {} and waits for no decision",
                    comment.status.as_str()
                ),
                current: Some(Box::new(comment)),
            });
        }
        let now = storage::now();
        if let Some(held) = storage::leases::find_live(conn, id.0, now)?
            && held.moderator_id != moderator.id.0
        {
            return Err(AppError::Conflict {
                code: "leased",
                message: format!(
                    "being reviewed by {} until {} UTC",
                    held.moderator_email,
                    held.expires_at.format("%H:%M:%S")
                ),
                current: None,
            });
        }
        let until = now + ttl;
        storage::leases::put(conn, id.0, moderator.id.0, until)?;
        Ok(Lease {
            comment_id: id,
            moderator_id: moderator.id,
            moderator: moderator.email.clone(),
            expires_at: until,
        })
    })
    .await
}

/// Gives up one's own lease; someone else's stays.
pub async fn release_lease(
    db: &Database,
    moderator: &ModeratorContext,
    id: CommentId,
) -> Result<bool, AppError> {
    let moderator_id = moderator.id.0;
    db.write(move |conn| {
        storage::leases::release_own(conn, id.0, moderator_id).map_err(AppError::from)
    })
    .await
}

/// The live leases on `ids`.
pub async fn leases_for(
    db: &Database,
    ids: Vec<CommentId>,
) -> Result<HashMap<CommentId, Lease>, AppError> {
    db.read(move |conn| {
        let raw: Vec<i64> = ids.iter().map(|i| i.0).collect();
        let rows = storage::leases::live_for(conn, &raw, storage::now())?;
        Ok(rows
            .into_iter()
            .map(|row| (CommentId(row.comment_id), Lease::from(row)))
            .collect())
    })
    .await
}

/// Deletes expired leases (they are ignored anyway; this keeps the table
/// small).
pub fn purge_expired_leases(db: &Database) -> Result<usize, AppError> {
    db.write_blocking(|conn| {
        storage::leases::delete_expired(conn, storage::now()).map_err(AppError::from)
    })
}
