//! Read models: comments as API clients and moderators see them, assembled
//! from several tables.

mod comment_view;

pub use comment_view::{
    AuthorSummary, CommentView, DecisionView, GuidelineRef, load_comment, load_comments,
};
