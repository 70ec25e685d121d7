use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::articles::ArticleRow;
use super::authors::AuthorRow;
use super::kept_update;
use super::schema::{comment_reasons, comments};
use super::{DbConn, StorageResult};

#[derive(Debug, Clone, Queryable)]
pub struct CommentRow {
    pub id: i64,
    pub site_id: i64,
    pub article_id: i64,
    pub author_id: i64,
    pub parent_id: Option<i64>,
    pub body: String,
    pub status: String,
    pub policy: String,
    pub priority: i32,
    pub version: i64,
    pub client_ref: Option<String>,
    pub author_ip: Option<String>,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
    pub decided_at: Option<NaiveDateTime>,
    pub decided_by: Option<i64>,
    pub decision_action: Option<String>,
    pub decision_reason: Option<String>,
    pub decision_note: Option<String>,
    pub body_hash: Option<String>,
    /// Every classifier score, as JSON.
    pub scores: Option<String>,
    pub spam_score: Option<f64>,
    pub offensive_score: Option<f64>,
    /// The system the comment was imported from (`modq import`).
    pub imported_from: Option<String>,
    /// How many bodies the comment has had; 1 until edited.
    pub revision: i32,
    pub edited_at: Option<NaiveDateTime>,
    /// Set while the comment waits in the Reported queue.
    pub reported_at: Option<NaiveDateTime>,
    /// Kept from readers while reported (the site's `hide_on_report`).
    pub hidden: bool,
    /// Reports no moderator has resolved yet.
    pub open_reports: i32,
}

#[derive(Debug, Insertable)]
#[diesel(table_name = comments)]
pub struct NewComment<'a> {
    pub id: i64,
    pub site_id: i64,
    pub article_id: i64,
    pub author_id: i64,
    pub parent_id: Option<i64>,
    pub body: &'a str,
    pub status: &'a str,
    pub policy: &'a str,
    pub priority: i32,
    pub version: i64,
    pub client_ref: Option<&'a str>,
    pub author_ip: Option<&'a str>,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
    pub decided_at: Option<NaiveDateTime>,
    pub decision_action: Option<&'a str>,
    pub decision_reason: Option<&'a str>,
    pub decision_note: Option<&'a str>,
    pub body_hash: Option<&'a str>,
    pub scores: Option<&'a str>,
    pub spam_score: Option<f64>,
    pub offensive_score: Option<f64>,
    pub imported_from: Option<&'a str>,
}

/// A status change. Nullable decision columns are `Option<Option<_>>` so a
/// reopen can clear them.
#[derive(Debug, AsChangeset)]
#[diesel(table_name = comments)]
pub struct StatusChange<'a> {
    pub status: &'a str,
    pub updated_at: NaiveDateTime,
    pub decided_at: Option<Option<NaiveDateTime>>,
    pub decided_by: Option<Option<i64>>,
    pub decision_action: Option<Option<&'a str>>,
    pub decision_reason: Option<Option<&'a str>>,
    pub decision_note: Option<Option<&'a str>>,
    /// Out of the Reported queue (`Some(None)`), or left as it is.
    pub reported_at: Option<Option<NaiveDateTime>>,
    pub hidden: Option<bool>,
}

impl StatusChange<'_> {
    /// Back to pending, the decision cleared.
    pub fn back_to_pending(now: NaiveDateTime) -> Self {
        StatusChange {
            status: "pending",
            updated_at: now,
            decided_at: Some(None),
            decided_by: Some(None),
            decision_action: Some(None),
            decision_reason: Some(None),
            decision_note: Some(None),
            reported_at: None,
            hidden: None,
        }
    }
}

#[derive(Debug, Clone, Queryable)]
pub struct ReasonRow {
    pub id: i64,
    pub comment_id: i64,
    pub source: String,
    pub code: String,
    pub message: String,
    pub span_start: Option<i32>,
    pub span_end: Option<i32>,
    pub matched: Option<String>,
    pub rule_id: Option<i64>,
    pub rule_version: Option<i32>,
    pub action: Option<String>,
    pub shadow: bool,
    pub score: Option<f64>,
    pub threshold: Option<f64>,
    pub model: Option<String>,
    /// The revision of the comment's body the reason was recorded for.
    pub revision: i32,
}

