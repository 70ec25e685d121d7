use actix_web::{HttpResponse, web};

use super::AppState;
use super::extract::ModeratorAuth;
use super::rule_dto::{RuleVersionList, version_resource};
use crate::error::AppError;
use crate::rulebook;

/// `GET /api/v1/rules/{id}/versions`: every saved version, oldest first.
#[utoipa::path(
    get, path = "/api/v1/rules/{id}/versions", tag = "rules",
    security(("moderator_token" = [])),
    params(("id" = String, Path, description = "The rule's id")),
    responses((status = 200, description = "Every saved version, oldest first", body = super::rule_dto::RuleVersionList))
)]
pub async fn rule_versions(
    state: web::Data<AppState>,
    ModeratorAuth(moderator): ModeratorAuth,
    path: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let id = path.parse().map_err(|_| AppError::NotFound("rule"))?;
    let versions = rulebook::rule_versions(&state.db, &moderator, id).await?;
    let items = versions.iter().map(version_resource).collect();
    Ok(HttpResponse::Ok().json(RuleVersionList { items }))
}
