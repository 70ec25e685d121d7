use chrono::NaiveDateTime;

use crate::accounts::SiteContext;
use crate::domain::{ArticleId, Policy};
use crate::error::AppError;
use crate::storage::{self, Database, articles::ArticleChanges, articles::ArticleRow};

/// An article with its effective policy.
#[derive(Debug, Clone)]
pub struct ArticleView {
    pub id: ArticleId,
    pub external_id: String,
    pub url: String,
    pub title: String,
    /// What applies now: the article's own policy or the site default.
    pub policy: Policy,
    /// The article's own policy; `None` means it follows the site default.
    pub policy_override: Option<Policy>,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

/// A partial change; `policy: Some(None)` returns to the site default.
#[derive(Debug, Clone, Default)]
pub struct ArticleChange {
    pub url: Option<String>,
    pub title: Option<String>,
    pub policy: Option<Option<Policy>>,
}

pub async fn get_article(
    db: &Database,
    site: &SiteContext,
    external_id: String,
) -> Result<ArticleView, AppError> {
    let site = site.clone();
    db.read(move |conn| {
        let row = storage::articles::find_by_external(conn, site.id.0, &external_id)?
            .ok_or(AppError::NotFound("article"))?;
        view(row, site.default_policy)
    })
    .await
}

/// Changes an article, creating it first if the site has not sent a comment
/// for it yet, so a site can close or pre-moderate an article in advance.
#[tracing::instrument(skip(db, site, change), fields(site = %site.id))]
pub async fn update_article(
    db: &Database,
    ids: &std::sync::Arc<crate::domain::IdGenerator>,
    site: &SiteContext,
    external_id: String,
    change: ArticleChange,
) -> Result<ArticleView, AppError> {
    let site = site.clone();
    let ids = ids.clone();
    db.write(move |conn| {
        let now = storage::now();
        let existing = storage::articles::find_by_external(conn, site.id.0, &external_id)?;
        let id = match existing {
            Some(row) => row.id,
            None => {
                let id = ids.next();
                storage::articles::insert(
                    conn,
                    &storage::articles::NewArticle {
                        id,
                        site_id: site.id.0,
                        external_id: &external_id,
                        url: "",
                        title: "",
                        policy: None,
                        created_at: now,
                        updated_at: now,
                    },
                )?;
                id
            }
        };
        storage::articles::update(
            conn,
            id,
            &ArticleChanges {
                url: change.url.as_deref(),
                title: change.title.as_deref(),
                policy: change.policy.map(|p| p.map(Policy::as_str)),
                updated_at: now,
            },
        )?;
        if let Some(policy) = change.policy {
            let detail = format!("policy={}", policy.map_or("site default", Policy::as_str));
            let actor = site.actor();
            storage::config_changes::note(
                conn,
                Some(site.id.0),
                &actor,
                "article.policy",
                &external_id,
                &detail,
            )?;
        }
        let row = storage::articles::find(conn, id)?.ok_or(AppError::NotFound("article"))?;
        view(row, site.default_policy)
    })
    .await
}

pub(super) fn view(row: ArticleRow, site_default: Policy) -> Result<ArticleView, AppError> {
    let policy_override: Option<Policy> = row.policy.as_deref().map(str::parse).transpose()?;
    Ok(ArticleView {
        id: ArticleId(row.id),
        external_id: row.external_id,
        url: row.url,
        title: row.title,
        policy: policy_override.unwrap_or(site_default),
        policy_override,
        created_at: row.created_at,
        updated_at: row.updated_at,
    })
}
