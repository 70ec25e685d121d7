use std::collections::HashMap;

use crate::domain::{ModeratorId, Role};
use crate::error::AppError;
use crate::storage::{self, Database};

use super::principal::ModeratorContext;

/// A moderator as the admin's list shows them.
#[derive(Debug, Clone)]
pub struct ModeratorSummary {
    pub id: ModeratorId,
    pub email: String,
    pub role: Role,
    pub active: bool,
    pub sites: Vec<String>,
    /// Personal API tokens: id and when each was made.
    pub tokens: Vec<(i64, chrono::NaiveDateTime)>,
}

pub async fn list_moderators(db: &Database) -> Result<Vec<ModeratorSummary>, AppError> {
    db.read(|conn| {
        let names: HashMap<i64, String> = storage::sites::names(conn, None)?.into_iter().collect();
        let mut sites: HashMap<i64, Vec<String>> = HashMap::new();
        for (moderator, site) in storage::moderators::all_assignments(conn)? {
            if let Some(name) = names.get(&site) {
                sites.entry(moderator).or_default().push(name.clone());
            }
        }
        let mut tokens: HashMap<i64, Vec<(i64, chrono::NaiveDateTime)>> = HashMap::new();
        for (moderator, token, at) in storage::moderators::all_tokens(conn)? {
            tokens.entry(moderator).or_default().push((token, at));
        }
        storage::moderators::all(conn)?
            .into_iter()
            .map(|row| {
                let mut own = sites.remove(&row.id).unwrap_or_default();
                own.sort();
                Ok(ModeratorSummary {
                    id: ModeratorId(row.id),
                    tokens: tokens.remove(&row.id).unwrap_or_default(),
                    email: row.email,
                    role: row.role.parse()?,
                    active: row.active,
                    sites: own,
                })
            })
            .collect()
    })
    .await
}

/// What an admin changes about a moderator.
#[derive(Debug, Clone)]
pub struct ModeratorChange {
    pub role: Role,
    pub active: bool,
    pub site_names: Vec<String>,
}

/// Sets a moderator's role, sites and whether they may sign in. A
/// deactivated moderator's sessions end at once; admins cannot demote or
/// deactivate themselves, so a site is never left without an admin by
/// accident.
#[tracing::instrument(skip(db, admin, change), fields(admin = %admin.id))]
pub async fn update_moderator(
    db: &Database,
    admin: &ModeratorContext,
    id: ModeratorId,
    change: ModeratorChange,
) -> Result<(), AppError> {
    admin.require_admin()?;
    if id == admin.id && (change.role != Role::Admin || !change.active) {
        return Err(AppError::validation(
            "role",
            "you cannot demote or deactivate yourself; ask another admin",
        ));
    }
    let actor = admin.actor();
    db.write(move |conn| {
        let row = storage::moderators::find(conn, id.0)?.ok_or(AppError::NotFound("moderator"))?;
        let mut site_ids = Vec::new();
        for name in &change.site_names {
            let site = storage::sites::find_by_name(conn, name)?
                .ok_or_else(|| AppError::validation("sites", format!("no site named {name:?}")))?;
            site_ids.push(site.id);
        }
        storage::moderators::set_role_and_active(conn, id.0, change.role.as_str(), change.active)?;
        storage::moderators::set_sites(conn, id.0, &site_ids)?;
        if !change.active {
            storage::sessions::delete_all_for(conn, id.0)?;
        }
        let detail = format!(
            "role={} active={} sites={}",
            change.role.as_str(),
            change.active,
            change.site_names.join(",")
        );
        storage::config_changes::note(
            conn,
            None,
            &actor,
            "moderator.updated",
            &row.email,
            &detail,
        )?;
        Ok(())
    })
    .await
}

/// Revokes one of a moderator's personal API tokens; it stops working at
/// once.
pub async fn revoke_token(
    db: &Database,
    admin: &ModeratorContext,
    id: ModeratorId,
    token_id: i64,
) -> Result<(), AppError> {
    admin.require_admin()?;
    let actor = admin.actor();
    db.write(move |conn| {
        let row = storage::moderators::find(conn, id.0)?.ok_or(AppError::NotFound("moderator"))?;
        if !storage::moderators::delete_token(conn, row.id, token_id)? {
            return Err(AppError::NotFound("token"));
        }
        let detail = format!("token {token_id}");
        storage::config_changes::note(
            conn,
            None,
            &actor,
            "moderator.token_revoked",
            &row.email,
            &detail,
        )?;
        Ok(())
    })
    .await
}

/// A moderator's email, which names them in the account commands.
pub async fn moderator_email(db: &Database, id: ModeratorId) -> Result<String, AppError> {
    db.read(move |conn| {
        storage::moderators::find(conn, id.0)?
            .map(|row| row.email)
            .ok_or(AppError::NotFound("moderator"))
    })
    .await
}
