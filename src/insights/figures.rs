//! The insight figures as the API and the dashboard show them.

use serde::Serialize;
use utoipa::ToSchema;

use super::deltas::Outcome;

/// Every figure of the dashboard.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Insights {
    /// The sites counted.
    pub sites: Vec<String>,
    /// First and last day, inclusive.
    pub from: String,
    pub until: String,
    /// `hour` for periods of up to two days, else `day`.
    pub granularity: &'static str,
    /// Only this moderator's decisions, when set.
    pub moderator: Option<String>,
    /// Audit entries not yet counted into the figures (at most 10,001 are
    /// counted); the figures are behind while this is not 0.
    pub entries_behind: i64,
    /// Comments by arrival time and what became of them.
    pub volume: Vec<VolumePoint>,
    /// The queue's size at the end of each hour or day.
    pub backlog: Vec<BacklogPoint>,
    pub speed: Speed,
    pub moderators: Vec<ModeratorFigures>,
    pub rules: Vec<RuleFigures>,
    pub classifier: Vec<ScoreDistribution>,
    pub articles: ArticleTables,
}

#[derive(Debug, Clone, Default, Serialize, ToSchema)]
pub struct VolumePoint {
    /// The hour or day (its start, UTC).
    pub at: String,
    pub received: i64,
    pub auto_approved: i64,
    pub approved: i64,
    pub rejected: i64,
    pub auto_rejected: i64,
    pub withdrawn: i64,
    pub pending: i64,
}

impl VolumePoint {
    pub(super) fn add(&mut self, outcome: Outcome, n: i64) {
        self.received += n;
        *match outcome {
            Outcome::Pending => &mut self.pending,
            Outcome::AutoApproved => &mut self.auto_approved,
            Outcome::Approved => &mut self.approved,
            Outcome::Rejected => &mut self.rejected,
            Outcome::AutoRejected => &mut self.auto_rejected,
            Outcome::Withdrawn => &mut self.withdrawn,
        } += n;
    }

    pub fn count(&self, outcome: Outcome) -> i64 {
        match outcome {
            Outcome::Pending => self.pending,
            Outcome::AutoApproved => self.auto_approved,
            Outcome::Approved => self.approved,
            Outcome::Rejected => self.rejected,
            Outcome::AutoRejected => self.auto_rejected,
            Outcome::Withdrawn => self.withdrawn,
        }
    }
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct BacklogPoint {
    /// The hour or day (its start, UTC).
    pub at: String,
    /// Comments pending at its end.
    pub pending: i64,
}

/// Time in queue of moderators' decisions. Percentiles are read from
/// buckets about 19% wide and give each bucket's upper bound.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Speed {
    pub target_secs: i64,
    /// How long the oldest comment pending now has waited.
    pub oldest_pending_secs: Option<i64>,
    /// Over the whole period.
    pub overall: SpeedFigures,
    pub days: Vec<SpeedDay>,
}

#[derive(Debug, Clone, Default, Serialize, ToSchema)]
pub struct SpeedFigures {
    pub decisions: i64,
    pub p50_secs: Option<i64>,
    pub p90_secs: Option<i64>,
    pub p99_secs: Option<i64>,
    /// Decisions within the target time.
    pub within_target: i64,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct SpeedDay {
    pub day: String,
    #[serde(flatten)]
    pub figures: SpeedFigures,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ModeratorFigures {
    /// Their email (or `import:SOURCE` for imported decisions).
    pub moderator: String,
    pub decisions: i64,
    pub approved: i64,
    pub rejected: i64,
    /// Their decisions someone else reopened.
    pub overturned: i64,
    /// Median time in queue of the comments they decided.
    pub median_secs: Option<i64>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct RuleFigures {
    pub rule_id: String,
    pub name: String,
    pub hits: i64,
    /// Comments it held for review.
    pub held: i64,
    /// Comments it rejected at intake.
    pub auto_rejected: i64,
    /// Of the comments it held, those moderators rejected and approved.
    pub held_rejected: i64,
    pub held_approved: i64,
    /// held_rejected / (held_rejected + held_approved).
    pub precision: Option<f64>,
    /// Moderators approve nearly everything it holds.
    pub only_creates_work: bool,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ScoreDistribution {
    pub attribute: String,
    pub bins: Vec<ScoreBin>,
    /// The site's bands for this attribute (one site only).
    pub bands: Vec<BandLine>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ScoreBin {
    pub from: f64,
    pub to: f64,
    pub approved: i64,
    pub rejected: i64,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct BandLine {
    /// `hold` or `flag` from here on, or `reject`.
    pub action: String,
    pub threshold: f64,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ArticleTables {
    pub most_comments: Vec<ArticleFigures>,
    pub most_rejected: Vec<ArticleFigures>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ArticleFigures {
    pub site: String,
    /// The site's id for the article.
    pub id: String,
    pub title: String,
    pub url: String,
    pub comments: i64,
    pub rejected: i64,
}
