use actix_web::{HttpResponse, web};
use serde::Deserialize;
use serde_json::json;

use super::csrf;
use super::page_error::PageError;
use super::queue_view::QueueView;
use super::session::CurrentSession;
use crate::api::{AppState, parse};
use crate::error::AppError;
use crate::moderation::{self, BulkItem};

#[derive(Deserialize)]
pub struct BulkForm {
    #[serde(default)]
    csrf: String,
    action: String,
    reason: Option<String>,
    note: Option<String>,
    /// `id:version` pairs, comma-separated: the selected cards.
    #[serde(default)]
    items: String,
    /// Set to decide every pending comment the view's filter matches.
    #[serde(default)]
    matching: bool,
    /// The view's filters as a query string, for `matching`.
    #[serde(default)]
    view: String,
}

/// `POST /decisions`: one decision for the selected comments, or for every
/// comment matching the view (up to `limits.max_bulk_decisions`). Each
/// comment is decided on its own; the answer counts the decided ones and
/// lists the others with why. JSON only: the queue's script sends it.
pub async fn decide_many(
    state: web::Data<AppState>,
    CurrentSession(session): CurrentSession,
    form: web::Form<BulkForm>,
) -> Result<HttpResponse, PageError> {
    let json_error = |e: AppError| PageError::new(e, true);
    let form = form.into_inner();
    csrf::check(&session, &form.csrf).map_err(json_error)?;
    let decision =
        parse::decision(&form.action, form.reason, form.note, None).map_err(json_error)?;
    let limit = state.limits.max_bulk_decisions;
    let items: Vec<BulkItem> = if form.matching {
        let view = web::Query::<QueueView>::from_query(&form.view)
            .map_err(|e| json_error(AppError::validation("view", e)))?
            .into_inner();
        let filter = view.filter(limit as i64, None)?;
        moderation::list_queue(&state.db, &session.moderator, filter)
            .await
            .map_err(json_error)?
            .items
            .iter()
            .map(|c| BulkItem {
                id: c.id,
                version: Some(c.version),
            })
            .collect()
    } else {
        parse_items(&form.items).map_err(json_error)?
    };
    if items.is_empty() {
        return Err(json_error(AppError::validation(
            "items",
            "select at least one comment",
        )));
    }
    if items.len() > limit {
        return Err(json_error(AppError::validation(
            "items",
            format!("at most {limit} comments at once"),
        )));
    }
    let outcomes = moderation::decide_many(&state.db, &session.moderator, items, decision).await;
    let decided: Vec<String> = outcomes
        .iter()
        .filter(|o| o.result.is_ok())
        .map(|o| o.id.to_string())
        .collect();
    let failed: Vec<serde_json::Value> = outcomes
        .iter()
        .filter_map(|o| {
            o.result.as_ref().err().map(|err| {
                json!({"id": o.id.to_string(), "code": err.code(), "message": err.to_string()})
            })
        })
        .collect();
    Ok(HttpResponse::Ok().json(json!({ "decided": decided, "failed": failed })))
}

fn parse_items(raw: &str) -> Result<Vec<BulkItem>, AppError> {
    raw.split(',')
        .filter(|s| !s.trim().is_empty())
        .map(|pair| {
            let (id, version) = pair.trim().split_once(':').unwrap_or((pair.trim(), ""));
            Ok(BulkItem {
                id: parse::comment_id(id)?,
                version: version.parse().ok(),
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::parse_items;

    #[test]
    fn items_are_id_version_pairs() {
        let items = parse_items("12:3, 45:1,67").expect("items");
        let got: Vec<(i64, Option<i64>)> = items.iter().map(|i| (i.id.0, i.version)).collect();
        assert_eq!(got, vec![(12, Some(3)), (45, Some(1)), (67, None)]);
        assert!(parse_items("").expect("empty").is_empty());
        assert!(parse_items("x:1").is_err());
    }
}
