//! What the insights are asked for: sites, a period and a moderator,
//! parsed from a query string.

use chrono::NaiveDate;

use crate::error::AppError;

/// The longest period the figures cover, in days.
pub const MAX_DAYS: i64 = 732;

/// What to show, parsed from a query string.
#[derive(Debug, Clone)]
pub struct InsightsRequest {
    /// A site's name; all the moderator's sites when `None`.
    pub site: Option<String>,
    /// The first and last day, inclusive (UTC).
    pub first: NaiveDate,
    pub last: NaiveDate,
    /// A moderator's email: only their decisions.
    pub moderator: Option<String>,
}

impl InsightsRequest {
    /// `period` is `day`, `week`, `month` or `year`, ending `today`; `from`
    /// and `until` (YYYY-MM-DD, inclusive) give a range instead.
    pub fn parse(
        site: Option<String>,
        period: Option<&str>,
        from: Option<&str>,
        until: Option<&str>,
        moderator: Option<String>,
        today: NaiveDate,
    ) -> Result<Self, AppError> {
        let date = |field: &'static str, raw: &str| {
            NaiveDate::parse_from_str(raw, "%Y-%m-%d")
                .map_err(|_| AppError::validation(field, "not a date like 2026-11-29"))
        };
        let days = match period.unwrap_or("month") {
            "day" => 1,
            "week" => 7,
            "month" => 30,
            "year" => 365,
            _ => {
                return Err(AppError::validation(
                    "period",
                    "must be day, week, month or year",
                ));
            }
        };
        let last = until
            .map(|u| date("until", u))
            .transpose()?
            .unwrap_or(today);
        let first = match from {
            Some(f) => date("from", f)?,
            None => last - chrono::Days::new(days - 1),
        };
        if first > last {
            return Err(AppError::validation("from", "must not be after until"));
        }
        if (last - first).num_days() >= MAX_DAYS {
            return Err(AppError::validation(
                "from",
                "the period may span at most 732 days",
            ));
        }
        Ok(Self {
            site: site.filter(|s| !s.is_empty()),
            first,
            last,
            moderator: moderator.filter(|m| !m.is_empty()),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").expect("date")
    }

    #[test]
    fn periods_end_today_and_ranges_are_checked() {
        let today = day("2026-11-29");
        let month = InsightsRequest::parse(None, None, None, None, None, today).expect("default");
        assert_eq!((month.first, month.last), (day("2026-10-31"), today));
        let d = InsightsRequest::parse(None, Some("day"), None, None, None, today).expect("day");
        assert_eq!(d.first, today);
        let range = InsightsRequest::parse(
            Some("alpha".into()),
            None,
            Some("2026-01-01"),
            Some("2026-01-31"),
            Some(String::new()),
            today,
        )
        .expect("range");
        assert_eq!(
            (range.first, range.last, range.moderator),
            (day("2026-01-01"), day("2026-01-31"), None)
        );
        for (period, from, until) in [
            (Some("decade"), None, None),
            (None, Some("2026-02-01"), Some("2026-01-01")),
            (None, Some("2020-01-01"), Some("2026-01-01")),
            (None, Some("yesterday"), None),
        ] {
            assert!(InsightsRequest::parse(None, period, from, until, None, today).is_err());
        }
    }
}
