use std::time::{Duration, Instant};

use serde_json::{Value, json};

use crate::both_backends;
use crate::helpers::TestApp;

fn create_rule(app: &TestApp, rule: Value) -> Value {
    let resp = app.send("POST", "/api/v1/rules", &app.admin_token, &rule);
    assert_eq!(resp.status, 201, "{}", resp.body);
    resp.body
}

fn post_publishing(app: &TestApp) {
    let resp = app.put_site(json!({"default_policy": "post", "new_author_hold": 0}));
    assert_eq!(resp.status, 200);
}

fn rule_reasons(comment: &Value) -> Vec<Value> {
    comment["reasons"]
        .as_array()
        .expect("reasons")
        .iter()
        .filter(|r| r["source"] == "rule")
        .cloned()
        .collect()
}

both_backends!(
    held_comments_carry_spans_into_the_original,
    |app: TestApp| {
        post_publishing(&app);
        create_rule(
            &app,
            json!({
                "site": "alpha", "name": "Trading scams", "action": "hold", "reason": "spam",
                "match": {"kind": "terms", "terms": ["guaranteed profit", "scam*"]}
            }),
        );
        let clean = app.post_simple("a1", "ada", "A thoughtful comment about the budget.");
        assert_eq!(clean.body["status"], "approved", "{}", clean.body);

        let body = "Wow 😀 — GUARANTEED pr0fit with my ѕcammy signals!";
        let held = app.post_simple("a1", "bob", body);
        assert_eq!(held.status, 201, "{}", held.body);
        assert_eq!(held.body["status"], "pending");
        let reasons = rule_reasons(&held.body);
        assert_eq!(reasons.len(), 2, "{reasons:?}");
        let texts: Vec<&str> = reasons
            .iter()
            .map(|r| r["span"]["text"].as_str().expect("text"))
            .collect();
        assert_eq!(texts, ["GUARANTEED pr0fit", "ѕcammy"]);
        for r in &reasons {
            let (s, e) = (
                r["span"]["start"].as_u64().expect("start") as usize,
                r["span"]["end"].as_u64().expect("end") as usize,
            );
            assert_eq!(
                &body[s..e],
                r["span"]["text"].as_str().expect("text"),
                "byte offsets into the original"
            );
            assert_eq!(r["code"], "spam");
            assert_eq!(r["rule"]["action"], "hold");
            assert_eq!(r["rule"]["version"], 1);
            assert_eq!(r["rule"]["shadow"], false);
        }
        assert!(held.body["priority"].as_i64().expect("priority") >= 20);
        // The stored comment says the same.
        let id = held.body["id"].as_str().expect("id");
        assert_eq!(rule_reasons(&app.get_comment(id).body), reasons);
        // The queue can be filtered by the rule's reason code.
        assert_eq!(
            crate::helpers::ids_of(&app.queue("?reason=spam").body),
            vec![id.to_owned()]
        );
    }
);

both_backends!(shadow_rules_record_and_change_nothing, |app: TestApp| {
    post_publishing(&app);
    create_rule(
        &app,
        json!({
            "site": "alpha", "name": "Trial: links", "action": "reject", "reason": "spam", "mode": "shadow",
            "match": {"kind": "links", "max_links": 0}
        }),
    );
    let c = app.post_simple("a1", "ada", "see https://example.org/page for details");
    assert_eq!(c.body["status"], "approved", "{}", c.body);
    assert_eq!(c.body["decision"], Value::Null);
    let reasons = rule_reasons(&c.body);
    assert_eq!(reasons.len(), 1);
    assert_eq!(reasons[0]["rule"]["shadow"], true);
    assert_eq!(reasons[0]["rule"]["action"], "reject");
    assert!(
        reasons[0]["message"]
            .as_str()
            .expect("message")
            .starts_with("[shadow]")
    );
});

