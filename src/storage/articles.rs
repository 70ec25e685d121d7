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

/// Articles of these sites (`None`: all) whose title or id contains `text`
/// (ignoring case), most recently changed first, with their site's name
/// and default policy.
pub fn search(
    conn: &mut DbConn,
    site_ids: Option<&[i64]>,
    text: Option<&str>,
    limit: i64,
) -> StorageResult<Vec<(ArticleRow, String, String)>> {
    use super::schema::sites;
    let mut query = articles::table
        .inner_join(sites::table)
        .select((articles::all_columns, sites::name, sites::default_policy))
        .into_boxed();
    if let Some(ids) = site_ids {
        query = query.filter(articles::site_id.eq_any(ids.to_vec()));
    }
    if let Some(text) = text {
        let pattern = super::comments::contains_pattern(text);
        query = query.filter(
            super::comments::lower(articles::title)
                .like(pattern.clone())
                .escape('\\')
                .or(super::comments::lower(articles::external_id)
                    .like(pattern)
                    .escape('\\')),
        );
    }
    Ok(query
        .order((articles::updated_at.desc(), articles::id.desc()))
        .limit(limit)
        .load(conn)?)
}

/// Pending comments per article, for these articles.
pub fn pending_counts(conn: &mut DbConn, ids: &[i64]) -> StorageResult<Vec<(i64, i64)>> {
    use super::schema::comments;
    Ok(comments::table
        .filter(comments::article_id.eq_any(ids.to_vec()))
        .filter(comments::status.eq("pending"))
        .group_by(comments::article_id)
        .select((comments::article_id, diesel::dsl::count_star()))
        .load(conn)?)
}
