//! The sub-clients (`client.agents()`, ...) and what they share: building requests,
//! encoding paths and queries, and decoding responses into models.

mod agents;
mod capabilities;
mod events;
mod files;
mod harnesses;
mod images;
mod memories;
mod messages;
mod models;
mod session_data;
mod sessions;
mod workspaces;

use std::sync::Arc;

use bytes::Bytes;
use reqwest::Method;
use serde::de::DeserializeOwned;
use serde::Serialize;

pub use self::agents::{AgentHealthChecks, AgentVersions, Agents, ListAgents};
pub use self::capabilities::Capabilities;
pub use self::events::{Events, ListEvents};
pub use self::files::{MemoryEntry, MemoryFiles, WorkspaceFiles};
pub use self::harnesses::Harnesses;
pub use self::images::Images;
pub use self::memories::Memories;
pub use self::messages::Messages;
pub use self::models::{ListModels, Models};
pub use self::session_data::{SessionDatabases, SessionStorage};
pub use self::sessions::{ExportSession, ListSessions, Sessions};
pub use self::workspaces::Workspaces;
use crate::paths;
use crate::transport::{Body, Request, Response, Transport};
use crate::{Error, Everruns, Page};

/// What every sub-client holds: the shared transport.
#[derive(Clone, Debug)]
pub(crate) struct Base {
    pub(crate) transport: Arc<Transport>,
}

impl Base {
    pub(crate) fn new(client: &Everruns) -> Self {
        Self {
            transport: Arc::clone(&client.transport),
        }
    }

    /// Send `call` and read its 2xx answer with `read`; the status and headers go to an
    /// enclosing [`raw_response`](crate::raw_response) if there is one (and are dropped
    /// otherwise). Every sub-client request goes through here.
    async fn call<T>(
        &self,
        call: Call,
        read: impl FnOnce(&mut Response, &Call) -> Result<T, Error>,
    ) -> Result<T, Error> {
        let mut response = self.transport.send(&call.0).await?;
        let value = read(&mut response, &call)?;
        crate::raw::record(
            response.status,
            response.headers,
            self.transport.config.api_key.expose(),
        );
        Ok(value)
    }

    /// A request whose answer is one `T`.
    pub(crate) async fn json<T: DeserializeOwned>(&self, call: Call) -> Result<T, Error> {
        self.call(call, |response, call| decode(response, call))
            .await
    }

    /// A request whose answer has no body worth reading.
    pub(crate) async fn empty(&self, call: Call) -> Result<(), Error> {
        self.call(call, |_, _| Ok(())).await
    }

    /// A request whose answer is `{"data": [...]}` (or a bare array) of `T`.
    pub(crate) async fn list<T: DeserializeOwned>(&self, call: Call) -> Result<Vec<T>, Error> {
        self.call(call, |response, call| {
            decode::<DataList<T>>(response, call).map(|list| list.0)
        })
        .await
    }

    /// A paginated GET: `{"data": [...], "total", "offset", "limit"}`.
    pub(crate) async fn page<T: DeserializeOwned>(&self, call: Call) -> Result<Page<T>, Error> {
        #[derive(serde::Deserialize)]
        struct Raw<T> {
            data: Vec<T>,
            total: Option<u64>,
            offset: Option<u64>,
            limit: Option<u64>,
        }
        let raw: Raw<T> = self
            .call(call, |response, call| decode(response, call))
            .await?;
        let n = raw.data.len() as u64;
        Ok(Page {
            total: raw.total.unwrap_or(n),
            offset: raw.offset.unwrap_or(0),
            limit: raw.limit.unwrap_or(n),
            data: raw.data,
        })
    }

    /// A request whose answer is text (Markdown, JSON Lines).
    pub(crate) async fn text(&self, call: Call) -> Result<String, Error> {
        self.call(call, |response, _| {
            Ok(String::from_utf8_lossy(&response.body).into_owned())
        })
        .await
    }

    /// A request whose answer is raw bytes (images).
    pub(crate) async fn bytes(&self, call: Call) -> Result<Bytes, Error> {
        self.call(call, |response, _| Ok(std::mem::take(&mut response.body)))
            .await
    }
}

/// The answer's body as a `T`; the request is named in the error only when there is one
/// (nothing is formatted for an answer that decodes).
fn decode<T: DeserializeOwned>(response: &Response, call: &Call) -> Result<T, Error> {
    serde_json::from_slice(&response.body).map_err(|error| Error::Decode {
        message: format!("{} {}: {error}", call.0.method, call.0.path),
        status: response.status,
        request_id: response.request_id(),
    })
}

/// A list answer: a bare array, or an object whose `data` is the array (its other
/// fields skipped), read in one pass.
struct DataList<T>(Vec<T>);

impl<'de, T: serde::Deserialize<'de>> serde::Deserialize<'de> for DataList<T> {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(DataListVisitor(std::marker::PhantomData))
    }
}

struct DataListVisitor<T>(std::marker::PhantomData<T>);