both_backends!(reject_rules_decide_at_intake, |app: TestApp| {
    create_rule(
        &app,
        json!({
            "site": "alpha", "name": "Wallets", "action": "reject", "reason": "spam",
            "match": {"kind": "shape", "crypto_addresses": true}
        }),
    );
    let c = app.post_simple(
        "a1",
        "ada",
        "send 0x52908400098527886E0F7030069857D2E4169EE7 now",
    );
    assert_eq!(c.body["status"], "rejected", "{}", c.body);
    assert_eq!(c.body["decision"]["action"], "reject");
    assert_eq!(c.body["decision"]["by"], "rules");
    assert_eq!(c.body["decision"]["reason"]["code"], "spam");
    assert_eq!(c.body["decision"]["reason"]["title"], "Spam or advertising");
    assert_eq!(c.body["author"]["rejected_count"], 1);
    let id = c.body["id"].as_str().expect("id");
    let fetched = app.get_comment(id);
    assert_eq!(fetched.body["decision"]["by"], "rules");
    assert_eq!(fetched.body["status"], "rejected");
    assert!(app.queue_ids().is_empty());
    // A moderator can still reopen it.
    let reopened = app.decide(id, json!({"action": "reopen", "version": 1}));
    assert_eq!(reopened.status, 200, "{}", reopened.body);
    assert_eq!(reopened.body["author"]["rejected_count"], 0);
});

both_backends!(
    invalid_rules_are_refused_and_nothing_is_saved,
    |app: TestApp| {
        let cases = [
            (
                json!({"site": "alpha", "name": "x", "action": "hold", "match": {"kind": "regex", "pattern": "(unclosed"}}),
                "match.pattern",
            ),
            (
                json!({"site": "alpha", "name": "x", "action": "hold", "match": {"kind": "regex", "pattern": "a|b"}}),
                "almost any text",
            ),
            (
                json!({"site": "alpha", "name": "x", "action": "hold", "match": {"kind": "regex", "pattern": "x*"}}),
                "empty string",
            ),
            (
                json!({"site": "alpha", "name": "x", "action": "reject", "match": {"kind": "terms", "terms": ["spam"]}}),
                "reason",
            ),
            (
                json!({"site": "alpha", "name": "x", "action": "reject", "reason": "nope", "match": {"kind": "terms", "terms": ["spam"]}}),
                "guidelines",
            ),
            (
                json!({"site": "alpha", "name": "x", "action": "hold", "match": {"kind": "terms", "terms": []}}),
                "match.terms",
            ),
            (
                json!({"site": "alpha", "name": "x", "action": "hold", "colour": "red", "match": {"kind": "terms", "terms": ["a"]}}),
                "colour",
            ),
            (
                json!({"site": "alpha", "name": "x", "action": "smite", "match": {"kind": "terms", "terms": ["a"]}}),
                "smite",
            ),
            (
                json!({"site": "alpha", "name": "x", "action": "hold", "match": {"kind": "blocklist", "ips": ["10.0.0.0/99"]}}),
                "match.ips",
            ),
        ];
        for (rule, needle) in cases {
            let resp = app.send("POST", "/api/v1/rules", &app.admin_token, &rule);
            assert_eq!(resp.status, 422, "{rule} -> {}", resp.body);
            let message = resp.body["error"]["message"].as_str().expect("message");
            assert!(message.contains(needle), "{needle:?} not in {message:?}");
        }
        let list = app.get("/api/v1/rules", &app.admin_token);
        assert_eq!(list.body["items"], json!([]));
    }
);

