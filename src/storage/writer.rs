//! SQLite group commit: one thread owns the only writing connection, drains
//! whatever writes are queued, and commits them together. Each write runs in
//! its own savepoint, so one failing write does not undo the others, and
//! nobody is answered before the shared commit has reached the disk.

use std::sync::Mutex;
use std::sync::mpsc::{Receiver, Sender, channel};
use std::thread::JoinHandle;

use diesel::connection::SimpleConnection;
use diesel::result::Error as DieselError;

use super::{DbConn, StorageError, TxError, WriteError};

/// A queued write: run inside the batch transaction, then told whether the
/// batch committed.
trait WriteJob: Send {
    /// Runs the write, in its own savepoint when `isolated`. Returns whether
    /// it succeeded.
    fn run(&mut self, conn: &mut DbConn, isolated: bool) -> bool;
    /// Answers the requester; `commit_error` is `None` when the batch committed.
    fn finish(self: Box<Self>, commit_error: Option<String>);
}

type Job = Box<dyn WriteJob>;

struct Pending<T, E, F> {
    work: F,
    result: Option<Result<T, TxError<E>>>,
    reply: tokio::sync::oneshot::Sender<Result<T, E>>,
}

impl<T, E, F> WriteJob for Pending<T, E, F>
where
    T: Send + 'static,
    E: WriteError + Send + 'static,
    F: Fn(&mut DbConn) -> Result<T, E> + Send + 'static,
{
    fn run(&mut self, conn: &mut DbConn, isolated: bool) -> bool {
        let result = if isolated {
            // The batch transaction is opened outside diesel's transaction
            // manager (see `run_batch`), so savepoints are raw SQL too.
            match conn.batch_execute("SAVEPOINT modq_write") {
                Err(err) => Err(TxError::Db(StorageError::from(err))),
                Ok(()) => {
                    let result = (self.work)(conn).map_err(TxError::App);
                    let close = if result.is_ok() {
                        "RELEASE modq_write"
                    } else {
                        "ROLLBACK TO modq_write; RELEASE modq_write"
                    };
                    match conn.batch_execute(close) {
                        Ok(()) => result,
                        Err(err) => Err(TxError::Db(StorageError::from(err))),
                    }
                }
            }
        } else {
            (self.work)(conn).map_err(TxError::App)
        };
        let ok = result.is_ok();
        self.result = Some(result);
        ok
    }

    fn finish(self: Box<Self>, commit_error: Option<String>) {
        let outcome = match (self.result, commit_error) {
            (None, _) => Err(E::from(StorageError::WriterGone)),
            (Some(Err(TxError::App(err))), _) => Err(err),
            (Some(Err(TxError::Db(err))), _) => Err(E::from(err)),
            (Some(Ok(_)), Some(msg)) if super::not_writable(&msg) => {
                Err(E::from(StorageError::NotWritable(msg)))
            }
            (Some(Ok(_)), Some(msg)) => Err(E::from(StorageError::Query(msg))),
            (Some(Ok(value)), None) => Ok(value),
        };
        // The requester may have gone away; the write stands regardless.
        let _ = self.reply.send(outcome);
    }
}

pub(super) struct Writer {
    sender: Mutex<Option<Sender<Job>>>,
    thread: Mutex<Option<JoinHandle<()>>>,
}

impl Writer {
    pub(super) fn spawn(conn: DbConn, reconnect: Reconnect, max_batch: usize) -> Self {
        let (sender, receiver) = channel::<Job>();
        let thread = std::thread::Builder::new()
            .name("modq-sqlite-writer".into())
            .spawn(move || run(conn, reconnect, receiver, max_batch.max(1)))
            .ok();
        if thread.is_none() {
            tracing::error!("could not start the SQLite writer thread");
        }
        Self {
            sender: Mutex::new(Some(sender)),
            thread: Mutex::new(thread),
        }
    }

    pub(super) async fn submit<T, E, F>(&self, f: F) -> Result<T, E>
    where
        T: Send + 'static,
        E: WriteError + Send + 'static,
        F: Fn(&mut DbConn) -> Result<T, E> + Send + 'static,
    {
        let (tx, rx) = tokio::sync::oneshot::channel();
        self.enqueue(f, tx)?;
        rx.await.map_err(|_| E::from(StorageError::WriterGone))?
    }

    pub(super) fn submit_blocking<T, E, F>(&self, f: F) -> Result<T, E>
    where
        T: Send + 'static,
        E: WriteError + Send + 'static,
        F: Fn(&mut DbConn) -> Result<T, E> + Send + 'static,
    {
        let (tx, rx) = tokio::sync::oneshot::channel();
        self.enqueue(f, tx)?;
        rx.blocking_recv()
            .map_err(|_| E::from(StorageError::WriterGone))?
    }

