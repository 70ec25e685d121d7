use crate::domain::{Reason, ReasonSource, RuleRef, Status};
use crate::rules::{RuleAction, RuleHit, RuleMode};

use super::Verdict;

/// A rejection decided at intake, by the rules or the classifier.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AutoReject {
    pub reason: Option<String>,
    pub note: String,
    /// `rules` or `classifier`: shown as who decided.
    pub by: String,
}

/// The policy verdict amended by rule hits.
#[derive(Debug, Clone, PartialEq)]
pub struct Outcome {
    pub status: Status,
    pub reasons: Vec<Reason>,
    pub priority: i32,
    pub auto_reject: Option<AutoReject>,
}

/// Every hit becomes a reason; enforced hits decide. The strongest action
/// wins: reject > hold > flag > approve. `approve` (trusted authors, say)
/// lifts the policy's own holds but never a rule's. Shadow hits are
/// recorded and change nothing.
pub fn apply_rules(verdict: Verdict, hits: &[RuleHit], new_author: bool) -> Outcome {
    let hits: Vec<&RuleHit> = hits
        .iter()
        .filter(|h| !h.needs_new_author || new_author)
        .collect();
    let mut reasons = verdict.reasons;
    let mut priority = verdict.priority;
    for hit in &hits {
        let shadow = hit.mode == RuleMode::Shadow;
        if !shadow && matches!(hit.action, RuleAction::Hold | RuleAction::Flag) {
            priority += hit.priority;
        }
        reasons.push(Reason {
            source: ReasonSource::Rule,
            code: hit.reason.clone().unwrap_or_else(|| "rule".to_owned()),
            message: if shadow {
                format!("[shadow] {}", hit.message)
            } else {
                hit.message.clone()
            },
            span: hit.span.clone(),
            rule: Some(RuleRef {
                id: hit.rule_id,
                version: hit.rule_version,
                action: hit.action.as_str().to_owned(),
                shadow,
            }),
            score: None,
        });
    }
    let strongest = hits
        .iter()
        .filter(|h| h.mode == RuleMode::Enforce)
        .max_by_key(|h| h.action);
    let (status, auto_reject) = match strongest.map(|h| (h.action, *h)) {
        Some((RuleAction::Reject, hit)) => (
            Status::Rejected,
            Some(AutoReject {
                reason: hit.reason.clone(),
                note: format!(
                    "Rejected automatically by rule “{}” (version {}).",
                    hit.rule_name, hit.rule_version
                ),
                by: "rules".to_owned(),
            }),
        ),
        Some((RuleAction::Hold, _)) => (Status::Pending, None),
        Some((RuleAction::Approve, _)) => (Status::Approved, None),
        Some((RuleAction::Flag, _)) | None => (verdict.status, None),
    };
    Outcome {
        status,
        reasons,
        priority,
        auto_reject,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::Policy;
    use crate::intake::check_policy;

    fn hit(action: RuleAction, mode: RuleMode) -> RuleHit {
        RuleHit {
            rule_id: 7,
            rule_version: 2,
            rule_name: "test".into(),
            action,
            mode,
            reason: Some("spam".into()),
            message: "matched".into(),
            priority: 20,
            span: None,
            needs_new_author: false,
        }
    }

    fn post_known() -> Verdict {
        check_policy(Policy::Post, 5, 1).expect("verdict")
    }

    #[test]
    fn strongest_enforced_action_decides() {
        use RuleAction::*;
        let out = apply_rules(
            post_known(),
            &[hit(Flag, RuleMode::Enforce), hit(Reject, RuleMode::Enforce)],
            false,
        );
        assert_eq!(out.status, Status::Rejected);
        assert_eq!(out.reasons.len(), 2, "every hit is recorded");
        assert!(out.auto_reject.is_some());
        let out = apply_rules(
            post_known(),
            &[
                hit(Hold, RuleMode::Enforce),
                hit(Approve, RuleMode::Enforce),
            ],
            false,
        );
        assert_eq!(out.status, Status::Pending);
        let out = apply_rules(post_known(), &[hit(Flag, RuleMode::Enforce)], false);
        assert_eq!(out.status, Status::Approved);
        assert_eq!(out.priority, 20);
    }

    #[test]
    fn approve_lifts_policy_holds() {
        let pre = check_policy(Policy::Pre, 0, 1).expect("verdict");
        let out = apply_rules(pre, &[hit(RuleAction::Approve, RuleMode::Enforce)], false);
        assert_eq!(out.status, Status::Approved);
    }

    #[test]
    fn shadow_hits_change_nothing() {
        let out = apply_rules(
            post_known(),
            &[hit(RuleAction::Reject, RuleMode::Shadow)],
            false,
        );
        assert_eq!(out.status, Status::Approved);
        assert_eq!(out.priority, 0);
        assert!(out.auto_reject.is_none());
        assert_eq!(out.reasons.len(), 1);
        assert!(out.reasons[0].rule.as_ref().is_some_and(|r| r.shadow));
    }

    #[test]
    fn new_author_conditions() {
        let mut h = hit(RuleAction::Hold, RuleMode::Enforce);
        h.needs_new_author = true;
        assert_eq!(
            apply_rules(post_known(), &[h.clone()], false).status,
            Status::Approved
        );
        assert_eq!(
            apply_rules(post_known(), &[h], true).status,
            Status::Pending
        );
    }
}
