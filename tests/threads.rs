//! Threads over HTTP on both backends: the approved comments as a tree with
//! placeholders for parents readers may not see, and rejecting a parent
//! holding the replies below it when the site asks for that.

use serde_json::{Value, json};

use crate::helpers::{Backend, TestApp, comment_body};
use crate::webhooks::{Received, Receiver, create};

fn reply(app: &TestApp, parent: Option<&str>, author: &str, text: &str) -> Value {
    let mut body = comment_body("t1", author, text);
    if let Some(parent) = parent {
        body["parent_id"] = json!(parent);
    }
    let resp = app.post_comment(&body);
    assert_eq!(resp.status, 201, "{}", resp.body);
    resp.body
}

fn id(comment: &Value) -> String {
    comment["id"].as_str().expect("id").to_owned()
}

/// The tree as `id(replies…)`, placeholders as `[reason id]`, with the
/// ids replaced by the names given.
fn shape(nodes: &Value, names: &[(&str, &str)]) -> String {
    let name = |id: &str| {
        names
            .iter()
            .find(|(i, _)| *i == id)
            .map_or(id.to_owned(), |(_, n)| (*n).to_owned())
    };
    nodes
        .as_array()
        .expect("nodes")
        .iter()
        .map(|n| {
            let head = if n["comment"].is_null() {
                format!(
                    "[{} {}]",
                    n["placeholder"]["reason"].as_str().expect("reason"),
                    name(n["placeholder"]["id"].as_str().expect("id"))
                )
            } else {
                name(n["comment"]["id"].as_str().expect("id"))
            };
            if n["replies"].as_array().expect("replies").is_empty() {
                head
            } else {
                format!("{head}({})", shape(&n["replies"], names))
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

fn tree(app: &TestApp, names: &[(&str, &str)]) -> String {
    let resp = app.get(
        "/api/v1/articles/t1/comments?status=approved&thread=tree",
        &app.site_key,
    );
    assert_eq!(resp.status, 200, "{}", resp.body);
    assert_eq!(resp.body["truncated"], false);
    shape(&resp.body["roots"], names)
}

fn reject(app: &TestApp, id: &str) -> Value {
    let current = app.get_comment(id).body;
    let mut version = current["version"].clone();
    if current["status"] == "approved" {
        let reopened = app.decide(id, json!({"action": "reopen", "version": version}));
        assert_eq!(reopened.status, 200, "{}", reopened.body);
        version = reopened.body["version"].clone();
    }
    let rejected = app.decide(
        id,
        json!({"action": "reject", "reason": "abuse", "version": version}),
    );
    assert_eq!(rejected.status, 200, "{}", rejected.body);
    rejected.body
}

fn threads(app: TestApp) {
    let receiver = Receiver::start(Vec::new());
    create(
        &app,
        json!({"url": receiver.url, "events": ["comment.reopened"]}),
    );
    let resp = app.put_site(json!({
        "default_policy": "post", "new_author_hold": 0,
        "threads": {"hold_replies_on_reject": true}
    }));
    assert_eq!(resp.status, 200, "{}", resp.body);
    assert_eq!(resp.body["threads"]["hold_replies_on_reject"], true);
    let rule = json!({"site": "alpha", "name": "Pills", "action": "hold", "reason": "spam",
                      "match": {"kind": "terms", "terms": ["cheap pills"]}});
    assert_eq!(
        app.send("POST", "/api/v1/rules", &app.admin_token, &rule)
            .status,
        201
    );

    let a = id(&reply(&app, None, "ann", "The root of it."));
    let b = id(&reply(&app, Some(&a), "ben", "A reply to Ann."));
    let c = id(&reply(&app, Some(&b), "cat", "A reply to Ben."));
    let d_body = reply(&app, Some(&a), "dan", "cheap pills, Ann");
    assert_eq!(d_body["status"], "pending");
    let d = id(&d_body);
    let e = id(&reply(&app, None, "eve", "Another root."));
    let names = [
        (a.as_str(), "A"),
        (b.as_str(), "B"),
        (c.as_str(), "C"),
        (d.as_str(), "D"),
        (e.as_str(), "E"),
    ];
    assert_eq!(tree(&app, &names), "A(B(C)) E");

    // A parent back in the queue becomes a placeholder; its replies stay.
    let reopened = app.decide(
        &a,
        json!({"action": "reopen", "version": app.get_comment(&a).body["version"]}),
    );
    assert_eq!(reopened.status, 200);
    assert_eq!(tree(&app, &names), "[pending A](B(C)) E");

    // Rejecting it holds every reply below it, at any depth.
    reject(&app, &a);
    assert_eq!(tree(&app, &names), "E");
    for reply in [&b, &c, &d] {
        let comment = app.get_comment(reply).body;
        assert_eq!(comment["status"], "pending", "{comment}");
        let codes: Vec<&str> = comment["reasons"]
            .as_array()
            .expect("reasons")
            .iter()
            .map(|r| r["code"].as_str().expect("code"))
            .collect();
        assert!(codes.contains(&"parent_rejected"), "{codes:?}");
    }
    let last = crate::helpers::last_history_entry(&app, &c);
    assert_eq!(last["action"], "hold");
    assert_eq!(
        (&last["from"], &last["to"]),
        (&json!("approved"), &json!("pending"))
    );
    assert_eq!(last["actor"], "moderator:admin@example.com");
    // The site heard that B and C are no longer published (A's own reopen
    // came first).
    let reopened: Vec<String> = receiver
        .wait_for(3)
        .iter()
        .map(Received::json)
        .map(|e| e["comment"]["id"].as_str().expect("id").to_owned())
        .collect();
    assert_eq!(reopened, [a.clone(), b.clone(), c.clone()]);

    // A new reply to the rejected comment waits too.
    let late = reply(&app, Some(&a), "fay", "Late to the party.");
    assert_eq!(late["status"], "pending", "{late}");
    assert_eq!(late["reasons"][0]["code"], "parent_rejected");

    // Without the setting, replies stay published under a placeholder.
    let resp = app.put_site(json!({"threads": {"hold_replies_on_reject": false}}));
    assert_eq!(resp.status, 200);
    let g = id(&reply(&app, Some(&e), "gus", "Replying to Eve."));
    reject(&app, &e);
    let names = [(e.as_str(), "E"), (g.as_str(), "G")];
    assert_eq!(tree(&app, &names), "[rejected E](G)");

    // The tree is for approved comments only, and takes no cursor.
    for query in [
        "status=pending&thread=tree",
        "thread=tree&cursor=5",
        "thread=forest",
    ] {
        let resp = app.get(
            &format!("/api/v1/articles/t1/comments?{query}"),
            &app.site_key,
        );
        assert_eq!(resp.status, 422, "{query}: {}", resp.body);
    }
    let missing = app.get("/api/v1/articles/nope/comments?thread=tree", &app.site_key);
    assert_eq!(missing.status, 404);
}

#[test]
fn threads_sqlite() {
    if let Some(app) = crate::webhooks::spawn(Backend::Sqlite, "24") {
        threads(app);
    }
}

#[test]
fn threads_postgres() {
    if let Some(app) = crate::webhooks::spawn(Backend::Postgres, "24") {
        threads(app);
    }
}
