//! The threads that score comments: as many as there are cores, fed
//! through a bounded queue, so request workers never score and a burst of
//! comments never starts a thread per comment. Each thread keeps its
//! feature scratch space warm in cache. When the queue is full, `run`
//! sends a job to tokio's blocking pool instead (the built-in models never
//! refuse work), while `try_run` refuses it (the transformer, whose
//! callers fall back to the built-in score).

use std::sync::mpsc::{Receiver, SyncSender, TrySendError, sync_channel};
use std::sync::{Arc, Mutex};

type Job = Box<dyn FnOnce() + Send>;

pub struct ScoringPool {
    queue: SyncSender<Job>,
}

impl ScoringPool {
    /// Starts `threads` threads named `name-N` with room for `capacity`
    /// waiting jobs (0: a job is taken only by an idle thread).
    pub fn start_named(name: &str, threads: usize, capacity: usize) -> std::io::Result<Arc<Self>> {
        let (queue, jobs) = sync_channel::<Job>(capacity);
        let jobs = Arc::new(Mutex::new(jobs));
        for n in 0..threads.max(1) {
            let jobs = Arc::clone(&jobs);
            std::thread::Builder::new()
                .name(format!("{name}-{n}"))
                .spawn(move || work(&jobs))?;
        }
        Ok(Arc::new(Self { queue }))
    }

    /// Starts `threads` scoring threads with room for `capacity` waiting
    /// jobs.
    pub fn start(threads: usize, capacity: usize) -> std::io::Result<Arc<Self>> {
        Self::start_named("modq-score", threads, capacity.max(1))
    }

    /// Runs `f` on a thread if one is free or the queue has room, and
    /// waits for it without blocking; otherwise says why at once.
    pub async fn try_run<T: Send + 'static>(
        &self,
        f: impl FnOnce() -> T + Send + 'static,
    ) -> Result<T, Refused> {
        let (tx, rx) = tokio::sync::oneshot::channel();
        let job: Job = Box::new(move || {
            let _ = tx.send(f());
        });
        match self.queue.try_send(job) {
            Ok(()) => rx.await.map_err(|_| Refused::Dropped),
            Err(TrySendError::Full(_)) => Err(Refused::Full),
            Err(TrySendError::Disconnected(_)) => Err(Refused::Stopped),
        }
    }

    /// Runs `f` on a scoring thread and waits for it without blocking.
    pub async fn run<T: Send + 'static>(
        &self,
        f: impl FnOnce() -> T + Send + 'static,
    ) -> Result<T, String> {
        let (tx, rx) = tokio::sync::oneshot::channel();
        let job: Job = Box::new(move || {
            let _ = tx.send(f());
        });
        match self.queue.try_send(job) {
            Ok(()) => {}
            Err(TrySendError::Full(job)) => {
                tokio::task::spawn_blocking(job);
            }
            Err(TrySendError::Disconnected(_)) => return Err("the scoring threads stopped".into()),
        }
        rx.await
            .map_err(|_| "the scoring job was dropped".to_owned())
    }
}

/// Why [`ScoringPool::try_run`] did not run a job.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refused {
    /// Every thread busy and the queue full.
    Full,
    /// The threads have stopped.
    Stopped,
    /// The job panicked or was dropped.
    Dropped,
}

fn work(jobs: &Mutex<Receiver<Job>>) {
    loop {
        let next = match jobs.lock() {
            Ok(receiver) => receiver.recv(),
            Err(poisoned) => poisoned.into_inner().recv(),
        };
        match next {
            // A panicking job must not take the thread with it.
            Ok(job) => {
                let _ = std::panic::catch_unwind(std::panic::AssertUnwindSafe(job));
            }
            Err(_) => break,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn jobs_run_and_overflow_runs_elsewhere() {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .build()
            .expect("runtime");
        let pool = ScoringPool::start(1, 1).expect("pool");
        runtime.block_on(async {
            let results =
                futures_util::future::join_all((0..20).map(|n| pool.run(move || n * 2))).await;
            let values: Vec<i32> = results.into_iter().map(|r| r.expect("ran")).collect();
            assert_eq!(values, (0..20).map(|n| n * 2).collect::<Vec<_>>());
            assert!(pool.run(|| -> i32 { panic!("a bad job") }).await.is_err());
            assert_eq!(pool.run(|| 7).await, Ok(7), "the thread survived");
        });
    }
}
