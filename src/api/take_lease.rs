use actix_web::{HttpResponse, web};

use super::dto::LeaseResource;
use super::extract::ModeratorAuth;
use super::{AppState, parse};
use crate::error::AppError;
use crate::moderation;

/// `POST /api/v1/comments/{id}/lease`: takes or renews the lease on a
/// pending comment; 409 `leased` names whoever holds it.
#[utoipa::path(
    post, path = "/api/v1/comments/{id}/lease", tag = "moderation",
    security(("moderator_token" = [])),
    params(("id" = String, Path, description = "The comment's id")),
    responses(
        (status = 200, description = "Taken or renewed", body = super::dto::LeaseResource),
        (status = 409, description = "`leased` by someone else, or the comment is not pending", body = super::error_response::ErrorResponse),
    )
)]
pub async fn take_lease(
    state: web::Data<AppState>,
    ModeratorAuth(moderator): ModeratorAuth,
    path: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let id = parse::comment_id(&path)?;
    let lease = moderation::take_lease(&state.db, &moderator, id, state.lease_ttl).await?;
    Ok(HttpResponse::Ok().json(LeaseResource::from(&lease)))
}
