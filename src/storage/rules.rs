use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::schema::{rule_versions, rules};
use super::{DbConn, StorageResult};

#[derive(Debug, Clone, Queryable)]
pub struct RuleRow {
    pub id: i64,
    pub site_id: Option<i64>,
    pub article_external_id: Option<String>,
    pub version: i32,
    pub definition: String,
    pub deleted: bool,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

#[derive(Debug, Insertable)]
#[diesel(table_name = rules)]
pub struct NewRule<'a> {
    pub id: i64,
    pub site_id: Option<i64>,
    pub article_external_id: Option<&'a str>,
    pub version: i32,
    pub definition: &'a str,
    pub deleted: bool,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

#[derive(Debug, AsChangeset)]
#[diesel(table_name = rules)]
pub struct RuleChanges<'a> {
    pub article_external_id: Option<Option<&'a str>>,
    pub version: i32,
    pub definition: &'a str,
    pub deleted: bool,
    pub updated_at: NaiveDateTime,
}

#[derive(Debug, Clone, Queryable)]
pub struct RuleVersionRow {
    pub id: i64,
    pub rule_id: i64,
    pub version: i32,
    pub definition: String,
    pub deleted: bool,
    pub changed_by: String,
    pub created_at: NaiveDateTime,
}

#[derive(Debug, Insertable)]
#[diesel(table_name = rule_versions)]
pub struct NewRuleVersion<'a> {
    pub rule_id: i64,
    pub version: i32,
    pub definition: &'a str,
    pub deleted: bool,
    pub changed_by: &'a str,
    pub created_at: NaiveDateTime,
}

pub fn insert(conn: &mut DbConn, rule: &NewRule<'_>) -> StorageResult<()> {
    diesel::insert_into(rules::table)
        .values(rule)
        .execute(conn)?;
    Ok(())
}

/// Moves a rule to `changes.version`, only if it is still at `from_version`.
pub fn update(
    conn: &mut DbConn,
    id: i64,
    from_version: i32,
    changes: &RuleChanges<'_>,
) -> StorageResult<bool> {
    let n = diesel::update(
        rules::table
            .filter(rules::id.eq(id))
            .filter(rules::version.eq(from_version)),
    )
    .set(changes)
    .execute(conn)?;
    Ok(n == 1)
}

pub fn append_version(conn: &mut DbConn, version: &NewRuleVersion<'_>) -> StorageResult<()> {
    diesel::insert_into(rule_versions::table)
        .values(version)
        .execute(conn)?;
    Ok(())
}

pub fn find(conn: &mut DbConn, id: i64) -> StorageResult<Option<RuleRow>> {
    Ok(rules::table
        .find(id)
        .filter(rules::deleted.eq(false))
        .first(conn)
        .optional()?)
}

/// Live rules: of the given sites plus global ones, or all when `None`.
pub fn list(conn: &mut DbConn, site_ids: Option<&[i64]>) -> StorageResult<Vec<RuleRow>> {
    let mut query = rules::table.filter(rules::deleted.eq(false)).into_boxed();
    if let Some(ids) = site_ids {
        query = query.filter(
            rules::site_id
                .is_null()
                .or(rules::site_id.eq_any(ids.to_vec())),
        );
    }
    Ok(query.order(rules::id.asc()).load(conn)?)
}

pub fn versions(conn: &mut DbConn, rule_id: i64) -> StorageResult<Vec<RuleVersionRow>> {
    Ok(rule_versions::table
        .filter(rule_versions::rule_id.eq(rule_id))
        .order(rule_versions::version.asc())
        .load(conn)?)
}

/// Grows with every saved change to any rule; instances poll it to notice
/// edits made elsewhere.
pub fn revision(conn: &mut DbConn) -> StorageResult<i64> {
    let max: Option<i64> = rule_versions::table
        .select(diesel::dsl::max(rule_versions::id))
        .first(conn)?;
    Ok(max.unwrap_or(0))
}

/// The scopes (`None` for global) of rules saved after `revision`.
pub fn scopes_changed_since(conn: &mut DbConn, revision: i64) -> StorageResult<Vec<Option<i64>>> {
    Ok(rule_versions::table
        .inner_join(rules::table)
        .filter(rule_versions::id.gt(revision))
        .select(rules::site_id)
        .distinct()
        .load(conn)?)
}
