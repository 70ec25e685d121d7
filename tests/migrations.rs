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

fn audit_log_refuses_changes(backend: Backend) {
    use diesel::Connection;
    use diesel::connection::SimpleConnection;

    let Some(app) = crate::helpers::spawn_app(backend) else {
        return;
    };
    assert_eq!(app.post_simple("a1", "ada", "audited").status, 201);
    let mut attempts = Vec::new();
    for sql in [
        "UPDATE audit_log SET note = 'tampered'",
        "DELETE FROM audit_log",
        "DELETE FROM config_changes",
        "UPDATE config_changes SET detail = 'x'",
    ] {
        let result = match backend {
            Backend::Sqlite => {
                let path = app.db_url.trim_start_matches("sqlite://");
                diesel::SqliteConnection::establish(path)
                    .expect("connect")
                    .batch_execute(sql)
            }
            Backend::Postgres => diesel::PgConnection::establish(&app.db_url)
                .expect("connect")
                .batch_execute(sql),
        };
        attempts.push(result.map_err(|e| e.to_string()));
    }
    for attempt in attempts {
        let err = attempt.expect_err("the audit log must refuse changes");
        assert!(err.contains("append-only"), "{err}");
    }
    let history = app.get(
        &format!("/api/v1/comments/{}/history", app.queue_ids()[0]),
        &app.admin_token,
    );
    assert_eq!(history.body["items"][0]["note"], serde_json::Value::Null);
}

#[test]
fn audit_log_is_append_only_sqlite() {
    audit_log_refuses_changes(Backend::Sqlite);
}

#[test]
fn audit_log_is_append_only_postgres() {
    audit_log_refuses_changes(Backend::Postgres);
}
