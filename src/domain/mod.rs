//! Pure domain types. Everything here is parsed at the edge and cannot hold an
//! invalid value afterwards; nothing here knows about HTTP or SQL.

mod attribute;
mod classifier_settings;
mod comment_body;
mod decision;
mod guidelines;
mod ids;
mod policy;
mod published_settings;
mod queue_tab;
mod reason;
mod report_reason;
mod role;
mod status;
mod text_field;

pub use attribute::Attribute;
pub use classifier_settings::{
    Band, BandAction, ClassifierSettings, ClassifierSettingsError, ExternalScorer, FailMode,
    default_learn_from,
};
pub use comment_body::{CommentBody, CommentBodyError};
pub use decision::{Action, Decision};
pub use guidelines::{Guideline, Guidelines, GuidelinesError};
pub use ids::{
    ArticleId, AuthorId, CommentId, IdGenerator, ModeratorId, SiteId, id_floor_secs_ago,
};
pub use policy::Policy;
pub use published_settings::{
    EditSettings, PublishedSettings, PublishedSettingsError, ReportSettings, ThreadSettings,
};
pub use queue_tab::QueueTab;
pub use reason::{Reason, ReasonSource, RuleRef, ScoreRef, Span};
pub use report_reason::{ReportReason, ReportStatus};
pub use role::Role;
pub use status::{Status, TransitionError};
pub use text_field::{TextField, TextFieldError};

/// A value that was stored under a name this build does not know, for example
/// after a downgrade. Surfaces as an internal error, never as a panic.
#[derive(Debug, thiserror::Error)]
#[error("unknown {kind} value {value:?}")]
pub struct UnknownValue {
    pub kind: &'static str,
    pub value: String,
}
