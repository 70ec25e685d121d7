use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::schema::idempotency_keys;
use super::{DbConn, StorageResult};

#[derive(Debug, Clone, Queryable)]
pub struct IdempotencyRow {
    pub site_id: i64,
    pub key: String,
    pub request_hash: String,
    pub comment_id: i64,
    pub created_at: NaiveDateTime,
}

#[derive(Debug, Insertable)]
#[diesel(table_name = idempotency_keys)]
pub struct NewIdempotencyKey<'a> {
    pub site_id: i64,
    pub key: &'a str,
    pub request_hash: &'a str,
    pub comment_id: i64,
    pub created_at: NaiveDateTime,
}

pub fn find(conn: &mut DbConn, site_id: i64, key: &str) -> StorageResult<Option<IdempotencyRow>> {
    Ok(idempotency_keys::table
        .find((site_id, key))
        .first(conn)
        .optional()?)
}

pub fn insert(conn: &mut DbConn, row: &NewIdempotencyKey<'_>) -> StorageResult<()> {
    diesel::insert_into(idempotency_keys::table)
        .values(row)
        .execute(conn)?;
    Ok(())
}

/// Forgets keys created before `before`; returns how many.
pub fn delete_older_than(conn: &mut DbConn, before: NaiveDateTime) -> StorageResult<usize> {
    Ok(
        diesel::delete(idempotency_keys::table.filter(idempotency_keys::created_at.lt(before)))
            .execute(conn)?,
    )
}
