use actix_web::{HttpResponse, web};

use super::dto::HistoryEntryResource;
use super::extract::Authenticated;
use super::{AppState, parse};
use crate::error::AppError;
use crate::moderation;

/// `GET /api/v1/comments/{id}/history`: the audit trail, oldest first.
pub async fn comment_history(
    state: web::Data<AppState>,
    Authenticated(principal): Authenticated,
    path: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let id = parse::comment_id(&path)?;
    let entries = moderation::comment_history(&state.db, &principal, id).await?;
    let items: Vec<HistoryEntryResource> = entries.into_iter().map(Into::into).collect();
    Ok(HttpResponse::Ok().json(serde_json::json!({ "items": items })))
}
