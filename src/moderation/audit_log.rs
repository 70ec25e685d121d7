use chrono::NaiveDateTime;

use crate::accounts::ModeratorContext;
use crate::error::AppError;
use crate::storage::{self, Database, audit::AuditQuery, config_changes::ConfigChangeQuery};

use super::history::AuditEntry;

/// What the audit log page filters by.
#[derive(Debug, Clone, Default)]
pub struct AuditFilter {
    pub site: Option<String>,
    /// A moderator's email; entries they made.
    pub moderator: Option<String>,
    pub from: Option<NaiveDateTime>,
    pub until: Option<NaiveDateTime>,
}

/// One entry as listed, with its site's name.
#[derive(Debug, Clone)]
pub struct AuditLine {
    pub id: i64,
    pub site: String,
    pub comment_id: i64,
    pub entry: AuditEntry,
}

/// Entries of the moderator's sites matching `filter`, newest first,
/// older than `before`.
pub async fn audit_entries(
    db: &Database,
    moderator: &ModeratorContext,
    filter: AuditFilter,
    before: Option<i64>,
    limit: i64,
) -> Result<Vec<AuditLine>, AppError> {
    let moderator = moderator.clone();
    db.read(move |conn| {
        let site_ids = super::sites_in_view(conn, &moderator, filter.site.as_deref())?;
        let names: std::collections::HashMap<i64, String> =
            storage::sites::names(conn, site_ids.as_deref())?
                .into_iter()
                .collect();
        let rows = storage::audit::search(
            conn,
            &AuditQuery {
                site_ids,
                actor: filter.moderator.as_ref().map(|m| format!("moderator:{m}")),
                from: filter.from,
                until: filter.until,
                before,
                limit,
            },
        )?;
        Ok(rows
            .into_iter()
            .map(|row| AuditLine {
                id: row.id,
                site: names.get(&row.site_id).cloned().unwrap_or_default(),
                comment_id: row.comment_id,
                entry: AuditEntry::from(row),
            })
            .collect())
    })
    .await
}

/// A configuration change as listed.
#[derive(Debug, Clone)]
pub struct ConfigLine {
    pub id: i64,
    pub site: String,
    pub actor: String,
    pub action: String,
    pub subject: String,
    pub detail: String,
    pub at: NaiveDateTime,
}

/// Configuration changes the moderator may see, newest first: their sites'
/// for moderators; everything, accounts included, for admins.
pub async fn config_changes(
    db: &Database,
    moderator: &ModeratorContext,
    filter: AuditFilter,
    before: Option<i64>,
    limit: i64,
) -> Result<Vec<ConfigLine>, AppError> {
    let moderator = moderator.clone();
    db.read(move |conn| {
        let site_ids = super::sites_in_view(conn, &moderator, filter.site.as_deref())?;
        let names: std::collections::HashMap<i64, String> =
            storage::sites::names(conn, None)?.into_iter().collect();
        let actor = filter.moderator.as_ref().map(|m| format!("moderator:{m}"));
        let rows = storage::config_changes::search(
            conn,
            &ConfigChangeQuery {
                site_ids: site_ids.as_deref(),
                actor: actor.as_deref(),
                from: filter.from,
                until: filter.until,
                before,
                limit,
            },
        )?;
        Ok(rows
            .into_iter()
            .map(|row| ConfigLine {
                id: row.id,
                site: row
                    .site_id
                    .and_then(|id| names.get(&id).cloned())
                    .unwrap_or_default(),
                actor: row.actor,
                action: row.action,
                subject: row.subject,
                detail: row.detail,
                at: row.created_at,
            })
            .collect())
    })
    .await
}
