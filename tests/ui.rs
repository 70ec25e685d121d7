//! The moderator UI end to end in headless Chromium, driving the real
//! server: keyboard decisions, highlighted matches, escaping, and the
//! notice when another moderator decided first.

use serde_json::json;

use crate::browser::Browser;
use crate::helpers::{Backend, TestApp, comment_body, spawn_app, spawn_app_with};

fn post(app: &TestApp, author: &str, text: &str) -> String {
    let resp = app.post_comment(&comment_body("a1", author, text));
    assert_eq!(resp.status, 201, "{}", resp.body);
    resp.body["id"].as_str().expect("id").to_owned()
}

fn status(app: &TestApp, id: &str) -> serde_json::Value {
    app.get_comment(id).body
}

fn current_card(browser: &Browser) -> String {
    browser
        .eval("return document.querySelector('article.card.current').dataset.id")
        .as_str()
        .expect("a current card")
        .to_owned()
}

#[test]
fn keyboard_decisions_highlights_and_escaping() {
    let Some(app) = spawn_app(Backend::Sqlite) else {
        return;
    };
    let rule = json!({
        "site": "alpha", "name": "Pill spam", "action": "hold", "reason": "spam",
        "priority": 50, "match": {"kind": "terms", "terms": ["cheap pills"]}
    });
    assert_eq!(
        app.send("POST", "/api/v1/rules", &app.admin_token, &rule)
            .status,
        201
    );
    let spam = post(&app, "sam", "Buy cheap pills at my shop today.");
    let plain = post(&app, "pat", "A thoughtful comment about the budget.");
    let hostile = post(
        &app,
        "eve",
        "<img src=x onerror=\"window.pwned=1;alert('img')\"><script>window.pwned=2;alert('s')</script> \
         <a href=\"javascript:window.pwned=3\">click</a> hello",
    );
    let Some(browser) = Browser::start() else {
        return;
    };
    browser.log_in(&app.base, "mod@example.com", &app.moderator_password);

    // The rule's match is highlighted and labelled.
    let mark = browser.find(&format!("#comment-{spam} .body mark"));
    assert_eq!(browser.text(&mark), "cheap pills");
    let label = browser.eval(&format!(
        "return document.querySelector('#comment-{spam} .body mark').title"
    ));
    assert!(
        label.as_str().is_some_and(|t| t.contains("Pill spam")),
        "{label}"
    );

    // The hostile comment is text: no dialog, no element, nothing ran.
    assert_eq!(browser.dialog(), None);
    assert_eq!(browser.count(&format!("#comment-{hostile} .body *")), 0);
    assert_eq!(
        browser.eval("return typeof window.pwned"),
        json!("undefined")
    );
    let shown = browser.text(&browser.find(&format!("#comment-{hostile} .body")));
    assert!(shown.contains("<script>window.pwned=2"), "{shown}");
    if let Ok(dir) = std::env::var("MODQ_SCREENSHOT_DIR") {
        std::fs::write(format!("{dir}/queue.png"), browser.screenshot_png()).expect("screenshot");
    }

    // The rule hit has the highest priority, so it is first: `a` approves.
    assert_eq!(current_card(&browser), spam);
    assert_eq!(browser.text(&browser.find("#pending-count")), "3");
    browser.press("a");
    browser.wait_for("the approval", |b| {
        b.count(&format!("#comment-{spam}.done")) == 1
    });
    assert_eq!(status(&app, &spam)["status"], "approved");
    assert_eq!(browser.text(&browser.find("#pending-count")), "2");

    // `j` moves on, `k` back; `r` rejects with the reason in the picker.
    let next = current_card(&browser);
    browser.press("j");
    let after = current_card(&browser);
    assert_ne!(next, after);
    browser.press("k");
    assert_eq!(current_card(&browser), next);
    // `r` asks for the reason; `1` picks the site's first guideline.
    browser.press("r");
    let prompt = browser.text(&browser.find("#notice"));
    assert!(prompt.starts_with("Reject: press a number"), "{prompt}");
    browser.press("1");
    browser.wait_for("the rejection", |b| {
        b.count(&format!("#comment-{next}.done")) == 1
    });
    let rejected = status(&app, &next);
    assert_eq!(rejected["status"], "rejected");
    assert_eq!(rejected["decision"]["reason"]["code"], "spam", "{rejected}");
    assert!([plain.as_str(), hostile.as_str()].contains(&next.as_str()));

    // `u` takes the last decision back.
    browser.press("u");
    browser.wait_for("the undo", |b| {
        b.count(&format!("#comment-{next}.done")) == 0
    });
    assert_eq!(status(&app, &next)["status"], "pending");
    assert_eq!(
        browser.text(&browser.find("#notice")),
        "Undone: the comment is pending again."
    );

    // `?` shows the shortcuts.
    assert_eq!(
        browser.eval("return document.getElementById('help').hidden"),
        json!(true)
    );
    browser.press("?");
    assert_eq!(
        browser.eval("return document.getElementById('help').hidden"),
        json!(false)
    );

    // The comment's own page: the match, the decision and the history.
    browser.click(&browser.find(&format!("#comment-{spam} a.details")));
    browser.wait_for("the comment page", |b| b.count("#detail") == 1);
    assert_eq!(
        browser.text(&browser.find("#detail .body mark")),
        "cheap pills"
    );
    let decision = browser.text(&browser.find("#detail .decision"));
    assert!(
        decision.starts_with("approve by mod@example.com"),
        "{decision}"
    );
    assert_eq!(browser.count("#detail table.history tbody tr"), 2);
    if let Ok(dir) = std::env::var("MODQ_SCREENSHOT_DIR") {
        std::fs::write(format!("{dir}/comment.png"), browser.screenshot_png()).expect("screenshot");
    }
}

