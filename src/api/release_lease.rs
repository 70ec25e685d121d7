use actix_web::{HttpResponse, web};

use super::extract::ModeratorAuth;
use super::{AppState, parse};
use crate::error::AppError;
use crate::moderation;

/// `DELETE /api/v1/comments/{id}/lease`: gives up one's own lease.
#[utoipa::path(
    delete, path = "/api/v1/comments/{id}/lease", tag = "moderation",
    security(("moderator_token" = [])),
    params(("id" = String, Path, description = "The comment's id")),
    responses((status = 204, description = "Released, or there was none of the caller's"))
)]
pub async fn release_lease(
    state: web::Data<AppState>,
    ModeratorAuth(moderator): ModeratorAuth,
    path: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let id = parse::comment_id(&path)?;
    moderation::release_lease(&state.db, &moderator, id).await?;
    Ok(HttpResponse::NoContent().finish())
}
