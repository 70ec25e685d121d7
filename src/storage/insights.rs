//! The insight aggregates: counting audit entries into them, and reading
//! them back summed over a period.

use std::collections::HashMap;

use chrono::NaiveDateTime;
use diesel::connection::SimpleConnection;
use diesel::dsl::sql;
use diesel::prelude::*;
use diesel::sql_types::BigInt;
use diesel::upsert::excluded;

use super::audit::AuditRow;
use super::schema::{
    audit_log, comment_reasons, comments, insight_articles, insight_backlog, insight_decisions,
    insight_gaps, insight_progress, insight_rules, insight_scores, insight_volume,
    insight_volume_days, insight_waits,
};
use super::{DbConn, StorageResult};

/// Runs the same statement on whichever backend `conn` is (upserts are
/// spelled alike on both, but not through the multi-backend connection).
macro_rules! on_backend {
    ($conn:expr, $query:expr) => {
        match $conn {
            DbConn::Pg(c) => $query.execute(c),
            DbConn::Sqlite(c) => $query.execute(c),
        }
    };
}

/// The last audit entry counted.
pub fn progress(conn: &mut DbConn) -> StorageResult<(i64, NaiveDateTime)> {
    Ok(insight_progress::table
        .find(1)
        .select((insight_progress::audit_id, insight_progress::updated_at))
        .first(conn)?)
}

/// Moves the progress from `from` to `to`; false if another instance moved
/// it first (it then counts those entries, and this one must not).
pub fn advance(conn: &mut DbConn, from: i64, to: i64, now: NaiveDateTime) -> StorageResult<bool> {
    Ok(diesel::update(
        insight_progress::table
            .find(1)
            .filter(insight_progress::audit_id.eq(from)),
    )
    .set((
        insight_progress::audit_id.eq(to),
        insight_progress::updated_at.eq(now),
    ))
    .execute(conn)?
        == 1)
}

/// The aggregate tables, for [`refresh_statistics`].
const TABLES: &str = "insight_volume, insight_volume_days, insight_backlog, insight_decisions, \
                      insight_waits, insight_rules, insight_scores, insight_articles";

/// Brings the aggregate tables' planner statistics (and on PostgreSQL their
/// visibility information) up to date after a bulk count, so that the first
/// dashboard does not pay for it. Outside any transaction.
pub fn refresh_statistics(conn: &mut DbConn) -> StorageResult<()> {
    match conn {
        DbConn::Pg(pg) => pg.batch_execute(&format!("VACUUM (ANALYZE) {TABLES}"))?,
        DbConn::Sqlite(sqlite) => {
            for table in TABLES.split(',') {
                sqlite.batch_execute(&format!("ANALYZE {}", table.trim()))?;
            }
        }
    }
    Ok(())
}

/// Audit entries after `after`, made before `settled`, oldest first.
pub fn entries_to_count(
    conn: &mut DbConn,
    after: i64,
    settled: NaiveDateTime,
    limit: i64,
) -> StorageResult<Vec<AuditRow>> {
    Ok(audit_log::table
        .filter(audit_log::id.gt(after))
        .filter(audit_log::created_at.lt(settled))
        .order(audit_log::id)
        .limit(limit)
        .load(conn)?)
}

/// Remembers ids the counter passed over (see [`late_entries`]).
pub fn note_gaps(conn: &mut DbConn, ids: &[i64], now: NaiveDateTime) -> StorageResult<()> {
    for id in ids {
        diesel::insert_into(insight_gaps::table)
            .values((insight_gaps::id.eq(id), insight_gaps::noticed_at.eq(now)))
            .execute(conn)?;
    }
    Ok(())
}

/// Entries whose ids were passed over and that are visible now, oldest
/// first.
pub fn late_entries(conn: &mut DbConn, limit: i64) -> StorageResult<Vec<AuditRow>> {
    Ok(audit_log::table
        .filter(audit_log::id.eq_any(insight_gaps::table.select(insight_gaps::id)))
        .order(audit_log::id)
        .limit(limit)
        .load(conn)?)
}

