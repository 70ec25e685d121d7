//! The insight figures for a window: sites, a period and optionally one
//! moderator, read from the aggregates and shaped for the JSON API and the
//! dashboard's charts alike.

use std::collections::{BTreeMap, HashMap};
use std::time::Duration;

use chrono::NaiveDateTime;

use super::deltas::{Outcome, SCORE_BINS, bucket_upper_secs, day_of, hour_of};
use super::figures::{
    ArticleFigures, ArticleTables, BacklogPoint, BandLine, Insights, ModeratorFigures, RuleFigures,
    ScoreBin, ScoreDistribution, Speed, SpeedDay, SpeedFigures, VolumePoint,
};
use super::{InsightsConfig, InsightsRequest};
use crate::accounts::ModeratorContext;
use crate::domain::ClassifierSettings;
use crate::error::AppError;
use crate::storage::{self, Database, DbConn, insights::Window};
use crate::views::timestamp;

/// Rules whose held comments moderators approve this often or more, over at
/// least [`WORK_MIN_DECIDED`] decisions, only create work.
const WORK_MAX_PRECISION: f64 = 0.2;
const WORK_MIN_DECIDED: i64 = 10;
/// Articles listed in each table.
const TOP_ARTICLES: usize = 10;

/// Counts what is new (a few chunks; the background job does the rest),
/// then reads the figures.
pub async fn insights(
    db: &Database,
    moderator: &ModeratorContext,
    request: InsightsRequest,
    config: &InsightsConfig,
) -> Result<Insights, AppError> {
    super::refresh_now(db, config.settle_on(db), 5).await?;
    let target = config.target;
    let sites = crate::moderation::visible_sites(db, moderator, request.site.clone()).await?;
    db.read(move |conn| read(conn, sites, &request, target))
        .await
}

fn read(
    conn: &mut DbConn,
    sites: Option<Vec<i64>>,
    request: &InsightsRequest,
    target: Duration,
) -> Result<Insights, AppError> {
    let sites = match sites {
        Some(sites) => sites,
        None => storage::sites::all_ids(conn)?,
    };
    let site_rows = storage::sites::find_many(conn, &sites)?;
    let names: HashMap<i64, String> = site_rows.iter().map(|s| (s.id, s.name.clone())).collect();
    let window = Window {
        sites: sites.clone(),
        from: request.first.and_time(chrono::NaiveTime::MIN),
        until: (request.last + chrono::Days::new(1)).and_time(chrono::NaiveTime::MIN),
        moderator: request.moderator.as_ref().map(|m| format!("moderator:{m}")),
    };
    let hourly = (request.last - request.first).num_days() < 2;
    let (volume, backlog) = time_series(conn, &window, hourly)?;
    let (speed, moderators) = speed_and_moderators(conn, &window, target)?;
    let rules = rule_figures(conn, &window)?;
    let bands = match site_rows.as_slice() {
        [only] => ClassifierSettings::from_stored(&only.classifier)
            .map(|s| s.bands)
            .unwrap_or_default(),
        _ => Vec::new(),
    };
    let classifier = score_distributions(storage::insights::scores(conn, &window)?, &bands);
    let articles = article_tables(conn, &window, &names)?;
    let (counted, _) = storage::insights::progress(conn)?;
    Ok(Insights {
        sites: site_rows.iter().map(|s| s.name.clone()).collect(),
        from: request.first.to_string(),
        until: request.last.to_string(),
        granularity: if hourly { "hour" } else { "day" },
        moderator: request.moderator.clone(),
        entries_behind: storage::insights::entries_behind(conn, counted, 10_001)?,
        volume,
        backlog,
        speed,
        moderators,
        rules,
        classifier,
        articles,
    })
}

/// Comments by outcome and the backlog, per hour or day of the window.
fn time_series(
    conn: &mut DbConn,
    window: &Window,
    hourly: bool,
) -> Result<(Vec<VolumePoint>, Vec<BacklogPoint>), AppError> {
    let slot = |at: NaiveDateTime| if hourly { hour_of(at) } else { day_of(at) };
    let slots = slots(window, hourly);
    let mut volume: BTreeMap<NaiveDateTime, VolumePoint> =
        slots.iter().map(|s| (*s, VolumePoint::default())).collect();
    for (at, outcome, n) in storage::insights::volume(conn, window, hourly)? {
        if let (Some(point), Some(outcome)) = (volume.get_mut(&slot(at)), Outcome::parse(&outcome))
        {
            point.add(outcome, n);
        }
    }
    let (mut pending, changes) = storage::insights::backlog(conn, window)?;
    let mut changes: BTreeMap<NaiveDateTime, i64> =
        changes
            .into_iter()
            .fold(BTreeMap::new(), |mut acc, (hour, n)| {
                *acc.entry(slot(hour)).or_default() += n;
                acc
            });
    let backlog = slots
        .iter()
        .map(|s| {
            pending += changes.remove(s).unwrap_or(0);
            BacklogPoint {
                at: timestamp(*s),
                pending,
            }
        })
        .collect();
    let volume = volume
        .into_iter()
        .map(|(at, mut point)| {
            point.at = timestamp(at);
            point
        })
        .collect();
    Ok((volume, backlog))
}