/// `None` is written as NULL rather than left to a column default, so that
/// several reasons fit in one multi-row INSERT.
#[derive(Debug, Insertable)]
#[diesel(table_name = comment_reasons, treat_none_as_default_value = false)]
pub struct NewReason<'a> {
    pub comment_id: i64,
    pub source: &'a str,
    pub code: &'a str,
    pub message: &'a str,
    pub span_start: Option<i32>,
    pub span_end: Option<i32>,
    pub matched: Option<&'a str>,
    pub rule_id: Option<i64>,
    pub rule_version: Option<i32>,
    pub action: Option<&'a str>,
    pub shadow: bool,
    pub score: Option<f64>,
    pub threshold: Option<f64>,
    pub model: Option<&'a str>,
    pub revision: i32,
}

/// Which pending comments a queue page shows and in what order.
#[derive(Debug, Clone)]
pub struct QueueQuery {
    pub tab: crate::domain::QueueTab,
    /// `None` means every site (admins).
    pub site_ids: Option<Vec<i64>>,
    pub article_id: Option<i64>,
    pub reason_code: Option<String>,
    /// Comments with a reason from this rule.
    pub rule_id: Option<i64>,
    /// Comments whose body contains this text, ignoring case.
    pub text: Option<String>,
    /// Comments with a classifier score in this range.
    pub score: Option<ScoreRange>,
    pub order: QueueOrder,
    pub limit: i64,
}

/// Scores from `min` to `max` inclusive, of one attribute or any.
#[derive(Debug, Clone, PartialEq)]
pub struct ScoreRange {
    pub attribute: Option<String>,
    pub min: f64,
    pub max: f64,
}

diesel::define_sql_function!(
    /// SQL `lower()`, the same on both backends.
    fn lower(x: diesel::sql_types::Text) -> diesel::sql_types::Text
);

