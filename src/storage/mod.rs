//! Persistence. This is the only module that names diesel. Everything else
//! sees [`Database`], [`DbConn`] as an opaque handle, the row structs and
//! [`StorageError`].
//!
//! Writes go through [`Database::write`]. On SQLite every write runs on one
//! writer thread that batches concurrent writes into a single transaction
//! (group commit), each write in its own savepoint; on PostgreSQL each write
//! is its own transaction on a pooled connection.

/// Runs a statement on the backend's own connection instead of through
/// [`DbConn`]. The two-backend connection renders a statement's SQL again
/// on every pass (the cache key, the check that it may be cached, the bind
/// collection), even when the statement is already prepared; on the writes
/// every comment goes through, that was a third of the writer's time. The
/// statement is compiled once per backend, so this is kept for those.
macro_rules! on_backend {
    ($conn:expr, |$c:ident| $body:expr) => {
        match $conn {
            $crate::storage::DbConn::Sqlite($c) => $body,
            $crate::storage::DbConn::Pg($c) => $body,
        }
    };
}

pub mod articles;
pub mod audit;
pub mod authors;
pub mod classifier_models;
pub mod comments;
pub mod config_changes;
pub mod exports;
pub mod idempotency;
pub mod imports;
pub mod insights;
mod kept_update;
pub mod leases;
pub mod migrations;
pub mod moderators;
mod pool;
pub mod queue_alerts;
pub mod reports;
pub mod revisions;
pub mod rules;
pub mod saved_queues;
pub mod schema;
pub mod sessions;
pub mod sites;
pub mod webhooks;
mod writer;

use std::sync::Arc;

use diesel::result::{DatabaseErrorKind, Error as DieselError};

use crate::config::{DatabaseSettings, DatabaseUrl};

pub use pool::Pool;

use kept_update::kept_update;

/// A connection to either backend, chosen from the URL scheme.
#[derive(diesel::MultiConnection)]
pub enum DbConn {
    Pg(diesel::PgConnection),
    Sqlite(diesel::SqliteConnection),
}

/// Which backend a database runs on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

#[derive(Debug, thiserror::Error)]
pub enum StorageError {
    #[error("record not found")]
    NotFound,
    #[error("unique constraint violated: {0}")]
    UniqueViolation(String),
    /// A concurrent transaction got in the way: a deadlock, a serialization
    /// failure, or a row referred to that another transaction removed.
    /// Worth retrying, like a unique violation.
    #[error("concurrent change: {0}")]
    Contended(String),
    #[error("could not connect: {0}")]
    Connect(String),
    #[error("no connection available: {0}")]
    PoolTimeout(String),
    #[error("migration failed: {0}")]
    Migration(String),
    #[error("the database writer has stopped")]
    WriterGone,
    /// The disk holding the database is full, or the database cannot be
    /// written (a read-only file or file system).
    #[error("the database cannot be written: {0}")]
    NotWritable(String),
    /// PostgreSQL text cannot hold U+0000; a value with one is refused
    /// before it is stored or compared.
    #[error("text with a NUL character: {0}")]
    NulInText(String),
    #[error("database error: {0}")]
    Query(String),
}

pub type StorageResult<T> = Result<T, StorageError>;

/// An error a write closure may return. A write that failed only because a
/// concurrent transaction inserted the same unique key is worth retrying:
/// the retry sees the other row.
pub trait WriteError: From<StorageError> {
    fn is_concurrent_insert(&self) -> bool;
}

impl WriteError for StorageError {
    fn is_concurrent_insert(&self) -> bool {
        matches!(
            self,
            StorageError::UniqueViolation(_) | StorageError::Contended(_)
        )
    }
}

/// The current time in UTC, truncated to microseconds so that both backends
/// store and return the same value.
pub fn now() -> chrono::NaiveDateTime {
    let now = chrono::Utc::now().naive_utc();
    chrono::SubsecRound::trunc_subsecs(now, 6)
}

