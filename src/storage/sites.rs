use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::schema::sites;
use super::{DbConn, StorageResult};

#[derive(Debug, Clone, Queryable)]
pub struct SiteRow {
    pub id: i64,
    pub name: String,
    pub api_key_hash: String,
    pub default_policy: String,
    pub guidelines: String,
    pub new_author_hold: i32,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
    /// Classifier settings as JSON; empty for the defaults.
    pub classifier: String,
    /// Edit, report and thread settings as JSON; empty for the defaults.
    pub published: String,
}

#[derive(Debug, Insertable)]
#[diesel(table_name = sites)]
pub struct NewSite<'a> {
    pub id: i64,
    pub name: &'a str,
    pub api_key_hash: &'a str,
    pub default_policy: &'a str,
    pub guidelines: &'a str,
    pub new_author_hold: i32,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

#[derive(Debug, AsChangeset)]
#[diesel(table_name = sites)]
pub struct SiteChanges<'a> {
    pub default_policy: Option<&'a str>,
    pub guidelines: Option<&'a str>,
    pub new_author_hold: Option<i32>,
    pub classifier: Option<&'a str>,
    pub published: Option<&'a str>,
    pub updated_at: NaiveDateTime,
}

pub fn insert(conn: &mut DbConn, site: &NewSite<'_>) -> StorageResult<()> {
    diesel::insert_into(sites::table)
        .values(site)
        .execute(conn)?;
    Ok(())
}

pub fn find(conn: &mut DbConn, id: i64) -> StorageResult<Option<SiteRow>> {
    Ok(on_backend!(conn, |c| sites::table
        .find(id)
        .first(c)
        .optional())?)
}

pub fn find_by_name(conn: &mut DbConn, name: &str) -> StorageResult<Option<SiteRow>> {
    Ok(sites::table
        .filter(sites::name.eq(name))
        .first(conn)
        .optional()?)
}

pub fn find_by_key_hash(conn: &mut DbConn, hash: &str) -> StorageResult<Option<SiteRow>> {
    Ok(sites::table
        .filter(sites::api_key_hash.eq(hash))
        .first(conn)
        .optional()?)
}

pub fn find_many(conn: &mut DbConn, ids: &[i64]) -> StorageResult<Vec<SiteRow>> {
    Ok(sites::table.filter(sites::id.eq_any(ids)).load(conn)?)
}

pub fn count(conn: &mut DbConn) -> StorageResult<i64> {
    Ok(sites::table.count().get_result(conn)?)
}

pub fn update(conn: &mut DbConn, id: i64, changes: &SiteChanges<'_>) -> StorageResult<()> {
    diesel::update(sites::table.find(id))
        .set(changes)
        .execute(conn)?;
    Ok(())
}

pub fn set_key_hash(
    conn: &mut DbConn,
    id: i64,
    hash: &str,
    at: NaiveDateTime,
) -> StorageResult<()> {
    diesel::update(sites::table.find(id))
        .set((sites::api_key_hash.eq(hash), sites::updated_at.eq(at)))
        .execute(conn)?;
    Ok(())
}

/// Ids and names of these sites (`None`: all), by name.
pub fn names(conn: &mut DbConn, ids: Option<&[i64]>) -> StorageResult<Vec<(i64, String)>> {
    let mut query = sites::table.select((sites::id, sites::name)).into_boxed();
    if let Some(ids) = ids {
        query = query.filter(sites::id.eq_any(ids.to_vec()));
    }
    Ok(query.order(sites::name.asc()).load(conn)?)
}

pub fn all_ids(conn: &mut DbConn) -> StorageResult<Vec<i64>> {
    Ok(sites::table.select(sites::id).load(conn)?)
}
