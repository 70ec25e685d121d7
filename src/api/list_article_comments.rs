use actix_web::{HttpResponse, web};
use serde::Deserialize;

use super::dto::{ArticleComments, CommentList, CommentResource, CommentTreeResource};
use super::extract::SiteAuth;
use super::{AppState, parse};
use crate::articles;
use crate::domain::Status;
use crate::error::AppError;

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ListParams {
    /// `approved` by default.
    #[param(value_type = Option<crate::domain::Status>)]
    status: Option<String>,
    /// Page size, 1 to `limits.max_page_size` (200 by default).
    #[param(minimum = 1, maximum = 200)]
    limit: Option<i64>,
    /// `next_cursor` from the previous page.
    #[param(pattern = "^[0-9]{1,18}$")]
    cursor: Option<String>,
    /// `flat` (the default): a page of comments; `tree`: every approved
    /// comment as a tree of replies, with placeholders for parents readers
    /// may not see (needs `status` approved or left out, and no `cursor`).
    #[param(pattern = "^(flat|tree)$")]
    thread: Option<String>,
}

/// `GET /api/v1/articles/{id}/comments`: an article's comments in one status
/// (default `approved`), oldest first, with keyset pagination; or, with
/// `thread=tree`, its approved comments as a tree.
#[utoipa::path(
    get, path = "/api/v1/articles/{id}/comments", tag = "articles",
    security(("site_key" = [])),
    params(("id" = String, Path, description = "The site's article id; `/` as `%2F`"), ListParams),
    responses((status = 200, description = "One page, oldest first; with `thread=tree`, the tree", body = super::dto::ArticleComments))
)]
pub async fn list_article_comments(
    state: web::Data<AppState>,
    SiteAuth(site): SiteAuth,
    path: web::Path<String>,
    params: web::Query<ListParams>,
) -> Result<HttpResponse, AppError> {
    let params = params.into_inner();
    match params.thread.as_deref() {
        None | Some("flat") => {}
        Some("tree") => return tree(&state, &site, &path, &params).await,
        Some(_) => return Err(AppError::validation("thread", "must be flat or tree")),
    }
    let status = match params.status.as_deref() {
        None => Status::Approved,
        Some(raw) => parse::status(raw)?,
    };
    let after = params
        .cursor
        .map(|c| {
            c.parse::<i64>().map_err(|_| AppError::Unprocessable {
                code: "invalid_cursor",
                message: "cursor: not a cursor this endpoint returned".to_owned(),
            })
        })
        .transpose()?;
    let limit = parse::limit(params.limit, &state.limits)?;
    let page = articles::list_article_comments(
        &state.db,
        &site,
        parse::path_id(&path)?,
        status,
        limit,
        after,
    )
    .await?;
    Ok(HttpResponse::Ok().json(ArticleComments::Page(CommentList {
        items: page.items.iter().map(CommentResource::from).collect(),
        next_cursor: page.next_cursor.map(|c| c.to_string()),
    })))
}

async fn tree(
    state: &AppState,
    site: &crate::accounts::SiteContext,
    path: &str,
    params: &ListParams,
) -> Result<HttpResponse, AppError> {
    if params.status.as_deref().is_some_and(|s| s != "approved") {
        return Err(AppError::validation(
            "status",
            "thread=tree lists approved comments only",
        ));
    }
    if params.cursor.is_some() {
        return Err(AppError::validation(
            "cursor",
            "thread=tree returns the whole tree; it takes no cursor",
        ));
    }
    let tree = articles::comment_tree(&state.db, site, parse::path_id(path)?).await?;
    Ok(
        HttpResponse::Ok().json(ArticleComments::Tree(CommentTreeResource {
            roots: tree.roots.into_iter().map(Into::into).collect(),
            truncated: tree.truncated,
        })),
    )
}