impl From<DieselError> for StorageError {
    fn from(err: DieselError) -> Self {
        match err {
            DieselError::NotFound => StorageError::NotFound,
            DieselError::DatabaseError(DatabaseErrorKind::UniqueViolation, info) => {
                StorageError::UniqueViolation(info.message().to_owned())
            }
            DieselError::DatabaseError(
                DatabaseErrorKind::SerializationFailure | DatabaseErrorKind::ForeignKeyViolation,
                info,
            ) => StorageError::Contended(info.message().to_owned()),
            // PostgreSQL SQLSTATE 40P01.
            DieselError::DatabaseError(_, info) if info.message().contains("deadlock detected") => {
                StorageError::Contended(info.message().to_owned())
            }
            // SQLite says so in words: SQLITE_FULL, SQLITE_READONLY, and
            // SQLITE_IOERR when a write hits a full or read-only disk.
            DieselError::DatabaseError(_, info) if not_writable(info.message()) => {
                StorageError::NotWritable(info.message().to_owned())
            }
            // PostgreSQL: SQLSTATE 22021, "invalid byte sequence for
            // encoding "UTF8": 0x00".
            DieselError::DatabaseError(_, info) if info.message().ends_with(": 0x00") => {
                StorageError::NulInText(info.message().to_owned())
            }
            other => StorageError::Query(other.to_string()),
        }
    }
}

fn not_writable(message: &str) -> bool {
    let message = message.to_ascii_lowercase();
    [
        "disk is full",
        "readonly database",
        "read-only",
        "disk i/o error",
        "no space left",
    ]
    .iter()
    .any(|m| message.contains(m))
}

/// The process-wide database handle: a read pool plus the write path.
#[derive(Clone)]
pub struct Database {
    backend: Backend,
    pool: Pool,
    writer: Option<Arc<writer::Writer>>,
}

impl Database {
    /// Opens the pool (and, on SQLite, the group-commit writer). Does not
    /// run migrations.
    pub fn connect(settings: &DatabaseSettings) -> StorageResult<Self> {
        let url =
            DatabaseUrl::parse(&settings.url).map_err(|e| StorageError::Connect(e.to_string()))?;
        let backend = match url {
            DatabaseUrl::Sqlite(_) => Backend::Sqlite,
            DatabaseUrl::Postgres(_) => Backend::Postgres,
        };
        let pool = pool::build(&url, settings)?;
        let writer = match &url {
            DatabaseUrl::Sqlite(_) => {
                let (url, settings_copy) = (url.clone(), settings.clone());
                let connect = move || pool::connect(&url, &settings_copy);
                let conn = connect()?;
                Some(Arc::new(writer::Writer::spawn(
                    conn,
                    Box::new(connect),
                    settings.group_commit_max_batch,
                )))
            }
            DatabaseUrl::Postgres(_) => None,
        };
        Ok(Self {
            backend,
            pool,
            writer,
        })
    }

    pub fn backend(&self) -> Backend {
        self.backend
    }

    /// Runs `f` on a pooled connection on the blocking thread pool.
    pub async fn read<T, E, F>(&self, f: F) -> Result<T, E>
    where
        T: Send + 'static,
        E: From<StorageError> + Send + 'static,
        F: FnOnce(&mut DbConn) -> Result<T, E> + Send + 'static,
    {
        let pool = self.pool.clone();
        tokio::task::spawn_blocking(move || {
            let mut conn = pool
                .get()
                .map_err(|e| StorageError::PoolTimeout(e.to_string()))?;
            f(&mut conn)
        })
        .await
        .map_err(|e| E::from(StorageError::Query(format!("blocking task failed: {e}"))))?
    }

    /// Runs `f` in a write transaction and returns once it has committed.
    /// `f` may run more than once: PostgreSQL retries it after a unique
    /// violation caused by a concurrent writer, so it must not have effects
    /// outside the transaction.
    pub async fn write<T, E, F>(&self, f: F) -> Result<T, E>
    where
        T: Send + 'static,
        E: WriteError + Send + 'static,
        F: Fn(&mut DbConn) -> Result<T, E> + Send + 'static,
    {
        match &self.writer {
            Some(writer) => writer.submit(f).await,
            None => {
                let pool = self.pool.clone();
                tokio::task::spawn_blocking(move || write_with_retry(&pool, &f))
                    .await
                    .map_err(|e| {
                        E::from(StorageError::Query(format!("blocking task failed: {e}")))
                    })?
            }
        }
    }

