//! Rules as JSON objects: the definition's fields plus `site`, `article`
//! and, when editing, `version`. Shared by the API and rule files.

use serde_json::{Map, Value};

use super::RuleScope;
use crate::error::AppError;
use crate::rules::RuleDefinition;

/// Splits a rule body into its scope, an optional expected version and the
/// definition. Unknown fields are refused with their name.
pub fn parse_rule_body(body: Value) -> Result<(RuleScope, Option<i32>, RuleDefinition), AppError> {
    let Value::Object(mut fields) = body else {
        return Err(AppError::validation("body", "expected a JSON object"));
    };
    let scope = RuleScope {
        site: take_string(&mut fields, "site")?,
        article: take_string(&mut fields, "article")?,
    };
    let version = match fields.remove("version") {
        None | Some(Value::Null) => None,
        Some(v) => Some(
            v.as_i64()
                .and_then(|v| i32::try_from(v).ok())
                .ok_or_else(|| AppError::validation("version", "must be an integer"))?,
        ),
    };
    // Read-only fields may come back as they were read, and are ignored.
    for read_only in READ_ONLY {
        take_string(&mut fields, read_only)?;
    }
    let definition = crate::strict_json::from_value(Value::Object(fields)).map_err(|e| {
        AppError::Unprocessable {
            code: "validation_failed",
            message: format!("rule: {e}"),
        }
    })?;
    Ok((scope, version, definition))
}

const READ_ONLY: [&str; 3] = ["id", "created_at", "updated_at"];

fn take_string(fields: &mut Map<String, Value>, key: &str) -> Result<Option<String>, AppError> {
    match fields.remove(key) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) if !s.trim().is_empty() => Ok(Some(s)),
        Some(Value::String(_)) if READ_ONLY.contains(&key) => Ok(None),
        Some(_) => Err(AppError::validation(
            key,
            "must be a non-empty string or null",
        )),
    }
}

/// A rule as a plain object for files: scope and definition, no nulls.
pub fn rule_to_object(scope: &RuleScope, definition: &RuleDefinition) -> Value {
    let mut value = serde_json::to_value(definition).unwrap_or(Value::Null);
    if let Value::Object(fields) = &mut value {
        if let Some(site) = &scope.site {
            fields.insert("site".into(), Value::String(site.clone()));
        }
        if let Some(article) = &scope.article {
            fields.insert("article".into(), Value::String(article.clone()));
        }
    }
    strip_nulls(value)
}

fn strip_nulls(value: Value) -> Value {
    match value {
        Value::Object(fields) => Value::Object(
            fields
                .into_iter()
                .filter(|(_, v)| !v.is_null())
                .map(|(k, v)| (k, strip_nulls(v)))
                .collect(),
        ),
        Value::Array(items) => Value::Array(items.into_iter().map(strip_nulls).collect()),
        other => other,
    }
}
