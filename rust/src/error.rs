//! The one error type of the SDK, and how an error response becomes one of its variants.

use std::fmt;
use std::time::Duration;

use serde_json::Value;

/// Messages read from an error body are cut to this many characters.
const MAX_MESSAGE_CHARS: usize = 300;
/// An error body kept in [`ApiError::body`] is cut to this many bytes when it is text.
const MAX_BODY_CHARS: usize = 64 * 1024;

/// The details of an error answer from the server (any status of 400 or more).
///
/// Boxed inside, so that [`Error`] stays small on the happy path.
#[derive(Clone, PartialEq)]
pub struct ApiError(Box<Details>);

#[derive(Clone, Debug, PartialEq)]
struct Details {
    status: u16,
    code: Option<String>,
    message: String,
    request_id: Option<String>,
    body: Option<Value>,
    retry_after: Option<Duration>,
}

impl ApiError {
    /// The HTTP status.
    pub fn status(&self) -> u16 {
        self.0.status
    }
    /// The stable snake_case error code of the body (`not_found`), if any.
    pub fn code(&self) -> Option<&str> {
        self.0.code.as_deref()
    }
    /// A short, human-readable message (`HTTP 502` for an HTML page from a proxy).
    pub fn message(&self) -> &str {
        &self.0.message
    }
    /// The `X-Request-Id` of the response, for support requests.
    pub fn request_id(&self) -> Option<&str> {
        self.0.request_id.as_deref()
    }
    /// The parsed JSON body, or the body text (cut to 64 KiB) when it is not JSON.
    pub fn body(&self) -> Option<&Value> {
        self.0.body.as_ref()
    }
    /// How long the server asked to wait (`Retry-After` or `retry_after_seconds`).
    pub fn retry_after(&self) -> Option<Duration> {
        self.0.retry_after
    }
}

impl ApiError {
    /// An error the SDK concludes itself (no response): `status` as the server would say.
    pub(crate) fn synthetic(status: u16, code: &str, message: String) -> Self {
        ApiError(Box::new(Details {
            status,
            code: Some(code.to_owned()),
            message,
            request_id: None,
            body: None,
            retry_after: None,
        }))
    }
}

impl fmt::Debug for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ApiError")
            .field("status", &self.0.status)
            .field("code", &self.0.code)
            .field("message", &self.0.message)
            .field("request_id", &self.0.request_id)
            .finish_non_exhaustive()
    }
}

impl fmt::Display for ApiError {
    /// One line: `HTTP 404 not_found: Agent not found (request id req_1)`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let d = &self.0;
        let mut head = format!("HTTP {}", d.status);
        if let Some(code) = &d.code {
            head.push(' ');
            head.push_str(code);
        }
        if d.message.starts_with(&head) {
            head.clone_from(&d.message);
        } else if !d.message.is_empty() && !head.starts_with(&d.message) {
            head.push_str(": ");
            head.push_str(&d.message);
        }
        f.write_str(&head)?;
        if let Some(id) = &d.request_id {
            write!(f, " (request id {id})")?;
        }
        Ok(())
    }
}

