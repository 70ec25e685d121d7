use actix_web::{HttpResponse, web};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::AppState;
use super::extract::{JsonBody, ModeratorAuth};
use super::rule_dto::{HitResource, hit_resource, parse_rule_body};
use crate::error::AppError;
use crate::rulebook::{self, BacktestReport};

const MAX_BACKTEST: i64 = 100_000;

/// A draft rule to replay over a site's recent comments.
#[derive(Debug, Deserialize, ToSchema)]
pub struct BacktestRequest {
    #[schema(value_type = super::rule_dto::RuleRequest)]
    rule: serde_json::Value,
    /// The site's name.
    site: String,
    /// How many of the most recent comments, 1 to 100,000 (1,000 by default).
    #[serde(default)]
    #[schema(minimum = 1, maximum = 100000)]
    limit: Option<i64>,
}

/// Hits and misses against what moderators decided.
#[derive(Debug, Serialize, ToSchema)]
pub struct BacktestResult {
    pub scanned: u64,
    pub hits: u64,
    pub matrix: BacktestMatrix,
    /// Of the decided comments the rule hit, the share moderators rejected.
    pub precision: Option<f64>,
    /// Of the comments moderators rejected, the share the rule hit.
    pub recall: Option<f64>,
    pub samples: Vec<BacktestSampleResource>,
    pub elapsed_ms: u64,
}

/// Comments nobody decided (pending, withdrawn, decided by a rule) are
/// counted apart as `undecided`.
#[derive(Debug, Serialize, ToSchema)]
pub struct BacktestMatrix {
    pub hit_rejected: u64,
    pub hit_approved: u64,
    pub hit_undecided: u64,
    pub miss_rejected: u64,
    pub miss_approved: u64,
    pub miss_undecided: u64,
}

/// A comment the draft hit.
#[derive(Debug, Serialize, ToSchema)]
pub struct BacktestSampleResource {
    pub comment_id: String,
    pub status: String,
    pub body: String,
    pub hits: Vec<HitResource>,
}

/// `POST /api/v1/rules/backtest`: replay a draft rule over a site's last
/// `limit` comments and compare with what moderators decided.
#[utoipa::path(
    post, path = "/api/v1/rules/backtest", tag = "rules",
    security(("moderator_token" = [])),
    request_body = BacktestRequest,
    responses(
        (status = 200, description = "Hits against what moderators decided", body = BacktestResult),
        (status = 404, description = "No such site for this moderator (`not_found`)", body = super::error_response::ErrorResponse),
    )
)]
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
    Ok(HttpResponse::Ok().json(BacktestResult::from(report)))
}

impl From<BacktestReport> for BacktestResult {
    fn from(report: BacktestReport) -> Self {
        let m = report.matrix;
        Self {
            scanned: report.scanned,
            hits: report.hits,
            precision: m.precision(),
            recall: m.recall(),
            matrix: BacktestMatrix {
                hit_rejected: m.hit_rejected,
                hit_approved: m.hit_approved,
                hit_undecided: m.hit_undecided,
                miss_rejected: m.miss_rejected,
                miss_approved: m.miss_approved,
                miss_undecided: m.miss_undecided,
            },
            samples: report
                .samples
                .iter()
                .map(|s| BacktestSampleResource {
                    comment_id: s.comment_id.to_string(),
                    status: s.status.clone(),
                    body: s.body.clone(),
                    hits: s.hits.iter().map(hit_resource).collect(),
                })
                .collect(),
            elapsed_ms: u64::try_from(report.elapsed_ms).unwrap_or(u64::MAX),
        }
    }
}
