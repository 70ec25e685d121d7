use actix_web::{HttpResponse, web};

use super::dto::{HistoryEntryResource, HistoryList};
use super::extract::Authenticated;
use super::{AppState, parse};
use crate::error::AppError;
use crate::moderation;

/// `GET /api/v1/comments/{id}/history`: the audit trail, oldest first.
#[utoipa::path(
    get, path = "/api/v1/comments/{id}/history", tag = "comments",
    security(("site_key" = []), ("moderator_token" = [])),
    params(("id" = String, Path, description = "The comment's id")),
    responses((status = 200, description = "The audit trail, oldest first", body = super::dto::HistoryList))
)]
pub async fn comment_history(
    state: web::Data<AppState>,
    Authenticated(principal): Authenticated,
    path: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let id = parse::comment_id(&path)?;
    let entries = moderation::comment_history(&state.db, &principal, id).await?;
    let items: Vec<HistoryEntryResource> = entries.into_iter().map(Into::into).collect();
    Ok(HttpResponse::Ok().json(HistoryList { items }))
}
