//! The moderator web UI over HTTP: login, sessions, CSRF, role scoping,
//! escaping, and every form's errors.

use serde_json::json;

use crate::both_backends;
use crate::helpers::TestApp;
use crate::web_client::Browser;

fn logged_in(app: &TestApp, email: &str, password: &str) -> Browser {
    let mut browser = Browser::new(app);
    let answer = browser.log_in(email, password);
    assert_eq!(answer.status, 303, "{}", answer.html);
    assert_eq!(answer.header("location"), Some("/"));
    browser
}

both_backends!(login_sessions_and_logout, |app: TestApp| {
    let mut browser = Browser::new(&app);
    let anonymous = browser.get("/");
    assert_eq!(anonymous.status, 303);
    assert_eq!(anonymous.header("location"), Some("/login?next=/"));

    let wrong = browser.log_in("mod@example.com", "not the password");
    assert_eq!(wrong.status, 401);
    assert!(
        wrong.html.contains("Wrong email or password."),
        "{}",
        wrong.html
    );
    assert!(!browser.has_cookie("modq_session"));

    let ok = browser.log_in("mod@example.com", &app.moderator_password);
    assert_eq!(ok.status, 303, "{}", ok.html);
    let cookie = ok
        .set_cookies()
        .into_iter()
        .find(|c| c.starts_with("modq_session="))
        .expect("session cookie");
    assert!(cookie.contains("HttpOnly"), "{cookie}");
    assert!(cookie.contains("SameSite=Lax"), "{cookie}");
    // Plain HTTP here, so not Secure.
    assert!(!cookie.contains("Secure"), "{cookie}");

    let queue = browser.get("/");
    assert_eq!(queue.status, 200);
    assert!(queue.html.contains("mod@example.com"));
    let policy = queue.header("content-security-policy").expect("CSP");
    assert!(policy.contains("script-src 'self'") && !policy.contains("unsafe-inline"));

    // Logging out needs the CSRF token; without it nothing happens.
    let refused = browser.post_form("/logout", &[]);
    assert_eq!(refused.status, 403, "{}", refused.html);
    assert_eq!(browser.get("/").status, 200);
    let csrf = queue.input("csrf");
    let out = browser.post_form("/logout", &[("csrf", &csrf)]);
    assert_eq!(out.status, 303);
    assert_eq!(out.header("location"), Some("/login"));
    assert_eq!(browser.get("/").status, 303);
});

both_backends!(login_form_needs_its_own_token, |app: TestApp| {
    let mut browser = Browser::new(&app);
    // A post from another page: no form token cookie, so refused even with
    // the right password.
    let forged = browser.post_form(
        "/login",
        &[
            ("email", "mod@example.com"),
            ("password", &app.moderator_password),
            ("form_token", "guess"),
        ],
    );
    assert_eq!(forged.status, 403, "{}", forged.html);
    assert!(!browser.has_cookie("modq_session"));
});

both_backends!(failed_logins_are_rate_limited, |app: TestApp| {
    let mut browser = Browser::new(&app);
    for _ in 0..10 {
        assert_eq!(browser.log_in("mod@example.com", "wrong").status, 401);
    }
    let blocked = browser.log_in("mod@example.com", &app.moderator_password);
    assert_eq!(blocked.status, 429, "{}", blocked.html);
    assert!(
        blocked.html.contains("too many failed logins"),
        "{}",
        blocked.html
    );
    assert!(!browser.has_cookie("modq_session"));
    // Another account from the same address is blocked too: the address
    // has used up its attempts.
    let other = browser.log_in("admin@example.com", &app.admin_password);
    assert_eq!(other.status, 429);
});

both_backends!(
    queue_shows_held_comments_escaped_and_highlighted,
    |app: TestApp| {
        let rule = json!({
            "site": "alpha", "name": "Pill spam", "action": "hold", "reason": "spam",
            "match": {"kind": "terms", "terms": ["cheap pills"]}
        });
        assert_eq!(
            app.send("POST", "/api/v1/rules", &app.admin_token, &rule)
                .status,
            201
        );
        let body = "<script>alert(1)</script> buy cheap pills <img src=x onerror=alert(2)> \
                <a href=\"javascript:alert(3)\">x</a>";
        let mut article = crate::helpers::comment_body("a1", "eve", body);
        article["article"]["url"] = json!("javascript:alert(4)");
        article["author"]["name"] = json!("<b>Eve</b>");
        let held = app.post_comment(&article);
        assert_eq!(held.status, 201, "{}", held.body);

        let mut browser = logged_in(&app, "mod@example.com", &app.moderator_password);
        let page = browser.get("/");
        assert_eq!(page.status, 200);
        // askama escapes markup characters as numeric references.
        let html = &page.html;
        assert!(
            html.contains("&#60;script&#62;alert(1)&#60;/script&#62;"),
            "{html}"
        );
        assert!(!html.contains("<script>alert"), "{html}");
        assert!(!html.contains("<img src=x"), "{html}");
        assert!(!html.contains("href=\"javascript:"), "{html}");
        assert!(html.contains("&#60;b&#62;Eve&#60;/b&#62;"), "{html}");
        // The matched words are highlighted, labelled with the rule.
        assert!(html.contains(">cheap pills</mark>"), "{html}");
        assert!(html.contains("<mark title=\"Rule “Pill spam”"), "{html}");
        assert!(html.contains("<code>spam</code>"), "{html}");
        // The reject picker lists the site's guidelines.
        assert!(html.contains("<option value=\"spam\">"), "{html}");
    }
);

both_backends!(decisions_need_csrf_and_stay_within_sites, |app: TestApp| {
    let held = app.post_simple("a1", "ann", "A comment waiting for review.");
    let id = held.body["id"].as_str().expect("id").to_owned();
    let mut browser = logged_in(&app, "mod@example.com", &app.moderator_password);
    let page = browser.get("/");
    let csrf = page.input("csrf");
    let path = format!("/comments/{id}/decision");

    let forged = browser.post_form(&path, &[("action", "approve")]);
    assert_eq!(forged.status, 403, "{}", forged.html);
    let wrong = browser.post_form(&path, &[("action", "approve"), ("csrf", "0000")]);
    assert_eq!(wrong.status, 403);
    assert_eq!(app.get_comment(&id).body["status"], "pending");

    let (status, body) = browser.post_form_json(
        &path,
        &[
            ("csrf", &csrf),
            ("action", "reject"),
            ("reason", "spam"),
            ("version", "1"),
        ],
    );
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["status"], "rejected");
    assert_eq!(app.get_comment(&id).body["status"], "rejected");

    // Deciding again loses to the decision already made: 409 with the
    // comment as it is now.
    let (status, body) = browser.post_form_json(
        &path,
        &[("csrf", &csrf), ("action", "approve"), ("version", "1")],
    );
    assert_eq!(status, 409, "{body}");
    assert_eq!(body["current"]["status"], "rejected");

    // A comment of a site this moderator is not assigned to does not exist
    // for them.
    let other = app.send(
        "POST",
        "/api/v1/comments",
        &app.other_site_key,
        &crate::helpers::comment_body("b1", "bo", "On the other site."),
    );
    let other_id = other.body["id"].as_str().expect("id").to_owned();
    let (status, _) = browser.post_form_json(
        &format!("/comments/{other_id}/decision"),
        &[("csrf", &csrf), ("action", "approve")],
    );
    assert_eq!(status, 404);
    assert!(!browser.get("/").html.contains("On the other site."));

    // Without the script, a form post goes back to the queue.
    let second = app.post_simple("a1", "ann", "Another one.");
    let second_id = second.body["id"].as_str().expect("id").to_owned();
    let answer = browser.post_form(
        &format!("/comments/{second_id}/decision"),
        &[("csrf", &csrf), ("action", "approve")],
    );
    assert_eq!(answer.status, 303);
    assert_eq!(app.get_comment(&second_id).body["status"], "approved");
});

