//! Edits of comments already submitted: the old body becomes a revision and
//! the new one goes through the rules and the classifier again, under the
//! article's policy as it is now.

use std::sync::Arc;

use chrono::Duration;

use crate::accounts::SiteContext;
use crate::domain::{CommentBody, CommentId, Policy, PublishedSettings, Reason, Status};
use crate::error::AppError;
use crate::rules::{CommentInput, CompiledRules};
use crate::storage::revisions::NewRevision;
use crate::storage::{self, Database, DbConn, audit::NewAudit, comments::BodyChange};
use crate::views::{self, CommentView};
use crate::webhooks::{self, EventType};

use super::stored_verdict::{new_reasons, score_columns};
use super::{Outcome, Scoring, apply_rules, apply_scores, check_policy};

/// A parsed edit: the new body and, optionally, the version the site saw.
#[derive(Debug, Clone)]
pub struct Edit {
    pub body: CommentBody,
    pub expected_version: Option<i64>,
}

/// What a site's external scorer is told of the comment besides its new
/// body: the article's and the author's ids.
#[derive(Debug, Clone, Default)]
pub struct EditTarget {
    pub article: String,
    pub author: String,
}

/// What the site's scorers are told of an edited comment besides its new
/// body. The built-in models read only the text, so for most sites this
/// reads nothing; a site's own scorer is also told the article and the
/// author, read before the edit is scored (404 for another site's
/// comment). The rules need more of the comment and read it inside the
/// write.
pub async fn edit_target(
    db: &Database,
    site: &SiteContext,
    id: CommentId,
) -> Result<EditTarget, AppError> {
    if site.classifier.external.is_none() {
        return Ok(EditTarget::default());
    }
    let site_id = site.id.0;
    db.read(move |conn| {
        let (_, article, author) = storage::comments::find_with_article_and_author(conn, id.0)?
            .filter(|(c, ..)| c.site_id == site_id)
            .ok_or(AppError::NotFound("comment"))?;
        Ok(EditTarget {
            article: article.external_id,
            author: author.external_id,
        })
    })
    .await
}

/// The outcome of an edit.
#[derive(Debug)]
pub struct EditOutcome {
    pub view: Box<CommentView>,
    /// `false` when the body was the same as before and nothing was stored.
    pub changed: bool,
}

/// Stores an edit. Returns only after the transaction has committed.
#[tracing::instrument(skip_all, fields(site = %site.id, comment = %id))]
pub async fn edit_comment(
    db: &Database,
    site: &SiteContext,
    rules: &Arc<CompiledRules>,
    scoring: Scoring,
    id: CommentId,
    edit: Edit,
) -> Result<EditOutcome, AppError> {
    let site = site.clone();
    let rules = Arc::clone(rules);
    let fingerprint = super::fingerprint(edit.body.as_str());
    db.write(move |conn| {
        let input = CheckedEdit {
            edit: &edit,
            rules: &rules,
            scoring: &scoring,
            fingerprint: &fingerprint,
        };
        edit_in_tx(conn, &site, id, &input)
    })
    .await
}

/// An edit with what was worked out before the transaction.
struct CheckedEdit<'a> {
    edit: &'a Edit,
    rules: &'a CompiledRules,
    scoring: &'a Scoring,
    fingerprint: &'a str,
}

