//! Schemas the derive cannot express: IP addresses of either family, and
//! rules, whose wire form is the definition's fields side by side with
//! scope and bookkeeping.

use utoipa::openapi::schema::{
    AdditionalProperties, AnyOfBuilder, ObjectBuilder, Schema, SchemaFormat, Type,
};
use utoipa::openapi::{KnownFormat, RefOr};
use utoipa::{PartialSchema, ToSchema};

use crate::api::rule_dto::{RuleRequest, RuleResource};
use crate::domain::Attribute;
use crate::rules::RuleDefinition;

/// An IPv4 or IPv6 address.
pub fn ip_address() -> Schema {
    AnyOfBuilder::new()
        .item(ip(KnownFormat::Ipv4))
        .item(ip(KnownFormat::Ipv6))
        .description(Some("An IPv4 or IPv6 address"))
        .build()
        .into()
}

/// An IPv4 or IPv6 address, or empty for none.
pub fn ip_address_or_empty() -> Schema {
    AnyOfBuilder::new()
        .item(ip(KnownFormat::Ipv4))
        .item(ip(KnownFormat::Ipv6))
        .item(empty_string())
        .item(ObjectBuilder::new().schema_type(Type::Null))
        .description(Some("An IPv4 or IPv6 address; empty or null for none"))
        .build()
        .into()
}

/// A score from 0 to 1, or empty for none (as an HTML form sends it).
pub fn score_or_empty() -> Schema {
    AnyOfBuilder::new()
        .item(
            ObjectBuilder::new()
                .schema_type(Type::Number)
                .minimum(Some(0.0))
                .maximum(Some(1.0)),
        )
        .item(empty_string())
        .build()
        .into()
}

/// `spam` or `offensive`, or empty for any.
pub fn attribute_or_empty() -> Schema {
    AnyOfBuilder::new()
        .item(Attribute::schema())
        .item(empty_string())
        .build()
        .into()
}

fn empty_string() -> ObjectBuilder {
    ObjectBuilder::new()
        .schema_type(Type::String)
        .max_length(Some(0))
}

fn ip(format: KnownFormat) -> ObjectBuilder {
    ObjectBuilder::new()
        .schema_type(Type::String)
        .format(Some(SchemaFormat::KnownFormat(format)))
}

/// The definition's own object schema with `extra` properties beside its
/// fields, still refusing any other.
fn rule_with(extra: &[(&str, Type, &str)], required: &[&str]) -> RefOr<Schema> {
    let RefOr::T(Schema::Object(mut object)) = RuleDefinition::schema() else {
        return RuleDefinition::schema();
    };
    for (name, kind, description) in extra {
        let property = ObjectBuilder::new()
            .schema_type(utoipa::openapi::schema::SchemaType::from_iter([
                kind.clone(),
                Type::Null,
            ]))
            .description(Some(*description))
            .build();
        object
            .properties
            .insert((*name).to_owned(), property.into());
    }
    object
        .required
        .extend(required.iter().map(|r| (*r).to_owned()));
    object.additional_properties = Some(Box::new(AdditionalProperties::FreeForm(false)));
    RefOr::T(Schema::Object(object))
}

impl PartialSchema for RuleRequest {
    fn schema() -> RefOr<Schema> {
        rule_with(
            &[
                (
                    "site",
                    Type::String,
                    "The site the rule belongs to (by name); a moderator of one site may leave it out. Fixed once created.",
                ),
                (
                    "article",
                    Type::String,
                    "Only comments on this article; left out: the whole site.",
                ),
                (
                    "version",
                    Type::Integer,
                    "On a save: refuse with 409 if the rule has moved on since this version.",
                ),
                (
                    "id",
                    Type::String,
                    "Ignored, so a rule read can be sent back as it is.",
                ),
                ("created_at", Type::String, "Ignored."),
                ("updated_at", Type::String, "Ignored."),
            ],
            &[],
        )
    }
}

impl ToSchema for RuleRequest {
    fn schemas(schemas: &mut Vec<(String, RefOr<Schema>)>) {
        RuleDefinition::schemas(schemas);
    }
}

impl PartialSchema for RuleResource {
    fn schema() -> RefOr<Schema> {
        rule_with(
            &[
                ("id", Type::String, "The rule's id."),
                ("version", Type::Integer, "Its current version."),
                (
                    "site",
                    Type::String,
                    "The site it belongs to; null for a global rule.",
                ),
                (
                    "article",
                    Type::String,
                    "The article it is limited to, if any.",
                ),
                ("created_at", Type::String, "When it was created."),
                ("updated_at", Type::String, "When it was last saved."),
            ],
            &["id", "version", "created_at", "updated_at"],
        )
    }
}

impl ToSchema for RuleResource {
    fn schemas(schemas: &mut Vec<(String, RefOr<Schema>)>) {
        RuleDefinition::schemas(schemas);
    }
}
