//! Spawns the real server on port 0 against a fresh database per test and
//! talks HTTP to it.

use std::sync::{Arc, OnceLock};
use std::thread::JoinHandle;

use modq::accounts::{self, CreateModerator};
use modq::config::Settings;
use modq::domain::Role;
use modq::startup::{self, Application};
use serde_json::{Value, json};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// Runs `$body` once per backend as separate tests.
#[macro_export]
macro_rules! both_backends {
    ($name:ident, $body:expr) => {
        mod $name {
            use super::*;
            #[test]
            fn sqlite() {
                if let Some(app) = $crate::helpers::spawn_app($crate::helpers::Backend::Sqlite) {
                    ($body)(app);
                }
            }
            #[test]
            fn postgres() {
                if let Some(app) = $crate::helpers::spawn_app($crate::helpers::Backend::Postgres) {
                    ($body)(app);
                }
            }
        }
    };
}

pub struct TestApp {
    pub base: String,
    /// Key of site "alpha", which has the default guidelines.
    pub site_key: String,
    /// Key of a second site "beta", to check isolation.
    pub other_site_key: String,
    /// Token of an admin.
    pub admin_token: String,
    /// Token of a moderator assigned to "alpha" only.
    pub moderator_token: String,
    /// Web UI passwords of admin@example.com and mod@example.com.
    pub admin_password: String,
    pub moderator_password: String,
    pub db_url: String,
    agent: ureq::Agent,
    server: Option<(actix_web::dev::ServerHandle, JoinHandle<()>)>,
    cleanup: Cleanup,
}

/// Removes a test database when the test is done.
pub enum Cleanup {
    SqliteFile(std::path::PathBuf),
    PgDatabase {
        admin_url: String,
        name: String,
    },
    /// The database belongs to someone else, who removes it.
    Nothing,
}

pub struct Response {
    pub status: u16,
    pub body: Value,
    pub headers: Vec<(String, String)>,
}

