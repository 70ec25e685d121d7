//! The `modq` binary as an operator runs it: first start, credentials
//! commands, and a hard kill that must not lose an acknowledged comment.

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};

use serde_json::json;

use crate::helpers::{Backend, comment_body, fresh_database, modq, run_modq as run};

/// Starts `modq serve` and returns it with everything it printed up to and
/// including the "listening" line, and the base URL from that line.
fn serve(db_url: &str) -> (Child, String, String) {
    serve_with(modq(db_url).stderr(Stdio::null()))
}

fn serve_with(cmd: &mut Command) -> (Child, String, String) {
    let mut child = cmd
        .arg("serve")
        .stdout(Stdio::piped())
        .spawn()
        .expect("spawn modq serve");
    let stdout = child.stdout.take().expect("stdout");
    let mut printed = String::new();
    let mut base = String::new();
    for line in BufReader::new(stdout).lines() {
        let line = line.expect("line");
        printed.push_str(&line);
        printed.push('\n');
        if let Some(url) = line.strip_prefix("modq is listening on ") {
            base = url.trim().to_owned();
            break;
        }
    }
    assert!(
        !base.is_empty(),
        "server never said it was listening:\n{printed}"
    );
    (child, printed, base)
}

fn value_after(printed: &str, label: &str) -> String {
    printed
        .lines()
        .find_map(|l| l.trim().strip_prefix(label))
        .map(|v| v.trim().to_owned())
        .unwrap_or_else(|| panic!("{label} not printed:\n{printed}"))
}

fn post(base: &str, key: &str, body: &serde_json::Value) -> (u16, serde_json::Value) {
    let resp = ureq::post(&format!("{base}/api/v1/comments"))
        .set("Authorization", &format!("Bearer {key}"))
        .send_json(body.clone());
    let resp = match resp {
        Ok(r) => r,
        Err(ureq::Error::Status(_, r)) => r,
        Err(e) => panic!("{e}"),
    };
    (resp.status(), resp.into_json().expect("json"))
}

fn get(base: &str, path: &str, key: &str) -> (u16, serde_json::Value) {
    let resp = ureq::get(&format!("{base}{path}"))
        .set("Authorization", &format!("Bearer {key}"))
        .call();
    let resp = match resp {
        Ok(r) => r,
        Err(ureq::Error::Status(_, r)) => r,
        Err(e) => panic!("{e}"),
    };
    (resp.status(), resp.into_json().expect("json"))
}

fn first_start_then_crash(backend: Backend) {
    let Some((url, cleanup)) = fresh_database(backend) else {
        return;
    };
    let (mut child, printed, base) = serve(&url);
    let key = value_after(&printed, "Site \"default\" API key:");
    let token = value_after(&printed, "Admin API token:");
    assert!(printed.contains("Admin password:"));
    assert!(
        printed.contains("curl -sS"),
        "a ready-to-paste curl is printed"
    );
    // The printed API document's address answers with the document.
    let doc = value_after(&printed, "The whole API, as OpenAPI 3.1:");
    assert_eq!(doc, format!("{base}/api/openapi.json"));
    let (status, spec) = get(&base, "/api/openapi.json", "");
    assert_eq!(status, 200);
    assert_eq!(spec["openapi"], "3.1.0");

    let (status, created) = post(
        &base,
        &key,
        &comment_body("crash", "ada", "survives a kill"),
    );
    assert_eq!(status, 201, "{created}");
    let id = created["id"].as_str().expect("id").to_owned();

    // SIGKILL: no graceful shutdown. A 201 must already be on disk.
    child.kill().expect("kill");
    child.wait().expect("wait");

    let (mut child, printed, base) = serve(&url);
    assert!(
        !printed.contains("API key"),
        "credentials are printed only once:\n{printed}"
    );
    let (status, fetched) = get(&base, &format!("/api/v1/comments/{id}"), &key);
    assert_eq!(status, 200);
    assert_eq!(fetched["body"], "survives a kill");
    let (status, queue) = get(&base, "/api/v1/queue", &token);
    assert_eq!(status, 200);
    assert_eq!(queue["items"][0]["id"], json!(id));
    child.kill().expect("kill");
    child.wait().expect("wait");
    cleanup.run();
}

#[test]
fn first_start_prints_credentials_once_and_survives_kill_sqlite() {
    first_start_then_crash(Backend::Sqlite);
}

#[test]
fn first_start_prints_credentials_once_and_survives_kill_postgres() {
    first_start_then_crash(Backend::Postgres);
}

