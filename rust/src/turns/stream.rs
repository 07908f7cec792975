//! `TurnStream`: one turn followed live, `client.sessions().stream_turn(..)`.
//!
//! A hand-written state machine (start, follow, answer tool calls, done) so that the
//! stream is `Unpin + Send` and its state (events so far, turn ID, the sent message)
//! stays readable between polls.

use std::collections::HashMap;
use std::future::Future;
use std::pin::Pin;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::Duration;

use futures_core::{FusedStream, Stream};
use futures_util::task::AtomicWaker;
use futures_util::StreamExt;
use tokio::time::Sleep;

use super::tools::{self, Tool};
use super::tracker::Tracker;
use super::{TurnOptions, TurnResult, TurnStatus};
use crate::models::{CreateMessageRequest, Message, ToolCall};
use crate::resources::{ListEvents, Messages};
use crate::{Error, Event, EventData, EventStream, Everruns, StreamOptions};

type Step<T> = Pin<Box<dyn Future<Output = Result<T, Error>> + Send>>;

/// What starts a turn: text (`&str`, `String`) or a full [`CreateMessageRequest`]
/// (images, controls, metadata).
#[derive(Clone, Debug, PartialEq)]
pub struct TurnInput(pub(crate) CreateMessageRequest);

impl From<&str> for TurnInput {
    fn from(text: &str) -> Self {
        Self(Messages::text_request(text))
    }
}

impl From<&String> for TurnInput {
    fn from(text: &String) -> Self {
        Self::from(text.as_str())
    }
}

impl From<String> for TurnInput {
    fn from(text: String) -> Self {
        Self::from(text.as_str())
    }
}

impl From<CreateMessageRequest> for TurnInput {
    fn from(request: CreateMessageRequest) -> Self {
        Self(request)
    }
}

/// Stops a [`TurnStream`] from another task (as [`TurnStream::stop`] does): the
/// stream ends at its next poll, and a poll waiting for an event returns at once.
#[derive(Clone, Debug, Default)]
pub struct TurnStopHandle(Arc<StopFlag>);

#[derive(Debug, Default)]
struct StopFlag {
    stopped: AtomicBool,
    waker: AtomicWaker,
}

impl TurnStopHandle {
    /// End the turn stream. Safe to call more than once, from any thread.
    pub fn stop(&self) {
        self.0.stopped.store(true, Ordering::SeqCst);
        self.0.waker.wake();
    }

    /// Whether `stop` was called.
    pub fn is_stopped(&self) -> bool {
        self.0.stopped.load(Ordering::SeqCst)
    }
}

struct Started {
    message: Message,
    stream: EventStream,
}

enum Phase {
    /// Not polled yet: the message is still to be sent.
    New(Box<CreateMessageRequest>),
    /// Reading the last event ID, then sending the message.
    Starting(Step<Started>),
    /// Reading the session's events.
    Following,
    /// Sending the results of the client-side tools.
    Answering(Step<()>),
    /// Ended: the turn's end event was handed out, an error was, or `stop()`.
    Done,
}

/// One turn, followed live: a `Stream<Item = Result<Event, Error>>` (`Unpin + Send`)
/// of this turn's events only, from its `input.message` to the event that ends it
/// (`turn.completed`, `turn.failed` or `turn.cancelled`), then `None`.
///
/// Made by [`Sessions::stream_turn`](crate::resources::Sessions::stream_turn); like
/// every Rust stream it does nothing until polled: the first poll (or
/// [`TurnStream::start`]) reads the session's last event ID and sends the message, and
/// the stream resumes right after that event, so no event of the turn is missed.
///
/// With [`TurnOptions::tools`], a `tool.call_requested` event is answered once the
/// caller has seen it (on the next poll), by running those tools concurrently.
/// [`TurnOptions::timeout`] counts from the first poll and ends the stream with
/// [`Error::Timeout`]. Dropping the stream (or [`TurnStream::stop`], or a
/// [`TurnStopHandle`] from another task) closes the
/// connection; the turn itself goes on on the server
/// ([`Sessions::cancel`](crate::resources::Sessions::cancel) stops it).
///
/// ```no_run
/// # async fn run(client: everruns_sdk::Everruns) -> Result<(), everruns_sdk::Error> {
/// use futures::StreamExt;
///
/// let mut turn = client.sessions().stream_turn("session_...", "Tell me a story.");
/// let mut deltas = turn.text_deltas();
/// while let Some(delta) = deltas.next().await {
///     print!("{}", delta?);
/// }
/// let result = turn.final_result().await?;
/// println!("\n{}", result.status);
/// # Ok(()) }
/// ```
pub struct TurnStream {
    client: Everruns,
    session_id: String,
    tools: Arc<HashMap<String, Tool>>,
    options: TurnOptions,
    phase: Phase,
    message: Option<Message>,
    tracker: Option<Tracker>,
    stream: Option<EventStream>,
    pending_calls: Option<Vec<ToolCall>>,
    deadline: Option<Pin<Box<Sleep>>>,
    stopped: TurnStopHandle,
}

