//! What one audit entry changes in the insight aggregates. Pure: the
//! caller supplies the entry, the one before it for the same comment, and
//! what it needs to know of the comment.

use std::collections::HashMap;

use chrono::{NaiveDateTime, Timelike};

/// An audit entry: a comment's state change.
#[derive(Debug, Clone)]
pub struct Change {
    pub site_id: i64,
    pub actor: String,
    pub action: String,
    /// `None` when the entry created the comment (submitted or imported).
    pub from_status: Option<String>,
    pub to_status: String,
    pub at: NaiveDateTime,
}

/// A rule's reason recorded at intake.
#[derive(Debug, Clone)]
pub struct RuleReason {
    pub rule_id: i64,
    pub action: String,
    pub shadow: bool,
}

/// What the aggregates need of a comment.
#[derive(Debug, Clone, Default)]
pub struct CommentFacts {
    pub article_id: i64,
    pub arrived: NaiveDateTime,
    pub spam_score: Option<f64>,
    pub offensive_score: Option<f64>,
    pub rules: Vec<RuleReason>,
}

/// What became of a comment, as the volume chart stacks it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Outcome {
    Pending,
    AutoApproved,
    Approved,
    Rejected,
    AutoRejected,
    Withdrawn,
}

impl Outcome {
    pub const ALL: [Outcome; 6] = [
        Outcome::AutoApproved,
        Outcome::Approved,
        Outcome::Rejected,
        Outcome::AutoRejected,
        Outcome::Withdrawn,
        Outcome::Pending,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Outcome::Pending => "pending",
            Outcome::AutoApproved => "auto_approved",
            Outcome::Approved => "approved",
            Outcome::Rejected => "rejected",
            Outcome::AutoRejected => "auto_rejected",
            Outcome::Withdrawn => "withdrawn",
        }
    }

    pub fn parse(s: &str) -> Option<Outcome> {
        Outcome::ALL.into_iter().find(|o| o.as_str() == s)
    }

    fn rejecting(self) -> bool {
        matches!(self, Outcome::Rejected | Outcome::AutoRejected)
    }
}

/// Whether an actor is a moderator (not a site, a rule or an import).
pub fn is_moderator(actor: &str) -> bool {
    actor.starts_with("moderator:")
}

/// Where a change leaves the comment, and who decided it ("" for no one).
/// Moderators and imports decide; intake outcomes are automatic.
pub fn outcome(change: &Change) -> (Outcome, &str) {
    let decided_by_people = is_moderator(&change.actor) || change.action == "imported";
    match (change.to_status.as_str(), decided_by_people) {
        ("approved", true) => (Outcome::Approved, &change.actor),
        ("approved", false) => (Outcome::AutoApproved, ""),
        ("rejected", true) => (Outcome::Rejected, &change.actor),
        ("rejected", false) => (Outcome::AutoRejected, ""),
        ("withdrawn", _) => (Outcome::Withdrawn, ""),
        _ => (Outcome::Pending, ""),
    }
}

/// The hour a time falls in.
pub fn hour_of(at: NaiveDateTime) -> NaiveDateTime {
    at.date()
        .and_hms_opt(at.hour(), 0, 0)
        .unwrap_or_else(|| day_of(at))
}

/// The (UTC) day a time falls in, as its midnight.
pub fn day_of(at: NaiveDateTime) -> NaiveDateTime {
    at.date().and_time(chrono::NaiveTime::MIN)
}

/// Buckets per doubling of the time in queue.
const PER_DOUBLING: f64 = 4.0;
/// The last bucket holds everything from about 44 days on.
pub const LAST_BUCKET: i32 = 88;

/// The bucket of a time in queue of `secs` seconds: bucket `b` holds times
/// up to `bucket_upper_secs(b)`, each about 19% longer than the one before.
pub fn bucket(secs: i64) -> i32 {
    let secs = secs.max(0) as f64;
    ((PER_DOUBLING * (secs + 1.0).log2()) as i32).min(LAST_BUCKET)
}

/// The longest time in queue a bucket holds, in seconds.
pub fn bucket_upper_secs(bucket: i32) -> i64 {
    (2f64.powf(f64::from(bucket + 1) / PER_DOUBLING) - 1.0).ceil() as i64
}

/// Score bins per attribute: twenty of 0.05.
pub const SCORE_BINS: i32 = 20;

