//! The OpenAPI document, served and checked: every `/api/v1` operation is
//! fuzzed by schemathesis against a live server, on both backends.
//!
//! schemathesis comes from PyPI, pinned in
//! `tools/schemathesis-requirements.txt`; `tools/install_schemathesis.sh`
//! (run by `.ci/run`) installs it into `target/schemathesis`. Without it the
//! schemathesis tests are skipped, except under `CI=true`, where that is a
//! failure.

use std::path::PathBuf;
use std::process::Command;

use serde_json::Value;

use crate::both_backends;
use crate::helpers::TestApp;

/// Test cases per operation and phase; with the stateful phase this is a
/// few thousand requests per backend.
const EXAMPLES: &str = "40";

fn schemathesis() -> Option<PathBuf> {
    let installed = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target/schemathesis/bin/st");
    let found = std::env::var_os("MODQ_SCHEMATHESIS")
        .map(PathBuf::from)
        .or_else(|| installed.exists().then_some(installed));
    match found {
        Some(st) => Some(st),
        None if std::env::var("CI").is_ok_and(|v| v == "true" || v == "1") => {
            panic!("CI=true but schemathesis is missing: run tools/install_schemathesis.sh")
        }
        None => {
            eprintln!("skipping schemathesis: run tools/install_schemathesis.sh");
            None
        }
    }
}

fn document(app: &TestApp) -> Value {
    let response = app.raw("GET", "/api/openapi.json", None, &[], None);
    assert_eq!(response.status, 200, "{}", response.body);
    assert_eq!(response.header("content-type"), Some("application/json"));
    response.body
}

both_backends!(
    the_document_is_served_without_credentials,
    |app: TestApp| {
        let doc = document(&app);
        assert_eq!(doc["openapi"], "3.1.0");
        assert_eq!(doc["info"]["title"], "modq");
        let submit = &doc["paths"]["/api/v1/comments"]["post"];
        assert_eq!(
            submit["requestBody"]["content"]["application/json"]["schema"]["$ref"],
            "#/components/schemas/SubmitCommentRequest"
        );
        assert_eq!(
            submit["responses"]["201"]["links"]["GetComment"]["operationId"],
            "get_comment"
        );
        assert!(doc["components"]["securitySchemes"]["site_key"].is_object());
    }
);

both_backends!(
    a_method_a_route_does_not_take_is_405_with_allow,
    |app: TestApp| {
        let response = app.raw(
            "PATCH",
            "/api/v1/rules/1",
            Some(&app.moderator_token),
            &[],
            None,
        );
        assert_eq!(response.status, 405, "{}", response.body);
        assert_eq!(response.header("allow"), Some("GET, PUT, DELETE"));
        assert_eq!(response.body["error"]["code"], "method_not_allowed");
    }
);

both_backends!(structs_sent_as_arrays_are_refused, |app: TestApp| {
    // serde's derive would read these as the fields in order.
    let site = app.send(
        "PUT",
        "/api/v1/site",
        &app.site_key,
        &serde_json::json!(["closed"]),
    );
    assert_eq!(site.status, 422, "{}", site.body);
    let comment = app.post_comment(&serde_json::json!({
        "article": ["a-1"],
        "author": {"id": "reader"},
        "body": "hello"
    }));
    assert_eq!(comment.status, 422, "{}", comment.body);
    assert!(
        comment.body["error"]["message"]
            .as_str()
            .unwrap_or_default()
            .contains("expected a JSON object"),
        "{}",
        comment.body
    );
    let unchanged = app.get("/api/v1/site", &app.site_key);
    assert_eq!(unchanged.body["default_policy"], "pre");
    assert!(app.queue_ids().is_empty());
});

both_backends!(
    schemathesis_finds_no_server_error_and_no_spec_violation,
    |app: TestApp| {
        let Some(st) = schemathesis() else { return };
        let config = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/schemathesis.toml");
        // Its reports and cache go to a scratch directory, not the checkout.
        let report = std::env::temp_dir().join(crate::helpers::unique_name("schemathesis"));
        std::fs::create_dir_all(&report).expect("scratch directory");
        let output = Command::new(&st)
            .arg("--config-file")
            .arg(&config)
            .arg("--no-color")
            .arg("run")
            .arg(format!("{}/api/openapi.json", app.base))
            // Every check but two. positive_data_acceptance: modq rightly
            // refuses some schema-valid requests with a documented 404, 409
            // or 422 (a reply to a comment that does not exist, a rejection
            // without a guideline code, a regex that does not compile).
            // use_after_free: DELETE on a comment withdraws it and on a
            // rule retires it; both stay on record, readable with their
            // history, by design. (A deleted webhook endpoint is gone:
            // tests/webhooks.rs checks its 404.)
            .args(["--checks", "all"])
            .args([
                "--exclude-checks",
                "positive_data_acceptance,use_after_free",
            ])
            .args(["--max-examples", EXAMPLES, "--seed", "20261129"])
            .args(["--request-timeout", "30"])
            .arg("--report-dir")
            .arg(&report)
            .current_dir(&report)
            .env("MODQ_SITE_KEY", &app.site_key)
            // An admin, so global rules can be made and followed too.
            .env("MODQ_MODERATOR_TOKEN", &app.admin_token)
            .output()
            .expect("run schemathesis");
        let text = String::from_utf8_lossy(&output.stdout);
        assert!(
            output.status.success(),
            "schemathesis failed:\n{text}\n{}",
            String::from_utf8_lossy(&output.stderr)
        );
        // It must really have exercised the API, the stateful chains included.
        let operations = modq::api::routes::API_V1_ROUTES.len();
        assert!(
            text.contains(&format!("{operations} selected / {operations} total")),
            "{text}"
        );
        assert!(text.contains("Stateful"), "{text}");
        // The summary line: "6148 generated, 6148 passed, 58 skipped".
        let generated = text
            .lines()
            .filter_map(|l| l.trim().split_once(" generated, "))
            .find_map(|(n, _)| n.parse::<u32>().ok())
            .unwrap_or(0);
        assert!(generated > 1000, "only {generated} test cases:\n{text}");
        let _ = std::fs::remove_dir_all(report);
    }
);

both_backends!(
    nul_characters_in_filters_are_refused_alike,
    |app: TestApp| {
        // PostgreSQL text cannot hold U+0000; SQLite could. Both answer 422.
        for query in ["?site=al%00pha", "?q=x%00y", "?article=a%00&site=alpha"] {
            let response = app.queue(query);
            assert_eq!(response.status, 422, "{query}: {}", response.body);
            assert_eq!(response.body["error"]["code"], "invalid_characters");
        }
        let backtest = app.send(
            "POST",
            "/api/v1/rules/backtest",
            &app.admin_token,
            &serde_json::json!({
                "site": "al\u{0}pha",
                "rule": {"name": "r", "action": "hold", "match": {"kind": "terms", "terms": ["x"]}}
            }),
        );
        // Not a 500 on either backend: 404 where the name simply matches no
        // site, 422 where the database refuses the character.
        assert!(
            [404, 422].contains(&backtest.status),
            "{}: {}",
            backtest.status,
            backtest.body
        );
    }
);
