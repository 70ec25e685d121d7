//! A site's webhooks (admins): its endpoints with how their deliveries
//! stand, adding and removing them, the queue alert thresholds, and each
//! endpoint's delivery log with a redeliver button per event.

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use serde::Deserialize;

use super::assets;
use super::csrf;
use super::nav::nav;
use super::page_error::{PageError, form_status};
use super::session::CurrentSession;
use super::site_pages::site_named;
use super::templates::{
    AttemptLine, DeliveryLine, EndpointLine, WebhookDeliveriesPage, WebhooksPage,
    render_with_status,
};
use crate::accounts::{Session, SiteContext};
use crate::api::AppState;
use crate::error::AppError;
use crate::moderation;
use crate::webhooks::{self, EventType, NewEndpointRequest, QueueAlertSettings};

#[derive(Debug, Default, Deserialize)]
pub struct EndpointForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    url: String,
    #[serde(default)]
    format: String,
    #[serde(default)]
    secret: String,
    /// A ticked box per event: `on_comment.created=on`; none ticked means
    /// every event.
    #[serde(flatten)]
    ticked: std::collections::HashMap<String, String>,
}

#[derive(Debug, Default, Deserialize)]
pub struct AlertForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    oldest_pending_minutes: String,
    #[serde(default)]
    max_pending: String,
}

#[derive(Debug, Default, Deserialize)]
pub struct CsrfForm {
    #[serde(default)]
    csrf: String,
}

enum Outcome {
    Shown,
    Notice(String),
    Failed(AppError),
}

/// `GET /sites/{name}/webhooks`
pub async fn show_webhooks(
    state: web::Data<AppState>,
    CurrentSession(session): CurrentSession,
    path: web::Path<String>,
) -> Result<HttpResponse, PageError> {
    session.moderator.require_admin()?;
    let site = site_named(&state, path.into_inner()).await?;
    page(&state, &session, &site, Outcome::Shown).await
}

/// `POST /sites/{name}/webhooks`: adds an endpoint; its secret is shown
/// this once.
pub async fn add_webhook(
    state: web::Data<AppState>,
    CurrentSession(session): CurrentSession,
    path: web::Path<String>,
    form: web::Form<EndpointForm>,
) -> Result<HttpResponse, PageError> {
    csrf::check(&session, &form.csrf)?;
    session.moderator.require_admin()?;
    let site = site_named(&state, path.into_inner()).await?;
    let mut events: Vec<String> = form
        .ticked
        .keys()
        .filter_map(|k| k.strip_prefix("on_"))
        .map(str::to_owned)
        .collect();
    events.sort();
    let secret = Some(form.secret.trim()).filter(|s| !s.is_empty());
    let format = Some(form.format.as_str()).filter(|f| !f.is_empty());
    let outcome = match NewEndpointRequest::parse(form.url.trim(), &events, format, secret) {
        Ok(request) => match webhooks::create_endpoint(&state.db, site.id, request).await {
            Ok(created) => Outcome::Notice(format!(
                "Added {}. Its signing secret, shown only now: {}",
                created.url,
                created.secret.unwrap_or_default()
            )),
            Err(err) => Outcome::Failed(err),
        },
        Err(err) => Outcome::Failed(err),
    };
    page(&state, &session, &site, outcome).await
}

/// `POST /sites/{name}/webhooks/{id}/delete`
pub async fn remove_webhook(
    state: web::Data<AppState>,
    CurrentSession(session): CurrentSession,
    path: web::Path<(String, i64)>,
    form: web::Form<CsrfForm>,
) -> Result<HttpResponse, PageError> {
    csrf::check(&session, &form.csrf)?;
    session.moderator.require_admin()?;
    let (name, id) = path.into_inner();
    let site = site_named(&state, name).await?;
    webhooks::delete_endpoint(&state.db, site.id, id).await?;
    page(
        &state,
        &session,
        &site,
        Outcome::Notice("Removed.".to_owned()),
    )
    .await
}

/// `POST /sites/{name}/queue-alert`
pub async fn save_queue_alert(
    state: web::Data<AppState>,
    CurrentSession(session): CurrentSession,
    path: web::Path<String>,
    form: web::Form<AlertForm>,
) -> Result<HttpResponse, PageError> {
    csrf::check(&session, &form.csrf)?;
    session.moderator.require_admin()?;
    let site = site_named(&state, path.into_inner()).await?;
    let number = |field: &str, raw: &str| -> Result<Option<i32>, AppError> {
        let raw = raw.trim();
        if raw.is_empty() {
            return Ok(None);
        }
        raw.parse()
            .map(Some)
            .map_err(|_| AppError::validation(field, "must be a whole number"))
    };
    let settings = number("oldest_pending_minutes", &form.oldest_pending_minutes).and_then(
        |oldest_pending_minutes| {
            Ok(QueueAlertSettings {
                oldest_pending_minutes,
                max_pending: number("max_pending", &form.max_pending)?,
            })
        },
    );
    let outcome = match settings {
        Ok(settings) => match webhooks::put_queue_alert(
            &state.db,
            site.id,
            &site.name,
            &session.moderator.actor(),
            settings,
        )
        .await
        {
            Ok(_) => Outcome::Notice("Queue alert saved.".to_owned()),
            Err(err) => Outcome::Failed(err),
        },
        Err(err) => Outcome::Failed(err),
    };
    page(&state, &session, &site, outcome).await
}

