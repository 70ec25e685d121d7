//! A site's webhook endpoints and their delivery log.

use chrono::NaiveDateTime;

use crate::domain::SiteId;
use crate::error::AppError;
use crate::storage::webhooks::{AttemptRow, DeliveryRow, EndpointRow, NewEndpoint};
use crate::storage::{self, Database};

use super::event::{EndpointFormat, EventType};

/// A new endpoint as parsed at the edge.
#[derive(Debug, Clone)]
pub struct NewEndpointRequest {
    pub url: String,
    /// Empty means every event.
    pub events: Vec<EventType>,
    pub format: EndpointFormat,
    /// Generated when not given.
    pub secret: Option<String>,
}

impl NewEndpointRequest {
    /// Checks the URL and the secret; the events and format are typed.
    pub fn parse(
        url: &str,
        events: &[String],
        format: Option<&str>,
        secret: Option<&str>,
    ) -> Result<Self, AppError> {
        let rest = url
            .strip_prefix("https://")
            .or_else(|| url.strip_prefix("http://"))
            .ok_or_else(|| AppError::validation("url", "must start with http:// or https://"))?;
        // Printable ASCII only: an internationalised host or path arrives
        // punycoded and percent-encoded.
        if rest.is_empty() || url.len() > 2000 || !rest.bytes().all(|b| b.is_ascii_graphic()) {
            return Err(AppError::validation(
                "url",
                "must be a URL of at most 2,000 printable ASCII characters, without spaces",
            ));
        }
        let mut parsed = Vec::new();
        for name in events {
            let event: EventType = name
                .parse()
                .map_err(|e: String| AppError::validation("events", &e))?;
            if !parsed.contains(&event) {
                parsed.push(event);
            }
        }
        let format = match format {
            Some(f) => f
                .parse()
                .map_err(|e: String| AppError::validation("format", &e))?,
            None => EndpointFormat::Modq,
        };
        if let Some(secret) = secret
            && !(16..=200).contains(&secret.chars().count())
        {
            return Err(AppError::validation(
                "secret",
                "must be 16 to 200 characters",
            ));
        }
        Ok(Self {
            url: url.to_owned(),
            events: parsed,
            format,
            secret: secret.map(str::to_owned),
        })
    }
}

/// An endpoint with how its deliveries stand.
#[derive(Debug, Clone)]
pub struct EndpointView {
    pub id: i64,
    pub url: String,
    /// Empty means every event.
    pub events: Vec<String>,
    pub format: String,
    /// Shown once, when the endpoint is created.
    pub secret: Option<String>,
    pub created_at: NaiveDateTime,
    /// Deliveries waiting for their first attempt or a retry.
    pub pending: i64,
    /// Deliveries that ran out of retries.
    pub dead: i64,
    /// The error of the endpoint's most recent attempt, if it failed.
    pub last_error: Option<String>,
}

impl EndpointView {
    fn from_row(
        row: EndpointRow,
        backlog: &[(i64, String, i64)],
        last_error: Option<String>,
    ) -> Self {
        let count = |state: &str| {
            backlog
                .iter()
                .filter(|(id, s, _)| *id == row.id && s == state)
                .map(|(_, _, n)| *n)
                .sum()
        };
        Self {
            id: row.id,
            events: if row.events == "*" {
                Vec::new()
            } else {
                row.events.split(',').map(str::to_owned).collect()
            },
            pending: count("pending"),
            dead: count("dead"),
            url: row.url,
            format: row.format,
            secret: None,
            created_at: row.created_at,
            last_error,
        }
    }

    /// Failing: its most recent attempt failed, or some deliveries ran out
    /// of retries.
    pub fn failing(&self) -> bool {
        self.dead > 0 || self.last_error.is_some()
    }
}

pub async fn create_endpoint(
    db: &Database,
    site: SiteId,
    request: NewEndpointRequest,
) -> Result<EndpointView, AppError> {
    let secret = match request.secret {
        Some(secret) => secret,
        None => format!(
            "whsec_{}",
            crate::accounts::random_hex(24).map_err(AppError::internal)?
        ),
    };
    let events = if request.events.is_empty() {
        "*".to_owned()
    } else {
        request
            .events
            .iter()
            .map(|e| e.as_str())
            .collect::<Vec<_>>()
            .join(",")
    };
    let row = db
        .write(move |conn| {
            storage::webhooks::insert_endpoint(
                conn,
                &NewEndpoint {
                    site_id: site.0,
                    url: &request.url,
                    secret: &secret,
                    events: &events,
                    format: request.format.as_str(),
                    created_at: storage::now(),
                },
            )
            .map_err(AppError::from)
        })
        .await?;
    let secret = row.secret.clone();
    let mut view = EndpointView::from_row(row, &[], None);
    view.secret = Some(secret);
    Ok(view)
}

pub async fn list_endpoints(db: &Database, site: SiteId) -> Result<Vec<EndpointView>, AppError> {
    db.read(move |conn| {
        let rows = storage::webhooks::endpoints(conn, site.0)?;
        let backlog = storage::webhooks::backlog(conn, site.0)?;
        let mut out = Vec::with_capacity(rows.len());
        for row in rows {
            let last_error = storage::webhooks::last_attempt(conn, row.id)?.and_then(|a| a.error);
            out.push(EndpointView::from_row(row, &backlog, last_error));
        }
        Ok(out)
    })
    .await
}

pub async fn delete_endpoint(db: &Database, site: SiteId, id: i64) -> Result<(), AppError> {
    db.write(move |conn| {
        match storage::webhooks::endpoint(conn, id)? {
            Some(row) if row.site_id == site.0 => {}
            _ => return Err(AppError::NotFound("webhook")),
        }
        storage::webhooks::delete_endpoint(conn, id)?;
        Ok(())
    })
    .await
}

/// One delivery of an event to an endpoint, with every attempt.
#[derive(Debug, Clone)]
pub struct DeliveryView {
    pub delivery: DeliveryRow,
    pub attempts: Vec<AttemptRow>,
}

/// An endpoint's deliveries, newest first.
pub async fn delivery_log(
    db: &Database,
    site: SiteId,
    endpoint: i64,
    before: Option<i64>,
    limit: i64,
) -> Result<Vec<DeliveryView>, AppError> {
    db.read(move |conn| {
        match storage::webhooks::endpoint(conn, endpoint)? {
            Some(row) if row.site_id == site.0 => {}
            _ => return Err(AppError::NotFound("webhook")),
        }
        let rows = storage::webhooks::deliveries(conn, endpoint, before, limit)?;
        let ids: Vec<i64> = rows.iter().map(|d| d.id).collect();
        let mut attempts = storage::webhooks::attempts(conn, &ids)?;
        Ok(rows
            .into_iter()
            .map(|delivery| {
                let mine = attempts
                    .extract_if(.., |a| a.delivery_id == delivery.id)
                    .collect();
                DeliveryView {
                    delivery,
                    attempts: mine,
                }
            })
            .collect())
    })
    .await
}

/// Sends a delivery again now, delivered or dead.
pub async fn redeliver(db: &Database, site: SiteId, delivery: i64) -> Result<(), AppError> {
    db.write(move |conn| {
        match storage::webhooks::delivery(conn, delivery)? {
            Some(row) if row.site_id == site.0 => {}
            _ => return Err(AppError::NotFound("delivery")),
        }
        storage::webhooks::redeliver(conn, delivery, storage::now())?;
        Ok(())
    })
    .await
}
