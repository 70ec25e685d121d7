use std::fmt;
use std::str::FromStr;

use super::{Action, UnknownValue};

/// Where a comment stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, utoipa::ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    Pending,
    Approved,
    Rejected,
    Withdrawn,
}

/// A decision that does not apply to the comment's current status.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum TransitionError {
    #[error("the comment has already been decided")]
    AlreadyDecided,
    #[error("the comment is pending; there is nothing to reopen")]
    NotDecided,
    #[error("the comment was withdrawn by the site")]
    Withdrawn,
    #[error("the comment is not in the Reported queue; there are no reports to dismiss")]
    NotReported,
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Pending => "pending",
            Status::Approved => "approved",
            Status::Rejected => "rejected",
            Status::Withdrawn => "withdrawn",
        }
    }

    /// The status a moderator action leads to, if the action applies.
    /// A published comment in the Reported queue (`in_review`) can be kept
    /// or rejected; otherwise a decided comment must be reopened first.
    pub fn after(self, action: Action, in_review: bool) -> Result<Status, TransitionError> {
        match (self, action) {
            (Status::Withdrawn, _) => Err(TransitionError::Withdrawn),
            (Status::Approved, Action::Keep | Action::Reject) if in_review => Ok(match action {
                Action::Keep => Status::Approved,
                _ => Status::Rejected,
            }),
            (_, Action::Keep) => Err(TransitionError::NotReported),
            (Status::Pending, Action::Approve) => Ok(Status::Approved),
            (Status::Pending, Action::Reject) => Ok(Status::Rejected),
            (Status::Pending, Action::Reopen) => Err(TransitionError::NotDecided),
            (Status::Approved | Status::Rejected, Action::Reopen) => Ok(Status::Pending),
            (Status::Approved | Status::Rejected, Action::Approve | Action::Reject) => {
                Err(TransitionError::AlreadyDecided)
            }
        }
    }

    /// Whether a site may withdraw a comment in this status.
    pub fn can_withdraw(self) -> bool {
        self != Status::Withdrawn
    }
}

impl fmt::Display for Status {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Status {
    type Err = UnknownValue;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "pending" => Ok(Status::Pending),
            "approved" => Ok(Status::Approved),
            "rejected" => Ok(Status::Rejected),
            "withdrawn" => Ok(Status::Withdrawn),
            other => Err(UnknownValue {
                kind: "status",
                value: other.to_owned(),
            }),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn transitions() {
        use Action::*;
        use Status::*;
        assert_eq!(Pending.after(Approve, false), Ok(Approved));
        assert_eq!(Pending.after(Reject, false), Ok(Rejected));
        assert_eq!(
            Pending.after(Reopen, false),
            Err(TransitionError::NotDecided)
        );
        assert_eq!(Approved.after(Reopen, false), Ok(Pending));
        assert_eq!(Rejected.after(Reopen, false), Ok(Pending));
        assert_eq!(
            Approved.after(Reject, false),
            Err(TransitionError::AlreadyDecided)
        );
        assert_eq!(
            Rejected.after(Approve, false),
            Err(TransitionError::AlreadyDecided)
        );
        for action in [Approve, Reject, Reopen, Keep] {
            assert_eq!(
                Withdrawn.after(action, true),
                Err(TransitionError::Withdrawn)
            );
        }
        assert!(!Withdrawn.can_withdraw());
        assert!(Approved.can_withdraw());
    }

    #[test]
    fn reported_comments_are_kept_or_rejected() {
        use Action::*;
        use Status::*;
        assert_eq!(Approved.after(Keep, true), Ok(Approved));
        assert_eq!(Approved.after(Reject, true), Ok(Rejected));
        assert_eq!(Approved.after(Reopen, true), Ok(Pending));
        assert_eq!(
            Approved.after(Approve, true),
            Err(TransitionError::AlreadyDecided)
        );
        assert_eq!(
            Approved.after(Keep, false),
            Err(TransitionError::NotReported)
        );
        assert_eq!(Pending.after(Keep, true), Err(TransitionError::NotReported));
    }
}
