//! Edits over HTTP on both backends: revisions with the old body, the new
//! body re-checked under the article's policy, the Edited tab, version and
//! edit-window conflicts, and the audit trail with its webhooks.

use serde_json::{Value, json};

use crate::helpers::{Backend, TestApp, backdate_comment};
use crate::webhooks::{Receiver, create, spawn};

fn edit(app: &TestApp, id: &str, body: Value) -> crate::helpers::Response {
    app.send(
        "PUT",
        &format!("/api/v1/comments/{id}"),
        &app.site_key,
        &body,
    )
}

fn codes(comment: &Value) -> Vec<String> {
    comment["reasons"]
        .as_array()
        .expect("reasons")
        .iter()
        .map(|r| r["code"].as_str().expect("code").to_owned())
        .collect()
}

fn tab_ids(app: &TestApp, tab: &str) -> Vec<String> {
    let resp = app.queue(&format!("?tab={tab}&site=alpha"));
    assert_eq!(resp.status, 200, "{}", resp.body);
    crate::helpers::ids_of(&resp.body)
}

fn event_types(receiver: &Receiver, n: usize, comment: &str) -> Vec<String> {
    receiver
        .wait_for(n)
        .iter()
        .map(Received::json)
        .filter(|e| e["comment"]["id"] == comment)
        .map(|e| e["type"].as_str().expect("type").to_owned())
        .collect()
}

use crate::webhooks::Received;

/// Post-moderates the site, with a rule that holds links to pills.example
/// (reason `spam`); returns the rule.
pub fn post_moderated_with_a_link_rule(app: &TestApp) -> crate::helpers::Response {
    let resp = app.put_site(json!({"default_policy": "post", "new_author_hold": 0}));
    assert_eq!(resp.status, 200, "{}", resp.body);
    let rule = app.send(
        "POST",
        "/api/v1/rules",
        &app.admin_token,
        &json!({"site": "alpha", "name": "Pill shops", "action": "hold", "reason": "spam",
                "match": {"kind": "links", "block_domains": ["pills.example"]}}),
    );
    assert_eq!(rule.status, 201, "{}", rule.body);
    rule
}

