//! Webhooks over real HTTP on both backends: endpoints through the API,
//! signed deliveries in order per comment, retries with the attempts in
//! the delivery log, redelivery, event filters, and dead letters.

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use serde_json::{Value, json};

use crate::helpers::{Backend, TestApp, spawn_app_with};

/// One request the receiver got.
#[derive(Debug, Clone)]
pub struct Received {
    headers: Vec<(String, String)>,
    body: String,
}

impl Received {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    pub fn json(&self) -> Value {
        serde_json::from_str(&self.body).expect("JSON payload")
    }
}

/// A webhook receiver on a loopback port. It answers each request with the
/// next status of `script`, then 200 once the script runs out.
pub struct Receiver {
    pub url: String,
    got: Arc<Mutex<Vec<Received>>>,
}

impl Receiver {
    pub fn start(script: Vec<u16>) -> Self {
        Self::start_at("127.0.0.1:0", script)
    }

    fn start_at(address: &str, script: Vec<u16>) -> Self {
        use std::io::{BufRead, BufReader, Read, Write};
        let listener = std::net::TcpListener::bind(address).expect("bind");
        let url = format!("http://{}/hook", listener.local_addr().expect("addr"));
        let got = Arc::new(Mutex::new(Vec::new()));
        let script = Arc::new(Mutex::new(script.into_iter()));
        let record = Arc::clone(&got);
        std::thread::spawn(move || {
            for stream in listener.incoming() {
                let Ok(stream) = stream else { continue };
                let mut reader = BufReader::new(stream);
                let mut headers = Vec::new();
                loop {
                    let mut line = String::new();
                    if reader.read_line(&mut line).unwrap_or(0) == 0 || line == "\r\n" {
                        break;
                    }
                    if let Some((k, v)) = line.split_once(':') {
                        headers.push((k.trim().to_owned(), v.trim().to_owned()));
                    }
                }
                let length = headers
                    .iter()
                    .find(|(k, _)| k.eq_ignore_ascii_case("content-length"))
                    .and_then(|(_, v)| v.parse().ok())
                    .unwrap_or(0);
                let mut body = vec![0; length];
                let _ = reader.read_exact(&mut body);
                record.lock().expect("lock").push(Received {
                    headers,
                    body: String::from_utf8_lossy(&body).into_owned(),
                });
                let status = script.lock().expect("lock").next().unwrap_or(200);
                let answer = if status == 200 { "thanks" } else { "try later" };
                let _ = write!(
                    reader.into_inner(),
                    "HTTP/1.1 {status} X\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{answer}",
                    answer.len()
                );
            }
        });
        Self { url, got }
    }

    pub fn received(&self) -> Vec<Received> {
        self.got.lock().expect("lock").clone()
    }

    /// Waits (up to 15 s) until `n` requests arrived.
    pub fn wait_for(&self, n: usize) -> Vec<Received> {
        let started = Instant::now();
        loop {
            let got = self.received();
            if got.len() >= n {
                return got;
            }
            assert!(
                started.elapsed() < Duration::from_secs(15),
                "only {} of {n} deliveries arrived: {got:?}",
                got.len()
            );
            std::thread::sleep(Duration::from_millis(20));
        }
    }
}

/// Fast retries, so a test sees several attempts in well under a second.
pub fn spawn(backend: Backend, retry_hours: &str) -> Option<TestApp> {
    spawn_app_with(
        backend,
        &[
            ("MODQ_WEBHOOKS_POLL_MS", "20"),
            ("MODQ_WEBHOOKS_BACKOFF_BASE_MS", "50"),
            ("MODQ_WEBHOOKS_RETRY_HOURS", retry_hours),
        ],
    )
}

pub fn create(app: &TestApp, body: Value) -> Value {
    let resp = app.send("POST", "/api/v1/webhooks", &app.site_key, &body);
    assert_eq!(resp.status, 201, "{}", resp.body);
    resp.body
}

fn signed_by(delivery: &Received, secret: &str) -> bool {
    let header = delivery.header("Modq-Signature").expect("signature header");
    let now = chrono::Utc::now().timestamp();
    modq::webhooks::verify(secret, header, delivery.body.as_bytes(), now, 300)
}

