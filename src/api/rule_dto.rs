//! Wire form of rules: the definition's fields plus scope and bookkeeping.

use serde_json::{Value, json};

pub use crate::rulebook::parse_rule_body;

use super::dto::timestamp;
use crate::rulebook::{RuleVersionView, RuleView};
use crate::rules::RuleHit;

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