/// Takes a passed-over id off the list; false if another instance took it
/// first (and counts its entry).
pub fn claim_gap(conn: &mut DbConn, id: i64) -> StorageResult<bool> {
    Ok(diesel::delete(insight_gaps::table.find(id)).execute(conn)? == 1)
}

/// Forgets passed-over ids noticed before `before`: their transactions
/// rolled back.
pub fn forget_gaps(conn: &mut DbConn, before: NaiveDateTime) -> StorageResult<usize> {
    Ok(
        diesel::delete(insight_gaps::table.filter(insight_gaps::noticed_at.lt(before)))
            .execute(conn)?,
    )
}

/// How many audit entries after `after` there are still to count, up to
/// `cap`.
pub fn entries_behind(conn: &mut DbConn, after: i64, cap: i64) -> StorageResult<i64> {
    let ids: Vec<i64> = audit_log::table
        .filter(audit_log::id.gt(after))
        .select(audit_log::id)
        .limit(cap)
        .load(conn)?;
    Ok(ids.len() as i64)
}

/// Each comment's latest entry up to `upto`, for the comments given.
pub fn latest_entries(
    conn: &mut DbConn,
    comment_ids: &[i64],
    upto: i64,
) -> StorageResult<Vec<AuditRow>> {
    let rows: Vec<AuditRow> = audit_log::table
        .filter(audit_log::comment_id.eq_any(comment_ids))
        .filter(audit_log::id.le(upto))
        .filter(
            audit_log::from_status
                .is_null()
                .or(audit_log::from_status.ne(audit_log::to_status.nullable())),
        )
        .order((audit_log::comment_id, audit_log::id.desc()))
        .load(conn)?;
    let mut latest: Vec<AuditRow> = Vec::with_capacity(comment_ids.len());
    for row in rows {
        if latest.last().is_none_or(|l| l.comment_id != row.comment_id) {
            latest.push(row);
        }
    }
    Ok(latest)
}

/// (id, article, arrival, spam score, offensive score) of each comment.
pub type FactsRow = (i64, i64, NaiveDateTime, Option<f64>, Option<f64>);

pub fn comment_facts(conn: &mut DbConn, ids: &[i64]) -> StorageResult<Vec<FactsRow>> {
    Ok(comments::table
        .filter(comments::id.eq_any(ids))
        .select((
            comments::id,
            comments::article_id,
            comments::created_at,
            comments::spam_score,
            comments::offensive_score,
        ))
        .load(conn)?)
}

/// (comment, rule, action, shadow) of a rule's reason.
pub type RuleReasonRow = (i64, Option<i64>, Option<String>, bool);

/// Every rule reason of the comments' current bodies.
pub fn rule_reasons(conn: &mut DbConn, ids: &[i64]) -> StorageResult<Vec<RuleReasonRow>> {
    Ok(comment_reasons::table
        .inner_join(comments::table)
        .filter(comment_reasons::comment_id.eq_any(ids))
        .filter(comment_reasons::revision.eq(comments::revision))
        .filter(comment_reasons::rule_id.is_not_null())
        .select((
            comment_reasons::comment_id,
            comment_reasons::rule_id,
            comment_reasons::action,
            comment_reasons::shadow,
        ))
        .load(conn)?)
}

/// Adds counts to an aggregate row, creating it when it is new.
macro_rules! add_to {
    ($conn:expr, $t:ident, keys($($key:ident = $kv:expr),+), counts($($count:ident = $cv:expr),+)) => {{
        use $t as t;
        on_backend!(
            $conn,
            diesel::insert_into(t::table)
                .values(($(t::$key.eq($kv),)+ $(t::$count.eq($cv),)+))
                .on_conflict(($(t::$key,)+))
                .do_update()
                .set(($(t::$count.eq(t::$count + excluded(t::$count)),)+))
        )?;
        Ok(())
    }};
}

