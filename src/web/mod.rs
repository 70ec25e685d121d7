//! The moderator web UI: server-rendered askama pages, the project's own
//! stylesheet and a small script for keyboard use, sessions kept in the
//! database, and a CSRF token on every state-changing request. Besides
//! `api`, the only module that knows actix-web.

mod add_author_note;
mod assets;
mod audit_pages;
mod change_password;
mod charts;
mod classifier_pages;
mod csrf;
mod decide_comment;
mod decide_many;
mod insights_page;
mod lease_comment;
mod live_events;
mod log_in;
mod log_out;
mod moderator_pages;
mod nav;
mod page_error;
mod queue_card;
mod queue_count;
mod queue_view;
pub mod routes;
mod rule_pages;
mod save_queue;
mod session;
mod set_article_policy;
mod show_articles;
mod show_card;
mod show_comment;
mod show_login;
mod show_password;
mod show_queue;
mod site_pages;
mod templates;
mod webhook_pages;
