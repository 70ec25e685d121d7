use actix_web::{HttpResponse, web};

use super::dto::CommentResource;
use super::extract::SiteAuth;
use super::{AppState, parse};
use crate::error::AppError;
use crate::moderation;

/// `DELETE /api/v1/comments/{id}`: the site withdraws a comment.
pub async fn withdraw_comment(
    state: web::Data<AppState>,
    SiteAuth(site): SiteAuth,
    path: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let id = parse::comment_id(&path)?;
    let view = moderation::withdraw_comment(&state.db, &site, id).await?;
    Ok(HttpResponse::Ok().json(CommentResource::from(&view)))
}