fn edit_in_tx(
    conn: &mut DbConn,
    site: &SiteContext,
    id: CommentId,
    input: &CheckedEdit<'_>,
) -> Result<EditOutcome, AppError> {
    let edit = input.edit;
    let (row, article, author) = storage::comments::find_with_article_and_author(conn, id.0)?
        .filter(|(c, ..)| c.site_id == site.id.0)
        .ok_or(AppError::NotFound("comment"))?;
    let refuse = |conn: &mut DbConn, code: &'static str, message: String| {
        let current = views::load_comment(conn, id)?.ok_or(AppError::NotFound("comment"))?;
        Err(AppError::Conflict {
            code,
            message,
            current: Some(Box::new(current)),
        })
    };
    if let Some(expected) = edit.expected_version
        && expected != row.version
    {
        return refuse(
            conn,
            "version_conflict",
            format!(
                "the comment changed since version {expected}; it is now at version {}",
                row.version
            ),
        );
    }
    let status: Status = row.status.parse()?;
    if matches!(status, Status::Rejected | Status::Withdrawn) {
        return refuse(
            conn,
            "not_editable",
            format!("the comment is {status}; only pending and approved comments can be edited"),
        );
    }
    if row.body == edit.body.as_str() {
        // A retried edit, or one that changes nothing: nothing to record.
        let view = views::load_comment(conn, id)?.ok_or(AppError::NotFound("comment"))?;
        return Ok(EditOutcome {
            view: Box::new(view),
            changed: false,
        });
    }
    let site_row = storage::sites::find(conn, site.id.0)?.ok_or(AppError::Unauthorized)?;
    let published =
        PublishedSettings::from_stored(&site_row.published).map_err(AppError::internal)?;
    let now = storage::now();
    if let Some(window) = published.edits.window_minutes
        && now > row.created_at + Duration::minutes(i64::from(window))
    {
        return refuse(
            conn,
            "edit_window_closed",
            format!("the site allows edits for {window} minutes after a comment is submitted"),
        );
    }
    let policy: Policy = match article.policy.as_deref() {
        Some(p) => p.parse()?,
        None => site_row.default_policy.parse()?,
    };
    let verdict = check_policy(policy, author.approved_count, site_row.new_author_hold)
        .ok_or(AppError::CommentsClosed)?;
    // The rules read the stored comment's article and author, which this
    // write reads with it; they are quick next to a read before it.
    let hits = super::evaluate_rules(
        input.rules,
        &CommentInput {
            body: edit.body.as_str(),
            article: &article.external_id,
            author_id: &author.external_id,
            email: author.email.as_deref(),
            ip: row.author_ip.as_deref().and_then(|ip| ip.parse().ok()),
        },
    );
    let outcome = apply_rules(
        verdict,
        &hits,
        author.approved_count < site_row.new_author_hold,
    );
    let mut outcome = apply_scores(outcome, input.scoring, &site.classifier);
    let target = status_after_edit(status, policy, &outcome);
    outcome
        .reasons
        .insert(0, edited_reason(status, target, row.revision + 1));
    let (reasons, scores) = views::split_scores(std::mem::take(&mut outcome.reasons));
    let auto_reject = (target == Status::Rejected)
        .then_some(outcome.auto_reject.as_ref())
        .flatten();

    let score_columns = score_columns(&scores)?;
    let keeps_decision = target == status;
    let change = BodyChange {
        body: edit.body.as_str(),
        body_hash: Some(input.fingerprint),
        status: target.as_str(),
        priority: outcome.priority,
        revision: row.revision + 1,
        edited_at: Some(now),
        updated_at: now,
        scores: score_columns.json.as_deref(),
        spam_score: score_columns.spam,
        offensive_score: score_columns.offensive,
        decided_at: decision_field(keeps_decision, row.decided_at, auto_reject.map(|_| now)),
        decided_by: if keeps_decision { row.decided_by } else { None },
        decision_action: decision_field(
            keeps_decision,
            row.decision_action.as_deref(),
            auto_reject.map(|_| "reject"),
        ),
        decision_reason: decision_field(
            keeps_decision,
            row.decision_reason.as_deref(),
            auto_reject.and_then(|r| r.reason.as_deref()),
        ),
        decision_note: decision_field(
            keeps_decision,
            row.decision_note.as_deref(),
            auto_reject.map(|r| r.note.as_str()),
        ),
    };
    let applied = storage::comments::change_body(conn, &row, &change)?;
    if !applied {
        return refuse(
            conn,
            "version_conflict",
            "the comment was changed by someone else".to_owned(),
        );
    }
    // The replaced body becomes a revision; its reasons stay, recorded
    // for its revision number, beside the new body's.
    storage::revisions::insert(
        conn,
        &NewRevision {
            comment_id: row.id,
            revision: row.revision,
            body: &row.body,
            status: &row.status,
            written_at: row.edited_at.unwrap_or(row.created_at),
            replaced_at: now,
        },
    )?;
    storage::comments::insert_reasons(conn, &new_reasons(row.id, change.revision, &reasons))?;
    if target != status {
        storage::leases::release(conn, row.id)?;
        let (approved, rejected) = crate::moderation::count_deltas(status, target);
        storage::authors::adjust_counts(conn, row.author_id, approved, rejected)?;
    }
    let note = match auto_reject {
        Some(r) => format!("revision {}; {}", row.revision + 1, r.note),
        None => format!("revision {}", row.revision + 1),
    };
    storage::audit::append(
        conn,
        &NewAudit {
            site_id: row.site_id,
            comment_id: row.id,
            actor: &site.actor(),
            action: "edit",
            from_status: Some(status.as_str()),
            to_status: target.as_str(),
            reason: auto_reject.and_then(|r| r.reason.as_deref()),
            note: Some(&note),
            created_at: now,
        },
    )?;
    // The view from what is in hand: the edit's own path stays as short as
    // a submission's.
    let mut author = author;
    let (approved, rejected) = crate::moderation::count_deltas(status, target);
    author.approved_count += approved;
    author.rejected_count += rejected;
    let updated = change.applied_to(&row);
    let guidelines =
        crate::domain::Guidelines::from_stored(&site_row.guidelines).map_err(AppError::internal)?;
    let view = views::view_from_rows(conn, updated, &article, &author, &guidelines, reasons)?;
    webhooks::record_comment_event(conn, &site.name, EventType::CommentEdited, &view, now)?;
    let status_event = match target {
        _ if target == status => None,
        Status::Pending => Some(EventType::CommentReopened),
        Status::Rejected => Some(EventType::CommentRejected),
        Status::Approved | Status::Withdrawn => None,
    };
    if let Some(event) = status_event {
        webhooks::record_comment_event(conn, &site.name, event, &view, now)?;
    }
    Ok(EditOutcome {
        view: Box::new(view),
        changed: true,
    })
}

