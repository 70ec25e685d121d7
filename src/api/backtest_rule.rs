use actix_web::{HttpResponse, web};
use serde::Deserialize;
use serde_json::json;

use super::AppState;
use super::extract::{JsonBody, ModeratorAuth};
use super::rule_dto::{hit_resource, parse_rule_body};
use crate::error::AppError;
use crate::rulebook;

const MAX_BACKTEST: i64 = 100_000;

#[derive(Debug, Deserialize)]
pub struct BacktestRequest {
    rule: serde_json::Value,
    site: String,
    #[serde(default)]
    limit: Option<i64>,
}

/// `POST /api/v1/rules/backtest`: replay a draft rule over a site's last
/// `limit` comments and compare with what moderators decided.
pub async fn backtest_rule(
    state: web::Data<AppState>,
    ModeratorAuth(moderator): ModeratorAuth,
    body: JsonBody<BacktestRequest>,
) -> Result<HttpResponse, AppError> {
    let req = body.value;
    let limit = req.limit.unwrap_or(1_000);
    if !(1..=MAX_BACKTEST).contains(&limit) {
        return Err(AppError::validation(
            "limit",
            format!("must be between 1 and {MAX_BACKTEST}"),
        ));
    }
    let (_, _, definition) = parse_rule_body(req.rule)?;
    let report = rulebook::backtest(&state.db, &moderator, req.site, definition, limit).await?;
    let m = report.matrix;
    let samples: Vec<_> = report
        .samples
        .iter()
        .map(|s| {
            json!({
                "comment_id": s.comment_id.to_string(),
                "status": s.status,
                "body": s.body,
                "hits": s.hits.iter().map(hit_resource).collect::<Vec<_>>(),
            })
        })
        .collect();
    Ok(HttpResponse::Ok().json(json!({
        "scanned": report.scanned,
        "hits": report.hits,
        "matrix": {
            "hit_rejected": m.hit_rejected,
            "hit_approved": m.hit_approved,
            "hit_undecided": m.hit_undecided,
            "miss_rejected": m.miss_rejected,
            "miss_approved": m.miss_approved,
            "miss_undecided": m.miss_undecided,
        },
        "precision": m.precision(),
        "recall": m.recall(),
        "samples": samples,
        "elapsed_ms": report.elapsed_ms,
    })))
}
