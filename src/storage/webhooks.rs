//! Webhook endpoints, the outbox of deliveries, and their attempts.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::schema::{webhook_attempts, webhook_deliveries, webhook_endpoints};
use super::{DbConn, StorageResult};

#[derive(Debug, Clone, Queryable)]
pub struct EndpointRow {
    pub id: i64,
    pub site_id: i64,
    pub url: String,
    pub secret: String,
    pub events: String,
    pub format: String,
    pub created_at: NaiveDateTime,
}

#[derive(Debug, Insertable)]
#[diesel(table_name = webhook_endpoints)]
pub struct NewEndpoint<'a> {
    pub site_id: i64,
    pub url: &'a str,
    pub secret: &'a str,
    pub events: &'a str,
    pub format: &'a str,
    pub created_at: NaiveDateTime,
}

pub fn insert_endpoint(conn: &mut DbConn, new: &NewEndpoint<'_>) -> StorageResult<EndpointRow> {
    Ok(diesel::insert_into(webhook_endpoints::table)
        .values(new)
        .get_result(conn)?)
}

pub fn endpoints(conn: &mut DbConn, site_id: i64) -> StorageResult<Vec<EndpointRow>> {
    Ok(webhook_endpoints::table
        .filter(webhook_endpoints::site_id.eq(site_id))
        .order(webhook_endpoints::id)
        .load(conn)?)
}

pub fn all_endpoints(conn: &mut DbConn) -> StorageResult<Vec<EndpointRow>> {
    Ok(webhook_endpoints::table
        .order(webhook_endpoints::id)
        .load(conn)?)
}

pub fn endpoint(conn: &mut DbConn, id: i64) -> StorageResult<Option<EndpointRow>> {
    Ok(webhook_endpoints::table.find(id).first(conn).optional()?)
}

/// The site's endpoints an event in the calling transaction goes to. On
/// PostgreSQL they are share-locked, so an endpoint being deleted meanwhile
/// is waited for and skipped rather than referenced after it is gone.
pub fn endpoints_for_event(conn: &mut DbConn, site_id: i64) -> StorageResult<Vec<EndpointRow>> {
    let query = webhook_endpoints::table
        .filter(webhook_endpoints::site_id.eq(site_id))
        .order(webhook_endpoints::id);
    Ok(match conn {
        DbConn::Pg(pg) => query.for_key_share().load(pg)?,
        DbConn::Sqlite(_) => query.load(conn)?,
    })
}

/// Deletes an endpoint with its deliveries and their attempts. On
/// PostgreSQL the endpoint and its deliveries are locked first, so an event
/// being written for it or an attempt being recorded finishes before, or
/// waits and finds them gone; SQLite has one writer at a time.
pub fn delete_endpoint(conn: &mut DbConn, id: i64) -> StorageResult<bool> {
    if let DbConn::Pg(pg) = conn {
        webhook_endpoints::table
            .find(id)
            .select(webhook_endpoints::id)
            .for_update()
            .load::<i64>(pg)?;
        webhook_deliveries::table
            .filter(webhook_deliveries::endpoint_id.eq(id))
            .select(webhook_deliveries::id)
            .for_update()
            .load::<i64>(pg)?;
    }
    let deliveries = webhook_deliveries::table
        .filter(webhook_deliveries::endpoint_id.eq(id))
        .select(webhook_deliveries::id);
    diesel::delete(
        webhook_attempts::table.filter(webhook_attempts::delivery_id.eq_any(deliveries)),
    )
    .execute(conn)?;
    diesel::delete(webhook_deliveries::table.filter(webhook_deliveries::endpoint_id.eq(id)))
        .execute(conn)?;
    Ok(diesel::delete(webhook_endpoints::table.find(id)).execute(conn)? > 0)
}

#[derive(Debug, Clone, Queryable)]
pub struct DeliveryRow {
    pub id: i64,
    pub endpoint_id: i64,
    pub site_id: i64,
    pub event_id: String,
    pub event_type: String,
    pub comment_id: Option<i64>,
    pub payload: String,
    pub state: String,
    pub attempts: i32,
    pub next_attempt_at: NaiveDateTime,
    pub lease_until: Option<NaiveDateTime>,
    pub last_status: Option<i32>,
    pub last_error: Option<String>,
    pub created_at: NaiveDateTime,
    pub delivered_at: Option<NaiveDateTime>,
}

#[derive(Debug, Insertable)]
#[diesel(table_name = webhook_deliveries)]
pub struct NewDelivery<'a> {
    pub endpoint_id: i64,
    pub site_id: i64,
    pub event_id: &'a str,
    pub event_type: &'a str,
    pub comment_id: Option<i64>,
    pub payload: &'a str,
    pub state: &'a str,
    pub attempts: i32,
    pub next_attempt_at: NaiveDateTime,
    pub created_at: NaiveDateTime,
}

