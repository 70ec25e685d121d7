use actix_web::http::header;
use actix_web::{HttpResponse, web};
use serde::Deserialize;

use super::csrf;
use super::page_error::PageError;
use super::queue_view::encode;
use super::session::CurrentSession;
use crate::api::AppState;
use crate::error::AppError;
use crate::moderation;

#[derive(Deserialize)]
pub struct SaveForm {
    #[serde(default)]
    csrf: String,
    name: String,
    #[serde(default)]
    query: String,
}

/// `POST /queues`: saves the view on show under a name, then shows it. A
/// problem (no name, a name in use) is shown on the queue page.
pub async fn save_queue(
    state: web::Data<AppState>,
    CurrentSession(session): CurrentSession,
    form: web::Form<SaveForm>,
) -> Result<HttpResponse, PageError> {
    let form = form.into_inner();
    csrf::check(&session, &form.csrf)?;
    let back = |query: &str| {
        if query.is_empty() {
            "/".to_owned()
        } else {
            format!("/?{query}")
        }
    };
    let location = match moderation::save_queue(
        &state.db,
        &state.ids,
        &session.moderator,
        &form.name,
        &form.query,
    )
    .await
    {
        Ok(saved) => back(&saved.query),
        Err(err @ AppError::Unprocessable { .. }) => {
            let sep = if form.query.is_empty() { "?" } else { "&" };
            format!(
                "{}{sep}save_error={}",
                back(&form.query),
                encode(&err.to_string())
            )
        }
        Err(other) => return Err(other.into()),
    };
    Ok(HttpResponse::SeeOther()
        .insert_header((header::LOCATION, location))
        .finish())
}

#[derive(Deserialize)]
pub struct DeleteForm {
    #[serde(default)]
    csrf: String,
}

/// `POST /queues/{id}/delete`: removes one of one's saved views.
pub async fn delete_saved_queue(
    state: web::Data<AppState>,
    CurrentSession(session): CurrentSession,
    path: web::Path<i64>,
    form: web::Form<DeleteForm>,
) -> Result<HttpResponse, PageError> {
    csrf::check(&session, &form.csrf)?;
    moderation::delete_saved_queue(&state.db, &session.moderator, path.into_inner()).await?;
    Ok(HttpResponse::SeeOther()
        .insert_header((header::LOCATION, "/"))
        .finish())
}
