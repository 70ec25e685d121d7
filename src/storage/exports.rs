//! Reads for exports: rows in id order after a cursor, a chunk at a time,
//! and the labels (sites, articles, authors, moderators) a chunk refers to.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::audit::AuditRow;
use super::comments::CommentRow;
use super::schema::{articles, audit_log, authors, comment_reasons, comments, moderators};
use super::{DbConn, StorageResult};

/// Which rows a chunk holds: ids after `after`, oldest first.
#[derive(Debug, Clone, Default)]
pub struct ExportWindow {
    /// `None`: every site.
    pub site_ids: Option<Vec<i64>>,
    pub from: Option<NaiveDateTime>,
    pub until: Option<NaiveDateTime>,
    /// Audit entries by this actor (`moderator:EMAIL`) only.
    pub actor: Option<String>,
    pub after: i64,
    pub limit: i64,
}

/// Comments created in the window.
pub fn comments(conn: &mut DbConn, w: &ExportWindow) -> StorageResult<Vec<CommentRow>> {
    let mut query = comments::table
        .filter(comments::id.gt(w.after))
        .into_boxed();
    if let Some(ids) = &w.site_ids {
        query = query.filter(comments::site_id.eq_any(ids.clone()));
    }
    if let Some(from) = w.from {
        query = query.filter(comments::created_at.ge(from));
    }
    if let Some(until) = w.until {
        query = query.filter(comments::created_at.lt(until));
    }
    Ok(query.order(comments::id.asc()).limit(w.limit).load(conn)?)
}

/// Audit entries in the window; with `decisions_only`, moderators'
/// approvals, rejections and reopenings alone.
pub fn audit(
    conn: &mut DbConn,
    w: &ExportWindow,
    decisions_only: bool,
) -> StorageResult<Vec<AuditRow>> {
    let mut query = audit_log::table
        .filter(audit_log::id.gt(w.after))
        .into_boxed();
    if let Some(ids) = &w.site_ids {
        query = query.filter(audit_log::site_id.eq_any(ids.clone()));
    }
    if let Some(from) = w.from {
        query = query.filter(audit_log::created_at.ge(from));
    }
    if let Some(until) = w.until {
        query = query.filter(audit_log::created_at.lt(until));
    }
    if let Some(actor) = &w.actor {
        query = query.filter(audit_log::actor.eq(actor.clone()));
    }
    if decisions_only {
        query = query
            .filter(audit_log::actor.like("moderator:%"))
            .filter(audit_log::action.eq_any(["approve", "reject", "reopen"]));
    }
    Ok(query.order(audit_log::id.asc()).limit(w.limit).load(conn)?)
}

/// (id, external id, url) of these articles.
pub fn article_labels(
    conn: &mut DbConn,
    ids: Vec<i64>,
) -> StorageResult<Vec<(i64, String, String)>> {
    Ok(articles::table
        .filter(articles::id.eq_any(ids))
        .select((articles::id, articles::external_id, articles::url))
        .load(conn)?)
}

/// (id, external id, display name) of these authors.
pub fn author_labels(
    conn: &mut DbConn,
    ids: Vec<i64>,
) -> StorageResult<Vec<(i64, String, String)>> {
    Ok(authors::table
        .filter(authors::id.eq_any(ids))
        .select((authors::id, authors::external_id, authors::display_name))
        .load(conn)?)
}

/// (id, email) of these moderators.
pub fn moderator_emails(conn: &mut DbConn, ids: Vec<i64>) -> StorageResult<Vec<(i64, String)>> {
    Ok(moderators::table
        .filter(moderators::id.eq_any(ids))
        .select((moderators::id, moderators::email))
        .load(conn)?)
}

/// (comment id, reason code) for these comments' current bodies, in
/// reason order.
pub fn reason_codes(conn: &mut DbConn, comment_ids: Vec<i64>) -> StorageResult<Vec<(i64, String)>> {
    Ok(comment_reasons::table
        .inner_join(comments::table)
        .filter(comment_reasons::comment_id.eq_any(comment_ids))
        .filter(comment_reasons::revision.eq(comments::revision))
        .order(comment_reasons::id.asc())
        .select((comment_reasons::comment_id, comment_reasons::code))
        .load(conn)?)
}

/// (comment id, entry id, actor) of the reopenings of these comments, in
/// order.
pub fn reopenings(
    conn: &mut DbConn,
    comment_ids: Vec<i64>,
) -> StorageResult<Vec<(i64, i64, String)>> {
    Ok(audit_log::table
        .filter(audit_log::comment_id.eq_any(comment_ids))
        .filter(audit_log::action.eq("reopen"))
        .order(audit_log::id.asc())
        .select((audit_log::comment_id, audit_log::id, audit_log::actor))
        .load(conn)?)
}

/// (id, created at) of these comments.
pub fn comment_created(
    conn: &mut DbConn,
    ids: Vec<i64>,
) -> StorageResult<Vec<(i64, NaiveDateTime)>> {
    Ok(comments::table
        .filter(comments::id.eq_any(ids))
        .select((comments::id, comments::created_at))
        .load(conn)?)
}