both_backends!(password_change_checks_every_field, |app: TestApp| {
    let mut browser = logged_in(&app, "mod@example.com", &app.moderator_password);
    let form = browser.get("/account/password");
    assert_eq!(form.status, 200);
    let csrf = form.input("csrf");
    let attempt = |browser: &mut Browser, current: &str, new: &str, repeat: &str| {
        browser.post_form(
            "/account/password",
            &[
                ("csrf", &csrf),
                ("current_password", current),
                ("new_password", new),
                ("repeat_password", repeat),
            ],
        )
    };
    let short = attempt(&mut browser, &app.moderator_password, "short", "short");
    assert_eq!(short.status, 422);
    assert!(
        short.html.contains("at least 10 characters"),
        "{}",
        short.html
    );
    let mismatch = attempt(
        &mut browser,
        &app.moderator_password,
        "long enough 1",
        "long enough 2",
    );
    assert_eq!(mismatch.status, 422);
    assert!(
        mismatch.html.contains("does not match"),
        "{}",
        mismatch.html
    );
    let wrong = attempt(&mut browser, "not it", "long enough 1", "long enough 1");
    assert_eq!(wrong.status, 422);
    assert!(
        wrong.html.contains("current_password: is not correct"),
        "{}",
        wrong.html
    );

    let mut other_session = logged_in(&app, "mod@example.com", &app.moderator_password);
    let done = attempt(
        &mut browser,
        &app.moderator_password,
        "long enough 1",
        "long enough 1",
    );
    assert_eq!(done.status, 200, "{}", done.html);
    assert!(done.html.contains("Your password has been changed"));
    // This session goes on; the other one has ended.
    assert_eq!(browser.get("/").status, 200);
    assert_eq!(other_session.get("/").status, 303);
    let mut fresh = Browser::new(&app);
    assert_eq!(
        fresh
            .log_in("mod@example.com", &app.moderator_password)
            .status,
        401
    );
    assert_eq!(fresh.log_in("mod@example.com", "long enough 1").status, 303);
});

both_backends!(static_assets_are_served_by_modq, |app: TestApp| {
    let mut browser = Browser::new(&app);
    let login = browser.get("/login");
    assert!(login.html.contains("/static/modq.css?v="));
    for (path, kind) in [
        ("/static/modq.css", "text/css"),
        ("/static/modq.js", "text/javascript"),
    ] {
        let asset = browser.get(path);
        assert_eq!(asset.status, 200);
        assert!(
            asset
                .header("content-type")
                .is_some_and(|t| t.starts_with(kind))
        );
        assert!(
            asset
                .header("cache-control")
                .is_some_and(|c| c.contains("immutable"))
        );
        assert!(!asset.html.is_empty());
    }
});

both_backends!(cleanup_keeps_live_sessions, |app: TestApp| {
    let mut browser = logged_in(&app, "mod@example.com", &app.moderator_password);
    let mut stranger = Browser::new(&app);
    assert_eq!(stranger.log_in("mod@example.com", "wrong").status, 401);
    let settings = crate::helpers::settings_for(&app.db_url);
    let db = modq::startup::open_database(&settings).expect("database");
    // Nothing has expired: the session and the recent failure both stay.
    assert_eq!(modq::accounts::purge_expired(&db).expect("purge"), 0);
    assert_eq!(browser.get("/").status, 200);
});

/// Opens `/events`, runs `during` (which returns the comment id to wait
/// for), and reads `queue` events until one names that comment or ten
/// seconds pass. Returns the events' data.
fn events_during(
    app: &TestApp,
    cookies: &str,
    during: impl FnOnce() -> String,
) -> Vec<serde_json::Value> {
    use std::io::BufRead;
    let agent = ureq::AgentBuilder::new()
        .timeout_read(std::time::Duration::from_secs(10))
        .build();
    let resp = agent
        .get(&format!("{}/events", app.base))
        .set("Cookie", cookies)
        .call()
        .expect("event stream");
    assert_eq!(resp.content_type(), "text/event-stream");
    let mut lines = std::io::BufReader::new(resp.into_reader()).lines();
    // The stream is open once its first line arrives.
    let first = lines.next().expect("a line").expect("read");
    assert!(first.starts_with("retry:"), "{first}");
    let wanted = during();
    let started = std::time::Instant::now();
    let mut seen = Vec::new();
    let mut event = String::new();
    while started.elapsed() < std::time::Duration::from_secs(10) {
        let Some(Ok(line)) = lines.next() else { break };
        if let Some(name) = line.strip_prefix("event: ") {
            event = name.to_owned();
        } else if let Some(data) = line.strip_prefix("data: ")
            && event == "queue"
        {
            let value: serde_json::Value = serde_json::from_str(data).expect("JSON data");
            let done = value["comment_id"] == wanted.as_str();
            seen.push(value);
            if done {
                break;
            }
        }
    }
    seen
}

both_backends!(
    live_events_announce_arrivals_and_decisions,
    |app: TestApp| {
        let browser = logged_in(&app, "mod@example.com", &app.moderator_password);
        let cookies = browser.cookie_header();
        let mut elsewhere = String::new();
        let seen = events_during(&app, &cookies, || {
            // A comment on a site this moderator is not assigned to, then one
            // on theirs: only the second may reach them.
            let other = app.send(
                "POST",
                "/api/v1/comments",
                &app.other_site_key,
                &crate::helpers::comment_body("b1", "bo", "Elsewhere."),
            );
            elsewhere = other.body["id"].as_str().expect("id").to_owned();
            let mine = app.post_simple("a1", "ann", "Fresh comment.");
            mine.body["id"].as_str().expect("id").to_owned()
        });
        let arrival = seen.last().expect("an event").clone();
        assert_eq!(arrival["action"], "submit", "{seen:?}");
        assert_eq!(arrival["status"], "pending");
        assert!(
            seen.iter().all(|e| e["comment_id"] != elsewhere.as_str()),
            "{seen:?}"
        );
        let id = arrival["comment_id"].as_str().expect("id").to_owned();

        let seen = events_during(&app, &cookies, || {
            let decided = app.decide(&id, json!({"action": "approve", "version": 1}));
            assert_eq!(decided.status, 200, "{}", decided.body);
            id.clone()
        });
        let decision = seen.last().expect("an event");
        assert_eq!(decision["comment_id"], id.as_str());
        assert_eq!(decision["status"], "approved");
        assert_eq!(decision["actor"], "moderator:admin@example.com");

        // Without a session there is no stream.
        let mut stranger = Browser::new(&app);
        assert_eq!(stranger.get("/events").status, 303);
    }
);

