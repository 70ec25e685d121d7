//! Read models: comments as API clients and moderators see them, assembled
//! from several tables.

mod comment_view;
mod highlight;

pub use comment_view::{
    AuthorSummary, CommentView, DecisionView, GuidelineRef, ScoreView, load_comment, load_comments,
    split_scores,
};
pub use highlight::{Mark, Segment, highlight};