pub fn add_volume(
    conn: &mut DbConn,
    site: i64,
    hour: NaiveDateTime,
    outcome: &str,
    moderator: &str,
    n: i64,
) -> StorageResult<()> {
    add_to!(
        conn,
        insight_volume,
        keys(
            site_id = site,
            hour = hour,
            outcome = outcome,
            moderator = moderator
        ),
        counts(comments = n)
    )
}

pub fn add_volume_day(
    conn: &mut DbConn,
    site: i64,
    day: NaiveDateTime,
    outcome: &str,
    moderator: &str,
    n: i64,
) -> StorageResult<()> {
    add_to!(
        conn,
        insight_volume_days,
        keys(
            site_id = site,
            day = day,
            outcome = outcome,
            moderator = moderator
        ),
        counts(comments = n)
    )
}

pub fn add_backlog(conn: &mut DbConn, site: i64, hour: NaiveDateTime, n: i64) -> StorageResult<()> {
    add_to!(
        conn,
        insight_backlog,
        keys(site_id = site, hour = hour),
        counts(change = n)
    )
}

pub fn add_decisions(
    conn: &mut DbConn,
    site: i64,
    day: NaiveDateTime,
    moderator: &str,
    [approved, rejected, overturned]: [i64; 3],
) -> StorageResult<()> {
    add_to!(
        conn,
        insight_decisions,
        keys(site_id = site, day = day, moderator = moderator),
        counts(
            approved = approved,
            rejected = rejected,
            overturned = overturned
        )
    )
}

pub fn add_waits(
    conn: &mut DbConn,
    site: i64,
    span: &str,
    day: NaiveDateTime,
    moderator: &str,
    bucket: i32,
    n: i64,
) -> StorageResult<()> {
    add_to!(
        conn,
        insight_waits,
        keys(
            site_id = site,
            span = span,
            day = day,
            moderator = moderator,
            bucket = bucket
        ),
        counts(decisions = n)
    )
}

#[allow(clippy::too_many_arguments, reason = "one per key column and count")]
pub fn add_rule(
    conn: &mut DbConn,
    site: i64,
    span: &str,
    day: NaiveDateTime,
    rule: i64,
    moderator: &str,
    [hits, held, auto_rejected, held_rejected, held_approved]: [i64; 5],
) -> StorageResult<()> {
    add_to!(
        conn,
        insight_rules,
        keys(
            site_id = site,
            span = span,
            day = day,
            rule_id = rule,
            moderator = moderator
        ),
        counts(
            hits = hits,
            held = held,
            auto_rejected = auto_rejected,
            held_rejected = held_rejected,
            held_approved = held_approved
        )
    )
}

#[allow(clippy::too_many_arguments, reason = "one per key column and count")]
pub fn add_score(
    conn: &mut DbConn,
    site: i64,
    span: &str,
    day: NaiveDateTime,
    attribute: &str,
    bin: i32,
    moderator: &str,
    [approved, rejected]: [i64; 2],
) -> StorageResult<()> {
    add_to!(
        conn,
        insight_scores,
        keys(
            site_id = site,
            span = span,
            day = day,
            attribute = attribute,
            bin = bin,
            moderator = moderator
        ),
        counts(approved = approved, rejected = rejected)
    )
}

#[allow(clippy::too_many_arguments, reason = "one per key column and count")]
pub fn add_article(
    conn: &mut DbConn,
    site: i64,
    span: &str,
    day: NaiveDateTime,
    article: i64,
    moderator: &str,
    [comments, rejected]: [i64; 2],
) -> StorageResult<()> {
    add_to!(
        conn,
        insight_articles,
        keys(
            site_id = site,
            span = span,
            day = day,
            article_id = article,
            moderator = moderator
        ),
        counts(comments = comments, rejected = rejected)
    )
}

/// What the figures are summed over: sites, a period of whole days
/// `[from, until)`, and optionally one moderator's decisions.
#[derive(Debug, Clone)]
pub struct Window {
    pub sites: Vec<i64>,
    pub from: NaiveDateTime,
    pub until: NaiveDateTime,
    /// The moderator's actor (`moderator:EMAIL`).
    pub moderator: Option<String>,
}

