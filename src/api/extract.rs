//! Request extractors that fail with [`AppError`], so every rejection is the
//! same JSON shape.

use std::future::Future;
use std::pin::Pin;

use actix_web::dev::Payload;
use actix_web::http::header;
use actix_web::{FromRequest, HttpMessage, HttpRequest, web};
use futures_util::StreamExt;
use serde::de::DeserializeOwned;

use super::AppState;
use crate::accounts::{self, ModeratorContext, Principal, SiteContext};
use crate::error::AppError;

/// A JSON body: `application/json`, at most `limits.max_request_bytes`,
/// valid UTF-8, and deserialisable into `T`. Keeps the raw bytes for the
/// idempotency hash.
pub struct JsonBody<T> {
    pub value: T,
    pub raw: web::Bytes,
}

impl<T: DeserializeOwned + 'static> FromRequest for JsonBody<T> {
    type Error = AppError;
    type Future = Pin<Box<dyn Future<Output = Result<Self, AppError>>>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let (limit, body_timeout) = req
            .app_data::<web::Data<AppState>>()
            .map_or((65_536, 10_000), |s| {
                (s.limits.max_request_bytes, s.limits.request_body_timeout_ms)
            });
        let body_timeout = std::time::Duration::from_millis(body_timeout.max(1));
        let is_json = req
            .mime_type()
            .ok()
            .flatten()
            .is_some_and(|m| m.essence_str() == "application/json");
        let declared = req
            .headers()
            .get(header::CONTENT_LENGTH)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.parse::<usize>().ok());
        let mut payload = payload.take();
        Box::pin(async move {
            if !is_json {
                return Err(AppError::UnsupportedMediaType);
            }
            if declared.is_some_and(|len| len > limit) {
                return Err(AppError::PayloadTooLarge { limit });
            }
            let read = async {
                let mut buf = web::BytesMut::new();
                while let Some(chunk) = payload.next().await {
                    let chunk = chunk.map_err(|e| AppError::BadRequest {
                        code: "bad_payload",
                        message: format!("could not read the request body: {e}"),
                    })?;
                    if buf.len() + chunk.len() > limit {
                        return Err(AppError::PayloadTooLarge { limit });
                    }
                    buf.extend_from_slice(&chunk);
                }
                Ok(buf)
            };
            // A client trickling its body must not hold the request open.
            let raw = tokio::time::timeout(body_timeout, read)
                .await
                .map_err(|_| AppError::RequestTimeout)??
                .freeze();
            let text = std::str::from_utf8(&raw).map_err(|e| AppError::Unprocessable {
                code: "invalid_utf8",
                message: format!(
                    "the request body is not valid UTF-8 (byte {})",
                    e.valid_up_to()
                ),
            })?;
            let value = crate::strict_json::from_str::<T>(text).map_err(json_error)?;
            Ok(JsonBody { value, raw })
        })
    }
}

/// Syntax errors are 400; well-formed JSON of the wrong shape is 422 and
/// serde's message names the field.
fn json_error(err: serde_json::Error) -> AppError {
    use serde_json::error::Category;
    match err.classify() {
        Category::Data => AppError::Unprocessable {
            code: "validation_failed",
            message: err.to_string(),
        },
        Category::Syntax | Category::Eof | Category::Io => AppError::BadRequest {
            code: "invalid_json",
            message: format!("malformed JSON: {err}"),
        },
    }
}

/// The bearer credential's owner.
pub struct Authenticated(pub Principal);

impl FromRequest for Authenticated {
    type Error = AppError;
    type Future = Pin<Box<dyn Future<Output = Result<Self, AppError>>>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let state = req.app_data::<web::Data<AppState>>().cloned();
        let bearer = req
            .headers()
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_prefix("Bearer "))
            .map(|v| v.trim().to_owned());
        Box::pin(async move {
            let state = state.ok_or_else(|| AppError::internal("application state missing"))?;
            let bearer = bearer.ok_or(AppError::Unauthorized)?;
            accounts::authenticate(&state.db, &state.credentials, &bearer)
                .await
                .map(Authenticated)
        })
    }
}

/// A caller holding a site API key.
pub struct SiteAuth(pub SiteContext);

impl FromRequest for SiteAuth {
    type Error = AppError;
    type Future = Pin<Box<dyn Future<Output = Result<Self, AppError>>>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let auth = Authenticated::from_request(req, payload);
        Box::pin(async move {
            match auth.await?.0 {
                Principal::Site(site) => Ok(SiteAuth(site)),
                Principal::Moderator(_) => Err(AppError::Unauthorized),
            }
        })
    }
}

/// A caller holding a moderator token.
pub struct ModeratorAuth(pub ModeratorContext);

impl FromRequest for ModeratorAuth {
    type Error = AppError;
    type Future = Pin<Box<dyn Future<Output = Result<Self, AppError>>>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let auth = Authenticated::from_request(req, payload);
        Box::pin(async move {
            match auth.await?.0 {
                Principal::Moderator(m) => Ok(ModeratorAuth(m)),
                Principal::Site(_) => Err(AppError::Unauthorized),
            }
        })
    }
}
