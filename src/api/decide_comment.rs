use actix_web::{HttpResponse, web};

use super::dto::{CommentResource, DecisionRequest};
use super::extract::{JsonBody, ModeratorAuth};
use super::{AppState, parse};
use crate::error::AppError;
use crate::moderation;

/// `POST /api/v1/comments/{id}/decision`: approve, reject or reopen.
#[utoipa::path(
    post, path = "/api/v1/comments/{id}/decision", tag = "moderation",
    security(("moderator_token" = [])),
    params(("id" = String, Path, description = "The comment's id")),
    request_body = super::dto::DecisionRequest,
    responses(
        (status = 200, description = "Decided", body = super::dto::CommentResource),
        (status = 409, description = "`version_conflict` (with `current`), `leased` by someone else, or `invalid_transition`", body = super::error_response::ErrorResponse),
    )
)]
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
