//! The classifier at intake: score bands holding and rejecting, the
//! classifier switched off, settings validation, and the queue's score
//! filter, over HTTP on both backends.

use serde_json::{Value, json};

use crate::both_backends;
use crate::helpers::TestApp;

const SPAM: &str =
    "WINNER!! You have won a 1000 prize. Call 09061701461 now to claim your reward, T&C apply";
const LIKELY_SPAM: &str = "Click here to claim your free gift card";
const ABUSE: &str = "You are a complete idiot and a moron.";
const PLAIN: &str = "I disagree with the mayor about the budget; the piece is fair.";

/// Publishes unless held, with bands: spam held from 0.5 and rejected
/// from 0.99, offensive held from 0.7.
pub fn banded(app: &TestApp) {
    let resp = app.put_site(json!({
        "default_policy": "post",
        "new_author_hold": 0,
        "classifier": {
            "enabled": true,
            "bands": [
                {"attribute": "spam", "approve_below": 0.5, "reject_above": 0.99, "reject_reason": "spam"},
                {"attribute": "offensive", "approve_below": 0.7}
            ]
        }
    }));
    assert_eq!(resp.status, 200, "{}", resp.body);
    assert_eq!(resp.body["classifier"]["bands"][0]["reject_above"], 0.99);
}

fn classifier_reasons(comment: &Value) -> Vec<Value> {
    comment["reasons"]
        .as_array()
        .expect("reasons")
        .iter()
        .filter(|r| r["source"] == "classifier")
        .cloned()
        .collect()
}

both_backends!(score_bands_hold_and_reject, |app: TestApp| {
    banded(&app);

    let plain = app.post_simple("a1", "ann", PLAIN);
    assert_eq!(plain.status, 201);
    assert_eq!(plain.body["status"], "approved", "{}", plain.body);
    assert_eq!(classifier_reasons(&plain.body), Vec::<Value>::new());
    // Every score is kept, below its band or not.
    let scores = plain.body["scores"].as_array().expect("scores");
    assert_eq!(scores.len(), 2);
    assert!(scores.iter().all(|s| s["action"] == "none"));
    assert_eq!(scores[0]["attribute"], "spam");
    assert_eq!(scores[0]["threshold"], 0.5);
    assert_eq!(scores[0]["model"], "sms-spam-seed@1");
    assert!(scores[0]["value"].as_f64().expect("value") < 0.5);

    let held = app.post_simple("a1", "bob", LIKELY_SPAM);
    assert_eq!(held.body["status"], "pending", "{}", held.body);
    let reasons = classifier_reasons(&held.body);
    assert_eq!(reasons.len(), 1, "{}", held.body);
    assert_eq!(reasons[0]["code"], "spam");
    assert_eq!(reasons[0]["score"]["action"], "hold");
    assert_eq!(reasons[0]["score"]["threshold"], 0.5);
    let value = reasons[0]["score"]["value"].as_f64().expect("value");
    assert!((0.5..0.99).contains(&value), "{value}");
    assert!(
        reasons[0]["message"]
            .as_str()
            .is_some_and(|m| m.starts_with("Spam score 0.9")),
        "{}",
        reasons[0]
    );

    let rejected = app.post_simple("a1", "cat", SPAM);
    assert_eq!(rejected.body["status"], "rejected", "{}", rejected.body);
    assert_eq!(rejected.body["decision"]["by"], "classifier");
    assert_eq!(rejected.body["decision"]["reason"]["code"], "spam");
    let reasons = classifier_reasons(&rejected.body);
    assert_eq!(reasons[0]["score"]["action"], "reject");
    assert_eq!(reasons[0]["score"]["threshold"], 0.99);
    // Read back, it says the same.
    let id = rejected.body["id"].as_str().expect("id");
    let stored = app.get_comment(id).body;
    assert_eq!(stored["decision"]["by"], "classifier");
    assert_eq!(stored["scores"], rejected.body["scores"]);

    let abuse = app.post_simple("a1", "dan", ABUSE);
    assert_eq!(abuse.body["status"], "pending");
    let reasons = classifier_reasons(&abuse.body);
    assert_eq!(reasons.len(), 1, "{}", abuse.body);
    assert_eq!(reasons[0]["code"], "offensive");
    assert_eq!(reasons[0]["score"]["model"], "alt-profanity-check@1.9.1");

    // The queue filters by score, of one attribute or any.
    let ids = |resp: crate::helpers::Response| crate::helpers::ids_of(&resp.body);
    let held_id = held.body["id"].as_str().expect("id").to_owned();
    let abuse_id = abuse.body["id"].as_str().expect("id").to_owned();
    assert_eq!(
        ids(app.queue("?attribute=spam&score_min=0.5")),
        vec![held_id.clone()]
    );
    assert_eq!(
        ids(app.queue("?attribute=offensive&score_min=0.9&score_max=1")),
        vec![abuse_id.clone()]
    );
    let mut any = ids(app.queue("?score_min=0.7"));
    any.sort();
    let mut want = vec![held_id, abuse_id];
    want.sort();
    assert_eq!(any, want);
    let bad = app.queue("?score_min=2");
    assert_eq!(bad.status, 422);
    assert_eq!(bad.body["error"]["code"], "validation_failed");
    assert_eq!(app.queue("?attribute=toxicity&score_min=0.1").status, 422);
});

