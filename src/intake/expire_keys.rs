use std::sync::Weak;
use std::time::Duration;

use crate::error::AppError;
use crate::storage::{self, Database};

/// Forgets idempotency keys older than `max_age`. A retry that arrives
/// later than that is treated as a new comment.
pub fn expire_idempotency_keys(db: &Database, max_age: Duration) -> Result<usize, AppError> {
    let age = chrono::Duration::from_std(max_age).map_err(AppError::internal)?;
    let before = storage::now() - age;
    db.write_blocking(move |conn| {
        storage::idempotency::delete_older_than(conn, before).map_err(AppError::from)
    })
}

/// Runs [`expire_idempotency_keys`] every `every` while the database
/// handle is alive.
pub fn spawn_key_expiry(db: Weak<Database>, max_age: Duration, every: Duration) {
    crate::jobs::spawn_periodic(
        "key-expiry",
        db,
        every,
        move |db| match expire_idempotency_keys(db, max_age) {
            Ok(0) => {}
            Ok(n) => tracing::info!(expired = n, "idempotency keys expired"),
            Err(err) => tracing::warn!(error = %err, "could not expire idempotency keys"),
        },
    );
}