both_backends!(bulk_decisions_report_each_comment, |app: TestApp| {
    let ids: Vec<String> = (0..3)
        .map(|i| {
            let resp = app.post_simple("a1", &format!("a{i}"), &format!("Bulk {i}."));
            resp.body["id"].as_str().expect("id").to_owned()
        })
        .collect();
    // One of them is decided elsewhere first.
    let taken = app.decide(&ids[1], json!({"action": "approve", "version": 1}));
    assert_eq!(taken.status, 200);
    let mut browser = logged_in(&app, "mod@example.com", &app.moderator_password);
    let csrf = browser.get("/").input("csrf");
    let items = ids
        .iter()
        .map(|id| format!("{id}:1"))
        .collect::<Vec<_>>()
        .join(",");

    let (status, body) = browser.post_form_json(
        "/decisions",
        &[("action", "reject"), ("reason", "spam"), ("items", &items)],
    );
    assert_eq!(status, 403, "{body}");
    assert_eq!(app.get_comment(&ids[0]).body["status"], "pending");

    let (status, body) = browser.post_form_json(
        "/decisions",
        &[("csrf", &csrf), ("action", "reject"), ("items", &items)],
    );
    assert_eq!(status, 200, "{body}");
    // No reason: every comment fails alone, with why.
    assert_eq!(body["decided"], json!([]));
    assert_eq!(body["failed"][0]["code"], "reason_required");

    let (status, body) = browser.post_form_json(
        "/decisions",
        &[
            ("csrf", &csrf),
            ("action", "reject"),
            ("reason", "spam"),
            ("items", &items),
        ],
    );
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["decided"], json!([ids[0], ids[2]]));
    assert_eq!(body["failed"].as_array().map(Vec::len), Some(1));
    assert_eq!(body["failed"][0]["id"], ids[1].as_str());
    assert_eq!(body["failed"][0]["code"], "version_conflict");
    assert_eq!(app.get_comment(&ids[2]).body["status"], "rejected");

    let (status, body) =
        browser.post_form_json("/decisions", &[("csrf", &csrf), ("action", "approve")]);
    assert_eq!(status, 422, "{body}");
});

/// Ids of the cards on a queue page, in order.
fn card_ids(html: &str) -> Vec<String> {
    html.split("data-id=\"")
        .skip(1)
        .filter_map(|rest| rest.split('"').next())
        .map(str::to_owned)
        .collect()
}

both_backends!(queue_filters_narrow_the_view, |app: TestApp| {
    let rule = json!({
        "site": "alpha", "name": "Pill spam", "action": "hold", "reason": "spam",
        "match": {"kind": "terms", "terms": ["cheap pills"]}
    });
    let created = app.send("POST", "/api/v1/rules", &app.admin_token, &rule);
    assert_eq!(created.status, 201);
    let rule_id = created.body["id"].as_str().expect("rule id").to_owned();
    let id = |resp: crate::helpers::Response| resp.body["id"].as_str().expect("id").to_owned();
    let pills = id(app.post_simple("a1", "sam", "Cheap pills here."));
    let budget = id(app.post_simple("a2", "bea", "The Budget: 50% off_road spending."));
    let hello = id(app.post_simple("a1", "hal", "Hello from 50 readers."));

    let mut browser = logged_in(&app, "mod@example.com", &app.moderator_password);
    let all = browser.get("/");
    assert_eq!(card_ids(&all.html).len(), 3);
    for (query, expected) in [
        ("q=budget", vec![&budget]),
        ("q=50%25", vec![&budget]),
        ("q=off_road", vec![&budget]),
        ("q=50", vec![&budget, &hello]),
        ("reason=spam", vec![&pills]),
        (&format!("rule={rule_id}") as &str, vec![&pills]),
        ("rule=oops", vec![]),
        ("site=alpha&article=a2", vec![&budget]),
        ("sort=newest", vec![&hello, &budget, &pills]),
    ] {
        let page = browser.get(&format!("/?{query}"));
        assert_eq!(page.status, 200, "{query}: {}", page.html);
        let mut got = card_ids(&page.html);
        let mut want: Vec<String> = expected.into_iter().cloned().collect();
        if !query.starts_with("sort") {
            got.sort();
            want.sort();
        }
        assert_eq!(got, want, "{query}");
    }
    let empty = browser.get("/?q=nothing-like-this");
    assert!(empty.html.contains("Nothing waiting matches this view."));

    // The API takes the same filters.
    let listed = app.queue("?q=BUDGET");
    assert_eq!(crate::helpers::ids_of(&listed.body), vec![budget.clone()]);
    assert_eq!(app.queue("?rule=oops").status, 422);
    // Bulk "everything matching" respects the view.
    let csrf = all.input("csrf");
    let (status, body) = browser.post_form_json(
        "/decisions",
        &[
            ("csrf", &csrf),
            ("action", "approve"),
            ("matching", "true"),
            ("view", "q=hello"),
        ],
    );
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["decided"], json!([hello]));
});

both_backends!(saved_views_belong_to_their_moderator, |app: TestApp| {
    let mut browser = logged_in(&app, "mod@example.com", &app.moderator_password);
    let csrf = browser.get("/").input("csrf");
    let refused = browser.post_form("/queues", &[("name", "Budget"), ("query", "q=budget")]);
    assert_eq!(refused.status, 403);

    let saved = browser.post_form(
        "/queues",
        &[("csrf", &csrf), ("name", "Budget"), ("query", "q=budget")],
    );
    assert_eq!(saved.status, 303, "{}", saved.html);
    assert_eq!(saved.header("location"), Some("/?q=budget"));
    let page = browser.get("/");
    assert!(
        page.html.contains("<a href=\"/?q=budget\">Budget</a>"),
        "{}",
        page.html
    );

    let again = browser.post_form(
        "/queues",
        &[("csrf", &csrf), ("name", "Budget"), ("query", "q=other")],
    );
    let location = again.header("location").expect("location").to_owned();
    let shown = browser.get(&location);
    assert!(
        shown.html.contains("you already have a view called"),
        "{}",
        shown.html
    );
    let nameless = browser.post_form("/queues", &[("csrf", &csrf), ("name", "  "), ("query", "")]);
    let shown = browser.get(nameless.header("location").expect("location"));
    assert!(
        shown.html.contains("name: must be 1 to 80 characters"),
        "{}",
        shown.html
    );

    // Another moderator neither sees nor deletes it.
    let mut admin = logged_in(&app, "admin@example.com", &app.admin_password);
    let admin_page = admin.get("/");
    assert!(!admin_page.html.contains(">Budget</a>"));
    let view_id = page.id_in_action("queues");
    let admin_csrf = admin_page.input("csrf");
    let denied = admin.post_form(
        &format!("/queues/{view_id}/delete"),
        &[("csrf", &admin_csrf)],
    );
    assert_eq!(denied.status, 404);
    let deleted = browser.post_form(&format!("/queues/{view_id}/delete"), &[("csrf", &csrf)]);
    assert_eq!(deleted.status, 303);
    assert!(!browser.get("/").html.contains(">Budget</a>"));
});

