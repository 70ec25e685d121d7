use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse, web};
use serde::Deserialize;

use super::assets;
use super::session::{LOGIN_COOKIE, SESSION_COOKIE, cookie, safe_next, set_cookie};
use super::templates::LoginPage;
use crate::accounts::{self, random_password};
use crate::api::AppState;
use crate::error::AppError;

#[derive(Deserialize)]
pub struct LoginQuery {
    next: Option<String>,
}

/// `GET /login`: the login form, or straight on if already logged in.
pub async fn show_login(
    req: HttpRequest,
    state: web::Data<AppState>,
    query: web::Query<LoginQuery>,
) -> Result<HttpResponse, AppError> {
    let next = safe_next(query.next.as_deref());
    if let Some(token) = cookie(&req, SESSION_COOKIE)
        && accounts::find_session(&state.db, &token).await?.is_some()
    {
        return Ok(HttpResponse::SeeOther()
            .insert_header((header::LOCATION, next))
            .finish());
    }
    login_form(&req, next, String::new(), None)
}

/// The form with a fresh form token, also set as a cookie: the POST must
/// bring both, which a page on another origin cannot arrange.
pub fn login_form(
    req: &HttpRequest,
    next: String,
    email: String,
    error: Option<(actix_web::http::StatusCode, String)>,
) -> Result<HttpResponse, AppError> {
    let form_token = random_password()?;
    let (status, error) = match error {
        Some((status, message)) => (status, Some(message)),
        None => (actix_web::http::StatusCode::OK, None),
    };
    let page = LoginPage {
        assets: assets::version(),
        nav: None,
        next,
        form_token: form_token.clone(),
        email,
        error,
    };
    let mut response = super::templates::render_with_status(status, &page);
    let value = set_cookie(req, LOGIN_COOKIE, &form_token, 3600);
    if let Ok(value) = header::HeaderValue::from_str(&value) {
        response.headers_mut().append(header::SET_COOKIE, value);
    }
    Ok(response)
}