impl Response {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

pub fn pg_admin_url() -> String {
    std::env::var("MODQ_TEST_PG_URL")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/test".to_owned())
}

fn pg_base(admin_url: &str) -> &str {
    admin_url
        .rsplit_once('/')
        .map(|(base, _)| base)
        .unwrap_or(admin_url)
}

/// `true` when PostgreSQL tests must run (CI) rather than skip.
fn pg_required() -> bool {
    std::env::var("CI").is_ok_and(|v| v == "true" || v == "1")
}

fn pg_available() -> bool {
    static AVAILABLE: OnceLock<bool> = OnceLock::new();
    *AVAILABLE.get_or_init(|| match modq::storage::pg_reachable(&pg_admin_url()) {
        Ok(()) => true,
        Err(err) if pg_required() => panic!("CI=true but PostgreSQL is unreachable: {err}"),
        Err(err) => {
            eprintln!(
                "skipping PostgreSQL tests: {} unreachable ({err})",
                pg_admin_url()
            );
            false
        }
    })
}

pub fn unique_name(prefix: &str) -> String {
    let mut buf = [0u8; 6];
    getrandom::fill(&mut buf).expect("random");
    let suffix: String = buf.iter().map(|b| format!("{b:02x}")).collect();
    format!("{prefix}_{}_{suffix}", std::process::id())
}

/// A fresh database URL for `backend`, or `None` when PostgreSQL is
/// unavailable outside CI.
pub fn fresh_database(backend: Backend) -> Option<(String, Cleanup)> {
    match backend {
        Backend::Sqlite => {
            let path = std::env::temp_dir().join(format!("{}.db", unique_name("modq_test")));
            Some((
                format!("sqlite://{}", path.display()),
                Cleanup::SqliteFile(path),
            ))
        }
        Backend::Postgres => {
            if !pg_available() {
                return None;
            }
            let admin_url = pg_admin_url();
            let name = unique_name("modq_test");
            modq::storage::create_pg_database(&admin_url, &name).expect("create test database");
            let url = format!("{}/{name}", pg_base(&admin_url));
            Some((url, Cleanup::PgDatabase { admin_url, name }))
        }
    }
}

pub fn settings_for(db_url: &str) -> Settings {
    settings_with(db_url, &[])
}

/// The test settings with `overrides` (`MODQ_*` variables) on top.
pub fn settings_with(db_url: &str, overrides: &[(&str, &str)]) -> Settings {
    let mut env = vec![
        ("MODQ_DATABASE_URL".to_owned(), db_url.to_owned()),
        ("MODQ_SERVER_BIND".to_owned(), "127.0.0.1:0".to_owned()),
        ("MODQ_SERVER_WORKERS".to_owned(), "2".to_owned()),
        ("MODQ_DATABASE_POOL_SIZE".to_owned(), "4".to_owned()),
        // Every test comment comes from one address; the rate limit tests
        // turn limits on themselves.
        (
            "MODQ_LIMITS_SUBMIT_PER_IP_PER_MINUTE".to_owned(),
            "0".to_owned(),
        ),
        (
            "MODQ_LIMITS_REPORTS_PER_IP_PER_MINUTE".to_owned(),
            "0".to_owned(),
        ),
        // Tests end with event streams still open; do not wait for them.
        (
            "MODQ_SERVER_SHUTDOWN_TIMEOUT_SECS".to_owned(),
            "0".to_owned(),
        ),
    ];
    // The first value of a variable wins: overrides go in front.
    let mut all: Vec<(String, String)> = overrides
        .iter()
        .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
        .collect();
    all.append(&mut env);
    Settings::load_from(None, &all).expect("test settings")
}

pub fn spawn_app(backend: Backend) -> Option<TestApp> {
    spawn_app_with(backend, &[])
}

/// [`spawn_app`] with settings overridden by `MODQ_*` variables.
pub fn spawn_app_with(backend: Backend, env: &[(&str, &str)]) -> Option<TestApp> {
    let (db_url, cleanup) = fresh_database(backend)?;
    Some(spawn_app_at(db_url, cleanup, env))
}

/// A test app on a database someone else made and will remove.
pub fn spawn_app_on(url: &str, env: &[(&str, &str)]) -> TestApp {
    spawn_app_at(url.to_owned(), Cleanup::Nothing, env)
}

fn spawn_app_at(db_url: String, cleanup: Cleanup, env: &[(&str, &str)]) -> TestApp {
    init_logs();
    let settings = settings_with(&db_url, env);
    let db = startup::open_database(&settings).expect("open database");
    let ids = startup::id_generator();
    // Test sites start without the starter rules, so that each test sees
    // only the rules it creates.
    let site = |name: &str| {
        let request = modq::sites::CreateSite {
            name: name.to_owned(),
            starter_rules: false,
        };
        modq::sites::create_site(&db, &ids, &request).expect("site")
    };
    let site_key = site("alpha");
    let other_site_key = site("beta");
    let mut passwords = Vec::new();
    for (email, role, sites) in [
        ("admin@example.com", Role::Admin, vec![]),
        ("mod@example.com", Role::Moderator, vec!["alpha".to_owned()]),
    ] {
        let password = accounts::create_moderator(
            &db,
            &ids,
            CreateModerator {
                email: email.to_owned(),
                role,
                site_names: sites,
            },
            "test",
        )
        .expect("moderator");
        passwords.push(password);
    }
    let admin_token =
        accounts::create_token(&db, &ids, "admin@example.com", "test").expect("token");
    let moderator_token =
        accounts::create_token(&db, &ids, "mod@example.com", "test").expect("token");

    let app = Application::build(&settings, db, Arc::clone(&ids)).expect("build app");
    let port = app.port();
    let handle = app.handle();
    let thread = std::thread::spawn(move || {
        app.serve_blocking().expect("server");
    });
    TestApp {
        base: format!("http://127.0.0.1:{port}"),
        site_key,
        other_site_key,
        admin_token,
        moderator_token,
        admin_password: passwords[0].clone(),
        moderator_password: passwords[1].clone(),
        db_url,
        agent: ureq::AgentBuilder::new()
            .timeout(std::time::Duration::from_secs(30))
            .build(),
        server: Some((handle, thread)),
        cleanup,
    }
}

fn init_logs() {
    static INIT: OnceLock<()> = OnceLock::new();
    INIT.get_or_init(|| {
        if std::env::var("TEST_LOG").is_ok() {
            modq::telemetry::init("debug", modq::config::LogFormat::Text);
        }
    });
}

impl Drop for TestApp {
    fn drop(&mut self) {
        if let Some((handle, thread)) = self.server.take() {
            actix_web::rt::System::new().block_on(handle.stop(true));
            let _ = thread.join();
        }
        self.cleanup.run();
    }
}

impl Cleanup {
    pub fn run(&self) {
        match self {
            Cleanup::SqliteFile(path) => {
                for suffix in ["", "-wal", "-shm"] {
                    let _ = std::fs::remove_file(format!("{}{suffix}", path.display()));
                }
            }
            Cleanup::PgDatabase { admin_url, name } => {
                let _ = modq::storage::drop_pg_database(admin_url, name);
            }
            Cleanup::Nothing => {}
        }
    }
}

/// Another modq process on the same database, as in a multi-instance
/// deployment: its own pool, its own id generator, its own port.
pub struct SecondInstance {
    pub base: String,
    server: Option<(actix_web::dev::ServerHandle, JoinHandle<()>)>,
}

impl Drop for SecondInstance {
    fn drop(&mut self) {
        if let Some((handle, thread)) = self.server.take() {
            actix_web::rt::System::new().block_on(handle.stop(true));
            let _ = thread.join();
        }
    }
}

impl TestApp {
    pub fn second_instance(&self) -> SecondInstance {
        self.second_instance_with(&[])
    }

