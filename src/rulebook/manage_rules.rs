use chrono::NaiveDateTime;
use serde_json::Value;

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
    record_version(
        conn,
        RuleChange {
            rule_id: id,
            site_id: site_id.map(|s| s.0),
            version: 1,
            before: None,
            json,
            deleted: false,
        },
        actor,
    )
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
        record_version(
            conn,
            RuleChange::after(&row, &json, false),
            &moderator.actor(),
        )?;
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
        record_version(
            conn,
            RuleChange::after(&row, &row.definition, true),
            &moderator.actor(),
        )
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

/// One saved version of a rule, with what it replaced.
struct RuleChange<'a> {
    rule_id: i64,
    site_id: Option<i64>,
    version: i32,
    /// The definition this version replaces; `None` for a new rule.
    before: Option<&'a str>,
    json: &'a str,
    deleted: bool,
}

impl<'a> RuleChange<'a> {
    /// The version that follows `row`.
    fn after(row: &'a RuleRow, json: &'a str, deleted: bool) -> Self {
        Self {
            rule_id: row.id,
            site_id: row.site_id,
            version: row.version + 1,
            before: Some(&row.definition),
            json,
            deleted,
        }
    }
}

/// Appends the version to the rule's history and records the change on
/// the audit trail of configuration changes.
fn record_version(conn: &mut DbConn, change: RuleChange<'_>, actor: &str) -> Result<(), AppError> {
    storage::rules::append_version(
        conn,
        &NewRuleVersion {
            rule_id: change.rule_id,
            version: change.version,
            definition: change.json,
            deleted: change.deleted,
            changed_by: actor,
            created_at: storage::now(),
        },
    )?;
    let name = serde_json::from_str::<Value>(change.json)
        .ok()
        .and_then(|v| v["name"].as_str().map(str::to_owned))
        .unwrap_or_default();
    let (action, detail) = match (change.before, change.deleted) {
        (_, true) => ("rule.deleted", format!("version {}", change.version)),
        (None, false) => ("rule.created", format!("version {}", change.version)),
        (Some(before), false) => (
            "rule.updated",
            format!(
                "version {}: {}",
                change.version,
                changed_fields(before, change.json)
            ),
        ),
    };
    storage::config_changes::note(
        conn,
        change.site_id,
        actor,
        action,
        &format!("rule {} “{name}”", change.rule_id),
        &detail,
    )?;
    Ok(())
}

/// Which top-level fields differ between two stored definitions, like
/// `mode shadow → enforce, match changed`.
fn changed_fields(before: &str, after: &str) -> String {
    let parse = |s: &str| serde_json::from_str::<Value>(s).unwrap_or(Value::Null);
    let (before, after) = (parse(before), parse(after));
    let empty = serde_json::Map::new();
    let old = before.as_object().unwrap_or(&empty);
    let new = after.as_object().unwrap_or(&empty);
    let mut keys: Vec<&String> = old.keys().chain(new.keys()).collect();
    keys.sort();
    keys.dedup();
    let changes: Vec<String> = keys
        .into_iter()
        .filter(|k| old.get(*k) != new.get(*k))
        .map(|k| match (old.get(k), new.get(k)) {
            (Some(a), Some(b)) => match (short(a), short(b)) {
                (Some(a), Some(b)) => format!("{k} {a} → {b}"),
                _ => format!("{k} changed"),
            },
            _ => format!("{k} changed"),
        })
        .collect();
    if changes.is_empty() {
        "saved unchanged".to_owned()
    } else {
        changes.join(", ")
    }
}

/// A scalar short enough to show whole.
fn short(value: &Value) -> Option<String> {
    match value {
        Value::Bool(_) | Value::Number(_) => Some(value.to_string()),
        Value::String(s) if s.chars().count() <= 40 => Some(s.clone()),
        _ => None,
    }
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

#[cfg(test)]
mod tests {
    use super::changed_fields;

    #[test]
    fn changed_fields_names_what_a_version_changed() {
        let before = r#"{"name":"Links","action":"hold","mode":"shadow","priority":20,"match":{"kind":"links","max_links":2}}"#;
        let after = r#"{"name":"Links","action":"hold","mode":"enforce","priority":30,"match":{"kind":"links","max_links":3}}"#;
        assert_eq!(
            changed_fields(before, after),
            "match changed, mode shadow → enforce, priority 20 → 30"
        );
        assert_eq!(changed_fields(before, before), "saved unchanged");
        let with_message = r#"{"name":"Links","action":"hold","mode":"shadow","priority":20,"message":"x","match":{"kind":"links","max_links":2}}"#;
        assert_eq!(changed_fields(before, with_message), "message changed");
    }
}
