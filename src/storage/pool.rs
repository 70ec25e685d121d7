use std::time::Duration;

use diesel::Connection;
use diesel::connection::SimpleConnection;

use super::{DbConn, StorageError, StorageResult};
use crate::config::{DatabaseSettings, DatabaseUrl, SqliteSynchronous};

pub type Pool = r2d2::Pool<Manager>;

/// Builds connections of the backend the URL names, with the SQLite
/// pragmas modq relies on applied to each new connection.
#[derive(Debug)]
pub struct Manager {
    url: DatabaseUrl,
    settings: DatabaseSettings,
}

pub(super) fn build(url: &DatabaseUrl, settings: &DatabaseSettings) -> StorageResult<Pool> {
    let manager = Manager {
        url: url.clone(),
        settings: settings.clone(),
    };
    r2d2::Pool::builder()
        .max_size(settings.pool_size.max(1))
        // Connections are made on demand, never in the background: a
        // background top-up still connecting when a short command exits
        // crashes libpq's TLS teardown (SIGSEGV at exit).
        .min_idle(Some(0))
        .connection_timeout(Duration::from_secs(settings.pool_timeout_secs.max(1)))
        .error_handler(Box::new(r2d2::LoggingErrorHandler))
        .build(manager)
        .map_err(|e| StorageError::Connect(e.to_string()))
}

pub(super) fn connect(url: &DatabaseUrl, settings: &DatabaseSettings) -> StorageResult<DbConn> {
    match url {
        DatabaseUrl::Sqlite(path) => {
            let mut conn = diesel::SqliteConnection::establish(path)
                .map_err(|e| StorageError::Connect(e.to_string()))?;
            let synchronous = match settings.sqlite_synchronous {
                SqliteSynchronous::Full => "FULL",
                SqliteSynchronous::Normal => "NORMAL",
            };
            // WAL lets readers run while the writer commits; foreign keys are
            // off by default in SQLite and modq's schema relies on them; the
            // group-commit savepoints journal in memory, not in a temp file.
            conn.batch_execute(&format!(
                "PRAGMA busy_timeout = {}; PRAGMA journal_mode = WAL; \
                 PRAGMA synchronous = {synchronous}; PRAGMA foreign_keys = ON; \
                 PRAGMA temp_store = MEMORY;",
                settings.sqlite_busy_timeout_ms
            ))
            .map_err(|e| StorageError::Connect(e.to_string()))?;
            Ok(DbConn::Sqlite(conn))
        }
        DatabaseUrl::Postgres(url) => diesel::PgConnection::establish(url)
            .map(DbConn::Pg)
            .map_err(|e| StorageError::Connect(e.to_string())),
    }
}

impl r2d2::ManageConnection for Manager {
    type Connection = DbConn;
    type Error = StorageError;

    fn connect(&self) -> Result<DbConn, StorageError> {
        connect(&self.url, &self.settings)
    }

    fn is_valid(&self, conn: &mut DbConn) -> Result<(), StorageError> {
        conn.batch_execute("SELECT 1").map_err(StorageError::from)
    }

    fn has_broken(&self, _conn: &mut DbConn) -> bool {
        false
    }
}
