//! `EventStream`: a session's live events, reconnecting by itself without losing one.
//!
//! The rules of API-NOTES ("Server-Sent Events"), as the Python SDK applies them:
//!
//! - every connection starts with `connected`; the server ends a connection on purpose
//!   after `disconnecting` (`retry_ms`, else the stream's `retry:` hint, else 100 ms):
//!   that reconnect is planned and never counts as a failure;
//! - anything else that ends a connection (network error, EOF without `disconnecting`,
//!   the idle timeout, 408/429/5xx on connect) is a failure: wait `backoff_base *
//!   2^(n-1)` (capped at `backoff_max`, minus up to 10% jitter, at least `Retry-After`)
//!   where `n` counts consecutive failures; `connected` or any event resets `n`; past
//!   `max_retries` the stream ends with [`Error::Stream`];
//! - every (re)connect sends `since_id` = the ID of the last event handed out, so an
//!   event torn by a disconnect is never delivered half, and is delivered whole,
//!   exactly once, by the next connection;
//! - any other error status (401, 403, 404, 400, ...) ends the stream with its error;
//! - [`EventStream::stop`] (or a [`StopHandle`] from another task) ends it without
//!   reconnecting; dropping the stream closes the connection.
//!
//! A hand-written `poll_next` state machine, so the stream is `Unpin + Send` without
//! pinning. The hot path allocates nothing but the event: the decoder hands out each
//! frame borrowed from the received chunk, and its JSON is parsed from there, once.

mod options;
mod stop;

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::Duration;

use bytes::Bytes;
use futures_core::Stream;
use tokio::time::{Instant, Sleep};

pub use self::options::StreamOptions;
pub use self::stop::StopHandle;
use crate::event::Event;
use crate::sse::{Decoder, Frame};
use crate::transport::Transport;
use crate::Error;

/// The read timeout of a stream connection; the idle timeout is at most this.
const MAX_READ_TIMEOUT: Duration = Duration::from_secs(45);
/// Wait after `disconnecting` without `retry_ms` or a `retry:` hint.
const DEFAULT_PLANNED_DELAY: Duration = Duration::from_millis(100);
/// A longer `Retry-After` is shortened to this.
const MAX_RETRY_AFTER: Duration = Duration::from_secs(300);

type Connecting = Pin<Box<dyn Future<Output = Result<reqwest::Response, Error>> + Send>>;
type Body = Pin<Box<dyn Stream<Item = reqwest::Result<Bytes>> + Send>>;

enum State {
    /// Connect after this delay.
    Idle(Duration),
    Sleeping(Pin<Box<Sleep>>),
    Connecting(Connecting),
    Reading {
        body: Body,
        idle: Pin<Box<Sleep>>,
        last_data: Instant,
    },
    Done,
}

/// Live events of one session: a `Stream<Item = Result<Event, Error>>` that
/// reconnects by itself (see the module rules above). `Unpin` and `Send`.
pub struct EventStream {
    transport: Arc<Transport>,
    path: String,
    session_id: String,
    filters: Vec<(&'static str, String)>,
    last_event_id: Option<String>,
    response_headers: Option<reqwest::header::HeaderMap>,
    options: StreamOptions,
    idle: Duration,
    state: State,
    decoder: Decoder,
    failures: u32,
    connections: u64,
    /// A `disconnecting` frame came: the connection ends on purpose (its `retry_ms`).
    planned: Option<Option<f64>>,
    stop: StopHandle,
    deferred: Option<Error>,
}

impl std::fmt::Debug for EventStream {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("EventStream")
            .field("path", &self.path)
            .field("last_event_id", &self.last_event_id)
            .field("reconnects", &self.reconnects())
            .field("stopped", &self.stop.is_stopped())
            .finish_non_exhaustive()
    }
}

