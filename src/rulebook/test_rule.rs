use std::net::IpAddr;

use crate::error::AppError;
use crate::rules::{CommentInput, CompiledRules, RuleDefinition, RuleHit, RuleRecord, validate};

/// Author details a draft rule may look at.
#[derive(Debug, Clone, Default)]
pub struct TestAuthor {
    pub id: String,
    pub email: Option<String>,
    pub ip: Option<IpAddr>,
    /// Whether to treat the author as still under the new-author hold.
    pub new_author: bool,
}

/// Validates and compiles a rule that is not saved; errors name the field
/// under `rule.`.
pub(super) fn compile_draft(definition: RuleDefinition) -> Result<CompiledRules, AppError> {
    let invalid =
        |e: crate::rules::RuleError| AppError::validation(&format!("rule.{}", e.field), e.message);
    validate(&definition).map_err(invalid)?;
    CompiledRules::compile(&[RuleRecord {
        id: 0,
        version: 0,
        site_id: None,
        article: None,
        definition,
    }])
    .map_err(invalid)
}

/// Runs a draft rule over a text and returns what it would record. Nothing
/// is stored.
pub fn test_rule(
    definition: RuleDefinition,
    text: &str,
    article: &str,
    author: &TestAuthor,
) -> Result<Vec<RuleHit>, AppError> {
    let compiled = compile_draft(definition)?;
    let hits = compiled.evaluate(&CommentInput {
        body: text,
        article,
        author_id: &author.id,
        email: author.email.as_deref(),
        ip: author.ip,
    });
    Ok(hits
        .into_iter()
        .filter(|h| !h.needs_new_author || author.new_author)
        .collect())
}
