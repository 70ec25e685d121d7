use actix_web::{HttpResponse, web};
use serde::Deserialize;

use super::dto::{CommentList, CommentResource};
use super::extract::ModeratorAuth;
use super::{AppState, parse};
use crate::error::AppError;
use crate::moderation::{self, QueueCursor, QueueFilter, QueueSort};

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct QueueParams {
    /// `pending` (the default), `reported` (published comments readers
    /// reported), `edited` (pending comments that were edited), `approved`
    /// or `rejected`.
    #[param(pattern = "^(pending|reported|edited|approved|rejected)$")]
    tab: Option<String>,
    /// A site's name.
    site: Option<String>,
    /// The site's article id.
    article: Option<String>,
    /// A reason code, e.g. `policy_pre` or a guideline code.
    reason: Option<String>,
    /// A rule id.
    #[param(value_type = Option<i64>)]
    rule: Option<String>,
    /// Text in the body.
    #[param(max_length = 200)]
    q: Option<String>,
    /// `priority` (the default), `oldest` or `newest`.
    #[param(pattern = "^(priority|oldest|newest)$")]
    sort: Option<String>,
    /// Which score `score_min` and `score_max` apply to; any, if left out
    /// or empty.
    #[param(schema_with = super::openapi::attribute_or_empty)]
    attribute: Option<String>,
    /// From 0 to 1; empty: no lower bound.
    #[param(schema_with = super::openapi::score_or_empty)]
    score_min: Option<String>,
    /// From 0 to 1; empty: no upper bound.
    #[param(schema_with = super::openapi::score_or_empty)]
    score_max: Option<String>,
    /// Page size, 1 to `limits.max_page_size` (200 by default).
    #[param(minimum = 1, maximum = 200)]
    limit: Option<i64>,
    /// `next_cursor` from the previous page.
    #[param(pattern = r"^-?[0-9]{1,9}\.[0-9]{1,18}$")]
    cursor: Option<String>,
}

/// `GET /api/v1/queue`: the comments of one queue tab (pending by
/// default) with their reasons, newest-first, oldest-first or by priority
/// (the reported, approved and rejected tabs list by time only); filtered by site, article, reason code,
/// rule, text in the body (`q`), or classifier score (`score_min`,
/// `score_max`, optionally of one `attribute`).
#[utoipa::path(
    get, path = "/api/v1/queue", tag = "moderation",
    security(("moderator_token" = [])),
    params(QueueParams),
    responses(
        (status = 200, description = "One page of the tab's comments", body = super::dto::CommentList),
        (status = 404, description = "No such site for this moderator (`not_found`)", body = super::error_response::ErrorResponse),
    )
)]
pub async fn list_queue(
    state: web::Data<AppState>,
    ModeratorAuth(moderator): ModeratorAuth,
    params: web::Query<QueueParams>,
) -> Result<HttpResponse, AppError> {
    let params = params.into_inner();
    let sort = match params.sort.as_deref() {
        None | Some("priority") => QueueSort::Priority,
        Some("oldest") => QueueSort::Oldest,
        Some("newest") => QueueSort::Newest,
        Some(_) => {
            return Err(AppError::validation(
                "sort",
                "must be priority, oldest or newest",
            ));
        }
    };
    let cursor = params
        .cursor
        .map(|c| {
            QueueCursor::decode(&c).ok_or(AppError::Unprocessable {
                code: "invalid_cursor",
                message: "cursor: not a cursor this endpoint returned".to_owned(),
            })
        })
        .transpose()?;
    let rule = params
        .rule
        .map(|r| {
            r.parse::<i64>()
                .map_err(|_| AppError::validation("rule", "must be a rule id"))
        })
        .transpose()?;
    let text = parse::filter_text("q", params.q)?.filter(|q| !q.trim().is_empty());
    if text.as_ref().is_some_and(|q| q.chars().count() > 200) {
        return Err(AppError::validation("q", "at most 200 characters"));
    }
    let tab = params
        .tab
        .as_deref()
        .map(|t| {
            t.parse().map_err(|_| {
                AppError::validation(
                    "tab",
                    "must be pending, reported, edited, approved or rejected",
                )
            })
        })
        .transpose()?
        .unwrap_or_default();
    let filter = QueueFilter {
        tab,
        site: parse::filter_text("site", params.site)?,
        article: parse::filter_text("article", params.article)?,
        reason: parse::filter_text("reason", params.reason)?,
        rule,
        text,
        score: parse::score_filter(
            params.attribute.as_deref(),
            params.score_min.as_deref(),
            params.score_max.as_deref(),
        )?,
        sort,
        limit: parse::limit(params.limit, &state.limits)?,
        cursor,
    };
    let page = moderation::list_queue(&state.db, &moderator, filter).await?;
    Ok(HttpResponse::Ok().json(CommentList {
        items: page.items.iter().map(CommentResource::from).collect(),
        next_cursor: page.next_cursor.map(|c| c.encode()),
    }))
}
