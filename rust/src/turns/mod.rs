//! Above the API: a whole turn (`client.sessions().run(..)`) and the client-side tool
//! runner, with the same semantics as the Python SDK.
//!
//! [`Sessions::stream_turn`] gives the same turn as a stream of its events
//! ([`TurnStream`]); `run` is that stream followed to its end.
//!
//! How a turn is followed: before the message is posted, the ID of the session's last
//! event is read, and the stream starts right after it, so no event of the turn is
//! missed even when the turn ends before the stream connects. Only the events of this
//! turn count. With tools, every `tool.call_requested` of the turn is answered by
//! running them (concurrently, each with its timeout; errors and timeouts go back as
//! tool errors) in one `submit_tool_results` request, and the turn goes on.

mod status;
mod stream;
mod tools;
mod tracker;

use std::time::Duration;

pub use self::status::TurnStatus;
pub use self::stream::{TextDeltas, TurnInput, TurnStopHandle, TurnStream};
pub use self::tools::{Tool, DEFAULT_TOOL_TIMEOUT};
use crate::models::{Message, TokenUsage};
use crate::resources::Sessions;
use crate::{Error, Event, Everruns};

/// Options of [`Sessions::run_with`] and [`Sessions::stream_turn_with`].
#[derive(Clone, Debug, Default)]
pub struct TurnOptions {
    /// Client-side tools to run when the agent calls them.
    pub tools: Vec<Tool>,
    /// Return [`Error::TurnFailed`] for a failed turn instead of a result.
    pub raise_on_failure: bool,
    /// Give up following the turn after this long ([`Error::Timeout`]); the turn
    /// itself keeps running on the server.
    pub timeout: Option<Duration>,
    /// Replaces every tool's own timeout.
    pub tool_timeout: Option<Duration>,
}

/// How a turn ended.
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub struct TurnResult {
    /// How it ended: completed, failed or cancelled.
    pub status: TurnStatus,
    /// The turn's ID.
    pub turn_id: Option<String>,
    /// The agent's final message.
    pub message: Option<Message>,
    /// Every event of the turn, `input.message` to the end event.
    pub events: Vec<Event>,
    /// The user message that started the turn.
    pub input_message: Option<Message>,
    /// Why a failed turn failed.
    pub error: Option<String>,
    /// The error code of a failed turn.
    pub error_code: Option<String>,
    /// Tokens used.
    pub usage: Option<TokenUsage>,
}

impl TurnResult {
    /// The text of the final message (its text parts joined); `""` without one.
    pub fn text(&self) -> String {
        let Some(message) = &self.message else {
            return String::new();
        };
        message
            .content
            .iter()
            .filter_map(|part| match part {
                crate::models::ContentPart::Text(text) => Some(text.text.as_str()),
                _ => None,
            })
            .collect()
    }

    /// Whether the turn completed.
    pub fn ok(&self) -> bool {
        self.status == TurnStatus::Completed
    }
}

impl Sessions {
    /// Send `content` and follow the turn to its end.
    ///
    /// ```no_run
    /// # async fn run(client: everruns_sdk::Everruns) -> Result<(), everruns_sdk::Error> {
    /// let result = client.sessions().run("session_...", "Hello!").await?;
    /// println!("{}: {}", result.status, result.text());
    /// # Ok(()) }
    /// ```
    pub async fn run(
        &self,
        session_id: &str,
        content: impl Into<TurnInput>,
    ) -> Result<TurnResult, Error> {
        self.run_with(session_id, content, TurnOptions::default())
            .await
    }

    /// Send `content` and follow the turn to its end, running client-side tools.
    pub async fn run_with(
        &self,
        session_id: &str,
        content: impl Into<TurnInput>,
        options: TurnOptions,
    ) -> Result<TurnResult, Error> {
        self.stream_turn_with(session_id, content, options)
            .final_result()
            .await
    }

    /// The turn that `content` starts, as a stream of its events (see [`TurnStream`]):
    /// the message is sent on the first poll.
    ///
    /// ```no_run
    /// # async fn run(client: everruns_sdk::Everruns) -> Result<(), everruns_sdk::Error> {
    /// use futures::StreamExt;
    ///
    /// let mut turn = client.sessions().stream_turn("session_...", "Hello!");
    /// while let Some(event) = turn.next().await {
    ///     println!("{}", event?.event_type);
    /// }
    /// # Ok(()) }
    /// ```
    pub fn stream_turn(&self, session_id: &str, content: impl Into<TurnInput>) -> TurnStream {
        self.stream_turn_with(session_id, content, TurnOptions::default())
    }

    /// [`Sessions::stream_turn`] with options: client-side tools, a timeout,
    /// `raise_on_failure` for [`TurnStream::final_result`].
    pub fn stream_turn_with(
        &self,
        session_id: &str,
        content: impl Into<TurnInput>,
        options: TurnOptions,
    ) -> TurnStream {
        let client = Everruns {
            transport: std::sync::Arc::clone(&self.0.transport),
        };
        TurnStream::new(client, session_id, content.into(), options)
    }
}
