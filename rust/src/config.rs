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
