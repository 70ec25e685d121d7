use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse, web};
use serde::Deserialize;
use serde_json::json;

use super::csrf;
use super::page_error::PageError;
use super::session::{CurrentSession, safe_next, wants_json};
use crate::api::{AppState, parse};
use crate::moderation;

#[derive(Deserialize)]
pub struct DecisionForm {
    #[serde(default)]
    csrf: String,
    action: String,
    version: Option<i64>,
    reason: Option<String>,
    note: Option<String>,
    /// Where a form post goes afterwards (a path on this site); the queue
    /// by default.
    back: Option<String>,
}

/// `POST /comments/{id}/decision`: approve, reject or reopen from the
/// queue. A form post goes back to the queue; the page's script asks for
/// JSON and gets the new state, or the API's error (409 with the comment as
/// it is now, when another moderator was first).
pub async fn decide_comment(
    req: HttpRequest,
    state: web::Data<AppState>,
    CurrentSession(session): CurrentSession,
    path: web::Path<String>,
    form: web::Form<DecisionForm>,
) -> Result<HttpResponse, PageError> {
    let json = wants_json(&req);
    let form = form.into_inner();
    let back = safe_next(form.back.as_deref());
    let result = async {
        csrf::check(&session, &form.csrf)?;
        let id = parse::comment_id(&path)?;
        let decision = parse::decision(&form.action, form.reason, form.note, form.version)?;
        moderation::decide_comment(&state.db, &session.moderator, id, decision).await
    }
    .await;
    let view = result.map_err(|e| PageError::new(e, json))?;
    if json {
        return Ok(HttpResponse::Ok().json(json!({
            "id": view.id.to_string(),
            "status": view.status.as_str(),
            "version": view.version,
        })));
    }
    Ok(HttpResponse::SeeOther()
        .insert_header((header::LOCATION, back))
        .finish())
}
