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
        let current = match self.current.read() {
            Ok(guard) => Arc::clone(&guard),
            Err(poisoned) => Arc::clone(&poisoned.into_inner()),
        };
        let known = current.revision;
        let (revision, changed) = self.db.read_blocking(|conn| {
            let revision = storage::rules::revision(conn)?;
            if revision == known {
                return Ok::<_, AppError>((revision, Vec::new()));
            }
            Ok((revision, storage::rules::scopes_changed_since(conn, known)?))
        })?;
        if revision == known {
            return Ok(false);
        }
        // A global rule touches every site; a site's rule only that site,
        // so with many sites only the edited ones are compiled again.
        let snapshot = if changed.iter().any(Option::is_none) {
            Arc::new(build_snapshot(&self.db)?)
        } else {
            let sites: Vec<i64> = changed.into_iter().flatten().collect();
            Arc::new(rebuild_sites(&self.db, &current, revision, &sites)?)
        };
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
    let records = parse_rows(rows);
    let global_records: Vec<RuleRecord> = records
        .iter()
        .filter(|r| r.site_id.is_none())
        .cloned()
        .collect();
    let global = Arc::new(compile_or_skip(&global_records));
    let mut by_site = HashMap::new();
    for site in site_ids {
        if let Some(compiled) = compile_site(&records, site) {
            by_site.insert(site, compiled);
        }
    }
    Ok(Snapshot {
        revision,
        by_site,
        global,
    })
}

/// A new snapshot in which only `sites` are compiled again.
fn rebuild_sites(
    db: &Database,
    current: &Snapshot,
    revision: i64,
    sites: &[i64],
) -> Result<Snapshot, AppError> {
    let wanted = sites.to_vec();
    let rows = db.read_blocking(move |conn| {
        storage::rules::list(conn, Some(&wanted)).map_err(AppError::from)
    })?;
    let records = parse_rows(rows);
    let mut by_site = current.by_site.clone();
    for &site in sites {
        match compile_site(&records, site) {
            Some(compiled) => by_site.insert(site, compiled),
            None => by_site.remove(&site),
        };
    }
    Ok(Snapshot {
        revision,
        by_site,
        global: Arc::clone(&current.global),
    })
}

/// The global rules plus `site`'s own, compiled; `None` when there are none.
fn compile_site(records: &[RuleRecord], site: i64) -> Option<Arc<CompiledRules>> {
    let mine: Vec<RuleRecord> = records
        .iter()
        .filter(|r| r.site_id.is_none() || r.site_id == Some(site))
        .cloned()
        .collect();
    (!mine.is_empty()).then(|| Arc::new(compile_or_skip(&mine)))
}

fn parse_rows(rows: Vec<storage::rules::RuleRow>) -> Vec<RuleRecord> {
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
    records
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
