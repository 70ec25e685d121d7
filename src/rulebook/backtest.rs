use std::time::Instant;

use crate::accounts::ModeratorContext;
use crate::domain::{SiteId, Status};
use crate::error::AppError;
use crate::rules::{CommentInput, CompiledRules, RuleDefinition, RuleHit};
use crate::storage::{self, Database};

/// Comments are read in chunks so a large backtest holds little memory.
const CHUNK: i64 = 5_000;
const SAMPLES: usize = 20;

/// How a draft rule would have done on past comments, against what
/// moderators decided on them.
#[derive(Debug, Clone, Default)]
pub struct BacktestReport {
    pub scanned: u64,
    pub hits: u64,
    pub matrix: Confusion,
    pub samples: Vec<BacktestSample>,
    pub elapsed_ms: u128,
}

/// Hits and misses against human decisions. Comments nobody decided
/// (pending, withdrawn, or decided by a rule) are counted apart.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Confusion {
    pub hit_rejected: u64,
    pub hit_approved: u64,
    pub hit_undecided: u64,
    pub miss_rejected: u64,
    pub miss_approved: u64,
    pub miss_undecided: u64,
}

impl Confusion {
    /// Of the decided comments the rule hit, the share moderators rejected.
    pub fn precision(&self) -> Option<f64> {
        ratio(self.hit_rejected, self.hit_rejected + self.hit_approved)
    }

    /// Of the comments moderators rejected, the share the rule hit.
    pub fn recall(&self) -> Option<f64> {
        ratio(self.hit_rejected, self.hit_rejected + self.miss_rejected)
    }
}

fn ratio(num: u64, den: u64) -> Option<f64> {
    (den > 0).then(|| num as f64 / den as f64)
}

#[derive(Debug, Clone)]
pub struct BacktestSample {
    pub comment_id: i64,
    pub status: String,
    pub body: String,
    pub hits: Vec<RuleHit>,
}

/// Replays a draft rule over the last `limit` comments of a site. Hits that
/// depend on the author being new are left out: that state is not known
/// for the past.
pub async fn backtest(
    db: &Database,
    moderator: &ModeratorContext,
    site: String,
    definition: RuleDefinition,
    limit: i64,
) -> Result<BacktestReport, AppError> {
    let rules = super::test_rule::compile_draft(definition)?;
    let moderator = moderator.clone();
    db.read(move |conn| {
        let started = Instant::now();
        let site_id = storage::sites::find_by_name(conn, &site)?
            .map(|s| SiteId(s.id))
            .filter(|s| moderator.can_access(*s))
            .ok_or(AppError::NotFound("site"))?;
        let mut report = BacktestReport::default();
        let mut before = None;
        let mut remaining = limit;
        while remaining > 0 {
            let rows = storage::comments::recent_for_backtest(
                conn,
                site_id.0,
                before,
                remaining.min(CHUNK),
            )?;
            let Some(last) = rows.last() else { break };
            before = Some(last.id);
            remaining -= rows.len() as i64;
            for row in rows {
                score(&rules, row, &mut report)?;
            }
        }
        report.elapsed_ms = started.elapsed().as_millis();
        Ok(report)
    })
    .await
}

fn score(
    rules: &CompiledRules,
    row: storage::comments::BacktestRow,
    report: &mut BacktestReport,
) -> Result<(), AppError> {
    let ip = row.author_ip.as_deref().and_then(|ip| ip.parse().ok());
    let hits: Vec<RuleHit> = rules
        .evaluate(&CommentInput {
            body: &row.body,
            article: &row.article_external_id,
            author_id: &row.author_external_id,
            email: row.author_email.as_deref(),
            ip,
        })
        .into_iter()
        .filter(|h| !h.needs_new_author)
        .collect();
    let status: Status = row.status.parse()?;
    let human = row.decided_by.is_some() || row.imported_from.is_some();
    let hit = !hits.is_empty();
    report.scanned += 1;
    let m = &mut report.matrix;
    match (hit, human, status) {
        (true, true, Status::Rejected) => m.hit_rejected += 1,
        (true, true, Status::Approved) => m.hit_approved += 1,
        (true, _, _) => m.hit_undecided += 1,
        (false, true, Status::Rejected) => m.miss_rejected += 1,
        (false, true, Status::Approved) => m.miss_approved += 1,
        (false, _, _) => m.miss_undecided += 1,
    }
    if hit {
        report.hits += 1;
        if report.samples.len() < SAMPLES {
            report.samples.push(BacktestSample {
                comment_id: row.id,
                status: row.status,
                body: row.body,
                hits,
            });
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn precision_and_recall() {
        let m = Confusion {
            hit_rejected: 8,
            hit_approved: 2,
            miss_rejected: 8,
            ..Confusion::default()
        };
        assert_eq!(m.precision(), Some(0.8));
        assert_eq!(m.recall(), Some(0.5));
        assert_eq!(Confusion::default().precision(), None);
    }
}
