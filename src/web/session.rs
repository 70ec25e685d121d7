//! The session cookie: reading it, and the extractor that turns it into the
//! logged-in moderator or sends the browser to the login page.

use std::future::Future;
use std::pin::Pin;

use actix_web::dev::Payload;
use actix_web::http::header;
use actix_web::{FromRequest, HttpRequest, web};

use super::page_error::PageError;
use crate::accounts::{self, Session};
use crate::api::AppState;
use crate::error::AppError;

pub const SESSION_COOKIE: &str = "modq_session";
/// The login form's own CSRF token, for the time before there is a session.
pub const LOGIN_COOKIE: &str = "modq_login";

/// The moderator behind the request's session cookie.
pub struct CurrentSession(pub Session);

impl FromRequest for CurrentSession {
    type Error = PageError;
    type Future = Pin<Box<dyn Future<Output = Result<Self, PageError>>>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let token = cookie(req, SESSION_COOKIE);
        let state = req.app_data::<web::Data<AppState>>().cloned();
        let json = wants_json(req);
        let next = req
            .uri()
            .path_and_query()
            .map_or_else(|| "/".to_owned(), |p| p.as_str().to_owned());
        Box::pin(async move {
            let state =
                state.ok_or_else(|| PageError::new(AppError::internal("no state"), json))?;
            let session = match token {
                Some(token) => accounts::find_session(&state.db, &token)
                    .await
                    .map_err(|e| PageError::new(e, json))?,
                None => None,
            };
            session
                .map(CurrentSession)
                .ok_or(PageError::LoginRequired { next, json })
        })
    }
}

/// A cookie's value from the request.
pub fn cookie(req: &HttpRequest, name: &str) -> Option<String> {
    req.headers()
        .get_all(header::COOKIE)
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(key, _)| *key == name)
        .map(|(_, value)| value.to_owned())
}

/// A `Set-Cookie` value: HttpOnly, SameSite=Lax, and Secure when the
/// request came over HTTPS (directly or, per `X-Forwarded-Proto`, through
/// a proxy).
pub fn set_cookie(req: &HttpRequest, name: &str, value: &str, max_age_secs: u64) -> String {
    let secure = if req.connection_info().scheme() == "https" {
        "; Secure"
    } else {
        ""
    };
    format!("{name}={value}; Path=/; HttpOnly; SameSite=Lax; Max-Age={max_age_secs}{secure}")
}

/// Whether the caller is the page's script, which wants JSON back.
pub fn wants_json(req: &HttpRequest) -> bool {
    req.headers()
        .get(header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.contains("application/json"))
}

/// Where to go after logging in: only a path on this site.
pub fn safe_next(next: Option<&str>) -> String {
    match next {
        Some(n) if n.starts_with('/') && !n.starts_with("//") && !n.contains('\\') => n.to_owned(),
        _ => "/".to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::safe_next;

    #[test]
    fn next_stays_on_this_site() {
        assert_eq!(safe_next(Some("/?site=a")), "/?site=a");
        assert_eq!(safe_next(Some("//evil.example/")), "/");
        assert_eq!(safe_next(Some("https://evil.example/")), "/");
        assert_eq!(safe_next(Some("/\\evil.example")), "/");
        assert_eq!(safe_next(None), "/");
    }
}
