use actix_web::{HttpResponse, web};

use super::dto::{CommentResource, EditCommentRequest};
use super::extract::{JsonBody, SiteAuth};
use super::{AppState, parse};
use crate::error::AppError;
use crate::intake;
use crate::scoring::CommentToScore;

/// `PUT /api/v1/comments/{id}`: the author edited the comment. The old body
/// is kept as a revision; the new one goes through the rules and the
/// classifier under the article's policy as it is now.
#[utoipa::path(
    put, path = "/api/v1/comments/{id}", tag = "comments",
    security(("site_key" = [])),
    params(("id" = String, Path, description = "The comment's id")),
    request_body = super::dto::EditCommentRequest,
    responses(
        (status = 200, description = "Edited (or unchanged, when the body is the same), with the new status and reasons", body = super::dto::CommentResource),
        (status = 409, description = "`version_conflict` (with `current`), `not_editable` (rejected or withdrawn), `edit_window_closed`, or `comments_closed`", body = super::error_response::ErrorResponse),
        (status = 422, description = "`body_empty`, `body_too_long`, `invalid_characters` or `validation_failed`", body = super::error_response::ErrorResponse),
    )
)]
pub async fn edit_comment(
    state: web::Data<AppState>,
    SiteAuth(site): SiteAuth,
    path: web::Path<String>,
    body: JsonBody<EditCommentRequest>,
) -> Result<HttpResponse, AppError> {
    let id = parse::comment_id(&path)?;
    let edit = parse::edit(body.value, &state.limits)?;
    let target = intake::edit_target(&state.db, &site, id).await?;
    let rules = state.rulebook.for_site(site.id);
    let scoring = state
        .score(
            &site,
            CommentToScore {
                text: edit.body.as_str().to_owned(),
                article: target.article,
                author: target.author,
            },
        )
        .await;
    let outcome = intake::edit_comment(&state.db, &site, &rules, scoring, id, edit).await?;
    if outcome.changed {
        crate::metrics::registry()
            .edited
            .inc(&[outcome.view.status.as_str()]);
    }
    Ok(HttpResponse::Ok().json(CommentResource::from(outcome.view.as_ref())))
}
