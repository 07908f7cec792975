//! The event stream under the local server's faults: planned cycles, half-open stalls,
//! torn events, 401 on reconnect, thousands of events through random faults, and
//! streams dropped early leaving no open socket.

mod common;

use std::time::Duration;

use everruns_sdk::{Error, Event, EventStream, Everruns, StreamOptions};
use futures::StreamExt;
use serde_json::json;

use common::Server;

/// Fast backoff so that failures cost milliseconds, not seconds.
fn fast() -> StreamOptions {
    StreamOptions::default().backoff(Duration::from_millis(5), Duration::from_millis(50))
}

async fn new_session(client: &Everruns) -> String {
    client
        .sessions()
        .create_with(Default::default())
        .await
        .unwrap()
        .id
}

/// `n` events of type `test.tick` (data `{"n": i}`) emitted into the session.
async fn emit_ticks(server: &Server, session: &str, n: usize) {
    for i in 0..n {
        server
            .control(
                "POST",
                &format!("sessions/{session}/events"),
                json!({"type": "test.tick", "data": {"n": i}}),
            )
            .await;
    }
}

fn tick(event: &Event) -> u64 {
    serde_json::to_value(&event.data).unwrap()["n"]
        .as_u64()
        .expect("a tick")
}

/// Read `n` events, failing on the first error.
async fn take(stream: &mut EventStream, n: usize) -> Vec<Event> {
    let mut out = Vec::with_capacity(n);
    while out.len() < n {
        out.push(
            stream
                .next()
                .await
                .expect("the stream ended early")
                .expect("no error"),
        );
    }
    out
}

#[tokio::test]
async fn a_hundred_planned_cycles_never_count_as_retries() {
    let server = Server::shared();
    let client = server.client();
    let session = new_session(&client).await;
    emit_ticks(server, &session, 100).await;
    server
        .fault(
            "sse_cycle",
            json!({"after_events": 1, "session_id": session, "times": 100}),
        )
        .await;
    let mut stream = client.events().stream_with(&session, fast().max_retries(1));
    let events = take(&mut stream, 100).await;
    assert_eq!(
        events.iter().map(tick).collect::<Vec<_>>(),
        (0..100).collect::<Vec<_>>()
    );
    assert!(stream.reconnects() >= 99, "{}", stream.reconnects());
}

#[tokio::test]
async fn response_headers_are_the_current_connections() {
    let server = Server::shared();
    let client = server.client();
    let session = new_session(&client).await;
    emit_ticks(server, &session, 2).await;
    server
        .fault(
            "sse_cycle",
            json!({"after_events": 1, "session_id": session, "times": 1}),
        )
        .await;
    let mut stream = client.events().stream_with(&session, fast());
    assert!(stream.response_headers().is_none());
    let request_id = |stream: &EventStream| {
        let headers = stream.response_headers().expect("connected");
        let kind = headers["content-type"].to_str().unwrap();
        assert!(kind.contains("text/event-stream"), "{kind}");
        headers["x-request-id"].to_str().unwrap().to_owned()
    };
    take(&mut stream, 1).await;
    let first = request_id(&stream);
    take(&mut stream, 1).await; // after the planned cycle: a second connection
    let second = request_id(&stream);
    assert!(first.starts_with("req_") && second.starts_with("req_"));
    assert_ne!(first, second);
    stream.stop();
    assert_eq!(request_id(&stream), second); // the latest, once stopped
}

#[tokio::test]
async fn a_half_open_connection_is_dropped_by_the_idle_timeout() {
    let server = Server::shared();
    let client = server.client();
    let session = new_session(&client).await;
    emit_ticks(server, &session, 6).await;
    server
        .fault(
            "sse_stall",
            json!({"after_events": 2, "session_id": session, "times": 2}),
        )
        .await;
    let options = fast()
        .idle_timeout(Duration::from_millis(300))
        .max_retries(3);
    let mut stream = client.events().stream_with(&session, options);
    let events = take(&mut stream, 6).await;
    assert_eq!(
        events.iter().map(tick).collect::<Vec<_>>(),
        vec![0, 1, 2, 3, 4, 5]
    );
    assert_eq!(stream.reconnects(), 2);
}

#[tokio::test]
async fn a_torn_event_is_delivered_whole_once() {
    let server = Server::shared();
    let client = server.client();
    let session = new_session(&client).await;
    emit_ticks(server, &session, 5).await;
    server
        .fault(
            "sse_cut",
            json!({"after_events": 2, "mid_event": true, "session_id": session}),
        )
        .await;
    let mut stream = client.events().stream_with(&session, fast().max_retries(2));
    let events = take(&mut stream, 5).await;
    assert_eq!(
        events.iter().map(tick).collect::<Vec<_>>(),
        vec![0, 1, 2, 3, 4]
    );
    let log = server.requests().await;
    let resumes: Vec<_> = log
        .iter()
        .filter(|r| r["path"] == format!("/v1/sessions/{session}/sse"))
        .map(|r| r["query_pairs"].clone())
        .collect();
    assert_eq!(resumes.len(), 2);
    assert_eq!(
        resumes[1],
        json!([["since_id", events[1].id]]),
        "resumed after the last whole event"
    );
}

