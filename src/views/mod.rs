//! Read models: comments as API clients and moderators see them, assembled
//! from several tables.

mod body_diff;
mod comment_resource;
mod comment_view;
mod highlight;

pub use body_diff::{DiffChange, DiffPart, body_diff};
pub use comment_resource::{
    ArticleSummary, AuthorResource, CommentResource, CommentScoreResource, DecisionResource,
    ReasonRef, ReasonResource, ReportsResource, RuleRefResource, ScoreResource, SpanResource,
    timestamp,
};
pub use comment_view::{
    AuthorSummary, CommentView, DecisionView, GuidelineRef, ReportState, ScoreView, load_comment,
    load_comments, split_scores, view_from_rows,
};
pub use highlight::{Mark, Segment, highlight};
