use std::collections::HashMap;

use chrono::NaiveDateTime;

use crate::accounts::Principal;
use crate::domain::{CommentId, ReportReason, ReportStatus, SiteId};
use crate::error::AppError;
use crate::storage::{self, Database, DbConn, reports::ReportRow};

/// One report as sites and moderators see it.
#[derive(Debug, Clone)]
pub struct ReportView {
    pub id: i64,
    pub comment_id: CommentId,
    pub reporter: String,
    pub reason: ReportReason,
    pub note: Option<String>,
    pub status: ReportStatus,
    /// Whether it counts toward the site's threshold.
    pub counted: bool,
    pub created_at: NaiveDateTime,
    pub resolved_at: Option<NaiveDateTime>,
}

impl TryFrom<ReportRow> for ReportView {
    type Error = AppError;
    fn try_from(row: ReportRow) -> Result<Self, AppError> {
        Ok(ReportView {
            id: row.id,
            comment_id: CommentId(row.comment_id),
            reason: row.reason.parse()?,
            status: row.status.parse()?,
            reporter: row.reporter,
            note: row.note,
            counted: row.counted,
            created_at: row.created_at,
            resolved_at: row.resolved_at,
        })
    }
}

/// Every report on a comment, oldest first.
pub async fn reports_of(
    db: &Database,
    principal: &Principal,
    id: CommentId,
) -> Result<Vec<ReportView>, AppError> {
    let principal = principal.clone();
    db.read(move |conn| {
        storage::comments::find(conn, id.0)?
            .filter(|c| crate::moderation::can_see(&principal, SiteId(c.site_id)))
            .ok_or(AppError::NotFound("comment"))?;
        storage::reports::all_for(conn, id.0)?
            .into_iter()
            .map(ReportView::try_from)
            .collect()
    })
    .await
}

/// The open reports of each of these comments, for the Reported queue.
pub fn open_reports_of(
    conn: &mut DbConn,
    ids: &[i64],
) -> Result<HashMap<i64, Vec<ReportView>>, AppError> {
    let mut by_comment: HashMap<i64, Vec<ReportView>> = HashMap::new();
    for row in storage::reports::open_for(conn, ids)? {
        by_comment
            .entry(row.comment_id)
            .or_default()
            .push(ReportView::try_from(row)?);
    }
    Ok(by_comment)
}
