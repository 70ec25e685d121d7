//! Readers' reports over HTTP on both backends: the threshold, hiding,
//! keep (after which the same readers cannot send the comment back) and
//! reject, reports on unpublished comments, trusted readers, readers whose
//! reports are mostly dismissed, rate limits, and the audit trail with its
//! webhooks.

use serde_json::{Value, json};

use crate::helpers::{Backend, Response, TestApp, ids_of};
use crate::webhooks::{Received, Receiver, create};

fn report(app: &TestApp, id: &str, reporter: &str, reason: &str) -> Response {
    app.send(
        "POST",
        &format!("/api/v1/comments/{id}/reports"),
        &app.site_key,
        &json!({"reporter": {"id": reporter, "ip": "198.51.100.7"}, "reason": reason, "note": format!("{reporter} says {reason}")}),
    )
}

fn publish_everything(app: &TestApp, reports: Value) {
    let resp =
        app.put_site(json!({"default_policy": "post", "new_author_hold": 0, "reports": reports}));
    assert_eq!(resp.status, 200, "{}", resp.body);
}

fn posted(app: &TestApp, article: &str, author: &str, text: &str) -> (String, i64) {
    let resp = app.post_simple(article, author, text);
    assert_eq!(resp.status, 201, "{}", resp.body);
    (
        resp.body["id"].as_str().expect("id").to_owned(),
        resp.body["version"].as_i64().expect("version"),
    )
}

fn reported_ids(app: &TestApp) -> Vec<String> {
    let resp = app.queue("?tab=reported&site=alpha");
    assert_eq!(resp.status, 200, "{}", resp.body);
    ids_of(&resp.body)
}

fn visible_ids(app: &TestApp, article: &str) -> Vec<String> {
    let resp = app.get(
        &format!("/api/v1/articles/{article}/comments?status=approved"),
        &app.site_key,
    );
    assert_eq!(resp.status, 200, "{}", resp.body);
    ids_of(&resp.body)
}

fn events_for(receiver: &Receiver, n: usize, id: &str) -> Vec<Value> {
    receiver
        .wait_for(n)
        .iter()
        .map(Received::json)
        .filter(|e| e["comment"]["id"] == id)
        .collect()
}

