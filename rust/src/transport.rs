//! The one request pipeline: URL, headers, send, follow redirects, retry, trace, and
//! turn error answers into [`Error`]s.
//!
//! Every operation goes through [`Transport::send`] (or [`Transport::open_stream`] for
//! the event stream); nothing else touches reqwest for API calls.

use std::time::{Duration, Instant};

use bytes::Bytes;
use reqwest::header::{self, HeaderMap, HeaderName, HeaderValue};
use reqwest::{Method, StatusCode, Url};
use tracing::Instrument;

use crate::config::Config;
use crate::error::{error_from_response, ErrorResponse};
use crate::retry;
use crate::Error;

/// Redirect hops followed before giving up.
const MAX_REDIRECTS: usize = 5;
const X_ORG_ID: HeaderName = HeaderName::from_static("x-org-id");
const X_REQUEST_ID: &str = "x-request-id";

/// The body of a request; cheap to clone, so a retry sends the same bytes.
#[derive(Clone, Debug, Default)]
pub(crate) enum Body {
    /// No body.
    #[default]
    Empty,
    /// A JSON document.
    Json(Bytes),
    /// Bytes of the given content type (plain text, multipart).
    Raw(HeaderValue, Bytes),
}

/// One API request, as the resources describe it.
#[derive(Debug)]
pub(crate) struct Request {
    pub method: Method,
    /// The encoded path, `/v1/...`.
    pub path: String,
    pub query: Vec<(&'static str, String)>,
    pub body: Body,
    pub headers: Vec<(HeaderName, HeaderValue)>,
    /// A POST or PATCH that is harmless to repeat (an upsert with a client-chosen ID).
    pub idempotent: bool,
}

impl Request {
    pub(crate) fn new(method: Method, path: String) -> Self {
        Self {
            method,
            path,
            query: Vec::new(),
            body: Body::Empty,
            headers: Vec::new(),
            idempotent: false,
        }
    }
}

/// A read 2xx answer.
#[derive(Debug)]
pub(crate) struct Response {
    pub status: u16,
    pub headers: HeaderMap,
    pub body: Bytes,
}

impl Response {
    pub(crate) fn request_id(&self) -> Option<String> {
        self.headers
            .get(X_REQUEST_ID)
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned)
    }
}

/// Sends API requests on one shared reqwest client with auth, retries and tracing.
#[derive(Debug)]
pub(crate) struct Transport {
    pub(crate) http: reqwest::Client,
    pub(crate) config: Config,
    headers: HeaderMap,
}

impl Transport {
    pub(crate) fn new(config: Config, http: reqwest::Client) -> Result<Self, Error> {
        let mut headers = HeaderMap::new();
        let mut auth = crate::config::header_value("Authorization", config.api_key.expose())?;
        auth.set_sensitive(true);
        headers.insert(header::AUTHORIZATION, auth);
        headers.insert(
            header::USER_AGENT,
            HeaderValue::from_static(concat!("everruns-rust-sdk/", env!("CARGO_PKG_VERSION"))),
        );
        headers.insert(
            "x-sdk-version",
            HeaderValue::from_static(env!("CARGO_PKG_VERSION")),
        );
        headers.insert(header::ACCEPT, HeaderValue::from_static("application/json"));
        if let Some(org) = &config.org_id {
            headers.insert(X_ORG_ID, crate::config::header_value("X-Org-Id", org)?);
        }
        for (name, value) in &config.default_headers {
            headers.insert(name.clone(), value.clone());
        }
        Ok(Self {
            http,
            config,
            headers,
        })
    }

    /// The URL of `path` (`/v1/...`, already encoded per segment) under the base URL.
    ///
    /// The base was parsed and checked once, when the client was built; here only the
    /// path is set on a clone of it, so the scheme and host (IDNA included) are never
    /// parsed again. The base path ends with `/`, so its prefix is kept.
    fn url(&self, path: &str, query: &[(&str, String)]) -> Url {
        let base = &self.config.base_url;
        let mut full = String::with_capacity(base.path().len() + path.len());
        full.push_str(base.path());
        full.push_str(path.trim_start_matches('/'));
        let mut url = base.clone();
        url.set_path(&full);
        if !query.is_empty() {
            url.query_pairs_mut()
                .extend_pairs(query.iter().map(|(k, v)| (*k, v.as_str())));
        }
        url
    }

