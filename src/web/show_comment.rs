use actix_web::{HttpResponse, web};

use super::assets;
use super::nav::nav;
use super::page_error::PageError;
use super::queue_card::{card, diff_lines};
use super::session::CurrentSession;
use super::templates::{
    AuthorCommentLine, CommentPage, HistoryLine, NoteLine, ReportLine, RevisionLine, render,
};
use crate::api::{AppState, parse};
use crate::domain::QueueTab;
use crate::moderation;

/// `GET /comments/{id}`: one comment with its reasons, its audit trail,
/// the author's other comments on the site and moderators' notes about
/// the author.
pub async fn show_comment(
    state: web::Data<AppState>,
    CurrentSession(session): CurrentSession,
    path: web::Path<String>,
) -> Result<HttpResponse, PageError> {
    let id = parse::comment_id(&path)?;
    let detail = moderation::comment_detail(&state.db, &session.moderator, id).await?;
    let comment = &detail.comment;
    let overview =
        moderation::queue_overview(&state.db, &session.moderator, vec![comment.site_id]).await?;
    let context =
        moderation::card_context(&state.db, &session.moderator, std::slice::from_ref(comment))
            .await?;
    let now = chrono::Utc::now().naive_utc();
    let mut shown = card(comment, &overview, &context, QueueTab::Pending, now);
    shown.back = format!("/comments/{}", comment.id);
    let time = |t: chrono::NaiveDateTime| t.format("%Y-%m-%d %H:%M:%S UTC").to_string();
    let decision = comment.decision.as_ref().map(|d| {
        let mut text = format!(
            "{} by {}",
            d.action,
            d.moderator.as_deref().unwrap_or("someone")
        );
        if let Some(reason) = &d.reason {
            text.push_str(&format!(
                ": {} ({})",
                reason.code,
                reason.title.as_deref().unwrap_or("no longer a guideline")
            ));
        }
        if let Some(at) = d.decided_at {
            text.push_str(&format!(", {}", time(at)));
        }
        (text, d.note.clone())
    });
    let principal = crate::accounts::Principal::Moderator(session.moderator.clone());
    let revisions = moderation::comment_revisions(&state.db, &principal, id).await?;
    let reports = crate::reports::reports_of(&state.db, &principal, id).await?;
    Ok(render(&CommentPage {
        assets: assets::version(),
        nav: Some(nav(&session, &overview)),
        csrf: session.csrf_token.clone(),
        status: comment.status.as_str().to_owned(),
        revisions: revisions
            .windows(2)
            .rev()
            .map(|pair| RevisionLine {
                revision: pair[1].revision,
                status: pair[0].status.clone(),
                at: time(pair[1].written_at),
                diff: diff_lines(&pair[0].body, &pair[1].body),
            })
            .collect(),
        first_body: revisions
            .first()
            .filter(|_| revisions.len() > 1)
            .map(|r| r.body.clone()),
        reports: reports
            .iter()
            .map(|r| ReportLine {
                reporter: r.reporter.clone(),
                reason: r.reason.label(),
                note: r.note.clone().unwrap_or_default(),
                status: r.status.as_str(),
                counted: r.counted,
                at: time(r.created_at),
            })
            .collect(),
        created: time(comment.created_at),
        author_id: comment.author.id.to_string(),
        author_external_id: comment.author.external_id.clone(),
        decision,
        history: detail
            .history
            .iter()
            .map(|h| HistoryLine {
                at: time(h.at),
                actor: h.actor.clone(),
                action: h.action.clone(),
                change: h.change(),
                reason: h.reason.clone().unwrap_or_default(),
                note: h.note.clone().unwrap_or_default(),
            })
            .collect(),
        author_comments: detail
            .author_comments
            .iter()
            .map(|c| AuthorCommentLine {
                id: c.id.to_string(),
                status: c.status.clone(),
                at: time(c.at),
                excerpt: c.excerpt.clone(),
                this: c.id == comment.id,
            })
            .collect(),
        notes: detail
            .author_notes
            .iter()
            .map(|n| NoteLine {
                note: n.note.clone(),
                moderator: n.moderator.clone(),
                at: time(n.at),
            })
            .collect(),
        card: shown,
    }))
}
