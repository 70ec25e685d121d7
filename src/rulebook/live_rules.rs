use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, RwLock, Weak};
use std::time::Duration;

use crate::domain::SiteId;
use crate::error::AppError;
use crate::rules::{CompiledRules, RuleDefinition, RuleRecord};
use crate::storage::{self, Database};

/// The compiled rules of every site, swapped whole when rules change.
/// Intake reads the current set without waiting; a recompile happens on a
/// background thread and replaces it atomically.
pub struct Rulebook {
    db: Database,
    current: RwLock<Arc<Snapshot>>,
    stopped: AtomicBool,
}

struct Snapshot {
    revision: i64,
    by_site: HashMap<i64, Arc<CompiledRules>>,
    /// For sites created after the snapshot: the global rules.
    global: Arc<CompiledRules>,
}

impl Rulebook {
    /// Loads and compiles every live rule.
    pub fn load(db: Database) -> Result<Arc<Self>, AppError> {
        let snapshot = build_snapshot(&db)?;
        Ok(Arc::new(Self {
            db,
            current: RwLock::new(Arc::new(snapshot)),
            stopped: AtomicBool::new(false),
        }))
    }

    /// The rules that apply to a site's comments now.
    pub fn for_site(&self, site: SiteId) -> Arc<CompiledRules> {
        let snapshot = match self.current.read() {
            Ok(guard) => Arc::clone(&guard),
            Err(poisoned) => Arc::clone(&poisoned.into_inner()),
        };
        snapshot
            .by_site
            .get(&site.0)
            .cloned()
            .unwrap_or_else(|| Arc::clone(&snapshot.global))
    }

    /// Recompiles if any rule changed since the last load. Returns whether
    /// it swapped in a new set.
    pub fn refresh(&self) -> Result<bool, AppError> {
        let known = match self.current.read() {
            Ok(guard) => guard.revision,
            Err(poisoned) => poisoned.into_inner().revision,
        };
        let revision = self
            .db
            .read_blocking(|conn| storage::rules::revision(conn).map_err(AppError::from))?;
        if revision == known {
            return Ok(false);
        }
        let snapshot = Arc::new(build_snapshot(&self.db)?);
        if let Ok(mut guard) = self.current.write() {
            *guard = snapshot;
        }
        Ok(true)
    }

    /// [`Rulebook::refresh`] off the async runtime; used right after an edit
    /// so this instance applies it at once.
    pub async fn refresh_now(self: &Arc<Self>) -> Result<bool, AppError> {
        let book = Arc::clone(self);
        tokio::task::spawn_blocking(move || book.refresh())
            .await
            .map_err(AppError::internal)?
    }

    /// Polls for changes made by any instance every `interval`, on its own
    /// thread, until [`Rulebook::stop`] or the rulebook is dropped.
    pub fn watch(self: &Arc<Self>, interval: Duration) {
        let weak: Weak<Self> = Arc::downgrade(self);
        let spawned = std::thread::Builder::new()
            .name("modq-rules".into())
            .spawn(move || {
                loop {
                    std::thread::sleep(interval);
                    let Some(book) = weak.upgrade() else { break };
                    if book.stopped.load(Ordering::Relaxed) {
                        break;
                    }
                    match book.refresh() {
                        Ok(true) => tracing::info!("rules changed; new set compiled and in use"),
                        Ok(false) => {}
                        Err(err) => tracing::warn!(error = %err, "could not refresh rules"),
                    }
                }
            });
        if let Err(err) = spawned {
            tracing::error!(error = %err, "could not start the rule watcher");
        }
    }

    pub fn stop(&self) {
        self.stopped.store(true, Ordering::Relaxed);
    }
}

fn build_snapshot(db: &Database) -> Result<Snapshot, AppError> {
    let (revision, rows, site_ids) = db.read_blocking(|conn| {
        let revision = storage::rules::revision(conn)?;
        let rows = storage::rules::list(conn, None)?;
        let sites = storage::sites::all_ids(conn)?;
        Ok::<_, AppError>((revision, rows, sites))
    })?;
    let mut records = Vec::with_capacity(rows.len());
    for row in rows {
        match serde_json::from_str::<RuleDefinition>(&row.definition) {
            Ok(definition) => records.push(RuleRecord {
                id: row.id,
                version: row.version,
                site_id: row.site_id,
                article: row.article_external_id,
                definition,
            }),
            Err(err) => {
                tracing::error!(rule = row.id, error = %err, "stored rule does not parse; skipped")
            }
        }
    }
    let global_records: Vec<RuleRecord> = records
        .iter()
        .filter(|r| r.site_id.is_none())
        .cloned()
        .collect();
    let global = Arc::new(compile_or_skip(&global_records));
    let mut by_site = HashMap::new();
    for site in site_ids {
        let mine: Vec<RuleRecord> = records
            .iter()
            .filter(|r| r.site_id.is_none() || r.site_id == Some(site))
            .cloned()
            .collect();
        if mine.is_empty() {
            continue;
        }
        by_site.insert(site, Arc::new(compile_or_skip(&mine)));
    }
    Ok(Snapshot {
        revision,
        by_site,
        global,
    })
}

/// Rules are validated when saved, so a compile error here means the stored
/// data is bad; the offending rules are dropped rather than all of them.
fn compile_or_skip(records: &[RuleRecord]) -> CompiledRules {
    match CompiledRules::compile(records) {
        Ok(compiled) => compiled,
        Err(_) => {
            let good: Vec<RuleRecord> = records
                .iter()
                .filter(|r| {
                    let ok = CompiledRules::compile(std::slice::from_ref(r)).is_ok();
                    if !ok {
                        tracing::error!(rule = r.id, "stored rule does not compile; skipped");
                    }
                    ok
                })
                .cloned()
                .collect();
            CompiledRules::compile(&good).unwrap_or_else(|_| CompiledRules::empty())
        }
    }
}
