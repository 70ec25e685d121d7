//! Corrections to the document as utoipa 5 writes it.

use serde_json::{Map, Value};

/// Link objects come out with `operation_id` and `request_body`; OpenAPI
/// spells them `operationId` and `requestBody`.
pub fn camel_case_links(doc: &mut Value) {
    let links = operations(doc)
        .filter_map(|op| op.get_mut("responses").and_then(Value::as_object_mut))
        .flat_map(|responses| responses.values_mut())
        .filter_map(|response| response.get_mut("links").and_then(Value::as_object_mut))
        .flat_map(|links| links.values_mut())
        .filter_map(Value::as_object_mut);
    for link in links {
        for (from, to) in [
            ("operation_id", "operationId"),
            ("operation_ref", "operationRef"),
            ("request_body", "requestBody"),
        ] {
            if let Some(value) = link.remove(from) {
                link.insert(to.to_owned(), value);
            }
        }
    }
}

/// Every operation object of every path.
fn operations(doc: &mut Value) -> impl Iterator<Item = &mut Map<String, Value>> {
    doc.get_mut("paths")
        .and_then(Value::as_object_mut)
        .into_iter()
        .flat_map(|paths| paths.values_mut())
        .filter_map(Value::as_object_mut)
        .flat_map(|item| item.values_mut())
        .filter_map(Value::as_object_mut)
}

/// Handlers' doc comments read "`POST /api/v1/comments`: submit a
/// comment; 201 when …", wrapped over lines, and utoipa takes the first
/// line as the summary. The summary becomes the first clause without the
/// method and path, the description the whole sentence.
pub fn summaries_from_doc_comments(doc: &mut Value) {
    for op in operations(doc) {
        let text = ["summary", "description"]
            .iter()
            .filter_map(|k| op.get(*k).and_then(Value::as_str))
            .collect::<Vec<_>>()
            .join(" ")
            .replace('\n', " ");
        let text = match text.split_once("`: ") {
            Some((route, rest)) if route.starts_with('`') => rest.to_owned(),
            _ => text,
        };
        let text = capitalise(text.trim());
        let summary = text
            .split(['.', ';', ':'])
            .next()
            .unwrap_or_default()
            .trim()
            .to_owned();
        op.insert("summary".to_owned(), Value::String(summary));
        op.insert("description".to_owned(), Value::String(text));
    }
}

fn capitalise(text: &str) -> String {
    let mut chars = text.chars();
    chars
        .next()
        .map(|c| c.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
}

/// An internally tagged enum's newtype variant comes out as `allOf: [{$ref:
/// Inner}, {kind}]`. When `Inner` refuses unknown fields
/// (`additionalProperties: false`) no value can satisfy both, so such an
/// `allOf` becomes one object holding both sets of properties.
pub fn merge_closed_all_of(doc: &mut Value) {
    let schemas = doc
        .pointer("/components/schemas")
        .and_then(Value::as_object)
        .cloned()
        .unwrap_or_default();
    if let Some(components) = doc.pointer_mut("/components/schemas") {
        merge_in(components, &schemas);
    }
}

fn merge_in(value: &mut Value, schemas: &Map<String, Value>) {
    match value {
        Value::Object(object) => {
            if let Some(merged) = merged_object(object, schemas) {
                *object = merged;
            }
            for child in object.values_mut() {
                merge_in(child, schemas);
            }
        }
        Value::Array(items) => items.iter_mut().for_each(|i| merge_in(i, schemas)),
        _ => {}
    }
}

fn merged_object(
    object: &Map<String, Value>,
    schemas: &Map<String, Value>,
) -> Option<Map<String, Value>> {
    let [first, second] = object.get("allOf")?.as_array()?.as_slice() else {
        return None;
    };
    let name = first
        .get("$ref")?
        .as_str()?
        .strip_prefix("#/components/schemas/")?;
    let inner = schemas.get(name)?.as_object()?;
    if inner.get("additionalProperties") != Some(&Value::Bool(false)) {
        return None;
    }
    let mut merged = inner.clone();
    let properties = merged
        .entry("properties")
        .or_insert_with(|| Value::Object(Map::new()))
        .as_object_mut()?;
    for (key, property) in second.get("properties")?.as_object()? {
        properties.insert(key.clone(), property.clone());
    }
    let mut required: Vec<Value> = merged
        .get("required")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    for key in second
        .get("required")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        if !required.contains(key) {
            required.push(key.clone());
        }
    }
    merged.insert("required".to_owned(), Value::Array(required));
    if let Some(description) = object.get("description") {
        merged.insert("description".to_owned(), description.clone());
    }
    Some(merged)
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn a_closed_reference_and_a_tag_become_one_object() {
        let mut doc = json!({"components": {"schemas": {
            "Inner": {"type": "object", "additionalProperties": false,
                      "properties": {"a": {"type": "integer"}}, "required": ["a"]},
            "Open": {"type": "object", "properties": {"b": {"type": "integer"}}},
            "Tagged": {"oneOf": [
                {"allOf": [{"$ref": "#/components/schemas/Inner"},
                           {"type": "object", "required": ["kind"],
                            "properties": {"kind": {"enum": ["inner"]}}}]},
                {"allOf": [{"$ref": "#/components/schemas/Open"},
                           {"type": "object", "properties": {"kind": {"enum": ["open"]}}}]}
            ]}
        }}});
        merge_closed_all_of(&mut doc);
        let variants = &doc["components"]["schemas"]["Tagged"]["oneOf"];
        assert_eq!(variants[0]["additionalProperties"], false);
        assert_eq!(variants[0]["required"], json!(["a", "kind"]));
        assert_eq!(variants[0]["properties"]["kind"]["enum"], json!(["inner"]));
        assert!(
            variants[1].get("allOf").is_some(),
            "open schemas combine fine"
        );
    }

    #[test]
    fn summaries_drop_the_route_and_keep_the_first_clause() {
        let mut doc = json!({"paths": {"/x": {"post": {
            "summary": "`POST /api/v1/comments`: submit a comment; 201 when stored, 200 on an",
            "description": "idempotent replay."
        }}}});
        summaries_from_doc_comments(&mut doc);
        let op = &doc["paths"]["/x"]["post"];
        assert_eq!(op["summary"], "Submit a comment");
        assert_eq!(
            op["description"],
            "Submit a comment; 201 when stored, 200 on an idempotent replay."
        );
    }

    #[test]
    fn links_use_the_openapi_field_names() {
        let mut doc = json!({"paths": {"/x": {"post": {"responses": {"201": {"links": {
            "Get": {"operation_id": "get_x", "parameters": {"id": "$response.body#/id"}}
        }}}}}}});
        camel_case_links(&mut doc);
        let link = &doc["paths"]["/x"]["post"]["responses"]["201"]["links"]["Get"];
        assert_eq!(link["operationId"], "get_x");
        assert!(link.get("operation_id").is_none());
    }
}