impl Window {
    /// The parts to read of a table kept by day and by month: whole months
    /// from month rows, the days at the edges from day rows. A year is
    /// twelve months and a few days, not 365 days. Separate range reads
    /// keep each on the table's index.
    fn parts(&self) -> Vec<(&'static str, NaiveDateTime, NaiveDateTime)> {
        let (start, end) = self.months();
        [
            ("day", self.from, start),
            ("month", start, end),
            ("day", end, self.until),
        ]
        .into_iter()
        .filter(|(_, from, until)| from < until)
        .collect()
    }

    /// The whole months inside the period, `[start, end)`; empty (both
    /// `until`) when there are none. Tables kept by month and by day are
    /// summed by month there and by day at the edges.
    fn months(&self) -> (NaiveDateTime, NaiveDateTime) {
        let first = month_start(self.from);
        let start = if first == self.from {
            first
        } else {
            next_month(first)
        };
        let end = month_start(self.until);
        if start < end {
            (start, end)
        } else {
            (self.until, self.until)
        }
    }
}

/// The first day of the month `at` falls in.
pub fn month_start(at: NaiveDateTime) -> NaiveDateTime {
    use chrono::Datelike;
    at.date()
        .with_day(1)
        .unwrap_or(at.date())
        .and_time(chrono::NaiveTime::MIN)
}

fn next_month(first: NaiveDateTime) -> NaiveDateTime {
    first
        .date()
        .checked_add_months(chrono::Months::new(1))
        .unwrap_or(first.date())
        .and_time(chrono::NaiveTime::MIN)
}

/// `SUM(column)` as a BIGINT on both backends (PostgreSQL sums BIGINT to
/// NUMERIC). `column` is always one of this file's column names.
fn total(column: &str) -> diesel::expression::SqlLiteral<BigInt> {
    sql::<BigInt>(&format!("CAST(COALESCE(SUM({column}), 0) AS BIGINT)"))
}

/// A grouped select on the aggregate table `$t`, kept to the window's
/// sites and period (on column `$time`), boxed for further filters.
/// With a moderator in the window, only their rows (`or_unattributed`:
/// and rows no one decided, such as rule hits).
macro_rules! in_window {
    (@moderator $query:expr, $t:ident, $w:expr) => {{
        let mut query = $query;
        if let Some(m) = &$w.moderator {
            query = query.filter($t::moderator.eq(m.clone()));
        }
        query
    }};
    (@moderator $query:expr, $t:ident, $w:expr, or_unattributed) => {{
        let mut query = $query;
        if let Some(m) = &$w.moderator {
            query = query.filter($t::moderator.eq(m.clone()).or($t::moderator.eq("")));
        }
        query
    }};
    ($query:expr, $t:ident, $time:ident, $w:expr $(, $or:ident)?) => {{
        let query = in_window!(@period $query, $t, $time, $w);
        in_window!(@moderator query, $t, $w $(, $or)?)
    }};
    (@period $query:expr, $t:ident, $time:ident, $w:expr) => {
        $query
            .filter($t::site_id.eq_any(&$w.sites))
            .filter($t::$time.ge($w.from))
            .filter($t::$time.lt($w.until))
            .into_boxed()
    };
}

/// A grouped select on a table kept by day and by month, kept to one
/// part of the window (`span` rows from `from` to `until`) and filtered for
/// the window's moderator as `in_window!` does.
macro_rules! in_part {
    ($query:expr, $t:ident, $w:expr, $part:expr $(, $or:ident)?) => {{
        let (span, from, until) = $part;
        let query = $query
            .filter($t::site_id.eq_any(&$w.sites))
            .filter($t::span.eq(span))
            .filter($t::day.ge(from))
            .filter($t::day.lt(until))
            .into_boxed();
        in_window!(@moderator query, $t, $w $(, $or)?)
    }};
}

/// Adds each row's counts to the sum for its key.
fn merge<K: std::hash::Hash + Eq, const N: usize>(
    sums: &mut HashMap<K, [i64; N]>,
    rows: impl IntoIterator<Item = (K, [i64; N])>,
) {
    for (key, counts) in rows {
        let sum = sums.entry(key).or_insert([0; N]);
        for (s, c) in sum.iter_mut().zip(counts) {
            *s += c;
        }
    }
}

