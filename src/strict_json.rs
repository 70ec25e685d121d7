//! JSON into typed requests, refusing what serde's derive lets through: a
//! struct written as an array. `{"id": "x"}` is an author; `["x"]` is not,
//! although `#[derive(Deserialize)]` accepts both. Every struct, at any
//! depth, must arrive as a JSON object, and no object may name a field
//! twice (parsers disagree on which one wins).

use std::fmt;

use serde::de::{
    self, Deserialize, DeserializeOwned, DeserializeSeed, Deserializer, IntoDeserializer,
    MapAccess, SeqAccess, Unexpected, Visitor,
};
use serde::forward_to_deserialize_any;
use serde_json::{Map, Number, Value};

/// Parses and deserialises `T` from JSON text.
pub fn from_str<T: DeserializeOwned>(text: &str) -> Result<T, serde_json::Error> {
    let Unique(value) = serde_json::from_str(text)?;
    from_value(value)
}

/// Deserialises `T` from a parsed JSON value, requiring objects for structs.
pub fn from_value<T: DeserializeOwned>(value: Value) -> Result<T, serde_json::Error> {
    T::deserialize(Strict(value))
}

/// A JSON value whose objects name each key once.
struct Unique(Value);

impl<'de> Deserialize<'de> for Unique {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(UniqueVisitor).map(Unique)
    }
}

struct UniqueVisitor;

impl<'de> Visitor<'de> for UniqueVisitor {
    type Value = Value;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any JSON value")
    }

    fn visit_bool<E>(self, v: bool) -> Result<Value, E> {
        Ok(Value::Bool(v))
    }

    fn visit_i64<E>(self, v: i64) -> Result<Value, E> {
        Ok(Value::Number(v.into()))
    }

    fn visit_u64<E>(self, v: u64) -> Result<Value, E> {
        Ok(Value::Number(v.into()))
    }

    fn visit_f64<E>(self, v: f64) -> Result<Value, E> {
        Ok(Number::from_f64(v).map_or(Value::Null, Value::Number))
    }

    fn visit_str<E>(self, v: &str) -> Result<Value, E> {
        Ok(Value::String(v.to_owned()))
    }

    fn visit_string<E>(self, v: String) -> Result<Value, E> {
        Ok(Value::String(v))
    }

    fn visit_unit<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let mut items = Vec::new();
        while let Some(Unique(item)) = seq.next_element()? {
            items.push(item);
        }
        Ok(Value::Array(items))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut access: A) -> Result<Value, A::Error> {
        let mut map = Map::new();
        while let Some(key) = access.next_key::<String>()? {
            if map.contains_key(&key) {
                return Err(de::Error::custom(format_args!("duplicate field `{key}`")));
            }
            let Unique(value) = access.next_value()?;
            map.insert(key, value);
        }
        Ok(Value::Object(map))
    }
}

struct Strict(Value);

impl<'de> Deserializer<'de> for Strict {
    type Error = serde_json::Error;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Self::Error> {
        match self.0 {
            Value::Object(map) => visitor.visit_map(StrictMap::new(map)),
            Value::Array(items) => visitor.visit_seq(StrictSeq(items.into_iter())),
            other => other.deserialize_any(visitor),
        }
    }

    fn deserialize_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Self::Error> {
        self.deserialize_map(visitor)
    }

    fn deserialize_map<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Self::Error> {
        match self.0 {
            Value::Object(map) => visitor.visit_map(StrictMap::new(map)),
            other => Err(de::Error::invalid_type(
                unexpected(&other),
                &"a JSON object",
            )),
        }
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Self::Error> {
        match self.0 {
            Value::Null => visitor.visit_none(),
            other => visitor.visit_some(Strict(other)),
        }
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        visitor: V,
    ) -> Result<V::Value, Self::Error> {
        visitor.visit_newtype_struct(self)
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        name: &'static str,
        variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Self::Error> {
        self.0.deserialize_enum(name, variants, visitor)
    }

    forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string
        bytes byte_buf unit unit_struct seq tuple tuple_struct identifier ignored_any
    }
}

struct StrictSeq(std::vec::IntoIter<Value>);

impl<'de> SeqAccess<'de> for StrictSeq {
    type Error = serde_json::Error;

    fn next_element_seed<T: DeserializeSeed<'de>>(
        &mut self,
        seed: T,
    ) -> Result<Option<T::Value>, Self::Error> {
        self.0
            .next()
            .map(|v| seed.deserialize(Strict(v)))
            .transpose()
    }

