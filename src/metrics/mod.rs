//! Process metrics for `GET /metrics` in Prometheus text format: counters
//! and latency histograms kept in atomics by the code that does the work,
//! and gauges read from the database at scrape time (so they are the same
//! whichever instance is scraped).

mod gauges;
mod histogram;
mod render;

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{LazyLock, Mutex};

pub use gauges::read_gauges;
pub use histogram::Histogram;
pub use render::{EndpointGauge, QueueGauge, WebhookGauge, render};

/// Buckets for work inside modq, in seconds: 10 µs to 1 s.
const FAST: &[f64] = &[
    0.00001, 0.00005, 0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.05, 0.1, 0.5, 1.0,
];
/// Buckets for HTTP requests, in seconds: 1 ms to 10 s.
const HTTP: &[f64] = &[
    0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0,
];

/// Every metric this process keeps.
pub struct Registry {
    /// Comments stored, by the status they got.
    pub ingested: Labelled<AtomicU64>,
    /// Edits stored, by the status they left the comment in.
    pub edited: Labelled<AtomicU64>,
    /// Readers' reports stored, by what they did (`queued`, `counted`,
    /// `not_counted`, `void`).
    pub reports: Labelled<AtomicU64>,
    /// Moderators' decisions, by action.
    pub decisions: Labelled<AtomicU64>,
    /// Webhook delivery attempts, by outcome (`delivered`, `failed`,
    /// `dead`).
    pub webhook_attempts: Labelled<AtomicU64>,
    pub rule_seconds: Histogram,
    pub classifier_seconds: Histogram,
    /// HTTP requests by route pattern, method and status class.
    pub http: Labelled<Histogram>,
}

/// A family of one metric kind by label values.
pub struct Labelled<T> {
    by_label: Mutex<BTreeMap<Vec<String>, std::sync::Arc<T>>>,
    make: fn() -> T,
}

impl<T> Labelled<T> {
    fn new(make: fn() -> T) -> Self {
        Self {
            by_label: Mutex::new(BTreeMap::new()),
            make,
        }
    }

    /// The metric for these label values, made on first use.
    pub fn with(&self, labels: &[&str]) -> std::sync::Arc<T> {
        let key: Vec<String> = labels.iter().map(|l| (*l).to_owned()).collect();
        let mut map = match self.by_label.lock() {
            Ok(map) => map,
            Err(poisoned) => poisoned.into_inner(),
        };
        std::sync::Arc::clone(
            map.entry(key)
                .or_insert_with(|| std::sync::Arc::new((self.make)())),
        )
    }

    /// Every label set with its metric, in label order.
    pub fn snapshot(&self) -> Vec<(Vec<String>, std::sync::Arc<T>)> {
        let map = match self.by_label.lock() {
            Ok(map) => map,
            Err(poisoned) => poisoned.into_inner(),
        };
        map.iter()
            .map(|(k, v)| (k.clone(), std::sync::Arc::clone(v)))
            .collect()
    }
}

impl Labelled<AtomicU64> {
    pub fn inc(&self, labels: &[&str]) {
        self.with(labels).fetch_add(1, Ordering::Relaxed);
    }
}

static REGISTRY: LazyLock<Registry> = LazyLock::new(|| Registry {
    ingested: Labelled::new(|| AtomicU64::new(0)),
    edited: Labelled::new(|| AtomicU64::new(0)),
    reports: Labelled::new(|| AtomicU64::new(0)),
    decisions: Labelled::new(|| AtomicU64::new(0)),
    webhook_attempts: Labelled::new(|| AtomicU64::new(0)),
    rule_seconds: Histogram::new(FAST),
    classifier_seconds: Histogram::new(FAST),
    http: Labelled::new(|| Histogram::new(HTTP)),
});

/// The process's metrics.
pub fn registry() -> &'static Registry {
    &REGISTRY
}
