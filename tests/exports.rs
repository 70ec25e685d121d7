//! Exports: `modq export` on the command line and the download links of the
//! audit page, on both backends, across more rows than one read chunk.

use serde_json::{Value, json};

use crate::both_backends;
use crate::helpers::{TestApp, comment_body, run_modq};
use crate::web_client::Browser;

/// More than one chunk (1,000 rows) of comments.
const COMMENTS: usize = 1_050;

fn export(app: &TestApp, args: &[&str]) -> (String, String) {
    let args: Vec<&str> = ["export"].iter().chain(args).copied().collect();
    let (ok, stdout, stderr) = run_modq(&app.db_url, &args);
    assert!(ok, "{args:?}: {stderr}");
    (stdout, stderr)
}

/// Splits CSV text into records, honouring quotes (fields may hold commas,
/// quotes and line breaks).
fn parse_csv(text: &str) -> Vec<Vec<String>> {
    let (mut rows, mut row, mut field) = (Vec::new(), Vec::new(), String::new());
    let (mut quoted, mut chars) = (false, text.chars().peekable());
    while let Some(c) = chars.next() {
        match (quoted, c) {
            (true, '"') if chars.peek() == Some(&'"') => {
                chars.next();
                field.push('"');
            }
            (true, '"') => quoted = false,
            (true, c) => field.push(c),
            (false, '"') => quoted = true,
            (false, ',') => row.push(std::mem::take(&mut field)),
            (false, '\r') => {}
            (false, '\n') => {
                row.push(std::mem::take(&mut field));
                rows.push(std::mem::take(&mut row));
            }
            (false, c) => field.push(c),
        }
    }
    rows
}

fn seed(app: &TestApp) -> (String, String) {
    let app_ref = &app;
    std::thread::scope(|s| {
        for worker in 0..4 {
            s.spawn(move || {
                for i in (worker..COMMENTS).step_by(4) {
                    let resp = app_ref.post_simple(
                        &format!("a-{}", i % 7),
                        &format!("reader-{}", i % 13),
                        &format!("comment number {i}"),
                    );
                    assert_eq!(resp.status, 201, "{}", resp.body);
                }
            });
        }
    });
    // One the spreadsheet must not run, one with every CSV hazard.
    let hostile = app.post_comment(&comment_body("a-hostile", "eve", "=cmd|' /C calc'!A0"));
    let awkward = app.post_comment(&comment_body(
        "a-hostile",
        "ann",
        "a \"quoted\", two-line\ncomment",
    ));
    let (hostile, awkward) = (
        hostile.body["id"].as_str().expect("id").to_owned(),
        awkward.body["id"].as_str().expect("id").to_owned(),
    );
    let reject = app.decide(
        &hostile,
        json!({"action": "reject", "reason": "spam", "note": "formula", "version": 1}),
    );
    assert_eq!(reject.status, 200, "{}", reject.body);
    let approve = app.decide(&awkward, json!({"action": "approve", "version": 1}));
    assert_eq!(approve.status, 200, "{}", approve.body);
    // Another moderator undoes the approval.
    let reopen = app.send(
        "POST",
        &format!("/api/v1/comments/{awkward}/decision"),
        &app.moderator_token,
        &json!({"action": "reopen", "version": 2}),
    );
    assert_eq!(reopen.status, 200, "{}", reopen.body);
    // The other site's comment stays out of alpha's exports.
    let other = app.send(
        "POST",
        "/api/v1/comments",
        &app.other_site_key,
        &comment_body("b-1", "bob", "beta's comment"),
    );
    assert_eq!(other.status, 201, "{}", other.body);
    (hostile, awkward)
}

