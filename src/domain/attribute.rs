use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

/// What a classifier score measures.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Hash,
    PartialOrd,
    Ord,
    Serialize,
    Deserialize,
    utoipa::ToSchema,
)]
#[serde(rename_all = "lowercase")]
pub enum Attribute {
    Spam,
    Offensive,
}

impl Attribute {
    pub const ALL: [Attribute; 2] = [Attribute::Spam, Attribute::Offensive];

    pub fn as_str(self) -> &'static str {
        match self {
            Attribute::Spam => "spam",
            Attribute::Offensive => "offensive",
        }
    }
}

impl fmt::Display for Attribute {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Attribute {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "spam" => Ok(Attribute::Spam),
            "offensive" => Ok(Attribute::Offensive),
            other => Err(format!("unknown attribute {other:?}: spam or offensive")),
        }
    }
}
