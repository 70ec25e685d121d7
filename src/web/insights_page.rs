//! `GET /insights`: the dashboard, with the figures of
//! `GET /api/v1/insights` drawn as SVG charts and tables.

use actix_web::{HttpResponse, web};
use serde::Deserialize;

use super::assets;
use super::charts::{self, Chart, Series};
use super::nav::nav;
use super::page_error::PageError;
use super::queue_view::encode;
use super::session::CurrentSession;
use super::templates::{InsightsPage, render};
use crate::api::AppState;
use crate::insights::{self, Insights, InsightsRequest, Outcome, VolumePoint};
use crate::moderation;

/// Most bars in the volume chart; longer periods put several days in one.
const MAX_BARS: usize = 62;

#[derive(Debug, Clone, Default, Deserialize)]
pub struct InsightsParams {
    #[serde(default)]
    site: String,
    #[serde(default)]
    period: String,
    #[serde(default)]
    from: String,
    #[serde(default)]
    until: String,
    #[serde(default)]
    moderator: String,
}

pub async fn show_insights(
    state: web::Data<AppState>,
    CurrentSession(session): CurrentSession,
    params: web::Query<InsightsParams>,
) -> Result<HttpResponse, PageError> {
    let p = params.into_inner();
    let some = |v: &str| (!v.trim().is_empty()).then(|| v.trim().to_owned());
    let request = InsightsRequest::parse(
        some(&p.site),
        some(&p.period).as_deref(),
        some(&p.from).as_deref(),
        some(&p.until).as_deref(),
        some(&p.moderator),
        crate::storage::now().date(),
    )?;
    let figures = insights::insights(
        &state.db,
        &session.moderator,
        request.clone(),
        &state.insights,
    )
    .await?;
    let overview = moderation::queue_overview(&state.db, &session.moderator, Vec::new()).await?;
    let choices = moderation::queue_choices(&state.db, &session.moderator).await?;
    // The exports for the same site, days and moderator (billing).
    let export_query = [
        ("site", p.site.trim().to_owned()),
        ("moderator", p.moderator.trim().to_owned()),
        ("from", figures.from.clone()),
        ("to", figures.until.clone()),
    ]
    .iter()
    .filter(|(_, v)| !v.is_empty())
    .map(|(k, v)| format!("{k}={}", encode(v)))
    .collect::<Vec<_>>()
    .join("&");
    let charts = charts_for(&figures);
    Ok(render(&InsightsPage {
        assets: assets::version(),
        nav: Some(nav(&session, &overview)),
        sites: choices.sites,
        site: p.site.trim().to_owned(),
        period: p.period.trim().to_owned(),
        from: figures.from.clone(),
        until: figures.until.clone(),
        moderator: p.moderator.trim().to_owned(),
        export_query,
        charts,
        figures,
    }))
}

