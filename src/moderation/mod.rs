//! The queue, decisions, withdrawals and the audit trail.

mod audit_log;
mod card_context;
mod comment_detail;
mod decide_comment;
mod decide_many;
mod history;
mod hold_replies;
mod leases;
mod list_queue;
mod live_feed;
mod queue_overview;
mod revisions;
mod saved_queues;
mod withdraw_comment;

pub use crate::views::CommentView;
pub use audit_log::{AuditFilter, AuditLine, ConfigLine, audit_entries, config_changes};
pub use card_context::{CardContext, ParentSummary, card_context};
pub use comment_detail::{
    AuthorComment, AuthorNote, CommentDetail, add_author_note, comment_detail,
};
pub use decide_comment::{count_deltas, decide_comment};
pub use decide_many::{BulkItem, BulkOutcome, decide_many};
pub use history::{AuditEntry, comment_history};
pub use leases::{Lease, leases_for, purge_expired_leases, release_lease, take_lease};
pub use list_queue::{QueueCursor, QueueFilter, QueuePage, QueueSort, ScoreFilter, list_queue};
pub use live_feed::{LiveFeed, QueueEvent};
pub use queue_overview::{
    PENDING_COUNT_CAP, QueueChoices, QueueOverview, SiteGuidelines, queue_choices, queue_overview,
};
pub use revisions::{Revision, RevisionReason, comment_revisions};
pub use saved_queues::{
    MAX_SAVED_QUEUES, SavedQueue, delete_saved_queue, save_queue, saved_queues,
};
pub use withdraw_comment::withdraw_comment;

use crate::accounts::Principal;
use crate::domain::SiteId;

/// Whether a caller may see a comment of `site`. Others get 404, not 403, so
/// that ids of other sites' comments reveal nothing.
pub fn can_see(principal: &Principal, site: SiteId) -> bool {
    match principal {
        Principal::Site(s) => s.id == site,
        Principal::Moderator(m) => m.can_access(site),
    }
}

/// [`sites_in_view`] for callers outside a read: exports resolve their
/// scope once, then read chunk by chunk.
pub async fn visible_sites(
    db: &crate::storage::Database,
    moderator: &crate::accounts::ModeratorContext,
    site: Option<String>,
) -> Result<Option<Vec<i64>>, crate::error::AppError> {
    let moderator = moderator.clone();
    db.read(move |conn| sites_in_view(conn, &moderator, site.as_deref()))
        .await
}

/// The sites a listing covers: the one named (if the moderator may see it,
/// else 404), or all the moderator's (`None` for admins: every site).
fn sites_in_view(
    conn: &mut crate::storage::DbConn,
    moderator: &crate::accounts::ModeratorContext,
    site: Option<&str>,
) -> Result<Option<Vec<i64>>, crate::error::AppError> {
    match site {
        None => Ok(moderator.site_filter()),
        Some(name) => {
            let site = crate::storage::sites::find_by_name(conn, name)?
                .filter(|s| moderator.can_access(SiteId(s.id)))
                .ok_or(crate::error::AppError::NotFound("site"))?;
            Ok(Some(vec![site.id]))
        }
    }
}
