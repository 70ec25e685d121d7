use actix_web::{HttpResponse, web};
use serde::Deserialize;

use super::dto::{CommentList, CommentResource};
use super::extract::ModeratorAuth;
use super::{AppState, parse};
use crate::error::AppError;
use crate::moderation::{self, QueueCursor, QueueFilter, QueueSort};

#[derive(Debug, Deserialize)]
pub struct QueueParams {
    site: Option<String>,
    article: Option<String>,
    reason: Option<String>,
    rule: Option<String>,
    q: Option<String>,
    sort: Option<String>,
    attribute: Option<String>,
    score_min: Option<String>,
    score_max: Option<String>,
    limit: Option<i64>,
    cursor: Option<String>,
}

/// `GET /api/v1/queue`: pending comments with their reasons, newest-first,
/// oldest-first or by priority; filtered by site, article, reason code,
/// rule, text in the body (`q`), or classifier score (`score_min`,
/// `score_max`, optionally of one `attribute`).
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
    let text = params.q.filter(|q| !q.trim().is_empty());
    if text.as_ref().is_some_and(|q| q.chars().count() > 200) {
        return Err(AppError::validation("q", "at most 200 characters"));
    }
    let filter = QueueFilter {
        site: params.site,
        article: params.article,
        reason: params.reason,
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