    /// [`TestApp::second_instance`] with settings overridden by `MODQ_*`
    /// variables.
    pub fn second_instance_with(&self, env: &[(&str, &str)]) -> SecondInstance {
        let settings = settings_with(&self.db_url, env);
        let db = startup::open_database(&settings).expect("open database");
        let app = Application::build(&settings, db, startup::id_generator()).expect("build app");
        let base = format!("http://127.0.0.1:{}", app.port());
        let handle = app.handle();
        let thread = std::thread::spawn(move || app.serve_blocking().expect("server"));
        SecondInstance {
            base,
            server: Some((handle, thread)),
        }
    }

    /// Sends a request; `body` is sent verbatim with a JSON content type.
    pub fn raw(
        &self,
        method: &str,
        path: &str,
        bearer: Option<&str>,
        headers: &[(&str, &str)],
        body: Option<&[u8]>,
    ) -> Response {
        let mut req = self.agent.request(method, &format!("{}{path}", self.base));
        if let Some(token) = bearer {
            req = req.set("Authorization", &format!("Bearer {token}"));
        }
        let mut has_content_type = false;
        for (k, v) in headers {
            has_content_type |= k.eq_ignore_ascii_case("content-type");
            req = req.set(k, v);
        }
        if body.is_some() && !has_content_type {
            req = req.set("Content-Type", "application/json");
        }
        let result = match body {
            Some(bytes) => req.send_bytes(bytes),
            None => req.call(),
        };
        let resp = match result {
            Ok(resp) => resp,
            Err(ureq::Error::Status(_, resp)) => resp,
            Err(err) => panic!("{method} {path}: {err}"),
        };
        let status = resp.status();
        let headers = resp
            .headers_names()
            .into_iter()
            .filter_map(|name| resp.header(&name).map(|v| (name.clone(), v.to_owned())))
            .collect();
        let text = resp.into_string().expect("body");
        let body = if text.is_empty() {
            Value::Null
        } else {
            serde_json::from_str(&text).unwrap_or_else(|_| panic!("non-JSON body: {text}"))
        };
        Response {
            status,
            body,
            headers,
        }
    }

    pub fn get(&self, path: &str, bearer: &str) -> Response {
        self.raw("GET", path, Some(bearer), &[], None)
    }

    pub fn send(&self, method: &str, path: &str, bearer: &str, body: &Value) -> Response {
        self.raw(
            method,
            path,
            Some(bearer),
            &[],
            Some(body.to_string().as_bytes()),
        )
    }

