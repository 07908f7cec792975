//! Retry policy: which failures may be retried for which methods, and how long to wait.
//!
//! The same rules as the Python and TypeScript SDKs: GET, HEAD, OPTIONS, PUT and DELETE
//! are harmless to repeat; POST and PATCH may already have taken effect, so after an
//! answer they are retried only on 429 or on 503 with `Retry-After`, and after a
//! connection error only when the connection was never made.

use std::time::{Duration, SystemTime};

use reqwest::Method;

/// First backoff delay; doubles each retry.
const INITIAL_DELAY: Duration = Duration::from_millis(500);
/// Backoff cap.
const MAX_DELAY: Duration = Duration::from_secs(30);
/// A `Retry-After` longer than this is not waited for: the error is returned instead.
pub(crate) const MAX_RETRY_AFTER: Duration = Duration::from_secs(60);

/// Whether `method` may be sent twice without a double effect.
pub(crate) fn is_idempotent(method: &Method) -> bool {
    matches!(
        method.as_str(),
        "GET" | "HEAD" | "OPTIONS" | "PUT" | "DELETE"
    )
}

/// Whether an error status may be retried for `method`.
pub(crate) fn status_is_retryable(
    idempotent: bool,
    status: u16,
    retry_after: Option<Duration>,
) -> bool {
    if !matches!(status, 408 | 429 | 500 | 502 | 503 | 504) {
        return false;
    }
    idempotent || status == 429 || (status == 503 && retry_after.is_some())
}

/// Whether a transport error may be retried: a connect failure never reached the server,
/// so any method may; anything else only when the method is idempotent.
pub(crate) fn error_is_retryable(idempotent: bool, error: &reqwest::Error) -> bool {
    error.is_connect() || idempotent
}

/// Exponential backoff with jitter for retry number `attempt` (0-based): 0.5 s, 1 s,
/// 2 s, ... capped at 30 s, each times a random factor in [0.75, 1].
pub(crate) fn backoff_delay(attempt: u32) -> Duration {
    let base = INITIAL_DELAY
        .saturating_mul(1u32 << attempt.min(16))
        .min(MAX_DELAY);
    base.mul_f64(0.75 + 0.25 * random_unit())
}

/// Seconds to wait from a `Retry-After` header: delta-seconds or an HTTP date (a date in
/// the past means 0).
pub(crate) fn parse_retry_after(value: &str) -> Option<Duration> {
    let value = value.trim();
    if value.is_empty() {
        return None;
    }
    if let Ok(seconds) = value.parse::<f64>() {
        if seconds.is_nan() {
            return None;
        }
        return Some(Duration::try_from_secs_f64(seconds.max(0.0)).unwrap_or(Duration::MAX));
    }
    let when = httpdate::parse_http_date(value).ok()?;
    Some(
        when.duration_since(SystemTime::now())
            .unwrap_or(Duration::ZERO),
    )
}

/// A number in [0, 1) from a small thread-local xorshift generator seeded by the clock
/// and the thread: jitter needs spread, not cryptographic quality.
pub(crate) fn random_unit() -> f64 {
    use std::cell::Cell;
    use std::hash::{BuildHasher, Hasher};
    thread_local! {
        static STATE: Cell<u64> = Cell::new({
            let mut h = std::collections::hash_map::RandomState::new().build_hasher();
            h.write_u128(SystemTime::now().duration_since(SystemTime::UNIX_EPOCH).map_or(0, |d| d.as_nanos()));
            h.finish() | 1
        });
    }
    STATE.with(|state| {
        let mut x = state.get();
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        state.set(x);
        (x >> 11) as f64 / (1u64 << 53) as f64
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn post_is_retried_only_when_the_server_says_so() {
        assert!(status_is_retryable(true, 500, None));
        assert!(status_is_retryable(true, 408, None));
        assert!(!status_is_retryable(false, 500, None));
        assert!(!status_is_retryable(false, 503, None));
        assert!(status_is_retryable(false, 503, Some(Duration::ZERO)));
        assert!(status_is_retryable(false, 429, None));
        assert!(!status_is_retryable(true, 501, None));
        assert!(!status_is_retryable(true, 404, None));
        assert!(is_idempotent(&Method::PUT) && !is_idempotent(&Method::PATCH));
    }

    #[test]
    fn backoff_grows_with_jitter_and_a_cap() {
        for attempt in 0..40 {
            let base = (0.5 * 2f64.powi(attempt.min(16) as i32)).min(30.0);
            let d = backoff_delay(attempt).as_secs_f64();
            assert!(
                d >= base * 0.75 - 1e-9 && d <= base + 1e-9,
                "{attempt}: {d}"
            );
        }
    }

    #[test]
    fn retry_after_seconds_and_dates() {
        assert_eq!(parse_retry_after("2"), Some(Duration::from_secs(2)));
        assert_eq!(parse_retry_after(" 0.5 "), Some(Duration::from_millis(500)));
        assert_eq!(parse_retry_after("-3"), Some(Duration::ZERO));
        assert_eq!(parse_retry_after(""), None);
        assert_eq!(parse_retry_after("soon"), None);
        assert_eq!(
            parse_retry_after("Wed, 21 Oct 2015 07:28:00 GMT"),
            Some(Duration::ZERO)
        );
        let later = httpdate::fmt_http_date(SystemTime::now() + Duration::from_secs(120));
        let d = parse_retry_after(&later).unwrap();
        assert!(d > Duration::from_secs(100) && d <= Duration::from_secs(120));
    }
}
