use actix_web::HttpResponse;

use super::dto::SiteResource;
use super::extract::SiteAuth;
use crate::accounts::SiteContext;
use crate::error::AppError;

/// `GET /api/v1/site`: the calling site's default policy, guidelines and
/// new-author hold.
pub async fn get_site(SiteAuth(site): SiteAuth) -> Result<HttpResponse, AppError> {
    Ok(HttpResponse::Ok().json(site_resource(site)))
}

pub(super) fn site_resource(site: SiteContext) -> SiteResource {
    SiteResource {
        name: site.name,
        default_policy: site.default_policy.as_str(),
        guidelines: site.guidelines.items().to_vec(),
        new_author_hold: site.new_author_hold,
    }
}