impl EventStream {
    pub(crate) fn new(
        transport: Arc<Transport>,
        session_id: &str,
        path: String,
        options: StreamOptions,
    ) -> Self {
        let filters = options
            .types
            .iter()
            .map(|t| ("types", t.clone()))
            .chain(options.exclude.iter().map(|t| ("exclude", t.clone())))
            .collect();
        let idle = options
            .idle_timeout
            .unwrap_or(MAX_READ_TIMEOUT)
            .min(MAX_READ_TIMEOUT);
        Self {
            transport,
            path,
            session_id: session_id.to_owned(),
            filters,
            last_event_id: options.since_id.clone().filter(|s| !s.is_empty()),
            response_headers: None,
            decoder: Decoder::new(options.max_event_bytes),
            options,
            idle,
            state: State::Idle(Duration::ZERO),
            failures: 0,
            connections: 0,
            planned: None,
            stop: StopHandle::default(),
            deferred: None,
        }
    }

    /// A stream that yields `error` once and ends (an argument rejected up front).
    pub(crate) fn failed(mut self, error: Error) -> Self {
        self.state = State::Done;
        self.deferred = Some(error);
        self
    }

    /// The ID of the last event handed out (or the initial `since_id`): where a
    /// reconnect resumes.
    pub fn last_event_id(&self) -> Option<&str> {
        self.last_event_id.as_deref()
    }

    /// The response headers of the current (or, once it ended, the latest) connection,
    /// e.g. its `x-request-id`; `None` before the first connection.
    pub fn response_headers(&self) -> Option<&reqwest::header::HeaderMap> {
        self.response_headers.as_ref()
    }

    /// Connection attempts after the first (planned cycles and retries alike).
    pub fn reconnects(&self) -> u64 {
        self.connections.saturating_sub(1)
    }

    /// End the stream now: the connection is closed and no reconnect happens.
    pub fn stop(&mut self) {
        self.stop.stop();
        self.state = State::Done;
    }

    /// A handle that stops this stream from another task.
    pub fn stop_handle(&self) -> StopHandle {
        self.stop.clone()
    }

    fn connect(&mut self) -> Connecting {
        let mut query = Vec::with_capacity(self.filters.len() + 1);
        if let Some(id) = &self.last_event_id {
            query.push(("since_id", id.clone()));
        }
        query.extend(self.filters.iter().cloned());
        self.connections += 1;
        if self.connections > 1 {
            tracing::debug!(path = %self.path, since_id = ?self.last_event_id, failures = self.failures, "event stream reconnecting");
        }
        let transport = Arc::clone(&self.transport);
        let path = self.path.clone();
        Box::pin(async move { transport.open_stream(&path, &query).await })
    }

    /// One frame to what the caller sees: `None` for a lifecycle frame consumed here.
    #[cfg(test)]
    fn frame(&mut self, frame: Frame<'_>) -> Option<Result<Event, Error>> {
        on_frame(frame, self.frame_cx())
    }

