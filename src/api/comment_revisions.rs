use actix_web::{HttpResponse, web};

use super::dto::{RevisionList, RevisionResource};
use super::extract::Authenticated;
use super::{AppState, parse};
use crate::error::AppError;
use crate::moderation;

/// `GET /api/v1/comments/{id}/revisions`: every body the comment has had.
#[utoipa::path(
    get, path = "/api/v1/comments/{id}/revisions", tag = "comments",
    security(("site_key" = []), ("moderator_token" = [])),
    params(("id" = String, Path, description = "The comment's id")),
    responses((status = 200, description = "Every body, oldest first; the last is the current one", body = super::dto::RevisionList))
)]
pub async fn comment_revisions(
    state: web::Data<AppState>,
    Authenticated(principal): Authenticated,
    path: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let id = parse::comment_id(&path)?;
    let revisions = moderation::comment_revisions(&state.db, &principal, id).await?;
    let items: Vec<RevisionResource> = revisions.into_iter().map(Into::into).collect();
    Ok(HttpResponse::Ok().json(RevisionList { items }))
}
