use std::collections::BTreeSet;
use std::sync::{Arc, Weak};
use std::time::Duration;

use tokio::sync::broadcast;

use crate::domain::{CommentId, SiteId};
use crate::error::AppError;
use crate::storage::{self, Database, audit::AuditRow};

/// Something that changed a comment's place in the queue: it arrived, was
/// decided, reopened or withdrawn.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QueueEvent {
    pub site_id: SiteId,
    pub comment_id: CommentId,
    pub action: String,
    pub status: String,
    pub actor: String,
}

impl From<AuditRow> for QueueEvent {
    fn from(row: AuditRow) -> Self {
        QueueEvent {
            site_id: SiteId(row.site_id),
            comment_id: CommentId(row.comment_id),
            action: row.action,
            status: row.to_status,
            actor: row.actor,
        }
    }
}

/// Queue events for everyone connected to this process, whichever
/// process caused them: they are read from the audit log, which every
/// instance writes.
pub struct LiveFeed {
    sender: broadcast::Sender<Arc<QueueEvent>>,
}

/// Events kept for a slow reader before it is told it fell behind.
const BACKLOG: usize = 1024;
/// Audit ids are assigned when a row is inserted but become visible when
/// its transaction commits, which on PostgreSQL may be out of order. Each
/// poll looks this far below the highest id seen, and skips ids it has
/// already sent.
const REORDER_WINDOW: i64 = 256;

impl LiveFeed {
    pub fn new() -> Arc<Self> {
        let (sender, _) = broadcast::channel(BACKLOG);
        Arc::new(Self { sender })
    }

    pub fn subscribe(&self) -> broadcast::Receiver<Arc<QueueEvent>> {
        self.sender.subscribe()
    }

    /// Polls the audit log every `every` while the database is alive.
    pub fn spawn_poller(self: &Arc<Self>, db: Weak<Database>, every: Duration) {
        let feed = Arc::clone(self);
        let mut cursor: Option<FeedCursor> = None;
        crate::jobs::spawn_periodic("live-feed", db, every, move |db| {
            let result = match cursor.as_mut() {
                None => FeedCursor::start(db).map(|c| cursor = Some(c)),
                Some(c) => c.poll(db).map(|events| {
                    for event in events {
                        // No one listening is not an error.
                        let _ = feed.sender.send(Arc::new(event));
                    }
                }),
            };
            if let Err(err) = result {
                tracing::warn!(error = %err, "could not read the audit log for live updates");
            }
        });
    }
}

/// Where the poller is in the audit log.
struct FeedCursor {
    highest: i64,
    sent: BTreeSet<i64>,
}

impl FeedCursor {
    /// Starts at the present: history is not replayed.
    fn start(db: &Database) -> Result<Self, AppError> {
        let (highest, recent) = db.read_blocking(|conn| {
            let highest = storage::audit::max_id(conn)?;
            let recent = storage::audit::after(conn, (highest - REORDER_WINDOW).max(0), 5_000)?;
            Ok::<_, AppError>((highest, recent))
        })?;
        Ok(Self {
            highest,
            sent: recent.into_iter().map(|row| row.id).collect(),
        })
    }

    fn poll(&mut self, db: &Database) -> Result<Vec<QueueEvent>, AppError> {
        let from = (self.highest - REORDER_WINDOW).max(0);
        let rows = db.read_blocking(move |conn| {
            storage::audit::after(conn, from, 5_000).map_err(AppError::from)
        })?;
        let mut events = Vec::new();
        for row in rows {
            if row.id <= self.highest - REORDER_WINDOW || !self.sent.insert(row.id) {
                continue;
            }
            self.highest = self.highest.max(row.id);
            events.push(QueueEvent::from(row));
        }
        let floor = self.highest - REORDER_WINDOW;
        self.sent = self.sent.split_off(&floor);
        Ok(events)
    }
}