/// A LIKE pattern that matches `text` anywhere, with `\` escaping the
/// wildcards a moderator may type.
pub(super) fn contains_pattern(text: &str) -> String {
    let mut pattern = String::with_capacity(text.len() + 2);
    pattern.push('%');
    for c in text.to_lowercase().chars() {
        if matches!(c, '%' | '_' | '\\') {
            pattern.push('\\');
        }
        pattern.push(c);
    }
    pattern.push('%');
    pattern
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum QueueOrder {
    /// Highest priority first, oldest first within a priority; resumes after
    /// `(priority, id)`.
    Priority {
        after: Option<(i32, i64)>,
    },
    Oldest {
        after: Option<i64>,
    },
    Newest {
        before: Option<i64>,
    },
}

pub fn insert(conn: &mut DbConn, comment: &NewComment<'_>) -> StorageResult<()> {
    diesel::insert_into(comments::table)
        .values(comment)
        .execute(conn)?;
    Ok(())
}

pub fn insert_reasons(conn: &mut DbConn, reasons: &[NewReason<'_>]) -> StorageResult<()> {
    // One statement per reason, kept prepared: comments rarely carry more
    // than a few reasons, and a multi-row VALUES would be a new statement
    // for every count.
    for reason in reasons {
        on_backend!(&mut *conn, |c| diesel::insert_into(comment_reasons::table)
            .values(reason)
            .execute(c))?;
    }
    Ok(())
}

pub fn find(conn: &mut DbConn, id: i64) -> StorageResult<Option<CommentRow>> {
    Ok(on_backend!(conn, |c| comments::table
        .find(id)
        .first(c)
        .optional())?)
}

/// A comment with its article and author, in one statement: what an edit
/// reads before it rewrites the comment (and, for a site's own scorer,
/// before it is scored).
pub fn find_with_article_and_author(
    conn: &mut DbConn,
    id: i64,
) -> StorageResult<Option<(CommentRow, ArticleRow, AuthorRow)>> {
    use super::schema::{articles, authors};
    Ok(on_backend!(conn, |c| comments::table
        .inner_join(articles::table)
        .inner_join(authors::table)
        .filter(comments::id.eq(id))
        .select((
            comments::all_columns,
            articles::all_columns,
            authors::all_columns
        ))
        .first(c)
        .optional())?)
}

/// The reasons recorded for a comment's current body: those of its
/// current revision. Earlier revisions' reasons stay beside them.
fn current_reasons() -> diesel::dsl::Eq<comment_reasons::revision, comments::revision> {
    comment_reasons::revision.eq(comments::revision)
}

/// One comment's current reasons; a statement diesel can keep prepared,
/// unlike the `IN` list of [`reasons_for`].
pub fn reasons_of(conn: &mut DbConn, id: i64) -> StorageResult<Vec<ReasonRow>> {
    Ok(on_backend!(conn, |c| comment_reasons::table
        .inner_join(comments::table)
        .filter(comment_reasons::comment_id.eq(id))
        .filter(current_reasons())
        .order(comment_reasons::id.asc())
        .select(comment_reasons::all_columns)
        .load(c))?)
}

/// These comments' current reasons.
pub fn reasons_for(conn: &mut DbConn, ids: &[i64]) -> StorageResult<Vec<ReasonRow>> {
    Ok(comment_reasons::table
        .inner_join(comments::table)
        .filter(comment_reasons::comment_id.eq_any(ids))
        .filter(current_reasons())
        .order(comment_reasons::id.asc())
        .select(comment_reasons::all_columns)
        .load(conn)?)
}

/// Every reason a comment has had, by revision, each revision's in order.
pub fn reasons_of_every_revision(conn: &mut DbConn, id: i64) -> StorageResult<Vec<ReasonRow>> {
    Ok(comment_reasons::table
        .filter(comment_reasons::comment_id.eq(id))
        .order((comment_reasons::revision.asc(), comment_reasons::id.asc()))
        .load(conn)?)
}

/// Applies `change` only if the comment is still at `version` and in
/// `from_status`; returns whether it did. The version bump is what makes
/// concurrent decisions safe: the loser updates no row.
pub fn change_status(
    conn: &mut DbConn,
    id: i64,
    version: i64,
    from_status: &str,
    change: &StatusChange<'_>,
) -> StorageResult<bool> {
    let updated = kept_update(
        comments::table,
        comments::id
            .eq(id)
            .and(comments::version.eq(version))
            .and(comments::status.eq(from_status)),
        (change, comments::version.eq(comments::version + 1)),
    )
    .execute(conn)?;
    Ok(updated == 1)
}

/// What an edit changes: the body and everything worked out from it.
#[derive(Debug)]
pub struct BodyChange<'a> {
    pub body: &'a str,
    pub body_hash: Option<&'a str>,
    pub status: &'a str,
    pub priority: i32,
    pub revision: i32,
    pub edited_at: Option<NaiveDateTime>,
    pub updated_at: NaiveDateTime,
    pub scores: Option<&'a str>,
    pub spam_score: Option<f64>,
    pub offensive_score: Option<f64>,
    pub decided_at: Option<NaiveDateTime>,
    pub decided_by: Option<i64>,
    pub decision_action: Option<&'a str>,
    pub decision_reason: Option<&'a str>,
    pub decision_note: Option<&'a str>,
}

/// The columns of a [`BodyChange`] written by every edit. No index holds
/// them; `edited_at` decides the Edited tab's partial indexes, but an edit
/// changes it anyway.
#[derive(AsChangeset)]
#[diesel(table_name = comments, treat_none_as_null = true)]
struct PlainColumns<'a> {
    body: &'a str,
    revision: i32,
    edited_at: Option<NaiveDateTime>,
    updated_at: NaiveDateTime,
    scores: Option<&'a str>,
    spam_score: Option<f64>,
    offensive_score: Option<f64>,
    decided_at: Option<NaiveDateTime>,
    decision_action: Option<&'a str>,
    decision_reason: Option<&'a str>,
    decision_note: Option<&'a str>,
}

/// The columns of a [`BodyChange`] that cost more to set than to write,
/// each set only when its value changes (`None` leaves it out of the
/// statement). SQLite rewrites the entries of every index holding a column
/// the statement sets, changed or not, and a foreign key on a column it
/// sets (`decided_by`) makes it keep a statement journal.
#[derive(AsChangeset)]
#[diesel(table_name = comments)]
struct CostlyColumns<'a> {
    body_hash: Option<Option<&'a str>>,
    status: Option<&'a str>,
    priority: Option<i32>,
    decided_by: Option<Option<i64>>,
}