    fn enqueue<T, E, F>(
        &self,
        f: F,
        reply: tokio::sync::oneshot::Sender<Result<T, E>>,
    ) -> Result<(), StorageError>
    where
        T: Send + 'static,
        E: WriteError + Send + 'static,
        F: Fn(&mut DbConn) -> Result<T, E> + Send + 'static,
    {
        let job: Job = Box::new(Pending {
            work: f,
            result: None,
            reply,
        });
        let guard = self.sender.lock().map_err(|_| StorageError::WriterGone)?;
        match guard.as_ref() {
            Some(sender) => sender.send(job).map_err(|_| StorageError::WriterGone),
            None => Err(StorageError::WriterGone),
        }
    }

    pub(super) fn shutdown(&self) {
        if let Ok(mut sender) = self.sender.lock() {
            sender.take();
        }
        let handle = self.thread.lock().ok().and_then(|mut t| t.take());
        if let Some(handle) = handle {
            let _ = handle.join();
        }
    }
}

diesel::define_sql_function! {
    /// SQLite's count of rows changed since the connection opened.
    fn total_changes() -> diesel::sql_types::BigInt;
}

fn changes(conn: &mut DbConn) -> Result<i64, DieselError> {
    use diesel::RunQueryDsl;
    match conn {
        DbConn::Sqlite(c) => diesel::select(total_changes()).get_result(c),
        // The writer only ever runs on SQLite.
        DbConn::Pg(_) => Ok(0),
    }
}

enum BatchError {
    /// A write failed after it had changed rows; the batch must be redone
    /// with each write in its own savepoint.
    Poisoned,
    Db(DieselError),
}

impl From<DieselError> for BatchError {
    fn from(err: DieselError) -> Self {
        BatchError::Db(err)
    }
}

/// Opens a fresh writing connection.
pub(super) type Reconnect = Box<dyn Fn() -> Result<DbConn, StorageError> + Send>;

fn run(mut conn: DbConn, reconnect: Reconnect, receiver: Receiver<Job>, max_batch: usize) {
    while let Ok(first) = receiver.recv() {
        let mut batch = vec![first];
        while batch.len() < max_batch {
            match receiver.try_recv() {
                Ok(job) => batch.push(job),
                Err(_) => break,
            }
        }
        let outcome = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            commit_batch(&mut conn, &mut batch)
        }));
        let commit_error = match outcome {
            Ok(result) => result,
            Err(_) => {
                // A write panicked mid-batch. The connection may be inside a
                // transaction diesel no longer tracks; closing it rolls that
                // back, and the writer carries on with a new one.
                tracing::error!(
                    size = batch.len(),
                    "a write panicked; its batch is rolled back"
                );
                match reconnect() {
                    Ok(fresh) => conn = fresh,
                    Err(err) => {
                        tracing::error!(error = %err, "could not reopen the writer connection")
                    }
                }
                Some("the write failed unexpectedly".to_owned())
            }
        };
        for job in batch {
            job.finish(commit_error.clone());
        }
    }
    tracing::debug!("SQLite writer stopped");
}

/// Runs a batch in one transaction. Savepoints cost more than the writes
/// themselves, so the first attempt runs without them: a write that fails
/// before changing anything (a refused comment, a lost race) leaves nothing
/// to undo. Only when a write fails after changing rows is the batch rolled
/// back and redone with a savepoint around each write.
fn commit_batch(conn: &mut DbConn, batch: &mut [Job]) -> Option<String> {
    let result = match run_batch(conn, batch, false) {
        Ok(()) => Ok(()),
        Err(BatchError::Db(err)) => Err(err),
        Err(BatchError::Poisoned) => {
            tracing::debug!(size = batch.len(), "redoing a batch with savepoints");
            run_batch(conn, batch, true).map_err(|e| match e {
                BatchError::Db(err) => err,
                BatchError::Poisoned => DieselError::RollbackTransaction,
            })
        }
    };
    result.err().map(|e| {
        tracing::error!(error = %e, size = batch.len(), "group commit failed");
        e.to_string()
    })
}

/// One attempt at a batch. `BEGIN IMMEDIATE` takes the write lock up front:
/// a deferred transaction that read first could find another process had
/// written meanwhile and fail at once instead of waiting its turn.
fn run_batch(conn: &mut DbConn, batch: &mut [Job], isolated: bool) -> Result<(), BatchError> {
    conn.batch_execute("BEGIN IMMEDIATE")?;
    let mut outcome = Ok(());
    for job in batch.iter_mut() {
        let before = if isolated { Ok(0) } else { changes(conn) };
        let before = match before {
            Ok(n) => n,
            Err(err) => {
                outcome = Err(BatchError::Db(err));
                break;
            }
        };
        if job.run(conn, isolated) || isolated {
            continue;
        }
        match changes(conn) {
            Ok(after) if after == before => {}
            Ok(_) => {
                outcome = Err(BatchError::Poisoned);
                break;
            }
            Err(err) => {
                outcome = Err(BatchError::Db(err));
                break;
            }
        }
    }
    match outcome {
        Ok(()) => conn.batch_execute("COMMIT").map_err(|err| {
            let _ = conn.batch_execute("ROLLBACK");
            BatchError::Db(err)
        }),
        Err(err) => {
            conn.batch_execute("ROLLBACK")?;
            Err(err)
        }
    }
}