pub fn insert_deliveries(conn: &mut DbConn, new: &[NewDelivery<'_>]) -> StorageResult<()> {
    for one in new {
        diesel::insert_into(webhook_deliveries::table)
            .values(one)
            .execute(conn)?;
    }
    Ok(())
}

/// Pending deliveries that are due and not leased, oldest first, each the
/// earliest still pending for its endpoint and comment (events of one
/// comment go out in order).
pub fn due(conn: &mut DbConn, now: NaiveDateTime, limit: i64) -> StorageResult<Vec<DeliveryRow>> {
    let candidates: Vec<DeliveryRow> = webhook_deliveries::table
        .filter(webhook_deliveries::state.eq("pending"))
        .filter(webhook_deliveries::next_attempt_at.le(now))
        .filter(
            webhook_deliveries::lease_until
                .is_null()
                .or(webhook_deliveries::lease_until.lt(now)),
        )
        .order(webhook_deliveries::id)
        .limit(limit)
        .load(conn)?;
    let mut out = Vec::with_capacity(candidates.len());
    for row in candidates {
        let Some(comment_id) = row.comment_id else {
            out.push(row);
            continue;
        };
        let first: Option<i64> = webhook_deliveries::table
            .filter(webhook_deliveries::endpoint_id.eq(row.endpoint_id))
            .filter(webhook_deliveries::comment_id.eq(comment_id))
            .filter(webhook_deliveries::state.eq("pending"))
            .select(diesel::dsl::min(webhook_deliveries::id))
            .first(conn)?;
        if first == Some(row.id) {
            out.push(row);
        }
    }
    Ok(out)
}

/// Takes the delivery until `until` unless another worker holds it.
pub fn claim(
    conn: &mut DbConn,
    id: i64,
    now: NaiveDateTime,
    until: NaiveDateTime,
) -> StorageResult<bool> {
    let taken = diesel::update(
        webhook_deliveries::table
            .find(id)
            .filter(webhook_deliveries::state.eq("pending"))
            .filter(
                webhook_deliveries::lease_until
                    .is_null()
                    .or(webhook_deliveries::lease_until.lt(now)),
            ),
    )
    .set(webhook_deliveries::lease_until.eq(Some(until)))
    .execute(conn)?;
    Ok(taken == 1)
}

#[derive(Debug, Insertable)]
#[diesel(table_name = webhook_attempts)]
pub struct NewAttempt<'a> {
    pub delivery_id: i64,
    pub attempted_at: NaiveDateTime,
    pub status_code: Option<i32>,
    pub error: Option<&'a str>,
    pub response_snippet: Option<&'a str>,
    pub duration_ms: i64,
}

/// What an attempt leaves the delivery as.
#[derive(Debug, Clone, Copy)]
pub struct AttemptOutcome<'a> {
    pub state: &'a str,
    pub next_attempt_at: NaiveDateTime,
    pub delivered_at: Option<NaiveDateTime>,
}

/// Records an attempt and, if the delivery is still under the lease the
/// attempt was made with, its outcome, releasing the lease. A redelivery
/// asked for meanwhile clears the lease, so it is not overwritten. A
/// delivery deleted with its endpoint meanwhile records nothing: the row is
/// updated (and so locked) before the attempt refers to it.
pub fn record_attempt(
    conn: &mut DbConn,
    attempt: &NewAttempt<'_>,
    outcome: &AttemptOutcome<'_>,
    lease: NaiveDateTime,
) -> StorageResult<()> {
    let delivery = webhook_deliveries::table.find(attempt.delivery_id);
    let present = diesel::update(delivery)
        .set((
            webhook_deliveries::attempts.eq(webhook_deliveries::attempts + 1),
            webhook_deliveries::last_status.eq(attempt.status_code),
            webhook_deliveries::last_error.eq(attempt.error),
        ))
        .execute(conn)?;
    if present == 0 {
        return Ok(());
    }
    diesel::insert_into(webhook_attempts::table)
        .values(attempt)
        .execute(conn)?;
    diesel::update(delivery.filter(webhook_deliveries::lease_until.eq(lease)))
        .set((
            webhook_deliveries::state.eq(outcome.state),
            webhook_deliveries::next_attempt_at.eq(outcome.next_attempt_at),
            webhook_deliveries::lease_until.eq(None::<NaiveDateTime>),
            webhook_deliveries::delivered_at.eq(outcome.delivered_at),
        ))
        .execute(conn)?;
    Ok(())
}

