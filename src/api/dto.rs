//! Wire types of `/api/v1`. They are built from views, never from rows.

use serde::{Deserialize, Deserializer, Serialize};

use crate::articles::ArticleView;
use crate::domain::{ClassifierSettings, Guideline};
use crate::moderation::AuditEntry;
pub use crate::views::{CommentResource, ReasonRef, ReasonResource, timestamp};

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
