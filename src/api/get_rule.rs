use actix_web::{HttpResponse, web};

use super::AppState;
use super::extract::ModeratorAuth;
use super::rule_dto::rule_resource;
use crate::error::AppError;
use crate::rulebook;

/// `GET /api/v1/rules/{id}`: the current version of a rule.
#[utoipa::path(
    get, path = "/api/v1/rules/{id}", tag = "rules",
    security(("moderator_token" = [])),
    params(("id" = String, Path, description = "The rule's id")),
    responses((status = 200, description = "The rule's current version", body = super::rule_dto::RuleResource))
)]
pub async fn get_rule(
    state: web::Data<AppState>,
    ModeratorAuth(moderator): ModeratorAuth,
    path: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let id = path.parse().map_err(|_| AppError::NotFound("rule"))?;
    let rule = rulebook::get_rule(&state.db, &moderator, id).await?;
    Ok(HttpResponse::Ok().json(rule_resource(&rule)))
}
