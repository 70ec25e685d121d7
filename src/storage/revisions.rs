//! The bodies a comment had before its current one.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::schema::comment_revisions;
use super::{DbConn, StorageResult};

#[derive(Debug, Clone, Queryable)]
pub struct RevisionRow {
    pub id: i64,
    pub comment_id: i64,
    pub revision: i32,
    pub body: String,
    pub status: String,
    pub written_at: NaiveDateTime,
    pub replaced_at: NaiveDateTime,
}

#[derive(Debug, Insertable)]
#[diesel(table_name = comment_revisions)]
pub struct NewRevision<'a> {
    pub comment_id: i64,
    pub revision: i32,
    pub body: &'a str,
    pub status: &'a str,
    pub written_at: NaiveDateTime,
    pub replaced_at: NaiveDateTime,
}

pub fn insert(conn: &mut DbConn, revision: &NewRevision<'_>) -> StorageResult<()> {
    on_backend!(conn, |c| diesel::insert_into(comment_revisions::table)
        .values(revision)
        .execute(c))?;
    Ok(())
}

/// A comment's earlier bodies, oldest first.
pub fn for_comment(conn: &mut DbConn, comment_id: i64) -> StorageResult<Vec<RevisionRow>> {
    Ok(comment_revisions::table
        .filter(comment_revisions::comment_id.eq(comment_id))
        .order(comment_revisions::revision.asc())
        .load(conn)?)
}

/// The body each comment had just before its latest edit.
pub fn latest_for(conn: &mut DbConn, comment_ids: &[i64]) -> StorageResult<Vec<RevisionRow>> {
    let rows: Vec<RevisionRow> = comment_revisions::table
        .filter(comment_revisions::comment_id.eq_any(comment_ids))
        .order((
            comment_revisions::comment_id,
            comment_revisions::revision.desc(),
        ))
        .load(conn)?;
    let mut latest: Vec<RevisionRow> = Vec::with_capacity(comment_ids.len());
    for row in rows {
        if latest.last().is_none_or(|l| l.comment_id != row.comment_id) {
            latest.push(row);
        }
    }
    Ok(latest)
}
