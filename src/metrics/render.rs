//! The Prometheus text exposition of the registry and the database gauges.

use std::fmt::Write;
use std::sync::atomic::{AtomicU64, Ordering};

use super::{Histogram, Labelled, Registry};

/// A site's queue as the database has it now.
#[derive(Debug, Clone)]
pub struct QueueGauge {
    pub site: String,
    pub pending: i64,
    pub oldest_pending_seconds: f64,
}

/// Whether an endpoint is failing: its most recent attempt failed, or
/// some of its deliveries are dead.
#[derive(Debug, Clone)]
pub struct EndpointGauge {
    pub site: String,
    pub endpoint: i64,
    pub failing: bool,
}

/// Webhook deliveries not yet delivered, per site and state.
#[derive(Debug, Clone)]
pub struct WebhookGauge {
    pub site: String,
    pub state: String,
    pub count: i64,
}

fn escape(value: &str) -> String {
    value
        .replace('\\', "\\\\")
        .replace('"', "\\\"")
        .replace('\n', "\\n")
}

fn labels(names: &[&str], values: &[String]) -> String {
    let pairs: Vec<String> = names
        .iter()
        .zip(values)
        .map(|(n, v)| format!("{n}=\"{}\"", escape(v)))
        .collect();
    pairs.join(",")
}

fn header(out: &mut String, name: &str, kind: &str, help: &str) {
    let _ = writeln!(out, "# HELP {name} {help}");
    let _ = writeln!(out, "# TYPE {name} {kind}");
}

fn histogram(out: &mut String, name: &str, label_text: &str, h: &Histogram) {
    let (buckets, total, sum) = h.cumulative();
    let sep = if label_text.is_empty() { "" } else { "," };
    for (bound, count) in buckets {
        let _ = writeln!(
            out,
            "{name}_bucket{{{label_text}{sep}le=\"{bound}\"}} {count}"
        );
    }
    let _ = writeln!(out, "{name}_bucket{{{label_text}{sep}le=\"+Inf\"}} {total}");
    let braces = if label_text.is_empty() {
        String::new()
    } else {
        format!("{{{label_text}}}")
    };
    let _ = writeln!(out, "{name}_sum{braces} {sum}");
    let _ = writeln!(out, "{name}_count{braces} {total}");
}

/// One family of labelled samples: its header, then a line per sample.
fn family<V: std::fmt::Display>(
    out: &mut String,
    (name, kind, help): (&str, &str, &str),
    samples: impl IntoIterator<Item = (String, V)>,
) {
    header(out, name, kind, help);
    for (label_text, value) in samples {
        let _ = writeln!(out, "{name}{{{label_text}}} {value}");
    }
}

/// A labelled counter's samples.
fn counter(names: &[&str], counters: &Labelled<AtomicU64>) -> Vec<(String, u64)> {
    counters
        .snapshot()
        .into_iter()
        .map(|(values, n)| (labels(names, &values), n.load(Ordering::Relaxed)))
        .collect()
}

