//! Deleting a webhook endpoint while other instances write to its outbox
//! (PostgreSQL, where writers run side by side): an attempt being recorded
//! or an event being written for it finishes, and the delete still removes
//! everything, with no foreign-key error on either side.

use std::sync::{Arc, Barrier};
use std::time::Duration;

use modq::storage::webhooks::{AttemptOutcome, NewAttempt, NewDelivery, NewEndpoint};
use modq::storage::{self, Database, StorageError, sites::NewSite};

use crate::helpers::{Backend, Cleanup, fresh_database, settings_for};

const SITE: i64 = 1;

/// A migrated PostgreSQL database with one site, one endpoint and one
/// delivery to it; returns the endpoint and delivery ids.
fn outbox_with_one_delivery() -> Option<(Arc<Database>, Cleanup, i64, i64)> {
    let (url, cleanup) = fresh_database(Backend::Postgres)?;
    let db = Database::connect(&settings_for(&url).database).expect("connect");
    db.migrate().expect("migrate");
    let (endpoint, delivery) = db
        .write_blocking(|conn| {
            let now = storage::now();
            storage::sites::insert(
                conn,
                &NewSite {
                    id: SITE,
                    name: "alpha",
                    api_key_hash: "hash",
                    default_policy: "pre",
                    guidelines: "[]",
                    new_author_hold: 1,
                    created_at: now,
                    updated_at: now,
                },
            )?;
            let endpoint = storage::webhooks::insert_endpoint(
                conn,
                &NewEndpoint {
                    site_id: SITE,
                    url: "http://127.0.0.1:9/hook",
                    secret: "secret",
                    events: "*",
                    format: "modq",
                    created_at: now,
                },
            )?;
            insert_delivery(conn, endpoint.id, "evt_first")?;
            let delivery = storage::webhooks::deliveries(conn, endpoint.id, None, 1)?;
            Ok::<_, StorageError>((endpoint.id, delivery[0].id))
        })
        .expect("seed the outbox");
    Some((Arc::new(db), cleanup, endpoint, delivery))
}

fn insert_delivery(
    conn: &mut storage::DbConn,
    endpoint_id: i64,
    event_id: &str,
) -> Result<(), StorageError> {
    let now = storage::now();
    storage::webhooks::insert_deliveries(
        conn,
        &[NewDelivery {
            endpoint_id,
            site_id: SITE,
            event_id,
            event_type: "comment.created",
            comment_id: Some(7),
            payload: "{}",
            state: "pending",
            attempts: 0,
            next_attempt_at: now,
            created_at: now,
        }],
    )
}

type Write<T> = Box<dyn Fn(&mut storage::DbConn) -> Result<T, StorageError> + Send + Sync>;

/// Runs `first` in a transaction that, once its statements are done, lets
/// `second` start and then holds its locks a while before committing, so
/// that `second` has to wait for it.
fn second_waits_for_first<A: Send + 'static, B: Send + 'static>(
    db: &Arc<Database>,
    first: Write<A>,
    second: Write<B>,
) -> (Result<A, StorageError>, Result<B, StorageError>) {
    let started = Arc::new(Barrier::new(2));
    let writer = {
        let (db, started) = (db.clone(), started.clone());
        std::thread::spawn(move || {
            db.write_blocking(move |conn| {
                let out = first(conn)?;
                started.wait();
                std::thread::sleep(Duration::from_millis(400));
                Ok(out)
            })
        })
    };
    started.wait();
    let later = db.write_blocking(second);
    (writer.join().expect("writer thread"), later)
}

fn delete(endpoint: i64) -> Write<bool> {
    Box::new(move |conn| storage::webhooks::delete_endpoint(conn, endpoint))
}

/// Writes an event for the site: one delivery per endpoint it finds.
fn write_event() -> Write<usize> {
    Box::new(|conn| {
        let targets = storage::webhooks::endpoints_for_event(conn, SITE)?;
        for target in &targets {
            insert_delivery(conn, target.id, "evt_second")?;
        }
        Ok(targets.len())
    })
}

#[test]
fn deleting_an_endpoint_while_an_attempt_is_recorded() {
    let Some((db, cleanup, endpoint, delivery)) = outbox_with_one_delivery() else {
        return;
    };
    let record: Write<()> = Box::new(move |conn| {
        let now = storage::now();
        storage::webhooks::record_attempt(
            conn,
            &NewAttempt {
                delivery_id: delivery,
                attempted_at: now,
                status_code: Some(500),
                error: None,
                response_snippet: Some("down"),
                duration_ms: 3,
            },
            &AttemptOutcome {
                state: "pending",
                next_attempt_at: now,
                delivered_at: None,
            },
            now,
        )
    });
    let (recorded, deleted) = second_waits_for_first(&db, record, delete(endpoint));
    recorded.expect("the attempt is recorded");
    assert!(deleted.expect("the delete waits, then succeeds"));
    let left = db
        .read_blocking(move |conn| {
            Ok::<_, StorageError>((
                storage::webhooks::endpoint(conn, endpoint)?,
                storage::webhooks::delivery(conn, delivery)?,
                storage::webhooks::attempts(conn, &[delivery])?,
            ))
        })
        .expect("read");
    assert!(left.0.is_none() && left.1.is_none() && left.2.is_empty());

    // An attempt finishing after the delete records nothing and fails not.
    let late = db.write_blocking(move |conn| {
        let now = storage::now();
        storage::webhooks::record_attempt(
            conn,
            &NewAttempt {
                delivery_id: delivery,
                attempted_at: now,
                status_code: Some(200),
                error: None,
                response_snippet: None,
                duration_ms: 1,
            },
            &AttemptOutcome {
                state: "delivered",
                next_attempt_at: now,
                delivered_at: Some(now),
            },
            now,
        )
    });
    late.expect("an attempt on a deleted delivery is dropped");
    db.shutdown();
    cleanup.run();
}

#[test]
fn deleting_an_endpoint_while_an_event_is_written() {
    let Some((db, cleanup, endpoint, _)) = outbox_with_one_delivery() else {
        return;
    };
    let (written, deleted) = second_waits_for_first(&db, write_event(), delete(endpoint));
    assert_eq!(written.expect("the event is written"), 1);
    assert!(deleted.expect("the delete waits, then succeeds"));
    let left = db
        .read_blocking(move |conn| storage::webhooks::deliveries(conn, endpoint, None, 10))
        .expect("read");
    assert!(left.is_empty(), "deliveries left behind: {left:?}");

    // An event written after the delete finds no endpoint to go to.
    let targets = db
        .write_blocking(|conn| storage::webhooks::endpoints_for_event(conn, SITE))
        .expect("read endpoints");
    assert!(targets.is_empty());
    db.shutdown();
    cleanup.run();
}

#[test]
fn an_event_written_while_its_endpoint_is_deleted_skips_it() {
    let Some((db, cleanup, endpoint, _)) = outbox_with_one_delivery() else {
        return;
    };
    let (deleted, written) = second_waits_for_first(&db, delete(endpoint), write_event());
    assert!(deleted.expect("the delete succeeds"));
    assert_eq!(
        written.expect("the event waits for the delete, then is written"),
        0,
        "the deleted endpoint is not a target"
    );
    db.shutdown();
    cleanup.run();
}