both_backends!(rules_are_versioned_and_scoped, |app: TestApp| {
    let rule = create_rule(
        &app,
        json!({"site": "alpha", "name": "Words", "action": "flag", "match": {"kind": "terms", "terms": ["alpha"]}}),
    );
    let id = rule["id"].as_str().expect("id").to_owned();
    assert_eq!(rule["version"], 1);
    assert_eq!(rule["site"], "alpha");
    let path = format!("/api/v1/rules/{id}");
    let edited = app.send(
        "PUT",
        &path,
        &app.moderator_token,
        &json!({"version": 1, "name": "Words", "action": "hold", "match": {"kind": "terms", "terms": ["beta"]}}),
    );
    assert_eq!(edited.status, 200, "{}", edited.body);
    assert_eq!(edited.body["version"], 2);
    let stale = app.send(
        "PUT",
        &path,
        &app.admin_token,
        &json!({"version": 1, "name": "Words", "action": "hold", "match": {"kind": "terms", "terms": ["gamma"]}}),
    );
    assert_eq!(stale.status, 409);
    let versions = app.get(&format!("{path}/versions"), &app.admin_token);
    let items = versions.body["items"].as_array().expect("items");
    assert_eq!(items.len(), 2);
    assert_eq!(items[0]["rule"]["match"]["terms"], json!(["alpha"]));
    assert_eq!(items[1]["changed_by"], "moderator:mod@example.com");

    // A site moderator cannot write global rules or other sites' rules.
    let global = app.send(
        "POST",
        "/api/v1/rules",
        &app.moderator_token,
        &json!({"name": "g", "action": "flag", "match": {"kind": "terms", "terms": ["x"]}}),
    );
    assert_eq!(global.status, 403);
    let other = app.send(
        "POST",
        "/api/v1/rules",
        &app.moderator_token,
        &json!({"site": "beta", "name": "b", "action": "flag", "match": {"kind": "terms", "terms": ["x"]}}),
    );
    assert_eq!(other.status, 404);

    // Article scope: the rule only looks at that article.
    create_rule(
        &app,
        json!({"site": "alpha", "article": "closed-thread", "name": "Article only", "action": "hold",
               "match": {"kind": "terms", "terms": ["meanwhile"]}}),
    );
    post_publishing(&app);
    assert_eq!(
        app.post_simple("open-thread", "ada", "meanwhile").body["status"],
        "approved"
    );
    assert_eq!(
        app.post_simple("closed-thread", "ada", "meanwhile").body["status"],
        "pending"
    );

    let deleted = app.raw("DELETE", &path, Some(&app.admin_token), &[], None);
    assert_eq!(deleted.status, 204);
    assert_eq!(app.get(&path, &app.admin_token).status, 404);
    assert_eq!(
        app.post_simple("open-thread", "bob", "beta").body["status"],
        "approved"
    );
});

both_backends!(draft_rules_can_be_tested_on_text, |app: TestApp| {
    let resp = app.send(
        "POST",
        "/api/v1/rules/test",
        &app.moderator_token,
        &json!({
            "rule": {"name": "Profit", "action": "hold", "match": {"kind": "terms", "terms": ["free money"], "allow": []}},
            "text": "Get F.R.E.E M.O.N.E.Y today"
        }),
    );
    assert_eq!(resp.status, 200, "{}", resp.body);
    assert_eq!(resp.body["action"], "hold");
    assert_eq!(resp.body["hits"][0]["span"]["text"], "F.R.E.E M.O.N.E.Y");
    let none = app.send(
        "POST",
        "/api/v1/rules/test",
        &app.moderator_token,
        &json!({"rule": {"name": "Class", "action": "hold", "match": {"kind": "terms", "terms": ["class"]}}, "text": "a classic"}),
    );
    assert_eq!(none.body["hits"], json!([]));
    assert_eq!(none.body["action"], Value::Null);
    let bad = app.send(
        "POST",
        "/api/v1/rules/test",
        &app.moderator_token,
        &json!({"rule": {"name": "x", "action": "hold", "match": {"kind": "regex", "pattern": "["}}, "text": "x"}),
    );
    assert_eq!(bad.status, 422);
});

both_backends!(a_rule_edit_reaches_a_second_instance, |app: TestApp| {
    post_publishing(&app);
    let second = app.second_instance();
    let post_second = |text: &str| -> Value {
        let resp = ureq::post(&format!("{}/api/v1/comments", second.base))
            .set("Authorization", &format!("Bearer {}", app.site_key))
            .send_json(crate::helpers::comment_body("multi", "ada", text));
        match resp {
            Ok(r) => r.into_json().expect("json"),
            Err(e) => panic!("{e}"),
        }
    };
    assert_eq!(post_second("lottery win")["status"], "approved");
    let rule = create_rule(
        &app,
        json!({"site": "alpha", "name": "Lottery", "action": "hold", "match": {"kind": "terms", "terms": ["lottery"]}}),
    );
    let wait_for = |text: &str, status: &str| {
        let started = Instant::now();
        loop {
            let c = post_second(text);
            if c["status"] == status {
                return started.elapsed();
            }
            assert!(
                started.elapsed() < Duration::from_secs(5),
                "second instance never applied the edit: {c}"
            );
            std::thread::sleep(Duration::from_millis(100));
        }
    };
    let took = wait_for("lottery win", "pending");
    assert!(took < Duration::from_secs(3), "took {took:?}");
    let id = rule["id"].as_str().expect("id");
    let edit = app.send(
        "PUT",
        &format!("/api/v1/rules/{id}"),
        &app.admin_token,
        &json!({"name": "Lottery", "action": "hold", "match": {"kind": "terms", "terms": ["jackpot"]}}),
    );
    assert_eq!(edit.status, 200);
    wait_for("lottery win again", "approved");
    wait_for("jackpot", "pending");
});

