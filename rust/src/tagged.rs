//! Deserializing a union chosen by a tag field (`tagged_union!` in `model_support.rs`)
//! in one pass: the fields before the tag are buffered (none, when the tag comes first,
//! as the server sends it), then the chosen model reads the buffered fields, the tag and
//! the rest of the object straight from the input. Nothing goes through a whole
//! `serde_json::Value` first; only a tag this SDK does not know (or an input that is not
//! an object) becomes the `Unknown` JSON, exactly as before.

use std::borrow::Cow;
use std::marker::PhantomData;

use serde::de::value::{BorrowedStrDeserializer, CowStrDeserializer, StringDeserializer};
use serde::de::{self, DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};
use serde::Deserialize;
use serde_json::{Map, Value};

use crate::model_support::Key;

/// What `tagged_union!` generates for each union.
pub(crate) trait Tagged: Sized {
    /// The name of the tag field.
    const TAG: &'static str;
    /// The variant named `tag`, read from `map` (which yields the whole object, the tag
    /// included); a tag no variant has collects the object as `Unknown`.
    fn from_map<'de, M: MapAccess<'de>>(tag: &str, map: M) -> Result<Self, M::Error>;
    /// The `Unknown` variant.
    fn unknown(value: Value) -> Self;
}

/// The whole of what `map` still yields, as a JSON object.
pub(crate) fn rest_as_value<'de, M: MapAccess<'de>>(mut map: M) -> Result<Value, M::Error> {
    let mut object = Map::new();
    while let Some((key, value)) = map.next_entry::<String, Value>()? {
        object.insert(key, value);
    }
    Ok(Value::Object(object))
}

/// The visit methods of every input that is not an object (or a string), each made a
/// JSON value and handed to `self.other`.
macro_rules! other_values {
    () => {
        fn visit_bool<E: de::Error>(self, v: bool) -> Result<Self::Value, E> {
            Ok(self.other(Value::Bool(v)))
        }
        fn visit_i64<E: de::Error>(self, v: i64) -> Result<Self::Value, E> {
            Ok(self.other(Value::from(v)))
        }
        fn visit_u64<E: de::Error>(self, v: u64) -> Result<Self::Value, E> {
            Ok(self.other(Value::from(v)))
        }
        fn visit_f64<E: de::Error>(self, v: f64) -> Result<Self::Value, E> {
            Ok(self.other(serde_json::Number::from_f64(v).map_or(Value::Null, Value::Number)))
        }
        fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
            Ok(self.other(Value::Null))
        }
        fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
            Ok(self.other(Value::Null))
        }
        fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
            Value::deserialize(d).map(|v| self.other(v))
        }
        fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<Self::Value, A::Error> {
            Value::deserialize(de::value::SeqAccessDeserializer::new(seq)).map(|v| self.other(v))
        }
    };
}

/// The visitor of a tagged union.
pub(crate) struct TaggedVisitor<T>(pub(crate) PhantomData<T>);

impl<T: Tagged> TaggedVisitor<T> {
    fn other(self, value: Value) -> T {
        T::unknown(value)
    }
}

impl<'de, T: Tagged> Visitor<'de> for TaggedVisitor<T> {
    type Value = T;

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("a JSON value")
    }

    other_values!();

    fn visit_str<E: de::Error>(self, v: &str) -> Result<T, E> {
        Ok(self.other(Value::String(v.to_owned())))
    }

    fn visit_string<E: de::Error>(self, v: String) -> Result<T, E> {
        Ok(self.other(Value::String(v)))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<T, A::Error> {
        let mut before: Vec<(String, Value)> = Vec::new();
        while let Some(key) = map.next_key::<Key<'de>>()? {
            if key.0 != T::TAG {
                before.push((key.0.into_owned(), map.next_value()?));
                continue;
            }
            match map.next_value::<TagValue<'de>>()? {
                TagValue::Str(tag) => {
                    let name = tag.clone();
                    let replay = Replay {
                        before: before.into_iter(),
                        tag: Some((T::TAG, tag)),
                        pending: Pending::Nothing,
                        rest: map,
                    };
                    return T::from_map(&name, replay);
                }
                TagValue::Other(value) => {
                    before.push((key.0.into_owned(), value));
                    let mut object: Map<String, Value> = before.into_iter().collect();
                    while let Some((key, value)) = map.next_entry::<String, Value>()? {
                        object.insert(key, value);
                    }
                    return Ok(T::unknown(Value::Object(object)));
                }
            }
        }
        Ok(T::unknown(Value::Object(before.into_iter().collect())))
    }
}

/// The value of the tag field: a string (borrowed when the input allows), or not.
enum TagValue<'de> {
    Str(Cow<'de, str>),
    Other(Value),
}

impl<'de> Deserialize<'de> for TagValue<'de> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(TagVisitor)
    }
}

struct TagVisitor;

impl TagVisitor {
    fn other(self, value: Value) -> TagValue<'static> {
        TagValue::Other(value)
    }
}

impl<'de> Visitor<'de> for TagVisitor {
    type Value = TagValue<'de>;

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("a JSON value")
    }

    other_values!();

    fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<Self::Value, E> {
        Ok(TagValue::Str(Cow::Borrowed(v)))
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
        Ok(TagValue::Str(Cow::Owned(v.to_owned())))
    }

    fn visit_string<E: de::Error>(self, v: String) -> Result<Self::Value, E> {
        Ok(TagValue::Str(Cow::Owned(v)))
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Self::Value, A::Error> {
        Value::deserialize(de::value::MapAccessDeserializer::new(map)).map(TagValue::Other)
    }
}