both_backends!(
    comment_page_shows_history_author_and_notes,
    |app: TestApp| {
        let first = app.post_simple("a1", "ann", "My first comment.");
        let first = first.body["id"].as_str().expect("id").to_owned();
        let decided = app.decide(
            &first,
            json!({"action": "reject", "reason": "spam", "version": 1}),
        );
        assert_eq!(decided.status, 200);
        let second = app.post_simple("a1", "ann", "Second <b>try</b>.");
        let second = second.body["id"].as_str().expect("id").to_owned();

        let mut browser = logged_in(&app, "mod@example.com", &app.moderator_password);
        let page = browser.get(&format!("/comments/{second}"));
        assert_eq!(page.status, 200, "{}", page.html);
        let html = &page.html;
        assert!(
            html.contains("Second &#60;b&#62;try&#60;/b&#62;."),
            "{html}"
        );
        assert!(html.contains("<code>pre_moderated</code>"), "{html}");
        // The history has the submission; the author's list has both comments.
        assert!(
            html.contains("<td>site:alpha</td><td>submit</td><td>pending</td>"),
            "{html}"
        );
        assert!(
            html.contains(&format!(
                "<a href=\"/comments/{first}\">{first}</a></td><td>rejected</td>"
            )),
            "{html}"
        );
        assert!(html.contains("0 approved · 1 rejected"), "{html}");

        // A private note about the author, shown on the author's other comment.
        let csrf = page.input("csrf");
        let author_id = page.id_in_action("authors");
        let refused = browser.post_form(
            &format!("/authors/{author_id}/notes"),
            &[("note", "x"), ("back", "/")],
        );
        assert_eq!(refused.status, 403);
        let added = browser.post_form(
            &format!("/authors/{author_id}/notes"),
            &[
                ("csrf", &csrf),
                ("note", "Warned about <links>."),
                ("back", &format!("/comments/{second}")),
            ],
        );
        assert_eq!(added.status, 303);
        assert_eq!(
            added.header("location"),
            Some(format!("/comments/{second}").as_str())
        );
        let other = browser.get(&format!("/comments/{first}"));
        assert!(other.html.contains("mod@example.com, "), "{}", other.html);
        assert!(
            other.html.contains("Warned about &#60;links&#62;."),
            "{}",
            other.html
        );
        // Sites never see moderators' notes.
        let as_site = app.get_comment(&first);
        assert!(!as_site.body.to_string().contains("Warned"));
        let empty = browser.post_form(
            &format!("/authors/{author_id}/notes"),
            &[("csrf", &csrf), ("note", "   ")],
        );
        assert_eq!(empty.status, 422);

        // Deciding from the page comes back to it; a decided comment offers reopen.
        let answer = browser.post_form(
            &format!("/comments/{second}/decision"),
            &[
                ("csrf", &csrf),
                ("action", "approve"),
                ("version", "1"),
                ("back", &format!("/comments/{second}")),
            ],
        );
        assert_eq!(answer.status, 303);
        assert_eq!(
            answer.header("location"),
            Some(format!("/comments/{second}").as_str())
        );
        let after = browser.get(&format!("/comments/{second}"));
        assert!(
            after.html.contains("approve by mod@example.com"),
            "{}",
            after.html
        );
        assert!(after.html.contains("value=\"reopen\""), "{}", after.html);

        // Another site's comment and author do not exist for this moderator.
        let elsewhere = app.send(
            "POST",
            "/api/v1/comments",
            &app.other_site_key,
            &crate::helpers::comment_body("b1", "bo", "Elsewhere."),
        );
        let elsewhere = elsewhere.body["id"].as_str().expect("id");
        assert_eq!(browser.get(&format!("/comments/{elsewhere}")).status, 404);
        let mut admin = logged_in(&app, "admin@example.com", &app.admin_password);
        let admin_page = admin.get(&format!("/comments/{elsewhere}"));
        assert_eq!(admin_page.status, 200);
        let beta_author = admin_page.id_in_action("authors");
        let denied = browser.post_form(
            &format!("/authors/{beta_author}/notes"),
            &[("csrf", &csrf), ("note", "Not mine to note.")],
        );
        assert_eq!(denied.status, 404);
    }
);

both_backends!(articles_page_searches_and_sets_policies, |app: TestApp| {
    app.post_simple("budget-2027", "ann", "On the budget.");
    app.post_simple("budget-2027", "bob", "Also on the budget.");
    app.post_simple("sports-1", "cat", "On the match.");
    let elsewhere = app.send(
        "POST",
        "/api/v1/comments",
        &app.other_site_key,
        &crate::helpers::comment_body("budget-beta", "bo", "Elsewhere."),
    );
    assert_eq!(elsewhere.status, 201);

    let mut browser = logged_in(&app, "mod@example.com", &app.moderator_password);
    let page = browser.get("/articles?q=BUDGET");
    assert_eq!(page.status, 200, "{}", page.html);
    assert!(page.html.contains("Story budget-2027"), "{}", page.html);
    assert!(!page.html.contains("sports-1"));
    // Another site's article is not listed for this moderator.
    assert!(!page.html.contains("budget-beta"));
    assert!(
        page.html.contains("article=budget-2027\">2</a>"),
        "{}",
        page.html
    );
    let article_id = page.id_in_action("articles");
    let csrf = page.input("csrf");

    let path = format!("/articles/{article_id}/policy");
    assert_eq!(
        browser.post_form(&path, &[("policy", "closed")]).status,
        403
    );
    let bad = browser.post_form(&path, &[("csrf", &csrf), ("policy", "sometimes")]);
    assert_eq!(bad.status, 422);
    let set = browser.post_form(
        &path,
        &[("csrf", &csrf), ("policy", "closed"), ("q", "budget")],
    );
    assert_eq!(set.status, 303);
    assert_eq!(set.header("location"), Some("/articles?q=budget"));
    // The site sees the article closed, and new comments are refused.
    let article = app.get("/api/v1/articles/budget-2027", &app.site_key);
    assert_eq!(article.body["policy"], "closed", "{}", article.body);
    assert_eq!(app.post_simple("budget-2027", "dan", "Late.").status, 409);
    let back = browser.post_form(&path, &[("csrf", &csrf), ("policy", "")]);
    assert_eq!(back.status, 303);
    let article = app.get("/api/v1/articles/budget-2027", &app.site_key);
    assert_eq!(article.body["policy_override"], serde_json::Value::Null);

    // An article of another site cannot be changed by this moderator.
    let mut admin = logged_in(&app, "admin@example.com", &app.admin_password);
    let admin_page = admin.get("/articles?q=budget-beta");
    let beta_id = admin_page.id_in_action("articles");
    let denied = browser.post_form(
        &format!("/articles/{beta_id}/policy"),
        &[("csrf", &csrf), ("policy", "closed")],
    );
    assert_eq!(denied.status, 404);
});

