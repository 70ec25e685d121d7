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

/// A database from before reasons were kept by revision: revert that
/// migration under edited comments and apply it again. Each revision keeps
/// its own reasons, in order, both ways.
fn reasons_move_to_rows_and_back(backend: Backend) {
    use diesel::Connection;
    use diesel_migrations::FileBasedMigrations;
    use serde_json::json;

    let Some(app) = crate::helpers::spawn_app(backend) else {
        return;
    };
    crate::edits::post_moderated_with_a_link_rule(&app);
    let posted = app.post_simple("m1", "ada", "First words.");
    let id = posted.body["id"].as_str().expect("id").to_owned();
    for body in ["Now see https://pills.example/buy", "Third and last words."] {
        let resp = app.send(
            "PUT",
            &format!("/api/v1/comments/{id}"),
            &app.site_key,
            &json!({ "body": body }),
        );
        assert_eq!(resp.status, 200, "{}", resp.body);
    }
    let revisions = |app: &crate::helpers::TestApp| {
        let resp = app.get(&format!("/api/v1/comments/{id}/revisions"), &app.site_key);
        assert_eq!(resp.status, 200, "{}", resp.body);
        resp.body
    };
    let before = revisions(&app);
    let codes = |revision: &serde_json::Value| -> Vec<String> {
        revision["reasons"]
            .as_array()
            .expect("reasons")
            .iter()
            .map(|r| r["code"].as_str().expect("code").to_owned())
            .collect()
    };
    assert_eq!(codes(&before["items"][1]), ["edited", "spam"], "{before}");
    assert_eq!(codes(&before["items"][2]), ["edited"], "{before}");

    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(match backend {
        Backend::Sqlite => "migrations/sqlite",
        Backend::Postgres => "migrations/postgres",
    });
    let migrations = FileBasedMigrations::from_path(dir).expect("migrations");
    let kept_as_json = match backend {
        Backend::Sqlite => {
            let path = app.db_url.trim_start_matches("sqlite://");
            down_and_up(
                &mut diesel::SqliteConnection::establish(path).expect("connect"),
                migrations,
            )
        }
        Backend::Postgres => down_and_up(
            &mut diesel::PgConnection::establish(&app.db_url).expect("connect"),
            migrations,
        ),
    };
    assert_eq!(kept_as_json.0, "20261129000019", "the migration reverted");
    // Down: the replaced bodies' reasons are JSON in their revisions again.
    let json: Vec<serde_json::Value> = kept_as_json
        .1
        .iter()
        .map(|j| serde_json::from_str(&j.reasons).expect("json"))
        .collect();
    assert_eq!(json.len(), 2);
    assert_eq!(json[1][1]["code"], "spam", "{json:?}");
    assert_eq!(json[1][1]["matched"], "https://pills.example/buy");
    // Up: the same revisions, with the same reasons.
    assert_eq!(revisions(&app), before);
    assert_eq!(
        codes(&app.get_comment(&id).body),
        ["edited"],
        "the current body has only its own reasons"
    );
}

/// Reverts the latest migration, reads every revision's reasons column,
/// and migrates up again. Returns the reverted version and the column.
fn down_and_up<C>(
    conn: &mut C,
    migrations: diesel_migrations::FileBasedMigrations,
) -> (String, Vec<Json>)
where
    C: diesel_migrations::MigrationHarness<C::Backend> + diesel::Connection,
    diesel::query_builder::SqlQuery: diesel::query_dsl::LoadQuery<'static, C, Json>,
{
    use diesel::RunQueryDsl;
    let reverted = conn
        .revert_last_migration(migrations.clone())
        .expect("down")
        .to_string();
    let json = diesel::sql_query(REVISION_REASONS)
        .load(conn)
        .expect("revisions");
    conn.run_pending_migrations(migrations).expect("up");
    (reverted, json)
}

/// The reasons column of every revision, in revision order.
const REVISION_REASONS: &str = "SELECT reasons FROM comment_revisions ORDER BY revision";

#[derive(diesel::QueryableByName)]
struct Json {
    #[diesel(sql_type = diesel::sql_types::Text)]
    reasons: String,
}

#[test]
fn reasons_by_revision_migrate_both_ways_sqlite() {
    reasons_move_to_rows_and_back(Backend::Sqlite);
}

#[test]
fn reasons_by_revision_migrate_both_ways_postgres() {
    reasons_move_to_rows_and_back(Backend::Postgres);
}
