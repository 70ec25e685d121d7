use actix_web::{HttpResponse, web};

use super::page_error::PageError;
use super::queue_card::card;
use super::session::CurrentSession;
use super::templates::{CardFragment, render};
use crate::api::{AppState, parse};
use crate::domain::{QueueTab, Status};
use crate::error::AppError;
use crate::moderation;
use crate::views;

/// `GET /comments/{id}/card`: one pending comment's card, for the queue
/// page to add when a live update announces it.
pub async fn show_card(
    state: web::Data<AppState>,
    CurrentSession(session): CurrentSession,
    path: web::Path<String>,
) -> Result<HttpResponse, PageError> {
    let id = parse::comment_id(&path)?;
    let moderator = session.moderator.clone();
    let comment = state
        .db
        .read(move |conn| views::load_comment(conn, id))
        .await?
        .filter(|c| moderator.can_access(c.site_id) && c.status == Status::Pending)
        .ok_or(AppError::NotFound("comment"))?;
    let overview =
        moderation::queue_overview(&state.db, &session.moderator, vec![comment.site_id]).await?;
    let context = moderation::card_context(
        &state.db,
        &session.moderator,
        std::slice::from_ref(&comment),
    )
    .await?;
    let now = chrono::Utc::now().naive_utc();
    Ok(render(&CardFragment {
        card: card(&comment, &overview, &context, QueueTab::Pending, now),
        csrf: session.csrf_token,
    }))
}
