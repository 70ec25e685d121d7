use std::collections::HashMap;

use crate::accounts::ModeratorContext;
use crate::domain::{Guidelines, QueueTab, SiteId};
use crate::error::AppError;
use crate::storage::{self, Database};

/// Pending counts stop at this; beyond it the UI says "1000+".
pub const PENDING_COUNT_CAP: i64 = 1000;

/// What the queue page shows besides the comments.
#[derive(Debug, Clone)]
pub struct QueueOverview {
    /// Pending comments the moderator may see, at most [`PENDING_COUNT_CAP`].
    pub pending: i64,
    /// Comments in the Reported and Edited tabs, capped the same way.
    pub reported: i64,
    pub edited: i64,
    /// Name and guidelines of each site asked for, for the reject picker.
    pub sites: HashMap<SiteId, SiteGuidelines>,
}

#[derive(Debug, Clone)]
pub struct SiteGuidelines {
    pub name: String,
    pub guidelines: Guidelines,
}

/// The pending count and the guidelines of `sites` (those the moderator
/// may see; others are left out).
pub async fn queue_overview(
    db: &Database,
    moderator: &ModeratorContext,
    sites: Vec<SiteId>,
) -> Result<QueueOverview, AppError> {
    let moderator = moderator.clone();
    db.read(move |conn| {
        let filter = moderator.site_filter();
        let count = |conn: &mut storage::DbConn, tab| {
            storage::comments::count_in_tab_capped(conn, tab, filter.as_deref(), PENDING_COUNT_CAP)
        };
        let pending = count(conn, QueueTab::Pending)?;
        let reported = count(conn, QueueTab::Reported)?;
        let edited = count(conn, QueueTab::Edited)?;
        let ids: Vec<i64> = sites
            .iter()
            .filter(|s| moderator.can_access(**s))
            .map(|s| s.0)
            .collect();
        let mut by_site = HashMap::new();
        for row in storage::sites::find_many(conn, &ids)? {
            let guidelines =
                Guidelines::from_stored(&row.guidelines).map_err(AppError::internal)?;
            by_site.insert(
                SiteId(row.id),
                SiteGuidelines {
                    name: row.name,
                    guidelines,
                },
            );
        }
        Ok(QueueOverview {
            pending,
            reported,
            edited,
            sites: by_site,
        })
    })
    .await
}

/// What the queue's filters offer: the moderator's sites and the rules
/// that apply to them.
#[derive(Debug, Clone, Default)]
pub struct QueueChoices {
    pub sites: Vec<String>,
    pub rules: Vec<(i64, String)>,
    ids: Vec<(String, SiteId)>,
}

impl QueueChoices {
    /// The id of the moderator's site named `name`.
    pub fn site_id(&self, name: &str) -> Option<SiteId> {
        self.ids.iter().find(|(n, _)| n == name).map(|(_, id)| *id)
    }
}

pub async fn queue_choices(
    db: &Database,
    moderator: &ModeratorContext,
) -> Result<QueueChoices, AppError> {
    let filter = moderator.site_filter();
    db.read(move |conn| {
        let sites = storage::sites::names(conn, filter.as_deref())?;
        let rules = storage::rules::list(conn, filter.as_deref())?
            .into_iter()
            .filter_map(|row| {
                let definition =
                    serde_json::from_str::<crate::rules::RuleDefinition>(&row.definition).ok()?;
                Some((row.id, definition.name))
            })
            .collect();
        Ok(QueueChoices {
            sites: sites.iter().map(|(_, name)| name.clone()).collect(),
            ids: sites
                .into_iter()
                .map(|(id, name)| (name, SiteId(id)))
                .collect(),
            rules,
        })
    })
    .await
}
