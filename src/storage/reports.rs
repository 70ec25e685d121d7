//! Readers' reports on comments, and the comments' place in the Reported
//! queue.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::kept_update;
use super::schema::{comment_reports, comments};
use super::{DbConn, StorageResult};

#[derive(Debug, Clone, Queryable)]
pub struct ReportRow {
    pub id: i64,
    pub site_id: i64,
    pub comment_id: i64,
    pub reporter: String,
    pub reporter_ip: Option<String>,
    pub reason: String,
    pub note: Option<String>,
    /// `open`, `dismissed`, `upheld` or `void`.
    pub status: String,
    pub counted: bool,
    pub created_at: NaiveDateTime,
    pub resolved_at: Option<NaiveDateTime>,
    pub resolved_by: Option<i64>,
}

#[derive(Debug, Insertable)]
#[diesel(table_name = comment_reports)]
pub struct NewReport<'a> {
    pub id: i64,
    pub site_id: i64,
    pub comment_id: i64,
    pub reporter: &'a str,
    pub reporter_ip: Option<&'a str>,
    pub reason: &'a str,
    pub note: Option<&'a str>,
    pub status: &'a str,
    pub counted: bool,
    pub created_at: NaiveDateTime,
}

/// Stores a report; an open one counts on its comment.
pub fn insert(conn: &mut DbConn, report: &NewReport<'_>) -> StorageResult<()> {
    diesel::insert_into(comment_reports::table)
        .values(report)
        .execute(conn)?;
    if report.status == "open" {
        kept_update(
            comments::table,
            comments::id.eq(report.comment_id),
            comments::open_reports.eq(comments::open_reports + 1),
        )
        .execute(conn)?;
    }
    Ok(())
}

/// The reporter's latest report on the comment.
pub fn latest_by(
    conn: &mut DbConn,
    comment_id: i64,
    reporter: &str,
) -> StorageResult<Option<ReportRow>> {
    Ok(comment_reports::table
        .filter(comment_reports::comment_id.eq(comment_id))
        .filter(comment_reports::reporter.eq(reporter))
        .order(comment_reports::id.desc())
        .first(conn)
        .optional()?)
}

/// Open reports on the comment that count toward the threshold.
pub fn count_counted_open(conn: &mut DbConn, comment_id: i64) -> StorageResult<i64> {
    Ok(comment_reports::table
        .filter(comment_reports::comment_id.eq(comment_id))
        .filter(comment_reports::status.eq("open"))
        .filter(comment_reports::counted.eq(true))
        .count()
        .get_result(conn)?)
}

/// How many of the reporter's reports on the site were dismissed and how
/// many upheld.
pub fn reporter_record(
    conn: &mut DbConn,
    site_id: i64,
    reporter: &str,
) -> StorageResult<(i64, i64)> {
    let count = |conn: &mut DbConn, status: &str| -> StorageResult<i64> {
        Ok(comment_reports::table
            .filter(comment_reports::site_id.eq(site_id))
            .filter(comment_reports::reporter.eq(reporter))
            .filter(comment_reports::status.eq(status))
            .count()
            .get_result(conn)?)
    };
    Ok((count(conn, "dismissed")?, count(conn, "upheld")?))
}

/// Marks every open report on the comment `status` (dismissed or upheld);
/// returns how many there were.
pub fn resolve_open(
    conn: &mut DbConn,
    comment_id: i64,
    status: &str,
    moderator_id: Option<i64>,
    now: NaiveDateTime,
) -> StorageResult<usize> {
    let resolved = kept_update(
        comment_reports::table,
        comment_reports::comment_id
            .eq(comment_id)
            .and(comment_reports::status.eq("open")),
        (
            comment_reports::status.eq(status),
            comment_reports::resolved_at.eq(Some(now)),
            comment_reports::resolved_by.eq(moderator_id),
        ),
    )
    .execute(conn)?;
    if resolved > 0 {
        kept_update(
            comments::table,
            comments::id.eq(comment_id),
            comments::open_reports.eq(0),
        )
        .execute(conn)?;
    }
    Ok(resolved)
}

/// The open reports on these comments, oldest first.
pub fn open_for(conn: &mut DbConn, comment_ids: &[i64]) -> StorageResult<Vec<ReportRow>> {
    Ok(comment_reports::table
        .filter(comment_reports::comment_id.eq_any(comment_ids))
        .filter(comment_reports::status.eq("open"))
        .order((comment_reports::comment_id, comment_reports::id))
        .load(conn)?)
}

/// Puts the comment in the Reported queue (`Some`) or takes it out
/// (`None`), hidden from readers or not.
pub fn set_reported(
    conn: &mut DbConn,
    comment_id: i64,
    reported_at: Option<NaiveDateTime>,
    hidden: bool,
) -> StorageResult<()> {
    kept_update(
        comments::table,
        comments::id.eq(comment_id),
        (
            comments::reported_at.eq(reported_at),
            comments::hidden.eq(hidden),
            comments::version.eq(comments::version + 1),
        ),
    )
    .execute(conn)?;
    Ok(())
}

/// Every report on a comment, oldest first.
pub fn all_for(conn: &mut DbConn, comment_id: i64) -> StorageResult<Vec<ReportRow>> {
    Ok(comment_reports::table
        .filter(comment_reports::comment_id.eq(comment_id))
        .order(comment_reports::id)
        .load(conn)?)
}