impl BodyChange<'_> {
    /// The row as [`change_body`] leaves it, without reading it back.
    pub fn applied_to(&self, row: &CommentRow) -> CommentRow {
        CommentRow {
            body: self.body.to_owned(),
            body_hash: self.body_hash.map(str::to_owned),
            status: self.status.to_owned(),
            priority: self.priority,
            revision: self.revision,
            edited_at: self.edited_at,
            updated_at: self.updated_at,
            scores: self.scores.map(str::to_owned),
            spam_score: self.spam_score,
            offensive_score: self.offensive_score,
            decided_at: self.decided_at,
            decided_by: self.decided_by,
            decision_action: self.decision_action.map(str::to_owned),
            decision_reason: self.decision_reason.map(str::to_owned),
            decision_note: self.decision_note.map(str::to_owned),
            version: row.version + 1,
            ..row.clone()
        }
    }

    /// The costly columns whose value differs from `before`'s.
    fn costly_changes(&self, before: &CommentRow) -> CostlyColumns<'_> {
        CostlyColumns {
            body_hash: (self.body_hash != before.body_hash.as_deref()).then_some(self.body_hash),
            status: (self.status != before.status).then_some(self.status),
            priority: (self.priority != before.priority).then_some(self.priority),
            decided_by: (self.decided_by != before.decided_by).then_some(self.decided_by),
        }
    }
}

/// Applies an edit to the comment `before` was read from, if it is still at
/// that version; returns whether it did.
///
/// Most edits keep the status, priority and decision, so of the columns
/// that are costly to set ([`CostlyColumns`]) only the body's fingerprint
/// is usually written.
pub fn change_body(
    conn: &mut DbConn,
    before: &CommentRow,
    change: &BodyChange<'_>,
) -> StorageResult<bool> {
    let plain = PlainColumns {
        body: change.body,
        revision: change.revision,
        edited_at: change.edited_at,
        updated_at: change.updated_at,
        scores: change.scores,
        spam_score: change.spam_score,
        offensive_score: change.offensive_score,
        decided_at: change.decided_at,
        decision_action: change.decision_action,
        decision_reason: change.decision_reason,
        decision_note: change.decision_note,
    };
    let costly = change.costly_changes(before);
    let updated = on_backend!(conn, |c| kept_update(
        comments::table,
        comments::id
            .eq(before.id)
            .and(comments::version.eq(before.version)),
        (&plain, &costly, comments::version.eq(comments::version + 1)),
    )
    .execute(c))?;
    Ok(updated == 1)
}

/// Comments of one article in one status, oldest first, after `after_id`.
/// Approved comments hidden while reported are left out: the approved
/// listing is what readers may see.
pub fn list_for_article(
    conn: &mut DbConn,
    article_id: i64,
    status: &str,
    after_id: Option<i64>,
    limit: i64,
) -> StorageResult<Vec<CommentRow>> {
    let mut query = comments::table
        .filter(comments::article_id.eq(article_id))
        .filter(comments::status.eq(status))
        .into_boxed();
    if status == "approved" {
        query = query.filter(comments::hidden.eq(false));
    }
    if let Some(after) = after_id {
        query = query.filter(comments::id.gt(after));
    }
    Ok(query.order(comments::id.asc()).limit(limit).load(conn)?)
}

type BoxedComments<'a> = comments::BoxedQuery<'a, <DbConn as diesel::Connection>::Backend>;

/// The comments a queue tab lists.
fn in_tab<'a>(tab: crate::domain::QueueTab) -> BoxedComments<'a> {
    use crate::domain::QueueTab;
    let query = comments::table.into_boxed();
    match tab {
        QueueTab::Pending => query.filter(comments::status.eq("pending")),
        QueueTab::Edited => query
            .filter(comments::status.eq("pending"))
            .filter(comments::edited_at.is_not_null()),
        QueueTab::Reported => query
            .filter(comments::reported_at.is_not_null())
            .filter(comments::status.eq("approved")),
        QueueTab::Approved => query.filter(comments::status.eq("approved")),
        QueueTab::Rejected => query.filter(comments::status.eq("rejected")),
    }
}

/// How many comments a tab lists on these sites (`None`: all), counting
/// at most `cap`.
pub fn count_in_tab_capped(
    conn: &mut DbConn,
    tab: crate::domain::QueueTab,
    site_ids: Option<&[i64]>,
    cap: i64,
) -> StorageResult<i64> {
    let mut query = in_tab(tab);
    if let Some(site_ids) = site_ids {
        query = query.filter(comments::site_id.eq_any(site_ids.to_vec()));
    }
    let ids: Vec<i64> = query.select(comments::id).limit(cap).load(conn)?;
    Ok(ids.len() as i64)
}

/// The direct replies to these comments.
pub fn replies_to(conn: &mut DbConn, parent_ids: &[i64]) -> StorageResult<Vec<CommentRow>> {
    Ok(comments::table
        .filter(comments::parent_id.eq_any(parent_ids))
        .order(comments::id)
        .load(conn)?)
}

