use actix_web::{HttpResponse, web};

use super::AppState;
use crate::error::AppError;

/// `GET /health`: 200 when the database answers.
pub async fn health(state: web::Data<AppState>) -> Result<HttpResponse, AppError> {
    state
        .db
        .read(|conn| crate::storage::ping(conn).map_err(AppError::from))
        .await?;
    Ok(HttpResponse::Ok().json(serde_json::json!({ "status": "ok" })))
}
