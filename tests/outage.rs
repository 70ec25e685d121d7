//! A database outage: a private PostgreSQL cluster on a port of its own is
//! stopped in the middle of a load, so the shared test server is never
//! touched. modq answers 503 `database_unavailable` within its timeout,
//! `/readyz` fails, and once the database is back modq recovers without a
//! restart, with nothing acknowledged lost.

use std::path::PathBuf;
use std::process::Command;
use std::time::{Duration, Instant};

use crate::helpers::{TestApp, comment_body, spawn_app_on};

/// A throwaway PostgreSQL cluster run as the `postgres` user.
struct Cluster {
    bin: PathBuf,
    dir: PathBuf,
    port: u16,
}

impl Cluster {
    /// `None` (and a line saying so) where PostgreSQL's server binaries
    /// are not installed; under `CI=true` that fails instead.
    fn start() -> Option<Self> {
        let bin = std::fs::read_dir("/usr/lib/postgresql")
            .ok()
            .and_then(|versions| {
                let mut found: Vec<PathBuf> = versions
                    .filter_map(|v| v.ok().map(|v| v.path().join("bin")))
                    .filter(|b| b.join("initdb").exists())
                    .collect();
                found.sort();
                found.pop()
            });
        let Some(bin) = bin else {
            assert!(
                std::env::var("CI").as_deref() != Ok("true"),
                "CI=true needs PostgreSQL's server binaries for the outage test"
            );
            eprintln!("skipped: no PostgreSQL server binaries under /usr/lib/postgresql");
            return None;
        };
        let dir = std::env::temp_dir().join(crate::helpers::unique_name("modq_pg_outage"));
        std::fs::create_dir_all(&dir).expect("dir");
        let port = {
            let probe = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
            probe.local_addr().expect("addr").port()
        };
        let cluster = Self { bin, dir, port };
        cluster.as_postgres(
            &["chown", "postgres", cluster.dir.to_str().expect("path")],
            true,
        );
        cluster.pg(&["initdb", "-D", "data", "-A", "trust", "-U", "postgres"]);
        cluster.up();
        Some(cluster)
    }

    fn as_postgres(&self, args: &[&str], root: bool) {
        let status = if root {
            Command::new(args[0]).args(&args[1..]).status()
        } else {
            Command::new("runuser")
                .args(["-u", "postgres", "--"])
                .args(args)
                .current_dir(&self.dir)
                .stdout(std::process::Stdio::null())
                .stderr(std::process::Stdio::null())
                .status()
        }
        .expect("run");
        assert!(status.success(), "{args:?}");
    }

    fn pg(&self, args: &[&str]) {
        let program = self.bin.join(args[0]);
        let mut all = vec![program.to_str().expect("path")];
        all.extend(&args[1..]);
        self.as_postgres(&all, false);
    }

    fn up(&self) {
        let options = format!(
            "-p {} -k {} -c listen_addresses=127.0.0.1",
            self.port,
            self.dir.display()
        );
        self.pg(&[
            "pg_ctl", "-D", "data", "-w", "-o", &options, "-l", "log", "start",
        ]);
    }

    /// As abrupt as a crash: open connections are cut.
    fn down(&self) {
        self.pg(&["pg_ctl", "-D", "data", "-w", "-m", "immediate", "stop"]);
    }

    fn url(&self) -> String {
        format!("postgres://postgres@127.0.0.1:{}/postgres", self.port)
    }
}

impl Drop for Cluster {
    fn drop(&mut self) {
        let _ = Command::new("runuser")
            .args(["-u", "postgres", "--"])
            .arg(self.bin.join("pg_ctl"))
            .args(["-D", "data", "-m", "immediate", "stop"])
            .current_dir(&self.dir)
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .status();
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

fn post(app: &TestApp, n: usize) -> crate::helpers::Response {
    app.post_comment(&comment_body(
        "outage",
        &format!("reader{n}"),
        &format!("Comment {n}"),
    ))
}

#[test]
fn a_database_outage_is_503_and_modq_recovers_without_a_restart() {
    let Some(cluster) = Cluster::start() else {
        return;
    };
    let app = spawn_app_on(&cluster.url(), &[("MODQ_DATABASE_POOL_TIMEOUT_SECS", "1")]);
    let mut acknowledged = Vec::new();
    for n in 0..10 {
        let resp = post(&app, n);
        assert_eq!(resp.status, 201, "{}", resp.body);
        acknowledged.push(resp.body["id"].as_str().expect("id").to_owned());
    }

    cluster.down();
    // Every answer is 201 or 503 database_unavailable, each within the
    // pool timeout and a margin; nothing else, nothing hangs.
    let mut unavailable = 0;
    for n in 10..20 {
        let started = Instant::now();
        let resp = post(&app, n);
        assert!(
            started.elapsed() < Duration::from_secs(4),
            "{:?}",
            started.elapsed()
        );
        match resp.status {
            201 => acknowledged.push(resp.body["id"].as_str().expect("id").to_owned()),
            503 => {
                assert_eq!(
                    resp.body["error"]["code"], "database_unavailable",
                    "{}",
                    resp.body
                );
                unavailable += 1;
            }
            other => panic!("{other}: {}", resp.body),
        }
    }
    assert!(
        unavailable >= 9,
        "the database is down: {unavailable} refusals"
    );
    let ready = app.raw("GET", "/readyz", None, &[], None);
    assert_eq!(ready.status, 503, "{}", ready.body);
    assert_eq!(app.raw("GET", "/healthz", None, &[], None).status, 200);

    cluster.up();
    // Back without a restart of modq.
    let started = Instant::now();
    loop {
        if app.raw("GET", "/readyz", None, &[], None).status == 200 {
            break;
        }
        assert!(
            started.elapsed() < Duration::from_secs(15),
            "modq did not recover"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
    let resp = post(&app, 99);
    assert_eq!(resp.status, 201, "{}", resp.body);
    for id in &acknowledged {
        let stored = app.get_comment(id);
        assert_eq!(stored.status, 200, "{id} was acknowledged: {}", stored.body);
    }
}
