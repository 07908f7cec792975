//! The request pipeline against the local server's faults and request log: headers,
//! encoding, retries, never a duplicate POST, Retry-After, error bodies, secrecy.

mod common;

use everruns_sdk::{Error, Everruns};
use serde_json::{json, Value};

use common::Server;

fn fast(server: &Server) -> Everruns {
    server.builder().max_retries(2).build().unwrap()
}

async fn requests_to(server: &Server, path: &str) -> Vec<Value> {
    server
        .requests()
        .await
        .into_iter()
        .filter(|r| r["path"] == path)
        .collect()
}

#[tokio::test]
async fn headers_identify_the_sdk_and_never_show_the_key() {
    let server = Server::shared();
    let client = server
        .builder()
        .default_header("X-Trace", "t-1")
        .build()
        .unwrap();
    let agent = client.agents().create("Headers", "p").await.unwrap();
    let log = requests_to(server, &format!("/v1/agents/{}", agent.id)).await;
    assert!(log.is_empty());
    let created = server
        .requests()
        .await
        .into_iter()
        .rev()
        .find(|r| r["path"] == "/v1/agents" && r["method"] == "POST")
        .unwrap();
    let headers = &created["headers"];
    assert_eq!(headers["authorization"], "<api-key>");
    assert_eq!(headers["x-org-id"], server.org_id.as_str());
    assert_eq!(headers["x-trace"], "t-1");
    assert_eq!(
        headers["user-agent"],
        concat!("everruns-rust-sdk/", env!("CARGO_PKG_VERSION"))
    );
    assert_eq!(headers["content-type"], "application/json");
    assert_eq!(created["body"]["name"], "headers");
    assert!(!created.to_string().contains(&server.api_key));
}

#[tokio::test]
async fn path_parameters_are_encoded_per_segment() {
    let server = Server::shared();
    let client = server.client();
    let err = client.agents().get("a/b?c#d").await.unwrap_err();
    assert!(matches!(err, Error::NotFound(_)), "{err:?}");
    let log = server.requests().await;
    assert!(
        log.iter()
            .any(|r| r["raw_path"] == "/v1/agents/a%2Fb%3Fc%23d"),
        "{log:?}"
    );
    assert!(matches!(
        client.agents().get("").await,
        Err(Error::Validation(_))
    ));
}

#[tokio::test]
async fn a_get_is_retried_on_5xx_and_reset_connections() {
    let server = Server::start(&[]);
    let client = fast(&server);
    let agent = client.agents().create("Retried", "p").await.unwrap();
    let path = format!("/v1/agents/{}", agent.id);
    server
        .fault(
            "error",
            json!({"status": 502, "path": path, "method": "GET"}),
        )
        .await;
    server
        .fault("reset_connection", json!({"path": path, "method": "GET"}))
        .await;
    assert_eq!(client.agents().get(&agent.id).await.unwrap().id, agent.id);
    let statuses: Vec<_> = requests_to(&server, &path)
        .await
        .into_iter()
        .map(|r| r["status"].clone())
        .collect();
    assert_eq!(statuses.len(), 3, "{statuses:?}");
    assert_eq!(statuses.last(), Some(&json!(200)));
}

#[tokio::test]
async fn a_post_is_never_sent_twice_after_a_5xx_or_a_reset() {
    let server = Server::start(&[]);
    let client = fast(&server);
    let session = client
        .sessions()
        .create_with(Default::default())
        .await
        .unwrap();
    let path = format!("/v1/sessions/{}/messages", session.id);
    server
        .fault(
            "error",
            json!({"status": 500, "path": path, "method": "POST"}),
        )
        .await;
    let err = client
        .messages()
        .create(&session.id, "once")
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Server(_)), "{err:?}");
    assert!(err.is_retryable());
    server
        .fault("reset_connection", json!({"path": path, "method": "POST"}))
        .await;
    let err = client
        .messages()
        .create(&session.id, "once")
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Connection { .. }), "{err:?}");
    assert_eq!(
        requests_to(&server, &path).await.len(),
        2,
        "one attempt each"
    );
}

#[tokio::test]
async fn a_post_is_retried_on_429_and_on_503_with_retry_after() {
    let server = Server::start(&[]);
    let client = fast(&server);
    let session = client
        .sessions()
        .create_with(Default::default())
        .await
        .unwrap();
    let path = format!("/v1/sessions/{}/messages", session.id);
    server
        .fault("rate_limit", json!({"path": path, "retry_after": 0.05}))
        .await;
    server
        .fault(
            "error",
            json!({"status": 503, "path": path, "retry_after": 0.05}),
        )
        .await;
    client
        .messages()
        .create(&session.id, "after waiting")
        .await
        .unwrap();
    let statuses: Vec<_> = requests_to(&server, &path)
        .await
        .into_iter()
        .map(|r| r["status"].clone())
        .collect();
    assert_eq!(statuses, [json!(429), json!(503), json!(201)]);
}

