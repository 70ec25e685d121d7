//! Read models: comments as API clients and moderators see them, assembled
//! from several tables.

mod comment_resource;
mod comment_view;
mod highlight;

pub use comment_resource::{
    ArticleSummary, AuthorResource, CommentResource, CommentScoreResource, DecisionResource,
    ReasonRef, ReasonResource, RuleRefResource, ScoreResource, SpanResource, timestamp,
};
pub use comment_view::{
    AuthorSummary, CommentView, DecisionView, GuidelineRef, ScoreView, load_comment, load_comments,
    split_scores,
};
pub use highlight::{Mark, Segment, highlight};
