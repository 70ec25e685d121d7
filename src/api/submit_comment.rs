use actix_web::{HttpRequest, HttpResponse, web};

use super::dto::{CommentResource, SubmitCommentRequest};
use super::extract::{JsonBody, SiteAuth};
use super::{AppState, parse};
use crate::error::AppError;
use crate::intake::{self, SubmitOutcome};
use crate::scoring::CommentToScore;

/// `POST /api/v1/comments`: submit a comment; 201 when stored, 200 on an
/// idempotent replay.
#[utoipa::path(
    post, path = "/api/v1/comments", tag = "comments",
    security(("site_key" = [])),
    params(("Idempotency-Key" = Option<String>, Header, max_length = 255, pattern = r"^[\t -~]*[!-~][\t -~]*$",
        description = "Retrying with the same key and body returns the original comment (200) instead of storing it twice.")),
    request_body = super::dto::SubmitCommentRequest,
    responses(
        (status = 201, description = "Stored, with its status and every reason", body = super::dto::CommentResource,
            headers(("Location" = String, description = "The comment's URL")),
            links(("GetComment" = (operation_id = "get_comment", parameters(("id" = "$response.body#/id")))), ("WithdrawComment" = (operation_id = "withdraw_comment", parameters(("id" = "$response.body#/id")))), ("CommentHistory" = (operation_id = "comment_history", parameters(("id" = "$response.body#/id")))), ("TakeLease" = (operation_id = "take_lease", parameters(("id" = "$response.body#/id")))), ("ReleaseLease" = (operation_id = "release_lease", parameters(("id" = "$response.body#/id")))), ("DecideComment" = (operation_id = "decide_comment", parameters(("id" = "$response.body#/id")))), ("GetArticle" = (operation_id = "get_article", parameters(("id" = "$response.body#/article/id")))), ("ListArticleComments" = (operation_id = "list_article_comments", parameters(("id" = "$response.body#/article/id")))), ("UpdateArticle" = (operation_id = "update_article", parameters(("id" = "$response.body#/article/id")))))),
        (status = 200, description = "An idempotent replay: the comment the key first stored", body = super::dto::CommentResource,
            headers(("Idempotent-Replayed" = String, description = "`true`"))),
        (status = 409, description = "`comments_closed`: the article's policy is closed", body = super::error_response::ErrorResponse),
        (status = 422, description = "A field is invalid (`validation_failed`, `body_empty`, `body_too_long`, `invalid_characters`), or `idempotency_key_reused` with a different body", body = super::error_response::ErrorResponse),
        (status = 429, description = "`rate_limited`", body = super::error_response::ErrorResponse,
            headers(("Retry-After" = String, description = "Seconds to wait"))),
    )
)]
pub async fn submit_comment(
    state: web::Data<AppState>,
    SiteAuth(site): SiteAuth,
    req: HttpRequest,
    body: JsonBody<SubmitCommentRequest>,
) -> Result<HttpResponse, AppError> {
    let key_header = req
        .headers()
        .get("Idempotency-Key")
        .map(|v| {
            v.to_str()
                .map_err(|_| AppError::validation("Idempotency-Key", "must be ASCII"))
        })
        .transpose()?;
    let idempotency = parse::idempotency_key(key_header, &body.raw)?;
    let submission = parse::submission(body.value, &state.limits)?;
    state
        .rate_limits
        .check(site.id, submission.author.ip, std::time::Instant::now())?;
    let rules = state.rulebook.for_site(site.id);
    let scoring = state
        .score(
            &site,
            CommentToScore {
                text: submission.body.as_str().to_owned(),
                article: submission.article.external_id.as_str().to_owned(),
                author: submission.author.external_id.as_str().to_owned(),
            },
        )
        .await;
    let outcome = intake::submit_comment(
        &state.db,
        &state.ids,
        &site,
        &rules,
        scoring,
        submission,
        idempotency,
    )
    .await?;
    Ok(match outcome {
        SubmitOutcome::Created(view) => {
            crate::metrics::registry()
                .ingested
                .inc(&[view.status.as_str()]);
            HttpResponse::Created()
                .insert_header(("Location", format!("/api/v1/comments/{}", view.id)))
                .json(CommentResource::from(view.as_ref()))
        }
        SubmitOutcome::Replayed(view) => HttpResponse::Ok()
            .insert_header(("Idempotent-Replayed", "true"))
            .json(CommentResource::from(view.as_ref())),
    })
}