/// The comments with these ids, in no particular order.
pub fn find_many(conn: &mut DbConn, ids: &[i64]) -> StorageResult<Vec<CommentRow>> {
    Ok(comments::table
        .filter(comments::id.eq_any(ids))
        .load(conn)?)
}

pub fn queue(conn: &mut DbConn, q: &QueueQuery) -> StorageResult<Vec<CommentRow>> {
    let mut query = in_tab(q.tab);
    if let Some(site_ids) = &q.site_ids {
        query = query.filter(comments::site_id.eq_any(site_ids.clone()));
    }
    if let Some(article_id) = q.article_id {
        query = query.filter(comments::article_id.eq(article_id));
    }
    if let Some(code) = &q.reason_code {
        // A score below its band is not a reason.
        let with_reason = comment_reasons::table
            .filter(comment_reasons::code.eq(code.clone()))
            .filter(
                comment_reasons::action
                    .is_null()
                    .or(comment_reasons::action.ne("none")),
            )
            .filter(comment_reasons::comment_id.eq(comments::id))
            .filter(current_reasons());
        query = query.filter(diesel::dsl::exists(with_reason));
    }
    if let Some(rule_id) = q.rule_id {
        let with_rule = comment_reasons::table
            .filter(comment_reasons::rule_id.eq(rule_id))
            .filter(comment_reasons::comment_id.eq(comments::id))
            .filter(current_reasons());
        query = query.filter(diesel::dsl::exists(with_rule));
    }
    if let Some(range) = &q.score {
        let spam = comments::spam_score
            .ge(range.min)
            .and(comments::spam_score.le(range.max));
        let offensive = comments::offensive_score
            .ge(range.min)
            .and(comments::offensive_score.le(range.max));
        query = match range.attribute.as_deref() {
            Some("spam") => query.filter(spam),
            Some("offensive") => query.filter(offensive),
            _ => query.filter(spam.or(offensive)),
        };
    }
    if let Some(text) = &q.text {
        query = query.filter(
            lower(comments::body)
                .like(contains_pattern(text))
                .escape('\\'),
        );
    }
    query = match q.order {
        QueueOrder::Priority { after } => {
            if let Some((priority, id)) = after {
                query = query.filter(
                    comments::priority
                        .lt(priority)
                        .or(comments::priority.eq(priority).and(comments::id.gt(id))),
                );
            }
            query.order((comments::priority.desc(), comments::id.asc()))
        }
        QueueOrder::Oldest { after } => {
            if let Some(id) = after {
                query = query.filter(comments::id.gt(id));
            }
            query.order(comments::id.asc())
        }
        QueueOrder::Newest { before } => {
            if let Some(id) = before {
                query = query.filter(comments::id.lt(id));
            }
            query.order(comments::id.desc())
        }
    };
    Ok(query.limit(q.limit).load(conn)?)
}

/// What a backtest needs of a past comment.
#[derive(Debug, Clone, Queryable)]
pub struct BacktestRow {
    pub id: i64,
    pub body: String,
    pub status: String,
    pub article_external_id: String,
    pub author_external_id: String,
    pub author_email: Option<String>,
    pub author_ip: Option<String>,
    pub decided_by: Option<i64>,
    pub imported_from: Option<String>,
}

/// A site's comments newest first, older than `before`.
pub fn recent_for_backtest(
    conn: &mut DbConn,
    site_id: i64,
    before: Option<i64>,
    limit: i64,
) -> StorageResult<Vec<BacktestRow>> {
    use super::schema::{articles, authors};
    let mut query = comments::table
        .inner_join(articles::table)
        .inner_join(authors::table)
        .filter(comments::site_id.eq(site_id))
        .into_boxed();
    if let Some(before) = before {
        query = query.filter(comments::id.lt(before));
    }
    Ok(query
        .order(comments::id.desc())
        .limit(limit)
        .select((
            comments::id,
            comments::body,
            comments::status,
            articles::external_id,
            authors::external_id,
            authors::email,
            comments::author_ip,
            comments::decided_by,
            comments::imported_from,
        ))
        .load(conn)?)
}

