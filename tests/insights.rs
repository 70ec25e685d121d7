//! The insight figures over HTTP, on both backends: volume by outcome,
//! backlog, time in queue, moderators with overturned decisions, rule
//! precision, score distributions and articles, filtered by site, period
//! and moderator.

use chrono::Datelike;
use serde_json::{Value, json};

use crate::helpers::{Backend, TestApp, spawn_app_with};

/// Counted at once, also on PostgreSQL.
const NO_SETTLE: &[(&str, &str)] = &[("MODQ_INSIGHTS_SETTLE_SECS", "0")];

fn insights(app: &TestApp, token: &str, query: &str) -> Value {
    let resp = app.get(&format!("/api/v1/insights{query}"), token);
    assert_eq!(resp.status, 200, "{query}: {}", resp.body);
    resp.body
}

fn total(points: &Value, field: &str) -> i64 {
    points
        .as_array()
        .expect("points")
        .iter()
        .map(|p| p[field].as_i64().expect(field))
        .sum()
}

fn post(app: &TestApp, article: &str, author: &str, text: &str) -> String {
    let resp = app.post_simple(article, author, text);
    assert_eq!(resp.status, 201, "{}", resp.body);
    resp.body["id"].as_str().expect("id").to_owned()
}

fn decide(app: &TestApp, token: &str, id: &str, decision: Value) {
    let resp = app.send(
        "POST",
        &format!("/api/v1/comments/{id}/decision"),
        token,
        &decision,
    );
    assert_eq!(resp.status, 200, "{}", resp.body);
}

