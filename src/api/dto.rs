//! Wire types of `/api/v1`. They are built from views, never from rows.

use chrono::NaiveDateTime;
use serde::{Deserialize, Deserializer, Serialize};

use crate::articles::ArticleView;
use crate::domain::{ClassifierSettings, Guideline, Reason};
use crate::moderation::AuditEntry;
use crate::views::CommentView;

/// Times are UTC, RFC 3339, microsecond precision.
pub fn timestamp(t: NaiveDateTime) -> String {
    t.format("%Y-%m-%dT%H:%M:%S%.6fZ").to_string()
}

#[derive(Debug, Deserialize)]
pub struct SubmitCommentRequest {
    pub article: ArticleInput,
    pub author: AuthorInput,
    pub body: String,
    #[serde(default)]
    pub parent_id: Option<String>,
    #[serde(default)]
    pub client_ref: Option<String>,
}

#[derive(Debug, Deserialize)]
pub struct ArticleInput {
    pub id: String,
    #[serde(default)]
    pub url: Option<String>,
    #[serde(default)]
    pub title: Option<String>,
}

#[derive(Debug, Deserialize)]
pub struct AuthorInput {
    pub id: String,
    #[serde(default)]
    pub name: Option<String>,
    #[serde(default)]
    pub email: Option<String>,
    #[serde(default)]
    pub ip: Option<String>,
}

#[derive(Debug, Serialize)]
pub struct CommentResource {
    pub id: String,
    pub status: &'static str,
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
}

#[derive(Debug, Serialize)]
pub struct ArticleSummary {
    pub id: String,
    pub title: String,
    pub url: String,
}

#[derive(Debug, Serialize)]
pub struct AuthorResource {
    pub id: String,
    pub name: String,
    pub email: Option<String>,
    pub approved_count: i32,
    pub rejected_count: i32,
}

#[derive(Debug, Serialize)]
pub struct ReasonResource {
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

#[derive(Debug, Serialize)]
pub struct CommentScoreResource {
    pub attribute: String,
    pub value: f64,
    pub threshold: f64,
    pub action: String,
    pub model: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

#[derive(Debug, Serialize)]
pub struct ScoreResource {
    pub value: f64,
    pub threshold: f64,
    pub action: String,
    pub model: String,
}

#[derive(Debug, Serialize)]
pub struct RuleRefResource {
    pub id: String,
    pub version: i32,
    pub action: String,
    pub shadow: bool,
}

#[derive(Debug, Serialize)]
pub struct SpanResource {
    pub start: usize,
    pub end: usize,
    pub text: String,
}

#[derive(Debug, Serialize)]
pub struct DecisionResource {
    pub action: String,
    pub by: Option<String>,
    pub reason: Option<ReasonRef>,
    pub note: Option<String>,
    pub decided_at: Option<String>,
}

#[derive(Debug, Serialize)]
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
        }
    }
}

#[derive(Debug, Serialize)]
pub struct CommentList {
    pub items: Vec<CommentResource>,
    pub next_cursor: Option<String>,
}

#[derive(Debug, Deserialize)]
pub struct DecisionRequest {
    pub action: String,
    #[serde(default)]
    pub reason: Option<String>,
    #[serde(default)]
    pub note: Option<String>,
    pub version: i64,
}

#[derive(Debug, Deserialize)]
pub struct BulkDecisionRequest {
    pub action: String,
    #[serde(default)]
    pub reason: Option<String>,
    #[serde(default)]
    pub note: Option<String>,
    pub comments: Vec<BulkDecisionItem>,
}

#[derive(Debug, Deserialize)]
pub struct BulkDecisionItem {
    pub id: String,
    #[serde(default)]
    pub version: Option<i64>,
}

#[derive(Debug, Serialize)]
pub struct BulkDecisionResult {
    pub id: String,
    pub ok: bool,
    pub status: u16,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub comment: Option<CommentResource>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<serde_json::Value>,
}

#[derive(Debug, Serialize)]
pub struct HistoryEntryResource {
    pub actor: String,
    pub action: String,
    pub from: Option<String>,
    pub to: String,
    pub reason: Option<String>,
    pub note: Option<String>,
    pub at: String,
}

impl From<AuditEntry> for HistoryEntryResource {
    fn from(e: AuditEntry) -> Self {
        Self {
            actor: e.actor,
            action: e.action,
            from: e.from_status,
            to: e.to_status,
            reason: e.reason,
            note: e.note,
            at: timestamp(e.at),
        }
    }
}

#[derive(Debug, Serialize)]
pub struct ArticleResource {
    pub id: String,
    pub url: String,
    pub title: String,
    pub policy: &'static str,
    pub policy_override: Option<&'static str>,
    pub created_at: String,
    pub updated_at: String,
}

impl From<ArticleView> for ArticleResource {
    fn from(a: ArticleView) -> Self {
        Self {
            id: a.external_id,
            url: a.url,
            title: a.title,
            policy: a.policy.as_str(),
            policy_override: a.policy_override.map(|p| p.as_str()),
            created_at: timestamp(a.created_at),
            updated_at: timestamp(a.updated_at),
        }
    }
}

#[derive(Debug, Deserialize)]
pub struct UpdateArticleRequest {
    #[serde(default)]
    pub url: Option<String>,
    #[serde(default)]
    pub title: Option<String>,
    /// Absent: unchanged; `null`: follow the site default.
    #[serde(default, deserialize_with = "present")]
    pub policy: Option<Option<String>>,
}

#[derive(Debug, Serialize)]
pub struct SiteResource {
    pub name: String,
    pub default_policy: &'static str,
    pub guidelines: Vec<Guideline>,
    pub new_author_hold: i32,
    pub classifier: ClassifierSettings,
}

#[derive(Debug, Deserialize)]
pub struct UpdateSiteRequest {
    #[serde(default)]
    pub default_policy: Option<String>,
    #[serde(default)]
    pub guidelines: Option<Vec<Guideline>>,
    #[serde(default)]
    pub new_author_hold: Option<i32>,
    /// The whole classifier settings object; parsed in `parse`, so a
    /// mistake names its field.
    #[serde(default)]
    pub classifier: Option<serde_json::Value>,
}

/// Tells a field sent as `null` (`Some(None)`) from one left out (`None`).
fn present<'de, D, T>(de: D) -> Result<Option<Option<T>>, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de>,
{
    Option::<T>::deserialize(de).map(Some)
}

/// A moderator's lease on a comment.
#[derive(Debug, Serialize)]
pub struct LeaseResource {
    pub comment_id: String,
    pub moderator: String,
    pub expires_at: String,
}

impl From<&crate::moderation::Lease> for LeaseResource {
    fn from(lease: &crate::moderation::Lease) -> Self {
        LeaseResource {
            comment_id: lease.comment_id.to_string(),
            moderator: lease.moderator.clone(),
            expires_at: timestamp(lease.expires_at),
        }
    }
}
