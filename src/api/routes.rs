//! Every route of the JSON API, in one place.

use actix_web::{HttpRequest, HttpResponse, web};

use super::webhooks::{
    create_webhook, delete_webhook, get_queue_alert, list_deliveries, list_webhooks,
    put_queue_alert, redeliver,
};
use super::{
    backtest_rule::backtest_rule, create_rule::create_rule, delete_rule::delete_rule,
    get_rule::get_rule, list_rules::list_rules, rule_versions::rule_versions, test_rule::test_rule,
    update_rule::update_rule,
};
use super::{
    comment_history::comment_history,
    comment_revisions::comment_revisions,
    decide_comment::decide_comment,
    decide_many::decide_many,
    edit_comment::edit_comment,
    get_article::get_article,
    get_comment::get_comment,
    get_insights::get_insights,
    get_site::get_site,
    health::liveness,
    health::readiness,
    list_article_comments::list_article_comments,
    list_queue::list_queue,
    report_comment::{list_reports, report_comment},
    submit_comment::submit_comment,
    update_article::update_article,
    update_site::update_site,
    withdraw_comment::withdraw_comment,
};
use super::{release_lease::release_lease, take_lease::take_lease};
use crate::error::AppError;

/// Declares the `/api/v1` resources once: `api_v1()` serves them, with 405
/// for any other method, and `API_V1_ROUTES` lists them for the test that
/// holds the OpenAPI document to exactly this set.
macro_rules! api_v1 {
    ($($path:literal => { $($method:ident: $handler:path),+ $(,)? })+) => {
        fn api_v1() -> actix_web::Scope {
            web::scope("/api/v1")
                $(.service(
                    web::resource($path)
                        $(.route(web::$method().to($handler)))+
                        .default_service(web::to(|req: HttpRequest| {
                            method_not_allowed(req, &[$(stringify!($method)),+])
                        })),
                ))+
        }

        /// Every `/api/v1` route as (method, path under `/api/v1`).
        pub const API_V1_ROUTES: &[(&str, &str)] = &[$($((stringify!($method), $path)),+),+];
    };
}

api_v1! {
    "/comments" => { post: submit_comment }
    "/comments/{id}" => { get: get_comment, put: edit_comment, delete: withdraw_comment }
    "/comments/{id}/revisions" => { get: comment_revisions }
    "/comments/{id}/reports" => { get: list_reports, post: report_comment }
    "/comments/{id}/decision" => { post: decide_comment }
    "/comments/{id}/lease" => { post: take_lease, delete: release_lease }
    "/comments/{id}/history" => { get: comment_history }
    "/site/queue-alert" => { get: get_queue_alert, put: put_queue_alert }
    "/webhooks" => { get: list_webhooks, post: create_webhook }
    "/webhooks/{id}" => { delete: delete_webhook }
    "/webhooks/{id}/deliveries" => { get: list_deliveries }
    "/webhooks/deliveries/{id}/redeliver" => { post: redeliver }
    "/decisions" => { post: decide_many }
    "/queue" => { get: list_queue }
    "/insights" => { get: get_insights }
    "/articles/{id}" => { get: get_article, put: update_article }
    "/articles/{id}/comments" => { get: list_article_comments }
    "/rules" => { get: list_rules, post: create_rule }
    "/rules/test" => { post: test_rule }
    "/rules/backtest" => { post: backtest_rule }
    "/rules/{id}" => { get: get_rule, put: update_rule, delete: delete_rule }
    "/rules/{id}/versions" => { get: rule_versions }
    "/site" => { get: get_site, put: update_site }
}

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.app_data(
        web::QueryConfig::default()
            .error_handler(|err, _| AppError::validation("query", err).into()),
    )
    .app_data(
        web::PathConfig::default().error_handler(|_, _| AppError::NotFound("resource").into()),
    )
    .route("/metrics", web::get().to(super::metrics::metrics))
    .route("/healthz", web::get().to(liveness))
    .route("/readyz", web::get().to(readiness))
    .route("/health", web::get().to(readiness))
    .route(
        "/api/openapi.json",
        web::get().to(super::openapi::openapi_json),
    )
    .service(api_v1())
    .default_service(web::to(not_found));
}

async fn not_found() -> Result<HttpResponse, AppError> {
    Err(AppError::NotFound("route"))
}

/// 405 with the `Allow` header RFC 9110 asks for.
async fn method_not_allowed(req: HttpRequest, allowed: &[&str]) -> HttpResponse {
    let allow = allowed
        .iter()
        .map(|m| m.to_ascii_uppercase())
        .collect::<Vec<_>>()
        .join(", ");
    HttpResponse::MethodNotAllowed()
        .insert_header(("Allow", allow))
        .json(serde_json::json!({
            "error": {
                "code": "method_not_allowed",
                "message": format!("{} is not supported on {}", req.method(), req.path()),
            }
        }))
}
