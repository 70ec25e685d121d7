use std::collections::HashMap;

use crate::accounts::ModeratorContext;
use crate::domain::{ArticleId, Policy, SiteId};
use crate::error::AppError;
use crate::storage::{self, Database, articles::ArticleChanges};

use super::article_settings::{ArticleView, view};

/// An article as the moderators' article list shows it.
#[derive(Debug, Clone)]
pub struct ArticleListItem {
    pub article: ArticleView,
    pub site: String,
    pub site_default: Policy,
    pub pending: i64,
}

/// Articles shown per search.
pub const ARTICLE_PAGE: i64 = 100;

/// Articles of the moderator's sites whose title or id contains `text`.
pub async fn search_articles(
    db: &Database,
    moderator: &ModeratorContext,
    text: Option<String>,
) -> Result<Vec<ArticleListItem>, AppError> {
    let filter = moderator.site_filter();
    db.read(move |conn| {
        let rows =
            storage::articles::search(conn, filter.as_deref(), text.as_deref(), ARTICLE_PAGE)?;
        let ids: Vec<i64> = rows.iter().map(|(row, _, _)| row.id).collect();
        let pending: HashMap<i64, i64> = storage::articles::pending_counts(conn, &ids)?
            .into_iter()
            .collect();
        rows.into_iter()
            .map(|(row, site, default_policy)| {
                let count = pending.get(&row.id).copied().unwrap_or(0);
                let site_default: Policy = default_policy.parse()?;
                Ok(ArticleListItem {
                    article: view(row, site_default)?,
                    site,
                    site_default,
                    pending: count,
                })
            })
            .collect()
    })
    .await
}

/// Sets an article's own policy (`None`: follow the site default), for a
/// moderator of its site.
#[tracing::instrument(skip(db, moderator), fields(moderator = %moderator.id))]
pub async fn set_article_policy(
    db: &Database,
    moderator: &ModeratorContext,
    id: ArticleId,
    policy: Option<Policy>,
) -> Result<(), AppError> {
    let moderator = moderator.clone();
    db.write(move |conn| {
        let row = storage::articles::find(conn, id.0)?
            .filter(|a| moderator.can_access(SiteId(a.site_id)))
            .ok_or(AppError::NotFound("article"))?;
        storage::articles::update(
            conn,
            row.id,
            &ArticleChanges {
                url: None,
                title: None,
                policy: Some(policy.map(Policy::as_str)),
                updated_at: storage::now(),
            },
        )?;
        let detail = format!("policy={}", policy.map_or("site default", Policy::as_str));
        storage::config_changes::note(
            conn,
            Some(row.site_id),
            &moderator.actor(),
            "article.policy",
            &row.external_id,
            &detail,
        )?;
        Ok(())
    })
    .await
}
