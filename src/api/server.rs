//! Builds the HTTP server around a database. Binding happens in `build`, so
//! callers (and tests, with port 0) learn the port before serving.

use std::net::TcpListener;
use std::sync::Arc;
use std::time::Duration;

use actix_web::dev::Server;
use actix_web::{App, HttpServer, middleware, web};

use super::{AppState, routes};
use crate::accounts::CredentialCache;
use crate::config::Settings;
use crate::domain::IdGenerator;
use crate::intake;
use crate::rulebook::Rulebook;
use crate::storage::Database;

pub struct Application {
    port: u16,
    server: Server,
    db: Database,
    rulebook: Arc<Rulebook>,
    /// Background jobs hold only a weak reference to this and stop once the
    /// application is gone.
    _jobs_anchor: Arc<Database>,
}

/// Headers on every response. The policy allows only modq's own script and
/// stylesheet: no inline script, nothing from elsewhere, no framing.
fn security_headers() -> middleware::DefaultHeaders {
    middleware::DefaultHeaders::new()
        .add((
            "Content-Security-Policy",
            "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; \
             connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'",
        ))
        .add(("X-Content-Type-Options", "nosniff"))
        .add(("Referrer-Policy", "same-origin"))
        .add(("X-Frame-Options", "DENY"))
}

impl Application {
    /// Binds `settings.server.bind` and prepares the server on an already
    /// migrated database.
    pub fn build(
        settings: &Settings,
        db: Database,
        ids: Arc<IdGenerator>,
    ) -> std::io::Result<Self> {
        let rulebook = Rulebook::load(db.clone())
            .map_err(|e| std::io::Error::other(format!("cannot load rules: {e}")))?;
        rulebook.watch(Duration::from_millis(
            settings.rules.reload_interval_ms.max(100),
        ));
        let models = crate::scoring::ModelBook::load(db.clone())
            .map_err(|e| std::io::Error::other(format!("cannot load classifier models: {e}")))?;
        let second_opinion = crate::scoring::load_second_opinion(&settings.classifier)
            .map_err(|e| std::io::Error::other(format!("cannot load the transformer: {e}")))?;
        let listener = TcpListener::bind(&settings.server.bind)?;
        let port = listener.local_addr()?.port();
        let live = crate::moderation::LiveFeed::new();
        let state_ids = Arc::clone(&ids);
        let state = web::Data::new(AppState {
            db: db.clone(),
            ids,
            limits: settings.limits.clone(),
            credentials: CredentialCache::new(Duration::from_secs(
                settings.auth.site_key_cache_secs,
            )),
            rulebook: Arc::clone(&rulebook),
            models: Arc::clone(&models),
            scorers: crate::scoring::ScoringPool::start(
                std::thread::available_parallelism().map_or(2, usize::from),
                1024,
            )?,
            second_opinion,
            rate_limits: crate::intake::RateLimiter::new(
                settings.limits.submit_per_site_per_minute,
                settings.limits.submit_per_ip_per_minute,
            ),
            report_limits: crate::intake::RateLimiter::for_reports(
                settings.limits.reports_per_reporter_per_minute,
                settings.limits.reports_per_ip_per_minute,
            ),
            metrics_token: Some(settings.metrics.token.clone()).filter(|t| !t.is_empty()),
            session_ttl: Duration::from_secs(settings.auth.session_hours.max(1) * 3600),
            lease_ttl: Duration::from_secs(settings.moderation.lease_secs.max(1)),
            insights: crate::insights::InsightsConfig::from_settings(&settings.insights),
            live: Arc::clone(&live),
        });
        let mut server = HttpServer::new(move || {
            App::new()
                .app_data(state.clone())
                .wrap(middleware::NormalizePath::trim())
                .wrap(security_headers())
                // Pages and JSON are compressed for clients that ask; event
                // streams opt out (they set Content-Encoding: identity).
                .wrap(middleware::Compress::default())
                .wrap(middleware::from_fn(super::metrics::time_requests))
                .wrap(middleware::from_fn(super::request_id::tag_requests))
                .configure(crate::web::routes::configure)
                .configure(routes::configure)
        })
        .listen(listener)?
        .shutdown_timeout(settings.server.shutdown_timeout_secs)
        .client_request_timeout(Duration::from_millis(
            settings.server.request_head_timeout_ms.max(1),
        ));
        if settings.server.workers > 0 {
            server = server.workers(settings.server.workers);
        }
        let jobs_anchor = Arc::new(db.clone());
        let key_days = settings.limits.idempotency_key_days;
        if key_days > 0 {
            intake::spawn_key_expiry(
                Arc::downgrade(&jobs_anchor),
                Duration::from_secs(key_days * 24 * 3600),
                Duration::from_secs(3600),
            );
        }
        crate::jobs::spawn_periodic(
            "lease-cleanup",
            Arc::downgrade(&jobs_anchor),
            Duration::from_secs(600),
            |db| {
                if let Err(err) = crate::moderation::purge_expired_leases(db) {
                    tracing::warn!(error = %err, "could not remove expired leases");
                }
            },
        );
        crate::webhooks::spawn_delivery(Arc::downgrade(&jobs_anchor), settings.webhooks.delivery());
        if settings.webhooks.keep_days > 0 {
            crate::webhooks::spawn_delivery_purge(
                Arc::downgrade(&jobs_anchor),
                Duration::from_secs(settings.webhooks.keep_days * 24 * 3600),
            );
        }
        crate::webhooks::spawn_queue_alerts(
            Arc::downgrade(&jobs_anchor),
            Duration::from_millis(settings.webhooks.alert_check_ms.max(10)),
        );
        if settings.classifier.retrain_check_secs > 0 {
            crate::scoring::spawn_retraining(
                Arc::downgrade(&jobs_anchor),
                Arc::clone(&state_ids),
                Arc::clone(&models),
                Duration::from_secs(settings.classifier.retrain_check_secs),
            );
        }
        crate::jobs::spawn_periodic(
            "classifier-models",
            Arc::downgrade(&jobs_anchor),
            Duration::from_millis(settings.rules.reload_interval_ms.max(100)),
            move |_| match models.refresh() {
                Ok(true) => tracing::info!("classifier models changed; reloaded"),
                Ok(false) => {}
                Err(err) => tracing::warn!(error = %err, "could not reload classifier models"),
            },
        );
        crate::insights::spawn_counting(
            Arc::downgrade(&jobs_anchor),
            Duration::from_secs(settings.insights.refresh_secs.max(1)),
            crate::insights::InsightsConfig::from_settings(&settings.insights),
        );
        live.spawn_poller(
            Arc::downgrade(&jobs_anchor),
            Duration::from_millis(settings.moderation.live_poll_ms.max(50)),
        );
        crate::accounts::spawn_session_cleanup(
            Arc::downgrade(&jobs_anchor),
            Duration::from_secs(3600),
        );
        Ok(Self {
            _jobs_anchor: jobs_anchor,
            port,
            server: server.run(),
            db,
            rulebook,
        })
    }

    pub fn port(&self) -> u16 {
        self.port
    }

    /// A handle that stops the server gracefully.
    pub fn handle(&self) -> actix_web::dev::ServerHandle {
        self.server.handle()
    }

    /// Serves on a new actix system on the current thread until stopped.
    pub fn serve_blocking(self) -> std::io::Result<()> {
        actix_web::rt::System::new().block_on(self.run_until_stopped())
    }

    /// Serves until stopped, then lets queued writes finish.
    pub async fn run_until_stopped(self) -> std::io::Result<()> {
        let result = self.server.await;
        self.rulebook.stop();
        self.db.shutdown();
        result
    }
}
