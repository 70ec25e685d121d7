use actix_web::{HttpResponse, web};

use super::AppState;
use super::extract::ModeratorAuth;
use crate::error::AppError;
use crate::rulebook;

/// `DELETE /api/v1/rules/{id}`: retire a rule; its history is kept.
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
