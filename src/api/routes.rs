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
    comment_history::comment_history, decide_comment::decide_comment, decide_many::decide_many,
    get_article::get_article, get_comment::get_comment, get_site::get_site, health::liveness,
    health::readiness, list_article_comments::list_article_comments, list_queue::list_queue,
    submit_comment::submit_comment, update_article::update_article, update_site::update_site,
    withdraw_comment::withdraw_comment,
};
use super::{release_lease::release_lease, take_lease::take_lease};
use crate::error::AppError;

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
    .service(
        web::scope("/api/v1")
            .service(
                web::resource("/comments")
                    .route(web::post().to(submit_comment))
                    .default_service(web::to(method_not_allowed)),
            )
            .service(
                web::resource("/comments/{id}")
                    .route(web::get().to(get_comment))
                    .route(web::delete().to(withdraw_comment))
                    .default_service(web::to(method_not_allowed)),
            )
            .service(
                web::resource("/comments/{id}/decision")
                    .route(web::post().to(decide_comment))
                    .default_service(web::to(method_not_allowed)),
            )
            .service(
                web::resource("/comments/{id}/lease")
                    .route(web::post().to(take_lease))
                    .route(web::delete().to(release_lease))
                    .default_service(web::to(method_not_allowed)),
            )
            .service(
                web::resource("/comments/{id}/history")
                    .route(web::get().to(comment_history))
                    .default_service(web::to(method_not_allowed)),
            )
            .service(
                web::resource("/site/queue-alert")
                    .route(web::get().to(get_queue_alert))
                    .route(web::put().to(put_queue_alert))
                    .default_service(web::to(method_not_allowed)),
            )
            .service(
                web::resource("/webhooks")
                    .route(web::get().to(list_webhooks))
                    .route(web::post().to(create_webhook))
                    .default_service(web::to(method_not_allowed)),
            )
            .service(
                web::resource("/webhooks/{id}")
                    .route(web::delete().to(delete_webhook))
                    .default_service(web::to(method_not_allowed)),
            )
            .service(
                web::resource("/webhooks/{id}/deliveries")
                    .route(web::get().to(list_deliveries))
                    .default_service(web::to(method_not_allowed)),
            )
            .service(
                web::resource("/webhooks/deliveries/{id}/redeliver")
                    .route(web::post().to(redeliver))
                    .default_service(web::to(method_not_allowed)),
            )
            .service(
                web::resource("/decisions")
                    .route(web::post().to(decide_many))
                    .default_service(web::to(method_not_allowed)),
            )
            .service(
                web::resource("/queue")
                    .route(web::get().to(list_queue))
                    .default_service(web::to(method_not_allowed)),
            )
            .service(
                web::resource("/articles/{id}")
                    .route(web::get().to(get_article))
                    .route(web::put().to(update_article))
                    .default_service(web::to(method_not_allowed)),
            )
            .service(
                web::resource("/articles/{id}/comments")
                    .route(web::get().to(list_article_comments))
                    .default_service(web::to(method_not_allowed)),
            )
            .service(
                web::resource("/rules")
                    .route(web::get().to(list_rules))
                    .route(web::post().to(create_rule))
                    .default_service(web::to(method_not_allowed)),
            )
            .service(
                web::resource("/rules/test")
                    .route(web::post().to(test_rule))
                    .default_service(web::to(method_not_allowed)),
            )
            .service(
                web::resource("/rules/backtest")
                    .route(web::post().to(backtest_rule))
                    .default_service(web::to(method_not_allowed)),
            )
            .service(
                web::resource("/rules/{id}")
                    .route(web::get().to(get_rule))
                    .route(web::put().to(update_rule))
                    .route(web::delete().to(delete_rule))
                    .default_service(web::to(method_not_allowed)),
            )
            .service(
                web::resource("/rules/{id}/versions")
                    .route(web::get().to(rule_versions))
                    .default_service(web::to(method_not_allowed)),
            )
            .service(
                web::resource("/site")
                    .route(web::get().to(get_site))
                    .route(web::put().to(update_site))
                    .default_service(web::to(method_not_allowed)),
            ),
    )
    .default_service(web::to(not_found));
}

async fn not_found() -> Result<HttpResponse, AppError> {
    Err(AppError::NotFound("route"))
}

async fn method_not_allowed(req: HttpRequest) -> HttpResponse {
    HttpResponse::MethodNotAllowed().json(serde_json::json!({
        "error": {
            "code": "method_not_allowed",
            "message": format!("{} is not supported on {}", req.method(), req.path()),
        }
    }))
}
