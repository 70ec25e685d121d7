//! A rule as people write it (JSON over the API, TOML in files), and its
//! validation into a [`RuleSpec`] the engine can compile.

use serde::{Deserialize, Serialize};

/// What a rule does when it hits. The strongest enforced action decides:
/// reject > hold > flag > approve.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, utoipa::ToSchema,
)]
#[serde(rename_all = "lowercase")]
pub enum RuleAction {
    Approve,
    Flag,
    Hold,
    Reject,
}

impl RuleAction {
    pub fn as_str(self) -> &'static str {
        match self {
            RuleAction::Approve => "approve",
            RuleAction::Flag => "flag",
            RuleAction::Hold => "hold",
            RuleAction::Reject => "reject",
        }
    }
}

/// `shadow` rules record their hits and change nothing.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default, utoipa::ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum RuleMode {
    #[default]
    Enforce,
    Shadow,
}

impl RuleMode {
    pub fn as_str(self) -> &'static str {
        match self {
            RuleMode::Enforce => "enforce",
            RuleMode::Shadow => "shadow",
        }
    }
}

/// The editable part of a rule.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RuleDefinition {
    /// 1 to 100 characters, not blank.
    #[schema(min_length = 1, max_length = 100, pattern = r"\S")]
    pub name: String,
    pub action: RuleAction,
    /// A guideline code; required for `reject`, shown with every hit.
    #[serde(default)]
    pub reason: Option<String>,
    #[serde(default)]
    pub mode: RuleMode,
    #[serde(default = "enabled")]
    pub enabled: bool,
    /// What moderators read when the rule hits.
    #[serde(default)]
    pub message: Option<String>,
    /// Priority added to a held or flagged comment.
    #[serde(default = "default_priority")]
    pub priority: i32,
    #[serde(rename = "match")]
    pub matcher: Matcher,
}

fn enabled() -> bool {
    true
}

fn default_priority() -> i32 {
    20
}

/// What a rule looks for.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
pub enum Matcher {
    /// Words and phrases. `"scam*"` matches as a prefix; `{"term": "x",
    /// "mode": "substring"}` anywhere inside words.
    Terms {
        terms: Vec<TermInput>,
        #[serde(default)]
        allow: Vec<String>,
    },
    /// A `regex` crate pattern, matched against the normalised text unless
    /// `normalize` is false.
    Regex {
        pattern: String,
        #[serde(default = "enabled")]
        normalize: bool,
    },
    Links {
        #[serde(default)]
        max_links: Option<u32>,
        #[serde(default)]
        block_domains: Vec<String>,
        /// When not empty, links to any other domain hit.
        #[serde(default)]
        allow_domains: Vec<String>,
        #[serde(default)]
        shorteners: bool,
        /// Any link from an author still under the new-author hold.
        #[serde(default)]
        new_authors: bool,
    },
    Shape(ShapeSpec),
    /// The built-in profanity detector (the `rustrict` word lists, which see
    /// through common evasions), at or above a severity.
    Profanity {
        #[serde(default = "default_severity")]
        severity: Severity,
    },
    /// What the author did before: reposting the same text, posting in
    /// bursts, or having most recent comments rejected. Checked against
    /// stored comments inside the intake transaction.
    Behaviour(BehaviourSpec),
    Blocklist {
        #[serde(default)]
        authors: Vec<String>,
        #[serde(default)]
        email_domains: Vec<String>,
        /// Addresses or CIDR ranges, IPv4 or IPv6.
        #[serde(default)]
        ips: Vec<String>,
    },
}

/// Structural checks; unset ones are off.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(default, deny_unknown_fields)]
pub struct ShapeSpec {
    pub min_length: Option<u32>,
    pub max_length: Option<u32>,
    /// Share of capitals among letters, 0 to 1, over at least 20 letters.
    pub shouting: Option<f64>,
    /// The same character this many times in a row.
    pub repeated_chars: Option<u32>,
    /// The same word this many times in a row.
    pub repeated_words: Option<u32>,
    /// This many digits in a row (spaces, dots and dashes allowed between).
    pub digit_run: Option<u32>,
    pub phone_numbers: bool,
    pub crypto_addresses: bool,
}

/// What the author did before: reposting the same text, posting in bursts,
/// or having most recent comments rejected. Checked against stored
/// comments inside the intake transaction.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(default, deny_unknown_fields)]
pub struct BehaviourSpec {
    /// The same text (ignoring case and spacing) within this many seconds.
    pub duplicate_within_secs: Option<u32>,
    /// Count duplicates by anyone on the site, not only the same author.
    pub duplicate_across_site: bool,
    /// More than `flood_max` comments within `flood_window_secs`.
    pub flood_max: Option<u32>,
    pub flood_window_secs: u32,
    /// Count the flood per IP address instead of per author.
    pub flood_per_ip: bool,
    /// Share of the author's last decided comments that were rejected.
    pub rejection_rate_above: Option<f64>,
    /// How many decided comments the rate needs before it counts.
    pub rejection_min_decided: u32,
}

impl Default for BehaviourSpec {
    fn default() -> Self {
        Self {
            duplicate_within_secs: None,
            duplicate_across_site: false,
            flood_max: None,
            flood_window_secs: 60,
            flood_per_ip: false,
            rejection_rate_above: None,
            rejection_min_decided: 5,
        }
    }
}

/// How bad a word must be for the profanity detector to hit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Mild,
    Moderate,
    Severe,
}

fn default_severity() -> Severity {
    Severity::Moderate
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(untagged)]
pub enum TermInput {
    Plain(String),
    Detailed { term: String, mode: TermMode },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum TermMode {
    /// The whole word or phrase (the default).
    Word,
    /// Words starting with the term.
    Prefix,
    /// Anywhere, even inside other words: opt in knowingly.
    Substring,
}

/// A term ready to compile.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Term {
    pub text: String,
    pub mode: TermMode,
}

impl TermInput {
    pub fn parse(&self) -> Term {
        match self {
            TermInput::Plain(raw) => match raw.trim().strip_suffix('*') {
                Some(prefix) => Term {
                    text: prefix.trim().to_owned(),
                    mode: TermMode::Prefix,
                },
                None => Term {
                    text: raw.trim().to_owned(),
                    mode: TermMode::Word,
                },
            },
            TermInput::Detailed { term, mode } => Term {
                text: term.trim().to_owned(),
                mode: *mode,
            },
        }
    }
}