both_backends!(
    with_the_classifier_off_rules_alone_decide,
    |app: TestApp| {
        let resp = app.put_site(json!({
            "default_policy": "post",
            "new_author_hold": 0,
            "classifier": {"enabled": false, "bands": []}
        }));
        assert_eq!(resp.status, 200, "{}", resp.body);
        let spam = app.post_simple("a1", "cat", SPAM);
        assert_eq!(spam.body["status"], "approved", "{}", spam.body);
        assert_eq!(spam.body["scores"], json!([]));
        assert_eq!(classifier_reasons(&spam.body), Vec::<Value>::new());

        // A rule still holds what it names.
        let rule = app.send(
            "POST",
            "/api/v1/rules",
            &app.admin_token,
            &json!({"site": "alpha", "name": "Prizes", "action": "hold", "reason": "spam",
                "match": {"kind": "terms", "terms": ["prize"]}}),
        );
        assert_eq!(rule.status, 201, "{}", rule.body);
        let held = app.post_simple("a1", "dan", SPAM);
        assert_eq!(held.body["status"], "pending", "{}", held.body);
        assert_eq!(held.body["scores"], json!([]));
    }
);

both_backends!(classifier_settings_are_validated, |app: TestApp| {
    let before = app.get("/api/v1/site", &app.site_key).body;
    assert_eq!(before["classifier"]["enabled"], true);
    assert_eq!(before["classifier"]["on_failure"], "open");
    for (settings, field) in [
        (
            json!({"enabled": true, "bands": [{"attribute": "spam", "approve_below": 0.5, "reject_above": 0.9}]}),
            "classifier.bands[0].reject_reason",
        ),
        (
            json!({"enabled": true, "bands": [{"attribute": "spam", "approve_below": 0.5, "reject_above": 0.9, "reject_reason": "nope"}]}),
            "classifier.bands[0].reject_reason",
        ),
        (
            json!({"enabled": true, "bands": [{"attribute": "spam", "approve_below": 1.5}]}),
            "classifier.bands[0].approve_below",
        ),
        (
            json!({"enabled": true, "bands": [], "external": {"url": "ftp://scorer"}}),
            "classifier.external.url",
        ),
        (
            json!({"enabled": true, "bands": [{"attribute": "toxicity", "approve_below": 0.5}]}),
            "classifier",
        ),
    ] {
        let resp = app.put_site(json!({ "classifier": settings }));
        assert_eq!(resp.status, 422, "{settings}: {}", resp.body);
        let message = resp.body["error"]["message"].as_str().expect("message");
        assert!(message.starts_with(field), "{settings}: {message}");
    }
    // Nothing was changed by the refusals.
    assert_eq!(app.get("/api/v1/site", &app.site_key).body, before);
});

