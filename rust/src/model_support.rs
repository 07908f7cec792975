//! The building blocks of the generated models (`src/generated/`): open enums, tagged
//! unions and event data, written once here as macros so the generated files stay short.

use std::marker::PhantomData;

/// Deserializes a string (borrowed when the input allows it) through `From<&str>`, so
/// an open enum never copies a known value.
pub(crate) struct StrVisitor<T>(pub(crate) PhantomData<T>);

impl<'de, T: for<'a> From<&'a str>> serde::de::Visitor<'de> for StrVisitor<T> {
    type Value = T;

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("a string")
    }

    fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<T, E> {
        Ok(T::from(v))
    }
}

/// An enum of string values that accepts any other value as `Unknown(String)`.
macro_rules! open_enum {
    ($(#[$meta:meta])* $name:ident { $($variant:ident => $value:literal,)* }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, PartialEq, Eq, Hash)]
        #[non_exhaustive]
        pub enum $name {
            $(#[doc = concat!("`", $value, "`")] $variant,)*
            /// A value this version of the SDK does not know, as it came.
            Unknown(String),
        }

        impl $name {
            /// The value as sent on the wire.
            pub fn as_str(&self) -> &str {
                match self {
                    $(Self::$variant => $value,)*
                    Self::Unknown(other) => other,
                }
            }
        }

        impl From<&str> for $name {
            fn from(value: &str) -> Self {
                match value {
                    $($value => Self::$variant,)*
                    other => Self::Unknown(other.to_owned()),
                }
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl PartialEq<str> for $name {
            fn eq(&self, other: &str) -> bool {
                self.as_str() == other
            }
        }

        impl PartialEq<&str> for $name {
            fn eq(&self, other: &&str) -> bool {
                self.as_str() == *other
            }
        }

        impl serde::Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }

        impl<'de> serde::Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                deserializer.deserialize_str($crate::model_support::StrVisitor(std::marker::PhantomData))
            }
        }
    };
}

/// A union chosen by a tag field; a tag this SDK does not know keeps the JSON. Read in
/// one pass (`src/tagged.rs`), never through a whole `serde_json::Value` first.
macro_rules! tagged_union {
    ($(#[$meta:meta])* $name:ident, $tag:literal { $($variant:ident($model:ty) => $value:literal,)* }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, PartialEq)]
        #[non_exhaustive]
        pub enum $name {
            $(#[doc = concat!("`", $tag, ": ", $value, "`")] $variant($model),)*
            /// A kind this version of the SDK does not know, as JSON.
            Unknown(serde_json::Value),
        }

        impl serde::Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                match self {
                    $(Self::$variant(inner) => inner.serialize(serializer),)*
                    Self::Unknown(inner) => inner.serialize(serializer),
                }
            }
        }

        impl $crate::tagged::Tagged for $name {
            const TAG: &'static str = $tag;

            fn from_map<'de, M: serde::de::MapAccess<'de>>(tag: &str, map: M) -> Result<Self, M::Error> {
                match tag {
                    $($value => <$model as serde::Deserialize>::deserialize(
                        serde::de::value::MapAccessDeserializer::new(map),
                    ).map(Self::$variant),)*
                    _ => $crate::tagged::rest_as_value(map).map(Self::Unknown),
                }
            }

            fn unknown(value: serde_json::Value) -> Self {
                Self::Unknown(value)
            }
        }

        impl<'de> serde::Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                deserializer.deserialize_any($crate::tagged::TaggedVisitor(std::marker::PhantomData))
            }
        }
    };
}

/// The data of an event, one variant per event type; any other type, or data its
/// type's model rejects, stays as JSON in `Unknown`, so no event breaks parsing.
macro_rules! event_data {
    ($(#[$meta:meta])* $name:ident { $($variant:ident($model:ty) => $value:literal,)* }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, PartialEq)]
        #[non_exhaustive]
        pub enum $name {
            $(#[doc = concat!("The data of a `", $value, "` event.")] $variant($model),)*
            /// The data of an event type this SDK does not know (or does not fit its model).
            Unknown(serde_json::Value),
        }

        impl $name {
            /// Every event type with a model of its own.
            pub const TYPES: &'static [&'static str] = &[$($value),*];

            /// Parse the JSON `data` of an event of type `event_type`. Fails only when
            /// `data` is not JSON at all.
            pub fn parse(event_type: &str, data: &str) -> Result<Self, serde_json::Error> {
                let typed = match event_type {
                    $($value => serde_json::from_str(data).map(Self::$variant),)*
                    _ => return serde_json::from_str(data).map(Self::Unknown),
                };
                typed.or_else(|_| serde_json::from_str(data).map(Self::Unknown))
            }
        }

        impl serde::Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                match self {
                    $(Self::$variant(inner) => inner.serialize(serializer),)*
                    Self::Unknown(inner) => inner.serialize(serializer),
                }
            }
        }
    };
}