#[test]
fn bulk_reject_and_approve_everything_matching() {
    let Some(app) = spawn_app(Backend::Sqlite) else {
        return;
    };
    let ids: Vec<String> = (0..4)
        .map(|i| post(&app, &format!("author{i}"), &format!("Comment number {i}.")))
        .collect();
    let Some(browser) = Browser::start() else {
        return;
    };
    browser.log_in(&app.base, "mod@example.com", &app.moderator_password);
    // Select the first and the third with `x`.
    let first = current_card(&browser);
    browser.press("x");
    browser.press("j");
    browser.press("j");
    let third = current_card(&browser);
    browser.press("x");
    assert_eq!(browser.text(&browser.find("#bulk-count")), "2 selected");
    browser.click(&browser.find("#bulk button[value=reject]"));
    browser.wait_for("the bulk rejection", |b| b.count("article.card.done") == 2);
    assert_eq!(
        browser.text(&browser.find("#notice")),
        "Rejected 2 comments."
    );
    for id in [&first, &third] {
        let comment = status(&app, id);
        assert_eq!(comment["status"], "rejected");
        assert_eq!(comment["decision"]["reason"]["code"], "spam");
    }

    // Everything still matching the view, in one go.
    browser.click(&browser.find("#bulk-all"));
    browser.click(&browser.find("#bulk button[value=approve]"));
    browser.wait_for("the bulk approval", |b| b.count("article.card.done") == 4);
    assert_eq!(
        browser.text(&browser.find("#notice")),
        "Approved 2 comments."
    );
    let approved = ids
        .iter()
        .filter(|id| status(&app, id)["status"] == "approved")
        .count();
    assert_eq!(approved, 2);
}