/// Every error the SDK returns.
///
/// Answers of the server map to a variant per status (`Authentication` for 401, ...,
/// `Api` for a status without a variant of its own); `Connection` and `Timeout` mean no
/// usable answer came; `Validation` is raised before anything is sent; `Decode` is a
/// 2xx body that does not parse; `Stream` is an event stream that could not go on.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// 400: the request was malformed or failed validation.
    #[error("{0}")]
    BadRequest(ApiError),
    /// 401: the API key is missing, wrong or revoked.
    #[error("{0}")]
    Authentication(ApiError),
    /// 403: the key is valid but may not do this.
    #[error("{0}")]
    PermissionDenied(ApiError),
    /// 404: no such resource (or not visible to this organization).
    #[error("{0}")]
    NotFound(ApiError),
    /// 409: the resource's state does not allow this.
    #[error("{0}")]
    Conflict(ApiError),
    /// 422: well-formed, but breaks a business rule.
    #[error("{0}")]
    Unprocessable(ApiError),
    /// 429: too many requests.
    #[error("{error}")]
    RateLimit {
        /// How long the server asked to wait, if it said.
        retry_after: Option<Duration>,
        /// The details of the answer.
        error: ApiError,
    },
    /// 5xx: the server failed.
    #[error("{0}")]
    Server(ApiError),
    /// Any other error status.
    #[error("{}", error_line(*.status, code.as_deref(), message, request_id.as_deref()))]
    Api {
        /// The HTTP status.
        status: u16,
        /// The error code of the body, if any.
        code: Option<String>,
        /// A short message.
        message: String,
        /// The `X-Request-Id` of the response.
        request_id: Option<String>,
        /// The details, with the parsed body.
        error: ApiError,
    },
    /// No HTTP answer: DNS, refused, reset, TLS, too many redirects.
    #[error("connection failed: {message}")]
    Connection {
        /// What went wrong.
        message: String,
        /// The underlying error, when there is one.
        #[source]
        source: Option<Box<dyn std::error::Error + Send + Sync>>,
    },
    /// The request (or a silent event stream) timed out.
    #[error("timed out: {0}")]
    Timeout(String),
    /// An argument was rejected before any request was sent.
    #[error("invalid argument: {0}")]
    Validation(String),
    /// A successful response whose body is not what the API promises.
    #[error("unexpected response body: {message}")]
    Decode {
        /// What did not parse, and where.
        message: String,
        /// The HTTP status of the response.
        status: u16,
        /// The `X-Request-Id` of the response.
        request_id: Option<String>,
    },
    /// A turn followed with `raise_on_failure` failed.
    #[error("the turn failed: {}", .0.error.as_deref().unwrap_or("no reason given"))]
    TurnFailed(Box<crate::turns::TurnResult>),
    /// The event stream could not go on: retries exhausted, a frame over the size limit.
    #[error("event stream: {message}")]
    Stream {
        /// What happened.
        message: String,
        /// Consecutive failed connection attempts, when retries ran out.
        attempts: Option<u32>,
        /// The last cause.
        #[source]
        source: Option<Box<Error>>,
    },
}

fn error_line(status: u16, code: Option<&str>, message: &str, request_id: Option<&str>) -> String {
    ApiError(Box::new(Details {
        status,
        code: code.map(str::to_owned),
        message: message.to_owned(),
        request_id: request_id.map(str::to_owned),
        body: None,
        retry_after: None,
    }))
    .to_string()
}

impl Error {
    /// The HTTP status of an error answer, or of a 2xx that did not parse.
    pub fn status(&self) -> Option<u16> {
        match self {
            Error::Decode { status, .. } => Some(*status),
            _ => self.api_error().map(ApiError::status),
        }
    }

    /// The `X-Request-Id` of the response, when there was one.
    pub fn request_id(&self) -> Option<&str> {
        match self {
            Error::Decode { request_id, .. } => request_id.as_deref(),
            _ => self.api_error().and_then(ApiError::request_id),
        }
    }

    /// The details of an error answer (every status variant has them).
    pub fn api_error(&self) -> Option<&ApiError> {
        match self {
            Error::BadRequest(e)
            | Error::Authentication(e)
            | Error::PermissionDenied(e)
            | Error::NotFound(e)
            | Error::Conflict(e)
            | Error::Unprocessable(e)
            | Error::Server(e) => Some(e),
            Error::RateLimit { error, .. } | Error::Api { error, .. } => Some(error),
            _ => None,
        }
    }

    /// Whether trying again later may succeed: connection failures, timeouts, 408, 429
    /// and 5xx. (The SDK already retried what was safe to retry.)
    pub fn is_retryable(&self) -> bool {
        match self {
            Error::Connection { .. } | Error::Timeout(_) => true,
            _ => {
                matches!(self.status(), Some(408 | 429 | 500..=599))
                    && !matches!(self, Error::Decode { .. })
            }
        }
    }

    pub(crate) fn connection(message: impl Into<String>) -> Self {
        Error::Connection {
            message: message.into(),
            source: None,
        }
    }

    pub(crate) fn stream(message: impl Into<String>) -> Self {
        Error::Stream {
            message: message.into(),
            attempts: None,
            source: None,
        }
    }

    /// The variant for an error status.
    pub(crate) fn from_api(error: ApiError) -> Self {
        match error.status() {
            400 => Error::BadRequest(error),
            401 => Error::Authentication(error),
            403 => Error::PermissionDenied(error),
            404 => Error::NotFound(error),
            409 => Error::Conflict(error),
            422 => Error::Unprocessable(error),
            429 => Error::RateLimit {
                retry_after: error.retry_after(),
                error,
            },
            500..=599 => Error::Server(error),
            status => Error::Api {
                status,
                code: error.0.code.clone(),
                message: error.0.message.clone(),
                request_id: error.0.request_id.clone(),
                error,
            },
        }
    }
}

