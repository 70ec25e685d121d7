//! Property tests of the intake parser: whatever bytes arrive, decoding
//! and parsing never panic, and whatever they accept is a valid
//! submission. `MODQ_FUZZ_CASES` sets how many inputs each property tries
//! (BENCHMARKS.md records a long run).

use proptest::prelude::*;

use super::dto::SubmitCommentRequest;
use super::parse;
use crate::config::Settings;

fn cases() -> u32 {
    std::env::var("MODQ_FUZZ_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(2_000)
}

fn check(bytes: &[u8]) {
    let limits = Settings::load_from(None, &[]).expect("defaults").limits;
    let Ok(req) = serde_json::from_slice::<SubmitCommentRequest>(bytes) else {
        return;
    };
    if let Ok(sub) = parse::submission(req, &limits) {
        let body = sub.body.as_str();
        assert!(!body.trim().is_empty());
        assert!(body.chars().count() <= limits.max_body_chars);
        assert!(!body.contains('\0'));
        assert!(!sub.article.external_id.as_str().is_empty());
        assert!(!sub.author.external_id.as_str().is_empty());
    }
}

/// Text that strains parsers: controls, NUL, surrogates' neighbours,
/// combining marks, right-to-left, emoji, quotes and backslashes.
fn nasty_text() -> impl Strategy<Value = String> {
    let pieces = prop::collection::vec(
        prop_oneof![
            any::<char>().prop_map(String::from),
            Just("\0".to_owned()),
            Just("\u{202e}".to_owned()),
            Just("e\u{301}".to_owned()),
            Just("\u{fffd}".to_owned()),
            Just("🧪".to_owned()),
            Just("\"\\".to_owned()),
            Just(" ".to_owned()),
            Just("a".repeat(200)),
        ],
        0..40,
    );
    pieces.prop_map(|p| p.concat())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(cases()))]

    #[test]
    fn arbitrary_bytes_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..512)) {
        check(&bytes);
    }

    #[test]
    fn near_valid_requests_parse_or_are_refused(
        article in nasty_text(),
        author in nasty_text(),
        body in nasty_text(),
        email in prop::option::of(nasty_text()),
        ip in prop::option::of(nasty_text()),
        parent in prop::option::of(nasty_text()),
        cut in 0usize..600,
    ) {
        let json = serde_json::json!({
            "article": {"id": article, "title": "t", "url": "https://news.example/a"},
            "author": {"id": author, "name": "n", "email": email, "ip": ip},
            "body": body,
            "parent_id": parent,
        })
        .to_string();
        check(json.as_bytes());
        // The same request cut short anywhere.
        let cut = cut.min(json.len());
        check(&json.as_bytes()[..cut]);
    }
}
