use actix_web::{HttpResponse, web};

use super::AppState;
use super::dto::SiteResource;
use super::extract::SiteAuth;
use crate::accounts::SiteContext;
use crate::error::AppError;
use crate::sites;

/// `GET /api/v1/site`: the calling site's default policy, guidelines and
/// new-author hold.
#[utoipa::path(
    get, path = "/api/v1/site", tag = "site",
    security(("site_key" = [])),
    responses((status = 200, description = "The calling site's settings", body = super::dto::SiteResource))
)]
pub async fn get_site(
    state: web::Data<AppState>,
    SiteAuth(site): SiteAuth,
) -> Result<HttpResponse, AppError> {
    let current = sites::get_site_settings(&state.db, site.id).await?;
    Ok(HttpResponse::Ok().json(site_resource(current)))
}

pub(super) fn site_resource(site: SiteContext) -> SiteResource {
    SiteResource {
        name: site.name,
        default_policy: site.default_policy.as_str(),
        guidelines: site.guidelines.items().to_vec(),
        new_author_hold: site.new_author_hold,
        classifier: site.classifier,
        edits: site.published.edits,
        reports: site.published.reports,
        threads: site.published.threads,
    }
}