    /// The reqwest request of one hop: the prebuilt default headers (cloned, never
    /// rebuilt), the body (a cheap `Bytes` clone) and the request's own headers.
    fn build(&self, request: &Request, hop: &Hop) -> reqwest::Request {
        let mut out = reqwest::Request::new(hop.method.clone(), hop.url.clone());
        let mut headers = self.headers.clone();
        let body = match &request.body {
            Body::Empty => None,
            Body::Json(bytes) => Some((HeaderValue::from_static("application/json"), bytes)),
            Body::Raw(kind, bytes) => Some((kind.clone(), bytes)),
        };
        for (name, value) in &request.headers {
            headers.insert(name.clone(), value.clone());
        }
        if let (Some((kind, bytes)), false) = (body, hop.drop_body) {
            headers.insert(header::CONTENT_TYPE, kind);
            *out.body_mut() = Some(bytes.clone().into());
        } else if hop.drop_body {
            headers.remove(header::CONTENT_TYPE);
            headers.remove(header::CONTENT_LENGTH);
        }
        if hop.drop_credentials {
            headers.remove(header::AUTHORIZATION);
            headers.remove(X_ORG_ID);
            headers.remove(header::COOKIE);
        }
        *out.headers_mut() = headers;
        out
    }

    /// Send `request`, retrying what is safe to retry; return the read 2xx answer.
    pub(crate) async fn send(&self, request: &Request) -> Result<Response, Error> {
        let url = self.url(&request.path, &request.query);
        let idempotent = request.idempotent || retry::is_idempotent(&request.method);
        let mut attempt: u32 = 0;
        loop {
            let span = tracing::debug_span!("everruns.request", method = %request.method, path = %request.path, attempt = attempt + 1);
            let error = match self.attempt(request, &url).instrument(span.clone()).await {
                Ok(response) => return Ok(response),
                Err(error) => error,
            };
            let can_retry = attempt < self.config.max_retries;
            let delay = match &error {
                Attempt::Transport(e) if can_retry && retry::error_is_retryable(idempotent, e) => {
                    retry::backoff_delay(attempt)
                }
                Attempt::Timeout(_) if can_retry && idempotent => retry::backoff_delay(attempt),
                Attempt::Status(err) => {
                    let retry_after = err.api_error().and_then(|e| e.retry_after());
                    let status = err.status().unwrap_or(0);
                    if !can_retry
                        || !retry::status_is_retryable(idempotent, status, retry_after)
                        || retry_after.is_some_and(|d| d > retry::MAX_RETRY_AFTER)
                    {
                        return Err(error.into_error());
                    }
                    retry_after.unwrap_or_else(|| retry::backoff_delay(attempt))
                }
                _ => return Err(error.into_error()),
            };
            span.in_scope(|| tracing::debug!(delay_ms = delay.as_millis() as u64, "retrying"));
            attempt += 1;
            tokio::time::sleep(delay).await;
        }
    }

    async fn attempt(&self, request: &Request, url: &Url) -> Result<Response, Attempt> {
        let started = Instant::now();
        let response = tokio::time::timeout(self.config.timeout, async {
            let mut response = self.follow_redirects(request, url).await?;
            let status = response.status();
            // Taken, not cloned: reading the body needs only the body.
            let headers = std::mem::take(response.headers_mut());
            let body = response.bytes().await.map_err(Attempt::Transport)?;
            Ok::<_, Attempt>((status, headers, body))
        })
        .await
        .map_err(|_| Attempt::Timeout(self.config.timeout))??;
        let (status, headers, body) = response;
        log_response(status, &headers, started);
        if status.is_success() {
            return Ok(Response {
                status: status.as_u16(),
                headers,
                body,
            });
        }
        Err(Attempt::Status(self.api_error(status, &headers, &body)))
    }