    #[cfg(test)]
    fn frame_cx(&mut self) -> FrameCx<'_> {
        FrameCx {
            path: &self.path,
            session_id: &self.session_id,
            options: &self.options,
            failures: &mut self.failures,
            planned: &mut self.planned,
            last_event_id: &mut self.last_event_id,
        }
    }

    fn planned_delay(&self, retry_ms: Option<f64>) -> Duration {
        match retry_ms.or(self.decoder.retry().map(|r| r as f64)) {
            Some(ms) => Duration::from_secs_f64(ms / 1000.0).min(self.options.backoff_max),
            None => DEFAULT_PLANNED_DELAY,
        }
    }

    /// The connection ended (`cause` None: a planned end or EOF); plan the next one.
    fn ended(&mut self, cause: Option<Error>) -> Result<(), Error> {
        if self.decoder.pending_bytes() > 0 {
            tracing::debug!(path = %self.path, bytes = self.decoder.pending_bytes(), "event stream: discarded an incomplete event");
        }
        if let Some(retry_ms) = self.planned.take() {
            self.state = State::Idle(self.planned_delay(retry_ms));
            return Ok(());
        }
        let cause = cause.unwrap_or_else(|| {
            Error::connection("the event stream ended without a 'disconnecting' event")
        });
        self.fail(cause, None)
    }

    /// Count one failed attempt: the backoff delay, or the end when retries ran out.
    fn fail(&mut self, cause: Error, retry_after: Option<Duration>) -> Result<(), Error> {
        self.failures += 1;
        let n = self.failures;
        if let Some(max) = self.options.max_retries {
            if n > max {
                return Err(Error::Stream {
                    message: format!(
                        "{}: {n} consecutive connection attempts failed (max_retries={max}); last error: {cause}",
                        self.path
                    ),
                    attempts: Some(n),
                    source: Some(Box::new(cause)),
                });
            }
        }
        let base = self
            .options
            .backoff_base
            .saturating_mul(1u32 << (n - 1).min(20));
        let mut delay = base
            .min(self.options.backoff_max)
            .mul_f64(1.0 - 0.1 * crate::retry::random_unit());
        if let Some(wait) = retry_after.filter(|w| *w > delay) {
            delay = wait.min(MAX_RETRY_AFTER);
        }
        tracing::debug!(path = %self.path, failure = n, delay_ms = delay.as_millis() as u64, error = %cause, "event stream attempt failed");
        self.state = State::Idle(delay);
        Ok(())
    }

    /// Advance the connection until a chunk arrives, the stream ends, or it waits.
    fn poll_io(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), Error>> {
        loop {
            match &mut self.state {
                State::Done => return Poll::Ready(Ok(())),
                State::Idle(delay) => {
                    self.state = if delay.is_zero() {
                        State::Connecting(self.connect())
                    } else {
                        State::Sleeping(Box::pin(tokio::time::sleep(*delay)))
                    };
                }
                State::Sleeping(sleep) => {
                    std::task::ready!(sleep.as_mut().poll(cx));
                    self.state = State::Connecting(self.connect());
                }
                State::Connecting(future) => match std::task::ready!(future.as_mut().poll(cx)) {
                    Ok(response) => {
                        let kind = response
                            .headers()
                            .get("content-type")
                            .and_then(|v| v.to_str().ok())
                            .unwrap_or("");
                        if !kind.to_ascii_lowercase().contains("text/event-stream") {
                            return Poll::Ready(Err(Error::Decode {
                                message: format!(
                                    "expected an event stream from {}, got {:?} content type",
                                    self.path, kind
                                ),
                                status: response.status().as_u16(),
                                request_id: response
                                    .headers()
                                    .get("x-request-id")
                                    .and_then(|v| v.to_str().ok())
                                    .map(str::to_owned),
                            }));
                        }
                        self.response_headers = Some(response.headers().clone());
                        self.decoder = Decoder::new(self.options.max_event_bytes);
                        let now = Instant::now();
                        self.state = State::Reading {
                            body: Box::pin(response.bytes_stream()),
                            idle: Box::pin(tokio::time::sleep_until(now + self.idle)),
                            last_data: now,
                        };
                    }
                    Err(error) => {
                        let retryable = match &error {
                            Error::Connection { .. } | Error::Timeout(_) => true,
                            other => matches!(other.status(), Some(408 | 429 | 500..=599)),
                        };
                        if !retryable {
                            return Poll::Ready(Err(error));
                        }
                        let retry_after = error.api_error().and_then(|e| e.retry_after());
                        self.fail(error, retry_after)?;
                    }
                },
                State::Reading {
                    body,
                    idle,
                    last_data,
                } => match body.as_mut().poll_next(cx) {
                    Poll::Ready(Some(Ok(chunk))) => {
                        *last_data = Instant::now();
                        self.decoder.push(chunk);
                        return Poll::Ready(Ok(()));
                    }
                    Poll::Ready(Some(Err(e))) => {
                        self.state = State::Done;
                        self.ended(Some(crate::transport::transport_error(e)))?;
                    }
                    Poll::Ready(None) => {
                        self.state = State::Done;
                        self.ended(None)?;
                    }
                    Poll::Pending => {
                        // The idle timer is moved only when it fires, not per chunk.
                        loop {
                            std::task::ready!(idle.as_mut().poll(cx));
                            let deadline = *last_data + self.idle;
                            if Instant::now() >= deadline {
                                break;
                            }
                            idle.as_mut().reset(deadline);
                        }
                        let silent = self.idle;
                        self.state = State::Done;
                        self.ended(Some(Error::Timeout(format!(
                            "no data on the event stream for {silent:?} (idle timeout)"
                        ))))?;
                    }
                },
            }
        }
    }
}

