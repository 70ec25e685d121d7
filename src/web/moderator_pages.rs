//! Moderators, for admins: who may moderate which sites, with what role,
//! whether they may sign in, and their personal API tokens. Passwords and
//! tokens are shown once, when made.

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};

use super::assets;
use super::csrf;
use super::nav::nav;
use super::page_error::PageError;
use super::session::CurrentSession;
use super::templates::{ModeratorLine, ModeratorsPage, render_with_status};
use crate::accounts::{self, CreateModerator, ModeratorChange, Session};
use crate::api::AppState;
use crate::domain::{ModeratorId, Role};
use crate::error::AppError;
use crate::moderation;

/// A form's fields as pairs, since site checkboxes repeat a name.
type Fields = Vec<(String, String)>;

fn field<'a>(fields: &'a Fields, name: &str) -> &'a str {
    fields
        .iter()
        .find(|(k, _)| k == name)
        .map_or("", |(_, v)| v.as_str())
}

/// The site checkboxes that were ticked.
fn ticked_sites(fields: &Fields) -> Vec<String> {
    fields
        .iter()
        .filter(|(k, _)| k == "sites")
        .map(|(_, v)| v.clone())
        .collect()
}

fn role(value: &str) -> Result<Role, AppError> {
    value
        .parse()
        .map_err(|_| AppError::validation("role", "must be moderator or admin"))
}

async fn page(
    state: &AppState,
    session: &Session,
    status: StatusCode,
    error: Option<String>,
    secret: Option<(String, String)>,
) -> Result<HttpResponse, PageError> {
    let overview = moderation::queue_overview(&state.db, &session.moderator, Vec::new()).await?;
    let choices = moderation::queue_choices(&state.db, &session.moderator).await?;
    let moderators = accounts::list_moderators(&state.db).await?;
    Ok(render_with_status(
        status,
        &ModeratorsPage {
            assets: assets::version(),
            nav: Some(nav(session, &overview)),
            csrf: session.csrf_token.clone(),
            sites: choices.sites,
            moderators: moderators
                .into_iter()
                .map(|m| ModeratorLine {
                    id: m.id.to_string(),
                    email: m.email,
                    admin: m.role == Role::Admin,
                    active: m.active,
                    sites: m.sites,
                    tokens: m
                        .tokens
                        .iter()
                        .map(|(id, at)| (id.to_string(), at.format("%Y-%m-%d %H:%M").to_string()))
                        .collect(),
                    me: m.id == session.moderator.id,
                })
                .collect(),
            error,
            secret,
        },
    ))
}

/// `GET /moderators`.
pub async fn show_moderators(
    state: web::Data<AppState>,
    CurrentSession(session): CurrentSession,
) -> Result<HttpResponse, PageError> {
    session.moderator.require_admin()?;
    page(&state, &session, StatusCode::OK, None, None).await
}

/// Shows a client error on the page; anything else is an error page.
async fn fail(
    state: &AppState,
    session: &Session,
    err: AppError,
) -> Result<HttpResponse, PageError> {
    let status = crate::api::error_response::status_of(&err);
    if !matches!(err, AppError::Unprocessable { .. }) {
        return Err(err.into());
    }
    page(state, session, status, Some(err.to_string()), None).await
}

/// `POST /moderators`: a new moderator with a random password, shown once.
pub async fn create_moderator(
    state: web::Data<AppState>,
    CurrentSession(session): CurrentSession,
    form: web::Form<Fields>,
) -> Result<HttpResponse, PageError> {
    csrf::check(&session, field(&form, "csrf"))?;
    session.moderator.require_admin()?;
    let request = match role(field(&form, "role")) {
        Ok(role) => CreateModerator {
            email: field(&form, "email").to_owned(),
            role,
            site_names: ticked_sites(&form),
        },
        Err(err) => return fail(&state, &session, err).await,
    };
    let email = request.email.trim().to_lowercase();
    let (db, ids, actor) = (
        state.db.clone(),
        state.ids.clone(),
        session.moderator.actor(),
    );
    let created = web::block(move || accounts::create_moderator(&db, &ids, request, &actor))
        .await
        .map_err(AppError::internal)?;
    match created {
        Ok(password) => {
            let secret = (format!("Password for {email}"), password);
            page(&state, &session, StatusCode::OK, None, Some(secret)).await
        }
        Err(err) => fail(&state, &session, err).await,
    }
}

/// `POST /moderators/{id}`: role, sites and whether they may sign in.
pub async fn update_moderator(
    state: web::Data<AppState>,
    CurrentSession(session): CurrentSession,
    path: web::Path<String>,
    form: web::Form<Fields>,
) -> Result<HttpResponse, PageError> {
    csrf::check(&session, field(&form, "csrf"))?;
    session.moderator.require_admin()?;
    let id: ModeratorId = path.parse().map_err(|_| AppError::NotFound("moderator"))?;
    let change = match role(field(&form, "role")) {
        Ok(role) => ModeratorChange {
            role,
            active: field(&form, "active") == "true",
            site_names: ticked_sites(&form),
        },
        Err(err) => return fail(&state, &session, err).await,
    };
    match accounts::update_moderator(&state.db, &session.moderator, id, change).await {
        Ok(()) => page(&state, &session, StatusCode::OK, None, None).await,
        Err(err) => fail(&state, &session, err).await,
    }
}

/// `POST /moderators/{id}/token`: a new personal API token, shown once.
pub async fn create_token(
    state: web::Data<AppState>,
    CurrentSession(session): CurrentSession,
    path: web::Path<String>,
    form: web::Form<Fields>,
) -> Result<HttpResponse, PageError> {
    csrf::check(&session, field(&form, "csrf"))?;
    session.moderator.require_admin()?;
    let id: ModeratorId = path.parse().map_err(|_| AppError::NotFound("moderator"))?;
    let email = accounts::moderator_email(&state.db, id).await?;
    let (db, ids, who) = (state.db.clone(), state.ids.clone(), email.clone());
    let actor = session.moderator.actor();
    let token = web::block(move || accounts::create_token(&db, &ids, &who, &actor))
        .await
        .map_err(AppError::internal)??;
    let secret = (format!("API token for {email}"), token);
    page(&state, &session, StatusCode::OK, None, Some(secret)).await
}

/// `POST /moderators/{id}/tokens/{token}/revoke`: one token stops working.
pub async fn revoke_token(
    state: web::Data<AppState>,
    CurrentSession(session): CurrentSession,
    path: web::Path<(String, i64)>,
    form: web::Form<Fields>,
) -> Result<HttpResponse, PageError> {
    csrf::check(&session, field(&form, "csrf"))?;
    session.moderator.require_admin()?;
    let (id, token) = path.into_inner();
    let id: ModeratorId = id.parse().map_err(|_| AppError::NotFound("moderator"))?;
    accounts::revoke_token(&state.db, &session.moderator, id, token).await?;
    page(&state, &session, StatusCode::OK, None, None).await
}
