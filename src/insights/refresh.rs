//! Counts new audit entries into the insight aggregates, a chunk at a time,
//! each chunk in one transaction with the progress it makes.
//!
//! On PostgreSQL, audit ids are taken when a transaction writes, not when it
//! commits, so an entry may appear after a later one. Entries are counted
//! once they are `settle` old, by which time nearly every transaction that
//! could still add an earlier id has committed or failed; the ids a chunk
//! passes over are remembered, and their entries counted when they appear.

use std::collections::HashMap;
use std::sync::Weak;

use chrono::NaiveDateTime;
use std::time::Duration;

use super::deltas::{Change, CommentFacts, Deltas, RuleReason};
use crate::error::AppError;
use crate::storage::{self, Database, DbConn, audit::AuditRow};

/// Entries counted per transaction.
const CHUNK: i64 = 1_000;

impl From<&AuditRow> for Change {
    fn from(row: &AuditRow) -> Self {
        Change {
            site_id: row.site_id,
            actor: row.actor.clone(),
            action: row.action.clone(),
            from_status: row.from_status.clone(),
            to_status: row.to_status.clone(),
            at: row.created_at,
        }
    }
}

/// Counts what can be counted now, a chunk per transaction, at most
/// `budget` chunks; returns how many entries were counted. Entries count
/// once they are `settle` old.
pub fn refresh(db: &Database, settle: Duration, budget: usize) -> Result<usize, AppError> {
    let mut counted = 0;
    for _ in 0..budget {
        let settled = settled(settle);
        let n = db.write_blocking(move |conn| count_chunk(conn, settled))?;
        counted += n;
        if n < CHUNK as usize {
            break;
        }
    }
    Ok(counted)
}

/// [`refresh`] from async code.
pub async fn refresh_now(
    db: &Database,
    settle: Duration,
    budget: usize,
) -> Result<usize, AppError> {
    let mut counted = 0;
    for _ in 0..budget {
        let settled = settled(settle);
        let n = db.write(move |conn| count_chunk(conn, settled)).await?;
        counted += n;
        if n < CHUNK as usize {
            break;
        }
    }
    Ok(counted)
}

fn settled(settle: Duration) -> chrono::NaiveDateTime {
    storage::now() - chrono::Duration::from_std(settle).unwrap_or(chrono::Duration::zero())
}

/// Gaps noticed in one chunk, at most: a larger jump in ids is not a
/// transaction still committing.
const MAX_GAPS: usize = 10_000;
/// How long a passed-over id is waited for.
const GAP_PATIENCE: chrono::TimeDelta = chrono::TimeDelta::hours(1);

/// Counts one chunk of entries made before `settled`, then the entries
/// passed over earlier that have appeared since.
fn count_chunk(conn: &mut DbConn, settled: chrono::NaiveDateTime) -> Result<usize, AppError> {
    let (done, _) = storage::insights::progress(conn)?;
    let rows = storage::insights::entries_to_count(conn, done, settled, CHUNK)?;
    let now = storage::now();
    let mut counted = 0;
    if let Some(last) = rows.last().map(|r| r.id) {
        // Taken first: another instance counting the same chunk waits here
        // and then finds the progress moved.
        if !storage::insights::advance(conn, done, last, now)? {
            return Ok(0);
        }
        storage::insights::note_gaps(conn, &passed_over(done, &rows), now)?;
        count_rows(conn, &rows, |_| done)?;
        counted += rows.len();
    }
    let mut late = Vec::new();
    for row in storage::insights::late_entries(conn, CHUNK)? {
        if storage::insights::claim_gap(conn, row.id)? {
            late.push(row);
        }
    }
    // A late entry is its comment's newest: what came before it is older.
    count_rows(conn, &late, |row| row.id - 1)?;
    counted += late.len();
    storage::insights::forget_gaps(conn, now - GAP_PATIENCE)?;
    Ok(counted)
}

/// The ids between `done` and the chunk's last that the chunk lacks: taken
/// by transactions that had not committed (or made entries that had not
/// settled).
fn passed_over(done: i64, rows: &[AuditRow]) -> Vec<i64> {
    let mut gaps = Vec::new();
    let mut expected = done + 1;
    for row in rows {
        gaps.extend((expected..row.id).take(MAX_GAPS - gaps.len().min(MAX_GAPS)));
        expected = row.id + 1;
    }
    gaps
}

