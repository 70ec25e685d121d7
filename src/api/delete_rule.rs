use actix_web::{HttpResponse, web};

use super::AppState;
use super::extract::ModeratorAuth;
use crate::error::AppError;
use crate::rulebook;

/// `DELETE /api/v1/rules/{id}`: retire a rule; its history is kept.
#[utoipa::path(
    delete, path = "/api/v1/rules/{id}", tag = "rules",
    security(("moderator_token" = [])),
    params(("id" = String, Path, description = "The rule's id")),
    responses(
        (status = 204, description = "Retired; its history is kept"),
        (status = 403, description = "A global rule (no `site`) is an admin's to change (`forbidden`)", body = super::error_response::ErrorResponse),
    )
)]
pub async fn delete_rule(
    state: web::Data<AppState>,
    ModeratorAuth(moderator): ModeratorAuth,
    path: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let id = path.parse().map_err(|_| AppError::NotFound("rule"))?;
    rulebook::delete_rule(&state.db, &moderator, id).await?;
    state.rulebook.refresh_now().await?;
    Ok(HttpResponse::NoContent().finish())
}