both_backends!(
    pages_are_compressed_but_event_streams_are_not,
    |app: TestApp| {
        let browser = logged_in(&app, "mod@example.com", &app.moderator_password);
        let agent = ureq::AgentBuilder::new()
            .timeout_read(std::time::Duration::from_secs(10))
            .build();
        let page = agent
            .get(&format!("{}/", app.base))
            .set("Cookie", &browser.cookie_header())
            .set("Accept-Encoding", "gzip")
            .call()
            .expect("page");
        assert_eq!(page.header("content-encoding"), Some("gzip"));
        let stream = agent
            .get(&format!("{}/events", app.base))
            .set("Cookie", &browser.cookie_header())
            .set("Accept-Encoding", "gzip")
            .call()
            .expect("events");
        assert_ne!(stream.header("content-encoding"), Some("gzip"));
        let mut first = String::new();
        std::io::BufRead::read_line(
            &mut std::io::BufReader::new(stream.into_reader()),
            &mut first,
        )
        .expect("first line");
        assert!(first.starts_with("retry:"), "{first:?}");
    }
);

both_backends!(rule_editor_tests_backtests_and_saves, |app: TestApp| {
    // Past comments with decisions, for the backtest.
    for (author, text, action) in [
        ("a", "Guaranteed profit, join my signals", "reject"),
        ("b", "Guaranteed profit? I doubt it.", "approve"),
        ("c", "A thoughtful comment.", "approve"),
    ] {
        let posted = app.post_simple("a1", author, text);
        let id = posted.body["id"].as_str().expect("id").to_owned();
        let decision = if action == "reject" {
            json!({"action": "reject", "reason": "spam", "version": 1})
        } else {
            json!({"action": "approve", "version": 1})
        };
        assert_eq!(app.decide(&id, decision).status, 200);
    }
    let mut browser = logged_in(&app, "mod@example.com", &app.moderator_password);
    let blank = browser.get("/rules/new");
    assert_eq!(blank.status, 200);
    let csrf = blank.input("csrf");
    let rule = r#"{"site": "alpha", "name": "Profit scams", "action": "hold", "reason": "spam",
                   "match": {"kind": "terms", "terms": ["guaranteed profit"]}}"#;

    let tested = browser.post_form(
        "/rules/editor",
        &[
            ("csrf", &csrf),
            ("op", "test"),
            ("json", rule),
            ("text", "Get GUARANTEED pr0fit <now>"),
        ],
    );
    assert_eq!(tested.status, 200, "{}", tested.html);
    assert!(
        tested
            .html
            .contains(">GUARANTEED pr0fit</mark> &#60;now&#62;"),
        "{}",
        tested.html
    );
    assert!(
        tested
            .html
            .contains("Rule “Profit scams” matched the term “guaranteed profit”")
    );

    let backtested = browser.post_form(
        "/rules/editor",
        &[
            ("csrf", &csrf),
            ("op", "backtest"),
            ("json", rule),
            ("site", "alpha"),
            ("limit", "100"),
        ],
    );
    assert_eq!(backtested.status, 200, "{}", backtested.html);
    let html = &backtested.html;
    assert!(html.contains("Replayed over 3 comments"), "{html}");
    assert!(html.contains("<strong>2 hits</strong>"), "{html}");
    assert!(html.contains("Precision 50%"), "{html}");
    assert!(html.contains("recall 100%"), "{html}");
    assert!(
        html.contains("<tr><th>hit</th><td>1</td><td>1</td><td>0</td></tr>"),
        "{html}"
    );

    // The API's validation messages, on the page; nothing is saved.
    let bad = r#"{"site": "alpha", "name": "Bad", "action": "hold",
                  "match": {"kind": "regex", "pattern": "(unclosed"}}"#;
    let refused = browser.post_form(
        "/rules/editor",
        &[("csrf", &csrf), ("op", "save"), ("json", bad)],
    );
    assert_eq!(refused.status, 422, "{}", refused.html);
    assert!(refused.html.contains("match.pattern"), "{}", refused.html);
    let broken = browser.post_form(
        "/rules/editor",
        &[
            ("csrf", &csrf),
            ("op", "test"),
            ("json", "{not json"),
            ("text", "x"),
        ],
    );
    assert_eq!(broken.status, 400);
    assert!(broken.html.contains("the rule is not valid JSON"));
    assert_eq!(
        app.get("/api/v1/rules", &app.admin_token).body["items"],
        json!([])
    );
    let forged = browser.post_form("/rules/editor", &[("op", "save"), ("json", rule)]);
    assert_eq!(forged.status, 403);

    // Saving creates it; the list shows it and switches its mode.
    let saved = browser.post_form(
        "/rules/editor",
        &[("csrf", &csrf), ("op", "save"), ("json", rule)],
    );
    assert_eq!(saved.status, 303, "{}", saved.html);
    let location = saved.header("location").expect("location").to_owned();
    let id = location.trim_start_matches("/rules/").to_owned();
    let stored = app.get(&format!("/api/v1/rules/{id}"), &app.admin_token);
    assert_eq!(stored.body["name"], "Profit scams", "{}", stored.body);
    assert_eq!(stored.body["mode"], "enforce");
    let list = browser.get("/rules");
    assert!(
        list.html
            .contains(&format!("<a href=\"/rules/{id}\">Profit scams</a>")),
        "{}",
        list.html
    );
    let shadowed = browser.post_form(
        &format!("/rules/{id}/mode"),
        &[("csrf", &csrf), ("mode", "shadow")],
    );
    assert_eq!(shadowed.status, 303);
    let stored = app.get(&format!("/api/v1/rules/{id}"), &app.admin_token);
    assert_eq!(stored.body["mode"], "shadow");
    assert_eq!(stored.body["version"], 2);
    // Editing shows the saved rule with its version.
    let editor = browser.get(&format!("/rules/{id}"));
    assert!(
        editor.html.contains("&#34;version&#34;: 2"),
        "{}",
        editor.html
    );
});

