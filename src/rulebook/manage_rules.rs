use chrono::NaiveDateTime;

use crate::accounts::ModeratorContext;
use crate::domain::{Guidelines, IdGenerator, Role, SiteId};
use crate::error::AppError;
use crate::rules::{RuleAction, RuleDefinition, validate};
use crate::storage::rules::{NewRule, NewRuleVersion, RuleChanges, RuleRow};
use crate::storage::{self, Database, DbConn};

/// Where a rule applies: every site (`site: None`, admins only), one site,
/// or one article of a site.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RuleScope {
    pub site: Option<String>,
    pub article: Option<String>,
}

#[derive(Debug, Clone)]
pub struct RuleView {
    pub id: i64,
    pub version: i32,
    pub scope: RuleScope,
    pub definition: RuleDefinition,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

#[derive(Debug, Clone)]
pub struct RuleVersionView {
    pub version: i32,
    pub definition: RuleDefinition,
    pub deleted: bool,
    pub changed_by: String,
    pub at: NaiveDateTime,
}

pub async fn list_rules(
    db: &Database,
    moderator: &ModeratorContext,
    site: Option<String>,
) -> Result<Vec<RuleView>, AppError> {
    let moderator = moderator.clone();
    db.read(move |conn| {
        let filter: Option<Vec<i64>> = match &site {
            Some(name) => Some(vec![site_id_for(conn, &moderator, name)?.0]),
            None => moderator.site_filter(),
        };
        // A site's own rules and the global ones.
        let rows = storage::rules::list(conn, filter.as_deref())?;
        rows.into_iter().map(|row| view(conn, row)).collect()
    })
    .await
}

pub async fn get_rule(
    db: &Database,
    moderator: &ModeratorContext,
    id: i64,
) -> Result<RuleView, AppError> {
    let moderator = moderator.clone();
    db.read(move |conn| {
        let row = visible_rule(conn, &moderator, id)?;
        view(conn, row)
    })
    .await
}

pub async fn rule_versions(
    db: &Database,
    moderator: &ModeratorContext,
    id: i64,
) -> Result<Vec<RuleVersionView>, AppError> {
    let moderator = moderator.clone();
    db.read(move |conn| {
        visible_rule(conn, &moderator, id)?;
        storage::rules::versions(conn, id)?
            .into_iter()
            .map(|v| {
                Ok(RuleVersionView {
                    version: v.version,
                    definition: parse_stored(&v.definition)?,
                    deleted: v.deleted,
                    changed_by: v.changed_by,
                    at: v.created_at,
                })
            })
            .collect()
    })
    .await
}

/// Saves a new rule at version 1.
#[tracing::instrument(skip(db, ids, moderator, definition), fields(moderator = %moderator.id))]
pub async fn create_rule(
    db: &Database,
    ids: &IdGenerator,
    moderator: &ModeratorContext,
    scope: RuleScope,
    definition: RuleDefinition,
) -> Result<RuleView, AppError> {
    validate(&definition).map_err(|e| AppError::validation(&e.field, e.message))?;
    let moderator = moderator.clone();
    let id = ids.next();
    let json = serde_json::to_string(&definition).map_err(AppError::internal)?;
    db.write(move |conn| {
        let site_id = writable_scope(conn, &moderator, &scope)?;
        check_reason(conn, site_id, &definition)?;
        insert_rule(
            conn,
            id,
            site_id,
            scope.article.as_deref(),
            &json,
            &moderator.actor(),
        )?;
        let row = storage::rules::find(conn, id)?.ok_or(AppError::NotFound("rule"))?;
        view(conn, row)
    })
    .await
}

/// Stores a new rule at version 1 inside the caller's transaction.
pub fn insert_rule(
    conn: &mut DbConn,
    id: i64,
    site_id: Option<SiteId>,
    article: Option<&str>,
    json: &str,
    actor: &str,
) -> Result<(), AppError> {
    let now = storage::now();
    storage::rules::insert(
        conn,
        &NewRule {
            id,
            site_id: site_id.map(|s| s.0),
            article_external_id: article,
            version: 1,
            definition: json,
            deleted: false,
            created_at: now,
            updated_at: now,
        },
    )?;
    record_version(conn, id, 1, json, false, actor)
}

/// Gives a new site the starter rules, inside the caller's transaction.
pub fn insert_starter_pack(
    conn: &mut DbConn,
    ids: &IdGenerator,
    site_id: SiteId,
) -> Result<(), AppError> {
    for definition in crate::rules::starter_pack() {
        let json = serde_json::to_string(&definition).map_err(AppError::internal)?;
        insert_rule(
            conn,
            ids.next(),
            Some(site_id),
            None,
            &json,
            "modq:starter-pack",
        )?;
    }
    Ok(())
}

/// Saves a new version of a rule. With `expected_version`, refuses with 409
/// if someone else saved a version in between.
#[tracing::instrument(skip(db, moderator, definition), fields(moderator = %moderator.id))]
pub async fn update_rule(
    db: &Database,
    moderator: &ModeratorContext,
    id: i64,
    article: Option<String>,
    definition: RuleDefinition,
    expected_version: Option<i32>,
) -> Result<RuleView, AppError> {
    validate(&definition).map_err(|e| AppError::validation(&e.field, e.message))?;
    let moderator = moderator.clone();
    let json = serde_json::to_string(&definition).map_err(AppError::internal)?;
    db.write(move |conn| {
        let row = visible_rule(conn, &moderator, id)?;
        ensure_writable(&moderator, row.site_id)?;
        check_reason(conn, row.site_id.map(SiteId), &definition)?;
        if expected_version.is_some_and(|v| v != row.version) {
            return Err(AppError::Conflict {
                code: "version_conflict",
                message: format!(
                    "the rule is at version {}, not {:?}",
                    row.version, expected_version
                ),
                current: None,
            });
        }
        let next = row.version + 1;
        let applied = storage::rules::update(
            conn,
            id,
            row.version,
            &RuleChanges {
                article_external_id: Some(article.as_deref()),
                version: next,
                definition: &json,
                deleted: false,
                updated_at: storage::now(),
            },
        )?;
        if !applied {
            return Err(changed_concurrently());
        }
        record_version(conn, id, next, &json, false, &moderator.actor())?;
        let row = storage::rules::find(conn, id)?.ok_or(AppError::NotFound("rule"))?;
        view(conn, row)
    })
    .await
}

/// Retires a rule; its versions stay in the history.
pub async fn delete_rule(
    db: &Database,
    moderator: &ModeratorContext,
    id: i64,
) -> Result<(), AppError> {
    let moderator = moderator.clone();
    db.write(move |conn| {
        let row = visible_rule(conn, &moderator, id)?;
        ensure_writable(&moderator, row.site_id)?;
        let next = row.version + 1;
        let applied = storage::rules::update(
            conn,
            id,
            row.version,
            &RuleChanges {
                article_external_id: None,
                version: next,
                definition: &row.definition,
                deleted: true,
                updated_at: storage::now(),
            },
        )?;
        if !applied {
            return Err(changed_concurrently());
        }
        record_version(conn, id, next, &row.definition, true, &moderator.actor())
    })
    .await
}

fn changed_concurrently() -> AppError {
    AppError::Conflict {
        code: "version_conflict",
        message: "the rule was changed concurrently; reload it".to_owned(),
        current: None,
    }
}

fn record_version(
    conn: &mut DbConn,
    rule_id: i64,
    version: i32,
    json: &str,
    deleted: bool,
    actor: &str,
) -> Result<(), AppError> {
    storage::rules::append_version(
        conn,
        &NewRuleVersion {
            rule_id,
            version,
            definition: json,
            deleted,
            changed_by: actor,
            created_at: storage::now(),
        },
    )?;
    Ok(())
}

/// A live rule the moderator may see: global rules and their sites' rules.
fn visible_rule(
    conn: &mut DbConn,
    moderator: &ModeratorContext,
    id: i64,
) -> Result<RuleRow, AppError> {
    storage::rules::find(conn, id)?
        .filter(|r| r.site_id.is_none_or(|s| moderator.can_access(SiteId(s))))
        .ok_or(AppError::NotFound("rule"))
}

fn ensure_writable(moderator: &ModeratorContext, site: Option<i64>) -> Result<(), AppError> {
    match site {
        None if moderator.role != Role::Admin => Err(AppError::Forbidden),
        _ => Ok(()),
    }
}

fn writable_scope(
    conn: &mut DbConn,
    moderator: &ModeratorContext,
    scope: &RuleScope,
) -> Result<Option<SiteId>, AppError> {
    match &scope.site {
        None => {
            if scope.article.is_some() {
                return Err(AppError::validation(
                    "article",
                    "an article scope needs a site",
                ));
            }
            ensure_writable(moderator, None)?;
            Ok(None)
        }
        Some(name) => site_id_for(conn, moderator, name).map(Some),
    }
}

fn site_id_for(
    conn: &mut DbConn,
    moderator: &ModeratorContext,
    name: &str,
) -> Result<SiteId, AppError> {
    storage::sites::find_by_name(conn, name)?
        .map(|s| SiteId(s.id))
        .filter(|s| moderator.can_access(*s))
        .ok_or(AppError::NotFound("site"))
}

/// A site rule's reason must be one of the site's guidelines, so that
/// automatic rejections cite something the site actually wrote.
fn check_reason(
    conn: &mut DbConn,
    site: Option<SiteId>,
    def: &RuleDefinition,
) -> Result<(), AppError> {
    let (Some(site), Some(code)) = (site, def.reason.as_deref()) else {
        return Ok(());
    };
    let row = storage::sites::find(conn, site.0)?.ok_or(AppError::NotFound("site"))?;
    let guidelines = Guidelines::from_stored(&row.guidelines).map_err(AppError::internal)?;
    if guidelines.find(code).is_none() {
        let kind = if def.action == RuleAction::Reject {
            "rejections"
        } else {
            "reasons"
        };
        return Err(AppError::validation(
            "reason",
            format!("{code:?} is not one of the site's guidelines; {kind} must cite one"),
        ));
    }
    Ok(())
}

fn parse_stored(json: &str) -> Result<RuleDefinition, AppError> {
    serde_json::from_str(json).map_err(AppError::internal)
}

fn view(conn: &mut DbConn, row: RuleRow) -> Result<RuleView, AppError> {
    let site = match row.site_id {
        Some(id) => Some(
            storage::sites::find(conn, id)?
                .ok_or(AppError::NotFound("site"))?
                .name,
        ),
        None => None,
    };
    Ok(RuleView {
        id: row.id,
        version: row.version,
        scope: RuleScope {
            site,
            article: row.article_external_id,
        },
        definition: parse_stored(&row.definition)?,
        created_at: row.created_at,
        updated_at: row.updated_at,
    })
}
