//! `GET /api/openapi.json`: the `/api/v1` contract, generated from the
//! handlers' annotations and the wire types themselves, so it cannot drift
//! from the code. A test checks that it lists exactly the routes
//! `routes.rs` serves, and schemathesis checks the server against it.

mod common_errors;
mod fixups;
mod schemas;

use std::sync::OnceLock;

use actix_web::HttpResponse;
use utoipa::OpenApi;

use common_errors::CommonErrors;
use utoipa::openapi::security::{Http, HttpAuthScheme, SecurityScheme};

pub use schemas::{attribute_or_empty, ip_address, ip_address_or_empty, score_or_empty};

/// The whole API description.
#[derive(OpenApi)]
#[openapi(
    info(
        title = "modq",
        description = "Comment moderation queue. Sites submit comments and read decisions with a \
            site API key; moderators work the queue with a moderator token. Every error is \
            `{\"error\": {\"code\", \"message\"}}` with a stable `code`."
    ),
    paths(
        super::submit_comment::submit_comment,
        super::get_comment::get_comment,
        super::withdraw_comment::withdraw_comment,
        super::edit_comment::edit_comment,
        super::comment_revisions::comment_revisions,
        super::report_comment::report_comment,
        super::report_comment::list_reports,
        super::comment_history::comment_history,
        super::decide_comment::decide_comment,
        super::take_lease::take_lease,
        super::release_lease::release_lease,
        super::decide_many::decide_many,
        super::list_queue::list_queue,
        super::get_insights::get_insights,
        super::get_article::get_article,
        super::update_article::update_article,
        super::list_article_comments::list_article_comments,
        super::list_rules::list_rules,
        super::create_rule::create_rule,
        super::test_rule::test_rule,
        super::backtest_rule::backtest_rule,
        super::get_rule::get_rule,
        super::update_rule::update_rule,
        super::delete_rule::delete_rule,
        super::rule_versions::rule_versions,
        super::get_site::get_site,
        super::update_site::update_site,
        super::webhooks::get_queue_alert,
        super::webhooks::put_queue_alert,
        super::webhooks::list_webhooks,
        super::webhooks::create_webhook,
        super::webhooks::delete_webhook,
        super::webhooks::list_deliveries,
        super::webhooks::redeliver,
    ),
    components(schemas(super::error_response::ErrorResponse)),
    modifiers(&SecuritySchemes, &CommonErrors),
    tags(
        (name = "comments", description = "Submitting comments and reading their fate (site key)"),
        (name = "moderation", description = "The queue, leases and decisions (moderator token)"),
        (name = "articles", description = "Per-article policy (site key)"),
        (name = "rules", description = "Rules, drafts and backtests (moderator token)"),
        (name = "site", description = "The calling site's settings (site key)"),
        (name = "webhooks", description = "Endpoints and their delivery log (site key)"),
    )
)]
pub struct ApiDoc;

/// `GET /api/openapi.json`
pub async fn openapi_json() -> HttpResponse {
    HttpResponse::Ok()
        .content_type("application/json")
        .body(document())
}

/// The document as served; built once.
pub fn document() -> &'static str {
    static DOCUMENT: OnceLock<String> = OnceLock::new();
    DOCUMENT.get_or_init(|| {
        let mut doc = serde_json::to_value(ApiDoc::openapi()).unwrap_or_default();
        fixups::camel_case_links(&mut doc);
        fixups::summaries_from_doc_comments(&mut doc);
        fixups::merge_closed_all_of(&mut doc);
        doc.to_string()
    })
}

struct SecuritySchemes;

impl utoipa::Modify for SecuritySchemes {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        let bearer = |description: &str| {
            let mut http = Http::new(HttpAuthScheme::Bearer);
            http.description = Some(description.to_owned());
            SecurityScheme::Http(http)
        };
        components.add_security_scheme(
            "site_key",
            bearer("A site API key (`modq site create NAME` prints one): `Authorization: Bearer mq_site_…`"),
        );
        components.add_security_scheme(
            "moderator_token",
            bearer("A moderator's personal token (`modq token create EMAIL`): `Authorization: Bearer mq_tok_…`"),
        );
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    use serde_json::Value;

