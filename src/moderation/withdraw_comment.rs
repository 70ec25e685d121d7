use crate::accounts::SiteContext;
use crate::domain::{CommentId, Status};
use crate::error::AppError;
use crate::storage::{self, Database, audit::NewAudit, comments::StatusChange};
use crate::views::{self, CommentView};
use crate::webhooks::{self, EventType};

use super::decide_comment::count_deltas;

/// The site takes a comment back (the author deleted it, say). Audited; a
/// withdrawn comment can no longer be decided.
#[tracing::instrument(skip(db, site), fields(site = %site.id))]
pub async fn withdraw_comment(
    db: &Database,
    site: &SiteContext,
    id: CommentId,
) -> Result<CommentView, AppError> {
    let site = site.clone();
    db.write(move |conn| {
        let current = views::load_comment(conn, id)?
            .filter(|c| c.site_id == site.id)
            .ok_or(AppError::NotFound("comment"))?;
        if !current.status.can_withdraw() {
            return Err(AppError::Conflict {
                code: "comment_withdrawn",
                message: "the comment was already withdrawn".to_owned(),
                current: Some(Box::new(current)),
            });
        }
        let now = storage::now();
        let change = StatusChange {
            status: Status::Withdrawn.as_str(),
            updated_at: now,
            decided_at: None,
            decided_by: None,
            decision_action: None,
            decision_reason: None,
            decision_note: None,
            reported_at: None,
            hidden: None,
        };
        let applied = storage::comments::change_status(
            conn,
            id.0,
            current.version,
            current.status.as_str(),
            &change,
        )?;
        if !applied {
            return Err(AppError::Conflict {
                code: "version_conflict",
                message: "the comment was changed concurrently; retry".to_owned(),
                current: None,
            });
        }
        let (approved, rejected) = count_deltas(current.status, Status::Withdrawn);
        storage::authors::adjust_counts(conn, current.author.id.0, approved, rejected)?;
        let actor = site.actor();
        storage::audit::append(
            conn,
            &NewAudit {
                site_id: site.id.0,
                comment_id: id.0,
                actor: &actor,
                action: "withdraw",
                from_status: Some(current.status.as_str()),
                to_status: Status::Withdrawn.as_str(),
                reason: None,
                note: None,
                created_at: now,
            },
        )?;
        let view = views::load_comment(conn, id)?.ok_or(AppError::NotFound("comment"))?;
        webhooks::record_comment_event(conn, &site.name, EventType::CommentWithdrawn, &view, now)?;
        Ok(view)
    })
    .await
}
