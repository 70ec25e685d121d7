use actix_web::{HttpResponse, web};

use super::AppState;
use super::extract::{JsonBody, ModeratorAuth};
use super::rule_dto::{parse_rule_body, rule_resource};
use crate::error::AppError;
use crate::rulebook;

/// `PUT /api/v1/rules/{id}`: save a new version of a rule. Send `version`
/// to refuse the save if someone else changed the rule meanwhile.
#[utoipa::path(
    put, path = "/api/v1/rules/{id}", tag = "rules",
    security(("moderator_token" = [])),
    params(("id" = String, Path, description = "The rule's id")),
    request_body = super::rule_dto::RuleRequest,
    responses(
        (status = 403, description = "A global rule (no `site`) is an admin's to change (`forbidden`)", body = super::error_response::ErrorResponse),
        (status = 200, description = "Saved as a new version", body = super::rule_dto::RuleResource),
        (status = 409, description = "`version_conflict`: someone saved the rule meanwhile", body = super::error_response::ErrorResponse),
    )
)]
pub async fn update_rule(
    state: web::Data<AppState>,
    ModeratorAuth(moderator): ModeratorAuth,
    path: web::Path<String>,
    body: JsonBody<serde_json::Value>,
) -> Result<HttpResponse, AppError> {
    let id = path.parse().map_err(|_| AppError::NotFound("rule"))?;
    let (scope, version, definition) = parse_rule_body(body.value)?;
    let rule = rulebook::update_rule(
        &state.db,
        &moderator,
        id,
        scope.article,
        definition,
        version,
    )
    .await?;
    state.rulebook.refresh_now().await?;
    Ok(HttpResponse::Ok().json(rule_resource(&rule)))
}
