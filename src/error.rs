//! The one error type that crosses into the HTTP edge. `api::error_response`
//! maps each variant to a status code in a single exhaustive match.

use crate::domain::TransitionError;

/// Everything a request can fail with. Messages of client errors are shown to
/// the client; `Internal` is logged and replaced by a generic message.
#[derive(Debug, thiserror::Error)]
pub enum AppError {
    #[error("{message}")]
    BadRequest { code: &'static str, message: String },
    #[error("{message}")]
    Unprocessable { code: &'static str, message: String },
    #[error("missing or invalid credentials")]
    Unauthorized,
    #[error("this action needs the admin role")]
    Forbidden,
    #[error("{0} not found")]
    NotFound(&'static str),
    #[error("the article is closed for comments")]
    CommentsClosed,
    #[error("this Idempotency-Key was used with a different request body")]
    IdempotencyKeyReused,
    /// A decision that lost a race or does not apply; carries the comment as
    /// it is now so the client can show it.
    #[error("{message}")]
    Conflict {
        code: &'static str,
        message: String,
        current: Option<Box<crate::moderation::CommentView>>,
    },
    #[error("the request body is larger than {limit} bytes")]
    PayloadTooLarge { limit: usize },
    #[error("Content-Type must be application/json")]
    UnsupportedMediaType,
    /// A web form or fetch without the session's CSRF token.
    #[error("the form is out of date or did not come from modq; reload the page and try again")]
    CsrfRejected,
    /// Too many attempts (failed logins); the message says when to retry.
    #[error("{0}")]
    TooManyRequests(String),
    /// Over a submit rate limit; retry after the given seconds.
    #[error("too many comments from this {scope}; retry in {retry_after_secs} s")]
    RateLimited {
        scope: &'static str,
        retry_after_secs: u64,
    },
    /// The request body did not arrive in time.
    #[error("the request body did not arrive within the time allowed")]
    RequestTimeout,
    /// The database's disk is full or read-only: nothing was stored.
    #[error("the database cannot be written (disk full or read-only); nothing was stored")]
    NotWritable,
    #[error("the database is unavailable; retry shortly")]
    Unavailable,
    /// The cause is logged by the HTTP edge and never sent to the client.
    #[error("internal error: {0}")]
    Internal(String),
}

impl AppError {
    pub fn validation(field: &str, message: impl std::fmt::Display) -> Self {
        AppError::Unprocessable {
            code: "validation_failed",
            message: format!("{field}: {message}"),
        }
    }

    pub fn internal(cause: impl std::fmt::Display) -> Self {
        AppError::Internal(cause.to_string())
    }

    pub fn conflict(err: TransitionError, current: crate::moderation::CommentView) -> Self {
        let code = match err {
            TransitionError::AlreadyDecided => "already_decided",
            TransitionError::NotDecided => "not_decided",
            TransitionError::Withdrawn => "comment_withdrawn",
            TransitionError::NotReported => "not_reported",
        };
        AppError::Conflict {
            code,
            message: err.to_string(),
            current: Some(Box::new(current)),
        }
    }

    /// The stable machine-readable code sent in `{"error":{"code"}}`.
    pub fn code(&self) -> &'static str {
        match self {
            AppError::BadRequest { code, .. }
            | AppError::Unprocessable { code, .. }
            | AppError::Conflict { code, .. } => code,
            AppError::Unauthorized => "unauthorized",
            AppError::Forbidden => "forbidden",
            AppError::NotFound(_) => "not_found",
            AppError::CommentsClosed => "comments_closed",
            AppError::IdempotencyKeyReused => "idempotency_key_reused",
            AppError::PayloadTooLarge { .. } => "payload_too_large",
            AppError::UnsupportedMediaType => "unsupported_media_type",
            AppError::CsrfRejected => "csrf_rejected",
            AppError::TooManyRequests(_) => "too_many_requests",
            AppError::RateLimited { .. } => "rate_limited",
            AppError::RequestTimeout => "request_timeout",
            AppError::NotWritable => "storage_not_writable",
            AppError::Unavailable => "database_unavailable",
            AppError::Internal(_) => "internal",
        }
    }
}

impl From<crate::storage::StorageError> for AppError {
    fn from(err: crate::storage::StorageError) -> Self {
        use crate::storage::StorageError;
        match err {
            StorageError::NotFound => AppError::NotFound("record"),
            StorageError::UniqueViolation(_) | StorageError::Contended(_) => AppError::Conflict {
                code: CONCURRENT_WRITE,
                message: "a concurrent request changed the same data; retry".to_owned(),
                current: None,
            },
            StorageError::PoolTimeout(cause) => {
                tracing::warn!(error = %cause, "no database connection became free in time");
                AppError::Unavailable
            }
            StorageError::NotWritable(cause) => {
                tracing::error!(error = %cause, "the database cannot be written");
                AppError::NotWritable
            }
            StorageError::NulInText(_) => AppError::Unprocessable {
                code: "invalid_characters",
                message: "text must not contain NUL (U+0000) characters".to_owned(),
            },
            other => AppError::internal(other),
        }
    }
}

/// The conflict code of a write that lost a race on a unique key.
const CONCURRENT_WRITE: &str = "concurrent_write";

impl crate::storage::WriteError for AppError {
    fn is_concurrent_insert(&self) -> bool {
        matches!(self, AppError::Conflict { code, .. } if *code == CONCURRENT_WRITE)
    }
}

impl From<crate::domain::UnknownValue> for AppError {
    fn from(err: crate::domain::UnknownValue) -> Self {
        AppError::internal(err)
    }
}