both_backends!(
    backtest_scores_a_draft_against_past_decisions,
    |app: TestApp| {
        // (text, decision): reject, approve or leave pending.
        let seeded = [
            ("win the lottery now", "reject"),
            ("LOTTERY winners here", "reject"),
            ("free l0ttery tickets", "reject"),
            ("lottery lottery", "reject"),
            ("I lost the lottery again, sadly", "approve"),
            ("nice article", "approve"),
            ("agreed", "approve"),
            ("thanks for writing this", "approve"),
            ("buy cheap watches", "reject"),
            ("lottery pending", "pending"),
        ];
        for (i, (text, decision)) in seeded.iter().enumerate() {
            let c = app.post_simple("bt", &format!("author{i}"), text);
            let id = c.body["id"].as_str().expect("id").to_owned();
            let body = match *decision {
                "reject" => json!({"action": "reject", "reason": "spam", "version": 1}),
                "approve" => json!({"action": "approve", "version": 1}),
                _ => continue,
            };
            assert_eq!(app.decide(&id, body).status, 200);
        }
        let resp = app.send(
        "POST",
        "/api/v1/rules/backtest",
        &app.moderator_token,
        &json!({"site": "alpha", "limit": 100,
                "rule": {"name": "Lottery", "action": "hold", "match": {"kind": "terms", "terms": ["lottery"]}}}),
    );
        assert_eq!(resp.status, 200, "{}", resp.body);
        let b = &resp.body;
        assert_eq!(b["scanned"], 10);
        assert_eq!(b["hits"], 6);
        assert_eq!(
            b["matrix"],
            json!({"hit_rejected": 4, "hit_approved": 1, "hit_undecided": 1,
               "miss_rejected": 1, "miss_approved": 3, "miss_undecided": 0})
        );
        assert_eq!(b["precision"], 0.8);
        assert_eq!(b["recall"], 0.8);
        assert_eq!(b["samples"].as_array().map(Vec::len), Some(6));
        assert!(b["samples"][0]["hits"][0]["span"]["text"].is_string());

        let limited = app.send(
        "POST",
        "/api/v1/rules/backtest",
        &app.admin_token,
        &json!({"site": "alpha", "limit": 3,
                "rule": {"name": "Lottery", "action": "hold", "match": {"kind": "terms", "terms": ["lottery"]}}}),
    );
        assert_eq!(limited.body["scanned"], 3);
        let other_site = app.send(
        "POST",
        "/api/v1/rules/backtest",
        &app.moderator_token,
        &json!({"site": "beta", "rule": {"name": "x", "action": "hold", "match": {"kind": "terms", "terms": ["x"]}}}),
    );
        assert_eq!(other_site.status, 404);
    }
);

