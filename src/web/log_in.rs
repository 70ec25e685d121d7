use actix_web::http::{StatusCode, header};
use actix_web::{HttpRequest, HttpResponse, web};
use serde::Deserialize;

use super::csrf;
use super::session::{LOGIN_COOKIE, SESSION_COOKIE, cookie, safe_next, set_cookie};
use super::show_login::login_form;
use crate::accounts::{self, LoginAttempt};
use crate::api::AppState;
use crate::error::AppError;

#[derive(Deserialize)]
pub struct LoginForm {
    email: String,
    password: String,
    form_token: String,
    next: Option<String>,
}

/// `POST /login`: checks the password and sets the session cookie.
pub async fn log_in(
    req: HttpRequest,
    state: web::Data<AppState>,
    form: web::Form<LoginForm>,
) -> Result<HttpResponse, AppError> {
    let form = form.into_inner();
    let next = safe_next(form.next.as_deref());
    let expected = cookie(&req, LOGIN_COOKIE).unwrap_or_default();
    if expected.is_empty() || !csrf::same(form.form_token.as_bytes(), expected.as_bytes()) {
        return login_form(
            &req,
            next,
            form.email,
            Some((StatusCode::FORBIDDEN, AppError::CsrfRejected.to_string())),
        );
    }
    let ip = req
        .peer_addr()
        .map(|a| a.ip().to_string())
        .unwrap_or_default();
    let attempt = LoginAttempt {
        email: form.email.clone(),
        password: form.password,
        ip,
    };
    match accounts::log_in(&state.db, &state.ids, attempt, state.session_ttl).await {
        Ok(session) => Ok(HttpResponse::SeeOther()
            .insert_header((header::LOCATION, next))
            .insert_header((
                header::SET_COOKIE,
                set_cookie(
                    &req,
                    SESSION_COOKIE,
                    &session.token,
                    state.session_ttl.as_secs(),
                ),
            ))
            .finish()),
        Err(AppError::Unauthorized) => login_form(
            &req,
            next,
            form.email,
            Some((
                StatusCode::UNAUTHORIZED,
                "Wrong email or password.".to_owned(),
            )),
        ),
        Err(AppError::TooManyRequests(message)) => login_form(
            &req,
            next,
            form.email,
            Some((StatusCode::TOO_MANY_REQUESTS, format!("{message}."))),
        ),
        Err(other) => Err(other),
    }
}
