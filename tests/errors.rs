use serde_json::json;

use crate::both_backends;
use crate::helpers::{TestApp, comment_body};

fn post_raw(app: &TestApp, body: &[u8], content_type: &str) -> crate::helpers::Response {
    app.raw(
        "POST",
        "/api/v1/comments",
        Some(&app.site_key),
        &[("Content-Type", content_type)],
        Some(body),
    )
}

fn assert_error(resp: &crate::helpers::Response, status: u16, code: &str) {
    assert_eq!(resp.status, status, "{}", resp.body);
    assert_eq!(resp.body["error"]["code"], code, "{}", resp.body);
    assert!(
        resp.body["error"]["message"]
            .as_str()
            .is_some_and(|m| !m.is_empty())
    );
}

both_backends!(
    bad_requests_get_json_errors_and_change_nothing,
    |app: TestApp| {
        let json_ct = "application/json";
        assert_error(
            &post_raw(&app, b"{\"article\":", json_ct),
            400,
            "invalid_json",
        );
        assert_error(
            &post_raw(&app, b"not json at all", json_ct),
            400,
            "invalid_json",
        );
        let valid = comment_body("a1", "ada", "hello").to_string();
        assert_error(
            &post_raw(&app, valid.as_bytes(), "text/plain"),
            415,
            "unsupported_media_type",
        );

        let missing = post_raw(
            &app,
            br#"{"article":{"id":"a1"},"author":{"id":"u"}}"#,
            json_ct,
        );
        assert_error(&missing, 422, "validation_failed");
        assert!(
            missing.body["error"]["message"]
                .as_str()
                .expect("message")
                .contains("body")
        );
        let missing_author = post_raw(&app, br#"{"article":{"id":"a1"},"body":"hi"}"#, json_ct);
        assert!(
            missing_author.body["error"]["message"]
                .as_str()
                .expect("message")
                .contains("author")
        );
        let wrong_type = post_raw(
            &app,
            br#"{"article":{"id":"a1"},"author":{"id":"u"},"body":42}"#,
            json_ct,
        );
        assert_error(&wrong_type, 422, "validation_failed");

        assert_error(&app.post_simple("a1", "ada", ""), 422, "body_empty");
        assert_error(&app.post_simple("a1", "ada", " \n\t "), 422, "body_empty");
        assert_error(
            &app.post_simple("a1", "ada", &"x".repeat(10_001)),
            422,
            "body_too_long",
        );
        assert_eq!(
            app.post_simple("a1", "ada", &"é".repeat(10_000)).status,
            201,
            "the limit counts characters"
        );
        assert_error(
            &app.post_simple("a1", "ada", "nul \u{0} byte"),
            422,
            "invalid_characters",
        );

        let mut huge = comment_body("a1", "ada", "x");
        huge["body"] = json!("y".repeat(70_000));
        assert_error(
            &post_raw(&app, huge.to_string().as_bytes(), json_ct),
            413,
            "payload_too_large",
        );

        let mut invalid_utf8 = comment_body("a1", "ada", "PLACEHOLDER")
            .to_string()
            .into_bytes();
        let at = invalid_utf8
            .windows(11)
            .position(|w| w == b"PLACEHOLDER")
            .expect("placeholder");
        invalid_utf8.splice(at..at + 11, [0xff, 0xfe, b'a']);
        assert_error(&post_raw(&app, &invalid_utf8, json_ct), 422, "invalid_utf8");

        let mut bad_ip = comment_body("a1", "ada", "hi");
        bad_ip["author"]["ip"] = json!("999.1.1.1");
        assert_error(&app.post_comment(&bad_ip), 422, "validation_failed");
        let mut no_article = comment_body("a1", "ada", "hi");
        no_article["article"]["id"] = json!("");
        assert_error(&app.post_comment(&no_article), 422, "validation_failed");

        assert_error(
            &app.get("/api/v1/comments/999999", &app.site_key),
            404,
            "not_found",
        );
        assert_error(
            &app.get("/api/v1/comments/abc", &app.site_key),
            404,
            "not_found",
        );
        assert_error(
            &app.get("/api/v1/nothing-here", &app.site_key),
            404,
            "not_found",
        );
        let wrong_method = app.raw("PATCH", "/api/v1/comments", Some(&app.site_key), &[], None);
        assert_error(&wrong_method, 405, "method_not_allowed");
        let decision_without_version = app.send(
            "POST",
            "/api/v1/comments/1/decision",
            &app.admin_token,
            &json!({"action": "approve"}),
        );
        assert_error(&decision_without_version, 422, "validation_failed");

        // Liveness and readiness answer without credentials.
        for path in ["/healthz", "/readyz", "/health"] {
            let health = app.raw("GET", path, None, &[], None);
            assert_eq!(health.status, 200, "{path}");
            assert_eq!(health.body["status"], "ok");
        }
        assert_eq!(
            app.raw("GET", "/readyz", None, &[], None).body["database"],
            "ok"
        );

        // Only the one valid comment above was stored.
        assert_eq!(app.queue_ids().len(), 1);
    }
);

fn rate_limits(app: TestApp) {
    // Three a minute per commenter address, five per site.
    let from = |ip: &str, n: usize| {
        let mut body = comment_body("a1", "ann", &format!("Comment {n} from {ip}"));
        body["author"]["ip"] = json!(ip);
        app.post_comment(&body)
    };
    for n in 0..3 {
        assert_eq!(from("198.51.100.7", n).status, 201);
    }
    let limited = from("198.51.100.7", 3);
    assert_error(&limited, 429, "rate_limited");
    let retry: u64 = limited
        .header("Retry-After")
        .and_then(|v| v.parse().ok())
        .expect("Retry-After");
    assert!((1..=20).contains(&retry), "{retry}");
    assert!(
        limited.body["error"]["message"]
            .as_str()
            .is_some_and(|m| m.starts_with("too many comments from this IP address")),
        "{}",
        limited.body
    );
    // Another address goes through until the site's own limit.
    assert_eq!(from("198.51.100.8", 4).status, 201);
    assert_eq!(from("198.51.100.9", 5).status, 201);
    let site_limited = from("198.51.100.10", 6);
    assert_error(&site_limited, 429, "rate_limited");
    assert!(
        site_limited.body["error"]["message"]
            .as_str()
            .is_some_and(|m| m.starts_with("too many comments from this site")),
        "{}",
        site_limited.body
    );
    // Refused comments were not stored; the other site is not limited.
    assert_eq!(app.queue_ids().len(), 5);
    let mut other = comment_body("a1", "ann", "From the other site.");
    other["author"]["ip"] = json!("198.51.100.11");
    let resp = app.send("POST", "/api/v1/comments", &app.other_site_key, &other);
    assert_eq!(resp.status, 201, "{}", resp.body);
}

#[test]
fn submit_rate_limits_sqlite() {
    if let Some(app) = spawn_limited(crate::helpers::Backend::Sqlite) {
        rate_limits(app);
    }
}

#[test]
fn submit_rate_limits_postgres() {
    if let Some(app) = spawn_limited(crate::helpers::Backend::Postgres) {
        rate_limits(app);
    }
}

fn spawn_limited(backend: crate::helpers::Backend) -> Option<TestApp> {
    crate::helpers::spawn_app_with(
        backend,
        &[
            ("MODQ_LIMITS_SUBMIT_PER_IP_PER_MINUTE", "3"),
            ("MODQ_LIMITS_SUBMIT_PER_SITE_PER_MINUTE", "5"),
        ],
    )
}

/// Slow clients: headers or a body trickled in are cut off after the
/// configured time, and meanwhile everyone else is served.
fn slow_clients(app: TestApp) {
    use std::io::{Read, Write};
    use std::net::TcpStream;
    use std::time::Duration;

    let addr = app.base.trim_start_matches("http://").to_owned();
    // Fifty connections that never finish their headers.
    let mut stalled: Vec<TcpStream> = (0..50)
        .map(|_| {
            let mut s = TcpStream::connect(&addr).expect("connect");
            s.write_all(b"POST /api/v1/comments HTTP/1.1\r\nHost: x\r\n")
                .expect("partial head");
            s
        })
        .collect();
    // One that sends its headers and only part of its body.
    let mut trickle = TcpStream::connect(&addr).expect("connect");
    write!(
        trickle,
        "POST /api/v1/comments HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {}\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{{\"article\"",
        app.site_key
    )
    .expect("partial body");

    // Others are served meanwhile.
    let ok = app.post_simple("a1", "ann", "Not slowed down.");
    assert_eq!(ok.status, 201);

    // The trickled body gets 408 with a JSON error.
    trickle
        .set_read_timeout(Some(Duration::from_secs(5)))
        .expect("timeout");
    let mut answer = String::new();
    let _ = trickle.read_to_string(&mut answer);
    assert!(answer.starts_with("HTTP/1.1 408"), "{answer}");
    assert!(answer.contains("\"code\":\"request_timeout\""), "{answer}");

    // The stalled heads are cut off (408, or just closed).
    for s in &mut stalled {
        s.set_read_timeout(Some(Duration::from_secs(5)))
            .expect("timeout");
        let mut buf = Vec::new();
        let read = s.read_to_end(&mut buf);
        assert!(
            read.is_ok(),
            "the connection was closed, not left hanging: {read:?}"
        );
        let text = String::from_utf8_lossy(&buf);
        assert!(
            text.is_empty() || text.starts_with("HTTP/1.1 408"),
            "{text}"
        );
    }
    // Nothing half-sent was stored.
    assert_eq!(app.queue_ids().len(), 1);
}

#[test]
fn slow_clients_are_cut_off_sqlite() {
    if let Some(app) = crate::helpers::spawn_app_with(
        crate::helpers::Backend::Sqlite,
        &[
            ("MODQ_SERVER_REQUEST_HEAD_TIMEOUT_MS", "300"),
            ("MODQ_LIMITS_REQUEST_BODY_TIMEOUT_MS", "300"),
        ],
    ) {
        slow_clients(app);
    }
}

/// A seeded xorshift, so a failure can be replayed.
struct Noise(u64);

impl Noise {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

/// A malformed, hostile or merely odd request body.
fn garbage(noise: &mut Noise) -> Vec<u8> {
    let valid = comment_body("a1", "ann", "A perfectly ordinary comment.").to_string();
    match noise.below(8) {
        // Random bytes.
        0 => (0..noise.below(300)).map(|_| noise.next() as u8).collect(),
        // A valid request cut short.
        1 => valid.as_bytes()[..noise.below(valid.len())].to_vec(),
        // A valid request with bytes flipped.
        2 => {
            let mut bytes = valid.into_bytes();
            for _ in 0..1 + noise.below(4) {
                let at = noise.below(bytes.len());
                bytes[at] = noise.next() as u8;
            }
            bytes
        }
        // Wrong types.
        3 => {
            let wrong = ["1", "true", "null", "[]", "{}", "\"\"", "1e999", "-0"];
            let mut v = comment_body("a1", "ann", "x");
            let field = ["body", "article", "author", "parent_id"][noise.below(4)];
            v[field] = serde_json::from_str(wrong[noise.below(wrong.len())]).unwrap_or_default();
            v.to_string().into_bytes()
        }
        // Deep nesting.
        4 => {
            let depth = 10 + noise.below(5_000);
            format!("{}{}", "[".repeat(depth), "]".repeat(depth)).into_bytes()
        }
        // Hostile strings in every field.
        5 => {
            let hostile = [
                "\0",
                "\u{202e}",
                "<script>",
                "'; DROP TABLE comments; --",
                "\u{fffd}",
                "",
            ];
            let pick = |n: &mut Noise| hostile[n.below(hostile.len())].repeat(1 + n.below(3));
            let (a, u, b) = (pick(noise), pick(noise), pick(noise));
            comment_body(&a, &u, &b).to_string().into_bytes()
        }
        // Unknown and duplicated fields.
        6 => br#"{"article":{"id":"a"},"author":{"id":"u"},"body":"x","body":"y","extra":1}"#
            .to_vec(),
        // Just whitespace or nothing.
        _ => b" \n\t".repeat(noise.below(4)),
    }
}

fn ten_thousand_bad_bodies(app: TestApp) {
    let app = std::sync::Arc::new(app);
    let workers: Vec<_> = (0..4u64)
        .map(|w| {
            let app = std::sync::Arc::clone(&app);
            std::thread::spawn(move || {
                let mut noise = Noise(0x6d6f_6471 + w);
                let mut created = Vec::new();
                for _ in 0..2_500 {
                    let body = garbage(&mut noise);
                    let resp = post_raw(&app, &body, "application/json");
                    assert!(
                        resp.status == 201 || (400..500).contains(&resp.status),
                        "{} for {:?}: {}",
                        resp.status,
                        String::from_utf8_lossy(&body),
                        resp.body
                    );
                    if resp.status == 201 {
                        created.push((resp.body["id"].as_str().expect("id").to_owned(), body));
                    } else {
                        assert!(resp.body["error"]["code"].is_string(), "{}", resp.body);
                    }
                }
                created
            })
        })
        .collect();
    let created: Vec<(String, Vec<u8>)> = workers
        .into_iter()
        .flat_map(|w| w.join().expect("worker"))
        .collect();
    // What was stored is exactly what was accepted, as it was sent.
    for (id, sent) in &created {
        let stored = app.get_comment(id);
        let sent: serde_json::Value = serde_json::from_slice(sent).expect("accepted JSON");
        assert_eq!(stored.body["body"], sent["body"]);
    }
    // And nothing else: every stored comment is pending, one per 201.
    let metrics = ureq::get(&format!("{}/metrics", app.base))
        .call()
        .expect("metrics")
        .into_string()
        .expect("text");
    let stored: usize = metrics
        .lines()
        .find_map(|l| l.strip_prefix("modq_queue_pending{site=\"alpha\"} "))
        .and_then(|v| v.parse().ok())
        .expect("pending gauge");
    assert_eq!(stored, created.len(), "stored vs accepted");
    assert!(created.len() < 1_000, "mostly refused: {}", created.len());
}

#[test]
fn ten_thousand_bad_bodies_sqlite() {
    if let Some(app) = crate::helpers::spawn_app(crate::helpers::Backend::Sqlite) {
        ten_thousand_bad_bodies(app);
    }
}

#[test]
fn ten_thousand_bad_bodies_postgres() {
    if let Some(app) = crate::helpers::spawn_app(crate::helpers::Backend::Postgres) {
        ten_thousand_bad_bodies(app);
    }
}
