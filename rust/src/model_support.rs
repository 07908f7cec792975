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

/// A union chosen by a tag field; a tag this SDK does not know keeps the JSON.
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

        impl<'de> serde::Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                use serde::de::Error as _;
                let value = serde_json::Value::deserialize(deserializer)?;
                match value.get($tag).and_then(serde_json::Value::as_str) {
                    $(Some($value) => serde_json::from_value(value).map(Self::$variant).map_err(D::Error::custom),)*
                    _ => Ok(Self::Unknown(value)),
                }
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

pub(crate) use {event_data, open_enum, tagged_union};