    /// [`Database::write`] for callers outside the async runtime (the CLI).
    pub fn write_blocking<T, E, F>(&self, f: F) -> Result<T, E>
    where
        T: Send + 'static,
        E: WriteError + Send + 'static,
        F: Fn(&mut DbConn) -> Result<T, E> + Send + 'static,
    {
        match &self.writer {
            Some(writer) => writer.submit_blocking(f),
            None => write_with_retry(&self.pool, &f),
        }
    }

    /// [`Database::read`] for callers outside the async runtime.
    pub fn read_blocking<T, E, F>(&self, f: F) -> Result<T, E>
    where
        E: From<StorageError>,
        F: FnOnce(&mut DbConn) -> Result<T, E>,
    {
        let mut conn = self
            .pool
            .get()
            .map_err(|e| StorageError::PoolTimeout(e.to_string()))?;
        f(&mut conn)
    }

    /// Applies pending migrations.
    pub fn migrate(&self) -> StorageResult<()> {
        let mut conn = self
            .pool
            .get()
            .map_err(|e| StorageError::PoolTimeout(e.to_string()))?;
        migrations::run_pending(&mut conn)
    }

    /// Reverts every migration; used by the migration round-trip test.
    pub fn revert_all(&self) -> StorageResult<()> {
        let mut conn = self
            .pool
            .get()
            .map_err(|e| StorageError::PoolTimeout(e.to_string()))?;
        migrations::revert_all(&mut conn)
    }

    /// Stops the writer thread after it has finished queued writes.
    pub fn shutdown(&self) {
        if let Some(writer) = &self.writer {
            writer.shutdown();
        }
    }
}

fn write_with_retry<T, E, F>(pool: &Pool, f: &F) -> Result<T, E>
where
    E: WriteError,
    F: Fn(&mut DbConn) -> Result<T, E>,
{
    let mut conn = pool
        .get()
        .map_err(|e| StorageError::PoolTimeout(e.to_string()))?;
    let mut attempt = 0;
    loop {
        attempt += 1;
        let err = match in_transaction(&mut conn, f) {
            Ok(value) => return Ok(value),
            Err(TxError::Db(err)) => E::from(err),
            Err(TxError::App(err)) => err,
        };
        if attempt >= 3 || !err.is_concurrent_insert() {
            return Err(err);
        }
        tracing::debug!(attempt, "retrying a write after a concurrent insert");
    }
}

/// Errors inside a transaction: the caller's own, or the database's. Keeping
/// them apart lets a unique violation trigger a retry whichever raised it.
enum TxError<E> {
    Db(StorageError),
    App(E),
}

impl<E> From<DieselError> for TxError<E> {
    fn from(err: DieselError) -> Self {
        TxError::Db(StorageError::from(err))
    }
}

/// Runs `f` in a transaction (a savepoint when one is already open).
fn in_transaction<T, E, F>(conn: &mut DbConn, f: &F) -> Result<T, TxError<E>>
where
    E: From<StorageError>,
    F: Fn(&mut DbConn) -> Result<T, E>,
{
    use diesel::Connection;
    conn.transaction(|c| f(c).map_err(TxError::App))
}

/// Creates a PostgreSQL database through an admin URL (tests and tooling).
pub fn create_pg_database(admin_url: &str, name: &str) -> StorageResult<()> {
    pg_admin(admin_url, &format!("CREATE DATABASE \"{name}\""))
}

/// Drops a PostgreSQL database, disconnecting its sessions first.
pub fn drop_pg_database(admin_url: &str, name: &str) -> StorageResult<()> {
    pg_admin(
        admin_url,
        &format!("DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)"),
    )
}

fn pg_admin(admin_url: &str, sql: &str) -> StorageResult<()> {
    use diesel::Connection;
    use diesel::connection::SimpleConnection;
    let mut conn = diesel::PgConnection::establish(admin_url)
        .map_err(|e| StorageError::Connect(e.to_string()))?;
    conn.batch_execute(sql).map_err(StorageError::from)
}

/// Whether a PostgreSQL server answers at `url`.
pub fn pg_reachable(url: &str) -> Result<(), String> {
    use diesel::Connection;
    diesel::PgConnection::establish(url)
        .map(|_| ())
        .map_err(|e| e.to_string())
}

/// A trivial query, for health checks.
pub fn ping(conn: &mut DbConn) -> StorageResult<()> {
    use diesel::connection::SimpleConnection;
    conn.batch_execute("SELECT 1").map_err(StorageError::from)
}
