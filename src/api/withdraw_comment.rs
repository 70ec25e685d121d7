use actix_web::{HttpResponse, web};

use super::dto::CommentResource;
use super::extract::SiteAuth;
use super::{AppState, parse};
use crate::error::AppError;
use crate::moderation;

/// `DELETE /api/v1/comments/{id}`: the site withdraws a comment.
#[utoipa::path(
    delete, path = "/api/v1/comments/{id}", tag = "comments",
    security(("site_key" = [])),
    params(("id" = String, Path, description = "The comment's id")),
    responses(
        (status = 200, description = "Withdrawn", body = super::dto::CommentResource),
        (status = 409, description = "`comment_withdrawn`: it already was, with `current`", body = super::error_response::ErrorResponse),
    )
)]
pub async fn withdraw_comment(
    state: web::Data<AppState>,
    SiteAuth(site): SiteAuth,
    path: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let id = parse::comment_id(&path)?;
    let view = moderation::withdraw_comment(&state.db, &site, id).await?;
    Ok(HttpResponse::Ok().json(CommentResource::from(&view)))
}
