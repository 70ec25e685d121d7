//! The trail of configuration changes.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::schema::config_changes;
use super::{DbConn, StorageResult};

#[derive(Debug, Clone, Queryable)]
pub struct ConfigChangeRow {
    pub id: i64,
    pub site_id: Option<i64>,
    pub actor: String,
    pub action: String,
    pub subject: String,
    pub detail: String,
    pub created_at: NaiveDateTime,
}

#[derive(Debug, Insertable)]
#[diesel(table_name = config_changes)]
pub struct NewConfigChange<'a> {
    pub site_id: Option<i64>,
    pub actor: &'a str,
    pub action: &'a str,
    pub subject: &'a str,
    pub detail: &'a str,
    pub created_at: NaiveDateTime,
}

pub fn record(conn: &mut DbConn, change: &NewConfigChange<'_>) -> StorageResult<()> {
    diesel::insert_into(config_changes::table)
        .values(change)
        .execute(conn)?;
    Ok(())
}

/// Which changes to list, newest first.
#[derive(Debug, Clone, Default)]
pub struct ConfigChangeQuery<'a> {
    /// `None` means everything, including changes to accounts that belong
    /// to no site; otherwise only those sites'.
    pub site_ids: Option<&'a [i64]>,
    pub actor: Option<&'a str>,
    pub from: Option<NaiveDateTime>,
    pub until: Option<NaiveDateTime>,
    /// Only changes older than this id.
    pub before: Option<i64>,
    pub limit: i64,
}

pub fn search(conn: &mut DbConn, q: &ConfigChangeQuery<'_>) -> StorageResult<Vec<ConfigChangeRow>> {
    let ConfigChangeQuery {
        site_ids,
        actor,
        from,
        until,
        before,
        limit,
    } = *q;
    let mut query = config_changes::table.into_boxed();
    if let Some(before) = before {
        query = query.filter(config_changes::id.lt(before));
    }
    if let Some(ids) = site_ids {
        query = query.filter(config_changes::site_id.eq_any(ids.to_vec()));
    }
    if let Some(actor) = actor {
        query = query.filter(config_changes::actor.eq(actor.to_owned()));
    }
    if let Some(from) = from {
        query = query.filter(config_changes::created_at.ge(from));
    }
    if let Some(until) = until {
        query = query.filter(config_changes::created_at.lt(until));
    }
    Ok(query
        .order(config_changes::id.desc())
        .limit(limit)
        .load(conn)?)
}

/// Records a change made now.
pub fn note(
    conn: &mut DbConn,
    site_id: Option<i64>,
    actor: &str,
    action: &str,
    subject: &str,
    detail: &str,
) -> StorageResult<()> {
    record(
        conn,
        &NewConfigChange {
            site_id,
            actor,
            action,
            subject,
            detail,
            created_at: super::now(),
        },
    )
}
