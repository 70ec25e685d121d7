//! Leases on pending comments: who is reviewing which, until when.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::schema::{leases, moderators};
use super::{DbConn, StorageResult};

/// A live lease with the holder's email.
#[derive(Debug, Clone, Queryable)]
pub struct LeaseRow {
    pub comment_id: i64,
    pub moderator_id: i64,
    pub expires_at: NaiveDateTime,
    pub moderator_email: String,
}

/// The live lease on a comment, if any.
pub fn find_live(
    conn: &mut DbConn,
    comment_id: i64,
    now: NaiveDateTime,
) -> StorageResult<Option<LeaseRow>> {
    Ok(live(now)
        .filter(leases::comment_id.eq(comment_id))
        .first(conn)
        .optional()?)
}

/// Live leases on any of `comment_ids`.
pub fn live_for(
    conn: &mut DbConn,
    comment_ids: &[i64],
    now: NaiveDateTime,
) -> StorageResult<Vec<LeaseRow>> {
    Ok(live(now)
        .filter(leases::comment_id.eq_any(comment_ids.to_vec()))
        .load(conn)?)
}

type LiveLeases = diesel::dsl::Select<
    diesel::dsl::Filter<
        diesel::dsl::InnerJoin<leases::table, moderators::table>,
        diesel::dsl::Gt<leases::expires_at, NaiveDateTime>,
    >,
    (
        leases::comment_id,
        leases::moderator_id,
        leases::expires_at,
        moderators::email,
    ),
>;

fn live(now: NaiveDateTime) -> LiveLeases {
    leases::table
        .inner_join(moderators::table)
        .filter(leases::expires_at.gt(now))
        .select((
            leases::comment_id,
            leases::moderator_id,
            leases::expires_at,
            moderators::email,
        ))
}

/// Gives the comment's lease to `moderator_id` until `until`, replacing
/// any earlier lease. The caller has checked that no one else holds it.
pub fn put(
    conn: &mut DbConn,
    comment_id: i64,
    moderator_id: i64,
    until: NaiveDateTime,
) -> StorageResult<()> {
    release(conn, comment_id)?;
    diesel::insert_into(leases::table)
        .values((
            leases::comment_id.eq(comment_id),
            leases::moderator_id.eq(moderator_id),
            leases::expires_at.eq(until),
        ))
        .execute(conn)?;
    Ok(())
}

pub fn release(conn: &mut DbConn, comment_id: i64) -> StorageResult<()> {
    diesel::delete(leases::table.filter(leases::comment_id.eq(comment_id))).execute(conn)?;
    Ok(())
}

/// Releases `comment_id` only if `moderator_id` holds it.
pub fn release_own(conn: &mut DbConn, comment_id: i64, moderator_id: i64) -> StorageResult<bool> {
    let n = diesel::delete(
        leases::table
            .filter(leases::comment_id.eq(comment_id))
            .filter(leases::moderator_id.eq(moderator_id)),
    )
    .execute(conn)?;
    Ok(n > 0)
}

pub fn delete_expired(conn: &mut DbConn, now: NaiveDateTime) -> StorageResult<usize> {
    Ok(diesel::delete(leases::table.filter(leases::expires_at.le(now))).execute(conn)?)
}
