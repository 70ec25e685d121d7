//! `/api/v1/webhooks`: a site's endpoints, their delivery log, and
//! redelivery.

use actix_web::{HttpResponse, web};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::dto::timestamp;
use super::extract::{JsonBody, SiteAuth};
use super::{AppState, parse};
use crate::error::AppError;
use crate::webhooks::{self, DeliveryView, EndpointView, NewEndpointRequest};

/// A new endpoint. Left out: every event, the `modq` format, a generated
/// secret.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateWebhookRequest {
    /// `http` or `https`.
    #[schema(max_length = 2000, pattern = "^https?://[!-~]+$")]
    pub url: String,
    #[serde(default)]
    #[schema(value_type = Vec<crate::webhooks::EventType>)]
    pub events: Vec<String>,
    #[serde(default)]
    #[schema(value_type = Option<crate::webhooks::EndpointFormat>)]
    pub format: Option<String>,
    /// 16 to 256 characters; generated when left out.
    #[serde(default)]
    #[schema(min_length = 16, max_length = 200)]
    pub secret: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct WebhookResource {
    pub id: String,
    pub url: String,
    /// Empty: every event.
    pub events: Vec<String>,
    #[schema(value_type = crate::webhooks::EndpointFormat)]
    pub format: String,
    /// Only in the answer to the request that created the endpoint.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub secret: Option<String>,
    pub created_at: String,
    /// `ok`, or `failing` when its most recent attempt failed or some ran
    /// out of retries.
    #[schema(pattern = "^(ok|failing)$")]
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

#[derive(Debug, Serialize, ToSchema)]
pub struct DeliveryResource {
    pub id: String,
    pub event_id: String,
    pub event_type: String,
    pub comment_id: Option<String>,
    /// `pending`, `delivered` or `dead`.
    #[schema(pattern = "^(pending|delivered|dead)$")]
    pub state: String,
    pub attempts: Vec<AttemptResource>,
    pub next_attempt_at: Option<String>,
    pub created_at: String,
    pub delivered_at: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
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

#[derive(Debug, Serialize, ToSchema)]
pub struct WebhookList {
    pub items: Vec<WebhookResource>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct DeliveryList {
    pub items: Vec<DeliveryResource>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Redelivering {
    /// The delivery's id.
    pub redelivering: String,
}

fn webhook_id(raw: &str) -> Result<i64, AppError> {
    raw.parse().map_err(|_| AppError::NotFound("webhook"))
}

/// `GET /api/v1/webhooks`
#[utoipa::path(
    get, path = "/api/v1/webhooks", tag = "webhooks",
    security(("site_key" = [])),
    responses((status = 200, description = "The site's endpoints, with their health", body = WebhookList))
)]
pub async fn list_webhooks(
    state: web::Data<AppState>,
    SiteAuth(site): SiteAuth,
) -> Result<HttpResponse, AppError> {
    let items = webhooks::list_endpoints(&state.db, site.id).await?;
    Ok(HttpResponse::Ok().json(WebhookList {
        items: items.into_iter().map(WebhookResource::from).collect(),
    }))
}

/// `POST /api/v1/webhooks`: 201 with the secret, shown this once.
#[utoipa::path(
    post, path = "/api/v1/webhooks", tag = "webhooks",
    security(("site_key" = [])),
    request_body = CreateWebhookRequest,
    responses(
        (status = 201, description = "Created; the secret is shown this once", body = WebhookResource,
            headers(("Location" = String, description = "The endpoint's URL")),
            links(("DeleteWebhook" = (operation_id = "delete_webhook", parameters(("id" = "$response.body#/id")))), ("ListDeliveries" = (operation_id = "list_deliveries", parameters(("id" = "$response.body#/id")))))),
    )
)]
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
#[utoipa::path(
    delete, path = "/api/v1/webhooks/{id}", tag = "webhooks",
    security(("site_key" = [])),
    params(("id" = String, Path, description = "The endpoint's id")),
    responses((status = 204, description = "Removed, with its delivery log"))
)]
pub async fn delete_webhook(
    state: web::Data<AppState>,
    SiteAuth(site): SiteAuth,
    path: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    webhooks::delete_endpoint(&state.db, site.id, webhook_id(&path)?).await?;
    Ok(HttpResponse::NoContent().finish())
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct DeliveryQuery {
    /// Page size, 1 to `limits.max_page_size` (200 by default).
    #[param(minimum = 1, maximum = 200)]
    pub limit: Option<i64>,
    /// Only deliveries older than this delivery id.
    #[param(pattern = "^[0-9]{1,18}$")]
    pub before: Option<String>,
}

/// `GET /api/v1/webhooks/{id}/deliveries`: newest first, with attempts.
#[utoipa::path(
    get, path = "/api/v1/webhooks/{id}/deliveries", tag = "webhooks",
    security(("site_key" = [])),
    params(("id" = String, Path, description = "The endpoint's id"), DeliveryQuery),
    responses((status = 200, description = "Deliveries newest first, with every attempt", body = DeliveryList))
)]
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
    Ok(HttpResponse::Ok().json(DeliveryList {
        items: items.into_iter().map(DeliveryResource::from).collect(),
    }))
}

/// `POST /api/v1/webhooks/deliveries/{id}/redeliver`: 202; it goes out
/// again within one poll.
#[utoipa::path(
    post, path = "/api/v1/webhooks/deliveries/{id}/redeliver", tag = "webhooks",
    security(("site_key" = [])),
    params(("id" = String, Path, description = "The delivery's id")),
    responses((status = 202, description = "Queued; it goes out within one poll", body = Redelivering))
)]
pub async fn redeliver(
    state: web::Data<AppState>,
    SiteAuth(site): SiteAuth,
    path: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let id = path
        .parse::<i64>()
        .map_err(|_| AppError::NotFound("delivery"))?;
    webhooks::redeliver(&state.db, site.id, id).await?;
    Ok(HttpResponse::Accepted().json(Redelivering {
        redelivering: id.to_string(),
    }))
}

#[derive(Debug, Serialize, ToSchema)]
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
#[utoipa::path(
    get, path = "/api/v1/site/queue-alert", tag = "site",
    security(("site_key" = [])),
    responses((status = 200, description = "The thresholds, and since when the alert fires", body = QueueAlertResource))
)]
pub async fn get_queue_alert(
    state: web::Data<AppState>,
    SiteAuth(site): SiteAuth,
) -> Result<HttpResponse, AppError> {
    let view = webhooks::get_queue_alert(&state.db, site.id).await?;
    Ok(HttpResponse::Ok().json(QueueAlertResource::from(view)))
}

/// `PUT /api/v1/site/queue-alert`: `{"oldest_pending_minutes"?,
/// "max_pending"?}`; both left out turns the alert off.
#[utoipa::path(
    put, path = "/api/v1/site/queue-alert", tag = "site",
    security(("site_key" = [])),
    request_body = crate::webhooks::QueueAlertSettings,
    responses((status = 200, description = "The thresholds after the change", body = QueueAlertResource))
)]
pub async fn put_queue_alert(
    state: web::Data<AppState>,
    SiteAuth(site): SiteAuth,
    body: JsonBody<webhooks::QueueAlertSettings>,
) -> Result<HttpResponse, AppError> {
    let view = webhooks::put_queue_alert(&state.db, site.id, &site.name, &site.actor(), body.value)
        .await?;
    Ok(HttpResponse::Ok().json(QueueAlertResource::from(view)))
}