    fn api_error(&self, status: StatusCode, headers: &HeaderMap, body: &[u8]) -> Error {
        let text = |name: &str| headers.get(name).and_then(|v| v.to_str().ok());
        error_from_response(&ErrorResponse {
            status: status.as_u16(),
            reason: status.canonical_reason(),
            content_type: text("content-type").unwrap_or(""),
            request_id: text(X_REQUEST_ID),
            retry_after_header: text("retry-after").and_then(retry::parse_retry_after),
            body,
            redact: self.config.api_key.expose(),
        })
    }

    /// Send, following redirects here so that a hop to another origin never carries the
    /// `Authorization` or `X-Org-Id` headers. (The client is built with
    /// `redirect::Policy::none()`; reqwest's default policy would keep `X-Org-Id`.)
    ///
    /// Each hop is built from `request` (whose body is cheap to clone), so the common
    /// case, no redirect, never copies a request it will not need.
    async fn follow_redirects(
        &self,
        request: &Request,
        url: &Url,
    ) -> Result<reqwest::Response, Attempt> {
        let mut hop = Hop {
            method: request.method.clone(),
            url: url.clone(),
            drop_credentials: false,
            drop_body: false,
        };
        for _ in 0..=MAX_REDIRECTS {
            let response = self
                .http
                .execute(self.build(request, &hop))
                .await
                .map_err(Attempt::Transport)?;
            let status = response.status();
            if !status.is_redirection() {
                return Ok(response);
            }
            let Some(location) = response
                .headers()
                .get(header::LOCATION)
                .and_then(|v| v.to_str().ok())
            else {
                return Ok(response);
            };
            let next = hop.url.join(location).map_err(|e| {
                Attempt::Other(Error::connection(format!("bad redirect location: {e}")))
            })?;
            hop = hop.redirected(status, next);
        }
        Err(Attempt::Other(Error::connection(format!(
            "too many redirects (more than {MAX_REDIRECTS})"
        ))))
    }

    /// Open the event stream at `path` (no retries: the stream owns reconnection).
    /// Returns the 2xx response with its body unread; any other status is its error.
    pub(crate) async fn open_stream(
        &self,
        path: &str,
        query: &[(&str, String)],
    ) -> Result<reqwest::Response, Error> {
        let url = self.url(path, query);
        let mut request = Request::new(Method::GET, path.to_owned());
        request.headers.push((
            header::ACCEPT,
            HeaderValue::from_static("text/event-stream"),
        ));
        request
            .headers
            .push((header::CACHE_CONTROL, HeaderValue::from_static("no-cache")));
        let started = Instant::now();
        let span = tracing::debug_span!("everruns.stream", path = %path);
        async {
            let response =
                tokio::time::timeout(self.config.timeout, self.follow_redirects(&request, &url))
                    .await
                    .map_err(|_| Attempt::Timeout(self.config.timeout).into_error())?
                    .map_err(Attempt::into_error)?;
            let status = response.status();
            log_response(status, response.headers(), started);
            if status.is_success() {
                return Ok(response);
            }
            let headers = response.headers().clone();
            let body = tokio::time::timeout(self.config.timeout, response.bytes())
                .await
                .map_err(|_| Attempt::Timeout(self.config.timeout).into_error())?
                .map_err(|e| Attempt::Transport(e).into_error())?;
            Err(self.api_error(status, &headers, &body))
        }
        .instrument(span)
        .await
    }
}

/// Where one hop of a request goes, and what it no longer carries.
struct Hop {
    method: Method,
    url: Url,
    /// Set once a hop left the original origin; stays set for every later hop.
    drop_credentials: bool,
    /// Set once a redirect turned the request into a GET.
    drop_body: bool,
}

