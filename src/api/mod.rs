//! `/api/v1`: the JSON API for sites and moderators. The only module besides
//! `web` that knows actix-web.

mod backtest_rule;
mod comment_history;
mod comment_revisions;
mod create_rule;
mod decide_comment;
mod decide_many;
mod delete_rule;
pub mod dto;
mod edit_comment;
pub(crate) mod error_response;
mod extract;
mod get_article;
mod get_comment;
mod get_insights;
mod get_rule;
mod get_site;
mod health;
mod list_article_comments;
mod list_queue;
mod list_rules;
mod metrics;
mod openapi;
pub(crate) mod parse;
#[cfg(test)]
mod parse_fuzz;
mod release_lease;
mod report_comment;
mod request_id;
pub mod routes;
pub(crate) mod rule_dto;
mod rule_versions;
pub mod server;
mod submit_comment;
mod take_lease;
mod test_rule;
mod update_article;
mod update_rule;
mod update_site;
mod webhooks;
mod withdraw_comment;

use std::sync::Arc;

use crate::accounts::CredentialCache;
use crate::config::LimitSettings;
use crate::domain::IdGenerator;
use crate::rulebook::Rulebook;
use crate::storage::Database;

/// What every handler can reach.
pub struct AppState {
    pub db: Database,
    pub ids: Arc<IdGenerator>,
    pub limits: LimitSettings,
    pub credentials: CredentialCache,
    pub rulebook: Arc<Rulebook>,
    /// The built-in classifier's models per site.
    pub models: Arc<crate::scoring::ModelBook>,
    /// The threads that run the built-in models.
    pub scorers: Arc<crate::scoring::ScoringPool>,
    /// The transformer's second opinion (`ml-candle` builds that set
    /// `classifier.transformer_dir`).
    pub second_opinion: Option<Arc<crate::scoring::SecondOpinion>>,
    /// Submit rate limits.
    pub rate_limits: crate::intake::RateLimiter,
    /// Report rate limits.
    pub report_limits: crate::intake::RateLimiter,
    /// The bearer token `GET /metrics` asks for, if any.
    pub metrics_token: Option<String>,
    /// How long a web UI session lasts.
    pub session_ttl: std::time::Duration,
    /// How long a moderator's lease on a comment lasts.
    pub lease_ttl: std::time::Duration,
    /// Queue changes from every instance, for the UI's live updates.
    pub live: Arc<crate::moderation::LiveFeed>,
    /// How the insight figures are kept and read.
    pub insights: crate::insights::InsightsConfig,
}

impl AppState {
    /// The site's classifier scores for a comment's text (or `Off`).
    pub(crate) async fn score(
        &self,
        site: &crate::accounts::SiteContext,
        comment: crate::scoring::CommentToScore,
    ) -> crate::intake::Scoring {
        crate::scoring::score_comment(
            crate::scoring::Scorers {
                pool: &self.scorers,
                book: &self.models,
                second_opinion: self.second_opinion.as_deref(),
            },
            &site.classifier,
            site.id,
            comment,
        )
        .await
    }
}