/// The object again, for the chosen model: the buffered fields, the tag, then the rest
/// of the input.
struct Replay<'de, A> {
    before: std::vec::IntoIter<(String, Value)>,
    tag: Option<(&'static str, Cow<'de, str>)>,
    pending: Pending<'de>,
    rest: A,
}

/// The value of the key `Replay` handed out last, when it is not the input's.
enum Pending<'de> {
    Nothing,
    Buffered(Value),
    Tag(Cow<'de, str>),
}

impl<'de, A: MapAccess<'de>> MapAccess<'de> for Replay<'de, A> {
    type Error = A::Error;

    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, A::Error> {
        if let Some((key, value)) = self.before.next() {
            self.pending = Pending::Buffered(value);
            return seed.deserialize(StringDeserializer::new(key)).map(Some);
        }
        if let Some((key, value)) = self.tag.take() {
            self.pending = Pending::Tag(value);
            return seed
                .deserialize(BorrowedStrDeserializer::new(key))
                .map(Some);
        }
        self.rest.next_key_seed(seed)
    }

    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value, A::Error> {
        match std::mem::replace(&mut self.pending, Pending::Nothing) {
            Pending::Buffered(value) => seed.deserialize(value).map_err(de::Error::custom),
            Pending::Tag(value) => seed.deserialize(TagStr(value, PhantomData)),
            Pending::Nothing => self.rest.next_value_seed(seed),
        }
    }
}

/// The tag's string as the value of a field, `Option<String>` included (serde's own
/// string deserializers refuse an `Option`).
struct TagStr<'de, E>(Cow<'de, str>, PhantomData<E>);

impl<'de, E: de::Error> Deserializer<'de> for TagStr<'de, E> {
    type Error = E;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, E> {
        match self.0 {
            Cow::Borrowed(s) => visitor.visit_borrowed_str(s),
            Cow::Owned(s) => visitor.visit_string(s),
        }
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, E> {
        visitor.visit_some(self)
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        name: &'static str,
        variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, E> {
        CowStrDeserializer::new(self.0).deserialize_enum(name, variants, visitor)
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string bytes
        byte_buf unit unit_struct newtype_struct seq tuple tuple_struct map struct
        identifier ignored_any
    }
}

#[cfg(test)]
mod tests {
    use serde_json::{json, Value};

    use crate::models::{ContentPart, ToolDefinition};

    /// How a union was read before: the whole object as JSON, then the chosen model.
    fn through_value(input: &Value) -> Result<ToolDefinition, serde_json::Error> {
        match input.get("type").and_then(Value::as_str) {
            Some("builtin") => serde_json::from_value(input.clone()).map(ToolDefinition::Builtin),
            Some("client_side") => {
                serde_json::from_value(input.clone()).map(ToolDefinition::ClientSide)
            }
            _ => Ok(ToolDefinition::Unknown(input.clone())),
        }
    }

    #[test]
    fn one_pass_reads_what_the_value_detour_read() {
        let params = json!({"type": "object", "properties": {"q": {"type": "string"}}});
        let inputs = [
            json!({"type": "client_side", "name": "f", "description": "d", "parameters": params}),
            json!({"name": "f", "description": "d", "type": "client_side", "x": [1, {"y": null}]}),
            json!({"name": "f", "description": "d", "extra": true, "type": "builtin"}),
            json!({"type": "client_side", "name": "f"}),
            json!({"description": "d", "type": "client_side"}),
            json!({"type": "teleport", "name": "f", "range": 3.5}),
            json!({"name": "f", "type": 7, "z": "w"}),
            json!({"name": "f", "type": {"nested": 1}}),
            json!({"name": "no tag at all"}),
            json!({}),
            json!("a string"),
            json!([1, "two", null]),
            json!(42),
            json!(-1.5),
            json!(true),
            json!(null),
        ];
        for input in inputs {
            let text = serde_json::to_string(&input).unwrap();
            let before = through_value(&input);
            let from_text = serde_json::from_str::<ToolDefinition>(&text);
            let from_value = serde_json::from_value::<ToolDefinition>(input.clone());
            match before {
                Ok(expected) => {
                    assert_eq!(from_text.unwrap(), expected, "{text}");
                    assert_eq!(from_value.unwrap(), expected, "{text}");
                }
                Err(_) => assert!(from_text.is_err() && from_value.is_err(), "{text}"),
            }
        }
    }

    #[test]
    fn the_tag_reaches_the_model_and_escapes_are_read() {
        let text = r#"{"name":"f","description":"d","type":"client\u005fside"}"#;
        let Ok(ToolDefinition::ClientSide(tool)) = serde_json::from_str::<ToolDefinition>(text)
        else {
            panic!("an escaped tag is still the tag");
        };
        assert_eq!(tool.r#type.as_deref(), Some("client_side"));
        assert_eq!(tool.name, "f");
        let err = serde_json::from_str::<ToolDefinition>(r#"{"type":"client_side"}"#)
            .unwrap_err()
            .to_string();
        assert!(err.contains("missing field"), "{err}");
    }

    #[test]
    fn unions_in_a_list_and_unknown_kinds_round_trip() {
        let text = r#"[{"type":"text","text":"hi"},{"kind":"x","type":"hologram","beam":3}]"#;
        let parts: Vec<ContentPart> = serde_json::from_str(text).unwrap();
        assert!(matches!(&parts[0], ContentPart::Text(t) if t.text == "hi"));
        assert_eq!(
            parts[1],
            ContentPart::Unknown(json!({"kind": "x", "type": "hologram", "beam": 3}))
        );
        let back: Value = serde_json::to_value(&parts).unwrap();
        assert_eq!(back, serde_json::from_str::<Value>(text).unwrap());
    }
}
