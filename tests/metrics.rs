//! `GET /metrics` over HTTP on both backends: counters move with the work,
//! gauges come from the database, requests are timed by route pattern.

use serde_json::json;

use crate::helpers::{Backend, TestApp, spawn_app_with};

fn scrape(app: &TestApp, token: Option<&str>) -> (u16, String) {
    let mut req = ureq::get(&format!("{}/metrics", app.base));
    if let Some(token) = token {
        req = req.set("Authorization", &format!("Bearer {token}"));
    }
    match req.call() {
        Ok(resp) => (resp.status(), resp.into_string().expect("text")),
        Err(ureq::Error::Status(code, resp)) => (code, resp.into_string().unwrap_or_default()),
        Err(err) => panic!("{err}"),
    }
}

/// The value of the sample `series` (name and labels exactly), or 0.
fn sample(text: &str, series: &str) -> f64 {
    text.lines()
        .find_map(|l| l.strip_prefix(series)?.strip_prefix(' ')?.parse().ok())
        .unwrap_or(0.0)
}

fn metrics_follow_the_work(app: TestApp) {
    let (status, before) = scrape(&app, Some("scrape-me"));
    assert_eq!(status, 200, "{before}");
    assert_eq!(sample(&before, "modq_queue_pending{site=\"alpha\"}"), 0.0);
    assert!(before.contains("# TYPE modq_queue_pending gauge"));

    let first = app.post_simple("a1", "ann", "First words.");
    app.post_simple("a1", "bob", "Second words.");
    let id = first.body["id"].as_str().expect("id");
    let decided = app.decide(id, json!({"action": "approve", "version": 1}));
    assert_eq!(decided.status, 200);
    std::thread::sleep(std::time::Duration::from_millis(1100));

    let (_, after) = scrape(&app, Some("scrape-me"));
    // Counters are per process (other tests run in this one too): they
    // grow by at least what this test did.
    let ingested = "modq_comments_ingested_total{status=\"pending\"}";
    assert!(
        sample(&after, ingested) >= sample(&before, ingested) + 2.0,
        "{after}"
    );
    let approvals = "modq_decisions_total{action=\"approve\"}";
    assert!(
        sample(&after, approvals) >= sample(&before, approvals) + 1.0,
        "{after}"
    );
    // Gauges are this database's.
    assert_eq!(
        sample(&after, "modq_queue_pending{site=\"alpha\"}"),
        1.0,
        "{after}"
    );
    assert_eq!(sample(&after, "modq_queue_pending{site=\"beta\"}"), 0.0);
    let oldest = sample(&after, "modq_queue_oldest_pending_seconds{site=\"alpha\"}");
    assert!((1.0..60.0).contains(&oldest), "{oldest}");
    // Histograms: the classifier ran (the test sites have no rules), and
    // requests are labelled by route.
    let scored = "modq_classifier_scoring_seconds_count";
    assert!(
        sample(&after, scored) >= sample(&before, scored) + 2.0,
        "{after}"
    );
    let posts = "modq_http_request_duration_seconds_count{route=\"/api/v1/comments\",method=\"POST\",status=\"2xx\"}";
    assert!(sample(&after, posts) >= 2.0, "{after}");
    let decisions = "modq_http_request_duration_seconds_count{route=\"/api/v1/comments/{id}/decision\",method=\"POST\",status=\"2xx\"}";
    assert!(sample(&after, decisions) >= 1.0, "{after}");
    assert!(
        !after.contains(&format!("route=\"/api/v1/comments/{id}")),
        "no raw ids in labels"
    );

    // With a token set, scrapers must send it.
    assert_eq!(scrape(&app, None).0, 401);
    assert_eq!(scrape(&app, Some("wrong")).0, 401);
}

#[test]
fn metrics_follow_the_work_sqlite() {
    if let Some(app) = spawn_app_with(Backend::Sqlite, &[("MODQ_METRICS_TOKEN", "scrape-me")]) {
        metrics_follow_the_work(app);
    }
}

#[test]
fn metrics_follow_the_work_postgres() {
    if let Some(app) = spawn_app_with(Backend::Postgres, &[("MODQ_METRICS_TOKEN", "scrape-me")]) {
        metrics_follow_the_work(app);
    }
}
