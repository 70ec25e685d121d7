use actix_web::{HttpResponse, web};

use super::AppState;
use super::extract::{JsonBody, ModeratorAuth};
use super::rule_dto::{parse_rule_body, rule_resource};
use crate::error::AppError;
use crate::rulebook;

/// `PUT /api/v1/rules/{id}`: save a new version of a rule. Send `version`
/// to refuse the save if someone else changed the rule meanwhile.
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
