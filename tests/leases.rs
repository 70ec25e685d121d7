//! Leases: who is reviewing a pending comment, taken and renewed by one
//! moderator, refused to another, released on decision, expiring alone.

use serde_json::json;

use crate::both_backends;
use crate::helpers::{Backend, TestApp, comment_body, spawn_app_with};

fn lease(app: &TestApp, id: &str, token: &str) -> crate::helpers::Response {
    app.raw(
        "POST",
        &format!("/api/v1/comments/{id}/lease"),
        Some(token),
        &[],
        None,
    )
}

fn held(app: &TestApp) -> String {
    let resp = app.post_simple("a1", "ann", "Please review me.");
    assert_eq!(resp.status, 201, "{}", resp.body);
    resp.body["id"].as_str().expect("id").to_owned()
}

both_backends!(one_moderator_at_a_time, |app: TestApp| {
    let id = held(&app);
    let mine = lease(&app, &id, &app.moderator_token);
    assert_eq!(mine.status, 200, "{}", mine.body);
    assert_eq!(mine.body["moderator"], "mod@example.com");
    assert_eq!(mine.body["comment_id"], id.as_str());

    let refused = lease(&app, &id, &app.admin_token);
    assert_eq!(refused.status, 409, "{}", refused.body);
    assert_eq!(refused.body["error"]["code"], "leased");
    let message = refused.body["error"]["message"].as_str().expect("message");
    assert!(
        message.starts_with("being reviewed by mod@example.com until"),
        "{message}"
    );

    // Renewing one's own lease is fine; releasing lets others in.
    assert_eq!(lease(&app, &id, &app.moderator_token).status, 200);
    let path = format!("/api/v1/comments/{id}/lease");
    // Someone else's release leaves the lease alone.
    assert_eq!(
        app.raw("DELETE", &path, Some(&app.admin_token), &[], None)
            .status,
        204
    );
    assert_eq!(lease(&app, &id, &app.admin_token).status, 409);
    assert_eq!(
        app.raw("DELETE", &path, Some(&app.moderator_token), &[], None)
            .status,
        204
    );
    assert_eq!(lease(&app, &id, &app.admin_token).status, 200);
});

both_backends!(a_decision_releases_the_lease, |app: TestApp| {
    let id = held(&app);
    assert_eq!(lease(&app, &id, &app.moderator_token).status, 200);
    // Leases are advisory: the admin may still decide.
    let decided = app.decide(&id, json!({"action": "approve", "version": 1}));
    assert_eq!(decided.status, 200, "{}", decided.body);
    let after = lease(&app, &id, &app.moderator_token);
    assert_eq!(after.status, 409);
    assert_eq!(after.body["error"]["code"], "not_pending");
    // Reopened, the comment has no reviewer until someone takes it.
    let reopened = app.decide(&id, json!({"action": "reopen", "version": 2}));
    assert_eq!(reopened.status, 200, "{}", reopened.body);
    assert_eq!(lease(&app, &id, &app.admin_token).status, 200);
});

both_backends!(leases_stay_within_sites, |app: TestApp| {
    let other = app.send(
        "POST",
        "/api/v1/comments",
        &app.other_site_key,
        &comment_body("b1", "bo", "On the other site."),
    );
    let id = other.body["id"].as_str().expect("id");
    assert_eq!(lease(&app, id, &app.moderator_token).status, 404);
    assert_eq!(lease(&app, "12345", &app.moderator_token).status, 404);
    // Sites do not review comments.
    assert_eq!(lease(&app, id, &app.site_key).status, 401);
});

fn leases_expire(backend: Backend) {
    let Some(app) = spawn_app_with(backend, &[("MODQ_MODERATION_LEASE_SECS", "1")]) else {
        return;
    };
    let id = held(&app);
    assert_eq!(lease(&app, &id, &app.moderator_token).status, 200);
    assert_eq!(lease(&app, &id, &app.admin_token).status, 409);
    std::thread::sleep(std::time::Duration::from_millis(1_200));
    let taken = lease(&app, &id, &app.admin_token);
    assert_eq!(taken.status, 200, "{}", taken.body);
    assert_eq!(taken.body["moderator"], "admin@example.com");
}

#[test]
fn leases_expire_by_themselves_sqlite() {
    leases_expire(Backend::Sqlite);
}

#[test]
fn leases_expire_by_themselves_postgres() {
    leases_expire(Backend::Postgres);
}
