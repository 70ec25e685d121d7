//! The write path: concurrent writes are committed together on SQLite, and a
//! write that fails after changing rows leaves nothing behind while its
//! neighbours in the same batch commit.

use std::sync::{Arc, Barrier};

use modq::domain::IdGenerator;
use modq::storage::{self, Database, StorageError, sites::NewSite};

use crate::helpers::{Backend, fresh_database, settings_for};

fn insert_site(conn: &mut storage::DbConn, id: i64, name: &str) -> Result<(), StorageError> {
    let now = storage::now();
    storage::sites::insert(
        conn,
        &NewSite {
            id,
            name,
            api_key_hash: &format!("hash-{name}"),
            default_policy: "pre",
            guidelines: "[]",
            new_author_hold: 1,
            created_at: now,
            updated_at: now,
        },
    )
}

/// A write run by [`race_writes`]: the writer's index and the connection.
type RacingWrite = fn(&mut storage::DbConn, &IdGenerator, usize) -> Result<(), StorageError>;

/// Starts `writers` threads that issue `write` at the same moment, so that
/// they share group-commit batches, and returns each result in order.
fn race_writes(
    db: &Arc<Database>,
    writers: usize,
    write: RacingWrite,
) -> Vec<Result<(), StorageError>> {
    let ids = Arc::new(IdGenerator::new(1));
    let barrier = Arc::new(Barrier::new(writers));
    let handles: Vec<_> = (0..writers)
        .map(|i| {
            let (db, ids, barrier) = (db.clone(), ids.clone(), barrier.clone());
            std::thread::spawn(move || {
                barrier.wait();
                db.write_blocking(move |conn| write(conn, &ids, i))
            })
        })
        .collect();
    handles
        .into_iter()
        .map(|h| h.join().expect("thread"))
        .collect()
}

fn failing_writes_roll_back_alone(backend: Backend) {
    let Some((url, cleanup)) = fresh_database(backend) else {
        return;
    };
    let db = Database::connect(&settings_for(&url).database).expect("connect");
    db.migrate().expect("migrate");
    let db = Arc::new(db);
    let writers = 40;
    let results = race_writes(&db, writers, |conn, ids, i| {
        if i % 4 == 2 {
            // Fails before writing anything.
            return Err(StorageError::NotFound);
        }
        insert_site(conn, ids.next(), &format!("site-{i}"))?;
        if i % 4 == 1 {
            // Fails after writing: must be undone.
            return Err(StorageError::Query("refused after a write".into()));
        }
        Ok(())
    });
    for (i, result) in results.iter().enumerate() {
        assert_eq!(
            result.is_ok(),
            i % 4 != 1 && i % 4 != 2,
            "write {i}: {result:?}"
        );
    }
    for i in 0..writers {
        let name = format!("site-{i}");
        let lookup = name.clone();
        let found = db
            .read_blocking(move |conn| storage::sites::find_by_name(conn, &lookup))
            .expect("read");
        assert_eq!(found.is_some(), i % 4 == 0 || i % 4 == 3, "{name}");
    }
    db.shutdown();
    cleanup.run();
}

#[test]
fn failing_writes_roll_back_alone_sqlite() {
    failing_writes_roll_back_alone(Backend::Sqlite);
}

#[test]
fn failing_writes_roll_back_alone_postgres() {
    failing_writes_roll_back_alone(Backend::Postgres);
}

#[test]
fn a_clean_failure_does_not_disturb_its_batch() {
    let Some((url, cleanup)) = fresh_database(Backend::Sqlite) else {
        return;
    };
    let db = Arc::new(Database::connect(&settings_for(&url).database).expect("connect"));
    db.migrate().expect("migrate");
    let writers = 40;
    let results = race_writes(&db, writers, |conn, ids, i| {
        if i % 3 == 0 {
            // Refused before any write, like a closed article.
            return Err(StorageError::NotFound);
        }
        insert_site(conn, ids.next(), &format!("ok-{i}"))
    });
    let ok = results.iter().filter(|r| r.is_ok()).count();
    assert_eq!(ok, (0..writers).filter(|i| i % 3 != 0).count());
    let count = db.read_blocking(storage::sites::count).expect("count");
    assert_eq!(count as usize, ok);
    db.shutdown();
    cleanup.run();
}

#[test]
fn a_panicking_write_is_rolled_back_and_the_writer_carries_on() {
    let Some((url, cleanup)) = fresh_database(Backend::Sqlite) else {
        return;
    };
    let db = Database::connect(&settings_for(&url).database).expect("connect");
    db.migrate().expect("migrate");
    let ids = Arc::new(IdGenerator::new(3));
    let panicking = {
        let ids = ids.clone();
        db.write_blocking(move |conn| -> Result<(), StorageError> {
            insert_site(conn, ids.next(), "doomed")?;
            panic!("a bug inside a write");
        })
    };
    assert!(panicking.is_err());
    let after = {
        let ids = ids.clone();
        db.write_blocking(move |conn| insert_site(conn, ids.next(), "survivor"))
    };
    assert!(after.is_ok(), "{after:?}");
    let names: Vec<bool> = ["doomed", "survivor"]
        .iter()
        .map(|name| {
            let name = name.to_string();
            db.read_blocking(move |conn| storage::sites::find_by_name(conn, &name))
                .expect("read")
                .is_some()
        })
        .collect();
    assert_eq!(names, [false, true]);
    db.shutdown();
    cleanup.run();
}
