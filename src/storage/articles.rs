use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::schema::articles;
use super::{DbConn, StorageResult};

#[derive(Debug, Clone, Queryable)]
pub struct ArticleRow {
    pub id: i64,
    pub site_id: i64,
    pub external_id: String,
    pub url: String,
    pub title: String,
    pub policy: Option<String>,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

#[derive(Debug, Insertable)]
#[diesel(table_name = articles)]
pub struct NewArticle<'a> {
    pub id: i64,
    pub site_id: i64,
    pub external_id: &'a str,
    pub url: &'a str,
    pub title: &'a str,
    pub policy: Option<&'a str>,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

/// A partial update; `policy: Some(None)` clears the override so the article
/// follows the site default again.
#[derive(Debug, AsChangeset)]
#[diesel(table_name = articles)]
pub struct ArticleChanges<'a> {
    pub url: Option<&'a str>,
    pub title: Option<&'a str>,
    pub policy: Option<Option<&'a str>>,
    pub updated_at: NaiveDateTime,
}

pub fn insert(conn: &mut DbConn, article: &NewArticle<'_>) -> StorageResult<()> {
    diesel::insert_into(articles::table)
        .values(article)
        .execute(conn)?;
    Ok(())
}

pub fn find_by_external(
    conn: &mut DbConn,
    site_id: i64,
    external_id: &str,
) -> StorageResult<Option<ArticleRow>> {
    Ok(articles::table
        .filter(articles::site_id.eq(site_id))
        .filter(articles::external_id.eq(external_id))
        .first(conn)
        .optional()?)
}

pub fn find_many(conn: &mut DbConn, ids: &[i64]) -> StorageResult<Vec<ArticleRow>> {
    Ok(articles::table
        .filter(articles::id.eq_any(ids))
        .load(conn)?)
}

pub fn find(conn: &mut DbConn, id: i64) -> StorageResult<Option<ArticleRow>> {
    Ok(articles::table.find(id).first(conn).optional()?)
}

pub fn update(conn: &mut DbConn, id: i64, changes: &ArticleChanges<'_>) -> StorageResult<()> {
    diesel::update(articles::table.find(id))
        .set(changes)
        .execute(conn)?;
    Ok(())
}
