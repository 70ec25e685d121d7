//! Wire form of rules: the definition's fields plus scope and bookkeeping.

use serde_json::{Map, Value, json};

use super::dto::timestamp;
use crate::error::AppError;
use crate::rulebook::{RuleScope, RuleVersionView, RuleView};
use crate::rules::{RuleDefinition, RuleHit};

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
    for read_only in ["id", "created_at", "updated_at"] {
        fields.remove(read_only);
    }
    let definition =
        serde_json::from_value(Value::Object(fields)).map_err(|e| AppError::Unprocessable {
            code: "validation_failed",
            message: format!("rule: {e}"),
        })?;
    Ok((scope, version, definition))
}

fn take_string(fields: &mut Map<String, Value>, key: &str) -> Result<Option<String>, AppError> {
    match fields.remove(key) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) if !s.trim().is_empty() => Ok(Some(s)),
        Some(_) => Err(AppError::validation(
            key,
            "must be a non-empty string or null",
        )),
    }
}

pub fn rule_resource(rule: &RuleView) -> Value {
    let mut value = serde_json::to_value(&rule.definition).unwrap_or(Value::Null);
    if let Value::Object(fields) = &mut value {
        fields.insert("id".into(), json!(rule.id.to_string()));
        fields.insert("version".into(), json!(rule.version));
        fields.insert("site".into(), json!(rule.scope.site));
        fields.insert("article".into(), json!(rule.scope.article));
        fields.insert("created_at".into(), json!(timestamp(rule.created_at)));
        fields.insert("updated_at".into(), json!(timestamp(rule.updated_at)));
    }
    value
}

pub fn version_resource(v: &RuleVersionView) -> Value {
    json!({
        "version": v.version,
        "deleted": v.deleted,
        "changed_by": v.changed_by,
        "at": timestamp(v.at),
        "rule": v.definition,
    })
}

pub fn hit_resource(hit: &RuleHit) -> Value {
    json!({
        "rule": hit.rule_name,
        "action": hit.action.as_str(),
        "mode": hit.mode.as_str(),
        "reason": hit.reason,
        "message": hit.message,
        "span": hit.span.as_ref().map(|s| json!({"start": s.start, "end": s.end, "text": s.text})),
    })
}
