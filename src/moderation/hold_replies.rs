//! Rejecting a comment can send the replies below it back for review (the
//! site's `threads.hold_replies_on_reject`): a reply to a rejected comment
//! may quote it, or only make sense with it.

use chrono::NaiveDateTime;

use crate::domain::{CommentId, Status};
use crate::error::AppError;
use crate::storage::{self, DbConn, audit::NewAudit, comments::StatusChange};
use crate::views;
use crate::webhooks::{self, EventType};

/// Replies looked at below one rejected comment, at most.
const MAX_REPLIES: usize = 1000;

/// Sends the published replies below `parent`, at any depth, back to the
/// queue and gives the pending ones the reason `parent_rejected`; each held
/// reply is audited (`hold`) and makes `comment.reopened`. Returns how many
/// replies were held. Runs in the rejection's transaction.
pub(super) fn hold_replies(
    conn: &mut DbConn,
    site_name: &str,
    actor: &str,
    parent: CommentId,
    now: NaiveDateTime,
) -> Result<usize, AppError> {
    let reason = crate::intake::parent_rejected_reason();
    let note = format!("reply to rejected comment {parent}");
    let (mut frontier, mut seen, mut held) = (vec![parent.0], 0, 0);
    while !frontier.is_empty() && seen < MAX_REPLIES {
        let replies = storage::comments::replies_to(conn, &frontier)?;
        seen += replies.len();
        frontier = replies.iter().map(|r| r.id).collect();
        for reply in replies {
            let pending = reply.status == Status::Pending.as_str();
            let published = reply.status == Status::Approved.as_str();
            if !(pending || published) {
                continue;
            }
            let has_reason = storage::comments::reasons_of(conn, reply.id)?
                .iter()
                .any(|r| r.code == reason.code);
            if !has_reason {
                storage::comments::insert_reasons(
                    conn,
                    &crate::intake::new_reasons(
                        reply.id,
                        reply.revision,
                        std::slice::from_ref(&reason),
                    ),
                )?;
            }
            if !published {
                continue;
            }
            let applied = storage::comments::change_status(
                conn,
                reply.id,
                reply.version,
                &reply.status,
                &StatusChange::back_to_pending(now),
            )?;
            if !applied {
                continue;
            }
            storage::authors::adjust_counts(conn, reply.author_id, -1, 0)?;
            storage::audit::append(
                conn,
                &NewAudit {
                    site_id: reply.site_id,
                    comment_id: reply.id,
                    actor,
                    action: "hold",
                    from_status: Some(&reply.status),
                    to_status: Status::Pending.as_str(),
                    reason: Some(&reason.code),
                    note: Some(&note),
                    created_at: now,
                },
            )?;
            let view = views::load_comment(conn, CommentId(reply.id))?
                .ok_or(AppError::NotFound("comment"))?;
            webhooks::record_comment_event(
                conn,
                site_name,
                EventType::CommentReopened,
                &view,
                now,
            )?;
            held += 1;
        }
    }
    Ok(held)
}