#[tokio::test]
async fn exhausted_retries_give_the_last_error_with_its_retry_after() {
    let server = Server::start(&[]);
    let client = server.builder().max_retries(1).build().unwrap();
    server
        .fault(
            "rate_limit",
            json!({"path": "/v1/agents", "method": "GET", "retry_after": 0.05, "times": 2}),
        )
        .await;
    match client.agents().list(Default::default()).await.unwrap_err() {
        Error::RateLimit { retry_after, error } => {
            assert_eq!(retry_after, Some(std::time::Duration::from_millis(50)));
            assert_eq!(error.status(), 429);
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(requests_to(&server, "/v1/agents").await.len(), 2);
}

#[tokio::test]
async fn html_and_legacy_error_bodies() {
    let server = Server::start(&[]);
    let client = server.builder().max_retries(0).build().unwrap();
    server
        .fault(
            "error",
            json!({"status": 502, "path": "/v1/agents", "html": true}),
        )
        .await;
    let err = client.agents().list(Default::default()).await.unwrap_err();
    let line = err.to_string();
    assert!(
        line.starts_with("HTTP 502") && !line.contains('<'),
        "{line}"
    );
    server.fault("error", json!({"status": 409, "path": "/v1/agents", "legacy": true, "code": "busy", "detail": "Busy now"})).await;
    let err = client.agents().list(Default::default()).await.unwrap_err();
    assert!(
        matches!(&err, Error::Conflict(e) if e.code() == Some("busy") && e.message() == "Busy now"),
        "{err:?}"
    );
    server
        .fault(
            "error",
            json!({"status": 422, "path": "/v1/agents", "code": "rule", "detail": "Not allowed"}),
        )
        .await;
    let err = client.agents().list(Default::default()).await.unwrap_err();
    assert!(matches!(&err, Error::Unprocessable(_)), "{err:?}");
    assert!(err.to_string().contains("rule: Not allowed"), "{err}");
}

#[tokio::test]
async fn a_wrong_key_is_an_authentication_error_that_hides_the_key() {
    let server = Server::shared();
    let client = server
        .builder()
        .api_key("evr_pat_wrong_secret_value")
        .build()
        .unwrap();
    let err = client.agents().list(Default::default()).await.unwrap_err();
    assert!(matches!(err, Error::Authentication(_)), "{err:?}");
    let shown = format!("{err} {err:?} {client:?}");
    assert!(!shown.contains("wrong_secret_value"), "{shown}");
    assert!(format!("{client:?}").contains("evr_****"));
}

#[tokio::test]
async fn settings_are_checked_and_the_environment_fills_gaps() {
    let server = Server::shared();
    assert!(matches!(
        server.builder().org("a\r\nX-Evil: 1").build(),
        Err(Error::Validation(_))
    ));
    assert!(matches!(
        server.builder().api_key("k\n").build(),
        Err(Error::Validation(_))
    ));
    assert!(matches!(
        server
            .builder()
            .default_header("Authorization", "x")
            .build(),
        Err(Error::Validation(_))
    ));
    assert!(matches!(
        server.builder().default_header("X-Ok", "a\nb").build(),
        Err(Error::Validation(_))
    ));
    assert!(matches!(
        server.builder().base_url("ftp://x").build(),
        Err(Error::Validation(_))
    ));
    // The base path prefix survives with or without a trailing slash.
    let slash = server
        .builder()
        .base_url(format!("{}/", server.url))
        .build()
        .unwrap();
    slash.agents().list(Default::default()).await.unwrap();
}

#[tokio::test]
async fn a_request_timeout_is_a_timeout_error() {
    let server = Server::start(&[]);
    let client = server
        .builder()
        .timeout(std::time::Duration::from_millis(200))
        .max_retries(0)
        .build()
        .unwrap();
    server
        .fault(
            "delay",
            json!({"seconds": 2, "path": "/v1/agents", "method": "GET"}),
        )
        .await;
    let err = client.agents().list(Default::default()).await.unwrap_err();
    assert!(matches!(err, Error::Timeout(_)), "{err:?}");
    assert!(err.is_retryable());
}