/// Everything, in Prometheus text format 0.0.4.
pub fn render(
    registry: &Registry,
    queues: &[QueueGauge],
    webhooks: &[WebhookGauge],
    endpoints: &[EndpointGauge],
) -> String {
    let mut out = String::new();
    let site = |site: &String| labels(&["site"], std::slice::from_ref(site));
    family(
        &mut out,
        (
            "modq_comments_ingested_total",
            "counter",
            "Comments stored by this instance, by the status they were given.",
        ),
        counter(&["status"], &registry.ingested),
    );
    family(
        &mut out,
        (
            "modq_comments_edited_total",
            "counter",
            "Edits stored by this instance, by the status they left the comment in.",
        ),
        counter(&["status"], &registry.edited),
    );
    family(
        &mut out,
        (
            "modq_reports_total",
            "counter",
            "Readers' reports stored by this instance, by what they did.",
        ),
        counter(&["effect"], &registry.reports),
    );
    family(
        &mut out,
        (
            "modq_decisions_total",
            "counter",
            "Moderators' decisions made through this instance, by action.",
        ),
        counter(&["action"], &registry.decisions),
    );
    family(
        &mut out,
        (
            "modq_queue_pending",
            "gauge",
            "Comments waiting for a moderator, per site.",
        ),
        queues.iter().map(|q| (site(&q.site), q.pending)),
    );
    family(
        &mut out,
        (
            "modq_queue_oldest_pending_seconds",
            "gauge",
            "Age of the oldest pending comment, per site; 0 when none waits.",
        ),
        queues
            .iter()
            .map(|q| (site(&q.site), q.oldest_pending_seconds)),
    );
    header(
        &mut out,
        "modq_rule_evaluation_seconds",
        "histogram",
        "Time to evaluate a site's rules on one comment.",
    );
    histogram(
        &mut out,
        "modq_rule_evaluation_seconds",
        "",
        &registry.rule_seconds,
    );
    header(
        &mut out,
        "modq_classifier_scoring_seconds",
        "histogram",
        "Time to score one comment with the site's classifiers.",
    );
    histogram(
        &mut out,
        "modq_classifier_scoring_seconds",
        "",
        &registry.classifier_seconds,
    );
    family(
        &mut out,
        (
            "modq_webhook_attempts_total",
            "counter",
            "Webhook delivery attempts by this instance, by outcome (delivered, failed, dead).",
        ),
        counter(&["outcome"], &registry.webhook_attempts),
    );
    family(
        &mut out,
        (
            "modq_webhook_backlog",
            "gauge",
            "Webhook deliveries not delivered, per site and state (pending, dead).",
        ),
        webhooks.iter().map(|w| {
            let label_text = labels(&["site", "state"], &[w.site.clone(), w.state.clone()]);
            (label_text, w.count)
        }),
    );
    family(
        &mut out,
        (
            "modq_webhook_endpoint_failing",
            "gauge",
            "1 when the endpoint's most recent attempt failed or it has dead deliveries, else 0.",
        ),
        endpoints.iter().map(|e| {
            let label_text = labels(
                &["site", "endpoint"],
                &[e.site.clone(), e.endpoint.to_string()],
            );
            (label_text, u8::from(e.failing))
        }),
    );
    header(
        &mut out,
        "modq_http_request_duration_seconds",
        "histogram",
        "HTTP requests served by this instance, by route, method and status.",
    );
    for (values, h) in registry.http.snapshot() {
        histogram(
            &mut out,
            "modq_http_request_duration_seconds",
            &labels(&["route", "method", "status"], &values),
            &h,
        );
    }
    out
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::*;

    #[test]
    fn text_format_with_escaped_labels() {
        let registry = Registry {
            ingested: super::super::Labelled::new(|| std::sync::atomic::AtomicU64::new(0)),
            edited: super::super::Labelled::new(|| std::sync::atomic::AtomicU64::new(0)),
            reports: super::super::Labelled::new(|| std::sync::atomic::AtomicU64::new(0)),
            decisions: super::super::Labelled::new(|| std::sync::atomic::AtomicU64::new(0)),
            webhook_attempts: super::super::Labelled::new(|| std::sync::atomic::AtomicU64::new(0)),
            rule_seconds: Histogram::new(&[0.001]),
            classifier_seconds: Histogram::new(&[0.001]),
            http: super::super::Labelled::new(|| Histogram::new(&[0.1])),
        };
        registry.ingested.inc(&["pending"]);
        registry.ingested.inc(&["pending"]);
        registry.rule_seconds.observe(Duration::from_micros(200));
        registry
            .http
            .with(&["/api/v1/comments", "POST", "2xx"])
            .observe(Duration::from_millis(3));
        let text = render(
            &registry,
            &[QueueGauge {
                site: "we \"quote\"".into(),
                pending: 4,
                oldest_pending_seconds: 61.5,
            }],
            &[],
            &[EndpointGauge {
                site: "a".into(),
                endpoint: 7,
                failing: true,
            }],
        );
        assert!(text.contains("modq_webhook_endpoint_failing{site=\"a\",endpoint=\"7\"} 1\n"));
        assert!(
            text.contains("modq_comments_ingested_total{status=\"pending\"} 2\n"),
            "{text}"
        );
        assert!(
            text.contains("modq_queue_pending{site=\"we \\\"quote\\\"\"} 4\n"),
            "{text}"
        );
        assert!(
            text.contains("modq_queue_oldest_pending_seconds{site=\"we \\\"quote\\\"\"} 61.5\n")
        );
        assert!(
            text.contains("modq_rule_evaluation_seconds_bucket{le=\"0.001\"} 1\n"),
            "{text}"
        );
        assert!(text.contains("modq_rule_evaluation_seconds_count 1\n"));
        assert!(text.contains(
            "modq_http_request_duration_seconds_bucket{route=\"/api/v1/comments\",method=\"POST\",status=\"2xx\",le=\"0.1\"} 1\n"
        ), "{text}");
        assert!(text.contains("# TYPE modq_webhook_backlog gauge\n"));
    }
}
