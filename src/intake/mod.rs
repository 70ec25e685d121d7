//! Submission → policy checks → a committed comment, exactly once per
//! idempotency key.

mod behaviour;
mod edit_comment;
mod expire_keys;
mod policy_check;
mod rate_limit;
mod rule_verdict;
mod score_verdict;
mod stored_verdict;
mod submission;
mod submit_comment;

pub use behaviour::fingerprint;
pub use edit_comment::{
    Edit, EditOutcome, EditTarget, edit_comment, edit_target, status_after_edit,
};
pub use expire_keys::{expire_idempotency_keys, spawn_key_expiry};
pub use policy_check::{Verdict, check_policy};
pub use rate_limit::RateLimiter;
pub use rule_verdict::{AutoReject, Outcome, apply_rules};
pub use score_verdict::{Scoring, apply_scores};
pub use stored_verdict::new_reasons;
pub use submission::{ArticleRef, AuthorRef, IdempotencyKey, Submission};
pub use submit_comment::{SubmitOutcome, parent_rejected_reason, submit_comment};

/// The site's rules on a comment. A submission's run before, and outside,
/// the serialised write: they read only the request. An edit's run inside
/// it, on the article and author rows the write reads anyway.
fn evaluate_rules(
    rules: &crate::rules::CompiledRules,
    input: &crate::rules::CommentInput<'_>,
) -> Vec<crate::rules::RuleHit> {
    if rules.is_empty() {
        return Vec::new();
    }
    let started = std::time::Instant::now();
    let hits = rules.evaluate(input);
    crate::metrics::registry()
        .rule_seconds
        .observe(started.elapsed());
    hits
}