impl<'de, T: serde::Deserialize<'de>> serde::de::Visitor<'de> for DataListVisitor<T> {
    type Value = DataList<T>;

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("a list, or an object with a `data` list")
    }

    fn visit_seq<A: serde::de::SeqAccess<'de>>(self, seq: A) -> Result<Self::Value, A::Error> {
        serde::Deserialize::deserialize(serde::de::value::SeqAccessDeserializer::new(seq))
            .map(DataList)
    }

    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut data = None;
        while let Some(key) = map.next_key::<crate::model_support::Key<'de>>()? {
            if key.0 == "data" {
                data = Some(map.next_value()?);
            } else {
                map.next_value::<serde::de::IgnoredAny>()?;
            }
        }
        data.map(DataList)
            .ok_or_else(|| serde::de::Error::missing_field("data"))
    }
}

/// One request being described by a sub-client method.
#[derive(Debug)]
pub(crate) struct Call(Request);

impl Call {
    pub(crate) fn new(method: Method, path: String) -> Self {
        Call(Request::new(method, path))
    }
    pub(crate) fn get(path: String) -> Self {
        Self::new(Method::GET, path)
    }
    pub(crate) fn post(path: String) -> Self {
        Self::new(Method::POST, path)
    }
    pub(crate) fn patch(path: String) -> Self {
        Self::new(Method::PATCH, path)
    }
    pub(crate) fn put(path: String) -> Self {
        Self::new(Method::PUT, path)
    }
    pub(crate) fn delete(path: String) -> Self {
        Self::new(Method::DELETE, path)
    }

    /// A JSON body.
    pub(crate) fn json<B: Serialize + ?Sized>(mut self, body: &B) -> Result<Self, Error> {
        let bytes = serde_json::to_vec(body)
            .map_err(|e| Error::Validation(format!("cannot encode the body: {e}")))?;
        self.0.body = Body::Json(bytes.into());
        Ok(self)
    }

    /// A raw body of the given content type.
    pub(crate) fn raw(mut self, content_type: &'static str, bytes: impl Into<Bytes>) -> Self {
        self.0.body = Body::Raw(
            reqwest::header::HeaderValue::from_static(content_type),
            bytes.into(),
        );
        self
    }

    /// A body of a computed content type (multipart with its boundary).
    pub(crate) fn raw_typed(mut self, content_type: String, bytes: Vec<u8>) -> Result<Self, Error> {
        let value = crate::config::header_value("Content-Type", &content_type)?;
        self.0.body = Body::Raw(value, bytes.into());
        Ok(self)
    }

    pub(crate) fn accept(mut self, value: &'static str) -> Self {
        self.0.headers.push((
            reqwest::header::ACCEPT,
            reqwest::header::HeaderValue::from_static(value),
        ));
        self
    }

    /// Mark a POST or PATCH as harmless to repeat (an upsert with a client-chosen ID).
    pub(crate) fn idempotent(mut self, yes: bool) -> Self {
        self.0.idempotent = yes;
        self
    }

    /// A query parameter, left out when `None`.
    pub(crate) fn query<V: ToString>(mut self, name: &'static str, value: Option<V>) -> Self {
        if let Some(value) = value {
            self.0.query.push((name, value.to_string()));
        }
        self
    }

    /// A repeated query parameter (`types=a&types=b`), never comma-joined.
    pub(crate) fn query_all(mut self, name: &'static str, values: &[String]) -> Self {
        self.0
            .query
            .extend(values.iter().map(|v| (name, v.clone())));
        self
    }
}

/// `/`-prefixed path from a template whose `{}` are filled with encoded segments.
pub(crate) fn seg(name: &str, value: &str) -> Result<String, Error> {
    paths::segment(name, value)
}

/// A file path, each segment encoded on its own.
pub(crate) fn file_path(value: &str) -> Result<String, Error> {
    paths::file_path("path", value)
}

/// Reject both of two exclusive fields (`harness_id` and `harness_name`).
pub(crate) fn exclusive(first: (&str, bool), second: (&str, bool)) -> Result<(), Error> {
    if first.1 && second.1 {
        return Err(Error::Validation(format!(
            "pass either {} or {}, not both",
            first.0, second.0
        )));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::DataList;

    fn list(text: &str) -> Result<Vec<u32>, serde_json::Error> {
        serde_json::from_str::<DataList<u32>>(text).map(|l| l.0)
    }

    #[test]
    fn list_answers_bare_or_under_data() {
        assert_eq!(list("[1, 2]").unwrap(), [1, 2]);
        let wrapped = r#"{"total": 9, "next": {"a": [true]}, "data": [3], "limit": "x"}"#;
        assert_eq!(list(wrapped).unwrap(), [3]);
        assert_eq!(list(r#"{"data": []}"#).unwrap(), Vec::<u32>::new());
        for bad in [
            r#"{"items": [1]}"#,
            r#"{"data": null}"#,
            r#"{"data": ["x"]}"#,
            "7",
            r#""s""#,
        ] {
            assert!(list(bad).is_err(), "{bad}");
        }
    }
}
