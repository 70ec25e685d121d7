use serde_json::json;

use crate::both_backends;
use crate::helpers::{TestApp, comment_body};

both_backends!(
    pre_moderated_comment_is_held_and_readable,
    |app: TestApp| {
        let text = "  Exact <b>text</b> & \"quotes\"\r\nwith ünïcödé 😀 ";
        let created = app.post_comment(&comment_body("story-1", "ada", text));
        assert_eq!(created.status, 201, "{}", created.body);
        let c = &created.body;
        let id = c["id"].as_str().expect("id is a string");
        assert!(id.parse::<i64>().is_ok());
        assert_eq!(c["status"], "pending");
        assert_eq!(c["policy"], "pre");
        assert_eq!(c["body"], text, "body is kept byte for byte");
        assert_eq!(c["version"], 1);
        assert!(c["created_at"].as_str().is_some_and(|t| t.ends_with('Z')));
        let codes: Vec<&str> = c["reasons"]
            .as_array()
            .expect("reasons")
            .iter()
            .map(|r| r["code"].as_str().expect("code"))
            .collect();
        assert!(codes.contains(&"pre_moderated"), "{codes:?}");
        assert!(c["reasons"][0]["source"] == "policy");
        assert_eq!(
            created.header("location"),
            Some(format!("/api/v1/comments/{id}").as_str())
        );

        let fetched = app.get_comment(id);
        assert_eq!(fetched.status, 200);
        assert_eq!(fetched.body["body"], text);
        assert_eq!(fetched.body["status"], "pending");
        assert_eq!(fetched.body["decision"], serde_json::Value::Null);
        assert_eq!(fetched.body["article"]["title"], "Story story-1");

        assert_eq!(app.queue_ids(), vec![id.to_owned()]);
    }
);

both_backends!(reply_needs_parent_on_same_article, |app: TestApp| {
    let parent = app.post_simple("a1", "ada", "parent");
    let parent_id = parent.body["id"].as_str().expect("id").to_owned();
    let mut reply = comment_body("a1", "bob", "reply");
    reply["parent_id"] = json!(parent_id);
    let ok = app.post_comment(&reply);
    assert_eq!(ok.status, 201, "{}", ok.body);
    assert_eq!(ok.body["parent_id"], parent_id.as_str());

    let mut elsewhere = comment_body("a2", "bob", "reply on another article");
    elsewhere["parent_id"] = json!(parent_id);
    let bad = app.post_comment(&elsewhere);
    assert_eq!(bad.status, 422);
    assert_eq!(bad.body["error"]["code"], "invalid_parent");

    let mut missing = comment_body("a1", "bob", "reply to nothing");
    missing["parent_id"] = json!("12345");
    assert_eq!(app.post_comment(&missing).status, 422);
    assert_eq!(app.queue_ids().len(), 2, "rejected replies store nothing");
});

both_backends!(withdraw_is_audited_and_final, |app: TestApp| {
    let id = app.post_simple("a1", "ada", "oops").body["id"]
        .as_str()
        .expect("id")
        .to_owned();
    let path = format!("/api/v1/comments/{id}");
    let withdrawn = app.raw("DELETE", &path, Some(&app.site_key), &[], None);
    assert_eq!(withdrawn.status, 200, "{}", withdrawn.body);
    assert_eq!(withdrawn.body["status"], "withdrawn");
    assert_eq!(app.get_comment(&id).body["status"], "withdrawn");
    assert!(
        app.queue_ids().is_empty(),
        "withdrawn comments leave the queue"
    );

    let again = app.raw("DELETE", &path, Some(&app.site_key), &[], None);
    assert_eq!(again.status, 409);
    let decide = app.decide(&id, json!({"action": "approve", "version": 2}));
    assert_eq!(decide.status, 409);
    assert_eq!(decide.body["error"]["code"], "comment_withdrawn");

    let history = app.get(&format!("{path}/history"), &app.admin_token);
    let actions: Vec<&str> = history.body["items"]
        .as_array()
        .expect("items")
        .iter()
        .map(|e| e["action"].as_str().expect("action"))
        .collect();
    assert_eq!(actions, ["submit", "withdraw"]);
    assert_eq!(history.body["items"][1]["actor"], "site:alpha");
    assert_eq!(history.body["items"][1]["from"], "pending");
});

both_backends!(resource_snapshot, |app: TestApp| {
    let created = app.post_comment(&json!({
        "article": {"id": "snap", "url": "https://news.example/snap", "title": "Snapshot"},
        "author": {"id": "u1", "name": "Ada", "email": "ada@mail.example"},
        "body": "Hello",
        "client_ref": "wp-42"
    }));
    let mut body = created.body.clone();
    for field in ["id", "created_at", "updated_at"] {
        body[field] = json!(format!("[{field}]"));
    }
    insta::assert_json_snapshot!(body, @r#"
    {
      "article": {
        "id": "snap",
        "title": "Snapshot",
        "url": "https://news.example/snap"
      },
      "author": {
        "approved_count": 0,
        "email": "ada@mail.example",
        "id": "u1",
        "name": "Ada",
        "rejected_count": 0
      },
      "body": "Hello",
      "client_ref": "wp-42",
      "created_at": "[created_at]",
      "decision": null,
      "edited_at": null,
      "id": "[id]",
      "parent_id": null,
      "policy": "pre",
      "priority": 10,
      "reasons": [
        {
          "code": "pre_moderated",
          "message": "The article is pre-moderated: every comment waits for a moderator.",
          "source": "policy",
          "span": null
        },
        {
          "code": "new_author",
          "message": "The author has 0 approved comment(s); the site holds authors until 1 are approved.",
          "source": "policy",
          "span": null
        }
      ],
      "reports": {
        "hidden": false,
        "in_review": false,
        "open": 0
      },
      "revision": 1,
      "scores": [
        {
          "action": "none",
          "attribute": "spam",
          "model": "sms-spam-seed@1",
          "threshold": 0.9,
          "value": 0.5207
        },
        {
          "action": "none",
          "attribute": "offensive",
          "model": "alt-profanity-check@1.9.1",
          "threshold": 0.9,
          "value": 0.0243
        }
      ],
      "status": "pending",
      "updated_at": "[updated_at]",
      "version": 1
    }
    "#);
});
