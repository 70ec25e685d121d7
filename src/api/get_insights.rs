use actix_web::{HttpResponse, web};
use serde::Deserialize;

use super::AppState;
use super::extract::ModeratorAuth;
use crate::error::AppError;
use crate::insights::{self, InsightsRequest};

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct InsightsParams {
    /// A site's name; every site of the moderator's when left out.
    site: Option<String>,
    /// `day`, `week`, `month` (the default) or `year`, ending today or at
    /// `until`.
    #[param(pattern = "^(day|week|month|year)$")]
    period: Option<String>,
    /// The first day (YYYY-MM-DD, UTC); with `until`, a custom range of at
    /// most 732 days.
    #[param(pattern = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")]
    from: Option<String>,
    /// The last day, inclusive (YYYY-MM-DD, UTC).
    #[param(pattern = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")]
    until: Option<String>,
    /// A moderator's email: only what they decided.
    moderator: Option<String>,
}

/// `GET /api/v1/insights`: the dashboard's figures. Volume by outcome and
/// the backlog over time, time in queue (p50, p90, p99 per day, the oldest
/// pending comment, the target), decisions per moderator with the ones
/// others overturned, per-rule precision, the classifier's score
/// distributions, and the busiest articles.
#[utoipa::path(
    get, path = "/api/v1/insights", tag = "moderation",
    security(("moderator_token" = [])),
    params(InsightsParams),
    responses(
        (status = 200, description = "Every figure of the dashboard", body = insights::Insights),
        (status = 404, description = "No such site for this moderator (`not_found`)", body = super::error_response::ErrorResponse),
    )
)]
pub async fn get_insights(
    state: web::Data<AppState>,
    ModeratorAuth(moderator): ModeratorAuth,
    params: web::Query<InsightsParams>,
) -> Result<HttpResponse, AppError> {
    let p = params.into_inner();
    let request = InsightsRequest::parse(
        p.site,
        p.period.as_deref(),
        p.from.as_deref(),
        p.until.as_deref(),
        p.moderator,
        crate::storage::now().date(),
    )?;
    let figures = insights::insights(&state.db, &moderator, request, &state.insights).await?;
    Ok(HttpResponse::Ok().json(figures))
}
