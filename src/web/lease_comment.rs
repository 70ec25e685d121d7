use actix_web::{HttpRequest, HttpResponse, web};
use serde_json::json;

use super::csrf;
use super::page_error::PageError;
use super::session::CurrentSession;
use crate::api::{AppState, parse};
use crate::error::AppError;
use crate::moderation;

/// The CSRF token of a script's request, sent as a header.
fn header_token(req: &HttpRequest) -> String {
    req.headers()
        .get("X-CSRF-Token")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned()
}

/// `POST /comments/{id}/lease`: the queue's script takes (or renews) the
/// lease on the comment in focus. JSON only.
pub async fn take_lease(
    req: HttpRequest,
    state: web::Data<AppState>,
    CurrentSession(session): CurrentSession,
    path: web::Path<String>,
) -> Result<HttpResponse, PageError> {
    let result = async {
        csrf::check(&session, &header_token(&req))?;
        let id = parse::comment_id(&path)?;
        moderation::take_lease(&state.db, &session.moderator, id, state.lease_ttl).await
    }
    .await;
    let lease = result.map_err(|e: AppError| PageError::new(e, true))?;
    Ok(HttpResponse::Ok().json(json!({
        "moderator": lease.moderator,
        "expires_in_secs": state.lease_ttl.as_secs(),
    })))
}

/// `DELETE /comments/{id}/lease`: gives the lease up when the focus moves on.
pub async fn release_lease(
    req: HttpRequest,
    state: web::Data<AppState>,
    CurrentSession(session): CurrentSession,
    path: web::Path<String>,
) -> Result<HttpResponse, PageError> {
    let result = async {
        csrf::check(&session, &header_token(&req))?;
        let id = parse::comment_id(&path)?;
        moderation::release_lease(&state.db, &session.moderator, id).await
    }
    .await;
    result.map_err(|e| PageError::new(e, true))?;
    Ok(HttpResponse::NoContent().finish())
}
