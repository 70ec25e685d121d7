use std::sync::{Arc, Barrier};

use serde_json::json;

use crate::both_backends;
use crate::helpers::TestApp;

fn first_id(app: &TestApp) -> String {
    app.post_simple("a1", "ada", "a comment").body["id"]
        .as_str()
        .expect("id")
        .to_owned()
}

both_backends!(approve_reject_reopen_with_audit, |app: TestApp| {
    let id = first_id(&app);
    let missing_reason = app.decide(&id, json!({"action": "reject", "version": 1}));
    assert_eq!(missing_reason.status, 422);
    assert_eq!(missing_reason.body["error"]["code"], "reason_required");
    let unknown = app.decide(
        &id,
        json!({"action": "reject", "reason": "ugly", "version": 1}),
    );
    assert_eq!(unknown.status, 422);
    assert_eq!(unknown.body["error"]["code"], "unknown_reason");
    let bad_action = app.decide(&id, json!({"action": "delete", "version": 1}));
    assert_eq!(bad_action.status, 422);
    assert_eq!(
        app.get_comment(&id).body["version"],
        1,
        "failed decisions change nothing"
    );

    let rejected = app.decide(
        &id,
        json!({"action": "reject", "reason": "spam", "note": "link farm", "version": 1}),
    );
    assert_eq!(rejected.status, 200, "{}", rejected.body);
    assert_eq!(rejected.body["status"], "rejected");
    assert_eq!(rejected.body["version"], 2);
    assert_eq!(rejected.body["author"]["rejected_count"], 1);

    // The site sees the decision with the guideline's title.
    let seen = app.get_comment(&id);
    assert_eq!(seen.body["decision"]["action"], "reject");
    assert_eq!(seen.body["decision"]["reason"]["code"], "spam");
    assert_eq!(
        seen.body["decision"]["reason"]["title"],
        "Spam or advertising"
    );
    assert_eq!(seen.body["decision"]["note"], "link farm");
    assert_eq!(seen.body["decision"]["by"], "admin@example.com");
    assert!(seen.body["decision"]["decided_at"].is_string());

    let stale = app.decide(&id, json!({"action": "reopen", "version": 1}));
    assert_eq!(stale.status, 409);
    assert_eq!(stale.body["error"]["code"], "version_conflict");
    assert_eq!(stale.body["current"]["status"], "rejected");
    assert_eq!(stale.body["current"]["version"], 2);

    let again = app.decide(&id, json!({"action": "approve", "version": 2}));
    assert_eq!(again.status, 409);
    assert_eq!(again.body["error"]["code"], "already_decided");
    assert_eq!(again.body["current"]["id"], id.as_str());

    let reopened = app.decide(
        &id,
        json!({"action": "reopen", "note": "second look", "version": 2}),
    );
    assert_eq!(reopened.status, 200, "{}", reopened.body);
    assert_eq!(reopened.body["status"], "pending");
    assert_eq!(reopened.body["decision"], serde_json::Value::Null);
    assert_eq!(reopened.body["author"]["rejected_count"], 0);
    assert_eq!(app.queue_ids(), vec![id.clone()]);

    let approved = app.decide(&id, json!({"action": "approve", "version": 3}));
    assert_eq!(approved.body["status"], "approved");
    assert_eq!(approved.body["author"]["approved_count"], 1);
    assert!(app.queue_ids().is_empty());

    let history = app.get(&format!("/api/v1/comments/{id}/history"), &app.admin_token);
    assert_eq!(history.status, 200);
    let rows: Vec<(String, String, String)> = history.body["items"]
        .as_array()
        .expect("items")
        .iter()
        .map(|e| {
            (
                e["action"].as_str().unwrap_or_default().to_owned(),
                e["from"].as_str().unwrap_or("-").to_owned(),
                e["to"].as_str().unwrap_or_default().to_owned(),
            )
        })
        .collect();
    let expect = [
        ("submit", "-", "pending"),
        ("reject", "pending", "rejected"),
        ("reopen", "rejected", "pending"),
        ("approve", "pending", "approved"),
    ];
    let expect: Vec<(String, String, String)> = expect
        .iter()
        .map(|(a, b, c)| (a.to_string(), b.to_string(), c.to_string()))
        .collect();
    assert_eq!(rows, expect);
    assert_eq!(history.body["items"][1]["reason"], "spam");
    assert_eq!(history.body["items"][1]["note"], "link farm");
    assert_eq!(
        history.body["items"][1]["actor"],
        "moderator:admin@example.com"
    );
    assert_eq!(history.body["items"][2]["note"], "second look");
});

