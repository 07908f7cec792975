//! `Event`: one event of a session, its data typed by its `type`.

use std::fmt;
use std::marker::PhantomData;
use std::ops::Deref;

use serde::de::{self, MapAccess, Visitor};
use serde::{Deserialize, Deserializer, Serialize};
use serde_json::value::RawValue;
use serde_json::{Map, Value};

use crate::generated::{EventContext, EventData};

/// One event of a session (`turn.started`, `output.message.delta`, ...).
///
/// `event_type` is the wire `type`; `data` is parsed into the model of that type
/// ([`EventData`]), and an unknown type keeps its data as JSON
/// ([`EventData::Unknown`]), so a new event type never breaks a stream.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[non_exhaustive]
pub struct Event {
    /// The event ID (`event_...`); IDs increase within a session.
    pub id: String,
    /// The event type, as on the wire (`turn.completed`).
    #[serde(rename = "type")]
    pub event_type: String,
    /// When the event happened (RFC 3339).
    pub ts: String,
    /// The session the event belongs to.
    pub session_id: String,
    /// Position of the event in the session.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sequence: Option<i64>,
    /// Turn, execution and trace IDs of the event.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub context: Option<EventContext>,
    /// The payload, typed by `event_type`.
    pub data: EventData,
    /// Free-form metadata.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub metadata: Option<Value>,
    /// Tags of the event.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tags: Option<Vec<String>>,
    /// Fields this version of the SDK does not know, kept as they came.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

impl Event {
    /// Parse one event from its JSON text.
    pub fn from_json(json: &str) -> Result<Self, serde_json::Error> {
        let mut de = serde_json::Deserializer::from_str(json);
        // The data object is only sliced out of the text (not copied) before it is
        // parsed into the model of the event's type. (The event, over a kilobyte,
        // stays in one place: no re-wrapping on the way out.)
        let mut parsed = de.deserialize_map(EventVisitor::<&RawValue>(PhantomData));
        if parsed.is_ok() {
            if let Err(trailing) = de.end() {
                parsed = Err(trailing);
            }
        }
        parsed
    }

    /// Parse one event from the bytes of an SSE `data` field, as the event-stream
    /// rules read them: invalid UTF-8 becomes U+FFFD. The bytes are checked as UTF-8
    /// once, in one pass (faster than string by string), then parsed where they lie.
    pub(crate) fn from_slice(json: &[u8]) -> Result<Self, serde_json::Error> {
        match std::str::from_utf8(json) {
            Ok(text) => Self::from_json(text),
            Err(_) => Self::from_json(&String::from_utf8_lossy(json)),
        }
    }

    /// A lifecycle event (`connected`, `disconnecting`), whose frame carries only data.
    pub(crate) fn lifecycle(kind: &str, id: &str, session_id: &str, data: Value) -> Self {
        Event {
            id: id.to_owned(),
            event_type: kind.to_owned(),
            ts: crate::time::now_rfc3339(),
            session_id: session_id.to_owned(),
            sequence: None,
            context: None,
            data: EventData::Unknown(data),
            metadata: None,
            tags: None,
            extra: Map::new(),
        }
    }
}

/// A key of the event envelope; the known ones are matched without allocating.
enum Key {
    Id,
    Type,
    Ts,
    SessionId,
    Sequence,
    Context,
    Data,
    Metadata,
    Tags,
    Other(String),
}

impl<'de> Deserialize<'de> for Key {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct KeyVisitor;
        impl Visitor<'_> for KeyVisitor {
            type Value = Key;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a field name")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Key, E> {
                Ok(match v {
                    "id" => Key::Id,
                    "type" => Key::Type,
                    "ts" => Key::Ts,
                    "session_id" => Key::SessionId,
                    "sequence" => Key::Sequence,
                    "context" => Key::Context,
                    "data" => Key::Data,
                    "metadata" => Key::Metadata,
                    "tags" => Key::Tags,
                    other => Key::Other(other.to_owned()),
                })
            }
        }
        deserializer.deserialize_identifier(KeyVisitor)
    }
}

impl<'de> Deserialize<'de> for Event {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_map(EventVisitor::<Box<RawValue>>(PhantomData))
    }
}