impl std::fmt::Debug for TurnStream {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TurnStream")
            .field("session_id", &self.session_id)
            .field("turn_id", &self.turn_id())
            .field("events", &self.events().len())
            .field("done", &self.is_done())
            .field("stopped", &self.stopped.is_stopped())
            .finish_non_exhaustive()
    }
}

impl TurnStream {
    pub(crate) fn new(
        client: Everruns,
        session_id: &str,
        input: TurnInput,
        options: TurnOptions,
    ) -> Self {
        let tools = options
            .tools
            .iter()
            .map(|t| (t.name().to_owned(), t.clone()))
            .collect();
        Self {
            client,
            session_id: session_id.to_owned(),
            tools: Arc::new(tools),
            options,
            phase: Phase::New(Box::new(input.0)),
            message: None,
            tracker: None,
            stream: None,
            pending_calls: None,
            deadline: None,
            stopped: TurnStopHandle::default(),
        }
    }

    /// The session of the turn.
    pub fn session_id(&self) -> &str {
        &self.session_id
    }

    /// The user message that started the turn, once sent.
    pub fn message(&self) -> Option<&Message> {
        self.message.as_ref()
    }

    /// The turn's ID, once its first event has been seen.
    pub fn turn_id(&self) -> Option<&str> {
        self.tracker.as_ref().and_then(|t| t.turn_id.as_deref())
    }

    /// The events of this turn handed out so far.
    pub fn events(&self) -> &[Event] {
        self.tracker.as_ref().map_or(&[], |t| t.events.as_slice())
    }

    /// Whether the event that ends the turn has been seen.
    pub fn is_done(&self) -> bool {
        self.tracker.as_ref().is_some_and(|t| t.end.is_some())
    }

    /// Send the message now (the first poll does it otherwise); the turn has begun on
    /// the server when this returns `Ok`. A failure here ends the stream.
    pub async fn start(&mut self) -> Result<&mut Self, Error> {
        futures_util::future::poll_fn(|cx| self.poll_begin(cx)).await?;
        if self.message.is_none() {
            return Err(Error::Stream {
                message: "the turn stream ended before its message was sent".into(),
                attempts: None,
                source: None,
            });
        }
        Ok(self)
    }

    /// Stop following the turn and close the connection; the stream ends (`None`).
    /// Idempotent. The turn goes on on the server.
    pub fn stop(&mut self) {
        self.stopped.stop();
        self.finish();
    }

    /// A handle that stops this stream from another task.
    pub fn stop_handle(&self) -> TurnStopHandle {
        self.stopped.clone()
    }

    fn finish(&mut self) {
        self.phase = Phase::Done;
        self.pending_calls = None;
        self.deadline = None;
        if let Some(mut stream) = self.stream.take() {
            stream.stop();
        }
    }

