//! Rules as code: `modq rules export FILE` writes every live rule to a TOML
//! file, and `modq rules import FILE` brings a site's rules in line with it.
//! A rule is known by its site, article and name: importing a changed
//! definition saves a new version, an unchanged one does nothing.

use serde_json::Value;

use super::{create_rule, list_rules, parse_rule_body, rule_to_object, update_rule};
use crate::accounts::ModeratorContext;
use crate::domain::IdGenerator;
use crate::error::AppError;
use crate::storage::Database;

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ImportSummary {
    pub created: usize,
    pub updated: usize,
    pub unchanged: usize,
}

/// Every live rule (of one site and the global ones, when `site` is given)
/// as a TOML document.
pub async fn export_rules(
    db: &Database,
    operator: &ModeratorContext,
    site: Option<String>,
) -> Result<String, AppError> {
    let rules = list_rules(db, operator, site).await?;
    let items: Vec<Value> = rules
        .iter()
        .map(|r| rule_to_object(&r.scope, &r.definition))
        .collect();
    let doc = serde_json::json!({ "rules": items });
    let value = toml::Value::try_from(doc).map_err(AppError::internal)?;
    let body = toml::to_string_pretty(&value).map_err(AppError::internal)?;
    Ok(format!(
        "# modq rules. Edit, then load with `modq rules import FILE`.\n# Each [[rules]] entry is one rule, known by its site, article and name.\n\n{body}"
    ))
}

/// Applies a TOML document of rules. Every rule is checked before any is
/// saved, so a bad file changes nothing.
pub async fn import_rules(
    db: &Database,
    ids: &IdGenerator,
    operator: &ModeratorContext,
    text: &str,
) -> Result<ImportSummary, AppError> {
    let doc: toml::Table = text.parse().map_err(|e| AppError::BadRequest {
        code: "invalid_toml",
        message: format!("the file is not valid TOML: {e}"),
    })?;
    let entries = match doc.get("rules") {
        None => Vec::new(),
        Some(toml::Value::Array(items)) => items.clone(),
        Some(_) => {
            return Err(AppError::validation(
                "rules",
                "must be an array of tables ([[rules]])",
            ));
        }
    };
    let mut parsed = Vec::with_capacity(entries.len());
    for (i, entry) in entries.into_iter().enumerate() {
        let json = serde_json::to_value(entry).map_err(AppError::internal)?;
        let (scope, _, definition) = parse_rule_body(json).map_err(|e| prefix(i, e))?;
        crate::rules::validate(&definition)
            .map_err(|e| prefix(i, AppError::validation(&e.field, e.message)))?;
        parsed.push((scope, definition));
    }
    let existing = list_rules(db, operator, None).await?;
    let mut summary = ImportSummary::default();
    for (i, (scope, definition)) in parsed.into_iter().enumerate() {
        let same = existing
            .iter()
            .find(|r| r.scope == scope && r.definition.name.trim() == definition.name.trim());
        match same {
            Some(rule) if rule.definition == definition => summary.unchanged += 1,
            Some(rule) => {
                update_rule(
                    db,
                    operator,
                    rule.id,
                    scope.article.clone(),
                    definition,
                    Some(rule.version),
                )
                .await
                .map_err(|e| prefix(i, e))?;
                summary.updated += 1;
            }
            None => {
                create_rule(db, ids, operator, scope, definition)
                    .await
                    .map_err(|e| prefix(i, e))?;
                summary.created += 1;
            }
        }
    }
    Ok(summary)
}

fn prefix(index: usize, err: AppError) -> AppError {
    match err {
        AppError::Unprocessable { code, message } => AppError::Unprocessable {
            code,
            message: format!("rules[{index}]: {message}"),
        },
        other => other,
    }
}
