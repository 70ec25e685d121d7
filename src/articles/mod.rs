//! Articles as a site manages them: policy, title, url, and the published
//! comments under each.

mod article_settings;
mod list_article_comments;

pub use article_settings::{ArticleChange, ArticleView, get_article, update_article};
pub use list_article_comments::{ArticleCommentsPage, list_article_comments};
