use std::fmt;
use std::str::FromStr;

use super::UnknownValue;

/// An article's comment policy.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize, utoipa::ToSchema,
)]
#[serde(rename_all = "lowercase")]
pub enum Policy {
    /// Every comment waits for a moderator.
    Pre,
    /// Comments are published unless a reason holds them.
    Post,
    /// No new comments are accepted.
    Closed,
}

impl Policy {
    pub fn as_str(self) -> &'static str {
        match self {
            Policy::Pre => "pre",
            Policy::Post => "post",
            Policy::Closed => "closed",
        }
    }
}

impl fmt::Display for Policy {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Policy {
    type Err = UnknownValue;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "pre" => Ok(Policy::Pre),
            "post" => Ok(Policy::Post),
            "closed" => Ok(Policy::Closed),
            other => Err(UnknownValue {
                kind: "policy",
                value: other.to_owned(),
            }),
        }
    }
}
