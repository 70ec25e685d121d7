use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse, web};
use serde::Deserialize;

use super::csrf;
use super::page_error::PageError;
use super::session::{CurrentSession, SESSION_COOKIE, set_cookie};
use crate::accounts;
use crate::api::AppState;

#[derive(Deserialize)]
pub struct LogoutForm {
    #[serde(default)]
    csrf: String,
}

/// `POST /logout`: ends the session.
pub async fn log_out(
    req: HttpRequest,
    state: web::Data<AppState>,
    CurrentSession(session): CurrentSession,
    form: web::Form<LogoutForm>,
) -> Result<HttpResponse, PageError> {
    csrf::check(&session, &form.csrf)?;
    accounts::log_out(&state.db, &session).await?;
    Ok(HttpResponse::SeeOther()
        .insert_header((header::LOCATION, "/login"))
        .insert_header((header::SET_COOKIE, set_cookie(&req, SESSION_COOKIE, "", 0)))
        .finish())
}
