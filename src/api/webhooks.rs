//! `/api/v1/webhooks`: a site's endpoints, their delivery log, and
//! redelivery.

use actix_web::{HttpResponse, web};
use serde::{Deserialize, Serialize};

use super::dto::timestamp;
use super::extract::{JsonBody, SiteAuth};
use super::{AppState, parse};
use crate::error::AppError;
use crate::webhooks::{self, DeliveryView, EndpointView, NewEndpointRequest};

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CreateWebhookRequest {
    pub url: String,
    #[serde(default)]
    pub events: Vec<String>,
    #[serde(default)]
    pub format: Option<String>,
    #[serde(default)]
    pub secret: Option<String>,
}

#[derive(Debug, Serialize)]
pub struct WebhookResource {
    pub id: String,
    pub url: String,
    /// Empty: every event.
    pub events: Vec<String>,
    pub format: String,
    /// Only in the answer to the request that created the endpoint.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub secret: Option<String>,
    pub created_at: String,
    /// `ok`, or `failing` when its most recent attempt failed or some ran
    /// out of retries.
    pub status: &'static str,
    pub pending: i64,
    pub dead: i64,
    pub last_error: Option<String>,
}

impl From<EndpointView> for WebhookResource {
    fn from(e: EndpointView) -> Self {
        Self {
            id: e.id.to_string(),
            status: if e.failing() { "failing" } else { "ok" },
            url: e.url,
            events: e.events,
            format: e.format,
            secret: e.secret,
            created_at: timestamp(e.created_at),
            pending: e.pending,
            dead: e.dead,
            last_error: e.last_error,
        }
    }
}

#[derive(Debug, Serialize)]
pub struct DeliveryResource {
    pub id: String,
    pub event_id: String,
    pub event_type: String,
    pub comment_id: Option<String>,
    /// `pending`, `delivered` or `dead`.
    pub state: String,
    pub attempts: Vec<AttemptResource>,
    pub next_attempt_at: Option<String>,
    pub created_at: String,
    pub delivered_at: Option<String>,
}

#[derive(Debug, Serialize)]
pub struct AttemptResource {
    pub at: String,
    pub status_code: Option<i32>,
    pub error: Option<String>,
    pub response: Option<String>,
    pub duration_ms: i64,
}

impl From<DeliveryView> for DeliveryResource {
    fn from(v: DeliveryView) -> Self {
        let d = v.delivery;
        Self {
            id: d.id.to_string(),
            next_attempt_at: (d.state == "pending").then(|| timestamp(d.next_attempt_at)),
            event_id: d.event_id,
            event_type: d.event_type,
            comment_id: d.comment_id.map(|c| c.to_string()),
            state: d.state,
            attempts: v
                .attempts
                .into_iter()
                .map(|a| AttemptResource {
                    at: timestamp(a.attempted_at),
                    status_code: a.status_code,
                    error: a.error,
                    response: a.response_snippet,
                    duration_ms: a.duration_ms,
                })
                .collect(),
            created_at: timestamp(d.created_at),
            delivered_at: d.delivered_at.map(timestamp),
        }
    }
}

#[derive(Debug, Serialize)]
struct List<T> {
    items: Vec<T>,
}

fn webhook_id(raw: &str) -> Result<i64, AppError> {
    raw.parse().map_err(|_| AppError::NotFound("webhook"))
}

/// `GET /api/v1/webhooks`
pub async fn list_webhooks(
    state: web::Data<AppState>,
    SiteAuth(site): SiteAuth,
) -> Result<HttpResponse, AppError> {
    let items = webhooks::list_endpoints(&state.db, site.id).await?;
    Ok(HttpResponse::Ok().json(List {
        items: items.into_iter().map(WebhookResource::from).collect(),
    }))
}