impl Hop {
    /// The next hop of a redirect: 303 becomes GET, 301/302 turn a POST into GET (as
    /// browsers do), 307/308 repeat the request as it was; credentials are dropped when
    /// the origin changes.
    fn redirected(self, status: StatusCode, next: Url) -> Hop {
        let same_origin = self.url.origin() == next.origin();
        let to_get = (status == StatusCode::SEE_OTHER && self.method != Method::HEAD)
            || (matches!(status.as_u16(), 301 | 302) && self.method == Method::POST);
        Hop {
            method: if to_get { Method::GET } else { self.method },
            url: next,
            drop_credentials: self.drop_credentials || !same_origin,
            drop_body: self.drop_body || to_get,
        }
    }
}

fn log_response(status: StatusCode, headers: &HeaderMap, started: Instant) {
    tracing::debug!(
        status = status.as_u16(),
        elapsed_ms = started.elapsed().as_secs_f64() * 1000.0,
        request_id = headers
            .get(X_REQUEST_ID)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("-"),
        "response"
    );
}

/// How one attempt failed, before the retry decision.
enum Attempt {
    Transport(reqwest::Error),
    Timeout(Duration),
    Status(Error),
    Other(Error),
}

impl Attempt {
    fn into_error(self) -> Error {
        match self {
            Attempt::Transport(e) => transport_error(e),
            Attempt::Timeout(d) => Error::Timeout(format!("no answer within {d:?}")),
            Attempt::Status(e) | Attempt::Other(e) => e,
        }
    }
}

impl From<Attempt> for Error {
    fn from(value: Attempt) -> Self {
        value.into_error()
    }
}

/// A reqwest error as ours: the message lists the causes (never the key: it is only
/// ever in a header, and URLs never carry it).
pub(crate) fn transport_error(error: reqwest::Error) -> Error {
    let mut message = error.to_string();
    let mut source = std::error::Error::source(&error);
    while let Some(cause) = source {
        message.push_str(": ");
        message.push_str(&cause.to_string());
        source = cause.source();
    }
    if error.is_timeout() {
        return Error::Timeout(message);
    }
    Error::Connection {
        message,
        source: Some(Box::new(error)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::secret::ApiKey;

    fn transport(base: &str) -> Transport {
        let config = Config {
            api_key: ApiKey::new("evr_test"),
            base_url: crate::config::parse_base_url(base).unwrap(),
            org_id: None,
            timeout: Duration::from_secs(1),
            max_retries: 0,
            default_headers: Vec::new(),
        };
        Transport::new(config, reqwest::Client::new()).unwrap()
    }

    #[test]
    fn urls_keep_the_base_path_and_the_encoded_segments() {
        let t = transport("http://h:9/api");
        let path = format!(
            "/v1/agents/{}",
            crate::paths::segment("id", "a/b?c#d%e").unwrap()
        );
        assert_eq!(
            t.url(&path, &[]).as_str(),
            "http://h:9/api/v1/agents/a%2Fb%3Fc%23d%25e"
        );
        let query = [("limit", "5".to_owned()), ("q", "a b&c".to_owned())];
        assert_eq!(
            t.url("/v1/agents", &query).as_str(),
            "http://h:9/api/v1/agents?limit=5&q=a+b%26c"
        );
        let root = transport("https://bücher.example");
        assert_eq!(
            root.url("/v1/x", &[]).as_str(),
            "https://xn--bcher-kva.example/v1/x"
        );
    }

    #[test]
    fn a_cross_origin_hop_drops_credentials_for_good() {
        let url = |u: &str| Url::parse(u).unwrap();
        let hop = Hop {
            method: Method::POST,
            url: url("http://a/x"),
            drop_credentials: false,
            drop_body: false,
        };
        let kept = hop.redirected(StatusCode::TEMPORARY_REDIRECT, url("http://a/y"));
        assert!(!kept.drop_credentials && !kept.drop_body && kept.method == Method::POST);
        let away = kept.redirected(StatusCode::FOUND, url("http://b/z"));
        assert!(away.drop_credentials && away.drop_body && away.method == Method::GET);
        let back = away.redirected(StatusCode::PERMANENT_REDIRECT, url("http://a/x"));
        assert!(back.drop_credentials && back.drop_body);
    }
}