both_backends!(concurrent_decisions_exactly_one_wins, |app: TestApp| {
    let app = Arc::new(app);
    for round in 0..3 {
        let id = app
            .post_simple("race", &format!("author{round}"), "contested")
            .body["id"]
            .as_str()
            .expect("id")
            .to_owned();
        let racers = 8;
        let barrier = Arc::new(Barrier::new(racers));
        let handles: Vec<_> = (0..racers)
            .map(|i| {
                let (app, barrier, id) = (Arc::clone(&app), Arc::clone(&barrier), id.clone());
                std::thread::spawn(move || {
                    let decision = if i % 2 == 0 {
                        json!({"action": "approve", "version": 1})
                    } else {
                        json!({"action": "reject", "reason": "spam", "version": 1})
                    };
                    barrier.wait();
                    app.decide(&id, decision)
                })
            })
            .collect();
        let responses: Vec<_> = handles
            .into_iter()
            .map(|h| h.join().expect("thread"))
            .collect();
        let winners: Vec<_> = responses.iter().filter(|r| r.status == 200).collect();
        let losers = responses.iter().filter(|r| r.status == 409).count();
        assert_eq!(winners.len(), 1, "exactly one decision wins");
        assert_eq!(losers, racers - 1, "all others get 409");
        let current = app.get_comment(&id);
        assert_eq!(current.body["status"], winners[0].body["status"]);
        assert_eq!(current.body["version"], 2);
        let history = app.get(&format!("/api/v1/comments/{id}/history"), &app.admin_token);
        assert_eq!(history.body["items"].as_array().map(Vec::len), Some(2));
        let counts = &current.body["author"];
        let total = counts["approved_count"].as_i64().unwrap_or(0)
            + counts["rejected_count"].as_i64().unwrap_or(0);
        assert_eq!(total, 1, "author counted once");
    }
});

both_backends!(bulk_decisions_report_each_item, |app: TestApp| {
    let ids: Vec<String> = (0..4)
        .map(|i| {
            app.post_simple("bulk", &format!("u{i}"), &format!("comment {i}"))
                .body["id"]
                .as_str()
                .expect("id")
                .to_owned()
        })
        .collect();
    // One of them is decided before the bulk action.
    app.decide(&ids[0], json!({"action": "approve", "version": 1}));
    let resp = app.send(
        "POST",
        "/api/v1/decisions",
        &app.admin_token,
        &json!({
            "action": "reject",
            "reason": "off-topic",
            "comments": [
                {"id": ids[0], "version": 1},
                {"id": ids[1], "version": 1},
                {"id": ids[2]},
                {"id": ids[3], "version": 7},
                {"id": "not-an-id"}
            ]
        }),
    );
    assert_eq!(resp.status, 200, "{}", resp.body);
    let results = resp.body["results"].as_array().expect("results");
    assert_eq!(results.len(), 5);
    let by_id = |id: &str| {
        results
            .iter()
            .find(|r| r["id"] == id)
            .unwrap_or_else(|| panic!("no result for {id}"))
    };
    assert_eq!(by_id(&ids[0])["status"], 409);
    assert_eq!(by_id(&ids[1])["ok"], true);
    assert_eq!(by_id(&ids[1])["comment"]["status"], "rejected");
    assert_eq!(by_id(&ids[2])["ok"], true);
    assert_eq!(by_id(&ids[3])["error"]["code"], "version_conflict");
    assert_eq!(by_id("not-an-id")["status"], 404);
    assert_eq!(app.queue_ids(), vec![ids[3].clone()]);

    let empty = app.send(
        "POST",
        "/api/v1/decisions",
        &app.admin_token,
        &json!({"action": "approve", "comments": []}),
    );
    assert_eq!(empty.status, 422);
});
