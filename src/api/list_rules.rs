use actix_web::{HttpResponse, web};
use serde::Deserialize;

use super::AppState;
use super::extract::ModeratorAuth;
use super::rule_dto::{RuleList, rule_resource};
use crate::error::AppError;
use crate::rulebook;

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ListRulesParams {
    /// Only this site's rules, by name.
    site: Option<String>,
}

/// `GET /api/v1/rules?site=`: live rules the moderator may see.
#[utoipa::path(
    get, path = "/api/v1/rules", tag = "rules",
    security(("moderator_token" = [])),
    params(ListRulesParams),
    responses(
        (status = 200, description = "Live rules the moderator may see", body = super::rule_dto::RuleList),
        (status = 404, description = "No such site for this moderator (`not_found`)", body = super::error_response::ErrorResponse),
    )
)]
pub async fn list_rules(
    state: web::Data<AppState>,
    ModeratorAuth(moderator): ModeratorAuth,
    params: web::Query<ListRulesParams>,
) -> Result<HttpResponse, AppError> {
    let rules = rulebook::list_rules(&state.db, &moderator, params.into_inner().site).await?;
    let items = rules.iter().map(rule_resource).collect();
    Ok(HttpResponse::Ok().json(RuleList { items }))
}
