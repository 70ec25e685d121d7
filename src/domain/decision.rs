use std::str::FromStr;

use super::{Status, TextField, UnknownValue};

/// What a moderator does to a comment.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, utoipa::ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum Action {
    Approve,
    Reject,
    Reopen,
    /// Dismiss the reports on a published comment and leave it published.
    Keep,
}

impl Action {
    pub fn as_str(self) -> &'static str {
        match self {
            Action::Approve => "approve",
            Action::Reject => "reject",
            Action::Reopen => "reopen",
            Action::Keep => "keep",
        }
    }
}

impl FromStr for Action {
    type Err = UnknownValue;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "approve" => Ok(Action::Approve),
            "reject" => Ok(Action::Reject),
            "reopen" => Ok(Action::Reopen),
            "keep" => Ok(Action::Keep),
            other => Err(UnknownValue {
                kind: "action",
                value: other.to_owned(),
            }),
        }
    }
}

/// A parsed moderator decision on one comment. The reason code is checked
/// against the site's guidelines by the moderation service, which knows the site.
#[derive(Debug, Clone)]
pub struct Decision {
    pub action: Action,
    pub reason: Option<TextField>,
    pub note: Option<TextField>,
    /// The comment version the moderator saw; `None` only in bulk decisions,
    /// where the pending status alone guards against double decisions.
    pub expected_version: Option<i64>,
}

impl Decision {
    /// The status the decision leads to; `in_review` says whether the
    /// comment waits in the Reported queue.
    pub fn target_status(
        &self,
        current: Status,
        in_review: bool,
    ) -> Result<Status, super::TransitionError> {
        current.after(self.action, in_review)
    }
}
