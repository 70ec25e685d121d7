//! How a failed page request answers: a redirect to the login page, an
//! HTML error page, or, for the page's own script, the API's JSON error.

use actix_web::http::{StatusCode, header};
use actix_web::{HttpResponse, ResponseError};

use super::templates::{ErrorPage, render_with_status};
use crate::api::error_response::{error_body, status_of};
use crate::error::AppError;

#[derive(Debug)]
pub enum PageError {
    LoginRequired { next: String, json: bool },
    App { error: AppError, json: bool },
}

impl PageError {
    pub fn new(error: AppError, json: bool) -> Self {
        PageError::App { error, json }
    }
}

/// The status a form page is shown again with after `err`: the error's own
/// for a refusal (4xx), while a server-side failure becomes the error page.
pub fn form_status(err: &AppError) -> Result<StatusCode, PageError> {
    let status = status_of(err);
    if status.is_server_error() {
        return Err(PageError::from(AppError::internal(err.to_string())));
    }
    Ok(status)
}

impl From<AppError> for PageError {
    fn from(error: AppError) -> Self {
        PageError::App { error, json: false }
    }
}

impl std::fmt::Display for PageError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            PageError::LoginRequired { .. } => f.write_str("login required"),
            PageError::App { error, .. } => error.fmt(f),
        }
    }
}

impl ResponseError for PageError {
    fn status_code(&self) -> StatusCode {
        match self {
            PageError::LoginRequired { json: true, .. } => StatusCode::UNAUTHORIZED,
            PageError::LoginRequired { json: false, .. } => StatusCode::SEE_OTHER,
            PageError::App { error, .. } => status_of(error),
        }
    }

    fn error_response(&self) -> HttpResponse {
        match self {
            PageError::LoginRequired { json: true, .. } => {
                HttpResponse::Unauthorized().json(error_body(&AppError::Unauthorized))
            }
            PageError::LoginRequired { next, json: false } => HttpResponse::SeeOther()
                .insert_header((header::LOCATION, format!("/login?next={}", encode(next))))
                .finish(),
            PageError::App { error, json: true } => {
                HttpResponse::build(status_of(error)).json(error_body(error))
            }
            PageError::App { error, json: false } => {
                // The body logs an internal cause and says nothing about it.
                let message = error_body(error).error.message;
                render_with_status(
                    status_of(error),
                    &ErrorPage::new(status_of(error).as_u16(), message),
                )
            }
        }
    }
}

/// Percent-encodes a path for a query parameter.
fn encode(value: &str) -> String {
    value
        .bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' | b'/' => {
                char::from(b).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}
