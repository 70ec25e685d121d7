use actix_web::http::header;
use actix_web::{HttpResponse, web};
use serde::Deserialize;

use super::csrf;
use super::page_error::PageError;
use super::queue_view::encode;
use super::session::CurrentSession;
use crate::api::AppState;
use crate::articles;
use crate::domain::{ArticleId, Policy};
use crate::error::AppError;

#[derive(Deserialize)]
pub struct PolicyForm {
    #[serde(default)]
    csrf: String,
    /// `pre`, `post`, `closed`, or empty for the site default.
    policy: String,
    #[serde(default)]
    q: String,
}

/// `POST /articles/{id}/policy`: an article's own policy, or back to the
/// site default.
pub async fn set_article_policy(
    state: web::Data<AppState>,
    CurrentSession(session): CurrentSession,
    path: web::Path<String>,
    form: web::Form<PolicyForm>,
) -> Result<HttpResponse, PageError> {
    let form = form.into_inner();
    csrf::check(&session, &form.csrf)?;
    let id: ArticleId = path.parse().map_err(|_| AppError::NotFound("article"))?;
    let policy = match form.policy.as_str() {
        "" => None,
        other => Some(other.parse::<Policy>().map_err(|_| {
            AppError::validation("policy", "must be pre, post, closed or the site default")
        })?),
    };
    articles::set_article_policy(&state.db, &session.moderator, id, policy).await?;
    let back = if form.q.trim().is_empty() {
        "/articles".to_owned()
    } else {
        format!("/articles?q={}", encode(form.q.trim()))
    };
    Ok(HttpResponse::SeeOther()
        .insert_header((header::LOCATION, back))
        .finish())
}