/// Spam the seed model has never seen: investment bots. Each variant
/// differs a little, as a spam run does.
fn bot_spam(n: usize) -> String {
    let hooks = [
        "My uncle's crypto trading bot doubled his pension in a month",
        "Passive income secret: the trading bot the banks hate",
        "This crypto bot made me 4000 a week from home",
        "Stop working for a boss, the trading bot pays my bills",
        "The bot trades crypto while I sleep and doubled my savings",
    ];
    let calls = [
        "ask me how",
        "see my profile",
        "message me for the link",
        "details in my bio",
    ];
    format!(
        "{}, {} ({n})",
        hooks[n % hooks.len()],
        calls[n % calls.len()]
    )
}

fn news_comment(n: usize) -> String {
    let openings = [
        "The council should publish the bus figures before the vote",
        "I live near the new tram line and the works have been well run",
        "Good piece, though the budget numbers in paragraph three look off",
        "My daughter's school had the same problem with heating last winter",
        "Thanks for covering the library closures, nobody else did",
    ];
    let endings = [
        "and I hope the paper follows up",
        "as far as I can tell",
        "which the mayor never mentions",
        "but let's see what happens in spring",
    ];
    format!(
        "{}, {} ({n})",
        openings[n % openings.len()],
        endings[n % endings.len()]
    )
}

fn spam_score(comment: &Value) -> (f64, String) {
    let score = comment["scores"]
        .as_array()
        .expect("scores")
        .iter()
        .find(|s| s["attribute"] == "spam")
        .expect("a spam score")
        .clone();
    (
        score["value"].as_f64().expect("value"),
        score["model"].as_str().expect("model").to_owned(),
    )
}

#[test]
fn moderators_decisions_retrain_the_site_model_sqlite() {
    moderators_decisions_retrain_the_site_model(crate::helpers::Backend::Sqlite);
}

#[test]
fn moderators_decisions_retrain_the_site_model_postgres() {
    moderators_decisions_retrain_the_site_model(crate::helpers::Backend::Postgres);
}

fn moderators_decisions_retrain_the_site_model(backend: crate::helpers::Backend) {
    let Some(app) =
        crate::helpers::spawn_app_with(backend, &[("MODQ_CLASSIFIER_RETRAIN_CHECK_SECS", "1")])
    else {
        return;
    };
    // Everything is held, so every comment gets a moderator's decision;
    // the site refits after 40 of them.
    let resp = app.put_site(json!({
        "default_policy": "pre",
        "classifier": {"enabled": true, "retrain_after": 40, "bands": [
            {"attribute": "spam", "approve_below": 0.5}
        ]}
    }));
    assert_eq!(resp.status, 200, "{}", resp.body);
    let probe = bot_spam(1000);
    let before = app.post_simple("a1", "probe", &probe);
    let (seed_score, seed_model) = spam_score(&before.body);
    assert_eq!(seed_model, "sms-spam-seed@1");
    assert!(
        seed_score < 0.5,
        "the seed does not know this spam: {seed_score}"
    );

    for n in 0..20 {
        let spam = app.post_simple("a1", &format!("bot{n}"), &bot_spam(n));
        let id = spam.body["id"].as_str().expect("id");
        let decided = app.decide(
            id,
            json!({"action": "reject", "reason": "spam", "version": 1}),
        );
        assert_eq!(decided.status, 200, "{}", decided.body);
        let ham = app.post_simple("a1", &format!("reader{n}"), &news_comment(n));
        let id = ham.body["id"].as_str().expect("id");
        let decided = app.decide(id, json!({"action": "approve", "version": 1}));
        assert_eq!(decided.status, 200, "{}", decided.body);
    }

    // The refit runs in the background; a new comment shows which model
    // scored it.
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(60);
    let after = loop {
        let again = app.post_simple("a1", "probe", &probe);
        let (score, model) = spam_score(&again.body);
        if model != seed_model {
            break (score, model, again.body);
        }
        assert!(
            std::time::Instant::now() < deadline,
            "no refit within a minute"
        );
        std::thread::sleep(std::time::Duration::from_millis(300));
    };
    let (score, model, body) = after;
    assert!(
        model.starts_with("site-") && model.ends_with("-spam@v1"),
        "{model}"
    );
    assert!(
        score > 0.5 && score > seed_score + 0.3,
        "similar spam now scores {score}, was {seed_score}"
    );
    assert_eq!(
        body["reasons"]
            .as_array()
            .map(|r| r.iter().any(|r| r["code"] == "spam")),
        Some(true)
    );
    // A comment like those approved stays low.
    let reader = app.post_simple("a1", "reader", &news_comment(1000));
    let (reader_score, _) = spam_score(&reader.body);
    assert!(reader_score < 0.5, "{reader_score}");
}