fn an_edit_that_adds_a_banned_link_goes_back_to_the_queue(app: TestApp) {
    let receiver = Receiver::start(Vec::new());
    create(&app, json!({"url": receiver.url}));
    let rule = post_moderated_with_a_link_rule(&app);

    let posted = app.post_simple("e1", "ada", "Great article, thanks.");
    assert_eq!(posted.body["status"], "approved", "{}", posted.body);
    let id = posted.body["id"].as_str().expect("id").to_owned();
    assert_eq!(posted.body["revision"], 1);

    let edited = edit(
        &app,
        &id,
        json!({"body": "Great article, thanks. Cheap meds at https://pills.example/buy", "version": 1}),
    );
    assert_eq!(edited.status, 200, "{}", edited.body);
    assert_eq!(edited.body["status"], "pending");
    assert_eq!(edited.body["revision"], 2);
    assert_eq!(edited.body["version"], 2);
    assert!(edited.body["edited_at"].is_string());
    assert_eq!(codes(&edited.body), ["edited", "spam"], "{}", edited.body);
    // The answer is built from what the edit wrote, not read back: it is
    // exactly what a read of the comment now returns.
    assert_eq!(app.get_comment(&id).body, edited.body);
    let link = &edited.body["reasons"][1];
    assert_eq!(link["span"]["text"], "https://pills.example/buy", "{link}");
    assert!(
        edited.body["reasons"][0]["message"]
            .as_str()
            .expect("message")
            .contains("after it was approved")
    );
    // The author's approved count no longer includes it.
    assert_eq!(edited.body["author"]["approved_count"], 0);

    // Both the Pending and the Edited tab show it; Approved no longer does.
    assert_eq!(tab_ids(&app, "edited"), vec![id.clone()]);
    assert!(tab_ids(&app, "pending").contains(&id));
    assert!(!tab_ids(&app, "approved").contains(&id));

    // The old body is kept, with the status it had.
    let revisions = app.get(&format!("/api/v1/comments/{id}/revisions"), &app.site_key);
    assert_eq!(revisions.status, 200, "{}", revisions.body);
    let items = revisions.body["items"].as_array().expect("items");
    assert_eq!(items.len(), 2);
    assert_eq!(items[0]["revision"], 1);
    assert_eq!(items[0]["body"], "Great article, thanks.");
    assert_eq!(items[0]["status"], "approved");
    assert!(items[0]["replaced_at"].is_string());
    assert_eq!(items[1]["revision"], 2);
    assert_eq!(items[1]["status"], "pending");
    assert!(items[1]["replaced_at"].is_null());
    assert_eq!(
        items[1]["reasons"][1]["matched"],
        "https://pills.example/buy"
    );

    // The audit trail has the edit; the site heard of it, then of the
    // comment going back to the queue.
    let last = crate::helpers::last_history_entry(&app, &id);
    assert_eq!(last["action"], "edit");
    assert_eq!(
        (&last["from"], &last["to"]),
        (&json!("approved"), &json!("pending"))
    );
    assert_eq!(last["note"], "revision 2");
    assert_eq!(
        event_types(&receiver, 3, &id),
        ["comment.created", "comment.edited", "comment.reopened"]
    );

    // A stale version is refused with the comment as it is now.
    let stale = edit(&app, &id, json!({"body": "Something else", "version": 1}));
    assert_eq!(stale.status, 409, "{}", stale.body);
    assert_eq!(stale.body["error"]["code"], "version_conflict");
    assert_eq!(stale.body["current"]["version"], 2);

    // The same body again changes nothing (a retried request).
    let same = edit(
        &app,
        &id,
        json!({"body": "Great article, thanks. Cheap meds at https://pills.example/buy"}),
    );
    assert_eq!(same.status, 200);
    assert_eq!(same.body["revision"], 2);
    assert_eq!(same.body["version"], 2);

    // Edited again, the second body keeps its reasons, in order, in its
    // revision; the comment now has only the third body's.
    let third = edit(
        &app,
        &id,
        json!({"body": "Great article, thanks.", "version": 2}),
    );
    assert_eq!(third.status, 200, "{}", third.body);
    assert_eq!(codes(&third.body), ["edited"], "{}", third.body);
    let revisions = app.get(&format!("/api/v1/comments/{id}/revisions"), &app.site_key);
    let items = revisions.body["items"].as_array().expect("items");
    assert_eq!(items.len(), 3, "{}", revisions.body);
    let kept: Vec<&str> = items[1]["reasons"]
        .as_array()
        .expect("reasons")
        .iter()
        .map(|r| r["code"].as_str().expect("code"))
        .collect();
    assert_eq!(kept, codes(&edited.body), "{}", revisions.body);
    assert_eq!(
        items[1]["reasons"][1]["matched"],
        "https://pills.example/buy"
    );
    // Filters by reason and by rule look at the current body's reasons
    // only: the link is gone, so the comment no longer matches them.
    let rule_id = rule.body["id"].as_str().expect("rule id").to_owned();
    let with_reason = |query: &str| crate::helpers::ids_of(&app.queue(query).body);
    assert!(!with_reason("?reason=spam").contains(&id));
    assert!(!with_reason(&format!("?rule={rule_id}")).contains(&id));
    assert!(with_reason("?reason=edited").contains(&id));

    // Rejected comments cannot be edited.
    let rejected = app.decide(
        &id,
        json!({"action": "reject", "reason": "spam", "version": 3}),
    );
    assert_eq!(rejected.status, 200, "{}", rejected.body);
    let refused = edit(&app, &id, json!({"body": "Sorry, clean now"}));
    assert_eq!(refused.status, 409);
    assert_eq!(refused.body["error"]["code"], "not_editable");
    assert_eq!(refused.body["current"]["status"], "rejected");
}

