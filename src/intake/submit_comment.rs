use crate::accounts::SiteContext;
use crate::domain::{ArticleId, AuthorId, CommentId, IdGenerator, Policy, Status};
use crate::error::AppError;
use crate::rules::{CommentInput, CompiledRules, RuleHit};
use crate::storage::{self, Database, DbConn};
use crate::storage::{
    articles::NewArticle, audit::NewAudit, authors::NewAuthor, comments::NewComment,
    idempotency::NewIdempotencyKey,
};
use crate::views::{self, AuthorSummary, CommentView, DecisionView, GuidelineRef, ReportState};
use crate::webhooks::{self, EventType};

use std::sync::Arc;

use super::behaviour::{self, Poster};
use super::stored_verdict::{new_reasons, score_columns};
use super::{IdempotencyKey, Scoring, Submission, apply_rules, apply_scores, check_policy};

/// A new comment, or the one an earlier request with the same key made.
#[derive(Debug)]
pub enum SubmitOutcome {
    Created(Box<CommentView>),
    Replayed(Box<CommentView>),
}

/// Stores a comment under its article's policy. Returns only after the
/// transaction has committed.
#[tracing::instrument(skip_all, fields(site = %site.id, article = %submission.article.external_id.as_str()))]
pub async fn submit_comment(
    db: &Database,
    ids: &std::sync::Arc<IdGenerator>,
    site: &SiteContext,
    rules: &Arc<CompiledRules>,
    scoring: Scoring,
    submission: Submission,
    idempotency: Option<IdempotencyKey>,
) -> Result<SubmitOutcome, AppError> {
    // Rules read only the submission, so they run here, in parallel across
    // requests, and not inside the serialised write.
    let hits = super::evaluate_rules(
        rules,
        &CommentInput {
            body: submission.body.as_str(),
            article: submission.article.external_id.as_str(),
            author_id: submission.author.external_id.as_str(),
            email: submission.author.email.as_deref(),
            ip: submission.author.ip,
        },
    );
    let site = site.clone();
    let ids = ids.clone();
    let rules = Arc::clone(rules);
    let fingerprint = behaviour::fingerprint(submission.body.as_str());
    db.write(move |conn| {
        let input = Checked {
            sub: &submission,
            hits: &hits,
            rules: &rules,
            scoring: &scoring,
            fingerprint: &fingerprint,
        };
        submit_in_tx(conn, &ids, &site, &input, idempotency.as_ref())
    })
    .await
}

/// A submission with what was worked out before the transaction.
struct Checked<'a> {
    sub: &'a Submission,
    hits: &'a [RuleHit],
    rules: &'a CompiledRules,
    scoring: &'a Scoring,
    fingerprint: &'a str,
}