/// `POST /api/v1/webhooks`: 201 with the secret, shown this once.
pub async fn create_webhook(
    state: web::Data<AppState>,
    SiteAuth(site): SiteAuth,
    body: JsonBody<CreateWebhookRequest>,
) -> Result<HttpResponse, AppError> {
    let req = body.value;
    let request = NewEndpointRequest::parse(
        &req.url,
        &req.events,
        req.format.as_deref(),
        req.secret.as_deref(),
    )?;
    let created = webhooks::create_endpoint(&state.db, site.id, request).await?;
    Ok(HttpResponse::Created()
        .insert_header(("Location", format!("/api/v1/webhooks/{}", created.id)))
        .json(WebhookResource::from(created)))
}

/// `DELETE /api/v1/webhooks/{id}`: the endpoint and its delivery log.
pub async fn delete_webhook(
    state: web::Data<AppState>,
    SiteAuth(site): SiteAuth,
    path: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    webhooks::delete_endpoint(&state.db, site.id, webhook_id(&path)?).await?;
    Ok(HttpResponse::NoContent().finish())
}

#[derive(Debug, Deserialize)]
pub struct DeliveryQuery {
    pub limit: Option<i64>,
    pub before: Option<String>,
}

/// `GET /api/v1/webhooks/{id}/deliveries`: newest first, with attempts.
pub async fn list_deliveries(
    state: web::Data<AppState>,
    SiteAuth(site): SiteAuth,
    path: web::Path<String>,
    query: web::Query<DeliveryQuery>,
) -> Result<HttpResponse, AppError> {
    let limit = parse::limit(query.limit, &state.limits)?;
    let before = query
        .before
        .as_deref()
        .map(|b| {
            b.parse::<i64>()
                .map_err(|_| AppError::validation("before", "must be a delivery id"))
        })
        .transpose()?;
    let items =
        webhooks::delivery_log(&state.db, site.id, webhook_id(&path)?, before, limit).await?;
    Ok(HttpResponse::Ok().json(List {
        items: items.into_iter().map(DeliveryResource::from).collect(),
    }))
}

/// `POST /api/v1/webhooks/deliveries/{id}/redeliver`: 202; it goes out
/// again within one poll.
pub async fn redeliver(
    state: web::Data<AppState>,
    SiteAuth(site): SiteAuth,
    path: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let id = path
        .parse::<i64>()
        .map_err(|_| AppError::NotFound("delivery"))?;
    webhooks::redeliver(&state.db, site.id, id).await?;
    Ok(HttpResponse::Accepted().json(serde_json::json!({"redelivering": id.to_string()})))
}

#[derive(Debug, Serialize)]
pub struct QueueAlertResource {
    pub oldest_pending_minutes: Option<i32>,
    pub max_pending: Option<i32>,
    /// When the alert started firing; `null` when it is not.
    pub firing_since: Option<String>,
}

impl From<webhooks::QueueAlertView> for QueueAlertResource {
    fn from(v: webhooks::QueueAlertView) -> Self {
        Self {
            oldest_pending_minutes: v.settings.oldest_pending_minutes,
            max_pending: v.settings.max_pending,
            firing_since: v.firing_since.map(timestamp),
        }
    }
}

/// `GET /api/v1/site/queue-alert`
pub async fn get_queue_alert(
    state: web::Data<AppState>,
    SiteAuth(site): SiteAuth,
) -> Result<HttpResponse, AppError> {
    let view = webhooks::get_queue_alert(&state.db, site.id).await?;
    Ok(HttpResponse::Ok().json(QueueAlertResource::from(view)))
}

/// `PUT /api/v1/site/queue-alert`: `{"oldest_pending_minutes"?,
/// "max_pending"?}`; both left out turns the alert off.
pub async fn put_queue_alert(
    state: web::Data<AppState>,
    SiteAuth(site): SiteAuth,
    body: JsonBody<webhooks::QueueAlertSettings>,
) -> Result<HttpResponse, AppError> {
    let view = webhooks::put_queue_alert(&state.db, site.id, &site.name, &site.actor(), body.value)
        .await?;
    Ok(HttpResponse::Ok().json(QueueAlertResource::from(view)))
}
