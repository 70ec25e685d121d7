//! Every route of the moderator UI, in one place.

use actix_web::web;

use super::page_error::PageError;
use super::session::wants_json;
use super::{
    add_author_note, assets, audit_pages, change_password::change_password, classifier_pages,
    decide_comment::decide_comment, decide_many::decide_many, insights_page, lease_comment,
    live_events::live_events, log_in::log_in, log_out::log_out, moderator_pages,
    queue_count::queue_count, rule_pages, save_queue, set_article_policy, show_articles,
    show_card::show_card, show_comment, show_login::show_login, show_password::show_password,
    show_queue::show_queue, site_pages, webhook_pages,
};
use crate::error::AppError;

pub fn configure(cfg: &mut web::ServiceConfig) {
    // Forms come from modq's own pages, so a malformed one is a bad request.
    cfg.app_data(
        web::FormConfig::default()
            .limit(64 * 1024)
            .error_handler(|err, req| {
                let error = AppError::BadRequest {
                    code: "bad_form",
                    message: format!("the form could not be read: {err}"),
                };
                PageError::new(error, wants_json(req)).into()
            }),
    )
    .route("/", web::get().to(show_queue))
    .route("/login", web::get().to(show_login))
    .route("/login", web::post().to(log_in))
    .route("/logout", web::post().to(log_out))
    .route("/account/password", web::get().to(show_password))
    .route("/account/password", web::post().to(change_password))
    .route("/comments/{id}/decision", web::post().to(decide_comment))
    .route("/comments/{id}", web::get().to(show_comment::show_comment))
    .route(
        "/authors/{id}/notes",
        web::post().to(add_author_note::add_author_note),
    )
    .route("/articles", web::get().to(show_articles::show_articles))
    .route(
        "/articles/{id}/policy",
        web::post().to(set_article_policy::set_article_policy),
    )
    .route("/rules", web::get().to(rule_pages::show_rules))
    .route("/rules/new", web::get().to(rule_pages::new_rule))
    .route("/rules/editor", web::post().to(rule_pages::submit_rule))
    .route("/rules/{id}", web::get().to(rule_pages::edit_rule))
    .route(
        "/rules/{id}/mode",
        web::post().to(rule_pages::set_rule_mode),
    )
    .route("/sites", web::get().to(site_pages::first_site))
    .route("/sites/{name}", web::get().to(site_pages::show_site))
    .route("/sites/{name}", web::post().to(site_pages::update_site))
    .route("/sites/{name}/key", web::post().to(site_pages::rotate_key))
    .route(
        "/sites/{name}/classifier",
        web::get().to(classifier_pages::show_classifier),
    )
    .route(
        "/sites/{name}/classifier",
        web::post().to(classifier_pages::save_classifier),
    )
    .route(
        "/sites/{name}/classifier/train",
        web::post().to(classifier_pages::train_now),
    )
    .route(
        "/sites/{name}/webhooks",
        web::get().to(webhook_pages::show_webhooks),
    )
    .route(
        "/sites/{name}/webhooks",
        web::post().to(webhook_pages::add_webhook),
    )
    .route(
        "/sites/{name}/webhooks/{id}",
        web::get().to(webhook_pages::show_deliveries),
    )
    .route(
        "/sites/{name}/webhooks/{id}/delete",
        web::post().to(webhook_pages::remove_webhook),
    )
    .route(
        "/sites/{name}/webhooks/{id}/deliveries/{delivery}/redeliver",
        web::post().to(webhook_pages::redeliver),
    )
    .route(
        "/sites/{name}/queue-alert",
        web::post().to(webhook_pages::save_queue_alert),
    )
    .route("/audit", web::get().to(audit_pages::show_audit))
    .route("/insights", web::get().to(insights_page::show_insights))
    .route("/audit.csv", web::get().to(audit_pages::export_audit))
    .route(
        "/export/{file}",
        web::get().to(audit_pages::download_export),
    )
    .route(
        "/audit/changes.csv",
        web::get().to(audit_pages::export_changes),
    )
    .route(
        "/moderators",
        web::get().to(moderator_pages::show_moderators),
    )
    .route(
        "/moderators",
        web::post().to(moderator_pages::create_moderator),
    )
    .route(
        "/moderators/{id}",
        web::post().to(moderator_pages::update_moderator),
    )
    .route(
        "/moderators/{id}/token",
        web::post().to(moderator_pages::create_token),
    )
    .route(
        "/moderators/{id}/tokens/{token}/revoke",
        web::post().to(moderator_pages::revoke_token),
    )
    .route("/decisions", web::post().to(decide_many))
    .route("/queues", web::post().to(save_queue::save_queue))
    .route(
        "/queues/{id}/delete",
        web::post().to(save_queue::delete_saved_queue),
    )
    .route(
        "/comments/{id}/lease",
        web::post().to(lease_comment::take_lease),
    )
    .route(
        "/comments/{id}/lease",
        web::delete().to(lease_comment::release_lease),
    )
    .route("/comments/{id}/card", web::get().to(show_card))
    .route("/queue/count", web::get().to(queue_count))
    .route("/events", web::get().to(live_events))
    .route("/static/modq.css", web::get().to(assets::stylesheet))
    .route("/static/modq.js", web::get().to(assets::script));
}
