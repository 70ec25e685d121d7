use actix_web::{HttpResponse, web};

use super::AppState;
use crate::error::AppError;

/// `GET /healthz`: liveness. The process answers; nothing else is asked.
pub async fn liveness() -> HttpResponse {
    HttpResponse::Ok().json(serde_json::json!({ "status": "ok" }))
}

/// `GET /readyz` (and `GET /health`): 200 when the database answers, 503
/// `database_unavailable` when it does not within the pool timeout.
pub async fn readiness(state: web::Data<AppState>) -> Result<HttpResponse, AppError> {
    state
        .db
        .read(|conn| crate::storage::ping(conn).map_err(AppError::from))
        .await?;
    Ok(HttpResponse::Ok().json(serde_json::json!({ "status": "ok", "database": "ok" })))
}