#[test]
fn two_moderators_deciding_at_once_see_the_lease_and_the_conflict() {
    // Live updates would set the card aside before the key is pressed;
    // this test is about losing the race, so they are slowed right down.
    let Some(app) = spawn_app_with(
        Backend::Sqlite,
        &[("MODQ_MODERATION_LIVE_POLL_MS", "600000")],
    ) else {
        return;
    };
    let id = post(&app, "ann", "Waiting for a moderator.");
    let Some(moderator) = Browser::start() else {
        return;
    };
    moderator.log_in(&app.base, "mod@example.com", &app.moderator_password);
    moderator.wait_for("the moderator's lease", |b| {
        b.eval(&format!(
            "return document.getElementById('comment-{id}').dataset.lease || ''"
        )) == json!("mine")
    });

    // The admin, in a second browser, sees who is reviewing it...
    let Some(admin) = Browser::start() else {
        return;
    };
    admin.log_in(&app.base, "admin@example.com", &app.admin_password);
    assert_eq!(current_card(&admin), id);
    admin.wait_for("the lease line", |b| {
        b.eval(&format!(
            "return document.querySelector('#comment-{id} .lease').hidden"
        )) == json!(false)
    });
    let line = admin.text(&admin.find(&format!("#comment-{id} .lease")));
    assert!(
        line.starts_with("Being reviewed by mod@example.com until "),
        "{line}"
    );

    // ...and rejects it anyway, first.
    admin.press("r");
    admin.press("1");
    admin.wait_for("the admin's decision", |b| {
        b.count(&format!("#comment-{id}.done")) == 1
    });
    assert_eq!(status(&app, &id)["status"], "rejected");

    // The moderator's approval then loses the race, and says so.
    moderator.press("a");
    moderator.wait_for("the notice", |b| {
        b.eval("return document.getElementById('notice').hidden") == json!(false)
    });
    let notice = moderator.text(&moderator.find("#notice"));
    assert!(
        notice.contains("Another moderator got there first: this comment is now rejected."),
        "{notice}"
    );
    assert_eq!(status(&app, &id)["status"], "rejected");
    // The card is no longer pending, so it is set aside.
    assert_eq!(moderator.count(&format!("#comment-{id}.done")), 1);
}

#[test]
fn another_moderators_lease_is_shown_and_sorted_last() {
    let Some(app) = spawn_app(Backend::Sqlite) else {
        return;
    };
    let first = post(&app, "ann", "The oldest comment, first in the queue.");
    let second = post(&app, "bob", "The second comment.");
    let Some(moderator) = Browser::start() else {
        return;
    };
    // The moderator's queue focuses the first comment, which leases it.
    moderator.log_in(&app.base, "mod@example.com", &app.moderator_password);
    assert_eq!(current_card(&moderator), first);
    let lease_of = |b: &Browser, id: &str| {
        b.eval(&format!(
            "return document.getElementById('comment-{id}').dataset.lease || ''"
        ))
    };
    moderator.wait_for("the moderator's lease", |b| {
        lease_of(b, &first) == json!("mine")
    });

    // The admin sees who is reviewing it, and it comes last for them.
    let Some(admin) = Browser::start() else {
        return;
    };
    admin.log_in(&app.base, "admin@example.com", &app.admin_password);
    let order = admin.eval(
        "return Array.from(document.querySelectorAll('article.card')).map(c => c.dataset.id)",
    );
    assert_eq!(order, json!([second, first]));
    let line = admin.text(&admin.find(&format!("#comment-{first} .lease")));
    assert_eq!(line, "Being reviewed by mod@example.com");
    assert_eq!(current_card(&admin), second);

    // Moving the moderator's focus on gives the lease up.
    moderator.press("j");
    moderator.wait_for("the release", |b| lease_of(b, &first) == json!(""));
    let taken = app.raw(
        "POST",
        &format!("/api/v1/comments/{first}/lease"),
        Some(&app.admin_token),
        &[],
        None,
    );
    assert_eq!(taken.status, 200, "{}", taken.body);
}