    /// The agent's text as it is written: the `delta` of each `output.message.delta`
    /// event of this turn. Errors of the turn's stream come through as `Err`.
    pub fn text_deltas(&mut self) -> TextDeltas<'_> {
        TextDeltas(self)
    }

    /// Follow the turn to its end and return its result, the same as
    /// [`Sessions::run`](crate::resources::Sessions::run) gives. With
    /// [`TurnOptions::raise_on_failure`], a failed turn is [`Error::TurnFailed`]. An
    /// error of the stream is returned; after [`TurnStream::stop`] (or an error already
    /// yielded), before the end: [`Error::Stream`].
    pub async fn final_result(&mut self) -> Result<TurnResult, Error> {
        while let Some(event) = self.next().await {
            event?;
        }
        let stopped = self.stopped.is_stopped();
        let tracker = self
            .tracker
            .as_ref()
            .filter(|t| t.end.is_some())
            .ok_or_else(|| Error::Stream {
                message: if stopped {
                    "the turn stream was stopped before the turn ended".into()
                } else {
                    "the turn stream ended with an error (yielded before) before the turn did"
                        .into()
                },
                attempts: None,
                source: None,
            })?;
        let result = tracker.result(self.message.clone());
        if self.options.raise_on_failure && result.status == TurnStatus::Failed {
            return Err(Error::TurnFailed(Box::new(result)));
        }
        Ok(result)
    }

    fn start_future(&self, request: CreateMessageRequest) -> Step<Started> {
        let client = self.client.clone();
        let session_id = self.session_id.clone();
        Box::pin(async move {
            let events = client.events();
            let recent = events
                .list(
                    &session_id,
                    ListEvents {
                        limit: Some(1),
                        ..Default::default()
                    },
                )
                .await?;
            let message = client.messages().create_with(&session_id, request).await?;
            let options = StreamOptions {
                since_id: recent.last().map(|e| e.id.clone()),
                ..Default::default()
            };
            let stream = events.stream_with(&session_id, options);
            Ok(Started { message, stream })
        })
    }

    fn answer_future(&self, calls: Vec<ToolCall>) -> Step<()> {
        let messages = self.client.messages();
        let session_id = self.session_id.clone();
        let tools = Arc::clone(&self.tools);
        let timeout = self.options.tool_timeout;
        Box::pin(async move {
            let results = tools::run_calls(&calls, &tools, timeout).await;
            match messages.submit_tool_results(&session_id, results).await {
                Ok(_) => Ok(()),
                // The turn stopped waiting (cancelled meanwhile): its end event follows.
                Err(Error::Conflict(e)) => {
                    tracing::warn!(session = %session_id, error = %e, "tool results not accepted");
                    Ok(())
                }
                Err(e) => Err(e),
            }
        })
    }

    fn timed_out(&mut self, cx: &mut Context<'_>) -> Option<Duration> {
        let limit = self.options.timeout?;
        let deadline = self
            .deadline
            .get_or_insert_with(|| Box::pin(tokio::time::sleep(limit)));
        deadline.as_mut().poll(cx).is_ready().then_some(limit)
    }

    /// The timeout, then the start: `Ready(Ok)` once the message is sent (or the
    /// stream is done).
    fn poll_begin(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), Error>> {
        if self.poll_stopped(cx) {
            return Poll::Ready(Ok(()));
        }
        self.check_deadline(cx)?;
        self.poll_start(cx)
    }

    /// `Err` (and the stream done) once the turn's timeout has passed.
    fn check_deadline(&mut self, cx: &mut Context<'_>) -> Result<(), Error> {
        if matches!(self.phase, Phase::Done) {
            return Ok(());
        }
        match self.timed_out(cx) {
            Some(limit) => {
                self.finish();
                Err(Error::Timeout(format!(
                    "the turn did not end within {limit:?}"
                )))
            }
            None => Ok(()),
        }
    }

    /// Read the last event ID and send the message; `Ready(Ok)` once done (or when
    /// there is nothing to start).
    fn poll_start(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), Error>> {
        if matches!(self.phase, Phase::New(_)) {
            if let Phase::New(request) = std::mem::replace(&mut self.phase, Phase::Done) {
                self.phase = Phase::Starting(self.start_future(*request));
            }
        }
        let Phase::Starting(step) = &mut self.phase else {
            return Poll::Ready(Ok(()));
        };
        let started = match step.as_mut().poll(cx) {
            Poll::Pending => return Poll::Pending,
            Poll::Ready(Ok(started)) => started,
            Poll::Ready(Err(error)) => {
                self.finish();
                return Poll::Ready(Err(error));
            }
        };
        self.tracker = Some(Tracker::new(started.message.id.clone()));
        self.message = Some(started.message);
        self.stream = Some(started.stream);
        self.phase = Phase::Following;
        Poll::Ready(Ok(()))
    }

    /// Whether a stop handle ended the stream (registering to be woken when one does).
    fn poll_stopped(&mut self, cx: &mut Context<'_>) -> bool {
        self.stopped.0.waker.register(cx.waker());
        if self.stopped.is_stopped() && !matches!(self.phase, Phase::Done) {
            self.finish();
        }
        self.stopped.is_stopped()
    }

    fn poll_event(&mut self, cx: &mut Context<'_>) -> Poll<Option<Result<Event, Error>>> {
        if self.poll_stopped(cx) {
            return Poll::Ready(None);
        }
        if let Err(error) = self.check_deadline(cx) {
            return Poll::Ready(Some(Err(error)));
        }
        loop {
            match &mut self.phase {
                Phase::Done => return Poll::Ready(None),
                Phase::New(_) | Phase::Starting(_) => match self.poll_start(cx) {
                    Poll::Pending => return Poll::Pending,
                    Poll::Ready(Err(error)) => return Poll::Ready(Some(Err(error))),
                    Poll::Ready(Ok(())) => {}
                },
                Phase::Answering(step) => match step.as_mut().poll(cx) {
                    Poll::Pending => return Poll::Pending,
                    Poll::Ready(Ok(())) => self.phase = Phase::Following,
                    Poll::Ready(Err(error)) => return self.fail(error),
                },
                Phase::Following => {
                    if let Some(calls) = self.pending_calls.take() {
                        self.phase = Phase::Answering(self.answer_future(calls));
                        continue;
                    }
                    return self.poll_following(cx);
                }
            }
        }
    }

    fn poll_following(&mut self, cx: &mut Context<'_>) -> Poll<Option<Result<Event, Error>>> {
        let (Some(stream), Some(tracker)) = (self.stream.as_mut(), self.tracker.as_mut()) else {
            return self.fail(Error::connection("the turn stream lost its event stream"));
        };
        loop {
            let event = match stream.poll_next_unpin(cx) {
                Poll::Pending => return Poll::Pending,
                Poll::Ready(None) => {
                    let error = Error::connection("the event stream ended before the turn did");
                    return self.fail(error);
                }
                Poll::Ready(Some(Err(error))) => return self.fail(error),
                Poll::Ready(Some(Ok(event))) => event,
            };
            if !tracker.accept(&event) {
                continue;
            }
            if tracker.end.is_some() {
                self.finish();
            } else if let EventData::ToolCallRequested(data) = &event.data {
                if !self.tools.is_empty() {
                    self.pending_calls = Some(data.tool_calls.clone());
                }
            }
            return Poll::Ready(Some(Ok(event)));
        }
    }

    fn fail(&mut self, error: Error) -> Poll<Option<Result<Event, Error>>> {
        self.finish();
        Poll::Ready(Some(Err(error)))
    }
}

impl Stream for TurnStream {
    type Item = Result<Event, Error>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        self.get_mut().poll_event(cx)
    }
}

impl FusedStream for TurnStream {
    fn is_terminated(&self) -> bool {
        matches!(self.phase, Phase::Done)
    }
}

/// The text deltas of a [`TurnStream`] (see [`TurnStream::text_deltas`]): a
/// `Stream<Item = Result<String, Error>>`, `Unpin + Send`.
#[derive(Debug)]
pub struct TextDeltas<'a>(&'a mut TurnStream);

impl Stream for TextDeltas<'_> {
    type Item = Result<String, Error>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let turn = &mut *self.get_mut().0;
        loop {
            match turn.poll_event(cx) {
                Poll::Pending => return Poll::Pending,
                Poll::Ready(None) => return Poll::Ready(None),
                Poll::Ready(Some(Err(error))) => return Poll::Ready(Some(Err(error))),
                Poll::Ready(Some(Ok(event))) => {
                    if let EventData::OutputMessageDelta(data) = event.data {
                        return Poll::Ready(Some(Ok(data.delta)));
                    }
                }
            }
        }
    }
}