fn charts_for(f: &Insights) -> Vec<Chart> {
    let hourly = f.granularity == "hour";
    let mut charts = vec![volume_chart(&f.volume, hourly)];
    let labels: Vec<String> = f
        .backlog
        .iter()
        .map(|p| slot_label(&p.at, hourly))
        .collect();
    charts.push(charts::lines(
        "backlog",
        "Pending backlog",
        format!(
            "Comments waiting at the end of each {}, from {} to {}.",
            if hourly { "hour" } else { "day" },
            f.from,
            f.until
        ),
        &labels,
        &[Series {
            class: "s-pending",
            label: "pending".into(),
            values: f.backlog.iter().map(|p| p.pending as f64).collect(),
        }],
        charts::count,
        None,
    ));
    let days: Vec<String> = f
        .speed
        .days
        .iter()
        .map(|d| slot_label(&d.day, false))
        .collect();
    let quantile = |pick: fn(&insights::SpeedFigures) -> Option<i64>| -> Vec<f64> {
        f.speed
            .days
            .iter()
            .map(|d| pick(&d.figures).unwrap_or(0) as f64)
            .collect()
    };
    charts.push(charts::lines(
        "speed",
        "Time in queue",
        format!(
            "Time in queue of moderators' decisions per day, p50, p90 and p99, against the target of {}.",
            charts::duration(f.speed.target_secs as f64)
        ),
        &days,
        &[
            Series {
                class: "s-p50",
                label: "p50".into(),
                values: quantile(|s| s.p50_secs),
            },
            Series {
                class: "s-p90",
                label: "p90".into(),
                values: quantile(|s| s.p90_secs),
            },
            Series {
                class: "s-p99",
                label: "p99".into(),
                values: quantile(|s| s.p99_secs),
            },
        ],
        charts::duration,
        Some((
            f.speed.target_secs as f64,
            format!("target {}", charts::duration(f.speed.target_secs as f64)),
        )),
    ));
    for distribution in &f.classifier {
        let labels: Vec<String> = distribution
            .bins
            .iter()
            .map(|b| format!("{:.2}", b.from))
            .collect();
        let markers: Vec<(f64, String)> = distribution
            .bands
            .iter()
            .map(|b| (b.threshold, format!("{} {:.2}", b.action, b.threshold)))
            .collect();
        charts.push(charts::grouped_bars(
            if distribution.attribute == "spam" {
                "scores-spam"
            } else {
                "scores-offensive"
            },
            &format!("Classifier: {} scores", distribution.attribute),
            format!(
                "How the {} scores of comments moderators approved and rejected fall, in bins of 0.05, with the site's bands.",
                distribution.attribute
            ),
            &labels,
            &[
                Series {
                    class: "s-approved",
                    label: "approved".into(),
                    values: distribution.bins.iter().map(|b| b.approved as f64).collect(),
                },
                Series {
                    class: "s-rejected",
                    label: "rejected".into(),
                    values: distribution.bins.iter().map(|b| b.rejected as f64).collect(),
                },
            ],
            &markers,
        ));
    }
    charts
}

/// Comments by outcome, several days to a bar when there are too many.
fn volume_chart(points: &[VolumePoint], hourly: bool) -> Chart {
    let per_bar = points.len().div_ceil(MAX_BARS).max(1);
    let groups: Vec<&[VolumePoint]> = points.chunks(per_bar).collect();
    let labels: Vec<String> = groups
        .iter()
        .map(|g| {
            g.first()
                .map(|p| slot_label(&p.at, hourly))
                .unwrap_or_default()
        })
        .collect();
    let series: Vec<Series> = Outcome::ALL
        .iter()
        .map(|outcome| Series {
            class: outcome_class(*outcome),
            label: outcome.as_str().replace('_', "-"),
            values: groups
                .iter()
                .map(|g| g.iter().map(|p| p.count(*outcome)).sum::<i64>() as f64)
                .collect(),
        })
        .collect();
    let total: i64 = points.iter().map(|p| p.received).sum();
    let what = match (hourly, per_bar) {
        (true, _) => "hour".to_owned(),
        (false, 1) => "day".to_owned(),
        (false, n) => format!("{n} days"),
    };
    charts::stacked_bars(
        "volume",
        "Comments received",
        format!("{total} comments received, per {what}, by what became of them."),
        &labels,
        &series,
    )
}

fn outcome_class(outcome: Outcome) -> &'static str {
    match outcome {
        Outcome::AutoApproved => "s-auto-approved",
        Outcome::Approved => "s-approved",
        Outcome::Rejected => "s-rejected",
        Outcome::AutoRejected => "s-auto-rejected",
        Outcome::Withdrawn => "s-withdrawn",
        Outcome::Pending => "s-pending",
    }
}

/// `2026-11-29T14:00:00…` as `14:00` for hours or `11-29` for days.
fn slot_label(at: &str, hourly: bool) -> String {
    match hourly {
        true => at.get(11..16).unwrap_or(at).to_owned(),
        false => at.get(5..10).unwrap_or(at).to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_periods_put_several_days_in_a_bar() {
        let points: Vec<VolumePoint> = (0..365)
            .map(|i| VolumePoint {
                at: format!("2026-01-01T00:00:00.{i:06}Z"),
                received: 2,
                approved: 2,
                ..VolumePoint::default()
            })
            .collect();
        let chart = volume_chart(&points, false);
        // 365 days in bars of 6: 61 bars, one segment each.
        assert_eq!(chart.bars.len(), 61);
        assert_eq!(chart.bars[0].title, "01-01: 12 approved");
        assert!(chart.summary.contains("730 comments"));
        assert_eq!(slot_label("2026-11-29T14:00:00.000000Z", true), "14:00");
    }
}