    fn size_hint(&self) -> Option<usize> {
        Some(self.0.len())
    }
}

struct StrictMap {
    entries: serde_json::map::IntoIter,
    value: Option<Value>,
}

impl StrictMap {
    fn new(map: Map<String, Value>) -> Self {
        Self {
            entries: map.into_iter(),
            value: None,
        }
    }
}

impl<'de> MapAccess<'de> for StrictMap {
    type Error = serde_json::Error;

    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, Self::Error> {
        match self.entries.next() {
            Some((key, value)) => {
                self.value = Some(value);
                seed.deserialize(key.into_deserializer()).map(Some)
            }
            None => Ok(None),
        }
    }

    fn next_value_seed<V: DeserializeSeed<'de>>(
        &mut self,
        seed: V,
    ) -> Result<V::Value, Self::Error> {
        let value = self
            .value
            .take()
            .ok_or_else(|| de::Error::custom("a value was asked for before its key"))?;
        seed.deserialize(Strict(value))
    }
}

fn unexpected(value: &Value) -> Unexpected<'_> {
    match value {
        Value::Null => Unexpected::Unit,
        Value::Bool(b) => Unexpected::Bool(*b),
        Value::Number(n) => n
            .as_i64()
            .map(Unexpected::Signed)
            .or_else(|| n.as_f64().map(Unexpected::Float))
            .unwrap_or(Unexpected::Other("number")),
        Value::String(s) => Unexpected::Str(s),
        Value::Array(_) => Unexpected::Seq,
        Value::Object(_) => Unexpected::Map,
    }
}

#[cfg(test)]
mod tests {
    use serde::Deserialize;
    use serde_json::json;

    use super::*;

    #[derive(Debug, Deserialize, PartialEq)]
    struct Author {
        id: String,
        #[serde(default)]
        name: Option<String>,
    }

    #[derive(Debug, Deserialize, PartialEq)]
    struct Comment {
        author: Author,
        #[serde(default)]
        tags: Vec<String>,
        #[serde(default)]
        replies: Vec<Author>,
    }

    #[test]
    fn objects_deserialise_as_before() {
        let comment: Comment = from_value(json!({
            "author": {"id": "a", "name": null},
            "tags": ["x"],
            "replies": [{"id": "b"}]
        }))
        .unwrap();
        assert_eq!(comment.author.id, "a");
        assert_eq!(comment.tags, vec!["x"]);
        assert_eq!(comment.replies[0].id, "b");
    }

    #[test]
    fn a_struct_written_as_an_array_is_refused_at_any_depth() {
        // The derive alone would accept each of these.
        assert!(serde_json::from_value::<Author>(json!(["a"])).is_ok());
        for value in [
            json!(["a"]),
            json!([{"id": "a"}]),
            json!({"author": ["a"]}),
            json!({"author": {"id": "a"}, "replies": [["b"]]}),
        ] {
            let author = from_value::<Author>(value.clone());
            let comment = from_value::<Comment>(value.clone());
            assert!(author.is_err() && comment.is_err(), "{value} was accepted");
        }
        let err = from_value::<Comment>(json!({"author": ["a"]})).unwrap_err();
        assert!(err.to_string().contains("expected a JSON object"), "{err}");
    }

    #[test]
    fn a_field_named_twice_is_refused() {
        let err = from_str::<Author>(r#"{"id": "a", "id": "b"}"#).unwrap_err();
        assert!(err.to_string().contains("duplicate field `id`"), "{err}");
        let nested = from_str::<Comment>(r#"{"author": {"id": "a", "name": "x", "name": "y"}}"#);
        assert!(nested.is_err());
        let fine = from_str::<Comment>(r#"{"author": {"id": "a"}, "tags": ["x", "x"]}"#).unwrap();
        assert_eq!(fine.tags, vec!["x", "x"]);
        assert_eq!(
            from_str::<Author>("[1").unwrap_err().classify(),
            serde_json::error::Category::Eof
        );
    }

    #[test]
    fn unknown_fields_and_wrong_types_still_fail_as_serde_says() {
        #[derive(Debug, Deserialize)]
        #[serde(deny_unknown_fields)]
        struct Closed {
            #[allow(dead_code)]
            a: i32,
        }
        assert!(from_value::<Closed>(json!({"a": 1, "b": 2})).is_err());
        assert!(from_value::<Closed>(json!({"a": "1"})).is_err());
        assert!(from_value::<Closed>(json!({"a": 1})).is_ok());
    }
}