/// Adds `rows` to the aggregates; `upto(row)` bounds the entries that came
/// before each row's first one.
fn count_rows(
    conn: &mut DbConn,
    rows: &[AuditRow],
    upto: impl Fn(&AuditRow) -> i64,
) -> Result<(), AppError> {
    let Some(first) = rows.first() else {
        return Ok(());
    };
    let mut ids: Vec<i64> = rows.iter().map(|r| r.comment_id).collect();
    ids.sort_unstable();
    ids.dedup();
    let mut facts: HashMap<i64, CommentFacts> = storage::insights::comment_facts(conn, &ids)?
        .into_iter()
        .map(|(id, article_id, arrived, spam_score, offensive_score)| {
            (
                id,
                CommentFacts {
                    article_id,
                    arrived,
                    spam_score,
                    offensive_score,
                    rules: Vec::new(),
                },
            )
        })
        .collect();
    for (comment, rule, action, shadow) in storage::insights::rule_reasons(conn, &ids)? {
        if let (Some(facts), Some(rule_id)) = (facts.get_mut(&comment), rule) {
            facts.rules.push(RuleReason {
                rule_id,
                action: action.unwrap_or_default(),
                shadow,
            });
        }
    }
    // The entry before each comment's first one here.
    let mut previous: HashMap<i64, Change> = HashMap::new();
    let bounds: Vec<i64> = rows.iter().map(&upto).collect();
    if bounds.iter().all(|b| *b == bounds[0]) {
        for row in storage::insights::latest_entries(conn, &ids, upto(first))? {
            previous.insert(row.comment_id, Change::from(&row));
        }
    } else {
        for (row, bound) in rows.iter().zip(&bounds) {
            for before in storage::insights::latest_entries(conn, &[row.comment_id], *bound)? {
                previous.insert(before.comment_id, Change::from(&before));
            }
        }
    }
    let mut deltas = Deltas::default();
    for row in rows {
        // Entries that leave the status as it was (an edit that keeps a
        // comment published, a report, a kept comment) change no figure.
        if row.from_status.as_deref() == Some(row.to_status.as_str()) {
            continue;
        }
        let change = Change::from(row);
        let Some(comment) = facts.get(&row.comment_id) else {
            continue;
        };
        let before = if change.from_status.is_none() {
            None
        } else {
            previous.get(&row.comment_id)
        };
        deltas.count(&change, before, comment);
        previous.insert(row.comment_id, change);
    }
    apply(conn, &deltas)
}

fn apply(conn: &mut DbConn, d: &Deltas) -> Result<(), AppError> {
    use storage::insights as s;
    for ((site, hour, outcome, by), n) in d.volume.iter().filter(|(_, n)| **n != 0) {
        s::add_volume(conn, *site, *hour, outcome.as_str(), by, *n)?;
    }
    for ((site, day, outcome, by), n) in d.volume_days.iter().filter(|(_, n)| **n != 0) {
        s::add_volume_day(conn, *site, *day, outcome.as_str(), by, *n)?;
    }
    for ((site, hour), n) in d.backlog.iter().filter(|(_, n)| **n != 0) {
        s::add_backlog(conn, *site, *hour, *n)?;
    }
    for ((site, day, by), n) in d.decisions.iter().filter(|(_, n)| nonzero(n)) {
        s::add_decisions(conn, *site, *day, by, *n)?;
    }
    // Kept by day and by month.
    for (span, at) in SPANS {
        for ((site, day, by, bucket), n) in by_span(&d.waits, |k| &mut k.1, at) {
            s::add_waits(conn, site, span, day, &by, bucket, n)?;
        }
        for ((site, day, rule, by), n) in by_span(&d.rules, |k| &mut k.1, at) {
            s::add_rule(conn, site, span, day, rule, &by, n)?;
        }
        for ((site, day, attribute, bin, by), n) in by_span(&d.scores, |k| &mut k.1, at) {
            s::add_score(conn, site, span, day, attribute, bin, &by, n)?;
        }
        for ((site, day, article, by), n) in by_span(&d.articles, |k| &mut k.1, at) {
            s::add_article(conn, site, span, day, article, &by, n)?;
        }
    }
    Ok(())
}

