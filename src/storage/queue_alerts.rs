//! Queue alert thresholds per site and whether each is firing.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::schema::{comments, queue_alerts};
use super::{DbConn, StorageResult};

#[derive(Debug, Clone, Queryable)]
pub struct QueueAlertRow {
    pub site_id: i64,
    pub oldest_pending_minutes: Option<i32>,
    pub max_pending: Option<i32>,
    pub firing_since: Option<NaiveDateTime>,
    pub updated_at: NaiveDateTime,
}

pub fn find(conn: &mut DbConn, site_id: i64) -> StorageResult<Option<QueueAlertRow>> {
    Ok(queue_alerts::table.find(site_id).first(conn).optional()?)
}

/// Every site with a threshold set.
pub fn armed(conn: &mut DbConn) -> StorageResult<Vec<QueueAlertRow>> {
    Ok(queue_alerts::table
        .filter(
            queue_alerts::oldest_pending_minutes
                .is_not_null()
                .or(queue_alerts::max_pending.is_not_null()),
        )
        .load(conn)?)
}

/// Sets the thresholds; a change re-arms the alert.
pub fn put(
    conn: &mut DbConn,
    site_id: i64,
    oldest_pending_minutes: Option<i32>,
    max_pending: Option<i32>,
    now: NaiveDateTime,
) -> StorageResult<()> {
    diesel::delete(queue_alerts::table.find(site_id)).execute(conn)?;
    diesel::insert_into(queue_alerts::table)
        .values((
            queue_alerts::site_id.eq(site_id),
            queue_alerts::oldest_pending_minutes.eq(oldest_pending_minutes),
            queue_alerts::max_pending.eq(max_pending),
            queue_alerts::firing_since.eq(None::<NaiveDateTime>),
            queue_alerts::updated_at.eq(now),
        ))
        .execute(conn)?;
    Ok(())
}

/// Marks the alert firing (`Some`) or recovered (`None`) if it was in the
/// other state: `true` for the one instance whose change it was.
pub fn flip(
    conn: &mut DbConn,
    site_id: i64,
    firing_since: Option<NaiveDateTime>,
) -> StorageResult<bool> {
    let row = queue_alerts::table.find(site_id);
    let changed = match firing_since {
        Some(_) => diesel::update(row.filter(queue_alerts::firing_since.is_null()))
            .set(queue_alerts::firing_since.eq(firing_since))
            .execute(conn)?,
        None => diesel::update(row.filter(queue_alerts::firing_since.is_not_null()))
            .set(queue_alerts::firing_since.eq(None::<NaiveDateTime>))
            .execute(conn)?,
    };
    Ok(changed == 1)
}

/// How many comments of the site are pending, and when the oldest came.
pub fn pending_stats(
    conn: &mut DbConn,
    site_id: i64,
) -> StorageResult<(i64, Option<NaiveDateTime>)> {
    Ok(comments::table
        .filter(comments::site_id.eq(site_id))
        .filter(comments::status.eq("pending"))
        .select((
            diesel::dsl::count_star(),
            diesel::dsl::min(comments::created_at),
        ))
        .first(conn)?)
}
