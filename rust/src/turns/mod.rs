//! Above the API: a whole turn (`client.sessions().run(..)`) and the client-side tool
//! runner, with the same semantics as the Python SDK.
//!
//! How a turn is followed: before the message is posted, the ID of the session's last
//! event is read, and the stream starts right after it, so no event of the turn is
//! missed even when the turn ends before the stream connects. Only the events of this
//! turn count. With tools, every `tool.call_requested` of the turn is answered by
//! running them (concurrently, each with its timeout; errors and timeouts go back as
//! tool errors) in one `submit_tool_results` request, and the turn goes on.

mod tools;
mod tracker;

use std::collections::HashMap;
use std::time::Duration;

use futures_util::StreamExt;

pub use self::tools::{Tool, DEFAULT_TOOL_TIMEOUT};
use self::tracker::Tracker;
use crate::models::{Message, TokenUsage};
use crate::resources::{ListEvents, Sessions};
use crate::{Error, Event, EventData, Everruns, StreamOptions};

/// Options of [`Sessions::run_with`].
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
    /// `completed`, `failed` or `cancelled`.
    pub status: String,
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
        self.status == "completed"
    }
}

impl Sessions {
    /// Send `text` and follow the turn to its end.
    ///
    /// ```no_run
    /// # async fn run(client: everruns_sdk::Everruns) -> Result<(), everruns_sdk::Error> {
    /// let result = client.sessions().run("session_...", "Hello!").await?;
    /// println!("{}: {}", result.status, result.text());
    /// # Ok(()) }
    /// ```
    pub async fn run(&self, session_id: &str, text: &str) -> Result<TurnResult, Error> {
        self.run_with(session_id, text, TurnOptions::default())
            .await
    }

    /// Send `text` and follow the turn to its end, running client-side tools.
    pub async fn run_with(
        &self,
        session_id: &str,
        text: &str,
        options: TurnOptions,
    ) -> Result<TurnResult, Error> {
        let client = Everruns {
            transport: std::sync::Arc::clone(&self.0.transport),
        };
        let follow = follow_turn(&client, session_id, text, &options);
        let result = match options.timeout {
            Some(limit) => tokio::time::timeout(limit, follow)
                .await
                .map_err(|_| Error::Timeout(format!("the turn did not end within {limit:?}")))??,
            None => follow.await?,
        };
        if options.raise_on_failure && result.status == "failed" {
            return Err(Error::TurnFailed(Box::new(result)));
        }
        Ok(result)
    }
}

async fn follow_turn(
    client: &Everruns,
    session_id: &str,
    text: &str,
    options: &TurnOptions,
) -> Result<TurnResult, Error> {
    let tools: HashMap<String, Tool> = options
        .tools
        .iter()
        .map(|t| (t.name().to_owned(), t.clone()))
        .collect();
    let recent = client
        .events()
        .list(
            session_id,
            ListEvents {
                limit: Some(1),
                ..Default::default()
            },
        )
        .await?;
    let message = client.messages().create(session_id, text).await?;
    let mut tracker = Tracker::new(message.id.clone());
    let stream_options = StreamOptions {
        since_id: recent.last().map(|e| e.id.clone()),
        ..Default::default()
    };
    let mut stream = client.events().stream_with(session_id, stream_options);
    while tracker.end.is_none() {
        let Some(event) = stream.next().await else {
            return Err(Error::connection(
                "the event stream ended before the turn did",
            ));
        };
        let event = event?;
        if !tracker.accept(&event) {
            continue;
        }
        if let (EventData::ToolCallRequested(data), false) = (&event.data, tools.is_empty()) {
            let results = tools::run_calls(&data.tool_calls, &tools, options.tool_timeout).await;
            match client
                .messages()
                .submit_tool_results(session_id, results)
                .await
            {
                Ok(_) => {}
                // The turn stopped waiting (cancelled meanwhile): its end event follows.
                Err(Error::Conflict(e)) => {
                    tracing::warn!(session = session_id, error = %e, "tool results not accepted")
                }
                Err(e) => return Err(e),
            }
        }
    }
    stream.stop();
    Ok(tracker.result(Some(message)))
}
