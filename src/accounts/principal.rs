use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use crate::domain::{
    ClassifierSettings, Guidelines, ModeratorId, Policy, PublishedSettings, Role, SiteId,
};
use crate::error::AppError;
use crate::storage::{self, Database, sites::SiteRow};

use super::hash_secret;

/// An authenticated caller.
#[derive(Debug, Clone)]
pub enum Principal {
    Site(SiteContext),
    Moderator(ModeratorContext),
}

/// A site, as its API key sees it.
#[derive(Debug, Clone)]
pub struct SiteContext {
    pub id: SiteId,
    pub name: String,
    pub default_policy: Policy,
    pub guidelines: Guidelines,
    pub new_author_hold: i32,
    pub classifier: ClassifierSettings,
    pub published: PublishedSettings,
}

/// A moderator with the sites they may act on.
#[derive(Debug, Clone)]
pub struct ModeratorContext {
    pub id: ModeratorId,
    pub email: String,
    pub role: Role,
    pub site_ids: Vec<SiteId>,
}

impl ModeratorContext {
    /// The operator at the command line: admin rights, recorded as
    /// `moderator:operator@cli` in histories.
    pub fn operator() -> Self {
        Self {
            id: ModeratorId(0),
            email: "operator@cli".to_owned(),
            role: Role::Admin,
            site_ids: Vec::new(),
        }
    }

    /// Refuses anyone but an admin with 403.
    pub fn require_admin(&self) -> Result<(), AppError> {
        if self.role == Role::Admin {
            Ok(())
        } else {
            Err(AppError::Forbidden)
        }
    }

    pub fn can_access(&self, site: SiteId) -> bool {
        self.role == Role::Admin || self.site_ids.contains(&site)
    }

    /// The sites a listing is limited to; `None` for admins.
    pub fn site_filter(&self) -> Option<Vec<i64>> {
        match self.role {
            Role::Admin => None,
            Role::Moderator => Some(self.site_ids.iter().map(|s| s.0).collect()),
        }
    }

    /// How this moderator appears in the audit log.
    pub fn actor(&self) -> String {
        format!("moderator:{}", self.email)
    }
}

impl SiteContext {
    pub fn from_row(row: SiteRow) -> Result<Self, AppError> {
        Ok(Self {
            id: SiteId(row.id),
            default_policy: row.default_policy.parse()?,
            guidelines: Guidelines::from_stored(&row.guidelines).map_err(AppError::internal)?,
            new_author_hold: row.new_author_hold,
            classifier: ClassifierSettings::from_stored(&row.classifier)
                .map_err(AppError::internal)?,
            published: PublishedSettings::from_stored(&row.published)
                .map_err(AppError::internal)?,
            name: row.name,
        })
    }

    /// How the site appears in the audit log.
    pub fn actor(&self) -> String {
        format!("site:{}", self.name)
    }
}

/// Remembers which site a key belongs to for a few seconds, so the ingest
/// path does not look the key up on every request. Settings are not taken
/// from here where they matter: intake re-reads them in its transaction.
/// A rotated key keeps working on other instances for at most the TTL.
pub struct CredentialCache {
    ttl: Duration,
    entries: Mutex<HashMap<String, (Instant, SiteContext)>>,
}

/// Beyond this many keys the cache starts over rather than grow.
const CACHE_CAPACITY: usize = 10_000;

impl CredentialCache {
    pub fn new(ttl: Duration) -> Self {
        Self {
            ttl,
            entries: Mutex::new(HashMap::new()),
        }
    }

    fn get(&self, hash: &str) -> Option<SiteContext> {
        let entries = self.entries.lock().ok()?;
        entries
            .get(hash)
            .filter(|(at, _)| at.elapsed() < self.ttl)
            .map(|(_, site)| site.clone())
    }

    fn put(&self, hash: String, site: SiteContext) {
        if self.ttl.is_zero() {
            return;
        }
        if let Ok(mut entries) = self.entries.lock() {
            if entries.len() >= CACHE_CAPACITY {
                entries.clear();
            }
            entries.insert(hash, (Instant::now(), site));
        }
    }

    /// Drops a site's cached keys, after its settings or key changed here.
    pub fn forget_site(&self, site: SiteId) {
        if let Ok(mut entries) = self.entries.lock() {
            entries.retain(|_, (_, s)| s.id != site);
        }
    }
}

/// Resolves a bearer credential. Site keys start with `mq_site_`, moderator
/// tokens with `mq_tok_`; anything else is refused without a lookup.
pub async fn authenticate(
    db: &Database,
    cache: &CredentialCache,
    bearer: &str,
) -> Result<Principal, AppError> {
    let hash = hash_secret(bearer);
    if bearer.starts_with("mq_site_") {
        if let Some(site) = cache.get(&hash) {
            return Ok(Principal::Site(site));
        }
        let lookup = hash.clone();
        let row = db
            .read(move |conn| {
                storage::sites::find_by_key_hash(conn, &lookup).map_err(AppError::from)
            })
            .await?
            .ok_or(AppError::Unauthorized)?;
        let site = SiteContext::from_row(row)?;
        cache.put(hash, site.clone());
        Ok(Principal::Site(site))
    } else if bearer.starts_with("mq_tok_") {
        db.read(move |conn| {
            let row = storage::moderators::find_by_token_hash(conn, &hash)?
                .ok_or(AppError::Unauthorized)?;
            let site_ids = storage::moderators::site_ids(conn, row.id)?;
            Ok(Principal::Moderator(ModeratorContext {
                id: ModeratorId(row.id),
                role: row.role.parse()?,
                email: row.email,
                site_ids: site_ids.into_iter().map(SiteId).collect(),
            }))
        })
        .await
    } else {
        Err(AppError::Unauthorized)
    }
}
