//! `client.sessions()`: start, list, update, cancel, pin and export sessions.

use super::{exclusive, seg, Base, Call};
use crate::generated::{CancelTurnResponse, CreateSessionRequest, Session, UpdateSessionRequest};
use crate::pagination::{boxed_fetch, walk, ItemStream};
use crate::{Error, Everruns, Page};

/// Filters and paging of [`Sessions::list`].
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ListSessions {
    /// Only sessions of this agent.
    pub agent_id: Option<String>,
    /// Text to search in titles.
    pub search: Option<String>,
    /// First item (default 0).
    pub offset: Option<u64>,
    /// Page size (default 20, at most 100).
    pub limit: Option<u64>,
}

/// Options of [`Sessions::export`].
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ExportSession {
    /// Export format, as the API names it.
    pub format: Option<String>,
    /// Export in segments.
    pub segmented: Option<bool>,
    /// Continue a segmented export.
    pub cursor: Option<String>,
}

/// Start, list, update, cancel, pin and export sessions.
#[derive(Clone, Debug)]
pub struct Sessions(pub(crate) Base);

impl Sessions {
    pub(crate) fn new(client: &Everruns) -> Self {
        Self(Base::new(client))
    }

    fn path(session_id: &str) -> Result<String, Error> {
        Ok(format!("/v1/sessions/{}", seg("session_id", session_id)?))
    }

    /// Start a session with the agent `agent_id`.
    pub async fn create(&self, agent_id: &str) -> Result<Session, Error> {
        let mut request = CreateSessionRequest::new();
        request.agent_id = Some(agent_id.to_owned());
        self.create_with(request).await
    }

    /// Start a session from a full request (an agent by `agent_id` or `agent_name`, or
    /// none; a harness by `harness_id` or `harness_name`).
    pub async fn create_with(&self, request: CreateSessionRequest) -> Result<Session, Error> {
        exclusive(
            ("agent_id", request.agent_id.is_some()),
            ("agent_name", request.agent_name.is_some()),
        )?;
        exclusive(
            ("harness_id", request.harness_id.is_some()),
            ("harness_name", request.harness_name.is_some()),
        )?;
        self.0
            .json(Call::post("/v1/sessions".into()).json(&request)?)
            .await
    }

    /// A page of sessions.
    pub async fn list(&self, params: ListSessions) -> Result<Page<Session>, Error> {
        let call = Call::get("/v1/sessions".into())
            .query("agent_id", params.agent_id)
            .query("search", params.search)
            .query("offset", params.offset)
            .query("limit", params.limit);
        self.0.page(call).await
    }

    /// Every session, page after page.
    pub fn list_all(&self, params: ListSessions) -> ItemStream<Session> {
        let this = self.clone();
        walk(boxed_fetch(move |offset| {
            let this = this.clone();
            let params = ListSessions {
                offset: Some(offset),
                ..params.clone()
            };
            async move { this.list(params).await }
        }))
    }

    /// One session.
    pub async fn get(&self, session_id: &str) -> Result<Session, Error> {
        self.0.json(Call::get(Self::path(session_id)?)).await
    }

    /// Change the title, tags, locale or identity of a session.
    pub async fn update(
        &self,
        session_id: &str,
        request: UpdateSessionRequest,
    ) -> Result<Session, Error> {
        self.0
            .json(Call::patch(Self::path(session_id)?).json(&request)?)
            .await
    }

    /// Delete a session.
    pub async fn delete(&self, session_id: &str) -> Result<(), Error> {
        self.0.empty(Call::delete(Self::path(session_id)?)).await
    }

    /// Cancel the running turn (it ends with `turn.cancelled`).
    pub async fn cancel(&self, session_id: &str) -> Result<CancelTurnResponse, Error> {
        self.0
            .json(Call::post(format!("{}/cancel", Self::path(session_id)?)))
            .await
    }

    /// Pin a session.
    pub async fn pin(&self, session_id: &str) -> Result<(), Error> {
        self.0
            .empty(Call::put(format!("{}/pin", Self::path(session_id)?)))
            .await
    }

    /// Unpin a session.
    pub async fn unpin(&self, session_id: &str) -> Result<(), Error> {
        self.0
            .empty(Call::delete(format!("{}/pin", Self::path(session_id)?)))
            .await
    }

    /// The session as JSON Lines text, exactly as the server sends it.
    pub async fn export_text(
        &self,
        session_id: &str,
        options: ExportSession,
    ) -> Result<String, Error> {
        let call = Call::get(format!("{}/export", Self::path(session_id)?))
            .query("format", options.format)
            .query("segmented", options.segmented)
            .query("cursor", options.cursor)
            .accept("application/x-ndjson");
        self.0.text(call).await
    }

    /// The session as parsed JSON Lines records.
    pub async fn export(
        &self,
        session_id: &str,
        options: ExportSession,
    ) -> Result<Vec<serde_json::Value>, Error> {
        let text = self.export_text(session_id, options).await?;
        text.lines()
            .enumerate()
            .filter(|(_, line)| !line.trim().is_empty())
            .map(|(n, line)| {
                serde_json::from_str(line).map_err(|e| Error::Decode {
                    message: format!("line {} of the session export is not JSON: {e}", n + 1),
                    status: 200,
                    request_id: None,
                })
            })
            .collect()
    }
}
