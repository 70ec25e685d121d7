use std::fmt;
use std::str::FromStr;

use super::UnknownValue;

/// The queues moderators work through.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize, utoipa::ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum QueueTab {
    /// Everything waiting for a decision.
    #[default]
    Pending,
    /// Published comments readers reported, waiting for keep or reject.
    Reported,
    /// Pending comments that were edited.
    Edited,
    /// Published comments, newest first.
    Approved,
    /// Rejected comments, newest first.
    Rejected,
}

impl QueueTab {
    pub const ALL: [QueueTab; 5] = [
        QueueTab::Pending,
        QueueTab::Reported,
        QueueTab::Edited,
        QueueTab::Approved,
        QueueTab::Rejected,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            QueueTab::Pending => "pending",
            QueueTab::Reported => "reported",
            QueueTab::Edited => "edited",
            QueueTab::Approved => "approved",
            QueueTab::Rejected => "rejected",
        }
    }

    pub fn title(self) -> &'static str {
        match self {
            QueueTab::Pending => "Pending",
            QueueTab::Reported => "Reported",
            QueueTab::Edited => "Edited",
            QueueTab::Approved => "Approved",
            QueueTab::Rejected => "Rejected",
        }
    }

    /// Whether the tab lists comments waiting for a decision, in priority
    /// order; the others list by time only.
    pub fn is_waiting(self) -> bool {
        matches!(self, QueueTab::Pending | QueueTab::Edited)
    }
}

impl fmt::Display for QueueTab {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for QueueTab {
    type Err = UnknownValue;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        QueueTab::ALL
            .into_iter()
            .find(|t| t.as_str() == s)
            .ok_or_else(|| UnknownValue {
                kind: "queue",
                value: s.to_owned(),
            })
    }
}
