//! Classifier models fitted to a site's decisions.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::schema::classifier_models;
use super::{DbConn, StorageResult};

#[derive(Debug, Clone, Queryable)]
pub struct ModelRow {
    pub id: i64,
    pub site_id: i64,
    pub attribute: String,
    pub version: i32,
    pub weights: Vec<u8>,
    pub metrics: String,
    pub decisions: i32,
    pub active: bool,
    pub created_at: NaiveDateTime,
}

/// A model without its weights, for listings.
#[derive(Debug, Clone, Queryable)]
pub struct ModelSummaryRow {
    pub id: i64,
    pub attribute: String,
    pub version: i32,
    pub metrics: String,
    pub decisions: i32,
    pub active: bool,
    pub created_at: NaiveDateTime,
}

#[derive(Debug, Insertable)]
#[diesel(table_name = classifier_models)]
pub struct NewModel<'a> {
    pub id: i64,
    pub site_id: i64,
    pub attribute: &'a str,
    pub version: i32,
    pub weights: &'a [u8],
    pub metrics: &'a str,
    pub decisions: i32,
    pub active: bool,
    pub created_at: NaiveDateTime,
}

/// Stores a model; an active one replaces the site's active model for
/// the attribute.
pub fn insert(conn: &mut DbConn, model: &NewModel<'_>) -> StorageResult<()> {
    if model.active {
        diesel::update(
            classifier_models::table
                .filter(classifier_models::site_id.eq(model.site_id))
                .filter(classifier_models::attribute.eq(model.attribute))
                .filter(classifier_models::active.eq(true)),
        )
        .set(classifier_models::active.eq(false))
        .execute(conn)?;
    }
    diesel::insert_into(classifier_models::table)
        .values(model)
        .execute(conn)?;
    Ok(())
}

/// Every site's active models.
pub fn active(conn: &mut DbConn) -> StorageResult<Vec<ModelRow>> {
    Ok(classifier_models::table
        .filter(classifier_models::active.eq(true))
        .load(conn)?)
}

/// Changes whenever a model is stored.
pub fn revision(conn: &mut DbConn) -> StorageResult<(i64, i64)> {
    let (count, max): (i64, Option<i64>) = classifier_models::table
        .select((
            diesel::dsl::count_star(),
            diesel::dsl::max(classifier_models::id),
        ))
        .first(conn)?;
    Ok((count, max.unwrap_or(0)))
}

/// The site's models for an attribute, newest first, without weights.
pub fn history(
    conn: &mut DbConn,
    site_id: i64,
    attribute: &str,
    limit: i64,
) -> StorageResult<Vec<ModelSummaryRow>> {
    Ok(classifier_models::table
        .filter(classifier_models::site_id.eq(site_id))
        .filter(classifier_models::attribute.eq(attribute))
        .select((
            classifier_models::id,
            classifier_models::attribute,
            classifier_models::version,
            classifier_models::metrics,
            classifier_models::decisions,
            classifier_models::active,
            classifier_models::created_at,
        ))
        .order(classifier_models::version.desc())
        .limit(limit)
        .load(conn)?)
}
