use chrono::NaiveDateTime;

use crate::accounts::Principal;
use crate::domain::CommentId;
use crate::error::AppError;
use crate::storage::{self, Database};

use super::can_see;

/// One line of a comment's audit trail.
#[derive(Debug, Clone)]
pub struct AuditEntry {
    pub actor: String,
    pub action: String,
    pub from_status: Option<String>,
    pub to_status: String,
    pub reason: Option<String>,
    pub note: Option<String>,
    pub at: NaiveDateTime,
}

impl AuditEntry {
    /// The status change as people read it: `pending → rejected`.
    pub fn change(&self) -> String {
        match &self.from_status {
            Some(from) => format!("{from} → {}", self.to_status),
            None => self.to_status.clone(),
        }
    }
}

impl From<storage::audit::AuditRow> for AuditEntry {
    fn from(row: storage::audit::AuditRow) -> Self {
        AuditEntry {
            actor: row.actor,
            action: row.action,
            from_status: row.from_status,
            to_status: row.to_status,
            reason: row.reason,
            note: row.note,
            at: row.created_at,
        }
    }
}

/// The audit trail of a comment, oldest first.
pub async fn comment_history(
    db: &Database,
    principal: &Principal,
    id: CommentId,
) -> Result<Vec<AuditEntry>, AppError> {
    let principal = principal.clone();
    db.read(move |conn| {
        let comment = storage::comments::find(conn, id.0)?
            .filter(|c| can_see(&principal, crate::domain::SiteId(c.site_id)))
            .ok_or(AppError::NotFound("comment"))?;
        Ok(storage::audit::for_comment(conn, comment.id)?
            .into_iter()
            .map(AuditEntry::from)
            .collect())
    })
    .await
}
