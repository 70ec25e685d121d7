//! Queue alerts: when a site's oldest pending comment has waited longer
//! than its threshold, or more comments than its limit are pending, a
//! `queue.alert` event goes to its endpoints, once; when the queue is back
//! under both, a `resolved` one follows, and the alert is armed again.
//! Every instance checks, and the database decides which one sends.

use std::sync::Weak;
use std::time::Duration;

use chrono::NaiveDateTime;
use serde::{Deserialize, Serialize};
use serde_json::json;

use crate::domain::SiteId;
use crate::error::AppError;
use crate::storage::{self, Database, DbConn};

use super::event::EventType;
use super::outbox::{Event, record};

/// A site's thresholds; either may be left out, both means either trips it.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct QueueAlertSettings {
    /// Alert when the oldest pending comment is this many minutes old.
    #[serde(default)]
    #[schema(minimum = 1, maximum = 100000)]
    pub oldest_pending_minutes: Option<i32>,
    /// Alert when more than this many comments are pending.
    #[serde(default)]
    #[schema(minimum = 1, maximum = 10000000)]
    pub max_pending: Option<i32>,
}

impl QueueAlertSettings {
    pub fn validate(&self) -> Result<(), AppError> {
        if self
            .oldest_pending_minutes
            .is_some_and(|m| !(1..=100_000).contains(&m))
        {
            return Err(AppError::validation(
                "oldest_pending_minutes",
                "must be between 1 and 100000",
            ));
        }
        if self
            .max_pending
            .is_some_and(|n| !(1..=10_000_000).contains(&n))
        {
            return Err(AppError::validation(
                "max_pending",
                "must be between 1 and 10000000",
            ));
        }
        Ok(())
    }

    /// Whether a queue of `pending` comments, the oldest `oldest_minutes`
    /// old, breaks a threshold.
    pub fn breached(&self, pending: i64, oldest_minutes: i64) -> bool {
        self.max_pending.is_some_and(|max| pending > i64::from(max))
            || self
                .oldest_pending_minutes
                .is_some_and(|m| pending > 0 && oldest_minutes >= i64::from(m))
    }
}

/// The thresholds and whether the alert is firing now.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct QueueAlertView {
    pub settings: QueueAlertSettings,
    pub firing_since: Option<NaiveDateTime>,
}

pub async fn get_queue_alert(db: &Database, site: SiteId) -> Result<QueueAlertView, AppError> {
    let row = db
        .read(move |conn| storage::queue_alerts::find(conn, site.0).map_err(AppError::from))
        .await?;
    Ok(match row {
        Some(row) => QueueAlertView {
            settings: QueueAlertSettings {
                oldest_pending_minutes: row.oldest_pending_minutes,
                max_pending: row.max_pending,
            },
            firing_since: row.firing_since,
        },
        None => QueueAlertView {
            settings: QueueAlertSettings::default(),
            firing_since: None,
        },
    })
}

pub async fn put_queue_alert(
    db: &Database,
    site: SiteId,
    site_name: &str,
    actor: &str,
    settings: QueueAlertSettings,
) -> Result<QueueAlertView, AppError> {
    settings.validate()?;
    let (actor, name) = (actor.to_owned(), site_name.to_owned());
    db.write(move |conn| {
        storage::queue_alerts::put(
            conn,
            site.0,
            settings.oldest_pending_minutes,
            settings.max_pending,
            storage::now(),
        )?;
        let detail = format!(
            "oldest_pending_minutes={} max_pending={}",
            settings
                .oldest_pending_minutes
                .map_or("none".into(), |m| m.to_string()),
            settings
                .max_pending
                .map_or("none".into(), |m| m.to_string()),
        );
        storage::config_changes::note(
            conn,
            Some(site.0),
            &actor,
            "site.queue_alert",
            &name,
            &detail,
        )?;
        Ok::<_, AppError>(())
    })
    .await?;
    Ok(QueueAlertView {
        settings,
        firing_since: None,
    })
}

/// Checks every armed site now and sends what changed.
pub fn check_queue_alerts(db: &Database) -> Result<(), AppError> {
    let armed =
        db.read_blocking(|conn| storage::queue_alerts::armed(conn).map_err(AppError::from))?;
    for row in armed {
        let settings = QueueAlertSettings {
            oldest_pending_minutes: row.oldest_pending_minutes,
            max_pending: row.max_pending,
        };
        let site = row.site_id;
        db.write_blocking(move |conn| check_site(conn, site, settings))?;
    }
    Ok(())
}

fn check_site(
    conn: &mut DbConn,
    site_id: i64,
    settings: QueueAlertSettings,
) -> Result<(), AppError> {
    let now = storage::now();
    let (pending, oldest) = storage::queue_alerts::pending_stats(conn, site_id)?;
    let oldest_minutes = oldest.map_or(0, |at| (now - at).num_minutes());
    let firing = settings.breached(pending, oldest_minutes);
    let changed = storage::queue_alerts::flip(conn, site_id, firing.then_some(now))?;
    if !changed {
        return Ok(());
    }
    let Some(site) = storage::sites::find(conn, site_id)? else {
        return Ok(());
    };
    let state = if firing { "firing" } else { "resolved" };
    let oldest_at = oldest.map(crate::views::timestamp);
    let text = if firing {
        format!(
            "[{}] moderation queue needs attention: {pending} pending, the oldest waiting {oldest_minutes} min",
            site.name
        )
    } else {
        format!(
            "[{}] moderation queue back to normal: {pending} pending",
            site.name
        )
    };
    record(
        conn,
        Event {
            site_id,
            site_name: &site.name,
            kind: EventType::QueueAlert,
            comment_id: None,
            at: now,
        },
        |payload| {
            payload.insert(
                "alert".into(),
                json!({
                    "state": state,
                    "pending": pending,
                    "oldest_pending_at": oldest_at,
                    "oldest_pending_minutes": oldest_minutes,
                    "thresholds": settings,
                }),
            );
        },
        || text,
    )?;
    tracing::info!(
        site = site.name,
        state,
        pending,
        oldest_minutes,
        "queue alert"
    );
    Ok(())
}

/// Checks every `every` until the database goes away.
pub fn spawn_queue_alerts(db: Weak<Database>, every: Duration) {
    crate::jobs::spawn_periodic("queue-alerts", db, every, |db| {
        if let Err(err) = check_queue_alerts(db) {
            tracing::warn!(error = %err, "could not check queue alerts");
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn thresholds_trip_on_either_and_only_with_comments_waiting() {
        let both = QueueAlertSettings {
            oldest_pending_minutes: Some(30),
            max_pending: Some(100),
        };
        assert!(!both.breached(0, 0));
        assert!(!both.breached(100, 29));
        assert!(both.breached(101, 0));
        assert!(both.breached(1, 30));
        let count_only = QueueAlertSettings {
            max_pending: Some(5),
            ..QueueAlertSettings::default()
        };
        assert!(!count_only.breached(5, 10_000));
        assert!(count_only.breached(6, 0));
        assert!(QueueAlertSettings::default().validate().is_ok());
        assert!(
            QueueAlertSettings {
                max_pending: Some(0),
                ..both
            }
            .validate()
            .is_err()
        );
    }
}