/// Puts a delivery back in line to go out now, whatever became of it.
pub fn redeliver(conn: &mut DbConn, id: i64, now: NaiveDateTime) -> StorageResult<bool> {
    Ok(diesel::update(webhook_deliveries::table.find(id))
        .set((
            webhook_deliveries::state.eq("pending"),
            webhook_deliveries::next_attempt_at.eq(now),
            webhook_deliveries::lease_until.eq(None::<NaiveDateTime>),
            webhook_deliveries::delivered_at.eq(None::<NaiveDateTime>),
        ))
        .execute(conn)?
        > 0)
}

pub fn delivery(conn: &mut DbConn, id: i64) -> StorageResult<Option<DeliveryRow>> {
    Ok(webhook_deliveries::table.find(id).first(conn).optional()?)
}

/// An endpoint's deliveries, newest first.
pub fn deliveries(
    conn: &mut DbConn,
    endpoint_id: i64,
    before: Option<i64>,
    limit: i64,
) -> StorageResult<Vec<DeliveryRow>> {
    let mut query = webhook_deliveries::table
        .filter(webhook_deliveries::endpoint_id.eq(endpoint_id))
        .order(webhook_deliveries::id.desc())
        .limit(limit)
        .into_boxed();
    if let Some(before) = before {
        query = query.filter(webhook_deliveries::id.lt(before));
    }
    Ok(query.load(conn)?)
}

#[derive(Debug, Clone, Queryable)]
pub struct AttemptRow {
    pub id: i64,
    pub delivery_id: i64,
    pub attempted_at: NaiveDateTime,
    pub status_code: Option<i32>,
    pub error: Option<String>,
    pub response_snippet: Option<String>,
    pub duration_ms: i64,
}

pub fn attempts(conn: &mut DbConn, delivery_ids: &[i64]) -> StorageResult<Vec<AttemptRow>> {
    Ok(webhook_attempts::table
        .filter(webhook_attempts::delivery_id.eq_any(delivery_ids.to_vec()))
        .order(webhook_attempts::id)
        .load(conn)?)
}

/// Deletes delivered and dead deliveries created before `before`, with
/// their attempts; pending ones stay whatever their age. Returns how many
/// deliveries went.
pub fn purge(conn: &mut DbConn, before: NaiveDateTime) -> StorageResult<usize> {
    let finished = webhook_deliveries::table
        .filter(webhook_deliveries::state.ne("pending"))
        .filter(webhook_deliveries::created_at.lt(before))
        .select(webhook_deliveries::id);
    diesel::delete(webhook_attempts::table.filter(webhook_attempts::delivery_id.eq_any(finished)))
        .execute(conn)?;
    Ok(diesel::delete(
        webhook_deliveries::table
            .filter(webhook_deliveries::state.ne("pending"))
            .filter(webhook_deliveries::created_at.lt(before)),
    )
    .execute(conn)?)
}

/// The endpoint's most recent delivery attempt.
pub fn last_attempt(conn: &mut DbConn, endpoint_id: i64) -> StorageResult<Option<AttemptRow>> {
    Ok(webhook_attempts::table
        .inner_join(webhook_deliveries::table)
        .filter(webhook_deliveries::endpoint_id.eq(endpoint_id))
        .order(webhook_attempts::id.desc())
        .select(webhook_attempts::all_columns)
        .first(conn)
        .optional()?)
}

/// Per site: deliveries still pending, and dead ones.
pub fn backlog_by_site(conn: &mut DbConn) -> StorageResult<Vec<(i64, String, i64)>> {
    Ok(webhook_deliveries::table
        .filter(webhook_deliveries::state.ne("delivered"))
        .group_by((webhook_deliveries::site_id, webhook_deliveries::state))
        .select((
            webhook_deliveries::site_id,
            webhook_deliveries::state,
            diesel::dsl::count_star(),
        ))
        .load(conn)?)
}

/// Per endpoint of every site: deliveries still pending, and dead ones.
pub fn backlog_by_endpoint(conn: &mut DbConn) -> StorageResult<Vec<(i64, String, i64)>> {
    Ok(webhook_deliveries::table
        .filter(webhook_deliveries::state.ne("delivered"))
        .group_by((webhook_deliveries::endpoint_id, webhook_deliveries::state))
        .select((
            webhook_deliveries::endpoint_id,
            webhook_deliveries::state,
            diesel::dsl::count_star(),
        ))
        .load(conn)?)
}

/// Per endpoint: deliveries still pending, and dead ones.
pub fn backlog(conn: &mut DbConn, site_id: i64) -> StorageResult<Vec<(i64, String, i64)>> {
    Ok(webhook_deliveries::table
        .filter(webhook_deliveries::site_id.eq(site_id))
        .filter(webhook_deliveries::state.ne("delivered"))
        .group_by((webhook_deliveries::endpoint_id, webhook_deliveries::state))
        .select((
            webhook_deliveries::endpoint_id,
            webhook_deliveries::state,
            diesel::dsl::count_star(),
        ))
        .load(conn)?)
}
