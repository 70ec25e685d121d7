use actix_web::HttpResponse;
use serde::Deserialize;

use super::extract::{JsonBody, ModeratorAuth};
use super::rule_dto::{hit_resource, parse_rule_body};
use crate::error::AppError;
use crate::rulebook::{self, TestAuthor};
use crate::rules::RuleMode;

#[derive(Debug, Deserialize)]
pub struct TestRuleRequest {
    rule: serde_json::Value,
    text: String,
    #[serde(default)]
    article: Option<String>,
    #[serde(default)]
    author: Option<TestAuthorInput>,
}

#[derive(Debug, Deserialize)]
pub struct TestAuthorInput {
    #[serde(default)]
    id: Option<String>,
    #[serde(default)]
    email: Option<String>,
    #[serde(default)]
    ip: Option<String>,
    #[serde(default)]
    new: bool,
}

/// `POST /api/v1/rules/test`: what a draft rule would record on a text.
/// Nothing is saved.
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
        .max()
        .map(|a| a.as_str());
    let items: Vec<_> = hits.iter().map(hit_resource).collect();
    Ok(HttpResponse::Ok().json(serde_json::json!({ "hits": items, "action": outcome })))
}
