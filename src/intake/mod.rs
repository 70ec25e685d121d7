//! Submission → policy checks → a committed comment, exactly once per
//! idempotency key.

mod behaviour;
mod expire_keys;
mod policy_check;
mod rate_limit;
mod rule_verdict;
mod score_verdict;
mod submission;
mod submit_comment;

pub use behaviour::fingerprint;
pub use expire_keys::{expire_idempotency_keys, spawn_key_expiry};
pub use policy_check::{Verdict, check_policy};
pub use rate_limit::RateLimiter;
pub use rule_verdict::{AutoReject, Outcome, apply_rules};
pub use score_verdict::{Scoring, apply_scores};
pub use submission::{ArticleRef, AuthorRef, IdempotencyKey, Submission};
pub use submit_comment::{SubmitOutcome, submit_comment};
