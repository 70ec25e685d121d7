use actix_web::{HttpResponse, web};
use serde_json::json;

use super::nav::nav;
use super::page_error::PageError;
use super::session::CurrentSession;
use crate::api::AppState;
use crate::moderation;

/// `GET /queue/count`: how many comments wait, as the page header shows it.
pub async fn queue_count(
    state: web::Data<AppState>,
    CurrentSession(session): CurrentSession,
) -> Result<HttpResponse, PageError> {
    let overview = moderation::queue_overview(&state.db, &session.moderator, Vec::new())
        .await
        .map_err(|e| PageError::new(e, true))?;
    Ok(HttpResponse::Ok().json(json!({ "pending": nav(&session, &overview).pending })))
}
