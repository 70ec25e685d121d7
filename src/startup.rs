//! Process start-up shared by `modq serve` and the tests: open the database,
//! migrate, and build the server.

use std::sync::Arc;

use crate::config::Settings;
use crate::domain::IdGenerator;
use crate::storage::{Database, StorageError};

pub use crate::api::server::Application;

/// Connects and migrates.
pub fn open_database(settings: &Settings) -> Result<Database, StorageError> {
    let db = Database::connect(&settings.database)?;
    db.migrate()?;
    Ok(db)
}

/// The id generator of this process.
pub fn id_generator() -> Arc<IdGenerator> {
    Arc::new(IdGenerator::random())
}
