//! `GET /metrics` in Prometheus text format, and the middleware that times
//! every request by its route.

use std::time::Instant;

use actix_web::body::MessageBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::middleware::Next;
use actix_web::{HttpRequest, HttpResponse, web};

use super::AppState;
use crate::error::AppError;
use crate::metrics;

/// `GET /metrics`: open unless `metrics.token` is set, then only with
/// `Authorization: Bearer <token>`.
pub async fn metrics(
    state: web::Data<AppState>,
    req: HttpRequest,
) -> Result<HttpResponse, AppError> {
    if let Some(token) = &state.metrics_token {
        let given = req
            .headers()
            .get("Authorization")
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_prefix("Bearer "));
        let matches = given.is_some_and(|g| {
            crate::accounts::hash_secret(g) == crate::accounts::hash_secret(token)
        });
        if !matches {
            return Err(AppError::Unauthorized);
        }
    }
    let gauges = metrics::read_gauges(&state.db).await?;
    Ok(HttpResponse::Ok()
        .content_type("text/plain; version=0.0.4; charset=utf-8")
        .body(metrics::render(
            metrics::registry(),
            &gauges.queues,
            &gauges.webhooks,
            &gauges.endpoints,
        )))
}

/// Times each request into `modq_http_request_duration_seconds`, labelled
/// with the route's pattern (never the raw path, so ids do not multiply
/// the series), the method and the status class.
pub async fn time_requests(
    req: ServiceRequest,
    next: Next<impl MessageBody>,
) -> Result<ServiceResponse<impl MessageBody>, actix_web::Error> {
    let started = Instant::now();
    let method = req.method().as_str().to_owned();
    let route = req
        .match_pattern()
        .unwrap_or_else(|| "unmatched".to_owned());
    let res = next.call(req).await?;
    let class = match res.status().as_u16() {
        100..=199 => "1xx",
        200..=299 => "2xx",
        300..=399 => "3xx",
        400..=499 => "4xx",
        _ => "5xx",
    };
    metrics::registry()
        .http
        .with(&[&route, &method, class])
        .observe(started.elapsed());
    Ok(res)
}
