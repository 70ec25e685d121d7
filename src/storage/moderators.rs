use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::schema::{api_tokens, moderator_sites, moderators};
use super::{DbConn, StorageResult};

#[derive(Debug, Clone, Queryable)]
pub struct ModeratorRow {
    pub id: i64,
    pub email: String,
    pub password_hash: String,
    pub role: String,
    pub created_at: NaiveDateTime,
    pub active: bool,
}

#[derive(Debug, Insertable)]
#[diesel(table_name = moderators)]
pub struct NewModerator<'a> {
    pub id: i64,
    pub email: &'a str,
    pub password_hash: &'a str,
    pub role: &'a str,
    pub created_at: NaiveDateTime,
}

#[derive(Debug, Insertable)]
#[diesel(table_name = api_tokens)]
pub struct NewToken<'a> {
    pub id: i64,
    pub moderator_id: i64,
    pub token_hash: &'a str,
    pub created_at: NaiveDateTime,
}

pub fn insert(conn: &mut DbConn, moderator: &NewModerator<'_>) -> StorageResult<()> {
    diesel::insert_into(moderators::table)
        .values(moderator)
        .execute(conn)?;
    Ok(())
}

pub fn count(conn: &mut DbConn) -> StorageResult<i64> {
    Ok(moderators::table.count().get_result(conn)?)
}

pub fn find(conn: &mut DbConn, id: i64) -> StorageResult<Option<ModeratorRow>> {
    Ok(moderators::table.find(id).first(conn).optional()?)
}

pub fn find_many(conn: &mut DbConn, ids: &[i64]) -> StorageResult<Vec<ModeratorRow>> {
    Ok(moderators::table
        .filter(moderators::id.eq_any(ids))
        .load(conn)?)
}

pub fn find_by_email(conn: &mut DbConn, email: &str) -> StorageResult<Option<ModeratorRow>> {
    Ok(moderators::table
        .filter(moderators::email.eq(email))
        .first(conn)
        .optional()?)
}

pub fn set_password_hash(conn: &mut DbConn, id: i64, hash: &str) -> StorageResult<()> {
    diesel::update(moderators::table.find(id))
        .set(moderators::password_hash.eq(hash))
        .execute(conn)?;
    Ok(())
}

pub fn assign_site(conn: &mut DbConn, moderator_id: i64, site_id: i64) -> StorageResult<()> {
    diesel::insert_into(moderator_sites::table)
        .values((
            moderator_sites::moderator_id.eq(moderator_id),
            moderator_sites::site_id.eq(site_id),
        ))
        .execute(conn)?;
    Ok(())
}

pub fn site_ids(conn: &mut DbConn, moderator_id: i64) -> StorageResult<Vec<i64>> {
    Ok(moderator_sites::table
        .filter(moderator_sites::moderator_id.eq(moderator_id))
        .select(moderator_sites::site_id)
        .load(conn)?)
}

pub fn insert_token(conn: &mut DbConn, token: &NewToken<'_>) -> StorageResult<()> {
    diesel::insert_into(api_tokens::table)
        .values(token)
        .execute(conn)?;
    Ok(())
}

/// The active moderator a token belongs to.
pub fn find_by_token_hash(conn: &mut DbConn, hash: &str) -> StorageResult<Option<ModeratorRow>> {
    Ok(api_tokens::table
        .inner_join(moderators::table)
        .filter(api_tokens::token_hash.eq(hash))
        .filter(moderators::active.eq(true))
        .select(moderators::all_columns)
        .first(conn)
        .optional()?)
}

pub fn all(conn: &mut DbConn) -> StorageResult<Vec<ModeratorRow>> {
    Ok(moderators::table
        .order(moderators::email.asc())
        .load(conn)?)
}

pub fn set_role_and_active(
    conn: &mut DbConn,
    id: i64,
    role: &str,
    active: bool,
) -> StorageResult<()> {
    diesel::update(moderators::table.find(id))
        .set((moderators::role.eq(role), moderators::active.eq(active)))
        .execute(conn)?;
    Ok(())
}

/// Replaces a moderator's sites.
pub fn set_sites(conn: &mut DbConn, moderator_id: i64, site_ids: &[i64]) -> StorageResult<()> {
    diesel::delete(moderator_sites::table.filter(moderator_sites::moderator_id.eq(moderator_id)))
        .execute(conn)?;
    for site_id in site_ids {
        assign_site(conn, moderator_id, *site_id)?;
    }
    Ok(())
}

/// Every moderator's sites, as (moderator, site) pairs.
pub fn all_assignments(conn: &mut DbConn) -> StorageResult<Vec<(i64, i64)>> {
    Ok(moderator_sites::table
        .select((moderator_sites::moderator_id, moderator_sites::site_id))
        .load(conn)?)
}

/// Every token as (moderator, token id, made at), oldest first.
pub fn all_tokens(conn: &mut DbConn) -> StorageResult<Vec<(i64, i64, NaiveDateTime)>> {
    Ok(api_tokens::table
        .order(api_tokens::id.asc())
        .select((
            api_tokens::moderator_id,
            api_tokens::id,
            api_tokens::created_at,
        ))
        .load(conn)?)
}

/// Deletes one of a moderator's tokens; `false` if there was none.
pub fn delete_token(conn: &mut DbConn, moderator_id: i64, token_id: i64) -> StorageResult<bool> {
    let n = diesel::delete(
        api_tokens::table
            .filter(api_tokens::id.eq(token_id))
            .filter(api_tokens::moderator_id.eq(moderator_id)),
    )
    .execute(conn)?;
    Ok(n > 0)
}
