//! What a queue card shows besides the comment itself: the comment it
//! replies to, the open reports on it, and the body before its last edit.

use std::collections::HashMap;

use crate::accounts::ModeratorContext;
use crate::domain::CommentId;
use crate::error::AppError;
use crate::reports::{ReportView, open_reports_of};
use crate::storage::{self, Database};
use crate::views::CommentView;

/// The comment a reply answers, as a card shows it.
#[derive(Debug, Clone)]
pub struct ParentSummary {
    pub id: CommentId,
    pub author: String,
    pub body: String,
    pub status: String,
}

#[derive(Debug, Default)]
pub struct CardContext {
    pub parents: HashMap<CommentId, ParentSummary>,
    pub reports: HashMap<CommentId, Vec<ReportView>>,
    /// The body each edited comment had before its last edit.
    pub previous_bodies: HashMap<CommentId, String>,
}

/// Reads the context of these comments in one go (three queries at most).
pub async fn card_context(
    db: &Database,
    moderator: &ModeratorContext,
    comments: &[CommentView],
) -> Result<CardContext, AppError> {
    let parent_ids: Vec<i64> = comments
        .iter()
        .filter_map(|c| c.parent_id.map(|p| p.0))
        .collect();
    let reported: Vec<i64> = comments
        .iter()
        .filter(|c| c.reports.open > 0)
        .map(|c| c.id.0)
        .collect();
    let edited: Vec<i64> = comments
        .iter()
        .filter(|c| c.revision > 1)
        .map(|c| c.id.0)
        .collect();
    let moderator = moderator.clone();
    db.read(move |conn| {
        let mut context = CardContext::default();
        if !parent_ids.is_empty() {
            let rows = storage::comments::find_many(conn, &parent_ids)?;
            let author_ids: Vec<i64> = rows.iter().map(|r| r.author_id).collect();
            let names: HashMap<i64, String> = storage::authors::find_many(conn, &author_ids)?
                .into_iter()
                .map(|a| (a.id, a.display_name))
                .collect();
            for row in rows
                .into_iter()
                .filter(|r| moderator.can_access(crate::domain::SiteId(r.site_id)))
            {
                context.parents.insert(
                    CommentId(row.id),
                    ParentSummary {
                        id: CommentId(row.id),
                        author: names.get(&row.author_id).cloned().unwrap_or_default(),
                        body: row.body,
                        status: row.status,
                    },
                );
            }
        }
        if !reported.is_empty() {
            context.reports = open_reports_of(conn, &reported)?
                .into_iter()
                .map(|(id, reports)| (CommentId(id), reports))
                .collect();
        }
        if !edited.is_empty() {
            context.previous_bodies = storage::revisions::latest_for(conn, &edited)?
                .into_iter()
                .map(|r| (CommentId(r.comment_id), r.body))
                .collect();
        }
        Ok(context)
    })
    .await
}