/// Comments with the same text fingerprint since `since_id`, by one author
/// or, with `author_id: None`, by anyone on the site.
pub fn count_duplicates(
    conn: &mut DbConn,
    site_id: i64,
    author_id: Option<i64>,
    body_hash: &str,
    since_id: i64,
) -> StorageResult<i64> {
    let mut query = comments::table
        .filter(comments::site_id.eq(site_id))
        .filter(comments::body_hash.eq(body_hash))
        .filter(comments::id.ge(since_id))
        .into_boxed();
    if let Some(author) = author_id {
        query = query.filter(comments::author_id.eq(author));
    }
    Ok(query.count().get_result(conn)?)
}

pub fn count_by_author_since(
    conn: &mut DbConn,
    author_id: i64,
    since_id: i64,
) -> StorageResult<i64> {
    Ok(comments::table
        .filter(comments::author_id.eq(author_id))
        .filter(comments::id.ge(since_id))
        .count()
        .get_result(conn)?)
}

pub fn count_by_ip_since(
    conn: &mut DbConn,
    site_id: i64,
    ip: &str,
    since_id: i64,
) -> StorageResult<i64> {
    Ok(comments::table
        .filter(comments::site_id.eq(site_id))
        .filter(comments::author_ip.eq(ip))
        .filter(comments::id.ge(since_id))
        .count()
        .get_result(conn)?)
}

/// Statuses of the author's latest approved or rejected comments.
pub fn recent_decided(conn: &mut DbConn, author_id: i64, limit: i64) -> StorageResult<Vec<String>> {
    Ok(comments::table
        .filter(comments::author_id.eq(author_id))
        .filter(comments::status.eq_any(["approved", "rejected"]))
        .order(comments::id.desc())
        .limit(limit)
        .select(comments::status)
        .load(conn)?)
}

/// An author's latest comments: id, status, time and body, newest first.
pub fn by_author(
    conn: &mut DbConn,
    author_id: i64,
    limit: i64,
) -> StorageResult<Vec<(i64, String, NaiveDateTime, String)>> {
    Ok(comments::table
        .filter(comments::author_id.eq(author_id))
        .order(comments::id.desc())
        .limit(limit)
        .select((
            comments::id,
            comments::status,
            comments::created_at,
            comments::body,
        ))
        .load(conn)?)
}

/// Decided by a moderator, here or in the system the comment was imported
/// from; not at intake.
fn decided_by_people() -> diesel::dsl::Or<
    diesel::dsl::IsNotNull<comments::decided_by>,
    diesel::dsl::IsNotNull<comments::imported_from>,
> {
    comments::decided_by
        .is_not_null()
        .or(comments::imported_from.is_not_null())
}

/// A comment a moderator decided, as training data.
#[derive(Debug, Clone, Queryable)]
pub struct DecidedRow {
    pub id: i64,
    pub body: String,
    pub action: Option<String>,
    pub reason: Option<String>,
}

/// The site's comments decided by moderators (not at intake), here or
/// before import, newest first, older than `before`.
pub fn moderated(
    conn: &mut DbConn,
    site_id: i64,
    before: Option<i64>,
    limit: i64,
) -> StorageResult<Vec<DecidedRow>> {
    let mut query = comments::table
        .filter(comments::site_id.eq(site_id))
        .filter(decided_by_people())
        .filter(comments::status.eq_any(["approved", "rejected"]))
        .into_boxed();
    if let Some(before) = before {
        query = query.filter(comments::id.lt(before));
    }
    Ok(query
        .order(comments::id.desc())
        .limit(limit)
        .select((
            comments::id,
            comments::body,
            comments::decision_action,
            comments::decision_reason,
        ))
        .load(conn)?)
}

/// How many of the site's comments stand decided by a moderator.
pub fn count_moderated(conn: &mut DbConn, site_id: i64) -> StorageResult<i64> {
    Ok(comments::table
        .filter(comments::site_id.eq(site_id))
        .filter(decided_by_people())
        .filter(comments::status.eq_any(["approved", "rejected"]))
        .count()
        .get_result(conn)?)
}

/// Per site with any: how many comments are pending and when the oldest
/// came.
pub fn pending_by_site(conn: &mut DbConn) -> StorageResult<Vec<(i64, i64, Option<NaiveDateTime>)>> {
    Ok(comments::table
        .filter(comments::status.eq("pending"))
        .group_by(comments::site_id)
        .select((
            comments::site_id,
            diesel::dsl::count_star(),
            diesel::dsl::min(comments::created_at),
        ))
        .load(conn)?)
}
