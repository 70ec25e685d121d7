//! The events a site can subscribe to, and the payload formats.

use std::fmt;
use std::str::FromStr;

use crate::domain::Action;

#[derive(Debug, Clone, Copy, PartialEq, Eq, utoipa::ToSchema)]
pub enum EventType {
    #[schema(rename = "comment.created")]
    CommentCreated,
    #[schema(rename = "comment.approved")]
    CommentApproved,
    #[schema(rename = "comment.rejected")]
    CommentRejected,
    #[schema(rename = "comment.withdrawn")]
    CommentWithdrawn,
    #[schema(rename = "comment.reopened")]
    CommentReopened,
    #[schema(rename = "comment.edited")]
    CommentEdited,
    #[schema(rename = "comment.reported")]
    CommentReported,
    #[schema(rename = "report.resolved")]
    ReportResolved,
    #[schema(rename = "queue.alert")]
    QueueAlert,
}

impl EventType {
    pub const ALL: [EventType; 9] = [
        EventType::CommentCreated,
        EventType::CommentApproved,
        EventType::CommentRejected,
        EventType::CommentWithdrawn,
        EventType::CommentReopened,
        EventType::CommentEdited,
        EventType::CommentReported,
        EventType::ReportResolved,
        EventType::QueueAlert,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            EventType::CommentCreated => "comment.created",
            EventType::CommentApproved => "comment.approved",
            EventType::CommentRejected => "comment.rejected",
            EventType::CommentWithdrawn => "comment.withdrawn",
            EventType::CommentReopened => "comment.reopened",
            EventType::CommentEdited => "comment.edited",
            EventType::CommentReported => "comment.reported",
            EventType::ReportResolved => "report.resolved",
            EventType::QueueAlert => "queue.alert",
        }
    }

    /// The status event a moderator's decision makes; keeping a reported
    /// comment changes no status (it makes `report.resolved`).
    pub fn of_decision(action: Action) -> Option<Self> {
        match action {
            Action::Approve => Some(EventType::CommentApproved),
            Action::Reject => Some(EventType::CommentRejected),
            Action::Reopen => Some(EventType::CommentReopened),
            Action::Keep => None,
        }
    }
}

impl fmt::Display for EventType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for EventType {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        EventType::ALL
            .into_iter()
            .find(|e| e.as_str() == s)
            .ok_or_else(|| {
                let known: Vec<&str> = EventType::ALL.iter().map(|e| e.as_str()).collect();
                format!("unknown event {s:?}; known: {}", known.join(", "))
            })
    }
}

/// What an endpoint receives: modq's event JSON, or a Slack-compatible
/// `{"text": …}` message.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, utoipa::ToSchema)]
#[schema(rename_all = "lowercase")]
pub enum EndpointFormat {
    #[default]
    Modq,
    Slack,
}

impl EndpointFormat {
    pub fn as_str(self) -> &'static str {
        match self {
            EndpointFormat::Modq => "modq",
            EndpointFormat::Slack => "slack",
        }
    }
}

impl FromStr for EndpointFormat {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "modq" => Ok(EndpointFormat::Modq),
            "slack" => Ok(EndpointFormat::Slack),
            other => Err(format!(
                "unknown format {other:?}; use \"modq\" or \"slack\""
            )),
        }
    }
}

/// Which events an endpoint takes: stored as `*` or a comma-separated list.
pub fn wants(stored: &str, event: EventType) -> bool {
    stored == "*" || stored.split(',').any(|e| e == event.as_str())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip_and_filters_match() {
        for e in EventType::ALL {
            assert_eq!(e.as_str().parse::<EventType>(), Ok(e));
        }
        assert!("comment.deleted".parse::<EventType>().is_err());
        assert!(wants("*", EventType::QueueAlert));
        assert!(wants(
            "comment.created,comment.rejected",
            EventType::CommentRejected
        ));
        assert!(!wants(
            "comment.created,comment.rejected",
            EventType::CommentApproved
        ));
        assert!(!wants("comment.created", EventType::CommentReopened));
    }
}
