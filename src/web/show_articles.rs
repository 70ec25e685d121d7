use actix_web::{HttpResponse, web};
use serde::Deserialize;

use super::assets;
use super::nav::nav;
use super::page_error::PageError;
use super::session::CurrentSession;
use super::templates::{ArticleLine, ArticlesPage, render};
use crate::api::AppState;
use crate::articles;
use crate::moderation;

#[derive(Deserialize)]
pub struct ArticleQuery {
    #[serde(default)]
    q: String,
}

/// `GET /articles`: the moderator's articles, searchable by title or id,
/// with their policy and pending count.
pub async fn show_articles(
    state: web::Data<AppState>,
    CurrentSession(session): CurrentSession,
    query: web::Query<ArticleQuery>,
) -> Result<HttpResponse, PageError> {
    let q = query.into_inner().q.trim().to_owned();
    let text = (!q.is_empty()).then(|| q.clone());
    let found = articles::search_articles(&state.db, &session.moderator, text).await?;
    let overview = moderation::queue_overview(&state.db, &session.moderator, Vec::new()).await?;
    Ok(render(&ArticlesPage {
        assets: assets::version(),
        nav: Some(nav(&session, &overview)),
        csrf: session.csrf_token.clone(),
        q,
        articles: found
            .into_iter()
            .map(|item| ArticleLine {
                id: item.article.id.to_string(),
                external_id: item.article.external_id,
                title: item.article.title,
                site: item.site,
                site_default: item.site_default.as_str(),
                policy: item.article.policy.as_str(),
                policy_override: item.article.policy_override.map_or("", |p| p.as_str()),
                pending: item.pending,
            })
            .collect(),
        limit: articles::ARTICLE_PAGE,
    }))
}