fn figures_follow_every_change(backend: Backend) {
    let Some(app) = spawn_app_with(backend, NO_SETTLE) else {
        return;
    };
    let resp = app.put_site(json!({"default_policy": "post", "new_author_hold": 0}));
    assert_eq!(resp.status, 200);
    for (name, action, term) in [
        ("Lottery", "hold", "lottery"),
        ("Casino", "reject", "casino"),
    ] {
        let resp = app.send(
            "POST",
            "/api/v1/rules",
            &app.admin_token,
            &json!({"site": "alpha", "name": name, "action": action, "reason": "spam",
                    "match": {"kind": "terms", "terms": [term]}}),
        );
        assert_eq!(resp.status, 201, "{}", resp.body);
    }
    let held: Vec<String> = (0..6)
        .map(|i| {
            post(
                &app,
                "a1",
                &format!("l{i}"),
                &format!("win the lottery now {i}"),
            )
        })
        .collect();
    for i in 0..3 {
        post(
            &app,
            "a2",
            &format!("n{i}"),
            &format!("a thoughtful remark {i}"),
        );
    }
    for i in 0..2 {
        post(&app, "a2", &format!("c{i}"), &format!("casino bonus {i}"));
    }
    for id in &held[..4] {
        decide(
            &app,
            &app.admin_token,
            id,
            json!({"action": "reject", "reason": "spam", "version": 1}),
        );
    }
    decide(
        &app,
        &app.moderator_token,
        &held[4],
        json!({"action": "approve", "version": 1}),
    );
    // The admin reopens the moderator's approval: overturned.
    decide(
        &app,
        &app.admin_token,
        &held[4],
        json!({"action": "reopen", "version": 2}),
    );

    let all = insights(&app, &app.admin_token, "?site=alpha&period=day");
    assert_eq!(all["granularity"], "hour");
    assert_eq!(all["entries_behind"], 0, "{all}");
    let volume = &all["volume"];
    // Today's hours, up to the current one.
    let hours = volume.as_array().expect("volume");
    let now = chrono::Utc::now().naive_utc();
    let current = |at: chrono::NaiveDateTime| at.format("%Y-%m-%dT%H").to_string();
    let last = hours
        .last()
        .and_then(|p| p["at"].as_str())
        .unwrap_or_default();
    assert!(
        last.starts_with(&current(now))
            || last.starts_with(&current(now - chrono::Duration::hours(1))),
        "{last}"
    );
    assert!(hours.len() <= 24);
    let counts: Vec<i64> = [
        "received",
        "auto_approved",
        "approved",
        "rejected",
        "auto_rejected",
        "pending",
    ]
    .iter()
    .map(|f| total(volume, f))
    .collect();
    assert_eq!(counts, [11, 3, 0, 4, 2, 2], "{volume}");
    let backlog = all["backlog"].as_array().expect("backlog");
    assert_eq!(backlog.last().map(|p| &p["pending"]), Some(&json!(2)));

    let moderators = all["moderators"].as_array().expect("moderators");
    let figures = |email: &str| {
        moderators
            .iter()
            .find(|m| m["moderator"] == email)
            .map(|m| {
                (
                    m["approved"].clone(),
                    m["rejected"].clone(),
                    m["overturned"].clone(),
                )
            })
    };
    assert_eq!(
        figures("admin@example.com"),
        Some((json!(0), json!(4), json!(0)))
    );
    assert_eq!(
        figures("mod@example.com"),
        Some((json!(1), json!(0), json!(1)))
    );
    assert_eq!(all["speed"]["overall"]["decisions"], 5);
    assert!(all["speed"]["overall"]["p50_secs"].is_i64());
    assert!(all["speed"]["oldest_pending_secs"].is_i64());
    assert_eq!(all["speed"]["target_secs"], 3600);

    let rule = |name: &str| {
        all["rules"]
            .as_array()
            .expect("rules")
            .iter()
            .find(|r| r["name"] == name)
            .cloned()
            .unwrap_or_else(|| panic!("no rule {name} in {}", all["rules"]))
    };
    let lottery = rule("Lottery");
    assert_eq!(
        (
            &lottery["hits"],
            &lottery["held"],
            &lottery["held_rejected"],
            &lottery["held_approved"]
        ),
        (&json!(6), &json!(6), &json!(4), &json!(0))
    );
    assert_eq!(lottery["precision"], 1.0);
    let casino = rule("Casino");
    assert_eq!(
        (&casino["hits"], &casino["auto_rejected"], &casino["held"]),
        (&json!(2), &json!(2), &json!(0))
    );

    let spam = all["classifier"]
        .as_array()
        .expect("classifier")
        .iter()
        .find(|c| c["attribute"] == "spam")
        .expect("spam")
        .clone();
    assert_eq!(spam["bins"].as_array().map(Vec::len), Some(20));
    assert_eq!(total(&spam["bins"], "rejected"), 4, "{spam}");
    assert_eq!(total(&spam["bins"], "approved"), 0, "{spam}");

    let most = &all["articles"]["most_comments"];
    assert_eq!(
        (&most[0]["id"], &most[0]["comments"]),
        (&json!("a1"), &json!(6))
    );
    assert_eq!(
        (&most[1]["id"], &most[1]["comments"]),
        (&json!("a2"), &json!(5))
    );
    let rejected = &all["articles"]["most_rejected"];
    assert_eq!(
        (&rejected[0]["id"], &rejected[0]["rejected"]),
        (&json!("a1"), &json!(4))
    );

    // The whole month, read from the aggregates kept by month: the same.
    let today = chrono::Utc::now().date_naive();
    let first = today.with_day(1).expect("first of the month");
    let last = first + chrono::Months::new(1) - chrono::Days::new(1);
    let month = insights(
        &app,
        &app.admin_token,
        &format!("?site=alpha&from={first}&until={last}"),
    );
    for figure in ["rules", "classifier", "articles", "moderators"] {
        assert_eq!(month[figure], all[figure], "{figure}");
    }

    // One moderator's decisions only.
    let one = insights(
        &app,
        &app.admin_token,
        "?site=alpha&period=week&moderator=mod@example.com",
    );
    assert_eq!(one["granularity"], "day");
    assert_eq!(one["moderators"].as_array().map(Vec::len), Some(1));
    assert_eq!(one["speed"]["overall"]["decisions"], 1);
    assert_eq!(total(&one["volume"], "rejected"), 0);

    // The moderator sees their site; the other site is not theirs.
    let theirs = insights(&app, &app.moderator_token, "");
    assert_eq!(theirs["sites"], json!(["alpha"]));
    assert_eq!(total(&theirs["volume"], "received"), 11);
    let resp = app.get("/api/v1/insights?site=beta", &app.moderator_token);
    assert_eq!(resp.status, 404, "{}", resp.body);
    // A period with nothing in it.
    let old = insights(&app, &app.admin_token, "?from=2025-01-01&until=2025-01-31");
    assert_eq!(total(&old["volume"], "received"), 0);
    assert_eq!(old["volume"].as_array().map(Vec::len), Some(31));
    for bad in [
        "?period=decade",
        "?from=2026-02-01&until=2026-01-01",
        "?from=2020-01-01&until=2026-01-01",
        "?from=soon",
    ] {
        let resp = app.get(&format!("/api/v1/insights{bad}"), &app.admin_token);
        assert_eq!(resp.status, 422, "{bad}: {}", resp.body);
        assert_eq!(resp.body["error"]["code"], "validation_failed", "{bad}");
    }
}