both_backends!(
    admins_set_bands_and_read_calibration_in_the_ui,
    |app: TestApp| {
        use crate::web_client::Browser;
        let mut moderator = Browser::new(&app);
        assert_eq!(
            moderator
                .log_in("mod@example.com", &app.moderator_password)
                .status,
            303
        );
        assert_eq!(moderator.get("/sites/alpha/classifier").status, 403);

        // A decided spam comment and a decided plain one draw the curves.
        let spam = app.post_simple("a1", "cat", LIKELY_SPAM);
        let plain = app.post_simple("a1", "ann", PLAIN);
        for (comment, decision) in [
            (
                &spam,
                json!({"action": "reject", "reason": "spam", "version": 1}),
            ),
            (&plain, json!({"action": "approve", "version": 1})),
        ] {
            let id = comment.body["id"].as_str().expect("id");
            assert_eq!(app.decide(id, decision).status, 200);
        }

        let mut admin = Browser::new(&app);
        assert_eq!(
            admin
                .log_in("admin@example.com", &app.admin_password)
                .status,
            303
        );
        let page = admin.get("/sites/alpha/classifier");
        assert_eq!(page.status, 200);
        let spam_chart = page
            .html
            .split("id=\"chart-spam\"")
            .nth(1)
            .and_then(|rest| rest.split("</figure>").next())
            .expect("a spam chart");
        assert!(
            spam_chart.contains("over 1 rejections and 1 approvals"),
            "{spam_chart}"
        );
        assert!(
            spam_chart.contains("<polyline class=\"precision\" points=\"40.0,"),
            "{spam_chart}"
        );
        // The default band edge, 0.9, sits at 40 + 0.9 × 400.
        assert!(
            spam_chart.contains("<line class=\"edge\" x1=\"400.0\""),
            "{spam_chart}"
        );

        // Saving the form sets the bands; the API sees them.
        let csrf = page.input("csrf");
        let fields = [
            ("csrf", csrf.as_str()),
            ("enabled", "on"),
            ("on_failure", "closed"),
            ("spam_banded", "on"),
            ("spam_approve_below", "0.6"),
            ("spam_between", "flag"),
            ("spam_reject_above", "0.97"),
            ("spam_reject_reason", "spam"),
            ("spam_learn_from", "spam, ads"),
            ("retrain_after", "250"),
            ("external_url", ""),
            ("external_timeout_ms", "800"),
        ];
        let saved = admin.post_form("/sites/alpha/classifier", &fields);
        assert_eq!(saved.status, 200, "{}", saved.html);
        assert!(saved.html.contains("id=\"classifier-notice\">Saved.</p>"));
        let site = app.get("/api/v1/site", &app.site_key).body;
        assert_eq!(site["classifier"]["on_failure"], "closed");
        assert_eq!(site["classifier"]["retrain_after"], 250);
        assert_eq!(
            site["classifier"]["bands"],
            json!([{"attribute": "spam", "approve_below": 0.6, "reject_above": 0.97,
                "between": "flag", "reject_reason": "spam", "learn_from": ["spam", "ads"]}])
        );
        let changes = admin.get("/audit");
        assert!(
            changes
                .html
                .contains("classifier=on spam:0.6-0.97:flag fail-closed"),
            "{}",
            changes.html
        );

        // A rejection edge without a guideline is refused, naming the field,
        // with what was typed kept.
        let mut bad = fields.to_vec();
        bad.retain(|(k, _)| *k != "spam_reject_reason");
        bad.push(("spam_reject_above", "0.95"));
        let refused = admin.post_form("/sites/alpha/classifier", &bad);
        assert_eq!(refused.status, 422, "{}", refused.html);
        assert!(
            refused.html.contains("classifier.bands[0].reject_reason"),
            "{}",
            refused.html
        );
        let not_a_number = admin.post_form(
            "/sites/alpha/classifier",
            &[
                ("csrf", csrf.as_str()),
                ("spam_banded", "on"),
                ("spam_approve_below", "lots"),
                ("retrain_after", "1"),
            ],
        );
        assert_eq!(not_a_number.status, 422);
        assert!(
            not_a_number
                .html
                .contains("spam_approve_below: must be a number from 0 to 1")
        );
        assert_eq!(
            app.get("/api/v1/site", &app.site_key).body["classifier"]["retrain_after"],
            250
        );
        let forged = admin.post_form("/sites/alpha/classifier", &fields[1..]);
        assert_eq!(forged.status, 403);

        // Refitting by hand says why nothing was fitted yet.
        let trained = admin.post_form("/sites/alpha/classifier/train", &[("csrf", &csrf)]);
        assert_eq!(trained.status, 200);
        assert!(
        trained.html.contains("spam: not refitted (needs at least 10 rejections citing spam/ads and 10 approvals; has 1 and 1)."),
        "{}",
        trained.html
    );
    }
);

