//! The gauges read from the database at each scrape.

use std::collections::HashMap;

use crate::error::AppError;
use crate::storage::{self, Database};

use super::{EndpointGauge, QueueGauge, WebhookGauge};

/// What the database says at a scrape.
pub struct Gauges {
    pub queues: Vec<QueueGauge>,
    pub webhooks: Vec<WebhookGauge>,
    pub endpoints: Vec<EndpointGauge>,
}

/// Every site's queue (sites with nothing pending at 0), webhook backlog
/// and failing endpoints.
pub async fn read_gauges(db: &Database) -> Result<Gauges, AppError> {
    db.read(|conn| {
        let names: HashMap<i64, String> = storage::sites::names(conn, None)?.into_iter().collect();
        let pending = storage::comments::pending_by_site(conn)?;
        let backlog = storage::webhooks::backlog_by_site(conn)?;
        let now = storage::now();
        let mut queues: Vec<QueueGauge> = names
            .iter()
            .map(|(id, name)| {
                let (count, oldest) = pending
                    .iter()
                    .find(|(site, _, _)| site == id)
                    .map_or((0, None), |(_, n, oldest)| (*n, *oldest));
                QueueGauge {
                    site: name.clone(),
                    pending: count,
                    oldest_pending_seconds: oldest.map_or(0.0, |at| {
                        (now - at).num_milliseconds().max(0) as f64 / 1000.0
                    }),
                }
            })
            .collect();
        queues.sort_by(|a, b| a.site.cmp(&b.site));
        let mut webhooks: Vec<WebhookGauge> = backlog
            .into_iter()
            .filter_map(|(site, state, count)| {
                Some(WebhookGauge {
                    site: names.get(&site)?.clone(),
                    state,
                    count,
                })
            })
            .collect();
        webhooks.sort_by(|a, b| (&a.site, &a.state).cmp(&(&b.site, &b.state)));
        let backlog_by_endpoint = storage::webhooks::backlog_by_endpoint(conn)?;
        let mut endpoints = Vec::new();
        for row in storage::webhooks::all_endpoints(conn)? {
            let Some(site) = names.get(&row.site_id) else {
                continue;
            };
            let dead = backlog_by_endpoint
                .iter()
                .any(|(endpoint, state, n)| *endpoint == row.id && state == "dead" && *n > 0);
            let last_failed =
                storage::webhooks::last_attempt(conn, row.id)?.is_some_and(|a| a.error.is_some());
            endpoints.push(EndpointGauge {
                site: site.clone(),
                endpoint: row.id,
                failing: last_failed || dead,
            });
        }
        Ok(Gauges {
            queues,
            webhooks,
            endpoints,
        })
    })
    .await
}