/// Time in queue per day and overall, the oldest comment waiting, and
/// each moderator's decisions with their median time in queue.
fn speed_and_moderators(
    conn: &mut DbConn,
    window: &Window,
    target: Duration,
) -> Result<(Speed, Vec<ModeratorFigures>), AppError> {
    let target_secs = target.as_secs() as i64;
    let (by_day, by_moderator) = storage::insights::waits(conn, window)?;
    let mut days: BTreeMap<NaiveDateTime, Vec<(i32, i64)>> = BTreeMap::new();
    let mut overall: BTreeMap<i32, i64> = BTreeMap::new();
    for (day, bucket, n) in by_day {
        days.entry(day).or_default().push((bucket, n));
        *overall.entry(bucket).or_default() += n;
    }
    let mut medians: HashMap<String, Vec<(i32, i64)>> = HashMap::new();
    for (who, bucket, n) in by_moderator {
        medians.entry(who).or_default().push((bucket, n));
    }
    let oldest = storage::comments::pending_by_site(conn)?
        .into_iter()
        .filter(|(site, _, _)| window.sites.contains(site))
        .filter_map(|(_, _, oldest)| oldest)
        .min();
    let speed = Speed {
        target_secs,
        oldest_pending_secs: oldest.map(|o| (storage::now() - o).num_seconds().max(0)),
        overall: speed_figures(&overall.into_iter().collect::<Vec<_>>(), target_secs),
        days: days
            .iter()
            .map(|(day, buckets)| SpeedDay {
                day: timestamp(*day),
                figures: speed_figures(buckets, target_secs),
            })
            .collect(),
    };
    let moderators = storage::insights::decisions(conn, window)?
        .into_iter()
        .map(|(who, approved, rejected, overturned)| ModeratorFigures {
            median_secs: medians.get(&who).and_then(|b| percentile(b, 0.5)),
            moderator: who.strip_prefix("moderator:").unwrap_or(&who).to_owned(),
            decisions: approved + rejected,
            approved,
            rejected,
            overturned,
        })
        .collect();
    Ok((speed, moderators))
}

/// Every hour or day of the window, up to now.
fn slots(window: &Window, hourly: bool) -> Vec<NaiveDateTime> {
    let step = if hourly {
        chrono::Duration::hours(1)
    } else {
        chrono::Duration::days(1)
    };
    let end = window.until.min(storage::now());
    let mut out = Vec::new();
    let mut at = window.from;
    while at < end {
        out.push(at);
        at += step;
    }
    out
}

/// The time in queue under which a share `q` of decisions fall.
fn percentile(buckets: &[(i32, i64)], q: f64) -> Option<i64> {
    let total: i64 = buckets.iter().map(|(_, n)| n).sum();
    if total == 0 {
        return None;
    }
    let wanted = (q * total as f64).ceil().max(1.0) as i64;
    let mut seen = 0;
    for (bucket, n) in buckets {
        seen += n;
        if seen >= wanted {
            return Some(bucket_upper_secs(*bucket));
        }
    }
    buckets.last().map(|(b, _)| bucket_upper_secs(*b))
}

fn speed_figures(buckets: &[(i32, i64)], target_secs: i64) -> SpeedFigures {
    SpeedFigures {
        decisions: buckets.iter().map(|(_, n)| n).sum(),
        p50_secs: percentile(buckets, 0.5),
        p90_secs: percentile(buckets, 0.9),
        p99_secs: percentile(buckets, 0.99),
        within_target: buckets
            .iter()
            .filter(|(b, _)| bucket_upper_secs(*b) <= target_secs)
            .map(|(_, n)| n)
            .sum(),
    }
}