impl Stream for EventStream {
    type Item = Result<Event, Error>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = &mut *self;
        loop {
            if let Some(error) = this.deferred.take() {
                return Poll::Ready(Some(Err(error)));
            }
            if this.stop.is_stopped() {
                this.state = State::Done;
                return Poll::Ready(None);
            }
            loop {
                // The decoder's frame borrows it; the rest of the stream is apart.
                let Self {
                    decoder,
                    path,
                    session_id,
                    options,
                    failures,
                    planned,
                    last_event_id,
                    ..
                } = &mut *this;
                let item = match decoder.next_frame() {
                    Ok(Some(frame)) => {
                        let cx = FrameCx {
                            path,
                            session_id,
                            options,
                            failures,
                            planned,
                            last_event_id,
                        };
                        on_frame(frame, cx)
                    }
                    Ok(None) => break,
                    Err(too_large) => Some(Err(Error::stream(format!(
                        "a line or event of the stream {path} is larger than {} bytes",
                        too_large.0
                    )))),
                };
                if let Some(item) = item {
                    if item.is_err() {
                        this.stop();
                    }
                    return Poll::Ready(Some(item));
                }
            }
            if matches!(this.state, State::Done) {
                return Poll::Ready(None);
            }
            match this.poll_io(cx) {
                Poll::Ready(Ok(())) => {}
                Poll::Ready(Err(error)) => {
                    this.stop();
                    return Poll::Ready(Some(Err(error)));
                }
                Poll::Pending => {
                    this.stop.register(cx.waker());
                    if this.stop.is_stopped() {
                        continue;
                    }
                    return Poll::Pending;
                }
            }
        }
    }
}

/// What the frames of a stream read and change (apart from its decoder).
struct FrameCx<'a> {
    path: &'a str,
    session_id: &'a str,
    options: &'a StreamOptions,
    failures: &'a mut u32,
    planned: &'a mut Option<Option<f64>>,
    last_event_id: &'a mut Option<String>,
}

/// One frame to what the caller sees (`None` for a lifecycle frame consumed here),
/// counting its effect on the stream. The event goes straight to the caller.
fn on_frame(frame: Frame<'_>, cx: FrameCx<'_>) -> Option<Result<Event, Error>> {
    let lifecycle = |data: serde_json::Value| {
        let name = frame.event_name();
        cx.options
            .include_lifecycle
            .then(|| Ok(Event::lifecycle(&name, frame.id, cx.session_id, data)))
    };
    match frame.event {
        b"connected" => {
            *cx.failures = 0;
            lifecycle(lifecycle_data(frame.data))
        }
        b"disconnecting" => {
            let data = lifecycle_data(frame.data);
            let retry_ms = data
                .get("retry_ms")
                .and_then(serde_json::Value::as_f64)
                .filter(|ms| *ms >= 0.0);
            *cx.planned = Some(retry_ms);
            lifecycle(data)
        }
        _ => match Event::from_slice(frame.data) {
            Ok(event) => {
                *cx.failures = 0;
                let id = if event.id.is_empty() {
                    frame.id
                } else {
                    &event.id
                };
                if !id.is_empty() {
                    match cx.last_event_id {
                        Some(last) => {
                            last.clear(); // the buffer is reused from event to event
                            last.push_str(id);
                        }
                        None => *cx.last_event_id = Some(id.to_owned()),
                    }
                }
                Some(Ok(event))
            }
            Err(e) => {
                let kind: String = frame.event_name().chars().take(100).collect();
                Some(Err(Error::Decode {
                    message: format!(
                        "malformed {kind:?} event in the event stream of {}: {e}",
                        cx.path
                    ),
                    status: 200,
                    request_id: None,
                }))
            }
        },
    }
}

/// The JSON of a lifecycle frame (anything else counts as no data).
fn lifecycle_data(data: &[u8]) -> serde_json::Value {
    serde_json::from_slice(data)
        .or_else(|_| serde_json::from_str(&String::from_utf8_lossy(data)))
        .unwrap_or_default()
}

#[cfg(test)]
mod tests;