async fn page(
    state: &AppState,
    session: &Session,
    site: &SiteContext,
    outcome: Outcome,
) -> Result<HttpResponse, PageError> {
    let overview = moderation::queue_overview(&state.db, &session.moderator, Vec::new()).await?;
    let endpoints = webhooks::list_endpoints(&state.db, site.id).await?;
    let alert = webhooks::get_queue_alert(&state.db, site.id).await?;
    let (status, error, notice) = match outcome {
        Outcome::Shown => (StatusCode::OK, None, None),
        Outcome::Notice(notice) => (StatusCode::OK, None, Some(notice)),
        Outcome::Failed(err) => (form_status(&err)?, Some(err.to_string()), None),
    };
    Ok(render_with_status(
        status,
        &WebhooksPage {
            assets: assets::version(),
            nav: Some(nav(session, &overview)),
            csrf: session.csrf_token.clone(),
            name: site.name.clone(),
            error,
            notice,
            endpoints: endpoints
                .into_iter()
                .map(|e| EndpointLine {
                    failing: e.failing(),
                    id: e.id,
                    events: if e.events.is_empty() {
                        "every event".to_owned()
                    } else {
                        e.events.join(", ")
                    },
                    url: e.url,
                    format: e.format,
                    pending: e.pending,
                    dead: e.dead,
                    last_error: e.last_error.unwrap_or_default(),
                })
                .collect(),
            event_types: EventType::ALL.iter().map(|e| e.as_str()).collect(),
            oldest_pending_minutes: alert
                .settings
                .oldest_pending_minutes
                .map(|m| m.to_string())
                .unwrap_or_default(),
            max_pending: alert
                .settings
                .max_pending
                .map(|m| m.to_string())
                .unwrap_or_default(),
            alert_firing_since: alert
                .firing_since
                .map(|t| t.format("%Y-%m-%d %H:%M UTC").to_string()),
        },
    ))
}

/// `GET /sites/{name}/webhooks/{id}`: the endpoint's last 50 deliveries.
pub async fn show_deliveries(
    state: web::Data<AppState>,
    CurrentSession(session): CurrentSession,
    path: web::Path<(String, i64)>,
) -> Result<HttpResponse, PageError> {
    session.moderator.require_admin()?;
    let (name, id) = path.into_inner();
    let site = site_named(&state, name).await?;
    deliveries_page(&state, &session, &site, id, None).await
}

/// `POST /sites/{name}/webhooks/{id}/deliveries/{delivery}/redeliver`
pub async fn redeliver(
    state: web::Data<AppState>,
    CurrentSession(session): CurrentSession,
    path: web::Path<(String, i64, i64)>,
    form: web::Form<CsrfForm>,
) -> Result<HttpResponse, PageError> {
    csrf::check(&session, &form.csrf)?;
    session.moderator.require_admin()?;
    let (name, endpoint, delivery) = path.into_inner();
    let site = site_named(&state, name).await?;
    webhooks::redeliver(&state.db, site.id, delivery).await?;
    let notice = format!("Delivery {delivery} will go out again within a few seconds.");
    deliveries_page(&state, &session, &site, endpoint, Some(notice)).await
}

async fn deliveries_page(
    state: &AppState,
    session: &Session,
    site: &SiteContext,
    endpoint: i64,
    notice: Option<String>,
) -> Result<HttpResponse, PageError> {
    let overview = moderation::queue_overview(&state.db, &session.moderator, Vec::new()).await?;
    let endpoints = webhooks::list_endpoints(&state.db, site.id).await?;
    let url = endpoints
        .iter()
        .find(|e| e.id == endpoint)
        .map(|e| e.url.clone())
        .ok_or(AppError::NotFound("webhook"))?;
    let log = webhooks::delivery_log(&state.db, site.id, endpoint, None, 50).await?;
    let time = |t: chrono::NaiveDateTime| t.format("%Y-%m-%d %H:%M:%S").to_string();
    Ok(render_with_status(
        StatusCode::OK,
        &WebhookDeliveriesPage {
            assets: assets::version(),
            nav: Some(nav(session, &overview)),
            csrf: session.csrf_token.clone(),
            name: site.name.clone(),
            endpoint,
            url,
            notice,
            deliveries: log
                .into_iter()
                .map(|v| DeliveryLine {
                    id: v.delivery.id,
                    event_id: v.delivery.event_id,
                    event_type: v.delivery.event_type,
                    comment_id: v
                        .delivery
                        .comment_id
                        .map(|c| c.to_string())
                        .unwrap_or_default(),
                    created_at: time(v.delivery.created_at),
                    next_attempt_at: (v.delivery.state == "pending")
                        .then(|| time(v.delivery.next_attempt_at)),
                    state: v.delivery.state,
                    attempts: v
                        .attempts
                        .into_iter()
                        .map(|a| AttemptLine {
                            at: time(a.attempted_at),
                            status: a
                                .status_code
                                .map(|s| s.to_string())
                                .unwrap_or_else(|| "no answer".to_owned()),
                            error: a.error.unwrap_or_default(),
                            response: a.response_snippet.unwrap_or_default(),
                            duration_ms: a.duration_ms,
                        })
                        .collect(),
                })
                .collect(),
        },
    ))
}
