//! Client configuration: environment fallbacks, base-URL checks, header values.

use std::time::Duration;

use reqwest::header::{HeaderName, HeaderValue};
use reqwest::Url;

use crate::secret::ApiKey;
use crate::Error;

/// The production API.
pub const DEFAULT_BASE_URL: &str = "https://app.everruns.com/api";
/// Timeout of one request attempt, unless set otherwise.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(30);
/// Retries of a failed request, unless set otherwise.
pub const DEFAULT_MAX_RETRIES: u32 = 3;

/// Environment variable holding the API key.
pub const ENV_API_KEY: &str = "EVERRUNS_API_KEY";
/// Environment variable holding the base URL.
pub const ENV_API_URL: &str = "EVERRUNS_API_URL";
/// Environment variable holding the organization ID.
pub const ENV_ORG_ID: &str = "EVERRUNS_ORG_ID";

/// Everything the request pipeline needs, resolved once by the builder.
#[derive(Clone, Debug)]
pub(crate) struct Config {
    pub(crate) api_key: ApiKey,
    /// The base URL with a trailing slash, so that joining `v1/...` keeps its prefix.
    pub(crate) base_url: Url,
    pub(crate) org_id: Option<String>,
    pub(crate) timeout: Duration,
    pub(crate) max_retries: u32,
    pub(crate) default_headers: Vec<(HeaderName, HeaderValue)>,
}

/// The value of environment variable `name`, if set and not empty.
pub(crate) fn env(name: &str) -> Option<String> {
    std::env::var(name).ok().filter(|v| !v.is_empty())
}

/// Parse and check a base URL: absolute http(s), no query or fragment. The path gets a
/// trailing slash so that `/api` and `/api/` both keep the prefix when joined.
pub(crate) fn parse_base_url(url: &str) -> Result<Url, Error> {
    let text = url.trim();
    let mut parsed = Url::parse(text)
        .map_err(|e| Error::Validation(format!("base URL {text:?} is not a valid URL ({e})")))?;
    if !matches!(parsed.scheme(), "http" | "https") || parsed.host_str().is_none() {
        return Err(Error::Validation(format!(
            "base URL must be an absolute http(s) URL, got {text:?}"
        )));
    }
    if parsed.query().is_some() || parsed.fragment().is_some() {
        return Err(Error::Validation(
            "base URL must not contain a query string or fragment".into(),
        ));
    }
    let path = parsed.path().trim_end_matches('/').to_owned();
    parsed.set_path(&format!("{path}/"));
    Ok(parsed)
}

/// A header value, with CR, LF and NUL rejected (header injection). The error names the
/// header only, never the value (it may be the key).
pub(crate) fn header_value(name: &str, value: &str) -> Result<HeaderValue, Error> {
    if value.bytes().any(|b| matches!(b, b'\r' | b'\n' | 0)) {
        return Err(Error::Validation(format!(
            "header {name:?} contains a forbidden control character"
        )));
    }
    HeaderValue::from_str(value)
        .map_err(|_| Error::Validation(format!("header {name:?} has an invalid value")))
}

/// What [`Everruns::with_options`](crate::Everruns::with_options) changes; whatever is not set stays as it is.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ClientOptions {
    pub(crate) timeout: Option<Duration>,
    pub(crate) max_retries: Option<u32>,
    pub(crate) base_url: Option<String>,
    pub(crate) headers: Vec<(String, String)>,
    pub(crate) clear_headers: bool,
}

impl ClientOptions {
    /// Nothing changed yet.
    pub fn new() -> Self {
        Self::default()
    }
    /// Timeout of one attempt of one request (the pool's connect timeout stays).
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = Some(timeout);
        self
    }
    /// Retries of a failed request, where retrying is safe.
    pub fn max_retries(mut self, retries: u32) -> Self {
        self.max_retries = Some(retries);
        self
    }
    /// Another base URL, with any path prefix (credentials go there too).
    pub fn base_url(mut self, url: impl Into<String>) -> Self {
        self.base_url = Some(url.into());
        self
    }
    /// A header sent with every request, replacing one of the same name (not
    /// `Authorization` or `X-Org-Id`).
    pub fn default_header(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.headers.push((name.into(), value.into()));
        self
    }
    /// Drop the default headers of the client this one derives from (those given with
    /// [`ClientOptions::default_header`] are still sent).
    pub fn clear_default_headers(mut self) -> Self {
        self.clear_headers = true;
        self
    }
}

/// Default headers checked: valid names and values, never the credentials' headers.
pub(crate) fn checked_headers(
    headers: &[(String, String)],
) -> Result<Vec<(HeaderName, HeaderValue)>, Error> {
    let mut checked = Vec::with_capacity(headers.len());
    for (name, value) in headers {
        let header = HeaderName::from_bytes(name.as_bytes())
            .map_err(|_| Error::Validation(format!("{name:?} is not a valid header name")))?;
        if header == reqwest::header::AUTHORIZATION || header.as_str() == "x-org-id" {
            return Err(Error::Validation(format!(
                "default_header must not set {name:?}: use api_key() and org()"
            )));
        }
        checked.push((header, header_value(name, value)?));
    }
    Ok(checked)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base_url_keeps_its_prefix_with_or_without_slash() {
        for url in ["http://h:9/api", "http://h:9/api/", " http://h:9/api// "] {
            let base = parse_base_url(url).unwrap();
            assert_eq!(
                base.join("v1/agents").unwrap().as_str(),
                "http://h:9/api/v1/agents"
            );
        }
        let root = parse_base_url("https://h").unwrap();
        assert_eq!(root.join("v1/x").unwrap().as_str(), "https://h/v1/x");
    }

    #[test]
    fn bad_base_urls_are_rejected() {
        for url in [
            "ftp://h/api",
            "not a url",
            "http://h/api?x=1",
            "http://h/api#f",
            "/api",
        ] {
            assert!(
                matches!(parse_base_url(url), Err(Error::Validation(_))),
                "{url}"
            );
        }
    }

    #[test]
    fn header_values_with_cr_lf_nul_are_rejected() {
        for value in ["a\rb", "a\nb", "a\0b"] {
            let err = header_value("X-Org-Id", value).unwrap_err();
            assert!(!err.to_string().contains(value));
        }
        assert!(header_value("X-Org-Id", "org_1").is_ok());
    }
}