both_backends!(
    exports_stream_every_row_once_in_either_format,
    |app: TestApp| {
        let (hostile, awkward) = seed(&app);
        let total = COMMENTS + 2;

        // Comments as CSV: every one of alpha's, once, oldest first.
        let (csv, stderr) = export(&app, &["comments", "--site", "alpha"]);
        assert!(
            stderr.contains(&format!("exported {total} rows")),
            "{stderr}"
        );
        let rows = parse_csv(&csv);
        assert_eq!(rows[0][0], "id");
        assert_eq!(rows.len(), total + 1);
        let ids: Vec<i64> = rows[1..]
            .iter()
            .map(|r| r[0].parse().expect("id"))
            .collect();
        assert!(
            ids.windows(2).all(|w| w[0] < w[1]),
            "oldest first, no repeats"
        );
        let column = |name: &str| rows[0].iter().position(|h| h == name).expect(name);
        let by_id = |id: &str| rows.iter().find(|r| r[0] == id).expect("row").clone();
        let hostile_row = by_id(&hostile);
        assert_eq!(hostile_row[column("body")], "'=cmd|' /C calc'!A0");
        assert_eq!(hostile_row[column("status")], "rejected");
        assert_eq!(hostile_row[column("decided_by")], "admin@example.com");
        assert_eq!(hostile_row[column("decision_reason")], "spam");
        assert_eq!(hostile_row[column("reasons")], "pre_moderated;new_author");
        assert_eq!(
            by_id(&awkward)[column("body")],
            "a \"quoted\", two-line\ncomment"
        );

        // The same as JSON Lines, bodies byte for byte.
        let (jsonl, _) = export(&app, &["comments", "--site", "alpha", "--format", "jsonl"]);
        let records: Vec<Value> = jsonl
            .lines()
            .map(|l| serde_json::from_str(l).expect("one JSON object per line"))
            .collect();
        assert_eq!(records.len(), total);
        let hostile_record = records
            .iter()
            .find(|r| r["id"] == hostile.as_str())
            .expect("row");
        assert_eq!(hostile_record["body"], "=cmd|' /C calc'!A0");
        assert_eq!(
            hostile_record["reasons"],
            json!(["pre_moderated", "new_author"])
        );
        assert!(records.iter().all(|r| r["site"] == "alpha"));

        // Every site, to a file.
        let file = std::env::temp_dir().join(crate::helpers::unique_name("export"));
        let path = file.to_str().expect("path");
        export(&app, &["comments", "--format", "jsonl", "--output", path]);
        let all = std::fs::read_to_string(&file).expect("written");
        let _ = std::fs::remove_file(&file);
        assert_eq!(all.lines().count(), total + 1);

        // Decisions: the admin's two and the moderator's reopening, with
        // time in queue and who overturned what.
        let (decisions, _) = export(&app, &["decisions", "--format", "jsonl"]);
        let decisions: Vec<Value> = decisions
            .lines()
            .map(|l| serde_json::from_str(l).expect("json"))
            .collect();
        assert_eq!(decisions.len(), 3, "{decisions:?}");
        assert_eq!(decisions[0]["comment_id"], hostile.as_str());
        assert_eq!(decisions[0]["moderator"], "admin@example.com");
        assert_eq!(decisions[0]["action"], "reject");
        assert_eq!(decisions[0]["reason"], "spam");
        assert_eq!(decisions[0]["note"], "formula");
        assert!(
            decisions[0]["seconds_in_queue"]
                .as_i64()
                .is_some_and(|s| s >= 0)
        );
        assert_eq!(decisions[0]["overturned_by"], Value::Null);
        assert_eq!(decisions[1]["action"], "approve");
        assert_eq!(decisions[1]["overturned_by"], "mod@example.com");
        assert_eq!(decisions[2]["action"], "reopen");
        assert_eq!(decisions[2]["moderator"], "mod@example.com");
        // Per moderator, for billing.
        let (mine, _) = export(&app, &["decisions", "--moderator", "admin@example.com"]);
        let mine = parse_csv(&mine);
        assert_eq!(mine.len(), 3);
        assert_eq!(mine[2].last().map(String::as_str), Some("mod@example.com"));
        let (theirs, _) = export(&app, &["decisions", "--moderator", "mod@example.com"]);
        assert_eq!(parse_csv(&theirs).len(), 2);

        // The audit log: a submission per comment plus the three decisions.
        let (audit, _) = export(&app, &["audit", "--site", "alpha"]);
        assert_eq!(parse_csv(&audit).len(), 1 + total + 3);

        // Dates: nothing from tomorrow on, everything before it.
        let tomorrow = (chrono::Utc::now() + chrono::Duration::days(1))
            .format("%Y-%m-%d")
            .to_string();
        let (later, _) = export(&app, &["comments", "--from", &tomorrow]);
        assert_eq!(parse_csv(&later).len(), 1, "only the header");
        let (earlier, _) = export(&app, &["decisions", "--until", &tomorrow]);
        assert_eq!(parse_csv(&earlier).len(), 4);

        // The audit page's download links give the same rows.
        let mut browser = Browser::new(&app);
        browser.log_in("admin@example.com", &app.admin_password);
        let page = browser.get("/audit?site=alpha");
        assert!(
            page.html.contains("/export/decisions.csv?site=alpha"),
            "{}",
            page.html
        );
        let download = browser.get("/export/comments.csv?site=alpha");
        assert_eq!(download.status, 200);
        assert_eq!(
            download.header("content-type"),
            Some("text/csv; charset=utf-8")
        );
        assert_eq!(parse_csv(&download.html), rows);
        let download = browser.get("/export/decisions.jsonl");
        assert_eq!(download.html.lines().count(), 3);
        let download = browser.get("/export/decisions.jsonl?moderator=mod%40example.com");
        assert_eq!(download.html.lines().count(), 1);
        assert_eq!(browser.get("/export/passwords.csv").status, 404);
        assert_eq!(browser.get("/export/comments.xlsx").status, 404);

        // A moderator of alpha alone cannot export beta.
        let mut moderator = Browser::new(&app);
        moderator.log_in("mod@example.com", &app.moderator_password);
        assert_eq!(moderator.get("/export/comments.csv?site=beta").status, 404);
        let theirs = moderator.get("/export/comments.jsonl");
        assert_eq!(theirs.html.lines().count(), total);
    }
);