both_backends!(behaviour_rules_look_at_past_comments, |app: TestApp| {
    post_publishing(&app);
    create_rule(
        &app,
        json!({"site": "alpha", "name": "Reposts", "action": "hold", "reason": "spam",
               "match": {"kind": "behaviour", "duplicate_within_secs": 3600}}),
    );
    assert_eq!(
        app.post_simple("a1", "ada", "Buy my course today").body["status"],
        "approved"
    );
    let repost = app.post_simple("a2", "ada", "buy my  COURSE today");
    assert_eq!(repost.body["status"], "pending", "{}", repost.body);
    assert!(
        rule_reasons(&repost.body)[0]["message"]
            .as_str()
            .expect("message")
            .contains("same text")
    );
    assert_eq!(
        app.post_simple("a1", "bob", "Buy my course today").body["status"],
        "approved",
        "another author may say the same"
    );

    create_rule(
        &app,
        json!({"site": "alpha", "name": "Bursts", "action": "flag", "priority": 50,
               "match": {"kind": "behaviour", "flood_max": 2, "flood_window_secs": 60}}),
    );
    assert_eq!(app.post_simple("a1", "cat", "one").body["priority"], 0);
    assert_eq!(app.post_simple("a1", "cat", "two").body["priority"], 0);
    let third = app.post_simple("a1", "cat", "three");
    assert_eq!(third.body["priority"], 50, "{}", third.body);
    assert_eq!(
        third.body["status"], "approved",
        "flag only raises priority"
    );

    create_rule(
        &app,
        json!({"site": "alpha", "name": "Often rejected", "action": "hold",
               "match": {"kind": "behaviour", "rejection_rate_above": 0.5, "rejection_min_decided": 2}}),
    );
    app.put_site(json!({"default_policy": "pre"}));
    for text in ["first try", "second try"] {
        let id = app.post_simple("a3", "dan", text).body["id"]
            .as_str()
            .expect("id")
            .to_owned();
        app.decide(
            &id,
            json!({"action": "reject", "reason": "abuse", "version": 1}),
        );
    }
    app.put_site(json!({"default_policy": "post"}));
    let held = app.post_simple("a3", "dan", "third try");
    assert_eq!(held.body["status"], "pending", "{}", held.body);
    assert!(rule_reasons(&held.body).iter().any(|r| {
        r["message"]
            .as_str()
            .unwrap_or("")
            .contains("2 of the author's last 2")
    }));
});

both_backends!(
    global_rules_reach_every_site_and_site_edits_keep_them,
    |app: TestApp| {
        for key in [&app.site_key, &app.other_site_key] {
            let resp = app.send(
                "PUT",
                "/api/v1/site",
                key,
                &json!({"default_policy": "post", "new_author_hold": 0}),
            );
            assert_eq!(resp.status, 200);
        }
        let global = app.send(
        "POST",
        "/api/v1/rules",
        &app.admin_token,
        &json!({"name": "Everywhere", "action": "hold", "match": {"kind": "terms", "terms": ["casino"]}}),
    );
        assert_eq!(global.status, 201, "{}", global.body);
        assert_eq!(global.body["site"], Value::Null);
        let post_beta = |text: &str| {
            app.send(
                "POST",
                "/api/v1/comments",
                &app.other_site_key,
                &crate::helpers::comment_body("g", "bob", text),
            )
            .body
        };
        assert_eq!(
            app.post_simple("g", "ada", "casino night").body["status"],
            "pending"
        );
        assert_eq!(post_beta("casino night")["status"], "pending");
        // A site rule edited on alpha recompiles alpha only; beta keeps the
        // global rule, alpha has both.
        create_rule(
            &app,
            json!({"site": "alpha", "name": "Alpha only", "action": "hold", "match": {"kind": "terms", "terms": ["raffle"]}}),
        );
        assert_eq!(
            app.post_simple("g", "ada", "raffle").body["status"],
            "pending"
        );
        assert_eq!(
            app.post_simple("g", "ada", "casino again").body["status"],
            "pending"
        );
        assert_eq!(post_beta("raffle")["status"], "approved");
        assert_eq!(post_beta("casino again")["status"], "pending");
        // Retiring the global rule frees both sites.
        let id = global.body["id"].as_str().expect("id");
        let deleted = app.raw(
            "DELETE",
            &format!("/api/v1/rules/{id}"),
            Some(&app.admin_token),
            &[],
            None,
        );
        assert_eq!(deleted.status, 204);
        assert_eq!(post_beta("casino finale")["status"], "approved");
        assert_eq!(
            app.post_simple("g", "ada", "casino finale").body["status"],
            "approved"
        );
        assert_eq!(
            app.post_simple("g", "ada", "raffle finale").body["status"],
            "pending"
        );
    }
);
