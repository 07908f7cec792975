//! `client.messages()`: send user messages (each starts a turn), list them, answer tool calls.

use super::{seg, Base, Call};
use crate::generated::{
    ClientToolResult, CreateMessageRequest, InputContentPart, InputMessage, Message, MessageRole,
    SubmitToolResultsRequest, SubmitToolResultsResponse, TextContentPart,
};
use crate::{Error, Everruns};

/// Send user messages, list them, answer client-side tool calls.
#[derive(Clone, Debug)]
pub struct Messages(Base);

impl Messages {
    pub(crate) fn new(client: &Everruns) -> Self {
        Self(Base::new(client))
    }

    fn path(session_id: &str, tail: &str) -> Result<String, Error> {
        Ok(format!(
            "/v1/sessions/{}/{tail}",
            seg("session_id", session_id)?
        ))
    }

    /// A user message with one text part: the body `create` sends.
    pub fn text_request(text: &str) -> CreateMessageRequest {
        let part = InputContentPart::Text(TextContentPart::new(text));
        let mut message = InputMessage::new(vec![part]);
        message.role = Some(MessageRole::User);
        CreateMessageRequest::new(message)
    }

    /// Send the user message `text`, which starts a turn. Never sent twice by a retry.
    pub async fn create(&self, session_id: &str, text: &str) -> Result<Message, Error> {
        self.create_with(session_id, Self::text_request(text)).await
    }

    /// Send a message from a full request (images, controls, metadata, tags).
    pub async fn create_with(
        &self,
        session_id: &str,
        request: CreateMessageRequest,
    ) -> Result<Message, Error> {
        if request.message.content.is_empty() {
            return Err(Error::Validation(
                "a message needs at least one content part".into(),
            ));
        }
        self.0
            .json(Call::post(Self::path(session_id, "messages")?).json(&request)?)
            .await
    }

    /// Every message of a session.
    pub async fn list(&self, session_id: &str) -> Result<Vec<Message>, Error> {
        self.0
            .list(Call::get(Self::path(session_id, "messages")?))
            .await
    }

    /// Answer the client-side tool calls the session waits for (a 409 when it waits
    /// for none).
    pub async fn submit_tool_results(
        &self,
        session_id: &str,
        results: Vec<ClientToolResult>,
    ) -> Result<SubmitToolResultsResponse, Error> {
        let body = SubmitToolResultsRequest::new(results);
        self.0
            .json(Call::post(Self::path(session_id, "tool-results")?).json(&body)?)
            .await
    }

    /// A successful tool result.
    pub fn tool_result(tool_call_id: &str, result: serde_json::Value) -> ClientToolResult {
        let mut out = ClientToolResult::new(tool_call_id);
        out.result = Some(result);
        out
    }

    /// A failed tool call; the agent sees `error` as the reason.
    pub fn tool_error(tool_call_id: &str, error: impl Into<String>) -> ClientToolResult {
        let mut out = ClientToolResult::new(tool_call_id);
        out.error = Some(error.into());
        out
    }
}