#[test]
fn live_updates_arrive_without_a_reload() {
    let Some(app) = spawn_app(Backend::Sqlite) else {
        return;
    };
    let first = post(&app, "ann", "Already waiting when the page opened.");
    let Some(browser) = Browser::start() else {
        return;
    };
    browser.log_in(&app.base, "mod@example.com", &app.moderator_password);
    browser.wait_for("the event stream", |b| {
        b.eval("return document.getElementById('queue').dataset.live || ''") == json!("on")
    });
    assert_eq!(
        browser.eval("return document.title"),
        json!("(1) Queue · modq")
    );
    // Mark the page, so a reload would show.
    browser.eval("window.sameDocument = true; return null");

    let arrived = post(&app, "bob", "Arrived while the page was open.");
    browser.wait_for("the new card", |b| {
        b.count(&format!("#comment-{arrived}")) == 1
    });
    let text = browser.text(&browser.find(&format!("#comment-{arrived} .body")));
    assert_eq!(text, "Arrived while the page was open.");
    browser.wait_for("the count", |b| b.text(&b.find("#pending-count")) == "2");
    assert_eq!(
        browser.eval("return document.title"),
        json!("(2) Queue · modq")
    );

    // Another moderator's decision sets the card aside, with a notice.
    let decided = app.decide(&first, json!({"action": "approve", "version": 1}));
    assert_eq!(decided.status, 200, "{}", decided.body);
    browser.wait_for("the card set aside", |b| {
        b.count(&format!("#comment-{first}.done")) == 1
    });
    let notice = browser.text(&browser.find("#notice"));
    assert_eq!(notice, "Comment approved by admin@example.com.");
    browser.wait_for("the count", |b| b.text(&b.find("#pending-count")) == "1");
    assert_eq!(
        browser.eval("return window.sameDocument === true"),
        json!(true)
    );
}

#[test]
fn a_draft_rule_is_backtested_before_saving() {
    let Some(app) = spawn_app(Backend::Sqlite) else {
        return;
    };
    for (i, (text, reject)) in [
        ("Guaranteed profit with my trading signals, DM me", true),
        (
            "Guaranteed profit? Nothing is guaranteed in markets.",
            false,
        ),
        ("Join my group for guaranteed profit every week", true),
        ("The budget vote is on Tuesday.", false),
    ]
    .iter()
    .enumerate()
    {
        let id = post(&app, &format!("reader{i}"), text);
        let decision = if *reject {
            json!({"action": "reject", "reason": "spam", "version": 1})
        } else {
            json!({"action": "approve", "version": 1})
        };
        assert_eq!(app.decide(&id, decision).status, 200);
    }
    let Some(browser) = Browser::start() else {
        return;
    };
    browser.log_in(&app.base, "mod@example.com", &app.moderator_password);
    browser.go(&format!("{}/rules/new", app.base));
    browser.eval(
        r#"document.querySelector('textarea[name=json]').value = JSON.stringify({
            site: "alpha", name: "Profit scams", action: "hold", reason: "spam", mode: "shadow",
            match: {kind: "terms", terms: ["guaranteed profit"]}}, null, 2); return null"#,
    );
    browser.click(&browser.find("button[value=backtest]"));
    browser.wait_for("the backtest", |b| b.count("#backtest") == 1);
    let summary = browser.text(&browser.find("#backtest p"));
    assert!(summary.contains("3 hits"), "{summary}");
    assert!(summary.contains("Precision 67%"), "{summary}");
    assert_eq!(browser.count("#backtest .sample"), 3);
    assert_eq!(browser.count("#backtest .sample mark"), 3);
    if let Ok(dir) = std::env::var("MODQ_SCREENSHOT_DIR") {
        browser.eval(
            "window.scrollTo(0, document.getElementById('backtest').getBoundingClientRect().top \
             + window.scrollY - 120); return null",
        );
        std::fs::write(format!("{dir}/backtest.png"), browser.screenshot_png())
            .expect("screenshot");
    }
}