pub fn score_bin(score: f64) -> i32 {
    ((score * f64::from(SCORE_BINS)) as i32).clamp(0, SCORE_BINS - 1)
}

type Who = String;

/// Sums of changes to each aggregate row, by key.
#[derive(Debug, Default)]
pub struct Deltas {
    /// By arrival hour.
    pub volume: HashMap<(i64, NaiveDateTime, Outcome, Who), i64>,
    /// By arrival day.
    pub volume_days: HashMap<(i64, NaiveDateTime, Outcome, Who), i64>,
    pub backlog: HashMap<(i64, NaiveDateTime), i64>,
    /// approved, rejected, overturned
    pub decisions: HashMap<(i64, NaiveDateTime, Who), [i64; 3]>,
    pub waits: HashMap<(i64, NaiveDateTime, Who, i32), i64>,
    /// hits, held, auto_rejected, held_rejected, held_approved
    pub rules: HashMap<(i64, NaiveDateTime, i64, Who), [i64; 5]>,
    /// approved, rejected
    pub scores: HashMap<(i64, NaiveDateTime, &'static str, i32, Who), [i64; 2]>,
    /// comments, rejected
    pub articles: HashMap<(i64, NaiveDateTime, i64, Who), [i64; 2]>,
}

impl Deltas {
    /// Counts `change`, which followed `previous` (the comment's entry
    /// before it, `None` when it created the comment).
    pub fn count(&mut self, change: &Change, previous: Option<&Change>, facts: &CommentFacts) {
        let site = change.site_id;
        let (now, now_by) = outcome(change);
        let before = previous.map(outcome);
        let arrival_hour = hour_of(facts.arrived);
        let arrival_day = day_of(facts.arrived);

        for (map, at) in [
            (&mut self.volume, arrival_hour),
            (&mut self.volume_days, arrival_day),
        ] {
            if let Some((was, was_by)) = before {
                *map.entry((site, at, was, was_by.to_owned())).or_default() -= 1;
            }
            *map.entry((site, at, now, now_by.to_owned())).or_default() += 1;
        }

        let was_pending = before.is_some_and(|(o, _)| o == Outcome::Pending);
        if was_pending != (now == Outcome::Pending) {
            *self.backlog.entry((site, hour_of(change.at))).or_default() +=
                if was_pending { -1 } else { 1 };
        }

        let was_rejected = before.is_some_and(|(o, _)| o.rejecting());
        if previous.is_none() {
            self.article(site, arrival_day, facts.article_id, "")[0] += 1;
            self.count_intake(site, arrival_day, now, facts);
        }
        if now.rejecting() && !was_rejected {
            self.article(site, arrival_day, facts.article_id, now_by)[1] += 1;
        }
        if let Some((_, was_by)) = before.filter(|(o, _)| o.rejecting() && !now.rejecting()) {
            self.article(site, arrival_day, facts.article_id, was_by)[1] -= 1;
        }

        let decision = matches!(now, Outcome::Approved | Outcome::Rejected)
            && is_moderator(&change.actor)
            && was_pending;
        if let (true, Some(previous)) = (decision, previous) {
            let day = day_of(change.at);
            let approved = now == Outcome::Approved;
            self.decisions
                .entry((site, day, change.actor.clone()))
                .or_default()[usize::from(!approved)] += 1;
            let waited = (change.at - previous.at).num_seconds();
            *self
                .waits
                .entry((site, day, change.actor.clone(), bucket(waited)))
                .or_default() += 1;
            self.count_review(site, arrival_day, &change.actor, approved, facts, 1);
        }
        // A moderator's decision undone by a reopening.
        if let (
            Outcome::Pending,
            Some(previous),
            Some((was @ (Outcome::Approved | Outcome::Rejected), was_by)),
        ) = (now, previous, before)
            && is_moderator(was_by)
        {
            self.count_review(
                site,
                arrival_day,
                was_by,
                was == Outcome::Approved,
                facts,
                -1,
            );
            if change.actor != previous.actor {
                self.decisions
                    .entry((site, day_of(change.at), was_by.to_owned()))
                    .or_default()[2] += 1;
            }
        }
    }

    fn article(&mut self, site: i64, day: NaiveDateTime, article: i64, by: &str) -> &mut [i64; 2] {
        self.articles
            .entry((site, day, article, by.to_owned()))
            .or_default()
    }

