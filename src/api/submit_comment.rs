use actix_web::{HttpRequest, HttpResponse, web};

use super::dto::{CommentResource, SubmitCommentRequest};
use super::extract::{JsonBody, SiteAuth};
use super::{AppState, parse};
use crate::error::AppError;
use crate::intake::{self, SubmitOutcome};
use crate::scoring::{self, CommentToScore};

/// `POST /api/v1/comments`: submit a comment; 201 when stored, 200 on an
/// idempotent replay.
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
    let scoring = scoring::score_comment(
        scoring::Scorers {
            pool: &state.scorers,
            book: &state.models,
            second_opinion: state.second_opinion.as_deref(),
        },
        &site.classifier,
        site.id,
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
