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

/// A new body for a comment.
#[derive(Debug, Deserialize, ToSchema)]
pub struct EditCommentRequest {
    #[schema(
        min_length = 1,
        max_length = 10000,
        pattern = r"^[^\u0000]*[^\s\u0000][^\u0000]*$"
    )]
    pub body: String,
    /// The version the site last saw; an edit of a comment that has
    /// changed since is refused with 409 `version_conflict`.
    #[serde(default)]
    pub version: Option<i64>,
}

/// A reader's report, relayed by the site.
#[derive(Debug, Deserialize, ToSchema)]
pub struct ReportCommentRequest {
    pub reporter: ReporterInput,
    #[schema(value_type = crate::domain::ReportReason)]
    pub reason: String,
    /// What the reader wrote, for moderators.
    #[serde(default)]
    #[schema(max_length = 2000)]
    pub note: Option<String>,
}

/// The reader who reports, as the site knows them.
#[derive(Debug, Deserialize, ToSchema)]
pub struct ReporterInput {
    /// The site's user id for the reader (the same ids as `author.id`).
    #[schema(
        min_length = 1,
        max_length = 256,
        pattern = r"^[^\u0000]*[^\s\u0000][^\u0000]*$"
    )]
    pub id: String,
    /// The reader's address; per-IP report limits key on it.
    #[serde(default)]
    #[schema(schema_with = super::openapi::ip_address_or_empty)]
    pub ip: Option<String>,
}

/// A reader's report.
#[derive(Debug, Serialize, ToSchema)]
pub struct ReportResource {
    pub id: String,
    pub comment_id: String,
    pub reporter: String,
    #[schema(value_type = crate::domain::ReportReason)]
    pub reason: &'static str,
    pub note: Option<String>,
    /// `open` until a moderator keeps the comment (`dismissed`) or rejects
    /// it (`upheld`); `void` when the comment was not published.
    #[schema(value_type = crate::domain::ReportStatus)]
    pub status: &'static str,
    /// Whether it counts toward the site's threshold.
    pub counted: bool,
    pub created_at: String,
    pub resolved_at: Option<String>,
}

impl From<&crate::reports::ReportView> for ReportResource {
    fn from(r: &crate::reports::ReportView) -> Self {
        Self {
            id: r.id.to_string(),
            comment_id: r.comment_id.to_string(),
            reporter: r.reporter.clone(),
            reason: r.reason.as_str(),
            note: r.note.clone(),
            status: r.status.as_str(),
            counted: r.counted,
            created_at: timestamp(r.created_at),
            resolved_at: r.resolved_at.map(timestamp),
        }
    }
}

/// A report with the comment as it now stands.
#[derive(Debug, Serialize, ToSchema)]
pub struct ReportCreated {
    pub report: ReportResource,
    /// The comment, with `reports.in_review` and `reports.hidden`.
    pub comment: CommentResource,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ReportList {
    /// Oldest first.
    pub items: Vec<ReportResource>,
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

/// An article's approved comments as a tree (`thread=tree`).
#[derive(Debug, Serialize, ToSchema)]
pub struct CommentTreeResource {
    /// Top-level comments, oldest first, each with its replies.
    pub roots: Vec<ThreadNodeResource>,
    /// More approved comments than fit in one tree (5,000): the newest are
    /// left out.
    pub truncated: bool,
}

/// A comment with its replies, or a placeholder for a parent readers may
/// not see.
#[derive(Debug, Serialize, ToSchema)]
pub struct ThreadNodeResource {
    /// The comment; `null` for a placeholder.
    pub comment: Option<CommentResource>,
    /// Set instead of `comment` for a parent that is not shown.
    pub placeholder: Option<PlaceholderResource>,
    /// Replies, oldest first.
    #[schema(no_recursion)]
    pub replies: Vec<ThreadNodeResource>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct PlaceholderResource {
    pub id: String,
    /// Why it is not shown: `rejected`, `withdrawn`, `pending`, or
    /// `hidden` while readers' reports are reviewed.
    #[schema(pattern = "^(rejected|withdrawn|pending|hidden)$")]
    pub reason: &'static str,
}

impl From<crate::articles::ThreadNode> for ThreadNodeResource {
    fn from(node: crate::articles::ThreadNode) -> Self {
        let (comment, placeholder) = match node.shown {
            crate::articles::Shown::Comment(view) => {
                (Some(CommentResource::from(view.as_ref())), None)
            }
            crate::articles::Shown::Placeholder { id, reason } => (
                None,
                Some(PlaceholderResource {
                    id: id.to_string(),
                    reason,
                }),
            ),
        };
        Self {
            comment,
            placeholder,
            replies: node.replies.into_iter().map(Into::into).collect(),
        }
    }
}

/// A page of an article's comments, or (`thread=tree`) all of its
/// approved comments as a tree.
#[derive(Debug, Serialize, ToSchema)]
#[serde(untagged)]
pub enum ArticleComments {
    Page(CommentList),
    Tree(CommentTreeResource),
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

/// One body a comment has had.
#[derive(Debug, Serialize, ToSchema)]
pub struct RevisionResource {
    /// 1 for the body first submitted.
    pub revision: i32,
    pub body: String,
    /// The status the comment had while this body stood.
    pub status: String,
    /// Why this body was held or flagged.
    pub reasons: Vec<RevisionReasonResource>,
    pub written_at: String,
    /// When an edit replaced it; `null` for the current body.
    pub replaced_at: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct RevisionReasonResource {
    pub source: String,
    pub code: String,
    pub message: String,
    pub matched: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct RevisionList {
    /// Oldest first; the last is the current body.
    pub items: Vec<RevisionResource>,
}

impl From<crate::moderation::Revision> for RevisionResource {
    fn from(r: crate::moderation::Revision) -> Self {
        Self {
            revision: r.revision,
            body: r.body,
            status: r.status,
            reasons: r
                .reasons
                .into_iter()
                .map(|x| RevisionReasonResource {
                    source: x.source,
                    code: x.code,
                    message: x.message,
                    matched: x.matched,
                })
                .collect(),
            written_at: timestamp(r.written_at),
            replaced_at: r.replaced_at.map(timestamp),
        }
    }
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
    pub edits: crate::domain::EditSettings,
    pub reports: crate::domain::ReportSettings,
    pub threads: crate::domain::ThreadSettings,
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
    /// The whole edit settings object; fields left out take their defaults.
    #[serde(default)]
    #[schema(value_type = Option<crate::domain::EditSettings>)]
    pub edits: Option<serde_json::Value>,
    /// The whole report settings object; fields left out take their defaults.
    #[serde(default)]
    #[schema(value_type = Option<crate::domain::ReportSettings>)]
    pub reports: Option<serde_json::Value>,
    /// The whole thread settings object; fields left out take their defaults.
    #[serde(default)]
    #[schema(value_type = Option<crate::domain::ThreadSettings>)]
    pub threads: Option<serde_json::Value>,
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