both_backends!(site_settings_are_for_admins, |app: TestApp| {
    let mut moderator = logged_in(&app, "mod@example.com", &app.moderator_password);
    assert_eq!(moderator.get("/sites/alpha").status, 403);
    assert!(!moderator.get("/").html.contains("href=\"/sites\""));

    let mut admin = logged_in(&app, "admin@example.com", &app.admin_password);
    assert_eq!(admin.get("/sites").status, 303);
    let page = admin.get("/sites/alpha");
    assert_eq!(page.status, 200, "{}", page.html);
    assert!(
        page.html.contains("spam | Spam or advertising"),
        "{}",
        page.html
    );
    let csrf = page.input("csrf");
    let guidelines = "spam | Spam or advertising\nscam | Scams | Trading signals and the like";

    let refused = admin.post_form(
        "/sites/alpha",
        &[
            ("default_policy", "post"),
            ("new_author_hold", "0"),
            ("guidelines", guidelines),
        ],
    );
    assert_eq!(refused.status, 403);
    let bad = admin.post_form(
        "/sites/alpha",
        &[
            ("csrf", &csrf),
            ("default_policy", "post"),
            ("new_author_hold", "0"),
            ("guidelines", "Bad Code | x"),
        ],
    );
    assert_eq!(bad.status, 422);
    assert!(
        bad.html.contains("guidelines: guideline code"),
        "{}",
        bad.html
    );
    // What was typed stays in the form.
    assert!(bad.html.contains("Bad Code | x"));
    let hold = admin.post_form(
        "/sites/alpha",
        &[
            ("csrf", &csrf),
            ("default_policy", "post"),
            ("new_author_hold", "lots"),
            ("guidelines", guidelines),
        ],
    );
    assert_eq!(hold.status, 422);

    let saved = admin.post_form(
        "/sites/alpha",
        &[
            ("csrf", &csrf),
            ("default_policy", "post"),
            ("new_author_hold", "0"),
            ("guidelines", guidelines),
        ],
    );
    assert_eq!(saved.status, 200, "{}", saved.html);
    assert!(saved.html.contains("Saved."));
    let site = app.get("/api/v1/site", &app.site_key);
    assert_eq!(site.body["default_policy"], "post", "{}", site.body);
    assert_eq!(site.body["new_author_hold"], 0);
    assert_eq!(site.body["guidelines"][1]["code"], "scam");
    assert_eq!(
        site.body["guidelines"][1]["text"],
        "Trading signals and the like"
    );

    // The after-publication settings: shown with their defaults, saved
    // from the same form, refused when out of range.
    let page = admin.get("/sites/alpha");
    assert!(
        page.html.contains("name=\"report_threshold\" value=\"1\""),
        "{}",
        page.html
    );
    let published = |threshold: &str| {
        vec![
            ("csrf", csrf.clone()),
            ("default_policy", "post".to_owned()),
            ("new_author_hold", "0".to_owned()),
            ("guidelines", guidelines.to_owned()),
            ("published", "1".to_owned()),
            ("edit_window_minutes", "15".to_owned()),
            ("report_threshold", threshold.to_owned()),
            ("hide_on_report", "on".to_owned()),
            ("trusted_reporter_approved", String::new()),
            ("dismissed_percent_limit", "70".to_owned()),
            ("judged_after", "4".to_owned()),
            ("hold_replies_on_reject", "on".to_owned()),
        ]
    };
    let fields = published("0");
    let form: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let out_of_range = admin.post_form("/sites/alpha", &form);
    assert_eq!(out_of_range.status, 422);
    assert!(
        out_of_range.html.contains("reports.threshold"),
        "{}",
        out_of_range.html
    );
    let fields = published("3");
    let form: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
    assert_eq!(admin.post_form("/sites/alpha", &form).status, 200);
    let site = app.get("/api/v1/site", &app.site_key);
    assert_eq!(
        site.body["edits"],
        json!({"window_minutes": 15}),
        "{}",
        site.body
    );
    assert_eq!(
        site.body["reports"],
        json!({"threshold": 3, "hide_on_report": true, "trusted_reporter_approved": null,
               "dismissed_percent_limit": 70, "judged_after": 4})
    );
    assert_eq!(site.body["threads"]["hold_replies_on_reject"], true);

    // A new key is shown once; the old one stops working.
    let rotated = admin.post_form("/sites/alpha/key", &[("csrf", &csrf)]);
    assert_eq!(rotated.status, 200);
    let key = rotated
        .html
        .split("<code>mq_site_")
        .nth(1)
        .and_then(|rest| rest.split('<').next())
        .map(|rest| format!("mq_site_{rest}"))
        .expect("new key");
    assert_eq!(app.get("/api/v1/site", &app.site_key).status, 401);
    assert_eq!(app.get("/api/v1/site", &key).status, 200);
    assert!(!admin.get("/sites/alpha").html.contains(&key));
});

both_backends!(audit_log_filters_and_exports, |app: TestApp| {
    let id = |resp: crate::helpers::Response| resp.body["id"].as_str().expect("id").to_owned();
    let first = id(app.post_simple("a1", "ann", "First."));
    let second = id(app.post_simple("a1", "bob", "Second."));
    let elsewhere = id(app.send(
        "POST",
        "/api/v1/comments",
        &app.other_site_key,
        &crate::helpers::comment_body("b1", "bo", "Elsewhere."),
    ));
    let mut browser = logged_in(&app, "mod@example.com", &app.moderator_password);
    let csrf = browser.get("/").input("csrf");
    let note = "=cmd|' /C calc'!A0, \"quoted\"";
    let (status, _) = browser.post_form_json(
        &format!("/comments/{first}/decision"),
        &[
            ("csrf", &csrf),
            ("action", "reject"),
            ("reason", "spam"),
            ("note", note),
        ],
    );
    assert_eq!(status, 200);
    assert_eq!(
        app.decide(&second, json!({"action": "approve", "version": 1}))
            .status,
        200
    );

    let page = browser.get("/audit");
    assert_eq!(page.status, 200);
    // Three submissions and two decisions on alpha; beta's is not shown.
    assert_eq!(page.html.matches("<tr><td>").count(), 4, "{}", page.html);
    assert!(!page.html.contains(&elsewhere));
    let mine = browser.get("/audit?moderator=mod%40example.com");
    assert_eq!(mine.html.matches("<tr><td>").count(), 1, "{}", mine.html);
    assert!(mine.html.contains("pending → rejected"));
    let today = chrono::Utc::now().date_naive();
    let later = today + chrono::Duration::days(1);
    assert_eq!(
        browser
            .get(&format!("/audit?from={later}"))
            .html
            .matches("<tr><td>")
            .count(),
        0
    );
    assert_eq!(
        browser
            .get(&format!("/audit?to={today}"))
            .html
            .matches("<tr><td>")
            .count(),
        4
    );
    assert_eq!(browser.get("/audit?from=yesterday").status, 422);
    assert_eq!(browser.get("/audit?site=beta").status, 404);

    let csv = browser.get("/audit.csv?moderator=mod%40example.com");
    assert_eq!(csv.status, 200);
    assert!(
        csv.header("content-type")
            .is_some_and(|t| t.starts_with("text/csv"))
    );
    let lines: Vec<&str> = csv.html.split("\r\n").filter(|l| !l.is_empty()).collect();
    assert_eq!(lines.len(), 2, "{}", csv.html);
    assert!(lines[0].starts_with("id,time_utc,site,comment_id"));
    assert!(lines[1].contains(&format!(
        ",alpha,{first},moderator:mod@example.com,reject,pending,rejected,spam,"
    )));
    // The note is quoted and cannot run as a spreadsheet formula.
    assert!(
        lines[1].ends_with("\"'=cmd|' /C calc'!A0, \"\"quoted\"\"\""),
        "{}",
        lines[1]
    );
    let everything = browser.get("/audit.csv");
    assert_eq!(
        everything
            .html
            .split("\r\n")
            .filter(|l| !l.is_empty())
            .count(),
        5
    );
});