    /// `POST /api/v1/comments` as site alpha.
    pub fn post_comment(&self, body: &Value) -> Response {
        self.send("POST", "/api/v1/comments", &self.site_key, body)
    }

    /// `POST /api/v1/comments` with a minimal valid body.
    pub fn post_simple(&self, article: &str, author: &str, text: &str) -> Response {
        self.post_comment(&comment_body(article, author, text))
    }

    /// `GET /api/v1/comments/{id}` as site alpha.
    pub fn get_comment(&self, id: &str) -> Response {
        self.get(&format!("/api/v1/comments/{id}"), &self.site_key)
    }

    /// `POST /api/v1/comments/{id}/decision` as the admin.
    pub fn decide(&self, id: &str, decision: Value) -> Response {
        self.send(
            "POST",
            &format!("/api/v1/comments/{id}/decision"),
            &self.admin_token,
            &decision,
        )
    }

    /// `GET /api/v1/queue` as the admin.
    pub fn queue(&self, query: &str) -> Response {
        self.get(&format!("/api/v1/queue{query}"), &self.admin_token)
    }

    /// `PUT /api/v1/site` as site alpha.
    pub fn put_site(&self, body: Value) -> Response {
        self.send("PUT", "/api/v1/site", &self.site_key, &body)
    }

    /// Ids of the comments in the admin's queue (first page of 200).
    pub fn queue_ids(&self) -> Vec<String> {
        let resp = self.queue("?limit=200");
        assert_eq!(resp.status, 200, "{}", resp.body);
        ids_of(&resp.body)
    }
}

/// The newest entry of a comment's audit trail, as site alpha reads it.
pub fn last_history_entry(app: &TestApp, id: &str) -> Value {
    let history = app.get(&format!("/api/v1/comments/{id}/history"), &app.site_key);
    assert_eq!(history.status, 200, "{}", history.body);
    history.body["items"]
        .as_array()
        .expect("items")
        .last()
        .expect("entry")
        .clone()
}

pub fn ids_of(list: &Value) -> Vec<String> {
    list["items"]
        .as_array()
        .expect("items")
        .iter()
        .map(|c| c["id"].as_str().expect("id").to_owned())
        .collect()
}

pub fn comment_body(article: &str, author: &str, text: &str) -> Value {
    json!({
        "article": {"id": article, "url": format!("https://news.example/{article}"), "title": format!("Story {article}")},
        "author": {"id": author, "name": format!("Reader {author}"), "email": format!("{author}@mail.example"), "ip": "203.0.113.9"},
        "body": text,
    })
}

/// The `modq` binary on `db_url`, quiet but for warnings.
pub fn modq(db_url: &str) -> std::process::Command {
    let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_modq"));
    cmd.env("MODQ_DATABASE_URL", db_url)
        .env("MODQ_SERVER_BIND", "127.0.0.1:0")
        .env("MODQ_SERVER_WORKERS", "1")
        .env("MODQ_LOG_FILTER", "warn")
        .env_remove("RUST_LOG");
    cmd
}

/// Runs a `modq` command to the end: whether it succeeded, its standard
/// output and its standard error.
pub fn run_modq(db_url: &str, args: &[&str]) -> (bool, String, String) {
    let out = modq(db_url).args(args).output().expect("run modq");
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// Moves a comment's submission time `minutes` into the past, straight in
/// the database: the only way to test an edit window of minutes without
/// waiting for it.
pub fn backdate_comment(app: &TestApp, id: &str, minutes: i64) {
    use diesel::prelude::*;
    use modq::storage::schema::comments;
    let id: i64 = id.parse().expect("comment id");
    let settings = settings_for(&app.db_url);
    let db = modq::storage::Database::connect(&settings.database).expect("connect");
    db.write_blocking(move |conn| -> Result<(), modq::storage::StorageError> {
        let created: chrono::NaiveDateTime = comments::table
            .find(id)
            .select(comments::created_at)
            .first(conn)?;
        diesel::update(comments::table.find(id))
            .set(comments::created_at.eq(created - chrono::Duration::minutes(minutes)))
            .execute(conn)?;
        Ok(())
    })
    .expect("backdate");
    db.shutdown();
}
