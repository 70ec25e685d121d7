//! A comment as sites receive it: in `/api/v1` answers and in webhook
//! payloads, the same shape in both.

use chrono::NaiveDateTime;
use serde::Serialize;

use crate::domain::Reason;

use super::CommentView;

/// Times are UTC, RFC 3339, microsecond precision.
pub fn timestamp(t: NaiveDateTime) -> String {
    t.format("%Y-%m-%dT%H:%M:%S%.6fZ").to_string()
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct CommentResource {
    pub id: String,
    #[schema(value_type = crate::domain::Status)]
    pub status: &'static str,
    /// The policy the comment was judged under.
    #[schema(value_type = crate::domain::Policy)]
    pub policy: &'static str,
    pub priority: i32,
    pub version: i64,
    pub article: ArticleSummary,
    pub author: AuthorResource,
    pub parent_id: Option<String>,
    pub body: String,
    pub reasons: Vec<ReasonResource>,
    /// Every classifier score, below its band or not; empty when the
    /// site's classifier is off.
    pub scores: Vec<CommentScoreResource>,
    pub client_ref: Option<String>,
    pub created_at: String,
    pub updated_at: String,
    pub decision: Option<DecisionResource>,
    /// How many bodies the comment has had: 1 until edited.
    pub revision: i32,
    /// When the body was last edited.
    pub edited_at: Option<String>,
    pub reports: ReportsResource,
}

/// Readers' reports on a comment.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ReportsResource {
    /// Reports no moderator has resolved yet.
    pub open: i64,
    /// Whether the comment waits in the Reported queue.
    pub in_review: bool,
    /// Whether it is kept from readers meanwhile (the site's
    /// `reports.hide_on_report`).
    pub hidden: bool,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ArticleSummary {
    pub id: String,
    pub title: String,
    pub url: String,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct AuthorResource {
    pub id: String,
    pub name: String,
    pub email: Option<String>,
    pub approved_count: i32,
    pub rejected_count: i32,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ReasonResource {
    #[schema(value_type = crate::domain::ReasonSource)]
    pub source: &'static str,
    pub code: String,
    pub message: String,
    pub span: Option<SpanResource>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rule: Option<RuleRefResource>,
    /// Classifier reasons: the score, the band edge it met, what the band
    /// did (`hold`, `flag`, `reject`, or `none` below the band), the model.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub score: Option<ScoreResource>,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct CommentScoreResource {
    pub attribute: String,
    pub value: f64,
    pub threshold: f64,
    pub action: String,
    pub model: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ScoreResource {
    pub value: f64,
    pub threshold: f64,
    pub action: String,
    pub model: String,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct RuleRefResource {
    pub id: String,
    pub version: i32,
    pub action: String,
    pub shadow: bool,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct SpanResource {
    pub start: usize,
    pub end: usize,
    pub text: String,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct DecisionResource {
    pub action: String,
    pub by: Option<String>,
    pub reason: Option<ReasonRef>,
    pub note: Option<String>,
    pub decided_at: Option<String>,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ReasonRef {
    pub code: String,
    pub title: Option<String>,
}

impl From<&Reason> for ReasonResource {
    fn from(r: &Reason) -> Self {
        Self {
            source: r.source.as_str(),
            code: r.code.clone(),
            message: r.message.clone(),
            span: r.span.as_ref().map(|s| SpanResource {
                start: s.start,
                end: s.end,
                text: s.text.clone(),
            }),
            rule: r.rule.as_ref().map(|rule| RuleRefResource {
                id: rule.id.to_string(),
                version: rule.version,
                action: rule.action.clone(),
                shadow: rule.shadow,
            }),
            score: r.score.as_ref().map(|s| ScoreResource {
                value: s.value,
                threshold: s.threshold,
                action: s.action.clone(),
                model: s.model.clone(),
            }),
        }
    }
}

impl From<&CommentView> for CommentResource {
    fn from(c: &CommentView) -> Self {
        Self {
            id: c.id.to_string(),
            status: c.status.as_str(),
            policy: c.policy.as_str(),
            priority: c.priority,
            version: c.version,
            article: ArticleSummary {
                id: c.article_external_id.clone(),
                title: c.article_title.clone(),
                url: c.article_url.clone(),
            },
            author: AuthorResource {
                id: c.author.external_id.clone(),
                name: c.author.name.clone(),
                email: c.author.email.clone(),
                approved_count: c.author.approved_count,
                rejected_count: c.author.rejected_count,
            },
            parent_id: c.parent_id.map(|p| p.to_string()),
            body: c.body.clone(),
            reasons: c.reasons.iter().map(ReasonResource::from).collect(),
            scores: c
                .scores
                .iter()
                .map(|s| CommentScoreResource {
                    attribute: s.attribute.clone(),
                    value: s.value,
                    threshold: s.threshold,
                    action: s.action.clone(),
                    model: s.model.clone(),
                    note: s.note.clone(),
                })
                .collect(),
            client_ref: c.client_ref.clone(),
            created_at: timestamp(c.created_at),
            updated_at: timestamp(c.updated_at),
            decision: c.decision.as_ref().map(|d| DecisionResource {
                action: d.action.clone(),
                by: d.moderator.clone(),
                reason: d.reason.as_ref().map(|r| ReasonRef {
                    code: r.code.clone(),
                    title: r.title.clone(),
                }),
                note: d.note.clone(),
                decided_at: d.decided_at.map(timestamp),
            }),
            revision: c.revision,
            edited_at: c.edited_at.map(timestamp),
            reports: ReportsResource {
                open: c.reports.open,
                in_review: c.reports.in_review_since.is_some(),
                hidden: c.reports.hidden,
            },
        }
    }
}
