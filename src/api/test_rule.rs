use actix_web::HttpResponse;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::extract::{JsonBody, ModeratorAuth};
use super::rule_dto::{HitResource, hit_resource, parse_rule_body};
use crate::error::AppError;
use crate::rulebook::{self, TestAuthor};
use crate::rules::{RuleAction, RuleMode};

/// A draft rule and a text to try it on, with the article and author the
/// rule may look at.
#[derive(Debug, Deserialize, ToSchema)]
pub struct TestRuleRequest {
    #[schema(value_type = super::rule_dto::RuleRequest)]
    rule: serde_json::Value,
    text: String,
    #[serde(default)]
    article: Option<String>,
    #[serde(default)]
    author: Option<TestAuthorInput>,
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct TestAuthorInput {
    #[serde(default)]
    id: Option<String>,
    #[serde(default)]
    email: Option<String>,
    #[serde(default)]
    #[schema(schema_with = super::openapi::ip_address)]
    ip: Option<String>,
    /// Treat the author as still under the new-author hold.
    #[serde(default)]
    new: bool,
}

/// The draft's hits and the action the enforced ones add up to.
#[derive(Debug, Serialize, ToSchema)]
pub struct TestRuleResult {
    pub hits: Vec<HitResource>,
    pub action: Option<RuleAction>,
}

/// `POST /api/v1/rules/test`: what a draft rule would record on a text.
/// Nothing is saved.
#[utoipa::path(
    post, path = "/api/v1/rules/test", tag = "rules",
    security(("moderator_token" = [])),
    request_body = TestRuleRequest,
    responses((status = 200, description = "What the draft would record; nothing is saved", body = TestRuleResult))
)]
pub async fn test_rule(
    ModeratorAuth(_moderator): ModeratorAuth,
    body: JsonBody<TestRuleRequest>,
) -> Result<HttpResponse, AppError> {
    let req = body.value;
    let (_, _, definition) = parse_rule_body(req.rule)?;
    let author = req.author.unwrap_or(TestAuthorInput {
        id: None,
        email: None,
        ip: None,
        new: false,
    });
    let author = TestAuthor {
        id: author.id.unwrap_or_default(),
        email: author.email,
        ip: author
            .ip
            .map(|ip| {
                ip.parse()
                    .map_err(|_| AppError::validation("author.ip", "not an IP address"))
            })
            .transpose()?,
        new_author: author.new,
    };
    let hits = rulebook::test_rule(
        definition,
        &req.text,
        req.article.as_deref().unwrap_or(""),
        &author,
    )?;
    let outcome = hits
        .iter()
        .filter(|h| h.mode == RuleMode::Enforce)
        .map(|h| h.action)
        .max();
    Ok(HttpResponse::Ok().json(TestRuleResult {
        hits: hits.iter().map(hit_resource).collect(),
        action: outcome,
    }))
}
