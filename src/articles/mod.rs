//! Articles as a site manages them: policy, title, url, and the published
//! comments under each; and as moderators see them: a searchable list with
//! pending counts and the policy switch.

mod article_list;
mod article_settings;
mod comment_tree;
mod list_article_comments;

pub use article_list::{ARTICLE_PAGE, ArticleListItem, search_articles, set_article_policy};
pub use article_settings::{ArticleChange, ArticleView, get_article, update_article};
pub use comment_tree::{CommentTree, Shown, TREE_MAX_COMMENTS, ThreadNode, comment_tree};
pub use list_article_comments::{ArticleCommentsPage, list_article_comments};
