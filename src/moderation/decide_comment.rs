use crate::accounts::ModeratorContext;
use crate::domain::{Action, CommentId, Decision, Guidelines, Status};
use crate::error::AppError;
use crate::storage::{self, Database, DbConn, audit::NewAudit, comments::StatusChange};
use crate::views::{self, CommentView};
use crate::webhooks::{self, EventType};

/// Approves, rejects or reopens one comment. The version check, the status
/// change, the author's counts and the audit entry commit together.
#[tracing::instrument(skip(db, moderator, decision), fields(moderator = %moderator.id, action = decision.action.as_str()))]
pub async fn decide_comment(
    db: &Database,
    moderator: &ModeratorContext,
    id: CommentId,
    decision: Decision,
) -> Result<CommentView, AppError> {
    let moderator = moderator.clone();
    let action = decision.action;
    let view = db
        .write(move |conn| decide_in_tx(conn, &moderator, id, &decision))
        .await?;
    crate::metrics::registry().decisions.inc(&[action.as_str()]);
    Ok(view)
}

pub(super) fn decide_in_tx(
    conn: &mut DbConn,
    moderator: &ModeratorContext,
    id: CommentId,
    decision: &Decision,
) -> Result<CommentView, AppError> {
    let current = views::load_comment(conn, id)?
        .filter(|c| moderator.can_access(c.site_id))
        .ok_or(AppError::NotFound("comment"))?;
    if let Some(expected) = decision.expected_version
        && expected != current.version
    {
        return Err(AppError::Conflict {
            code: "version_conflict",
            message: format!(
                "the comment changed since version {expected}; it is now at version {}",
                current.version
            ),
            current: Some(Box::new(current)),
        });
    }
    let in_review = current.reports.in_review_since.is_some();
    let target = match decision.target_status(current.status, in_review) {
        Ok(target) => target,
        Err(err) => return Err(AppError::conflict(err, current)),
    };
    let site = storage::sites::find(conn, current.site_id.0)?.ok_or(AppError::NotFound("site"))?;
    let guidelines = Guidelines::from_stored(&site.guidelines).map_err(AppError::internal)?;
    let reason = decision.reason.as_ref().map(|r| r.as_str());
    match (decision.action, reason) {
        (Action::Reject, None) => {
            return Err(AppError::Unprocessable {
                code: "reason_required",
                message: "reason: a rejection needs a guideline code".to_owned(),
            });
        }
        (_, Some(code)) if guidelines.find(code).is_none() => {
            let known: Vec<&str> = guidelines.items().iter().map(|g| g.code.as_str()).collect();
            return Err(AppError::Unprocessable {
                code: "unknown_reason",
                message: format!("reason: {code:?} is not one of the site's guidelines {known:?}"),
            });
        }
        _ => {}
    }

    let now = storage::now();
    let note = decision.note.as_ref().map(|n| n.as_str());
    // Keeping or rejecting a reported comment takes it out of the Reported
    // queue; keeping leaves the earlier decision as it was.
    let out_of_review = matches!(decision.action, Action::Keep | Action::Reject);
    let change = match (decision.action, target) {
        (Action::Keep, _) => StatusChange {
            status: target.as_str(),
            updated_at: now,
            decided_at: None,
            decided_by: None,
            decision_action: None,
            decision_reason: None,
            decision_note: None,
            reported_at: Some(None),
            hidden: Some(false),
        },
        (_, Status::Pending) => StatusChange::back_to_pending(now),
        _ => StatusChange {
            status: target.as_str(),
            updated_at: now,
            decided_at: Some(Some(now)),
            decided_by: Some(Some(moderator.id.0)),
            decision_action: Some(Some(decision.action.as_str())),
            decision_reason: Some(reason),
            decision_note: Some(note),
            reported_at: out_of_review.then_some(None),
            hidden: out_of_review.then_some(false),
        },
    };
    let applied = storage::comments::change_status(
        conn,
        id.0,
        current.version,
        current.status.as_str(),
        &change,
    )?;
    if !applied {
        // Someone else decided between our read and our write.
        let now_current = views::load_comment(conn, id)?.ok_or(AppError::NotFound("comment"))?;
        return Err(AppError::Conflict {
            code: "version_conflict",
            message: "the comment was changed by someone else".to_owned(),
            current: Some(Box::new(now_current)),
        });
    }

    // A decided comment needs no reviewer; a reopened one starts afresh.
    storage::leases::release(conn, id.0)?;
    let (approved, rejected) = count_deltas(current.status, target);
    storage::authors::adjust_counts(conn, current.author.id.0, approved, rejected)?;
    let actor = moderator.actor();
    storage::audit::append(
        conn,
        &NewAudit {
            site_id: current.site_id.0,
            comment_id: id.0,
            actor: &actor,
            action: decision.action.as_str(),
            from_status: Some(current.status.as_str()),
            to_status: target.as_str(),
            reason,
            note,
            created_at: now,
        },
    )?;
    if target == Status::Rejected
        && crate::domain::PublishedSettings::from_stored(&site.published)
            .map_err(AppError::internal)?
            .threads
            .hold_replies_on_reject
    {
        super::hold_replies::hold_replies(conn, &site.name, &actor, id, now)?;
    }
    // Open reports are settled by keeping (dismissed) or rejecting (upheld).
    let settled = match decision.action {
        Action::Keep => Some(("dismissed", "kept")),
        Action::Reject => Some(("upheld", "rejected")),
        Action::Approve | Action::Reopen => None,
    };
    let resolved = match settled {
        Some((status, _)) => {
            storage::reports::resolve_open(conn, id.0, status, Some(moderator.id.0), now)?
        }
        None => 0,
    };
    let view = views::load_comment(conn, id)?.ok_or(AppError::NotFound("comment"))?;
    if let Some(event) = EventType::of_decision(decision.action) {
        webhooks::record_comment_event(conn, &site.name, event, &view, now)?;
    }
    if let (Some((_, outcome)), true) = (settled, resolved > 0) {
        let mut extra = serde_json::Map::new();
        extra.insert(
            "resolution".into(),
            serde_json::json!({"outcome": outcome, "reports": resolved, "by": moderator.email}),
        );
        webhooks::record_comment_event_with(
            conn,
            &site.name,
            EventType::ReportResolved,
            &view,
            now,
            extra,
        )?;
    }
    Ok(view)
}

/// How a status change moves the author's approved and rejected counts.
pub fn count_deltas(from: Status, to: Status) -> (i32, i32) {
    let weight = |s: Status| match s {
        Status::Approved => (1, 0),
        Status::Rejected => (0, 1),
        Status::Pending | Status::Withdrawn => (0, 0),
    };
    let (fa, fr) = weight(from);
    let (ta, tr) = weight(to);
    (ta - fa, tr - fr)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn deltas_follow_the_status() {
        assert_eq!(count_deltas(Status::Pending, Status::Approved), (1, 0));
        assert_eq!(count_deltas(Status::Pending, Status::Rejected), (0, 1));
        assert_eq!(count_deltas(Status::Approved, Status::Pending), (-1, 0));
        assert_eq!(count_deltas(Status::Rejected, Status::Pending), (0, -1));
        assert_eq!(count_deltas(Status::Approved, Status::Withdrawn), (-1, 0));
    }
}
