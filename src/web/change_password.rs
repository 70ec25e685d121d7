use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use serde::Deserialize;

use super::assets;
use super::csrf;
use super::nav::nav;
use super::page_error::PageError;
use super::session::CurrentSession;
use super::templates::{PasswordPage, render_with_status};
use crate::accounts::{self, MIN_PASSWORD_CHARS, PasswordChange};
use crate::api::AppState;
use crate::api::error_response::status_of;
use crate::error::AppError;
use crate::moderation;

#[derive(Deserialize)]
pub struct PasswordForm {
    #[serde(default)]
    csrf: String,
    current_password: String,
    new_password: String,
    repeat_password: String,
}

/// `POST /account/password`: sets a new password; problems are shown on
/// the form.
pub async fn change_password(
    state: web::Data<AppState>,
    CurrentSession(session): CurrentSession,
    form: web::Form<PasswordForm>,
) -> Result<HttpResponse, PageError> {
    let form = form.into_inner();
    csrf::check(&session, &form.csrf)?;
    let change = PasswordChange {
        current: form.current_password,
        new: form.new_password,
        repeated: form.repeat_password,
    };
    let (status, error) = match accounts::change_password(&state.db, &session, change).await {
        Ok(()) => (StatusCode::OK, None),
        Err(err @ AppError::Unprocessable { .. }) => (status_of(&err), Some(err.to_string())),
        Err(other) => return Err(other.into()),
    };
    let overview = moderation::queue_overview(&state.db, &session.moderator, Vec::new()).await?;
    Ok(render_with_status(
        status,
        &PasswordPage {
            assets: assets::version(),
            nav: Some(nav(&session, &overview)),
            changed: error.is_none(),
            error,
            min_chars: MIN_PASSWORD_CHARS,
        },
    ))
}