    /// Rule hits at intake: what each rule did to the new comment.
    fn count_intake(&mut self, site: i64, day: NaiveDateTime, now: Outcome, facts: &CommentFacts) {
        for reason in &facts.rules {
            let row = self
                .rules
                .entry((site, day, reason.rule_id, String::new()))
                .or_default();
            row[0] += 1;
            let acted = !reason.shadow;
            if acted && now == Outcome::Pending && reason.action == "hold" {
                row[1] += 1;
            }
            if acted && now == Outcome::AutoRejected && reason.action == "reject" {
                row[2] += 1;
            }
        }
    }

    /// A moderator's decision (`sign` 1) or its undoing (-1): what became of
    /// the comments rules held, and the scores of what was approved and
    /// rejected.
    fn count_review(
        &mut self,
        site: i64,
        day: NaiveDateTime,
        by: &str,
        approved: bool,
        facts: &CommentFacts,
        sign: i64,
    ) {
        for reason in facts
            .rules
            .iter()
            .filter(|r| !r.shadow && r.action == "hold")
        {
            self.rules
                .entry((site, day, reason.rule_id, by.to_owned()))
                .or_default()[if approved { 4 } else { 3 }] += sign;
        }
        let scores = [
            ("spam", facts.spam_score),
            ("offensive", facts.offensive_score),
        ];
        for (attribute, score) in scores {
            if let Some(score) = score {
                self.scores
                    .entry((site, day, attribute, score_bin(score), by.to_owned()))
                    .or_default()[usize::from(!approved)] += sign;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(text: &str) -> NaiveDateTime {
        NaiveDateTime::parse_from_str(text, "%Y-%m-%d %H:%M:%S").expect("time")
    }

    fn change(actor: &str, action: &str, from: Option<&str>, to: &str, when: &str) -> Change {
        Change {
            site_id: 1,
            actor: actor.into(),
            action: action.into(),
            from_status: from.map(Into::into),
            to_status: to.into(),
            at: at(when),
        }
    }

    fn facts() -> CommentFacts {
        CommentFacts {
            article_id: 5,
            arrived: at("2026-03-01 10:20:00"),
            spam_score: Some(0.72),
            offensive_score: None,
            rules: vec![
                RuleReason {
                    rule_id: 7,
                    action: "hold".into(),
                    shadow: false,
                },
                RuleReason {
                    rule_id: 8,
                    action: "hold".into(),
                    shadow: true,
                },
            ],
        }
    }

    /// Volume rows left non-zero.
    fn volume(d: &Deltas) -> Vec<(Outcome, String, i64)> {
        let mut rows: Vec<_> = d
            .volume
            .iter()
            .filter(|(_, n)| **n != 0)
            .map(|((_, _, o, by), n)| (*o, by.clone(), *n))
            .collect();
        rows.sort();
        rows
    }

    #[test]
    fn a_held_comment_rejected_then_reopened_by_someone_else() {
        let f = facts();
        let submit = change(
            "site:alpha",
            "submit",
            None,
            "pending",
            "2026-03-01 10:20:00",
        );
        let reject = change(
            "moderator:ann@x",
            "reject",
            Some("pending"),
            "rejected",
            "2026-03-01 10:50:00",
        );
        let reopen = change(
            "moderator:bob@x",
            "reopen",
            Some("rejected"),
            "pending",
            "2026-03-02 09:00:00",
        );
        let mut d = Deltas::default();
        d.count(&submit, None, &f);
        assert_eq!(volume(&d), [(Outcome::Pending, String::new(), 1)]);
        assert_eq!(
            d.rules[&(1, at("2026-03-01 00:00:00"), 7, String::new())],
            [1, 1, 0, 0, 0]
        );
        // A shadow rule hits but holds nothing.
        assert_eq!(
            d.rules[&(1, at("2026-03-01 00:00:00"), 8, String::new())],
            [1, 0, 0, 0, 0]
        );
        assert_eq!(d.backlog[&(1, at("2026-03-01 10:00:00"))], 1);

        d.count(&reject, Some(&submit), &f);
        assert_eq!(
            volume(&d),
            [(Outcome::Rejected, "moderator:ann@x".into(), 1)]
        );
        let day = at("2026-03-01 00:00:00");
        assert_eq!(d.decisions[&(1, day, "moderator:ann@x".into())], [0, 1, 0]);
        // Thirty minutes in the queue.
        let b = bucket(1800);
        assert!(bucket_upper_secs(b) >= 1800 && bucket_upper_secs(b - 1) < 1800);
        assert_eq!(d.waits[&(1, day, "moderator:ann@x".into(), b)], 1);
        assert_eq!(
            d.rules[&(1, day, 7, "moderator:ann@x".into())],
            [0, 0, 0, 1, 0]
        );
        assert_eq!(
            d.scores[&(1, day, "spam", 14, "moderator:ann@x".into())],
            [0, 1]
        );
        assert_eq!(d.articles[&(1, day, 5, "moderator:ann@x".into())], [0, 1]);
        assert_eq!(d.backlog[&(1, at("2026-03-01 10:00:00"))], 0);

        d.count(&reopen, Some(&reject), &f);
        assert_eq!(volume(&d), [(Outcome::Pending, String::new(), 1)]);
        assert_eq!(
            d.rules[&(1, day, 7, "moderator:ann@x".into())],
            [0, 0, 0, 0, 0]
        );
        assert_eq!(
            d.scores[&(1, day, "spam", 14, "moderator:ann@x".into())],
            [0, 0]
        );
        assert_eq!(d.articles[&(1, day, 5, "moderator:ann@x".into())], [0, 0]);
        // Ann's decision was overturned by Bob, on the day he reopened it.
        assert_eq!(
            d.decisions[&(1, at("2026-03-02 00:00:00"), "moderator:ann@x".into())],
            [0, 0, 1]
        );
        assert_eq!(d.backlog[&(1, at("2026-03-02 09:00:00"))], 1);
    }

    #[test]
    fn intake_outcomes_and_imports_are_not_moderators_decisions() {
        let f = CommentFacts {
            rules: vec![RuleReason {
                rule_id: 3,
                action: "reject".into(),
                shadow: false,
            }],
            ..facts()
        };
        let mut d = Deltas::default();
        d.count(
            &change(
                "site:alpha",
                "submit",
                None,
                "rejected",
                "2026-03-01 10:20:00",
            ),
            None,
            &f,
        );
        d.count(
            &change(
                "import:wordpress",
                "imported",
                None,
                "approved",
                "2026-03-01 10:20:00",
            ),
            None,
            &facts(),
        );
        assert_eq!(
            volume(&d),
            [
                (Outcome::Approved, "import:wordpress".into(), 1),
                (Outcome::AutoRejected, String::new(), 1)
            ]
        );
        assert!(d.decisions.is_empty() && d.waits.is_empty() && d.scores.is_empty());
        assert_eq!(
            d.rules[&(1, at("2026-03-01 00:00:00"), 3, String::new())],
            [1, 0, 1, 0, 0]
        );
    }

    #[test]
    fn reopening_ones_own_decision_is_not_an_overturn() {
        let f = facts();
        let submit = change("site:a", "submit", None, "pending", "2026-03-01 10:20:00");
        let approve = change(
            "moderator:ann@x",
            "approve",
            Some("pending"),
            "approved",
            "2026-03-01 10:21:00",
        );
        let reopen = change(
            "moderator:ann@x",
            "reopen",
            Some("approved"),
            "pending",
            "2026-03-01 10:22:00",
        );
        let mut d = Deltas::default();
        d.count(&submit, None, &f);
        d.count(&approve, Some(&submit), &f);
        d.count(&reopen, Some(&approve), &f);
        assert_eq!(
            d.decisions[&(1, at("2026-03-01 00:00:00"), "moderator:ann@x".into())],
            [1, 0, 0]
        );
    }

    #[test]
    fn buckets_grow_by_a_fifth() {
        assert_eq!(bucket(0), 0);
        for secs in [1, 59, 60, 3_599, 86_400, 2_000_000] {
            let b = bucket(secs);
            assert!(bucket_upper_secs(b) >= secs, "{secs} in {b}");
            assert!(
                bucket_upper_secs(b) as f64 <= (secs as f64 + 1.0) * 1.2 + 1.0,
                "{secs} in {b}"
            );
        }
        assert_eq!(bucket(i64::MAX), LAST_BUCKET);
        assert_eq!(
            (score_bin(0.0), score_bin(0.999), score_bin(1.0)),
            (0, 19, 19)
        );
    }
}