#[test]
fn credential_commands_work() {
    let Some((url, cleanup)) = fresh_database(Backend::Sqlite) else {
        return;
    };
    let (ok, out, err) = run(&url, &["migrate"]);
    assert!(ok, "{err}");
    assert!(out.contains("up to date"));

    let (ok, out, err) = run(&url, &["site", "create", "news"]);
    assert!(ok, "{err}");
    let old_key = out.lines().last().expect("key").trim().to_owned();
    assert!(old_key.starts_with("mq_site_"));
    let (ok, _, err) = run(&url, &["site", "create", "news"]);
    assert!(!ok, "duplicate site names are refused");
    assert!(err.contains("exists"), "{err}");

    // Rules as code: the new site's starter rules round-trip through TOML.
    let dir = std::env::temp_dir().join(crate::helpers::unique_name("modq_rules"));
    std::fs::create_dir_all(&dir).expect("dir");
    let file = dir.join("rules.toml");
    let file_arg = file.to_str().expect("path");
    let (ok, _, err) = run(&url, &["rules", "export", file_arg, "--site", "news"]);
    assert!(ok, "{err}");
    let exported = std::fs::read_to_string(&file).expect("exported");
    assert_eq!(exported.matches("\n[[rules]]\n").count(), 6, "{exported}");
    assert!(exported.contains("name = \"Trading scams\""), "{exported}");
    let (ok, out, err) = run(&url, &["rules", "import", file_arg]);
    assert!(ok, "{err}");
    assert!(out.contains("0 created, 0 updated, 6 unchanged"), "{out}");
    let edited = exported.replacen("action = \"hold\"", "action = \"flag\"", 1)
        + "\n[[rules]]\nsite = \"news\"\nname = \"Lottery\"\naction = \"hold\"\n\n[rules.match]\nkind = \"terms\"\nterms = [\"lottery\"]\n";
    std::fs::write(&file, &edited).expect("write");
    let (ok, out, err) = run(&url, &["rules", "import", file_arg]);
    assert!(ok, "{err}");
    assert!(out.contains("1 created, 1 updated, 5 unchanged"), "{out}");
    std::fs::write(&file, "[[rules]]\nsite = \"news\"\nname = \"Bad\"\naction = \"hold\"\n[rules.match]\nkind = \"regex\"\npattern = \"(\"\n")
        .expect("write");
    let (ok, _, err) = run(&url, &["rules", "import", file_arg]);
    assert!(!ok, "a bad rule file is refused");
    assert!(
        err.contains("rules[0]") && err.contains("match.pattern"),
        "{err}"
    );
    let (ok, _, _) = run(&url, &["site", "create", "bare", "--no-starter-rules"]);
    assert!(ok);
    let (ok, out, err) = run(&url, &["rules", "export", "-", "--site", "bare"]);
    assert!(ok, "{err}");
    assert!(!out.contains("\n[[rules]]\n"), "{out}");
    std::fs::remove_dir_all(&dir).ok();

    let (ok, out, err) = run(&url, &["site", "rotate-key", "news"]);
    assert!(ok, "{err}");
    let new_key = out.lines().last().expect("key").trim().to_owned();
    assert_ne!(old_key, new_key);

    let (ok, out, err) = run(
        &url,
        &["moderator", "create", "Mod@Example.com", "--site", "news"],
    );
    assert!(ok, "{err}");
    assert!(
        out.contains("created moderator mod@example.com") || out.contains("Mod@Example.com"),
        "{out}"
    );
    let (ok, _, err) = run(
        &url,
        &["moderator", "create", "x@example.com", "--site", "nosuch"],
    );
    assert!(!ok);
    assert!(err.contains("nosuch"), "{err}");
    let (ok, out, err) = run(&url, &["moderator", "reset-password", "mod@example.com"]);
    assert!(ok, "{err}");
    assert_eq!(out.lines().last().expect("password").trim().len(), 24);
    let (ok, out, err) = run(&url, &["token", "create", "mod@example.com"]);
    assert!(ok, "{err}");
    let token = out.lines().last().expect("token").trim().to_owned();
    assert!(token.starts_with("mq_tok_"));
    let (ok, _, _) = run(&url, &["token", "create", "nobody@example.com"]);
    assert!(!ok);

    // The server started on this database has sites already: no bootstrap.
    let (mut child, printed, base) = serve(&url);
    assert!(!printed.contains("First start"), "{printed}");
    let body = comment_body("a1", "ada", "hi");
    assert_eq!(post(&base, &old_key, &body).0, 401, "rotated key is dead");
    assert_eq!(post(&base, &new_key, &body).0, 201);
    // The starter rules and the imported one are in force.
    let (status, held) = post(
        &base,
        &new_key,
        &comment_body("a1", "bob", "Guaranteed profits! Join the lottery"),
    );
    assert_eq!(status, 201);
    let rules: Vec<&str> = held["reasons"]
        .as_array()
        .expect("reasons")
        .iter()
        .filter(|r| r["source"] == "rule")
        .map(|r| r["span"]["text"].as_str().unwrap_or_default())
        .collect();
    assert_eq!(rules, ["Guaranteed profits", "lottery"], "{held}");
    let (status, queue) = get(&base, "/api/v1/queue", &token);
    assert_eq!(status, 200);
    assert_eq!(queue["items"].as_array().map(Vec::len), Some(2));
    child.kill().expect("kill");
    child.wait().expect("wait");
    cleanup.run();
}