/// Where an edit leaves a comment in `current` status. A rejection by a
/// rule or a score applies whatever the status. A pending comment stays in
/// the queue. An approved one goes back to the queue under `pre`, and under
/// `post` when a reason holds the new body.
pub fn status_after_edit(current: Status, policy: Policy, outcome: &Outcome) -> Status {
    if outcome.auto_reject.is_some() && outcome.status == Status::Rejected {
        return Status::Rejected;
    }
    match (current, policy) {
        (Status::Approved, Policy::Post) if outcome.status != Status::Pending => Status::Approved,
        _ => Status::Pending,
    }
}

/// The reason every edit records, saying what the edit did.
fn edited_reason(from: Status, to: Status, revision: i32) -> Reason {
    let message = match (from, to) {
        (Status::Approved, Status::Pending) => format!(
            "Edited after it was approved (revision {revision}); the edit waits for a moderator."
        ),
        (Status::Approved, Status::Approved) => format!(
            "Edited after it was approved (revision {revision}); nothing in the edit holds it."
        ),
        (_, Status::Rejected) => format!("Edited (revision {revision}); the edit was rejected."),
        _ => format!("Edited while waiting for a moderator (revision {revision})."),
    };
    Reason::policy("edited", message)
}

/// The previous decision when the status stays, else the automatic one
/// (or none).
fn decision_field<T>(keep: bool, previous: Option<T>, automatic: Option<T>) -> Option<T> {
    if keep { previous } else { automatic }
}

#[cfg(test)]
mod tests {
    use super::super::AutoReject;
    use super::*;

    fn outcome(status: Status, auto_reject: bool) -> Outcome {
        Outcome {
            status,
            reasons: Vec::new(),
            priority: 0,
            auto_reject: auto_reject.then(|| AutoReject {
                reason: Some("spam".into()),
                note: "by rule".into(),
                by: "rules".into(),
            }),
        }
    }

    #[test]
    fn edits_go_back_to_the_queue_as_the_policy_says() {
        use Status::*;
        // pre: an approved comment is looked at again, whatever the edit.
        assert_eq!(
            status_after_edit(Approved, Policy::Pre, &outcome(Pending, false)),
            Pending
        );
        assert_eq!(
            status_after_edit(Approved, Policy::Pre, &outcome(Approved, false)),
            Pending
        );
        // post: it stays published unless a reason holds the new body.
        assert_eq!(
            status_after_edit(Approved, Policy::Post, &outcome(Approved, false)),
            Approved
        );
        assert_eq!(
            status_after_edit(Approved, Policy::Post, &outcome(Pending, false)),
            Pending
        );
        // A pending comment stays pending even if the edit looks clean.
        assert_eq!(
            status_after_edit(Pending, Policy::Post, &outcome(Approved, false)),
            Pending
        );
        // A rejecting rule applies in every case.
        for (current, policy) in [(Approved, Policy::Post), (Pending, Policy::Pre)] {
            assert_eq!(
                status_after_edit(current, policy, &outcome(Rejected, true)),
                Rejected
            );
        }
    }
}
