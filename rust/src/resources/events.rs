//! `client.events()`: the live stream of a session and its stored events.

use super::{seg, Base, Call};
use crate::event::Event;
use crate::stream::{EventStream, StreamOptions};
use crate::{Error, Everruns};

/// Filters of [`Events::list`] (see API-NOTES, "Polling events").
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ListEvents {
    /// Events after this one.
    pub since_id: Option<String>,
    /// Only these types.
    pub types: Vec<String>,
    /// Not these types.
    pub exclude: Vec<String>,
    /// The last N events (oldest first).
    pub limit: Option<u64>,
    /// Page backwards: events before this sequence.
    pub before_sequence: Option<i64>,
    /// Page forwards: events after this sequence.
    pub after_sequence: Option<i64>,
    /// Centre on this event.
    pub around: Option<String>,
    /// Events around `around` (default 50, at most 500).
    pub window: Option<u64>,
    /// Not before this time (RFC 3339).
    pub from_ts: Option<String>,
    /// Not after this time (RFC 3339).
    pub to_ts: Option<String>,
    /// Only this turn.
    pub turn_id: Option<String>,
    /// Only this execution.
    pub exec_id: Option<String>,
    /// Only this trace.
    pub trace_id: Option<String>,
    /// Only events with these tags.
    pub tags: Vec<String>,
    /// Only events of this tool.
    pub tool_name: Option<String>,
    /// Full-text search.
    pub q: Option<String>,
    /// Newest first.
    pub order_desc: Option<bool>,
}

/// The events of a session.
#[derive(Clone, Debug)]
pub struct Events(Base);

impl Events {
    pub(crate) fn new(client: &Everruns) -> Self {
        Self(Base::new(client))
    }

    /// The live events of a session from its first event, reconnecting by itself.
    /// Returns at once; the connection opens on the first poll.
    pub fn stream(&self, session_id: &str) -> EventStream {
        self.stream_with(session_id, StreamOptions::default())
    }

    /// The live events with options (resume point, filters, retries, idle timeout).
    pub fn stream_with(&self, session_id: &str, options: StreamOptions) -> EventStream {
        let check = seg("session_id", session_id).and_then(|encoded| {
            for (name, values) in [("types", &options.types), ("exclude", &options.exclude)] {
                if values.len() > 25 {
                    return Err(Error::Validation(format!(
                        "at most 25 {name} values, got {}",
                        values.len()
                    )));
                }
            }
            Ok(format!("/v1/sessions/{encoded}/sse"))
        });
        let transport = std::sync::Arc::clone(&self.0.transport);
        match check {
            Ok(path) => EventStream::new(transport, session_id, path, options),
            Err(error) => {
                EventStream::new(transport, session_id, String::new(), options).failed(error)
            }
        }
    }

    /// Stored events of a session, filtered.
    pub async fn list(&self, session_id: &str, params: ListEvents) -> Result<Vec<Event>, Error> {
        let call = Call::get(format!(
            "/v1/sessions/{}/events",
            seg("session_id", session_id)?
        ))
        .query("since_id", params.since_id)
        .query_all("types", &params.types)
        .query_all("exclude", &params.exclude)
        .query("limit", params.limit)
        .query("before_sequence", params.before_sequence)
        .query("after_sequence", params.after_sequence)
        .query("around", params.around)
        .query("window", params.window)
        .query("from_ts", params.from_ts)
        .query("to_ts", params.to_ts)
        .query("turn_id", params.turn_id)
        .query("exec_id", params.exec_id)
        .query("trace_id", params.trace_id)
        .query_all("tags", &params.tags)
        .query("tool_name", params.tool_name)
        .query("q", params.q)
        .query("order_desc", params.order_desc);
        self.0.list(call).await
    }
}