both_backends!(admins_manage_moderators, |app: TestApp| {
    let mut moderator = logged_in(&app, "mod@example.com", &app.moderator_password);
    assert_eq!(moderator.get("/moderators").status, 403);

    let mut admin = logged_in(&app, "admin@example.com", &app.admin_password);
    let page = admin.get("/moderators");
    assert_eq!(page.status, 200, "{}", page.html);
    assert!(page.html.contains("mod@example.com"));
    let csrf = page.input("csrf");

    // A new moderator for beta: the password is shown once and works.
    let created = admin.post_form(
        "/moderators",
        &[
            ("csrf", &csrf),
            ("email", "new@example.com"),
            ("role", "moderator"),
            ("sites", "beta"),
        ],
    );
    assert_eq!(created.status, 200, "{}", created.html);
    let password = shown_secret(&created.html);
    let mut newcomer = logged_in(&app, "new@example.com", &password);
    assert_eq!(newcomer.get("/").status, 200);
    let again = admin.post_form(
        "/moderators",
        &[
            ("csrf", &csrf),
            ("email", "new@example.com"),
            ("role", "moderator"),
        ],
    );
    assert_eq!(again.status, 422);
    assert!(again.html.contains("already has an account"));

    // Deactivating ends their session, their sign-in and their tokens.
    let new_id = page_id(&admin.get("/moderators").html, "new@example.com");
    let issued = admin.post_form(&format!("/moderators/{new_id}/token"), &[("csrf", &csrf)]);
    let token = shown_secret(&issued.html);
    assert_eq!(app.get("/api/v1/queue", &token).status, 200);
    let off = admin.post_form(
        &format!("/moderators/{new_id}"),
        &[("csrf", &csrf), ("role", "moderator"), ("sites", "beta")],
    );
    assert_eq!(off.status, 200, "{}", off.html);
    assert_eq!(newcomer.get("/").status, 303);
    assert_eq!(
        Browser::new(&app)
            .log_in("new@example.com", &password)
            .status,
        401
    );

    // Reassigning sites changes what a moderator sees.
    let mod_id = page_id(&admin.get("/moderators").html, "mod@example.com");
    let token = admin.post_form(&format!("/moderators/{mod_id}/token"), &[("csrf", &csrf)]);
    assert!(
        token.html.contains("API token for mod@example.com"),
        "{}",
        token.html
    );
    let issued = shown_secret(&token.html);
    assert_eq!(app.get("/api/v1/queue", &issued).status, 200);
    // Revoking the newest token stops it alone.
    let revoke = token
        .html
        .split(&format!("action=\"/moderators/{mod_id}/tokens/"))
        .last()
        .and_then(|rest| rest.split('"').next())
        .expect("revoke path")
        .to_owned();
    let path = format!("/moderators/{mod_id}/tokens/{revoke}");
    let revoked = admin.post_form(&path, &[("csrf", &csrf)]);
    assert_eq!(revoked.status, 200, "{}", revoked.html);
    assert_eq!(app.get("/api/v1/queue", &issued).status, 401);
    assert_eq!(app.get("/api/v1/queue", &app.moderator_token).status, 200);
    assert_eq!(admin.post_form(&path, &[("csrf", &csrf)]).status, 404);
    let moved = admin.post_form(
        &format!("/moderators/{mod_id}"),
        &[
            ("csrf", &csrf),
            ("role", "moderator"),
            ("active", "true"),
            ("sites", "beta"),
        ],
    );
    assert_eq!(moved.status, 200);
    let alpha_comment = app.post_simple("a1", "ann", "On alpha.");
    let alpha_id = alpha_comment.body["id"].as_str().expect("id");
    assert_eq!(moderator.get(&format!("/comments/{alpha_id}")).status, 404);

    // Admins cannot lock themselves out.
    let admin_id = page_id(&admin.get("/moderators").html, "admin@example.com");
    let demoted = admin.post_form(
        &format!("/moderators/{admin_id}"),
        &[("csrf", &csrf), ("role", "moderator"), ("active", "true")],
    );
    assert_eq!(demoted.status, 422);
    assert!(
        demoted
            .html
            .contains("you cannot demote or deactivate yourself")
    );
    let forged = admin.post_form(
        &format!("/moderators/{mod_id}"),
        &[("role", "admin"), ("active", "true")],
    );
    assert_eq!(forged.status, 403);
});

/// The id in a moderators page row for `email`.
fn page_id(html: &str, email: &str) -> String {
    let row = html
        .split("<tr id=\"moderator-")
        .find(|part| part.contains(&format!("<td>{email}")))
        .expect("row");
    row.split('"').next().expect("id").to_owned()
}

