use actix_web::{HttpResponse, web};

use super::AppState;
use super::extract::{JsonBody, ModeratorAuth};
use super::rule_dto::{parse_rule_body, rule_resource};
use crate::error::AppError;
use crate::rulebook;

/// `POST /api/v1/rules`: save a new rule; in force on this instance at once
/// and on the others within the reload interval.
#[utoipa::path(
    post, path = "/api/v1/rules", tag = "rules",
    security(("moderator_token" = [])),
    request_body = super::rule_dto::RuleRequest,
    responses(
        (status = 404, description = "No such site for this moderator (`not_found`)", body = super::error_response::ErrorResponse),
        (status = 403, description = "A global rule (no `site`) is an admin's to change (`forbidden`)", body = super::error_response::ErrorResponse),
        (status = 201, description = "Saved and in force", body = super::rule_dto::RuleResource,
            headers(("Location" = String, description = "The rule's URL")),
            links(("GetRule" = (operation_id = "get_rule", parameters(("id" = "$response.body#/id")))), ("UpdateRule" = (operation_id = "update_rule", parameters(("id" = "$response.body#/id")))), ("DeleteRule" = (operation_id = "delete_rule", parameters(("id" = "$response.body#/id")))), ("RuleVersions" = (operation_id = "rule_versions", parameters(("id" = "$response.body#/id")))))),
    )
)]
pub async fn create_rule(
    state: web::Data<AppState>,
    ModeratorAuth(moderator): ModeratorAuth,
    body: JsonBody<serde_json::Value>,
) -> Result<HttpResponse, AppError> {
    let (scope, _, definition) = parse_rule_body(body.value)?;
    let rule = rulebook::create_rule(&state.db, &state.ids, &moderator, scope, definition).await?;
    state.rulebook.refresh_now().await?;
    Ok(HttpResponse::Created()
        .insert_header(("Location", format!("/api/v1/rules/{}", rule.id)))
        .json(rule_resource(&rule)))
}
