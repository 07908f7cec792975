use super::*;

fn response(status: u16, content_type: &str, body: &str) -> Error {
    error_from_response(&ErrorResponse {
        status,
        reason: Some("Reason"),
        content_type,
        request_id: Some("req_1"),
        retry_after_header: None,
        body: body.as_bytes(),
        redact: "evr_secret",
    })
}

#[test]
fn problem_details_are_read() {
    let body = r#"{"title":"Not Found","status":404,"detail":"Agent agent_1 not found","code":"not_found"}"#;
    let err = response(404, "application/problem+json", body);
    assert!(matches!(err, Error::NotFound(_)));
    assert_eq!(
        err.to_string(),
        "HTTP 404 not_found: Agent agent_1 not found (request id req_1)"
    );
    assert_eq!(err.status(), Some(404));
    assert_eq!(err.request_id(), Some("req_1"));
    assert!(!err.is_retryable());
}

#[test]
fn legacy_bodies_are_read() {
    let err = response(
        409,
        "application/json",
        r#"{"error":{"code":"busy","message":"Session busy"}}"#,
    );
    assert!(matches!(err, Error::Conflict(_)));
    assert_eq!(err.api_error().unwrap().code(), Some("busy"));
    assert_eq!(err.api_error().unwrap().message(), "Session busy");
}

#[test]
fn html_pages_become_a_short_message() {
    let err = response(
        502,
        "text/html",
        "<html><body>Bad gateway from nginx</body></html>",
    );
    assert!(matches!(err, Error::Server(_)));
    assert_eq!(err.to_string(), "HTTP 502 (request id req_1)");
    let err = response(503, "", "\u{feff}  <!DOCTYPE html><p>down</p>");
    assert_eq!(err.api_error().unwrap().message(), "HTTP 503");
    assert!(err.is_retryable());
}

#[test]
fn empty_and_text_bodies() {
    assert_eq!(
        response(500, "", "").api_error().unwrap().message(),
        "HTTP 500 Reason"
    );
    let err = response(418, "text/plain", "  short   and\nplain ");
    match &err {
        Error::Api {
            status, message, ..
        } => {
            assert_eq!(*status, 418);
            assert_eq!(message, "short and plain");
        }
        other => panic!("{other:?}"),
    }
    let long = "x".repeat(1000);
    assert_eq!(
        response(400, "", &long)
            .api_error()
            .unwrap()
            .message()
            .chars()
            .count(),
        300
    );
}

#[test]
fn rate_limit_reads_retry_after_from_the_body() {
    let err = response(
        429,
        "application/problem+json",
        r#"{"title":"Slow down","retry_after_seconds":2.5}"#,
    );
    match err {
        Error::RateLimit { retry_after, .. } => {
            assert_eq!(retry_after, Some(Duration::from_millis(2500)))
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn a_secret_echoed_by_the_server_is_scrubbed() {
    let err = response(
        400,
        "application/json",
        r#"{"detail":"bad key evr_secret"}"#,
    );
    assert!(!format!("{err} {err:?}").contains("evr_secret"));
    assert!(
        !serde_json::to_string(err.api_error().unwrap().body().unwrap())
            .unwrap()
            .contains("evr_secret")
    );
}

#[test]
fn errors_are_send_sync_static() {
    fn check<T: std::error::Error + Send + Sync + 'static>() {}
    check::<Error>();
    assert!(
        std::mem::size_of::<Error>() <= 128,
        "{}",
        std::mem::size_of::<Error>()
    );
}
