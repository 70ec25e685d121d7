//! Moderator web sessions and failed-login records.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::moderators::ModeratorRow;
use super::schema::{login_failures, moderators, sessions};
use super::{DbConn, StorageResult};

#[derive(Debug, Insertable)]
#[diesel(table_name = sessions)]
pub struct NewSession<'a> {
    pub token_hash: &'a str,
    pub moderator_id: i64,
    pub csrf_token: &'a str,
    pub created_at: NaiveDateTime,
    pub expires_at: NaiveDateTime,
}

#[derive(Debug, Clone, Queryable)]
pub struct SessionRow {
    pub token_hash: String,
    pub moderator_id: i64,
    pub csrf_token: String,
    pub created_at: NaiveDateTime,
    pub expires_at: NaiveDateTime,
}

#[derive(Debug, Insertable)]
#[diesel(table_name = login_failures)]
pub struct NewLoginFailure<'a> {
    pub id: i64,
    pub email: &'a str,
    pub ip: &'a str,
    pub created_at: NaiveDateTime,
}

pub fn insert(conn: &mut DbConn, session: &NewSession<'_>) -> StorageResult<()> {
    diesel::insert_into(sessions::table)
        .values(session)
        .execute(conn)?;
    Ok(())
}

/// A live session with its moderator.
pub fn find_live(
    conn: &mut DbConn,
    token_hash: &str,
    now: NaiveDateTime,
) -> StorageResult<Option<(SessionRow, ModeratorRow)>> {
    Ok(sessions::table
        .inner_join(moderators::table)
        .filter(sessions::token_hash.eq(token_hash))
        .filter(sessions::expires_at.gt(now))
        .filter(moderators::active.eq(true))
        .select((sessions::all_columns, moderators::all_columns))
        .first(conn)
        .optional()?)
}

pub fn delete(conn: &mut DbConn, token_hash: &str) -> StorageResult<()> {
    diesel::delete(sessions::table.filter(sessions::token_hash.eq(token_hash))).execute(conn)?;
    Ok(())
}

/// Ends every session of a moderator but `keep` (after a password change).
pub fn delete_others(conn: &mut DbConn, moderator_id: i64, keep: &str) -> StorageResult<()> {
    diesel::delete(
        sessions::table
            .filter(sessions::moderator_id.eq(moderator_id))
            .filter(sessions::token_hash.ne(keep)),
    )
    .execute(conn)?;
    Ok(())
}

pub fn delete_expired(conn: &mut DbConn, now: NaiveDateTime) -> StorageResult<usize> {
    Ok(diesel::delete(sessions::table.filter(sessions::expires_at.le(now))).execute(conn)?)
}

pub fn record_failure(conn: &mut DbConn, failure: &NewLoginFailure<'_>) -> StorageResult<()> {
    diesel::insert_into(login_failures::table)
        .values(failure)
        .execute(conn)?;
    Ok(())
}

/// Failed logins since id `since` (a time-ordered id floor) for this account
/// and for this address.
pub fn recent_failures(
    conn: &mut DbConn,
    email: &str,
    ip: &str,
    since: i64,
) -> StorageResult<(i64, i64)> {
    let by_account = login_failures::table
        .filter(login_failures::email.eq(email))
        .filter(login_failures::id.ge(since))
        .count()
        .get_result(conn)?;
    let by_address = login_failures::table
        .filter(login_failures::ip.eq(ip))
        .filter(login_failures::id.ge(since))
        .count()
        .get_result(conn)?;
    Ok((by_account, by_address))
}

pub fn delete_failures_before(conn: &mut DbConn, before: i64) -> StorageResult<usize> {
    Ok(
        diesel::delete(login_failures::table.filter(login_failures::id.lt(before)))
            .execute(conn)?,
    )
}

/// Ends every session of a moderator.
pub fn delete_all_for(conn: &mut DbConn, moderator_id: i64) -> StorageResult<()> {
    diesel::delete(sessions::table.filter(sessions::moderator_id.eq(moderator_id)))
        .execute(conn)?;
    Ok(())
}
