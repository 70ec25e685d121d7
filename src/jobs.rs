//! Periodic housekeeping on its own thread, for as long as the application
//! holding the database is alive.

use std::sync::Weak;
use std::time::Duration;

use crate::storage::Database;

/// Runs `job` now and then every `every`, until the last strong reference
/// to the database is gone.
pub fn spawn_periodic(
    name: &str,
    db: Weak<Database>,
    every: Duration,
    mut job: impl FnMut(&Database) + Send + 'static,
) {
    let spawned = std::thread::Builder::new()
        .name(format!("modq-{name}"))
        .spawn(move || {
            loop {
                let Some(db) = db.upgrade() else { break };
                job(&db);
                drop(db);
                std::thread::sleep(every);
            }
        });
    if let Err(err) = spawned {
        tracing::error!(error = %err, job = name, "could not start a housekeeping job");
    }
}
