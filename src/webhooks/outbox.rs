//! Writing events to the outbox, inside the caller's transaction: an event
//! exists exactly when the change that made it committed.

use chrono::NaiveDateTime;
use serde_json::json;

use crate::error::AppError;
use crate::storage::{self, DbConn, webhooks::NewDelivery};
use crate::views::{CommentResource, CommentView, timestamp};

use super::event::{EndpointFormat, EventType, wants};

/// Queues `event` about `comment` for every endpoint of its site that
/// subscribes to it. Call inside the transaction that made the change.
pub fn record_comment_event(
    conn: &mut DbConn,
    site_name: &str,
    event: EventType,
    comment: &CommentView,
    at: NaiveDateTime,
) -> Result<(), AppError> {
    record_comment_event_with(conn, site_name, event, comment, at, serde_json::Map::new())
}

/// Like [`record_comment_event`], with more top-level fields in the
/// payload (the reports of report events).
pub fn record_comment_event_with(
    conn: &mut DbConn,
    site_name: &str,
    event: EventType,
    comment: &CommentView,
    at: NaiveDateTime,
    extra: serde_json::Map<String, serde_json::Value>,
) -> Result<(), AppError> {
    record(
        conn,
        Event {
            site_id: comment.site_id.0,
            site_name,
            kind: event,
            comment_id: Some(comment.id.0),
            at,
        },
        |payload| {
            payload.insert("comment".into(), json!(CommentResource::from(comment)));
            payload.extend(extra);
        },
        || slack_text(site_name, event, comment),
    )
}

/// What every event says of itself.
pub struct Event<'a> {
    pub site_id: i64,
    pub site_name: &'a str,
    pub kind: EventType,
    /// Events of one comment are delivered in order.
    pub comment_id: Option<i64>,
    pub at: NaiveDateTime,
}

/// Writes one delivery per subscribed endpoint: the event's own fields
/// plus what `fill` adds, or `slack()` for Slack-format endpoints.
pub fn record(
    conn: &mut DbConn,
    event: Event<'_>,
    fill: impl FnOnce(&mut serde_json::Map<String, serde_json::Value>),
    slack: impl FnOnce() -> String,
) -> Result<(), AppError> {
    let endpoints = storage::webhooks::endpoints_for_event(conn, event.site_id)?;
    let targets: Vec<_> = endpoints
        .iter()
        .filter(|e| wants(&e.events, event.kind))
        .collect();
    if targets.is_empty() {
        return Ok(());
    }
    let event_id = format!(
        "evt_{}",
        crate::accounts::random_hex(16).map_err(AppError::internal)?
    );
    let mut fields = serde_json::Map::new();
    fields.insert("id".into(), json!(event_id));
    fields.insert("type".into(), json!(event.kind.as_str()));
    fields.insert("created_at".into(), json!(timestamp(event.at)));
    fields.insert("site".into(), json!(event.site_name));
    fill(&mut fields);
    let payload = serde_json::Value::Object(fields).to_string();
    let slack = json!({ "text": slack() }).to_string();
    let rows: Vec<NewDelivery<'_>> = targets
        .iter()
        .map(|endpoint| NewDelivery {
            endpoint_id: endpoint.id,
            site_id: event.site_id,
            event_id: &event_id,
            event_type: event.kind.as_str(),
            comment_id: event.comment_id,
            payload: if endpoint.format == EndpointFormat::Slack.as_str() {
                &slack
            } else {
                &payload
            },
            state: "pending",
            attempts: 0,
            next_attempt_at: event.at,
            created_at: event.at,
        })
        .collect();
    storage::webhooks::insert_deliveries(conn, &rows)?;
    Ok(())
}

fn slack_text(site: &str, event: EventType, c: &CommentView) -> String {
    let what = match event {
        EventType::CommentCreated => format!("new comment, {}", c.status.as_str()),
        EventType::CommentApproved => "comment approved".to_owned(),
        EventType::CommentRejected => "comment rejected".to_owned(),
        EventType::CommentWithdrawn => "comment withdrawn".to_owned(),
        EventType::CommentReopened => "comment reopened".to_owned(),
        EventType::CommentEdited => format!("comment edited, {}", c.status.as_str()),
        EventType::CommentReported => format!("comment reported ({} open)", c.reports.open),
        EventType::ReportResolved => format!("reports resolved, comment {}", c.status.as_str()),
        EventType::QueueAlert => "queue alert".to_owned(),
    };
    let reason = c
        .decision
        .as_ref()
        .and_then(|d| d.reason.as_ref())
        .map(|r| format!(" ({})", r.title.as_deref().unwrap_or(&r.code)))
        .unwrap_or_default();
    format!(
        "[{site}] {what}{reason}: {} on \"{}\" (comment {})",
        c.author.name, c.article_title, c.id
    )
}