/// A scorer over real HTTP on a loopback port: answers every request
/// with `body` after `delay`. Serves until the test ends.
fn fake_scorer(body: &'static str, delay: std::time::Duration) -> String {
    use std::io::{BufRead, BufReader, Read, Write};
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let url = format!("http://{}/score", listener.local_addr().expect("addr"));
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(stream) = stream else { continue };
            std::thread::spawn(move || {
                let mut reader = BufReader::new(stream);
                let mut length = 0;
                loop {
                    let mut line = String::new();
                    if reader.read_line(&mut line).unwrap_or(0) == 0 {
                        return;
                    }
                    if let Some(v) = line.to_ascii_lowercase().strip_prefix("content-length:") {
                        length = v.trim().parse().unwrap_or(0);
                    }
                    if line == "\r\n" {
                        break;
                    }
                }
                let mut request = vec![0; length];
                let _ = reader.read_exact(&mut request);
                let asked: serde_json::Value = serde_json::from_slice(&request).unwrap_or_default();
                // Submissions and edits alike tell the scorer the article
                // and the author; a request without them gets no answer.
                assert!(asked["text"].is_string() && asked["article"] == "a1");
                assert!(asked["author"].as_str().is_some_and(|a| !a.is_empty()));
                std::thread::sleep(delay);
                let mut stream = reader.into_inner();
                let _ = write!(
                    stream,
                    "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
                    body.len()
                );
            });
        }
    });
    url
}

/// A loopback URL nothing listens on.
fn dead_scorer() -> String {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let url = format!("http://{}/score", listener.local_addr().expect("addr"));
    drop(listener);
    url
}

fn with_external(app: &TestApp, url: &str, timeout_ms: u64, on_failure: &str) {
    let resp = app.put_site(json!({
        "default_policy": "post",
        "new_author_hold": 0,
        "classifier": {
            "enabled": true,
            "on_failure": on_failure,
            "external": {"url": url, "timeout_ms": timeout_ms},
            "bands": [
                {"attribute": "spam", "approve_below": 0.5},
                {"attribute": "offensive", "approve_below": 0.5, "reject_above": 0.9, "reject_reason": "abuse"}
            ]
        }
    }));
    assert_eq!(resp.status, 200, "{}", resp.body);
}

