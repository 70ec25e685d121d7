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
    sort: Option<String>,
    limit: Option<i64>,
    cursor: Option<String>,
}

/// `GET /api/v1/queue`: pending comments with their reasons, newest-first,
/// oldest-first or by priority.
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
    let filter = QueueFilter {
        site: params.site,
        article: params.article,
        reason: params.reason,
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
