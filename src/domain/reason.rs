use std::str::FromStr;

use super::UnknownValue;

/// Where a reason to hold a comment came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, utoipa::ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum ReasonSource {
    Policy,
    Rule,
    Classifier,
}

impl ReasonSource {
    pub fn as_str(self) -> &'static str {
        match self {
            ReasonSource::Policy => "policy",
            ReasonSource::Rule => "rule",
            ReasonSource::Classifier => "classifier",
        }
    }
}

impl FromStr for ReasonSource {
    type Err = UnknownValue;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "policy" => Ok(ReasonSource::Policy),
            "rule" => Ok(ReasonSource::Rule),
            "classifier" => Ok(ReasonSource::Classifier),
            other => Err(UnknownValue {
                kind: "reason source",
                value: other.to_owned(),
            }),
        }
    }
}

/// The exact text a rule matched, as byte offsets into the original body.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Span {
    pub start: usize,
    pub end: usize,
    pub text: String,
}

/// Which rule version left a reason, what it asked for, and whether it only
/// observed (shadow mode).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RuleRef {
    pub id: i64,
    pub version: i32,
    pub action: String,
    pub shadow: bool,
}

/// The classifier score behind a reason: the score, the band edge it was
/// compared with, what that band did (`hold`, `flag`, `reject`, or `none`
/// below the band), and the model that scored.
#[derive(Debug, Clone, PartialEq)]
pub struct ScoreRef {
    pub value: f64,
    pub threshold: f64,
    pub action: String,
    pub model: String,
    /// How the score came about (a transformer's second opinion), also
    /// part of the reason's message.
    pub note: Option<String>,
}

/// One reason a comment was held or flagged, or a classifier score that
/// stayed below its band, kept so moderators see every score.
#[derive(Debug, Clone, PartialEq)]
pub struct Reason {
    pub source: ReasonSource,
    pub code: String,
    pub message: String,
    pub span: Option<Span>,
    pub rule: Option<RuleRef>,
    pub score: Option<ScoreRef>,
}

impl Reason {
    pub fn policy(code: &str, message: String) -> Self {
        Self {
            source: ReasonSource::Policy,
            code: code.to_owned(),
            message,
            span: None,
            rule: None,
            score: None,
        }
    }
}