#[test]
fn the_calibration_chart_draws_in_the_browser() {
    let Some(app) = spawn_app(Backend::Sqlite) else {
        return;
    };
    // Spam the seed half recognises, and ordinary comments, decided.
    let spam = [
        "WINNER!! You have won a 1000 prize. Call 09061701461 now to claim",
        "Click here to claim your free gift card",
        "Congratulations you won cash! Reply now",
        "My crypto trading bot doubled my savings, message me",
        "Free entry to win a prize, text WIN to 80086 now",
        "Earn 4000 a week from home, see my profile",
    ];
    let plain = [
        "I disagree with the mayor about the budget; the piece is fair.",
        "The council should publish the bus figures before the vote.",
        "Thanks for covering the library closures.",
        "My street had the same flooding last winter.",
        "Good piece, though paragraph three has the dates wrong.",
        "See you at the meeting on Tuesday, the agenda is online.",
    ];
    for (i, text) in spam.iter().enumerate() {
        let id = post(&app, &format!("bot{i}"), text);
        let decision = json!({"action": "reject", "reason": "spam", "version": 1});
        assert_eq!(app.decide(&id, decision).status, 200);
    }
    for (i, text) in plain.iter().enumerate() {
        let id = post(&app, &format!("reader{i}"), text);
        assert_eq!(
            app.decide(&id, json!({"action": "approve", "version": 1}))
                .status,
            200
        );
    }
    let Some(browser) = Browser::start() else {
        return;
    };
    browser.log_in(&app.base, "admin@example.com", &app.admin_password);
    browser.go(&format!("{}/sites/alpha/classifier", app.base));
    browser.wait_for("the spam chart", |b| b.count("#chart-spam svg") == 1);
    // The curves and the band edge are drawn, with real size on the page.
    let drawn = browser.eval(
        "const svg = document.querySelector('#chart-spam svg'); \
         const box = (s) => svg.querySelector(s).getBBox(); \
         return [box('polyline.precision').width > 100, box('polyline.recall').width > 100, \
                 svg.querySelectorAll('line.edge').length, \
                 svg.getBoundingClientRect().width > 200]",
    );
    assert_eq!(drawn, json!([true, true, 1, true]));
    let caption = browser.text(&browser.find("#chart-spam figcaption"));
    assert_eq!(
        caption,
        "spam: sms-spam-seed@1, over 6 rejections and 6 approvals"
    );
    if let Ok(dir) = std::env::var("MODQ_SCREENSHOT_DIR") {
        browser.eval(
            "window.scrollTo(0, document.getElementById('chart-spam').getBoundingClientRect().top \
             + window.scrollY - 160); return null",
        );
        std::fs::write(format!("{dir}/calibration.png"), browser.screenshot_png())
            .expect("screenshot");
    }
}

#[test]
fn an_admin_adds_a_webhook_and_reads_its_delivery_log() {
    let Some(app) = spawn_app(Backend::Sqlite) else {
        return;
    };
    // A receiver that takes every delivery.
    let receiver = crate::webhooks::Receiver::start(Vec::new());
    let url = receiver.url.clone();
    let Some(browser) = Browser::start() else {
        return;
    };
    browser.log_in(&app.base, "admin@example.com", &app.admin_password);
    browser.go(&format!("{}/sites/alpha", app.base));
    browser.click(&browser.find("#webhooks-link"));
    browser.wait_for("the webhooks page", |b| b.count("#add-webhook") == 1);
    browser.type_into(&browser.find("#add-webhook input[name=url]"), &url);
    browser.click(&browser.find("#add-webhook input[name='on_comment.created']"));
    browser.click(&browser.find("#add-webhook button[type=submit]"));
    browser.wait_for("the secret", |b| b.count("#webhooks-notice") == 1);
    let notice = browser.text(&browser.find("#webhooks-notice"));
    assert!(
        notice.contains("Its signing secret, shown only now: whsec_"),
        "{notice}"
    );
    let row = browser.text(&browser.find("#endpoints tbody tr"));
    assert!(
        row.contains("comment.created") && row.contains("ok"),
        "{row}"
    );

    // A comment goes out, and the log shows the delivery.
    post(&app, "ann", "Delivered to the site.");
    browser.click(&browser.find("#endpoints tbody tr a"));
    browser.wait_for("the delivered event", |b| {
        b.count("#deliveries tr.state-delivered") == 1 || {
            b.eval("location.reload(); return null");
            std::thread::sleep(std::time::Duration::from_millis(200));
            false
        }
    });
    let log = browser.text(&browser.find("#deliveries tbody"));
    assert!(
        log.contains("comment.created") && log.contains(": 200,"),
        "{log}"
    );
}

