use crate::domain::{Policy, Reason, Status};

/// What the article policy makes of a new comment.
#[derive(Debug, Clone, PartialEq)]
pub struct Verdict {
    pub status: Status,
    pub reasons: Vec<Reason>,
    pub priority: i32,
}

/// Applies the article policy and the new-author hold. `approved_count` is
/// how many of the author's comments were approved so far; an author counts
/// as new until `new_author_hold` of them were, which also keeps a spammer
/// who floods the queue held.
///
/// Returns `None` for a closed article: the comment must not be stored.
pub fn check_policy(policy: Policy, approved_count: i32, new_author_hold: i32) -> Option<Verdict> {
    let mut reasons = Vec::new();
    let mut priority = 0;
    match policy {
        Policy::Closed => return None,
        Policy::Pre => reasons.push(Reason::policy(
            "pre_moderated",
            "The article is pre-moderated: every comment waits for a moderator.".to_owned(),
        )),
        Policy::Post => {}
    }
    if approved_count < new_author_hold {
        // New authors are where spam comes from: look at them first.
        priority += 10;
        reasons.push(Reason::policy(
            "new_author",
            format!(
                "The author has {approved_count} approved comment(s); the site holds authors \
                 until {new_author_hold} are approved."
            ),
        ));
    }
    let status = if reasons.is_empty() {
        Status::Approved
    } else {
        Status::Pending
    };
    Some(Verdict {
        status,
        reasons,
        priority,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn codes(v: &Verdict) -> Vec<&str> {
        v.reasons.iter().map(|r| r.code.as_str()).collect()
    }

    #[test]
    fn closed_accepts_nothing() {
        assert_eq!(check_policy(Policy::Closed, 100, 0), None);
    }

    #[test]
    fn pre_holds_everything() {
        let v = check_policy(Policy::Pre, 50, 1).expect("verdict");
        assert_eq!(v.status, Status::Pending);
        assert_eq!(codes(&v), ["pre_moderated"]);
    }

    #[test]
    fn post_publishes_known_authors_and_holds_new_ones() {
        let known = check_policy(Policy::Post, 1, 1).expect("verdict");
        assert_eq!(known.status, Status::Approved);
        assert!(known.reasons.is_empty());
        let new = check_policy(Policy::Post, 0, 1).expect("verdict");
        assert_eq!(new.status, Status::Pending);
        assert_eq!(codes(&new), ["new_author"]);
        assert!(new.priority > known.priority);
        let no_hold = check_policy(Policy::Post, 0, 0).expect("verdict");
        assert_eq!(no_hold.status, Status::Approved);
    }
}
