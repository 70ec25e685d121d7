//! What the queue page shows: its filters and order, read from the query
//! string (and from the bulk form, for "every comment matching the view"),
//! and written back into links and saved queues.

use serde::Deserialize;

use crate::api::parse;
use crate::domain::QueueTab;
use crate::error::AppError;
use crate::moderation::{QueueCursor, QueueFilter, QueueSort};

#[derive(Debug, Clone, Default, Deserialize, PartialEq, Eq)]
pub struct QueueView {
    /// `pending` when empty.
    #[serde(default)]
    pub tab: String,
    #[serde(default)]
    pub site: String,
    #[serde(default)]
    pub article: String,
    #[serde(default)]
    pub reason: String,
    #[serde(default)]
    pub rule: String,
    #[serde(default)]
    pub q: String,
    /// A classifier attribute the score range applies to; empty for any.
    #[serde(default)]
    pub attribute: String,
    #[serde(default)]
    pub score_min: String,
    #[serde(default)]
    pub score_max: String,
    #[serde(default)]
    pub sort: String,
}

fn some(value: &str) -> Option<String> {
    let trimmed = value.trim();
    (!trimmed.is_empty()).then(|| trimmed.to_owned())
}

impl QueueView {
    /// The tab shown; an unknown name shows the pending queue.
    pub fn tab(&self) -> QueueTab {
        self.tab.parse().unwrap_or_default()
    }

    pub fn sort(&self) -> QueueSort {
        match self.sort.as_str() {
            "oldest" => QueueSort::Oldest,
            "newest" => QueueSort::Newest,
            _ => QueueSort::Priority,
        }
    }

    /// The listing filter; a rule id that is not a number matches nothing
    /// rather than everything. A score that is not one is an error.
    pub fn filter(&self, limit: i64, cursor: Option<QueueCursor>) -> Result<QueueFilter, AppError> {
        Ok(QueueFilter {
            tab: self.tab(),
            site: some(&self.site),
            article: some(&self.article),
            reason: some(&self.reason),
            rule: some(&self.rule).map(|r| r.parse().unwrap_or(-1)),
            text: some(&self.q),
            score: parse::score_filter(
                Some(&self.attribute),
                Some(&self.score_min),
                Some(&self.score_max),
            )?,
            sort: self.sort(),
            limit,
            cursor,
        })
    }

    pub fn is_filtered(&self) -> bool {
        [
            &self.site,
            &self.article,
            &self.reason,
            &self.rule,
            &self.q,
            &self.score_min,
            &self.score_max,
        ]
        .iter()
        .any(|v| !v.trim().is_empty())
    }

    /// The view as a query string (without `?`), leaving out what is unset.
    pub fn query_string(&self) -> String {
        [
            ("tab", &self.tab),
            ("site", &self.site),
            ("article", &self.article),
            ("reason", &self.reason),
            ("rule", &self.rule),
            ("q", &self.q),
            ("attribute", &self.attribute),
            ("score_min", &self.score_min),
            ("score_max", &self.score_max),
            ("sort", &self.sort),
        ]
        .iter()
        .filter(|(_, v)| !v.trim().is_empty())
        .map(|(k, v)| format!("{k}={}", encode(v.trim())))
        .collect::<Vec<_>>()
        .join("&")
    }
}

/// Percent-encodes a query string value.
pub fn encode(value: &str) -> String {
    value
        .bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                char::from(b).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn views_round_trip_through_query_strings() {
        let view = QueueView {
            site: "alpha".into(),
            q: "cheap & fast".into(),
            sort: "oldest".into(),
            ..QueueView::default()
        };
        assert_eq!(
            view.query_string(),
            "site=alpha&q=cheap%20%26%20fast&sort=oldest"
        );
        assert!(view.is_filtered());
        assert!(!QueueView::default().is_filtered());
        assert_eq!(QueueView::default().query_string(), "");
        let filter = view.filter(50, None).expect("filter");
        assert_eq!(filter.text.as_deref(), Some("cheap & fast"));
        assert_eq!(filter.sort, QueueSort::Oldest);
        let bad_rule = QueueView {
            rule: "x".into(),
            ..QueueView::default()
        };
        assert_eq!(bad_rule.filter(50, None).expect("filter").rule, Some(-1));
        let scored = QueueView {
            attribute: "spam".into(),
            score_min: "0.5".into(),
            ..QueueView::default()
        };
        let range = scored
            .filter(50, None)
            .expect("filter")
            .score
            .expect("range");
        assert_eq!((range.min, range.max), (0.5, 1.0));
        assert!(scored.is_filtered());
        let bad_score = QueueView {
            score_max: "lots".into(),
            ..QueueView::default()
        };
        assert!(bad_score.filter(50, None).is_err());
    }
}
