use crate::accounts::Secret;
use std::sync::Arc;

use crate::domain::{IdGenerator, Policy, SiteId, TextField};
use crate::error::AppError;
use crate::rulebook;
use crate::storage::{self, Database, DbConn, sites::NewSite};

/// What `modq site create` asks for.
#[derive(Debug, Clone)]
pub struct CreateSite {
    pub name: String,
    /// Give the site the starter rules (see `rules::starter_pack`).
    pub starter_rules: bool,
}

/// Creates a site and returns its API key, which is not stored in clear.
pub fn create_site(
    db: &Database,
    ids: &Arc<IdGenerator>,
    request: &CreateSite,
) -> Result<String, AppError> {
    let name = parse_site_name(&request.name)?;
    let secret = Secret::generate("mq_site_").map_err(AppError::internal)?;
    let hash = secret.hash.clone();
    let id = ids.next();
    let starter = request.starter_rules;
    let ids = Arc::clone(ids);
    db.write_blocking(move |conn| {
        insert_site(conn, id, &name, &hash)?;
        if starter {
            rulebook::insert_starter_pack(conn, &ids, SiteId(id))?;
        }
        Ok::<_, AppError>(())
    })?;
    Ok(secret.plain)
}

/// Replaces a site's API key; the old key stops working at once.
pub fn rotate_key(db: &Database, name: &str, actor: &str) -> Result<String, AppError> {
    let secret = Secret::generate("mq_site_").map_err(AppError::internal)?;
    let hash = secret.hash.clone();
    let (name, actor) = (name.to_owned(), actor.to_owned());
    db.write_blocking(move |conn| {
        let site = storage::sites::find_by_name(conn, &name)?.ok_or(AppError::NotFound("site"))?;
        storage::sites::set_key_hash(conn, site.id, &hash, storage::now())?;
        storage::config_changes::note(conn, Some(site.id), &actor, "site.key_rotated", &name, "")?;
        Ok::<_, AppError>(())
    })?;
    Ok(secret.plain)
}

pub(super) fn insert_site(
    conn: &mut DbConn,
    id: i64,
    name: &str,
    key_hash: &str,
) -> Result<(), AppError> {
    if storage::sites::find_by_name(conn, name)?.is_some() {
        return Err(AppError::validation(
            "name",
            format!("a site named {name:?} exists"),
        ));
    }
    let now = storage::now();
    storage::sites::insert(
        conn,
        &NewSite {
            id,
            name,
            api_key_hash: key_hash,
            default_policy: Policy::Pre.as_str(),
            guidelines: DEFAULT_GUIDELINES,
            new_author_hold: 1,
            created_at: now,
            updated_at: now,
        },
    )?;
    Ok(())
}

/// A starting set of guidelines so that rejections work out of the box;
/// sites replace them with `PUT /api/v1/site`.
const DEFAULT_GUIDELINES: &str = r#"[
{"code":"spam","title":"Spam or advertising","text":"Promotional content, link spam and repeated posts are removed."},
{"code":"abuse","title":"Personal attacks","text":"Criticise ideas, not people. Insults, harassment and threats are removed."},
{"code":"off-topic","title":"Off topic","text":"Comments should relate to the article."},
{"code":"illegal","title":"Unlawful content","text":"Content that breaks the law, including defamation and privacy violations."}
]"#;

fn parse_site_name(raw: &str) -> Result<String, AppError> {
    let name = TextField::parse(raw, 64).map_err(|e| AppError::validation("name", e))?;
    let ok = name
        .as_str()
        .bytes()
        .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_' || b == b'.');
    if ok {
        Ok(name.into_inner())
    } else {
        Err(AppError::validation(
            "name",
            "use letters, digits, '.', '-' or '_'",
        ))
    }
}