#[test]
fn the_insights_dashboard_draws_its_charts() {
    let Some(app) = spawn_app(Backend::Sqlite) else {
        return;
    };
    let rule = app.send(
        "POST",
        "/api/v1/rules",
        &app.admin_token,
        &json!({"site": "alpha", "name": "Reader comments", "action": "hold",
                "match": {"kind": "terms", "terms": ["reader comment"]}}),
    );
    assert_eq!(rule.status, 201, "{}", rule.body);
    // A title with markup: it must show as text, in the table and the SVG.
    let mut body = comment_body("loud", "r0", "What a <b>day</b>.");
    body["article"]["title"] = json!("<b>Loud</b> & clear");
    let first = app.post_comment(&body);
    assert_eq!(first.status, 201, "{}", first.body);
    let mut ids = vec![first.body["id"].as_str().expect("id").to_owned()];
    for i in 1..6 {
        let mut body = comment_body("loud", &format!("r{i}"), &format!("Reader comment {i}"));
        body["article"]["title"] = json!("<b>Loud</b> & clear");
        ids.push(
            app.post_comment(&body).body["id"]
                .as_str()
                .expect("id")
                .to_owned(),
        );
    }
    for (i, id) in ids.iter().enumerate().take(5) {
        let decision = if i % 2 == 0 {
            json!({"action": "approve", "version": 1})
        } else {
            json!({"action": "reject", "reason": "spam", "version": 1})
        };
        assert_eq!(app.decide(id, decision).status, 200);
    }
    let Some(browser) = Browser::start() else {
        return;
    };
    browser.log_in(&app.base, "admin@example.com", &app.admin_password);
    browser.go(&format!("{}/insights?site=alpha&period=day", app.base));
    browser.wait_for("the volume chart", |b| b.count("#chart-volume svg") == 1);
    let drawn = browser.eval(
        "const q = (s) => document.querySelectorAll(s).length; \
         const svg = document.querySelector('#chart-volume svg'); \
         return [q('#chart-volume rect.s-approved') > 0, q('#chart-volume rect.s-rejected') > 0, \
                 q('#chart-volume rect.s-pending') > 0, svg.getBoundingClientRect().width > 200, \
                 q('#chart-backlog polyline.s-pending'), q('#chart-speed polyline.s-p50'), \
                 q('#chart-speed line.target'), q('#chart-scores-spam rect.s-rejected') == 20]",
    );
    assert_eq!(drawn, json!([true, true, true, true, 1, 1, 1, true]));
    // Every bar says what it counts.
    let tooltip = browser
        .eval("return document.querySelector('#chart-volume rect.s-rejected title').textContent");
    assert!(
        tooltip
            .as_str()
            .is_some_and(|t| t.ends_with(": 2 rejected")),
        "{tooltip}"
    );
    assert_eq!(browser.text(&browser.find("#speed-decisions")), "5");
    let moderators = browser.text(&browser.find("#moderators tbody"));
    assert!(moderators.contains("admin@example.com"), "{moderators}");
    let article = browser.find("#articles-comments tbody a");
    assert_eq!(browser.text(&article), "<b>Loud</b> & clear");
    assert_eq!(browser.count("#articles-comments tbody b"), 0);
    let billing =
        browser.eval("return document.getElementById('billing-csv').getAttribute('href')");
    assert!(
        billing
            .as_str()
            .is_some_and(|h| h.starts_with("/export/decisions.csv?site=alpha&")),
        "{billing}"
    );
    if let Ok(dir) = std::env::var("MODQ_SCREENSHOT_DIR") {
        std::fs::write(format!("{dir}/insights.png"), browser.screenshot_png())
            .expect("screenshot");
    }
    // The rule's row links to its backtest, which runs at once.
    let rules = browser.text(&browser.find("#rules tbody"));
    let cells: Vec<&str> = rules.split_whitespace().collect();
    assert_eq!(
        cells.get(..8),
        Some(&["Reader", "comments", "5", "5", "0", "2", "2", "50%"][..]),
        "{rules}"
    );
    let backtest = browser.find("#rules tbody a[href*='backtest=true']");
    browser.click(&backtest);
    browser.wait_for("the backtest", |b| b.count("#backtest") == 1);
    let replayed = browser.text(&browser.find("#backtest p"));
    assert!(replayed.contains("5 hits"), "{replayed}");
    browser.go(&format!("{}/insights?site=alpha&period=day", app.base));
    browser.wait_for("the dashboard again", |b| b.count("#chart-volume svg") == 1);
    // Another period, from the form.
    browser.eval(
        "document.querySelector('select[name=period]').value = 'week'; \
         document.querySelector('select[name=period]').form.submit(); return null",
    );
    browser.wait_for("the week's figures", |b| {
        b.eval("return location.search")
            .as_str()
            .is_some_and(|s| s.contains("period=week"))
            && b.count("#chart-volume svg") == 1
    });
    let scope = browser.text(&browser.find("#insights-scope"));
    let week_ago = (chrono::Utc::now().date_naive() - chrono::Days::new(6)).to_string();
    assert!(scope.starts_with(&format!("{week_ago} to ")), "{scope}");
}

