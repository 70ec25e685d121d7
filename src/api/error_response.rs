//! The HTTP face of [`AppError`]: one exhaustive match from variant to status.

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, ResponseError};
use serde::Serialize;
use utoipa::ToSchema;

use super::dto::CommentResource;
use crate::error::AppError;

pub fn status_of(err: &AppError) -> StatusCode {
    match err {
        AppError::BadRequest { .. } => StatusCode::BAD_REQUEST,
        AppError::Unprocessable { .. } => StatusCode::UNPROCESSABLE_ENTITY,
        AppError::Unauthorized => StatusCode::UNAUTHORIZED,
        AppError::Forbidden => StatusCode::FORBIDDEN,
        AppError::NotFound(_) => StatusCode::NOT_FOUND,
        AppError::CommentsClosed => StatusCode::CONFLICT,
        AppError::IdempotencyKeyReused => StatusCode::UNPROCESSABLE_ENTITY,
        AppError::Conflict { .. } => StatusCode::CONFLICT,
        AppError::PayloadTooLarge { .. } => StatusCode::PAYLOAD_TOO_LARGE,
        AppError::UnsupportedMediaType => StatusCode::UNSUPPORTED_MEDIA_TYPE,
        AppError::CsrfRejected => StatusCode::FORBIDDEN,
        AppError::TooManyRequests(_) | AppError::RateLimited { .. } => {
            StatusCode::TOO_MANY_REQUESTS
        }
        AppError::RequestTimeout => StatusCode::REQUEST_TIMEOUT,
        AppError::NotWritable => StatusCode::INSUFFICIENT_STORAGE,
        AppError::Unavailable => StatusCode::SERVICE_UNAVAILABLE,
        AppError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
    }
}

/// Every error answer: `{"error": {"code", "message"}}`, plus the comment as
/// it is now when a decision lost a race (409 `version_conflict`).
#[derive(Debug, Serialize, ToSchema)]
pub struct ErrorResponse {
    pub error: ErrorDetail,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub current: Option<CommentResource>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ErrorDetail {
    /// Stable and machine-readable, e.g. `validation_failed`, `not_found`,
    /// `version_conflict`; the README lists them.
    pub code: &'static str,
    /// For people; may change between versions.
    pub message: String,
}

/// The error body. Internal causes are logged here and replaced by a fixed
/// message.
pub fn error_body(err: &AppError) -> ErrorResponse {
    let message = match err {
        AppError::Internal(cause) => {
            tracing::error!(%cause, "internal error");
            "internal error; the cause has been logged".to_owned()
        }
        other => other.to_string(),
    };
    let current = match err {
        AppError::Conflict {
            current: Some(current),
            ..
        } => Some(CommentResource::from(current.as_ref())),
        _ => None,
    };
    ErrorResponse {
        error: ErrorDetail {
            code: err.code(),
            message,
        },
        current,
    }
}

impl ResponseError for AppError {
    fn status_code(&self) -> StatusCode {
        status_of(self)
    }

    fn error_response(&self) -> HttpResponse {
        let mut response = HttpResponse::build(status_of(self));
        if matches!(self, AppError::Unauthorized) {
            response.insert_header(("WWW-Authenticate", "Bearer"));
        }
        if let AppError::RateLimited {
            retry_after_secs, ..
        } = self
        {
            response.insert_header(("Retry-After", retry_after_secs.to_string()));
        }
        response.json(error_body(self))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_variant_has_its_status() {
        let cases: Vec<(AppError, u16, &str)> = vec![
            (
                AppError::BadRequest {
                    code: "invalid_json",
                    message: "x".into(),
                },
                400,
                "invalid_json",
            ),
            (
                AppError::validation("body", "empty"),
                422,
                "validation_failed",
            ),
            (AppError::Unauthorized, 401, "unauthorized"),
            (AppError::Forbidden, 403, "forbidden"),
            (AppError::NotFound("comment"), 404, "not_found"),
            (AppError::CommentsClosed, 409, "comments_closed"),
            (
                AppError::IdempotencyKeyReused,
                422,
                "idempotency_key_reused",
            ),
            (
                AppError::Conflict {
                    code: "version_conflict",
                    message: "x".into(),
                    current: None,
                },
                409,
                "version_conflict",
            ),
            (
                AppError::PayloadTooLarge { limit: 1 },
                413,
                "payload_too_large",
            ),
            (
                AppError::UnsupportedMediaType,
                415,
                "unsupported_media_type",
            ),
            (
                AppError::TooManyRequests("slow down".into()),
                429,
                "too_many_requests",
            ),
            (
                AppError::RateLimited {
                    scope: "site",
                    retry_after_secs: 3,
                },
                429,
                "rate_limited",
            ),
            (AppError::RequestTimeout, 408, "request_timeout"),
            (AppError::NotWritable, 507, "storage_not_writable"),
            (AppError::Unavailable, 503, "database_unavailable"),
            (AppError::internal("secret cause"), 500, "internal"),
        ];
        for (err, status, code) in cases {
            assert_eq!(status_of(&err).as_u16(), status, "{err:?}");
            let body = error_body(&err);
            assert_eq!(body.error.code, code);
            assert!(!body.error.message.is_empty());
        }
    }

    #[test]
    fn rate_limits_say_when_to_retry() {
        let response = AppError::RateLimited {
            scope: "IP address",
            retry_after_secs: 7,
        }
        .error_response();
        assert_eq!(
            response
                .headers()
                .get("Retry-After")
                .and_then(|v| v.to_str().ok()),
            Some("7")
        );
    }

    #[test]
    fn internal_errors_hide_their_cause() {
        let body = error_body(&AppError::internal("password=hunter2 at db.rs:12"));
        let text = serde_json::to_string(&body).unwrap_or_default();
        assert!(!text.contains("hunter2"));
        assert!(!text.contains("db.rs"));
    }
}
