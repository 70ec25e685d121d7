use crate::accounts::ModeratorContext;
use crate::domain::{CommentId, Decision};
use crate::error::AppError;
use crate::storage::Database;
use crate::views::CommentView;

use super::decide_comment::decide_in_tx;

/// One comment of a bulk decision.
#[derive(Debug, Clone)]
pub struct BulkItem {
    pub id: CommentId,
    pub version: Option<i64>,
}

/// What happened to one comment of a bulk decision.
#[derive(Debug)]
pub struct BulkOutcome {
    pub id: CommentId,
    pub result: Result<CommentView, AppError>,
}

/// Applies one decision to many comments, each in its own transaction, so a
/// comment that was decided meanwhile fails alone. The writes are issued
/// together; on SQLite they share one group commit.
#[tracing::instrument(skip_all, fields(moderator = %moderator.id, count = items.len()))]
pub async fn decide_many(
    db: &Database,
    moderator: &ModeratorContext,
    items: Vec<BulkItem>,
    decision: Decision,
) -> Vec<BulkOutcome> {
    let writes = items.into_iter().map(|item| {
        let moderator = moderator.clone();
        let mut decision = decision.clone();
        decision.expected_version = item.version;
        async move {
            let action = decision.action;
            let result = db
                .write(move |conn| decide_in_tx(conn, &moderator, item.id, &decision))
                .await;
            if result.is_ok() {
                crate::metrics::registry().decisions.inc(&[action.as_str()]);
            }
            BulkOutcome {
                id: item.id,
                result,
            }
        }
    });
    futures_util::future::join_all(writes).await
}
