//! The error answers every operation can give, added to each operation
//! from what it has (a body, parameters, a credential), so the handlers'
//! annotations list only what is particular to them.

use utoipa::openapi::path::{Operation, ParameterIn};
use utoipa::openapi::{
    ContentBuilder, Ref, RefOr, ResponseBuilder,
    header::HeaderBuilder,
    schema::{ObjectBuilder, Type},
};
use utoipa::{Modify, PartialSchema};

use crate::api::error_response::ErrorResponse;

pub struct CommonErrors;

/// Status, component name, description, and which operations can answer it.
const ERRORS: &[(&str, &str, &str, Applies)] = &[
    (
        "400",
        "BadRequest",
        "Malformed JSON (`invalid_json`) or an unreadable body (`bad_payload`)",
        Applies::WithBody,
    ),
    (
        "401",
        "Unauthorized",
        "No credential, an unknown one, or the wrong kind (`unauthorized`)",
        Applies::WithCredential,
    ),
    (
        "404",
        "NotFound",
        "No such resource for this caller (`not_found`)",
        Applies::WithPathId,
    ),
    (
        "408",
        "RequestTimeout",
        "The body did not arrive within `limits.request_body_timeout_ms` (`request_timeout`)",
        Applies::WithBody,
    ),
    (
        "409",
        "Conflict",
        "The change collides with the resource's state or a concurrent write (`concurrent_write`: retry)",
        Applies::Writes,
    ),
    (
        "413",
        "PayloadTooLarge",
        "The body is larger than `limits.max_request_bytes` (`payload_too_large`)",
        Applies::WithBody,
    ),
    (
        "415",
        "UnsupportedMediaType",
        "The body is not `application/json` (`unsupported_media_type`)",
        Applies::WithBody,
    ),
    (
        "422",
        "Unprocessable",
        "A field or parameter is invalid; the message names it (`validation_failed`)",
        Applies::WithInput,
    ),
    (
        "503",
        "Unavailable",
        "The database cannot be reached within the pool timeout (`database_unavailable`)",
        Applies::Always,
    ),
    (
        "507",
        "StorageNotWritable",
        "The database refused the write: disk full or read-only (`storage_not_writable`)",
        Applies::Writes,
    ),
];

#[derive(Clone, Copy)]
enum Applies {
    Always,
    WithBody,
    WithCredential,
    WithPathId,
    WithInput,
    Writes,
}

impl Applies {
    fn to(self, op: &Operation, write: bool) -> bool {
        let has = |location: ParameterIn| {
            op.parameters
                .iter()
                .flatten()
                .any(|p| p.parameter_in == location)
        };
        match self {
            Applies::Always => true,
            Applies::WithBody => op.request_body.is_some(),
            Applies::WithCredential => op.security.as_ref().is_some_and(|s| !s.is_empty()),
            Applies::WithPathId => has(ParameterIn::Path),
            Applies::WithInput => {
                op.request_body.is_some() || has(ParameterIn::Query) || has(ParameterIn::Header)
            }
            Applies::Writes => write,
        }
    }
}

impl Modify for CommonErrors {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        for (_, name, description, _) in ERRORS {
            let mut response = ResponseBuilder::new().description(*description).content(
                "application/json",
                ContentBuilder::new()
                    .schema(Some(Ref::from_schema_name("ErrorResponse")))
                    .build(),
            );
            if *name == "Unauthorized" {
                response = response.header(
                    "WWW-Authenticate",
                    HeaderBuilder::new()
                        .schema(ObjectBuilder::new().schema_type(Type::String))
                        .description(Some("`Bearer`"))
                        .build(),
                );
            }
            components
                .responses
                .insert((*name).to_owned(), RefOr::T(response.build()));
        }
        components
            .schemas
            .entry("ErrorResponse".to_owned())
            .or_insert_with(ErrorResponse::schema);
        for item in openapi.paths.paths.values_mut() {
            let operations = [
                (&mut item.get, false),
                (&mut item.post, true),
                (&mut item.put, true),
                (&mut item.delete, true),
            ];
            for (op, write) in operations {
                let Some(op) = op.as_mut() else { continue };
                for (status, name, _, applies) in ERRORS {
                    if applies.to(op, write) {
                        op.responses
                            .responses
                            .entry((*status).to_owned())
                            .or_insert_with(|| RefOr::Ref(Ref::from_response_name(*name)));
                    }
                }
            }
        }
    }
}
