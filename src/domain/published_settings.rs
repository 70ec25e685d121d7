//! What a site does with comments after they are published: how long an
//! author may edit, when readers' reports send a comment to the Reported
//! queue, and what rejecting a comment does to its replies.

use serde::{Deserialize, Serialize};

/// Edits of published comments.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(default, deny_unknown_fields)]
pub struct EditSettings {
    /// Minutes after submission during which the site may edit a comment;
    /// `null` for no limit.
    #[schema(minimum = 1, maximum = 525_600)]
    pub window_minutes: Option<u32>,
}

/// Readers' reports.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(default, deny_unknown_fields)]
pub struct ReportSettings {
    /// Counted reports that send an approved comment to the Reported queue.
    #[schema(minimum = 1, maximum = 1000)]
    pub threshold: u32,
    /// Keep a reported comment from readers until a moderator keeps it.
    pub hide_on_report: bool,
    /// A report from an author with at least this many approved comments
    /// on the site sends the comment to the queue on its own; `null`: no
    /// reporter is trusted that way.
    #[schema(minimum = 1, maximum = 1_000_000)]
    pub trusted_reporter_approved: Option<u32>,
    /// A reporter with more than this percentage of their resolved reports
    /// dismissed stops counting toward the threshold...
    #[schema(minimum = 0, maximum = 100)]
    pub dismissed_percent_limit: u32,
    /// ...once this many of their reports have been resolved.
    #[schema(minimum = 1, maximum = 1000)]
    pub judged_after: u32,
}

impl Default for ReportSettings {
    fn default() -> Self {
        Self {
            threshold: 1,
            hide_on_report: false,
            trusted_reporter_approved: None,
            dismissed_percent_limit: 80,
            judged_after: 5,
        }
    }
}

impl ReportSettings {
    /// Whether a reporter with this record still counts toward thresholds.
    pub fn counts_reporter(&self, dismissed: i64, upheld: i64) -> bool {
        let resolved = dismissed + upheld;
        resolved < i64::from(self.judged_after)
            || dismissed * 100 <= i64::from(self.dismissed_percent_limit) * resolved
    }
}

/// Threads.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(default, deny_unknown_fields)]
pub struct ThreadSettings {
    /// Rejecting a comment sends its published replies, and every reply
    /// below them, back to the queue, and holds replies that arrive later.
    pub hold_replies_on_reject: bool,
}

/// The three together, as a site stores them.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct PublishedSettings {
    pub edits: EditSettings,
    pub reports: ReportSettings,
    pub threads: ThreadSettings,
}

/// A setting out of range, naming its field.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{field}: {message}")]
pub struct PublishedSettingsError {
    pub field: &'static str,
    pub message: String,
}

impl PublishedSettings {
    pub fn from_stored(stored: &str) -> Result<Self, serde_json::Error> {
        if stored.trim().is_empty() {
            Ok(Self::default())
        } else {
            serde_json::from_str(stored)
        }
    }

    pub fn to_stored(&self) -> String {
        serde_json::to_string(self).unwrap_or_default()
    }

    pub fn validate(&self) -> Result<(), PublishedSettingsError> {
        let within = |field: &'static str, value: u32, min: u32, max: u32| {
            if (min..=max).contains(&value) {
                Ok(())
            } else {
                Err(PublishedSettingsError {
                    field,
                    message: format!("must be between {min} and {max}"),
                })
            }
        };
        if let Some(window) = self.edits.window_minutes {
            within("edits.window_minutes", window, 1, 525_600)?;
        }
        let r = &self.reports;
        within("reports.threshold", r.threshold, 1, 1000)?;
        if let Some(approved) = r.trusted_reporter_approved {
            within("reports.trusted_reporter_approved", approved, 1, 1_000_000)?;
        }
        within(
            "reports.dismissed_percent_limit",
            r.dismissed_percent_limit,
            0,
            100,
        )?;
        within("reports.judged_after", r.judged_after, 1, 1000)
    }

    /// One line for the configuration trail.
    pub fn summary(&self) -> String {
        let r = &self.reports;
        format!(
            "edit_window={} report_threshold={} hide_on_report={} trusted_reporter_approved={} dismissed_limit={}%/{} hold_replies_on_reject={}",
            self.edits
                .window_minutes
                .map_or("none".to_owned(), |m| format!("{m}m")),
            r.threshold,
            r.hide_on_report,
            r.trusted_reporter_approved
                .map_or("none".to_owned(), |n| n.to_string()),
            r.dismissed_percent_limit,
            r.judged_after,
            self.threads.hold_replies_on_reject,
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn empty_storage_means_defaults_and_values_round_trip() {
        let defaults = PublishedSettings::from_stored("").unwrap();
        assert_eq!(defaults, PublishedSettings::default());
        assert_eq!(defaults.reports.threshold, 1);
        let mut changed = defaults.clone();
        changed.edits.window_minutes = Some(15);
        changed.reports.hide_on_report = true;
        let back = PublishedSettings::from_stored(&changed.to_stored()).unwrap();
        assert_eq!(back, changed);
        assert!(serde_json::from_str::<ReportSettings>(r#"{"treshold": 2}"#).is_err());
    }

    #[test]
    fn out_of_range_values_name_their_field() {
        let mut s = PublishedSettings::default();
        s.reports.threshold = 0;
        assert_eq!(s.validate().unwrap_err().field, "reports.threshold");
        s.reports.threshold = 3;
        s.reports.dismissed_percent_limit = 101;
        assert_eq!(
            s.validate().unwrap_err().field,
            "reports.dismissed_percent_limit"
        );
        s.reports.dismissed_percent_limit = 50;
        s.edits.window_minutes = Some(0);
        assert_eq!(s.validate().unwrap_err().field, "edits.window_minutes");
    }

    #[test]
    fn reporters_stop_counting_past_the_dismissed_limit() {
        let r = ReportSettings::default(); // 80% once 5 are resolved
        assert!(r.counts_reporter(4, 0), "too few resolved to judge");
        assert!(
            r.counts_reporter(4, 1),
            "80% dismissed is not more than 80%"
        );
        assert!(!r.counts_reporter(5, 0));
        assert!(!r.counts_reporter(9, 2));
        assert!(r.counts_reporter(8, 2));
    }
}
