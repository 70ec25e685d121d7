//! `modq import wordpress|disqus`: hand-made export files with every
//! state, nesting, CDATA, entities and broken entries, imported into a
//! running modq on both backends, then imported again.

use std::collections::HashMap;

use serde_json::{Value, json};

use crate::both_backends;
use crate::helpers::{TestApp, run_modq};

const WORDPRESS: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/tests/fixtures/import/wordpress.xml"
);
const DISQUS: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/tests/fixtures/import/disqus.xml"
);

fn import(app: &TestApp, args: &[&str]) -> (String, String) {
    let args: Vec<&str> = ["import"].iter().chain(args).copied().collect();
    let (ok, stdout, stderr) = run_modq(&app.db_url, &args);
    assert!(ok, "{args:?}: {stdout} {stderr}");
    (stdout, stderr)
}

/// An export of `site` as JSON values, one per line.
fn export_jsonl(app: &TestApp, kind: &str, site: &str) -> Vec<Value> {
    let (ok, stdout, stderr) = run_modq(
        &app.db_url,
        &["export", kind, "--format", "jsonl", "--site", site],
    );
    assert!(ok, "{stderr}");
    stdout
        .lines()
        .map(|line| serde_json::from_str(line).expect("JSON line"))
        .collect()
}

/// Every comment of `site` as exported, by body.
fn comments_by_body(app: &TestApp, site: &str) -> HashMap<String, Value> {
    export_jsonl(app, "comments", site)
        .into_iter()
        .map(|row| (row["body"].as_str().expect("body").to_owned(), row))
        .collect()
}

/// The comment whose body starts with `prefix`.
fn starting(comments: &HashMap<String, Value>, prefix: &str) -> Value {
    comments
        .iter()
        .find(|(body, _)| body.starts_with(prefix))
        .map(|(_, row)| row.clone())
        .unwrap_or_else(|| panic!("no comment starting {prefix:?}"))
}

fn audit_actions(app: &TestApp, site: &str) -> Vec<(String, String)> {
    export_jsonl(app, "audit", site)
        .iter()
        .map(|row| {
            (
                row["actor"].as_str().unwrap_or_default().to_owned(),
                row["action"].as_str().unwrap_or_default().to_owned(),
            )
        })
        .collect()
}

both_backends!(
    wordpress_history_imports_once_with_its_decisions,
    |app: TestApp| {
        let (out, err) = import(&app, &["wordpress", WORDPRESS, "--site", "alpha"]);
        assert!(
            out.contains("imported 11: 7 approved, 1 pending, 2 rejected, 1 withdrawn"),
            "{out}"
        );
        assert!(
            out.contains("not comments (pingbacks, trackbacks): 1"),
            "{out}"
        );
        assert!(out.contains("malformed, skipped: 6"), "{out}");
        assert!(out.contains("new articles: 3"), "{out}");
        assert!(
        out.contains("replies linked to a parent later in the file: 1; replies whose parent is missing: 1"),
        "{out}"
    );
        // Each broken entry is reported with its position and why.
        for expected in [
            ": no <wp:comment_id>",
            ": comment 203: unknown approval state \"maybe\"",
            ": comment 204: no valid <wp:comment_date_gmt>",
            ": comment 205: line ",
            ": comment 206: line ",
            ": comment 207: content: body must not be empty",
        ] {
            assert!(err.contains(expected), "{expected:?} not in {err}");
        }
        assert_eq!(err.matches("skipped line ").count(), 6, "{err}");

        let comments = comments_by_body(&app, "alpha");
        assert_eq!(comments.len(), 11, "{comments:#?}");
        assert!(comments.keys().all(|body| !body.contains("BROKEN")));
        let get = |prefix: &str| starting(&comments, prefix);
        let first = get("<p>First!");
        assert_eq!(first["status"], "approved");
        assert_eq!(first["decided_by"], "WordPress import");
        assert_eq!(first["created_at"], "2019-03-04T12:34:56.000000Z");
        assert_eq!(first["article_id"], "https://blog.example/hello");
        assert_eq!(first["author_id"], "ann@example.com");
        let waiting = get("Still waiting");
        assert_eq!(waiting["status"], "pending");
        assert_eq!(waiting["parent_id"], first["id"]);
        assert_eq!(get("A reply to a reply")["parent_id"], waiting["id"]);
        assert_eq!(
            get("A reply listed before")["parent_id"],
            get("The parent, listed")["id"]
        );
        assert_eq!(get("A reply whose parent")["parent_id"], Value::Null);
        let spam = get("Buy cheap pills");
        assert_eq!(
            (&spam["status"], &spam["decision_reason"]),
            (&json!("rejected"), &json!("spam"))
        );
        assert_eq!(get("You are all idiots")["status"], "rejected");
        assert_eq!(
            get("A comment on a post that was later")["status"],
            "withdrawn"
        );
        assert_eq!(get("Caf\u{e9}")["author_name"], "Ren\u{e9}e <admin>");

        // The pending one waits in the queue like any other.
        let waiting_id = waiting["id"].as_str().expect("id").to_owned();
        assert!(app.queue_ids().contains(&waiting_id));
        let detail = app.get_comment(first["id"].as_str().expect("id"));
        assert_eq!(
            detail.body["decision"]["by"], "WordPress import",
            "{}",
            detail.body
        );

        // Audited as imported.
        let audit = audit_actions(&app, "alpha");
        assert_eq!(audit.len(), 11);
        assert!(
            audit
                .iter()
                .all(|(actor, action)| actor == "import:wordpress" && action == "imported")
        );

        // Author history: a new comment by Ann arrives with her three approvals.
        let mut body = crate::helpers::comment_body("fresh", "ann@example.com", "Back again.");
        body["author"]["email"] = json!("ann@example.com");
        let fresh = app.post_comment(&body);
        assert_eq!(fresh.status, 201, "{}", fresh.body);
        assert_eq!(fresh.body["author"]["approved_count"], 3, "{}", fresh.body);

        // Backtests count imported decisions as human ones.
        let backtest = app.send(
            "POST",
            "/api/v1/rules/backtest",
            &app.moderator_token,
            &json!({"site": "alpha", "rule": {"name": "Pills", "action": "hold",
                "match": {"kind": "terms", "terms": ["pills"]}}}),
        );
        assert_eq!(backtest.status, 200, "{}", backtest.body);
        assert_eq!(
            backtest.body["matrix"]["hit_rejected"], 1,
            "{}",
            backtest.body
        );
        assert_eq!(
            backtest.body["matrix"]["miss_approved"], 7,
            "{}",
            backtest.body
        );

        // Classifier training sees them too: one spam rejection, seven approvals.
        let (ok, trained, stderr) =
            run_modq(&app.db_url, &["classifier", "train", "--site", "alpha"]);
        assert!(ok, "{stderr}");
        assert!(trained.contains("has 1 and 7"), "{trained}");

        // Importing the same file again adds nothing.
        let (again, _) = import(&app, &["wordpress", WORDPRESS, "--site", "alpha"]);
        assert!(again.contains("imported 0: 0 approved"), "{again}");
        assert!(
            again.contains("already imported (left as they are): 11"),
            "{again}"
        );
        assert!(
            again.contains("replies whose parent is missing: 1"),
            "{again}"
        );
        assert_eq!(comments_by_body(&app, "alpha").len(), 12);
        assert_eq!(audit_actions(&app, "alpha").len(), 12);
    }
);