/// Comments by arrival hour (with `hourly`) or day, and outcome.
pub fn volume(
    conn: &mut DbConn,
    w: &Window,
    hourly: bool,
) -> StorageResult<Vec<(NaiveDateTime, String, i64)>> {
    if hourly {
        use insight_volume as t;
        let grouped = t::table.group_by((t::hour, t::outcome)).select((
            t::hour,
            t::outcome,
            total("comments"),
        ));
        let query = in_window!(grouped, t, hour, w);
        Ok(query.order(t::hour).load(conn)?)
    } else {
        use insight_volume_days as t;
        let grouped =
            t::table
                .group_by((t::day, t::outcome))
                .select((t::day, t::outcome, total("comments")));
        let query = in_window!(grouped, t, day, w);
        Ok(query.order(t::day).load(conn)?)
    }
}

/// The queue's size at `w.from`, and its changes by hour in the window.
pub fn backlog(conn: &mut DbConn, w: &Window) -> StorageResult<(i64, Vec<(NaiveDateTime, i64)>)> {
    use insight_backlog as t;
    let before: i64 = t::table
        .filter(t::site_id.eq_any(&w.sites))
        .filter(t::hour.lt(w.from))
        .select(total("change"))
        .first(conn)?;
    let changes = t::table
        .filter(t::site_id.eq_any(&w.sites))
        .filter(t::hour.ge(w.from))
        .filter(t::hour.lt(w.until))
        .group_by(t::hour)
        .select((t::hour, total("change")))
        .order(t::hour)
        .load(conn)?;
    Ok((before, changes))
}

/// Per moderator: approvals, rejections, overturned decisions.
pub fn decisions(conn: &mut DbConn, w: &Window) -> StorageResult<Vec<(String, i64, i64, i64)>> {
    use insight_decisions as t;
    let grouped = t::table.group_by(t::moderator).select((
        t::moderator,
        total("approved"),
        total("rejected"),
        total("overturned"),
    ));
    let query = in_window!(grouped, t, day, w);
    Ok(query.order(t::moderator).load(conn)?)
}

/// (day, bucket, decisions) of the time in queue.
pub type WaitsOfDay = (NaiveDateTime, i32, i64);
/// (moderator, bucket, decisions) of the time in queue.
pub type WaitsOfModerator = (String, i32, i64);

/// Time-in-queue buckets: (day, bucket, decisions) and by moderator.
pub fn waits(
    conn: &mut DbConn,
    w: &Window,
) -> StorageResult<(Vec<WaitsOfDay>, Vec<WaitsOfModerator>)> {
    use insight_waits as t;
    let grouped = t::table
        .filter(t::span.eq("day"))
        .group_by((t::day, t::bucket))
        .select((t::day, t::bucket, total("decisions")));
    let query = in_window!(grouped, t, day, w);
    let by_day = query.order((t::day, t::bucket)).load(conn)?;
    let mut sums: HashMap<(String, i32), [i64; 1]> = HashMap::new();
    for part in w.parts() {
        let grouped = t::table.group_by((t::moderator, t::bucket)).select((
            t::moderator,
            t::bucket,
            total("decisions"),
        ));
        let rows: Vec<WaitsOfModerator> = in_part!(grouped, t, w, part).load(conn)?;
        merge(&mut sums, rows.into_iter().map(|(m, b, n)| ((m, b), [n])));
    }
    let mut by_moderator: Vec<WaitsOfModerator> =
        sums.into_iter().map(|((m, b), [n])| (m, b, n)).collect();
    by_moderator.sort();
    Ok((by_day, by_moderator))
}

