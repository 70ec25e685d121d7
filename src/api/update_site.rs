use actix_web::{HttpResponse, web};

use super::dto::UpdateSiteRequest;
use super::extract::{JsonBody, SiteAuth};
use super::get_site::site_resource;
use super::{AppState, parse};
use crate::error::AppError;
use crate::sites;

/// `PUT /api/v1/site`: change the default policy, guidelines or hold.
#[utoipa::path(
    put, path = "/api/v1/site", tag = "site",
    security(("site_key" = [])),
    request_body = super::dto::UpdateSiteRequest,
    responses((status = 200, description = "The settings after the change", body = super::dto::SiteResource))
)]
pub async fn update_site(
    state: web::Data<AppState>,
    SiteAuth(site): SiteAuth,
    body: JsonBody<UpdateSiteRequest>,
) -> Result<HttpResponse, AppError> {
    let change = parse::site_change(body.value)?;
    let updated = sites::update_site_settings(&state.db, &site, change, &site.actor()).await?;
    state.credentials.forget_site(site.id);
    Ok(HttpResponse::Ok().json(site_resource(updated)))
}
