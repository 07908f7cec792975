//! Redirects (credentials never reach another origin), `Retry-After` dates, and tracing
//! without secrets: against a loopback mock, since the local server never redirects.

#[path = "common/mock.rs"]
mod mock;

use std::sync::{Arc, Mutex};

use everruns_sdk::{Error, Everruns};
use mock::{response, Mock};

const KEY: &str = "evr_pat_mocksecret";

fn client(origin: &str) -> Everruns {
    Everruns::builder()
        .api_key(KEY)
        .org("org_mock")
        .base_url(format!("{origin}/api"))
        .max_retries(2)
        .build()
        .unwrap()
}

fn empty_list() -> String {
    response(
        "200 OK",
        &[("content-type", "application/json")],
        r#"{"data":[]}"#,
    )
}

#[tokio::test]
async fn a_redirect_to_another_origin_drops_the_credentials() {
    let other = Mock::start(|_| empty_list()).await;
    let target = format!("{}/elsewhere/keys", other.origin);
    let first = Mock::start(move |_| response("302 Found", &[("location", &target)], "")).await;
    let keys = client(&first.origin)
        .session_storage()
        .keys("session_1")
        .await
        .unwrap();
    assert!(keys.is_empty());
    let hop = &other.seen()[0];
    assert_eq!(hop.path, "/elsewhere/keys");
    assert_eq!(hop.header("authorization"), None);
    assert_eq!(hop.header("x-org-id"), None);
    assert!(hop
        .header("user-agent")
        .unwrap()
        .starts_with("everruns-rust-sdk/"));
    let original = &first.seen()[0];
    assert_eq!(original.path, "/api/v1/sessions/session_1/storage/keys");
    assert_eq!(original.header("authorization"), Some(KEY));
}

#[tokio::test]
async fn a_same_origin_redirect_keeps_them() {
    let mock = Mock::start(|r| {
        if r.path.starts_with("/api/") {
            response("307 Temporary Redirect", &[("location", "/moved/keys")], "")
        } else {
            empty_list()
        }
    })
    .await;
    client(&mock.origin)
        .session_storage()
        .keys("session_1")
        .await
        .unwrap();
    let seen = mock.seen();
    assert_eq!(seen[1].path, "/moved/keys");
    assert_eq!(seen[1].header("authorization"), Some(KEY));
    assert_eq!(seen[1].header("x-org-id"), Some("org_mock"));
}

#[tokio::test]
async fn see_other_turns_a_post_into_a_get_and_307_repeats_it() {
    const DB: &str =
        r#"{"name":"db","created_at":"t","updated_at":"t","page_count":1,"size_bytes":4096}"#;
    let mock = Mock::start(|r| match r.path.as_str() {
        "/api/v1/sessions/s/databases" => {
            response("303 See Other", &[("location", "/after/303")], "")
        }
        "/after/303" => response("200 OK", &[], DB),
        "/api/v1/sessions/t/databases" => {
            response("307 Temporary Redirect", &[("location", "/after/307")], "")
        }
        _ => response("201 Created", &[], DB),
    })
    .await;
    let databases = client(&mock.origin).session_databases();
    databases.create("s", "db").await.unwrap();
    databases.create("t", "db").await.unwrap();
    let seen = mock.seen();
    assert_eq!((seen[1].method.as_str(), seen[1].body.len()), ("GET", 0));
    assert_eq!(seen[3].method, "POST");
    assert_eq!(seen[3].body, br#"{"name":"db"}"#);
}

#[tokio::test]
async fn endless_redirects_end_with_a_connection_error() {
    let mock = Mock::start(|_| response("302 Found", &[("location", "/again")], "")).await;
    let err = client(&mock.origin)
        .session_storage()
        .keys("s")
        .await
        .unwrap_err();
    assert!(
        matches!(&err, Error::Connection { message, .. } if message.contains("too many redirects")),
        "{err:?}"
    );
    assert_eq!(mock.seen().len(), 6);
}

#[tokio::test]
async fn a_retry_after_date_is_honoured() {
    let calls = Arc::new(Mutex::new(0));
    let counter = Arc::clone(&calls);
    let mock = Mock::start(move |_| {
        let mut n = counter.lock().unwrap();
        *n += 1;
        if *n == 1 {
            response(
                "503 Service Unavailable",
                &[("retry-after", "Wed, 21 Oct 2015 07:28:00 GMT")],
                "",
            )
        } else {
            empty_list()
        }
    })
    .await;
    // A POST may retry a 503 only with Retry-After: the date (in the past) counts.
    let analysis = client(&mock.origin)
        .session_databases()
        .create("s", "db")
        .await;
    assert!(
        matches!(analysis, Err(Error::Decode { .. })),
        "the second answer is a list, not a database"
    );
    assert_eq!(*calls.lock().unwrap(), 2);
}

#[tokio::test]
async fn an_error_body_echoing_the_key_is_scrubbed() {
    let body = format!(r#"{{"title":"Bad","detail":"key {KEY} is wrong"}}"#);
    let mock =
        Mock::start(move |_| response("400 Bad Request", &[("x-request-id", "req_9")], &body))
            .await;
    let err = client(&mock.origin)
        .session_storage()
        .keys("s")
        .await
        .unwrap_err();
    let text = format!("{err} {err:?} {:?}", err.api_error().unwrap().body());
    assert!(!text.contains("mocksecret"), "{text}");
    assert_eq!(err.request_id(), Some("req_9"));
}
