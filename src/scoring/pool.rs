//! The threads that score comments: as many as there are cores, fed
//! through a bounded queue, so request workers never score and a burst of
//! comments never starts a thread per comment. Each thread keeps its
//! feature scratch space warm in cache. When the queue is full a job runs
//! on tokio's blocking pool instead, so scoring never refuses work.

use std::sync::mpsc::{Receiver, SyncSender, TrySendError, sync_channel};
use std::sync::{Arc, Mutex};

type Job = Box<dyn FnOnce() + Send>;

pub struct ScoringPool {
    queue: SyncSender<Job>,
}

impl ScoringPool {
    /// Starts `threads` scoring threads with room for `capacity` waiting
    /// jobs.
    pub fn start(threads: usize, capacity: usize) -> std::io::Result<Arc<Self>> {
        let (queue, jobs) = sync_channel::<Job>(capacity.max(1));
        let jobs = Arc::new(Mutex::new(jobs));
        for n in 0..threads.max(1) {
            let jobs = Arc::clone(&jobs);
            std::thread::Builder::new()
                .name(format!("modq-score-{n}"))
                .spawn(move || work(&jobs))?;
        }
        Ok(Arc::new(Self { queue }))
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
