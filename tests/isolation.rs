use serde_json::json;

use crate::both_backends;
use crate::helpers::{TestApp, comment_body};

both_backends!(sites_and_moderators_see_only_their_own, |app: TestApp| {
    let alpha = app.post_simple("shared-id", "ada", "alpha comment");
    let alpha_id = alpha.body["id"].as_str().expect("id").to_owned();
    let beta = app.send(
        "POST",
        "/api/v1/comments",
        &app.other_site_key,
        &comment_body("shared-id", "ada", "beta comment"),
    );
    assert_eq!(beta.status, 201);
    let beta_id = beta.body["id"].as_str().expect("id").to_owned();

    // Another site's key sees nothing of alpha.
    let path = format!("/api/v1/comments/{alpha_id}");
    assert_eq!(app.get(&path, &app.other_site_key).status, 404);
    assert_eq!(
        app.raw("DELETE", &path, Some(&app.other_site_key), &[], None)
            .status,
        404
    );
    assert_eq!(
        app.get(&format!("{path}/history"), &app.other_site_key)
            .status,
        404
    );
    let beta_article = app.get(
        "/api/v1/articles/shared-id/comments?status=pending",
        &app.other_site_key,
    );
    assert_eq!(beta_article.body["items"].as_array().map(Vec::len), Some(1));
    assert_eq!(beta_article.body["items"][0]["body"], "beta comment");

    // The alpha-only moderator sees alpha's queue and nothing of beta.
    let queue = app.get("/api/v1/queue", &app.moderator_token);
    assert_eq!(crate::helpers::ids_of(&queue.body), vec![alpha_id.clone()]);
    let forbidden = app.send(
        "POST",
        &format!("/api/v1/comments/{beta_id}/decision"),
        &app.moderator_token,
        &json!({"action": "approve", "version": 1}),
    );
    assert_eq!(forbidden.status, 404);
    assert_eq!(
        app.get(&format!("/api/v1/comments/{beta_id}"), &app.moderator_token)
            .status,
        404
    );
    assert_eq!(
        app.get("/api/v1/queue?site=beta", &app.moderator_token)
            .status,
        404
    );
    let allowed = app.send(
        "POST",
        &format!("/api/v1/comments/{alpha_id}/decision"),
        &app.moderator_token,
        &json!({"action": "approve", "version": 1}),
    );
    assert_eq!(allowed.status, 200, "{}", allowed.body);

    // The admin sees every site.
    assert_eq!(app.queue_ids(), vec![beta_id.clone()]);
    assert_eq!(
        app.get(&format!("/api/v1/comments/{beta_id}"), &app.admin_token)
            .status,
        200
    );
});

both_backends!(credentials_are_checked, |app: TestApp| {
    let body = comment_body("a1", "ada", "hi").to_string();
    let none = app.raw("POST", "/api/v1/comments", None, &[], Some(body.as_bytes()));
    assert_eq!(none.status, 401);
    assert_eq!(none.body["error"]["code"], "unauthorized");
    assert_eq!(none.header("www-authenticate"), Some("Bearer"));
    let wrong = app.raw(
        "POST",
        "/api/v1/comments",
        Some("mq_site_nope"),
        &[],
        Some(body.as_bytes()),
    );
    assert_eq!(wrong.status, 401);
    let garbage = app.raw(
        "POST",
        "/api/v1/comments",
        Some("hunter2"),
        &[],
        Some(body.as_bytes()),
    );
    assert_eq!(garbage.status, 401);
    // A moderator token cannot submit as a site, a site key cannot moderate.
    let as_moderator = app.raw(
        "POST",
        "/api/v1/comments",
        Some(&app.admin_token),
        &[],
        Some(body.as_bytes()),
    );
    assert_eq!(as_moderator.status, 401);
    assert_eq!(app.get("/api/v1/queue", &app.site_key).status, 401);
    assert!(app.queue_ids().is_empty(), "no comment was stored");
});