fn submit_in_tx(
    conn: &mut DbConn,
    ids: &IdGenerator,
    site: &SiteContext,
    input: &Checked<'_>,
    idempotency: Option<&IdempotencyKey>,
) -> Result<SubmitOutcome, AppError> {
    let sub = input.sub;
    if let Some(key) = idempotency
        && let Some(existing) = storage::idempotency::find(conn, site.id.0, key.key.as_str())?
    {
        if existing.request_hash != key.request_hash {
            return Err(AppError::IdempotencyKeyReused);
        }
        let view = views::load_comment(conn, CommentId(existing.comment_id))?
            .ok_or_else(|| AppError::internal("idempotency key points at a missing comment"))?;
        return Ok(SubmitOutcome::Replayed(Box::new(view)));
    }

    // The caller's SiteContext may come from the credential cache; policy
    // and hold are read fresh so a settings change applies at once.
    let site_row = storage::sites::find(conn, site.id.0)?.ok_or(AppError::Unauthorized)?;
    let default_policy: Policy = site_row.default_policy.parse()?;
    let new_author_hold = site_row.new_author_hold;
    let now = storage::now();
    let article =
        storage::articles::find_by_external(conn, site.id.0, sub.article.external_id.as_str())?;
    let policy = match &article {
        Some(a) => a
            .policy
            .as_deref()
            .map(str::parse)
            .transpose()?
            .unwrap_or(default_policy),
        None => default_policy,
    };
    if policy == Policy::Closed {
        return Err(AppError::CommentsClosed);
    }
    let (article_id, article_title, article_url) = match article {
        Some(a) => (a.id, a.title, a.url),
        None => {
            let id = ids.next();
            storage::articles::insert(
                conn,
                &NewArticle {
                    id,
                    site_id: site.id.0,
                    external_id: sub.article.external_id.as_str(),
                    url: &sub.article.url,
                    title: &sub.article.title,
                    policy: None,
                    created_at: now,
                    updated_at: now,
                },
            )?;
            (id, sub.article.title.clone(), sub.article.url.clone())
        }
    };

    let mut parent_rejected = false;
    if let Some(parent) = sub.parent_id {
        let parent = storage::comments::find(conn, parent.0)?
            .filter(|p| p.site_id == site.id.0 && p.article_id == article_id)
            .ok_or_else(|| AppError::Unprocessable {
                code: "invalid_parent",
                message: "parent_id: no such comment on this article".to_owned(),
            })?;
        parent_rejected = parent.status == Status::Rejected.as_str();
    }

    let author =
        storage::authors::find_by_external(conn, site.id.0, sub.author.external_id.as_str())?;
    let known_author = author.as_ref().map(|a| a.id);
    let ip = sub.author.ip.map(|ip| ip.to_string());
    let mut hits = input.hits.to_vec();
    hits.extend(behaviour::behaviour_hits(
        conn,
        input.rules,
        &Poster {
            site: site.id,
            author_id: known_author,
            ip: ip.as_deref(),
            fingerprint: input.fingerprint,
            article: sub.article.external_id.as_str(),
        },
    )?);
    let (author_id, approved_count, rejected_count) = match author {
        Some(a) => {
            if a.display_name != sub.author.name || a.email != sub.author.email {
                storage::authors::update_profile(
                    conn,
                    a.id,
                    &sub.author.name,
                    sub.author.email.as_deref(),
                )?;
            }
            (a.id, a.approved_count, a.rejected_count)
        }
        None => {
            let id = ids.next();
            storage::authors::insert(
                conn,
                &NewAuthor {
                    id,
                    site_id: site.id.0,
                    external_id: sub.author.external_id.as_str(),
                    display_name: &sub.author.name,
                    email: sub.author.email.as_deref(),
                    approved_count: 0,
                    rejected_count: 0,
                    created_at: now,
                },
            )?;
            (id, 0, 0)
        }
    };

    let verdict =
        check_policy(policy, approved_count, new_author_hold).ok_or(AppError::CommentsClosed)?;
    let verdict = apply_rules(verdict, &hits, approved_count < new_author_hold);
    let mut verdict = apply_scores(verdict, input.scoring, &site.classifier);
    if parent_rejected
        && crate::domain::PublishedSettings::from_stored(&site_row.published)
            .map_err(AppError::internal)?
            .threads
            .hold_replies_on_reject
    {
        verdict.reasons.push(parent_rejected_reason());
        if verdict.status == Status::Approved {
            verdict.status = Status::Pending;
        }
    }
    // Scores below their band are scores only; the rest are reasons too.
    let (verdict_reasons, scores) = views::split_scores(std::mem::take(&mut verdict.reasons));
    let auto_reject = verdict.auto_reject.as_ref();
    let score_columns = score_columns(&scores)?;
    let comment_id = ids.next();
    storage::comments::insert(
        conn,
        &NewComment {
            id: comment_id,
            site_id: site.id.0,
            article_id,
            author_id,
            parent_id: sub.parent_id.map(|p| p.0),
            body: sub.body.as_str(),
            status: verdict.status.as_str(),
            policy: policy.as_str(),
            priority: verdict.priority,
            version: 1,
            client_ref: sub.client_ref.as_ref().map(|c| c.as_str()),
            author_ip: ip.as_deref(),
            created_at: now,
            updated_at: now,
            decided_at: auto_reject.map(|_| now),
            decision_action: auto_reject.map(|_| "reject"),
            decision_reason: auto_reject.and_then(|r| r.reason.as_deref()),
            decision_note: auto_reject.map(|r| r.note.as_str()),
            body_hash: Some(input.fingerprint),
            scores: score_columns.json.as_deref(),
            spam_score: score_columns.spam,
            offensive_score: score_columns.offensive,
            imported_from: None,
        },
    )?;
    let reasons = new_reasons(comment_id, 1, &verdict_reasons);
    storage::comments::insert_reasons(conn, &reasons)?;
    match verdict.status {
        Status::Approved => storage::authors::adjust_counts(conn, author_id, 1, 0)?,
        Status::Rejected => storage::authors::adjust_counts(conn, author_id, 0, 1)?,
        Status::Pending | Status::Withdrawn => {}
    }
    let actor = site.actor();
    storage::audit::append(
        conn,
        &NewAudit {
            site_id: site.id.0,
            comment_id,
            actor: &actor,
            action: "submit",
            from_status: None,
            to_status: verdict.status.as_str(),
            reason: auto_reject.and_then(|r| r.reason.as_deref()),
            note: auto_reject.map(|r| r.note.as_str()),
            created_at: now,
        },
    )?;
    if let Some(key) = idempotency {
        storage::idempotency::insert(
            conn,
            &NewIdempotencyKey {
                site_id: site.id.0,
                key: key.key.as_str(),
                request_hash: &key.request_hash,
                comment_id,
                created_at: now,
            },
        )?;
    }
    let approved_count = approved_count + i32::from(verdict.status == Status::Approved);
    let rejected_count = rejected_count + i32::from(verdict.status == Status::Rejected);
    let decision = verdict.auto_reject.as_ref().map(|r| DecisionView {
        action: "reject".to_owned(),
        moderator: Some(r.by.clone()),
        reason: r.reason.clone().map(|code| GuidelineRef {
            title: site_guidelines(&site_row.guidelines)
                .and_then(|g| g.find(&code).map(|g| g.title.clone())),
            code,
        }),
        note: Some(r.note.clone()),
        decided_at: Some(now),
    });
    // Everything the view shows is at hand; reloading it would double the
    // statements on the ingest path.
    let view = CommentView {
        id: CommentId(comment_id),
        site_id: site.id,
        article_id: ArticleId(article_id),
        article_external_id: sub.article.external_id.as_str().to_owned(),
        article_title,
        article_url,
        author: AuthorSummary {
            id: AuthorId(author_id),
            external_id: sub.author.external_id.as_str().to_owned(),
            name: sub.author.name.clone(),
            email: sub.author.email.clone(),
            approved_count,
            rejected_count,
        },
        parent_id: sub.parent_id,
        body: sub.body.as_str().to_owned(),
        status: verdict.status,
        policy,
        priority: verdict.priority,
        version: 1,
        reasons: verdict_reasons,
        scores,
        client_ref: sub.client_ref.as_ref().map(|c| c.as_str().to_owned()),
        created_at: now,
        updated_at: now,
        decision,
        revision: 1,
        edited_at: None,
        reports: ReportState::default(),
    };
    webhooks::record_comment_event(conn, &site.name, EventType::CommentCreated, &view, now)?;
    Ok(SubmitOutcome::Created(Box::new(view)))
}

fn site_guidelines(stored: &str) -> Option<crate::domain::Guidelines> {
    crate::domain::Guidelines::from_stored(stored).ok()
}

/// Why a reply waits when the comment it answers was rejected (the site's
/// `threads.hold_replies_on_reject`).
pub fn parent_rejected_reason() -> crate::domain::Reason {
    crate::domain::Reason::policy(
        "parent_rejected",
        "The comment this replies to was rejected; the site holds such replies for review."
            .to_owned(),
    )
}
