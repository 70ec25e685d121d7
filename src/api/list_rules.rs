use actix_web::{HttpResponse, web};
use serde::Deserialize;

use super::AppState;
use super::extract::ModeratorAuth;
use super::rule_dto::rule_resource;
use crate::error::AppError;
use crate::rulebook;

#[derive(Debug, Deserialize)]
pub struct ListRulesParams {
    site: Option<String>,
}

/// `GET /api/v1/rules?site=`: live rules the moderator may see.
pub async fn list_rules(
    state: web::Data<AppState>,
    ModeratorAuth(moderator): ModeratorAuth,
    params: web::Query<ListRulesParams>,
) -> Result<HttpResponse, AppError> {
    let rules = rulebook::list_rules(&state.db, &moderator, params.into_inner().site).await?;
    let items: Vec<_> = rules.iter().map(rule_resource).collect();
    Ok(HttpResponse::Ok().json(serde_json::json!({ "items": items })))
}