both_backends!(
    disqus_history_imports_with_threads_and_replies,
    |app: TestApp| {
        let (out, err) = import(&app, &["disqus", DISQUS, "--site", "beta"]);
        assert!(
            out.contains("imported 6: 4 approved, 0 pending, 2 rejected, 0 withdrawn"),
            "{out}"
        );
        assert!(out.contains("malformed, skipped: 4"), "{out}");
        assert!(
            out.contains("replies linked to a parent later in the file: 1"),
            "{out}"
        );
        assert!(err.contains("thread: no <link>"), "{err}");
        assert!(
            err.contains("comment 2006: thread 9999 is not in the file"),
            "{err}"
        );

        let comments = comments_by_body(&app, "beta");
        assert_eq!(comments.len(), 6);
        let get = |prefix: &str| starting(&comments, prefix);
        assert_eq!(get("<p>Taxes")["article_id"], "article-1");
        assert_eq!(get("<p>Taxes")["decided_by"], "Disqus import");
        assert_eq!(get("Cheap pills")["decision_reason"], "spam");
        assert_eq!(get("Something a moderator deleted")["status"], "rejected");
        assert_eq!(get("A reply that comes")["parent_id"], get("Sunny")["id"]);
        assert_eq!(
            get("Sunny")["article_id"],
            "https://news.example/2018/weather"
        );
        // The other site saw nothing.
        assert!(comments_by_body(&app, "alpha").is_empty());

        let (again, _) = import(&app, &["disqus", DISQUS, "--site", "beta"]);
        assert!(
            again.contains("already imported (left as they are): 6"),
            "{again}"
        );
        assert_eq!(comments_by_body(&app, "beta").len(), 6);
    }
);

both_backends!(import_refuses_what_it_cannot_place, |app: TestApp| {
    let (ok, _, err) = run_modq(&app.db_url, &["import", "wordpress", WORDPRESS]);
    assert!(!ok);
    assert!(
        err.contains("there are 2 sites: name one with --site"),
        "{err}"
    );
    let (ok, _, err) = run_modq(
        &app.db_url,
        &["import", "disqus", DISQUS, "--site", "gamma"],
    );
    assert!(!ok);
    assert!(err.contains("no site named \"gamma\""), "{err}");
    let (ok, _, err) = run_modq(
        &app.db_url,
        &["import", "disqus", "/nonexistent.xml", "--site", "beta"],
    );
    assert!(!ok);
    assert!(err.contains("cannot read /nonexistent.xml"), "{err}");
    assert!(comments_by_body(&app, "beta").is_empty());
});