fn threshold_hiding_and_keep(app: TestApp) {
    let receiver = Receiver::start(Vec::new());
    create(&app, json!({"url": receiver.url}));
    publish_everything(&app, json!({"threshold": 2, "hide_on_report": true}));
    let (id, _) = posted(&app, "r1", "ada", "A perfectly fine comment.");

    let first = report(&app, &id, "reader-1", "spam");
    assert_eq!(first.status, 201, "{}", first.body);
    assert_eq!(first.body["report"]["status"], "open");
    assert_eq!(first.body["report"]["counted"], true);
    assert_eq!(first.body["report"]["note"], "reader-1 says spam");
    assert_eq!(first.body["comment"]["reports"]["open"], 1);
    assert_eq!(first.body["comment"]["reports"]["in_review"], false);
    assert!(
        reported_ids(&app).is_empty(),
        "one report is under the threshold"
    );

    // A repeat from the same reader gets the first report back.
    let repeat = report(&app, &id, "reader-1", "abuse");
    assert_eq!(repeat.status, 200, "{}", repeat.body);
    assert_eq!(repeat.body["report"]["id"], first.body["report"]["id"]);
    assert_eq!(repeat.body["report"]["reason"], "spam");

    let second = report(&app, &id, "reader-2", "abuse");
    assert_eq!(second.status, 201, "{}", second.body);
    let comment = &second.body["comment"];
    assert_eq!(comment["status"], "approved");
    assert_eq!(comment["reports"]["open"], 2);
    assert_eq!(comment["reports"]["in_review"], true);
    assert_eq!(comment["reports"]["hidden"], true);
    assert_eq!(reported_ids(&app), vec![id.clone()]);
    assert!(
        !visible_ids(&app, "r1").contains(&id),
        "hidden from readers"
    );

    // A reported comment is leased like a pending one while reviewed.
    let lease = |token: &str| {
        app.send(
            "POST",
            &format!("/api/v1/comments/{id}/lease"),
            token,
            &json!({}),
        )
    };
    assert_eq!(lease(&app.moderator_token).status, 200);
    let taken = lease(&app.admin_token);
    assert_eq!(taken.status, 409, "{}", taken.body);
    assert_eq!(taken.body["error"]["code"], "leased");

    // Keep: the reports are dismissed and the comment shows again.
    let version = comment["version"].as_i64().expect("version");
    let kept = app.decide(&id, json!({"action": "keep", "version": version}));
    assert_eq!(kept.status, 200, "{}", kept.body);
    assert_eq!(kept.body["status"], "approved");
    assert_eq!(
        kept.body["reports"],
        json!({"open": 0, "in_review": false, "hidden": false})
    );
    assert!(reported_ids(&app).is_empty());
    assert!(visible_ids(&app, "r1").contains(&id));
    // Kept, it waits for nothing: no lease.
    assert_eq!(
        lease(&app.moderator_token).body["error"]["code"],
        "not_pending"
    );
    // Keep applies only to comments in the Reported queue.
    let again = app.decide(
        &id,
        json!({"action": "keep", "version": kept.body["version"]}),
    );
    assert_eq!(again.status, 409);
    assert_eq!(again.body["error"]["code"], "not_reported");

    // The same readers cannot send it back; a new reader alone is under
    // the threshold.
    for reader in ["reader-1", "reader-2"] {
        let resp = report(&app, &id, reader, "spam");
        assert_eq!(resp.status, 200, "{}", resp.body);
        assert_eq!(resp.body["report"]["status"], "dismissed");
    }
    let third = report(&app, &id, "reader-3", "off_topic");
    assert_eq!(third.status, 201);
    assert_eq!(third.body["comment"]["reports"]["in_review"], false);
    assert_eq!(third.body["comment"]["reports"]["open"], 1);

    let all = app.get(&format!("/api/v1/comments/{id}/reports"), &app.site_key);
    let statuses: Vec<&str> = all.body["items"]
        .as_array()
        .expect("items")
        .iter()
        .map(|r| r["status"].as_str().expect("status"))
        .collect();
    assert_eq!(statuses, ["dismissed", "dismissed", "open"]);

    // Audited, and the site heard of both.
    let history = app.get(&format!("/api/v1/comments/{id}/history"), &app.site_key);
    let actions: Vec<&str> = history.body["items"]
        .as_array()
        .expect("items")
        .iter()
        .map(|e| e["action"].as_str().expect("action"))
        .collect();
    assert_eq!(actions, ["submit", "report", "keep"]);
    let events = events_for(&receiver, 3, &id);
    let types: Vec<&str> = events
        .iter()
        .map(|e| e["type"].as_str().expect("type"))
        .collect();
    assert_eq!(
        types,
        ["comment.created", "comment.reported", "report.resolved"]
    );
    let reported = &events[1];
    assert_eq!(reported["reports"].as_array().expect("reports").len(), 2);
    assert_eq!(reported["comment"]["reports"]["hidden"], true);
    assert_eq!(events[2]["resolution"]["outcome"], "kept");
    assert_eq!(events[2]["resolution"]["reports"], 2);
}