fn a_clean_edit_stays_published_under_post(app: TestApp) {
    let resp = app.put_site(json!({"default_policy": "post", "new_author_hold": 0}));
    assert_eq!(resp.status, 200);
    let posted = app.post_simple("e2", "bob", "First thoughts.");
    let id = posted.body["id"].as_str().expect("id").to_owned();
    let edited = edit(
        &app,
        &id,
        json!({"body": "First thoughts, with a typo fixed."}),
    );
    assert_eq!(edited.status, 200, "{}", edited.body);
    assert_eq!(edited.body["status"], "approved");
    assert_eq!(edited.body["revision"], 2);
    assert_eq!(codes(&edited.body), ["edited"]);
    assert_eq!(
        app.get_comment(&id).body,
        edited.body,
        "the decision is kept"
    );
    assert!(tab_ids(&app, "edited").is_empty());

    // Under pre, the same kind of edit goes back to a moderator.
    let article = app.send(
        "PUT",
        "/api/v1/articles/e2",
        &app.site_key,
        &json!({"policy": "pre"}),
    );
    assert_eq!(article.status, 200, "{}", article.body);
    let again = edit(
        &app,
        &id,
        json!({"body": "First thoughts, typo fixed twice."}),
    );
    assert_eq!(again.body["status"], "pending", "{}", again.body);
    assert_eq!(codes(&again.body)[..2], ["edited", "pre_moderated"]);

    // A pending comment edited stays pending, with a new revision.
    let third = edit(&app, &id, json!({"body": "Third version."}));
    assert_eq!(third.body["status"], "pending");
    assert_eq!(third.body["revision"], 4);
    assert!(
        third.body["reasons"][0]["message"]
            .as_str()
            .expect("message")
            .contains("while waiting")
    );

    // Closed articles take no edits.
    app.send(
        "PUT",
        "/api/v1/articles/e2",
        &app.site_key,
        &json!({"policy": "closed"}),
    );
    let closed = edit(&app, &id, json!({"body": "Fourth version."}));
    assert_eq!(closed.status, 409, "{}", closed.body);
    assert_eq!(closed.body["error"]["code"], "comments_closed");

    // Another site's key cannot see it; bad bodies change nothing.
    let other = app.send(
        "PUT",
        &format!("/api/v1/comments/{id}"),
        &app.other_site_key,
        &json!({"body": "hijack"}),
    );
    assert_eq!(other.status, 404);
    for bad in [json!({"body": ""}), json!({"body": 5}), json!({})] {
        let resp = edit(&app, &id, bad.clone());
        assert_eq!(resp.status, 422, "{bad}: {}", resp.body);
    }
    assert_eq!(app.get_comment(&id).body["revision"], 4);

    // A moderator's approval stays through a clean edit under post, and
    // goes when an edit sends the comment back under pre; the answers are
    // what the comment now is.
    let policy = |policy: &str| {
        let resp = app.send(
            "PUT",
            "/api/v1/articles/e2",
            &app.site_key,
            &json!({ "policy": policy }),
        );
        assert_eq!(resp.status, 200, "{}", resp.body);
    };
    policy("post");
    let version = app.get_comment(&id).body["version"].clone();
    let approved = app.decide(&id, json!({"action": "approve", "version": version}));
    assert_eq!(approved.status, 200, "{}", approved.body);
    let moderator = approved.body["decision"]["by"].clone();
    assert!(moderator.is_string(), "{}", approved.body);
    let kept = edit(&app, &id, json!({"body": "Fifth version."}));
    assert_eq!(kept.body["status"], "approved", "{}", kept.body);
    assert_eq!(kept.body["decision"]["by"], moderator);
    assert_eq!(app.get_comment(&id).body, kept.body);
    policy("pre");
    let reopened = edit(&app, &id, json!({"body": "Sixth version."}));
    assert_eq!(reopened.body["status"], "pending", "{}", reopened.body);
    assert!(reopened.body["decision"].is_null(), "{}", reopened.body);
    assert_eq!(app.get_comment(&id).body, reopened.body);
}

fn the_edit_window_is_enforced(app: TestApp) {
    let resp = app.put_site(json!({"edits": {"window_minutes": 15}}));
    assert_eq!(resp.status, 200, "{}", resp.body);
    assert_eq!(resp.body["edits"]["window_minutes"], 15);
    let posted = app.post_simple("e3", "cy", "Within the window.");
    let id = posted.body["id"].as_str().expect("id").to_owned();
    let inside = edit(&app, &id, json!({"body": "Within the window, edited."}));
    assert_eq!(inside.status, 200, "{}", inside.body);

    backdate_comment(&app, &id, 16);
    let outside = edit(&app, &id, json!({"body": "Too late."}));
    assert_eq!(outside.status, 409, "{}", outside.body);
    assert_eq!(outside.body["error"]["code"], "edit_window_closed");
    assert_eq!(
        app.get_comment(&id).body["body"],
        "Within the window, edited."
    );

    // Without a window, any age is fine.
    let resp = app.put_site(json!({"edits": {"window_minutes": null}}));
    assert_eq!(resp.status, 200);
    assert_eq!(
        edit(&app, &id, json!({"body": "Late but allowed."})).status,
        200
    );
    // Out-of-range settings are refused and change nothing.
    let bad = app.put_site(json!({"edits": {"window_minutes": 0}}));
    assert_eq!(bad.status, 422, "{}", bad.body);
    let unknown = app.put_site(json!({"edits": {"window": 5}}));
    assert_eq!(unknown.status, 422, "{}", unknown.body);
}

macro_rules! both {
    ($name:ident) => {
        mod $name {
            #[test]
            fn sqlite() {
                if let Some(app) = super::spawn(super::Backend::Sqlite, "24") {
                    super::$name(app);
                }
            }
            #[test]
            fn postgres() {
                if let Some(app) = super::spawn(super::Backend::Postgres, "24") {
                    super::$name(app);
                }
            }
        }
    };
}

both!(an_edit_that_adds_a_banned_link_goes_back_to_the_queue);
both!(a_clean_edit_stays_published_under_post);
both!(the_edit_window_is_enforced);
