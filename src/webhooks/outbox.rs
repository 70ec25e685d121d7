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
    let endpoints = storage::webhooks::endpoints(conn, comment.site_id.0)?;
    let targets: Vec<_> = endpoints
        .iter()
        .filter(|e| wants(&e.events, event))
        .collect();
    if targets.is_empty() {
        return Ok(());
    }
    let event_id = format!(
        "evt_{}",
        crate::accounts::random_hex(16).map_err(AppError::internal)?
    );
    let payload = json!({
        "id": event_id,
        "type": event.as_str(),
        "created_at": timestamp(at),
        "site": site_name,
        "comment": CommentResource::from(comment),
    })
    .to_string();
    let slack = json!({ "text": slack_text(site_name, event, comment) }).to_string();
    let rows: Vec<NewDelivery<'_>> = targets
        .iter()
        .map(|endpoint| NewDelivery {
            endpoint_id: endpoint.id,
            site_id: comment.site_id.0,
            event_id: &event_id,
            event_type: event.as_str(),
            comment_id: Some(comment.id.0),
            payload: if endpoint.format == EndpointFormat::Slack.as_str() {
                &slack
            } else {
                &payload
            },
            state: "pending",
            attempts: 0,
            next_attempt_at: at,
            created_at: at,
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
