//! Options of an event stream.

use std::time::Duration;

use crate::sse::DEFAULT_MAX_EVENT_BYTES;

/// How [`Events::stream_with`](crate::resources::Events::stream_with) connects and
/// reconnects. `StreamOptions::default()` is what `stream()` uses; set fields with
/// struct update syntax or the builder methods:
///
/// ```
/// use std::time::Duration;
/// use everruns_sdk::StreamOptions;
///
/// let options = StreamOptions::default()
///     .types(["output.message.delta", "turn.completed"])
///     .max_retries(5)
///     .idle_timeout(Duration::from_secs(20));
/// assert_eq!(options.max_retries, Some(5));
/// ```
#[derive(Clone, Debug, PartialEq)]
pub struct StreamOptions {
    /// Resume after this event ID (every later event, exactly once, in order).
    pub since_id: Option<String>,
    /// Only these event types (at most 25).
    pub types: Vec<String>,
    /// Drop these event types (applied after `types`; at most 25).
    pub exclude: Vec<String>,
    /// Consecutive failed reconnects before the stream gives up; `None`: never.
    pub max_retries: Option<u32>,
    /// Drop a connection silent for this long and reconnect (half-open TCP); at most
    /// 45 s (the read timeout). `None` means 45 s.
    pub idle_timeout: Option<Duration>,
    /// Also yield the `connected` and `disconnecting` lifecycle events.
    pub include_lifecycle: bool,
    /// First backoff delay after an unexpected end; doubles per consecutive failure.
    pub backoff_base: Duration,
    /// Backoff cap.
    pub backoff_max: Duration,
    /// Largest line or event accepted; a bigger one ends the stream with an error.
    pub max_event_bytes: usize,
}

impl Default for StreamOptions {
    fn default() -> Self {
        Self {
            since_id: None,
            types: Vec::new(),
            exclude: Vec::new(),
            max_retries: None,
            idle_timeout: Some(Duration::from_secs(45)),
            include_lifecycle: false,
            backoff_base: Duration::from_secs(1),
            backoff_max: Duration::from_secs(30),
            max_event_bytes: DEFAULT_MAX_EVENT_BYTES,
        }
    }
}

impl StreamOptions {
    /// Resume after `id`.
    pub fn since_id(mut self, id: impl Into<String>) -> Self {
        self.since_id = Some(id.into());
        self
    }
    /// Only these event types.
    pub fn types<I: IntoIterator<Item = S>, S: Into<String>>(mut self, types: I) -> Self {
        self.types = types.into_iter().map(Into::into).collect();
        self
    }
    /// Drop these event types.
    pub fn exclude<I: IntoIterator<Item = S>, S: Into<String>>(mut self, types: I) -> Self {
        self.exclude = types.into_iter().map(Into::into).collect();
        self
    }
    /// Give up after `n` consecutive failed reconnects.
    pub fn max_retries(mut self, n: u32) -> Self {
        self.max_retries = Some(n);
        self
    }
    /// Reconnect after this long without data.
    pub fn idle_timeout(mut self, timeout: Duration) -> Self {
        self.idle_timeout = Some(timeout);
        self
    }
    /// Also yield `connected` and `disconnecting`.
    pub fn include_lifecycle(mut self, yes: bool) -> Self {
        self.include_lifecycle = yes;
        self
    }
    /// First backoff delay and cap.
    pub fn backoff(mut self, base: Duration, max: Duration) -> Self {
        self.backoff_base = base;
        self.backoff_max = max;
        self
    }
}
