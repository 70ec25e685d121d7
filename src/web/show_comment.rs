use actix_web::{HttpResponse, web};

use super::assets;
use super::nav::nav;
use super::page_error::PageError;
use super::queue_card::card;
use super::session::CurrentSession;
use super::templates::{AuthorCommentLine, CommentPage, HistoryLine, NoteLine, render};
use crate::api::{AppState, parse};
use crate::domain::Status;
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
    let now = chrono::Utc::now().naive_utc();
    let mut shown = card(comment, &overview, now);
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
    Ok(render(&CommentPage {
        assets: assets::version(),
        nav: Some(nav(&session, &overview)),
        csrf: session.csrf_token.clone(),
        status: comment.status.as_str().to_owned(),
        pending: comment.status == Status::Pending,
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
