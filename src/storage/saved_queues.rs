//! Moderators' saved queue views.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::schema::saved_queues;
use super::{DbConn, StorageResult};

#[derive(Debug, Clone, Queryable)]
pub struct SavedQueueRow {
    pub id: i64,
    pub moderator_id: i64,
    pub name: String,
    pub query: String,
    pub created_at: NaiveDateTime,
}

#[derive(Debug, Insertable)]
#[diesel(table_name = saved_queues)]
pub struct NewSavedQueue<'a> {
    pub id: i64,
    pub moderator_id: i64,
    pub name: &'a str,
    pub query: &'a str,
    pub created_at: NaiveDateTime,
}

pub fn insert(conn: &mut DbConn, saved: &NewSavedQueue<'_>) -> StorageResult<()> {
    diesel::insert_into(saved_queues::table)
        .values(saved)
        .execute(conn)?;
    Ok(())
}

pub fn for_moderator(conn: &mut DbConn, moderator_id: i64) -> StorageResult<Vec<SavedQueueRow>> {
    Ok(saved_queues::table
        .filter(saved_queues::moderator_id.eq(moderator_id))
        .order(saved_queues::name.asc())
        .load(conn)?)
}

/// Deletes one of the moderator's saved views; `false` if there was none.
pub fn delete(conn: &mut DbConn, moderator_id: i64, id: i64) -> StorageResult<bool> {
    let n = diesel::delete(
        saved_queues::table
            .filter(saved_queues::id.eq(id))
            .filter(saved_queues::moderator_id.eq(moderator_id)),
    )
    .execute(conn)?;
    Ok(n > 0)
}