type Span = (&'static str, fn(NaiveDateTime) -> NaiveDateTime);

/// Day rows as they are, and month rows keyed by the month's first day.
const SPANS: [Span; 2] = [
    ("day", |day| day),
    ("month", storage::insights::month_start),
];

/// The deltas of a day-keyed map summed by `span` (its day key moved by
/// `at`), leaving out what sums to nothing.
fn by_span<K, V>(
    deltas: &HashMap<K, V>,
    day: fn(&mut K) -> &mut NaiveDateTime,
    at: fn(NaiveDateTime) -> NaiveDateTime,
) -> Vec<(K, V)>
where
    K: Clone + Eq + std::hash::Hash,
    V: Copy + Default + Counts,
{
    let mut out: HashMap<K, V> = HashMap::new();
    for (key, value) in deltas {
        let mut key = key.clone();
        let slot = day(&mut key);
        *slot = at(*slot);
        out.entry(key).or_default().add(value);
    }
    out.into_iter().filter(|(_, v)| v.any()).collect()
}

/// A delta value: one count or several.
trait Counts {
    fn add(&mut self, other: &Self);
    fn any(&self) -> bool;
}

impl Counts for i64 {
    fn add(&mut self, other: &Self) {
        *self += other;
    }
    fn any(&self) -> bool {
        *self != 0
    }
}

impl<const N: usize> Counts for [i64; N] {
    fn add(&mut self, other: &Self) {
        for (a, b) in self.iter_mut().zip(other) {
            *a += b;
        }
    }
    fn any(&self) -> bool {
        nonzero(self)
    }
}

fn nonzero<const N: usize>(counts: &[i64; N]) -> bool {
    counts.iter().any(|n| *n != 0)
}

/// How the figures are kept and read.
#[derive(Debug, Clone, Copy)]
pub struct InsightsConfig {
    /// The time in queue moderators aim for.
    pub target: Duration,
    /// How old an entry must be before it is counted on PostgreSQL.
    pub settle: Duration,
}

impl InsightsConfig {
    pub fn from_settings(settings: &crate::config::InsightsSettings) -> Self {
        Self {
            target: Duration::from_secs(settings.target_minutes.max(1) * 60),
            settle: Duration::from_secs(settings.settle_secs),
        }
    }

    /// The settle time on `db`'s backend: SQLite commits in id order and
    /// needs none.
    pub fn settle_on(&self, db: &Database) -> Duration {
        match db.backend() {
            storage::Backend::Postgres => self.settle,
            storage::Backend::Sqlite => Duration::ZERO,
        }
    }
}

/// Counts new entries every `every`, until caught up each time, for as
/// long as the database is there.
pub fn spawn_counting(db: Weak<Database>, every: Duration, config: InsightsConfig) {
    crate::jobs::spawn_periodic("insights", db, every, move |db| {
        if let Err(err) = refresh(db, config.settle_on(db), usize::MAX) {
            tracing::warn!(error = %err, "could not count audit entries into the insights");
        }
    });
}

#[cfg(test)]
mod gap_tests {
    use super::*;

    fn entry(id: i64) -> AuditRow {
        AuditRow {
            id,
            site_id: 1,
            comment_id: id,
            actor: "site:a".into(),
            action: "submit".into(),
            from_status: None,
            to_status: "pending".into(),
            reason: None,
            note: None,
            created_at: storage::now(),
        }
    }

    #[test]
    fn the_ids_a_chunk_lacks_are_passed_over() {
        let rows: Vec<AuditRow> = [11, 12, 15, 17].into_iter().map(entry).collect();
        assert_eq!(passed_over(10, &rows), vec![13, 14, 16]);
        assert_eq!(passed_over(8, &rows), vec![9, 10, 13, 14, 16]);
        assert!(passed_over(10, &rows[..2]).is_empty());
        // A huge jump is not a transaction still committing.
        let far = [entry(1), entry(50_000)];
        assert_eq!(passed_over(0, &far).len(), MAX_GAPS);
    }
}
