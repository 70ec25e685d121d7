//! Where imported comments came from: their ids in the source system, and
//! the parents not yet linked.

use diesel::prelude::*;

use super::schema::{comments, imported_comments};
use super::{DbConn, StorageResult};

#[derive(Debug, Insertable)]
#[diesel(table_name = imported_comments)]
pub struct NewImported<'a> {
    pub site_id: i64,
    pub source: &'a str,
    pub source_id: &'a str,
    pub comment_id: i64,
    pub unlinked_parent: Option<&'a str>,
}

pub fn insert(conn: &mut DbConn, new: &NewImported<'_>) -> StorageResult<()> {
    diesel::insert_into(imported_comments::table)
        .values(new)
        .execute(conn)?;
    Ok(())
}

/// The comment imported from `source_id`, if it was.
pub fn find(
    conn: &mut DbConn,
    site_id: i64,
    source: &str,
    source_id: &str,
) -> StorageResult<Option<i64>> {
    Ok(imported_comments::table
        .find((site_id, source, source_id))
        .select(imported_comments::comment_id)
        .first(conn)
        .optional()?)
}

/// A reply whose parent was not imported when it was.
#[derive(Debug, Clone, Queryable)]
pub struct Unlinked {
    pub source_id: String,
    pub comment_id: i64,
    pub parent: Option<String>,
}

/// Replies still waiting for their parent, in source id order after
/// `after`.
pub fn unlinked(
    conn: &mut DbConn,
    site_id: i64,
    source: &str,
    after: &str,
    limit: i64,
) -> StorageResult<Vec<Unlinked>> {
    Ok(imported_comments::table
        .filter(imported_comments::site_id.eq(site_id))
        .filter(imported_comments::source.eq(source))
        .filter(imported_comments::unlinked_parent.is_not_null())
        .filter(imported_comments::source_id.gt(after))
        .order(imported_comments::source_id)
        .limit(limit)
        .select((
            imported_comments::source_id,
            imported_comments::comment_id,
            imported_comments::unlinked_parent,
        ))
        .load(conn)?)
}

/// Links a reply to its parent comment.
pub fn link(
    conn: &mut DbConn,
    site_id: i64,
    source: &str,
    reply: &Unlinked,
    parent_comment: i64,
) -> StorageResult<()> {
    diesel::update(comments::table.find(reply.comment_id))
        .set(comments::parent_id.eq(Some(parent_comment)))
        .execute(conn)?;
    diesel::update(imported_comments::table.find((site_id, source, reply.source_id.as_str())))
        .set(imported_comments::unlinked_parent.eq(None::<String>))
        .execute(conn)?;
    Ok(())
}
