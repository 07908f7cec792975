//! Raw responses: [`raw_response`] runs any call of the SDK and answers its result
//! together with the status and headers of the response it came from.
//!
//! No method is written twice. While the future given to `raw_response` runs, a
//! task-local slot is set; the sub-clients' one request path (`Base` in
//! `resources/mod.rs`) moves the status and headers of each 2xx answer it reads into
//! that slot, and does nothing else when no slot is set (one thread-local read per
//! call, no copy).

use std::future::IntoFuture;
use std::sync::{Arc, Mutex, PoisonError};

use reqwest::header::{self, HeaderMap, HeaderValue};

use crate::Error;

/// What the request path left in the slot: the last 2xx answer it read.
#[derive(Clone, Debug)]
pub(crate) struct Received {
    status: u16,
    headers: HeaderMap,
}

type Slot = Arc<Mutex<Option<Received>>>;

tokio::task_local! {
    static SLOT: Slot;
}

/// Keep `status` and `headers` for the enclosing [`raw_response`], if there is one.
///
/// Values that may be secret (cookies, credentials, anything holding the API key) are
/// marked sensitive, so that `Debug` prints them as `Sensitive`; they stay readable
/// through [`RawResponse::headers`].
pub(crate) fn record(status: u16, headers: HeaderMap, api_key: &str) {
    // A call outside `raw_response` ends here: the slot is not set, `headers` is dropped.
    let _ = SLOT.try_with(move |slot| {
        let mut headers = headers;
        mark_secrets(&mut headers, api_key);
        set(slot, Received { status, headers });
    });
}

fn set(slot: &Slot, received: Received) {
    *slot.lock().unwrap_or_else(PoisonError::into_inner) = Some(received);
}

fn mark_secrets(headers: &mut HeaderMap, api_key: &str) {
    let key = api_key.as_bytes();
    for (name, value) in headers.iter_mut() {
        let secret_name = [
            header::SET_COOKIE,
            header::COOKIE,
            header::AUTHORIZATION,
            header::PROXY_AUTHORIZATION,
        ]
        .contains(name);
        let has_key = !key.is_empty() && value.as_bytes().windows(key.len()).any(|w| w == key);
        if secret_name || has_key {
            value.set_sensitive(true);
        }
    }
}

/// Run `call` (any method of a sub-client, nested ones included, e.g.
/// `client.agents().versions().list(..)`) and answer its result together with the
/// status and headers of the HTTP response it was read from.
///
/// ```no_run
/// use everruns_sdk::{models::Agent, raw_response, Everruns, RawResponse};
///
/// # async fn run(client: Everruns, agent_id: &str) -> Result<(), everruns_sdk::Error> {
/// let raw: RawResponse<Agent> = raw_response(client.agents().get(agent_id)).await?;
/// println!("{} {:?} {:?}", raw.status(), raw.headers().get("content-type"), raw.request_id());
/// println!("{}", raw.name); // the Agent's fields, through `Deref`
/// let agent: Agent = raw.into_inner();
/// # Ok(()) }
/// ```
///
/// - When `call` sends several requests (a method that pages through a list such as
///   `images().get(..)`, a retried or redirected request, or an `async` block that walks
///   every page of `list_all`), the response is the **last** 2xx answer that was read.
/// - Only what the future itself polls is seen: calls made at the same time outside it
///   (another branch of a `join!`, a spawned task) are not, and a task spawned inside
///   it is not either. The SSE event stream has no one response and is never recorded
///   (a whole turn, `sessions().run(..)`, answers the last request it sent besides it).
/// - An error is the same [`Error`] as without the wrapper; an API error already
///   carries [`Error::status`] and [`Error::request_id`].
/// - Should `call` succeed without having read any response (it made no API request),
///   the answer is an [`Error::Validation`].
/// - Wrappers may nest: the outer one also sees what the inner one recorded.
///
/// Without this wrapper nothing is kept: the headers of each answer are dropped as soon
/// as its body is read.
pub async fn raw_response<F, T>(call: F) -> Result<RawResponse<T>, Error>
where
    F: IntoFuture<Output = Result<T, Error>>,
{
    let slot = Slot::default();
    let value = SLOT.scope(Arc::clone(&slot), call.into_future()).await?;
    let received = slot.lock().unwrap_or_else(PoisonError::into_inner).take();
    let Some(received) = received else {
        return Err(Error::Validation(
            "raw_response: the call read no API response".into(),
        ));
    };
    // Polled inside an enclosing `raw_response`: it sees this response too.
    let _ = SLOT.try_with(|outer| set(outer, received.clone()));
    Ok(RawResponse {
        value,
        status: received.status,
        headers: received.headers,
    })
}