    use super::*;
    use crate::api::routes::API_V1_ROUTES;

    fn spec() -> Value {
        serde_json::from_str(document()).unwrap_or(Value::Null)
    }

    #[test]
    fn the_document_lists_exactly_the_routes_served() {
        let spec = spec();
        let mut documented = BTreeSet::new();
        for (path, item) in spec["paths"].as_object().into_iter().flatten() {
            for method in item.as_object().into_iter().flatten().map(|(m, _)| m) {
                documented.insert((method.clone(), path.clone()));
            }
        }
        let served: BTreeSet<(String, String)> = API_V1_ROUTES
            .iter()
            .map(|(m, p)| ((*m).to_owned(), format!("/api/v1{p}")))
            .collect();
        assert_eq!(documented, served);
    }

    #[test]
    fn every_operation_has_a_credential_a_success_and_error_shapes() {
        let spec = spec();
        let schemes = &spec["components"]["securitySchemes"];
        for (path, item) in spec["paths"].as_object().into_iter().flatten() {
            for (method, op) in item.as_object().into_iter().flatten() {
                let at = format!("{method} {path}");
                let security = op["security"].as_array().cloned().unwrap_or_default();
                assert!(!security.is_empty(), "{at}: no security");
                for requirement in &security {
                    for (scheme, _) in requirement.as_object().into_iter().flatten() {
                        assert!(schemes.get(scheme).is_some(), "{at}: unknown {scheme}");
                    }
                }
                let responses = op["responses"].as_object().cloned().unwrap_or_default();
                assert!(
                    responses.keys().any(|s| s.starts_with('2')),
                    "{at}: no success"
                );
                for status in ["401", "503"] {
                    assert_eq!(
                        responses[status]["$ref"],
                        Value::from(format!(
                            "#/components/responses/{}",
                            if status == "401" {
                                "Unauthorized"
                            } else {
                                "Unavailable"
                            }
                        )),
                        "{at}: {status}"
                    );
                }
                if op.get("requestBody").is_some() {
                    for status in ["400", "413", "415", "422"] {
                        assert!(responses.contains_key(status), "{at}: no {status}");
                    }
                }
                if path.contains('{') {
                    assert!(responses.contains_key("404"), "{at}: no 404");
                }
            }
        }
    }

    #[test]
    fn error_answers_share_one_schema() {
        let spec = spec();
        let error = &spec["components"]["schemas"]["ErrorResponse"];
        assert_eq!(error["required"], serde_json::json!(["error"]), "{error}");
        let detail = &spec["components"]["schemas"]["ErrorDetail"];
        assert_eq!(detail["required"], serde_json::json!(["code", "message"]));
        for (name, response) in spec["components"]["responses"]
            .as_object()
            .into_iter()
            .flatten()
        {
            assert_eq!(
                response["content"]["application/json"]["schema"]["$ref"],
                "#/components/schemas/ErrorResponse",
                "{name}"
            );
        }
    }

    #[test]
    fn rules_keep_their_definition_fields_beside_scope() {
        let spec = spec();
        let body = &spec["paths"]["/api/v1/rules"]["post"]["requestBody"]["content"]["application/json"]
            ["schema"];
        let request = &spec["components"]["schemas"]["RuleRequest"];
        assert_eq!(body["$ref"], "#/components/schemas/RuleRequest");
        for field in ["name", "action", "match", "site", "article", "version"] {
            assert!(request["properties"].get(field).is_some(), "{field}");
        }
        assert_eq!(request["additionalProperties"], false);
        let resource = &spec["components"]["schemas"]["RuleResource"];
        for field in ["id", "version", "created_at", "name", "match"] {
            assert!(resource["properties"].get(field).is_some(), "{field}");
        }
    }
}
