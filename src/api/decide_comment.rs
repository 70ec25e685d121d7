use actix_web::{HttpResponse, web};

use super::dto::{CommentResource, DecisionRequest};
use super::extract::{JsonBody, ModeratorAuth};
use super::{AppState, parse};
use crate::error::AppError;
use crate::moderation;

/// `POST /api/v1/comments/{id}/decision`: approve, reject or reopen.
pub async fn decide_comment(
    state: web::Data<AppState>,
    ModeratorAuth(moderator): ModeratorAuth,
    path: web::Path<String>,
    body: JsonBody<DecisionRequest>,
) -> Result<HttpResponse, AppError> {
    let id = parse::comment_id(&path)?;
    let req = body.value;
    let decision = parse::decision(&req.action, req.reason, req.note, Some(req.version))?;
    let view = moderation::decide_comment(&state.db, &moderator, id, decision).await?;
    Ok(HttpResponse::Ok().json(CommentResource::from(&view)))
}