fn deliveries_and_retries(app: TestApp) {
    // The first two attempts fail; the receiver then recovers.
    let receiver = Receiver::start(vec![503, 503]);
    let hook = create(&app, json!({"url": receiver.url}));
    let secret = hook["secret"]
        .as_str()
        .expect("secret shown once")
        .to_owned();
    assert!(secret.starts_with("whsec_"), "{secret}");
    assert_eq!(hook["events"], json!([]), "every event");
    let listed = app.get("/api/v1/webhooks", &app.site_key);
    assert_eq!(listed.body["items"][0]["url"], receiver.url.as_str());
    assert!(
        listed.body["items"][0].get("secret").is_none(),
        "never shown again"
    );

    let comment = app.post_simple("a1", "ann", "A fair point about the budget.");
    let id = comment.body["id"].as_str().expect("id").to_owned();
    let held = comment.body["status"] == "pending";
    if !held {
        // Post-moderated: reopen it so a moderator can reject it.
        let reopened = app.decide(&id, json!({"action": "reopen", "version": 1}));
        assert_eq!(reopened.status, 200, "{}", reopened.body);
    }
    let version = if held { 1 } else { 2 };
    let rejected = app.decide(
        &id,
        json!({"action": "reject", "reason": "spam", "note": "link farm", "version": version}),
    );
    assert_eq!(rejected.status, 200, "{}", rejected.body);
    let expected: Vec<&str> = if held {
        vec!["comment.created", "comment.rejected"]
    } else {
        vec!["comment.created", "comment.reopened", "comment.rejected"]
    };

    // Two failed attempts, then every event once, in order.
    let got = receiver.wait_for(expected.len() + 2);
    let first_id = got[0].json()["id"].clone();
    assert_eq!(
        got[1].json()["id"],
        first_id,
        "the failed event is retried first"
    );
    assert_eq!(got[2].json()["id"], first_id);
    let delivered: Vec<Value> = got[2..].iter().map(Received::json).collect();
    let types: Vec<&str> = delivered
        .iter()
        .map(|e| e["type"].as_str().expect("type"))
        .collect();
    assert_eq!(types, expected, "in order per comment");
    for (raw, event) in got[2..].iter().zip(&delivered) {
        assert!(signed_by(raw, &secret), "{raw:?}");
        assert!(!signed_by(raw, "whsec_someone_else"));
        assert_eq!(raw.header("Modq-Event-Id"), event["id"].as_str());
        assert_eq!(event["site"], "alpha");
        assert_eq!(event["comment"]["id"], id.as_str());
    }
    let last = delivered.last().expect("rejection");
    assert_eq!(last["comment"]["status"], "rejected");
    assert_eq!(last["comment"]["decision"]["reason"]["code"], "spam");
    assert_eq!(
        last["comment"]["decision"]["reason"]["title"], "Spam or advertising",
        "the guideline's title, to tell the commenter"
    );
    assert_eq!(last["comment"]["decision"]["note"], "link farm");

    // The delivery log shows the retries (once the last attempt is
    // recorded, just after the receiver answered).
    let hook_id = hook["id"].as_str().expect("id");
    let started = Instant::now();
    let log = loop {
        let log = app.get(
            &format!("/api/v1/webhooks/{hook_id}/deliveries"),
            &app.site_key,
        );
        assert_eq!(log.status, 200, "{}", log.body);
        let all_delivered = log.body["items"]
            .as_array()
            .is_some_and(|items| items.iter().all(|d| d["state"] == "delivered"));
        if all_delivered || started.elapsed() > Duration::from_secs(10) {
            break log;
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    let items = log.body["items"].as_array().expect("items");
    assert_eq!(items.len(), expected.len());
    let created = items.last().expect("oldest last");
    assert_eq!(created["event_type"], "comment.created");
    assert_eq!(created["state"], "delivered");
    let codes: Vec<&Value> = created["attempts"]
        .as_array()
        .expect("attempts")
        .iter()
        .map(|a| &a["status_code"])
        .collect();
    assert_eq!(codes, [&json!(503), &json!(503), &json!(200)]);
    assert_eq!(created["attempts"][0]["response"], "try later");
    assert_eq!(created["attempts"][0]["error"], "HTTP 503");

    // Redelivery sends the same event again (receivers dedupe by id).
    let newest = &items[0];
    let redeliver = app.send(
        "POST",
        &format!(
            "/api/v1/webhooks/deliveries/{}/redeliver",
            newest["id"].as_str().expect("id")
        ),
        &app.site_key,
        &json!({}),
    );
    assert_eq!(redeliver.status, 202, "{}", redeliver.body);
    let again = receiver.wait_for(expected.len() + 3);
    assert_eq!(
        again.last().expect("again").json()["id"],
        newest["event_id"]
    );

    // Other sites see none of it.
    let other = app.get(
        &format!("/api/v1/webhooks/{hook_id}/deliveries"),
        &app.other_site_key,
    );
    assert_eq!(other.status, 404);
    let other = app.send(
        "DELETE",
        &format!("/api/v1/webhooks/{hook_id}"),
        &app.other_site_key,
        &json!({}),
    );
    assert_eq!(other.status, 404);
    let deleted = app.send(
        "DELETE",
        &format!("/api/v1/webhooks/{hook_id}"),
        &app.site_key,
        &json!({}),
    );
    assert_eq!(deleted.status, 204);
    assert_eq!(
        app.get("/api/v1/webhooks", &app.site_key).body["items"],
        json!([])
    );
}

fn filters_dead_letters_and_validation(app: TestApp) {
    // Only rejections, to a receiver that always fails; no retry time.
    let failing = Receiver::start(vec![500; 100]);
    let hook = create(
        &app,
        json!({"url": failing.url, "events": ["comment.rejected"], "secret": "a-secret-of-our-own"}),
    );
    assert_eq!(hook["events"], json!(["comment.rejected"]));
    assert_eq!(hook["secret"], "a-secret-of-our-own");
    let comment = app.post_simple("a1", "ann", "Plain words.");
    let id = comment.body["id"].as_str().expect("id");
    let version = comment.body["version"].as_i64().expect("version");
    if comment.body["status"] == "approved" {
        let reopened = app.decide(id, json!({"action": "reopen", "version": version}));
        assert_eq!(reopened.status, 200);
    }
    let current = app.get_comment(id).body["version"]
        .as_i64()
        .expect("version");
    let rejected = app.decide(
        id,
        json!({"action": "reject", "reason": "spam", "version": current}),
    );
    assert_eq!(rejected.status, 200, "{}", rejected.body);
    let got = failing.wait_for(1);
    assert_eq!(got[0].json()["type"], "comment.rejected");
    assert!(signed_by(&got[0], "a-secret-of-our-own"));

    // Out of retry time at once: dead, and the endpoint shows as failing.
    let hook_id = hook["id"].as_str().expect("id");
    let started = Instant::now();
    let listed = loop {
        let listed = app.get("/api/v1/webhooks", &app.site_key);
        if listed.body["items"][0]["dead"] == 1 || started.elapsed() > Duration::from_secs(10) {
            break listed;
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    let endpoint = &listed.body["items"][0];
    assert_eq!(endpoint["dead"], 1, "{}", listed.body);
    assert_eq!(endpoint["status"], "failing");
    assert_eq!(endpoint["last_error"], "HTTP 500");
    // Metrics say so too.
    let metrics = ureq::get(&format!("{}/metrics", app.base))
        .call()
        .expect("metrics")
        .into_string()
        .expect("text");
    let failing_line =
        format!("modq_webhook_endpoint_failing{{site=\"alpha\",endpoint=\"{hook_id}\"}} 1");
    assert!(metrics.lines().any(|l| l == failing_line), "{metrics}");
    assert!(
        metrics
            .lines()
            .any(|l| l == "modq_webhook_backlog{site=\"alpha\",state=\"dead\"} 1")
    );
    std::thread::sleep(Duration::from_millis(200));
    assert_eq!(
        failing.received().len(),
        1,
        "a dead delivery is not retried"
    );
    let log = app.get(
        &format!("/api/v1/webhooks/{hook_id}/deliveries"),
        &app.site_key,
    );
    assert_eq!(log.body["items"][0]["state"], "dead");

    // Bad endpoints are refused with the field named, and nothing is made.
    for (body, field) in [
        (json!({"url": "ftp://example.com/x"}), "url"),
        (
            json!({"url": "http://example.com", "events": ["comment.eaten"]}),
            "events",
        ),
        (
            json!({"url": "http://example.com", "format": "xml"}),
            "format",
        ),
        (
            json!({"url": "http://example.com", "secret": "short"}),
            "secret",
        ),
    ] {
        let resp = app.send("POST", "/api/v1/webhooks", &app.site_key, &body);
        assert_eq!(resp.status, 422, "{body}: {}", resp.body);
        assert!(
            resp.body["error"]["message"]
                .as_str()
                .is_some_and(|m| m.starts_with(field)),
            "{}",
            resp.body
        );
    }
    let unknown = app.send(
        "POST",
        "/api/v1/webhooks",
        &app.site_key,
        &json!({"url": "http://x", "colour": "red"}),
    );
    assert_eq!(unknown.status, 422, "{}", unknown.body);
    assert!(
        unknown.body["error"]["message"]
            .as_str()
            .is_some_and(|m| m.contains("colour"))
    );
    assert_eq!(
        app.get("/api/v1/webhooks", &app.site_key).body["items"]
            .as_array()
            .map(Vec::len),
        Some(1)
    );
}

#[test]
fn deliveries_retries_and_the_log_sqlite() {
    if let Some(app) = spawn(Backend::Sqlite, "24") {
        deliveries_and_retries(app);
    }
}

#[test]
fn deliveries_retries_and_the_log_postgres() {
    if let Some(app) = spawn(Backend::Postgres, "24") {
        deliveries_and_retries(app);
    }
}

#[test]
fn filters_dead_letters_and_validation_sqlite() {
    if let Some(app) = spawn(Backend::Sqlite, "0") {
        filters_dead_letters_and_validation(app);
    }
}

#[test]
fn filters_dead_letters_and_validation_postgres() {
    if let Some(app) = spawn(Backend::Postgres, "0") {
        filters_dead_letters_and_validation(app);
    }
}

fn queue_alerts(app: TestApp) {
    let modq_format = Receiver::start(Vec::new());
    let slack = Receiver::start(Vec::new());
    create(
        &app,
        json!({"url": modq_format.url, "events": ["queue.alert"]}),
    );
    create(
        &app,
        json!({"url": slack.url, "events": ["queue.alert"], "format": "slack"}),
    );
    let put = app.send(
        "PUT",
        "/api/v1/site/queue-alert",
        &app.site_key,
        &json!({"max_pending": 1, "oldest_pending_minutes": 60}),
    );
    assert_eq!(put.status, 200, "{}", put.body);
    assert_eq!(put.body["max_pending"], 1);
    let bad = app.send(
        "PUT",
        "/api/v1/site/queue-alert",
        &app.site_key,
        &json!({"max_pending": 0}),
    );
    assert_eq!(bad.status, 422, "{}", bad.body);

    // Two held comments: over the limit, one alert.
    let first = app.post_simple("a1", "ann", "First held comment.");
    assert_eq!(first.body["status"], "pending", "{}", first.body);
    app.post_simple("a1", "bob", "Second held comment.");
    let got = modq_format.wait_for(1);
    let alert = got[0].json();
    assert_eq!(alert["type"], "queue.alert");
    assert_eq!(alert["alert"]["state"], "firing");
    assert_eq!(alert["alert"]["pending"], 2);
    assert_eq!(alert["alert"]["thresholds"]["max_pending"], 1);
    let text = slack.wait_for(1)[0].json()["text"]
        .as_str()
        .expect("text")
        .to_owned();
    assert!(
        text.starts_with("[alpha] moderation queue needs attention: 2 pending"),
        "{text}"
    );
    let firing = app.get("/api/v1/site/queue-alert", &app.site_key);
    assert!(firing.body["firing_since"].is_string(), "{}", firing.body);

    // Still over: no second alert while it keeps firing.
    app.post_simple("a1", "cat", "Third held comment.");
    std::thread::sleep(Duration::from_millis(300));
    assert_eq!(modq_format.received().len(), 1);

    // Back under the limit: resolved, and armed again.
    for comment in app.queue("").body["items"]
        .as_array()
        .expect("items")
        .clone()
    {
        let id = comment["id"].as_str().expect("id");
        let decided = app.decide(
            id,
            json!({"action": "approve", "version": comment["version"]}),
        );
        assert_eq!(decided.status, 200, "{}", decided.body);
    }
    let got = modq_format.wait_for(2);
    assert_eq!(got[1].json()["alert"]["state"], "resolved");
    // Back under the limit can come with one comment still pending.
    assert!(
        got[1].json()["alert"]["pending"]
            .as_i64()
            .is_some_and(|n| n <= 1)
    );
    app.post_simple("a1", "dan", "Fourth held comment.");
    app.post_simple("a1", "eve", "Fifth held comment.");
    let got = modq_format.wait_for(3);
    assert_eq!(got[2].json()["alert"]["state"], "firing");
}

#[test]
fn queue_alerts_fire_once_and_again_after_recovery_sqlite() {
    if let Some(app) = spawn_alerting(Backend::Sqlite) {
        queue_alerts(app);
    }
}

#[test]
fn queue_alerts_fire_once_and_again_after_recovery_postgres() {
    if let Some(app) = spawn_alerting(Backend::Postgres) {
        queue_alerts(app);
    }
}

fn spawn_alerting(backend: Backend) -> Option<TestApp> {
    spawn_app_with(
        backend,
        &[
            ("MODQ_WEBHOOKS_POLL_MS", "20"),
            ("MODQ_WEBHOOKS_ALERT_CHECK_MS", "20"),
        ],
    )
}

fn admin_pages(app: TestApp) {
    use crate::web_client::Browser;
    let receiver = Receiver::start(Vec::new());
    let mut admin = Browser::new(&app);
    assert_eq!(
        admin
            .log_in("admin@example.com", &app.admin_password)
            .status,
        303
    );
    let page = admin.get("/sites/alpha/webhooks");
    assert_eq!(page.status, 200, "{}", page.html);
    assert!(page.html.contains("No endpoints yet."));
    let csrf = page.input("csrf");

    // Add an endpoint for rejections only; the secret is shown once.
    let added = admin.post_form(
        "/sites/alpha/webhooks",
        &[
            ("csrf", csrf.as_str()),
            ("url", receiver.url.as_str()),
            ("on_comment.rejected", "on"),
            ("format", "modq"),
            ("secret", ""),
        ],
    );
    assert_eq!(added.status, 200, "{}", added.html);
    assert!(
        added
            .html
            .contains("Its signing secret, shown only now: whsec_"),
        "{}",
        added.html
    );
    let listed = app.get("/api/v1/webhooks", &app.site_key).body;
    assert_eq!(listed["items"][0]["events"], json!(["comment.rejected"]));
    let hook_id = listed["items"][0]["id"].as_str().expect("id").to_owned();

    // A rejection goes out and shows in the delivery log.
    let comment = app.post_simple("a1", "ann", "Held for review.");
    let id = comment.body["id"].as_str().expect("id");
    let rejected = app.decide(
        id,
        json!({"action": "reject", "reason": "spam", "version": 1}),
    );
    assert_eq!(rejected.status, 200, "{}", rejected.body);
    receiver.wait_for(1);
    let started = Instant::now();
    let log = loop {
        let log = admin.get(&format!("/sites/alpha/webhooks/{hook_id}"));
        if log.html.contains("state-delivered") || started.elapsed() > Duration::from_secs(10) {
            break log;
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    assert_eq!(log.status, 200);
    assert!(log.html.contains("comment.rejected"), "{}", log.html);
    assert!(log.html.contains(": 200,"), "{}", log.html);
    let delivery = crate::web_client::id_in_action(
        &log.html,
        &format!("sites/alpha/webhooks/{hook_id}/deliveries"),
    );
    let again = admin.post_form(
        &format!("/sites/alpha/webhooks/{hook_id}/deliveries/{delivery}/redeliver"),
        &[("csrf", csrf.as_str())],
    );
    assert_eq!(again.status, 200, "{}", again.html);
    assert!(again.html.contains("will go out again"));
    receiver.wait_for(2);

    // The queue alert form saves, refuses nonsense, and keeps the rest.
    let saved = admin.post_form(
        "/sites/alpha/queue-alert",
        &[
            ("csrf", csrf.as_str()),
            ("oldest_pending_minutes", "45"),
            ("max_pending", ""),
        ],
    );
    assert_eq!(saved.status, 200, "{}", saved.html);
    let alert = app.get("/api/v1/site/queue-alert", &app.site_key).body;
    assert_eq!(
        (
            alert["oldest_pending_minutes"].clone(),
            alert["max_pending"].clone()
        ),
        (json!(45), Value::Null)
    );
    let refused = admin.post_form(
        "/sites/alpha/queue-alert",
        &[("csrf", csrf.as_str()), ("oldest_pending_minutes", "soon")],
    );
    assert_eq!(refused.status, 422);
    assert!(
        refused
            .html
            .contains("oldest_pending_minutes: must be a whole number")
    );
    assert_eq!(
        app.get("/api/v1/site/queue-alert", &app.site_key).body["oldest_pending_minutes"],
        45
    );

    // URLs are shown escaped; forged forms and moderators are refused.
    create(&app, json!({"url": "http://example.com/?q=<b>bold</b>"}));
    let page = admin.get("/sites/alpha/webhooks");
    assert!(
        page.html.contains("?q=&#60;b&#62;bold&#60;/b&#62;")
            || page.html.contains("?q=&lt;b&gt;bold&lt;/b&gt;"),
        "{}",
        page.html
    );
    assert!(!page.html.contains("<b>bold</b>"));
    let forged = admin.post_form("/sites/alpha/webhooks", &[("url", "http://example.com")]);
    assert_eq!(forged.status, 403);
    let removed = admin.post_form(
        &format!("/sites/alpha/webhooks/{hook_id}/delete"),
        &[("csrf", csrf.as_str())],
    );
    assert_eq!(removed.status, 200);
    assert!(!removed.html.contains(receiver.url.as_str()));
    let mut moderator = Browser::new(&app);
    moderator.log_in("mod@example.com", &app.moderator_password);
    assert_eq!(moderator.get("/sites/alpha/webhooks").status, 403);
}

#[test]
fn admin_pages_sqlite() {
    if let Some(app) = spawn(Backend::Sqlite, "24") {
        admin_pages(app);
    }
}

#[test]
fn admin_pages_postgres() {
    if let Some(app) = spawn(Backend::Postgres, "24") {
        admin_pages(app);
    }
}

/// Two instances share one PostgreSQL outbox: every event goes out once.
#[test]
fn two_instances_deliver_each_event_once() {
    let Some(app) = spawn(Backend::Postgres, "24") else {
        return;
    };
    let second = app.second_instance_with(&[("MODQ_WEBHOOKS_POLL_MS", "20")]);
    let receiver = Receiver::start(Vec::new());
    create(
        &app,
        json!({"url": receiver.url, "events": ["comment.created"]}),
    );
    for n in 0..30 {
        app.post_simple("a1", &format!("reader{n}"), &format!("Comment number {n}."));
    }
    let got = receiver.wait_for(30);
    std::thread::sleep(Duration::from_millis(300));
    let got_all = receiver.received();
    assert_eq!(
        got_all.len(),
        30,
        "no event twice: {}",
        got_all.len() - got.len()
    );
    let mut ids: Vec<String> = got_all
        .iter()
        .map(|r| r.json()["id"].as_str().expect("id").to_owned())
        .collect();
    ids.sort();
    ids.dedup();
    assert_eq!(ids.len(), 30);
    drop(second);
}

/// The receiver is down (nothing listens) for a while, then comes back on
/// the same address: every event arrives, in order, signed, and the log
/// shows the failed attempts.
fn receiver_down_then_back(app: TestApp) {
    let address = {
        let probe = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
        probe.local_addr().expect("addr").to_string()
    };
    let hook = create(&app, json!({"url": format!("http://{address}/hook")}));
    let secret = hook["secret"].as_str().expect("secret").to_owned();
    let comment = app.post_simple("a1", "ann", "Sent while the receiver is down.");
    let id = comment.body["id"].as_str().expect("id").to_owned();
    let rejected = app.decide(
        &id,
        json!({"action": "reject", "reason": "spam", "version": 1}),
    );
    assert_eq!(rejected.status, 200);
    // Let a few attempts fail on a refused connection.
    let hook_id = hook["id"].as_str().expect("id");
    let started = Instant::now();
    loop {
        let log = app.get(
            &format!("/api/v1/webhooks/{hook_id}/deliveries"),
            &app.site_key,
        );
        let created = log.body["items"]
            .as_array()
            .and_then(|i| i.last().cloned())
            .unwrap_or_default();
        if created["attempts"].as_array().is_some_and(|a| a.len() >= 2) {
            let attempt = &created["attempts"][0];
            assert_eq!(attempt["status_code"], Value::Null, "no answer: {attempt}");
            assert!(attempt["error"].as_str().is_some_and(|e| !e.is_empty()));
            break;
        }
        assert!(started.elapsed() < Duration::from_secs(10), "{}", log.body);
        std::thread::sleep(Duration::from_millis(20));
    }
    let listed = app.get("/api/v1/webhooks", &app.site_key);
    assert_eq!(listed.body["items"][0]["status"], "failing");

    // Back up: everything arrives, in order.
    let receiver = Receiver::start_at(&address, Vec::new());
    let got = receiver.wait_for(2);
    let types: Vec<String> = got
        .iter()
        .map(|r| r.json()["type"].as_str().expect("type").to_owned())
        .collect();
    assert_eq!(types, ["comment.created", "comment.rejected"]);
    assert!(got.iter().all(|r| signed_by(r, &secret)));
    let started = Instant::now();
    loop {
        let listed = app.get("/api/v1/webhooks", &app.site_key);
        if listed.body["items"][0]["status"] == "ok" {
            assert_eq!(listed.body["items"][0]["pending"], 0);
            break;
        }
        assert!(
            started.elapsed() < Duration::from_secs(10),
            "{}",
            listed.body
        );
        std::thread::sleep(Duration::from_millis(20));
    }
}

#[test]
fn receiver_down_then_back_sqlite() {
    if let Some(app) = spawn(Backend::Sqlite, "24") {
        receiver_down_then_back(app);
    }
}

#[test]
fn receiver_down_then_back_postgres() {
    if let Some(app) = spawn(Backend::Postgres, "24") {
        receiver_down_then_back(app);
    }
}

/// Old delivered and dead deliveries are forgotten; pending ones stay.
fn old_deliveries_are_forgotten(app: TestApp) {
    let receiver = Receiver::start(Vec::new());
    let delivered = create(&app, json!({"url": receiver.url}));
    let nowhere = {
        let probe = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
        format!("http://{}/hook", probe.local_addr().expect("addr"))
    };
    let pending = create(&app, json!({"url": nowhere}));
    app.post_simple("a1", "ann", "Goes out to one endpoint, not the other.");
    receiver.wait_for(1);
    let log = |hook: &Value| {
        let id = hook["id"].as_str().expect("id");
        app.get(&format!("/api/v1/webhooks/{id}/deliveries"), &app.site_key)
            .body["items"]
            .as_array()
            .cloned()
            .unwrap_or_default()
    };
    let started = Instant::now();
    while log(&delivered)
        .first()
        .is_none_or(|d| d["state"] != "delivered")
    {
        assert!(started.elapsed() < Duration::from_secs(10));
        std::thread::sleep(Duration::from_millis(20));
    }
    // Keeping nothing older than now: the delivered one goes.
    let db =
        modq::startup::open_database(&crate::helpers::settings_for(&app.db_url)).expect("database");
    std::thread::sleep(Duration::from_millis(5));
    let purged = modq::webhooks::purge_deliveries(&db, Duration::ZERO).expect("purge");
    assert_eq!(purged, 1);
    assert_eq!(log(&delivered), Vec::<Value>::new());
    assert_eq!(log(&pending).len(), 1, "still being retried");
    db.shutdown();
}

#[test]
fn old_deliveries_are_forgotten_sqlite() {
    if let Some(app) = spawn(Backend::Sqlite, "24") {
        old_deliveries_are_forgotten(app);
    }
}

#[test]
fn old_deliveries_are_forgotten_postgres() {
    if let Some(app) = spawn(Backend::Postgres, "24") {
        old_deliveries_are_forgotten(app);
    }
}