#[test]
fn figures_follow_every_change_sqlite() {
    figures_follow_every_change(Backend::Sqlite);
}

#[test]
fn figures_follow_every_change_postgres() {
    figures_follow_every_change(Backend::Postgres);
}

fn count_command_catches_up(backend: Backend) {
    // The background count runs once at start, then not for an hour.
    let Some(app) = spawn_app_with(
        backend,
        &[
            ("MODQ_INSIGHTS_SETTLE_SECS", "0"),
            ("MODQ_INSIGHTS_REFRESH_SECS", "3600"),
        ],
    ) else {
        return;
    };
    std::thread::sleep(std::time::Duration::from_millis(300));
    for i in 0..3 {
        post(&app, "counted", &format!("c{i}"), &format!("comment {i}"));
    }
    let count = || {
        let out = crate::helpers::modq(&app.db_url)
            .env("MODQ_INSIGHTS_SETTLE_SECS", "0")
            .args(["insights", "count"])
            .output()
            .expect("run modq insights count");
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8_lossy(&out.stdout).into_owned()
    };
    let first = count();
    assert!(first.starts_with("counted 3 audit entries in "), "{first}");
    let again = count();
    assert!(again.starts_with("counted 0 audit entries in "), "{again}");
    let figures = insights(&app, &app.admin_token, "?site=alpha&period=day");
    assert_eq!(total(&figures["volume"], "received"), 3);
}

#[test]
fn count_command_catches_up_sqlite() {
    count_command_catches_up(Backend::Sqlite);
}

#[test]
fn count_command_catches_up_postgres() {
    count_command_catches_up(Backend::Postgres);
}

/// Two instances on one PostgreSQL count at the same time, on their own
/// schedule and on every request, while comments arrive through several
/// connections: each audit entry is counted once. (Entries are counted
/// with no settle time here, so ids taken before smaller ones commit are
/// passed over all the time, and must be counted when they appear.)
#[test]
fn two_instances_count_each_change_once() {
    let env = [
        ("MODQ_INSIGHTS_SETTLE_SECS", "0"),
        ("MODQ_INSIGHTS_REFRESH_SECS", "1"),
    ];
    let Some(app) = spawn_app_with(Backend::Postgres, &env) else {
        return;
    };
    let second = app.second_instance_with(&env);
    let comments = 300;
    std::thread::scope(|s| {
        for worker in 0..4 {
            let app = &app;
            s.spawn(move || {
                for i in (worker..comments).step_by(4) {
                    post(app, "busy", &format!("a{i}"), &format!("comment {i}"));
                }
            });
        }
        // Meanwhile, both instances are asked for the figures.
        for worker in 0..4 {
            let base = if worker % 2 == 0 {
                &app.base
            } else {
                &second.base
            };
            let token = &app.admin_token;
            s.spawn(move || {
                for _ in 0..10 {
                    let resp = ureq::get(&format!("{base}/api/v1/insights?period=day"))
                        .set("Authorization", &format!("Bearer {token}"))
                        .call()
                        .expect("insights");
                    assert_eq!(resp.status(), 200);
                }
            });
        }
    });
    // Once everything has settled, both instances are asked at the same
    // moment, so that they race to count the same entries.
    std::thread::sleep(std::time::Duration::from_millis(300));
    let start = std::sync::Barrier::new(8);
    std::thread::scope(|s| {
        for worker in 0..8 {
            let base = if worker % 2 == 0 {
                &app.base
            } else {
                &second.base
            };
            let (token, start) = (&app.admin_token, &start);
            s.spawn(move || {
                start.wait();
                let resp = ureq::get(&format!("{base}/api/v1/insights?period=day"))
                    .set("Authorization", &format!("Bearer {token}"))
                    .call()
                    .expect("insights");
                assert_eq!(resp.status(), 200);
            });
        }
    });
    for base in [&app.base, &second.base] {
        // On a loaded machine the last entries may settle only now: each
        // request counts what has, so ask until nothing is behind.
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
        let figures = loop {
            let figures: Value =
                ureq::get(&format!("{base}/api/v1/insights?site=alpha&period=day"))
                    .set("Authorization", &format!("Bearer {}", app.admin_token))
                    .call()
                    .expect("insights")
                    .into_json()
                    .expect("JSON");
            if figures["entries_behind"] == 0 || std::time::Instant::now() > deadline {
                break figures;
            }
            std::thread::sleep(std::time::Duration::from_millis(200));
        };
        assert_eq!(figures["entries_behind"], 0);
        assert_eq!(
            total(&figures["volume"], "received"),
            comments as i64,
            "{base}"
        );
        assert_eq!(
            total(&figures["volume"], "pending"),
            comments as i64,
            "{base}"
        );
        let backlog = figures["backlog"].as_array().expect("backlog");
        assert_eq!(
            backlog.last().map(|p| &p["pending"]),
            Some(&json!(comments))
        );
    }
}

