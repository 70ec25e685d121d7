use std::fmt;
use std::str::FromStr;

use super::UnknownValue;

/// Why a reader reported a comment.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ReportReason {
    Spam,
    Abuse,
    OffTopic,
    Other,
}

impl ReportReason {
    pub const ALL: [ReportReason; 4] = [
        ReportReason::Spam,
        ReportReason::Abuse,
        ReportReason::OffTopic,
        ReportReason::Other,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            ReportReason::Spam => "spam",
            ReportReason::Abuse => "abuse",
            ReportReason::OffTopic => "off_topic",
            ReportReason::Other => "other",
        }
    }

    /// As moderators read it.
    pub fn label(self) -> &'static str {
        match self {
            ReportReason::Spam => "Spam",
            ReportReason::Abuse => "Abuse",
            ReportReason::OffTopic => "Off topic",
            ReportReason::Other => "Other",
        }
    }
}

impl fmt::Display for ReportReason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for ReportReason {
    type Err = UnknownValue;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        ReportReason::ALL
            .into_iter()
            .find(|r| r.as_str() == s)
            .ok_or_else(|| UnknownValue {
                kind: "report reason",
                value: s.to_owned(),
            })
    }
}

/// Where a report stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, utoipa::ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum ReportStatus {
    /// Waiting for a moderator.
    Open,
    /// A moderator kept the comment.
    Dismissed,
    /// A moderator rejected the comment.
    Upheld,
    /// The comment was not published when reported; nothing to do.
    Void,
}

impl ReportStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            ReportStatus::Open => "open",
            ReportStatus::Dismissed => "dismissed",
            ReportStatus::Upheld => "upheld",
            ReportStatus::Void => "void",
        }
    }
}

impl FromStr for ReportStatus {
    type Err = UnknownValue;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        [
            ReportStatus::Open,
            ReportStatus::Dismissed,
            ReportStatus::Upheld,
            ReportStatus::Void,
        ]
        .into_iter()
        .find(|r| r.as_str() == s)
        .ok_or_else(|| UnknownValue {
            kind: "report status",
            value: s.to_owned(),
        })
    }
}