fn rule_figures(conn: &mut DbConn, window: &Window) -> Result<Vec<RuleFigures>, AppError> {
    let mut out: Vec<RuleFigures> = storage::insights::rules(conn, window)?
        .into_iter()
        .map(
            |(id, [hits, held, auto_rejected, held_rejected, held_approved])| {
                let decided = held_rejected + held_approved;
                let precision = (decided > 0).then(|| held_rejected as f64 / decided as f64);
                RuleFigures {
                    rule_id: id.to_string(),
                    name: String::new(),
                    hits,
                    held,
                    auto_rejected,
                    held_rejected,
                    held_approved,
                    precision,
                    only_creates_work: decided >= WORK_MIN_DECIDED
                        && precision.is_some_and(|p| p <= WORK_MAX_PRECISION),
                }
            },
        )
        .collect();
    for rule in &mut out {
        let id: i64 = rule.rule_id.parse().unwrap_or_default();
        rule.name = storage::rules::find(conn, id)?
            .and_then(|r| serde_json::from_str::<serde_json::Value>(&r.definition).ok())
            .and_then(|d| d["name"].as_str().map(str::to_owned))
            .unwrap_or_else(|| format!("rule {id}"));
    }
    // Those that only create work first, then by how much they hold.
    out.sort_by(|a, b| {
        b.only_creates_work
            .cmp(&a.only_creates_work)
            .then(b.held.cmp(&a.held))
            .then(b.hits.cmp(&a.hits))
    });
    Ok(out)
}

fn score_distributions(
    rows: Vec<(String, i32, i64, i64)>,
    bands: &[crate::domain::Band],
) -> Vec<ScoreDistribution> {
    let width = 1.0 / f64::from(SCORE_BINS);
    crate::domain::Attribute::ALL
        .iter()
        .map(|attribute| {
            let name = attribute.as_str();
            let bins = (0..SCORE_BINS)
                .map(|bin| {
                    let (approved, rejected) = rows
                        .iter()
                        .find(|(a, b, _, _)| a == name && *b == bin)
                        .map(|(_, _, ap, re)| (*ap, *re))
                        .unwrap_or((0, 0));
                    ScoreBin {
                        from: f64::from(bin) * width,
                        to: f64::from(bin + 1) * width,
                        approved,
                        rejected,
                    }
                })
                .collect();
            let bands = bands
                .iter()
                .filter(|b| b.attribute == *attribute)
                .flat_map(|b| {
                    let mut lines = vec![BandLine {
                        action: b.between.as_str().to_owned(),
                        threshold: b.approve_below,
                    }];
                    lines.extend(b.reject_above.map(|t| BandLine {
                        action: "reject".into(),
                        threshold: t,
                    }));
                    lines
                })
                .collect();
            ScoreDistribution {
                attribute: name.to_owned(),
                bins,
                bands,
            }
        })
        .collect()
}

/// The articles with the most comments and those with the most
/// rejections.
fn article_tables(
    conn: &mut DbConn,
    window: &Window,
    sites: &HashMap<i64, String>,
) -> Result<ArticleTables, AppError> {
    let mut all = storage::insights::articles(conn, window)?;
    let top = |all: &mut Vec<(i64, i64, i64)>, key: fn(&(i64, i64, i64)) -> (i64, i64)| {
        all.sort_by(|a, b| key(b).cmp(&key(a)).then(a.0.cmp(&b.0)));
        all.iter()
            .filter(|row| key(row).0 > 0)
            .take(TOP_ARTICLES)
            .copied()
            .collect::<Vec<_>>()
    };
    let most_comments = top(&mut all, |(_, c, r)| (*c, *r));
    let most_rejected = top(&mut all, |(_, c, r)| (*r, *c));
    let mut ids: Vec<i64> = most_comments
        .iter()
        .chain(&most_rejected)
        .map(|(id, _, _)| *id)
        .collect();
    ids.sort_unstable();
    ids.dedup();
    let articles: HashMap<i64, storage::articles::ArticleRow> =
        storage::articles::find_many(conn, &ids)?
            .into_iter()
            .map(|a| (a.id, a))
            .collect();
    let figures = |rows: Vec<(i64, i64, i64)>| -> Vec<ArticleFigures> {
        rows.into_iter()
            .filter_map(|(id, comments, rejected)| {
                let a = articles.get(&id)?;
                Some(ArticleFigures {
                    site: sites.get(&a.site_id).cloned().unwrap_or_default(),
                    id: a.external_id.clone(),
                    title: a.title.clone(),
                    url: a.url.clone(),
                    comments,
                    rejected,
                })
            })
            .collect()
    };
    Ok(ArticleTables {
        most_comments: figures(most_comments),
        most_rejected: figures(most_rejected),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::insights::deltas::bucket;

    #[test]
    fn percentiles_come_from_bucket_bounds() {
        let buckets = [(bucket(10), 50), (bucket(100), 40), (bucket(10_000), 10)];
        assert_eq!(
            percentile(&buckets, 0.5),
            Some(bucket_upper_secs(bucket(10)))
        );
        assert_eq!(
            percentile(&buckets, 0.9),
            Some(bucket_upper_secs(bucket(100)))
        );
        assert_eq!(
            percentile(&buckets, 0.99),
            Some(bucket_upper_secs(bucket(10_000)))
        );
        assert_eq!(percentile(&[], 0.5), None);
        let f = speed_figures(&buckets, 120);
        assert_eq!((f.decisions, f.within_target), (100, 90));
    }
}