/// Per rule: hits, held, auto-rejected, held then rejected, held then
/// approved. With a moderator, only what they decided of the held ones.
pub fn rules(conn: &mut DbConn, w: &Window) -> StorageResult<Vec<(i64, [i64; 5])>> {
    use insight_rules as t;
    let mut sums: HashMap<i64, [i64; 5]> = HashMap::new();
    for part in w.parts() {
        let grouped = t::table.group_by(t::rule_id).select((
            t::rule_id,
            total("hits"),
            total("held"),
            total("auto_rejected"),
            total("held_rejected"),
            total("held_approved"),
        ));
        let rows: Vec<(i64, i64, i64, i64, i64, i64)> =
            in_part!(grouped, t, w, part, or_unattributed).load(conn)?;
        merge(
            &mut sums,
            rows.into_iter()
                .map(|(id, a, b, c, d, e)| (id, [a, b, c, d, e])),
        );
    }
    Ok(sums.into_iter().collect())
}

/// Per attribute and bin: scores of approved and rejected comments.
pub fn scores(conn: &mut DbConn, w: &Window) -> StorageResult<Vec<(String, i32, i64, i64)>> {
    use insight_scores as t;
    let mut sums: HashMap<(String, i32), [i64; 2]> = HashMap::new();
    for part in w.parts() {
        let grouped = t::table.group_by((t::attribute, t::bin)).select((
            t::attribute,
            t::bin,
            total("approved"),
            total("rejected"),
        ));
        let rows: Vec<(String, i32, i64, i64)> = in_part!(grouped, t, w, part).load(conn)?;
        merge(
            &mut sums,
            rows.into_iter().map(|(a, b, x, y)| ((a, b), [x, y])),
        );
    }
    let mut out: Vec<(String, i32, i64, i64)> = sums
        .into_iter()
        .map(|((a, b), [x, y])| (a, b, x, y))
        .collect();
    out.sort();
    Ok(out)
}

/// Every article with comments in the window: (article, comments,
/// rejections).
pub fn articles(conn: &mut DbConn, w: &Window) -> StorageResult<Vec<(i64, i64, i64)>> {
    use insight_articles as t;
    let mut sums: HashMap<i64, [i64; 2]> = HashMap::new();
    for part in w.parts() {
        let grouped = t::table.group_by(t::article_id).select((
            t::article_id,
            total("comments"),
            total("rejected"),
        ));
        let rows: Vec<(i64, i64, i64)> =
            in_part!(grouped, t, w, part, or_unattributed).load(conn)?;
        merge(&mut sums, rows.into_iter().map(|(id, c, r)| (id, [c, r])));
    }
    Ok(sums.into_iter().map(|(id, [c, r])| (id, c, r)).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(s: &str) -> NaiveDateTime {
        chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d")
            .expect("date")
            .and_time(chrono::NaiveTime::MIN)
    }

    fn months(from: &str, until: &str) -> (NaiveDateTime, NaiveDateTime) {
        Window {
            sites: vec![],
            from: day(from),
            until: day(until),
            moderator: None,
        }
        .months()
    }

    #[test]
    fn whole_months_inside_a_window() {
        // A year from mid-month: eleven whole months, days at both edges.
        assert_eq!(
            months("2025-11-30", "2026-11-30"),
            (day("2025-12-01"), day("2026-11-01"))
        );
        // Exactly one month.
        assert_eq!(
            months("2026-11-01", "2026-12-01"),
            (day("2026-11-01"), day("2026-12-01"))
        );
        // No whole month: all days.
        assert_eq!(
            months("2026-11-03", "2026-11-30"),
            (day("2026-11-30"), day("2026-11-30"))
        );
        assert_eq!(month_start(day("2026-02-17")), day("2026-02-01"));
        let year = Window {
            sites: vec![],
            from: day("2025-11-30"),
            until: day("2026-11-30"),
            moderator: None,
        };
        assert_eq!(
            year.parts(),
            [
                ("day", day("2025-11-30"), day("2025-12-01")),
                ("month", day("2025-12-01"), day("2026-11-01")),
                ("day", day("2026-11-01"), day("2026-11-30")),
            ]
        );
        let days = Window {
            from: day("2026-11-03"),
            ..year
        };
        assert_eq!(
            days.parts(),
            [("day", day("2026-11-03"), day("2026-11-30"))]
        );
    }
}
