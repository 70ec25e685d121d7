use actix_web::{HttpResponse, web};

use super::AppState;
use super::extract::{JsonBody, ModeratorAuth};
use super::rule_dto::{parse_rule_body, rule_resource};
use crate::error::AppError;
use crate::rulebook;

/// `POST /api/v1/rules`: save a new rule; in force on this instance at once
/// and on the others within the reload interval.
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
