use std::collections::BTreeSet;
use std::path::Path;

use crate::helpers::{Backend, fresh_database, settings_for};

fn migration_names(dir: &str) -> BTreeSet<String> {
    std::fs::read_dir(Path::new(env!("CARGO_MANIFEST_DIR")).join(dir))
        .expect("migrations dir")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect()
}

#[test]
fn both_backends_have_the_same_migrations() {
    let sqlite = migration_names("migrations/sqlite");
    let postgres = migration_names("migrations/postgres");
    assert!(!sqlite.is_empty());
    assert_eq!(sqlite, postgres);
    for name in &sqlite {
        for backend in ["sqlite", "postgres"] {
            for file in ["up.sql", "down.sql"] {
                let path = Path::new(env!("CARGO_MANIFEST_DIR"))
                    .join("migrations")
                    .join(backend)
                    .join(name)
                    .join(file);
                assert!(path.exists(), "{} is missing", path.display());
            }
        }
    }
}

fn round_trip(backend: Backend) -> Option<Vec<String>> {
    let (url, cleanup) = fresh_database(backend)?;
    let settings = settings_for(&url);
    let db = modq::storage::Database::connect(&settings.database).expect("connect");
    db.migrate().expect("up");
    let tables = db
        .read_blocking(modq::storage::migrations::table_names)
        .expect("tables");
    assert!(tables.contains(&"comments".to_owned()), "{tables:?}");
    db.revert_all().expect("down");
    let after_down = db
        .read_blocking(modq::storage::migrations::table_names)
        .expect("tables");
    assert!(
        after_down.is_empty(),
        "down leaves nothing behind: {after_down:?}"
    );
    db.migrate().expect("up again");
    let again = db
        .read_blocking(modq::storage::migrations::table_names)
        .expect("tables");
    assert_eq!(tables, again);
    db.shutdown();
    drop(db);
    cleanup.run();
    Some(tables)
}

#[test]
fn migrations_round_trip_and_backends_agree() {
    let sqlite = round_trip(Backend::Sqlite).expect("sqlite always runs");
    if let Some(postgres) = round_trip(Backend::Postgres) {
        assert_eq!(sqlite, postgres, "both backends create the same tables");
    }
}
