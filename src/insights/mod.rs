//! Insights: how much arrives and what becomes of it, how long comments
//! wait, what each moderator decided, which rules are worth their holds,
//! how the classifier's scores fall, and which articles draw the most.
//!
//! The figures come from aggregates kept by counting the audit log (every
//! state change is an audit entry) in order, so a dashboard over a year
//! sums thousands of rows, not millions of comments.

mod dashboard;
mod deltas;
mod figures;
mod refresh;
mod request;

pub use dashboard::insights;
pub use deltas::{LAST_BUCKET, Outcome, SCORE_BINS, bucket_upper_secs, day_of, hour_of};
pub use figures::{
    ArticleFigures, ArticleTables, BacklogPoint, BandLine, Insights, ModeratorFigures, RuleFigures,
    ScoreBin, ScoreDistribution, Speed, SpeedDay, SpeedFigures, VolumePoint,
};
pub use refresh::{InsightsConfig, refresh, refresh_now, spawn_counting};
pub use request::InsightsRequest;
