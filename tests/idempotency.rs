use serde_json::json;

use crate::both_backends;
use crate::helpers::{TestApp, comment_body};

both_backends!(same_key_same_body_replays, |app: TestApp| {
    let body = comment_body("a1", "ada", "only once").to_string();
    let headers = [("Idempotency-Key", "req-123")];
    let first = app.raw(
        "POST",
        "/api/v1/comments",
        Some(&app.site_key),
        &headers,
        Some(body.as_bytes()),
    );
    assert_eq!(first.status, 201, "{}", first.body);
    let second = app.raw(
        "POST",
        "/api/v1/comments",
        Some(&app.site_key),
        &headers,
        Some(body.as_bytes()),
    );
    assert_eq!(second.status, 200, "{}", second.body);
    assert_eq!(second.body["id"], first.body["id"]);
    assert_eq!(second.header("idempotent-replayed"), Some("true"));
    assert_eq!(app.queue_ids().len(), 1, "nothing new stored");

    let other = comment_body("a1", "ada", "a different text").to_string();
    let reused = app.raw(
        "POST",
        "/api/v1/comments",
        Some(&app.site_key),
        &headers,
        Some(other.as_bytes()),
    );
    assert_eq!(reused.status, 422);
    assert_eq!(reused.body["error"]["code"], "idempotency_key_reused");
    assert_eq!(app.queue_ids().len(), 1);

    // Keys are per site: another site may use the same key.
    let beta = app.raw(
        "POST",
        "/api/v1/comments",
        Some(&app.other_site_key),
        &headers,
        Some(body.as_bytes()),
    );
    assert_eq!(beta.status, 201);
    assert_ne!(beta.body["id"], first.body["id"]);
});

both_backends!(concurrent_replays_store_one_comment, |app: TestApp| {
    let app = std::sync::Arc::new(app);
    let body = comment_body("a1", "ada", "racing retries").to_string();
    let barrier = std::sync::Arc::new(std::sync::Barrier::new(6));
    let handles: Vec<_> = (0..6)
        .map(|_| {
            let (app, body, barrier) = (app.clone(), body.clone(), barrier.clone());
            std::thread::spawn(move || {
                barrier.wait();
                app.raw(
                    "POST",
                    "/api/v1/comments",
                    Some(&app.site_key),
                    &[("Idempotency-Key", "retry-storm")],
                    Some(body.as_bytes()),
                )
            })
        })
        .collect();
    let responses: Vec<_> = handles
        .into_iter()
        .map(|h| h.join().expect("thread"))
        .collect();
    let created = responses.iter().filter(|r| r.status == 201).count();
    let replayed = responses.iter().filter(|r| r.status == 200).count();
    assert_eq!(
        (created, replayed),
        (1, 5),
        "{:?}",
        responses.iter().map(|r| r.status).collect::<Vec<_>>()
    );
    let ids: std::collections::HashSet<_> =
        responses.iter().map(|r| r.body["id"].clone()).collect();
    assert_eq!(ids.len(), 1);
    assert_eq!(app.queue_ids().len(), 1);
    let _ = json!(null);
});

both_backends!(expired_keys_are_forgotten, |app: TestApp| {
    let headers = [("Idempotency-Key", "old-key")];
    let first = comment_body("a1", "ada", "first").to_string();
    let resp = app.raw(
        "POST",
        "/api/v1/comments",
        Some(&app.site_key),
        &headers,
        Some(first.as_bytes()),
    );
    assert_eq!(resp.status, 201);
    let settings = crate::helpers::settings_for(&app.db_url);
    let db = modq::storage::Database::connect(&settings.database).expect("connect");
    let kept = modq::intake::expire_idempotency_keys(&db, std::time::Duration::from_secs(3600))
        .expect("expire");
    assert_eq!(kept, 0, "a fresh key is kept");
    let expired =
        modq::intake::expire_idempotency_keys(&db, std::time::Duration::ZERO).expect("expire");
    assert_eq!(expired, 1);
    db.shutdown();
    // The key is free again: a different body is a new comment, not a 422.
    let second = comment_body("a1", "ada", "second").to_string();
    let resp = app.raw(
        "POST",
        "/api/v1/comments",
        Some(&app.site_key),
        &headers,
        Some(second.as_bytes()),
    );
    assert_eq!(resp.status, 201, "{}", resp.body);
    assert_eq!(app.queue_ids().len(), 2);
});
