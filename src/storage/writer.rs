//! SQLite group commit: one thread owns the only writing connection, drains
//! whatever writes are queued, and commits them together. Each write runs in
//! its own savepoint, so one failing write does not undo the others, and
//! nobody is answered before the shared commit has reached the disk.

use std::sync::Mutex;
use std::sync::mpsc::{Receiver, Sender, channel};
use std::thread::JoinHandle;

use diesel::Connection;
use diesel::result::Error as DieselError;

use super::{DbConn, StorageError, TxError, WriteError, in_transaction};

/// Called with the outcome of the batch commit: `None` when it committed.
type Completion = Box<dyn FnOnce(Option<String>) + Send>;
type Job = Box<dyn FnOnce(&mut DbConn) -> Completion + Send>;

pub(super) struct Writer {
    sender: Mutex<Option<Sender<Job>>>,
    thread: Mutex<Option<JoinHandle<()>>>,
}

impl Writer {
    pub(super) fn spawn(conn: DbConn, max_batch: usize) -> Self {
        let (sender, receiver) = channel::<Job>();
        let thread = std::thread::Builder::new()
            .name("modq-sqlite-writer".into())
            .spawn(move || run(conn, receiver, max_batch.max(1)))
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
        let job: Job = Box::new(move |conn: &mut DbConn| {
            let result = in_transaction(conn, &f);
            Box::new(move |commit_error: Option<String>| {
                let outcome = match (result, commit_error) {
                    (Err(TxError::App(err)), _) => Err(err),
                    (Err(TxError::Db(err)), _) => Err(E::from(err)),
                    (Ok(_), Some(msg)) => Err(E::from(StorageError::Query(msg))),
                    (Ok(value), None) => Ok(value),
                };
                // The requester may have gone away; the write stands regardless.
                let _ = reply.send(outcome);
            })
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

fn run(mut conn: DbConn, receiver: Receiver<Job>, max_batch: usize) {
    while let Ok(first) = receiver.recv() {
        let mut batch = vec![first];
        while batch.len() < max_batch {
            match receiver.try_recv() {
                Ok(job) => batch.push(job),
                Err(_) => break,
            }
        }
        let size = batch.len();
        let mut completions: Vec<Completion> = Vec::with_capacity(size);
        let committed = conn.transaction::<(), DieselError, _>(|c| {
            for job in batch.drain(..) {
                completions.push(job(c));
            }
            Ok(())
        });
        let commit_error = committed.err().map(|e| {
            tracing::error!(error = %e, size, "group commit failed");
            e.to_string()
        });
        for done in completions {
            done(commit_error.clone());
        }
    }
    tracing::debug!("SQLite writer stopped");
}