both_backends!(
    configuration_changes_are_on_the_audit_page,
    |app: TestApp| {
        app.post_simple("a1", "ann", "Creates the article.");
        // Through the site API, the web UI and an admin's pages.
        let via_api = app.put_site(json!({"new_author_hold": 2}));
        assert_eq!(via_api.status, 200);
        let mut moderator = logged_in(&app, "mod@example.com", &app.moderator_password);
        let articles = moderator.get("/articles");
        let csrf = articles.input("csrf");
        let article_id = articles.id_in_action("articles");
        let closed = moderator.post_form(
            &format!("/articles/{article_id}/policy"),
            &[("csrf", &csrf), ("policy", "closed")],
        );
        assert_eq!(closed.status, 303);
        let mut admin = logged_in(&app, "admin@example.com", &app.admin_password);
        let admin_csrf = admin.get("/").input("csrf");
        assert_eq!(
            admin
                .post_form("/sites/alpha/key", &[("csrf", &admin_csrf)])
                .status,
            200
        );

        let seen = moderator.get("/audit");
        let table = seen
            .html
            .split("id=\"config-changes\"")
            .nth(1)
            .expect("changes table");
        assert!(
            table.contains(
                "<td>site:alpha</td><td>site.settings</td><td>alpha</td><td>new_author_hold=2</td>"
            ),
            "{table}"
        );
        assert!(table.contains("<td>moderator:mod@example.com</td><td>article.policy</td><td>a1</td><td>policy=closed</td>"), "{table}");
        assert!(
            table.contains("<td>moderator:admin@example.com</td><td>site.key_rotated</td>"),
            "{table}"
        );
        // Account changes belong to no site: admins see them, moderators do not.
        assert!(!table.contains("moderator.created"));
        let admin_view = admin.get("/audit");
        assert!(
            admin_view
                .html
                .contains("<td>moderator.created</td><td>mod@example.com</td>"),
            "{}",
            admin_view.html
        );
        let mine = moderator.get("/audit?moderator=admin%40example.com");
        let table = mine
            .html
            .split("id=\"config-changes\"")
            .nth(1)
            .expect("changes table");
        assert!(!table.contains("article.policy"));

        // Rule changes are there too, with what each version changed.
        let rule = app.send(
            "POST",
            "/api/v1/rules",
            &app.admin_token,
            &json!({"site": "alpha", "name": "Links", "action": "hold", "mode": "shadow",
                    "match": {"kind": "links", "max_links": 2}}),
        );
        assert_eq!(rule.status, 201, "{}", rule.body);
        let rule_id = rule.body["id"].as_str().expect("rule id").to_owned();
        let enforced = moderator.post_form(
            &format!("/rules/{rule_id}/mode"),
            &[("csrf", &csrf), ("mode", "enforce")],
        );
        assert_eq!(enforced.status, 303);
        let seen = moderator.get("/audit");
        assert!(
            seen.html.contains(&format!(
                "<td>moderator:mod@example.com</td><td>rule.updated</td><td>rule {rule_id} “Links”</td><td>version 2: mode shadow → enforce</td>"
            )),
            "{}",
            seen.html
        );
        assert!(
            seen.html.contains(&format!(
                "<td>rule.created</td><td>rule {rule_id} “Links”</td><td>version 1</td>"
            )),
            "{}",
            seen.html
        );

        // The changes export as CSV, with the same filters.
        let csv = moderator.get("/audit/changes.csv?moderator=mod%40example.com");
        assert_eq!(csv.status, 200);
        let lines: Vec<&str> = csv.html.split("\r\n").filter(|l| !l.is_empty()).collect();
        assert_eq!(lines[0], "id,time_utc,site,actor,action,subject,detail");
        assert_eq!(lines.len(), 3, "{}", csv.html);
        assert!(
            lines[1].ends_with(&format!(
                ",alpha,moderator:mod@example.com,rule.updated,rule {rule_id} “Links”,version 2: mode shadow → enforce"
            )),
            "{}",
            lines[1]
        );
        assert!(
            lines[2].ends_with(",alpha,moderator:mod@example.com,article.policy,a1,policy=closed")
        );
    }
);

both_backends!(audit_exports_stream_past_one_chunk, |app: TestApp| {
    // The export reads a thousand entries at a time; 1,003 entries take
    // two reads, and the second must carry on where the first stopped.
    let total = 1_003;
    for n in 0..total {
        let resp = app.post_simple("a1", &format!("author{}", n % 7), &format!("Comment {n}."));
        assert_eq!(resp.status, 201);
    }
    let mut browser = logged_in(&app, "mod@example.com", &app.moderator_password);
    let csv = browser.get("/audit.csv");
    assert_eq!(csv.status, 200);
    let ids: Vec<i64> = csv
        .html
        .split("\r\n")
        .skip(1)
        .filter(|l| !l.is_empty())
        .map(|l| {
            l.split(',')
                .next()
                .expect("id")
                .parse()
                .expect("numeric id")
        })
        .collect();
    assert_eq!(ids.len(), total);
    assert!(
        ids.windows(2).all(|w| w[0] > w[1]),
        "newest first, no repeats"
    );
    // The page shows a hundred and links to the next hundred.
    let page = browser.get("/audit");
    let next = page
        .html
        .split("<p class=\"more\"><a href=\"")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .expect("a link to older entries")
        .replace("&amp;", "&");
    assert_eq!(next, format!("/audit?before={}", ids[99]));
    let older = browser.get(&next);
    assert!(older.html.contains("<a href=\"/comments/"));
    assert_eq!(older.html.matches("<tr><td>").count(), 100);
});

/// The password or token a moderators page shows once.
fn shown_secret(html: &str) -> String {
    html.split("<p><code>")
        .nth(1)
        .and_then(|rest| rest.split('<').next())
        .expect("a secret on the page")
        .to_owned()
}

both_backends!(every_rule_kind_starts_from_an_example, |app: TestApp| {
    let mut browser = logged_in(&app, "mod@example.com", &app.moderator_password);
    let list = browser.get("/rules");
    let csrf = list.input("csrf");
    let kinds: Vec<String> = list
        .html
        .split("href=\"/rules/new?kind=")
        .skip(1)
        .map(|rest| rest.split('"').next().expect("kind").to_owned())
        .collect();
    assert_eq!(
        kinds,
        [
            "terms",
            "regex",
            "links",
            "shape",
            "profanity",
            "behaviour",
            "blocklist"
        ]
    );
    for kind in &kinds {
        let editor = browser.get(&format!("/rules/new?kind={kind}"));
        assert_eq!(editor.status, 200);
        // What the kind's fields mean, and the site's guideline codes.
        assert!(
            editor
                .html
                .contains(&format!("<code>\"kind\": \"{kind}\"</code>")),
            "{}",
            editor.html
        );
        assert!(
            editor.html.contains("<dt><code>spam</code></dt>"),
            "{}",
            editor.html
        );
        let json = editor.textarea("json");
        let example: serde_json::Value = serde_json::from_str(&json).expect("example JSON");
        assert_eq!(example["match"]["kind"], kind.as_str());
        assert_eq!(example["mode"], "shadow");
        let saved = browser.post_form(
            "/rules/editor",
            &[("csrf", &csrf), ("op", "save"), ("json", &json)],
        );
        assert_eq!(saved.status, 303, "{kind}: {}", saved.html);
    }
    let rules = app.get("/api/v1/rules", &app.admin_token).body;
    let mut saved: Vec<&str> = rules["items"]
        .as_array()
        .expect("items")
        .iter()
        .map(|r| r["match"]["kind"].as_str().expect("kind"))
        .collect();
    saved.sort_unstable();
    let mut expected: Vec<&str> = kinds.iter().map(String::as_str).collect();
    expected.sort_unstable();
    assert_eq!(saved, expected);
    assert_eq!(browser.get("/rules/new?kind=nonsense").status, 404);
});