#[tokio::test]
async fn a_401_on_reconnect_ends_the_stream_with_the_typed_error() {
    let server = Server::shared();
    let client = server.client();
    let session = new_session(&client).await;
    emit_ticks(server, &session, 3).await;
    let path = format!("/v1/sessions/{session}/sse");
    server
        .fault(
            "sse_drop",
            json!({"after_events": 1, "session_id": session}),
        )
        .await;
    server
        .fault("error", json!({"status": 401, "path": path, "skip": 1}))
        .await;
    let mut stream = client.events().stream_with(&session, fast());
    assert_eq!(tick(&stream.next().await.unwrap().unwrap()), 0);
    let err = stream.next().await.unwrap().unwrap_err();
    assert!(matches!(err, Error::Authentication(_)), "{err:?}");
    assert!(stream.next().await.is_none(), "a 401 is final");
}

#[tokio::test]
async fn exhausted_retries_are_a_clear_error() {
    let server = Server::shared();
    let client = server.client();
    let session = new_session(&client).await;
    let path = format!("/v1/sessions/{session}/sse");
    server
        .fault("error", json!({"status": 503, "path": path, "times": 3}))
        .await;
    let mut stream = client.events().stream_with(&session, fast().max_retries(2));
    match stream.next().await {
        Some(Err(Error::Stream {
            attempts,
            message,
            source,
        })) => {
            assert_eq!(attempts, Some(3));
            assert!(message.contains("max_retries=2"), "{message}");
            assert!(matches!(source.as_deref(), Some(Error::Server(_))));
        }
        other => panic!("{other:?}"),
    }
}

#[tokio::test]
async fn retry_after_on_reconnect_is_honoured() {
    let server = Server::shared();
    let client = server.client();
    let session = new_session(&client).await;
    emit_ticks(server, &session, 1).await;
    let path = format!("/v1/sessions/{session}/sse");
    server
        .fault("rate_limit", json!({"path": path, "retry_after": 0.2}))
        .await;
    let mut stream = client.events().stream_with(&session, fast().max_retries(1));
    assert_eq!(tick(&stream.next().await.unwrap().unwrap()), 0);
    let statuses: Vec<_> = server
        .requests()
        .await
        .into_iter()
        .filter(|r| r["path"] == path)
        .map(|r| r["status"].clone())
        .collect();
    assert_eq!(
        statuses,
        [json!(429), json!(200)],
        "a 429 on connect is retried, not final"
    );
}

#[tokio::test]
async fn five_thousand_events_through_random_faults_arrive_once_in_order() {
    let server = Server::shared();
    let client = server.client();
    let session = new_session(&client).await;
    let text: String = (0..5000)
        .map(|i| char::from(b'a' + (i % 26) as u8))
        .collect();
    server
        .script(&session, json!([{"text": text, "chunk_size": 1}]))
        .await;
    let mut seed = 0x2545_f491_4f6c_dd1d_u64;
    for i in 0..40 {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        let after = (seed % 300) as usize;
        let (kind, extra) = match i % 4 {
            0 => ("sse_cut", json!({"mid_event": true})),
            1 => ("sse_drop", json!({})),
            2 => ("sse_cut", json!({})),
            _ => ("sse_cycle", json!({})),
        };
        let mut args = json!({"after_events": after, "session_id": session});
        args.as_object_mut()
            .unwrap()
            .extend(extra.as_object().unwrap().clone());
        server.fault(kind, args).await;
    }
    client
        .messages()
        .create(&session, "Count to five thousand")
        .await
        .unwrap();
    let mut stream = client.events().stream_with(&session, fast().max_retries(5));
    let mut seen = Vec::new();
    while let Some(event) = stream.next().await {
        let event = event.unwrap();
        let done = event.event_type == "turn.completed";
        seen.push(event.id.clone());
        if done {
            break;
        }
    }
    let stored: Vec<String> = client
        .events()
        .list(&session, Default::default())
        .await
        .unwrap()
        .into_iter()
        .map(|e| e.id)
        .collect();
    let upto = stored
        .iter()
        .position(|id| Some(id) == seen.last())
        .unwrap()
        + 1;
    assert_eq!(seen, stored[..upto], "every event once, in order");
    assert!(seen.len() > 5000, "{}", seen.len());
    assert!(
        stream.reconnects() >= 30,
        "the faults fired: {}",
        stream.reconnects()
    );
}
