//! Wire types of `/api/v1`. They are built from views, never from rows.

use serde::{Deserialize, Deserializer, Serialize};
use utoipa::ToSchema;

use crate::articles::ArticleView;
use crate::domain::{ClassifierSettings, Guideline};
use crate::moderation::AuditEntry;
pub use crate::views::{CommentResource, ReasonRef, ReasonResource, timestamp};

/// A comment as the site's backend sends it. Text fields must not be blank
/// or contain NUL; `body` is at most `limits.max_body_chars` (10,000 by
/// default) characters.
#[derive(Debug, Deserialize, ToSchema)]
pub struct SubmitCommentRequest {
    pub article: ArticleInput,
    pub author: AuthorInput,
    #[schema(
        min_length = 1,
        max_length = 10000,
        pattern = r"^[^\u0000]*[^\s\u0000][^\u0000]*$"
    )]
    pub body: String,
    /// The comment this one replies to.
    #[serde(default)]
    #[schema(pattern = r"^[0-9]{1,18}$")]
    pub parent_id: Option<String>,
    /// The site's own reference, echoed back.
    #[serde(default)]
    #[schema(
        min_length = 1,
        max_length = 256,
        pattern = r"^[^\u0000]*[^\s\u0000][^\u0000]*$"
    )]
    pub client_ref: Option<String>,
}

/// The article commented on; created on first sight, url and title kept
/// up to date.
#[derive(Debug, Deserialize, ToSchema)]
pub struct ArticleInput {
    #[schema(
        min_length = 1,
        max_length = 256,
        pattern = r"^[^\u0000]*[^\s\u0000][^\u0000]*$"
    )]
    pub id: String,
    #[serde(default)]
    #[schema(max_length = 2048, pattern = r"^$|^[^\u0000]*[^\s\u0000][^\u0000]*$")]
    pub url: Option<String>,
    #[serde(default)]
    #[schema(max_length = 500, pattern = r"^$|^[^\u0000]*[^\s\u0000][^\u0000]*$")]
    pub title: Option<String>,
}

/// The commenter, by the site's own id.
#[derive(Debug, Deserialize, ToSchema)]
pub struct AuthorInput {
    #[schema(
        min_length = 1,
        max_length = 256,
        pattern = r"^[^\u0000]*[^\s\u0000][^\u0000]*$"
    )]
    pub id: String,
    #[serde(default)]
    #[schema(max_length = 200, pattern = r"^$|^[^\u0000]*[^\s\u0000][^\u0000]*$")]
    pub name: Option<String>,
    #[serde(default)]
    #[schema(max_length = 320, pattern = r"^$|^[^\u0000]*@[^\u0000]*$")]
    pub email: Option<String>,
    /// The commenter's address, IPv4 or IPv6; per-IP rate limits key on it.
    #[serde(default)]
    #[schema(schema_with = super::openapi::ip_address_or_empty)]
    pub ip: Option<String>,
}

/// One page; pass `next_cursor` back as `cursor` for the next.
#[derive(Debug, Serialize, ToSchema)]
pub struct CommentList {
    pub items: Vec<CommentResource>,
    pub next_cursor: Option<String>,
}

/// A moderator's decision; `version` is the comment's version the
/// moderator saw, so a stale decision is refused with 409.
#[derive(Debug, Deserialize, ToSchema)]
pub struct DecisionRequest {
    #[schema(value_type = crate::domain::Action)]
    pub action: String,
    /// A guideline code; required to reject.
    #[serde(default)]
    #[schema(max_length = 64)]
    pub reason: Option<String>,
    #[serde(default)]
    #[schema(max_length = 2000)]
    pub note: Option<String>,
    pub version: i64,
}

/// One decision for many comments (at most `limits.max_bulk_decisions`,
/// 500 by default).
#[derive(Debug, Deserialize, ToSchema)]
pub struct BulkDecisionRequest {
    #[schema(value_type = crate::domain::Action)]
    pub action: String,
    #[serde(default)]
    #[schema(max_length = 64)]
    pub reason: Option<String>,
    #[serde(default)]
    #[schema(max_length = 2000)]
    pub note: Option<String>,
    #[schema(min_items = 1, max_items = 500)]
    pub comments: Vec<BulkDecisionItem>,
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct BulkDecisionItem {
    pub id: String,
    #[serde(default)]
    pub version: Option<i64>,
}

/// One comment's outcome: `status` is the HTTP status the single
/// decision would have had.
#[derive(Debug, Serialize, ToSchema)]
pub struct BulkDecisionResult {
    pub id: String,
    pub ok: bool,
    pub status: u16,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub comment: Option<CommentResource>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<super::error_response::ErrorDetail>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct BulkDecisionResults {
    pub results: Vec<BulkDecisionResult>,
}

/// One audit entry.
#[derive(Debug, Serialize, ToSchema)]
pub struct HistoryEntryResource {
    pub actor: String,
    pub action: String,
    pub from: Option<String>,
    pub to: String,
    pub reason: Option<String>,
    pub note: Option<String>,
    pub at: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct HistoryList {
    pub items: Vec<HistoryEntryResource>,
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

#[derive(Debug, Serialize, ToSchema)]
pub struct ArticleResource {
    pub id: String,
    pub url: String,
    pub title: String,
    /// The policy in force: the override, else the site default.
    #[schema(value_type = crate::domain::Policy)]
    pub policy: &'static str,
    #[schema(value_type = Option<crate::domain::Policy>)]
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

/// Fields left out stay as they are.
#[derive(Debug, Deserialize, ToSchema)]
pub struct UpdateArticleRequest {
    #[serde(default)]
    #[schema(max_length = 2048, pattern = r"^$|^[^\u0000]*[^\s\u0000][^\u0000]*$")]
    pub url: Option<String>,
    #[serde(default)]
    #[schema(max_length = 500, pattern = r"^$|^[^\u0000]*[^\s\u0000][^\u0000]*$")]
    pub title: Option<String>,
    /// Absent: unchanged; `null`: follow the site default.
    #[serde(default, deserialize_with = "present")]
    #[schema(value_type = Option<crate::domain::Policy>)]
    pub policy: Option<Option<String>>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct SiteResource {
    pub name: String,
    #[schema(value_type = crate::domain::Policy)]
    pub default_policy: &'static str,
    pub guidelines: Vec<Guideline>,
    pub new_author_hold: i32,
    pub classifier: ClassifierSettings,
}

/// Fields left out stay as they are.
#[derive(Debug, Deserialize, ToSchema)]
pub struct UpdateSiteRequest {
    #[serde(default)]
    #[schema(value_type = Option<crate::domain::Policy>)]
    pub default_policy: Option<String>,
    /// The whole list; codes unique, 1-64 of a-z, 0-9, `_`, `-`.
    #[serde(default)]
    #[schema(max_items = 100)]
    pub guidelines: Option<Vec<Guideline>>,
    /// Hold an author's first this many comments.
    #[serde(default)]
    #[schema(minimum = 0, maximum = 1000)]
    pub new_author_hold: Option<i32>,
    /// The whole classifier settings object; parsed in `parse`, so a
    /// mistake names its field.
    #[serde(default)]
    #[schema(value_type = Option<ClassifierSettings>)]
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
#[derive(Debug, Serialize, ToSchema)]
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
