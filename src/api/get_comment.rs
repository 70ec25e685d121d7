use actix_web::{HttpResponse, web};

use super::dto::CommentResource;
use super::extract::Authenticated;
use super::{AppState, parse};
use crate::error::AppError;
use crate::moderation::can_see;
use crate::views;

/// `GET /api/v1/comments/{id}`: a comment's status, reasons and decision.
#[utoipa::path(
    get, path = "/api/v1/comments/{id}", tag = "comments",
    security(("site_key" = []), ("moderator_token" = [])),
    params(("id" = String, Path, description = "The comment's id")),
    responses((status = 200, description = "The comment's status, reasons and decision", body = super::dto::CommentResource))
)]
pub async fn get_comment(
    state: web::Data<AppState>,
    Authenticated(principal): Authenticated,
    path: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let id = parse::comment_id(&path)?;
    let view = state
        .db
        .read(move |conn| views::load_comment(conn, id))
        .await?
        .filter(|c| can_see(&principal, c.site_id))
        .ok_or(AppError::NotFound("comment"))?;
    Ok(HttpResponse::Ok().json(CommentResource::from(&view)))
}
