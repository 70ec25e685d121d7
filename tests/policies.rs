use serde_json::json;

use crate::both_backends;
use crate::helpers::TestApp;

both_backends!(post_moderation_holds_new_authors_only, |app: TestApp| {
    let site = app.put_site(json!({"default_policy": "post", "new_author_hold": 1}));
    assert_eq!(site.status, 200, "{}", site.body);
    assert_eq!(site.body["default_policy"], "post");

    let first = app.post_simple("a1", "ada", "my first comment");
    assert_eq!(first.body["status"], "pending");
    assert_eq!(first.body["policy"], "post");
    assert_eq!(first.body["reasons"][0]["code"], "new_author");
    let id = first.body["id"].as_str().expect("id");
    let approved = app.decide(id, json!({"action": "approve", "version": 1}));
    assert_eq!(approved.status, 200, "{}", approved.body);

    let second = app.post_simple("a1", "ada", "now I am known");
    assert_eq!(second.status, 201);
    assert_eq!(second.body["status"], "approved");
    assert_eq!(second.body["reasons"], json!([]));
    assert_eq!(second.body["author"]["approved_count"], 2);

    let stranger = app.post_simple("a1", "eve", "hello");
    assert_eq!(stranger.body["status"], "pending");

    app.put_site(json!({"new_author_hold": 0}));
    let unheld = app.post_simple("a1", "mallory", "no hold");
    assert_eq!(unheld.body["status"], "approved");
});

both_backends!(closed_articles_store_nothing, |app: TestApp| {
    app.post_simple("a1", "ada", "before closing");
    let closed = app.send(
        "PUT",
        "/api/v1/articles/a1",
        &app.site_key,
        &json!({"policy": "closed"}),
    );
    assert_eq!(closed.status, 200, "{}", closed.body);
    assert_eq!(closed.body["policy"], "closed");
    assert_eq!(closed.body["policy_override"], "closed");

    let refused = app.post_simple("a1", "bob", "too late");
    assert_eq!(refused.status, 409);
    assert_eq!(refused.body["error"]["code"], "comments_closed");
    assert_eq!(app.queue_ids().len(), 1, "nothing was stored");

    // Back to the site default (pre): accepted again.
    let reopened = app.send(
        "PUT",
        "/api/v1/articles/a1",
        &app.site_key,
        &json!({"policy": null}),
    );
    assert_eq!(reopened.body["policy"], "pre");
    assert_eq!(reopened.body["policy_override"], serde_json::Value::Null);
    assert_eq!(app.post_simple("a1", "bob", "open again").status, 201);

    // A site closed by default refuses comments on new articles and does not
    // create the article.
    app.put_site(json!({"default_policy": "closed"}));
    let refused = app.post_simple("brand-new", "bob", "hi");
    assert_eq!(refused.status, 409);
    assert_eq!(
        app.get("/api/v1/articles/brand-new", &app.site_key).status,
        404
    );
    assert_eq!(app.queue_ids().len(), 2);
});

both_backends!(article_settings_round_trip, |app: TestApp| {
    app.post_simple("news/2026/story", "ada", "hi");
    let path = "/api/v1/articles/news%2F2026%2Fstory";
    let got = app.get(path, &app.site_key);
    assert_eq!(got.status, 200, "{}", got.body);
    assert_eq!(got.body["id"], "news/2026/story");
    assert_eq!(got.body["policy"], "pre");
    assert_eq!(got.body["policy_override"], serde_json::Value::Null);

    let put = app.send(
        "PUT",
        path,
        &app.site_key,
        &json!({"policy": "post", "title": "Renamed", "url": "https://news.example/renamed"}),
    );
    assert_eq!(put.status, 200, "{}", put.body);
    let got = app.get(path, &app.site_key);
    assert_eq!(got.body["title"], "Renamed");
    assert_eq!(got.body["url"], "https://news.example/renamed");
    assert_eq!(got.body["policy"], "post");

    let bad = app.send("PUT", path, &app.site_key, &json!({"policy": "sometimes"}));
    assert_eq!(bad.status, 422);
    assert!(
        bad.body["error"]["message"]
            .as_str()
            .expect("message")
            .contains("policy")
    );
    assert_eq!(
        app.get(path, &app.site_key).body["policy"],
        "post",
        "unchanged"
    );

    // An article can be configured before its first comment.
    let early = app.send(
        "PUT",
        "/api/v1/articles/upcoming",
        &app.site_key,
        &json!({"policy": "closed"}),
    );
    assert_eq!(early.status, 200);
    assert_eq!(app.post_simple("upcoming", "ada", "hi").status, 409);
});

both_backends!(site_settings_validate_guidelines, |app: TestApp| {
    let got = app.get("/api/v1/site", &app.site_key);
    assert_eq!(got.status, 200);
    assert_eq!(got.body["name"], "alpha");
    assert_eq!(got.body["default_policy"], "pre");
    assert_eq!(got.body["new_author_hold"], 1);
    assert!(
        got.body["guidelines"]
            .as_array()
            .is_some_and(|g| !g.is_empty())
    );

    let guidelines = json!([
        {"code": "civil", "title": "Be civil", "text": "No insults."},
        {"code": "relevant", "title": "Stay relevant", "text": ""}
    ]);
    let put = app.put_site(json!({"guidelines": guidelines}));
    assert_eq!(put.status, 200, "{}", put.body);
    assert_eq!(put.body["guidelines"], guidelines);

    let dup = app.put_site(json!({"guidelines": [
        {"code": "x", "title": "X", "text": ""}, {"code": "x", "title": "Y", "text": ""}
    ]}));
    assert_eq!(dup.status, 422);
    let bad_hold = app.put_site(json!({"new_author_hold": -1}));
    assert_eq!(bad_hold.status, 422);
    let bad_policy = app.put_site(json!({"default_policy": "maybe"}));
    assert_eq!(bad_policy.status, 422);
    assert_eq!(
        app.get("/api/v1/site", &app.site_key).body["guidelines"],
        guidelines
    );
});
