use actix_web::{HttpResponse, web};

use super::assets;
use super::nav::nav;
use super::page_error::PageError;
use super::session::CurrentSession;
use super::templates::{PasswordPage, render};
use crate::accounts::MIN_PASSWORD_CHARS;
use crate::api::AppState;
use crate::moderation;

/// `GET /account/password`: the form to change one's own password.
pub async fn show_password(
    state: web::Data<AppState>,
    CurrentSession(session): CurrentSession,
) -> Result<HttpResponse, PageError> {
    let overview = moderation::queue_overview(&state.db, &session.moderator, Vec::new()).await?;
    Ok(render(&PasswordPage {
        assets: assets::version(),
        nav: Some(nav(&session, &overview)),
        error: None,
        changed: false,
        min_chars: MIN_PASSWORD_CHARS,
    }))
}
