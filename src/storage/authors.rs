use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::kept_update;
use super::schema::{author_notes, authors, moderators};
use super::{DbConn, StorageResult};

#[derive(Debug, Clone, Queryable)]
pub struct AuthorRow {
    pub id: i64,
    pub site_id: i64,
    pub external_id: String,
    pub display_name: String,
    pub email: Option<String>,
    pub approved_count: i32,
    pub rejected_count: i32,
    pub created_at: NaiveDateTime,
}

#[derive(Debug, Insertable)]
#[diesel(table_name = authors)]
pub struct NewAuthor<'a> {
    pub id: i64,
    pub site_id: i64,
    pub external_id: &'a str,
    pub display_name: &'a str,
    pub email: Option<&'a str>,
    pub approved_count: i32,
    pub rejected_count: i32,
    pub created_at: NaiveDateTime,
}

pub fn insert(conn: &mut DbConn, author: &NewAuthor<'_>) -> StorageResult<()> {
    diesel::insert_into(authors::table)
        .values(author)
        .execute(conn)?;
    Ok(())
}

pub fn find_by_external(
    conn: &mut DbConn,
    site_id: i64,
    external_id: &str,
) -> StorageResult<Option<AuthorRow>> {
    Ok(authors::table
        .filter(authors::site_id.eq(site_id))
        .filter(authors::external_id.eq(external_id))
        .first(conn)
        .optional()?)
}

pub fn find(conn: &mut DbConn, id: i64) -> StorageResult<Option<AuthorRow>> {
    Ok(authors::table.find(id).first(conn).optional()?)
}

pub fn find_many(conn: &mut DbConn, ids: &[i64]) -> StorageResult<Vec<AuthorRow>> {
    Ok(authors::table.filter(authors::id.eq_any(ids)).load(conn)?)
}

pub fn update_profile(
    conn: &mut DbConn,
    id: i64,
    display_name: &str,
    email: Option<&str>,
) -> StorageResult<()> {
    kept_update(
        authors::table,
        authors::id.eq(id),
        (
            authors::display_name.eq(display_name),
            authors::email.eq(email),
        ),
    )
    .execute(conn)?;
    Ok(())
}

/// Adds to the author's decision counts; deltas may be negative on reopen.
pub fn adjust_counts(
    conn: &mut DbConn,
    id: i64,
    approved: i32,
    rejected: i32,
) -> StorageResult<()> {
    if approved == 0 && rejected == 0 {
        return Ok(());
    }
    kept_update(
        authors::table,
        authors::id.eq(id),
        (
            authors::approved_count.eq(authors::approved_count + approved),
            authors::rejected_count.eq(authors::rejected_count + rejected),
        ),
    )
    .execute(conn)?;
    Ok(())
}

/// A private note about an author, with who wrote it.
#[derive(Debug, Clone, Queryable)]
pub struct AuthorNoteRow {
    pub id: i64,
    pub note: String,
    pub created_at: NaiveDateTime,
    pub moderator_email: String,
}

pub fn add_note(
    conn: &mut DbConn,
    id: i64,
    author_id: i64,
    moderator_id: i64,
    note: &str,
    at: NaiveDateTime,
) -> StorageResult<()> {
    diesel::insert_into(author_notes::table)
        .values((
            author_notes::id.eq(id),
            author_notes::author_id.eq(author_id),
            author_notes::moderator_id.eq(moderator_id),
            author_notes::note.eq(note),
            author_notes::created_at.eq(at),
        ))
        .execute(conn)?;
    Ok(())
}

/// Notes about an author, newest first.
pub fn notes(conn: &mut DbConn, author_id: i64) -> StorageResult<Vec<AuthorNoteRow>> {
    Ok(author_notes::table
        .inner_join(moderators::table)
        .filter(author_notes::author_id.eq(author_id))
        .order(author_notes::id.desc())
        .select((
            author_notes::id,
            author_notes::note,
            author_notes::created_at,
            moderators::email,
        ))
        .load(conn)?)
}