/// A key of a JSON object, borrowed from the input when it can be.
pub(crate) struct Key<'de>(pub(crate) std::borrow::Cow<'de, str>);

impl<'de> serde::Deserialize<'de> for Key<'de> {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct KeyVisitor;
        impl<'de> serde::de::Visitor<'de> for KeyVisitor {
            type Value = Key<'de>;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("a field name")
            }
            fn visit_borrowed_str<E: serde::de::Error>(self, v: &'de str) -> Result<Key<'de>, E> {
                Ok(Key(std::borrow::Cow::Borrowed(v)))
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Key<'de>, E> {
                Ok(Key(std::borrow::Cow::Owned(v.to_owned())))
            }
            fn visit_string<E: serde::de::Error>(self, v: String) -> Result<Key<'de>, E> {
                Ok(Key(std::borrow::Cow::Owned(v)))
            }
        }
        deserializer.deserialize_str(KeyVisitor)
    }
}

/// `Deserialize` for a model: known fields by wire name, every other field into
/// `extra`, in one pass (serde's `flatten` would buffer the whole object first).
macro_rules! model_deserialize {
    ($name:ident { required: [$($req:ident => $rwire:literal,)*] optional: [$($opt:ident => $owire:literal,)*] }) => {
        impl<'de> serde::Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                struct ModelVisitor;
                impl<'de> serde::de::Visitor<'de> for ModelVisitor {
                    type Value = $name;
                    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                        f.write_str(concat!("a ", stringify!($name), " object"))
                    }
                    #[allow(unused_mut)]
                    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<$name, A::Error> {
                        $(let mut $req = None;)*
                        $(let mut $opt = None;)*
                        let mut extra = serde_json::Map::new();
                        while let Some(key) = map.next_key::<$crate::model_support::Key<'de>>()? {
                            match &*key.0 {
                                $($rwire => $req = Some(map.next_value()?),)*
                                $($owire => $opt = map.next_value()?,)*
                                _ => {
                                    extra.insert(key.0.into_owned(), map.next_value()?);
                                }
                            }
                        }
                        Ok($name {
                            $($req: $req.ok_or_else(|| <A::Error as serde::de::Error>::missing_field($rwire))?,)*
                            $($opt,)*
                            extra,
                        })
                    }
                }
                deserializer.deserialize_map(ModelVisitor)
            }
        }
    };
}
pub(crate) use {event_data, model_deserialize, open_enum, tagged_union};

#[cfg(test)]
mod tests {
    use serde_json::json;

    use crate::models::{Agent, AgentStatus, ContentPart, Session, SessionStatus};

    fn agent() -> serde_json::Value {
        json!({"id": "agent_1", "name": "a", "system_prompt": "p", "harness_id": "h", "status": "active",
               "created_at": "t", "updated_at": "t", "brand_new_field": {"x": 1}, "description": null})
    }

    #[test]
    fn unknown_fields_are_kept_and_round_trip() {
        let parsed: Agent = serde_json::from_value(agent()).unwrap();
        assert_eq!(parsed.extra["brand_new_field"], json!({"x": 1}));
        assert_eq!(parsed.description, None);
        assert_eq!(parsed.status, AgentStatus::Active);
        let back = serde_json::to_value(&parsed).unwrap();
        assert_eq!(back["brand_new_field"], json!({"x": 1}));
        let text = serde_json::to_string(&agent()).unwrap();
        assert_eq!(
            serde_json::from_str::<Agent>(&text).unwrap(),
            parsed,
            "borrowed and owned keys agree"
        );
    }

    #[test]
    fn a_missing_required_field_is_an_error() {
        let mut value = agent();
        value.as_object_mut().unwrap().remove("id");
        let err = serde_json::from_value::<Agent>(value).unwrap_err();
        assert!(err.to_string().contains("missing field `id`"), "{err}");
    }

    #[test]
    fn enums_and_unions_accept_values_they_do_not_know() {
        let status: SessionStatus = serde_json::from_value(json!("hibernating")).unwrap();
        assert_eq!(status, SessionStatus::Unknown("hibernating".into()));
        assert_eq!(serde_json::to_value(&status).unwrap(), json!("hibernating"));
        assert_eq!(
            serde_json::from_value::<SessionStatus>(json!("idle")).unwrap(),
            "idle"
        );
        let part: ContentPart =
            serde_json::from_value(json!({"type": "hologram", "beam": 3})).unwrap();
        assert_eq!(
            part,
            ContentPart::Unknown(json!({"type": "hologram", "beam": 3}))
        );
        let text: ContentPart =
            serde_json::from_value(json!({"type": "text", "text": "hi"})).unwrap();
        assert!(matches!(text, ContentPart::Text(t) if t.text == "hi"));
        let _ = std::mem::size_of::<Session>();
    }
}
