use actix_web::{HttpResponse, web};

use super::dto::{BulkDecisionRequest, BulkDecisionResult, BulkDecisionResults, CommentResource};
use super::error_response::{error_body, status_of};
use super::extract::{JsonBody, ModeratorAuth};
use super::{AppState, parse};
use crate::error::AppError;
use crate::moderation::{self, BulkItem};

/// `POST /api/v1/decisions`: one decision for many comments, a result each.
#[utoipa::path(
    post, path = "/api/v1/decisions", tag = "moderation",
    security(("moderator_token" = [])),
    request_body = super::dto::BulkDecisionRequest,
    responses((status = 200, description = "A result per comment, in the order given", body = super::dto::BulkDecisionResults))
)]
pub async fn decide_many(
    state: web::Data<AppState>,
    ModeratorAuth(moderator): ModeratorAuth,
    body: JsonBody<BulkDecisionRequest>,
) -> Result<HttpResponse, AppError> {
    let req = body.value;
    let max = state.limits.max_bulk_decisions;
    if req.comments.is_empty() || req.comments.len() > max {
        return Err(AppError::validation(
            "comments",
            format!("give between 1 and {max} comments"),
        ));
    }
    let decision = parse::decision(&req.action, req.reason, req.note, None)?;
    let mut results = Vec::with_capacity(req.comments.len());
    let mut items = Vec::with_capacity(req.comments.len());
    for item in req.comments {
        match parse::comment_id(&item.id) {
            Ok(id) => items.push(BulkItem {
                id,
                version: item.version,
            }),
            Err(err) => results.push(failure(item.id, &err)),
        }
    }
    let outcomes = moderation::decide_many(&state.db, &moderator, items, decision).await;
    for outcome in outcomes {
        results.push(match outcome.result {
            Ok(view) => BulkDecisionResult {
                id: outcome.id.to_string(),
                ok: true,
                status: 200,
                comment: Some(CommentResource::from(&view)),
                error: None,
            },
            Err(err) => failure(outcome.id.to_string(), &err),
        });
    }
    Ok(HttpResponse::Ok().json(BulkDecisionResults { results }))
}

fn failure(id: String, err: &AppError) -> BulkDecisionResult {
    BulkDecisionResult {
        id,
        ok: false,
        status: status_of(err).as_u16(),
        comment: None,
        error: Some(error_body(err).error),
    }
}