/// Reads the envelope; `R` holds the raw `data` until the type is known (borrowed
/// from the input where the input allows it, as `Event::from_slice` does).
struct EventVisitor<R>(PhantomData<R>);

impl<'de, R: Deserialize<'de> + Deref<Target = RawValue>> Visitor<'de> for EventVisitor<R> {
    type Value = Event;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an event object")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Event, A::Error> {
        let (mut id, mut kind, mut ts, mut session_id) = (None, None, None, None);
        let (mut sequence, mut context, mut data, mut metadata, mut tags) =
            (None, None, None, None, None);
        let mut extra = Map::new();
        while let Some(key) = map.next_key::<Key>()? {
            match key {
                Key::Id => id = Some(map.next_value::<String>()?),
                Key::Type => kind = Some(map.next_value::<String>()?),
                Key::Ts => ts = Some(map.next_value::<String>()?),
                Key::SessionId => session_id = Some(map.next_value::<String>()?),
                Key::Sequence => sequence = map.next_value::<Option<i64>>()?,
                Key::Context => context = map.next_value::<Option<EventContext>>()?,
                Key::Data => data = Some(map.next_value::<R>()?),
                Key::Metadata => metadata = map.next_value::<Option<Value>>()?,
                Key::Tags => tags = map.next_value::<Option<Vec<String>>>()?,
                Key::Other(name) => {
                    extra.insert(name, map.next_value::<Value>()?);
                }
            }
        }
        let event_type = kind.ok_or_else(|| de::Error::missing_field("type"))?;
        // `data` first: parsed straight into its place (it is most of the event's size).
        Ok(Event {
            data: match data {
                Some(raw) => EventData::parse(&event_type, raw.get()).map_err(de::Error::custom)?,
                None => EventData::Unknown(Value::Null),
            },
            id: id.unwrap_or_default(),
            event_type,
            ts: ts.unwrap_or_default(),
            session_id: session_id.unwrap_or_default(),
            sequence,
            context,
            metadata,
            tags,
            extra,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn data_is_typed_by_the_event_type() {
        let json = r#"{"id":"event_1","type":"output.message.delta","ts":"2026-01-01T00:00:00Z","session_id":"session_1","sequence":3,"data":{"delta":"He","accumulated":"He","turn_id":"turn_1"},"new_field":1}"#;
        let event = Event::from_json(json).unwrap();
        assert_eq!(event.event_type, "output.message.delta");
        assert!(
            matches!(event.data, EventData::OutputMessageDelta(_)),
            "{:?}",
            event.data
        );
        assert_eq!(event.extra["new_field"], 1);
        let back: Value = serde_json::to_value(&event).unwrap();
        assert_eq!(back["type"], "output.message.delta");
        assert_eq!(back["new_field"], 1);
    }

    #[test]
    fn bytes_parse_as_text_does_and_invalid_utf8_is_replaced() {
        let json = r#"{"id":"e","type":"x","ts":"t","session_id":"s","data":{"a":"caf\u00e9 ok"}}"#;
        let from_text = Event::from_json(json).unwrap();
        assert_eq!(Event::from_slice(json.as_bytes()).unwrap(), from_text);
        let generic: Event = serde_json::from_value(serde_json::from_str(json).unwrap()).unwrap();
        assert_eq!(generic, from_text);
        let bad = b"{\"id\":\"e\xFF\",\"type\":\"x\",\"data\":{\"t\":\"\xC3\"}}";
        let event = Event::from_slice(bad).unwrap();
        assert_eq!(event.id, "e\u{FFFD}");
        assert_eq!(
            event.data,
            EventData::Unknown(serde_json::json!({"t": "\u{FFFD}"}))
        );
        assert!(Event::from_slice(b"{\"type\":\"x\",\"data\":").is_err());
    }

    #[test]
    fn unknown_types_keep_their_json() {
        let json = r#"{"data":{"x":[1]},"type":"brand.new","id":"e","ts":"t","session_id":"s"}"#;
        let event = Event::from_json(json).unwrap();
        assert_eq!(
            event.data,
            EventData::Unknown(serde_json::json!({"x": [1]}))
        );
        assert!(Event::from_json(r#"{"id":"e"}"#).is_err());
    }
}
