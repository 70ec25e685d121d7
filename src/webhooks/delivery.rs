//! The delivery worker: takes due outbox rows under a lease (so with
//! several instances each goes out from one at a time), POSTs them signed,
//! records every attempt, and on failure schedules the next with
//! exponential backoff and jitter until the retry time runs out.

use std::io::Read;
use std::sync::Weak;
use std::time::{Duration, Instant};

use chrono::NaiveDateTime;

use crate::error::AppError;
use crate::storage::webhooks::{AttemptOutcome, DeliveryRow, NewAttempt};
use crate::storage::{self, Database};

use super::signature::{SIGNATURE_HEADER, sign};

#[derive(Debug, Clone)]
pub struct DeliverySettings {
    /// How often each instance looks for due deliveries.
    pub poll: Duration,
    /// How long a receiver has to answer.
    pub timeout: Duration,
    /// The first retry's delay; each next one doubles, up to `max_backoff`.
    pub base_backoff: Duration,
    pub max_backoff: Duration,
    /// After this long since the event, a failing delivery is dead.
    pub retry_for: Duration,
    /// Deliveries taken per round.
    pub batch: i64,
}

/// The delay before retry number `attempt` (1 for the first retry):
/// `base` doubled each time, capped at `max`, then scaled by `jitter` in
/// [0.5, 1] so receivers coming back are not hit all at once.
pub fn backoff(base: Duration, max: Duration, attempt: u32, jitter: f64) -> Duration {
    let doubled = base.saturating_mul(1u32 << attempt.saturating_sub(1).min(20));
    doubled.min(max).mul_f64(jitter.clamp(0.5, 1.0))
}

fn jitter() -> f64 {
    let mut byte = [0u8; 2];
    let _ = getrandom::fill(&mut byte);
    0.5 + f64::from(u16::from_le_bytes(byte)) / f64::from(u16::MAX) / 2.0
}

/// Forgets delivered and dead deliveries older than `keep`, with their
/// attempts. Returns how many went.
pub fn purge_deliveries(db: &Database, keep: Duration) -> Result<usize, AppError> {
    let before = storage::now() - chrono::Duration::from_std(keep).unwrap_or(chrono::Duration::MAX);
    db.write_blocking(move |conn| storage::webhooks::purge(conn, before).map_err(AppError::from))
}

/// Runs [`purge_deliveries`] every hour, until the database goes away.
pub fn spawn_delivery_purge(db: Weak<Database>, keep: Duration) {
    crate::jobs::spawn_periodic("webhook-purge", db, Duration::from_secs(3600), move |db| {
        match purge_deliveries(db, keep) {
            Ok(0) => {}
            Ok(n) => tracing::info!(deliveries = n, "old webhook deliveries forgotten"),
            Err(err) => tracing::warn!(error = %err, "could not forget old webhook deliveries"),
        }
    });
}

/// Starts the worker; it stops when the database goes away.
pub fn spawn_delivery(db: Weak<Database>, settings: DeliverySettings) {
    let agent = ureq::AgentBuilder::new()
        .timeout(settings.timeout)
        .redirects(0)
        .build();
    crate::jobs::spawn_periodic("webhooks", db, settings.poll, move |db| {
        // Keep going while there is a full batch of work.
        loop {
            match deliver_round(db, &agent, &settings) {
                Ok(n) if n as i64 >= settings.batch => continue,
                Ok(_) => break,
                Err(err) => {
                    tracing::warn!(error = %err, "webhook delivery round failed");
                    break;
                }
            }
        }
    });
}

fn deliver_round(
    db: &Database,
    agent: &ureq::Agent,
    settings: &DeliverySettings,
) -> Result<usize, AppError> {
    let now = storage::now();
    let due = db.read_blocking(|conn| storage::webhooks::due(conn, now, settings.batch))?;
    let mut sent = 0;
    for row in due {
        let lease = settings.timeout + Duration::from_secs(30);
        let until = now + chrono::Duration::from_std(lease).unwrap_or(chrono::Duration::MAX);
        let id = row.id;
        let taken =
            db.write_blocking(move |conn| storage::webhooks::claim(conn, id, now, until))?;
        if !taken {
            continue;
        }
        let endpoint =
            db.read_blocking(|conn| storage::webhooks::endpoint(conn, row.endpoint_id))?;
        let Some(endpoint) = endpoint else { continue };
        deliver_one(
            db,
            agent,
            settings,
            &row,
            (&endpoint.url, &endpoint.secret),
            until,
        )?;
        sent += 1;
    }
    Ok(sent)
}

