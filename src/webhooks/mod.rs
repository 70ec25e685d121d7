//! Webhooks: every comment event a site subscribes to, written to an
//! outbox in the same transaction as the change that made it, and
//! delivered, signed, by a background worker that retries with backoff
//! until it gets a 2xx or gives up after the configured time.

mod delivery;
mod endpoints;
mod event;
mod outbox;
mod queue_alert;
mod signature;

pub use delivery::{
    DeliverySettings, backoff, purge_deliveries, spawn_delivery, spawn_delivery_purge,
};
pub use endpoints::{
    DeliveryView, EndpointView, NewEndpointRequest, create_endpoint, delete_endpoint, delivery_log,
    list_endpoints, redeliver,
};
pub use event::{EndpointFormat, EventType};
pub use outbox::{record_comment_event, record_comment_event_with};
pub use queue_alert::{
    QueueAlertSettings, QueueAlertView, check_queue_alerts, get_queue_alert, put_queue_alert,
    spawn_queue_alerts,
};
pub use signature::{SIGNATURE_HEADER, sign, verify};
