use actix_web::http::header;
use actix_web::{HttpResponse, web};
use serde::Deserialize;

use super::csrf;
use super::page_error::PageError;
use super::session::{CurrentSession, safe_next};
use crate::api::AppState;
use crate::domain::AuthorId;
use crate::error::AppError;
use crate::moderation;

#[derive(Deserialize)]
pub struct NoteForm {
    #[serde(default)]
    csrf: String,
    note: String,
    back: Option<String>,
}

/// `POST /authors/{id}/notes`: a private note about an author; back to the
/// page the form was on.
pub async fn add_author_note(
    state: web::Data<AppState>,
    CurrentSession(session): CurrentSession,
    path: web::Path<String>,
    form: web::Form<NoteForm>,
) -> Result<HttpResponse, PageError> {
    let form = form.into_inner();
    csrf::check(&session, &form.csrf)?;
    let author: AuthorId = path.parse().map_err(|_| AppError::NotFound("author"))?;
    moderation::add_author_note(
        &state.db,
        &state.ids,
        &session.moderator,
        author,
        &form.note,
    )
    .await?;
    Ok(HttpResponse::SeeOther()
        .insert_header((header::LOCATION, safe_next(form.back.as_deref())))
        .finish())
}
