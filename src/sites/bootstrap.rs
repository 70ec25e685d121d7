use crate::accounts::{Secret, hash_password, random_password};
use std::sync::Arc;

use crate::domain::{IdGenerator, Role, SiteId};
use crate::error::AppError;
use crate::rulebook;
use crate::storage::{self, Database, moderators::NewModerator, moderators::NewToken};

/// The credentials created on the very first start; shown once.
#[derive(Debug, Clone)]
pub struct Bootstrap {
    pub site_name: String,
    pub site_key: String,
    pub admin_email: String,
    pub admin_password: String,
    /// A personal API token of the admin, for the moderation API.
    pub admin_token: String,
}

pub const DEFAULT_SITE: &str = "default";
pub const DEFAULT_ADMIN: &str = "admin@localhost";

/// On an empty database, creates the `default` site and an admin with a
/// random password. Returns `None` on every later start. Runs in one
/// transaction, so two instances starting together create one set.
pub fn bootstrap_if_empty(
    db: &Database,
    ids: &Arc<IdGenerator>,
) -> Result<Option<Bootstrap>, AppError> {
    let secret = Secret::generate("mq_site_").map_err(AppError::internal)?;
    let password = random_password()?;
    let password_hash = hash_password(&password)?;
    let token = Secret::generate("mq_tok_").map_err(AppError::internal)?;
    let token_hash = token.hash.clone();
    let (site_id, admin_id, token_id) = (ids.next(), ids.next(), ids.next());
    let key_hash = secret.hash.clone();
    let rule_ids = Arc::clone(ids);
    let created = db.write_blocking(move |conn| {
        if storage::sites::count(conn)? > 0 || storage::moderators::count(conn)? > 0 {
            return Ok(false);
        }
        super::create_site::insert_site(conn, site_id, DEFAULT_SITE, &key_hash)?;
        rulebook::insert_starter_pack(conn, &rule_ids, SiteId(site_id))?;
        storage::moderators::insert(
            conn,
            &NewModerator {
                id: admin_id,
                email: DEFAULT_ADMIN,
                password_hash: &password_hash,
                role: Role::Admin.as_str(),
                created_at: storage::now(),
            },
        )?;
        storage::moderators::insert_token(
            conn,
            &NewToken {
                id: token_id,
                moderator_id: admin_id,
                token_hash: &token_hash,
                created_at: storage::now(),
            },
        )?;
        Ok::<_, AppError>(true)
    });
    match created {
        Ok(true) => Ok(Some(Bootstrap {
            site_name: DEFAULT_SITE.to_owned(),
            site_key: secret.plain,
            admin_email: DEFAULT_ADMIN.to_owned(),
            admin_password: password,
            admin_token: token.plain,
        })),
        Ok(false) => Ok(None),
        // Another instance bootstrapped at the same moment.
        Err(AppError::Unprocessable { .. }) => Ok(None),
        Err(other) => Err(other),
    }
}