/// On PostgreSQL an audit id can become visible after a larger one: a
/// transaction took its id, and another took the next and committed first.
/// The counter passes over the missing id, remembers it, and counts the
/// entry once it appears, once.
#[test]
fn an_entry_committed_after_a_later_one_is_counted_once() {
    use modq::storage::{self, Database, StorageError, audit::NewAudit};
    use std::sync::{Arc, Barrier};

    let env = [
        ("MODQ_INSIGHTS_SETTLE_SECS", "0"),
        ("MODQ_INSIGHTS_REFRESH_SECS", "3600"),
    ];
    let Some(app) = spawn_app_with(Backend::Postgres, &env) else {
        return;
    };
    let first: i64 = post(&app, "g1", "ann", "Decided in a slow transaction.")
        .parse()
        .expect("id");
    let db =
        Database::connect(&crate::helpers::settings_for(&app.db_url).database).expect("connect");
    let (taken, release) = (Arc::new(Barrier::new(2)), Arc::new(Barrier::new(2)));
    let writer = {
        let (taken, release) = (Arc::clone(&taken), Arc::clone(&release));
        std::thread::spawn(move || {
            // The approval takes its audit id, then waits before committing.
            let result = db.write_blocking(move |conn| {
                let site_id = storage::comments::find(conn, first)?
                    .expect("the comment")
                    .site_id;
                storage::audit::append(
                    conn,
                    &NewAudit {
                        site_id,
                        comment_id: first,
                        actor: "moderator:admin@example.com",
                        action: "approve",
                        from_status: Some("pending"),
                        to_status: "approved",
                        reason: None,
                        note: None,
                        created_at: storage::now(),
                    },
                )?;
                taken.wait();
                release.wait();
                Ok::<_, StorageError>(())
            });
            db.shutdown();
            result
        })
    };
    taken.wait();
    // A later id commits first, and is counted; the approval is not visible.
    post(&app, "g1", "bob", "Committed first.");
    let before = insights(&app, &app.admin_token, "?site=alpha&period=day");
    assert_eq!(total(&before["volume"], "received"), 2, "{before}");
    assert_eq!(total(&before["volume"], "approved"), 0);
    assert_eq!(total(&before["volume"], "pending"), 2);

    release.wait();
    writer
        .join()
        .expect("writer")
        .expect("the approval commits");
    for _ in 0..2 {
        let after = insights(&app, &app.admin_token, "?site=alpha&period=day");
        assert_eq!(total(&after["volume"], "received"), 2, "{after}");
        assert_eq!(total(&after["volume"], "approved"), 1, "{after}");
        assert_eq!(total(&after["volume"], "pending"), 1, "{after}");
    }
}
