use actix_web::{HttpResponse, web};

use super::dto::ArticleResource;
use super::extract::SiteAuth;
use super::{AppState, parse};
use crate::articles;
use crate::error::AppError;

/// `GET /api/v1/articles/{id}`: an article's policy, title and url.
#[utoipa::path(
    get, path = "/api/v1/articles/{id}", tag = "articles",
    security(("site_key" = [])),
    params(("id" = String, Path, description = "The site's article id; `/` as `%2F`")),
    responses((status = 200, description = "The article", body = super::dto::ArticleResource))
)]
pub async fn get_article(
    state: web::Data<AppState>,
    SiteAuth(site): SiteAuth,
    path: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let view = articles::get_article(&state.db, &site, parse::path_id(&path)?).await?;
    Ok(HttpResponse::Ok().json(ArticleResource::from(view)))
}
