//! `Event`: one event of a session, its data typed by its `type`.

use std::fmt;

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
        serde_json::from_str(json)
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
        deserializer.deserialize_map(EventVisitor)
    }
}

struct EventVisitor;

impl<'de> Visitor<'de> for EventVisitor {
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
                Key::Data => data = Some(map.next_value::<Box<RawValue>>()?),
                Key::Metadata => metadata = map.next_value::<Option<Value>>()?,
                Key::Tags => tags = map.next_value::<Option<Vec<String>>>()?,
                Key::Other(name) => {
                    extra.insert(name, map.next_value::<Value>()?);
                }
            }
        }
        let event_type = kind.ok_or_else(|| de::Error::missing_field("type"))?;
        let data = match data {
            Some(raw) => EventData::parse(&event_type, raw.get()).map_err(de::Error::custom)?,
            None => EventData::Unknown(Value::Null),
        };
        Ok(Event {
            id: id.unwrap_or_default(),
            event_type,
            ts: ts.unwrap_or_default(),
            session_id: session_id.unwrap_or_default(),
            sequence,
            context,
            data,
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