/// Short commands on PostgreSQL used to die at exit, one run in five,
/// when the pool was still topping itself up in the background.
#[test]
fn short_commands_on_postgres_exit_cleanly() {
    let Some((url, cleanup)) = fresh_database(Backend::Postgres) else {
        return;
    };
    let (ok, _, err) = run(&url, &["site", "create", "exiting"]);
    assert!(ok, "{err}");
    for _ in 0..25 {
        let out = modq(&url)
            .args(["webhooks", "list", "--site", "exiting"])
            .output()
            .expect("run modq");
        assert!(
            out.status.success(),
            "{}: {}",
            out.status,
            String::from_utf8_lossy(&out.stderr)
        );
    }
    cleanup.run();
}

#[test]
fn unknown_database_scheme_is_a_clear_error() {
    let (ok, _, err) = run("mysql://root@localhost/modq", &["migrate"]);
    assert!(!ok);
    assert!(err.contains("unsupported database URL"), "{err}");
    assert!(err.contains("sqlite://"), "{err}");
}

#[test]
fn classifier_commands_measure_and_train() {
    let Some((url, _cleanup)) = fresh_database(Backend::Sqlite) else {
        return;
    };
    // `eval` on labelled text: one line per example, label TAB text.
    let dir = std::env::temp_dir().join(crate::helpers::unique_name("modq_eval"));
    std::fs::create_dir_all(&dir).expect("dir");
    let data = dir.join("labelled.tsv");
    let mut lines = String::new();
    for n in 0..30 {
        lines.push_str(&format!(
            "spam\tWin a free prize now, text CLAIM to 8{n:04} today\n"
        ));
        lines.push_str(&format!(
            "ham\tThe council meeting about the bus lanes runs late, item {n}\n"
        ));
    }
    std::fs::write(&data, lines).expect("write data");
    let data_arg = data.to_str().expect("path");
    let (ok, out, err) = run(
        &url,
        &["classifier", "eval", "--data", data_arg, "--cv", "3"],
    );
    assert!(ok, "{err}");
    assert!(
        out.contains("3-fold cross-validation: 60 examples, 30 positive"),
        "{out}"
    );
    let f1: f64 = value_after(&out, "F1").parse().expect("F1");
    assert!(f1 > 0.9, "{out}");
    assert!(err.contains("3/3 folds"), "a progress bar on stderr: {err}");
    let (ok, _, err) = run(&url, &["classifier", "eval", "--data", "/nonexistent.tsv"]);
    assert!(!ok);
    assert!(err.contains("cannot read /nonexistent.tsv"), "{err}");

    // `score` prints the seed models' scores.
    let (ok, out, err) = run(
        &url,
        &[
            "classifier",
            "score",
            "You are a complete idiot and a moron.",
        ],
    );
    assert!(ok, "{err}");
    assert!(
        out.contains("offensive\t1.0000\talt-profanity-check@1.9.1"),
        "{out}"
    );

    // `train` on a site without decisions says why it fitted nothing.
    let (ok, _, err) = run(&url, &["site", "create", "news"]);
    assert!(ok, "{err}");
    let (ok, out, err) = run(&url, &["classifier", "train", "--site", "news"]);
    assert!(ok, "{err}");
    assert!(
        out.contains("spam: not refitted: needs at least 10 rejections"),
        "{out}"
    );
    let (ok, _, err) = run(&url, &["classifier", "train", "--site", "nowhere"]);
    assert!(!ok);
    assert!(err.contains("no site named \"nowhere\""), "{err}");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn webhook_commands_add_list_and_remove() {
    let Some((url, cleanup)) = fresh_database(Backend::Sqlite) else {
        return;
    };
    let (ok, _, err) = run(&url, &["site", "create", "news"]);
    assert!(ok, "{err}");
    let (ok, out, err) = run(
        &url,
        &[
            "webhooks",
            "add",
            "--site",
            "news",
            "https://news.example/hook",
            "--event",
            "comment.rejected",
            "--event",
            "queue.alert",
        ],
    );
    assert!(ok, "{err}");
    assert!(
        out.starts_with("added webhook 1 for news: https://news.example/hook"),
        "{out}"
    );
    assert!(
        out.lines().last().is_some_and(|l| l.starts_with("whsec_")),
        "{out}"
    );
    let (ok, out, _) = run(&url, &["webhooks", "list", "--site", "news"]);
    assert!(ok);
    assert_eq!(
        out.trim(),
        "1\thttps://news.example/hook\tcomment.rejected,queue.alert\tmodq\tok\t0 waiting\t0 dead"
    );
    let (ok, _, err) = run(
        &url,
        &[
            "webhooks",
            "add",
            "--site",
            "news",
            "ftp://x",
            "--event",
            "comment.created",
        ],
    );
    assert!(!ok);
    assert!(
        err.contains("url: must start with http:// or https://"),
        "{err}"
    );
    let (ok, _, err) = run(
        &url,
        &["webhooks", "add", "--site", "nope", "https://x.example"],
    );
    assert!(!ok);
    assert!(err.contains("no site named \"nope\""), "{err}");
    let (ok, _, _) = run(&url, &["webhooks", "remove", "--site", "news", "1"]);
    assert!(ok);
    let (_, out, _) = run(&url, &["webhooks", "list", "--site", "news"]);
    assert_eq!(out.trim(), "news has no webhook endpoints");
    drop(cleanup);
}

#[test]
fn json_logs_carry_the_request_id() {
    let Some((url, cleanup)) = fresh_database(Backend::Sqlite) else {
        return;
    };
    let log_file = std::env::temp_dir().join(crate::helpers::unique_name("modq_log"));
    let log = std::fs::File::create(&log_file).expect("log file");
    let (mut child, printed, base) = serve_with(
        modq(&url)
            .env("MODQ_LOG_FORMAT", "json")
            .env("MODQ_LOG_FILTER", "modq=debug")
            .stderr(log),
    );
    let key = value_after(&printed, "Site \"default\" API key:");
    let resp = ureq::post(&format!("{base}/api/v1/comments"))
        .set("Authorization", &format!("Bearer {key}"))
        .set("X-Request-Id", "trace-me-42")
        .send_json(comment_body("a1", "ann", "Logged with its request."))
        .expect("created");
    assert_eq!(resp.header("X-Request-Id"), Some("trace-me-42"));
    // Ids that are not plain tokens are replaced.
    let resp = ureq::get(&format!("{base}/healthz"))
        .set("X-Request-Id", "<script>")
        .call()
        .expect("ok");
    let fresh = resp.header("X-Request-Id").expect("an id").to_owned();
    assert!(
        fresh.len() == 16 && fresh.bytes().all(|b| b.is_ascii_hexdigit()),
        "{fresh}"
    );
    std::thread::sleep(std::time::Duration::from_millis(200));
    child.kill().expect("kill");
    child.wait().expect("wait");
    let logged = std::fs::read_to_string(&log_file).expect("log");
    let line = logged
        .lines()
        .find(|l| l.contains("trace-me-42"))
        .unwrap_or_else(|| panic!("no line with the request id:\n{logged}"));
    let parsed: serde_json::Value = serde_json::from_str(line).expect("a JSON line");
    assert_eq!(parsed["span"]["request_id"], "trace-me-42", "{line}");
    assert_eq!(parsed["fields"]["message"], "served");
    assert_eq!(parsed["fields"]["status"], 201);
    let _ = std::fs::remove_file(&log_file);
    drop(cleanup);
}

/// Posts comments with Idempotency-Keys from four threads until the server
/// stops answering; returns every key tried, with the id if it was
/// acknowledged.
fn post_until_down(base: &str, key: &str) -> Vec<(String, serde_json::Value, Option<String>)> {
    let threads: Vec<_> = (0..4)
        .map(|t| {
            let (base, key) = (base.to_owned(), key.to_owned());
            std::thread::spawn(move || {
                let mut tried = Vec::new();
                for n in 0.. {
                    let idem = format!("load-{t}-{n}");
                    let body =
                        comment_body("load", &format!("reader{t}"), &format!("Comment {t}/{n}"));
                    let resp = ureq::post(&format!("{base}/api/v1/comments"))
                        .set("Authorization", &format!("Bearer {key}"))
                        .set("Idempotency-Key", &idem)
                        .timeout(std::time::Duration::from_secs(5))
                        .send_json(body.clone());
                    match resp {
                        Ok(r) => {
                            assert_eq!(r.status(), 201);
                            let created: serde_json::Value = r.into_json().expect("json");
                            let id = created["id"].as_str().expect("id").to_owned();
                            tried.push((idem, body, Some(id)));
                        }
                        Err(ureq::Error::Status(code, r)) => {
                            panic!("{code}: {}", r.into_string().unwrap_or_default())
                        }
                        // Down: this one may or may not have been stored.
                        Err(_) => {
                            tried.push((idem, body, None));
                            break;
                        }
                    }
                }
                tried
            })
        })
        .collect();
    threads
        .into_iter()
        .flat_map(|t| t.join().expect("load thread"))
        .collect()
}

/// Kills (`-9`) or stops (`-TERM`) the server under load, restarts it and
/// retries every key: each acknowledged key returns its original comment,
/// and every key is stored exactly once.
fn stop_under_load(backend: Backend, signal: &str) {
    let Some((url, cleanup)) = fresh_database(backend) else {
        return;
    };
    let no_limits = |url: &str| {
        let mut cmd = modq(url);
        cmd.env("MODQ_LIMITS_SUBMIT_PER_IP_PER_MINUTE", "0")
            .env("MODQ_SERVER_SHUTDOWN_TIMEOUT_SECS", "5")
            .stderr(Stdio::null());
        cmd
    };
    let (mut child, printed, base) = serve_with(&mut no_limits(&url));
    let key = value_after(&printed, "Site \"default\" API key:");
    let token = value_after(&printed, "Admin API token:");
    let load = {
        let (base, key) = (base.clone(), key.clone());
        std::thread::spawn(move || post_until_down(&base, &key))
    };
    std::thread::sleep(std::time::Duration::from_millis(500));
    let pid = child.id().to_string();
    let sent = Command::new("kill")
        .args([signal, &pid])
        .status()
        .expect("kill");
    assert!(sent.success());
    let status = child.wait().expect("wait");
    if signal == "-TERM" {
        assert!(
            status.success(),
            "a graceful stop exits cleanly: {status:?}"
        );
    }
    let tried = load.join().expect("load");
    let acknowledged = tried.iter().filter(|(_, _, id)| id.is_some()).count();
    assert!(
        acknowledged >= 20,
        "the load ran: {acknowledged} acknowledged"
    );

    let (mut child, _, base) = serve_with(&mut no_limits(&url));
    let mut ids = std::collections::HashSet::new();
    for (idem, body, acked) in &tried {
        let resp = ureq::post(&format!("{base}/api/v1/comments"))
            .set("Authorization", &format!("Bearer {key}"))
            .set("Idempotency-Key", idem)
            .send_json(body.clone())
            .expect("retry");
        let again: serde_json::Value = resp.into_json().expect("json");
        let id = again["id"].as_str().expect("id").to_owned();
        if let Some(acked) = acked {
            assert_eq!(&id, acked, "{idem}: the original comment, not a new one");
        }
        assert!(ids.insert(id), "{idem}: one comment per key");
    }
    // Nothing else was stored: the queue holds exactly one comment per key.
    let (_, metrics_text) = {
        let resp = ureq::get(&format!("{base}/metrics"))
            .call()
            .expect("metrics");
        (resp.status(), resp.into_string().expect("text"))
    };
    let pending: usize = metrics_text
        .lines()
        .find_map(|l| l.strip_prefix("modq_queue_pending{site=\"default\"} "))
        .and_then(|v| v.parse().ok())
        .expect("pending gauge");
    assert_eq!(pending, tried.len(), "0 lost, 0 duplicated");
    let _ = token;
    child.kill().expect("kill");
    child.wait().expect("wait");
    cleanup.run();
}

#[test]
fn kill_9_under_load_loses_and_duplicates_nothing_sqlite() {
    stop_under_load(Backend::Sqlite, "-KILL");
}

#[test]
fn kill_9_under_load_loses_and_duplicates_nothing_postgres() {
    stop_under_load(Backend::Postgres, "-KILL");
}

#[test]
fn sigterm_under_load_stops_cleanly_and_keeps_everything_sqlite() {
    stop_under_load(Backend::Sqlite, "-TERM");
}

#[test]
fn sigterm_under_load_stops_cleanly_and_keeps_everything_postgres() {
    stop_under_load(Backend::Postgres, "-TERM");
}
