//! Wire form of rules: the definition's fields plus scope and bookkeeping.

use serde::Serialize;
use utoipa::ToSchema;

pub use crate::rulebook::parse_rule_body;

use super::dto::timestamp;
use crate::rulebook::{RuleVersionView, RuleView};
use crate::rules::{RuleAction, RuleDefinition, RuleHit, RuleMode};
use crate::views::SpanResource;

/// A saved rule: its definition plus scope and bookkeeping. The schema is
/// written out in `openapi::rule_schemas`, because the definition's own
/// schema refuses unknown fields.
#[derive(Debug, Serialize)]
pub struct RuleResource {
    #[serde(flatten)]
    pub definition: RuleDefinition,
    pub id: String,
    pub version: i32,
    pub site: Option<String>,
    pub article: Option<String>,
    pub created_at: String,
    pub updated_at: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct RuleList {
    pub items: Vec<RuleResource>,
}

/// One saved version of a rule.
#[derive(Debug, Serialize, ToSchema)]
pub struct RuleVersionResource {
    pub version: i32,
    pub deleted: bool,
    pub changed_by: String,
    pub at: String,
    pub rule: RuleDefinition,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct RuleVersionList {
    pub items: Vec<RuleVersionResource>,
}

/// What a rule found in a text, with the exact matched span.
#[derive(Debug, Serialize, ToSchema)]
pub struct HitResource {
    pub rule: String,
    pub action: RuleAction,
    pub mode: RuleMode,
    pub reason: Option<String>,
    pub message: String,
    pub span: Option<SpanResource>,
}

pub fn rule_resource(rule: &RuleView) -> RuleResource {
    RuleResource {
        definition: rule.definition.clone(),
        id: rule.id.to_string(),
        version: rule.version,
        site: rule.scope.site.clone(),
        article: rule.scope.article.clone(),
        created_at: timestamp(rule.created_at),
        updated_at: timestamp(rule.updated_at),
    }
}

pub fn version_resource(v: &RuleVersionView) -> RuleVersionResource {
    RuleVersionResource {
        version: v.version,
        deleted: v.deleted,
        changed_by: v.changed_by.clone(),
        at: timestamp(v.at),
        rule: v.definition.clone(),
    }
}

pub fn hit_resource(hit: &RuleHit) -> HitResource {
    HitResource {
        rule: hit.rule_name.clone(),
        action: hit.action,
        mode: hit.mode,
        reason: hit.reason.clone(),
        message: hit.message.clone(),
        span: hit.span.as_ref().map(|s| SpanResource {
            start: s.start,
            end: s.end,
            text: s.text.clone(),
        }),
    }
}

/// A rule as `POST /api/v1/rules` and `PUT /api/v1/rules/{id}` take it (and
/// `rules/test` and `rules/backtest` as `rule`): the definition's fields,
/// the scope, and on a save the version it was read at. Handlers read it
/// with `parse_rule_body`; this type carries its schema.
#[derive(Debug)]
pub struct RuleRequest;
