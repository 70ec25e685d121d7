use actix_web::{HttpResponse, web};

use super::dto::{
    CommentResource, ReportCommentRequest, ReportCreated, ReportList, ReportResource,
};
use super::extract::{Authenticated, JsonBody, SiteAuth};
use super::{AppState, parse};
use crate::error::AppError;
use crate::reports;

/// `POST /api/v1/comments/{id}/reports`: a reader reports a comment. One
/// report per reader per comment: a repeat answers 200 with the first.
#[utoipa::path(
    post, path = "/api/v1/comments/{id}/reports", tag = "comments",
    security(("site_key" = [])),
    params(("id" = String, Path, description = "The comment's id")),
    request_body = super::dto::ReportCommentRequest,
    responses(
        (status = 201, description = "Recorded; `comment.reports` says whether the comment is now in the Reported queue and hidden", body = super::dto::ReportCreated),
        (status = 200, description = "The reader had reported the comment already: that report, unchanged", body = super::dto::ReportCreated),
        (status = 422, description = "`validation_failed`", body = super::error_response::ErrorResponse),
        (status = 429, description = "`rate_limited` (per reader or per reader's IP)", body = super::error_response::ErrorResponse,
            headers(("Retry-After" = String, description = "Seconds to wait"))),
    )
)]
pub async fn report_comment(
    state: web::Data<AppState>,
    SiteAuth(site): SiteAuth,
    path: web::Path<String>,
    body: JsonBody<ReportCommentRequest>,
) -> Result<HttpResponse, AppError> {
    let id = parse::comment_id(&path)?;
    let report = parse::report(body.value)?;
    state.report_limits.check_reporter(
        site.id,
        report.reporter.as_str(),
        report.reporter_ip,
        std::time::Instant::now(),
    )?;
    let outcome = reports::report_comment(&state.db, &state.ids, &site, id, report).await?;
    let body = ReportCreated {
        report: ReportResource::from(&outcome.report),
        comment: CommentResource::from(outcome.comment.as_ref()),
    };
    Ok(if outcome.created {
        HttpResponse::Created().json(body)
    } else {
        HttpResponse::Ok().json(body)
    })
}

/// `GET /api/v1/comments/{id}/reports`: every report on a comment.
#[utoipa::path(
    get, path = "/api/v1/comments/{id}/reports", tag = "comments",
    security(("site_key" = []), ("moderator_token" = [])),
    params(("id" = String, Path, description = "The comment's id")),
    responses((status = 200, description = "Every report, oldest first", body = super::dto::ReportList))
)]
pub async fn list_reports(
    state: web::Data<AppState>,
    Authenticated(principal): Authenticated,
    path: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let id = parse::comment_id(&path)?;
    let reports = reports::reports_of(&state.db, &principal, id).await?;
    Ok(HttpResponse::Ok().json(ReportList {
        items: reports.iter().map(ReportResource::from).collect(),
    }))
}
