use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::schema::audit_log;
use super::{DbConn, StorageResult};

#[derive(Debug, Clone, Queryable)]
pub struct AuditRow {
    pub id: i64,
    pub site_id: i64,
    pub comment_id: i64,
    pub actor: String,
    pub action: String,
    pub from_status: Option<String>,
    pub to_status: String,
    pub reason: Option<String>,
    pub note: Option<String>,
    pub created_at: NaiveDateTime,
}

#[derive(Debug, Insertable)]
#[diesel(table_name = audit_log)]
pub struct NewAudit<'a> {
    pub site_id: i64,
    pub comment_id: i64,
    pub actor: &'a str,
    pub action: &'a str,
    pub from_status: Option<&'a str>,
    pub to_status: &'a str,
    pub reason: Option<&'a str>,
    pub note: Option<&'a str>,
    pub created_at: NaiveDateTime,
}

/// Appends one entry. There is deliberately no update or delete.
pub fn append(conn: &mut DbConn, entry: &NewAudit<'_>) -> StorageResult<()> {
    on_backend!(conn, |c| diesel::insert_into(audit_log::table)
        .values(entry)
        .execute(c))?;
    Ok(())
}

pub fn for_comment(conn: &mut DbConn, comment_id: i64) -> StorageResult<Vec<AuditRow>> {
    Ok(audit_log::table
        .filter(audit_log::comment_id.eq(comment_id))
        .order(audit_log::id.asc())
        .load(conn)?)
}

/// Entries with an id above `after`, oldest first, at most `limit`.
pub fn after(conn: &mut DbConn, after: i64, limit: i64) -> StorageResult<Vec<AuditRow>> {
    Ok(audit_log::table
        .filter(audit_log::id.gt(after))
        .order(audit_log::id.asc())
        .limit(limit)
        .load(conn)?)
}

/// The newest entry's id, or 0.
pub fn max_id(conn: &mut DbConn) -> StorageResult<i64> {
    let max: Option<i64> = audit_log::table
        .select(diesel::dsl::max(audit_log::id))
        .first(conn)?;
    Ok(max.unwrap_or(0))
}

/// Which audit entries a listing shows.
#[derive(Debug, Clone, Default)]
pub struct AuditQuery {
    /// `None`: every site.
    pub site_ids: Option<Vec<i64>>,
    pub actor: Option<String>,
    pub from: Option<NaiveDateTime>,
    pub until: Option<NaiveDateTime>,
    /// Entries older than this id (keyset pagination, newest first).
    pub before: Option<i64>,
    pub limit: i64,
}

/// Entries matching `q`, newest first.
pub fn search(conn: &mut DbConn, q: &AuditQuery) -> StorageResult<Vec<AuditRow>> {
    let mut query = audit_log::table.into_boxed();
    if let Some(ids) = &q.site_ids {
        query = query.filter(audit_log::site_id.eq_any(ids.clone()));
    }
    if let Some(actor) = &q.actor {
        query = query.filter(audit_log::actor.eq(actor.clone()));
    }
    if let Some(from) = q.from {
        query = query.filter(audit_log::created_at.ge(from));
    }
    if let Some(until) = q.until {
        query = query.filter(audit_log::created_at.lt(until));
    }
    if let Some(before) = q.before {
        query = query.filter(audit_log::id.lt(before));
    }
    Ok(query
        .order(audit_log::id.desc())
        .limit(q.limit)
        .load(conn)?)
}