/// The result of one call with the HTTP response it came from (see [`raw_response`]):
/// [`status`](Self::status), [`headers`](Self::headers),
/// [`request_id`](Self::request_id), and the value itself through `Deref` or
/// [`into_inner`](Self::into_inner) (what `.parse()` gives in the Python and
/// TypeScript SDKs).
///
/// `Debug` prints header values that may be secret (cookies, credentials, anything
/// containing the client's API key) as `Sensitive`.
pub struct RawResponse<T> {
    value: T,
    status: u16,
    headers: HeaderMap,
}

impl<T> RawResponse<T> {
    /// The HTTP status (a 2xx: any other status is an [`Error`]).
    pub fn status(&self) -> u16 {
        self.status
    }

    /// The response headers.
    pub fn headers(&self) -> &HeaderMap {
        &self.headers
    }

    /// The server's `X-Request-Id`, if it sent one.
    pub fn request_id(&self) -> Option<&str> {
        self.headers
            .get("x-request-id")
            .and_then(|v: &HeaderValue| v.to_str().ok())
    }

    /// The result the call gives without [`raw_response`] (an `Agent` for
    /// `agents().get(..)`).
    pub fn into_inner(self) -> T {
        self.value
    }

    /// The result, the status and the headers.
    pub fn into_parts(self) -> (T, u16, HeaderMap) {
        (self.value, self.status, self.headers)
    }
}

impl<T> std::ops::Deref for RawResponse<T> {
    type Target = T;

    fn deref(&self) -> &T {
        &self.value
    }
}

impl<T> std::ops::DerefMut for RawResponse<T> {
    fn deref_mut(&mut self) -> &mut T {
        &mut self.value
    }
}

impl<T: std::fmt::Debug> std::fmt::Debug for RawResponse<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RawResponse")
            .field("status", &self.status)
            .field("request_id", &self.request_id())
            .field("headers", &self.headers)
            .field("value", &self.value)
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(pairs: &[(&'static str, &str)]) -> HeaderMap {
        let mut map = HeaderMap::new();
        for (name, value) in pairs {
            map.append(*name, HeaderValue::from_str(value).unwrap());
        }
        map
    }

    #[tokio::test]
    async fn secret_header_values_are_kept_but_never_printed() {
        let sent = headers(&[
            ("x-request-id", "req_1"),
            ("set-cookie", "session=s3cr3t"),
            ("x-echo", "token evr_key_123 seen"),
            ("content-type", "application/json"),
        ]);
        let raw = raw_response(async {
            record(201, sent, "evr_key_123");
            Ok::<_, Error>(7)
        })
        .await
        .unwrap();
        assert_eq!(
            (raw.status(), *raw, raw.request_id()),
            (201, 7, Some("req_1"))
        );
        assert_eq!(raw.headers()["set-cookie"], "session=s3cr3t");
        let shown = format!("{raw:?}");
        assert!(
            !shown.contains("s3cr3t") && !shown.contains("evr_key_123"),
            "{shown}"
        );
        assert!(
            shown.contains("application/json") && shown.contains("req_1"),
            "{shown}"
        );
    }

    #[tokio::test]
    async fn the_last_response_wins_and_an_outer_wrapper_sees_it() {
        let outer = raw_response(async {
            record(200, headers(&[("x-request-id", "req_outer")]), "k");
            let inner = raw_response(async {
                record(200, headers(&[("x-request-id", "req_a")]), "k");
                record(202, headers(&[("x-request-id", "req_b")]), "k");
                Ok::<_, Error>(())
            })
            .await?;
            assert_eq!((inner.status(), inner.request_id()), (202, Some("req_b")));
            Ok(())
        })
        .await
        .unwrap();
        assert_eq!((outer.status(), outer.request_id()), (202, Some("req_b")));
    }

    #[tokio::test]
    async fn nothing_is_kept_outside_and_no_response_is_an_error() {
        record(200, headers(&[("x-request-id", "req_lost")]), "k");
        let err = raw_response(async { Ok::<_, Error>(1) }).await.unwrap_err();
        assert!(matches!(err, Error::Validation(_)), "{err:?}");
        let failed = raw_response(async {
            record(200, HeaderMap::new(), "k");
            Err::<(), _>(Error::Timeout("slow".into()))
        })
        .await
        .unwrap_err();
        assert!(matches!(failed, Error::Timeout(_)), "{failed:?}");
    }
}