/// What an error response said, before it becomes an [`Error`].
pub(crate) struct ErrorResponse<'a> {
    pub status: u16,
    pub reason: Option<&'a str>,
    pub content_type: &'a str,
    pub request_id: Option<&'a str>,
    pub retry_after_header: Option<Duration>,
    pub body: &'a [u8],
    /// Secrets a hostile server might echo back; replaced by `****` everywhere.
    pub redact: &'a str,
}

/// The typed error for an error answer: RFC 9457 problem details, the legacy
/// `{"error": {...}}` shape, plain text or an HTML page (then only `HTTP <status>`).
pub(crate) fn error_from_response(r: &ErrorResponse<'_>) -> Error {
    let scrub = |text: &str| {
        if r.redact.is_empty() {
            text.to_owned()
        } else {
            text.replace(r.redact, "****")
        }
    };
    let text = scrub(&String::from_utf8_lossy(r.body));
    let mut code = None;
    let mut retry_body = None;
    let mut body = None;
    let message = if text.trim().is_empty() {
        match r.reason.filter(|s| !s.is_empty()) {
            Some(reason) => format!("HTTP {} {}", r.status, shorten(&scrub(reason))),
            None => format!("HTTP {}", r.status),
        }
    } else if looks_like_html(&text, r.content_type) {
        body = Some(Value::String(cut(&text, MAX_BODY_CHARS)));
        format!("HTTP {}", r.status)
    } else {
        match serde_json::from_str::<Value>(&text) {
            Ok(parsed) => {
                let (m, c, retry) = describe_json(r.status, &parsed);
                code = c;
                retry_body = retry;
                body = Some(parsed);
                m
            }
            Err(_) => {
                body = Some(Value::String(cut(&text, MAX_BODY_CHARS)));
                shorten(&text)
            }
        }
    };
    Error::from_api(ApiError(Box::new(Details {
        status: r.status,
        code,
        message,
        request_id: r.request_id.map(scrub),
        body,
        retry_after: r.retry_after_header.or(retry_body),
    })))
}

fn looks_like_html(text: &str, content_type: &str) -> bool {
    content_type.to_ascii_lowercase().contains("html")
        || text
            .trim_start()
            .trim_start_matches('\u{feff}')
            .trim_start()
            .starts_with('<')
}

fn str_field<'a>(value: &'a Value, key: &str) -> Option<&'a str> {
    value
        .get(key)
        .and_then(Value::as_str)
        .filter(|s| !s.is_empty())
}

/// (message, code, retry after) from a problem-details or legacy error body.
fn describe_json(status: u16, data: &Value) -> (String, Option<String>, Option<Duration>) {
    let fallback = || format!("HTTP {status}");
    if !data.is_object() {
        return (fallback(), None, None);
    }
    let code = |v: &Value| str_field(v, "code").map(str::to_owned);
    match data.get("error") {
        Some(legacy @ Value::Object(_)) => {
            let message = str_field(legacy, "message").or_else(|| str_field(legacy, "detail"));
            return (
                shorten(&message.map_or_else(fallback, str::to_owned)),
                code(legacy),
                None,
            );
        }
        Some(Value::String(s)) if !s.is_empty() => return (shorten(s), code(data), None),
        _ => {}
    }
    let message = str_field(data, "detail")
        .or_else(|| str_field(data, "message"))
        .or_else(|| str_field(data, "title"))
        .map_or_else(fallback, str::to_owned);
    let retry = data
        .get("retry_after_seconds")
        .and_then(Value::as_f64)
        .filter(|s| s.is_finite() && *s >= 0.0)
        .map(Duration::from_secs_f64);
    (shorten(&message), code(data), retry)
}

/// Whitespace collapsed, cut to 300 characters with an ellipsis.
fn shorten(text: &str) -> String {
    let joined = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if joined.chars().count() <= MAX_MESSAGE_CHARS {
        return joined;
    }
    let mut out: String = joined.chars().take(MAX_MESSAGE_CHARS - 1).collect();
    out.push('\u{2026}');
    out
}

fn cut(text: &str, max_bytes: usize) -> String {
    if text.len() <= max_bytes {
        return text.to_owned();
    }
    let mut end = max_bytes;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    text[..end].to_owned()
}

#[cfg(test)]
mod tests;