fn reject_unpublished_trusted_and_discounted(app: TestApp) {
    let receiver = Receiver::start(Vec::new());
    create(&app, json!({"url": receiver.url}));
    publish_everything(&app, json!({}));
    // Threshold 1 by default: one report sends it to the queue, visible.
    let (id, _) = posted(&app, "r2", "bob", "Something readers dislike.");
    let first = report(&app, &id, "reader-1", "abuse");
    assert_eq!(first.body["comment"]["reports"]["in_review"], true);
    assert_eq!(first.body["comment"]["reports"]["hidden"], false);
    assert!(visible_ids(&app, "r2").contains(&id));
    let version = first.body["comment"]["version"].clone();
    let rejected = app.decide(
        &id,
        json!({"action": "reject", "reason": "abuse", "version": version}),
    );
    assert_eq!(rejected.status, 200, "{}", rejected.body);
    assert_eq!(rejected.body["status"], "rejected");
    assert_eq!(rejected.body["reports"]["in_review"], false);
    let all = app.get(&format!("/api/v1/comments/{id}/reports"), &app.admin_token);
    assert_eq!(all.body["items"][0]["status"], "upheld");
    let types: Vec<String> = events_for(&receiver, 4, &id)
        .iter()
        .map(|e| e["type"].as_str().expect("type").to_owned())
        .collect();
    assert_eq!(
        types,
        [
            "comment.created",
            "comment.reported",
            "comment.rejected",
            "report.resolved"
        ]
    );
    // Approved comments outside the Reported queue cannot be rejected
    // directly.
    let (clean, version) = posted(&app, "r2", "cy", "Nice.");
    let direct = app.decide(
        &clean,
        json!({"action": "reject", "reason": "abuse", "version": version}),
    );
    assert_eq!(direct.status, 409);
    assert_eq!(direct.body["error"]["code"], "already_decided");

    // Reports on pending comments are kept but do nothing.
    app.send(
        "PUT",
        "/api/v1/articles/r3",
        &app.site_key,
        &json!({"policy": "pre", "url": "https://news.example/r3", "title": "r3"}),
    );
    let (pending, _) = posted(&app, "r3", "dee", "Waiting.");
    let void = report(&app, &pending, "reader-1", "spam");
    assert_eq!(void.status, 201, "{}", void.body);
    assert_eq!(void.body["report"]["status"], "void");
    assert_eq!(void.body["report"]["counted"], false);
    assert_eq!(void.body["comment"]["reports"]["in_review"], false);

    // A trusted reader (one approved comment is enough here) sends a
    // comment to the queue alone, even under a higher threshold.
    publish_everything(
        &app,
        json!({"threshold": 5, "trusted_reporter_approved": 1}),
    );
    let (target, _) = posted(&app, "r2", "eve", "Borderline.");
    let untrusted = report(&app, &target, "stranger", "abuse");
    assert_eq!(untrusted.body["comment"]["reports"]["in_review"], false);
    let trusted = report(&app, &target, "cy", "abuse");
    assert_eq!(
        trusted.body["comment"]["reports"]["in_review"], true,
        "{}",
        trusted.body
    );

    // A reader whose reports are mostly dismissed stops counting.
    publish_everything(
        &app,
        json!({"threshold": 1, "dismissed_percent_limit": 50, "judged_after": 2}),
    );
    for n in 0..2 {
        let (c, _) = posted(&app, "r4", &format!("writer-{n}"), "Fine words.");
        let resp = report(&app, &c, "troll", "abuse");
        assert_eq!(resp.body["report"]["counted"], true);
        let version = resp.body["comment"]["version"].clone();
        let kept = app.decide(&c, json!({"action": "keep", "version": version}));
        assert_eq!(kept.status, 200, "{}", kept.body);
    }
    let (c, _) = posted(&app, "r4", "writer-3", "More fine words.");
    let discounted = report(&app, &c, "troll", "abuse");
    assert_eq!(discounted.status, 201);
    assert_eq!(discounted.body["report"]["counted"], false);
    assert_eq!(discounted.body["comment"]["reports"]["in_review"], false);
    assert_eq!(discounted.body["comment"]["reports"]["open"], 1);

    // Bad reports change nothing; other sites' comments are not found.
    for bad in [
        json!({"reporter": {"id": "x"}, "reason": "boring"}),
        json!({"reason": "spam"}),
        json!({"reporter": {"id": ""}, "reason": "spam"}),
        json!({"reporter": {"id": "x", "ip": "not-an-ip"}, "reason": "spam"}),
    ] {
        let resp = app.send(
            "POST",
            &format!("/api/v1/comments/{c}/reports"),
            &app.site_key,
            &bad,
        );
        assert_eq!(resp.status, 422, "{bad}: {}", resp.body);
    }
    let other = app.send(
        "POST",
        &format!("/api/v1/comments/{c}/reports"),
        &app.other_site_key,
        &json!({"reporter": {"id": "x"}, "reason": "spam"}),
    );
    assert_eq!(other.status, 404);
    let all = app.get(&format!("/api/v1/comments/{c}/reports"), &app.site_key);
    assert_eq!(all.body["items"].as_array().expect("items").len(), 1);
}

fn readers_are_rate_limited(app: TestApp) {
    publish_everything(&app, json!({"threshold": 100}));
    let mut limited = None;
    for n in 0..4 {
        let (id, _) = posted(&app, "r5", &format!("w{n}"), "Words.");
        let resp = report(&app, &id, "eager", "spam");
        if resp.status == 429 {
            limited = Some(resp);
            break;
        }
        assert_eq!(resp.status, 201, "{}", resp.body);
    }
    let limited = limited.expect("the third report in a minute is refused");
    assert_eq!(limited.body["error"]["code"], "rate_limited");
    assert!(limited.header("Retry-After").is_some());
}

macro_rules! both {
    ($name:ident) => {
        both!($name, &[]);
    };
    ($name:ident, $env:expr) => {
        mod $name {
            fn spawn(backend: super::Backend) -> Option<super::TestApp> {
                let mut env: Vec<(&str, &str)> = vec![
                    ("MODQ_WEBHOOKS_POLL_MS", "20"),
                    ("MODQ_WEBHOOKS_BACKOFF_BASE_MS", "50"),
                ];
                env.extend_from_slice($env);
                crate::helpers::spawn_app_with(backend, &env)
            }
            #[test]
            fn sqlite() {
                if let Some(app) = spawn(super::Backend::Sqlite) {
                    super::$name(app);
                }
            }
            #[test]
            fn postgres() {
                if let Some(app) = spawn(super::Backend::Postgres) {
                    super::$name(app);
                }
            }
        }
    };
}

both!(threshold_hiding_and_keep);
both!(reject_unpublished_trusted_and_discounted);
both!(
    readers_are_rate_limited,
    &[("MODQ_LIMITS_REPORTS_PER_REPORTER_PER_MINUTE", "2")]
);