/// The Pending, Reported, Edited, Approved and Rejected tabs: replies
/// shown under their parent, reports with readers' notes (escaped), keep
/// with `a` and in bulk, the diff of an edit, and reopen with `o`.
#[test]
fn the_reported_and_edited_tabs() {
    let Some(app) = spawn_app(Backend::Sqlite) else {
        return;
    };
    let settings = app.put_site(json!({"default_policy": "post", "new_author_hold": 0}));
    assert_eq!(settings.status, 200, "{}", settings.body);
    let rule = json!({
        "site": "alpha", "name": "Pill spam", "action": "hold", "reason": "spam",
        "match": {"kind": "terms", "terms": ["cheap pills"]}
    });
    assert_eq!(
        app.send("POST", "/api/v1/rules", &app.admin_token, &rule)
            .status,
        201
    );
    let parent = post(&app, "pam", "The council should publish the budget.");
    let mut reply = comment_body("a1", "rob", "Agreed, and cheap pills for all.");
    reply["parent_id"] = json!(parent);
    let reply = app.post_comment(&reply).body["id"]
        .as_str()
        .expect("id")
        .to_owned();
    let report = |id: &str, reader: &str, note: &str| {
        let resp = app.send(
            "POST",
            &format!("/api/v1/comments/{id}/reports"),
            &app.site_key,
            &json!({"reporter": {"id": reader}, "reason": "abuse", "note": note}),
        );
        assert_eq!(resp.status, 201, "{}", resp.body);
    };
    report(
        &parent,
        "reader-1",
        "<b id=\"injected\">rude</b> to the mayor",
    );
    let others: Vec<String> = (0..2)
        .map(|i| {
            let id = post(&app, &format!("other{i}"), &format!("Opinion {i}."));
            report(&id, "reader-2", "");
            id
        })
        .collect();
    let edited = post(&app, "eddie", "Nice piece.");
    let edit = app.send(
        "PUT",
        &format!("/api/v1/comments/{edited}"),
        &app.site_key,
        &json!({"body": "Nice piece. Get cheap pills here."}),
    );
    assert_eq!(edit.body["status"], "pending", "{}", edit.body);

    let Some(browser) = Browser::start() else {
        return;
    };
    browser.log_in(&app.base, "mod@example.com", &app.moderator_password);
    let tab_text = |b: &Browser| {
        b.eval("return Array.from(document.querySelectorAll('.tabs a')).map(a => a.textContent.trim())")
    };
    assert_eq!(
        tab_text(&browser),
        json!([
            "Pending 2",
            "Reported 3",
            "Edited 1",
            "Approved",
            "Rejected"
        ])
    );
    // The reply shows the comment it answers.
    let quoted = browser.text(&browser.find(&format!("#comment-{reply} blockquote.parent")));
    assert!(
        quoted.contains("Reader pam") && quoted.contains("publish the budget"),
        "{quoted}"
    );

    // Reported: the reasons and the readers' notes, as text.
    browser.click(&browser.find(".tabs a[href*='tab=reported']"));
    browser.wait_for("the reported tab", |b| {
        b.count("#queue[data-tab=reported]") == 1
    });
    assert_eq!(browser.count("article.card"), 3);
    let reports = browser.text(&browser.find(&format!("#comment-{parent} .reports")));
    assert!(reports.contains("1 open report: Abuse"), "{reports}");
    assert!(reports.contains("<b id=\"injected\">rude</b>"), "{reports}");
    assert_eq!(browser.count("#injected"), 0);
    // `a` keeps the comment in focus (the oldest report first).
    assert_eq!(current_card(&browser), parent);
    browser.press("a");
    browser.wait_for("the keep", |b| {
        b.count(&format!("#comment-{parent}.done")) == 1
    });
    let kept = status(&app, &parent);
    assert_eq!(kept["status"], "approved");
    assert_eq!(kept["reports"]["in_review"], false);
    // The other two, kept in bulk.
    browser.press("x");
    browser.press("j");
    browser.press("x");
    browser.click(&browser.find("#bulk button[value=keep]"));
    browser.wait_for("the bulk keep", |b| b.count("article.card.done") == 3);
    assert_eq!(browser.text(&browser.find("#notice")), "Kept 2 comments.");
    for id in &others {
        assert_eq!(status(&app, id)["reports"]["open"], 0);
    }

    // Edited: the diff shows what the edit added; reject it with `r`, `1`.
    browser.click(&browser.find(".tabs a[href*='tab=edited']"));
    browser.wait_for("the edited tab", |b| {
        b.count("#queue[data-tab=edited]") == 1
    });
    assert_eq!(
        browser.text(&browser.find(&format!("#comment-{edited} .diff-text ins"))),
        " Get cheap pills here."
    );
    assert!(
        browser
            .text(&browser.find(&format!("#comment-{edited} .badge.edited")))
            .contains("revision 2")
    );
    browser.press("r");
    browser.press("1");
    browser.wait_for("the rejection", |b| {
        b.count(&format!("#comment-{edited}.done")) == 1
    });
    assert_eq!(status(&app, &edited)["status"], "rejected");

    // Rejected lists it; Approved offers reopen (`o`).
    browser.click(&browser.find(".tabs a[href*='tab=rejected']"));
    browser.wait_for("the rejected tab", |b| {
        b.count("#queue[data-tab=rejected]") == 1
    });
    assert_eq!(browser.count(&format!("#comment-{edited}")), 1);
    browser.click(&browser.find(".tabs a[href*='tab=approved']"));
    browser.wait_for("the approved tab", |b| {
        b.count("#queue[data-tab=approved]") == 1
    });
    assert_eq!(browser.count(&format!("#comment-{parent} form.reopen")), 1);
    assert_eq!(browser.count("article.card form.approve"), 0);
    let first = current_card(&browser);
    browser.press("o");
    browser.wait_for("the reopen", |b| {
        b.count(&format!("#comment-{first}.done")) == 1
    });
    assert_eq!(status(&app, &first)["status"], "pending");
    if let Ok(dir) = std::env::var("MODQ_SCREENSHOT_DIR") {
        std::fs::write(format!("{dir}/tabs.png"), browser.screenshot_png()).expect("screenshot");
    }
}