both_backends!(
    an_external_scorer_counts_as_one_more_classifier,
    |app: TestApp| {
        let url = fake_scorer(
            r#"{"scores": {"spam": 0.1, "offensive": 0.95, "sarcasm": 0.5}}"#,
            std::time::Duration::ZERO,
        );
        with_external(&app, &url, 800, "open");
        let comment = app.post_simple("a1", "ann", PLAIN);
        assert_eq!(comment.body["status"], "rejected", "{}", comment.body);
        assert_eq!(comment.body["decision"]["reason"]["code"], "abuse");
        let host = url.trim_start_matches("http://").trim_end_matches("/score");
        let external: Vec<&Value> = comment.body["scores"]
            .as_array()
            .expect("scores")
            .iter()
            .filter(|s| s["model"] == format!("external@{host}").as_str())
            .collect();
        assert_eq!(
            external.len(),
            2,
            "unknown attributes are ignored: {}",
            comment.body
        );
        assert_eq!(external[0]["attribute"], "spam");
        assert_eq!(external[1]["value"], 0.95);
        // The built-in models scored too.
        assert!(
            comment.body["scores"]
                .as_array()
                .expect("scores")
                .iter()
                .any(|s| s["model"] == "sms-spam-seed@1")
        );
    }
);

both_backends!(
    an_edit_is_scored_by_the_external_scorer_too,
    |app: TestApp| {
        let url = fake_scorer(
            r#"{"scores": {"spam": 0.1, "offensive": 0.2}}"#,
            std::time::Duration::ZERO,
        );
        // Fails closed: an edit the scorer could not score would be held.
        with_external(&app, &url, 800, "closed");
        let comment = app.post_simple("a1", "ann", PLAIN);
        assert_eq!(comment.body["status"], "approved", "{}", comment.body);
        let id = comment.body["id"].as_str().expect("id");
        let edited = app.send(
            "PUT",
            &format!("/api/v1/comments/{id}"),
            &app.site_key,
            &json!({"body": format!("{PLAIN} Edited to add a thought.")}),
        );
        assert_eq!(edited.status, 200, "{}", edited.body);
        assert_eq!(edited.body["status"], "approved", "{}", edited.body);
        assert_eq!(edited.body["revision"], 2, "{}", edited.body);
        let host = url.trim_start_matches("http://").trim_end_matches("/score");
        let external = edited.body["scores"]
            .as_array()
            .expect("scores")
            .iter()
            .filter(|s| s["model"] == format!("external@{host}").as_str())
            .count();
        assert_eq!(external, 2, "{}", edited.body);
    }
);

both_backends!(
    a_scorer_that_is_down_fails_open_or_closed,
    |app: TestApp| {
        let url = dead_scorer();
        with_external(&app, &url, 800, "open");
        let open = app.post_simple("a1", "ann", PLAIN);
        assert_eq!(open.body["status"], "approved", "{}", open.body);
        let reasons = classifier_reasons(&open.body);
        assert_eq!(reasons.len(), 1, "{}", open.body);
        assert_eq!(reasons[0]["code"], "classifier_unavailable");
        let message = reasons[0]["message"].as_str().expect("message");
        assert!(
            message.contains("external scorer: the scorer failed: cannot reach the scorer"),
            "{message}"
        );
        assert!(
            message.ends_with("the site lets unscored comments through."),
            "{message}"
        );

        with_external(&app, &url, 800, "closed");
        let closed = app.post_simple("a1", "bob", PLAIN);
        assert_eq!(closed.body["status"], "pending", "{}", closed.body);
        assert!(
            classifier_reasons(&closed.body)[0]["message"]
                .as_str()
                .is_some_and(|m| m.ends_with("the site holds unscored comments."))
        );
    }
);

both_backends!(a_slow_scorer_times_out_and_fails_closed, |app: TestApp| {
    let url = fake_scorer(
        r#"{"scores": {"spam": 0.0, "offensive": 0.0}}"#,
        std::time::Duration::from_secs(3),
    );
    with_external(&app, &url, 200, "closed");
    // Were there no timeout, the scorer would answer after 3 s with low
    // scores and the comment would be published.
    let slow = app.post_simple("a1", "ann", PLAIN);
    assert_eq!(slow.status, 201);
    assert_eq!(slow.body["status"], "pending", "{}", slow.body);
    let message = classifier_reasons(&slow.body)[0]["message"]
        .as_str()
        .expect("message")
        .to_owned();
    assert!(
        message.contains("did not answer within 200 ms"),
        "{message}"
    );
});