/// What one POST came to.
struct Answer {
    status: Option<u16>,
    error: Option<String>,
    snippet: Option<String>,
}

fn post(agent: &ureq::Agent, url: &str, secret: &str, row: &DeliveryRow) -> Answer {
    let now = chrono::Utc::now().timestamp();
    let result = agent
        .post(url)
        .set("Content-Type", "application/json")
        .set("User-Agent", "modq-webhooks")
        .set("Modq-Event-Id", &row.event_id)
        .set("Modq-Event-Type", &row.event_type)
        .set(SIGNATURE_HEADER, &sign(secret, now, row.payload.as_bytes()))
        .send_string(&row.payload);
    let response = match result {
        Ok(response) | Err(ureq::Error::Status(_, response)) => response,
        Err(ureq::Error::Transport(err)) => {
            return Answer {
                status: None,
                error: Some(err.to_string()),
                snippet: None,
            };
        }
    };
    let status = response.status();
    let mut body = Vec::new();
    let _ = response.into_reader().take(512).read_to_end(&mut body);
    Answer {
        status: Some(status),
        error: (!(200..300).contains(&status)).then(|| format!("HTTP {status}")),
        snippet: Some(String::from_utf8_lossy(&body).into_owned()).filter(|s| !s.is_empty()),
    }
}

fn deliver_one(
    db: &Database,
    agent: &ureq::Agent,
    settings: &DeliverySettings,
    row: &DeliveryRow,
    (url, secret): (&str, &str),
    lease: NaiveDateTime,
) -> Result<(), AppError> {
    let started = Instant::now();
    let answer = post(agent, url, secret, row);
    let took = started.elapsed();
    let now = storage::now();
    let delivered = answer.error.is_none();
    let attempt = u32::try_from(row.attempts).unwrap_or(0) + 1;
    let next = now
        + chrono::Duration::from_std(backoff(
            settings.base_backoff,
            settings.max_backoff,
            attempt,
            jitter(),
        ))
        .unwrap_or(chrono::Duration::MAX);
    let state = match (
        delivered,
        next > deadline(row.created_at, settings.retry_for),
    ) {
        (true, _) => "delivered",
        (false, true) => "dead",
        (false, false) => "pending",
    };
    crate::metrics::registry()
        .webhook_attempts
        .inc(&[match state {
            "pending" => "failed",
            other => other,
        }]);
    if !delivered {
        tracing::info!(
            delivery = row.id,
            event = %row.event_id,
            attempt,
            state,
            error = answer.error.as_deref().unwrap_or(""),
            "webhook delivery failed"
        );
    }
    let delivery_id = row.id;
    db.write_blocking(move |conn| {
        storage::webhooks::record_attempt(
            conn,
            &NewAttempt {
                delivery_id,
                attempted_at: now,
                status_code: answer.status.map(i32::from),
                error: answer.error.as_deref(),
                response_snippet: answer.snippet.as_deref(),
                duration_ms: took.as_millis() as i64,
            },
            &AttemptOutcome {
                state,
                next_attempt_at: if delivered { now } else { next },
                delivered_at: delivered.then_some(now),
            },
            lease,
        )
    })?;
    Ok(())
}

/// When a delivery stops being retried.
fn deadline(created_at: NaiveDateTime, retry_for: Duration) -> NaiveDateTime {
    created_at + chrono::Duration::from_std(retry_for).unwrap_or(chrono::Duration::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_caps_and_jitters() {
        let base = Duration::from_secs(2);
        let max = Duration::from_secs(60);
        assert_eq!(backoff(base, max, 1, 1.0), Duration::from_secs(2));
        assert_eq!(backoff(base, max, 2, 1.0), Duration::from_secs(4));
        assert_eq!(backoff(base, max, 4, 1.0), Duration::from_secs(16));
        assert_eq!(backoff(base, max, 10, 1.0), max);
        assert_eq!(backoff(base, max, 100, 1.0), max);
        assert_eq!(backoff(base, max, 2, 0.5), Duration::from_secs(2));
        for _ in 0..100 {
            let j = jitter();
            assert!((0.5..=1.0).contains(&j), "{j}");
        }
    }
}
