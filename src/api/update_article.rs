use actix_web::{HttpResponse, web};

use super::dto::{ArticleResource, UpdateArticleRequest};
use super::extract::{JsonBody, SiteAuth};
use super::{AppState, parse};
use crate::articles;
use crate::error::AppError;

/// `PUT /api/v1/articles/{id}`: change policy, title or url.
#[utoipa::path(
    put, path = "/api/v1/articles/{id}", tag = "articles",
    security(("site_key" = [])),
    params(("id" = String, Path, description = "The site's article id; `/` as `%2F`")),
    request_body = super::dto::UpdateArticleRequest,
    responses((status = 200, description = "The article after the change", body = super::dto::ArticleResource))
)]
pub async fn update_article(
    state: web::Data<AppState>,
    SiteAuth(site): SiteAuth,
    path: web::Path<String>,
    body: JsonBody<UpdateArticleRequest>,
) -> Result<HttpResponse, AppError> {
    let id = parse::path_id(&path)?;
    let change = parse::article_change(body.value)?;
    let view = articles::update_article(&state.db, &state.ids, &site, id, change).await?;
    Ok(HttpResponse::Ok().json(ArticleResource::from(view)))
}
