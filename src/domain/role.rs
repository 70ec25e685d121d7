use std::str::FromStr;

use super::UnknownValue;

/// What a moderator may touch.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    /// Every site, every action.
    Admin,
    /// Only the sites assigned to them.
    Moderator,
}

impl Role {
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Admin => "admin",
            Role::Moderator => "moderator",
        }
    }
}

impl FromStr for Role {
    type Err = UnknownValue;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "admin" => Ok(Role::Admin),
            "moderator" => Ok(Role::Moderator),
            other => Err(UnknownValue {
                kind: "role",
                value: other.to_owned(),
            }),
        }
    }
}
