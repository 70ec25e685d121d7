use crate::accounts::SiteContext;
use crate::domain::Status;
use crate::error::AppError;
use crate::storage::{self, Database};
use crate::views::{self, CommentView};

#[derive(Debug)]
pub struct ArticleCommentsPage {
    pub items: Vec<CommentView>,
    /// The id to pass as `cursor` for the next page.
    pub next_cursor: Option<i64>,
}

/// Comments of an article in one status, oldest first. The cursor is the
/// last id seen; ids only grow, so comments that arrive while a client pages
/// land after its cursor and are neither skipped nor repeated.
pub async fn list_article_comments(
    db: &Database,
    site: &SiteContext,
    external_id: String,
    status: Status,
    limit: i64,
    after: Option<i64>,
) -> Result<ArticleCommentsPage, AppError> {
    let site = site.clone();
    db.read(move |conn| {
        let article = storage::articles::find_by_external(conn, site.id.0, &external_id)?
            .ok_or(AppError::NotFound("article"))?;
        let mut rows = storage::comments::list_for_article(
            conn,
            article.id,
            status.as_str(),
            after,
            limit + 1,
        )?;
        let more = rows.len() as i64 > limit;
        rows.truncate(usize::try_from(limit).unwrap_or(0));
        let next_cursor = if more {
            rows.last().map(|r| r.id)
        } else {
            None
        };
        Ok(ArticleCommentsPage {
            items: views::load_comments(conn, rows)?,
            next_cursor,
        })
    })
    .await
}
